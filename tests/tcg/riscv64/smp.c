/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Two harts (run with -smp 2) contending on the same memory, RV64A
 * (unprivileged spec ch. 8) and Zifencei across harts:
 * - AMO counters (amoadd.w/.d, amoor) incremented by both harts: no update lost;
 * - an LR/SC increment loop on a shared counter: no update lost, and the SC
 *   only succeeds for an unchanged reservation (8.2: an SC must fail when a
 *   store from another hart to the reservation set is observed between the LR
 *   and the SC; checked with a store that changes the value);
 * - spinlocks built from amoswap.w.aq / sw.rl and from LR/SC, guarding plain
 *   read-modify-write counters: mutual exclusion holds;
 * - code patched by hart 0 while hart 1 runs it: hart 1 sees the new code after
 *   its own FENCE.I (FENCE.I only orders the executing hart's fetches, 5.1).
 * Only hart 0 prints, and only totals, so the output is deterministic.
 */
#include "insn.h"

#define NHARTS 2
#define ITERATIONS 20000

static volatile uint64_t amo_counter_d;
static volatile uint32_t amo_counter_w;
static volatile uint64_t amo_bits;
static volatile uint64_t lrsc_counter;
static volatile uint32_t swap_lock;
static volatile uint64_t swap_guarded;
static volatile uint64_t lrsc_lock;
static volatile uint64_t lrsc_guarded;
static volatile uint64_t finished;

/* Handshake for the SC-must-fail and cross-hart FENCE.I cases. */
static volatile uint64_t reserved_cell;
static volatile uint64_t step;
static volatile uint64_t sc_failed_after_remote_store;
static volatile uint64_t patched_result;

static inline void amoadd_d(volatile uint64_t *p, uint64_t v)
{
    asm volatile("amoadd.d zero, %1, (%0)" : : "r"(p), "r"(v) : "memory");
}

static inline void amoadd_w(volatile uint32_t *p, uint32_t v)
{
    asm volatile("amoadd.w zero, %1, (%0)" : : "r"(p), "r"(v) : "memory");
}

static inline void amoor_d(volatile uint64_t *p, uint64_t v)
{
    asm volatile("amoor.d zero, %1, (%0)" : : "r"(p), "r"(v) : "memory");
}

static void lrsc_increment(volatile uint64_t *p)
{
    uint64_t tmp, fail;

    asm volatile("1: lr.d %0, (%2)\n"
                 "   addi %0, %0, 1\n"
                 "   sc.d %1, %0, (%2)\n"
                 "   bnez %1, 1b\n"
                 : "=&r"(tmp), "=&r"(fail) : "r"(p) : "memory");
}

static void swap_lock_acquire(volatile uint32_t *lock)
{
    uint32_t old;

    do {
        asm volatile("amoswap.w.aq %0, %2, (%1)" : "=r"(old) : "r"(lock), "r"(1)
                     : "memory");
    } while (old);
}

static void swap_lock_release(volatile uint32_t *lock)
{
    asm volatile("fence rw, w\n sw zero, (%0)" : : "r"(lock) : "memory");
}

static void lrsc_lock_acquire(volatile uint64_t *lock)
{
    uint64_t tmp, fail;

    asm volatile("1: lr.d.aq %0, (%2)\n"
                 "   bnez %0, 1b\n"
                 "   li %0, 1\n"
                 "   sc.d %1, %0, (%2)\n"
                 "   bnez %1, 1b\n"
                 : "=&r"(tmp), "=&r"(fail) : "r"(lock) : "memory");
}

static void lrsc_lock_release(volatile uint64_t *lock)
{
    asm volatile("fence rw, w\n sd zero, (%0)" : : "r"(lock) : "memory");
}

static void wait_step(uint64_t value)
{
    while (step != value) {
    }
    asm volatile("fence r, rw" : : : "memory");
}

static void set_step(uint64_t value)
{
    asm volatile("fence rw, w" : : : "memory");
    step = value;
}

/*
 * Returns 1 in a0 (li a0, 1; ret); hart 0 patches the li's immediate to 2.
 * Aligned in its own 16 bytes so the patch is one aligned word store.
 */
asm(".text\n"
    ".balign 16\n"
    "patchable:\n"
    ".option push\n"
    ".option norvc\n"
    "    addi a0, zero, 1\n"
    "    jalr zero, 0(ra)\n"
    ".option pop\n");
extern char patchable[];

static uint64_t call_patchable(void)
{
    uint64_t r;

    asm volatile("jalr ra, 0(%1)\n mv %0, a0" : "=r"(r) : "r"(patchable)
                 : "ra", "a0", "memory");
    return r;
}

static void contend(uint64_t hartid)
{
    for (int i = 0; i < ITERATIONS; i++) {
        amoadd_d(&amo_counter_d, 1);
        amoadd_w(&amo_counter_w, 3);
        lrsc_increment(&lrsc_counter);

        swap_lock_acquire(&swap_lock);
        swap_guarded = swap_guarded + 1;
        swap_lock_release(&swap_lock);

        lrsc_lock_acquire(&lrsc_lock);
        lrsc_guarded = lrsc_guarded + 1;
        lrsc_lock_release(&lrsc_lock);
    }
    amoor_d(&amo_bits, 1ULL << hartid);
    amoadd_d(&finished, 1);
}

/* Hart 1: the reservation and FENCE.I halves of the handshakes, then contention. */
void secondary_main(uint64_t hartid)
{
    uint64_t value, fail;

    if (hartid != 1) {
        for (;;) {
            asm volatile("wfi");
        }
    }
    /* LR, let hart 0 store a different value, then SC: it must fail. */
    asm volatile("lr.d %0, (%1)" : "=r"(value) : "r"(&reserved_cell) : "memory");
    set_step(1);
    wait_step(2);
    asm volatile("sc.d %0, %2, (%1)" : "=r"(fail) : "r"(&reserved_cell), "r"(value + 100)
                 : "memory");
    sc_failed_after_remote_store = fail != 0;

    /* Run the code (decoding it), let hart 0 patch it, FENCE.I, run it again. */
    for (int i = 0; i < 100; i++) {
        call_patchable();
    }
    set_step(3);
    wait_step(4);
    asm volatile("fence.i" : : : "memory");
    patched_result = call_patchable();
    set_step(5);

    contend(hartid);
    for (;;) {
        asm volatile("wfi");
    }
}

int main(void)
{
    uint32_t insn;

    reserved_cell = 7;
    asm volatile("fence rw, rw" : : : "memory");
    smp_release = 1;

    wait_step(1);
    reserved_cell = 8;
    set_step(2);

    wait_step(3);
    /* addi a0, zero, 1 -> addi a0, zero, 2: the immediate is bits 31:20. */
    memcpy(&insn, patchable, 4);
    insn = (insn & 0xfffff) | (2u << 20);
    *(volatile uint32_t *)patchable = insn;
    set_step(4);
    wait_step(5);

    contend(0);
    while (finished != NHARTS) {
    }
    asm volatile("fence r, rw" : : : "memory");

    section("cross-hart handshakes");
    check("sc after remote store fails", sc_failed_after_remote_store, 1);
    check("reserved cell keeps the remote store", reserved_cell, 8);
    check("patched code after fence.i", patched_result, 2);
    section("contention");
    check("amoadd.d counter", amo_counter_d, (uint64_t)NHARTS * ITERATIONS);
    check("amoadd.w counter", amo_counter_w, (uint32_t)(3 * NHARTS * ITERATIONS));
    check("amoor bits", amo_bits, (1 << NHARTS) - 1);
    check("lr/sc counter", lrsc_counter, (uint64_t)NHARTS * ITERATIONS);
    check("amoswap lock counter", swap_guarded, (uint64_t)NHARTS * ITERATIONS);
    check("lr/sc lock counter", lrsc_guarded, (uint64_t)NHARTS * ITERATIONS);
    return report();
}
