/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Character backends: the generic front-end plumbing plus the fd-based
 * backends (null, file, and unix/tcp listening sockets).  stdio, with
 * QEMU's Ctrl-A escapes, is in char-stdio.c.
 */
#include "qemu/osdep.h"
#include "chardev/char-internal.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "qemu/sockets.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

static GPtrArray *all_chardevs;

Chardev *chardev_new(const char *label)
{
    Chardev *chr = g_new0(Chardev, 1);

    chr->label = g_strdup(label);
    chr->in_fd = -1;
    chr->out_fd = -1;
    chr->listen_fd = -1;
    chr->pending = g_byte_array_new();
    if (!all_chardevs) {
        all_chardevs = g_ptr_array_new();
    }
    g_ptr_array_add(all_chardevs, chr);
    return chr;
}

/* Hand buffered input to the front end, as much as it can take now. */
static void chardev_flush_input(Chardev *chr)
{
    while (chr->pending->len && chr->read) {
        int room = chr->can_read ? chr->can_read(chr->opaque) : (int)chr->pending->len;
        int n = MIN(room, (int)chr->pending->len);

        if (n <= 0) {
            break;
        }
        chr->read(chr->opaque, chr->pending->data, n);
        g_byte_array_remove_range(chr->pending, 0, n);
    }
    /* The front end made room: read the fd again (its watch was dropped when full). */
    if (chr->pending->len < CHARDEV_PENDING_MAX && chr->in_fd >= 0 && !chr->in_watch &&
        !chr->input_eof) {
        chardev_watch_input(chr);
    }
}

void chardev_receive(Chardev *chr, const uint8_t *buf, int len)
{
    g_byte_array_append(chr->pending, buf, len);
    chardev_flush_input(chr);
}

static gboolean chardev_input_ready(GIOChannel *chan, GIOCondition cond, gpointer opaque)
{
    Chardev *chr = opaque;
    uint8_t buf[4096];
    ssize_t n;

    /*
     * Backpressure: leave bytes in the kernel until the guest drains its
     * FIFO.  The fd stays readable meanwhile, so the watch must go (or the
     * main loop spins); qemu_chr_accept_input() brings it back.
     */
    if (chr->pending->len >= CHARDEV_PENDING_MAX) {
        chr->in_watch = 0;
        return G_SOURCE_REMOVE;
    }
    n = read(chr->in_fd, buf, MIN(sizeof(buf), CHARDEV_PENDING_MAX - chr->pending->len));
    if (n > 0) {
        if (chr->filter_input) {
            chr->filter_input(chr, buf, n);
        } else {
            chardev_receive(chr, buf, n);
        }
        return G_SOURCE_CONTINUE;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return G_SOURCE_CONTINUE;
    }
    /* End of input: a socket client went away, stdin was closed. */
    chr->in_watch = 0;
    if (chr->listen_fd >= 0) {
        close(chr->in_fd);
        chr->in_fd = chr->out_fd = -1;
        chr->output_stalled = false;
    } else {
        chr->input_eof = true;
    }
    return G_SOURCE_REMOVE;
}

void chardev_watch_input(Chardev *chr)
{
    GIOChannel *chan = g_io_channel_unix_new(chr->in_fd);

    chr->in_watch = g_io_add_watch(chan, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                   chardev_input_ready, chr);
    g_io_channel_unref(chan);
}

/* Wait up to @timeout_ms for @fd to take more output. */
static bool chardev_wait_writable(int fd, int timeout_ms)
{
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };
    int rc;

    do {
        rc = poll(&pfd, 1, timeout_ms);
    } while (rc < 0 && errno == EINTR);
    return rc > 0;
}

/*
 * Socket clients are non-blocking: the caller holds the BQL (a vCPU in the
 * UART), so a client that stops reading must not stall the whole VM.  It
 * gets CHARDEV_STALL_TIMEOUT_MS to catch up; after that its output is
 * dropped, as for a disconnected client, until its socket has room again.
 */
static int socket_write_all(Chardev *chr, const uint8_t *buf, int len)
{
    int done = 0;

    if (chr->output_stalled) {
        if (!chardev_wait_writable(chr->out_fd, 0)) {
            return len;
        }
        chr->output_stalled = false;
    }
    while (done < len) {
        ssize_t n = send(chr->out_fd, buf + done, len - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!chardev_wait_writable(chr->out_fd, CHARDEV_STALL_TIMEOUT_MS)) {
                chr->output_stalled = true;
                return len;
            }
            continue;
        }
        if (n < 0) {
            return len; /* the client went away: the input side closes it */
        }
        done += n;
    }
    return done;
}

int qemu_chr_write_all(Chardev *chr, const uint8_t *buf, int len)
{
    int done = 0;

    if (!chr || chr->out_fd < 0) {
        return len; /* nobody listening: output is dropped, as with wait=off */
    }
    if (chr->is_socket) {
        return socket_write_all(chr, buf, len);
    }
    while (done < len) {
        ssize_t n = write(chr->out_fd, buf + done, len - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN) {
                /* A non-blocking stdout shared with another process: wait, don't spin. */
                chardev_wait_writable(chr->out_fd, -1);
                continue;
            }
            return -1;
        }
        done += n;
    }
    return done;
}

void qemu_chr_add_handlers(Chardev *chr, IOCanReadHandler *can_read, IOReadHandler *read,
                           void *opaque)
{
    if (!chr) {
        return;
    }
    chr->can_read = can_read;
    chr->read = read;
    chr->opaque = opaque;
    chardev_flush_input(chr);
}

void qemu_chr_accept_input(Chardev *chr)
{
    if (chr) {
        chardev_flush_input(chr);
    }
}

static void socket_attach_client(Chardev *chr, int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    chr->in_fd = chr->out_fd = fd;
    chr->is_socket = true;
    chr->output_stalled = false;
    chardev_watch_input(chr);
}

static gboolean socket_accept(GIOChannel *chan, GIOCondition cond, gpointer opaque)
{
    Chardev *chr = opaque;
    int fd = accept(chr->listen_fd, NULL, NULL);

    if (fd < 0) {
        return G_SOURCE_CONTINUE;
    }
    if (chr->in_fd >= 0) {
        close(fd); /* one client at a time, as QEMU's socket chardev */
        return G_SOURCE_CONTINUE;
    }
    socket_attach_client(chr, fd);
    return G_SOURCE_CONTINUE;
}

/* Parse "unix:PATH,server=on,wait=off" or "tcp:HOST:PORT,server=on,wait=off". */
static bool socket_open(Chardev *chr, const char *spec, Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(spec, ",", -1);
    g_autoptr(SocketAddress) addr = NULL;
    bool server = false, wait = true;
    int fd;

    for (int i = 1; parts[i]; i++) {
        if (!strcmp(parts[i], "server=on") || !strcmp(parts[i], "server")) {
            server = true;
        } else if (!strcmp(parts[i], "wait=off") || !strcmp(parts[i], "nowait")) {
            wait = false;
        } else if (strcmp(parts[i], "wait=on") && strcmp(parts[i], "server=off")) {
            error_setg(errp, "chardev '%s': unsupported socket option '%s'", chr->label,
                       parts[i]);
            return false;
        }
    }
    if (!server) {
        error_setg(errp, "chardev '%s': only server sockets are supported; add server=on",
                   chr->label);
        return false;
    }
    addr = socket_parse(parts[0], errp);
    fd = addr ? socket_listen(addr, 1, errp) : -1;
    if (fd < 0) {
        return false;
    }
    chr->listen_fd = fd;
    if (wait) {
        int client = accept(fd, NULL, NULL);
        if (client >= 0) {
            socket_attach_client(chr, client);
        }
    }
    GIOChannel *chan = g_io_channel_unix_new(fd);
    g_io_add_watch(chan, G_IO_IN, socket_accept, chr);
    g_io_channel_unref(chan);
    return true;
}

Chardev *qemu_chr_new(const char *label, const char *spec, Error **errp)
{
    Chardev *chr;

    if (!strcmp(spec, "stdio") || !strcmp(spec, "mon:stdio")) {
        return chardev_stdio_new(label, errp);
    }
    chr = chardev_new(label);
    if (!strcmp(spec, "null") || !strcmp(spec, "none")) {
        return chr;
    }
    if (g_str_has_prefix(spec, "file:")) {
        chr->out_fd = open(spec + 5, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (chr->out_fd < 0) {
            error_setg_errno(errp, errno, "Could not open '%s'", spec + 5);
            return NULL;
        }
        return chr;
    }
    if (g_str_has_prefix(spec, "unix:") || g_str_has_prefix(spec, "tcp:")) {
        return socket_open(chr, spec, errp) ? chr : NULL;
    }
    error_setg(errp, "'%s' is not a valid char driver", spec);
    error_append_hint(errp, "Use stdio, null, file:PATH, unix:PATH,server=on,wait=off "
                      "or tcp:HOST:PORT,server=on,wait=off\n");
    return NULL;
}

void qemu_chr_close_all(void)
{
    for (guint i = 0; all_chardevs && i < all_chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(all_chardevs, i);
        if (chr->cleanup) {
            chr->cleanup(chr);
        }
    }
}
