/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest time for migration: the virtual clock travels as a section of its
 * own, so QEMU_CLOCK_VIRTUAL (and with it the ACLINT's mtime and every
 * virtual timer deadline) continues on the destination from the source's
 * value instead of restarting from the destination's.
 */
#ifndef SYSEMU_CPU_TIMERS_H
#define SYSEMU_CPU_TIMERS_H

#include "migration/vmstate.h"

extern const VMStateDescription vmstate_timers;

/* Register the clock section; once per process, before the machine's devices. */
void cpu_timers_init(void);

#endif
