/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-balloon over virtio-mmio, with the test playing the guest driver:
 * feature negotiation, config space layout, inflate/deflate with the
 * ballooned bitmap, statistics and polling, a malformed chain, and the free
 * page hint cmd_id protocol (virtio 1.x sections 4.2.2, 2.7 and 5.5).
 */
#include "qemu/osdep.h"
#include "libqtest.h"

/* The first -device virtio-balloon-device takes the last slot (QEMU's order). */
#define MMIO_BASE 0x10008000ull
#define MMIO_IRQ 8

#define REG_MAGIC 0x000
#define REG_VERSION 0x004
#define REG_DEVICE_ID 0x008
#define REG_DEVICE_FEATURES 0x010
#define REG_DEVICE_FEATURES_SEL 0x014
#define REG_DRIVER_FEATURES 0x020
#define REG_DRIVER_FEATURES_SEL 0x024
#define REG_QUEUE_SEL 0x030
#define REG_QUEUE_NUM_MAX 0x034
#define REG_QUEUE_NUM 0x038
#define REG_QUEUE_READY 0x044
#define REG_QUEUE_NOTIFY 0x050
#define REG_INTERRUPT_STATUS 0x060
#define REG_INTERRUPT_ACK 0x064
#define REG_STATUS 0x070
#define REG_QUEUE_DESC_LOW 0x080
#define REG_QUEUE_DESC_HIGH 0x084
#define REG_QUEUE_DRIVER_LOW 0x090
#define REG_QUEUE_DRIVER_HIGH 0x094
#define REG_QUEUE_DEVICE_LOW 0x0a0
#define REG_QUEUE_DEVICE_HIGH 0x0a4
#define REG_CONFIG 0x100

#define S_ACKNOWLEDGE 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define S_NEEDS_RESET 0x40

#define F_MUST_TELL_HOST 0
#define F_STATS_VQ 1
#define F_DEFLATE_ON_OOM 2
#define F_FREE_PAGE_HINT 3
#define F_PAGE_POISON 4
#define F_REPORTING 5
#define F_VERSION_1 32

#define CFG_NUM_PAGES 0
#define CFG_ACTUAL 4
#define CFG_CMD_ID 8
#define CFG_POISON 12

#define DESC_F_NEXT 1
#define DESC_F_WRITE 2

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (256 * MiB)
#define QSIZE 16

/* A split virtqueue the test drives as a driver would (section 2.7). */
typedef struct TestVq {
    int index;
    uint64_t desc, avail, used;
    uint16_t next_desc;
    uint16_t avail_idx;
} TestVq;

/* Scratch RAM for rings and buffers, above where nothing else lives. */
static uint64_t alloc_next;

static uint64_t guest_alloc(uint64_t size)
{
    uint64_t addr = QEMU_ALIGN_UP(alloc_next, 4096);

    alloc_next = addr + size;
    return addr;
}

static uint32_t mmio_read(QTestState *s, unsigned reg)
{
    return qtest_readl(s, MMIO_BASE + reg);
}

static void mmio_write(QTestState *s, unsigned reg, uint32_t val)
{
    qtest_writel(s, MMIO_BASE + reg, val);
}

static uint64_t device_features(QTestState *s)
{
    uint64_t f;

    mmio_write(s, REG_DEVICE_FEATURES_SEL, 0);
    f = mmio_read(s, REG_DEVICE_FEATURES);
    mmio_write(s, REG_DEVICE_FEATURES_SEL, 1);
    return f | (uint64_t)mmio_read(s, REG_DEVICE_FEATURES) << 32;
}

/* Reset, negotiate @features (section 3.1.1); returns the status afterwards. */
static uint32_t driver_negotiate(QTestState *s, uint64_t features)
{
    alloc_next = RAM_BASE + 16 * MiB;
    mmio_write(s, REG_STATUS, 0);
    mmio_write(s, REG_STATUS, S_ACKNOWLEDGE);
    mmio_write(s, REG_STATUS, S_ACKNOWLEDGE | S_DRIVER);
    mmio_write(s, REG_DRIVER_FEATURES_SEL, 0);
    mmio_write(s, REG_DRIVER_FEATURES, (uint32_t)features);
    mmio_write(s, REG_DRIVER_FEATURES_SEL, 1);
    mmio_write(s, REG_DRIVER_FEATURES, features >> 32);
    mmio_write(s, REG_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
    return mmio_read(s, REG_STATUS);
}

static void driver_ok(QTestState *s)
{
    mmio_write(s, REG_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

static void vq_setup(QTestState *s, TestVq *vq, int index)
{
    vq->index = index;
    vq->desc = guest_alloc(16 * QSIZE);
    vq->avail = guest_alloc(6 + 2 * QSIZE);
    vq->used = guest_alloc(6 + 8 * QSIZE);
    vq->next_desc = 0;
    vq->avail_idx = 0;
    qtest_memset(s, vq->desc, 0, 16 * QSIZE);
    qtest_memset(s, vq->avail, 0, 6 + 2 * QSIZE);
    qtest_memset(s, vq->used, 0, 6 + 8 * QSIZE);
    mmio_write(s, REG_QUEUE_SEL, index);
    g_assert_cmpint(mmio_read(s, REG_QUEUE_NUM_MAX), >=, QSIZE);
    mmio_write(s, REG_QUEUE_NUM, QSIZE);
    mmio_write(s, REG_QUEUE_DESC_LOW, (uint32_t)vq->desc);
    mmio_write(s, REG_QUEUE_DESC_HIGH, vq->desc >> 32);
    mmio_write(s, REG_QUEUE_DRIVER_LOW, (uint32_t)vq->avail);
    mmio_write(s, REG_QUEUE_DRIVER_HIGH, vq->avail >> 32);
    mmio_write(s, REG_QUEUE_DEVICE_LOW, (uint32_t)vq->used);
    mmio_write(s, REG_QUEUE_DEVICE_HIGH, vq->used >> 32);
    mmio_write(s, REG_QUEUE_READY, 1);
}

static void write_desc(QTestState *s, TestVq *vq, uint16_t i, uint64_t addr, uint32_t len,
                       uint16_t flags, uint16_t next)
{
    qtest_vring_desc_write(s, vq->desc, i, addr, len, flags, next);
}

/* Make a chain of @n buffers available and kick; returns its head. */
static uint16_t vq_add(QTestState *s, TestVq *vq, const uint64_t *addr, const uint32_t *len,
                       const bool *writable, int n)
{
    uint16_t head = vq->next_desc;

    for (int i = 0; i < n; i++) {
        uint16_t idx = (head + i) % QSIZE;
        uint16_t flags = (writable[i] ? DESC_F_WRITE : 0) | (i + 1 < n ? DESC_F_NEXT : 0);

        write_desc(s, vq, idx, addr[i], len[i], flags, (idx + 1) % QSIZE);
    }
    vq->next_desc = (head + n) % QSIZE;
    qtest_writew(s, vq->avail + 4 + 2 * (vq->avail_idx % QSIZE), head);
    vq->avail_idx++;
    qtest_writew(s, vq->avail + 2, vq->avail_idx);
    mmio_write(s, REG_QUEUE_NOTIFY, vq->index);
    return head;
}

static uint64_t vq_add_out(QTestState *s, TestVq *vq, const void *data, uint32_t len)
{
    uint64_t buf = guest_alloc(len);
    bool w = false;

    qtest_memwrite(s, buf, data, len);
    vq_add(s, vq, &buf, &len, &w, 1);
    return buf;
}

static uint16_t vq_used_idx(QTestState *s, TestVq *vq)
{
    return qtest_readw(s, vq->used + 2);
}

/* IOThread queues complete asynchronously: poll for up to 5 s. */
static void vq_wait_used(QTestState *s, TestVq *vq, uint16_t idx)
{
    for (int i = 0; i < 5000 && vq_used_idx(s, vq) != idx; i++) {
        g_usleep(1000);
    }
    g_assert_cmpint(vq_used_idx(s, vq), ==, idx);
}

static uint32_t config_read(QTestState *s, unsigned off)
{
    return mmio_read(s, REG_CONFIG + off);
}

/* ---- QMP helpers ---- */

static JsonObject *qmp_return(QTestState *s, const char *cmd)
{
    JsonObject *r = qtest_qmp(s, "%s", cmd);

    if (!json_object_has_member(r, "return")) {
        g_autofree char *text = json_to_string(json_node_init_object(json_node_alloc(), r),
                                               FALSE);
        g_error("%s failed: %s", cmd, text);
    }
    return r;
}

static int64_t qmp_int(QTestState *s, const char *cmd, const char *member)
{
    JsonObject *r = qmp_return(s, cmd);
    int64_t v = json_object_get_int_member(json_object_get_object_member(r, "return"), member);

    json_object_unref(r);
    return v;
}

static const char *qmp_error_desc(JsonObject *r)
{
    g_assert(json_object_has_member(r, "error"));
    return json_object_get_string_member(json_object_get_object_member(r, "error"), "desc");
}

/* ---- tests ---- */

static void test_features(void)
{
    QTestState *s = qtest_initf("-m 256M -device virtio-balloon-device");
    uint64_t f;

    g_assert_cmphex(mmio_read(s, REG_MAGIC), ==, 0x74726976);
    g_assert_cmpint(mmio_read(s, REG_VERSION), ==, 2);
    g_assert_cmpint(mmio_read(s, REG_DEVICE_ID), ==, 5);
    f = device_features(s);
    /* Defaults as QEMU: stats always, page-poison on, the rest off. */
    g_assert(f & (1ull << F_STATS_VQ));
    g_assert(f & (1ull << F_PAGE_POISON));
    g_assert(f & (1ull << F_VERSION_1));
    g_assert_false(f & (1ull << F_DEFLATE_ON_OOM));
    g_assert_false(f & (1ull << F_FREE_PAGE_HINT));
    g_assert_false(f & (1ull << F_REPORTING));
    /* A driver that accepts an unoffered bit does not get FEATURES_OK. */
    g_assert_false(driver_negotiate(s, 1ull << F_VERSION_1 | 1ull << F_REPORTING) &
                   S_FEATURES_OK);
    g_assert(driver_negotiate(s, 1ull << F_VERSION_1 | 1ull << F_STATS_VQ) & S_FEATURES_OK);
    qtest_quit(s);

    s = qtest_initf("-m 256M -object iothread,id=io0 -device virtio-balloon-device,"
                    "deflate-on-oom=on,page-poison=off,free-page-reporting=on,"
                    "free-page-hint=on,iothread=io0");
    f = device_features(s);
    g_assert(f & (1ull << F_DEFLATE_ON_OOM));
    g_assert(f & (1ull << F_FREE_PAGE_HINT));
    g_assert(f & (1ull << F_REPORTING));
    g_assert_false(f & (1ull << F_PAGE_POISON));
    /* Queues: inflate, deflate, stats, free page, reporting; nothing after. */
    for (int q = 0; q < 5; q++) {
        mmio_write(s, REG_QUEUE_SEL, q);
        g_assert_cmpint(mmio_read(s, REG_QUEUE_NUM_MAX), >, 0);
    }
    mmio_write(s, REG_QUEUE_SEL, 5);
    g_assert_cmpint(mmio_read(s, REG_QUEUE_NUM_MAX), ==, 0);
    qtest_quit(s);
}

static void test_config_layout(void)
{
    QTestState *s = qtest_initf("-m 256M -device virtio-balloon-device,page-poison=off");
    JsonObject *r;

    /* Without FREE_PAGE_HINT and PAGE_POISON the config space is 8 bytes. */
    driver_negotiate(s, 1ull << F_VERSION_1);
    driver_ok(s);
    mmio_write(s, REG_CONFIG + CFG_POISON, 0xaa);
    g_assert_cmphex(config_read(s, CFG_CMD_ID), ==, 0);
    g_assert_cmphex(config_read(s, CFG_POISON), ==, 0);
    g_assert_cmpint(config_read(s, CFG_NUM_PAGES), ==, 0);

    /* balloon: num_pages = (ram - value) / 4096, with a config interrupt. */
    qtest_irq_intercept_in(s);
    json_object_unref(qmp_return(s, "{'execute': 'balloon', 'arguments': "
                                    "{'value': 201326592}}"));
    g_assert_cmpint(config_read(s, CFG_NUM_PAGES), ==, (RAM_SIZE - 192 * MiB) / 4096);
    g_assert_cmpint(mmio_read(s, REG_INTERRUPT_STATUS) & 2, ==, 2);
    g_assert(qtest_get_irq(s, MMIO_IRQ));
    mmio_write(s, REG_INTERRUPT_ACK, 2);
    g_assert_false(qtest_get_irq(s, MMIO_IRQ));

    /* QEMU's errors. */
    r = qtest_qmp(s, "{'execute': 'balloon', 'arguments': {'value': 0}}");
    g_assert_cmpstr(qmp_error_desc(r), ==, "Parameter 'target' expects a size");
    json_object_unref(r);
    qtest_quit(s);

    s = qtest_initf("-m 256M -object iothread,id=io0 -device virtio-balloon-device,"
                    "free-page-hint=on,iothread=io0");
    /* 16 bytes with PAGE_POISON; poison_val is writable only once negotiated. */
    driver_negotiate(s, 1ull << F_VERSION_1 | 1ull << F_FREE_PAGE_HINT);
    driver_ok(s);
    mmio_write(s, REG_CONFIG + CFG_POISON, 0xaa);
    g_assert_cmphex(config_read(s, CFG_POISON), ==, 0);
    driver_negotiate(s, 1ull << F_VERSION_1 | 1ull << F_PAGE_POISON);
    driver_ok(s);
    mmio_write(s, REG_CONFIG + CFG_POISON, 0xaa);
    g_assert_cmphex(config_read(s, CFG_POISON), ==, 0xaa);
    /* The driver cannot write num_pages or the cmd_id. */
    mmio_write(s, REG_CONFIG + CFG_NUM_PAGES, 77);
    mmio_write(s, REG_CONFIG + CFG_CMD_ID, 77);
    g_assert_cmpint(config_read(s, CFG_NUM_PAGES), ==, 0);
    g_assert_cmpint(config_read(s, CFG_CMD_ID), ==, 0);
    qtest_quit(s);

    s = qtest_initf("-m 256M");
    r = qtest_qmp(s, "{'execute': 'query-balloon'}");
    g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(r, "error"),
                                                  "class"), ==, "DeviceNotActive");
    g_assert_cmpstr(qmp_error_desc(r), ==, "No balloon device has been activated");
    json_object_unref(r);
    qtest_quit(s);
}

static void put_pfns(uint32_t *pfns, uint64_t gpa, int n)
{
    for (int i = 0; i < n; i++) {
        pfns[i] = GUINT32_TO_LE((gpa >> 12) + i);
    }
}

static void test_inflate_deflate(void)
{
    QTestState *s = qtest_initf("-m 256M -device virtio-balloon-device");
    TestVq ivq, dvq;
    uint32_t pfns[40];
    uint64_t target = RAM_BASE + 128 * MiB;
    uint8_t page[4096];
    JsonObject *r, *ret, *ev;
    JsonArray *ranges;

    driver_negotiate(s, 1ull << F_VERSION_1 | 1ull << F_MUST_TELL_HOST);
    vq_setup(s, &ivq, 0);
    vq_setup(s, &dvq, 1);
    driver_ok(s);

    json_object_unref(qmp_return(s, "{'execute': 'balloon', 'arguments': "
                                    "{'value': 268304384}}"));
    g_assert_cmpint(config_read(s, CFG_NUM_PAGES), ==, 32);

    /* The pages hold data before; once inflated the host has dropped them. */
    qtest_memset(s, target, 0x5a, 32 * 4096);
    put_pfns(pfns, target, 32);
    /* Plus one PFN outside RAM: logged and ignored, never a crash. */
    pfns[32] = GUINT32_TO_LE(0x1000);
    vq_add_out(s, &ivq, pfns, 33 * 4);
    vq_wait_used(s, &ivq, 1);
    qtest_memread(s, target + 5 * 4096, page, sizeof(page));
    for (size_t i = 0; i < sizeof(page); i++) {
        g_assert_cmpint(page[i], ==, 0);
    }

    r = qmp_return(s, "{'execute': 'x-query-balloon-bitmap'}");
    ret = json_object_get_object_member(r, "return");
    g_assert_cmpint(json_object_get_int_member(ret, "ballooned-pages"), ==, 32);
    ranges = json_object_get_array_member(ret, "ranges");
    g_assert_cmpint(json_array_get_length(ranges), ==, 1);
    g_assert_cmphex(json_object_get_int_member(json_array_get_object_element(ranges, 0),
                                               "start"), ==, target);
    g_assert_cmpint(json_object_get_int_member(json_array_get_object_element(ranges, 0),
                                               "length"), ==, 32 * 4096);
    json_object_unref(r);

    /* The driver reports actual; query-balloon and BALLOON_CHANGE follow. */
    mmio_write(s, REG_CONFIG + CFG_ACTUAL, 32);
    ev = qtest_qmp_eventwait(s, "BALLOON_CHANGE");
    g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(ev, "data"),
                                               "actual"), ==, RAM_SIZE - 32 * 4096);
    json_object_unref(ev);
    g_assert_cmpint(qmp_int(s, "{'execute': 'query-balloon'}", "actual"), ==,
                    RAM_SIZE - 32 * 4096);

    /* Deflate the middle 8 pages: the bitmap splits in two. */
    put_pfns(pfns, target + 8 * 4096, 8);
    vq_add_out(s, &dvq, pfns, 8 * 4);
    vq_wait_used(s, &dvq, 1);
    r = qmp_return(s, "{'execute': 'x-query-balloon-bitmap'}");
    ret = json_object_get_object_member(r, "return");
    g_assert_cmpint(json_object_get_int_member(ret, "ballooned-pages"), ==, 24);
    g_assert_cmpint(json_array_get_length(json_object_get_array_member(ret, "ranges")), ==, 2);
    json_object_unref(r);

    /* Deflate the rest (out of order: runs are found per contiguous stretch). */
    put_pfns(pfns, target + 16 * 4096, 16);
    put_pfns(pfns + 16, target, 8);
    vq_add_out(s, &dvq, pfns, 24 * 4);
    vq_wait_used(s, &dvq, 2);
    mmio_write(s, REG_CONFIG + CFG_ACTUAL, 0);
    g_assert_cmpint(qmp_int(s, "{'execute': 'x-query-balloon-bitmap'}", "ballooned-pages"),
                    ==, 0);
    g_assert_cmpint(qmp_int(s, "{'execute': 'query-balloon'}", "actual"), ==, RAM_SIZE);
    qtest_quit(s);
}

static void put_stat(uint8_t *p, uint16_t tag, uint64_t val)
{
    p[0] = tag;
    p[1] = tag >> 8;
    for (int b = 0; b < 8; b++) {
        p[2 + b] = val >> (8 * b);
    }
}

static void test_stats(void)
{
    QTestState *s = qtest_initf("-m 256M -device virtio-balloon-device,id=balloon0");
    TestVq ivq, dvq, svq;
    uint8_t stats[30];
    JsonObject *r, *ret, *st;

    r = qmp_return(s, "{'execute': 'qom-get', 'arguments': {'path': 'balloon0', "
                      "'property': 'guest-stats'}}");
    ret = json_object_get_object_member(r, "return");
    g_assert_cmpint(json_object_get_int_member(ret, "last-update"), ==, 0);
    json_object_unref(r);

    driver_negotiate(s, 1ull << F_VERSION_1 | 1ull << F_STATS_VQ);
    vq_setup(s, &ivq, 0);
    vq_setup(s, &dvq, 1);
    vq_setup(s, &svq, 2);
    driver_ok(s);
    qtest_irq_intercept_in(s);

    /* The driver's first buffer: free memory, total memory, and an unknown tag. */
    put_stat(stats, 4, 123456789);
    put_stat(stats + 10, 5, 268435456);
    put_stat(stats + 20, 42, 7);
    vq_add_out(s, &svq, stats, sizeof(stats));
    /* The device keeps the buffer to request the next statistics with it. */
    g_assert_cmpint(vq_used_idx(s, &svq), ==, 0);

    r = qmp_return(s, "{'execute': 'qom-get', 'arguments': {'path': "
                      "'/machine/peripheral/balloon0', 'property': 'guest-stats'}}");
    ret = json_object_get_object_member(r, "return");
    g_assert_cmpint(json_object_get_int_member(ret, "last-update"), >, 0);
    st = json_object_get_object_member(ret, "stats");
    g_assert_cmpint(json_object_get_int_member(st, "stat-free-memory"), ==, 123456789);
    g_assert_cmpint(json_object_get_int_member(st, "stat-total-memory"), ==, 268435456);
    g_assert_cmpint(json_object_get_int_member(st, "stat-swap-in"), ==, -1);
    g_assert_cmpint(json_object_get_int_member(st, "stat-htlb-pgfail"), ==, -1);
    json_object_unref(r);

    /* Polling: after the interval the buffer goes back, with an interrupt. */
    r = qtest_qmp(s, "{'execute': 'qom-set', 'arguments': {'path': 'balloon0', "
                     "'property': 'guest-stats-polling-interval', 'value': -1}}");
    g_assert_cmpstr(qmp_error_desc(r), ==, "timer value must be greater than zero");
    json_object_unref(r);
    json_object_unref(qmp_return(s, "{'execute': 'qom-set', 'arguments': {'path': "
                                    "'balloon0', 'property': "
                                    "'guest-stats-polling-interval', 'value': 2}}"));
    r = qmp_return(s, "{'execute': 'qom-get', 'arguments': {'path': 'balloon0', "
                      "'property': 'guest-stats-polling-interval'}}");
    g_assert_cmpint(json_object_get_int_member(r, "return"), ==, 2);
    json_object_unref(r);
    qtest_clock_step(s, 1000 * 1000 * 1000);
    g_assert_cmpint(vq_used_idx(s, &svq), ==, 0);
    qtest_clock_step(s, 1100 * 1000 * 1000);
    g_assert_cmpint(vq_used_idx(s, &svq), ==, 1);
    g_assert(qtest_get_irq(s, MMIO_IRQ));
    g_assert_cmpint(mmio_read(s, REG_INTERRUPT_STATUS) & 1, ==, 1);
    mmio_write(s, REG_INTERRUPT_ACK, 1);

    /* The driver answers with fresh numbers. */
    put_stat(stats, 4, 42);
    vq_add_out(s, &svq, stats, 10);
    r = qmp_return(s, "{'execute': 'qom-get', 'arguments': {'path': 'balloon0', "
                      "'property': 'guest-stats'}}");
    st = json_object_get_object_member(json_object_get_object_member(r, "return"), "stats");
    g_assert_cmpint(json_object_get_int_member(st, "stat-free-memory"), ==, 42);
    json_object_unref(r);
    qtest_quit(s);
}

static void test_malformed_chain(void)
{
    QTestState *s = qtest_initf("-m 256M -device virtio-balloon-device");
    TestVq ivq;
    uint64_t buf = RAM_BASE + 32 * MiB;
    uint32_t pfn = GUINT32_TO_LE((RAM_BASE + 100 * MiB) >> 12);

    driver_negotiate(s, 1ull << F_VERSION_1);
    vq_setup(s, &ivq, 0);
    driver_ok(s);
    qtest_memwrite(s, buf, &pfn, 4);
    /* A descriptor whose NEXT points to itself: a loop. */
    write_desc(s, &ivq, 0, buf, 4, DESC_F_NEXT, 0);
    qtest_writew(s, ivq.avail + 4, 0);
    qtest_writew(s, ivq.avail + 2, 1);
    mmio_write(s, REG_QUEUE_NOTIFY, 0);
    g_assert_cmphex(mmio_read(s, REG_STATUS) & S_NEEDS_RESET, ==, S_NEEDS_RESET);
    g_assert_cmpint(vq_used_idx(s, &ivq), ==, 0);
    g_assert_cmpint(qmp_int(s, "{'execute': 'x-query-balloon-bitmap'}", "ballooned-pages"),
                    ==, 0);

    /* After a reset the device works again. */
    driver_negotiate(s, 1ull << F_VERSION_1);
    g_assert_cmphex(mmio_read(s, REG_STATUS) & S_NEEDS_RESET, ==, 0);
    vq_setup(s, &ivq, 0);
    driver_ok(s);
    vq_add_out(s, &ivq, &pfn, 4);
    vq_wait_used(s, &ivq, 1);
    g_assert_cmpint(qmp_int(s, "{'execute': 'x-query-balloon-bitmap'}", "ballooned-pages"),
                    ==, 1);
    qtest_quit(s);
}

static int64_t hint_stat(QTestState *s, const char *member)
{
    return qmp_int(s, "{'execute': 'x-query-balloon-free-page-hint'}", member);
}

static void hint_action(QTestState *s, const char *action)
{
    g_autofree char *cmd = g_strdup_printf("{'execute': 'x-balloon-free-page-hint', "
                                           "'arguments': {'action': '%s'}}", action);

    json_object_unref(qmp_return(s, cmd));
}

/* The guest's side of section 5.5.6.7: announce @id (out), then one block (in). */
static void send_cmd_id(QTestState *s, TestVq *vq, uint32_t id)
{
    uint32_t le = GUINT32_TO_LE(id);

    vq_add_out(s, vq, &le, 4);
}

static void send_hint(QTestState *s, TestVq *vq, uint64_t gpa, uint32_t len)
{
    bool w = true;

    vq_add(s, vq, &gpa, &len, &w, 1);
}

static void test_free_page_hint(void)
{
    QTestState *s = qtest_initf("-m 256M -object iothread,id=io0 -device "
                                "virtio-balloon-device,free-page-hint=on,iothread=io0");
    TestVq ivq, dvq, svq, fvq;
    uint32_t id1, id2;
    uint16_t used = 0;
    JsonObject *r;

    driver_negotiate(s, 1ull << F_VERSION_1 | 1ull << F_STATS_VQ | 1ull << F_FREE_PAGE_HINT);
    vq_setup(s, &ivq, 0);
    vq_setup(s, &dvq, 1);
    vq_setup(s, &svq, 2);
    vq_setup(s, &fvq, 3);
    driver_ok(s);
    qtest_irq_intercept_in(s);
    g_assert_cmpint(config_read(s, CFG_CMD_ID), ==, 0);

    /* start: a fresh id >= 2 in config space, and a config interrupt. */
    hint_action(s, "start");
    id1 = config_read(s, CFG_CMD_ID);
    g_assert_cmpuint(id1, >=, 2);
    g_assert(qtest_get_irq(s, MMIO_IRQ));
    g_assert_cmpint(mmio_read(s, REG_INTERRUPT_STATUS) & 2, ==, 2);
    mmio_write(s, REG_INTERRUPT_ACK, 2);

    /* The guest answers: id, two 4 MiB blocks, STOP. */
    send_cmd_id(s, &fvq, id1);
    send_hint(s, &fvq, RAM_BASE + 64 * MiB, 4 * MiB);
    send_hint(s, &fvq, RAM_BASE + 72 * MiB, 4 * MiB);
    send_cmd_id(s, &fvq, 0);
    used += 4;
    vq_wait_used(s, &fvq, used);
    g_assert_cmpint(hint_stat(s, "hints"), ==, 2);
    g_assert_cmpint(hint_stat(s, "hinted-bytes"), ==, 8 * MiB);
    g_assert_cmpint(hint_stat(s, "stale-hints"), ==, 0);

    /* A new request; a hint still tagged with the old id is dropped. */
    hint_action(s, "start");
    id2 = config_read(s, CFG_CMD_ID);
    g_assert_cmpuint(id2, >, id1);
    send_cmd_id(s, &fvq, id1);
    send_hint(s, &fvq, RAM_BASE + 80 * MiB, 4 * MiB);
    used += 2;
    vq_wait_used(s, &fvq, used);
    g_assert_cmpint(hint_stat(s, "hints"), ==, 2);
    g_assert_cmpint(hint_stat(s, "stale-hints"), ==, 1);

    /* The guest catches up with id2: its hints count. */
    send_cmd_id(s, &fvq, id2);
    send_hint(s, &fvq, RAM_BASE + 88 * MiB, 4 * MiB);
    used += 2;
    vq_wait_used(s, &fvq, used);
    g_assert_cmpint(hint_stat(s, "hints"), ==, 3);

    /* stop: config says 0; hints in flight for id2 are now stale. */
    hint_action(s, "stop");
    g_assert_cmpint(config_read(s, CFG_CMD_ID), ==, 0);
    send_hint(s, &fvq, RAM_BASE + 96 * MiB, 4 * MiB);
    used += 1;
    vq_wait_used(s, &fvq, used);
    g_assert_cmpint(hint_stat(s, "hints"), ==, 3);
    g_assert_cmpint(hint_stat(s, "stale-hints"), ==, 2);

    /* done: config says 1 (the guest may free the hinted pages). */
    hint_action(s, "done");
    g_assert_cmpint(config_read(s, CFG_CMD_ID), ==, 1);
    g_assert_cmpint(hint_stat(s, "cmd-id"), ==, 1);

    /* Without free-page-hint=on there is nothing to start. */
    qtest_quit(s);
    s = qtest_initf("-m 256M -device virtio-balloon-device");
    r = qtest_qmp(s, "{'execute': 'x-balloon-free-page-hint', 'arguments': "
                     "{'action': 'start'}}");
    g_assert(json_object_has_member(r, "error"));
    json_object_unref(r);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-balloon/mmio/features", test_features);
    g_test_add_func("/virtio-balloon/mmio/config-layout", test_config_layout);
    g_test_add_func("/virtio-balloon/mmio/inflate-deflate", test_inflate_deflate);
    g_test_add_func("/virtio-balloon/mmio/stats", test_stats);
    g_test_add_func("/virtio-balloon/mmio/malformed-chain", test_malformed_chain);
    g_test_add_func("/virtio-balloon/mmio/free-page-hint", test_free_page_hint);
    return g_test_run();
}
