/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The top level of the migration stream (docs/devel/migration-stream.rst):
 * header, configuration, RAM records, device state, end.
 */
#ifndef MIGRATION_STREAM_H
#define MIGRATION_STREAM_H

#include "qemu/osdep.h"

typedef struct Error Error;
typedef struct QEMUFile QEMUFile;

#define MIG_STREAM_MAGIC   0x48564d53 /* "HVMS" */
#define MIG_STREAM_VERSION 1
#define MIG_END_MAGIC      0x454e4421 /* "END!" */

/* Record types: the byte that starts each record after the header. */
enum {
    MIG_RECORD_CONFIG = 0x01,
    MIG_RECORD_RAM = 0x02,
    MIG_RECORD_DEVICES = 0x03,
    MIG_RECORD_END = 0x04,
};

/* Entries of a RAM record. */
enum {
    RAM_ENTRY_END = 0x00,
    RAM_ENTRY_NORMAL = 0x01, /* be64 page, 4096 bytes */
    RAM_ENTRY_ZERO = 0x02,   /* be64 first page, be32 count */
};

/* Header and configuration record (BQL held). */
void migration_stream_put_start(QEMUFile *f);
/*
 * Device state and end record (vCPUs stopped, BQL held); @running: the guest
 * ran until the switchover.  False with @errp set.
 */
bool migration_stream_put_end(QEMUFile *f, bool running, Error **errp);

/*
 * Load a whole stream into this machine: RAM without the BQL, device state
 * with it.  *@running: whether the source's guest was running.  False with
 * @errp naming what was wrong.
 */
bool migration_stream_load(QEMUFile *f, bool *running, Error **errp);

/* Set @errp from @f's error while reading @what ("stream ended early", ...); false. */
bool migration_stream_error(QEMUFile *f, const char *what, Error **errp);

#endif
