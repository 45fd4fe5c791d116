/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Exact minstret / mcycle accounting around CSR writes.  An explicit CSR write
 * overrides the writing instruction's own increment and an explicit read
 * returns the value before the reading instruction retires (unprivileged spec,
 * Zicsr "CSR Access Ordering"; privileged spec "Hardware Performance
 * Monitor"), so csrwi minstret, 0 followed by csrr a0, minstret gives 0, and
 * each instruction in between adds one.  hintvm's mcycle advances with
 * minstret (one cycle per instruction), which the mcycle cases rely on.
 *
 * Run on hintvm alone (run-diff.py --self-check): Debian's QEMU 7.2 without
 * -icount derives both counters from the host's clock, so it gives other,
 * run-dependent values; the spec decides.
 */
#include "runtime.h"

/* @setup writes the counter, @body runs, then a0 = the counter read. */
#define COUNT(csr, setup, body) ({ uint64_t v_; \
    asm volatile(".option push\n .option norvc\n" setup "\n" body "\n" \
                 " csrr %0, " csr "\n .option pop" \
                 : "=r"(v_) :: "t0", "t1", "ft0", "memory"); v_; })

int main(void)
{
    section("minstret");
    check("csrwi 0; csrr", COUNT("minstret", "csrwi minstret, 0", ""), 0);
    check("csrw 100; 2 nops; csrr",
          COUNT("minstret", "li t0, 100\n csrw minstret, t0", "nop\n nop"), 102);
    check("csrrw old value", COUNT("minstret", "csrwi minstret, 7",
                                   "csrrwi t1, minstret, 3\n mv t0, t1\n addi t0, t0, -7\n"
                                   " bnez t0, .+8\n csrwi minstret, 9"), 9);
    /* A straight-line run of chained instructions before the read. */
    check("10 addi", COUNT("minstret", "csrwi minstret, 0",
                           ".rept 10\n addi t0, t0, 1\n .endr"), 10);
    check("taken branch", COUNT("minstret", "csrwi minstret, 0", "j 1f\n 1:"), 1);
    check("loop of 5", COUNT("minstret", "csrwi minstret, 0\n li t0, 5",
                             "1: addi t0, t0, -1\n bnez t0, 1b"), 11);
    check("fp and loads",
          COUNT("minstret", "csrwi minstret, 0",
                "fadd.d ft0, ft0, ft0\n ld t1, 0(sp)\n fmv.x.d t1, ft0"), 3);
    check("csrs adds", COUNT("minstret", "csrwi minstret, 0", "csrsi minstret, 16"), 16);
    check("instret shadow", COUNT("instret", "csrwi minstret, 4", "nop"), 5);

    section("mcycle");
    check("csrwi 0; csrr", COUNT("mcycle", "csrwi mcycle, 0", ""), 0);
    check("csrw 1000; 3 nops; csrr",
          COUNT("mcycle", "li t0, 1000\n csrw mcycle, t0", "nop\n nop\n nop"), 1003);
    check("cycle shadow", COUNT("cycle", "csrwi mcycle, 0", "nop"), 1);
    return report();
}
