/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The migration state machine, shared by the files of migration/ (not a public header:
 * others use include/migration/misc.h).  Statuses, run states and their
 * order are QEMU's; docs/devel/migration-stream.rst describes the flow.
 */
#ifndef MIGRATION_MIGRATION_H
#define MIGRATION_MIGRATION_H

#include "migration/misc.h"

typedef enum MigrationStatus {
    MIGRATION_STATUS_NONE,
    MIGRATION_STATUS_SETUP,
    MIGRATION_STATUS_CANCELLING,
    MIGRATION_STATUS_CANCELLED,
    MIGRATION_STATUS_ACTIVE,
    MIGRATION_STATUS_DEVICE,
    MIGRATION_STATUS_COMPLETED,
    MIGRATION_STATUS_FAILED,
    MIGRATION_STATUS__MAX,
} MigrationStatus;

const char *migration_status_name(MigrationStatus status);

/* What query-migrate reports; all times in ms, rates per second. */
typedef struct MigrationInfo {
    MigrationStatus status;
    bool incoming; /* the figures are the destination's */
    int64_t total_time, setup_time, downtime, expected_downtime;
    bool has_downtime, has_expected_downtime;
    uint64_t transferred, precopy_bytes, downtime_bytes;
    uint64_t mbps_x1000; /* megabits per second, times 1000 */
    uint64_t pages_per_second;
    uint64_t pass; /* bitmap syncs so far */
    int throttle_percentage;
    char *error_desc; /* failed only; caller frees */
} MigrationInfo;

/* Fill @info about the current or last migration (either direction); BQL held. */
void migration_get_info(MigrationInfo *info);

/* QMP migrate: validate, then start the migration thread.  BQL held. */
bool migrate_start(const char *uri, Error **errp);
/* QMP migrate_cancel: no-op unless a migration runs.  BQL held. */
void migrate_cancel(void);

/* Run the precopy notifiers; returns the first failure. */
int precopy_notify(PrecopyNotifyReason reason, Error **errp);

/* Emit MIGRATION {status} if the events capability is on; BQL held. */
void migration_event_status(MigrationStatus status);

/* ---- destination (migration/incoming.c) ---- */

/* QMP migrate-incoming. */
bool migration_incoming_start(const char *uri, Error **errp);
/* Destination status and figures, or false when this is no destination. */
bool migration_incoming_get_info(MigrationInfo *info);

#endif
