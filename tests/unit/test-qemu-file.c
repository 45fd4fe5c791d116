/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMUFile: every put comes back from a get over memory, a socket, a pipe
 * and a regular file; a stream that ends early is an error and stays one;
 * the running crc matches zlib's over the same bytes; shutdown from another
 * thread unblocks a reader that would otherwise wait forever.
 */
#include "qemu/osdep.h"
#include "migration/qemu-file.h"
#include "migration/stream-crc.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <zlib.h>

#define BIG_LEN (1 * MiB + 123)

static uint8_t *pattern(size_t len, unsigned seed)
{
    uint8_t *p = g_malloc(len);

    for (size_t i = 0; i < len; i++) {
        p[i] = (i * 131 + seed) ^ (i >> 9);
    }
    return p;
}

/* Puts one of everything; a big buffer goes through the direct path. */
static void put_sample(QEMUFile *f, const uint8_t *big)
{
    qemu_put_byte(f, 0xa5);
    qemu_put_be16(f, 0xbeef);
    qemu_put_be32(f, 0xdeadc0de);
    qemu_put_be64(f, 0x0123456789abcdefULL);
    qemu_put_counted_string(f, "serial");
    qemu_put_buffer(f, big, 4096);
    qemu_put_buffer(f, big, BIG_LEN);
    qemu_put_be32(f, 0x5a5a5a5a);
}

static void get_sample(QEMUFile *f, const uint8_t *big)
{
    g_autofree uint8_t *back = g_malloc(BIG_LEN);
    char name[256];

    g_assert_cmphex(qemu_get_byte(f), ==, 0xa5);
    g_assert_cmphex(qemu_get_be16(f), ==, 0xbeef);
    g_assert_cmphex(qemu_get_be32(f), ==, 0xdeadc0de);
    g_assert_cmphex(qemu_get_be64(f), ==, 0x0123456789abcdefULL);
    g_assert_true(qemu_get_counted_string(f, name));
    g_assert_cmpstr(name, ==, "serial");
    g_assert_cmpuint(qemu_get_buffer(f, back, 4096), ==, 4096);
    g_assert_cmpmem(back, 4096, big, 4096);
    g_assert_cmpuint(qemu_get_buffer(f, back, BIG_LEN), ==, BIG_LEN);
    g_assert_true(memcmp(back, big, BIG_LEN) == 0);
    g_assert_cmphex(qemu_get_be32(f), ==, 0x5a5a5a5a);
    g_assert_cmpint(qemu_file_get_error(f), ==, 0);
}

#define SAMPLE_LEN (1 + 2 + 4 + 8 + 7 + 4096 + BIG_LEN + 4)

static void test_mem_round_trip(void)
{
    g_autofree uint8_t *big = pattern(BIG_LEN, 7);
    QEMUFile *out = qemu_file_new_mem_output(), *in;
    const uint8_t *data;
    size_t len;

    put_sample(out, big);
    g_assert_cmpuint(qemu_file_transferred(out), ==, SAMPLE_LEN);
    data = qemu_file_mem_data(out, &len);
    g_assert_cmpuint(len, ==, SAMPLE_LEN);
    /* Big-endian on the wire. */
    g_assert_cmphex(data[1], ==, 0xbe);
    g_assert_cmphex(data[2], ==, 0xef);

    in = qemu_file_new_mem_input(data, len);
    get_sample(in, big);
    g_assert_cmpuint(qemu_file_transferred(in), ==, SAMPLE_LEN);
    g_assert_cmpint(qemu_fclose(in), ==, 0);
    g_assert_cmpint(qemu_fclose(out), ==, 0);
}

static void test_truncated(void)
{
    static const uint8_t data[] = { 0x12, 0x34, 0x56 };
    QEMUFile *in = qemu_file_new_mem_input(data, sizeof(data));
    uint8_t buf[8];

    g_assert_cmphex(qemu_get_byte(in), ==, 0x12);
    /* Two bytes left: a be32 cannot be read. */
    g_assert_cmphex(qemu_get_be32(in), ==, 0);
    g_assert_cmpint(qemu_file_get_error(in), ==, -EIO);
    /* Sticky: what was left is not handed out any more. */
    g_assert_cmphex(qemu_get_byte(in), ==, 0);
    memset(buf, 0xff, sizeof(buf));
    g_assert_cmpuint(qemu_get_buffer(in, buf, sizeof(buf)), ==, 0);
    g_assert_cmphex(buf[0], ==, 0);
    g_assert_cmpint(qemu_fclose(in), ==, -EIO);
}

static void test_truncated_buffer(void)
{
    static const uint8_t data[] = { 1, 2, 3, 4, 5 };
    QEMUFile *in = qemu_file_new_mem_input(data, sizeof(data));
    uint8_t buf[8];

    g_assert_cmpuint(qemu_get_buffer(in, buf, sizeof(buf)), ==, 5);
    g_assert_cmpmem(buf, 5, data, 5);
    g_assert_cmphex(buf[5], ==, 0);
    g_assert_cmpint(qemu_file_get_error(in), ==, -EIO);
    qemu_fclose(in);
}

static void test_sticky_error(void)
{
    QEMUFile *out = qemu_file_new_mem_output();
    size_t len;

    qemu_put_be32(out, 1);
    qemu_file_set_error(out, -ENOSPC);
    qemu_file_set_error(out, -EPIPE);
    qemu_put_be32(out, 2);
    g_assert_cmpint(qemu_fflush(out), ==, -ENOSPC);
    qemu_file_mem_data(out, &len);
    g_assert_cmpuint(len, ==, 0);
    g_assert_cmpint(qemu_fclose(out), ==, -ENOSPC);
}

static void test_crc(void)
{
    g_autofree uint8_t *big = pattern(BIG_LEN, 3);
    QEMUFile *out = qemu_file_new_mem_output(), *in;
    const uint8_t *data;
    uint32_t crc_out, crc_in;
    size_t len;

    qemu_put_be32(out, 77);         /* before the reset: not summed */
    qemu_file_crc_reset(out);
    put_sample(out, big);
    crc_out = qemu_file_crc(out);
    data = qemu_file_mem_data(out, &len);
    g_assert_cmphex(crc_out, ==, crc32(crc32(0, Z_NULL, 0), data + 4, len - 4));
    /* Reading the crc does not disturb it. */
    g_assert_cmphex(qemu_file_crc(out), ==, crc_out);

    in = qemu_file_new_mem_input(data, len);
    g_assert_cmpuint(qemu_get_be32(in), ==, 77);
    qemu_file_crc_reset(in);
    get_sample(in, big);
    crc_in = qemu_file_crc(in);
    g_assert_cmphex(crc_in, ==, crc_out);
    qemu_fclose(in);

    /* One flipped bit changes it. */
    g_autofree uint8_t *bad = g_memdup2(data, len);
    bad[len / 2] ^= 0x10;
    in = qemu_file_new_mem_input(bad, len);
    qemu_get_be32(in);
    qemu_file_crc_reset(in);
    g_autofree uint8_t *sink = g_malloc(len - 4);
    qemu_get_buffer(in, sink, len - 4);
    g_assert_cmphex(qemu_file_crc(in), !=, crc_out);
    qemu_fclose(in);
    qemu_fclose(out);
}

typedef struct Writer {
    int fd;
    const uint8_t *big;
    bool close_early;
    uint32_t crc;
} Writer;

static gpointer writer_thread(gpointer opaque)
{
    Writer *w = opaque;
    QEMUFile *out = qemu_file_new_fd_output(w->fd);

    qemu_file_crc_reset(out);
    if (w->close_early) {
        qemu_put_be64(out, 1);
        qemu_put_buffer(out, w->big, 1000);
    } else {
        put_sample(out, w->big);
    }
    w->crc = qemu_file_crc(out);
    g_assert_cmpint(qemu_fclose(out), ==, 0);
    return NULL;
}

static void round_trip_fds(int rfd, int wfd)
{
    g_autofree uint8_t *big = pattern(BIG_LEN, 11);
    Writer w = { .fd = wfd, .big = big };
    GThread *t = g_thread_new("writer", writer_thread, &w);
    QEMUFile *in = qemu_file_new_fd_input(rfd);

    qemu_file_crc_reset(in);
    get_sample(in, big);
    g_thread_join(t);
    g_assert_cmphex(qemu_file_crc(in), ==, w.crc);
    g_assert_cmpuint(qemu_file_transferred(in), ==, SAMPLE_LEN);
    /* The writer closed: one more byte is past the end. */
    qemu_get_byte(in);
    g_assert_cmpint(qemu_file_get_error(in), ==, -EIO);
    qemu_fclose(in);
}

static void test_socket_round_trip(void)
{
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    round_trip_fds(sv[0], sv[1]);
}

static void test_pipe_round_trip(void)
{
    int p[2];

    g_assert_cmpint(pipe(p), ==, 0);
    round_trip_fds(p[0], p[1]);
}

static void test_pipe_truncated(void)
{
    g_autofree uint8_t *big = pattern(BIG_LEN, 5);
    Writer w = { .big = big, .close_early = true };
    g_autofree uint8_t *back = g_malloc(BIG_LEN);
    GThread *t;
    QEMUFile *in;
    int p[2];

    g_assert_cmpint(pipe(p), ==, 0);
    w.fd = p[1];
    t = g_thread_new("writer", writer_thread, &w);
    in = qemu_file_new_fd_input(p[0]);
    g_assert_cmpuint(qemu_get_be64(in), ==, 1);
    g_assert_cmpuint(qemu_get_buffer(in, back, BIG_LEN), ==, 1000);
    g_assert_cmpint(qemu_file_get_error(in), ==, -EIO);
    g_thread_join(t);
    qemu_fclose(in);
}

static void test_regular_file(void)
{
    g_autofree uint8_t *big = pattern(BIG_LEN, 9);
    g_autofree char *path = NULL;
    QEMUFile *f;
    int fd;

    fd = g_file_open_tmp("test-qemu-file-XXXXXX", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    f = qemu_file_new_fd_output(fd);
    put_sample(f, big);
    g_assert_cmpint(qemu_fclose(f), ==, 0);

    fd = open(path, O_RDONLY);
    g_assert_cmpint(fd, >=, 0);
    f = qemu_file_new_fd_input(fd);
    get_sample(f, big);
    g_assert_cmpint(qemu_fclose(f), ==, 0);
    unlink(path);
}

static gpointer shutdown_thread(gpointer opaque)
{
    g_usleep(20 * 1000);
    qemu_file_shutdown(opaque);
    return NULL;
}

static void test_shutdown_unblocks(gconstpointer use_socket)
{
    QEMUFile *in;
    GThread *t;
    int fds[2];

    /* The peer stays open and silent: without shutdown the read never ends. */
    if (use_socket) {
        g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
    } else {
        g_assert_cmpint(pipe(fds), ==, 0);
    }
    in = qemu_file_new_fd_input(fds[0]);
    t = g_thread_new("shutdown", shutdown_thread, in);
    g_assert_cmpuint(qemu_get_be32(in), ==, 0);
    g_assert_cmpint(qemu_file_get_error(in), ==, -EPIPE);
    g_thread_join(t);
    g_assert_cmpint(qemu_fclose(in), ==, -EPIPE);
    close(fds[1]);
}

static void test_write_to_closed_socket(void)
{
    g_autofree uint8_t *big = pattern(BIG_LEN, 1);
    QEMUFile *out;
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    close(sv[1]);
    out = qemu_file_new_fd_output(sv[0]);
    /* No SIGPIPE: the error is reported instead. */
    qemu_put_buffer(out, big, BIG_LEN);
    g_assert_cmpint(qemu_file_get_error(out), ==, -EPIPE);
    g_assert_cmpint(qemu_fclose(out), ==, -EPIPE);
}

/* The folding CRC equals zlib's at every length, alignment and starting value. */
static void test_stream_crc_matches_zlib(void)
{
    g_autofree uint8_t *data = pattern(BIG_LEN + 16, 7);

    for (size_t len = 0; len < 600; len++) {
        for (size_t off = 0; off < 16; off += 5) {
            uint32_t seed = len * 0x9e3779b9u;

            g_assert_cmphex(stream_crc32(seed, data + off, len), ==,
                            crc32(seed, data + off, len));
        }
    }
    g_assert_cmphex(stream_crc32(0, data, BIG_LEN), ==, crc32(0, data, BIG_LEN));
    /* Split anywhere, the running value is the same as in one go. */
    uint32_t split = stream_crc32(stream_crc32(0, data, 4099), data + 4099, BIG_LEN - 4099);

    g_assert_cmphex(split, ==, crc32(0, data, BIG_LEN));
}

/* A counted string with a NUL inside is not the string before the NUL. */
static void test_counted_string_with_nul(void)
{
    static const uint8_t stream[] = { 6, 's', 'e', 'r', '\0', 'a', 'l' };
    QEMUFile *in = qemu_file_new_mem_input(stream, sizeof(stream));
    char name[256];

    g_assert_false(qemu_get_counted_string(in, name));
    g_assert_cmpint(qemu_file_get_error(in), ==, -EINVAL);
    qemu_fclose(in);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu-file/mem-round-trip", test_mem_round_trip);
    g_test_add_func("/qemu-file/truncated", test_truncated);
    g_test_add_func("/qemu-file/truncated-buffer", test_truncated_buffer);
    g_test_add_func("/qemu-file/sticky-error", test_sticky_error);
    g_test_add_func("/qemu-file/crc", test_crc);
    g_test_add_func("/qemu-file/stream-crc-matches-zlib", test_stream_crc_matches_zlib);
    g_test_add_func("/qemu-file/counted-string-with-nul", test_counted_string_with_nul);
    g_test_add_func("/qemu-file/socket-round-trip", test_socket_round_trip);
    g_test_add_func("/qemu-file/pipe-round-trip", test_pipe_round_trip);
    g_test_add_func("/qemu-file/pipe-truncated", test_pipe_truncated);
    g_test_add_func("/qemu-file/regular-file", test_regular_file);
    g_test_add_data_func("/qemu-file/shutdown-unblocks/pipe", NULL, test_shutdown_unblocks);
    g_test_add_data_func("/qemu-file/shutdown-unblocks/socket", (void *)1,
                         test_shutdown_unblocks);
    g_test_add_func("/qemu-file/write-to-closed-socket", test_write_to_closed_socket);
    return g_test_run();
}
