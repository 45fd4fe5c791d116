/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMUFile: buffered big-endian stream over a file descriptor or memory,
 * with sticky errors and a running crc32 (docs/devel/migration/vmstate.rst).
 *
 * File descriptors are switched to non-blocking mode and waited on with
 * poll() together with a private wake-up pipe, so qemu_file_shutdown() can
 * unblock a reader or writer stuck on any kind of fd (a pipe to an exec:
 * child as well as a socket).  The crc is folded lazily: bytes are summed
 * when they leave the buffer (output) or when the buffer is refilled
 * (input), so a put or get of a few bytes costs a copy and nothing more.
 */
#include "qemu/osdep.h"
#include "migration/qemu-file.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <glib-unix.h>
#include "migration/stream-crc.h"

#define IO_BUF_SIZE (64 * KiB)

struct QEMUFile {
    bool output;
    int fd;             /* -1 for memory-backed files */
    bool is_socket;
    int wake_fds[2];    /* qemu_file_shutdown() writes to [1]; -1 for memory */

    uint8_t *buf;
    size_t buf_size;
    size_t buf_len;     /* output: bytes buffered; input: bytes valid in buf */
    size_t buf_pos;     /* input: next byte to hand out */
    size_t crc_pos;     /* bytes of buf before this are already in crc */
    bool buf_borrowed;  /* memory input: buf is the caller's data */

    GByteArray *mem;    /* memory output */

    uint32_t crc;
    uint64_t transferred;   /* atomic: read by other threads (query-migrate) */
    int last_error;     /* atomic: first error, as -errno */
    int shut_down;      /* atomic */
};

/* Single writer (the file's user); qemu_file_transferred() may run elsewhere. */
static inline void qemu_file_count(QEMUFile *f, size_t len)
{
    __atomic_store_n(&f->transferred, f->transferred + len, __ATOMIC_RELAXED);
}

static QEMUFile *qemu_file_new(bool output)
{
    QEMUFile *f = g_new0(QEMUFile, 1);

    f->output = output;
    f->fd = -1;
    f->wake_fds[0] = f->wake_fds[1] = -1;
    f->crc = 0;
    return f;
}

static QEMUFile *qemu_file_new_fd(int fd, bool output)
{
    QEMUFile *f = qemu_file_new(output);
    struct stat st;
    int flags;

    f->fd = fd;
    f->is_socket = fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
    f->buf_size = IO_BUF_SIZE;
    f->buf = g_malloc(f->buf_size);
    if (!g_unix_open_pipe(f->wake_fds, FD_CLOEXEC, NULL)) {
        f->wake_fds[0] = f->wake_fds[1] = -1;
        qemu_file_set_error(f, -EMFILE);
    }
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        qemu_file_set_error(f, -errno);
    }
    return f;
}

QEMUFile *qemu_file_new_fd_output(int fd)
{
    return qemu_file_new_fd(fd, true);
}

QEMUFile *qemu_file_new_fd_input(int fd)
{
    return qemu_file_new_fd(fd, false);
}

QEMUFile *qemu_file_new_mem_output(void)
{
    QEMUFile *f = qemu_file_new(true);

    f->buf_size = IO_BUF_SIZE;
    f->buf = g_malloc(f->buf_size);
    f->mem = g_byte_array_new();
    return f;
}

QEMUFile *qemu_file_new_mem_input(const void *data, size_t len)
{
    QEMUFile *f = qemu_file_new(false);

    f->buf = (uint8_t *)data;
    f->buf_size = f->buf_len = len;
    f->buf_borrowed = true;
    return f;
}

int qemu_file_get_error(QEMUFile *f)
{
    return g_atomic_int_get(&f->last_error);
}

void qemu_file_set_error(QEMUFile *f, int err)
{
    if (err < 0) {
        g_atomic_int_compare_and_exchange(&f->last_error, 0, err);
    }
}

void qemu_file_shutdown(QEMUFile *f)
{
    static const char wake = 1;

    g_atomic_int_set(&f->shut_down, 1);
    qemu_file_set_error(f, -EPIPE);
    if (f->is_socket) {
        shutdown(f->fd, SHUT_RDWR);
    }
    if (f->wake_fds[1] >= 0 && write(f->wake_fds[1], &wake, 1) < 0) {
        /* The pipe already holds a wake-up byte: nothing more to do. */
    }
}

/* Wait until @fd is ready for @events; false (error set) once shut down. */
static bool qemu_file_wait(QEMUFile *f, short events)
{
    struct pollfd pfd[2] = {
        { .fd = f->fd, .events = events },
        { .fd = f->wake_fds[0], .events = POLLIN },
    };

    while (!g_atomic_int_get(&f->shut_down)) {
        if (poll(pfd, 2, -1) < 0 && errno != EINTR) {
            qemu_file_set_error(f, -errno);
            return false;
        }
        if (pfd[0].revents) {
            return true;
        }
    }
    qemu_file_set_error(f, -EPIPE);
    return false;
}

static void qemu_file_fold_crc(QEMUFile *f, size_t upto)
{
    if (upto > f->crc_pos) {
        f->crc = stream_crc32(f->crc, f->buf + f->crc_pos, upto - f->crc_pos);
    }
    f->crc_pos = upto;
}

/* Write all of @iov to the fd; false with the error set on failure. */
static bool qemu_file_writev_all(QEMUFile *f, struct iovec *iov, int iovcnt)
{
    while (iovcnt > 0) {
        ssize_t n;

        if (g_atomic_int_get(&f->shut_down)) {
            qemu_file_set_error(f, -EPIPE);
            return false;
        }
        if (f->is_socket) {
            /* MSG_NOSIGNAL: a vanished peer is an error, not SIGPIPE. */
            struct msghdr msg = { .msg_iov = iov, .msg_iovlen = iovcnt };
            n = sendmsg(f->fd, &msg, MSG_NOSIGNAL);
        } else {
            n = writev(f->fd, iov, iovcnt);
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (!qemu_file_wait(f, POLLOUT)) {
                    return false;
                }
                continue;
            }
            qemu_file_set_error(f, -errno);
            return false;
        }
        while (iovcnt > 0 && (size_t)n >= iov->iov_len) {
            n -= iov->iov_len;
            iov++;
            iovcnt--;
        }
        if (iovcnt > 0) {
            iov->iov_base = (uint8_t *)iov->iov_base + n;
            iov->iov_len -= n;
        }
    }
    return true;
}

/* Send the buffered bytes followed by @extra (may be NULL) and empty the buffer. */
static void qemu_file_write_out(QEMUFile *f, const void *extra, size_t extra_len)
{
    struct iovec iov[2];
    int iovcnt = 0;

    qemu_file_fold_crc(f, f->buf_len);
    if (extra_len) {
        f->crc = stream_crc32(f->crc, extra, extra_len);
    }
    if (!qemu_file_get_error(f)) {
        if (f->mem) {
            g_byte_array_append(f->mem, f->buf, f->buf_len);
            g_byte_array_append(f->mem, extra, extra_len);
        } else {
            if (f->buf_len) {
                iov[iovcnt++] = (struct iovec){ f->buf, f->buf_len };
            }
            if (extra_len) {
                iov[iovcnt++] = (struct iovec){ (void *)extra, extra_len };
            }
            qemu_file_writev_all(f, iov, iovcnt);
        }
    }
    f->buf_len = f->crc_pos = 0;
}

int qemu_fflush(QEMUFile *f)
{
    if (f->output && f->buf_len) {
        qemu_file_write_out(f, NULL, 0);
    }
    return qemu_file_get_error(f);
}

void qemu_put_buffer(QEMUFile *f, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    g_assert(f->output);
    if (qemu_file_get_error(f)) {
        return;
    }
    qemu_file_count(f, len);
    if (len >= QEMU_FILE_DIRECT_MIN) {
        qemu_file_write_out(f, buf, len);
        return;
    }
    while (len) {
        size_t chunk = MIN(len, f->buf_size - f->buf_len);

        memcpy(f->buf + f->buf_len, p, chunk);
        f->buf_len += chunk;
        p += chunk;
        len -= chunk;
        if (f->buf_len == f->buf_size) {
            qemu_file_write_out(f, NULL, 0);
        }
    }
}

static inline void qemu_put_small(QEMUFile *f, const uint8_t *bytes, size_t len)
{
    if (likely(f->buf_size - f->buf_len >= len && !qemu_file_get_error(f))) {
        g_assert(f->output);
        memcpy(f->buf + f->buf_len, bytes, len);
        f->buf_len += len;
        qemu_file_count(f, len);
    } else {
        qemu_put_buffer(f, bytes, len);
    }
}

void qemu_put_byte(QEMUFile *f, uint8_t v)
{
    qemu_put_small(f, &v, 1);
}

void qemu_put_be16(QEMUFile *f, uint16_t v)
{
    uint8_t b[2] = { v >> 8, v };

    qemu_put_small(f, b, sizeof(b));
}

void qemu_put_be32(QEMUFile *f, uint32_t v)
{
    uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

    qemu_put_small(f, b, sizeof(b));
}

void qemu_put_be64(QEMUFile *f, uint64_t v)
{
    qemu_put_be32(f, v >> 32);
    qemu_put_be32(f, v);
}

void qemu_put_counted_string(QEMUFile *f, const char *str)
{
    size_t len = strlen(str);

    if (len > 255) {
        qemu_file_set_error(f, -EINVAL);
        return;
    }
    qemu_put_byte(f, len);
    qemu_put_buffer(f, str, len);
}

/* Read into @dst from the fd until @len bytes or EOF/error; returns bytes read. */
static size_t qemu_file_read_fd(QEMUFile *f, uint8_t *dst, size_t len, bool all)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n;

        if (g_atomic_int_get(&f->shut_down)) {
            qemu_file_set_error(f, -EPIPE);
            break;
        }
        n = read(f->fd, dst + done, len - done);
        if (n > 0) {
            done += n;
            if (!all) {
                break;
            }
        } else if (n == 0) {
            break;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (!qemu_file_wait(f, POLLIN)) {
                break;
            }
        } else if (errno != EINTR) {
            qemu_file_set_error(f, -errno);
            break;
        }
    }
    return done;
}

/* Refill the input buffer; returns how many new bytes arrived (0: EOF or error). */
static size_t qemu_file_fill(QEMUFile *f)
{
    size_t keep = f->buf_len - f->buf_pos, n;

    if (f->fd < 0 || qemu_file_get_error(f)) {
        return 0;
    }
    qemu_file_fold_crc(f, f->buf_pos);
    memmove(f->buf, f->buf + f->buf_pos, keep);
    f->buf_len = keep;
    f->buf_pos = f->crc_pos = 0;
    n = qemu_file_read_fd(f, f->buf + keep, f->buf_size - keep, false);
    f->buf_len += n;
    return n;
}

size_t qemu_get_buffer(QEMUFile *f, void *buf, size_t len)
{
    uint8_t *p = buf;
    size_t done = 0;

    g_assert(!f->output);
    while (done < len && !qemu_file_get_error(f)) {
        size_t avail = f->buf_len - f->buf_pos;

        if (avail) {
            size_t chunk = MIN(avail, len - done);

            memcpy(p + done, f->buf + f->buf_pos, chunk);
            f->buf_pos += chunk;
            done += chunk;
        } else if (f->fd >= 0 && len - done >= f->buf_size) {
            /* Large reads land in the caller's buffer directly. */
            size_t n = qemu_file_read_fd(f, p + done, len - done, true);

            qemu_file_fold_crc(f, f->buf_pos);
            f->crc = stream_crc32(f->crc, p + done, n);
            done += n;
            if (done < len) {
                break;
            }
        } else if (!qemu_file_fill(f)) {
            break;
        }
    }
    if (done < len) {
        qemu_file_set_error(f, -EIO);
        memset(p + done, 0, len - done);
    }
    qemu_file_count(f, done);
    return done;
}

static inline bool qemu_get_small(QEMUFile *f, uint8_t *bytes, size_t len)
{
    if (likely(f->buf_len - f->buf_pos >= len && !qemu_file_get_error(f))) {
        g_assert(!f->output);
        memcpy(bytes, f->buf + f->buf_pos, len);
        f->buf_pos += len;
        qemu_file_count(f, len);
        return true;
    }
    if (qemu_get_buffer(f, bytes, len) == len) {
        return true;
    }
    /* A number cut by EOF reads as 0, never as half of one. */
    memset(bytes, 0, len);
    return false;
}

uint8_t qemu_get_byte(QEMUFile *f)
{
    uint8_t b = 0;

    qemu_get_small(f, &b, 1);
    return b;
}

uint16_t qemu_get_be16(QEMUFile *f)
{
    uint8_t b[2] = { 0 };

    qemu_get_small(f, b, sizeof(b));
    return (uint16_t)b[0] << 8 | b[1];
}

uint32_t qemu_get_be32(QEMUFile *f)
{
    uint8_t b[4] = { 0 };

    qemu_get_small(f, b, sizeof(b));
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t qemu_get_be64(QEMUFile *f)
{
    uint64_t hi = qemu_get_be32(f);

    return hi << 32 | qemu_get_be32(f);
}

bool qemu_get_counted_string(QEMUFile *f, char buf[256])
{
    size_t len = qemu_get_byte(f);
    size_t got = qemu_get_buffer(f, buf, len);

    buf[got] = '\0';
    /* A NUL inside would make "virt\0junk" compare equal to "virt". */
    if (got == len && memchr(buf, '\0', len)) {
        qemu_file_set_error(f, -EINVAL);
    }
    return got == len && !qemu_file_get_error(f);
}

uint64_t qemu_file_transferred(QEMUFile *f)
{
    return __atomic_load_n(&f->transferred, __ATOMIC_RELAXED);
}

void qemu_file_crc_reset(QEMUFile *f)
{
    f->crc_pos = f->output ? f->buf_len : f->buf_pos;
    f->crc = 0;
}

uint32_t qemu_file_crc(QEMUFile *f)
{
    qemu_file_fold_crc(f, f->output ? f->buf_len : f->buf_pos);
    return f->crc;
}

const uint8_t *qemu_file_mem_data(QEMUFile *f, size_t *len)
{
    g_assert(f->mem);
    qemu_fflush(f);
    *len = f->mem->len;
    return f->mem->data;
}

int qemu_fclose(QEMUFile *f)
{
    int ret = qemu_fflush(f);

    if (f->fd >= 0 && close(f->fd) < 0 && f->output) {
        /* A deferred write error (e.g. NFS, a full disk) surfaces here. */
        qemu_file_set_error(f, -errno);
        ret = qemu_file_get_error(f);
    }
    for (int i = 0; i < 2; i++) {
        if (f->wake_fds[i] >= 0) {
            close(f->wake_fds[i]);
        }
    }
    if (f->mem) {
        g_byte_array_free(f->mem, TRUE);
    }
    if (!f->buf_borrowed) {
        g_free(f->buf);
    }
    g_free(f);
    return ret;
}
