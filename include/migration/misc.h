/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the rest of hintvm may ask of migration: precopy notifiers (the
 * free-page-hint device hooks into the RAM passes through them) and the few
 * facts about the current migration a device needs.
 * See docs/devel/migration-stream.rst for the RAM passes they follow.
 */
#ifndef MIGRATION_MISC_H
#define MIGRATION_MISC_H

#include "qemu/osdep.h"

typedef struct Error Error;

typedef enum PrecopyNotifyReason {
    /* Bitmaps are set up and dirty logging runs; BQL held. */
    PRECOPY_NOTIFY_SETUP,
    /* A bitmap sync is about to fold the dirty log; no lock held. */
    PRECOPY_NOTIFY_BEFORE_BITMAP_SYNC,
    /* The sync finished (write-TLBs re-armed); the guest runs; no lock held. */
    PRECOPY_NOTIFY_AFTER_BITMAP_SYNC,
    /* The stream is complete (vCPUs stopped, BQL held). */
    PRECOPY_NOTIFY_COMPLETE,
    /*
     * The migration is over, whatever its outcome (completed, failed or
     * cancelled): BQL held, the migration thread has finished with RAM.
     */
    PRECOPY_NOTIFY_CLEANUP,
} PrecopyNotifyReason;

typedef struct PrecopyNotifier PrecopyNotifier;
struct PrecopyNotifier {
    /* Returns 0, or a negative value with @errp set (only SETUP may fail). */
    int (*notify)(PrecopyNotifier *n, PrecopyNotifyReason reason, Error **errp);
    PrecopyNotifier *next;
};

/* Register/unregister with the BQL held; notifiers run in registration order. */
void precopy_add_notifier(PrecopyNotifier *n);
void precopy_remove_notifier(PrecopyNotifier *n);

/* The postcopy-ram capability is on (free page hinting must then stay off). */
bool migrate_postcopy_ram(void);
/* An outgoing migration is between setup and its end (any thread). */
bool migration_is_active(void);

/* ---- for system/vl.c ---- */

/* Register the migration QMP commands. */
void migration_register_commands(void);
/*
 * -incoming URI|defer: put the machine in the inmigrate run state and, for a
 * URI, start listening.  @autostart: run the guest once loaded (no -S).
 */
bool migration_incoming_init(const char *uri, bool autostart, Error **errp);
/* On exit: cancel a running migration and wait for its thread.  BQL held. */
void migration_shutdown(void);

#endif
