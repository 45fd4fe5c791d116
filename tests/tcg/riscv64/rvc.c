/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compressed instructions (unprivileged spec ch. 16, RV64C): every RV64C
 * instruction with operands chosen to exercise its immediate and sign extension,
 * and reserved encodings, which must raise illegal instruction with mtval holding
 * the 16-bit instruction (priv spec 3.1.16).
 */
#include "insn.h"

/* Run one compressed instruction with a0 = x, a1 = y; the result is a0. */
#define C_OP(text, x, y) ({ \
    register uint64_t a0_ asm("a0") = (x); \
    register uint64_t a1_ asm("a1") = (y); \
    asm volatile(text : "+r"(a0_) : "r"(a1_) : "memory"); a0_; })

static uint64_t data[8] __attribute__((aligned(16)));

static void test_arithmetic(void)
{
    section("c arithmetic");
    check("c.li -32", C_OP("c.li a0, -32", 0, 0), -32L);
    check("c.li 31", C_OP("c.li a0, 31", 0, 0), 31);
    check("c.lui 0xfffe0", C_OP("c.lui a0, 0xfffe0", 0, 0), 0xfffffffffffe0000UL);
    check("c.lui 0x1f", C_OP("c.lui a0, 0x1f", 0, 0), 0x1f000);
    check("c.addi -1", C_OP("c.addi a0, -1", 0, 0), -1L);
    check("c.addi 31", C_OP("c.addi a0, 31", 1, 0), 32);
    check("c.addiw", C_OP("c.addiw a0, 1", 0x7fffffff, 0), 0xffffffff80000000UL);
    check("c.addiw 0 (sext.w)", C_OP("c.addiw a0, 0", 0x1ffffffffUL, 0), -1L);
    check("c.slli 63", C_OP("c.slli a0, 63", 1, 0), 0x8000000000000000UL);
    check("c.slli 32", C_OP("c.slli a0, 32", 3, 0), 0x300000000UL);
    check("c.srli 63", C_OP("c.srli a0, 63", 0x8000000000000000UL, 0), 1);
    check("c.srli 1", C_OP("c.srli a0, 1", -1L, 0), 0x7fffffffffffffffUL);
    check("c.srai 33", C_OP("c.srai a0, 33", 0x8000000000000000UL, 0), 0xffffffffc0000000UL);
    check("c.andi -32", C_OP("c.andi a0, -32", -1L, 0), -32L);
    check("c.andi 15", C_OP("c.andi a0, 15", 0x1234, 0), 4);
    check("c.mv", C_OP("c.mv a0, a1", 0, 0xdead), 0xdead);
    check("c.add", C_OP("c.add a0, a1", 5, -7L), -2L);
    check("c.sub", C_OP("c.sub a0, a1", 5, 7), -2L);
    check("c.xor", C_OP("c.xor a0, a1", 0xf0f0, 0xff00), 0x0ff0);
    check("c.or", C_OP("c.or a0, a1", 0xf0f0, 0xff00), 0xfff0);
    check("c.and", C_OP("c.and a0, a1", 0xf0f0, 0xff00), 0xf000);
    check("c.addw", C_OP("c.addw a0, a1", 0x7fffffff, 1), 0xffffffff80000000UL);
    check("c.subw", C_OP("c.subw a0, a1", 0x100000000UL, 1), -1L);
    check("c.nop", C_OP("c.nop", 42, 0), 42);
}

static void test_stack_and_memory(void)
{
    uint64_t base = (uint64_t)data;
    uint64_t value;
    double fvalue;

    section("c loads/stores");
    data[0] = 0x8877665544332211UL;
    data[1] = 0xfedcba9876543210UL;
    check("c.lw", C_OP("c.lw a0, 4(a1)", 0, base), 0xffffffff88776655UL);
    check("c.ld", C_OP("c.ld a0, 8(a1)", 0, base), 0xfedcba9876543210UL);
    C_OP("c.sw a0, 16(a1)", 0x1122334455667788UL, base);
    C_OP("c.sd a0, 24(a1)", 0x0123456789abcdefUL, base);
    check("c.sw", data[2] & 0xffffffff, 0x55667788);
    check("c.sd", data[3], 0x0123456789abcdefUL);
    asm volatile("c.fld fa0, 8(%1)\n c.fsd fa0, 32(%1)\n fmv.x.d %0, fa0"
                 : "=r"(value) : "r"(base) : "fa0", "memory");
    check("c.fld/c.fsd", data[4], 0xfedcba9876543210UL);

    /* sp-relative forms: point sp at the buffer for a moment (no traps happen). */
    asm volatile("mv t0, sp\n mv sp, %1\n"
                 "c.ldsp a0, 8(sp)\n c.sdsp a0, 40(sp)\n"
                 "c.lwsp a0, 0(sp)\n c.swsp a0, 48(sp)\n"
                 "c.fldsp fa1, 24(sp)\n c.fsdsp fa1, 56(sp)\n"
                 "c.addi4spn a0, sp, 1020\n mv %0, a0\n"
                 "c.addi16sp sp, -512\n c.addi16sp sp, 496\n sub a0, sp, %1\n"
                 "mv sp, t0\n fmv.d %2, fa1"
                 : "=&r"(value), "+r"(base), "=f"(fvalue)
                 :: "t0", "a0", "fa1", "memory");
    check("c.ldsp/c.sdsp", data[5], 0xfedcba9876543210UL);
    check("c.lwsp/c.swsp", data[6], 0x44332211);
    check("c.fldsp/c.fsdsp", data[7], 0x0123456789abcdefUL);
    check("c.addi4spn", value - (uint64_t)data, 1020);
}

static void test_control_flow(void)
{
    uint64_t value, link, target;

    section("c control flow");
    check("c.j", C_OP("c.li a0, 1\n c.j 1f\n c.li a0, 2\n 1:", 0, 0), 1);
    check("c.beqz taken", C_OP("c.beqz a1, 1f\n c.li a0, 2\n 1:", 7, 0), 7);
    check("c.beqz not taken", C_OP("c.beqz a1, 1f\n c.li a0, 2\n 1:", 7, 1), 2);
    check("c.bnez taken", C_OP("c.bnez a1, 1f\n c.li a0, 2\n 1:", 7, -1L), 7);
    check("c.bnez not taken", C_OP("c.bnez a1, 1f\n c.li a0, 2\n 1:", 7, 0), 2);
    asm volatile("la t1, 1f\n li %0, 0\n c.jr t1\n li %0, 5\n 1:"
                 : "=&r"(value) :: "t1");
    check("c.jr", value, 0);
    asm volatile("mv t2, ra\n la t1, 1f\n c.jalr t1\n 2: j 3f\n 1: mv %0, ra\n la %1, 2b\n"
                 "c.jr ra\n 3: mv ra, t2"
                 : "=&r"(link), "=&r"(target) :: "t1", "t2", "ra");
    check("c.jalr link", link - target, 0);

    expect_m_trap();
    asm volatile("la %0, 1f\n 1: c.ebreak" : "=r"(target) :: "memory");
    check("c.ebreak cause", m_trap.cause, CAUSE_BREAKPOINT);
    check("c.ebreak epc", m_trap.epc - target, 0);
}

/* Reserved RV64C encodings (spec table 16.x); each must be an illegal instruction. */
#define RESERVED(encoding, name) do { \
    expect_m_trap(); \
    asm volatile(".2byte " #encoding ::: "memory"); \
    print_str(name); \
    check(" cause", m_trap.cause, CAUSE_ILLEGAL_INSN); \
    print_str(name); \
    check(" mtval", m_trap.tval, encoding); \
} while (0)

static void test_reserved(void)
{
    section("reserved encodings");
    RESERVED(0x0000, "all zeros");
    RESERVED(0x0004, "c.addi4spn nzuimm=0");
    RESERVED(0x8000, "quadrant 0 funct3=100");
    RESERVED(0x2001, "c.addiw rd=0");
    RESERVED(0x6101, "c.addi16sp imm=0");
    RESERVED(0x6281, "c.lui imm=0");
    RESERVED(0x9c41, "c.subw/addw funct2=10");
    RESERVED(0x9c61, "c.subw/addw funct2=11");
    RESERVED(0x4002, "c.lwsp rd=0");
    RESERVED(0x6002, "c.ldsp rd=0");
    RESERVED(0x8002, "c.jr rs1=0");
}

int main(void)
{
    test_arithmetic();
    test_stack_and_memory();
    test_control_flow();
    test_reserved();
    return report();
}
