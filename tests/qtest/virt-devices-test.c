/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virt board's devices attacked from the guest side: every register
 * access size at every offset of the UART, invalid PLIC ids and contexts,
 * extreme CLINT deadlines, holes in each device's window, a flood of serial
 * input the guest never reads, and system_reset bringing every device back
 * to its reset state.  hintvm must survive each (a crash fails the next
 * qtest command) and report guest mistakes under -d guest_errors.
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>

#define TEST_BASE       0x100000
#define RTC_BASE        0x101000
#define CLINT_BASE      0x2000000
#define PLIC_BASE       0xc000000
#define UART_BASE       0x10000000
#define VIRTIO_BASE     0x10001000
#define DRAM_BASE       0x80000000ULL

#define CLINT_MTIMECMP(h)   (CLINT_BASE + 0x4000 + 8 * (h))
#define CLINT_MTIME         (CLINT_BASE + 0xbff8)
#define PLIC_PRIORITY(id)   (PLIC_BASE + 4 * (id))
#define PLIC_PENDING(w)     (PLIC_BASE + 0x1000 + 4 * (w))
#define PLIC_ENABLE(c, w)   (PLIC_BASE + 0x2000 + 0x80 * (c) + 4 * (w))
#define PLIC_THRESHOLD(c)   (PLIC_BASE + 0x200000 + 0x1000 * (c))
#define PLIC_CLAIM(c)       (PLIC_BASE + 0x200004 + 0x1000 * (c))

#define UART_RBR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_IIR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7
#define UART_IRQ 10
#define RTC_IRQ 11

typedef struct Fixture {
    QTestState *qts;
    char *tmpdir;
    char *log_path;
} Fixture;

static void fixture_start(Fixture *f, const char *extra)
{
    f->tmpdir = g_dir_make_tmp("virt-devices-XXXXXX", NULL);
    f->log_path = g_build_filename(f->tmpdir, "guest-errors.log", NULL);
    f->qts = qtest_initf("-smp 2 -d guest_errors -D %s %s", f->log_path, extra);
}

/* The process is still alive and answering. */
static void assert_alive(Fixture *f)
{
    qtest_writel(f->qts, DRAM_BASE, 0x600df00d);
    g_assert_cmphex(qtest_readl(f->qts, DRAM_BASE), ==, 0x600df00d);
}

static char *read_log(Fixture *f)
{
    char *text = NULL;

    assert_alive(f);    /* the log is flushed by the time an answer comes back */
    g_assert_true(g_file_get_contents(f->log_path, &text, NULL, NULL));
    return text;
}

static void fixture_stop(Fixture *f)
{
    qtest_quit(f->qts);
    unlink(f->log_path);
    rmdir(f->tmpdir);
    g_free(f->log_path);
    g_free(f->tmpdir);
}

static uint64_t sized_read(QTestState *qts, uint64_t addr, unsigned size)
{
    switch (size) {
    case 1:
        return qtest_readb(qts, addr);
    case 2:
        return qtest_readw(qts, addr);
    case 4:
        return qtest_readl(qts, addr);
    default:
        return qtest_readq(qts, addr);
    }
}

static void sized_write(QTestState *qts, uint64_t addr, uint64_t val, unsigned size)
{
    switch (size) {
    case 1:
        qtest_writeb(qts, addr, val);
        break;
    case 2:
        qtest_writew(qts, addr, val);
        break;
    case 4:
        qtest_writel(qts, addr, val);
        break;
    default:
        qtest_writeq(qts, addr, val);
        break;
    }
}

/* Every size at every offset of the UART window, aligned or not, read and write. */
static void test_uart_all_accesses(void)
{
    static const uint64_t patterns[] = { 0, 0xff, 0x80, 0x1f, 0xdeadbeefcafef00dULL };
    Fixture f;
    g_autofree char *log = NULL;

    fixture_start(&f, "");
    for (unsigned size = 1; size <= 8; size *= 2) {
        for (uint64_t off = 0; off + size <= 0x100; off++) {
            sized_read(f.qts, UART_BASE + off, size);
            for (unsigned p = 0; p < G_N_ELEMENTS(patterns); p++) {
                sized_write(f.qts, UART_BASE + off, patterns[p], size);
            }
        }
    }
    /* An access straddling the end of the window. */
    qtest_readq(f.qts, UART_BASE + 0xfc);
    qtest_writeq(f.qts, UART_BASE + 0xfc, ~0ULL);
    /* Back to a sane state: the registers still behave. */
    qtest_writeb(f.qts, UART_BASE + UART_LCR, 0x03);
    qtest_writeb(f.qts, UART_BASE + UART_MCR, 0);
    qtest_writeb(f.qts, UART_BASE + UART_SCR, 0x5a);
    g_assert_cmphex(qtest_readb(f.qts, UART_BASE + UART_SCR), ==, 0x5a);
    g_assert_cmphex(qtest_readb(f.qts, UART_BASE + UART_LSR) & 0x60, ==, 0x60);
    log = read_log(&f);
    g_assert_nonnull(strstr(log, "serial: read of unimplemented offset 0x8"));
    g_assert_nonnull(strstr(log, "serial: write to unimplemented offset 0xff"));
    g_assert_nonnull(strstr(log, "read-only register"));
    fixture_stop(&f);
}

static long process_rss_kib(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", pid);
    g_autofree char *text = NULL;
    const char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        return -1;
    }
    p = strstr(text, "VmRSS:");
    return p ? strtol(p + 6, NULL, 10) : -1;
}

/* hintvm is our only child: find it through /proc to watch its memory. */
static pid_t find_child_pid(void)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/task/%d/children", getpid(),
                                            getpid());
    g_autofree char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        return -1;
    }
    return strtol(text, NULL, 10);
}

/*
 * Input floods the UART while the guest never reads: the 16-byte FIFO fills,
 * the overrun is reported, and neither the device nor the chardev buffers
 * without bound (backpressure leaves the rest in the socket).
 */
static void test_uart_input_flood(void)
{
    Fixture f;
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    g_autofree char *sock_path = NULL, *extra = NULL;
    g_autofree uint8_t *junk = g_malloc(64 * 1024);
    long rss_before, rss_after;
    size_t sent = 0;
    pid_t pid;
    int fd;

    sock_path = g_strdup_printf("%s/serial-%d.sock", g_get_tmp_dir(), getpid());
    extra = g_strdup_printf("-chardev socket,id=ser0,path=%s,server=on,wait=off "
                            "-serial chardev:ser0", sock_path);
    fixture_start(&f, extra);
    qtest_irq_intercept_in(f.qts);
    /* FIFO on, trigger at 14, receive interrupt enabled: the guest then ignores it. */
    qtest_writeb(f.qts, UART_BASE + UART_FCR, 0xc1);
    qtest_writeb(f.qts, UART_BASE + UART_IER, 0x01);

    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    g_strlcpy(sun.sun_path, sock_path, sizeof(sun.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    g_assert_cmpint(fcntl(fd, F_SETFL, O_NONBLOCK), ==, 0);
    memset(junk, 'A', 64 * 1024);
    pid = find_child_pid();
    rss_before = pid > 0 ? process_rss_kib(pid) : -1;
    /* Up to 64 MiB, or until the socket pushes back. */
    for (int i = 0; i < 1024; i++) {
        ssize_t n = send(fd, junk, 64 * 1024, MSG_NOSIGNAL);
        if (n <= 0) {
            g_assert_true(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
            g_usleep(20 * 1000);
            n = send(fd, junk, 64 * 1024, MSG_NOSIGNAL);
            if (n <= 0) {
                break;
            }
        }
        sent += n;
    }
    g_test_message("sent %zu bytes before the socket pushed back", sent);
    g_assert_cmpuint(sent, <, 16 * 1024 * 1024);
    assert_alive(&f);
    /* The FIFO holds 16 bytes, data is ready and the interrupt is up. */
    g_assert_cmphex(qtest_readb(f.qts, UART_BASE + UART_LSR) & 0x01, ==, 0x01);
    g_assert_true(qtest_get_irq(f.qts, UART_IRQ));
    if (pid > 0 && rss_before > 0) {
        rss_after = process_rss_kib(pid);
        g_test_message("hintvm RSS %ld KiB -> %ld KiB", rss_before, rss_after);
        g_assert_cmpint(rss_after - rss_before, <, 8 * 1024);
    }
    /* Draining the FIFO lets more input in: the guest sees the stream continue. */
    for (int i = 0; i < 64; i++) {
        g_assert_cmphex(qtest_readb(f.qts, UART_BASE + UART_RBR), ==, 'A');
        if (i % 16 == 15) {
            assert_alive(&f);
        }
    }
    close(fd);
    unlink(sock_path);
    fixture_stop(&f);
}

/* Claims and completions with ids and contexts that do not exist. */
static void test_plic_invalid_ids_and_contexts(void)
{
    static const uint32_t bad_ids[] = { 0, 97, 1023, 1024, 0x80000000u, 0xffffffffu };
    Fixture f;
    g_autofree char *log = NULL;

    fixture_start(&f, "");
    /* Source 0 does not exist: its enable bit and priority are hardwired to 0. */
    qtest_writel(f.qts, PLIC_ENABLE(1, 0), 0xffffffff);
    g_assert_cmphex(qtest_readl(f.qts, PLIC_ENABLE(1, 0)), ==, 0xfffffffe);
    qtest_writel(f.qts, PLIC_PRIORITY(0), 7);
    g_assert_cmphex(qtest_readl(f.qts, PLIC_PRIORITY(0)), ==, 0);
    /* Ids past riscv,ndev (96) are not wired either. */
    qtest_writel(f.qts, PLIC_ENABLE(1, 3), 0xffffffff);
    g_assert_cmphex(qtest_readl(f.qts, PLIC_ENABLE(1, 3)), ==, 0x1);
    qtest_writel(f.qts, PLIC_ENABLE(1, 31), 0xffffffff);
    g_assert_cmphex(qtest_readl(f.qts, PLIC_ENABLE(1, 31)), ==, 0);

    for (unsigned i = 0; i < G_N_ELEMENTS(bad_ids); i++) {
        for (int ctx = 0; ctx < 4; ctx++) {
            qtest_writel(f.qts, PLIC_CLAIM(ctx), bad_ids[i]);
        }
    }
    /* Nothing pending: a claim returns 0 on every context. */
    for (int ctx = 0; ctx < 4; ctx++) {
        g_assert_cmphex(qtest_readl(f.qts, PLIC_CLAIM(ctx)), ==, 0);
    }
    /* Contexts past the two per hart, up to the end of the 6 MiB window. */
    for (uint64_t ctx = 4; ctx < 1024 + 8; ctx += 37) {
        uint64_t addr = PLIC_THRESHOLD(ctx);
        if (addr + 8 > PLIC_BASE + 0x600000) {
            break;
        }
        qtest_writel(f.qts, addr, 1);
        g_assert_cmphex(qtest_readl(f.qts, addr), ==, 0);
        g_assert_cmphex(qtest_readl(f.qts, addr + 4), ==, 0);
        qtest_writel(f.qts, addr + 4, 10);
    }
    qtest_writel(f.qts, PLIC_ENABLE(4, 0), 0xffffffff);
    g_assert_cmphex(qtest_readl(f.qts, PLIC_ENABLE(4, 0)), ==, 0);
    /* The last word of the window, sub-word and misaligned accesses. */
    qtest_readl(f.qts, PLIC_BASE + 0x5ffffc);
    qtest_writeb(f.qts, PLIC_PRIORITY(3) + 1, 5);
    qtest_readw(f.qts, PLIC_PRIORITY(3) + 2);
    qtest_readq(f.qts, PLIC_PENDING(0));
    qtest_writel(f.qts, PLIC_PENDING(0), 0xffffffff);
    g_assert_cmphex(qtest_readl(f.qts, PLIC_PENDING(0)), ==, 0);

    log = read_log(&f);
    g_assert_nonnull(strstr(log, "sifive_plic: context 0 completes id 0"));
    g_assert_nonnull(strstr(log, "completes id 4294967295"));
    g_assert_nonnull(strstr(log, "sifive_plic: write to invalid offset 0x204000"));
    g_assert_nonnull(strstr(log, "sifive_plic: read of invalid offset 0x5ffffc"));
    g_assert_nonnull(strstr(log, "sifive_plic: pending bits are read-only"));
    fixture_stop(&f);
}

/* A real source through claim and complete, then completes that do not match. */
static void test_plic_claim_complete_mismatch(void)
{
    Fixture f;

    fixture_start(&f, "");
    qtest_irq_intercept_in(f.qts);
    qtest_writel(f.qts, PLIC_PRIORITY(RTC_IRQ), 1);
    qtest_writel(f.qts, PLIC_ENABLE(1, 0), 1u << RTC_IRQ);
    /* Raise the RTC's line: alarm now, interrupt enabled. */
    qtest_writel(f.qts, RTC_BASE + 0x10, 1);
    qtest_writel(f.qts, RTC_BASE + 0x0c, 0);
    qtest_writel(f.qts, RTC_BASE + 0x08, 0);
    g_assert_true(qtest_get_irq(f.qts, RTC_IRQ));
    g_assert_cmphex(qtest_readl(f.qts, PLIC_CLAIM(1)), ==, RTC_IRQ);
    /* Completing it on a context where it is not enabled is ignored (PLIC spec). */
    qtest_writel(f.qts, PLIC_CLAIM(0), RTC_IRQ);
    qtest_writel(f.qts, PLIC_CLAIM(3), RTC_IRQ);
    g_assert_cmphex(qtest_readl(f.qts, PLIC_PENDING(0)), ==, 0);
    g_assert_cmphex(qtest_readl(f.qts, PLIC_CLAIM(1)), ==, 0);
    /* The right completion: the line is still high, so it is pending again. */
    qtest_writel(f.qts, PLIC_CLAIM(1), RTC_IRQ);
    g_assert_cmphex(qtest_readl(f.qts, PLIC_PENDING(0)), ==, 1u << RTC_IRQ);
    /* Completing twice does nothing more. */
    g_assert_cmphex(qtest_readl(f.qts, PLIC_CLAIM(1)), ==, RTC_IRQ);
    qtest_writel(f.qts, PLIC_CLAIM(1), RTC_IRQ);
    qtest_writel(f.qts, PLIC_CLAIM(1), RTC_IRQ);
    qtest_writel(f.qts, RTC_BASE + 0x1c, 1);
    g_assert_false(qtest_get_irq(f.qts, RTC_IRQ));
    g_assert_cmphex(qtest_readl(f.qts, PLIC_CLAIM(1)), ==, 0);
    assert_alive(&f);
    fixture_stop(&f);
}

/* mtimecmp at the extremes; the clock keeps working and nothing hangs. */
static void test_clint_extremes(void)
{
    Fixture f;
    g_autofree char *log = NULL;
    uint64_t mtime;

    fixture_start(&f, "");
    for (int hart = 0; hart < 2; hart++) {
        qtest_writeq(f.qts, CLINT_MTIMECMP(hart), UINT64_MAX);
        g_assert_cmphex(qtest_readq(f.qts, CLINT_MTIMECMP(hart)), ==, UINT64_MAX);
    }
    /* No deadline: stepping to the next timer must not spin or overflow. */
    qtest_clock_step(f.qts, 1000000);
    qtest_writeq(f.qts, CLINT_MTIMECMP(0), 0);
    g_assert_cmphex(qtest_readq(f.qts, CLINT_MTIMECMP(0)), ==, 0);
    qtest_clock_step(f.qts, 1000000);
    /* mtime itself at the edge of wrapping. */
    qtest_writeq(f.qts, CLINT_MTIME, UINT64_MAX - 5);
    qtest_writeq(f.qts, CLINT_MTIMECMP(1), UINT64_MAX);
    qtest_clock_step(f.qts, 10000);
    mtime = qtest_readq(f.qts, CLINT_MTIME);
    g_assert_cmphex(mtime, <, 1000);      /* wrapped */
    qtest_writeq(f.qts, CLINT_MTIMECMP(1), 1ULL << 63);
    qtest_clock_step(f.qts, 1000);
    /* msip of a hart that does not exist, and holes. */
    qtest_writel(f.qts, CLINT_BASE + 4 * 2, 1);
    g_assert_cmphex(qtest_readl(f.qts, CLINT_BASE + 4 * 2), ==, 0);
    qtest_writeq(f.qts, CLINT_MTIMECMP(2), 5);
    g_assert_cmphex(qtest_readq(f.qts, CLINT_MTIMECMP(2)), ==, 0);
    qtest_readl(f.qts, CLINT_BASE + 0x8000);
    qtest_writeb(f.qts, CLINT_BASE + 1, 1);
    qtest_readw(f.qts, CLINT_MTIME + 2);
    qtest_readl(f.qts, CLINT_BASE + 0xfffc);
    log = read_log(&f);
    g_assert_nonnull(strstr(log, "riscv_aclint: write to invalid offset 0x8"));
    g_assert_nonnull(strstr(log, "riscv_aclint: read of invalid offset 0x8000"));
    g_assert_nonnull(strstr(log, "riscv_aclint: read of invalid offset 0xfffc"));
    fixture_stop(&f);
}

/* Holes inside and just past every device's window. */
static void test_unmapped_in_windows(void)
{
    Fixture f;
    g_autofree char *log = NULL;

    fixture_start(&f, "");
    for (unsigned size = 1; size <= 8; size *= 2) {
        sized_read(f.qts, TEST_BASE + 8, size);
        sized_write(f.qts, TEST_BASE + 8, 0x5555, size);
        sized_read(f.qts, RTC_BASE + 0x20, size);
        sized_write(f.qts, RTC_BASE + 0x20, 1, size);
        sized_read(f.qts, RTC_BASE + 0xffc, size);
        sized_write(f.qts, RTC_BASE + 0x3, 1, size);
        sized_read(f.qts, VIRTIO_BASE + 0x800, size);
        sized_write(f.qts, VIRTIO_BASE + 0x70, 1, size);
        /* Between and past devices: no region at all. */
        sized_read(f.qts, UART_BASE + 0x100, size);
        sized_write(f.qts, UART_BASE + 0x100, 1, size);
        sized_read(f.qts, RTC_BASE + 0x1000, size);
        sized_write(f.qts, CLINT_BASE + 0x10000, 1, size);
        sized_read(f.qts, PLIC_BASE + 0x600000, size);
    }
    /* The finisher's commands with a bad code are logged, not obeyed. */
    qtest_writel(f.qts, TEST_BASE, 0x1234);
    log = read_log(&f);
    g_assert_nonnull(strstr(log, "sifive_test: write to unknown offset 0x8"));
    g_assert_nonnull(strstr(log, "sifive_test: unknown command 0x1234"));
    g_assert_nonnull(strstr(log, "goldfish_rtc: read of invalid offset 0x20"));
    g_assert_nonnull(strstr(log, "goldfish_rtc: write to invalid offset 0x20"));
    g_assert_nonnull(strstr(log, "no memory at 0x10000100"));
    g_assert_nonnull(strstr(log, "no memory at 0x2010000"));
    fixture_stop(&f);
}

/* Poll until @addr reads @want: the reset runs from the main loop. */
static bool wait_for_value(QTestState *qts, uint64_t addr, uint32_t want)
{
    for (int i = 0; i < 500; i++) {
        if (qtest_readl(qts, addr) == want) {
            return true;
        }
        g_usleep(10 * 1000);
    }
    return false;
}

/*
 * system_reset returns every device to its reset state: a source claimed at
 * reset time would otherwise never interrupt the rebooted kernel again, an
 * old alarm would fire into it, a stale msip or mtimecmp would interrupt it.
 */
static void test_system_reset_devices(void)
{
    Fixture f;
    JsonObject *r;

    fixture_start(&f, "");
    qtest_irq_intercept_in(f.qts);
    /* UART: loopback, receive interrupt, a byte in the FIFO. */
    qtest_writeb(f.qts, UART_BASE + UART_FCR, 0x01);
    qtest_writeb(f.qts, UART_BASE + UART_IER, 0x01);
    qtest_writeb(f.qts, UART_BASE + UART_MCR, 0x10);
    qtest_writeb(f.qts, UART_BASE + UART_RBR, 'x');
    qtest_writeb(f.qts, UART_BASE + UART_SCR, 0x77);
    g_assert_true(qtest_get_irq(f.qts, UART_IRQ));
    /* PLIC: the UART's interrupt claimed and never completed. */
    qtest_writel(f.qts, PLIC_PRIORITY(UART_IRQ), 1);
    qtest_writel(f.qts, PLIC_ENABLE(1, 0), 1u << UART_IRQ);
    qtest_writel(f.qts, PLIC_THRESHOLD(1), 0);
    g_assert_cmphex(qtest_readl(f.qts, PLIC_CLAIM(1)), ==, UART_IRQ);
    /* CLINT: a software interrupt and a deadline. */
    qtest_writel(f.qts, CLINT_BASE + 4, 1);
    qtest_writeq(f.qts, CLINT_MTIMECMP(1), 12345);
    /* RTC: an alarm far away, interrupt enabled. */
    qtest_writel(f.qts, RTC_BASE + 0x10, 1);
    qtest_writel(f.qts, RTC_BASE + 0x0c, 0x7fffffff);
    qtest_writel(f.qts, RTC_BASE + 0x08, 0);
    g_assert_cmphex(qtest_readl(f.qts, RTC_BASE + 0x18), ==, 1);

    r = qtest_qmp(f.qts, "{'execute': 'system_reset'}");
    g_assert_true(json_object_has_member(r, "return"));
    json_object_unref(r);
    g_assert_true(wait_for_value(f.qts, PLIC_ENABLE(1, 0), 0));

    g_assert_cmphex(qtest_readb(f.qts, UART_BASE + UART_MCR), ==, 0);
    g_assert_cmphex(qtest_readb(f.qts, UART_BASE + UART_IER), ==, 0);
    g_assert_cmphex(qtest_readb(f.qts, UART_BASE + UART_SCR), ==, 0);
    g_assert_cmphex(qtest_readb(f.qts, UART_BASE + UART_IIR), ==, 0x01);
    g_assert_cmphex(qtest_readb(f.qts, UART_BASE + UART_LSR), ==, 0x60);
    g_assert_false(qtest_get_irq(f.qts, UART_IRQ));

    g_assert_cmphex(qtest_readl(f.qts, PLIC_PRIORITY(UART_IRQ)), ==, 0);
    g_assert_cmphex(qtest_readl(f.qts, PLIC_PENDING(0)), ==, 0);
    /* The UART's interrupt can be claimed again once it fires. */
    qtest_writel(f.qts, PLIC_PRIORITY(UART_IRQ), 1);
    qtest_writel(f.qts, PLIC_ENABLE(1, 0), 1u << UART_IRQ);
    qtest_writeb(f.qts, UART_BASE + UART_IER, 0x02);
    g_assert_true(qtest_get_irq(f.qts, UART_IRQ));
    g_assert_cmphex(qtest_readl(f.qts, PLIC_CLAIM(1)), ==, UART_IRQ);
    qtest_writel(f.qts, PLIC_CLAIM(1), UART_IRQ);

    g_assert_cmphex(qtest_readl(f.qts, CLINT_BASE + 4), ==, 0);
    g_assert_cmphex(qtest_readq(f.qts, CLINT_MTIMECMP(1)), ==, UINT64_MAX);
    g_assert_cmphex(qtest_readq(f.qts, CLINT_MTIME), <, 10000000);

    g_assert_cmphex(qtest_readl(f.qts, RTC_BASE + 0x18), ==, 0);
    g_assert_cmphex(qtest_readl(f.qts, RTC_BASE + 0x10), ==, 0);
    g_assert_false(qtest_get_irq(f.qts, RTC_IRQ));
    /* The wall clock survives the reset (TIME_LOW latches TIME_HIGH). */
    qtest_readl(f.qts, RTC_BASE + 0x00);
    g_assert_cmphex(qtest_readl(f.qts, RTC_BASE + 0x04), >, 0x10000000 >> 4);
    assert_alive(&f);
    fixture_stop(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virt-devices/uart/all-accesses", test_uart_all_accesses);
    g_test_add_func("/virt-devices/uart/input-flood", test_uart_input_flood);
    g_test_add_func("/virt-devices/plic/invalid-ids-and-contexts",
                    test_plic_invalid_ids_and_contexts);
    g_test_add_func("/virt-devices/plic/claim-complete-mismatch",
                    test_plic_claim_complete_mismatch);
    g_test_add_func("/virt-devices/clint/extremes", test_clint_extremes);
    g_test_add_func("/virt-devices/unmapped", test_unmapped_in_windows);
    g_test_add_func("/virt-devices/system-reset", test_system_reset_devices);
    return g_test_run();
}
