/* SPDX-License-Identifier: GPL-2.0-or-later */
/* auto-converge: throttle the vCPUs when the guest dirties faster than we send. */
#ifndef MIGRATION_AUTO_CONVERGE_H
#define MIGRATION_AUTO_CONVERGE_H

#include "qemu/osdep.h"

/*
 * After a bitmap sync: @dirtied bytes were marked, @sent bytes went out
 * since the previous sync.  Starts or raises the throttle per the
 * cpu-throttle-* parameters when the capability is on.  No lock held.
 */
void auto_converge_after_sync(uint64_t dirtied, uint64_t sent);
/* End of migration: full speed again.  BQL held. */
void auto_converge_stop(void);

#endif
