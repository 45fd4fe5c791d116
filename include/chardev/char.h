/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Character backends for serial ports: stdio (with QEMU's Ctrl-A escapes
 * under -nographic), null, file:PATH, unix:PATH/tcp:HOST:PORT sockets.
 * Front ends (the UART) register handlers, called from the main loop
 * with the BQL held.
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

#include "qemu/osdep.h"

typedef struct Error Error;
typedef struct Chardev Chardev;

/* How many bytes the front end can take now. */
typedef int IOCanReadHandler(void *opaque);
typedef void IOReadHandler(void *opaque, const uint8_t *buf, int size);

/*
 * Create a backend from a -serial style spec: "stdio", "mon:stdio", "null",
 * "file:PATH", "unix:PATH[,server=on,wait=off]", "tcp:HOST:PORT[,server=on,wait=off]".
 */
Chardev *qemu_chr_new(const char *label, const char *spec, Error **errp);
/* Write all of @buf (blocking briefly if needed); returns bytes written or -1. */
int qemu_chr_write_all(Chardev *chr, const uint8_t *buf, int len);
void qemu_chr_add_handlers(Chardev *chr, IOCanReadHandler *can_read,
                           IOReadHandler *read, void *opaque);
/* The front end has room again: deliver buffered input. */
void qemu_chr_accept_input(Chardev *chr);
void qemu_chr_close_all(void);

#endif
