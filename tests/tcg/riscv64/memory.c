/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory behaviour: misaligned integer and FP loads/stores (performed without a
 * trap, as QEMU does; including ones that cross a page), loads and stores at
 * the extreme signed offsets of every format (compressed ones too), fence.i after
 * self-modifying code, and the counters (cycle, time, instret: readable and
 * increasing, and gated by mcounteren/scounteren; values are never printed since
 * they depend on timing).
 */
#include "insn.h"

static uint8_t buffer[2 * 4096] __attribute__((aligned(4096)));
/* Code written at run time: three instructions, executed with jalr. */
static uint32_t code_buffer[4] __attribute__((aligned(16)));

#define LOAD_AT(insn, addr) ({ uint64_t v_; \
    asm volatile(insn " %0, 0(%1)" : "=r"(v_) : "r"(addr) : "memory"); v_; })
#define STORE_AT(insn, addr, v) \
    asm volatile(insn " %1, 0(%0)" :: "r"(addr), "r"((uint64_t)(v)) : "memory")

static uint64_t bytes_le(const uint8_t *p, int n)
{
    uint64_t v = 0;

    for (int i = n - 1; i >= 0; i--) {
        v = v << 8 | p[i];
    }
    return v;
}

static void test_misaligned(void)
{
    uint8_t *page_end = buffer + 4096;

    section("misaligned");
    for (int i = 0; i < 32; i++) {
        buffer[i] = 0x81 + i * 0x11;
        page_end[i - 16] = 0xe1 + i * 3;
    }
    for (int off = 1; off < 8; off++) {
        print_str("offset ");
        print_dec(off);
        check(" ld", LOAD_AT("ld", buffer + off), bytes_le(buffer + off, 8));
        check("  lw", LOAD_AT("lw", buffer + off),
              (uint64_t)(int64_t)(int32_t)bytes_le(buffer + off, 4));
        check("  lwu", LOAD_AT("lwu", buffer + off), bytes_le(buffer + off, 4));
        check("  lh", LOAD_AT("lh", buffer + off),
              (uint64_t)(int64_t)(int16_t)bytes_le(buffer + off, 2));
        check("  lhu", LOAD_AT("lhu", buffer + off), bytes_le(buffer + off, 2));
    }
    check("ld across page", LOAD_AT("ld", page_end - 3), bytes_le(page_end - 3, 8));
    check("lw across page", LOAD_AT("lw", page_end - 1),
          (uint64_t)(int64_t)(int32_t)bytes_le(page_end - 1, 4));

    STORE_AT("sd", buffer + 33, 0x0102030405060708UL);
    check("sd misaligned", bytes_le(buffer + 33, 8), 0x0102030405060708UL);
    check("  neighbours kept", buffer[32] | buffer[41] << 8, 0);
    STORE_AT("sw", buffer + 43, 0xa1b2c3d4);
    check("sw misaligned", bytes_le(buffer + 43, 4), 0xa1b2c3d4);
    STORE_AT("sh", buffer + 49, 0xbeef);
    check("sh misaligned", bytes_le(buffer + 49, 2), 0xbeef);
    STORE_AT("sd", page_end - 5, 0x1122334455667788UL);
    check("sd across page", bytes_le(page_end - 5, 8), 0x1122334455667788UL);

    uint64_t bits;
    asm volatile("fld ft0, 0(%1)\n fsd ft0, 0(%2)\n fmv.x.d %0, ft0"
                 : "=r"(bits) : "r"(buffer + 3), "r"(buffer + 61) : "ft0", "memory");
    check("fld misaligned", bits, bytes_le(buffer + 3, 8));
    check("fsd misaligned", bytes_le(buffer + 61, 8), bits);
    asm volatile("flw ft0, 0(%1)\n fsw ft0, 0(%2)\n fmv.x.w %0, ft0"
                 : "=r"(bits) : "r"(buffer + 6), "r"(buffer + 71) : "ft0", "memory");
    check("flw misaligned", bits, (uint64_t)(int64_t)(int32_t)bytes_le(buffer + 6, 4));
    check("fsw misaligned", bytes_le(buffer + 71, 4), bytes_le(buffer + 6, 4));
}

/*
 * Offsets are sign-extended 12-bit values for every I- and S-type access, FP
 * included; the compressed forms have unsigned scaled offsets.  Each store
 * writes a pattern at base + offset (base is in the middle of the buffer) and
 * the bytes are read back with plain C.
 */
#define STORE_OFF(insn, reg, off, base, v) \
    asm volatile(insn " " reg ", " #off "(%0)" :: "r"(base), "f"(v) : "memory")

static void test_signed_offsets(void)
{
    uint8_t *mid = buffer + 4096;
    double d = 0, dl = 0;
    float f = 0;
    uint64_t pattern = 0x8877665544332211UL;
    uint64_t got;

    section("signed offsets");
    memset(buffer, 0, sizeof(buffer));
    memcpy(&d, &pattern, 8);
    f = 1.5f;
    STORE_OFF("fsd", "%1", -176, mid, d);
    check("fsd -176", bytes_le(mid - 176, 8), pattern);
    STORE_OFF("fsd", "%1", -2048, mid, d);
    check("fsd -2048", bytes_le(mid - 2048, 8), pattern);
    STORE_OFF("fsd", "%1", 2040, mid, d);
    check("fsd 2040", bytes_le(mid + 2040, 8), pattern);
    STORE_OFF("fsw", "%1", -4, mid, f);
    check("fsw -4", bytes_le(mid - 4, 4), 0x3fc00000);
    STORE_OFF("fsw", "%1", -2044, mid, f);
    check("fsw -2044", bytes_le(mid - 2044, 4), 0x3fc00000);
    asm volatile("fld %0, -176(%1)" : "=f"(dl) : "r"(mid) : "memory");
    memcpy(&got, &dl, 8);
    check("fld -176", got, pattern);
    asm volatile("sd %1, -8(%0)" :: "r"(mid), "r"(~pattern) : "memory");
    check("sd -8", bytes_le(mid - 8, 8), ~pattern);
    asm volatile("sh %1, -2048(%0)" :: "r"(mid), "r"(0xa55aUL) : "memory");
    check("sh -2048", bytes_le(mid - 2048, 2), 0xa55a);

    /* c.fsd / c.fsdsp: largest offsets (248, 504), base in a compressed register */
    register uint8_t *base asm("s0") = buffer;
    register double fs1 asm("fs1") = d;
    asm volatile(".option push\n .option rvc\n c.fsd fs1, 248(%0)\n .option pop"
                 :: "r"(base), "f"(fs1) : "memory");
    check("c.fsd 248", bytes_le(buffer + 248, 8), pattern);
    asm volatile("mv t0, sp\n mv sp, %0\n .option push\n .option rvc\n"
                 " c.fsdsp fs1, 504(sp)\n .option pop\n mv sp, t0"
                 :: "r"(buffer + 512), "f"(fs1) : "t0", "memory");
    check("c.fsdsp 504", bytes_le(buffer + 1016, 8), pattern);
}

static uint64_t run_code_buffer(uint64_t arg)
{
    register uint64_t a0 asm("a0") = arg;

    asm volatile("jalr ra, 0(%1)" : "+r"(a0) : "r"(code_buffer) : "ra", "memory");
    return a0;
}

/* addi a0, a0, imm (I-type: imm[11:0] | rs1=a0 | funct3=0 | rd=a0 | opcode 0x13) */
static uint32_t encode_addi_a0(int imm)
{
    return (uint32_t)(imm & 0xfff) << 20 | 10 << 15 | 10 << 7 | 0x13;
}

static void test_fence_i(void)
{
    section("fence.i");
    code_buffer[0] = encode_addi_a0(5);
    code_buffer[1] = encode_addi_a0(100);
    code_buffer[2] = 0x00008067;    /* jalr zero, 0(ra) */
    asm volatile("fence.i" ::: "memory");
    check("first code", run_code_buffer(1), 106);
    for (int round = 0; round < 3; round++) {
        code_buffer[1] = encode_addi_a0(-round - 1);
        asm volatile("fence.i" ::: "memory");
        print_str("round ");
        print_dec(round);
        check(" rewritten code", run_code_buffer(1), 1 + 5 - round - 1);
    }
}

static uint64_t insn_cycle, insn_time, insn_instret;

static void test_counters(void)
{
    uint64_t c0, c1, t0, t1, i0, i1;

    section("counters");
    asm volatile("rdcycle %0\n rdtime %1\n rdinstret %2" : "=r"(c0), "=r"(t0), "=r"(i0));
    for (volatile int i = 0; i < 1000; i++) {
    }
    asm volatile("rdcycle %0\n rdtime %1\n rdinstret %2" : "=r"(c1), "=r"(t1), "=r"(i1));
    check("cycle increases", c1 > c0, 1);
    check("instret increases by at least 1000", i1 - i0 >= 1000, 1);
    check("time does not go back", t1 >= t0, 1);
    check("mcycle readable", read_csr(mcycle) >= c1, 1);
    check("minstret readable", read_csr(minstret) > i1, 1);

    write_csr(mcounteren, 7);
    write_csr(scounteren, 7);
    enter_mode(PRIV_U);
    asm volatile("rdcycle %0\n rdtime %1\n rdinstret %2"
                 : "=r"(insn_cycle), "=r"(insn_time), "=r"(insn_instret));
    return_to_m();
    check("U reads instret", insn_instret > i1, 1);

    /* A clear mcounteren bit makes the counter illegal below M (priv 3.1.11). */
    write_csr(mcounteren, 0);
    enter_mode(PRIV_S);
    expect_m_trap();
    asm volatile(".word 0xc00027f3" ::: "a5", "memory");     /* csrr a5, cycle */
    return_to_m();
    check("S rdcycle with mcounteren=0: cause", m_trap.cause, CAUSE_ILLEGAL_INSN);
    check("  tval", m_trap.tval, 0xc00027f3);
    write_csr(mcounteren, 7);
    write_csr(scounteren, 0);
    enter_mode(PRIV_U);
    expect_m_trap();
    asm volatile(".word 0xc02027f3" ::: "a5", "memory");     /* csrr a5, instret */
    return_to_m();
    check("U rdinstret with scounteren=0: cause", m_trap.cause, CAUSE_ILLEGAL_INSN);
    write_csr(scounteren, 7);
}

int main(void)
{
    test_misaligned();
    test_signed_offsets();
    test_fence_i();
    test_counters();
    return report();
}
