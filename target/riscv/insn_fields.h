/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Immediates of the 32-bit base instruction formats (unprivileged spec,
 * "Immediate Encoding Variants"), shared by every decoder so that each format
 * is built in exactly one place.  Every immediate but U's is sign-extended
 * from instruction bit 31; all arithmetic is on int64_t, so no intermediate
 * value can lose the sign (or shift a negative number, which C leaves
 * undefined).
 */
#ifndef TARGET_RISCV_INSN_FIELDS_H
#define TARGET_RISCV_INSN_FIELDS_H

#include <stdint.h>

/* Bits hi..lo of @x, zero-extended. */
#define RISCV_BITS(x, hi, lo) ((int64_t)(((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1)))

/* Instruction bit 31 as 0 or -1: the sign of every signed immediate. */
static inline int64_t riscv_imm_sign(uint32_t insn)
{
    return -(int64_t)(insn >> 31);
}

/* I-type: imm[11:0] = insn[31:20] (loads, OP-IMM, JALR, LOAD-FP). */
static inline int64_t riscv_imm_i(uint32_t insn)
{
    return riscv_imm_sign(insn) * 2048 + RISCV_BITS(insn, 30, 20);
}

/* S-type: imm[11:5] = insn[31:25], imm[4:0] = insn[11:7] (STORE, STORE-FP). */
static inline int64_t riscv_imm_s(uint32_t insn)
{
    return riscv_imm_sign(insn) * 2048 + (RISCV_BITS(insn, 30, 25) << 5) +
           RISCV_BITS(insn, 11, 7);
}

/* B-type: imm[12|10:5] = insn[31:25], imm[4:1|11] = insn[11:7]. */
static inline int64_t riscv_imm_b(uint32_t insn)
{
    return riscv_imm_sign(insn) * 4096 + (RISCV_BITS(insn, 7, 7) << 11) +
           (RISCV_BITS(insn, 30, 25) << 5) + (RISCV_BITS(insn, 11, 8) << 1);
}

/* U-type: imm[31:12] = insn[31:12], sign-extended to 64 bits on RV64. */
static inline int64_t riscv_imm_u(uint32_t insn)
{
    return riscv_imm_sign(insn) * ((int64_t)1 << 31) + (RISCV_BITS(insn, 30, 12) << 12);
}

/* J-type: imm[20|10:1|11|19:12] = insn[31:12]. */
static inline int64_t riscv_imm_j(uint32_t insn)
{
    return riscv_imm_sign(insn) * (1 << 20) + (RISCV_BITS(insn, 19, 12) << 12) +
           (RISCV_BITS(insn, 20, 20) << 11) + (RISCV_BITS(insn, 30, 21) << 1);
}

#endif
