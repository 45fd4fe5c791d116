/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Run state, shutdown and reset requests, and the main loop that serves them.
 */
#include "qemu/osdep.h"
#include "sysemu/runstate.h"
#include "sysemu/cpus.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"

bool no_reboot;

static RunState current_run_state = RUN_STATE_PRELAUNCH;
static int shutdown_requested;          /* atomic: the ShutdownCause */
static int shutdown_exit_code;
static int reset_requested;             /* atomic */

typedef struct Handler {
    void (*fn)(void);
    void *cb;
    void *opaque;
} Handler;

static GArray *reset_handlers;
static GArray *vm_change_handlers;
static NotifierList shutdown_notifiers = NOTIFIER_LIST_INITIALIZER;

static const char *const run_state_names[RUN_STATE__MAX] = {
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_INMIGRATE] = "inmigrate",
    [RUN_STATE_POSTMIGRATE] = "postmigrate",
    [RUN_STATE_FINISH_MIGRATE] = "finish-migrate",
    [RUN_STATE_SHUTDOWN] = "shutdown",
    [RUN_STATE_GUEST_PANICKED] = "guest-panicked",
    [RUN_STATE_INTERNAL_ERROR] = "internal-error",
};

const char *shutdown_cause_name(ShutdownCause cause)
{
    static const char *const names[] = {
        [SHUTDOWN_CAUSE_NONE] = "none",
        [SHUTDOWN_CAUSE_HOST_ERROR] = "host-error",
        [SHUTDOWN_CAUSE_HOST_QMP_QUIT] = "host-qmp-quit",
        [SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET] = "host-qmp-system-reset",
        [SHUTDOWN_CAUSE_HOST_SIGNAL] = "host-signal",
        [SHUTDOWN_CAUSE_HOST_UI] = "host-ui",
        [SHUTDOWN_CAUSE_GUEST_SHUTDOWN] = "guest-shutdown",
        [SHUTDOWN_CAUSE_GUEST_RESET] = "guest-reset",
        [SHUTDOWN_CAUSE_GUEST_PANIC] = "guest-panic",
    };
    return cause < ARRAY_SIZE(names) ? names[cause] : "none";
}

const char *runstate_name(RunState state)
{
    return state < RUN_STATE__MAX ? run_state_names[state] : "unknown";
}

RunState runstate_get(void)
{
    return current_run_state;
}

void runstate_set(RunState state)
{
    current_run_state = state;
}

bool runstate_is_running(void)
{
    return current_run_state == RUN_STATE_RUNNING;
}

void qemu_register_reset(QEMUResetHandler *func, void *opaque)
{
    Handler h = { .cb = func, .opaque = opaque };

    if (!reset_handlers) {
        reset_handlers = g_array_new(FALSE, FALSE, sizeof(Handler));
    }
    g_array_append_val(reset_handlers, h);
}

void qemu_add_vm_change_state_handler(VMChangeStateHandler *cb, void *opaque)
{
    Handler h = { .cb = cb, .opaque = opaque };

    if (!vm_change_handlers) {
        vm_change_handlers = g_array_new(FALSE, FALSE, sizeof(Handler));
    }
    g_array_append_val(vm_change_handlers, h);
}

static void notify_vm_change(bool running, RunState state)
{
    for (guint i = 0; vm_change_handlers && i < vm_change_handlers->len; i++) {
        Handler *h = &g_array_index(vm_change_handlers, Handler, i);
        ((VMChangeStateHandler *)h->cb)(h->opaque, running, state);
    }
}

void vm_stop(RunState state)
{
    bool was_running = runstate_is_running();

    if (was_running) {
        pause_all_vcpus();
        qemu_clock_virtual_enable(false);
    }
    runstate_set(state);
    if (was_running) {
        notify_vm_change(false, state);
    }
}

void vm_start(void)
{
    if (runstate_is_running()) {
        return;
    }
    runstate_set(RUN_STATE_RUNNING);
    qemu_clock_virtual_enable(true);
    notify_vm_change(true, RUN_STATE_RUNNING);
    resume_all_vcpus();
}

void qemu_system_shutdown_request(ShutdownCause cause, int exit_code)
{
    shutdown_exit_code = exit_code;
    __atomic_store_n(&shutdown_requested, cause ? cause : SHUTDOWN_CAUSE_HOST_ERROR,
                     __ATOMIC_RELEASE);
    qemu_notify_event();
}

void qemu_system_reset_request(ShutdownCause cause)
{
    if (no_reboot) {
        qemu_system_shutdown_request(cause, 0);
        return;
    }
    __atomic_store_n(&reset_requested, cause, __ATOMIC_RELEASE);
    qemu_notify_event();
}

bool qemu_shutdown_requested(void)
{
    return __atomic_load_n(&shutdown_requested, __ATOMIC_ACQUIRE) != 0;
}

static void qemu_system_reset(void)
{
    bool running = runstate_is_running();

    if (running) {
        pause_all_vcpus();
    }
    for (guint i = 0; reset_handlers && i < reset_handlers->len; i++) {
        Handler *h = &g_array_index(reset_handlers, Handler, i);
        ((QEMUResetHandler *)h->cb)(h->opaque);
    }
    if (running) {
        resume_all_vcpus();
    }
}

void qemu_register_shutdown_notifier(Notifier *notifier)
{
    notifier_list_add(&shutdown_notifiers, notifier);
}

int qemu_main_loop(void)
{
    ShutdownCause cause;

    while (!qemu_shutdown_requested()) {
        g_main_context_iteration(qemu_get_main_context(), TRUE);
        if (__atomic_exchange_n(&reset_requested, 0, __ATOMIC_ACQ_REL)) {
            qemu_system_reset();
        }
    }
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_SHUTDOWN);
    }
    runstate_set(RUN_STATE_SHUTDOWN);
    cause = __atomic_load_n(&shutdown_requested, __ATOMIC_ACQUIRE);
    notifier_list_notify(&shutdown_notifiers, &cause);
    return shutdown_exit_code;
}
