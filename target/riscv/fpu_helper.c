/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V F and D extensions: decode of LOAD-FP, STORE-FP, the fused
 * multiply-add opcodes and OP-FP, and their execution on the soft-float in
 * fpu/ (RISC-V unprivileged spec, chapters "F" and "D").
 *
 * Single-precision values live NaN-boxed in the 64-bit registers: the upper
 * 32 bits are all ones, and an operand that is not boxed that way reads as
 * the canonical NaN ("NaN Boxing of Narrower Values").
 */
#include "qemu/osdep.h"
#include "target/riscv/internals.h"
#include "target/riscv/insn_fields.h"
#include "fpu/softfloat.h"

#define NANBOX_S 0xffffffff00000000ull

static inline float32 get_fpr_s(const CPURISCVState *env, int reg)
{
    uint64_t v = env->fpr[reg];

    return likely((v & NANBOX_S) == NANBOX_S) ? (float32)v : FLOAT32_DEFAULT_NAN;
}

static inline float64 get_fpr_d(const CPURISCVState *env, int reg)
{
    return env->fpr[reg];
}

static inline void set_fpr_s(CPURISCVState *env, int reg, float32 v)
{
    env->fpr[reg] = NANBOX_S | v;
}

static inline void set_fpr_d(CPURISCVState *env, int reg, float64 v)
{
    env->fpr[reg] = v;
}

static inline void set_gpr(CPURISCVState *env, int reg, uint64_t v)
{
    if (reg != 0) {
        env->gpr[reg] = v;
    }
}

/*
 * Common prologue: FS must not be Off, and the effective rounding mode must
 * be valid.  rm = DYN takes frm, which is illegal if it holds 5..7 (spec
 * "Floating-Point Control and Status Register").  Instructions without a
 * rounding mode ignore @st's rounding mode.
 */
static inline void fp_begin(CPURISCVState *env, const DecodedInsn *d, FloatStatus *st)
{
    int rm = d->rm;

    riscv_require_fp(env, d);
    if (rm == RISCV_FRM_DYN) {
        rm = env->frm;
        if (unlikely(rm > RISCV_FRM_RMM)) {
            riscv_raise_illegal(env, d);
        }
    }
    st->rounding_mode = rm;
    st->flags = 0;
}

/* Epilogue of instructions that wrote an FP register. */
static inline void fp_end_fpr(CPURISCVState *env, const DecodedInsn *d,
                              const FloatStatus *st)
{
    env->fflags |= st->flags;
    riscv_mark_fs_dirty(env);
    env->pc += d->len;
}

/* Epilogue of instructions whose result went to an integer register. */
static inline void fp_end_gpr(CPURISCVState *env, const DecodedInsn *d,
                              const FloatStatus *st)
{
    if (st->flags) {
        env->fflags |= st->flags;
        riscv_mark_fs_dirty(env);
    }
    env->pc += d->len;
}

/* ---- loads and stores: raw bits, no canonicalisation ---- */

static void trans_flw(CPURISCVState *env, const DecodedInsn *d)
{
    riscv_require_fp(env, d);
    set_fpr_s(env, d->rd, cpu_ldl(env, env->gpr[d->rs1] + d->imm));
    riscv_mark_fs_dirty(env);
    env->pc += d->len;
}

static void trans_fld(CPURISCVState *env, const DecodedInsn *d)
{
    riscv_require_fp(env, d);
    set_fpr_d(env, d->rd, cpu_ldq(env, env->gpr[d->rs1] + d->imm));
    riscv_mark_fs_dirty(env);
    env->pc += d->len;
}

static void trans_fsw(CPURISCVState *env, const DecodedInsn *d)
{
    riscv_require_fp(env, d);
    cpu_stl(env, env->gpr[d->rs1] + d->imm, (uint32_t)env->fpr[d->rs2]);
    env->pc += d->len;
}

static void trans_fsd(CPURISCVState *env, const DecodedInsn *d)
{
    riscv_require_fp(env, d);
    cpu_stq(env, env->gpr[d->rs1] + d->imm, env->fpr[d->rs2]);
    env->pc += d->len;
}

/* ---- handler generators, one per operand shape ---- */

#define FP_BINOP(name, S, op)                                               \
static void trans_##name(CPURISCVState *env, const DecodedInsn *d)          \
{                                                                           \
    FloatStatus st;                                                         \
    fp_begin(env, d, &st);                                                  \
    set_fpr_##S(env, d->rd, op(get_fpr_##S(env, d->rs1),                    \
                               get_fpr_##S(env, d->rs2), &st));             \
    fp_end_fpr(env, d, &st);                                                \
}

#define FP_UNOP(name, D, S, op)                                             \
static void trans_##name(CPURISCVState *env, const DecodedInsn *d)          \
{                                                                           \
    FloatStatus st;                                                         \
    fp_begin(env, d, &st);                                                  \
    set_fpr_##D(env, d->rd, op(get_fpr_##S(env, d->rs1), &st));             \
    fp_end_fpr(env, d, &st);                                                \
}

#define FP_MULADD(name, S, op, negate)                                      \
static void trans_##name(CPURISCVState *env, const DecodedInsn *d)          \
{                                                                           \
    FloatStatus st;                                                         \
    fp_begin(env, d, &st);                                                  \
    set_fpr_##S(env, d->rd, op(get_fpr_##S(env, d->rs1),                    \
                               get_fpr_##S(env, d->rs2),                    \
                               get_fpr_##S(env, d->rs3), negate, &st));     \
    fp_end_fpr(env, d, &st);                                                \
}

/* Comparisons write 0/1 to an integer register. */
#define FP_CMP(name, S, op)                                                 \
static void trans_##name(CPURISCVState *env, const DecodedInsn *d)          \
{                                                                           \
    FloatStatus st;                                                         \
    fp_begin(env, d, &st);                                                  \
    set_gpr(env, d->rd, op(get_fpr_##S(env, d->rs1),                        \
                           get_fpr_##S(env, d->rs2), &st));                 \
    fp_end_gpr(env, d, &st);                                                \
}

/*
 * Float to integer; 32-bit results are sign-extended to 64 bits, the
 * unsigned ones included (spec "Single-Precision Floating-Point Conversion").
 */
#define FP_TO_INT(name, S, op, cast)                                        \
static void trans_##name(CPURISCVState *env, const DecodedInsn *d)          \
{                                                                           \
    FloatStatus st;                                                         \
    fp_begin(env, d, &st);                                                  \
    set_gpr(env, d->rd, (int64_t)(cast)op(get_fpr_##S(env, d->rs1), &st)); \
    fp_end_gpr(env, d, &st);                                                \
}

/* Integer to float: @cast picks the low 32 bits, signed or not, or all 64. */
#define FP_FROM_INT(name, D, op, cast)                                      \
static void trans_##name(CPURISCVState *env, const DecodedInsn *d)          \
{                                                                           \
    FloatStatus st;                                                         \
    fp_begin(env, d, &st);                                                  \
    set_fpr_##D(env, d->rd, op((cast)env->gpr[d->rs1], &st));               \
    fp_end_fpr(env, d, &st);                                                \
}

FP_BINOP(fadd_s, s, float32_add)
FP_BINOP(fsub_s, s, float32_sub)
FP_BINOP(fmul_s, s, float32_mul)
FP_BINOP(fdiv_s, s, float32_div)
FP_BINOP(fmin_s, s, float32_minnum)
FP_BINOP(fmax_s, s, float32_maxnum)
FP_BINOP(fadd_d, d, float64_add)
FP_BINOP(fsub_d, d, float64_sub)
FP_BINOP(fmul_d, d, float64_mul)
FP_BINOP(fdiv_d, d, float64_div)
FP_BINOP(fmin_d, d, float64_minnum)
FP_BINOP(fmax_d, d, float64_maxnum)

FP_UNOP(fsqrt_s, s, s, float32_sqrt)
FP_UNOP(fsqrt_d, d, d, float64_sqrt)
FP_UNOP(fcvt_s_d, s, d, float64_to_float32)
FP_UNOP(fcvt_d_s, d, s, float32_to_float64)

FP_MULADD(fmadd_s, s, float32_muladd, 0)
FP_MULADD(fmsub_s, s, float32_muladd, float_muladd_negate_addend)
FP_MULADD(fnmsub_s, s, float32_muladd, float_muladd_negate_product)
FP_MULADD(fnmadd_s, s, float32_muladd,
          float_muladd_negate_product | float_muladd_negate_addend)
FP_MULADD(fmadd_d, d, float64_muladd, 0)
FP_MULADD(fmsub_d, d, float64_muladd, float_muladd_negate_addend)
FP_MULADD(fnmsub_d, d, float64_muladd, float_muladd_negate_product)
FP_MULADD(fnmadd_d, d, float64_muladd,
          float_muladd_negate_product | float_muladd_negate_addend)

FP_CMP(feq_s, s, float32_eq_quiet)
FP_CMP(flt_s, s, float32_lt)
FP_CMP(fle_s, s, float32_le)
FP_CMP(feq_d, d, float64_eq_quiet)
FP_CMP(flt_d, d, float64_lt)
FP_CMP(fle_d, d, float64_le)

FP_TO_INT(fcvt_w_s, s, float32_to_int32, int32_t)
FP_TO_INT(fcvt_wu_s, s, float32_to_uint32, int32_t)
FP_TO_INT(fcvt_l_s, s, float32_to_int64, int64_t)
FP_TO_INT(fcvt_lu_s, s, float32_to_uint64, int64_t)
FP_TO_INT(fcvt_w_d, d, float64_to_int32, int32_t)
FP_TO_INT(fcvt_wu_d, d, float64_to_uint32, int32_t)
FP_TO_INT(fcvt_l_d, d, float64_to_int64, int64_t)
FP_TO_INT(fcvt_lu_d, d, float64_to_uint64, int64_t)

FP_FROM_INT(fcvt_s_w, s, int64_to_float32, int32_t)
FP_FROM_INT(fcvt_s_wu, s, uint64_to_float32, uint32_t)
FP_FROM_INT(fcvt_s_l, s, int64_to_float32, int64_t)
FP_FROM_INT(fcvt_s_lu, s, uint64_to_float32, uint64_t)
FP_FROM_INT(fcvt_d_w, d, int64_to_float64, int32_t)
FP_FROM_INT(fcvt_d_wu, d, uint64_to_float64, uint32_t)
FP_FROM_INT(fcvt_d_l, d, int64_to_float64, int64_t)
FP_FROM_INT(fcvt_d_lu, d, uint64_to_float64, uint64_t)

/*
 * Sign injection: pure bit operations, no flags.  rm selects the variant
 * (0 FSGNJ, 1 FSGNJN, 2 FSGNJX) and is checked at decode time.
 */
static inline uint64_t sign_inject(uint64_t a, uint64_t b, int variant, uint64_t sign)
{
    uint64_t bsign = variant == 0 ? b : variant == 1 ? ~b : a ^ b;

    return (a & ~sign) | (bsign & sign);
}

static void trans_fsgnj_s(CPURISCVState *env, const DecodedInsn *d)
{
    riscv_require_fp(env, d);
    set_fpr_s(env, d->rd, sign_inject(get_fpr_s(env, d->rs1), get_fpr_s(env, d->rs2),
                                      d->rm, 1ull << 31));
    riscv_mark_fs_dirty(env);
    env->pc += d->len;
}

static void trans_fsgnj_d(CPURISCVState *env, const DecodedInsn *d)
{
    riscv_require_fp(env, d);
    set_fpr_d(env, d->rd, sign_inject(get_fpr_d(env, d->rs1), get_fpr_d(env, d->rs2),
                                      d->rm, 1ull << 63));
    riscv_mark_fs_dirty(env);
    env->pc += d->len;
}

/* FMV.X.W moves the raw low 32 bits (no unboxing), sign-extended. */
static void trans_fmv_x_w(CPURISCVState *env, const DecodedInsn *d)
{
    riscv_require_fp(env, d);
    set_gpr(env, d->rd, (int64_t)(int32_t)env->fpr[d->rs1]);
    env->pc += d->len;
}

static void trans_fmv_x_d(CPURISCVState *env, const DecodedInsn *d)
{
    riscv_require_fp(env, d);
    set_gpr(env, d->rd, env->fpr[d->rs1]);
    env->pc += d->len;
}

static void trans_fmv_w_x(CPURISCVState *env, const DecodedInsn *d)
{
    riscv_require_fp(env, d);
    set_fpr_s(env, d->rd, (uint32_t)env->gpr[d->rs1]);
    riscv_mark_fs_dirty(env);
    env->pc += d->len;
}

static void trans_fmv_d_x(CPURISCVState *env, const DecodedInsn *d)
{
    riscv_require_fp(env, d);
    set_fpr_d(env, d->rd, env->gpr[d->rs1]);
    riscv_mark_fs_dirty(env);
    env->pc += d->len;
}

static void trans_fclass_s(CPURISCVState *env, const DecodedInsn *d)
{
    riscv_require_fp(env, d);
    set_gpr(env, d->rd, float32_classify(get_fpr_s(env, d->rs1)));
    env->pc += d->len;
}

static void trans_fclass_d(CPURISCVState *env, const DecodedInsn *d)
{
    riscv_require_fp(env, d);
    set_gpr(env, d->rd, float64_classify(get_fpr_d(env, d->rs1)));
    env->pc += d->len;
}

/* ---- decode ---- */

enum {
    OPC_LOAD_FP = 0x07,
    OPC_STORE_FP = 0x27,
    OPC_FMADD = 0x43,
    OPC_FMSUB = 0x47,
    OPC_FNMSUB = 0x4b,
    OPC_FNMADD = 0x4f,
    OPC_OP_FP = 0x53,
};

/* fmt field: 0 = S, 1 = D; 2 (H) and 3 (Q) are not implemented. */
enum { FMT_S = 0, FMT_D = 1 };

/* rm values 5 and 6 are reserved; DYN (7) is checked against frm at run time. */
static inline bool rm_valid(int rm)
{
    return rm != 5 && rm != 6;
}

static bool decode_op_fp(uint32_t insn, DecodedInsn *d)
{
    static const InsnHandler arith[4][2] = {
        { trans_fadd_s, trans_fadd_d }, { trans_fsub_s, trans_fsub_d },
        { trans_fmul_s, trans_fmul_d }, { trans_fdiv_s, trans_fdiv_d },
    };
    static const InsnHandler cmp[3][2] = {
        { trans_fle_s, trans_fle_d }, { trans_flt_s, trans_flt_d },
        { trans_feq_s, trans_feq_d },
    };
    static const InsnHandler to_int[4][2] = {
        { trans_fcvt_w_s, trans_fcvt_w_d }, { trans_fcvt_wu_s, trans_fcvt_wu_d },
        { trans_fcvt_l_s, trans_fcvt_l_d }, { trans_fcvt_lu_s, trans_fcvt_lu_d },
    };
    static const InsnHandler from_int[4][2] = {
        { trans_fcvt_s_w, trans_fcvt_d_w }, { trans_fcvt_s_wu, trans_fcvt_d_wu },
        { trans_fcvt_s_l, trans_fcvt_d_l }, { trans_fcvt_s_lu, trans_fcvt_d_lu },
    };
    int funct5 = insn >> 27;
    int fmt = (insn >> 25) & 3;
    int rm = d->rm;
    int rs2 = d->rs2;

    if (fmt > FMT_D) {
        return false;
    }
    switch (funct5) {
    case 0x00: case 0x01: case 0x02: case 0x03:     /* FADD FSUB FMUL FDIV */
        d->fn = arith[funct5][fmt];
        return rm_valid(rm);
    case 0x0b:                                      /* FSQRT */
        d->fn = fmt == FMT_S ? trans_fsqrt_s : trans_fsqrt_d;
        return rs2 == 0 && rm_valid(rm);
    case 0x04:                                      /* FSGNJ FSGNJN FSGNJX */
        d->fn = fmt == FMT_S ? trans_fsgnj_s : trans_fsgnj_d;
        return rm <= 2;
    case 0x05:                                      /* FMIN FMAX */
        if (rm > 1) {
            return false;
        }
        d->fn = fmt == FMT_S ? (rm ? trans_fmax_s : trans_fmin_s)
                             : (rm ? trans_fmax_d : trans_fmin_d);
        return true;
    case 0x08:                                      /* FCVT.S.D, FCVT.D.S */
        d->fn = fmt == FMT_S ? trans_fcvt_s_d : trans_fcvt_d_s;
        return rs2 == (fmt == FMT_S ? FMT_D : FMT_S) && rm_valid(rm);
    case 0x14:                                      /* FLE FLT FEQ */
        if (rm > 2) {
            return false;
        }
        d->fn = cmp[rm][fmt];
        return true;
    case 0x18:                                      /* FCVT.{W,WU,L,LU}.fmt */
        if (rs2 > 3) {
            return false;
        }
        d->fn = to_int[rs2][fmt];
        return rm_valid(rm);
    case 0x1a:                                      /* FCVT.fmt.{W,WU,L,LU} */
        if (rs2 > 3) {
            return false;
        }
        d->fn = from_int[rs2][fmt];
        return rm_valid(rm);
    case 0x1c:                                      /* FMV.X.fmt, FCLASS */
        if (rs2 != 0 || rm > 1) {
            return false;
        }
        if (rm == 0) {
            d->fn = fmt == FMT_S ? trans_fmv_x_w : trans_fmv_x_d;
        } else {
            d->fn = fmt == FMT_S ? trans_fclass_s : trans_fclass_d;
        }
        return true;
    case 0x1e:                                      /* FMV.fmt.X */
        d->fn = fmt == FMT_S ? trans_fmv_w_x : trans_fmv_d_x;
        return rs2 == 0 && rm == 0;
    default:
        return false;
    }
}

bool riscv_decode_fp(uint32_t insn, DecodedInsn *d)
{
    static const InsnHandler muladd[4][2] = {
        { trans_fmadd_s, trans_fmadd_d }, { trans_fmsub_s, trans_fmsub_d },
        { trans_fnmsub_s, trans_fnmsub_d }, { trans_fnmadd_s, trans_fnmadd_d },
    };
    int opcode = insn & 0x7f;
    int funct3 = (insn >> 12) & 7;
    int fmt = (insn >> 25) & 3;

    d->rd = (insn >> 7) & 0x1f;
    d->rs1 = (insn >> 15) & 0x1f;
    d->rs2 = (insn >> 20) & 0x1f;
    d->rs3 = insn >> 27;
    d->rm = funct3;
    d->imm = 0;

    switch (opcode) {
    case OPC_LOAD_FP:
        d->imm = riscv_imm_i(insn);
        if (funct3 == 2) {
            d->fn = trans_flw;
        } else if (funct3 == 3) {
            d->fn = trans_fld;
        } else {
            return false;
        }
        return true;
    case OPC_STORE_FP:
        d->imm = riscv_imm_s(insn);
        if (funct3 == 2) {
            d->fn = trans_fsw;
        } else if (funct3 == 3) {
            d->fn = trans_fsd;
        } else {
            return false;
        }
        return true;
    case OPC_FMADD:
    case OPC_FMSUB:
    case OPC_FNMSUB:
    case OPC_FNMADD:
        if (fmt > FMT_D || !rm_valid(funct3)) {
            return false;
        }
        d->fn = muladd[(opcode >> 2) & 3][fmt];
        return true;
    case OPC_OP_FP:
        return decode_op_fp(insn, d);
    default:
        return false;
    }
}
