/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IOThreads (-object iothread,id=ID): each is a thread running its own GLib
 * main context, where devices run queue handlers off the vCPU threads.
 */
#ifndef SYSEMU_IOTHREAD_H
#define SYSEMU_IOTHREAD_H

#include "qemu/osdep.h"

typedef struct Error Error;
typedef struct IOThread IOThread;

IOThread *iothread_create(const char *id, Error **errp);
IOThread *iothread_find(const char *id);
GMainContext *iothread_get_context(IOThread *iothread);
/* Run @fn(@opaque) on @iothread soon (any thread may call). */
void iothread_schedule(IOThread *iothread, GSourceFunc fn, gpointer opaque);

/* -object TYPE,id=ID,...: iothread is the only type for now. */
bool user_creatable_add(const char *optstr, Error **errp);

#endif
