/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * F extension corner cases (unprivileged spec ch. 11): the five rounding modes
 * (static and through frm), invalid frm, fflags for every exception, canonical
 * NaN results, NaN boxing (improperly boxed inputs read as the canonical NaN),
 * fcvt saturation, fclass, fmin/fmax with signalling NaNs and signed zeros,
 * comparisons' signalling rules, single-rounding fused multiply-add, and
 * mstatus.FS dirty tracking.  fpu-d.c holds the D tests.
 */
#include "fpu.h"

#define ONE         0x3f800000UL
#define TWO         0x40000000UL
#define ULP_24      0x33800000UL    /* 2^-24: half an ulp of 1.0 */
#define FLT_MAX     0x7f7fffffUL
#define PLUS_INF    0x7f800000UL
#define MINUS_INF   0xff800000UL
#define CANON_NAN   0x7fc00000UL
#define SNAN        0x7f800001UL
#define QNAN_PAYLOAD 0x7fc12345UL
#define MINUS_ZERO  0x80000000UL
#define BOXED(x)    (0xffffffff00000000UL | (x))

uint64_t fp_flags;

void fcheck(const char *name, uint64_t got, uint64_t expected, uint64_t expected_flags)
{
    uint64_t flags = fp_flags;

    check(name, got, expected);
    check("  fflags", flags, expected_flags);
}

#define S2(insn, a, b) F_OP2(insn, "fmv.w.x", "fmv.x.w", a, b)
#define S2_RM(insn, rm, a, b) F_OP2_T(insn, ", " rm, "fmv.w.x", "fmv.x.w", a, b)
#define S_TO_X_RM(insn, rm, a) F_TO_X_T(insn, ", " rm, "fmv.w.x", a)
#define S_TO_S(insn, a) F_TO_F_T(insn, "", "fmv.w.x", "fmv.x.w", a)
#define S3(insn, a, b, c) F_OP3(insn, "fmv.w.x", "fmv.x.w", a, b, c)
#define S_TO_X(insn, a) F_TO_X(insn, "fmv.w.x", a)
#define S_CMP(insn, a, b) F_CMP(insn, "fmv.w.x", a, b)
#define SEXT32(x) ((uint64_t)(int64_t)(int32_t)(x))

static void test_rounding(void)
{
    section("rounding modes");
    fcheck("fadd.s rne", S2("fadd.s", ONE, ULP_24), SEXT32(ONE), NX);
    fcheck("fadd.s rtz", S2_RM("fadd.s", "rtz", ONE, ULP_24), SEXT32(ONE), NX);
    fcheck("fadd.s rdn", S2_RM("fadd.s", "rdn", ONE, ULP_24),
           SEXT32(ONE), NX);
    fcheck("fadd.s rup", S2_RM("fadd.s", "rup", ONE, ULP_24),
           SEXT32(ONE + 1), NX);
    fcheck("fadd.s rmm", S2_RM("fadd.s", "rmm", ONE, ULP_24),
           SEXT32(ONE + 1), NX);
    /* 1 + 3*2^-24 is halfway between 1+2^-23 and 1+2^-22: RNE picks the even one. */
    fcheck("fadd.s rne tie to even", S2("fadd.s", ONE, 0x34400000UL), SEXT32(ONE + 2), NX);
    fcheck("fsub.s rdn -> -0", S2_RM("fsub.s", "rdn", ONE, ONE),
           SEXT32(MINUS_ZERO), 0);
    fcheck("fsub.s rne -> +0", S2("fsub.s", ONE, ONE), 0, 0);

    /* Dynamic rounding from frm. */
    write_csr(frm, 3);     /* RUP */
    fcheck("frm=rup fadd.s", S2("fadd.s", ONE, ULP_24), SEXT32(ONE + 1), NX);
    write_csr(frm, 1);     /* RTZ */
    fcheck("frm=rtz fdiv.s 2/3", S2("fdiv.s", TWO, 0x40400000UL), 0x3f2aaaaaUL, NX);
    write_csr(frm, 0);
    fcheck("frm=rne fdiv.s 2/3", S2("fdiv.s", TWO, 0x40400000UL), 0x3f2aaaabUL, NX);
    write_csr(fcsr, 0xff);
    check("fcsr layout", read_csr(fcsr), 0xff);
    check("frm from fcsr", read_csr(frm), 7);
    check("fflags from fcsr", read_csr(fflags), 0x1f);

    /* frm = 7 (reserved) with a dynamic-rounding instruction: illegal (11.2). */
    expect_m_trap();
    asm volatile("fadd.s ft0, ft1, ft2" ::: "ft0");
    check("dyn rm with frm=7: cause", m_trap.cause, CAUSE_ILLEGAL_INSN);
    write_csr(fcsr, 0);
    expect_m_trap();
    asm volatile(".word 0x002081d3" ::: "memory");   /* fadd.s f3, f1, f2, rm=0 */
    check("static rm=0 legal", m_trap.count, 0);
    expect_m_trap();
    asm volatile(".word 0x0020d1d3" ::: "memory");   /* fadd.s f3, f1, f2, rm=5 */
    check("static rm=5: cause", m_trap.cause, CAUSE_ILLEGAL_INSN);
    check("  tval", m_trap.tval, 0x0020d1d3);
}

static void test_exceptions(void)
{
    section("exception flags");
    fcheck("1/0", S2("fdiv.s", ONE, 0), SEXT32(PLUS_INF), DZ);
    fcheck("-1/0", S2("fdiv.s", 0xbf800000UL, 0), SEXT32(MINUS_INF), DZ);
    fcheck("0/0", S2("fdiv.s", 0, 0), CANON_NAN, NV);
    fcheck("inf-inf", S2("fsub.s", PLUS_INF, PLUS_INF), CANON_NAN, NV);
    fcheck("sqrt(-1)", S_TO_S("fsqrt.s", 0xbf800000UL), CANON_NAN, NV);
    fcheck("sqrt(-0)", S_TO_S("fsqrt.s", MINUS_ZERO),
           SEXT32(MINUS_ZERO), 0);
    fcheck("max*2", S2("fmul.s", FLT_MAX, TWO), SEXT32(PLUS_INF), OF | NX);
    fcheck("max*2 rtz", S2_RM("fmul.s", "rtz", FLT_MAX, TWO),
           SEXT32(FLT_MAX), OF | NX);
    fcheck("tiny*tiny", S2("fmul.s", 0x00800000UL, 0x3f000001UL), 0x00400000UL, UF | NX);
    fcheck("exact subnormal", S2("fmul.s", 0x00800000UL, 0x3f000000UL), 0x00400000UL, 0);
    fcheck("qNaN payload dropped", S2("fadd.s", QNAN_PAYLOAD, ONE), CANON_NAN, 0);
    fcheck("sNaN + 1", S2("fadd.s", SNAN, ONE), CANON_NAN, NV);
}

static void test_nan_boxing(void)
{
    uint64_t bits;

    section("NaN boxing");
    asm volatile("flw ft0, 0(%1)\n fmv.x.d %0, ft0" : "=r"(bits) : "r"(&(uint32_t){ONE})
                 : "ft0");
    check("flw boxes", bits, BOXED(ONE));
    bits = F_OP2("fadd.s", "fmv.d.x", "fmv.x.d", ONE, ONE);
    fcheck("unboxed inputs read as canonical NaN", bits, BOXED(CANON_NAN), 0);
    bits = F_OP2("fadd.s", "fmv.d.x", "fmv.x.d", BOXED(ONE), BOXED(ONE));
    fcheck("boxed inputs", bits, BOXED(TWO), 0);
    bits = F_OP2("fsgnjn.s", "fmv.d.x", "fmv.x.d", 0x00000000bf800000UL, BOXED(ONE));
    fcheck("fsgnjn.s unboxed rs1", bits, BOXED(0xffc00000UL), 0);
    bits = F_TO_X("fmv.x.w", "fmv.d.x", 0x1234567887654321UL);
    check("fmv.x.w takes low bits, sign-extends", bits, 0xffffffff87654321UL);
    bits = F_TO_X("fclass.s", "fmv.d.x", 0x000000003f800000UL);
    check("fclass.s of unboxed: qNaN", bits, 1 << 9);
}

static void test_conversions(void)
{
    section("fcvt saturation");
    fcheck("fcvt.w.s NaN", S_TO_X("fcvt.w.s", CANON_NAN), 0x7fffffff, NV);
    fcheck("fcvt.w.s +inf", S_TO_X("fcvt.w.s", PLUS_INF), 0x7fffffff, NV);
    fcheck("fcvt.w.s -inf", S_TO_X("fcvt.w.s", MINUS_INF), 0xffffffff80000000UL, NV);
    fcheck("fcvt.w.s 3e9", S_TO_X("fcvt.w.s", 0x4f32d05eUL), 0x7fffffff, NV);
    fcheck("fcvt.w.s -2.5 rne", S_TO_X("fcvt.w.s", 0xc0200000UL), -2L, NX);
    fcheck("fcvt.w.s -2.5 rmm", S_TO_X_RM("fcvt.w.s", "rmm", 0xc0200000UL),
           -3L, NX);
    fcheck("fcvt.w.s -2.5 rup", S_TO_X_RM("fcvt.w.s", "rup", 0xc0200000UL),
           -2L, NX);
    fcheck("fcvt.w.s -2.5 rdn", S_TO_X_RM("fcvt.w.s", "rdn", 0xc0200000UL),
           -3L, NX);
    fcheck("fcvt.wu.s -1", S_TO_X("fcvt.wu.s", 0xbf800000UL), 0, NV);
    fcheck("fcvt.wu.s -0.5 rtz", S_TO_X_RM("fcvt.wu.s", "rtz", 0xbf000000UL), 0, NX);
    fcheck("fcvt.wu.s 4e9 sign-extends", S_TO_X("fcvt.wu.s", 0x4f6e6b28UL),
           0xffffffffee6b2800UL, 0);
    fcheck("fcvt.wu.s NaN", S_TO_X("fcvt.wu.s", CANON_NAN), -1L, NV);
    fcheck("fcvt.l.s NaN", S_TO_X("fcvt.l.s", SNAN), 0x7fffffffffffffffUL, NV);
    fcheck("fcvt.l.s -inf", S_TO_X("fcvt.l.s", MINUS_INF), 0x8000000000000000UL, NV);
    fcheck("fcvt.lu.s -inf", S_TO_X("fcvt.lu.s", MINUS_INF), 0, NV);
    fcheck("fcvt.lu.s 2^63", S_TO_X("fcvt.lu.s", 0x5f000000UL), 0x8000000000000000UL, 0);
    fcheck("fcvt.s.w -1", X_TO_F_T("fcvt.s.w", "", "fmv.x.w", -1L), SEXT32(0xbf800000UL), 0);
    fcheck("fcvt.s.wu 0xffffffff", X_TO_F_T("fcvt.s.wu", "", "fmv.x.w", 0xffffffffUL),
           0x4f800000UL, NX);
    fcheck("fcvt.s.l 2^24+1", X_TO_F_T("fcvt.s.l", "", "fmv.x.w", 0x1000001UL), 0x4b800000UL, NX);
    fcheck("fcvt.s.lu max", X_TO_F_T("fcvt.s.lu", "", "fmv.x.w", -1L), 0x5f800000UL, NX);
    fcheck("fcvt.s.w rup 2^24+1", X_TO_F_T("fcvt.s.w", ", rup", "fmv.x.w", 0x1000001UL),
           0x4b800001UL, NX);
}

static void test_classify_minmax(void)
{
    static const struct { uint32_t bits; uint64_t cls; } classes[] = {
        { MINUS_INF, 1 << 0 }, { 0xbf800000, 1 << 1 }, { 0x80000001, 1 << 2 },
        { MINUS_ZERO, 1 << 3 }, { 0, 1 << 4 }, { 0x007fffff, 1 << 5 },
        { ONE, 1 << 6 }, { PLUS_INF, 1 << 7 }, { SNAN, 1 << 8 }, { CANON_NAN, 1 << 9 },
        { 0xffc00000, 1 << 9 }, { 0xff800001, 1 << 8 },
    };

    section("fclass.s");
    for (unsigned i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        print_hex(classes[i].bits);
        check(" class", S_TO_X("fclass.s", classes[i].bits), classes[i].cls);
    }

    section("fmin/fmax");
    fcheck("fmin(+0,-0)", S2("fmin.s", 0, MINUS_ZERO), SEXT32(MINUS_ZERO), 0);
    fcheck("fmin(-0,+0)", S2("fmin.s", MINUS_ZERO, 0), SEXT32(MINUS_ZERO), 0);
    fcheck("fmax(-0,+0)", S2("fmax.s", MINUS_ZERO, 0), 0, 0);
    fcheck("fmin(qNaN,1)", S2("fmin.s", QNAN_PAYLOAD, ONE), ONE, 0);
    fcheck("fmin(sNaN,1)", S2("fmin.s", SNAN, ONE), ONE, NV);
    fcheck("fmax(1,sNaN)", S2("fmax.s", ONE, SNAN), ONE, NV);
    fcheck("fmax(qNaN,qNaN)", S2("fmax.s", QNAN_PAYLOAD, CANON_NAN), CANON_NAN, 0);
    fcheck("fmin(sNaN,sNaN)", S2("fmin.s", SNAN, SNAN), CANON_NAN, NV);

    section("compares");
    fcheck("feq(qNaN,1)", S_CMP("feq.s", QNAN_PAYLOAD, ONE), 0, 0);
    fcheck("feq(sNaN,1)", S_CMP("feq.s", SNAN, ONE), 0, NV);
    fcheck("flt(qNaN,1)", S_CMP("flt.s", QNAN_PAYLOAD, ONE), 0, NV);
    fcheck("fle(-0,+0)", S_CMP("fle.s", MINUS_ZERO, 0), 1, 0);
    fcheck("flt(-0,+0)", S_CMP("flt.s", MINUS_ZERO, 0), 0, 0);
    fcheck("feq(-0,+0)", S_CMP("feq.s", MINUS_ZERO, 0), 1, 0);

    section("sign injection");
    fcheck("fsgnj", S2("fsgnj.s", ONE, MINUS_ZERO), SEXT32(0xbf800000UL), 0);
    fcheck("fsgnjn", S2("fsgnjn.s", ONE, MINUS_ZERO), ONE, 0);
    fcheck("fsgnjx", S2("fsgnjx.s", 0xbf800000UL, MINUS_ZERO), ONE, 0);
    fcheck("fsgnj sNaN quiet", S2("fsgnj.s", SNAN, MINUS_ZERO), SEXT32(0xff800001UL), 0);
}

static void test_fma(void)
{
    section("fused multiply-add");
    /*
     * (1+2^-23)(1-2^-24) - 1 = 2^-24 - 2^-47 exactly; rounding the product first
     * would give 1.0 and a result of 0.
     */
    fcheck("fmadd.s single rounding", S3("fmadd.s", 0x3f800001UL, 0x3f7fffffUL,
           0xbf800000UL), 0x337ffffeUL, 0);
    fcheck("fmsub.s", S3("fmsub.s", TWO, 0x40400000UL, ONE), 0x40a00000UL, 0);
    fcheck("fnmsub.s", S3("fnmsub.s", TWO, 0x40400000UL, ONE), SEXT32(0xc0a00000UL), 0);
    fcheck("fnmadd.s", S3("fnmadd.s", TWO, 0x40400000UL, ONE), SEXT32(0xc0e00000UL), 0);
    fcheck("fmadd.s inf*0+qNaN", S3("fmadd.s", PLUS_INF, 0, QNAN_PAYLOAD), CANON_NAN, NV);
    fcheck("fmadd.s inf-inf", S3("fmadd.s", PLUS_INF, ONE, MINUS_INF), CANON_NAN, NV);
    fcheck("fmadd.s 0*-1+0 = +0", S3("fmadd.s", 0, 0xbf800000UL, 0), 0, 0);
}

static void test_fs_tracking(void)
{
    section("mstatus.FS");
    clear_csr(mstatus, MSTATUS_FS);
    set_csr(mstatus, MSTATUS_FS_INITIAL);
    check("FS initial, SD clear", read_csr(mstatus) >> 63, 0);
    asm volatile("fmv.w.x ft0, zero" ::: "ft0");
    check("FS dirty after FP write", (read_csr(mstatus) & MSTATUS_FS) >> 13, 3);
    check("SD set", read_csr(mstatus) >> 63, 1);
    clear_csr(mstatus, MSTATUS_FS);
    expect_m_trap();
    asm volatile(".word 0xf0000053" ::: "memory");     /* fmv.w.x ft0, zero */
    check("FP op with FS=off: cause", m_trap.cause, CAUSE_ILLEGAL_INSN);
    expect_m_trap();
    asm volatile(".word 0x003027f3" ::: "a5", "memory");    /* csrr a5, fcsr */
    check("fcsr with FS=off: cause", m_trap.cause, CAUSE_ILLEGAL_INSN);
    set_csr(mstatus, MSTATUS_FS_INITIAL);
}

int main(void)
{
    test_rounding();
    test_exceptions();
    test_nan_boxing();
    test_conversions();
    test_classify_minmax();
    test_fma();
    test_double();
    test_fs_tracking();
    return report();
}
