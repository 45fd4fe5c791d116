/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vCPU throttling (migration's auto-converge): every vCPU sleeps a share of
 * each time slice, so a guest that dirties memory faster than the link
 * carries slows down until its dirty rate fits.  As QEMU's: at P percent a
 * vCPU runs 10 ms, then sleeps 10 ms * P / (100 - P).
 */
#ifndef SYSEMU_CPU_THROTTLE_H
#define SYSEMU_CPU_THROTTLE_H

#include "qemu/osdep.h"

#define CPU_THROTTLE_PCT_MIN 1
#define CPU_THROTTLE_PCT_MAX 99

/* Throttle to @pct percent (clamped to 1..99); BQL held. */
void cpu_throttle_set(int pct);
/* Run at full speed again; BQL held. */
void cpu_throttle_stop(void);
bool cpu_throttle_active(void);
/* 0 when inactive. */
int cpu_throttle_get_percentage(void);

/*
 * Called by vCPU @index's thread between runs of guest code: sleeps what
 * the throttle owes, returning early once *@stop becomes true (a pause).
 */
void cpu_throttle_vcpu_point(int index, const bool *stop);

#endif
