/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-balloon free page hints (virtio 1.x section 5.5.6.7) with the test
 * as the guest driver: the cmd_id sequence and the status QOM shows for it,
 * stale hints dropped, hints that are not whole pages of RAM dropped and
 * logged, the iothread requirement, and page poisoning (no hints, and no
 * free page reporting, while the guest poisons free pages).
 */
#include "qemu/osdep.h"
#include <glib/gstdio.h>
#include "balloon-driver.h"

#define HINT_DEVICE "-object iothread,id=io0 -device virtio-balloon-device,id=balloon0," \
                    "free-page-hint=on,iothread=io0"

static char *qom_get_string(QTestState *s, const char *property)
{
    g_autofree char *cmd = g_strdup_printf("{'execute': 'qom-get', 'arguments': {'path': "
                                           "'balloon0', 'property': '%s'}}", property);
    JsonObject *r = qmp_return(s, cmd);
    char *v = g_strdup(json_object_get_string_member(r, "return"));

    json_object_unref(r);
    return v;
}

static int64_t qom_get_int(QTestState *s, const char *property)
{
    g_autofree char *cmd = g_strdup_printf("{'execute': 'qom-get', 'arguments': {'path': "
                                           "'balloon0', 'property': '%s'}}", property);
    JsonObject *r = qmp_return(s, cmd);
    int64_t v = json_object_get_int_member(r, "return");

    json_object_unref(r);
    return v;
}

static void assert_status(QTestState *s, const char *status, uint32_t cmd_id)
{
    g_autofree char *qom = qom_get_string(s, "free-page-hint-status");

    g_assert_cmpstr(qom, ==, status);
    g_assert_cmpuint(qom_get_int(s, "free-page-hint-cmd-id"), ==, cmd_id);
    g_assert_cmpuint(config_read(s, CFG_CMD_ID), ==, cmd_id);
}

/* Negotiate @features, set up every queue up to the free page queue (3). */
static void hint_driver_setup(QTestState *s, TestVq *fvq, uint64_t features)
{
    TestVq ivq, dvq, svq;

    driver_negotiate(s, 1ull << F_VERSION_1 | 1ull << F_STATS_VQ |
                            1ull << F_FREE_PAGE_HINT | features);
    vq_setup(s, &ivq, 0);
    vq_setup(s, &dvq, 1);
    vq_setup(s, &svq, 2);
    vq_setup(s, fvq, 3);
    driver_ok(s);
}

static void test_cmd_id_sequence(void)
{
    QTestState *s = qtest_initf("-m 256M " HINT_DEVICE);
    TestVq fvq;
    uint32_t id1, id2;
    uint16_t used = 0;
    JsonObject *r;

    hint_driver_setup(s, &fvq, 0);
    qtest_irq_intercept_in(s);
    assert_status(s, "stop", 0);

    /* start: a fresh id >= 2 in config space, and a config interrupt. */
    hint_action(s, "start");
    id1 = config_read(s, CFG_CMD_ID);
    g_assert_cmpuint(id1, >=, 2);
    assert_status(s, "requested", id1);
    g_assert(qtest_get_irq(s, MMIO_IRQ));
    g_assert_cmpint(mmio_read(s, REG_INTERRUPT_STATUS) & 2, ==, 2);
    mmio_write(s, REG_INTERRUPT_ACK, 2);

    /* The guest answers: id, two 4 MiB blocks, STOP. */
    send_cmd_id(s, &fvq, id1);
    send_hint(s, &fvq, RAM_BASE + 64 * MiB, 4 * MiB);
    used += 2;
    vq_wait_used(s, &fvq, used);
    assert_status(s, "start", id1);
    send_hint(s, &fvq, RAM_BASE + 72 * MiB, 4 * MiB);
    send_cmd_id(s, &fvq, 0);
    used += 2;
    vq_wait_used(s, &fvq, used);
    /* The driver finished the id: stopped, though the host's id stays. */
    assert_status(s, "stop", id1);
    g_assert_cmpint(hint_stat(s, "hints"), ==, 2);
    g_assert_cmpint(hint_stat(s, "hinted-bytes"), ==, 8 * MiB);
    g_assert_cmpint(hint_stat(s, "stale-hints"), ==, 0);

    /* A new request; a hint still tagged with the old id is dropped. */
    hint_action(s, "start");
    id2 = config_read(s, CFG_CMD_ID);
    g_assert_cmpuint(id2, >, id1);
    assert_status(s, "requested", id2);
    send_cmd_id(s, &fvq, id1);
    send_hint(s, &fvq, RAM_BASE + 80 * MiB, 4 * MiB);
    used += 2;
    vq_wait_used(s, &fvq, used);
    assert_status(s, "requested", id2);
    g_assert_cmpint(hint_stat(s, "hints"), ==, 2);
    g_assert_cmpint(hint_stat(s, "stale-hints"), ==, 1);

    /* The guest catches up with id2: its hints count. */
    send_cmd_id(s, &fvq, id2);
    send_hint(s, &fvq, RAM_BASE + 88 * MiB, 4 * MiB);
    used += 2;
    vq_wait_used(s, &fvq, used);
    assert_status(s, "start", id2);
    g_assert_cmpint(hint_stat(s, "hints"), ==, 3);

    /* stop: config says 0; hints in flight for id2 are now stale. */
    hint_action(s, "stop");
    assert_status(s, "stop", 0);
    send_hint(s, &fvq, RAM_BASE + 96 * MiB, 4 * MiB);
    used += 1;
    vq_wait_used(s, &fvq, used);
    g_assert_cmpint(hint_stat(s, "hints"), ==, 3);
    g_assert_cmpint(hint_stat(s, "stale-hints"), ==, 2);

    /* done: config says 1 (the guest may free the hinted pages). */
    hint_action(s, "done");
    assert_status(s, "done", 1);
    g_assert_cmpint(hint_stat(s, "cmd-id"), ==, 1);

    /* A reset driver starts from scratch: stopped, nothing requested. */
    hint_driver_setup(s, &fvq, 0);
    assert_status(s, "stop", 0);
    hint_action(s, "start");
    g_assert_cmpuint(config_read(s, CFG_CMD_ID), >, id2);
    qtest_quit(s);

    /* Without free-page-hint=on there is nothing to start. */
    s = qtest_initf("-m 256M -device virtio-balloon-device");
    r = qtest_qmp(s, "{'execute': 'x-balloon-free-page-hint', 'arguments': "
                     "{'action': 'start'}}");
    g_assert(json_object_has_member(r, "error"));
    json_object_unref(r);
    qtest_quit(s);
}

static void test_invalid_hints(void)
{
    g_autofree char *dir = g_dir_make_tmp("hint-test-XXXXXX", NULL);
    g_autofree char *log = g_build_filename(dir, "log", NULL);
    g_autofree char *text = NULL;
    QTestState *s = qtest_initf("-m 256M -d guest_errors -D %s " HINT_DEVICE, log);
    static const struct {
        uint64_t gpa;
        uint32_t len;
    } bad[] = {
        { RAM_BASE + 64 * MiB + 512, 4 * MiB },         /* not page-aligned */
        { RAM_BASE + 64 * MiB, 4 * MiB - 512 },         /* not whole pages */
        { RAM_BASE - 4 * MiB, 4 * MiB },                /* below RAM */
        { RAM_BASE + 254 * MiB, 4 * MiB },              /* runs past the end */
        { RAM_BASE + 256 * MiB, 4096 },                 /* after RAM */
        { 0x10000000, 4096 },                           /* an MMIO page */
    };
    TestVq fvq;
    uint16_t used;
    uint32_t id;

    hint_driver_setup(s, &fvq, 0);
    hint_action(s, "start");
    id = config_read(s, CFG_CMD_ID);
    send_cmd_id(s, &fvq, id);
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        send_hint(s, &fvq, bad[i].gpa, bad[i].len);
    }
    /* The last page of RAM is fine. */
    send_hint(s, &fvq, RAM_BASE + 256 * MiB - 4096, 4096);
    used = 2 + G_N_ELEMENTS(bad);
    vq_wait_used(s, &fvq, used);
    g_assert_cmpint(hint_stat(s, "invalid-hints"), ==, G_N_ELEMENTS(bad));
    g_assert_cmpint(hint_stat(s, "hints"), ==, 1);
    g_assert_cmpint(hint_stat(s, "hinted-bytes"), ==, 4096);
    g_assert_cmpint(hint_stat(s, "stale-hints"), ==, 0);
    /* The device still works, and the round goes on. */
    g_assert_cmphex(mmio_read(s, REG_STATUS) & S_NEEDS_RESET, ==, 0);
    assert_status(s, "start", id);
    qtest_quit(s);

    g_assert(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_nonnull(strstr(text, "free page hint 0x84000200+0x400000 is not whole pages"));
    g_assert_nonnull(strstr(text, "free page hint 0x10000000+0x1000 is not whole pages"));
    g_unlink(log);
    g_rmdir(dir);
}

/* QEMU's refusal, word for word, and no machine started. */
static void test_needs_iothread(void)
{
    const char *argv[] = {
        g_getenv("QTEST_QEMU_BINARY"), "-M", "virt", "-accel", "qtest", "-display", "none",
        "-nodefaults", "-device", "virtio-balloon-pci,free-page-hint=on", NULL,
    };
    g_autofree char *out = NULL, *err = NULL;
    int status;

    g_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                          &status, NULL));
    g_assert_false(g_spawn_check_wait_status(status, NULL));
    g_assert_nonnull(strstr(err, "-device virtio-balloon-pci,free-page-hint=on: "
                                 "'free-page-hint' requires 'iothread' to be set"));
}

static void fill_page(QTestState *s, uint64_t gpa, uint8_t val)
{
    qtest_memset(s, gpa, val, 4096);
}

static uint8_t page_byte(QTestState *s, uint64_t gpa)
{
    return qtest_readb(s, gpa + 100);
}

/*
 * A guest that poisons free pages (poison_val non-zero) expects its free
 * pages to keep the poison: neither hints (the page would arrive as zeroes)
 * nor free page reporting (the host would drop it) may touch them.
 */
static void test_page_poison(void)
{
    QTestState *s = qtest_initf("-m 256M -object iothread,id=io0 -device "
                                "virtio-balloon-device,id=balloon0,free-page-hint=on,"
                                "iothread=io0,free-page-reporting=on");
    uint64_t page = RAM_BASE + 100 * MiB;
    TestVq fvq, rvq;
    uint64_t addr = page;
    uint32_t len = 4096;
    bool w = true;
    JsonObject *r;

    hint_driver_setup(s, &fvq, 1ull << F_PAGE_POISON | 1ull << F_REPORTING);
    vq_setup(s, &rvq, 4);
    mmio_write(s, REG_CONFIG + CFG_POISON, 0xaa);
    g_assert_cmphex(config_read(s, CFG_POISON), ==, 0xaa);

    r = qtest_qmp(s, "{'execute': 'x-balloon-free-page-hint', 'arguments': "
                     "{'action': 'start'}}");
    g_assert_cmpstr(qmp_error_desc(r), ==, "The guest poisons free pages (poison_val "
                    "0xaa): free page hints are off");
    json_object_unref(r);
    assert_status(s, "stop", 0);

    /* A reported page keeps its contents. */
    fill_page(s, page, 0xaa);
    vq_add(s, &rvq, &addr, &len, &w, 1);
    vq_wait_used(s, &rvq, 1);
    g_assert_cmphex(page_byte(s, page), ==, 0xaa);
    g_assert_cmpint(hint_stat(s, "reported-bytes"), ==, 0);
    g_assert_cmphex(config_read(s, CFG_POISON), ==, 0xaa);

    /* poison_val 0 (init_on_free): reporting discards, hints start. */
    mmio_write(s, REG_CONFIG + CFG_POISON, 0);
    vq_add(s, &rvq, &addr, &len, &w, 1);
    vq_wait_used(s, &rvq, 2);
    g_assert_cmphex(page_byte(s, page), ==, 0);
    g_assert_cmpint(hint_stat(s, "reported-bytes"), ==, 4096);
    hint_action(s, "start");
    g_assert_cmpuint(config_read(s, CFG_CMD_ID), >=, 0x80000000u);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-balloon/hint/cmd-id-sequence", test_cmd_id_sequence);
    g_test_add_func("/virtio-balloon/hint/invalid-hints", test_invalid_hints);
    g_test_add_func("/virtio-balloon/hint/needs-iothread", test_needs_iothread);
    g_test_add_func("/virtio-balloon/hint/page-poison", test_page_poison);
    return g_test_run();
}
