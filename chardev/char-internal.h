/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Chardev structure, shared by the backends in chardev/. */
#ifndef CHARDEV_CHAR_INTERNAL_H
#define CHARDEV_CHAR_INTERNAL_H

#include "chardev/char.h"

struct Chardev {
    char *label;
    int in_fd;                  /* -1: no input */
    int out_fd;                 /* -1: output dropped */
    int listen_fd;              /* socket server, or -1 */
    guint in_watch;
    GByteArray *pending;        /* input the front end had no room for yet */
    IOCanReadHandler *can_read;
    IOReadHandler *read;
    void *opaque;
    /* Backend hook on raw input (stdio's Ctrl-A escapes), else delivered as is. */
    void (*filter_input)(Chardev *chr, const uint8_t *buf, int len);
    void (*cleanup)(Chardev *chr);
    bool escape_pending;
    bool input_eof;             /* stdin closed: never watch it again */
    bool is_socket;             /* in_fd/out_fd is a connected socket client */
    bool output_stalled;        /* the client stopped reading: output is dropped */
};

/* Input buffered for the front end beyond this stays in the kernel (backpressure). */
#define CHARDEV_PENDING_MAX 4096
/* How long a write waits for a socket client that does not read before dropping. */
#define CHARDEV_STALL_TIMEOUT_MS 100

Chardev *chardev_new(const char *label);
Chardev *chardev_stdio_new(const char *label, Error **errp);
void chardev_watch_input(Chardev *chr);
/* Queue @buf for the front end and deliver what fits. */
void chardev_receive(Chardev *chr, const uint8_t *buf, int len);

#endif
