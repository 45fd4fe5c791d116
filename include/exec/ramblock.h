/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest RAM blocks and their dirty log.
 *
 * Every guest write to RAM is recorded in the block's dirty log at page
 * granularity: the vCPU records a page when it fills a write-TLB entry for
 * it (ram_block_note_write), devices through address_space_map/_write.  While
 * dirty logging is off the hooks cost one predictable branch.
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
/* Non-zero while migration (or anyone else) logs dirty pages. */
extern int ram_dirty_log_enabled;

RAMBlock *ram_block_add(const char *name, uint8_t *host, uint64_t size, hwaddr guest_addr);

static inline void ram_block_note_write(RAMBlock *rb, uint64_t offset, uint64_t len)
{
    if (unlikely(__atomic_load_n(&ram_dirty_log_enabled, __ATOMIC_RELAXED))) {
        bitmap_set_atomic(rb->dirty_log, offset >> TARGET_PAGE_BITS,
                          ((offset + len - 1) >> TARGET_PAGE_BITS) -
                              (offset >> TARGET_PAGE_BITS) + 1);
    }
}

#endif
