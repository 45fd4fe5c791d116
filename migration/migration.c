/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Outgoing precopy migration: the state machine and the migration thread.
 *
 * migrate starts the thread, which opens the channel, sets up the bitmaps
 * (BQL held), then sends RAM without the BQL in passes, rate-limited to
 * max-bandwidth, syncing the dirty log after each pass.  When what is left
 * fits downtime-limit at the measured bandwidth it stops the vCPUs, sends
 * the rest of RAM and the device state, and the source ends in postmigrate.
 * On failure or cancel the guest resumes as it was.  The flow and its
 * statuses are in docs/devel/migration-stream.rst.
 */
#include "qemu/osdep.h"
#include "migration/migration.h"
#include "migration/channel.h"
#include "migration/options.h"
#include "migration/qemu-file.h"
#include "migration/ram.h"
#include "migration/stream.h"
#include "exec/ramblock.h"
#include "migration/auto-converge.h"
#include "monitor/monitor.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "sysemu/cpu-throttle.h"
#include "sysemu/runstate.h"

/* Rate limiting and bandwidth figures work in windows of this length. */
#define MIGRATION_WINDOW_NS (100 * SCALE_MS)
/* Send at most this much between checks of the rate, the figures and cancel. */
#define MIGRATION_UNLIMITED_CHUNK (16 * MiB)

typedef struct MigrationState {
    MigrationStatus status; /* atomic; changed with the BQL held */
    GThread *thread;
    QEMUFile *file; /* BQL: migrate_cancel shuts it down */
    char *uri;
    Error *error;
    RunState old_runstate; /* what to go back to on failure */
    bool vm_stopped;       /* the thread stopped the vCPUs */

    int64_t start_ns, setup_ns, end_ns, downtime_start_ns;
    int64_t total_time, setup_time, downtime, expected_downtime;
    uint64_t precopy_bytes, downtime_bytes, final_transferred;

    /* Bandwidth: the current window, and the last pass. */
    int64_t window_ns;
    uint64_t window_bytes, window_pages;
    uint64_t mbps_x1000, pages_per_second;
    int64_t pass_ns;
    uint64_t pass_bytes;
    uint64_t bandwidth; /* bytes/s over the last pass */
    uint64_t last_pass_bytes;
} MigrationState;

static MigrationState current_migration;

static const char *const status_names[MIGRATION_STATUS__MAX] = {
    [MIGRATION_STATUS_NONE] = "none",
    [MIGRATION_STATUS_SETUP] = "setup",
    [MIGRATION_STATUS_CANCELLING] = "cancelling",
    [MIGRATION_STATUS_CANCELLED] = "cancelled",
    [MIGRATION_STATUS_ACTIVE] = "active",
    [MIGRATION_STATUS_DEVICE] = "device",
    [MIGRATION_STATUS_COMPLETED] = "completed",
    [MIGRATION_STATUS_FAILED] = "failed",
};

const char *migration_status_name(MigrationStatus status)
{
    return status < MIGRATION_STATUS__MAX ? status_names[status] : "unknown";
}

/* ---- status ---- */

static MigrationStatus migration_status(void)
{
    return __atomic_load_n(&current_migration.status, __ATOMIC_ACQUIRE);
}

static bool status_is_running(MigrationStatus s)
{
    return s == MIGRATION_STATUS_SETUP || s == MIGRATION_STATUS_ACTIVE ||
           s == MIGRATION_STATUS_DEVICE || s == MIGRATION_STATUS_CANCELLING;
}

bool migration_is_active(void)
{
    return status_is_running(migration_status());
}

void migration_event_status(MigrationStatus status)
{
    if (migrate_events()) {
        JsonObject *data = json_object_new();
        json_object_set_string_member(data, "status", migration_status_name(status));
        qapi_event_send("MIGRATION", data);
    }
}

/* BQL held.  Cancelling is sticky: only cancelled may follow it. */
static void migration_set_status(MigrationStatus status)
{
    MigrationState *s = &current_migration;

    g_assert(bql_locked());
    if (s->status == MIGRATION_STATUS_CANCELLING &&
        status != MIGRATION_STATUS_CANCELLED) {
        return;
    }
    __atomic_store_n(&s->status, status, __ATOMIC_RELEASE);
    migration_event_status(status);
}

static void migration_event_pass(uint64_t pass)
{
    if (migrate_events()) {
        JsonObject *data = json_object_new();
        json_object_set_int_member(data, "pass", pass);
        qapi_event_send("MIGRATION_PASS", data);
    }
}

static uint64_t migration_pass_count(void)
{
    RAMStats stats;

    ram_get_stats(&stats);
    return stats.dirty_sync_count;
}

/* ---- bandwidth ---- */

static void migration_update_window(MigrationState *s, uint64_t transferred, int64_t now)
{
    int64_t elapsed = now - s->window_ns;
    RAMStats stats;
    uint64_t pages;

    if (elapsed < MIGRATION_WINDOW_NS) {
        return;
    }
    ram_get_stats(&stats);
    pages = stats.zero_pages + stats.normal_pages;
    __atomic_store_n(&s->mbps_x1000,
                     (transferred - s->window_bytes) * 8 * 1000000 / elapsed,
                     __ATOMIC_RELAXED);
    __atomic_store_n(&s->pages_per_second,
                     (pages - s->window_pages) * NANOSECONDS_PER_SECOND / elapsed,
                     __ATOMIC_RELAXED);
    s->window_ns = now;
    s->window_bytes = transferred;
    s->window_pages = pages;
}

/*
 * How much may go before the next check; sleeps out the window when the
 * limit is used up.  Returns 0 when the migration was cancelled meanwhile.
 */
static uint64_t migration_rate_budget(MigrationState *s, QEMUFile *f)
{
    uint64_t limit = migrate_max_bandwidth();
    uint64_t per_window = limit / (NANOSECONDS_PER_SECOND / MIGRATION_WINDOW_NS);

    for (;;) {
        int64_t now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
        uint64_t sent = qemu_file_transferred(f);

        migration_update_window(s, sent, now);
        if (migration_status() == MIGRATION_STATUS_CANCELLING) {
            return 0;
        }
        if (!limit) {
            return MIGRATION_UNLIMITED_CHUNK;
        }
        if (sent - s->window_bytes < MAX(per_window, 1)) {
            return MIN(MAX(per_window, 1) - (sent - s->window_bytes),
                       MIGRATION_UNLIMITED_CHUNK);
        }
        g_usleep(MAX((s->window_ns + MIGRATION_WINDOW_NS - now) / SCALE_US, 1000));
    }
}

/* After a pass: measure it, and say whether what is left fits the downtime limit. */
static bool migration_can_switch_over(MigrationState *s, QEMUFile *f)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    uint64_t sent = qemu_file_transferred(f), remaining = ram_bytes_remaining();
    uint64_t bytes = sent - s->pass_bytes;
    int64_t elapsed = MAX(now - s->pass_ns, 1);

    s->bandwidth = MAX(bytes * NANOSECONDS_PER_SECOND / elapsed, 1);
    s->last_pass_bytes = bytes;
    s->pass_ns = now;
    s->pass_bytes = sent;
    __atomic_store_n(&s->expected_downtime, remaining * 1000 / s->bandwidth,
                     __ATOMIC_RELAXED);
    return remaining * 1000 <= s->bandwidth * migrate_downtime_limit();
}

/* ---- the thread ---- */

static void migration_fail(MigrationState *s, Error *err)
{
    if (!s->error && err) {
        s->error = err;
    } else {
        error_free(err);
    }
}

/* Error of the stream, in words the user reads in error-desc. */
static Error *migration_file_error(QEMUFile *f)
{
    Error *err = NULL;
    int ret = qemu_file_get_error(f);

    error_setg_errno(&err, ret < 0 ? -ret : EIO, "failed to write the migration stream");
    return err;
}

static bool migration_setup(MigrationState *s, QEMUFile *f, Error **errp)
{
    bool ok;

    bql_lock();
    s->file = f;
    ok = migration_status() != MIGRATION_STATUS_CANCELLING && ram_save_setup(errp) &&
         precopy_notify(PRECOPY_NOTIFY_SETUP, errp) == 0;
    if (ok) {
        migration_event_pass(migration_pass_count());
        migration_stream_put_start(f);
        s->setup_time = (qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - s->start_ns) / SCALE_MS;
        s->pass_ns = s->window_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
        migration_set_status(MIGRATION_STATUS_ACTIVE);
    }
    bql_unlock();
    return ok;
}

/* Precopy passes until the rest fits the downtime limit. */
static bool migration_iterate(MigrationState *s, QEMUFile *f)
{
    for (;;) {
        uint64_t budget = migration_rate_budget(s, f);
        bool pass_done;
        uint64_t dirtied;

        if (!budget) {
            return false;
        }
        if (!ram_save_iterate(f, budget, &pass_done)) {
            return false;
        }
        if (!pass_done) {
            continue;
        }
        dirtied = ram_bitmap_sync(false) * TARGET_PAGE_SIZE;
        bql_lock();
        migration_event_pass(migration_pass_count());
        bql_unlock();
        if (migration_can_switch_over(s, f)) {
            return true;
        }
        auto_converge_after_sync(dirtied, s->last_pass_bytes);
    }
}

/* vCPUs stopped: the rest of RAM, the devices, the end.  BQL held. */
static bool migration_complete(MigrationState *s, QEMUFile *f, Error **errp)
{
    s->downtime_start_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    s->old_runstate = runstate_get();
    s->precopy_bytes = qemu_file_transferred(f);
    if (runstate_is_running()) {
        vm_stop(RUN_STATE_FINISH_MIGRATE);
        s->vm_stopped = true;
    } else {
        runstate_set(RUN_STATE_FINISH_MIGRATE);
    }
    migration_set_status(MIGRATION_STATUS_DEVICE);
    ram_bitmap_sync(true);
    if (!ram_save_complete(f) || !migration_stream_put_end(f, s->vm_stopped, errp) ||
        qemu_fflush(f)) {
        return false;
    }
    s->downtime_bytes = qemu_file_transferred(f) - s->precopy_bytes;
    return precopy_notify(PRECOPY_NOTIFY_COMPLETE, errp) == 0;
}

/* The end, whatever it is: BQL held. */
static void migration_cleanup(MigrationState *s, bool completed, GPid child)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    QEMUFile *f = s->file;
    int ret = 0;

    s->file = NULL;
    if (f) {
        s->final_transferred = qemu_file_transferred(f);
        ret = qemu_fclose(f);
    }
    /* An exec: command has the stream only once it exits. */
    migration_channel_reap(child);
    if (completed && ret < 0) {
        error_setg_errno(&s->error, -ret, "failed to finish the migration stream");
        completed = false;
    }
    auto_converge_stop();
    if (ram_dirty_log_is_enabled()) {
        ram_save_cleanup();
    }
    precopy_notify(PRECOPY_NOTIFY_CLEANUP, NULL);
    s->end_ns = now;
    s->total_time = (now - s->start_ns) / SCALE_MS;
    if (completed) {
        s->downtime = (now - s->downtime_start_ns) / SCALE_MS;
        runstate_set(RUN_STATE_POSTMIGRATE);
        migration_set_status(MIGRATION_STATUS_COMPLETED);
        return;
    }
    /* The guest goes on as if nothing happened. */
    if (s->vm_stopped) {
        s->vm_stopped = false;
        vm_start();
    } else if (runstate_get() == RUN_STATE_FINISH_MIGRATE) {
        runstate_set(s->old_runstate);
    }
    if (migration_status() == MIGRATION_STATUS_CANCELLING) {
        migration_set_status(MIGRATION_STATUS_CANCELLED);
    } else {
        if (!s->error) {
            error_setg(&s->error, "migration failed");
        }
        error_report("%s", error_get_pretty(s->error));
        migration_set_status(MIGRATION_STATUS_FAILED);
    }
}

static gpointer migration_thread(gpointer opaque)
{
    MigrationState *s = opaque;
    Error *err = NULL;
    QEMUFile *f = NULL;
    GPid child = 0;
    bool completed = false;
    int fd = migration_channel_connect(s->uri, &child, &err);

    if (fd >= 0) {
        f = qemu_file_new_fd_output(fd);
        if (migration_setup(s, f, &err) && migration_iterate(s, f)) {
            bql_lock();
            completed = migration_complete(s, f, &err);
            bql_unlock();
        }
        if (!completed && !err && qemu_file_get_error(f)) {
            err = migration_file_error(f);
        }
    }
    bql_lock();
    if (!s->file && f) {
        /* Setup never took it. */
        s->file = f;
    }
    migration_fail(s, err);
    migration_cleanup(s, completed, child);
    bql_unlock();
    return NULL;
}

bool migrate_start(const char *uri, Error **errp)
{
    MigrationState *s = &current_migration;

    g_assert(bql_locked());
    if (migration_is_active()) {
        error_setg(errp, "There's a migration process in progress");
        return false;
    }
    if (runstate_get() == RUN_STATE_INMIGRATE) {
        error_setg(errp, "Guest is waiting for an incoming migration");
        return false;
    }
    if (!migration_channel_check_uri(uri, errp)) {
        return false;
    }
    if (s->thread) {
        g_thread_join(s->thread);
        s->thread = NULL;
    }
    g_free(s->uri);
    error_free(s->error);
    *s = (MigrationState){
        .uri = g_strdup(uri),
        .start_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME),
        .old_runstate = runstate_get(),
    };
    migration_set_status(MIGRATION_STATUS_SETUP);
    s->thread = g_thread_new("live_migration", migration_thread, s);
    return true;
}

void migrate_cancel(void)
{
    MigrationState *s = &current_migration;
    MigrationStatus status = migration_status();

    if (status != MIGRATION_STATUS_SETUP && status != MIGRATION_STATUS_ACTIVE &&
        status != MIGRATION_STATUS_DEVICE) {
        return;
    }
    migration_set_status(MIGRATION_STATUS_CANCELLING);
    if (s->file) {
        qemu_file_shutdown(s->file);
    }
}

void migration_shutdown(void)
{
    MigrationState *s = &current_migration;

    migrate_cancel();
    if (s->thread) {
        bql_unlock();
        g_thread_join(s->thread);
        bql_lock();
        s->thread = NULL;
    }
}

void migration_get_info(MigrationInfo *info)
{
    MigrationState *s = &current_migration;
    MigrationStatus status = migration_status();
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);

    memset(info, 0, sizeof(*info));
    if (status == MIGRATION_STATUS_NONE && migration_incoming_get_info(info)) {
        return;
    }
    info->status = status;
    if (status == MIGRATION_STATUS_NONE) {
        return;
    }
    info->setup_time = s->setup_time;
    info->pass = migration_pass_count();
    info->mbps_x1000 = __atomic_load_n(&s->mbps_x1000, __ATOMIC_RELAXED);
    info->pages_per_second = __atomic_load_n(&s->pages_per_second, __ATOMIC_RELAXED);
    info->throttle_percentage = cpu_throttle_get_percentage();
    if (status_is_running(status)) {
        info->total_time = (now - s->start_ns) / SCALE_MS;
        info->transferred = s->file ? qemu_file_transferred(s->file) : 0;
        info->precopy_bytes = info->transferred;
        info->has_expected_downtime = true;
        info->expected_downtime =
            __atomic_load_n(&s->expected_downtime, __ATOMIC_RELAXED);
        if (!info->expected_downtime) {
            info->expected_downtime = migrate_downtime_limit();
        }
        return;
    }
    info->total_time = s->total_time;
    info->transferred = s->final_transferred;
    info->precopy_bytes =
        status == MIGRATION_STATUS_COMPLETED ? s->precopy_bytes : s->final_transferred;
    info->downtime_bytes = s->downtime_bytes;
    if (status == MIGRATION_STATUS_COMPLETED) {
        info->has_downtime = true;
        info->downtime = s->downtime;
    }
    if (status == MIGRATION_STATUS_FAILED && s->error) {
        info->error_desc = g_strdup(error_get_pretty(s->error));
    }
}
