/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The main loop (a GLib main context on the main thread) and the big QEMU
 * lock (BQL) that serialises device emulation between the main loop, vCPU
 * threads and IOThreads.
 */
#ifndef QEMU_MAIN_LOOP_H
#define QEMU_MAIN_LOOP_H

#include "qemu/osdep.h"

void qemu_init_main_loop(void);
/* Run until a shutdown is requested; returns the exit status. */
int qemu_main_loop(void);
/* Wake the main loop (after arming a timer or requesting shutdown). */
void qemu_notify_event(void);
GMainContext *qemu_get_main_context(void);

void bql_lock(void);
void bql_unlock(void);
bool bql_locked(void);

#endif
