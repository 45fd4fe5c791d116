/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vCPU throttling.  A realtime timer fires once per period; each time it
 * tells every vCPU how long to sleep and kicks it out of guest code; the
 * vCPU thread sleeps that long at its next stop point (cpu_throttle_vcpu_point),
 * unless it is paused first.  Period and sleep follow QEMU's: 10 ms of
 * running per period, sleep = 10 ms * P / (100 - P).
 */
#include "qemu/osdep.h"
#include "sysemu/cpu-throttle.h"
#include "sysemu/cpus.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"

#define CPU_THROTTLE_TIMESLICE_NS (10 * SCALE_MS)
/* A throttled vCPU checks for a pause this often while it sleeps. */
#define CPU_THROTTLE_CHECK_NS (1 * SCALE_MS)

static QEMUTimer *throttle_timer;
static int throttle_percentage;                /* atomic; 0 = off */
static int64_t vcpu_sleep_ns[HINTVM_MAX_CPUS]; /* atomic: what each vCPU owes */

static void cpu_throttle_tick(void *opaque)
{
    int pct = __atomic_load_n(&throttle_percentage, __ATOMIC_RELAXED);
    int64_t sleep_ns;

    if (!pct) {
        return;
    }
    sleep_ns = CPU_THROTTLE_TIMESLICE_NS * pct / (100 - pct);
    for (int i = 0; i < nb_cpus; i++) {
        __atomic_store_n(&vcpu_sleep_ns[cpus[i]->cpu_index], sleep_ns, __ATOMIC_RELEASE);
        cpu_kick(cpus[i]);
    }
    timer_mod(throttle_timer, qemu_clock_get_ns(QEMU_CLOCK_REALTIME) +
                                  CPU_THROTTLE_TIMESLICE_NS * 100 / (100 - pct));
}

void cpu_throttle_set(int pct)
{
    bool was_active = cpu_throttle_active();

    pct = MAX(MIN(pct, CPU_THROTTLE_PCT_MAX), CPU_THROTTLE_PCT_MIN);
    __atomic_store_n(&throttle_percentage, pct, __ATOMIC_RELAXED);
    if (!throttle_timer) {
        throttle_timer = timer_new_ns(QEMU_CLOCK_REALTIME, cpu_throttle_tick, NULL);
    }
    if (!was_active) {
        timer_mod(throttle_timer, qemu_clock_get_ns(QEMU_CLOCK_REALTIME));
    }
}

void cpu_throttle_stop(void)
{
    __atomic_store_n(&throttle_percentage, 0, __ATOMIC_RELAXED);
    if (throttle_timer) {
        timer_del(throttle_timer);
    }
    for (int i = 0; i < HINTVM_MAX_CPUS; i++) {
        __atomic_store_n(&vcpu_sleep_ns[i], 0, __ATOMIC_RELEASE);
    }
}

bool cpu_throttle_active(void)
{
    return cpu_throttle_get_percentage() != 0;
}

int cpu_throttle_get_percentage(void)
{
    return __atomic_load_n(&throttle_percentage, __ATOMIC_RELAXED);
}

void cpu_throttle_vcpu_point(int index, const bool *stop)
{
    int64_t owed = __atomic_exchange_n(&vcpu_sleep_ns[index], 0, __ATOMIC_ACQ_REL);
    int64_t end;

    if (owed <= 0) {
        return;
    }
    end = qemu_clock_get_ns(QEMU_CLOCK_REALTIME) + owed;
    for (;;) {
        int64_t left = end - qemu_clock_get_ns(QEMU_CLOCK_REALTIME);

        if (left <= 0 || __atomic_load_n(stop, __ATOMIC_ACQUIRE) ||
            !__atomic_load_n(&throttle_percentage, __ATOMIC_RELAXED)) {
            return;
        }
        g_usleep(MIN(left, CPU_THROTTLE_CHECK_NS) / SCALE_US);
    }
}
