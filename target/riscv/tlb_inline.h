/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inline fast paths of the soft TLB, for the instruction handlers.
 *
 * A hit needs the entry for the page and a naturally aligned access: the
 * compare folds the alignment bits into the page compare, so misaligned and
 * page-crossing accesses, MMIO and misses all go to the slow path in tlb.c.
 * env->tlb.data_idx is valid while a handler runs (the loop recomputes it at
 * each block, and anything that changes it ends the block).
 */
#ifndef TARGET_RISCV_TLB_INLINE_H
#define TARGET_RISCV_TLB_INLINE_H

#include "target/riscv/internals.h"
#include "exec/ramblock.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "hintvm accesses guest RAM directly and needs a little-endian host"
#endif

#define RISCV_TLB_INDEX(va) (((va) >> TARGET_PAGE_BITS) & (RISCV_TLB_SIZE - 1))

uint64_t riscv_load_slow(CPURISCVState *env, uint64_t va, unsigned size);
void riscv_store_slow(CPURISCVState *env, uint64_t va, uint64_t val, unsigned size);
/*
 * Host pointer for an atomic access of @size at the (aligned) @va, checked
 * for store permission (store/AMO faults); NULL when the page is not RAM.
 */
void *riscv_probe_write(CPURISCVState *env, uint64_t va, unsigned size);

static inline QEMU_ALWAYS_INLINE uint64_t riscv_load_fast(CPURISCVState *env, uint64_t va,
                                                          unsigned size)
{
    const RISCVTLBEntry *e = &env->tlb.read[env->tlb.data_idx][RISCV_TLB_INDEX(va)];

    if (likely(e->vpage == (va & (TARGET_PAGE_MASK | (size - 1))))) {
        const void *host = (const void *)(uintptr_t)(va + e->addend);
        switch (size) {
        case 1:
            return *(const uint8_t *)host;
        case 2: {
            uint16_t v;
            memcpy(&v, host, 2);
            return v;
        }
        case 4: {
            uint32_t v;
            memcpy(&v, host, 4);
            return v;
        }
        default: {
            uint64_t v;
            memcpy(&v, host, 8);
            return v;
        }
        }
    }
    return riscv_load_slow(env, va, size);
}

static inline QEMU_ALWAYS_INLINE void riscv_store_fast(CPURISCVState *env, uint64_t va,
                                                       uint64_t val, unsigned size)
{
    const RISCVTLBEntry *e = &env->tlb.write[env->tlb.data_idx][RISCV_TLB_INDEX(va)];

    if (likely(e->vpage == (va & (TARGET_PAGE_MASK | (size - 1))))) {
        void *host = (void *)(uintptr_t)(va + e->addend);
        switch (size) {
        case 1:
            *(uint8_t *)host = val;
            return;
        case 2: {
            uint16_t v = val;
            memcpy(host, &v, 2);
            return;
        }
        case 4: {
            uint32_t v = val;
            memcpy(host, &v, 4);
            return;
        }
        default:
            memcpy(host, &val, 8);
            return;
        }
    }
    riscv_store_slow(env, va, val, size);
}

#endif
