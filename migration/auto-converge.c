/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * auto-converge with QEMU's cpu-throttle-* semantics: when, in two periods
 * between bitmap syncs, the guest dirtied more than throttle-trigger-threshold
 * percent of what was sent, throttle the vCPUs to cpu-throttle-initial, then
 * raise by cpu-throttle-increment each time it happens again, up to
 * max-cpu-throttle.  cpu-throttle-tailslow raises by less when a smaller
 * step would already bring the dirty rate under the threshold.
 */
#include "qemu/osdep.h"
#include "migration/auto-converge.h"
#include "migration/options.h"
#include "qemu/main-loop.h"
#include "sysemu/cpu-throttle.h"

static int dirty_rate_high_count;

static int next_throttle(uint64_t dirtied, uint64_t threshold)
{
    int now = cpu_throttle_get_percentage();
    int inc = migrate_parameter(MIGRATION_PARAMETER_CPU_THROTTLE_INCREMENT);
    int max = migrate_parameter(MIGRATION_PARAMETER_MAX_CPU_THROTTLE);

    if (!cpu_throttle_active()) {
        return MIN(migrate_parameter(MIGRATION_PARAMETER_CPU_THROTTLE_INITIAL), max);
    }
    if (migrate_parameter(MIGRATION_PARAMETER_CPU_THROTTLE_TAILSLOW)) {
        /* The vCPU share that would make the dirty rate meet the threshold. */
        double running = 100 - now;
        double ideal = running * threshold / dirtied;
        inc = MAX(MIN((int)(running - ideal), inc), 1);
    }
    return MIN(now + inc, max);
}

void auto_converge_after_sync(uint64_t dirtied, uint64_t sent)
{
    uint64_t threshold =
        sent * migrate_parameter(MIGRATION_PARAMETER_THROTTLE_TRIGGER_THRESHOLD) / 100;

    if (!migrate_capability(MIGRATION_CAPABILITY_AUTO_CONVERGE)) {
        return;
    }
    if (dirtied <= threshold) {
        return;
    }
    if (++dirty_rate_high_count < 2) {
        return;
    }
    dirty_rate_high_count = 0;
    bql_lock();
    cpu_throttle_set(next_throttle(dirtied, MAX(threshold, 1)));
    bql_unlock();
}

void auto_converge_stop(void)
{
    dirty_rate_high_count = 0;
    cpu_throttle_stop();
}
