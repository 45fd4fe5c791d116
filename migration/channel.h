/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migration channels: the URIs of migrate and -incoming (tcp:HOST:PORT,
 * unix:PATH, exec:COMMAND, file:PATH) turned into a file descriptor.
 */
#ifndef MIGRATION_CHANNEL_H
#define MIGRATION_CHANNEL_H

#include "qemu/osdep.h"

typedef struct Error Error;

/* Check @uri's syntax without opening anything (QMP answers at once). */
bool migration_channel_check_uri(const char *uri, Error **errp);

/*
 * Source: connect to, spawn or create @uri for writing; blocks (the
 * migration thread calls it).  Returns the fd, or -1 with @errp set.
 * *@child gets the pid of an exec: command, else 0.
 */
int migration_channel_connect(const char *uri, GPid *child, Error **errp);

/* Destination: called on the main loop with the stream's fd (and exec: child). */
typedef void MigrationChannelReady(int fd, GPid child, void *opaque);

/*
 * Destination: listen on @uri (tcp:, unix:) and call @ready for the first
 * connection, or open/spawn it (file:, exec:) and call @ready from the main
 * loop.  False with @errp set when @uri cannot be opened.
 */
bool migration_channel_listen(const char *uri, MigrationChannelReady *ready, void *opaque,
                              Error **errp);

/* Reap an exec: child; returns its exit status (or -1). */
int migration_channel_reap(GPid child);

#endif
