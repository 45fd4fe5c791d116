/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Stream socket addresses, listening and connecting (include/qemu/sockets.h). */
#include "qemu/osdep.h"
#include "qemu/sockets.h"
#include "qapi/error.h"
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

static bool inet_parse(SocketAddress *addr, const char *str, Error **errp)
{
    const char *colon;

    if (str[0] == '[') {
        const char *end = strchr(str, ']');

        if (!end || end[1] != ':') {
            error_setg(errp, "address '%s' must be [HOST]:PORT", str);
            return false;
        }
        addr->host = g_strndup(str + 1, end - str - 1);
        colon = end + 1;
    } else {
        colon = strrchr(str, ':');
        if (!colon) {
            error_setg(errp, "address '%s' must be HOST:PORT", str);
            return false;
        }
        addr->host = g_strndup(str, colon - str);
    }
    if (!colon[1]) {
        error_setg(errp, "address '%s' has no port", str);
        return false;
    }
    addr->port = g_strdup(colon + 1);
    return true;
}

SocketAddress *socket_parse(const char *str, Error **errp)
{
    g_autoptr(SocketAddress) addr = g_new0(SocketAddress, 1);

    if (g_str_has_prefix(str, "unix:")) {
        addr->type = SOCKET_ADDRESS_TYPE_UNIX;
        if (!str[5]) {
            error_setg(errp, "'%s' has no socket path", str);
            return NULL;
        }
        addr->path = g_strdup(str + 5);
    } else if (g_str_has_prefix(str, "tcp:") || g_str_has_prefix(str, "inet:")) {
        addr->type = SOCKET_ADDRESS_TYPE_INET;
        if (!inet_parse(addr, strchr(str, ':') + 1, errp)) {
            return NULL;
        }
    } else {
        error_setg(errp, "'%s' is not a socket address", str);
        error_append_hint(errp, "Use tcp:HOST:PORT or unix:PATH\n");
        return NULL;
    }
    return g_steal_pointer(&addr);
}

void socket_address_free(SocketAddress *addr)
{
    if (addr) {
        g_free(addr->host);
        g_free(addr->port);
        g_free(addr->path);
        g_free(addr);
    }
}

char *socket_address_to_string(const SocketAddress *addr)
{
    if (addr->type == SOCKET_ADDRESS_TYPE_UNIX) {
        return g_strdup_printf("unix:%s", addr->path);
    }
    return g_strdup_printf(strchr(addr->host, ':') ? "tcp:[%s]:%s" : "tcp:%s:%s",
                           addr->host, addr->port);
}

static bool unix_sockaddr(const SocketAddress *addr, struct sockaddr_un *sun,
                          Error **errp)
{
    *sun = (struct sockaddr_un){ .sun_family = AF_UNIX };
    if (strlen(addr->path) >= sizeof(sun->sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", addr->path);
        return false;
    }
    strcpy(sun->sun_path, addr->path);
    return true;
}

static struct addrinfo *inet_resolve(const SocketAddress *addr, bool passive,
                                     Error **errp)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC,
                              .ai_socktype = SOCK_STREAM,
                              .ai_flags = passive ? AI_PASSIVE : 0 };
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(*addr->host ? addr->host : NULL, addr->port, &hints, &res);

    if (rc) {
        error_setg(errp, "address resolution failed for %s:%s: %s", addr->host,
                   addr->port, gai_strerror(rc));
        return NULL;
    }
    return res;
}

static int unix_listen(const SocketAddress *addr, int num, Error **errp)
{
    struct sockaddr_un sun;
    int fd;

    if (!unix_sockaddr(addr, &sun, errp)) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    unlink(addr->path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
        listen(fd, num) < 0) {
        error_setg_errno(errp, errno, "Failed to bind socket to %s", addr->path);
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

static int inet_listen(const SocketAddress *addr, int num, Error **errp)
{
    struct addrinfo *res = inet_resolve(addr, true, errp);
    int err = 0;

    if (!res) {
        return -1;
    }
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int one = 1;
        int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

        if (fd < 0) {
            err = errno;
            continue;
        }
        /* A restarted server takes its port back while old connections linger. */
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, num) == 0) {
            freeaddrinfo(res);
            return fd;
        }
        err = errno;
        close(fd);
    }
    freeaddrinfo(res);
    error_setg_errno(errp, err, "Failed to bind socket to %s:%s", addr->host, addr->port);
    return -1;
}

int socket_listen(const SocketAddress *addr, int num, Error **errp)
{
    return addr->type == SOCKET_ADDRESS_TYPE_UNIX ? unix_listen(addr, num, errp)
                                                  : inet_listen(addr, num, errp);
}

/* connect(2), restarted after a signal (it then completes in the background). */
static int connect_fd(int fd, const struct sockaddr *sa, socklen_t len)
{
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };
    int err;
    socklen_t err_len = sizeof(err);

    if (connect(fd, sa, len) == 0) {
        return 0;
    }
    if (errno != EINTR) {
        return -errno;
    }
    while (poll(&pfd, 1, -1) < 0) {
        if (errno != EINTR) {
            return -errno;
        }
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len) < 0) {
        return -errno;
    }
    return -err;
}

int socket_connect(const SocketAddress *addr, Error **errp)
{
    struct addrinfo *res;
    int err = 0;

    if (addr->type == SOCKET_ADDRESS_TYPE_UNIX) {
        struct sockaddr_un sun;
        int fd;

        if (!unix_sockaddr(addr, &sun, errp)) {
            return -1;
        }
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        err = fd < 0 ? -errno : connect_fd(fd, (struct sockaddr *)&sun, sizeof(sun));
        if (err) {
            error_setg_errno(errp, -err, "Failed to connect to '%s'", addr->path);
            if (fd >= 0) {
                close(fd);
            }
            return -1;
        }
        return fd;
    }
    res = inet_resolve(addr, false, errp);
    if (!res) {
        return -1;
    }
    /* Every address the name resolves to, in the resolver's order. */
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

        err = fd < 0 ? -errno : connect_fd(fd, ai->ai_addr, ai->ai_addrlen);
        if (!err) {
            freeaddrinfo(res);
            return fd;
        }
        if (fd >= 0) {
            close(fd);
        }
    }
    freeaddrinfo(res);
    error_setg_errno(errp, -err, "Failed to connect to '%s:%s'", addr->host, addr->port);
    return -1;
}

int socket_local_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
        return -1;
    }
    if (ss.ss_family == AF_INET) {
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    }
    if (ss.ss_family == AF_INET6) {
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    return -1;
}
