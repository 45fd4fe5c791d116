/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Character backends against misbehaving peers: a front end that stops
 * taking input, a socket client that stops reading, one that disconnects
 * and another that connects, and stdin at end of file.  None may spin the
 * main loop, block the caller (a vCPU holding the BQL) or kill the process.
 */
#include "qemu/osdep.h"
#include "chardev/char.h"
#include "qapi/error.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>

typedef struct FrontEnd {
    int room;
    GString *received;
} FrontEnd;

static int front_can_read(void *opaque)
{
    return ((FrontEnd *)opaque)->room;
}

static void front_read(void *opaque, const uint8_t *buf, int size)
{
    FrontEnd *fe = opaque;

    g_assert_cmpint(size, <=, fe->room);
    g_string_append_len(fe->received, (const char *)buf, size);
}

static char *socket_dir;
static int socket_count;

static Chardev *socket_chardev(char **path)
{
    g_autofree char *spec = NULL;
    Chardev *chr;

    *path = g_strdup_printf("%s/c%d.sock", socket_dir, socket_count++);
    spec = g_strdup_printf("unix:%s,server=on,wait=off", *path);
    chr = qemu_chr_new("test", spec, &error_abort);
    g_assert_nonnull(chr);
    return chr;
}

static int connect_client(const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    return fd;
}

/* Run the main loop for @ms; returns how many iterations dispatched a source. */
static int run_loop_for(int ms)
{
    gint64 end = g_get_monotonic_time() + ms * 1000;
    int busy = 0;

    while (g_get_monotonic_time() < end) {
        if (g_main_context_iteration(NULL, FALSE)) {
            busy++;
        } else {
            g_usleep(1000);
        }
    }
    return busy;
}

static void run_loop_until(bool (*done)(void *), void *opaque)
{
    gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (!done(opaque)) {
        g_assert_cmpint(g_get_monotonic_time(), <, end);
        g_main_context_iteration(NULL, FALSE);
        g_usleep(100);
    }
}

static bool received_all(void *opaque)
{
    FrontEnd *fe = opaque;
    return fe->received->len >= (gsize)fe->room;
}

/*
 * The front end (a paused guest's UART) takes nothing: the bytes must wait
 * in the kernel without the main loop spinning on the readable fd, and
 * flow again, all of them, once the front end makes room.
 */
static void test_socket_backpressure(void)
{
    g_autofree char *path = NULL;
    Chardev *chr = socket_chardev(&path);
    FrontEnd fe = { .room = 0, .received = g_string_new(NULL) };
    g_autofree char *data = g_malloc(64 * KiB);
    int fd;

    for (size_t i = 0; i < 64 * KiB; i++) {
        data[i] = 'a' + i % 26;
    }
    qemu_chr_add_handlers(chr, front_can_read, front_read, &fe);
    fd = connect_client(path);
    g_assert_cmpint(send(fd, data, 64 * KiB, 0), ==, 64 * KiB);
    g_assert_cmpint(run_loop_for(300), <, 50);

    fe.room = 64 * KiB;
    qemu_chr_accept_input(chr);
    run_loop_until(received_all, &fe);
    g_assert_cmpmem(fe.received->str, fe.received->len, data, 64 * KiB);
    close(fd);
    run_loop_for(20);
    g_string_free(fe.received, TRUE);
}

/* A client that stops reading costs a bounded wait, then its output is dropped. */
static void test_socket_stalled_client(void)
{
    g_autofree char *path = NULL;
    Chardev *chr = socket_chardev(&path);
    uint8_t chunk[1024];
    char buf[65536];
    gint64 start;
    int fd = -1;

    memset(chunk, 'x', sizeof(chunk));
    fd = connect_client(path);
    run_loop_for(50);
    /* Without the fix this blocks forever with the BQL held: fail instead. */
    alarm(30);
    start = g_get_monotonic_time();
    for (int i = 0; i < 4096; i++) {
        g_assert_cmpint(qemu_chr_write_all(chr, chunk, sizeof(chunk)), ==, sizeof(chunk));
    }
    g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
    alarm(0);

    /* The client catches up: new output reaches it again. */
    fcntl(fd, F_SETFL, O_NONBLOCK);
    while (recv(fd, buf, sizeof(buf), 0) > 0) {
        continue;
    }
    g_assert_cmpint(qemu_chr_write_all(chr, (const uint8_t *)"hello", 5), ==, 5);
    fcntl(fd, F_SETFL, 0);
    g_assert_cmpint(recv(fd, buf, 5, MSG_WAITALL), ==, 5);
    g_assert_cmpmem(buf, 5, "hello", 5);
    close(fd);
    run_loop_for(20);
}

/* Output racing with a client's disconnect, then a new client: both ways work. */
static void test_socket_reconnect(void)
{
    g_autofree char *path = NULL;
    Chardev *chr = socket_chardev(&path);
    FrontEnd fe = { .room = 1 << 20, .received = g_string_new(NULL) };
    char buf[8];
    int fd;

    qemu_chr_add_handlers(chr, front_can_read, front_read, &fe);
    for (int round = 0; round < 3; round++) {
        fd = connect_client(path);
        run_loop_for(20);
        g_assert_cmpint(send(fd, "ab", 2, 0), ==, 2);
        g_assert_cmpint(qemu_chr_write_all(chr, (const uint8_t *)"yz", 2), ==, 2);
        g_assert_cmpint(recv(fd, buf, 2, MSG_WAITALL), ==, 2);
        g_assert_cmpmem(buf, 2, "yz", 2);
        close(fd);
        /* Before the main loop sees the close: must not raise SIGPIPE. */
        for (int i = 0; i < 4; i++) {
            qemu_chr_write_all(chr, (const uint8_t *)"lost", 4);
        }
        run_loop_for(20);
    }
    g_assert_cmpstr(fe.received->str, ==, "ababab");
    g_string_free(fe.received, TRUE);
}

/* stdin at EOF (</dev/null): its watch goes away instead of firing forever. */
static void test_stdio_eof(void)
{
    FrontEnd fe = { .room = 16, .received = g_string_new(NULL) };
    int null_fd = open("/dev/null", O_RDONLY);
    Chardev *chr;

    g_assert_cmpint(dup2(null_fd, 0), ==, 0);
    close(null_fd);
    chr = qemu_chr_new("stdio-test", "stdio", &error_abort);
    qemu_chr_add_handlers(chr, front_can_read, front_read, &fe);
    run_loop_for(50);
    g_assert_cmpint(run_loop_for(200), ==, 0);
    qemu_chr_accept_input(chr);
    g_assert_cmpint(run_loop_for(100), ==, 0);
    g_assert_cmpint(fe.received->len, ==, 0);
    g_string_free(fe.received, TRUE);
}

int main(int argc, char **argv)
{
    int ret;

    /* As a process that never set SIGPIPE's disposition: the backend must not rely on it. */
    signal(SIGPIPE, SIG_DFL);
    g_test_init(&argc, &argv, NULL);
    socket_dir = g_dir_make_tmp("test-char-XXXXXX", NULL);
    g_test_add_func("/char/socket/backpressure", test_socket_backpressure);
    g_test_add_func("/char/socket/stalled-client", test_socket_stalled_client);
    g_test_add_func("/char/socket/reconnect", test_socket_reconnect);
    g_test_add_func("/char/stdio/eof", test_stdio_eof);
    ret = g_test_run();
    for (int i = 0; i < socket_count; i++) {
        g_autofree char *path = g_strdup_printf("%s/c%d.sock", socket_dir, i);
        unlink(path);
    }
    rmdir(socket_dir);
    return ret;
}
