/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IEEE 754-2019 binary32/binary64 arithmetic in software, with the behaviour
 * RISC-V's F and D extensions require (unprivileged spec, chapters "F" and "D"):
 *  - every NaN result is the canonical quiet NaN (no payload propagation);
 *  - tininess is detected after rounding;
 *  - the five rounding modes, numbered as the RISC-V rm field encodes them;
 *  - exception flags numbered as the RISC-V fflags CSR lays them out.
 *
 * Values travel as raw bit patterns (float32/float64 are integers), so no
 * host floating-point instruction ever computes a guest result.
 */
#ifndef FPU_SOFTFLOAT_H
#define FPU_SOFTFLOAT_H

typedef uint32_t float32;
typedef uint64_t float64;

/* Rounding modes, encoded as the RISC-V rm field (spec: "Rounding mode encoding"). */
typedef enum FloatRoundMode {
    float_round_nearest_even = 0,   /* RNE */
    float_round_to_zero = 1,        /* RTZ */
    float_round_down = 2,           /* RDN, towards -inf */
    float_round_up = 3,             /* RUP, towards +inf */
    float_round_ties_away = 4,      /* RMM, to nearest, ties to max magnitude */
} FloatRoundMode;

/* Exception flags, laid out as the RISC-V fflags CSR (NX is bit 0, NV bit 4). */
enum {
    float_flag_inexact = 1 << 0,    /* NX */
    float_flag_underflow = 1 << 1,  /* UF */
    float_flag_overflow = 1 << 2,   /* OF */
    float_flag_divbyzero = 1 << 3,  /* DZ */
    float_flag_invalid = 1 << 4,    /* NV */
};

/* Rounding mode in, accrued exception flags out (flags are only ever ORed in). */
typedef struct FloatStatus {
    uint8_t rounding_mode;
    uint8_t flags;
} FloatStatus;

#define FLOAT32_DEFAULT_NAN 0x7fc00000u
#define FLOAT64_DEFAULT_NAN 0x7ff8000000000000ull

/* IEEE fclass result bits, as RISC-V FCLASS reports them. */
enum {
    FCLASS_NEG_INF = 1 << 0,
    FCLASS_NEG_NORMAL = 1 << 1,
    FCLASS_NEG_SUBNORMAL = 1 << 2,
    FCLASS_NEG_ZERO = 1 << 3,
    FCLASS_POS_ZERO = 1 << 4,
    FCLASS_POS_SUBNORMAL = 1 << 5,
    FCLASS_POS_NORMAL = 1 << 6,
    FCLASS_POS_INF = 1 << 7,
    FCLASS_SNAN = 1 << 8,
    FCLASS_QNAN = 1 << 9,
};

/* Flags for the fused multiply-add: which terms are negated before the one rounding. */
enum {
    float_muladd_negate_product = 1 << 0,
    float_muladd_negate_addend = 1 << 1,
};

/* Arithmetic (fpu/softfloat.c) */
float32 float32_add(float32 a, float32 b, FloatStatus *s);
float32 float32_sub(float32 a, float32 b, FloatStatus *s);
float32 float32_mul(float32 a, float32 b, FloatStatus *s);
float32 float32_div(float32 a, float32 b, FloatStatus *s);
float32 float32_sqrt(float32 a, FloatStatus *s);
/* (a * b) + c with one rounding; @negate is a mask of float_muladd_negate_*. */
float32 float32_muladd(float32 a, float32 b, float32 c, int negate, FloatStatus *s);

float64 float64_add(float64 a, float64 b, FloatStatus *s);
float64 float64_sub(float64 a, float64 b, FloatStatus *s);
float64 float64_mul(float64 a, float64 b, FloatStatus *s);
float64 float64_div(float64 a, float64 b, FloatStatus *s);
float64 float64_sqrt(float64 a, FloatStatus *s);
float64 float64_muladd(float64 a, float64 b, float64 c, int negate, FloatStatus *s);

/* Conversions (fpu/softfloat-convert.c); float-to-integer saturates and raises NV. */
float64 float32_to_float64(float32 a, FloatStatus *s);
float32 float64_to_float32(float64 a, FloatStatus *s);

int32_t float32_to_int32(float32 a, FloatStatus *s);
uint32_t float32_to_uint32(float32 a, FloatStatus *s);
int64_t float32_to_int64(float32 a, FloatStatus *s);
uint64_t float32_to_uint64(float32 a, FloatStatus *s);
int32_t float64_to_int32(float64 a, FloatStatus *s);
uint32_t float64_to_uint32(float64 a, FloatStatus *s);
int64_t float64_to_int64(float64 a, FloatStatus *s);
uint64_t float64_to_uint64(float64 a, FloatStatus *s);

float32 int64_to_float32(int64_t a, FloatStatus *s);
float32 uint64_to_float32(uint64_t a, FloatStatus *s);
float64 int64_to_float64(int64_t a, FloatStatus *s);
float64 uint64_to_float64(uint64_t a, FloatStatus *s);

/* Comparisons and selections (fpu/softfloat-convert.c) */
/* Quiet equality: NV only for a signalling NaN operand. */
bool float32_eq_quiet(float32 a, float32 b, FloatStatus *s);
bool float64_eq_quiet(float64 a, float64 b, FloatStatus *s);
/* Signalling comparisons: NV for any NaN operand. */
bool float32_lt(float32 a, float32 b, FloatStatus *s);
bool float32_le(float32 a, float32 b, FloatStatus *s);
bool float64_lt(float64 a, float64 b, FloatStatus *s);
bool float64_le(float64 a, float64 b, FloatStatus *s);
/* IEEE 754-2019 minimumNumber/maximumNumber, with -0 < +0. */
float32 float32_minnum(float32 a, float32 b, FloatStatus *s);
float32 float32_maxnum(float32 a, float32 b, FloatStatus *s);
float64 float64_minnum(float64 a, float64 b, FloatStatus *s);
float64 float64_maxnum(float64 a, float64 b, FloatStatus *s);

uint32_t float32_classify(float32 a);
uint32_t float64_classify(float64 a);

static inline bool float32_is_any_nan(float32 a)
{
    return (a & 0x7fffffffu) > 0x7f800000u;
}

static inline bool float64_is_any_nan(float64 a)
{
    return (a & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
}

static inline bool float32_is_signaling_nan(float32 a)
{
    return float32_is_any_nan(a) && !(a & 0x00400000u);
}

static inline bool float64_is_signaling_nan(float64 a)
{
    return float64_is_any_nan(a) && !(a & 0x0008000000000000ull);
}

#endif
