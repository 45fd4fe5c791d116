/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interrupts (privileged spec 3.1.7, 3.1.9, 3.2.1, ACLINT/CLINT layout): vectored
 * and direct mtvec, machine software interrupts through CLINT msip, supervisor
 * software interrupts through mip.SSIP (in M, and delegated to S with mideleg),
 * the machine timer through mtimecmp/mtime, WFI wake-up with interrupts globally
 * disabled, and the priority of MSI over MTI.  Only the order of events is
 * printed, never times.
 */
#include "insn.h"

#define IRQ_S_SOFT  1
#define IRQ_M_SOFT  3
#define IRQ_M_TIMER 7

static volatile uint64_t event_log[8];
static volatile int event_count;

/* Acknowledge each interrupt at its source and log its cause and vector slot. */
static int m_interrupt_hook(TrapFrame *frame, TrapRecord *rec)
{
    if (!(rec->cause & CAUSE_INTERRUPT)) {
        return 0;
    }
    switch (rec->cause & 0xff) {
    case IRQ_M_SOFT:
        *(volatile uint32_t *)CLINT_MSIP = 0;
        break;
    case IRQ_M_TIMER:
        *(volatile uint64_t *)CLINT_MTIMECMP = ~0UL;
        break;
    case IRQ_S_SOFT:
        clear_csr(mip, 1 << IRQ_S_SOFT);
        break;
    default:
        return 0;
    }
    if (event_count < 8) {
        event_log[event_count++] = (rec->cause & 0xff) | (uint64_t)(rec->vector + 1) << 8;
    }
    return 1;
}

static int s_interrupt_hook(TrapFrame *frame, TrapRecord *rec)
{
    if (rec->cause != (CAUSE_INTERRUPT | IRQ_S_SOFT)) {
        return 0;
    }
    clear_csr(sip, 1 << IRQ_S_SOFT);
    if (event_count < 8) {
        event_log[event_count++] = 0x100 | IRQ_S_SOFT;
    }
    return 1;
}

static void print_events(const char *name)
{
    check(name, event_count, event_count);
    for (int i = 0; i < event_count; i++) {
        print_str("  event cause ");
        print_dec(event_log[i] & 0xff);
        print_str(" slot ");
        print_dec((int64_t)(event_log[i] >> 8) - 1);
        print_str("\n");
    }
}

static void reset_events(void)
{
    event_count = 0;
    barrier();
}

static void wait_for_events(int n)
{
    for (int spin = 0; spin < 100000000 && event_count < n; spin++) {
        barrier();
    }
}

static void test_machine_software(void)
{
    section("msip, vectored");
    write_csr(mtvec, (uint64_t)m_vector_table | 1);
    reset_events();
    set_csr(mie, 1 << IRQ_M_SOFT);
    *(volatile uint32_t *)CLINT_MSIP = 1;
    check("msip pending in mip", (read_csr(mip) >> IRQ_M_SOFT) & 1, 1);
    check("no interrupt while MIE=0", event_count, 0);
    set_csr(mstatus, MSTATUS_MIE);
    wait_for_events(1);
    clear_csr(mstatus, MSTATUS_MIE);
    check("msi taken", event_count, 1);
    check("msi cause|slot", event_log[0], IRQ_M_SOFT | (IRQ_M_SOFT + 1) << 8);
    check("msip cleared in mip", (read_csr(mip) >> IRQ_M_SOFT) & 1, 0);

    /* Exceptions always use the base address, slot 0. */
    expect_m_trap();
    ECALL();
    check("ecall in vectored mode: slot", m_trap.vector, 0);

    section("msip, direct");
    write_csr(mtvec, (uint64_t)trap_entry_m);
    reset_events();
    *(volatile uint32_t *)CLINT_MSIP = 1;
    set_csr(mstatus, MSTATUS_MIE);
    wait_for_events(1);
    clear_csr(mstatus, MSTATUS_MIE);
    check("msi cause|slot", event_log[0], IRQ_M_SOFT);
    clear_csr(mie, 1 << IRQ_M_SOFT);
}

static void test_supervisor_software(void)
{
    section("ssip");
    write_csr(mtvec, (uint64_t)m_vector_table | 1);
    reset_events();
    set_csr(mie, 1 << IRQ_S_SOFT);
    set_csr(mip, 1 << IRQ_S_SOFT);
    set_csr(mstatus, MSTATUS_MIE);
    wait_for_events(1);
    clear_csr(mstatus, MSTATUS_MIE);
    check("ssi in M cause|slot", event_log[0], IRQ_S_SOFT | (IRQ_S_SOFT + 1) << 8);

    section("ssip delegated");
    write_csr(stvec, (uint64_t)trap_entry_s);
    write_csr(mideleg, 1 << IRQ_S_SOFT);
    reset_events();
    set_csr(mip, 1 << IRQ_S_SOFT);
    /* Delegated interrupts are never taken while in M (spec 3.1.9). */
    set_csr(mstatus, MSTATUS_MIE);
    for (int i = 0; i < 1000; i++) {
        barrier();
    }
    clear_csr(mstatus, MSTATUS_MIE);
    check("delegated ssi not taken in M", event_count, 0);
    check("sip.SSIP visible", (read_csr(sip) >> IRQ_S_SOFT) & 1, 1);
    /* In S with sstatus.SIE=0 it stays pending... */
    clear_csr(mstatus, MSTATUS_SIE);
    enter_mode(PRIV_S);
    for (int i = 0; i < 1000; i++) {
        barrier();
    }
    int taken_with_sie_clear = event_count;
    set_csr(sstatus, MSTATUS_SIE);
    wait_for_events(1);
    clear_csr(sstatus, MSTATUS_SIE);
    return_to_m();
    check("ssi with SIE=0 not taken", taken_with_sie_clear, 0);
    check("ssi taken in S", event_count, 1);
    check("ssi cause in S", s_trap.cause, CAUSE_INTERRUPT | IRQ_S_SOFT);

    /* ...and in U it is taken regardless of SIE. */
    reset_events();
    set_csr(mip, 1 << IRQ_S_SOFT);
    enter_mode(PRIV_U);
    wait_for_events(1);
    return_to_m();
    check("ssi taken from U", event_count, 1);
    check("ssi from U: SPP", (s_trap.status >> 8) & 1, 0);
    write_csr(mideleg, 0);
    clear_csr(mie, 1 << IRQ_S_SOFT);
}

static void test_timer(void)
{
    volatile uint64_t *mtime = (volatile uint64_t *)CLINT_MTIME;
    volatile uint64_t *mtimecmp = (volatile uint64_t *)CLINT_MTIMECMP;

    section("timer");
    reset_events();
    *mtimecmp = ~0UL;
    set_csr(mie, 1 << IRQ_M_TIMER);
    check("mtip clear with mtimecmp=max", (read_csr(mip) >> IRQ_M_TIMER) & 1, 0);
    *mtimecmp = *mtime + 1000;
    /* WFI wakes on a locally enabled pending interrupt even with MIE=0 (3.3.3). */
    while (!((read_csr(mip) >> IRQ_M_TIMER) & 1)) {
        asm volatile("wfi");
    }
    check("mtip pending", (read_csr(mip) >> IRQ_M_TIMER) & 1, 1);
    check("not taken with MIE=0", event_count, 0);
    check("time CSR caught up", read_csr(time) >= *mtimecmp, 1);
    set_csr(mstatus, MSTATUS_MIE);
    wait_for_events(1);
    clear_csr(mstatus, MSTATUS_MIE);
    check("mti cause|slot", event_log[0], IRQ_M_TIMER | (IRQ_M_TIMER + 1) << 8);

    /*
     * Priority (spec 3.1.9: MEI > MSI > MTI > SEI > SSI > STI).  QEMU 7.2 without
     * AIA takes the lowest-numbered pending interrupt first, so it takes SSI before
     * MSI and MTI, against the spec: only MSI and MTI, where both agree, are raised
     * together here.
     */
    section("priority");
    reset_events();
    set_csr(mie, 1 << IRQ_M_SOFT);
    *(volatile uint32_t *)CLINT_MSIP = 1;
    *mtimecmp = 0;
    set_csr(mstatus, MSTATUS_MIE);
    wait_for_events(2);
    clear_csr(mstatus, MSTATUS_MIE);
    print_events("events");
    check("first MSI", event_log[0] & 0xff, IRQ_M_SOFT);
    check("then MTI", event_log[1] & 0xff, IRQ_M_TIMER);
    write_csr(mie, 0);
}

int main(void)
{
    m_trap_hook = m_interrupt_hook;
    s_trap_hook = s_interrupt_hook;
    test_machine_software();
    test_supervisor_software();
    test_timer();
    write_csr(mtvec, (uint64_t)trap_entry_m);
    return report();
}
