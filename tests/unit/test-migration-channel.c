/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * migration/channel.c: URI checks with QEMU's messages, and each kind of
 * channel carrying bytes from the source's end to the destination's.
 */
#include "qemu/osdep.h"
#include "migration/channel.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"

typedef struct Received {
    int fd;
    GPid child;
} Received;

static void on_ready(int fd, GPid child, void *opaque)
{
    Received *r = opaque;

    r->fd = fd;
    r->child = child;
}

/* Run the main loop until the destination's end is there. */
static int wait_ready(Received *r)
{
    for (int i = 0; i < 1000 && r->fd < 0; i++) {
        g_main_context_iteration(qemu_get_main_context(), TRUE);
    }
    g_assert_cmpint(r->fd, >=, 0);
    return r->fd;
}

static void check_error(const char *uri, const char *message)
{
    Error *err = NULL;

    g_assert_false(migration_channel_check_uri(uri, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, message);
    error_free(err);
}

static void test_bad_uri(void)
{
    GPid child;
    Error *err = NULL;

    check_error("foo:bar", "Parameter 'uri' expects a valid migration protocol");
    check_error("tcp:4444", "address '4444' must be HOST:PORT");
    check_error("unix:", "Parameter 'uri' expects a non-empty unix: address");
    g_assert_true(migration_channel_check_uri("tcp:localhost:4444", &error_abort));
    g_assert_true(migration_channel_check_uri("exec:cat", &error_abort));

    /* Port 1 on loopback: nothing listens there. */
    g_assert_cmpint(migration_channel_connect("tcp:127.0.0.1:1", &child, &err), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Failed to connect to '127.0.0.1:1': Connection refused");
    error_free(err);
    err = NULL;
    g_assert_cmpint(migration_channel_connect("file:/nonexistent/dir/x", &child, &err),
                    ==, -1);
    g_assert_nonnull(
        strstr(error_get_pretty(err), "Could not open '/nonexistent/dir/x'"));
    error_free(err);
}

/* Write @msg into the source end of @out_uri, read it from @in_uri. */
static void round_trip(const char *out_uri, const char *in_uri, bool listen_first)
{
    static const char msg[] = "migration stream bytes";
    char buf[sizeof(msg)] = { 0 };
    Received r = { .fd = -1 };
    GPid child;
    int fd;

    if (listen_first) {
        g_assert_true(migration_channel_listen(in_uri, on_ready, &r, &error_abort));
    }
    fd = migration_channel_connect(out_uri, &child, &error_abort);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, msg, sizeof(msg)), ==, sizeof(msg));
    close(fd);
    if (child) {
        g_assert_cmpint(migration_channel_reap(child), ==, 0);
    }
    if (!listen_first) {
        g_assert_true(migration_channel_listen(in_uri, on_ready, &r, &error_abort));
    }
    fd = wait_ready(&r);
    g_assert_cmpint(read(fd, buf, sizeof(buf)), ==, sizeof(msg));
    g_assert_cmpstr(buf, ==, msg);
    close(fd);
    if (r.child) {
        g_assert_cmpint(migration_channel_reap(r.child), ==, 0);
    }
}

static void test_channels(void)
{
    g_autofree char *dir = g_dir_make_tmp("test-migration-channel-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "stream", NULL);
    g_autofree char *sock = g_build_filename(dir, "sock", NULL);
    g_autofree char *file_uri = g_strdup_printf("file:%s", path);
    g_autofree char *exec_out = g_strdup_printf("exec:cat > %s", path);
    g_autofree char *exec_in = g_strdup_printf("exec:cat %s", path);
    g_autofree char *unix_uri = g_strdup_printf("unix:%s", sock);

    round_trip(file_uri, file_uri, false);
    round_trip(exec_out, exec_in, false);
    round_trip(unix_uri, unix_uri, true);
    unlink(path);
    unlink(sock);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop();
    g_test_add_func("/migration-channel/bad-uri", test_bad_uri);
    g_test_add_func("/migration-channel/round-trip", test_channels);
    return g_test_run();
}
