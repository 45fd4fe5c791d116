/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Exceptions and privilege transitions (privileged spec 3.1.6, 3.1.15-3.1.16,
 * 3.3.2, 4.1.1): ecall from U/S/M, mstatus stacking on trap and on mret/sret,
 * medeleg to S, illegal instructions with their tval, CSR privilege and
 * read-only checks, TSR/TVM, breakpoints, access faults and xEPC alignment.
 */
#include "insn.h"

#define MISA_MXL_SHIFT 62

/* The address of the instruction at local label 1 in the asm that follows. */
#define LABEL_PC(var) asm volatile("la %0, 1f" : "=r"(var))

static void print_status_bits(const char *name, uint64_t status)
{
    print_str(name);
    print_str(":");
    print_str(status & MSTATUS_MIE ? " MIE" : "");
    print_str(status & MSTATUS_MPIE ? " MPIE" : "");
    print_str(status & MSTATUS_SIE ? " SIE" : "");
    print_str(status & MSTATUS_SPIE ? " SPIE" : "");
    print_str(" MPP=");
    print_dec((status >> 11) & 3);
    print_str(" SPP=");
    print_dec((status >> 8) & 1);
    print_str("\n");
}

static void test_ecall(void)
{
    uint64_t pc;

    section("ecall");
    expect_m_trap();
    asm volatile("la %0, 1f\n 1: ecall" : "=r"(pc) :: "memory");
    check("ecall M cause", m_trap.cause, CAUSE_ECALL_M);
    check("ecall M epc", m_trap.epc - pc, 0);
    check("ecall M tval", m_trap.tval, 0);

    enter_mode(PRIV_S);
    expect_m_trap();
    ECALL();
    return_to_m();
    check("ecall S cause", m_trap.cause, CAUSE_ECALL_S);
    check("ecall S MPP", (m_trap.status >> 11) & 3, PRIV_S);

    enter_mode(PRIV_U);
    expect_m_trap();
    ECALL();
    return_to_m();
    check("ecall U cause", m_trap.cause, CAUSE_ECALL_U);
    check("ecall U MPP", (m_trap.status >> 11) & 3, PRIV_U);
}

static void test_delegation(void)
{
    section("medeleg");
    write_csr(stvec, (uint64_t)trap_entry_s);
    write_csr(medeleg, (1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL_INSN) |
                       (1 << CAUSE_BREAKPOINT));
    check("medeleg readback", read_csr(medeleg) &
          ((1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL_INSN) | (1 << CAUSE_BREAKPOINT)),
          (1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL_INSN) | (1 << CAUSE_BREAKPOINT));

    enter_mode(PRIV_U);
    expect_m_trap();
    m_trap_expected = 0;
    expect_s_trap();
    ECALL();
    return_to_m();
    check("U ecall -> S cause", s_trap.cause, CAUSE_ECALL_U);
    check("U ecall -> S SPP", (s_trap.status >> 8) & 1, 0);
    check("U ecall not in M", m_trap.count, 0);

    enter_mode(PRIV_U);
    expect_s_trap();
    asm volatile(".word 0x0000006b" ::: "memory");
    return_to_m();
    check("U illegal -> S cause", s_trap.cause, CAUSE_ILLEGAL_INSN);
    check("U illegal -> S stval", s_trap.tval, 0x6b);

    enter_mode(PRIV_S);
    expect_s_trap();
    asm volatile(".option push\n.option norvc\n ebreak\n.option pop" ::: "memory");
    return_to_m();
    check("S ebreak -> S cause", s_trap.cause, CAUSE_BREAKPOINT);
    check("S ebreak -> S SPP", (s_trap.status >> 8) & 1, 1);

    /* Traps taken in M-mode are never delegated (priv spec 3.1.8). */
    expect_m_trap();
    asm volatile(".word 0x0000006b" ::: "memory");
    check("M illegal stays in M", m_trap.cause, CAUSE_ILLEGAL_INSN);
    check("M illegal mtval", m_trap.tval, 0x6b);
    write_csr(medeleg, 0);
}

static void expect_illegal_in(int priv, const char *name, void (*body)(void),
                              uint64_t insn)
{
    if (priv != PRIV_M) {
        enter_mode(priv);
    }
    expect_m_trap();
    body();
    if (priv != PRIV_M) {
        return_to_m();
    }
    print_str(name);
    check(" cause", m_trap.cause, CAUSE_ILLEGAL_INSN);
    print_str(name);
    check(" tval", m_trap.tval, insn);
}

/* Each body holds one instruction whose encoding the test also knows. */
static void read_mstatus(void) { asm volatile(".word 0x300027f3" ::: "a5", "memory"); }
static void read_sstatus(void) { asm volatile(".word 0x100027f3" ::: "a5", "memory"); }
static void write_mvendorid(void) { asm volatile(".word 0xf1179073" ::: "memory"); }
static void write_cycle(void) { asm volatile(".word 0xc0079073" ::: "memory"); }
static void exec_mret(void) { asm volatile(".word 0x30200073" ::: "memory"); }
static void exec_sret(void) { asm volatile(".word 0x10200073" ::: "memory"); }
static void read_satp(void) { asm volatile(".word 0x180027f3" ::: "a5", "memory"); }
static void read_mscratch(void) { asm volatile(".word 0x340027f3" ::: "a5", "memory"); }

static void test_illegal_csr(void)
{
    section("illegal csr / privileged instructions");
    expect_illegal_in(PRIV_U, "U csrr mstatus", read_mstatus, 0x300027f3);
    expect_illegal_in(PRIV_U, "U csrr sstatus", read_sstatus, 0x100027f3);
    expect_illegal_in(PRIV_S, "S csrr mscratch", read_mscratch, 0x340027f3);
    expect_illegal_in(PRIV_M, "M csrw mvendorid", write_mvendorid, 0xf1179073);
    expect_illegal_in(PRIV_M, "M csrw cycle", write_cycle, 0xc0079073);
    expect_illegal_in(PRIV_S, "S mret", exec_mret, 0x30200073);
    expect_illegal_in(PRIV_U, "U sret", exec_sret, 0x10200073);

    /* mstatus.TSR traps sret in S, mstatus.TVM traps satp in S (spec 3.1.6.5). */
    set_csr(mstatus, 1 << 22);
    expect_illegal_in(PRIV_S, "S sret with TSR", exec_sret, 0x10200073);
    clear_csr(mstatus, 1 << 22);
    set_csr(mstatus, 1 << 20);
    expect_illegal_in(PRIV_S, "S csrr satp with TVM", read_satp, 0x180027f3);
    clear_csr(mstatus, 1 << 20);

    enter_mode(PRIV_S);
    uint64_t satp = read_csr(satp);
    uint64_t sstatus = read_csr(sstatus);
    return_to_m();
    check("S csrr satp", satp, 0);
    check("S sstatus hides MPP", sstatus & MSTATUS_MPP, 0);
}

static void test_xret(void)
{
    uint64_t status, pc;

    section("mret/sret stacking");
    /*
     * mret: MIE <- MPIE, MPIE <- 1, priv <- MPP, MPP <- U (3.1.6.1).  Priv 1.12 also
     * clears MPRV here, which QEMU 7.2 does not do, so MPRV is left out.
     */
    clear_csr(mstatus, MSTATUS_MPP | MSTATUS_MIE);
    set_csr(mstatus, MSTATUS_MPIE | (PRIV_S << 11));
    asm volatile("la t0, 1f\n csrw mepc, t0\n mret\n 1:" ::: "t0", "memory");
    /* now in S; M interrupts are all disabled in mie, so MIE=1 is harmless */
    expect_m_trap();
    ECALL();
    status = m_trap.status;
    print_status_bits("trap from S after mret", status);
    check("mret then ecall: MPP", (status >> 11) & 3, PRIV_S);
    check("mret then ecall: MPIE (old MIE)", !!(status & MSTATUS_MPIE), 1);
    check("mret then ecall: MIE", !!(status & MSTATUS_MIE), 0);
    /* ecall left us in S; go back to M */
    return_to_m();
    clear_csr(mstatus, MSTATUS_MPIE);

    /* mret with MPP=U leaves MPP=U afterwards (least-privileged mode) */
    enter_mode(PRIV_U);
    return_to_m();
    enter_mode(PRIV_U);
    expect_m_trap();
    ECALL();
    return_to_m();
    check("ecall from U cause", m_trap.cause, CAUSE_ECALL_U);
    check("MPP after trap from U", (m_trap.status >> 11) & 3, PRIV_U);

    /* sret: SIE <- SPIE, SPIE <- 1, priv <- SPP, SPP <- U (4.1.1.2) */
    enter_mode(PRIV_S);
    clear_csr(sstatus, MSTATUS_SIE);
    set_csr(sstatus, MSTATUS_SPP | MSTATUS_SPIE);
    asm volatile("la t0, 1f\n csrw sepc, t0\n sret\n 1:" ::: "t0", "memory");
    status = read_csr(sstatus);
    return_to_m();
    print_status_bits("sstatus after sret", status);
    check("sret: SIE", !!(status & MSTATUS_SIE), 1);
    check("sret: SPIE", !!(status & MSTATUS_SPIE), 1);
    check("sret: SPP", !!(status & MSTATUS_SPP), 0);
    clear_csr(mstatus, MSTATUS_SIE);

    section("breakpoint / access fault");
    expect_m_trap();
    asm volatile("la %0, 1f\n .option push\n .option norvc\n 1: ebreak\n .option pop"
                 : "=r"(pc) :: "memory");
    check("ebreak cause", m_trap.cause, CAUSE_BREAKPOINT);
    check("ebreak epc", m_trap.epc - pc, 0);
    /* 0x800 is a hole in the virt memory map (below the boot ROM at 0x1000) */
    expect_m_trap();
    asm volatile("ld %0, 0(%1)" : "=r"(pc) : "r"(0x800UL) : "memory");
    check("load hole cause", m_trap.cause, CAUSE_LOAD_ACCESS);
    check("load hole tval", m_trap.tval, 0x800);
    expect_m_trap();
    asm volatile("sw zero, 8(%0)" :: "r"(0x800UL) : "memory");
    check("store hole cause", m_trap.cause, CAUSE_STORE_ACCESS);
    check("store hole tval", m_trap.tval, 0x808);
}

static void test_misa(void)
{
    uint64_t misa = read_csr(misa);
    const char *letters = "IMAFDCSU";

    section("misa");
    check("misa MXL", misa >> MISA_MXL_SHIFT, 2);
    for (const char *l = letters; *l; l++) {
        putchar_uart(*l);
        check(" present", (misa >> (*l - 'A')) & 1, 1);
    }
}

int main(void)
{
    test_ecall();
    test_delegation();
    test_illegal_csr();
    test_xret();
    test_misa();
    return report();
}
