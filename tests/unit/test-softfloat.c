/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Soft-float unit tests: the corners RISC-V F/D pins down (rounding on ties
 * in all five modes, underflow with tininess after rounding, overflow per
 * mode, single rounding in FMA, conversion saturation, minimumNumber/
 * maximumNumber, canonical NaNs), then a randomised cross-check against the
 * host's IEEE arithmetic for the four modes it has (x86-64 SSE, like RISC-V,
 * detects tininess after rounding, so even UF must agree).
 */
#include "qemu/osdep.h"
#include "fpu/softfloat.h"
#include <fenv.h>
#include <math.h>

enum { RNE, RTZ, RDN, RUP, RMM };
#define NX float_flag_inexact
#define UF float_flag_underflow
#define OF float_flag_overflow
#define DZ float_flag_divbyzero
#define NV float_flag_invalid

#define F32_ONE 0x3f800000u
#define F32_MAX 0x7f7fffffu
#define F32_INF 0x7f800000u
#define F32_SNAN 0x7f800001u
#define F32_QNAN_PAYLOAD 0x7fc12345u
#define F64_ONE 0x3ff0000000000000ull
#define F64_INF 0x7ff0000000000000ull
#define F64_SNAN 0x7ff0000000000001ull

static FloatStatus st(int rmode)
{
    return (FloatStatus){ .rounding_mode = rmode, .flags = 0 };
}

static uint32_t f2u(float f)
{
    uint32_t u;

    memcpy(&u, &f, 4);
    return u;
}

static uint64_t d2u(double d)
{
    uint64_t u;

    memcpy(&u, &d, 8);
    return u;
}

static float u2f(uint32_t u)
{
    float f;

    memcpy(&f, &u, 4);
    return f;
}

static double u2d(uint64_t u)
{
    double d;

    memcpy(&d, &u, 8);
    return d;
}

/* 1 + 2^-24 is a tie between 1 and the next float; 1 + 3 * 2^-24 a tie over an odd lsb */
static void test_halfway_ties(void)
{
    static const struct {
        int rmode;
        uint32_t even_tie, odd_tie, neg_even_tie;
    } cases[] = {
        { RNE, 0x3f800000, 0x3f800002, 0xbf800000 },
        { RTZ, 0x3f800000, 0x3f800001, 0xbf800000 },
        { RDN, 0x3f800000, 0x3f800001, 0xbf800001 },
        { RUP, 0x3f800001, 0x3f800002, 0xbf800000 },
        { RMM, 0x3f800001, 0x3f800002, 0xbf800001 },
    };
    uint32_t half_ulp = 0x33800000;         /* 2^-24 */
    uint32_t three_half_ulps = 0x34400000;  /* 3 * 2^-24 */

    for (int i = 0; i < ARRAY_SIZE(cases); i++) {
        FloatStatus s = st(cases[i].rmode);

        g_assert_cmphex(float32_add(F32_ONE, half_ulp, &s), ==, cases[i].even_tie);
        g_assert_cmphex(s.flags, ==, NX);
        g_assert_cmphex(float32_add(F32_ONE, three_half_ulps, &s), ==, cases[i].odd_tie);
        g_assert_cmphex(float32_sub(0xbf800000, half_ulp, &s), ==, cases[i].neg_even_tie);
        g_assert_cmphex(s.flags, ==, NX);
    }
    /* Double: 1 + 2^-53 ties; RMM goes away from zero, RNE to even. */
    FloatStatus s = st(RMM);
    g_assert_cmphex(float64_add(F64_ONE, 0x3ca0000000000000ull, &s), ==,
                    0x3ff0000000000001ull);
    s = st(RNE);
    g_assert_cmphex(float64_add(F64_ONE, 0x3ca0000000000000ull, &s), ==, F64_ONE);
    /* fcvt.w on 2.5 and -2.5: RMM away from zero, RNE to even. */
    s = st(RMM);
    g_assert_cmpint(float64_to_int32(d2u(2.5), &s), ==, 3);
    g_assert_cmpint(float64_to_int32(d2u(-2.5), &s), ==, -3);
    s = st(RNE);
    g_assert_cmpint(float64_to_int32(d2u(2.5), &s), ==, 2);
    g_assert_cmpint(float64_to_int32(d2u(-2.5), &s), ==, -2);
    g_assert_cmphex(s.flags, ==, NX);
}

/* Underflow is signalled when the result is tiny AFTER rounding and inexact. */
static void test_underflow_after_rounding(void)
{
    /* 2^-126 * (1 - 2^-25): rounds to 2^-126 even at full precision: not tiny. */
    double just_below = ldexp(1.0 - ldexp(1, -25), -126);
    /* 2^-126 * (1 - 2^-24): representable with 24 bits, so tiny, but not as subnormal. */
    double tie_below = ldexp(1.0 - ldexp(1, -24), -126);
    FloatStatus s = st(RNE);

    g_assert_cmphex(float64_to_float32(d2u(just_below), &s), ==, 0x00800000);
    g_assert_cmphex(s.flags, ==, NX);
    s = st(RNE);
    g_assert_cmphex(float64_to_float32(d2u(tie_below), &s), ==, 0x00800000);
    g_assert_cmphex(s.flags, ==, NX | UF);
    s = st(RTZ);
    g_assert_cmphex(float64_to_float32(d2u(just_below), &s), ==, 0x007fffff);
    g_assert_cmphex(s.flags, ==, NX | UF);
    s = st(RMM);
    g_assert_cmphex(float64_to_float32(d2u(tie_below), &s), ==, 0x00800000);
    g_assert_cmphex(s.flags, ==, NX | UF);

    /* An exact subnormal result raises nothing. */
    s = st(RNE);
    g_assert_cmphex(float32_mul(0x00000003, F32_ONE, &s), ==, 0x00000003);
    g_assert_cmphex(float64_to_float32(d2u(ldexp(3, -149)), &s), ==, 3);
    g_assert_cmphex(s.flags, ==, 0);

    /* Half the smallest subnormal: RNE to zero, RUP/RMM up, flags UF|NX. */
    uint32_t min_sub = 1;
    uint32_t half = 0x3f000000;
    for (int mode = RNE; mode <= RMM; mode++) {
        s = st(mode);
        uint32_t r = float32_mul(min_sub, half, &s);
        g_assert_cmphex(r, ==, (mode == RUP || mode == RMM) ? 1 : 0);
        g_assert_cmphex(s.flags, ==, NX | UF);
    }
    /* Subnormal operands are exact inputs: 2^-149 + 2^-149 = 2^-148. */
    s = st(RNE);
    g_assert_cmphex(float32_add(1, 1, &s), ==, 2);
    g_assert_cmphex(float64_add(1, 1, &s), ==, 2);
    g_assert_cmphex(s.flags, ==, 0);
}

static void test_overflow_per_mode(void)
{
    static const struct {
        int rmode;
        uint32_t pos, neg;
    } cases[] = {
        { RNE, F32_INF, 0xff800000 }, { RTZ, F32_MAX, 0xff7fffff },
        { RDN, F32_MAX, 0xff800000 }, { RUP, F32_INF, 0xff7fffff },
        { RMM, F32_INF, 0xff800000 },
    };

    for (int i = 0; i < ARRAY_SIZE(cases); i++) {
        FloatStatus s = st(cases[i].rmode);

        g_assert_cmphex(float32_mul(F32_MAX, 0x40000000, &s), ==, cases[i].pos);
        g_assert_cmphex(s.flags, ==, OF | NX);
        g_assert_cmphex(float32_mul(F32_MAX, 0xc0000000, &s), ==, cases[i].neg);
        /* max + half an ulp is a tie that RNE/RMM resolve to overflow. */
        s = st(cases[i].rmode);
        g_assert_cmphex(float64_to_float32(d2u(ldexp(2.0 - ldexp(1, -24), 127)), &s), ==,
                        cases[i].pos);
        /* Only the modes that round it up overflow (IEEE 754 7.4). */
        g_assert_cmphex(s.flags, ==, cases[i].pos == F32_MAX ? NX : OF | NX);
    }
    FloatStatus s = st(RNE);
    g_assert_cmphex(float64_mul(0x7fefffffffffffffull, 0x7fefffffffffffffull, &s), ==,
                    F64_INF);
    g_assert_cmphex(float32_div(F32_ONE, 0, &s), ==, F32_INF);
    g_assert_cmphex(s.flags, ==, OF | NX | DZ);
}

static void test_fma_single_rounding(void)
{
    /* (1 + 2^-30)(1 - 2^-30) - 1 = -2^-60 exactly; a separate mul rounds it to 0. */
    uint64_t a = d2u(1.0 + ldexp(1, -30)), b = d2u(1.0 - ldexp(1, -30));
    FloatStatus s = st(RNE);

    g_assert_cmphex(float64_muladd(a, b, d2u(-1.0), 0, &s), ==, d2u(-ldexp(1, -60)));
    g_assert_cmphex(s.flags, ==, 0);
    g_assert_cmphex(float64_add(float64_mul(a, b, &s), d2u(-1.0), &s), ==, 0);
    s = st(RNE);
    g_assert_cmphex(float32_muladd(f2u(1.0f + 0x1p-12f), f2u(1.0f - 0x1p-12f), f2u(-1.0f),
                                   0, &s), ==, f2u(-0x1p-24f));
    /* fnmadd: -(+0 * 1) - (+0) = -0; fmsub with equal terms gives +0, RDN -0. */
    g_assert_cmphex(float32_muladd(0, F32_ONE, 0, float_muladd_negate_product |
                                   float_muladd_negate_addend, &s), ==, 0x80000000);
    g_assert_cmphex(float32_muladd(F32_ONE, F32_ONE, F32_ONE, float_muladd_negate_addend,
                                   &s), ==, 0);
    s = st(RDN);
    g_assert_cmphex(float32_muladd(F32_ONE, F32_ONE, F32_ONE, float_muladd_negate_addend,
                                   &s), ==, 0x80000000);
    /* inf * 0 + qNaN raises NV (RISC-V F, fused multiply-add). */
    s = st(RNE);
    g_assert_cmphex(float32_muladd(F32_INF, 0, 0x7fc00000, 0, &s), ==,
                    FLOAT32_DEFAULT_NAN);
    g_assert_cmphex(s.flags, ==, NV);
    s = st(RNE);
    g_assert_cmphex(float64_muladd(F64_ONE, F64_ONE, 0x7ff8000000000123ull, 0, &s), ==,
                    FLOAT64_DEFAULT_NAN);
    g_assert_cmphex(s.flags, ==, 0);
    /* inf - inf inside the fma is invalid. */
    g_assert_cmphex(float64_muladd(F64_INF, F64_ONE, F64_INF, float_muladd_negate_addend,
                                   &s), ==, FLOAT64_DEFAULT_NAN);
    g_assert_cmphex(s.flags, ==, NV);
}

static void test_fcvt_saturation(void)
{
    static const struct {
        double in;
        int32_t w;
        uint32_t wu;
        int64_t l;
        uint64_t lu;
        int w_flags, wu_flags, l_flags, lu_flags;
    } cases[] = {
        { NAN, INT32_MAX, UINT32_MAX, INT64_MAX, UINT64_MAX, NV, NV, NV, NV },
        { INFINITY, INT32_MAX, UINT32_MAX, INT64_MAX, UINT64_MAX, NV, NV, NV, NV },
        { -INFINITY, INT32_MIN, 0, INT64_MIN, 0, NV, NV, NV, NV },
        { 0x1p31, INT32_MAX, 0x80000000u, 0x80000000ll, 0x80000000ull, NV, 0, 0, 0 },
        { -0x1p31, INT32_MIN, 0, INT32_MIN, 0, 0, NV, 0, NV },
        { -0x1p31 - 1, INT32_MIN, 0, -0x80000001ll, 0, NV, NV, 0, NV },
        { 0x1p32, INT32_MAX, UINT32_MAX, 0x100000000ll, 0x100000000ull, NV, NV, 0, 0 },
        { 0x1p63, INT32_MAX, UINT32_MAX, INT64_MAX, 1ull << 63, NV, NV, NV, 0 },
        { -0x1p63, INT32_MIN, 0, INT64_MIN, 0, NV, NV, 0, NV },
        { 0x1p64, INT32_MAX, UINT32_MAX, INT64_MAX, UINT64_MAX, NV, NV, NV, NV },
        { -1.0, -1, 0, -1, 0, 0, NV, 0, NV },
        { -0.3, 0, 0, 0, 0, NX, NX, NX, NX },
        { 0.7, 0, 0, 0, 0, NX, NX, NX, NX },
        { 4294967295.5, INT32_MAX, UINT32_MAX, 4294967295ll, 4294967295ull,
          NV, NX, NX, NX },
    };

    for (int i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t in = d2u(cases[i].in);
        FloatStatus s;

        s = st(RTZ);
        g_assert_cmpint(float64_to_int32(in, &s), ==, cases[i].w);
        g_assert_cmphex(s.flags, ==, cases[i].w_flags);
        s = st(RTZ);
        g_assert_cmpuint(float64_to_uint32(in, &s), ==, cases[i].wu);
        g_assert_cmphex(s.flags, ==, cases[i].wu_flags);
        s = st(RTZ);
        g_assert_cmpint(float64_to_int64(in, &s), ==, cases[i].l);
        g_assert_cmphex(s.flags, ==, cases[i].l_flags);
        s = st(RTZ);
        g_assert_cmpuint(float64_to_uint64(in, &s), ==, cases[i].lu);
        g_assert_cmphex(s.flags, ==, cases[i].lu_flags);
    }
    /* -0.7 rounds to -1 under RNE: out of range for unsigned, so NV and 0. */
    FloatStatus s = st(RNE);
    g_assert_cmpuint(float32_to_uint32(f2u(-0.7f), &s), ==, 0);
    g_assert_cmphex(s.flags, ==, NV);
    s = st(RUP);
    g_assert_cmpuint(float32_to_uint64(f2u(-0.7f), &s), ==, 0);
    g_assert_cmphex(s.flags, ==, NX);
    /* float NaN with payload and sNaN also give the max. */
    s = st(RNE);
    g_assert_cmpint(float32_to_int32(0xffc00001, &s), ==, INT32_MAX);
    g_assert_cmpint(float32_to_int64(F32_SNAN, &s), ==, INT64_MAX);
    /* Integer to float rounds: 2^24 + 1 is a tie. */
    s = st(RUP);
    g_assert_cmphex(int64_to_float32((1 << 24) + 1, &s), ==, 0x4b800001);
    g_assert_cmphex(s.flags, ==, NX);
    s = st(RNE);
    g_assert_cmphex(uint64_to_float64(UINT64_MAX, &s), ==, 0x43f0000000000000ull);
    g_assert_cmphex(int64_to_float64(INT64_MIN, &s), ==, 0xc3e0000000000000ull);
    g_assert_cmphex(int64_to_float32(0, &s), ==, 0);
}

static void test_min_max(void)
{
    FloatStatus s = st(RNE);

    g_assert_cmphex(float32_minnum(0x80000000, 0, &s), ==, 0x80000000);
    g_assert_cmphex(float32_minnum(0, 0x80000000, &s), ==, 0x80000000);
    g_assert_cmphex(float32_maxnum(0x80000000, 0, &s), ==, 0);
    g_assert_cmphex(float32_maxnum(0, 0x80000000, &s), ==, 0);
    g_assert_cmphex(float64_minnum(0x8000000000000000ull, 0, &s), ==,
                    0x8000000000000000ull);
    g_assert_cmphex(float32_minnum(F32_QNAN_PAYLOAD, F32_ONE, &s), ==, F32_ONE);
    g_assert_cmphex(float32_maxnum(0xbf800000, 0xc0000000, &s), ==, 0xbf800000);
    g_assert_cmphex(s.flags, ==, 0);
    g_assert_cmphex(float32_maxnum(F32_SNAN, F32_ONE, &s), ==, F32_ONE);
    g_assert_cmphex(s.flags, ==, NV);
    s = st(RNE);
    g_assert_cmphex(float32_maxnum(F32_QNAN_PAYLOAD, F32_QNAN_PAYLOAD, &s), ==,
                    FLOAT32_DEFAULT_NAN);
    g_assert_cmphex(s.flags, ==, 0);
    g_assert_cmphex(float64_minnum(F64_SNAN, F64_SNAN, &s), ==, FLOAT64_DEFAULT_NAN);
    g_assert_cmphex(s.flags, ==, NV);
}

static void test_compare(void)
{
    FloatStatus s = st(RNE);

    g_assert_true(float32_eq_quiet(0x80000000, 0, &s));
    g_assert_false(float32_lt(0x80000000, 0, &s));
    g_assert_true(float32_le(0x80000000, 0, &s));
    g_assert_true(float64_lt(d2u(-2.0), d2u(-1.0), &s));
    g_assert_false(float32_eq_quiet(F32_QNAN_PAYLOAD, F32_QNAN_PAYLOAD, &s));
    g_assert_cmphex(s.flags, ==, 0);
    g_assert_false(float32_lt(F32_QNAN_PAYLOAD, F32_ONE, &s));
    g_assert_cmphex(s.flags, ==, NV);
    s = st(RNE);
    g_assert_false(float64_eq_quiet(F64_SNAN, F64_ONE, &s));
    g_assert_cmphex(s.flags, ==, NV);
}

static void test_canonical_nan_and_classify(void)
{
    FloatStatus s = st(RNE);

    g_assert_cmphex(float32_mul(F32_INF, 0, &s), ==, FLOAT32_DEFAULT_NAN);
    g_assert_cmphex(float32_sub(F32_INF, F32_INF, &s), ==, FLOAT32_DEFAULT_NAN);
    g_assert_cmphex(float64_sqrt(d2u(-1.0), &s), ==, FLOAT64_DEFAULT_NAN);
    g_assert_cmphex(float64_div(0, 0, &s), ==, FLOAT64_DEFAULT_NAN);
    g_assert_cmphex(s.flags, ==, NV);
    s = st(RNE);
    g_assert_cmphex(float32_add(F32_QNAN_PAYLOAD, F32_ONE, &s), ==, FLOAT32_DEFAULT_NAN);
    g_assert_cmphex(float32_to_float64(0xffc12345, &s), ==, FLOAT64_DEFAULT_NAN);
    g_assert_cmphex(float64_to_float32(0xfff8000000000123ull, &s), ==,
                    FLOAT32_DEFAULT_NAN);
    g_assert_cmphex(float64_sqrt(0x8000000000000000ull, &s), ==, 0x8000000000000000ull);
    g_assert_cmphex(s.flags, ==, 0);
    g_assert_cmphex(float32_to_float64(F32_SNAN, &s), ==, FLOAT64_DEFAULT_NAN);
    g_assert_cmphex(s.flags, ==, NV);

    g_assert_cmphex(float32_classify(0xff800000), ==, FCLASS_NEG_INF);
    g_assert_cmphex(float32_classify(0xbf800000), ==, FCLASS_NEG_NORMAL);
    g_assert_cmphex(float32_classify(0x80000001), ==, FCLASS_NEG_SUBNORMAL);
    g_assert_cmphex(float32_classify(0x80000000), ==, FCLASS_NEG_ZERO);
    g_assert_cmphex(float32_classify(0), ==, FCLASS_POS_ZERO);
    g_assert_cmphex(float32_classify(0x007fffff), ==, FCLASS_POS_SUBNORMAL);
    g_assert_cmphex(float32_classify(F32_ONE), ==, FCLASS_POS_NORMAL);
    g_assert_cmphex(float32_classify(F32_INF), ==, FCLASS_POS_INF);
    g_assert_cmphex(float32_classify(F32_SNAN), ==, FCLASS_SNAN);
    g_assert_cmphex(float64_classify(FLOAT64_DEFAULT_NAN), ==, FCLASS_QNAN);
    g_assert_cmphex(float64_classify(1), ==, FCLASS_POS_SUBNORMAL);
}

/* ---- randomised cross-check against the host ---- */

static const int host_modes[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD };

static int host_flags(void)
{
    int e = fetestexcept(FE_ALL_EXCEPT), f = 0;

    f |= e & FE_INEXACT ? NX : 0;
    f |= e & FE_UNDERFLOW ? UF : 0;
    f |= e & FE_OVERFLOW ? OF : 0;
    f |= e & FE_DIVBYZERO ? DZ : 0;
    f |= e & FE_INVALID ? NV : 0;
    return f;
}

/* Random encodings biased towards the interesting exponents and significands. */
static uint64_t random_bits(GRand *rng, int frac_bits, int exp_max)
{
    uint64_t frac = ((uint64_t)g_rand_int(rng) << 32 | g_rand_int(rng)) &
                    ((1ull << frac_bits) - 1);
    int bias = exp_max / 2;
    int exp;

    switch (g_rand_int_range(rng, 0, 8)) {
    case 0: exp = g_rand_int_range(rng, 0, 3); break;
    case 1: exp = g_rand_int_range(rng, exp_max - 2, exp_max + 1); break;
    case 2: exp = g_rand_int_range(rng, 0, exp_max + 1); break;
    default: exp = bias + g_rand_int_range(rng, -30, 30); break;
    }
    switch (g_rand_int_range(rng, 0, 6)) {
    case 0: frac = 0; break;
    case 1: frac |= (1ull << frac_bits) - 1 - 0xf; break;
    case 2: frac &= 0xff00000000000fffull; break;
    default: break;
    }
    return (uint64_t)g_rand_boolean(rng) << (frac_bits + (exp_max == 0xff ? 8 : 11)) |
           (uint64_t)exp << frac_bits | frac;
}

typedef enum {
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_FMA, OP_CVT, OP_TO_INT, OP_COUNT
} RandOp;

/* Compare results bit for bit, except that any host NaN matches the canonical NaN. */
static void check_same(const char *what, int op, int mode, uint64_t a, uint64_t b,
                       uint64_t c, uint64_t mine, int my_flags, uint64_t host, int hflags,
                       bool host_nan, uint64_t canonical)
{
    if ((host_nan ? mine == canonical : mine == host) && my_flags == hflags) {
        return;
    }
    g_test_message("%s op %d mode %d: a=%" PRIx64 " b=%" PRIx64 " c=%" PRIx64
                   " soft=%" PRIx64 "/%x host=%" PRIx64 "/%x", what, op, mode, a, b, c,
                   mine, my_flags, host, hflags);
    g_test_fail();
}

static void random_f64(GRand *rng, int mode, RandOp op)
{
    uint64_t a = random_bits(rng, 52, 0x7ff), b = random_bits(rng, 52, 0x7ff);
    uint64_t c = random_bits(rng, 52, 0x7ff);
    volatile double x = u2d(a), y = u2d(b), z = u2d(c);
    FloatStatus s = st(mode);
    uint64_t mine, host;
    volatile double r;

    fesetround(host_modes[mode]);
    feclearexcept(FE_ALL_EXCEPT);
    switch (op) {
    case OP_ADD: r = x + y; mine = float64_add(a, b, &s); break;
    case OP_SUB: r = x - y; mine = float64_sub(a, b, &s); break;
    case OP_MUL: r = x * y; mine = float64_mul(a, b, &s); break;
    case OP_DIV: r = x / y; mine = float64_div(a, b, &s); break;
    case OP_SQRT: r = sqrt(x); mine = float64_sqrt(a, &s); break;
    case OP_FMA: r = fma(x, y, z); mine = float64_muladd(a, b, c, 0, &s); break;
    case OP_TO_INT: {
        /* In range only: llrint's out-of-range result is unspecified. */
        if (isnan(x) || fabs(x) >= 0x1p62) {
            fesetround(FE_TONEAREST);
            return;
        }
        volatile long long i = llrint(x);
        int flags = host_flags();

        fesetround(FE_TONEAREST);
        mine = float64_to_int64(a, &s);
        check_same("f64->i64", op, mode, a, 0, 0, mine, s.flags, i, flags, false, 0);
        return;
    }
    default: {
        volatile float f = (float)x;
        int flags = host_flags();

        host = f2u(f);
        fesetround(FE_TONEAREST);
        mine = float64_to_float32(a, &s);
        check_same("f64->f32", op, mode, a, 0, 0, mine, s.flags, host, flags, f != f,
                   FLOAT32_DEFAULT_NAN);
        return;
    }
    }
    host = d2u(r);
    int flags = host_flags();
    fesetround(FE_TONEAREST);
    if (op == OP_FMA && isnan(z) && ((isinf(x) && y == 0) || (x == 0 && isinf(y)))) {
        flags |= NV;    /* RISC-V requires NV for inf * 0 + qNaN; x86 does not raise it */
    }
    check_same("f64", op, mode, a, b, c, mine, s.flags, host, flags, r != r,
               FLOAT64_DEFAULT_NAN);
}

static void random_f32(GRand *rng, int mode, RandOp op)
{
    uint32_t a = random_bits(rng, 23, 0xff), b = random_bits(rng, 23, 0xff);
    uint32_t c = random_bits(rng, 23, 0xff);
    volatile float x = u2f(a), y = u2f(b), z = u2f(c);
    FloatStatus s = st(mode);
    uint32_t mine;
    volatile float r;

    fesetround(host_modes[mode]);
    feclearexcept(FE_ALL_EXCEPT);
    switch (op) {
    case OP_ADD: r = x + y; mine = float32_add(a, b, &s); break;
    case OP_SUB: r = x - y; mine = float32_sub(a, b, &s); break;
    case OP_MUL: r = x * y; mine = float32_mul(a, b, &s); break;
    case OP_DIV: r = x / y; mine = float32_div(a, b, &s); break;
    case OP_SQRT: r = sqrtf(x); mine = float32_sqrt(a, &s); break;
    case OP_FMA: r = fmaf(x, y, z); mine = float32_muladd(a, b, c, 0, &s); break;
    case OP_TO_INT:
        if (isnan(x) || fabsf(x) >= 0x1p30f) {
            fesetround(FE_TONEAREST);
            return;
        }
        r = (float)lrintf(x);   /* compare the integer through an exact float */
        mine = float32_to_int32(a, &s);
        mine = int64_to_float32((int32_t)mine, &(FloatStatus){ 0, 0 });
        break;
    default: {
        volatile int64_t i = (int64_t)((uint64_t)a << 32 | b);
        r = (float)i;
        mine = int64_to_float32(i, &s);
        break;
    }
    }
    int flags = host_flags();
    fesetround(FE_TONEAREST);
    if (op == OP_FMA && isnan(z) && ((isinf(x) && y == 0) || (x == 0 && isinf(y)))) {
        flags |= NV;
    }
    check_same("f32", op, mode, a, b, c, mine, s.flags, f2u(r), flags, r != r,
               FLOAT32_DEFAULT_NAN);
}

static void test_random_vs_host(void)
{
    GRand *rng = g_rand_new_with_seed(0x5eed);
    int iterations = g_test_slow() ? 400000 : 40000;

    for (int op = 0; op < OP_COUNT; op++) {
        for (int mode = RNE; mode <= RUP; mode++) {
            for (int i = 0; i < iterations; i++) {
                random_f64(rng, mode, op);
                random_f32(rng, mode, op);
            }
        }
    }
    g_rand_free(rng);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/softfloat/halfway-ties", test_halfway_ties);
    g_test_add_func("/softfloat/underflow-after-rounding", test_underflow_after_rounding);
    g_test_add_func("/softfloat/overflow-per-mode", test_overflow_per_mode);
    g_test_add_func("/softfloat/fma-single-rounding", test_fma_single_rounding);
    g_test_add_func("/softfloat/fcvt-saturation", test_fcvt_saturation);
    g_test_add_func("/softfloat/min-max", test_min_max);
    g_test_add_func("/softfloat/compare", test_compare);
    g_test_add_func("/softfloat/canonical-nan-classify", test_canonical_nan_and_classify);
    g_test_add_func("/softfloat/random-vs-host", test_random_vs_host);
    return g_test_run();
}
