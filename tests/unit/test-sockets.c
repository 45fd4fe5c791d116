/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Socket addresses (util/qemu-sockets.c): parsing what users type, and a
 * listen/connect/accept round trip over unix and tcp, plus the errors a user
 * sees for a refused connection or an unusable address.
 */
#include "qemu/osdep.h"
#include "qemu/sockets.h"
#include "qapi/error.h"
#include <sys/socket.h>

static void test_parse(void)
{
    static const struct {
        const char *str;
        SocketAddressType type;
        const char *host, *port, *path, *canonical;
    } good[] = {
        { "tcp:localhost:4444", SOCKET_ADDRESS_TYPE_INET, "localhost", "4444", NULL,
          "tcp:localhost:4444" },
        { "tcp::4444", SOCKET_ADDRESS_TYPE_INET, "", "4444", NULL, "tcp::4444" },
        { "inet:0:5555", SOCKET_ADDRESS_TYPE_INET, "0", "5555", NULL, "tcp:0:5555" },
        { "tcp:[::1]:4444", SOCKET_ADDRESS_TYPE_INET, "::1", "4444", NULL,
          "tcp:[::1]:4444" },
        { "unix:/tmp/mig.sock", SOCKET_ADDRESS_TYPE_UNIX, NULL, NULL, "/tmp/mig.sock",
          "unix:/tmp/mig.sock" },
        { "unix:a:b", SOCKET_ADDRESS_TYPE_UNIX, NULL, NULL, "a:b", "unix:a:b" },
    };
    static const char *const bad[] = {
        "tcp:localhost", "tcp:host:",   "tcp:[::1]4444",  "tcp:[::1", "unix:",
        "exec:cat",      "file:/tmp/x", "localhost:4444", "",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        g_autoptr(SocketAddress) addr = socket_parse(good[i].str, &error_abort);
        g_autofree char *str = socket_address_to_string(addr);

        g_assert_cmpint(addr->type, ==, good[i].type);
        g_assert_cmpstr(addr->host, ==, good[i].host);
        g_assert_cmpstr(addr->port, ==, good[i].port);
        g_assert_cmpstr(addr->path, ==, good[i].path);
        g_assert_cmpstr(str, ==, good[i].canonical);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        Error *err = NULL;

        g_assert_null(socket_parse(bad[i], &err));
        g_assert_nonnull(err);
        error_free(err);
    }
}

/* Connect to @addr, accept on @listen_fd, and pass a byte each way. */
static void check_round_trip(int listen_fd, const SocketAddress *addr)
{
    char c = 0;
    int client = socket_connect(addr, &error_abort);
    int server = accept(listen_fd, NULL, NULL);

    g_assert_cmpint(server, >=, 0);
    g_assert_cmpint(write(client, "x", 1), ==, 1);
    g_assert_cmpint(read(server, &c, 1), ==, 1);
    g_assert_cmpint(c, ==, 'x');
    g_assert_cmpint(write(server, "y", 1), ==, 1);
    g_assert_cmpint(read(client, &c, 1), ==, 1);
    g_assert_cmpint(c, ==, 'y');
    close(client);
    close(server);
}

static void test_unix(void)
{
    g_autofree char *dir = g_dir_make_tmp("test-sockets-XXXXXX", NULL);
    g_autofree char *spec = g_strdup_printf("unix:%s/s.sock", dir);
    g_autoptr(SocketAddress) addr = socket_parse(spec, &error_abort);
    g_autofree char *long_spec = g_strdup_printf("unix:%s/%0200d", dir, 0);
    g_autoptr(SocketAddress) long_addr = socket_parse(long_spec, &error_abort);
    Error *err = NULL;
    int fd;

    fd = socket_listen(addr, 1, &error_abort);
    check_round_trip(fd, addr);
    close(fd);
    /* A stale socket file from an earlier server is replaced. */
    fd = socket_listen(addr, 1, &error_abort);
    check_round_trip(fd, addr);
    close(fd);

    /* Nobody listens any more. */
    g_assert_cmpint(socket_connect(addr, &err), ==, -1);
    g_assert_nonnull(strstr(error_get_pretty(err), "Failed to connect to"));
    g_clear_pointer(&err, error_free);

    g_assert_cmpint(socket_listen(long_addr, 1, &err), ==, -1);
    g_assert_nonnull(strstr(error_get_pretty(err), "too long"));
    g_clear_pointer(&err, error_free);

    g_autofree char *path = g_strdup_printf("%s/s.sock", dir);
    unlink(path);
    rmdir(dir);
}

static void test_tcp(void)
{
    g_autoptr(SocketAddress) any = socket_parse("tcp:127.0.0.1:0", &error_abort);
    g_autoptr(SocketAddress) addr = NULL;
    g_autofree char *spec = NULL;
    Error *err = NULL;
    int fd = socket_listen(any, 1, &error_abort);
    int port = socket_local_port(fd);

    g_assert_cmpint(port, >, 0);
    spec = g_strdup_printf("tcp:127.0.0.1:%d", port);
    addr = socket_parse(spec, &error_abort);
    check_round_trip(fd, addr);
    close(fd);

    /* The port is free again: the connection is refused, and the message says so. */
    g_assert_cmpint(socket_connect(addr, &err), ==, -1);
    g_assert_nonnull(strstr(error_get_pretty(err), "Connection refused"));
    g_clear_pointer(&err, error_free);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sockets/parse", test_parse);
    g_test_add_func("/sockets/unix", test_unix);
    g_test_add_func("/sockets/tcp", test_tcp);
    return g_test_run();
}
