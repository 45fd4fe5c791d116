/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virtual clock's migration section (docs/devel/migration/vmstate.rst).
 * Saved with the VM stopped, so the value is the frozen guest time; loaded
 * into a destination that is stopped too (inmigrate), whose vm_start then
 * lets it run on from there.  MIG_PRI_CLOCK makes its post_load run before
 * any device re-arms a timer against the clock.
 */
#include "qemu/osdep.h"
#include "sysemu/cpu-timers.h"
#include "qemu/timer.h"

typedef struct TimersState {
    int64_t virtual_ns;
} TimersState;

static TimersState timers_state;

static bool timers_pre_save(void *opaque, Error **errp)
{
    TimersState *s = opaque;

    s->virtual_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    return true;
}

static bool timers_post_load(void *opaque, int version_id, Error **errp)
{
    TimersState *s = opaque;

    if (s->virtual_ns < 0) {
        error_setg(errp, "negative virtual clock %" PRId64 " ns", s->virtual_ns);
        return false;
    }
    qemu_clock_virtual_set_ns(s->virtual_ns);
    return true;
}

const VMStateDescription vmstate_timers = {
    .name = "timer",
    .version_id = 1,
    .minimum_version_id = 1,
    .priority = MIG_PRI_CLOCK,
    .pre_save = timers_pre_save,
    .post_load = timers_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_INT64(virtual_ns, TimersState),
        VMSTATE_END_OF_LIST(),
    },
};

void cpu_timers_init(void)
{
    vmstate_register(&vmstate_timers, 0, &timers_state);
}
