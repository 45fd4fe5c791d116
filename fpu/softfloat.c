/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Soft-float arithmetic: rounding, add/sub, mul, fused multiply-add, div, sqrt.
 *
 * Every operation unpacks its operands (softfloat-parts.h), computes an exact
 * or sticky-bit-correct intermediate with integer arithmetic (128-bit where
 * products and alignment need it) and rounds once with float_round_pack().
 * NaN results are always the canonical NaN, as RISC-V requires (unprivileged
 * spec, F extension, "NaN Generation and Propagation").
 */
#include "qemu/osdep.h"
#include "fpu/softfloat-parts.h"

typedef unsigned __int128 uint128;

/* Shift a 128-bit value right, keeping a sticky bit. */
static inline uint128 shift_right_jam128(uint128 x, uint32_t count)
{
    if (count == 0) {
        return x;
    }
    if (count >= 128) {
        return x != 0;
    }
    return (x >> count) | ((x << (128 - count)) != 0);
}

static inline int clz128(uint128 x)
{
    uint64_t hi = x >> 64;

    return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll((uint64_t)x);
}

/*
 * Round a non-zero sign * sig / 2^125 * 2^exp.  "Wide" significands keep their
 * leading one at bit 125 when normalised, leaving two bits of headroom for the
 * carry of an addition.
 */
static inline QEMU_ALWAYS_INLINE uint64_t
round_pack_wide(const FloatFormat *fmt, bool sign, int32_t exp, uint128 sig,
                FloatStatus *s)
{
    int lz = clz128(sig);
    uint64_t narrow;

    sig <<= lz;
    narrow = (uint64_t)(sig >> 64) | ((uint64_t)sig != 0);
    return float_round_pack(fmt, sign, exp + 2 - lz, narrow, s);
}

/*
 * Add two non-zero finite wide values (normalised at bit 125).  The smaller
 * one is aligned with a sticky bit: when the exponents differ by two or more
 * at most one bit cancels, so the sticky bit stays far below the rounding
 * point; when they differ by less, the shift is exact.
 */
static inline QEMU_ALWAYS_INLINE uint64_t
add_wide(const FloatFormat *fmt, bool sign_a, int32_t exp_a, uint128 a, bool sign_b,
         int32_t exp_b, uint128 b, FloatStatus *s)
{
    uint128 sum;

    if (exp_b > exp_a || (exp_b == exp_a && b > a)) {
        bool ts = sign_a;
        int32_t te = exp_a;
        uint128 tv = a;

        sign_a = sign_b, exp_a = exp_b, a = b;
        sign_b = ts, exp_b = te, b = tv;
    }
    b = shift_right_jam128(b, exp_a - exp_b);
    if (sign_a == sign_b) {
        sum = a + b;
    } else {
        sum = a - b;
        if (sum == 0) {
            /* IEEE 754 6.3: an exact zero difference is +0, or -0 when rounding down. */
            return float_pack_zero(fmt, s->rounding_mode == float_round_down);
        }
    }
    return round_pack_wide(fmt, sign_a, exp_a, sum, s);
}

static uint64_t invalid_nan(const FloatFormat *fmt, FloatStatus *s)
{
    s->flags |= float_flag_invalid;
    return fmt->default_nan;
}

/* Canonical NaN for NaN operands; NV if any of them is signalling. */
static uint64_t propagate_nan(const FloatFormat *fmt, const FloatParts *a,
                              const FloatParts *b, const FloatParts *c, FloatStatus *s)
{
    if (a->cls == FLOAT_CLASS_SNAN || (b && b->cls == FLOAT_CLASS_SNAN) ||
        (c && c->cls == FLOAT_CLASS_SNAN)) {
        s->flags |= float_flag_invalid;
    }
    return fmt->default_nan;
}

static inline QEMU_ALWAYS_INLINE uint64_t
do_add(const FloatFormat *fmt, uint64_t abits, uint64_t bbits, bool subtract,
       FloatStatus *s)
{
    FloatParts a = float_unpack(fmt, abits);
    FloatParts b = float_unpack(fmt, bbits);

    b.sign ^= subtract;
    if (likely(a.cls == FLOAT_CLASS_NORMAL && b.cls == FLOAT_CLASS_NORMAL)) {
        return add_wide(fmt, a.sign, a.exp, (uint128)a.sig << 62,
                        b.sign, b.exp, (uint128)b.sig << 62, s);
    }
    if (float_class_is_nan(a.cls) || float_class_is_nan(b.cls)) {
        return propagate_nan(fmt, &a, &b, NULL, s);
    }
    if (a.cls == FLOAT_CLASS_INF) {
        if (b.cls == FLOAT_CLASS_INF && a.sign != b.sign) {
            return invalid_nan(fmt, s);     /* inf - inf */
        }
        return float_pack_inf(fmt, a.sign);
    }
    if (b.cls == FLOAT_CLASS_INF) {
        return float_pack_inf(fmt, b.sign);
    }
    if (a.cls == FLOAT_CLASS_ZERO && b.cls == FLOAT_CLASS_ZERO) {
        /* IEEE 754 6.3: equal signs keep it; opposite signs give +0 except RDN. */
        if (a.sign == b.sign) {
            return float_pack_zero(fmt, a.sign);
        }
        return float_pack_zero(fmt, s->rounding_mode == float_round_down);
    }
    /* x + 0 is x exactly (the operand is already representable). */
    if (a.cls == FLOAT_CLASS_ZERO) {
        return float_round_pack(fmt, b.sign, b.exp, b.sig, s);
    }
    return float_round_pack(fmt, a.sign, a.exp, a.sig, s);
}

static inline QEMU_ALWAYS_INLINE uint64_t
do_mul(const FloatFormat *fmt, uint64_t abits, uint64_t bbits, FloatStatus *s)
{
    FloatParts a = float_unpack(fmt, abits);
    FloatParts b = float_unpack(fmt, bbits);
    bool sign = a.sign ^ b.sign;

    if (likely(a.cls == FLOAT_CLASS_NORMAL && b.cls == FLOAT_CLASS_NORMAL)) {
        /* sig_a * sig_b / 2^126 * 2^(exp_a + exp_b), i.e. wide exponent one less. */
        return round_pack_wide(fmt, sign, a.exp + b.exp - 1, (uint128)a.sig * b.sig, s);
    }
    if (float_class_is_nan(a.cls) || float_class_is_nan(b.cls)) {
        return propagate_nan(fmt, &a, &b, NULL, s);
    }
    if (a.cls == FLOAT_CLASS_INF || b.cls == FLOAT_CLASS_INF) {
        if (a.cls == FLOAT_CLASS_ZERO || b.cls == FLOAT_CLASS_ZERO) {
            return invalid_nan(fmt, s);     /* inf * 0 */
        }
        return float_pack_inf(fmt, sign);
    }
    return float_pack_zero(fmt, sign);
}

static inline QEMU_ALWAYS_INLINE uint64_t
do_muladd(const FloatFormat *fmt, uint64_t abits, uint64_t bbits, uint64_t cbits,
          int negate, FloatStatus *s)
{
    FloatParts a = float_unpack(fmt, abits);
    FloatParts b = float_unpack(fmt, bbits);
    FloatParts c = float_unpack(fmt, cbits);
    bool psign = a.sign ^ b.sign ^ !!(negate & float_muladd_negate_product);
    bool csign = c.sign ^ !!(negate & float_muladd_negate_addend);
    bool pinf = a.cls == FLOAT_CLASS_INF || b.cls == FLOAT_CLASS_INF;
    bool pzero = a.cls == FLOAT_CLASS_ZERO || b.cls == FLOAT_CLASS_ZERO;
    uint128 prod;
    int32_t pexp;

    /*
     * RISC-V F "Single-Precision Fused Multiply-Add": inf * 0 raises NV even
     * when the addend is a quiet NaN.
     */
    if (pinf && pzero) {
        return invalid_nan(fmt, s);
    }
    if (float_class_is_nan(a.cls) || float_class_is_nan(b.cls) ||
        float_class_is_nan(c.cls)) {
        return propagate_nan(fmt, &a, &b, &c, s);
    }
    if (pinf) {
        if (c.cls == FLOAT_CLASS_INF && csign != psign) {
            return invalid_nan(fmt, s);
        }
        return float_pack_inf(fmt, psign);
    }
    if (c.cls == FLOAT_CLASS_INF) {
        return float_pack_inf(fmt, csign);
    }
    if (pzero) {
        if (c.cls == FLOAT_CLASS_ZERO) {
            if (psign == csign) {
                return float_pack_zero(fmt, psign);
            }
            return float_pack_zero(fmt, s->rounding_mode == float_round_down);
        }
        return float_round_pack(fmt, csign, c.exp, c.sig, s);
    }

    /*
     * The exact product has at most 2 * 53 significant bits at the top of 128,
     * so shifting it right by two to the wide layout loses nothing.
     */
    prod = (uint128)a.sig * b.sig >> 2;
    pexp = a.exp + b.exp + 1;
    if (!(prod >> 125)) {
        prod <<= 1;
        pexp--;
    }
    if (c.cls == FLOAT_CLASS_ZERO) {
        return round_pack_wide(fmt, psign, pexp, prod, s);
    }
    return add_wide(fmt, psign, pexp, prod, csign, c.exp, (uint128)c.sig << 62, s);
}

static inline QEMU_ALWAYS_INLINE uint64_t
do_div(const FloatFormat *fmt, uint64_t abits, uint64_t bbits, FloatStatus *s)
{
    FloatParts a = float_unpack(fmt, abits);
    FloatParts b = float_unpack(fmt, bbits);
    bool sign = a.sign ^ b.sign;

    if (likely(a.cls == FLOAT_CLASS_NORMAL && b.cls == FLOAT_CLASS_NORMAL)) {
        /*
         * (sig_a * 2^63) / sig_b lies in (2^62, 2^64): at least 63 quotient
         * bits, and a non-zero remainder becomes the sticky bit.
         */
        uint128 num = (uint128)a.sig << 63;
        uint64_t q = num / b.sig;
        bool rem = (num - (uint128)q * b.sig) != 0;
        int32_t exp = a.exp - b.exp;

        q |= rem;
        if (!(q >> 63)) {
            q <<= 1;
            exp--;
        }
        return float_round_pack(fmt, sign, exp, q, s);
    }
    if (float_class_is_nan(a.cls) || float_class_is_nan(b.cls)) {
        return propagate_nan(fmt, &a, &b, NULL, s);
    }
    if (a.cls == b.cls) {
        return invalid_nan(fmt, s);         /* 0/0 or inf/inf */
    }
    if (a.cls == FLOAT_CLASS_INF) {
        return float_pack_inf(fmt, sign);   /* inf / x, inf / 0 included: exact */
    }
    if (b.cls == FLOAT_CLASS_ZERO) {
        s->flags |= float_flag_divbyzero;   /* finite non-zero / 0 (IEEE 754 7.3) */
        return float_pack_inf(fmt, sign);
    }
    return float_pack_zero(fmt, sign);      /* 0 / x or x / inf */
}

/*
 * Integer square root of x in [2^126, 2^128): the root is in [2^63, 2^64).
 * A 32-bit root of the top word, one bit per step, gives an underestimate
 * with relative error below 2^-31; one Newton step from below then lands
 * within one of the true root (Newton overshoots, never undershoots), and an
 * exact integer check fixes the last unit.  *inexact reports a remainder.
 */
static uint64_t isqrt128(uint128 x, bool *inexact)
{
    uint64_t top = x >> 64, rem = 0, root32 = 0;
    uint128 root, square;
    int i;

    for (i = 0; i < 32; i++) {
        rem = (rem << 2) | (top >> 62);
        top <<= 2;
        root32 <<= 1;
        if (rem >= (root32 << 1) + 1) {
            rem -= (root32 << 1) + 1;
            root32++;
        }
    }
    root = (uint128)root32 << 32;
    root = (root + x / root) >> 1;
    if (root > UINT64_MAX) {
        root = UINT64_MAX;
    }
    square = root * root;
    while (square > x) {
        square -= 2 * root - 1;
        root--;
    }
    *inexact = square != x;
    return root;
}

static inline QEMU_ALWAYS_INLINE uint64_t
do_sqrt(const FloatFormat *fmt, uint64_t abits, FloatStatus *s)
{
    FloatParts a = float_unpack(fmt, abits);

    if (likely(a.cls == FLOAT_CLASS_NORMAL && !a.sign)) {
        /*
         * value = sig * 2^(exp - 63).  Scale by an even power so that the
         * exponent halves exactly: for even exp use sig * 2^63 (root in
         * [2^63, 2^63.5)), for odd exp use sig * 2^64 (root in [2^63.5, 2^64)).
         */
        bool inexact;
        uint128 x = (uint128)a.sig << ((a.exp & 1) ? 64 : 63);
        uint64_t root = isqrt128(x, &inexact);

        return float_round_pack(fmt, false, a.exp >> 1, root | inexact, s);
    }
    if (float_class_is_nan(a.cls)) {
        return propagate_nan(fmt, &a, NULL, NULL, s);
    }
    if (a.cls == FLOAT_CLASS_ZERO) {
        return abits;                        /* sqrt(-0) = -0 (IEEE 754 9.2) */
    }
    if (a.sign) {
        return invalid_nan(fmt, s);
    }
    return abits;                            /* +inf */
}

float32 float32_add(float32 a, float32 b, FloatStatus *s)
{
    return do_add(&float32_format, a, b, false, s);
}

float32 float32_sub(float32 a, float32 b, FloatStatus *s)
{
    return do_add(&float32_format, a, b, true, s);
}

float32 float32_mul(float32 a, float32 b, FloatStatus *s)
{
    return do_mul(&float32_format, a, b, s);
}

float32 float32_div(float32 a, float32 b, FloatStatus *s)
{
    return do_div(&float32_format, a, b, s);
}

float32 float32_sqrt(float32 a, FloatStatus *s)
{
    return do_sqrt(&float32_format, a, s);
}

float32 float32_muladd(float32 a, float32 b, float32 c, int negate, FloatStatus *s)
{
    return do_muladd(&float32_format, a, b, c, negate, s);
}

float64 float64_add(float64 a, float64 b, FloatStatus *s)
{
    return do_add(&float64_format, a, b, false, s);
}

float64 float64_sub(float64 a, float64 b, FloatStatus *s)
{
    return do_add(&float64_format, a, b, true, s);
}

float64 float64_mul(float64 a, float64 b, FloatStatus *s)
{
    return do_mul(&float64_format, a, b, s);
}

float64 float64_div(float64 a, float64 b, FloatStatus *s)
{
    return do_div(&float64_format, a, b, s);
}

float64 float64_sqrt(float64 a, FloatStatus *s)
{
    return do_sqrt(&float64_format, a, s);
}

float64 float64_muladd(float64 a, float64 b, float64 c, int negate, FloatStatus *s)
{
    return do_muladd(&float64_format, a, b, c, negate, s);
}
