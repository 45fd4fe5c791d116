/* SPDX-License-Identifier: GPL-2.0-or-later */
/* VM run states and shutdown/reset requests, as QEMU's query-status reports them. */
#ifndef SYSEMU_RUNSTATE_H
#define SYSEMU_RUNSTATE_H

#include "qemu/osdep.h"
#include "qemu/notify.h"

typedef enum RunState {
    RUN_STATE_PRELAUNCH,
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,
    RUN_STATE_INMIGRATE,
    RUN_STATE_POSTMIGRATE,
    RUN_STATE_FINISH_MIGRATE,
    RUN_STATE_SHUTDOWN,
    RUN_STATE_GUEST_PANICKED,
    RUN_STATE_INTERNAL_ERROR,
    RUN_STATE__MAX,
} RunState;

typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_HOST_UI,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
    SHUTDOWN_CAUSE_GUEST_RESET,
    SHUTDOWN_CAUSE_GUEST_PANIC,
} ShutdownCause;

const char *runstate_name(RunState state);
RunState runstate_get(void);
void runstate_set(RunState state);
bool runstate_is_running(void);

/* Stop the vCPUs and the virtual clock (QMP stop, migration completion). */
void vm_stop(RunState state);
/* Start or resume the vCPUs. */
void vm_start(void);

/*
 * Guest or host asks the process to end; the main loop exits with
 * @exit_code (the test finisher passes the guest's code).
 */
void qemu_system_shutdown_request(ShutdownCause cause, int exit_code);
void qemu_system_reset_request(ShutdownCause cause);
bool qemu_shutdown_requested(void);
/* QEMU's name for @cause, as the SHUTDOWN event's "reason" ("guest-shutdown"...). */
const char *shutdown_cause_name(ShutdownCause cause);
/* Did the guest ask (the SHUTDOWN event's "guest")? */
static inline bool shutdown_cause_is_guest(ShutdownCause cause)
{
    return cause >= SHUTDOWN_CAUSE_GUEST_SHUTDOWN;
}
/*
 * Called once the main loop has stopped the VM for a shutdown, before the
 * process exits, with the BQL; @data points to the ShutdownCause.  The
 * monitor's SHUTDOWN event subscribes here, so run state needs no monitor.
 */
void qemu_register_shutdown_notifier(Notifier *notifier);
/* -no-reboot: a guest reset becomes a shutdown. */
extern bool no_reboot;

/* Called on system reset, in registration order, with the vCPUs paused. */
typedef void QEMUResetHandler(void *opaque);
void qemu_register_reset(QEMUResetHandler *func, void *opaque);

/* Observers of run-state changes (QMP events, migration): called with the BQL. */
typedef void VMChangeStateHandler(void *opaque, bool running, RunState state);
void qemu_add_vm_change_state_handler(VMChangeStateHandler *cb, void *opaque);

#endif
