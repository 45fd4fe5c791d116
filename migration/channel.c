/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migration channels with QEMU's URI syntax and error messages.  exec:
 * runs the command with /bin/sh -c, its stdin (source) or stdout
 * (destination) being the stream; file: is a regular file.
 */
#include "qemu/osdep.h"
#include "migration/channel.h"
#include "qapi/error.h"
#include "qemu/sockets.h"
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>

typedef enum ChannelKind {
    CHANNEL_TCP,
    CHANNEL_UNIX,
    CHANNEL_EXEC,
    CHANNEL_FILE
} ChannelKind;

static const struct {
    const char *prefix;
    ChannelKind kind;
} channel_kinds[] = {
    { "tcp:", CHANNEL_TCP },
    { "unix:", CHANNEL_UNIX },
    { "exec:", CHANNEL_EXEC },
    { "file:", CHANNEL_FILE },
};

/* The kind of @uri and what follows its prefix, or NULL with @errp set. */
static const char *channel_parse(const char *uri, ChannelKind *kind, Error **errp)
{
    for (size_t i = 0; i < ARRAY_SIZE(channel_kinds); i++) {
        if (g_str_has_prefix(uri, channel_kinds[i].prefix)) {
            const char *rest = uri + strlen(channel_kinds[i].prefix);

            *kind = channel_kinds[i].kind;
            if (!*rest) {
                error_setg(errp, "Parameter 'uri' expects a non-empty %s address",
                           channel_kinds[i].prefix);
                return NULL;
            }
            if (*kind == CHANNEL_TCP || *kind == CHANNEL_UNIX) {
                g_autoptr(SocketAddress) addr = socket_parse(uri, errp);
                if (!addr) {
                    return NULL;
                }
            }
            return rest;
        }
    }
    error_setg(errp, "Parameter 'uri' expects a valid migration protocol");
    error_append_hint(errp, "Use tcp:HOST:PORT, unix:PATH, exec:COMMAND or file:PATH\n");
    return NULL;
}

bool migration_channel_check_uri(const char *uri, Error **errp)
{
    ChannelKind kind;

    return channel_parse(uri, &kind, errp) != NULL;
}

/* /bin/sh -c @command with its stdin (@for_output) or stdout as the stream. */
static int exec_spawn(const char *command, bool for_output, GPid *child, Error **errp)
{
    const char *argv[] = { "/bin/sh", "-c", command, NULL };
    GError *gerr = NULL;
    int fd = -1;

    if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                  NULL, NULL, child, for_output ? &fd : NULL,
                                  for_output ? NULL : &fd, NULL, &gerr)) {
        error_setg(errp, "cannot run '%s': %s", command, gerr->message);
        g_error_free(gerr);
        return -1;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

int migration_channel_connect(const char *uri, GPid *child, Error **errp)
{
    ChannelKind kind;
    const char *addr = channel_parse(uri, &kind, errp);
    int fd;

    *child = 0;
    if (!addr) {
        return -1;
    }
    switch (kind) {
    case CHANNEL_TCP:
    case CHANNEL_UNIX: {
        g_autoptr(SocketAddress) sa = socket_parse(uri, errp);
        return sa ? socket_connect(sa, errp) : -1;
    }
    case CHANNEL_EXEC:
        return exec_spawn(addr, true, child, errp);
    case CHANNEL_FILE:
        fd = open(addr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) {
            error_setg_errno(errp, errno, "Could not open '%s'", addr);
        }
        return fd;
    }
    g_assert_not_reached();
}

typedef struct ChannelListener {
    int listen_fd;
    int fd;
    GPid child;
    MigrationChannelReady *ready;
    void *opaque;
} ChannelListener;

static gboolean channel_accept(GIOChannel *chan, GIOCondition cond, gpointer opaque)
{
    ChannelListener *l = opaque;
    int fd = accept4(l->listen_fd, NULL, NULL, SOCK_CLOEXEC);

    if (fd < 0) {
        return G_SOURCE_CONTINUE;
    }
    /* One source per -incoming, as QEMU: stop listening. */
    close(l->listen_fd);
    l->ready(fd, 0, l->opaque);
    g_free(l);
    return G_SOURCE_REMOVE;
}

static gboolean channel_ready_idle(gpointer opaque)
{
    ChannelListener *l = opaque;

    l->ready(l->fd, l->child, l->opaque);
    g_free(l);
    return G_SOURCE_REMOVE;
}

bool migration_channel_listen(const char *uri, MigrationChannelReady *ready, void *opaque,
                              Error **errp)
{
    ChannelKind kind;
    const char *addr = channel_parse(uri, &kind, errp);
    ChannelListener *l;
    GIOChannel *chan;
    GPid child = 0;
    int fd;

    if (!addr) {
        return false;
    }
    switch (kind) {
    case CHANNEL_TCP:
    case CHANNEL_UNIX: {
        g_autoptr(SocketAddress) sa = socket_parse(uri, errp);

        fd = sa ? socket_listen(sa, 1, errp) : -1;
        if (fd < 0) {
            return false;
        }
        l = g_new0(ChannelListener, 1);
        *l = (ChannelListener){ .listen_fd = fd, .ready = ready, .opaque = opaque };
        chan = g_io_channel_unix_new(fd);
        g_io_add_watch(chan, G_IO_IN, channel_accept, l);
        g_io_channel_unref(chan);
        return true;
    }
    case CHANNEL_EXEC:
        fd = exec_spawn(addr, false, &child, errp);
        break;
    case CHANNEL_FILE:
        fd = open(addr, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            error_setg_errno(errp, errno, "Could not open '%s'", addr);
        }
        break;
    default:
        g_assert_not_reached();
    }
    if (fd < 0) {
        return false;
    }
    l = g_new0(ChannelListener, 1);
    *l = (ChannelListener){ .fd = fd, .child = child, .ready = ready, .opaque = opaque };
    g_idle_add(channel_ready_idle, l);
    return true;
}

int migration_channel_reap(GPid child)
{
    int status;

    if (child <= 0 || waitpid(child, &status, 0) != child) {
        return -1;
    }
    g_spawn_close_pid(child);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
