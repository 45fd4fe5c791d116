/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V decoder tests: 32-bit decode (the F/D decoder of fpu_helper.c
 * included), compressed expansion (checked against the encodings GNU as
 * produces for each compressed/expanded pair), reserved encodings, and a few
 * tiny programs run through the execution loop on a stub machine (flat RAM,
 * identity translation, M-mode-only traps).
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "exec/ramblock.h"
#include "sysemu/cpus.h"
#include "target/riscv/translate.h"

/* ---- Stub machine: what csr.c, cpu_helper.c, memory.c provide ---- */

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (64 * KiB)
#define EXIT_DEV 0x100000ULL

static uint8_t *test_ram;
static MemoryRegion ram_mr, exit_mr;
static RISCVCPU *test_cpu;
static int64_t test_exit_code;
int ram_dirty_log_active;
RAMBlock *ram_list;

static uint64_t exit_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void exit_write(void *opaque, hwaddr addr, uint64_t data, unsigned size)
{
    test_exit_code = data;
    riscv_cpu_kick(test_cpu);
}

static const MemoryRegionOps exit_ops = { .read = exit_read, .write = exit_write };

MemoryRegion *address_space_lookup(hwaddr addr, hwaddr *offset)
{
    MemoryRegion *regions[] = { &ram_mr, &exit_mr };

    for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
        if (addr >= regions[i]->addr && addr - regions[i]->addr < regions[i]->size) {
            *offset = addr - regions[i]->addr;
            return regions[i];
        }
    }
    return NULL;
}

MemTxResult memory_region_dispatch_read(MemoryRegion *mr, hwaddr offset, uint64_t *data,
                                        unsigned size)
{
    *data = mr->ops->read(mr->opaque, offset, size);
    return MEMTX_OK;
}

MemTxResult memory_region_dispatch_write(MemoryRegion *mr, hwaddr offset, uint64_t data,
                                         unsigned size)
{
    mr->ops->write(mr->opaque, offset, data, size);
    return MEMTX_OK;
}

int riscv_mmu_translate(CPURISCVState *env, uint64_t vaddr, MMUAccessType access,
                        int mmu_idx, hwaddr *paddr, int *prot)
{
    *paddr = vaddr;
    *prot = 7;
    return RISCV_EXCP_NONE;
}

void riscv_cpu_do_trap(CPURISCVState *env, bool is_interrupt, uint64_t cause, uint64_t tval)
{
    env->mcause = cause;
    env->mtval = tval;
    env->mepc = env->pc;
    env->pc = env->mtvec;
}

int riscv_csrrw(CPURISCVState *env, int csrno, uint64_t *ret_value, uint64_t new_value,
                uint64_t write_mask)
{
    if (csrno != CSR_MSCRATCH) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    if (ret_value) {
        *ret_value = env->mscratch;
    }
    env->mscratch = (env->mscratch & ~write_mask) | (new_value & write_mask);
    return RISCV_EXCP_NONE;
}

void riscv_csr_reset(CPURISCVState *env)
{
    env->priv = PRV_M;
    env->mscratch = 0;
    env->load_res = -1;
    tlb_flush(env);
}

void riscv_cpu_mret(CPURISCVState *env, const DecodedInsn *d)
{
    env->pc = env->mepc;
}

void riscv_cpu_sret(CPURISCVState *env, const DecodedInsn *d)
{
    riscv_raise_illegal(env, d);
}

int riscv_cpu_pending_interrupt(CPURISCVState *env)
{
    return -1;
}

void cpu_wake(CPUState *cs)
{
}

/* ---- Decode ---- */

static void test_decode_fields(void)
{
    DecodedInsn d;

    g_assert_true(riscv_decode(0xffb10093, &d));           /* addi x1, x2, -5 */
    g_assert(d.fn == riscv_op_addi);
    g_assert_cmpint(d.rd, ==, 1);
    g_assert_cmpint(d.rs1, ==, 2);
    g_assert_cmpint(d.imm, ==, -5);
    g_assert_cmpint(d.len, ==, 4);

    g_assert_true(riscv_decode(0x00500013, &d));           /* addi x0, x0, 5: no effect */
    g_assert(d.fn == riscv_op_nop);
    g_assert_true(riscv_decode(0x00700513, &d));           /* li a0, 7 */
    g_assert(d.fn == riscv_op_li);
    g_assert_true(riscv_decode(0xfffff2b7, &d));           /* lui t0, 0xfffff */
    g_assert_cmpint(d.imm, ==, -4096);
    g_assert_true(riscv_decode(0xfe7349e3, &d));           /* blt t1, t2, .-14 */
    g_assert(d.fn == riscv_op_blt);
    g_assert_cmpint(d.imm, ==, -14);
    g_assert_true(riscv_decode(0x8000006f, &d));           /* j .-0x100000 */
    g_assert(d.fn == riscv_op_j);
    g_assert_cmpint(d.imm, ==, -0x100000);
    g_assert_true(riscv_decode(0xfe113c23, &d));           /* sd ra, -8(sp) */
    g_assert(d.fn == riscv_op_sd);
    g_assert_cmpint(d.imm, ==, -8);
    g_assert_true(riscv_decode(0x00003003, &d));           /* ld x0, 0(x0): still a load */
    g_assert(d.fn == riscv_op_ld);
    g_assert_true(riscv_decode(0x4030d093, &d));           /* srai ra, ra, 3 */
    g_assert(d.fn == riscv_op_srai);
    g_assert_cmpint(d.imm, ==, 3);
    g_assert_true(riscv_decode(0x340022f3, &d));           /* csrr t0, mscratch */
    g_assert(d.fn == riscv_op_csrrs);
    g_assert_cmpint(d.csr, ==, CSR_MSCRATCH);
    g_assert_true(riscv_decode(0x12000073, &d));           /* sfence.vma */
    g_assert(d.fn == riscv_op_sfence_vma);
    g_assert_true(riscv_decode(0x1005a52f, &d));           /* lr.w a0, (a1) */
    g_assert(d.fn == riscv_op_lr_w);
    g_assert_true(riscv_decode(0x00053007, &d));           /* fld f0, 0(a0): FP decoder */
}

/*
 * LOAD-FP is I-type and STORE-FP S-type, like the integer loads and stores:
 * their offsets are sign-extended to 64 bits (a negative offset once came out
 * as 2^32 minus it for STORE-FP).
 */
static void test_decode_fp_offsets(void)
{
    static const struct {
        uint32_t insn;
        int64_t imm;
    } cases[] = {
        { 0xf4153827, -176 },   /* fsd ft1, -176(a0) */
        { 0xfe252e27, -4 },     /* fsw ft2, -4(a0) */
        { 0x80553027, -2048 },  /* fsd ft5, -2048(a0) */
        { 0x7e652fa7, 2047 },   /* fsw ft6, 2047(a0) */
        { 0xf5053187, -176 },   /* fld ft3, -176(a0) */
        { 0x80052207, -2048 },  /* flw ft4, -2048(a0) */
    };
    DecodedInsn d;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        g_assert_true(riscv_decode(cases[i].insn, &d));
        g_assert_cmpint(d.imm, ==, cases[i].imm);
        g_assert_cmpint(d.rs1, ==, 10);
    }
}

static void test_decode_illegal(void)
{
    static const uint32_t illegal[] = {
        0xffffffff,     /* not a 32-bit encoding */
        0xfe000033,     /* OP with funct7 0x7f */
        0x0400d093,     /* srli with funct6 = 1 */
        0x0200929b,     /* slliw with shamt[5] set */
        0x00004073,     /* SYSTEM funct3 = 4 */
        0x00200073,     /* SYSTEM funct3 = 0, unknown */
        0x0000700f,     /* MISC-MEM funct3 = 7 */
        0x0000207b,     /* custom-3 */
        0x1015a52f,     /* lr.w with rs2 != 0 */
        0x0000f003,     /* load funct3 = 7 */
        0x00004023,     /* store funct3 = 4 */
        0x00002063,     /* branch funct3 = 2 */
        0x00001067,     /* jalr funct3 = 1 */
    };
    DecodedInsn d;

    for (size_t i = 0; i < ARRAY_SIZE(illegal); i++) {
        g_assert_false(riscv_decode(illegal[i], &d));
    }
    /* RV64 shift amounts use imm[5]: slli a0, a0, 32 is legal */
    g_assert_true(riscv_decode(0x02051513, &d));
    g_assert_cmpint(d.imm, ==, 32);
}

/* ---- Compressed expansion ---- */

static const struct {
    uint16_t c;
    uint32_t expanded;
} rvc_pairs[] = {
    { 0x1fe8, 0x3fc10513 },  /* c.addi4spn a0, sp, 1020 */
    { 0x3f7c, 0x0f873787 },  /* c.fld fa5, 248(a4) */
    { 0x5ff4, 0x07c7a683 },  /* c.lw a3, 124(a5) */
    { 0x7d64, 0x0f853483 },  /* c.ld s1, 248(a0) */
    { 0xa480, 0x0084b427 },  /* c.fsd fs0, 8(s1) */
    { 0xc03c, 0x04f42023 },  /* c.sw a5, 64(s0) */
    { 0xe658, 0x08e63423 },  /* c.sd a4, 136(a2) */
    { 0x0001, 0x00000013 },  /* c.nop */
    { 0x1281, 0xfe028293 },  /* c.addi t0, -32 */
    { 0x257d, 0x01f5051b },  /* c.addiw a0, 31 */
    { 0x597d, 0xfff00913 },  /* c.li s2, -1 */
    { 0x7101, 0xe0010113 },  /* c.addi16sp sp, -512 */
    { 0x617d, 0x1f010113 },  /* c.addi16sp sp, 496 */
    { 0x7301, 0xfffe0337 },  /* c.lui t1, 0xfffe0 */
    { 0x637d, 0x0001f337 },  /* c.lui t1, 31 */
    { 0x93fd, 0x03f7d793 },  /* c.srli a5, 63 */
    { 0x9401, 0x42045413 },  /* c.srai s0, 32 */
    { 0x99f5, 0xffd5f593 },  /* c.andi a1, -3 */
    { 0x8d0d, 0x40b50533 },  /* c.sub a0, a1 */
    { 0x8c25, 0x00944433 },  /* c.xor s0, s1 */
    { 0x8e55, 0x00d66633 },  /* c.or a2, a3 */
    { 0x8f7d, 0x00f77733 },  /* c.and a4, a5 */
    { 0x9d1d, 0x40f5053b },  /* c.subw a0, a5 */
    { 0x9cb1, 0x00c484bb },  /* c.addw s1, a2 */
    { 0x1ffe, 0x03ff9f93 },  /* c.slli t6, 63 */
    { 0x30fe, 0x1f813087 },  /* c.fldsp ft1, 504(sp) */
    { 0x50fe, 0x0fc12083 },  /* c.lwsp ra, 252(sp) */
    { 0x6da2, 0x00813d83 },  /* c.ldsp s11, 8(sp) */
    { 0x8082, 0x00008067 },  /* c.jr ra */
    { 0x851e, 0x00700533 },  /* c.mv a0, t2 */
    { 0x9002, 0x00100073 },  /* c.ebreak */
    { 0x9282, 0x000280e7 },  /* c.jalr t0 */
    { 0x99d2, 0x014989b3 },  /* c.add s3, s4 */
    { 0xa06e, 0x01b13027 },  /* c.fsdsp fs11, 0(sp) */
    { 0xdffa, 0x0fe12e23 },  /* c.swsp t5, 252(sp) */
    { 0xffa2, 0x1e813c23 },  /* c.sdsp s0, 504(sp) */
};

static void test_expand(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(rvc_pairs); i++) {
        g_assert_cmphex(riscv_expand_compressed(rvc_pairs[i].c), ==, rvc_pairs[i].expanded);
    }
}

static void test_expand_jumps(void)
{
    static const struct {
        uint16_t c;
        InsnHandler fn;
        int64_t imm;
    } cases[] = {
        { 0xb001, riscv_op_j, -2048 },      /* c.j .-2048 */
        { 0xaffd, riscv_op_j, 2046 },       /* c.j .+2046 */
        { 0xa45d, riscv_op_j, 0x2a6 },
        { 0xd101, riscv_op_beq, -256 },     /* c.beqz a0, .-256 */
        { 0xecfd, riscv_op_bne, 254 },      /* c.bnez s1, .+254 */
        { 0xe7ad, riscv_op_bne, 0x6a },
    };
    DecodedInsn d;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        g_assert_true(riscv_decode_compressed(cases[i].c, &d));
        g_assert(d.fn == cases[i].fn);
        g_assert_cmpint(d.imm, ==, cases[i].imm);
        g_assert_cmpint(d.len, ==, 2);
        g_assert_cmphex(d.raw16, ==, cases[i].c);
    }
}

static void test_expand_reserved(void)
{
    static const uint16_t reserved[] = {
        0x0000,     /* all zero (C.ADDI4SPN, imm 0) */
        0x0004,     /* C.ADDI4SPN nzuimm = 0, rd' = s1 */
        0x8000,     /* quadrant 0, funct3 100 */
        0x2001,     /* C.ADDIW rd = 0 */
        0x6081,     /* C.LUI ra, 0 */
        0x6101,     /* C.ADDI16SP 0 */
        0x9c41,     /* quadrant 1 reserved (bit 12, funct2 10) */
        0x9c61,     /* quadrant 1 reserved (bit 12, funct2 11) */
        0x4002,     /* C.LWSP rd = 0 */
        0x6002,     /* C.LDSP rd = 0 */
        0x8002,     /* C.JR rs1 = 0 */
    };
    DecodedInsn d;

    for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
        g_assert_cmphex(riscv_expand_compressed(reserved[i]), ==, 0);
        g_assert_false(riscv_decode_compressed(reserved[i], &d));
        g_assert_cmphex(d.raw16, ==, reserved[i]);
        g_assert_cmpint(d.len, ==, 2);
    }
    /* HINTs are legal no-ops: C.NOP with imm, C.LI/C.MV/C.SLLI with rd = 0 */
    g_assert_true(riscv_decode_compressed(0x0005, &d));
    g_assert(d.fn == riscv_op_nop);
    g_assert_true(riscv_decode_compressed(0x4015, &d));
    g_assert(d.fn == riscv_op_nop);
}

/*
 * ---- Every immediate of every format ----
 *
 * Each immediate field is walked over all its values (so both values of the
 * sign bit and every field edge), encoded here from the bit tables of the
 * unprivileged spec ("Immediate Encoding Variants" for the base formats,
 * "Compressed Instruction Formats" for RVC), and decoded by the emulator's
 * decoders, which must give the value back.  The register fields go through
 * their extremes alongside.
 */

static const unsigned edge_regs[] = { 1, 31, 10, 16 };

#define EDGE_REG(i) edge_regs[(i) % ARRAY_SIZE(edge_regs)]

static uint32_t ref_i(int64_t imm, unsigned rs1, unsigned f3, unsigned rd, unsigned op)
{
    return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t ref_s(int64_t imm, unsigned rs2, unsigned rs1, unsigned f3, unsigned op)
{
    uint32_t u = (uint32_t)imm;

    return (u >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1f) << 7 | op;
}

static uint32_t ref_b(int64_t imm, unsigned rs2, unsigned rs1, unsigned f3)
{
    uint32_t u = (uint32_t)imm;

    return (u >> 12 & 1) << 31 | (u >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 |
           f3 << 12 | (u >> 1 & 0xf) << 8 | (u >> 11 & 1) << 7 | 0x63;
}

static uint32_t ref_j(int64_t imm, unsigned rd)
{
    uint32_t u = (uint32_t)imm;

    return (u >> 20 & 1) << 31 | (u >> 1 & 0x3ff) << 21 | (u >> 11 & 1) << 20 |
           (u >> 12 & 0xff) << 12 | rd << 7 | 0x6f;
}

static void check_decoded(uint32_t insn, int64_t imm, InsnHandler fn)
{
    DecodedInsn d;

    if (!riscv_decode(insn, &d) || d.imm != imm || (fn && d.fn != fn)) {
        g_error("%08x: decoded imm %" PRId64 ", expected %" PRId64, insn, d.imm, imm);
    }
}

static void test_imm_i(void)
{
    for (int64_t imm = -2048; imm < 2048; imm++) {
        unsigned r1 = EDGE_REG(imm), r2 = EDGE_REG(imm + 1);
        DecodedInsn d;

        check_decoded(ref_i(imm, r1, 0, r2, 0x13), imm, imm ? riscv_op_addi : riscv_op_mv);
        check_decoded(ref_i(imm, r1, 0, r2, 0x1b), imm, riscv_op_addiw);
        check_decoded(ref_i(imm, r1, 2, r2, 0x13), imm, riscv_op_slti);
        check_decoded(ref_i(imm, r1, 3, r2, 0x03), imm, riscv_op_ld);
        check_decoded(ref_i(imm, r1, 4, r2, 0x03), imm, riscv_op_lbu);
        check_decoded(ref_i(imm, r1, 0, r2, 0x67), imm, riscv_op_jalr);
        check_decoded(ref_i(imm, r1, 2, r2, 0x07), imm, NULL);             /* flw */
        check_decoded(ref_i(imm, r1, 3, r2, 0x07), imm, NULL);             /* fld */
        riscv_decode(ref_i(imm, r1, 3, r2, 0x07), &d);
        g_assert_cmpint(d.rs1, ==, r1);
        g_assert_cmpint(d.rd, ==, r2);
    }
}

static void test_imm_s(void)
{
    for (int64_t imm = -2048; imm < 2048; imm++) {
        unsigned r1 = EDGE_REG(imm), r2 = EDGE_REG(imm + 1);
        DecodedInsn d;

        check_decoded(ref_s(imm, r2, r1, 0, 0x23), imm, riscv_op_sb);
        check_decoded(ref_s(imm, r2, r1, 3, 0x23), imm, riscv_op_sd);
        check_decoded(ref_s(imm, r2, r1, 2, 0x27), imm, NULL);             /* fsw */
        check_decoded(ref_s(imm, r2, r1, 3, 0x27), imm, NULL);             /* fsd */
        riscv_decode(ref_s(imm, r2, r1, 3, 0x27), &d);
        g_assert_cmpint(d.rs1, ==, r1);
        g_assert_cmpint(d.rs2, ==, r2);
    }
}

static void test_imm_b(void)
{
    for (int64_t imm = -4096; imm < 4096; imm += 2) {
        check_decoded(ref_b(imm, EDGE_REG(imm), EDGE_REG(imm + 1), 0), imm, riscv_op_beq);
        check_decoded(ref_b(imm, 0, 31, 7), imm, riscv_op_bgeu);
    }
}

static void test_imm_u_j(void)
{
    for (int64_t v = 0; v < (1 << 20); v++) {
        int64_t u_imm = (int64_t)(int32_t)(uint32_t)(v << 12);
        int64_t j_imm = (v - (v >= (1 << 19) ? 1 << 20 : 0)) * 2;
        unsigned rd = EDGE_REG(v);

        check_decoded((uint32_t)(v << 12) | rd << 7 | 0x37, u_imm, riscv_op_lui);
        check_decoded((uint32_t)(v << 12) | rd << 7 | 0x17, u_imm, riscv_op_auipc);
        check_decoded(ref_j(j_imm, rd), j_imm, riscv_op_jal);
    }
}

/* The compressed formats: a spec bit table per format, from immediate to bits. */
typedef struct RvcField {
    uint8_t insn_bit;   /* lowest instruction bit of the run */
    uint8_t imm_hi;     /* immediate bits imm_hi..imm_lo go there */
    uint8_t imm_lo;
} RvcField;

static uint16_t rvc_scatter(uint64_t imm, const RvcField *f, size_t n)
{
    uint16_t c = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned width = f[i].imm_hi - f[i].imm_lo + 1;

        c |= ((imm >> f[i].imm_lo) & ((1u << width) - 1)) << f[i].insn_bit;
    }
    return c;
}

#define RVC_IMM(imm, table) rvc_scatter((imm), (table), ARRAY_SIZE(table))

/* CIW nzuimm[5:4|9:6|2|3]; CL/CS word uimm[5:3], [2|6]; double uimm[5:3], [7:6] */
static const RvcField ciw_addi4spn[] = {
    { 11, 5, 4 }, { 7, 9, 6 }, { 6, 2, 2 }, { 5, 3, 3 },
};
static const RvcField cl_word[] = { { 10, 5, 3 }, { 6, 2, 2 }, { 5, 6, 6 } };
static const RvcField cl_double[] = { { 10, 5, 3 }, { 5, 7, 6 } };
/* CI imm[5], imm[4:0]; C.ADDI16SP nzimm[9], [4|6|8:7|5]; C.LUI nzimm[17], [16:12] */
static const RvcField ci_imm6[] = { { 12, 5, 5 }, { 2, 4, 0 } };
static const RvcField ci_addi16sp[] = {
    { 12, 9, 9 }, { 6, 4, 4 }, { 5, 6, 6 }, { 3, 8, 7 }, { 2, 5, 5 },
};
static const RvcField ci_lui[] = { { 12, 17, 17 }, { 2, 16, 12 } };
/* CI loads from sp: word uimm[5], [4:2|7:6]; double uimm[5], [4:3|8:6] */
static const RvcField ci_lwsp[] = { { 12, 5, 5 }, { 4, 4, 2 }, { 2, 7, 6 } };
static const RvcField ci_ldsp[] = { { 12, 5, 5 }, { 5, 4, 3 }, { 2, 8, 6 } };
/* CSS stores to sp: word uimm[5:2|7:6]; double uimm[5:3|8:6] */
static const RvcField css_swsp[] = { { 9, 5, 2 }, { 7, 7, 6 } };
static const RvcField css_sdsp[] = { { 10, 5, 3 }, { 7, 8, 6 } };
/* CJ imm[11|4|9:8|10|6|7|3:1|5]; CB offset[8|4:3], [7:6|2:1|5] */
static const RvcField cj_jump[] = {
    { 12, 11, 11 }, { 11, 4, 4 }, { 9, 9, 8 }, { 8, 10, 10 }, { 7, 6, 6 }, { 6, 7, 7 },
    { 3, 3, 1 }, { 2, 5, 5 },
};
static const RvcField cb_branch[] = {
    { 12, 8, 8 }, { 10, 4, 3 }, { 5, 7, 6 }, { 3, 2, 1 }, { 2, 5, 5 },
};

static uint16_t rvc(unsigned funct3, unsigned quadrant, uint16_t fields)
{
    return funct3 << 13 | fields | quadrant;
}

/* Decode @c; it must be legal, give @imm and, when given, handler @fn. */
static DecodedInsn check_rvc(uint16_t c, int64_t imm, InsnHandler fn)
{
    DecodedInsn d;

    if (!riscv_decode_compressed(c, &d) || d.imm != imm || (fn && d.fn != fn) ||
        d.len != 2) {
        g_error("%04x: decoded imm %" PRId64 ", expected %" PRId64, c, d.imm, imm);
    }
    return d;
}

static void test_imm_rvc_mem(void)
{
    for (int64_t u = 0; u < 512; u++) {
        unsigned rp = u & 7, rp2 = (u >> 3) & 7, r = EDGE_REG(u);
        DecodedInsn d;

        if (u % 4 == 0 && u && u < 1024) {          /* C.ADDI4SPN, nzuimm != 0 */
            d = check_rvc(rvc(0, 0, RVC_IMM(u, ciw_addi4spn) | rp << 2), u, riscv_op_addi);
            g_assert_cmpint(d.rd, ==, 8 + rp);
            g_assert_cmpint(d.rs1, ==, 2);
        }
        if (u % 4 == 0 && u < 128) {                /* C.LW, C.SW */
            uint16_t f = RVC_IMM(u, cl_word) | rp2 << 7 | rp << 2;

            d = check_rvc(rvc(2, 0, f), u, riscv_op_lw);
            g_assert_cmpint(d.rs1, ==, 8 + rp2);
            g_assert_cmpint(d.rd, ==, 8 + rp);
            d = check_rvc(rvc(6, 0, f), u, riscv_op_sw);
            g_assert_cmpint(d.rs2, ==, 8 + rp);
        }
        if (u % 8 == 0 && u < 256) {                /* C.LD, C.FLD, C.SD, C.FSD */
            uint16_t f = RVC_IMM(u, cl_double) | rp2 << 7 | rp << 2;

            check_rvc(rvc(3, 0, f), u, riscv_op_ld);
            check_rvc(rvc(1, 0, f), u, NULL);
            check_rvc(rvc(7, 0, f), u, riscv_op_sd);
            d = check_rvc(rvc(5, 0, f), u, NULL);
            g_assert_cmpint(d.rs1, ==, 8 + rp2);
            g_assert_cmpint(d.rs2, ==, 8 + rp);
        }
        if (u % 4 == 0 && u < 256) {                /* C.LWSP, C.SWSP */
            d = check_rvc(rvc(2, 2, RVC_IMM(u, ci_lwsp) | r << 7), u, riscv_op_lw);
            g_assert_cmpint(d.rs1, ==, 2);
            g_assert_cmpint(d.rd, ==, r);
            d = check_rvc(rvc(6, 2, RVC_IMM(u, css_swsp) | r << 2), u, riscv_op_sw);
            g_assert_cmpint(d.rs2, ==, r);
        }
        if (u % 8 == 0) {                           /* C.LDSP, C.FLDSP, C.SDSP, C.FSDSP */
            check_rvc(rvc(3, 2, RVC_IMM(u, ci_ldsp) | r << 7), u, riscv_op_ld);
            check_rvc(rvc(1, 2, RVC_IMM(u, ci_ldsp) | r << 7), u, NULL);
            check_rvc(rvc(7, 2, RVC_IMM(u, css_sdsp) | r << 2), u, riscv_op_sd);
            d = check_rvc(rvc(5, 2, RVC_IMM(u, css_sdsp) | r << 2), u, NULL);
            g_assert_cmpint(d.rs1, ==, 2);
            g_assert_cmpint(d.rs2, ==, r);
        }
    }
}

static void test_imm_rvc_alu(void)
{
    for (int64_t imm = -32; imm < 32; imm++) {
        uint16_t f = RVC_IMM(imm, ci_imm6);
        unsigned rp = imm & 7;

        check_rvc(rvc(0, 1, f | 31 << 7), imm, imm ? riscv_op_addi : riscv_op_mv);
        check_rvc(rvc(1, 1, f | 1 << 7), imm, riscv_op_addiw);
        check_rvc(rvc(2, 1, f | 10 << 7), imm, riscv_op_li);
        check_rvc(rvc(4, 1, f | 2 << 10 | rp << 7), imm, riscv_op_andi);
        if (imm) {                                  /* C.LUI, nzimm != 0, rd != 0, 2 */
            check_rvc(rvc(3, 1, RVC_IMM(imm * 4096, ci_lui) | 31 << 7), imm * 4096,
                      riscv_op_lui);
        }
    }
    for (int64_t imm = -512; imm < 512; imm += 16) {    /* C.ADDI16SP, nzimm != 0 */
        if (imm) {
            check_rvc(rvc(3, 1, RVC_IMM(imm, ci_addi16sp) | 2 << 7), imm, riscv_op_addi);
        }
    }
    for (int64_t sh = 1; sh < 64; sh++) {               /* C.SLLI, C.SRLI, C.SRAI */
        uint16_t f = RVC_IMM(sh, ci_imm6);

        check_rvc(rvc(0, 2, f | 31 << 7), sh, riscv_op_slli);
        check_rvc(rvc(4, 1, f | 0 << 10 | 7 << 7), sh, riscv_op_srli);
        check_rvc(rvc(4, 1, f | 1 << 10 | 0 << 7), sh, riscv_op_srai);
    }
}

static void test_imm_rvc_jumps(void)
{
    for (int64_t imm = -2048; imm < 2048; imm += 2) {   /* C.J */
        check_rvc(rvc(5, 1, RVC_IMM(imm, cj_jump)), imm, riscv_op_j);
    }
    for (int64_t imm = -256; imm < 256; imm += 2) {     /* C.BEQZ, C.BNEZ */
        DecodedInsn d;

        d = check_rvc(rvc(6, 1, RVC_IMM(imm, cb_branch) | 7 << 7), imm, riscv_op_beq);
        g_assert_cmpint(d.rs1, ==, 15);
        g_assert_cmpint(d.rs2, ==, 0);
        d = check_rvc(rvc(7, 1, RVC_IMM(imm, cb_branch) | 0 << 7), imm, riscv_op_bne);
        g_assert_cmpint(d.rs1, ==, 8);
    }
}

/* ---- Execution on the stub machine ---- */

static void run_program(const uint32_t *words, size_t n, uint64_t at)
{
    memcpy(test_ram + (at - RAM_BASE), words, n * 4);
    test_cpu->reset_pc = at;
    riscv_cpu_reset(test_cpu);
    test_exit_code = -1;
    for (int i = 0; i < 1000 && test_exit_code < 0; i++) {
        riscv_cpu_exec(test_cpu);
    }
}

static void test_exec_loop(void)
{
    /* Sum 1..100, LR/SC pair, exit with the sum via the exit device. */
    static const uint32_t prog[] = {
        0x00000513,     /* li a0, 0 */
        0x06400593,     /* li a1, 100 */
        0x00b50533,     /* 1: add a0, a0, a1 */
        0xfff58593,     /* addi a1, a1, -1 */
        0xfe059ce3,     /* bnez a1, 1b */
        0x001002b7,     /* lui t0, 0x100 */
        0x00a2b023,     /* sd a0, 0(t0) */
        0x0000006f,     /* j . */
    };

    run_program(prog, ARRAY_SIZE(prog), RAM_BASE);
    g_assert_cmpint(test_exit_code, ==, 5050);
    g_assert_cmpuint(test_cpu->env.instret, >=, 300);
}

static void test_exec_illegal_tval(void)
{
    /* Runs from offset 8; the trap vector is the exit sequence at offset 24. */
    static const uint32_t prog[] = {
        0x00000297,     /* auipc t0, 0 */
        0x01828293,     /* addi t0, t0, 24 */
        0x30529073,     /* csrw mtvec, t0: illegal here (the stub has mscratch only) */
        0x00000000,
        0x00000000,
        0x00000000,
        0x001002b7,     /* lui t0, 0x100 */
        0x00a2b023,     /* sd a0, 0(t0) */
        0x0000006f,     /* j . */
    };
    CPURISCVState *env = &test_cpu->env;

    memcpy(test_ram + 0x1000, prog, sizeof(prog));
    test_cpu->reset_pc = RAM_BASE + 0x1000 + 8;
    riscv_cpu_reset(test_cpu);
    env->mtvec = RAM_BASE + 0x1000 + 24;
    test_exit_code = -1;
    riscv_cpu_exec(test_cpu);
    g_assert_cmpint(env->mcause, ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(env->mtval, ==, 0x30529073);
    g_assert_cmphex(env->mepc, ==, RAM_BASE + 0x1000 + 8);

    /* A reserved compressed instruction reports its 16 bits. */
    test_cpu->reset_pc = RAM_BASE + 0x1000 + 12;
    riscv_cpu_reset(test_cpu);
    env->mtvec = RAM_BASE + 0x1000 + 24;
    test_exit_code = -1;
    riscv_cpu_exec(test_cpu);
    g_assert_cmpint(env->mcause, ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(env->mtval, ==, 0);
}

static void test_exec_straddle_and_misaligned(void)
{
    /* addi a0, a0, 5 split over a page boundary, then a misaligned load across pages */
    CPURISCVState *env = &test_cpu->env;
    uint64_t page = RAM_BASE + 0x3000;
    uint32_t insn = 0x00550513;
    uint64_t value = 0x1122334455667788ULL;
    static const uint32_t tail[] = {
        0x0035b603,     /* ld a2, 3(a1) */
        0x001002b7,     /* lui t0, 0x100 */
        0x00a2b023,     /* sd a0, 0(t0) */
        0x0000006f,     /* j . */
    };

    memcpy(test_ram + (page - RAM_BASE) - 2, &insn, 4);
    memcpy(test_ram + (page - RAM_BASE) + 2, tail, sizeof(tail));
    memcpy(test_ram + 0x5000 - 3, &value, 8);
    test_cpu->reset_pc = page - 2;
    riscv_cpu_reset(test_cpu);
    env->gpr[10] = 37;
    env->gpr[11] = RAM_BASE + 0x5000 - 6;
    test_exit_code = -1;
    riscv_cpu_exec(test_cpu);
    g_assert_cmpint(test_exit_code, ==, 42);
    g_assert_cmphex(env->gpr[12], ==, value);
}

static void test_exec_fp_store_negative(void)
{
    /* a0 points 256 bytes into a buffer; the stores land below it. */
    static const uint32_t prog[] = {
        0xf4153827,     /* fsd ft1, -176(a0) */
        0xfe252e27,     /* fsw ft2, -4(a0) */
        0xf5053187,     /* fld ft3, -176(a0) */
        0x001002b7,     /* lui t0, 0x100 */
        0x00a2b023,     /* sd a0, 0(t0) */
        0x0000006f,     /* j . */
    };
    CPURISCVState *env = &test_cpu->env;
    uint64_t buf = RAM_BASE + 0x6000, a0 = buf + 256;
    uint64_t stored_d, stored_s = 0;

    memset(test_ram + (buf - RAM_BASE), 0, 512);
    memcpy(test_ram + 0x2000, prog, sizeof(prog));
    test_cpu->reset_pc = RAM_BASE + 0x2000;
    riscv_cpu_reset(test_cpu);
    env->mstatus |= MSTATUS_FS;
    env->gpr[10] = a0;
    env->fpr[1] = 0x0123456789abcdefULL;
    env->fpr[2] = 0xffffffff3f800000ULL;
    test_exit_code = -1;
    for (int i = 0; i < 10 && test_exit_code < 0; i++) {
        riscv_cpu_exec(test_cpu);
    }
    g_assert_cmphex(test_exit_code, ==, a0);
    memcpy(&stored_d, test_ram + (a0 - 176 - RAM_BASE), 8);
    memcpy(&stored_s, test_ram + (a0 - 4 - RAM_BASE), 4);
    g_assert_cmphex(stored_d, ==, 0x0123456789abcdefULL);
    g_assert_cmphex(stored_s, ==, 0x3f800000);
    g_assert_cmphex(env->fpr[3], ==, 0x0123456789abcdefULL);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    test_ram = g_malloc0(RAM_SIZE);
    ram_mr = (MemoryRegion) { .name = "ram", .addr = RAM_BASE, .size = RAM_SIZE,
                              .ram_ptr = test_ram, .mapped = true };
    exit_mr = (MemoryRegion) { .name = "exit", .addr = EXIT_DEV, .size = 0x1000,
                               .ops = &exit_ops, .mapped = true };
    test_cpu = riscv_cpu_create(0);

    g_test_add_func("/riscv/decode/fields", test_decode_fields);
    g_test_add_func("/riscv/decode/illegal", test_decode_illegal);
    g_test_add_func("/riscv/decode/fp-offsets", test_decode_fp_offsets);
    g_test_add_func("/riscv/rvc/expand", test_expand);
    g_test_add_func("/riscv/rvc/jumps", test_expand_jumps);
    g_test_add_func("/riscv/rvc/reserved", test_expand_reserved);
    g_test_add_func("/riscv/imm/i", test_imm_i);
    g_test_add_func("/riscv/imm/s", test_imm_s);
    g_test_add_func("/riscv/imm/b", test_imm_b);
    g_test_add_func("/riscv/imm/u-j", test_imm_u_j);
    g_test_add_func("/riscv/imm/rvc-mem", test_imm_rvc_mem);
    g_test_add_func("/riscv/imm/rvc-alu", test_imm_rvc_alu);
    g_test_add_func("/riscv/imm/rvc-jumps", test_imm_rvc_jumps);
    g_test_add_func("/riscv/exec/loop", test_exec_loop);
    g_test_add_func("/riscv/exec/illegal-tval", test_exec_illegal_tval);
    g_test_add_func("/riscv/exec/straddle-misaligned", test_exec_straddle_and_misaligned);
    g_test_add_func("/riscv/exec/fp-store-negative", test_exec_fp_store_negative);
    return g_test_run();
}
