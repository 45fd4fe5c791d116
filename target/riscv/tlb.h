/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Soft TLB: separate read, write and fetch entries per MMU index, plus the
 * per-hart state of the decoded-instruction cache and the execution loop.
 *
 * Only RAM and ROM pages ever get an entry (host address = va + addend);
 * MMIO and unmapped addresses take the slow path on every access.  A
 * write entry is created only for RAM, and creating one records the page in
 * the RAM block's dirty log, so flushing the write entries (see
 * tlb_flush_write_entries) re-arms dirty tracking for every page.
 */
#ifndef TARGET_RISCV_TLB_H
#define TARGET_RISCV_TLB_H

#include "qemu/osdep.h"

#define RISCV_TLB_BITS 8
#define RISCV_TLB_SIZE (1 << RISCV_TLB_BITS)

/* MMU indexes: the effective privilege of an access, SUM folded in */
enum {
    RISCV_MMU_IDX_U,
    RISCV_MMU_IDX_S,
    RISCV_MMU_IDX_S_SUM,
    RISCV_MMU_IDX_M,
    RISCV_MMU_IDX_COUNT,
};

/* An invalid entry: no page-aligned address (with low bits clear) matches it. */
#define RISCV_TLB_INVALID (~0ULL)

typedef struct RISCVTLBEntry {
    uint64_t vpage;     /* page-aligned virtual address, or RISCV_TLB_INVALID */
    uintptr_t addend;   /* host address = guest virtual address + addend */
} RISCVTLBEntry;

struct DecodedPage;

typedef struct RISCVFetchEntry {
    uint64_t vpage;
    uintptr_t addend;
    uint64_t ppage;             /* guest physical page, key of the decode cache */
    struct DecodedPage *code;   /* decoded instructions of that page, or NULL */
} RISCVFetchEntry;

typedef struct RISCVTLB {
    RISCVTLBEntry read[RISCV_MMU_IDX_COUNT][RISCV_TLB_SIZE];
    RISCVTLBEntry write[RISCV_MMU_IDX_COUNT][RISCV_TLB_SIZE];
    RISCVFetchEntry fetch[RISCV_MMU_IDX_COUNT][RISCV_TLB_SIZE];

    /* MMU index of data accesses, recomputed at the start of every block */
    int data_idx;
    /* read[data_idx] and write[data_idx], for the inline fast paths */
    RISCVTLBEntry *data_read;
    RISCVTLBEntry *data_write;

    /* Execution loop (cpu.c): the decoded page being run */
    struct DecodedPage *cur_page;

    /* Decoded-instruction cache (translate.c), keyed by guest physical page */
    GHashTable *code_pages;

    /*
     * Flush requests (cpu.c, riscv_cpu_flush_request): CPU_FLUSH_* bits to
     * apply before the next block, and tickets.  flush_req counts requests,
     * flush_applied is the last one this hart applied (its own thread only),
     * flush_ack the last one it promised to apply before running any more
     * guest code, which is what a waiting requester reads.
     */
    unsigned flush_pending;     /* atomic */
    unsigned flush_req;         /* atomic */
    unsigned flush_ack;         /* atomic */
    unsigned flush_applied;
    int in_guest;               /* atomic: inside riscv_cpu_exec */
} RISCVTLB;

struct CPURISCVState;
/* Drop every write entry: the next store to each page logs it dirty again. */
void tlb_flush_write_entries(struct CPURISCVState *env);
/*
 * Ask hart @env to flush its whole TLB before it next runs guest code:
 * callable from any thread; pair it with riscv_cpu_kick.  This does not wait:
 * the hart may run the rest of its block under the old entries.  Remote
 * SFENCE.VMA must be complete when the SBI call returns: use
 * riscv_cpu_flush_request/riscv_cpu_flush_wait (cpu.h) for that.
 */
void tlb_request_flush(struct CPURISCVState *env);

#endif
