/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Free page hints during a real precopy migration, with the test as the
 * balloon driver (docs/devel/migration/free-page-hint.rst): the cmd_id
 * sequence across bitmap syncs, a stale hint dropped, the first pass held
 * until the guest's first round is over, DONE after completion, cancel and
 * failure and when the VM stops, no hinting at all with postcopy-ram, and
 * the late-hint race checked page by page on a real destination.
 *
 * The source migrates to file:/dev/null or to a socket the test holds; the
 * bandwidth limit keeps the passes slow enough for the test to act between
 * them, and with downtime-limit 0 a page the test writes keeps the migration
 * from converging until it stops writing.
 */
#include "qemu/osdep.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <glib/gstdio.h>
#include "balloon-driver.h"

#define CMD_ID_MIN 0x80000000u
#define CMD_ID_DONE 1

/* Filled with data before the migration: 16 MiB of normal pages. */
#define DATA_BASE (RAM_BASE + 64 * MiB)
#define DATA_SIZE (16 * MiB)
/*
 * What the test keeps writing so the migration does not converge: enough
 * that each pass hits the bandwidth limit and lasts until its window ends.
 */
#define CHURN_BASE (RAM_BASE + 200 * MiB)
#define CHURN_SIZE (1 * MiB)

#define HINT_DEVICE "-object iothread,id=io0 -device virtio-balloon-device,id=balloon0," \
                    "free-page-hint=on,iothread=io0,x-free-page-hint-wait-ms=20000"

static QTestState *hint_machine(TestVq *fvq)
{
    QTestState *s = qtest_initf("-m 256M " HINT_DEVICE);
    TestVq ivq, dvq, svq;

    driver_negotiate(s, 1ull << F_VERSION_1 | 1ull << F_STATS_VQ | 1ull << F_FREE_PAGE_HINT);
    vq_setup(s, &ivq, 0);
    vq_setup(s, &dvq, 1);
    vq_setup(s, &svq, 2);
    vq_setup(s, fvq, 3);
    driver_ok(s);
    qtest_memset(s, DATA_BASE, 0x5a, DATA_SIZE);
    return s;
}

static void set_bandwidth(QTestState *s, int64_t bytes_per_second)
{
    g_autofree char *cmd = g_strdup_printf("{'execute': 'migrate-set-parameters', "
                                           "'arguments': {'max-bandwidth': %" PRId64 ", "
                                           "'downtime-limit': 0}}", bytes_per_second);

    json_object_unref(qmp_return(s, cmd));
}

static void migrate(QTestState *s, const char *uri)
{
    g_autofree char *cmd = g_strdup_printf("{'execute': 'migrate', 'arguments': "
                                           "{'uri': '%s'}}", uri);

    json_object_unref(qmp_return(s, cmd));
}

/* query-migrate's return object; unref the result's owner with the reply. */
static JsonObject *query_migrate(QTestState *s, JsonObject **reply)
{
    *reply = qmp_return(s, "{'execute': 'query-migrate'}");
    return json_object_get_object_member(*reply, "return");
}

static char *migration_status(QTestState *s)
{
    JsonObject *reply, *info = query_migrate(s, &reply);
    char *status = g_strdup(json_object_get_string_member(info, "status"));

    json_object_unref(reply);
    return status;
}

/* Poll until the migration reaches @status (at most 30 s); write CHURN_BASE if @churn. */
static void wait_status(QTestState *s, const char *status, bool churn)
{
    for (int i = 0; i < 30000; i++) {
        g_autofree char *now = migration_status(s);

        if (!strcmp(now, status)) {
            return;
        }
        g_assert_cmpstr(now, !=, "failed");
        if (churn) {
            qtest_memset(s, CHURN_BASE, i, CHURN_SIZE);
        }
        g_usleep(1000);
    }
    g_error("migration never reached '%s'", status);
}

/* A member of query-migrate's free-page-hint object (-1 when it is absent). */
static int64_t hint_figure(QTestState *s, const char *member)
{
    JsonObject *reply, *info = query_migrate(s, &reply);
    int64_t v = -1;

    if (json_object_has_member(info, "free-page-hint")) {
        v = json_object_get_int_member(json_object_get_object_member(info, "free-page-hint"),
                                       member);
    }
    json_object_unref(reply);
    return v;
}

/* Wait until config space shows a request id other than @old; returns it. */
static uint32_t wait_new_cmd_id(QTestState *s, uint32_t old, bool churn)
{
    for (int i = 0; i < 30000; i++) {
        uint32_t id = config_read(s, CFG_CMD_ID);

        if (id >= CMD_ID_MIN && id != old) {
            return id;
        }
        if (churn) {
            qtest_memset(s, CHURN_BASE, i, CHURN_SIZE);
        }
        if (i % 64 == 0) {
            g_autofree char *status = migration_status(s);

            if (strcmp(status, "setup") && strcmp(status, "active")) {
                JsonObject *r = qmp_return(s, "{'execute': 'query-migrate'}");
                JsonNode *node = json_node_init_object(json_node_alloc(), r);
                g_autofree char *text = json_to_string(node, FALSE);

                g_error("migration %s while waiting for a cmd_id after 0x%x: %s", status,
                        old, text);
            }
        }
        g_usleep(1000);
    }
    g_error("no new cmd_id after 0x%x", old);
}

static char *hint_status(QTestState *s)
{
    JsonObject *r = qmp_return(s, "{'execute': 'qom-get', 'arguments': {'path': "
                                  "'balloon0', 'property': 'free-page-hint-status'}}");
    char *v = g_strdup(json_object_get_string_member(r, "return"));

    json_object_unref(r);
    return v;
}

static void assert_done(QTestState *s)
{
    g_autofree char *status = hint_status(s);

    g_assert_cmpuint(config_read(s, CFG_CMD_ID), ==, CMD_ID_DONE);
    g_assert_cmpstr(status, ==, "done");
}

/* The guest's whole answer to @id: the id, one block per @len, STOP. */
static void answer(QTestState *s, TestVq *fvq, uint16_t *used, uint32_t id, uint64_t gpa,
                   uint32_t len)
{
    send_cmd_id(s, fvq, id);
    send_hint(s, fvq, gpa, len);
    send_cmd_id(s, fvq, 0);
    *used += 3;
    vq_wait_used(s, fvq, *used);
}

static void test_rounds_and_completion(void)
{
    TestVq fvq;
    QTestState *s = hint_machine(&fvq);
    uint16_t used = 0;
    uint32_t id1, id2;

    /* The first pass would send 16 MiB, unless hints shorten it. */
    set_bandwidth(s, 1 * MiB);
    migrate(s, "file:/dev/null");

    /* Asked at setup, before the first pass sent anything. */
    id1 = wait_new_cmd_id(s, 0, false);
    g_assert_cmpint(hint_figure(s, "hint-rounds"), ==, 1);
    g_assert_cmpint(hint_figure(s, "first-pass-skipped-bytes"), ==, 0);
    /* The guest reports 12 of the 16 MiB free; the first pass waits for that. */
    send_cmd_id(s, &fvq, id1);
    send_hint(s, &fvq, DATA_BASE, 8 * MiB);
    send_hint(s, &fvq, DATA_BASE + 8 * MiB, 4 * MiB);
    send_cmd_id(s, &fvq, 0);
    used += 4;
    vq_wait_used(s, &fvq, used);
    g_assert_cmpint(hint_figure(s, "hinted-bytes"), ==, 12 * MiB);
    g_assert_cmpint(hint_figure(s, "first-pass-skipped-bytes"), ==, 12 * MiB);

    /* The first pass ends, a sync runs, then a fresh id follows it. */
    id2 = wait_new_cmd_id(s, id1, true);
    g_assert_cmpuint(id2, >, id1);
    g_assert_cmpint(hint_figure(s, "hint-rounds"), >=, 2);

    /* A late hint for id1 must not clear anything: dropped as stale. */
    answer(s, &fvq, &used, id1, CHURN_BASE, 4096);
    g_assert_cmpint(hint_figure(s, "dropped-stale"), ==, 1);

    /* Stop writing: the migration converges and completes; the guest gets DONE. */
    wait_status(s, "completed", false);
    assert_done(s);
    g_assert_cmpint(hint_figure(s, "first-pass-skipped-bytes"), ==, 12 * MiB);
    g_assert_cmpint(hint_figure(s, "dropped-invalid"), ==, 0);
    qtest_quit(s);
}

static void test_cancel(void)
{
    TestVq fvq;
    QTestState *s = hint_machine(&fvq);
    uint16_t used = 0;
    uint32_t id;

    set_bandwidth(s, 1 * MiB);
    migrate(s, "file:/dev/null");
    id = wait_new_cmd_id(s, 0, false);
    answer(s, &fvq, &used, id, DATA_BASE, 4 * MiB);
    /* Mid-migration: a sync or two later, hinting goes on under new ids. */
    id = wait_new_cmd_id(s, id, true);
    json_object_unref(qmp_return(s, "{'execute': 'migrate_cancel'}"));
    wait_status(s, "cancelled", false);
    assert_done(s);
    /* A hint that arrives now is stale: DONE is no request. */
    answer(s, &fvq, &used, id, DATA_BASE + 4 * MiB, 4 * MiB);
    g_assert_cmpint(hint_figure(s, "dropped-stale"), ==, 0);
    g_assert_cmpint(hint_stat(s, "stale-hints"), ==, 1);
    qtest_quit(s);
}

/* The destination reads a little, then goes away: the source fails. */
static void test_failure(void)
{
    g_autofree char *dir = g_dir_make_tmp("hint-mig-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "sock", NULL);
    g_autofree char *uri = g_strdup_printf("unix:%s", path);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0), fd;
    TestVq fvq;
    QTestState *s = hint_machine(&fvq);
    uint16_t used = 0;
    g_autofree char *status = NULL;
    char buf[4096];
    uint32_t id;

    g_assert_cmpint(strlen(path), <, sizeof(addr.sun_path));
    strcpy(addr.sun_path, path);
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    set_bandwidth(s, 1 * MiB);
    migrate(s, uri);
    fd = accept(lfd, NULL, NULL);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(read(fd, buf, sizeof(buf)), >, 0);
    id = wait_new_cmd_id(s, 0, false);
    answer(s, &fvq, &used, id, DATA_BASE, 4 * MiB);
    /* The sender is blocked on the full socket now: the reader goes away. */
    close(fd);
    close(lfd);
    for (int i = 0; i < 30000; i++) {
        g_autofree char *now = migration_status(s);

        if (!strcmp(now, "failed")) {
            break;
        }
        g_usleep(1000);
    }
    status = migration_status(s);
    g_assert_cmpstr(status, ==, "failed");
    assert_done(s);
    qtest_quit(s);
    unlink(path);
    g_rmdir(dir);
}

static void test_vm_stop(void)
{
    TestVq fvq;
    QTestState *s = hint_machine(&fvq);
    uint16_t used = 0;
    uint32_t id;

    hint_action(s, "start");
    id = config_read(s, CFG_CMD_ID);
    answer(s, &fvq, &used, id, DATA_BASE, 4 * MiB);
    json_object_unref(qmp_return(s, "{'execute': 'stop'}"));
    assert_done(s);
    json_object_unref(qmp_return(s, "{'execute': 'cont'}"));
    assert_done(s);
    qtest_quit(s);
}

static void test_postcopy_never_hints(void)
{
    TestVq fvq;
    QTestState *s = hint_machine(&fvq);

    json_object_unref(qmp_return(s, "{'execute': 'migrate-set-capabilities', 'arguments': "
                                    "{'capabilities': [{'capability': 'postcopy-ram', "
                                    "'state': true}]}}"));
    migrate(s, "file:/dev/null");
    wait_status(s, "completed", false);
    g_assert_cmpuint(config_read(s, CFG_CMD_ID), ==, 0);
    g_assert_cmpint(hint_figure(s, "hint-rounds"), ==, -1);
    qtest_quit(s);
}

/* ---- the race, and the page-by-page check, against a real destination ---- */

#define BLOCK (4 * MiB)
/*
 * Each round hints a block that is really free (never written before) and
 * writes one page of it; a guest never hints memory it still uses, so no
 * block is hinted twice.
 */
#define RACE_BASE (RAM_BASE + 128 * MiB)
#define RACE_BLOCK (64 * KiB)
#define RACE_ROUNDS 500
#define RACE_CHURN (256 * KiB)

static uint64_t race_page(int i)
{
    return RACE_BASE + (uint64_t)i * RACE_BLOCK + (uint64_t)(i % 16) * 4096;
}

/* x-query-ram-digest's ranges of the one RAM block; unref the reply. */
static JsonArray *digest_ranges(QTestState *s, JsonObject **reply)
{
    JsonObject *ret, *block;

    *reply = qmp_return(s, "{'execute': 'x-query-ram-digest'}");
    ret = json_object_get_object_member(*reply, "return");
    block = json_array_get_object_element(json_object_get_array_member(ret, "blocks"), 0);
    g_assert_cmpint(json_object_get_int_member(block, "range-size"), ==, 2 * MiB);
    return json_object_get_array_member(block, "ranges");
}

/*
 * The guest hints a free block, takes a page of it back and writes it, and
 * only then does its hint reach the device: a late hint, while the
 * migration thread syncs the bitmap every pass and the IOThread applies
 * hints.  Every such write must reach the destination, whichever side of a
 * sync the hint lands on (applied before it: the write is still in the
 * dirty log; checked after it: its cmd_id is stale).  Then every page must
 * match between the paused sides, except pages hinted and never written
 * since: those are counted and must all lie in the blocks hinted so.
 */
static void test_late_hint_race(void)
{
    g_autofree char *dir = g_dir_make_tmp("hint-race-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "sock", NULL);
    g_autofree char *uri = g_strdup_printf("unix:%s", path);
    TestVq fvq;
    QTestState *s = hint_machine(&fvq);
    QTestState *d = qtest_initf("-m 256M " HINT_DEVICE " -S -incoming %s", uri);
    JsonObject *rs, *rd;
    JsonArray *src_ranges, *dst_ranges;
    uint16_t used = 0;
    g_autofree char *status = NULL;
    uint32_t id, last_id;
    unsigned differ = 0, stale;

    /*
     * Each pass carries RACE_CHURN written meanwhile, more than the limit
     * lets through per 100 ms window: a pass never ends without a sleep in
     * which the rounds write again, so the migration syncs across the rounds
     * and never converges while they run.
     */
    set_bandwidth(s, 2 * MiB);
    migrate(s, uri);
    /* Round one: DATA is free and never written again. */
    id = wait_new_cmd_id(s, 0, false);
    /* Written while the first pass waits: pass two has work, no switch-over yet. */
    qtest_memset(s, CHURN_BASE, 0xff, CHURN_SIZE);
    send_cmd_id(s, &fvq, id);
    for (uint64_t off = 0; off < DATA_SIZE; off += BLOCK) {
        send_hint(s, &fvq, DATA_BASE + off, BLOCK);
        used++;
        if (used % 8 == 0) {
            vq_wait_used(s, &fvq, used + 1);
        }
    }
    send_cmd_id(s, &fvq, 0);
    used += 2;
    vq_wait_used(s, &fvq, used);
    last_id = id;

    for (int i = 0; i < RACE_ROUNDS; i++) {
        uint32_t now = config_read(s, CFG_CMD_ID);
        uint64_t page = race_page(i);

        /* The id the guest saw last: current, or already stale. */
        if (now >= CMD_ID_MIN) {
            last_id = now;
        }
        send_cmd_id(s, &fvq, last_id);
        qtest_writeq(s, page, 0x1000000000000000ull | i);
        send_hint(s, &fvq, page & ~(uint64_t)(RACE_BLOCK - 1), RACE_BLOCK);
        used += 2;
        vq_wait_used(s, &fvq, used);
        qtest_memset(s, CHURN_BASE, i, RACE_CHURN);
        g_usleep(g_test_rand_int_range(0, 1000));
    }
    send_cmd_id(s, &fvq, 0);
    used++;
    vq_wait_used(s, &fvq, used);
    /* The race ran against a live migration that synced many times meanwhile. */
    status = migration_status(s);
    g_assert_cmpstr(status, ==, "active");
    g_assert_cmpint(hint_figure(s, "hint-rounds"), >=, 2);
    stale = hint_figure(s, "dropped-stale");
    g_test_message("%u of %d late hints were stale", stale, RACE_ROUNDS);
    wait_status(s, "completed", false);

    for (int i = 0; i < RACE_ROUNDS; i++) {
        g_assert_cmphex(qtest_readq(d, race_page(i)), ==, 0x1000000000000000ull | i);
    }
    src_ranges = digest_ranges(s, &rs);
    dst_ranges = digest_ranges(d, &rd);
    g_assert_cmpint(json_array_get_length(src_ranges), ==, json_array_get_length(dst_ranges));
    for (guint r = 0; r < json_array_get_length(src_ranges); r++) {
        uint64_t gpa = RAM_BASE + (uint64_t)r * 2 * MiB;

        if (strcmp(json_array_get_string_element(src_ranges, r),
                   json_array_get_string_element(dst_ranges, r))) {
            /* Only where the guest hinted and wrote nothing since. */
            g_assert_cmphex(gpa, >=, DATA_BASE);
            g_assert_cmphex(gpa, <, DATA_BASE + DATA_SIZE);
            differ++;
        }
    }
    /* DATA was hinted before the first pass reached it: none of it was sent. */
    g_assert_cmpuint(differ, ==, DATA_SIZE / (2 * MiB));
    json_object_unref(rs);
    json_object_unref(rd);
    qtest_quit(d);
    qtest_quit(s);
    unlink(path);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/migration/hint/rounds-and-completion", test_rounds_and_completion);
    g_test_add_func("/migration/hint/cancel", test_cancel);
    g_test_add_func("/migration/hint/failure", test_failure);
    g_test_add_func("/migration/hint/vm-stop", test_vm_stop);
    g_test_add_func("/migration/hint/postcopy-never-hints", test_postcopy_never_hints);
    g_test_add_func("/migration/hint/late-hint-race", test_late_hint_race);
    return g_test_run();
}
