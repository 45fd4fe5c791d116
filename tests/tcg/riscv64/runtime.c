/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bare-metal runtime for the RISC-V test programs (see runtime.h).
 */
#include "runtime.h"

#define UART_BASE       0x10000000UL
#define UART_THR        0
#define UART_LSR        5
#define UART_LSR_THRE   0x20
#define FINISHER_BASE   0x100000UL
#define FINISHER_PASS   0x5555
#define FINISHER_FAIL   0x3333

volatile TrapRecord m_trap, s_trap;
volatile TrapHook m_trap_hook, s_trap_hook;
volatile int m_trap_expected, s_trap_expected;
static int failures;

void putchar_uart(int c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;

    while (!(uart[UART_LSR] & UART_LSR_THRE)) {
    }
    uart[UART_THR] = c;
}

void print_str(const char *s)
{
    while (*s) {
        putchar_uart(*s++);
    }
}

void print_hex(uint64_t v)
{
    print_str("0x");
    for (int shift = 60; shift >= 0; shift -= 4) {
        putchar_uart("0123456789abcdef"[(v >> shift) & 0xf]);
    }
}

void print_dec(int64_t v)
{
    char digits[24];
    int n = 0;
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

    if (v < 0) {
        putchar_uart('-');
    }
    do {
        digits[n++] = '0' + u % 10;
        u /= 10;
    } while (u);
    while (n) {
        putchar_uart(digits[--n]);
    }
}

void print_kv(const char *name, uint64_t value)
{
    print_str(name);
    print_str(": ");
    print_hex(value);
    print_str("\n");
}

void check(const char *name, uint64_t got, uint64_t expected)
{
    print_str(name);
    print_str(": ");
    print_hex(got);
    if (got != expected) {
        print_str(" MISMATCH expected ");
        print_hex(expected);
        failures++;
    }
    print_str("\n");
}

void check_m_trap(const char *name, uint64_t cause, uint64_t tval)
{
    print_str(name);
    check(" cause", m_trap.cause, cause);
    print_str(name);
    check(" tval", m_trap.tval, tval);
}

void section(const char *name)
{
    print_str("== ");
    print_str(name);
    print_str("\n");
}

int report(void)
{
    if (failures) {
        print_str("FAIL: ");
        print_dec(failures);
        print_str(" mismatches\n");
        return 1;
    }
    print_str("PASS\n");
    return 0;
}

void test_exit(int code)
{
    volatile uint32_t *finisher = (volatile uint32_t *)FINISHER_BASE;

    *finisher = code ? ((uint32_t)code << 16) | FINISHER_FAIL : FINISHER_PASS;
    for (;;) {
        asm volatile("wfi");
    }
}

/* Called by crt.S before main, in M-mode. */
void runtime_init(void);
void runtime_init(void)
{
    /*
     * One NAPOT PMP entry covering the whole address space with RWX: without any
     * entry, S- and U-mode accesses fail (priv spec 3.7.1).
     */
    write_csr(pmpaddr0, ~0UL);
    write_csr(pmpcfg0, 0x1f);
    write_csr(sscratch, (uint64_t)s_trap_stack_top);
}

void expect_m_trap(void)
{
    m_trap.count = 0;
    m_trap.cause = m_trap.tval = m_trap.epc = ~0UL;
    m_trap_expected = 1;
    barrier();
}

void expect_s_trap(void)
{
    s_trap.count = 0;
    s_trap.cause = s_trap.tval = s_trap.epc = ~0UL;
    s_trap_expected = 1;
    barrier();
}

static uint64_t insn_length_at(uint64_t pc)
{
    return (*(volatile uint16_t *)pc & 3) == 3 ? 4 : 2;
}

static void __attribute__((noreturn)) unexpected_trap(const char *mode, uint64_t cause,
                                                      uint64_t epc, uint64_t tval)
{
    print_str("UNEXPECTED TRAP in ");
    print_str(mode);
    print_str(" handler: cause ");
    print_hex(cause);
    print_str(" epc ");
    print_hex(epc);
    print_str(" tval ");
    print_hex(tval);
    print_str("\n");
    test_exit(3);
}

void m_trap_handler(TrapFrame *frame);
void m_trap_handler(TrapFrame *frame)
{
    uint64_t cause = read_csr(mcause);
    uint64_t epc = read_csr(mepc);

    if ((cause == CAUSE_ECALL_U || cause == CAUSE_ECALL_S) &&
        frame->regs[17] == ECALL_MAGIC_TO_M) {
        /*
         * return_to_m(): resume after the ecall, in M-mode with MIE=0 (MPIE
         * cleared), whatever MIE was before enter_mode(); not recorded.
         */
        set_csr(mstatus, MSTATUS_MPP);
        clear_csr(mstatus, MSTATUS_MPIE);
        write_csr(mepc, epc + 4);
        return;
    }
    m_trap.cause = cause;
    m_trap.tval = read_csr(mtval);
    m_trap.epc = epc;
    m_trap.status = read_csr(mstatus);
    m_trap.vector = frame->vector;
    m_trap.count++;

    if (m_trap_hook && m_trap_hook(frame, (TrapRecord *)&m_trap)) {
        return;
    }
    if (!(cause & CAUSE_INTERRUPT) && m_trap_expected > 0) {
        m_trap_expected--;
        write_csr(mepc, epc + insn_length_at(epc));
        return;
    }
    unexpected_trap("M", cause, epc, m_trap.tval);
}

void s_trap_handler(TrapFrame *frame);
void s_trap_handler(TrapFrame *frame)
{
    uint64_t cause = read_csr(scause);
    uint64_t epc = read_csr(sepc);

    if (cause == CAUSE_ECALL_U && frame->regs[17] == ECALL_MAGIC_TO_M) {
        /*
         * return_to_m() from U while U ecalls are delegated: re-execute the ecall
         * from S, which M (never delegating S ecalls) turns into M-mode.
         */
        set_csr(sstatus, MSTATUS_SPP);
        return;
    }
    s_trap.cause = cause;
    s_trap.tval = read_csr(stval);
    s_trap.epc = epc;
    s_trap.status = read_csr(sstatus);
    s_trap.vector = frame->vector;
    s_trap.count++;

    if (s_trap_hook && s_trap_hook(frame, (TrapRecord *)&s_trap)) {
        return;
    }
    if (!(cause & CAUSE_INTERRUPT) && s_trap_expected > 0) {
        s_trap_expected--;
        write_csr(sepc, epc + insn_length_at(epc));
        return;
    }
    unexpected_trap("S", cause, epc, s_trap.tval);
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;

    while (n--) {
        *d++ = c;
    }
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;

    for (; n; n--, x++, y++) {
        if (*x != *y) {
            return *x - *y;
        }
    }
    return 0;
}
