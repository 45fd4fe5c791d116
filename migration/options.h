/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migration parameters and capabilities with QEMU's names, defaults and
 * error messages (migrate-set-parameters, migrate-set-capabilities).
 */
#ifndef MIGRATION_OPTIONS_H
#define MIGRATION_OPTIONS_H

#include "qemu/osdep.h"

typedef struct Error Error;

typedef enum MigrationParameter {
    MIGRATION_PARAMETER_ANNOUNCE_INITIAL,
    MIGRATION_PARAMETER_ANNOUNCE_MAX,
    MIGRATION_PARAMETER_ANNOUNCE_ROUNDS,
    MIGRATION_PARAMETER_ANNOUNCE_STEP,
    MIGRATION_PARAMETER_THROTTLE_TRIGGER_THRESHOLD,
    MIGRATION_PARAMETER_CPU_THROTTLE_INITIAL,
    MIGRATION_PARAMETER_CPU_THROTTLE_INCREMENT,
    MIGRATION_PARAMETER_CPU_THROTTLE_TAILSLOW,
    MIGRATION_PARAMETER_MAX_BANDWIDTH,
    MIGRATION_PARAMETER_DOWNTIME_LIMIT,
    MIGRATION_PARAMETER_MAX_POSTCOPY_BANDWIDTH,
    MIGRATION_PARAMETER_MAX_CPU_THROTTLE,
    MIGRATION_PARAMETER_MULTIFD_CHANNELS,
    MIGRATION_PARAMETER__MAX,
} MigrationParameter;

typedef enum MigrationCapability {
    MIGRATION_CAPABILITY_XBZRLE,
    MIGRATION_CAPABILITY_RDMA_PIN_ALL,
    MIGRATION_CAPABILITY_AUTO_CONVERGE,
    MIGRATION_CAPABILITY_ZERO_BLOCKS,
    MIGRATION_CAPABILITY_COMPRESS,
    MIGRATION_CAPABILITY_EVENTS,
    MIGRATION_CAPABILITY_POSTCOPY_RAM,
    MIGRATION_CAPABILITY_X_COLO,
    MIGRATION_CAPABILITY_RELEASE_RAM,
    MIGRATION_CAPABILITY_BLOCK,
    MIGRATION_CAPABILITY_RETURN_PATH,
    MIGRATION_CAPABILITY_PAUSE_BEFORE_SWITCHOVER,
    MIGRATION_CAPABILITY_MULTIFD,
    MIGRATION_CAPABILITY_DIRTY_BITMAPS,
    MIGRATION_CAPABILITY_POSTCOPY_BLOCKTIME,
    MIGRATION_CAPABILITY_LATE_BLOCK_ACTIVATE,
    MIGRATION_CAPABILITY_X_IGNORE_SHARED,
    MIGRATION_CAPABILITY_VALIDATE_UUID,
    MIGRATION_CAPABILITY_BACKGROUND_SNAPSHOT,
    MIGRATION_CAPABILITY_ZERO_COPY_SEND,
    MIGRATION_CAPABILITY_POSTCOPY_PREEMPT,
    MIGRATION_CAPABILITY__MAX,
} MigrationCapability;

/* QMP name ("max-bandwidth"), and whether the value is a boolean. */
const char *migrate_parameter_name(MigrationParameter p);
bool migrate_parameter_is_bool(MigrationParameter p);
/* Current value (booleans as 0/1); any thread. */
uint64_t migrate_parameter(MigrationParameter p);

/* A set of new values: has[p] says which are given. */
typedef struct MigrationParameterUpdate {
    bool has[MIGRATION_PARAMETER__MAX];
    int64_t value[MIGRATION_PARAMETER__MAX];
} MigrationParameterUpdate;

/* Check every given value, then apply them all (or none); BQL held. */
bool migrate_set_parameters(const MigrationParameterUpdate *update, Error **errp);

const char *migrate_capability_name(MigrationCapability c);
/* The capability named @name, or -1. */
int migrate_capability_lookup(const char *name);
bool migrate_capability(MigrationCapability c);

typedef struct MigrationCapabilityUpdate {
    bool has[MIGRATION_CAPABILITY__MAX];
    bool state[MIGRATION_CAPABILITY__MAX];
} MigrationCapabilityUpdate;

/* Refused while a migration runs, and for capabilities hintvm lacks; BQL held. */
bool migrate_set_capabilities(const MigrationCapabilityUpdate *update, Error **errp);

/* Shorthands the migration code uses. */
static inline uint64_t migrate_max_bandwidth(void)
{
    return migrate_parameter(MIGRATION_PARAMETER_MAX_BANDWIDTH);
}

static inline uint64_t migrate_downtime_limit(void)
{
    return migrate_parameter(MIGRATION_PARAMETER_DOWNTIME_LIMIT);
}

static inline bool migrate_events(void)
{
    return migrate_capability(MIGRATION_CAPABILITY_EVENTS);
}

#endif
