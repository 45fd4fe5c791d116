/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-balloon over virtio-mmio, with the test playing the guest driver:
 * feature negotiation, config space layout, inflate/deflate with the
 * ballooned bitmap, statistics and polling, and a malformed chain (virtio
 * 1.x sections 4.2.2, 2.7 and 5.5).  Free page hints: virtio-balloon-hint-test.c.
 */
#include "qemu/osdep.h"
#include "balloon-driver.h"

#define RAM_SIZE (256 * MiB)

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


int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-balloon/mmio/features", test_features);
    g_test_add_func("/virtio-balloon/mmio/config-layout", test_config_layout);
    g_test_add_func("/virtio-balloon/mmio/inflate-deflate", test_inflate_deflate);
    g_test_add_func("/virtio-balloon/mmio/stats", test_stats);
    g_test_add_func("/virtio-balloon/mmio/malformed-chain", test_malformed_chain);
    return g_test_run();
}
