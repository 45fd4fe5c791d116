/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal representation shared by the soft-float files: a value unpacked
 * into class, sign, unbiased exponent and a 64-bit significand whose leading
 * one sits at bit 63, so that value = sig / 2^63 * 2^exp.  One rounding
 * routine (float_round_pack) turns that back into either format.
 */
#ifndef FPU_SOFTFLOAT_PARTS_H
#define FPU_SOFTFLOAT_PARTS_H

#include "fpu/softfloat.h"

typedef enum FloatClass {
    FLOAT_CLASS_ZERO,
    FLOAT_CLASS_NORMAL,     /* any finite non-zero value, subnormals included */
    FLOAT_CLASS_INF,
    FLOAT_CLASS_QNAN,
    FLOAT_CLASS_SNAN,
} FloatClass;

typedef struct FloatParts {
    FloatClass cls;
    bool sign;
    int32_t exp;
    uint64_t sig;
} FloatParts;

/* The layout of one IEEE binary interchange format. */
typedef struct FloatFormat {
    int frac_bits;          /* stored fraction bits (23 or 52) */
    int exp_bits;           /* exponent field bits (8 or 11) */
    int32_t exp_max;        /* all-ones exponent field: inf and NaN */
    int32_t bias;
    uint64_t default_nan;
} FloatFormat;

static const FloatFormat float32_format = {
    .frac_bits = 23, .exp_bits = 8, .exp_max = 0xff, .bias = 127,
    .default_nan = FLOAT32_DEFAULT_NAN,
};

static const FloatFormat float64_format = {
    .frac_bits = 52, .exp_bits = 11, .exp_max = 0x7ff, .bias = 1023,
    .default_nan = FLOAT64_DEFAULT_NAN,
};

static inline bool float_class_is_nan(FloatClass cls)
{
    return cls >= FLOAT_CLASS_QNAN;
}

/* Shift right, ORing every bit shifted out into bit 0 ("sticky" bit). */
static inline uint64_t shift_right_jam64(uint64_t x, uint32_t count)
{
    if (count == 0) {
        return x;
    }
    if (count >= 64) {
        return x != 0;
    }
    return (x >> count) | ((x << (64 - count)) != 0);
}

static inline FloatParts float_unpack(const FloatFormat *fmt, uint64_t bits)
{
    FloatParts p;
    uint64_t frac = bits & ((1ull << fmt->frac_bits) - 1);
    int32_t field = (bits >> fmt->frac_bits) & fmt->exp_max;

    p.sign = (bits >> (fmt->frac_bits + fmt->exp_bits)) & 1;
    p.exp = 0;
    p.sig = 0;
    if (likely(field != 0 && field != fmt->exp_max)) {
        p.cls = FLOAT_CLASS_NORMAL;
        p.exp = field - fmt->bias;
        p.sig = (frac | (1ull << fmt->frac_bits)) << (63 - fmt->frac_bits);
    } else if (field == 0) {
        if (frac == 0) {
            p.cls = FLOAT_CLASS_ZERO;
        } else {
            /* Subnormal: normalise so that the leading one is at bit 63. */
            int shift = __builtin_clzll(frac);
            p.cls = FLOAT_CLASS_NORMAL;
            p.sig = frac << shift;
            p.exp = 1 - fmt->bias - (shift - (63 - fmt->frac_bits));
        }
    } else if (frac == 0) {
        p.cls = FLOAT_CLASS_INF;
    } else {
        /* The quiet bit is the fraction's most significant bit (IEEE 754 6.2.1). */
        p.cls = (frac >> (fmt->frac_bits - 1)) ? FLOAT_CLASS_QNAN : FLOAT_CLASS_SNAN;
    }
    return p;
}

/* Encode a zero or infinity of the given sign. */
static inline uint64_t float_pack_zero(const FloatFormat *fmt, bool sign)
{
    return (uint64_t)sign << (fmt->frac_bits + fmt->exp_bits);
}

static inline uint64_t float_pack_inf(const FloatFormat *fmt, bool sign)
{
    return float_pack_zero(fmt, sign) | ((uint64_t)fmt->exp_max << fmt->frac_bits);
}

/* Does the rounding mode require adding one ulp, given the discarded bits? */
static inline bool float_round_up_needed(int rmode, bool sign, bool lsb_odd,
                                         uint64_t round_bits, uint64_t half)
{
    switch (rmode) {
    case float_round_nearest_even:
        return round_bits > half || (round_bits == half && lsb_odd);
    case float_round_ties_away:
        return round_bits >= half;
    case float_round_down:
        return sign && round_bits != 0;
    case float_round_up:
        return !sign && round_bits != 0;
    default:
        return false;
    }
}

/*
 * Round sign * sig / 2^63 * 2^exp (sig normalised: bit 63 set; lower bits may
 * hold a sticky bit) to @fmt with the status's rounding mode, raising NX, UF,
 * OF as IEEE 754 7.4-7.6 and RISC-V (tininess after rounding) require.
 */
static inline QEMU_ALWAYS_INLINE uint64_t
float_round_pack(const FloatFormat *fmt, bool sign, int32_t exp, uint64_t sig,
                 FloatStatus *s)
{
    int rmode = s->rounding_mode;
    int shift = 63 - fmt->frac_bits;            /* bits below the result's lsb */
    uint64_t half = 1ull << (shift - 1);
    uint64_t mask = (1ull << shift) - 1;
    uint64_t sign_bit = float_pack_zero(fmt, sign);
    int32_t biased = exp + fmt->bias;
    bool tiny = false;
    uint64_t round_bits, mant, bits;

    if (unlikely(biased >= fmt->exp_max)) {
        goto overflow;
    }
    if (unlikely(biased <= 0)) {
        /*
         * Below the normal range.  RISC-V detects tininess after rounding
         * (IEEE 754 7.5): the result is tiny unless rounding it to full
         * precision with an unbounded exponent would reach 2^emin.  Only a
         * value in [2^(emin-1), 2^emin) with an all-ones significand can.
         */
        mant = sig >> shift;
        tiny = biased < 0 || mant != (2ull << fmt->frac_bits) - 1 ||
               !float_round_up_needed(rmode, sign, true, sig & mask, half);
        sig = shift_right_jam64(sig, 1 - biased);
        /*
         * The mantissa then has no hidden bit; biased = 1 makes the packing
         * below produce exponent field 0, or 1 if rounding carried into it.
         */
        biased = 1;
    }
    round_bits = sig & mask;
    mant = sig >> shift;
    if (float_round_up_needed(rmode, sign, mant & 1, round_bits, half)) {
        mant++;
    }
    /*
     * mant includes the hidden bit at frac_bits, which adds one to the
     * exponent field; a carry out of the significand adds one more, exactly
     * as a renormalisation would.
     */
    bits = ((uint64_t)(biased - 1) << fmt->frac_bits) + mant;
    if (unlikely((bits >> fmt->frac_bits) >= (uint64_t)fmt->exp_max)) {
        goto overflow;
    }
    if (round_bits) {
        s->flags |= float_flag_inexact;
        if (tiny) {
            s->flags |= float_flag_underflow;
        }
    }
    return sign_bit | bits;

overflow:
    /* IEEE 754 7.4: infinity, or the largest finite value when rounding away from it. */
    s->flags |= float_flag_overflow | float_flag_inexact;
    if (rmode == float_round_to_zero || (rmode == float_round_down && !sign) ||
        (rmode == float_round_up && sign)) {
        return float_pack_inf(fmt, sign) - 1;
    }
    return float_pack_inf(fmt, sign);
}

#endif
