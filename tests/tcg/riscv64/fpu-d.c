/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * D extension corner cases (unprivileged spec ch. 12): rounding, canonical NaN,
 * conversions to and from singles and integers with saturation, fclass.d,
 * fmin/fmax with signalling NaNs, fused multiply-add with one rounding.
 */
#include "fpu.h"

#define D_ONE       0x3ff0000000000000UL
#define D_TWO       0x4000000000000000UL
#define D_THREE     0x4008000000000000UL
#define D_ULP_53    0x3ca0000000000000UL    /* 2^-53 */
#define D_INF       0x7ff0000000000000UL
#define D_NEG_INF   0xfff0000000000000UL
#define D_CANON_NAN 0x7ff8000000000000UL
#define D_SNAN      0x7ff0000000000001UL
#define D_NEG_ZERO  0x8000000000000000UL

#define D2(insn, a, b) F_OP2(insn, "fmv.d.x", "fmv.x.d", a, b)
#define D2_RM(insn, rm, a, b) F_OP2_T(insn, ", " rm, "fmv.d.x", "fmv.x.d", a, b)
#define D3(insn, a, b, c) F_OP3(insn, "fmv.d.x", "fmv.x.d", a, b, c)
#define D_TO_X(insn, a) F_TO_X(insn, "fmv.d.x", a)
#define D_TO_X_RM(insn, rm, a) F_TO_X_T(insn, ", " rm, "fmv.d.x", a)

void test_double(void)
{
    section("double rounding");
    fcheck("fadd.d rne", D2("fadd.d", D_ONE, D_ULP_53), D_ONE, NX);
    fcheck("fadd.d rup", D2_RM("fadd.d", "rup", D_ONE, D_ULP_53), D_ONE + 1, NX);
    fcheck("fadd.d rmm", D2_RM("fadd.d", "rmm", D_ONE, D_ULP_53), D_ONE + 1, NX);
    fcheck("fadd.d rdn", D2_RM("fadd.d", "rdn", D_ONE, D_ULP_53), D_ONE, NX);
    fcheck("fdiv.d 1/3 rtz", D2_RM("fdiv.d", "rtz", D_ONE, D_THREE), 0x3fd5555555555555UL, NX);
    fcheck("fdiv.d 2/3 rne", D2("fdiv.d", D_TWO, D_THREE), 0x3fe5555555555555UL, NX);
    fcheck("fdiv.d 2/3 rup", D2_RM("fdiv.d", "rup", D_TWO, D_THREE),
           0x3fe5555555555556UL, NX);
    fcheck("fsqrt.d 2", F_TO_F_T("fsqrt.d", "", "fmv.d.x", "fmv.x.d", D_TWO),
           0x3ff6a09e667f3bcdUL, NX);
    fcheck("fsqrt.d -inf", F_TO_F_T("fsqrt.d", "", "fmv.d.x", "fmv.x.d", D_NEG_INF),
           D_CANON_NAN, NV);
    fcheck("fdiv.d 0/0", D2("fdiv.d", 0, 0), D_CANON_NAN, NV);
    fcheck("fmul.d overflow", D2("fmul.d", 0x7fefffffffffffffUL, D_TWO), D_INF, OF | NX);
    fcheck("fmul.d underflow", D2("fmul.d", 0x0010000000000000UL, 0x3fe0000000000001UL),
           0x0008000000000000UL, UF | NX);

    section("double conversions");
    fcheck("fcvt.s.d 1+2^-24 rne", F_TO_F_T("fcvt.s.d", "", "fmv.d.x", "fmv.x.w",
           0x3ff0000010000000UL), 0x3f800000UL, NX);
    fcheck("fcvt.s.d 1+2^-24 rup", F_TO_F_T("fcvt.s.d", ", rup", "fmv.d.x", "fmv.x.w",
           0x3ff0000010000000UL), 0x3f800001UL, NX);
    fcheck("fcvt.s.d overflow", F_TO_F_T("fcvt.s.d", "", "fmv.d.x", "fmv.x.w",
           0x47f0000000000000UL), 0x7f800000UL, OF | NX);
    fcheck("fcvt.s.d sNaN", F_TO_F_T("fcvt.s.d", "", "fmv.d.x", "fmv.x.w", D_SNAN),
           0x7fc00000UL, NV);
    fcheck("fcvt.d.s sNaN", F_TO_F_T("fcvt.d.s", "", "fmv.w.x", "fmv.x.d", 0x7f800001UL),
           D_CANON_NAN, NV);
    fcheck("fcvt.d.s unboxed", F_TO_F_T("fcvt.d.s", "", "fmv.d.x", "fmv.x.d", 0x3f800000UL),
           D_CANON_NAN, 0);
    fcheck("fcvt.d.s -0", F_TO_F_T("fcvt.d.s", "", "fmv.w.x", "fmv.x.d", 0x80000000UL),
           D_NEG_ZERO, 0);
    fcheck("fcvt.w.d 2^31-0.5 rne", D_TO_X("fcvt.w.d", 0x41dfffffffe00000UL),
           0x7fffffff, NV);
    fcheck("fcvt.w.d 2^31-0.5 rtz", D_TO_X_RM("fcvt.w.d", "rtz", 0x41dfffffffe00000UL),
           0x7fffffff, NX);
    fcheck("fcvt.w.d -2^31-0.5 rtz", D_TO_X_RM("fcvt.w.d", "rtz", 0xc1e0000000100000UL),
           0xffffffff80000000UL, NX);
    fcheck("fcvt.w.d -2^31-1", D_TO_X("fcvt.w.d", 0xc1e0000000200000UL),
           0xffffffff80000000UL, NV);
    fcheck("fcvt.wu.d 2^32", D_TO_X("fcvt.wu.d", 0x41f0000000000000UL), -1L, NV);
    fcheck("fcvt.l.d 2^63", D_TO_X("fcvt.l.d", 0x43e0000000000000UL),
           0x7fffffffffffffffUL, NV);
    fcheck("fcvt.l.d -2^63", D_TO_X("fcvt.l.d", 0xc3e0000000000000UL),
           0x8000000000000000UL, 0);
    fcheck("fcvt.lu.d 2^64", D_TO_X("fcvt.lu.d", 0x43f0000000000000UL), -1L, NV);
    fcheck("fcvt.lu.d -0.9 rtz", D_TO_X_RM("fcvt.lu.d", "rtz", 0xbfeccccccccccccdUL), 0, NX);
    fcheck("fcvt.lu.d NaN", D_TO_X("fcvt.lu.d", D_CANON_NAN), -1L, NV);
    fcheck("fcvt.d.l min", X_TO_F_T("fcvt.d.l", "", "fmv.x.d", 0x8000000000000000UL),
           0xc3e0000000000000UL, 0);
    fcheck("fcvt.d.lu 2^64-1", X_TO_F_T("fcvt.d.lu", "", "fmv.x.d", -1L),
           0x43f0000000000000UL, NX);
    fcheck("fcvt.d.lu 2^64-1 rtz", X_TO_F_T("fcvt.d.lu", ", rtz", "fmv.x.d", -1L),
           0x43efffffffffffffUL, NX);
    fcheck("fcvt.d.wu", X_TO_F_T("fcvt.d.wu", "", "fmv.x.d", 0xffffffffffffffffUL),
           0x41efffffffe00000UL, 0);
    fcheck("fcvt.d.w", X_TO_F_T("fcvt.d.w", "", "fmv.x.d", 0x00000000ffffffffUL),
           0xbff0000000000000UL, 0);

    section("double class/min/max/fma");
    check("fclass.d -sub", D_TO_X("fclass.d", 0x800fffffffffffffUL), 1 << 2);
    check("fclass.d sNaN", D_TO_X("fclass.d", D_SNAN), 1 << 8);
    check("fclass.d qNaN", D_TO_X("fclass.d", D_CANON_NAN), 1 << 9);
    check("fclass.d -0", D_TO_X("fclass.d", D_NEG_ZERO), 1 << 3);
    check("fclass.d +inf", D_TO_X("fclass.d", D_INF), 1 << 7);
    fcheck("fmin.d(sNaN,2)", D2("fmin.d", D_SNAN, D_TWO), D_TWO, NV);
    fcheck("fmax.d(+0,-0)", D2("fmax.d", 0, D_NEG_ZERO), 0, 0);
    fcheck("fmin.d(+0,-0)", D2("fmin.d", 0, D_NEG_ZERO), D_NEG_ZERO, 0);
    fcheck("fmax.d(NaN,NaN)", D2("fmax.d", D_SNAN, 0x7ff8000000000123UL), D_CANON_NAN, NV);
    fcheck("flt.d(sNaN)", F_CMP("flt.d", "fmv.d.x", D_SNAN, D_ONE), 0, NV);
    fcheck("feq.d(qNaN)", F_CMP("feq.d", "fmv.d.x", D_CANON_NAN, D_ONE), 0, 0);
    /* (1+2^-52)(1-2^-53) - 1 = 2^-53 - 2^-105: exact only with a single rounding. */
    fcheck("fmadd.d single rounding", D3("fmadd.d", D_ONE + 1, 0x3fefffffffffffffUL,
           0xbff0000000000000UL), 0x3c9ffffffffffffeUL, 0);
    fcheck("fnmadd.d", D3("fnmadd.d", D_TWO, D_THREE, D_ONE), 0xc01c000000000000UL, 0);
    fcheck("fmsub.d", D3("fmsub.d", D_TWO, D_THREE, D_ONE), 0x4014000000000000UL, 0);
    fcheck("fnmsub.d", D3("fnmsub.d", D_TWO, D_THREE, D_ONE), 0xc014000000000000UL, 0);
    fcheck("fmadd.d 0*inf+qNaN", D3("fmadd.d", 0, D_INF, 0x7ff8000000000001UL),
           D_CANON_NAN, NV);
}
