/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest RAM blocks and their dirty log.
 *
 * Every guest write to RAM is recorded in the block's dirty log at page
 * granularity: the vCPU records a page when it fills a write-TLB entry for
 * it (ram_block_note_write), devices through address_space_write and
 * address_space_set_dirty (exec/memory.h), after they wrote.  While
 * dirty logging is off the hooks cost one predictable branch.  The API that
 * switches logging on and folds the logs (system/dirtylog.c) is described in
 * docs/devel/migration/dirty-log.rst.
 */
#ifndef EXEC_RAMBLOCK_H
#define EXEC_RAMBLOCK_H

#include "exec/hwaddr.h"
#include "qemu/bitmap.h"

#define TARGET_PAGE_BITS 12
#define TARGET_PAGE_SIZE (1ULL << TARGET_PAGE_BITS)
#define TARGET_PAGE_MASK (~(TARGET_PAGE_SIZE - 1))

typedef struct RAMBlock {
    char idstr[64];
    uint8_t *host;
    uint64_t used_length;
    hwaddr guest_addr;          /* where it is mapped */
    unsigned long *dirty_log;   /* one bit per target page; set atomically */
    struct RAMBlock *next;
} RAMBlock;

extern RAMBlock *ram_list;
/*
 * Non-zero while dirty pages are logged.  Written only by ram_dirty_log_start
 * and _stop; read it through ram_dirty_log_is_enabled.  A plain global so the
 * hooks below test it with one load and one predictable branch.
 */
extern int ram_dirty_log_active;

RAMBlock *ram_block_add(const char *name, uint8_t *host, uint64_t size, hwaddr guest_addr);

/* Target pages in @rb: the number of bits in its dirty log. */
static inline uint64_t ram_block_nr_pages(const RAMBlock *rb)
{
    return DIV_ROUND_UP(rb->used_length, TARGET_PAGE_SIZE);
}

/*
 * Start logging writes on every RAM block: clear the logs, switch logging on,
 * then make every vCPU drop its write-TLB entries (request all, wait for all)
 * so that each next store is logged.  BQL held.
 */
void ram_dirty_log_start(void);
/* Stop logging; the logs keep what they hold until the next start. */
void ram_dirty_log_stop(void);
bool ram_dirty_log_is_enabled(void);
/*
 * Fold @rb's dirty log into @dest (one bit per target page of the block):
 * each word of the log is fetched and cleared atomically and OR-ed into
 * @dest.  Returns how many bits of @dest became set that were clear.
 * Word-wise, never per page.  Callers hold migration's bitmap_mutex, and the
 * BQL: address_space_map with is_write logs before the device writes, which
 * is safe only against a fold that BQL-holding devices cannot straddle.
 */
uint64_t ram_block_dirty_log_sync(RAMBlock *rb, unsigned long *dest);
/*
 * After folding every block: re-arm the write-TLB of every vCPU (flush
 * request to all, then wait for all), so that a store that follows goes
 * through the hook again.  Fold first, re-arm second: a store between the
 * two is already in the page when the sender reads it after the sync.
 */
void ram_dirty_log_rearm(void);

static inline void ram_block_note_write(RAMBlock *rb, uint64_t offset, uint64_t len)
{
    if (unlikely(__atomic_load_n(&ram_dirty_log_active, __ATOMIC_RELAXED))) {
        bitmap_set_atomic(rb->dirty_log, offset >> TARGET_PAGE_BITS,
                          ((offset + len - 1) >> TARGET_PAGE_BITS) -
                              (offset >> TARGET_PAGE_BITS) + 1);
    }
}

#endif
