/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Soft-float conversions, comparisons, min/max and classification with the
 * RISC-V F/D rules: float-to-integer conversions saturate and raise NV as the
 * spec's "FCVT.W.S ... invalid inputs" table says, NaNs convert to the largest
 * positive integer, and every NaN result is canonical.
 */
#include "qemu/osdep.h"
#include "fpu/softfloat-parts.h"

/*
 * Round a finite non-zero value to an integer magnitude with the status's
 * rounding mode.  Returns false if the magnitude does not fit in 64 bits.
 */
static bool round_to_integer(const FloatParts *p, int rmode, uint64_t *magnitude,
                             bool *inexact)
{
    uint64_t ipart, fraction;       /* fraction: binary point above bit 63 */

    if (p->exp >= 64) {
        return false;
    }
    if (p->exp == 63) {
        *magnitude = p->sig;
        *inexact = false;
        return true;
    }
    if (p->exp >= 0) {
        ipart = p->sig >> (63 - p->exp);
        fraction = p->sig << (p->exp + 1);
    } else {
        ipart = 0;
        fraction = shift_right_jam64(p->sig, -p->exp - 1);
    }
    *inexact = fraction != 0;
    /* ipart < 2^63 here, so the increment cannot wrap. */
    if (float_round_up_needed(rmode, p->sign, ipart & 1, fraction, 1ull << 63)) {
        ipart++;
    }
    *magnitude = ipart;
    return true;
}

/*
 * Convert to a signed integer of @bits bits, saturating.  RISC-V: NaN and
 * +inf give the largest value, -inf the smallest; out-of-range values
 * saturate; all of these raise NV only (not NX).
 */
static int64_t to_signed(const FloatParts *p, int bits, FloatStatus *s)
{
    int64_t max = (int64_t)((1ull << (bits - 1)) - 1);
    int64_t min = -max - 1;
    uint64_t mag;
    bool inexact;

    switch (p->cls) {
    case FLOAT_CLASS_ZERO:
        return 0;
    case FLOAT_CLASS_QNAN:
    case FLOAT_CLASS_SNAN:
        s->flags |= float_flag_invalid;
        return max;
    case FLOAT_CLASS_INF:
        s->flags |= float_flag_invalid;
        return p->sign ? min : max;
    default:
        break;
    }
    if (!round_to_integer(p, s->rounding_mode, &mag, &inexact) ||
        mag > (uint64_t)max + p->sign) {
        s->flags |= float_flag_invalid;
        return p->sign ? min : max;
    }
    if (inexact) {
        s->flags |= float_flag_inexact;
    }
    return p->sign ? (int64_t)-mag : (int64_t)mag;
}

/* Unsigned counterpart: negative values that do not round to zero give 0 and NV. */
static uint64_t to_unsigned(const FloatParts *p, int bits, FloatStatus *s)
{
    uint64_t max = bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
    uint64_t mag;
    bool inexact;

    switch (p->cls) {
    case FLOAT_CLASS_ZERO:
        return 0;
    case FLOAT_CLASS_QNAN:
    case FLOAT_CLASS_SNAN:
        s->flags |= float_flag_invalid;
        return max;
    case FLOAT_CLASS_INF:
        s->flags |= float_flag_invalid;
        return p->sign ? 0 : max;
    default:
        break;
    }
    if (!round_to_integer(p, s->rounding_mode, &mag, &inexact) || mag > max) {
        s->flags |= float_flag_invalid;
        return p->sign ? 0 : max;
    }
    if (p->sign && mag != 0) {
        s->flags |= float_flag_invalid;
        return 0;
    }
    if (inexact) {
        s->flags |= float_flag_inexact;
    }
    return mag;
}

int32_t float32_to_int32(float32 a, FloatStatus *s)
{
    FloatParts p = float_unpack(&float32_format, a);
    return to_signed(&p, 32, s);
}

uint32_t float32_to_uint32(float32 a, FloatStatus *s)
{
    FloatParts p = float_unpack(&float32_format, a);
    return to_unsigned(&p, 32, s);
}

int64_t float32_to_int64(float32 a, FloatStatus *s)
{
    FloatParts p = float_unpack(&float32_format, a);
    return to_signed(&p, 64, s);
}

uint64_t float32_to_uint64(float32 a, FloatStatus *s)
{
    FloatParts p = float_unpack(&float32_format, a);
    return to_unsigned(&p, 64, s);
}

int32_t float64_to_int32(float64 a, FloatStatus *s)
{
    FloatParts p = float_unpack(&float64_format, a);
    return to_signed(&p, 32, s);
}

uint32_t float64_to_uint32(float64 a, FloatStatus *s)
{
    FloatParts p = float_unpack(&float64_format, a);
    return to_unsigned(&p, 32, s);
}

int64_t float64_to_int64(float64 a, FloatStatus *s)
{
    FloatParts p = float_unpack(&float64_format, a);
    return to_signed(&p, 64, s);
}

uint64_t float64_to_uint64(float64 a, FloatStatus *s)
{
    FloatParts p = float_unpack(&float64_format, a);
    return to_unsigned(&p, 64, s);
}

/* Integer magnitude to float: normalise, then one rounding (NX when bits drop). */
static uint64_t from_integer(const FloatFormat *fmt, bool sign, uint64_t mag,
                             FloatStatus *s)
{
    int lz;

    if (mag == 0) {
        return float_pack_zero(fmt, false);
    }
    lz = __builtin_clzll(mag);
    return float_round_pack(fmt, sign, 63 - lz, mag << lz, s);
}

float32 int64_to_float32(int64_t a, FloatStatus *s)
{
    return from_integer(&float32_format, a < 0, a < 0 ? -(uint64_t)a : (uint64_t)a, s);
}

float32 uint64_to_float32(uint64_t a, FloatStatus *s)
{
    return from_integer(&float32_format, false, a, s);
}

float64 int64_to_float64(int64_t a, FloatStatus *s)
{
    return from_integer(&float64_format, a < 0, a < 0 ? -(uint64_t)a : (uint64_t)a, s);
}

float64 uint64_to_float64(uint64_t a, FloatStatus *s)
{
    return from_integer(&float64_format, false, a, s);
}

/* Change format; exact for widening, one rounding for narrowing. */
static uint64_t convert_format(const FloatFormat *to, const FloatFormat *from,
                               uint64_t bits, FloatStatus *s)
{
    FloatParts p = float_unpack(from, bits);

    switch (p.cls) {
    case FLOAT_CLASS_NORMAL:
        return float_round_pack(to, p.sign, p.exp, p.sig, s);
    case FLOAT_CLASS_ZERO:
        return float_pack_zero(to, p.sign);
    case FLOAT_CLASS_INF:
        return float_pack_inf(to, p.sign);
    case FLOAT_CLASS_SNAN:
        s->flags |= float_flag_invalid;
        /* fall through */
    default:
        return to->default_nan;
    }
}

float64 float32_to_float64(float32 a, FloatStatus *s)
{
    return convert_format(&float64_format, &float32_format, a, s);
}

float32 float64_to_float32(float64 a, FloatStatus *s)
{
    return convert_format(&float32_format, &float64_format, a, s);
}

/*
 * Map a non-NaN encoding to a signed key whose integer order is the numeric
 * order, with +0 and -0 both mapping to 0.
 */
static inline int64_t order_key(uint64_t bits, int sign_shift)
{
    uint64_t magnitude = bits & ((1ull << sign_shift) - 1);

    return (bits >> sign_shift) & 1 ? -(int64_t)magnitude : (int64_t)magnitude;
}

/* Shared by the comparisons: 0 if equal, <0 if a < b, >0 if a > b. */
static inline int compare_ordered(uint64_t a, uint64_t b, int sign_shift)
{
    int64_t ka = order_key(a, sign_shift), kb = order_key(b, sign_shift);

    return (ka > kb) - (ka < kb);
}

bool float32_eq_quiet(float32 a, float32 b, FloatStatus *s)
{
    if (float32_is_any_nan(a) || float32_is_any_nan(b)) {
        if (float32_is_signaling_nan(a) || float32_is_signaling_nan(b)) {
            s->flags |= float_flag_invalid;
        }
        return false;
    }
    return compare_ordered(a, b, 31) == 0;
}

bool float64_eq_quiet(float64 a, float64 b, FloatStatus *s)
{
    if (float64_is_any_nan(a) || float64_is_any_nan(b)) {
        if (float64_is_signaling_nan(a) || float64_is_signaling_nan(b)) {
            s->flags |= float_flag_invalid;
        }
        return false;
    }
    return compare_ordered(a, b, 63) == 0;
}

bool float32_lt(float32 a, float32 b, FloatStatus *s)
{
    if (float32_is_any_nan(a) || float32_is_any_nan(b)) {
        s->flags |= float_flag_invalid;
        return false;
    }
    return compare_ordered(a, b, 31) < 0;
}

bool float32_le(float32 a, float32 b, FloatStatus *s)
{
    if (float32_is_any_nan(a) || float32_is_any_nan(b)) {
        s->flags |= float_flag_invalid;
        return false;
    }
    return compare_ordered(a, b, 31) <= 0;
}

bool float64_lt(float64 a, float64 b, FloatStatus *s)
{
    if (float64_is_any_nan(a) || float64_is_any_nan(b)) {
        s->flags |= float_flag_invalid;
        return false;
    }
    return compare_ordered(a, b, 63) < 0;
}

bool float64_le(float64 a, float64 b, FloatStatus *s)
{
    if (float64_is_any_nan(a) || float64_is_any_nan(b)) {
        s->flags |= float_flag_invalid;
        return false;
    }
    return compare_ordered(a, b, 63) <= 0;
}

/*
 * IEEE 754-2019 minimumNumber/maximumNumber (RISC-V F "FMIN.S and FMAX.S"):
 * a NaN operand is ignored, two NaNs give the canonical NaN, a signalling NaN
 * raises NV, and -0 is less than +0.
 */
static uint64_t select_number(const FloatFormat *fmt, uint64_t a, uint64_t b,
                              bool want_max, FloatStatus *s)
{
    int sign_shift = fmt->frac_bits + fmt->exp_bits;
    FloatParts pa = float_unpack(fmt, a), pb = float_unpack(fmt, b);
    int64_t ka, kb;
    bool a_nan = float_class_is_nan(pa.cls), b_nan = float_class_is_nan(pb.cls);

    if (a_nan || b_nan) {
        if (pa.cls == FLOAT_CLASS_SNAN || pb.cls == FLOAT_CLASS_SNAN) {
            s->flags |= float_flag_invalid;
        }
        if (a_nan && b_nan) {
            return fmt->default_nan;
        }
        return a_nan ? b : a;
    }
    ka = order_key(a, sign_shift);
    kb = order_key(b, sign_shift);
    if (ka == kb) {
        /* Equal values differ at most in the sign of zero. */
        return want_max ? (pa.sign ? b : a) : (pa.sign ? a : b);
    }
    return (ka < kb) != want_max ? a : b;
}

float32 float32_minnum(float32 a, float32 b, FloatStatus *s)
{
    return select_number(&float32_format, a, b, false, s);
}

float32 float32_maxnum(float32 a, float32 b, FloatStatus *s)
{
    return select_number(&float32_format, a, b, true, s);
}

float64 float64_minnum(float64 a, float64 b, FloatStatus *s)
{
    return select_number(&float64_format, a, b, false, s);
}

float64 float64_maxnum(float64 a, float64 b, FloatStatus *s)
{
    return select_number(&float64_format, a, b, true, s);
}

static uint32_t classify(const FloatFormat *fmt, uint64_t bits)
{
    int32_t field = (bits >> fmt->frac_bits) & fmt->exp_max;
    uint64_t frac = bits & ((1ull << fmt->frac_bits) - 1);
    bool sign = (bits >> (fmt->frac_bits + fmt->exp_bits)) & 1;

    if (field == fmt->exp_max) {
        if (frac == 0) {
            return sign ? FCLASS_NEG_INF : FCLASS_POS_INF;
        }
        return (frac >> (fmt->frac_bits - 1)) ? FCLASS_QNAN : FCLASS_SNAN;
    }
    if (field == 0) {
        if (frac == 0) {
            return sign ? FCLASS_NEG_ZERO : FCLASS_POS_ZERO;
        }
        return sign ? FCLASS_NEG_SUBNORMAL : FCLASS_POS_SUBNORMAL;
    }
    return sign ? FCLASS_NEG_NORMAL : FCLASS_POS_NORMAL;
}

uint32_t float32_classify(float32 a)
{
    return classify(&float32_format, a);
}

uint32_t float64_classify(float64 a)
{
    return classify(&float64_format, a);
}
