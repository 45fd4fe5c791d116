/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RV64I base instructions (unprivileged spec ch. 2 and 5): register and immediate
 * ALU operations, shifts with RV64 shift amounts, W-forms and their sign extension,
 * LUI/AUIPC, loads with sign/zero extension, stores, branches, JAL/JALR and x0.
 */
#include "insn.h"

static uint8_t memory_area[64] __attribute__((aligned(16)));

static void test_alu(void)
{
    section("alu");
    CHECK_RR("add", 0x7fffffffffffffffUL, 1, 0x8000000000000000UL);
    CHECK_RR("add", -1L, -1L, -2L);
    CHECK_RR("sub", 0, 1, -1L);
    CHECK_RR("sub", 0x8000000000000000UL, 1, 0x7fffffffffffffffUL);
    CHECK_RR("sll", 1, 63, 0x8000000000000000UL);
    CHECK_RR("sll", 1, 64 + 3, 8);   /* only rs2[5:0] is used */
    CHECK_RR("srl", 0x8000000000000000UL, 63, 1);
    CHECK_RR("srl", -1L, 0x7f, 1);
    CHECK_RR("sra", 0x8000000000000000UL, 63, -1L);
    CHECK_RR("sra", 0x8000000000000000UL, 0x44, 0xf800000000000000UL);
    CHECK_RR("slt", -1L, 0, 1);
    CHECK_RR("slt", 0, -1L, 0);
    CHECK_RR("sltu", -1L, 0, 0);
    CHECK_RR("sltu", 0, -1L, 1);
    CHECK_RR("xor", 0xff00ff00ff00ff00UL, 0x0ff00ff00ff00ff0UL, 0xf0f0f0f0f0f0f0f0UL);
    CHECK_RR("or", 0xff00000000000000UL, 0x00000000000000ffUL, 0xff000000000000ffUL);
    CHECK_RR("and", 0xff00ff00ff00ff00UL, 0x0ff00ff00ff00ff0UL, 0x0f000f000f000f00UL);
    CHECK_RI("addi", 5, -2048, 5 - 2048);
    CHECK_RI("addi", 0x7fffffffffffffffUL, 1, 0x8000000000000000UL);
    CHECK_RI("slti", -5L, -4, 1);
    CHECK_RI("slti", 5, -4, 0);
    CHECK_RI("sltiu", 5, -1, 1);            /* imm sign-extends, then compares unsigned */
    CHECK_RI("sltiu", 0, 1, 1);
    CHECK_RI("xori", 0x1234, -1, ~0x1234UL);
    CHECK_RI("ori", 0x1000, -2048, 0xfffffffffffff800UL | 0x1000);
    CHECK_RI("andi", -1L, 0x7ff, 0x7ff);
    CHECK_RI("andi", -1L, -16, -16L);
    CHECK_RI("slli", 3, 62, 0xc000000000000000UL);
    CHECK_RI("srli", 0x8000000000000000UL, 1, 0x4000000000000000UL);
    CHECK_RI("srai", 0x8000000000000000UL, 1, 0xc000000000000000UL);
    CHECK_RI("srai", 0x4000000000000000UL, 62, 1);
}

static void test_word_ops(void)
{
    section("w-forms");
    CHECK_RR("addw", 0x7fffffff, 1, 0xffffffff80000000UL);
    CHECK_RR("addw", 0x123456789UL, 0, 0x23456789);     /* upper bits ignored */
    CHECK_RR("subw", 0, 1, -1L);
    CHECK_RR("subw", 0x80000000UL, 1, 0x7fffffff);
    CHECK_RR("sllw", 1, 31, 0xffffffff80000000UL);
    CHECK_RR("sllw", 1, 32 + 4, 16);    /* only rs2[4:0] */
    CHECK_RR("srlw", 0xffffffff80000000UL, 31, 1);
    CHECK_RR("srlw", 0xffffffff80000000UL, 0, 0xffffffff80000000UL);
    CHECK_RR("srlw", 0x80000000UL, 32, 0xffffffff80000000UL);
    CHECK_RR("sraw", 0x80000000UL, 31, -1L);
    CHECK_RR("sraw", 0x7fffffff00000000UL, 4, 0);
    CHECK_RI("addiw", 0x7fffffff, 1, 0xffffffff80000000UL);
    CHECK_RI("addiw", 0xffffffff00000005UL, -6, -1L);
    CHECK_RI("slliw", 1, 31, 0xffffffff80000000UL);
    CHECK_RI("slliw", 0x80000001UL, 1, 2);
    CHECK_RI("srliw", 0x80000000UL, 31, 1);
    CHECK_RI("srliw", 0xdeadbeef80000000UL, 0, 0xffffffff80000000UL);
    CHECK_RI("sraiw", 0x80000000UL, 4, 0xfffffffff8000000UL);
    CHECK_RI("sraiw", 0x12345678UL, 28, 1);
}

static void test_upper_and_jumps(void)
{
    uint64_t value, pc, link, target;

    section("lui/auipc/jal/jalr");
    asm volatile(NORVC("lui %0, 0x80000") : "=r"(value));
    check("lui 0x80000", value, 0xffffffff80000000UL);
    asm volatile(NORVC("lui %0, 0x7ffff") : "=r"(value));
    check("lui 0x7ffff", value, 0x7ffff000);
    asm volatile(NORVC("1: auipc %0, 0x1\n la %1, 1b") : "=r"(value), "=r"(pc));
    check("auipc +0x1000", value - pc, 0x1000);
    asm volatile(NORVC("1: auipc %0, 0xfffff\n la %1, 1b") : "=r"(value), "=r"(pc));
    check("auipc -0x1000", value - pc, -0x1000L);

    asm volatile(NORVC("jal %0, 1f\n 2: li %1, 1\n j 3f\n 1: la %2, 2b\n li %1, 2\n 3:")
                 : "=r"(link), "=r"(value), "=r"(target));
    check("jal link", link - target, 0);
    check("jal skipped", value, 2);
    /* JALR clears bit 0 of the target (unprivileged spec 2.5). */
    asm volatile(NORVC("la t0, 1f\n addi t0, t0, 1\n jalr %0, 0(t0)\n"
                       "2: li %1, 1\n j 3f\n 1: li %1, 2\n la %2, 2b\n 3:")
                 : "=r"(link), "=r"(value), "=r"(target) :: "t0");
    check("jalr odd target", value, 2);
    check("jalr link", link - target, 0);
    /* rd == rs1: the target uses the old value. */
    asm volatile(NORVC("la %0, 1f\n jalr %0, 0(%0)\n li %1, 1\n j 2f\n 1: li %1, 3\n 2:")
                 : "=&r"(link), "=r"(value));
    check("jalr rd==rs1", value, 3);
    asm volatile(NORVC("li %0, 7\n add x0, %0, %0\n addi x0, x0, 5\n mv %0, x0")
                 : "=r"(value));
    check("x0 stays zero", value, 0);
}

#define BRANCH(insn, a, b) ({ uint64_t t_; \
    asm volatile(NORVC("li %0, 1\n " insn " %1, %2, 1f\n li %0, 0\n 1:") \
                 : "=&r"(t_) : "r"((uint64_t)(a)), "r"((uint64_t)(b))); t_; })

static void test_branches(void)
{
    section("branches");
    check("beq eq", BRANCH("beq", 5, 5), 1);
    check("beq ne", BRANCH("beq", 5, 6), 0);
    check("bne ne", BRANCH("bne", 5, 6), 1);
    check("bne eq", BRANCH("bne", -1L, -1L), 0);
    check("blt -1<0", BRANCH("blt", -1L, 0), 1);
    check("blt 0<-1", BRANCH("blt", 0, -1L), 0);
    check("bge eq", BRANCH("bge", -7L, -7L), 1);
    check("bge -1>=0", BRANCH("bge", -1L, 0), 0);
    check("bltu 0<max", BRANCH("bltu", 0, -1L), 1);
    check("bltu max<0", BRANCH("bltu", -1L, 0), 0);
    check("bgeu max>=0", BRANCH("bgeu", -1L, 0), 1);
    check("bgeu 1>=2", BRANCH("bgeu", 1, 2), 0);
}

#define LOAD(insn, off) ({ uint64_t v_; \
    asm volatile(NORVC(insn " %0, %2(%1)") : "=r"(v_) : "r"(memory_area), "i"(off) \
                 : "memory"); v_; })

static void test_loads_stores(void)
{
    uint64_t base = (uint64_t)memory_area;

    section("loads/stores");
    for (int i = 0; i < 16; i++) {
        memory_area[i] = 0x80 + i * 7;
    }
    check("lb", LOAD("lb", 0), (uint64_t)(int8_t)0x80);
    check("lbu", LOAD("lbu", 0), 0x80);
    check("lh", LOAD("lh", 2), (uint64_t)(int16_t)0x958e);
    check("lhu", LOAD("lhu", 2), 0x958e);
    check("lw", LOAD("lw", 4), (uint64_t)(int32_t)0xb1aaa39c);
    check("lwu", LOAD("lwu", 4), 0xb1aaa39c);
    check("ld", LOAD("ld", 8), 0xe9e2dbd4cdc6bfb8UL);

    asm volatile(NORVC("sd %1, 16(%0)\n sw %2, 24(%0)\n sh %2, 28(%0)\n sb %2, 30(%0)\n"
                       "sb %2, 31(%0)\n sd %3, -8+40(%0)")
                 :: "r"(base), "r"(0x0102030405060708UL), "r"(0xa1b2c3d4e5f60718UL),
                    "r"(0x1122334455667788UL) : "memory");
    check("sd", LOAD("ld", 16), 0x0102030405060708UL);
    check("sw/sh/sb", LOAD("ld", 24), 0x18180718e5f60718UL);
    check("sd neg offset", LOAD("ld", 32), 0x1122334455667788UL);
}

int main(void)
{
    test_alu();
    test_word_ops();
    test_upper_and_jumps();
    test_branches();
    test_loads_stores();
    return report();
}
