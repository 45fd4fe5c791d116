/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stream socket addresses as the command line and QMP spell them
 * ("tcp:HOST:PORT", "unix:PATH"), and listening and connecting on them, for
 * chardev, the monitor, qtest and migration.
 */
#ifndef QEMU_SOCKETS_H
#define QEMU_SOCKETS_H

#include "qemu/osdep.h"

typedef struct Error Error;

typedef enum SocketAddressType {
    SOCKET_ADDRESS_TYPE_INET,
    SOCKET_ADDRESS_TYPE_UNIX,
} SocketAddressType;

typedef struct SocketAddress {
    SocketAddressType type;
    char *host;                 /* inet: name or address; "" for every local address */
    char *port;                 /* inet: number or service name */
    char *path;                 /* unix */
} SocketAddress;

/*
 * Parse "tcp:HOST:PORT" ("inet:" too; HOST may be empty, or an IPv6 address
 * in brackets) or "unix:PATH".  NULL and @errp on anything else.
 */
SocketAddress *socket_parse(const char *str, Error **errp);
void socket_address_free(SocketAddress *addr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SocketAddress, socket_address_free)
/* "tcp:HOST:PORT" or "unix:PATH", for messages. */
char *socket_address_to_string(const SocketAddress *addr);

/*
 * A listening stream socket (blocking, close-on-exec) with a backlog of @num.
 * An existing file at a unix path is replaced.  -1 and @errp on failure.
 */
int socket_listen(const SocketAddress *addr, int num, Error **errp);
/* A connected stream socket (blocking connect, close-on-exec); -1 and @errp. */
int socket_connect(const SocketAddress *addr, Error **errp);
/* The local port of an inet socket (to learn what tcp:HOST:0 got), or -1. */
int socket_local_port(int fd);

#endif
