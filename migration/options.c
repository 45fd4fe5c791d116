/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migration parameters and capabilities.  Names, defaults, ranges and
 * messages follow QEMU's migrate-set-parameters, so scripts written for
 * QEMU work unchanged; the values live in one table each.
 */
#include "qemu/osdep.h"
#include "migration/options.h"
#include "migration/misc.h"
#include "qapi/error.h"

typedef struct ParameterInfo {
    const char *name;
    bool is_bool;
    uint64_t def, min, max;
    const char *expects; /* what QEMU's range error says it expects */
} ParameterInfo;

#define RANGE_1_99 "an integer in the range of 1 to 99"

static const ParameterInfo parameter_info[MIGRATION_PARAMETER__MAX] = {
    [MIGRATION_PARAMETER_ANNOUNCE_INITIAL] = { "announce-initial", false, 50, 0, 100000,
                                               "a value between 0 and 100000" },
    [MIGRATION_PARAMETER_ANNOUNCE_MAX] = { "announce-max", false, 550, 0, 100000,
                                           "a value between 0 and 100000" },
    [MIGRATION_PARAMETER_ANNOUNCE_ROUNDS] = { "announce-rounds", false, 5, 0, 1000,
                                              "a value between 0 and 1000" },
    [MIGRATION_PARAMETER_ANNOUNCE_STEP] = { "announce-step", false, 100, 1, 10000,
                                            "a value between 0 and 10000" },
    [MIGRATION_PARAMETER_THROTTLE_TRIGGER_THRESHOLD] = { "throttle-trigger-threshold",
                                                         false, 50, 1, 100,
                                                         "an integer in the range of 1 "
                                                         "to 100" },
    [MIGRATION_PARAMETER_CPU_THROTTLE_INITIAL] = { "cpu-throttle-initial", false, 20, 1,
                                                   99, RANGE_1_99 },
    [MIGRATION_PARAMETER_CPU_THROTTLE_INCREMENT] = { "cpu-throttle-increment", false, 10,
                                                     1, 99, RANGE_1_99 },
    [MIGRATION_PARAMETER_CPU_THROTTLE_TAILSLOW] = { "cpu-throttle-tailslow", true, 0, 0,
                                                    1, NULL },
    /* QEMU's default: 128 MiB/s.  0 lifts the limit. */
    [MIGRATION_PARAMETER_MAX_BANDWIDTH] = { "max-bandwidth", false, 128 * MiB, 0,
                                            INT64_MAX,
                                            "an integer in the range of 0 to "
                                            "9223372036854775807 bytes/second" },
    [MIGRATION_PARAMETER_DOWNTIME_LIMIT] = { "downtime-limit", false, 300, 0, 2000000,
                                             "an integer in the range of 0 to 2000000 "
                                             "milliseconds" },
    [MIGRATION_PARAMETER_MAX_POSTCOPY_BANDWIDTH] = { "max-postcopy-bandwidth", false, 0,
                                                     0, INT64_MAX,
                                                     "an integer in the range of 0 to "
                                                     "9223372036854775807 bytes/second" },
    [MIGRATION_PARAMETER_MAX_CPU_THROTTLE] = { "max-cpu-throttle", false, 99, 1, 99,
                                               RANGE_1_99 },
    /* Accepted for QEMU scripts; hintvm sends RAM on one channel. */
    [MIGRATION_PARAMETER_MULTIFD_CHANNELS] = { "multifd-channels", false, 2, 1, 255,
                                               "a value between 1 and 255" },
};

static uint64_t parameter_values[MIGRATION_PARAMETER__MAX];
static bool parameters_initialised;

static const char *const capability_names[MIGRATION_CAPABILITY__MAX] = {
    [MIGRATION_CAPABILITY_XBZRLE] = "xbzrle",
    [MIGRATION_CAPABILITY_RDMA_PIN_ALL] = "rdma-pin-all",
    [MIGRATION_CAPABILITY_AUTO_CONVERGE] = "auto-converge",
    [MIGRATION_CAPABILITY_ZERO_BLOCKS] = "zero-blocks",
    [MIGRATION_CAPABILITY_COMPRESS] = "compress",
    [MIGRATION_CAPABILITY_EVENTS] = "events",
    [MIGRATION_CAPABILITY_POSTCOPY_RAM] = "postcopy-ram",
    [MIGRATION_CAPABILITY_X_COLO] = "x-colo",
    [MIGRATION_CAPABILITY_RELEASE_RAM] = "release-ram",
    [MIGRATION_CAPABILITY_BLOCK] = "block",
    [MIGRATION_CAPABILITY_RETURN_PATH] = "return-path",
    [MIGRATION_CAPABILITY_PAUSE_BEFORE_SWITCHOVER] = "pause-before-switchover",
    [MIGRATION_CAPABILITY_MULTIFD] = "multifd",
    [MIGRATION_CAPABILITY_DIRTY_BITMAPS] = "dirty-bitmaps",
    [MIGRATION_CAPABILITY_POSTCOPY_BLOCKTIME] = "postcopy-blocktime",
    [MIGRATION_CAPABILITY_LATE_BLOCK_ACTIVATE] = "late-block-activate",
    [MIGRATION_CAPABILITY_X_IGNORE_SHARED] = "x-ignore-shared",
    [MIGRATION_CAPABILITY_VALIDATE_UUID] = "validate-uuid",
    [MIGRATION_CAPABILITY_BACKGROUND_SNAPSHOT] = "background-snapshot",
    [MIGRATION_CAPABILITY_ZERO_COPY_SEND] = "zero-copy-send",
    [MIGRATION_CAPABILITY_POSTCOPY_PREEMPT] = "postcopy-preempt",
};

/*
 * What hintvm implements or may accept: auto-converge, events; zero-blocks
 * (no block migration, so nothing to do); postcopy-ram is accepted so the
 * free page hint device can see it and keep hinting off (hintvm migrates
 * precopy only); return-path and late-block-activate change nothing here.
 */
static const bool capability_supported[MIGRATION_CAPABILITY__MAX] = {
    [MIGRATION_CAPABILITY_AUTO_CONVERGE] = true,
    [MIGRATION_CAPABILITY_ZERO_BLOCKS] = true,
    [MIGRATION_CAPABILITY_EVENTS] = true,
    [MIGRATION_CAPABILITY_POSTCOPY_RAM] = true,
    [MIGRATION_CAPABILITY_RETURN_PATH] = true,
    [MIGRATION_CAPABILITY_LATE_BLOCK_ACTIVATE] = true,
};

static bool capability_values[MIGRATION_CAPABILITY__MAX];

static void parameters_init(void)
{
    if (!parameters_initialised) {
        for (int p = 0; p < MIGRATION_PARAMETER__MAX; p++) {
            parameter_values[p] = parameter_info[p].def;
        }
        parameters_initialised = true;
    }
}

const char *migrate_parameter_name(MigrationParameter p)
{
    return parameter_info[p].name;
}

bool migrate_parameter_is_bool(MigrationParameter p)
{
    return parameter_info[p].is_bool;
}

uint64_t migrate_parameter(MigrationParameter p)
{
    if (!__atomic_load_n(&parameters_initialised, __ATOMIC_ACQUIRE)) {
        return parameter_info[p].def;
    }
    return __atomic_load_n(&parameter_values[p], __ATOMIC_RELAXED);
}

bool migrate_set_parameters(const MigrationParameterUpdate *update, Error **errp)
{
    parameters_init();
    for (int p = 0; p < MIGRATION_PARAMETER__MAX; p++) {
        const ParameterInfo *info = &parameter_info[p];
        int64_t v = update->value[p];

        if (!update->has[p] || info->is_bool) {
            continue;
        }
        if (v < 0 || (uint64_t)v < info->min || (uint64_t)v > info->max) {
            /* QEMU names the parameter with underscores in these messages. */
            g_autofree char *name = g_strdelimit(g_strdup(info->name), "-", '_');
            error_setg(errp, "Parameter '%s' expects %s", name, info->expects);
            return false;
        }
    }
    for (int p = 0; p < MIGRATION_PARAMETER__MAX; p++) {
        if (update->has[p]) {
            __atomic_store_n(&parameter_values[p], update->value[p], __ATOMIC_RELAXED);
        }
    }
    return true;
}

const char *migrate_capability_name(MigrationCapability c)
{
    return capability_names[c];
}

int migrate_capability_lookup(const char *name)
{
    for (int c = 0; c < MIGRATION_CAPABILITY__MAX; c++) {
        if (!strcmp(capability_names[c], name)) {
            return c;
        }
    }
    return -1;
}

bool migrate_capability(MigrationCapability c)
{
    return __atomic_load_n(&capability_values[c], __ATOMIC_RELAXED);
}

bool migrate_set_capabilities(const MigrationCapabilityUpdate *update, Error **errp)
{
    if (migration_is_active()) {
        error_setg(errp, "There's a migration process in progress");
        return false;
    }
    for (int c = 0; c < MIGRATION_CAPABILITY__MAX; c++) {
        if (update->has[c] && update->state[c] && !capability_supported[c]) {
            error_setg(errp, "Capability '%s' is not supported by hintvm",
                       capability_names[c]);
            return false;
        }
    }
    for (int c = 0; c < MIGRATION_CAPABILITY__MAX; c++) {
        if (update->has[c]) {
            __atomic_store_n(&capability_values[c], update->state[c], __ATOMIC_RELAXED);
        }
    }
    return true;
}

bool migrate_postcopy_ram(void)
{
    return migrate_capability(MIGRATION_CAPABILITY_POSTCOPY_RAM);
}
