/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Instruction decode (RV64IMAC, Zicsr, Zifencei; F/D go to fpu_helper.c),
 * compressed expansion, and the per-page decoded-instruction cache.
 *
 * Decoding picks a specialised handler and pre-computes the operands, so the
 * handlers never look at the instruction bits again.  Instructions whose
 * destination is x0 and that have no other effect become riscv_op_nop.
 */
#include "qemu/osdep.h"
#include "target/riscv/translate.h"
#include "target/riscv/tlb_inline.h"

/* Field extraction (unprivileged spec, chapter 2.2 / 2.3 base formats) */
#define BITS(x, hi, lo) ((int64_t)(((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1)))

static int64_t imm_i(uint32_t insn)
{
    return (int32_t)insn >> 20;
}

static int64_t imm_s(uint32_t insn)
{
    return ((int32_t)insn >> 25) * 32 + BITS(insn, 11, 7);
}

static int64_t imm_b(uint32_t insn)
{
    return ((int32_t)insn >> 31) * 4096 + (BITS(insn, 7, 7) << 11) +
           (BITS(insn, 30, 25) << 5) + (BITS(insn, 11, 8) << 1);
}

static int64_t imm_u(uint32_t insn)
{
    return (int32_t)(insn & 0xfffff000u);
}

static int64_t imm_j(uint32_t insn)
{
    return ((int32_t)insn >> 31) * (1 << 20) + (BITS(insn, 19, 12) << 12) +
           (BITS(insn, 20, 20) << 11) + (BITS(insn, 30, 21) << 1);
}

static bool decode_op_imm(uint32_t insn, DecodedInsn *d)
{
    unsigned funct6 = BITS(insn, 31, 26);

    switch (BITS(insn, 14, 12)) {
    case 0:
        d->fn = d->rs1 == 0 ? riscv_op_li : d->imm == 0 ? riscv_op_mv : riscv_op_addi;
        return true;
    case 1:
        d->imm &= 63;
        d->fn = riscv_op_slli;
        return funct6 == 0;
    case 2:
        d->fn = riscv_op_slti;
        return true;
    case 3:
        d->fn = riscv_op_sltiu;
        return true;
    case 4:
        d->fn = riscv_op_xori;
        return true;
    case 5:
        d->imm &= 63;
        d->fn = funct6 == 0x10 ? riscv_op_srai : riscv_op_srli;
        return funct6 == 0 || funct6 == 0x10;
    case 6:
        d->fn = riscv_op_ori;
        return true;
    default:
        d->fn = riscv_op_andi;
        return true;
    }
}

static bool decode_op_imm32(uint32_t insn, DecodedInsn *d)
{
    unsigned funct7 = BITS(insn, 31, 25);

    switch (BITS(insn, 14, 12)) {
    case 0:
        d->fn = riscv_op_addiw;
        return true;
    case 1:
        d->imm &= 31;
        d->fn = riscv_op_slliw;
        return funct7 == 0;
    case 5:
        d->imm &= 31;
        d->fn = funct7 == 0x20 ? riscv_op_sraiw : riscv_op_srliw;
        return funct7 == 0 || funct7 == 0x20;
    default:
        return false;
    }
}

static bool decode_op(uint32_t insn, DecodedInsn *d)
{
    static const InsnHandler base[8] = {
        riscv_op_add, riscv_op_sll, riscv_op_slt, riscv_op_sltu,
        riscv_op_xor, riscv_op_srl, riscv_op_or, riscv_op_and,
    };
    static const InsnHandler muldiv[8] = {
        riscv_op_mul, riscv_op_mulh, riscv_op_mulhsu, riscv_op_mulhu,
        riscv_op_div, riscv_op_divu, riscv_op_rem, riscv_op_remu,
    };
    unsigned funct3 = BITS(insn, 14, 12);

    switch (BITS(insn, 31, 25)) {
    case 0x00:
        d->fn = base[funct3];
        return true;
    case 0x01:
        d->fn = muldiv[funct3];
        return true;
    case 0x20:
        d->fn = funct3 == 0 ? riscv_op_sub : riscv_op_sra;
        return funct3 == 0 || funct3 == 5;
    default:
        return false;
    }
}

static bool decode_op32(uint32_t insn, DecodedInsn *d)
{
    static const InsnHandler muldiv[8] = {
        riscv_op_mulw, NULL, NULL, NULL, riscv_op_divw, riscv_op_divuw, riscv_op_remw,
        riscv_op_remuw,
    };
    unsigned funct3 = BITS(insn, 14, 12);

    switch (BITS(insn, 31, 25)) {
    case 0x00:
        d->fn = funct3 == 0 ? riscv_op_addw : funct3 == 1 ? riscv_op_sllw
              : funct3 == 5 ? riscv_op_srlw : NULL;
        break;
    case 0x01:
        d->fn = muldiv[funct3];
        break;
    case 0x20:
        d->fn = funct3 == 0 ? riscv_op_subw : funct3 == 5 ? riscv_op_sraw : NULL;
        break;
    default:
        return false;
    }
    return d->fn != NULL;
}

static bool decode_amo(uint32_t insn, DecodedInsn *d)
{
    static const InsnHandler amo_w[32] = {
        [0x00] = riscv_op_amoadd_w, [0x01] = riscv_op_amoswap_w, [0x02] = riscv_op_lr_w,
        [0x03] = riscv_op_sc_w, [0x04] = riscv_op_amoxor_w, [0x08] = riscv_op_amoor_w,
        [0x0c] = riscv_op_amoand_w, [0x10] = riscv_op_amomin_w, [0x14] = riscv_op_amomax_w,
        [0x18] = riscv_op_amominu_w, [0x1c] = riscv_op_amomaxu_w,
    };
    static const InsnHandler amo_d[32] = {
        [0x00] = riscv_op_amoadd_d, [0x01] = riscv_op_amoswap_d, [0x02] = riscv_op_lr_d,
        [0x03] = riscv_op_sc_d, [0x04] = riscv_op_amoxor_d, [0x08] = riscv_op_amoor_d,
        [0x0c] = riscv_op_amoand_d, [0x10] = riscv_op_amomin_d, [0x14] = riscv_op_amomax_d,
        [0x18] = riscv_op_amominu_d, [0x1c] = riscv_op_amomaxu_d,
    };
    unsigned funct5 = BITS(insn, 31, 27);

    d->rm = BITS(insn, 26, 25);     /* aq, rl: host atomics are sequentially consistent */
    switch (BITS(insn, 14, 12)) {
    case 2:
        d->fn = amo_w[funct5];
        break;
    case 3:
        d->fn = amo_d[funct5];
        break;
    default:
        return false;
    }
    if (funct5 == 0x02 && d->rs2 != 0) {
        return false;   /* LR has rs2 = 0 */
    }
    return d->fn != NULL;
}

static bool decode_system(uint32_t insn, DecodedInsn *d)
{
    static const InsnHandler csr_ops[8] = {
        NULL, riscv_op_csrrw, riscv_op_csrrs, riscv_op_csrrc,
        NULL, riscv_op_csrrwi, riscv_op_csrrsi, riscv_op_csrrci,
    };
    unsigned funct3 = BITS(insn, 14, 12);

    if (funct3 != 0) {
        d->csr = BITS(insn, 31, 20);
        d->rm = funct3;
        d->fn = csr_ops[funct3];
        return d->fn != NULL;
    }
    switch (insn) {
    case 0x00000073:
        d->fn = riscv_op_ecall;
        return true;
    case 0x00100073:
        d->fn = riscv_op_ebreak;
        return true;
    case 0x30200073:
        d->fn = riscv_op_mret;
        return true;
    case 0x10200073:
        d->fn = riscv_op_sret;
        return true;
    case 0x10500073:
        d->fn = riscv_op_wfi;
        return true;
    }
    if (BITS(insn, 31, 25) == 0x09 && d->rd == 0) {
        d->fn = riscv_op_sfence_vma;
        return true;
    }
    return false;
}

bool riscv_decode(uint32_t insn, DecodedInsn *d)
{
    static const InsnHandler loads[8] = {
        riscv_op_lb, riscv_op_lh, riscv_op_lw, riscv_op_ld,
        riscv_op_lbu, riscv_op_lhu, riscv_op_lwu, NULL,
    };
    static const InsnHandler stores[8] = {
        riscv_op_sb, riscv_op_sh, riscv_op_sw, riscv_op_sd,
    };
    static const InsnHandler branches[8] = {
        riscv_op_beq, riscv_op_bne, NULL, NULL,
        riscv_op_blt, riscv_op_bge, riscv_op_bltu, riscv_op_bgeu,
    };
    unsigned opcode = BITS(insn, 6, 0);
    unsigned funct3 = BITS(insn, 14, 12);
    bool ok;

    memset(d, 0, sizeof(*d));
    d->raw = insn;
    d->len = 4;
    d->rd = BITS(insn, 11, 7);
    d->rs1 = BITS(insn, 19, 15);
    d->rs2 = BITS(insn, 24, 20);
    d->rs3 = BITS(insn, 31, 27);

    switch (opcode) {
    case 0x37: /* LUI */
        d->imm = imm_u(insn);
        d->fn = riscv_op_lui;
        ok = true;
        break;
    case 0x17: /* AUIPC */
        d->imm = imm_u(insn);
        d->fn = riscv_op_auipc;
        ok = true;
        break;
    case 0x6f: /* JAL */
        d->imm = imm_j(insn);
        d->fn = d->rd ? riscv_op_jal : riscv_op_j;
        return true;
    case 0x67: /* JALR */
        d->imm = imm_i(insn);
        d->fn = d->rd ? riscv_op_jalr : riscv_op_jr;
        return funct3 == 0;
    case 0x63: /* BRANCH */
        d->imm = imm_b(insn);
        d->fn = branches[funct3];
        return d->fn != NULL;
    case 0x03: /* LOAD: performed even for rd = x0 (faults, MMIO side effects) */
        d->imm = imm_i(insn);
        d->fn = loads[funct3];
        return d->fn != NULL;
    case 0x23: /* STORE */
        d->imm = imm_s(insn);
        d->fn = stores[funct3];
        return d->fn != NULL;
    case 0x13: /* OP-IMM */
        d->imm = imm_i(insn);
        ok = decode_op_imm(insn, d);
        break;
    case 0x1b: /* OP-IMM-32 */
        d->imm = imm_i(insn);
        ok = decode_op_imm32(insn, d);
        break;
    case 0x33: /* OP */
        ok = decode_op(insn, d);
        break;
    case 0x3b: /* OP-32 */
        ok = decode_op32(insn, d);
        break;
    case 0x0f: /* MISC-MEM: FENCE orders nothing in a single in-order interpreter */
        if (funct3 == 0) {
            d->fn = riscv_op_nop;
            return true;
        }
        d->fn = riscv_op_fence_i;
        return funct3 == 1;
    case 0x73: /* SYSTEM */
        return decode_system(insn, d);
    case 0x2f: /* AMO */
        return decode_amo(insn, d);
    case 0x07: case 0x27: case 0x43: case 0x47: case 0x4b: case 0x4f: case 0x53:
        return riscv_decode_fp(insn, d);
    default:
        return false;
    }
    /* Pure register computations into x0 have no effect at all. */
    if (ok && d->rd == 0) {
        d->fn = riscv_op_nop;
    }
    return ok;
}

/* ---- Compressed instructions (unprivileged spec chapter 16, RV64C) ---- */

static uint32_t enc_i(int64_t imm, unsigned rs1, unsigned f3, unsigned rd, unsigned op)
{
    return ((uint32_t)(imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

static uint32_t enc_s(int64_t imm, unsigned rs2, unsigned rs1, unsigned f3, unsigned op)
{
    return ((uint32_t)((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
           ((uint32_t)(imm & 0x1f) << 7) | op;
}

static uint32_t enc_r(unsigned f7, unsigned rs2, unsigned rs1, unsigned f3, unsigned rd,
                      unsigned op)
{
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

static uint32_t enc_b(int64_t imm, unsigned rs2, unsigned rs1, unsigned f3)
{
    return ((uint32_t)((imm >> 12) & 1) << 31) | ((uint32_t)((imm >> 5) & 0x3f) << 25) |
           (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((uint32_t)((imm >> 1) & 0xf) << 8) |
           ((uint32_t)((imm >> 11) & 1) << 7) | 0x63;
}

static uint32_t enc_j(int64_t imm, unsigned rd)
{
    return ((uint32_t)((imm >> 20) & 1) << 31) | ((uint32_t)((imm >> 1) & 0x3ff) << 21) |
           ((uint32_t)((imm >> 11) & 1) << 20) | ((uint32_t)((imm >> 12) & 0xff) << 12) |
           (rd << 7) | 0x6f;
}

static int64_t sext(uint64_t value, unsigned bits)
{
    return (int64_t)(value << (64 - bits)) >> (64 - bits);
}

static uint32_t expand_q0(uint16_t c)
{
    unsigned rd_p = 8 + BITS(c, 4, 2);      /* rd' / rs2' */
    unsigned rs1_p = 8 + BITS(c, 9, 7);
    unsigned uimm_d = (BITS(c, 12, 10) << 3) | (BITS(c, 6, 5) << 6);
    unsigned uimm_w = (BITS(c, 12, 10) << 3) | (BITS(c, 6, 6) << 2) | (BITS(c, 5, 5) << 6);

    switch (BITS(c, 15, 13)) {
    case 0: { /* C.ADDI4SPN; nzuimm = 0 (including the all-zero word) is reserved */
        unsigned nzuimm = (BITS(c, 12, 11) << 4) | (BITS(c, 10, 7) << 6) |
                          (BITS(c, 6, 6) << 2) | (BITS(c, 5, 5) << 3);
        return nzuimm ? enc_i(nzuimm, 2, 0, rd_p, 0x13) : 0;
    }
    case 1: /* C.FLD */
        return enc_i(uimm_d, rs1_p, 3, rd_p, 0x07);
    case 2: /* C.LW */
        return enc_i(uimm_w, rs1_p, 2, rd_p, 0x03);
    case 3: /* C.LD */
        return enc_i(uimm_d, rs1_p, 3, rd_p, 0x03);
    case 5: /* C.FSD */
        return enc_s(uimm_d, rd_p, rs1_p, 3, 0x27);
    case 6: /* C.SW */
        return enc_s(uimm_w, rd_p, rs1_p, 2, 0x23);
    case 7: /* C.SD */
        return enc_s(uimm_d, rd_p, rs1_p, 3, 0x23);
    default:
        return 0;
    }
}

static uint32_t expand_q1(uint16_t c)
{
    unsigned rd = BITS(c, 11, 7);
    unsigned rd_p = 8 + BITS(c, 9, 7);
    unsigned rs2_p = 8 + BITS(c, 4, 2);
    int64_t imm6 = sext((BITS(c, 12, 12) << 5) | BITS(c, 6, 2), 6);
    unsigned shamt = (BITS(c, 12, 12) << 5) | BITS(c, 6, 2);

    switch (BITS(c, 15, 13)) {
    case 0: /* C.ADDI (C.NOP and HINTs included) */
        return enc_i(imm6, rd, 0, rd, 0x13);
    case 1: /* C.ADDIW; rd = 0 reserved */
        return rd ? enc_i(imm6, rd, 0, rd, 0x1b) : 0;
    case 2: /* C.LI */
        return enc_i(imm6, 0, 0, rd, 0x13);
    case 3:
        if (rd == 2) { /* C.ADDI16SP; nzimm = 0 reserved */
            int64_t imm = sext((BITS(c, 12, 12) << 9) | (BITS(c, 6, 6) << 4) |
                               (BITS(c, 5, 5) << 6) | (BITS(c, 4, 3) << 7) |
                               (BITS(c, 2, 2) << 5), 10);
            return imm ? enc_i(imm, 2, 0, 2, 0x13) : 0;
        }
        /* C.LUI; nzimm = 0 reserved */
        if (imm6 == 0) {
            return 0;
        }
        return ((uint32_t)(imm6 & 0xfffff) << 12) | (rd << 7) | 0x37;
    case 4:
        switch (BITS(c, 11, 10)) {
        case 0: /* C.SRLI */
            return enc_i(shamt, rd_p, 5, rd_p, 0x13);
        case 1: /* C.SRAI */
            return enc_i(shamt | 0x400, rd_p, 5, rd_p, 0x13);
        case 2: /* C.ANDI */
            return enc_i(imm6, rd_p, 7, rd_p, 0x13);
        default:
            if (!BITS(c, 12, 12)) {
                static const unsigned f3[4] = { 0, 4, 6, 7 };  /* SUB XOR OR AND */
                unsigned op = BITS(c, 6, 5);
                return enc_r(op == 0 ? 0x20 : 0, rs2_p, rd_p, f3[op], rd_p, 0x33);
            }
            switch (BITS(c, 6, 5)) {
            case 0: /* C.SUBW */
                return enc_r(0x20, rs2_p, rd_p, 0, rd_p, 0x3b);
            case 1: /* C.ADDW */
                return enc_r(0, rs2_p, rd_p, 0, rd_p, 0x3b);
            default:
                return 0;
            }
        }
    case 5: { /* C.J */
        int64_t imm = sext((BITS(c, 12, 12) << 11) | (BITS(c, 11, 11) << 4) |
                           (BITS(c, 10, 9) << 8) | (BITS(c, 8, 8) << 10) |
                           (BITS(c, 7, 7) << 6) | (BITS(c, 6, 6) << 7) |
                           (BITS(c, 5, 3) << 1) | (BITS(c, 2, 2) << 5), 12);
        return enc_j(imm, 0);
    }
    default: { /* C.BEQZ, C.BNEZ */
        int64_t imm = sext((BITS(c, 12, 12) << 8) | (BITS(c, 11, 10) << 3) |
                           (BITS(c, 6, 5) << 6) | (BITS(c, 4, 3) << 1) |
                           (BITS(c, 2, 2) << 5), 9);
        return enc_b(imm, 0, rd_p, BITS(c, 15, 13) == 6 ? 0 : 1);
    }
    }
}

static uint32_t expand_q2(uint16_t c)
{
    unsigned rd = BITS(c, 11, 7);
    unsigned rs2 = BITS(c, 6, 2);
    unsigned uimm_dsp = (BITS(c, 12, 12) << 5) | (BITS(c, 6, 5) << 3) | (BITS(c, 4, 2) << 6);
    unsigned uimm_wsp = (BITS(c, 12, 12) << 5) | (BITS(c, 6, 4) << 2) | (BITS(c, 3, 2) << 6);
    unsigned suimm_d = (BITS(c, 12, 10) << 3) | (BITS(c, 9, 7) << 6);
    unsigned suimm_w = (BITS(c, 12, 9) << 2) | (BITS(c, 8, 7) << 6);

    switch (BITS(c, 15, 13)) {
    case 0: /* C.SLLI */
        return enc_i((BITS(c, 12, 12) << 5) | rs2, rd, 1, rd, 0x13);
    case 1: /* C.FLDSP */
        return enc_i(uimm_dsp, 2, 3, rd, 0x07);
    case 2: /* C.LWSP; rd = 0 reserved */
        return rd ? enc_i(uimm_wsp, 2, 2, rd, 0x03) : 0;
    case 3: /* C.LDSP; rd = 0 reserved */
        return rd ? enc_i(uimm_dsp, 2, 3, rd, 0x03) : 0;
    case 4:
        if (!BITS(c, 12, 12)) {
            if (rs2 == 0) { /* C.JR; rs1 = 0 reserved */
                return rd ? enc_i(0, rd, 0, 0, 0x67) : 0;
            }
            return enc_r(0, rs2, 0, 0, rd, 0x33);            /* C.MV */
        }
        if (rs2 == 0) {
            if (rd == 0) {
                return 0x00100073;                          /* C.EBREAK */
            }
            return enc_i(0, rd, 0, 1, 0x67);                 /* C.JALR */
        }
        return enc_r(0, rs2, rd, 0, rd, 0x33);               /* C.ADD */
    case 5: /* C.FSDSP */
        return enc_s(suimm_d, rs2, 2, 3, 0x27);
    case 6: /* C.SWSP */
        return enc_s(suimm_w, rs2, 2, 2, 0x23);
    default: /* C.SDSP */
        return enc_s(suimm_d, rs2, 2, 3, 0x23);
    }
}

uint32_t riscv_expand_compressed(uint16_t insn)
{
    switch (insn & 3) {
    case 0:
        return expand_q0(insn);
    case 1:
        return expand_q1(insn);
    case 2:
        return expand_q2(insn);
    default:
        return 0;
    }
}

bool riscv_decode_compressed(uint16_t insn16, DecodedInsn *d)
{
    uint32_t insn = riscv_expand_compressed(insn16);
    bool ok = insn != 0 && riscv_decode(insn, d);

    if (!ok) {
        memset(d, 0, sizeof(*d));
        d->raw = insn;
    }
    d->len = 2;
    d->raw16 = insn16;
    return ok;
}

/* ---- Decoded-instruction cache ---- */

void riscv_code_cache_init(CPURISCVState *env)
{
    env->tlb.code_pages = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
}

void riscv_code_cache_drop_all(CPURISCVState *env)
{
    for (int idx = 0; idx < RISCV_MMU_IDX_COUNT; idx++) {
        for (int i = 0; i < RISCV_TLB_SIZE; i++) {
            env->tlb.fetch[idx][i].code = NULL;
        }
    }
    env->tlb.cur_page = NULL;
    g_hash_table_remove_all(env->tlb.code_pages);
}

DecodedPage *riscv_code_page_get(CPURISCVState *env, uint64_t ppage, const uint8_t *host)
{
    DecodedPage *page = g_hash_table_lookup(env->tlb.code_pages, &ppage);

    if (page) {
        return page;
    }
    if (g_hash_table_size(env->tlb.code_pages) >= RISCV_CODE_PAGES_MAX) {
        riscv_code_cache_drop_all(env);
    }
    page = g_malloc(sizeof(*page));
    page->ppage = ppage;
    page->host = host;
    for (unsigned i = 0; i < RISCV_SLOTS_PER_PAGE; i++) {
        page->slot[i].run = riscv_exec_decode_me;
    }
    page->slot[RISCV_SLOTS_PER_PAGE].run = riscv_exec_page_end;
    g_hash_table_insert(env->tlb.code_pages, &page->ppage, page);
    return page;
}

void riscv_flush_decode_cache(CPURISCVState *env)
{
    /*
     * Zifencei: stores become visible to fetches after FENCE.I.  The pages
     * are dropped when the loop next starts a block, never under a running
     * handler (FENCE.I returns to the loop), and this may be called for
     * another hart (remote FENCE.I, which kicks it).
     */
    __atomic_fetch_or(&env->tlb.flush_pending, CPU_FLUSH_CODE, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&env->tlb.flush_req, 1, __ATOMIC_SEQ_CST);
}

static void decode_at(DecodedInsn *slot, const uint8_t *code)
{
    uint16_t lo;
    uint32_t insn;

    memcpy(&lo, code, 2);
    if ((lo & 3) != 3) {
        if (!riscv_decode_compressed(lo, slot)) {
            slot->fn = riscv_op_illegal;
        }
        return;
    }
    memcpy(&insn, code, 4);
    if (!riscv_decode(insn, slot)) {
        memset(slot, 0, sizeof(*slot));
        slot->raw = insn;
        slot->len = 4;
        slot->fn = riscv_op_illegal;
    }
}

/* Fill a slot: decode, then pick the threaded runner for the handler. */
static void fill_slot(ExecSlot *slot, const uint8_t *code)
{
    decode_at(&slot->d, code);
    slot->run = riscv_exec_fn_for(&slot->d);
}

uint64_t riscv_exec_page_end(CPURISCVState *env, const ExecSlot *s, uint64_t n,
                             uint64_t pc)
{
    /* Straight-line code ran off the page: the loop finds the next one. */
    env->pc = pc;
    return n;
}

/*
 * A 32-bit instruction across pages is fetched afresh each time, and run on
 * its own (its handler, not a threaded runner: those find the following
 * slots relative to their own), then the loop goes on at the new pc.
 */
static uint64_t exec_straddle(CPURISCVState *env, const ExecSlot *s, uint64_t n,
                              uint64_t pc)
{
    const uint8_t *code = env->tlb.cur_page->host + (TARGET_PAGE_SIZE - 2);
    uint64_t next = pc + 2;
    int idx = riscv_fetch_mmu_idx(env);
    RISCVFetchEntry *e = &env->tlb.fetch[idx][RISCV_TLB_INDEX(next)];
    DecodedInsn insn;
    uint8_t bytes[4];

    env->pc = pc;
    if (e->vpage != (next & TARGET_PAGE_MASK)) {
        /* A fault here reports the second page's address (pc + 2). */
        e = riscv_fetch_fill(env, next);
    }
    memcpy(bytes, code, 2);
    memcpy(bytes + 2, (const void *)(uintptr_t)(next + e->addend), 2);
    decode_at(&insn, bytes);
    insn.fn(env, &insn);
    return n + 1;
}

/*
 * Give @slot a fused runner when it and the next instruction form a known
 * pair (op_helper.c).  The next one must lie wholly in this page; it is
 * decoded into its own slot now, as its first execution would, so the pair
 * runner can read it there.  A FENCE.I drops the whole page, pair included.
 */
static void try_fuse(ExecSlot *slot, const uint8_t *code, unsigned offset)
{
    unsigned next_offset = offset + slot->d.len;
    ExecSlot *next = slot + (slot->d.len >> 1);
    ExecFn fused;

    if (!riscv_exec_fuses_first(&slot->d)) {
        return;
    }
    if (next_offset > TARGET_PAGE_SIZE - 2 ||
        ((code[slot->d.len] & 3) == 3 && next_offset > TARGET_PAGE_SIZE - 4)) {
        return;
    }
    if (next->run == riscv_exec_decode_me) {
        fill_slot(next, code + slot->d.len);
    }
    fused = riscv_exec_fused_for(&slot->d, &next->d);
    if (fused) {
        slot->run = fused;
    }
}

uint64_t riscv_exec_decode_me(CPURISCVState *env, const ExecSlot *s, uint64_t n,
                              uint64_t pc)
{
    ExecSlot *slot = (ExecSlot *)s;
    unsigned offset = pc & ~TARGET_PAGE_MASK;
    const uint8_t *code = env->tlb.cur_page->host + offset;

    if ((code[0] & 3) == 3 && offset == TARGET_PAGE_SIZE - 2) {
        slot->run = exec_straddle;
    } else {
        fill_slot(slot, code);
        try_fuse(slot, code, offset);
    }
    return slot->run(env, slot, n, pc);
}
