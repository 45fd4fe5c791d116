/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The dirty log: switching it on and off, folding it into a caller's bitmap,
 * and re-arming the vCPUs' write-TLB entries so that logging continues after
 * a fold.  Why the fold comes before the re-arm: docs/devel/migration/dirty-log.rst.
 */
#include "qemu/osdep.h"
#include "exec/ramblock.h"
#include "sysemu/cpus.h"

/* Make every vCPU drop its write entries; request all first so they flush in parallel. */
static void flush_all_write_entries(void)
{
    unsigned tickets[HINTVM_MAX_CPUS];

    for (int i = 0; i < nb_cpus; i++) {
        tickets[i] = cpu_flush_request(cpus[i], CPU_FLUSH_WRITE);
    }
    for (int i = 0; i < nb_cpus; i++) {
        cpu_flush_wait(cpus[i], tickets[i]);
    }
}

void ram_dirty_log_start(void)
{
    /* Nothing writes the logs while logging is off, so plain clears are safe. */
    for (RAMBlock *rb = ram_list; rb; rb = rb->next) {
        bitmap_zero(rb->dirty_log, ram_block_nr_pages(rb));
    }
    /*
     * On before the flush: a hart that applies the flush has seen its ticket,
     * which was published after this store, so every write entry it fills
     * afterwards logs its page.
     */
    __atomic_store_n(&ram_dirty_log_active, 1, __ATOMIC_SEQ_CST);
    flush_all_write_entries();
}

void ram_dirty_log_stop(void)
{
    __atomic_store_n(&ram_dirty_log_active, 0, __ATOMIC_SEQ_CST);
}

bool ram_dirty_log_is_enabled(void)
{
    return __atomic_load_n(&ram_dirty_log_active, __ATOMIC_SEQ_CST);
}

uint64_t ram_block_dirty_log_sync(RAMBlock *rb, unsigned long *dest)
{
    return bitmap_xchg_and_or_atomic(dest, rb->dirty_log, ram_block_nr_pages(rb));
}

void ram_dirty_log_rearm(void)
{
    flush_all_write_entries();
}
