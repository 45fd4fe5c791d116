/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V decoder tests: 32-bit decode, compressed expansion (checked against
 * the encodings GNU as produces for each compressed/expanded pair), reserved
 * encodings, and a few tiny programs run through the execution loop on a
 * stub machine (flat RAM, identity translation, M-mode-only traps).
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "exec/ramblock.h"
#include "sysemu/cpus.h"
#include "target/riscv/translate.h"

/* ---- Stub machine: what csr.c, cpu_helper.c, fpu_helper.c, memory.c provide ---- */

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

bool riscv_decode_fp(uint32_t insn, DecodedInsn *d)
{
    d->fn = riscv_op_nop;   /* stands for "some FP handler" */
    return true;
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
    g_test_add_func("/riscv/rvc/expand", test_expand);
    g_test_add_func("/riscv/rvc/jumps", test_expand_jumps);
    g_test_add_func("/riscv/rvc/reserved", test_expand_reserved);
    g_test_add_func("/riscv/exec/loop", test_exec_loop);
    g_test_add_func("/riscv/exec/illegal-tval", test_exec_illegal_tval);
    g_test_add_func("/riscv/exec/straddle-misaligned", test_exec_straddle_and_misaligned);
    return g_test_run();
}
