/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RAM blocks: the list migration walks, each with its dirty log.
 */
#include "qemu/osdep.h"
#include "exec/ramblock.h"

RAMBlock *ram_list;
int ram_dirty_log_active;

RAMBlock *ram_block_add(const char *name, uint8_t *host, uint64_t size, hwaddr guest_addr)
{
    RAMBlock *rb = g_new0(RAMBlock, 1);
    RAMBlock **tail = &ram_list;

    g_strlcpy(rb->idstr, name, sizeof(rb->idstr));
    rb->host = host;
    rb->used_length = size;
    rb->guest_addr = guest_addr;
    rb->dirty_log = bitmap_new(ram_block_nr_pages(rb));
    while (*tail) {
        tail = &(*tail)->next;
    }
    *tail = rb;
    return rb;
}
