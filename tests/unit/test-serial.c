/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 16550A UART: divisor latch, THRE interrupt semantics, IIR priorities,
 * receive FIFO with trigger levels, character timeout and overrun.  The
 * receiver is fed through MCR loopback, so no character backend is needed.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/char/serial.h"
#include "qemu/timer.h"
#include "vmstate-round-trip.h"

#define RBR 0
#define THR 0
#define IER 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7

#define MCR_LOOP_OUT2_RTS 0x1a

static SerialMM *uart;
static int irq_level;
static SerialMM *uarts[12];
static int num_uarts;

static void record_irq(void *opaque, int n, int level)
{
    irq_level = level;
}

static uint8_t uart_read(hwaddr offset)
{
    uint64_t value = 0;

    g_assert_cmpint(memory_region_dispatch_read(&uart->mmio, offset, &value, 1), ==,
                    MEMTX_OK);
    return value;
}

static void uart_write(hwaddr offset, uint8_t value)
{
    g_assert_cmpint(memory_region_dispatch_write(&uart->mmio, offset, value, 1), ==,
                    MEMTX_OK);
}

/* A fresh UART per test (devices live for the process; each gets its own address). */
static void setup(void)
{
    g_assert_cmpint(num_uarts, <, ARRAY_SIZE(uarts));
    irq_level = 0;
    uart = serial_mm_init(0x10000000 + num_uarts * 0x1000ULL,
                          qemu_allocate_irq(record_irq, NULL, 10), 115200, NULL);
    uarts[num_uarts++] = uart;
}

static void test_serial_reset_and_dlab(void)
{
    setup();
    g_assert_cmphex(uart_read(LSR), ==, 0x60);      /* THRE | TEMT */
    g_assert_cmphex(uart_read(IIR), ==, 0x01);
    g_assert_cmphex(uart_read(MSR) & 0xf0, ==, 0xb0);
    g_assert_cmpint(irq_level, ==, 0);

    uart_write(LCR, 0x83);
    uart_write(0, 0x12);
    uart_write(1, 0x34);
    g_assert_cmphex(uart_read(0), ==, 0x12);
    g_assert_cmphex(uart_read(1), ==, 0x34);
    uart_write(LCR, 0x03);
    g_assert_cmphex(uart_read(IER), ==, 0);
    uart_write(IER, 0xff);
    g_assert_cmphex(uart_read(IER), ==, 0x0f);
    uart_write(SCR, 0x5a);
    g_assert_cmphex(uart_read(SCR), ==, 0x5a);
}

static void test_serial_thre_interrupt(void)
{
    setup();
    uart_write(IER, 0x02);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmphex(uart_read(IIR), ==, 0x02);
    /* Reading IIR with THRE as the source acknowledges it. */
    g_assert_cmpint(irq_level, ==, 0);
    g_assert_cmphex(uart_read(IIR), ==, 0x01);
    /* Re-enabling ETBEI with THR empty signals again (Linux's startup probe). */
    uart_write(IER, 0x00);
    uart_write(IER, 0x02);
    g_assert_cmphex(uart_read(IIR), ==, 0x02);
    /* A transmitted byte leaves THR empty again at once. */
    uart_write(THR, 'x');
    g_assert_cmpint(irq_level, ==, 1);
    uart_write(IER, 0x00);
    g_assert_cmpint(irq_level, ==, 0);
}

static void test_serial_loopback_modem_lines(void)
{
    setup();
    uart_write(MCR, MCR_LOOP_OUT2_RTS);
    /* Loopback maps RTS to CTS and OUT2 to DCD: the 8250 driver checks 0x90. */
    g_assert_cmphex(uart_read(MSR) & 0xf0, ==, 0x90);
    uart_write(IER, 0x08);
    uart_write(MCR, 0x10);
    g_assert_cmphex(uart_read(IIR), ==, 0x00);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmphex(uart_read(MSR), ==, 0x09);      /* DCTS | DDCD, lines low */
    g_assert_cmpint(irq_level, ==, 0);
    g_assert_cmphex(uart_read(IIR), ==, 0x01);
}

static void test_serial_fifo_trigger_and_timeout(void)
{
    setup();
    uart_write(MCR, MCR_LOOP_OUT2_RTS);
    uart_write(FCR, 0x87);                          /* enable, clear, trigger 8 */
    uart_write(IER, 0x01);
    g_assert_cmphex(uart_read(IIR), ==, 0xc1);

    uart_write(THR, 'a');
    uart_write(THR, 'b');
    uart_write(THR, 'c');
    g_assert_cmphex(uart_read(LSR) & 0x01, ==, 0x01);
    /* Below the trigger level: nothing until four character times pass. */
    g_assert_cmphex(uart_read(IIR), ==, 0xc1);
    g_assert_cmpint(irq_level, ==, 0);
    qemu_clock_virtual_warp(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + 10 * 1000 * 1000);
    g_assert_cmphex(uart_read(IIR), ==, 0xcc);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmphex(uart_read(RBR), ==, 'a');
    g_assert_cmpint(irq_level, ==, 0);
    g_assert_cmphex(uart_read(RBR), ==, 'b');
    g_assert_cmphex(uart_read(RBR), ==, 'c');
    g_assert_cmphex(uart_read(LSR) & 0x01, ==, 0);
    qemu_clock_virtual_warp(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + 10 * 1000 * 1000);
    g_assert_cmphex(uart_read(IIR), ==, 0xc1);

    /* Reaching the trigger level interrupts at once. */
    for (int i = 0; i < 8; i++) {
        uart_write(THR, '0' + i);
    }
    g_assert_cmphex(uart_read(IIR), ==, 0xc4);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmphex(uart_read(RBR), ==, '0');
    g_assert_cmphex(uart_read(IIR), ==, 0xc1);

    /* FCR receive reset empties the FIFO. */
    uart_write(FCR, 0x83);
    g_assert_cmphex(uart_read(LSR), ==, 0x60);
}

static void test_serial_overrun(void)
{
    setup();
    uart_write(MCR, MCR_LOOP_OUT2_RTS);
    uart_write(FCR, 0x07);                          /* enable, trigger 1 */
    uart_write(IER, 0x05);                          /* RDI and RLSI */
    for (int i = 0; i < UART_FIFO_LENGTH + 1; i++) {
        uart_write(THR, 'A' + i);
    }
    /* Line status outranks received data. */
    g_assert_cmphex(uart_read(IIR), ==, 0xc6);
    g_assert_cmphex(uart_read(LSR), ==, 0x63);      /* THRE | TEMT | OE | DR */
    g_assert_cmphex(uart_read(IIR), ==, 0xc4);
    for (int i = 0; i < UART_FIFO_LENGTH; i++) {
        g_assert_cmphex(uart_read(RBR), ==, 'A' + i);
    }
    g_assert_cmphex(uart_read(IIR), ==, 0xc1);
    g_assert_cmpint(irq_level, ==, 0);

    /* Without FIFO, a second byte overwrites the first and flags overrun. */
    uart_write(FCR, 0x00);
    uart_write(THR, 'p');
    uart_write(THR, 'q');
    g_assert_cmphex(uart_read(IIR), ==, 0x06);
    g_assert_cmphex(uart_read(LSR), ==, 0x63);
    g_assert_cmphex(uart_read(RBR), ==, 'q');
    g_assert_cmphex(uart_read(LSR), ==, 0x60);
}

static void test_serial_wide_access(void)
{
    uint64_t value = 0;

    setup();
    g_assert_cmpint(memory_region_dispatch_write(&uart->mmio, SCR, 0xa5, 4), ==,
                    MEMTX_OK);
    g_assert_cmpint(memory_region_dispatch_read(&uart->mmio, LSR, &value, 4), ==,
                    MEMTX_OK);
    g_assert_cmphex(value & 0xff, ==, 0x60);
    g_assert_cmphex(uart_read(SCR), ==, 0xa5);
}

/* Mid-reception state, saved from one UART and loaded into a fresh one. */
static void test_serial_migrate(void)
{
    SerialMM *src, *dst;
    int64_t deadline;

    setup();
    src = uart;
    uart_write(MCR, MCR_LOOP_OUT2_RTS);
    uart_write(LCR, 0x83);
    uart_write(0, 0x0c);                            /* divisor 12: 9600 baud */
    uart_write(LCR, 0x1b);                          /* 8E1 */
    uart_write(FCR, 0x87);                          /* FIFO, trigger 8 */
    uart_write(IER, 0x05);
    uart_write(SCR, 0x42);
    uart_write(THR, 'x');
    uart_write(THR, 'y');
    uart_write(THR, 'z');
    g_assert_cmphex(uart_read(RBR), ==, 'x');       /* head moves off 0 */
    g_assert_true(timer_pending(&src->fifo_timeout_timer));
    deadline = src->fifo_timeout_timer.expire_time;

    setup();
    dst = uart;
    g_assert_cmpint(irq_level, ==, 0);
    vmstate_round_trip(&vmstate_serial, src, dst);
    g_assert_cmpmem(&dst->regs, sizeof(dst->regs), &src->regs, sizeof(src->regs));
    g_assert_true(timer_pending(&dst->fifo_timeout_timer));
    g_assert_cmpint(dst->fifo_timeout_timer.expire_time, ==, deadline);

    /* The copy behaves as the original: timeout, then the bytes in order. */
    timer_del(&src->fifo_timeout_timer);
    uart = dst;
    g_assert_cmphex(uart_read(IIR), ==, 0xc1);
    qemu_clock_virtual_warp(deadline);
    g_assert_cmphex(uart_read(IIR), ==, 0xcc);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmphex(uart_read(RBR), ==, 'y');
    g_assert_cmphex(uart_read(RBR), ==, 'z');
    g_assert_cmphex(uart_read(LSR), ==, 0x60);
    g_assert_cmphex(uart_read(SCR), ==, 0x42);
    g_assert_cmphex(uart_read(LCR), ==, 0x1b);
}

static void test_serial_migrate_bad_fifo(void)
{
    g_autofree char *msg = NULL;
    SerialMM *src, *dst;

    setup();
    src = uart;
    setup();
    dst = uart;
    src->regs.rx_count = UART_FIFO_LENGTH + 1;
    msg = vmstate_round_trip_error(&vmstate_serial, src, dst);
    src->regs.rx_count = 0;
    g_assert_nonnull(strstr(msg, "count 17 out of range"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_clock_virtual_set_manual(true);
    g_test_add_func("/serial/reset-and-dlab", test_serial_reset_and_dlab);
    g_test_add_func("/serial/thre-interrupt", test_serial_thre_interrupt);
    g_test_add_func("/serial/loopback-modem-lines", test_serial_loopback_modem_lines);
    g_test_add_func("/serial/fifo-trigger-and-timeout",
                    test_serial_fifo_trigger_and_timeout);
    g_test_add_func("/serial/overrun", test_serial_overrun);
    g_test_add_func("/serial/wide-access", test_serial_wide_access);
    g_test_add_func("/serial/migrate", test_serial_migrate);
    g_test_add_func("/serial/migrate-bad-fifo", test_serial_migrate_bad_fifo);
    return g_test_run();
}
