/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A hostile virtio driver: the test plays a guest that breaks every rule of
 * virtio 1.x (sections 2.1, 2.7, 3.1, 4.1, 4.2) against the balloon over
 * virtio-mmio and virtio-pci, and checks after each round that the process
 * still answers QMP and that a reset brings back a working device.
 *
 * The random sequence comes from g_test_rand_int(): rerun a failure with the
 * --seed printed by the test harness.  Run it under a sanitizer build
 * (meson setup -Db_sanitize=address,undefined) to catch silent corruption.
 *
 * Also here: a reset racing with the free page queue's IOThread handler.
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "virtio-mmio-regs.h"

#define S_ACK_DRIVER 3

#define F_STATS_VQ 1
#define F_FREE_PAGE_HINT 3
#define F_INDIRECT 28
#define F_EVENT_IDX 29
#define F_VERSION_1 32

#define DESC_F_NEXT 1
#define DESC_F_WRITE 2
#define DESC_F_INDIRECT 4

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (64 * MiB)
#define RING_AREA (RAM_BASE + 8 * MiB)
#define BUF_AREA (RAM_BASE + 16 * MiB)

/* virtio-pci: the balloon is the first device on bus 0; its BAR 4 goes here. */
#define ECAM_BASE 0x30000000ull
#define PCI_BAR_ADDR 0x40000000ull
#define PCI_COMMON 0x0000
#define PCI_ISR 0x1000
#define PCI_DEVICE 0x2000
#define PCI_NOTIFY 0x3000

/* Register access for one transport; the fuzz rounds do not care which. */
typedef struct Transport {
    QTestState *qts;
    bool pci;
    uint64_t cfg_addr;          /* PCI: this function's ECAM config space */
} Transport;

static uint32_t rnd(uint32_t n)
{
    return n ? g_test_rand_int_range(0, n) : 0;
}

/* Addresses a buggy or hostile driver would pick. */
static uint64_t nasty_addr(void)
{
    static const uint64_t picks[] = {
        0, 1, RAM_BASE - 16, RAM_BASE + RAM_SIZE - 2, RAM_BASE + RAM_SIZE - 16,
        RAM_BASE + RAM_SIZE, RAM_BASE + RAM_SIZE + 4096, 0x10001000, MMIO_BASE,
        ECAM_BASE, PCI_BAR_ADDR, 0xffffffffffffffffull, 0xfffffffffffff000ull,
        RAM_BASE + 3, BUF_AREA + 1,
    };

    if (rnd(3)) {
        return BUF_AREA + rnd(4 * MiB);
    }
    return picks[rnd(G_N_ELEMENTS(picks))];
}

static uint32_t nasty_len(void)
{
    static const uint32_t picks[] = { 0, 1, 3, 4, 5, 8, 10, 16, 4096, 0xffffffffu,
                                      0x80000000u, 1 * MiB, RAM_SIZE };

    return rnd(2) ? rnd(512) : picks[rnd(G_N_ELEMENTS(picks))];
}

/* ---- transport register access ---- */

static void mmio_w(Transport *t, unsigned reg, uint32_t val)
{
    qtest_writel(t->qts, MMIO_BASE + reg, val);
}

static uint32_t mmio_r(Transport *t, unsigned reg)
{
    return qtest_readl(t->qts, MMIO_BASE + reg);
}

static void pci_common_w(Transport *t, unsigned off, unsigned size, uint32_t val)
{
    uint64_t a = PCI_BAR_ADDR + PCI_COMMON + off;

    if (size == 1) {
        qtest_writeb(t->qts, a, val);
    } else if (size == 2) {
        qtest_writew(t->qts, a, val);
    } else {
        qtest_writel(t->qts, a, val);
    }
}

static uint8_t dev_status(Transport *t)
{
    return t->pci ? qtest_readb(t->qts, PCI_BAR_ADDR + PCI_COMMON + 0x14)
                  : mmio_r(t, REG_STATUS);
}

static void set_status(Transport *t, uint8_t status)
{
    if (t->pci) {
        pci_common_w(t, 0x14, 1, status);
    } else {
        mmio_w(t, REG_STATUS, status);
    }
}

static void set_driver_features(Transport *t, uint64_t features)
{
    for (unsigned half = 0; half < 2; half++) {
        if (t->pci) {
            pci_common_w(t, 0x08, 4, half);
            pci_common_w(t, 0x0c, 4, features >> (32 * half));
        } else {
            mmio_w(t, REG_DRIVER_FEATURES_SEL, half);
            mmio_w(t, REG_DRIVER_FEATURES, features >> (32 * half));
        }
    }
}

static void queue_setup(Transport *t, int q, unsigned size, uint64_t desc, uint64_t avail,
                        uint64_t used)
{
    if (t->pci) {
        pci_common_w(t, 0x16, 2, q);
        pci_common_w(t, 0x18, 2, size);
        pci_common_w(t, 0x20, 4, desc);
        pci_common_w(t, 0x24, 4, desc >> 32);
        pci_common_w(t, 0x28, 4, avail);
        pci_common_w(t, 0x2c, 4, avail >> 32);
        pci_common_w(t, 0x30, 4, used);
        pci_common_w(t, 0x34, 4, used >> 32);
        pci_common_w(t, 0x1c, 2, 1);
    } else {
        mmio_w(t, REG_QUEUE_SEL, q);
        mmio_w(t, REG_QUEUE_NUM, size);
        mmio_w(t, REG_QUEUE_DESC_LOW, desc);
        mmio_w(t, REG_QUEUE_DESC_HIGH, desc >> 32);
        mmio_w(t, REG_QUEUE_DRIVER_LOW, avail);
        mmio_w(t, REG_QUEUE_DRIVER_HIGH, avail >> 32);
        mmio_w(t, REG_QUEUE_DEVICE_LOW, used);
        mmio_w(t, REG_QUEUE_DEVICE_HIGH, used >> 32);
        mmio_w(t, REG_QUEUE_READY, 1);
    }
}

static void kick(Transport *t, uint32_t q)
{
    if (t->pci) {
        qtest_writew(t->qts, PCI_BAR_ADDR + PCI_NOTIFY + 4 * (q & 0x3ff), q);
    } else {
        mmio_w(t, REG_QUEUE_NOTIFY, q);
    }
}

/* PCI: find the balloon on bus 0, put BAR 4 in the MMIO window, enable decoding. */
static void pci_enable(Transport *t)
{
    for (int dev = 0; dev < 32; dev++) {
        uint64_t cfg = ECAM_BASE + ((uint64_t)dev << 15);

        if (qtest_readl(t->qts, cfg) == 0x10451af4) {
            t->cfg_addr = cfg;
            break;
        }
    }
    g_assert(t->cfg_addr);
    qtest_writel(t->qts, t->cfg_addr + 0x20, (uint32_t)PCI_BAR_ADDR | 0xc);
    qtest_writel(t->qts, t->cfg_addr + 0x24, PCI_BAR_ADDR >> 32);
    qtest_writew(t->qts, t->cfg_addr + 0x04, 0x6);
}

/* ---- the health check: QMP answers, and a reset device works again ---- */

static void check_alive(Transport *t)
{
    JsonObject *r = qtest_qmp(t->qts, "{'execute': 'query-status'}");

    g_assert(json_object_has_member(r, "return"));
    json_object_unref(r);
}

static void put_desc(QTestState *qts, uint64_t table, unsigned i, uint64_t addr, uint32_t len,
                     uint16_t flags, uint16_t next)
{
    qtest_vring_desc_write(qts, table, i, addr, len, flags, next);
}

/* Reset, negotiate properly, inflate one page: the device must take it. */
static void check_recovers(Transport *t)
{
    QTestState *qts = t->qts;
    uint64_t desc = RING_AREA, avail = RING_AREA + 0x1000, used = RING_AREA + 0x2000;
    uint64_t pfn_buf = RING_AREA + 0x3000;
    uint32_t pfn = (RAM_BASE + 32 * MiB) >> 12;

    if (t->pci) {
        /* The fuzz may have moved or disabled the BAR. */
        pci_enable(t);
    }
    set_status(t, 0);
    g_assert_cmpint(dev_status(t), ==, 0);
    set_status(t, S_ACK_DRIVER);
    set_driver_features(t, 1ull << F_VERSION_1);
    set_status(t, S_ACK_DRIVER | S_FEATURES_OK);
    g_assert_cmpint(dev_status(t), ==, S_ACK_DRIVER | S_FEATURES_OK);
    qtest_memset(qts, RING_AREA, 0, 0x3000);
    queue_setup(t, 0, 16, desc, avail, used);
    set_status(t, S_ACK_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    qtest_memwrite(qts, pfn_buf, &pfn, 4);
    put_desc(qts, desc, 0, pfn_buf, 4, 0, 0);
    qtest_writew(qts, avail + 4, 0);
    qtest_writew(qts, avail + 2, 1);
    kick(t, 0);
    g_assert_cmpint(qtest_readw(qts, used + 2), ==, 1);
    g_assert_cmpint(dev_status(t) & S_NEEDS_RESET, ==, 0);
    check_alive(t);
}

/* ---- fuzz actions ---- */

/* Random garbage (or nearly valid entries) in a descriptor table and avail ring. */
static void fuzz_ring(Transport *t, uint64_t desc, uint64_t avail, unsigned n)
{
    QTestState *qts = t->qts;
    unsigned entries = 1 + rnd(8);

    for (unsigned i = 0; i < entries; i++) {
        uint16_t flags = rnd(4) ? rnd(8) : rnd(0x10000);

        put_desc(qts, desc, rnd(n + 2), nasty_addr(), nasty_len(), flags,
                 rnd(3) ? rnd(n) : rnd(0x10000));
    }
    if (rnd(2)) {
        /* An indirect table, possibly pointing at itself. */
        uint64_t table = BUF_AREA + 8 * MiB;

        for (unsigned i = 0; i < 4; i++) {
            put_desc(qts, table, i, rnd(2) ? table : nasty_addr(), nasty_len(), rnd(8),
                     rnd(6));
        }
        put_desc(qts, desc, rnd(n), table, rnd(2) ? 64 : nasty_len(),
                 DESC_F_INDIRECT | (rnd(4) ? 0 : DESC_F_NEXT), rnd(n));
    }
    for (unsigned i = 0; i < 4; i++) {
        qtest_writew(qts, avail + 4 + 2 * rnd(n + 2), rnd(3) ? rnd(n) : rnd(0x10000));
    }
    qtest_writew(qts, avail, rnd(2));
    qtest_writew(qts, avail + 2, rnd(3) ? rnd(n + 1) : rnd(0x10000));
}

/* Buffers with PFNs beyond RAM, huge stats, hints with odd ids: well-formed chains. */
static void fuzz_payload(Transport *t, uint64_t desc, uint64_t avail, unsigned n)
{
    QTestState *qts = t->qts;
    uint64_t buf = BUF_AREA + rnd(1024) * 4;
    uint32_t words[16];
    uint32_t len = rnd(4) ? 4 * (1 + rnd(16)) : nasty_len();
    unsigned head = rnd(n);

    for (unsigned i = 0; i < G_N_ELEMENTS(words); i++) {
        static const uint32_t picks[] = { 0, 1, 2, 0x80000000u, 0xffffffffu,
                                          RAM_BASE >> 12, (RAM_BASE + RAM_SIZE) >> 12 };

        words[i] = rnd(2) ? g_test_rand_int() : picks[rnd(G_N_ELEMENTS(picks))];
    }
    qtest_memwrite(qts, buf, words, sizeof(words));
    if (len > 4 * MiB && rnd(2)) {
        len = 4 * MiB;      /* big, but keep a round fast */
    }
    put_desc(qts, desc, head, buf, len, rnd(2) ? DESC_F_NEXT : 0, (head + 1) % n);
    put_desc(qts, desc, (head + 1) % n, nasty_addr(), nasty_len(), DESC_F_WRITE, 0);
    qtest_writew(qts, avail + 4 + 2 * rnd(n), head);
    qtest_writew(qts, avail + 2, qtest_readw(qts, avail + 2) + 1);
}

static void fuzz_config(Transport *t)
{
    unsigned off = rnd(0x40), size = 1u << rnd(3);
    uint64_t base = t->pci ? PCI_BAR_ADDR + PCI_DEVICE : MMIO_BASE + 0x100;
    uint32_t val = g_test_rand_int();

    switch (rnd(4) * 2 + (size == 1 ? 0 : size == 2 ? 1 : 2) % 2) {
    default:
        if (size == 1) {
            qtest_writeb(t->qts, base + off, val);
        } else if (size == 2) {
            qtest_writew(t->qts, base + off, val);
        } else {
            qtest_writel(t->qts, base + off, val);
        }
        break;
    case 0:
    case 1:
        qtest_readl(t->qts, base + (off & ~3u));
        qtest_readb(t->qts, base + off);
        qtest_readw(t->qts, base + off);
        break;
    }
}

/* Any register, any width, any value. */
static void fuzz_register(Transport *t)
{
    QTestState *qts = t->qts;
    uint32_t val = rnd(2) ? g_test_rand_int() : rnd(0x20);
    uint64_t a;

    if (t->pci) {
        switch (rnd(4)) {
        case 0:
            a = PCI_BAR_ADDR + PCI_COMMON + rnd(0x40);
            break;
        case 1:
            a = PCI_BAR_ADDR + PCI_ISR + rnd(8);
            break;
        case 2:
            a = PCI_BAR_ADDR + PCI_NOTIFY + rnd(0x1000);
            break;
        default:
            /* PCI config space, incl. the PCI cfg access window and BARs. */
            a = t->cfg_addr + rnd(0x140);
            break;
        }
    } else {
        a = MMIO_BASE + rnd(0x110);
    }
    switch (rnd(6)) {
    case 0:
        qtest_writeb(qts, a, val);
        break;
    case 1:
        qtest_writew(qts, a & ~1ull, val);
        break;
    case 2:
        qtest_writel(qts, a & ~3ull, val);
        break;
    case 3:
        qtest_readb(qts, a);
        break;
    case 4:
        qtest_readw(qts, a & ~1ull);
        break;
    default:
        qtest_readl(qts, a & ~3ull);
        break;
    }
}

/* One round: a partly sane driver start, then a burst of rule breaking. */
static void fuzz_round(Transport *t)
{
    static const unsigned sizes[] = { 0, 1, 3, 16, 100, 128, 256, 1024, 2048, 65535 };
    uint64_t desc = rnd(4) ? RING_AREA : nasty_addr();
    uint64_t avail = rnd(4) ? RING_AREA + 0x4000 : nasty_addr();
    uint64_t used = rnd(4) ? RING_AREA + 0x5000 : nasty_addr();
    unsigned n = rnd(3) ? 16 : sizes[rnd(G_N_ELEMENTS(sizes))];
    int q = rnd(5) ? rnd(4) : rnd(0x10000);
    uint64_t features = rnd(4) ? (1ull << F_VERSION_1) | (1ull << F_STATS_VQ) |
                                 (uint64_t)rnd(2) << F_INDIRECT |
                                 (uint64_t)rnd(2) << F_EVENT_IDX |
                                 (uint64_t)rnd(2) << F_FREE_PAGE_HINT
                               : (uint64_t)g_test_rand_int() << 32 | g_test_rand_int();
    unsigned steps = 20 + rnd(40);

    if (rnd(4)) {
        set_status(t, 0);
    }
    set_status(t, rnd(4) ? S_ACK_DRIVER : rnd(0x100));
    set_driver_features(t, features);
    /* DRIVER_OK before FEATURES_OK, sometimes. */
    set_status(t, S_ACK_DRIVER | (rnd(4) ? S_FEATURES_OK : S_DRIVER_OK));
    if (rnd(3)) {
        /* Features changed after FEATURES_OK. */
        set_driver_features(t, features ^ (1ull << rnd(64)));
    }
    qtest_memset(t->qts, RING_AREA, 0, 0x6000);
    queue_setup(t, q, n, desc, avail, used);
    set_status(t, S_ACK_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    if (!n || n > 1024) {
        n = 16;     /* the device refused it; keep the ring writes in bounds */
    }
    for (unsigned i = 0; i < steps; i++) {
        switch (rnd(10)) {
        case 0:
        case 1:
            fuzz_ring(t, desc, avail, n);
            kick(t, q);
            break;
        case 2:
        case 3:
            fuzz_payload(t, desc, avail, n);
            kick(t, rnd(6) ? q : rnd(0x10000));
            break;
        case 4:
            fuzz_config(t);
            break;
        case 5:
            set_status(t, rnd(0x100));
            break;
        case 6:
            queue_setup(t, rnd(8), sizes[rnd(G_N_ELEMENTS(sizes))], nasty_addr(),
                        nasty_addr(), nasty_addr());
            break;
        case 7:
            kick(t, rnd(3) ? rnd(8) : g_test_rand_int());
            break;
        default:
            fuzz_register(t);
            break;
        }
    }
    /* Let IOThread work finish before the checks. */
    qtest_clock_step(t->qts, 1000000);
    check_alive(t);
    check_recovers(t);
}

static unsigned fuzz_rounds(void)
{
    return g_test_slow() ? 2000 : 150;
}

static void test_fuzz_mmio(void)
{
    Transport t = {
        .qts = qtest_initf("-m 64M -object iothread,id=io0 -device virtio-balloon-device,"
                           "free-page-hint=on,iothread=io0,free-page-reporting=on,"
                           "guest-stats-polling-interval=1"),
    };

    for (unsigned i = 0; i < fuzz_rounds(); i++) {
        fuzz_round(&t);
    }
    /* Config space at every offset and width, inside and past its end. */
    for (unsigned off = 0; off < 0x40; off++) {
        qtest_readb(t.qts, MMIO_BASE + 0x100 + off);
        qtest_readw(t.qts, MMIO_BASE + 0x100 + off);
        qtest_readl(t.qts, MMIO_BASE + 0x100 + off);
        qtest_writeb(t.qts, MMIO_BASE + 0x100 + off, 0xa5);
        qtest_writew(t.qts, MMIO_BASE + 0x100 + off, 0xa5a5);
        qtest_writel(t.qts, MMIO_BASE + 0x100 + off, 0xa5a5a5a5);
    }
    check_alive(&t);
    check_recovers(&t);
    qtest_quit(t.qts);
}

static void test_fuzz_pci(void)
{
    Transport t = {
        .qts = qtest_initf("-m 64M -object iothread,id=io0 -device virtio-balloon-pci,"
                           "free-page-hint=on,iothread=io0,free-page-reporting=on,"
                           "guest-stats-polling-interval=1"),
        .pci = true,
    };

    pci_enable(&t);
    for (unsigned i = 0; i < fuzz_rounds(); i++) {
        fuzz_round(&t);
    }
    /* Every config space byte, word and dword, incl. past the 256-byte space. */
    for (unsigned off = 0; off < 0x1000; off += off < 0x140 ? 1 : 0x3d) {
        qtest_readb(t.qts, t.cfg_addr + off);
        qtest_readw(t.qts, t.cfg_addr + (off & ~1u));
        qtest_readl(t.qts, t.cfg_addr + (off & ~3u));
    }
    check_alive(&t);
    check_recovers(&t);
    qtest_quit(t.qts);
}

/* ---- reset vs. the free page queue's IOThread ---- */

#define HINT_VQ 3
#define HINT_QSIZE 1024
#define HINT_BUFS 1024      /* in-buffers per element, through one indirect table */

static void hint_driver_start(Transport *t, uint64_t features, uint64_t desc, uint64_t avail,
                              uint64_t used)
{
    set_status(t, S_ACK_DRIVER);
    set_driver_features(t, features);
    set_status(t, S_ACK_DRIVER | S_FEATURES_OK);
    g_assert_cmpint(dev_status(t), ==, S_ACK_DRIVER | S_FEATURES_OK);
    qtest_memset(t->qts, desc, 0, 16 * HINT_QSIZE);
    qtest_memset(t->qts, avail, 0, 6 + 2 * HINT_QSIZE);
    qtest_memset(t->qts, used, 0, 6 + 8 * HINT_QSIZE);
    queue_setup(t, HINT_VQ, HINT_QSIZE, desc, avail, used);
    set_status(t, S_ACK_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

/*
 * The vCPU resets the device (status 0) while the IOThread is inside the
 * free page handler.  Afterwards the device must be clean: not NEEDS_RESET,
 * and a new driver's first buffer is the one the device takes.
 */
static void test_reset_during_hints(void)
{
    Transport t = {
        .qts = qtest_initf("-m 64M -object iothread,id=io0 -device virtio-balloon-device,"
                           "free-page-hint=on,iothread=io0"),
    };
    QTestState *qts = t.qts;
    uint64_t desc = RING_AREA, avail = RING_AREA + 0x4000, used = RING_AREA + 0x5000;
    uint64_t table = BUF_AREA, elements = HINT_QSIZE;
    g_autofree uint8_t *tbl = g_malloc0(16 * HINT_BUFS);
    g_autofree uint16_t *ring = g_malloc0(2 * elements);
    unsigned bad = 0;

    /* One indirect table of HINT_BUFS 4 KiB in-buffers, shared by every element. */
    for (unsigned i = 0; i < HINT_BUFS; i++) {
        uint64_t addr = BUF_AREA + 1 * MiB + 4096ull * i;
        uint32_t len = 4096;
        uint16_t flags = DESC_F_WRITE;

        memcpy(tbl + 16 * i, &addr, 8);
        memcpy(tbl + 16 * i + 8, &len, 4);
        memcpy(tbl + 16 * i + 12, &flags, 2);
    }
    qtest_memwrite(qts, table, tbl, 16 * HINT_BUFS);
    for (unsigned i = 0; i < elements; i++) {
        ring[i] = i;
    }
    for (unsigned round = 0; round < 60; round++) {
        uint64_t features = (1ull << F_VERSION_1) | (1ull << F_FREE_PAGE_HINT) |
                            (1ull << F_INDIRECT) | (uint64_t)(round & 1) << F_EVENT_IDX;
        uint8_t status;

        set_status(&t, 0);
        hint_driver_start(&t, features, desc, avail, used);
        for (unsigned i = 0; i < elements; i++) {
            put_desc(qts, desc, i, table, 16 * HINT_BUFS, DESC_F_INDIRECT, 0);
        }
        qtest_memwrite(qts, avail + 4, ring, 2 * elements);
        qtest_writew(qts, avail + 2, elements);
        kick(&t, HINT_VQ);
        g_usleep(rnd(300));
        set_status(&t, 0);
        /* Whatever the handler was doing, it is over now. */
        g_usleep(5000);
        status = dev_status(&t);
        if (status) {
            g_test_message("round %u: status 0x%x right after reset", round, status);
            bad++;
            continue;
        }
        /* A new driver, without another reset: its first buffer must be taken. */
        hint_driver_start(&t, features, desc, avail, used);
        put_desc(qts, desc, 7, BUF_AREA + 1 * MiB, 4096, DESC_F_WRITE, 0);
        qtest_writew(qts, avail + 4, 7);
        qtest_writew(qts, avail + 2, 1);
        kick(&t, HINT_VQ);
        for (int i = 0; i < 2000 && qtest_readw(qts, used + 2) != 1; i++) {
            g_usleep(500);
        }
        if (qtest_readw(qts, used + 2) != 1 || qtest_readl(qts, used + 4) != 7 ||
            (dev_status(&t) & S_NEEDS_RESET)) {
            g_test_message("round %u: used idx %u id %u status 0x%x after a new start",
                           round, qtest_readw(qts, used + 2), qtest_readl(qts, used + 4),
                           dev_status(&t));
            bad++;
        }
    }
    check_alive(&t);
    g_assert_cmpint(bad, ==, 0);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-fuzz/mmio", test_fuzz_mmio);
    g_test_add_func("/virtio-fuzz/pci", test_fuzz_pci);
    g_test_add_func("/virtio-fuzz/reset-during-hints", test_reset_during_hints);
    return g_test_run();
}
