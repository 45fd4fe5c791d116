/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RAM migration: per-block migration bitmaps, the precopy passes that send
 * what they mark, and the destination side that loads page records.
 * docs/devel/migration-stream.rst describes the records and the passes.
 *
 * Locking: one mutex, the bitmap mutex (QEMU's bitmap_mutex), protects every
 * block's migration bitmap and the dirty-page count.  The bitmap sync, the
 * sender taking bits (a batch of bitmap words at a time) and the
 * free-page-hint sink all take it.  Lock order: BQL before bitmap mutex.
 */
#ifndef MIGRATION_RAM_H
#define MIGRATION_RAM_H

#include "exec/hwaddr.h"
#include "qemu/osdep.h"

typedef struct Error Error;
typedef struct QEMUFile QEMUFile;

/* The bitmap mutex: hand it to the free-page-hint sink. */
GMutex *ram_bitmap_mutex(void);

/*
 * The guest reports [gpa, gpa + len) free: clear those pages' bits in the
 * migration bitmap so this pass neither reads nor sends them.  Called with
 * the bitmap mutex held, and only for hints made after the latest sync
 * (docs/devel/migration-stream.rst, "Free page hints").  Ranges outside RAM
 * are ignored.  Returns the bytes whose bits it cleared.
 */
uint64_t ram_guest_free_page_hint(hwaddr gpa, uint64_t len);

/*
 * For the free page hint device, at setup: the guest was just asked for
 * hints, so the first pass waits up to @timeout_ms before it sends anything,
 * or until ram_first_pass_release() (the guest's first round is over; any
 * thread; also ends a hold that has not started yet).
 */
void ram_first_pass_hold(uint32_t timeout_ms);
void ram_first_pass_release(void);

typedef struct RAMStats {
    uint64_t total_bytes;     /* guest RAM */
    uint64_t remaining_bytes; /* pages marked in the migration bitmaps */
    uint64_t zero_pages;      /* sent as zero markers ("duplicate") */
    uint64_t normal_pages;    /* sent with their contents */
    uint64_t ballooned_pages; /* skipped: held by the balloon */
    uint64_t unbacked_pages;  /* skipped reading: never backed by the host */
    uint64_t hinted_bytes;    /* bits cleared by free page hints */
    uint64_t first_pass_hinted_bytes; /* of those, cleared ahead of the first pass */
    uint64_t first_pass_wait_ms;      /* the first pass waited this long for hints */
    uint64_t dirty_sync_count;
    uint64_t dirty_pages_rate; /* pages/s dirtied over the last sync period */
} RAMStats;

void ram_get_stats(RAMStats *stats);

/* ---- for the migration core (migration/) ---- */

/* Start dirty logging, mark every page but the ballooned ones.  BQL held. */
bool ram_save_setup(Error **errp);
/*
 * Send marked pages from the scan position on, until @max_bytes have been
 * put or the end of RAM is reached.  No lock held; returns false on a stream
 * error.  *@pass_done is set when the scan reached the end of RAM.
 */
bool ram_save_iterate(QEMUFile *f, uint64_t max_bytes, bool *pass_done);
/*
 * Fold the dirty log into the migration bitmaps and restart the scan, with
 * the BEFORE/AFTER_BITMAP_SYNC notifiers around it.  While the guest runs
 * (@final false) call it with no lock held: it takes the BQL (ballooned
 * pages) and the bitmap mutex, then re-arms the vCPUs' write-TLBs.  The
 * last sync (@final, vCPUs stopped, BQL held) re-arms nothing and runs only
 * the BEFORE notifier.  Returns the number of pages the sync marked.
 */
uint64_t ram_bitmap_sync(bool final);
/* Bytes still marked. */
uint64_t ram_bytes_remaining(void);
/* Send everything still marked (vCPUs stopped). */
bool ram_save_complete(QEMUFile *f);
/* Stop dirty logging and free the bitmaps.  BQL held. */
void ram_save_cleanup(void);

/* Destination: prepare RAM for incoming pages (discards what the loader wrote). */
void ram_load_setup(void);
/* Load one RAM record (its type byte already read). */
bool ram_load_batch(QEMUFile *f, Error **errp);
/* Destination: forget the blocks ram_load_setup found, after the last record. */
void ram_load_cleanup(void);

#endif
