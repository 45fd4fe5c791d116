/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RV64M (unprivileged spec ch. 7): multiplication high parts with every signedness,
 * division and remainder corner cases (division by zero gives all ones / the
 * dividend, signed overflow gives the dividend / zero: table 7.1), and the W-forms,
 * which operate on the low 32 bits and sign-extend the 32-bit result.
 */
#include "insn.h"

#define MIN64 0x8000000000000000UL
#define MIN32 0xffffffff80000000UL

static void test_multiply(void)
{
    section("mul");
    CHECK_RR("mul", 0x100000001UL, 0x100000001UL, 0x200000001UL);
    CHECK_RR("mul", -1L, -1L, 1);
    CHECK_RR("mul", MIN64, -1L, MIN64);
    CHECK_RR("mulh", -1L, -1L, 0);
    CHECK_RR("mulh", MIN64, MIN64, 0x4000000000000000UL);
    CHECK_RR("mulh", MIN64, 2, -1L);
    CHECK_RR("mulh", 0x7fffffffffffffffUL, 0x7fffffffffffffffUL, 0x3fffffffffffffffUL);
    CHECK_RR("mulhu", -1L, -1L, 0xfffffffffffffffeUL);
    CHECK_RR("mulhu", MIN64, 4, 2);
    CHECK_RR("mulhsu", -1L, -1L, -1L);     /* -1 * (2^64 - 1) */
    CHECK_RR("mulhsu", 1, -1L, 0);
    CHECK_RR("mulhsu", MIN64, -1L, 0x8000000000000000UL);
    CHECK_RR("mulw", 0x10000, 0x10000, 0);
    CHECK_RR("mulw", 0x7fffffff, 2, 0xfffffffffffffffeUL);
    CHECK_RR("mulw", 0xabcdef0100000003UL, 0x1234567800000005UL, 15);
    CHECK_RR("mulw", 0x8000, 0x10000, MIN32);
}

static void test_divide(void)
{
    section("div");
    CHECK_RR("div", 20, 6, 3);
    CHECK_RR("div", -20L, 6, -3L);         /* rounds towards zero */
    CHECK_RR("div", 20, -6L, -3L);
    CHECK_RR("div", 20, 0, -1L);
    CHECK_RR("div", MIN64, -1L, MIN64);
    CHECK_RR("divu", -1L, 2, 0x7fffffffffffffffUL);
    CHECK_RR("divu", 20, 0, -1L);
    CHECK_RR("divu", MIN64, -1L, 0);
    CHECK_RR("rem", -20L, 6, -2L);         /* sign of the dividend */
    CHECK_RR("rem", 20, -6L, 2);
    CHECK_RR("rem", 20, 0, 20);
    CHECK_RR("rem", MIN64, -1L, 0);
    CHECK_RR("remu", -1L, 10, 5);
    CHECK_RR("remu", 20, 0, 20);
    CHECK_RR("remu", MIN64, -1L, MIN64);

    section("div w-forms");
    CHECK_RR("divw", 0xffffffff00000014UL, 6, 3);   /* upper halves ignored */
    CHECK_RR("divw", -20L, 6, -3L);
    CHECK_RR("divw", 20, 0, -1L);
    CHECK_RR("divw", 0x80000000UL, 0xffffffffUL, MIN32);
    CHECK_RR("divuw", 0xffffffffUL, 2, 0x7fffffff);
    CHECK_RR("divuw", 0xfffffffeUL, 1, 0xfffffffffffffffeUL);  /* result sign-extends */
    CHECK_RR("divuw", 20, 0x100000000UL, -1L);  /* divisor's low word is 0 */
    CHECK_RR("divuw", 0x80000000UL, 0xffffffffUL, 0);
    CHECK_RR("remw", -20L, 6, -2L);
    CHECK_RR("remw", 0x123456789UL, 0, 0x23456789);
    CHECK_RR("remw", 0x80000000UL, -1L, 0);
    CHECK_RR("remw", 0xfffffffff0000000UL, 0x100000000UL, 0xfffffffff0000000UL);
    CHECK_RR("remuw", 0xffffffffUL, 10, 5);
    CHECK_RR("remuw", 0x80000000UL, 0, MIN32);      /* dividend, sign-extended */
    CHECK_RR("remuw", 0x80000005UL, 0x80000000UL, 5);
}

int main(void)
{
    test_multiply();
    test_divide();
    return report();
}
