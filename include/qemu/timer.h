/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Timers on QEMU's clocks, run from the main loop with the BQL held.
 *
 * QEMU_CLOCK_REALTIME: host monotonic time, always running.
 * QEMU_CLOCK_VIRTUAL:  guest time: runs with the VM, stops while it is stopped;
 *                      under qtest it moves only when the test steps it.
 * QEMU_CLOCK_HOST:     host wall-clock time (for the RTC).
 */
#ifndef QEMU_TIMER_H
#define QEMU_TIMER_H

#include "qemu/osdep.h"

#define NANOSECONDS_PER_SECOND 1000000000LL
#define SCALE_MS 1000000
#define SCALE_US 1000
#define SCALE_NS 1

typedef enum QEMUClockType {
    QEMU_CLOCK_REALTIME,
    QEMU_CLOCK_VIRTUAL,
    QEMU_CLOCK_HOST,
    QEMU_CLOCK_MAX,
} QEMUClockType;

typedef void QEMUTimerCB(void *opaque);

typedef struct QEMUTimer {
    int64_t expire_time;        /* in ns; -1 when not pending */
    QEMUClockType type;
    QEMUTimerCB *cb;
    void *opaque;
    struct QEMUTimer *next;
} QEMUTimer;

int64_t qemu_clock_get_ns(QEMUClockType type);
static inline int64_t qemu_clock_get_ms(QEMUClockType type)
{
    return qemu_clock_get_ns(type) / SCALE_MS;
}

void timer_init_ns(QEMUTimer *t, QEMUClockType type, QEMUTimerCB *cb, void *opaque);
QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb, void *opaque);
/* Arm (or re-arm) @t to fire when its clock reaches @expire_ns. Any thread. */
void timer_mod(QEMUTimer *t, int64_t expire_ns);
void timer_del(QEMUTimer *t);
bool timer_pending(QEMUTimer *t);
void timer_free(QEMUTimer *t);

/* Pause/resume the virtual clock (vm_stop/vm_start). */
void qemu_clock_virtual_enable(bool enabled);
/*
 * Make the virtual clock read @ns from now on (incoming migration: continue
 * from the source's guest time).  Meant for a stopped VM; timers are not run.
 */
void qemu_clock_virtual_set_ns(int64_t ns);
/* qtest: the virtual clock no longer follows the host; only warps move it. */
void qemu_clock_virtual_set_manual(bool manual);
/* qtest: move the virtual clock to @dest_ns, running timers that expire on the way. */
void qemu_clock_virtual_warp(int64_t dest_ns);
/* Deadline of the next pending virtual timer (ns), or -1 if none. */
int64_t qemu_clock_virtual_deadline(void);

/* Run expired timers of every clock: called by the main loop with the BQL. */
void qemu_clock_run_all_timers(void);
/* Nanoseconds until the earliest timer (any clock), -1 if none. */
int64_t qemu_clock_next_deadline_ns(void);

#endif
