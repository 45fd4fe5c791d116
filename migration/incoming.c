/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Incoming migration.  The channel is accepted (or opened) on the main loop;
 * an incoming thread then reads the stream with blocking reads, writing RAM
 * without the BQL (no vCPU runs in the inmigrate state) and taking the BQL
 * to apply the device state.  Its result goes back to the main loop, which
 * runs the guest (or, with -S, leaves it paused) or, for a stream that was
 * not whole and well formed, reports what was wrong and exits non-zero: a
 * guest is never run from a broken stream.
 */
#include "qemu/osdep.h"
#include "migration/migration.h"
#include "migration/channel.h"
#include "migration/qemu-file.h"
#include "migration/stream.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "sysemu/runstate.h"

typedef struct MigrationIncoming {
    MigrationStatus status; /* BQL */
    bool expected;          /* -incoming was given */
    bool deferred;          /* -incoming defer, not started yet */
    bool autostart;
    GThread *thread;
    QEMUFile *file;
    GPid child;
    bool ok;
    bool source_running; /* the guest ran on the source until the switchover */
    Error *error;
    int64_t start_ns, total_time;
    uint64_t transferred;
} MigrationIncoming;

static MigrationIncoming incoming;

static void incoming_set_status(MigrationStatus status)
{
    incoming.status = status;
    migration_event_status(status);
}

/* Main loop, BQL held: the thread is done. */
static gboolean incoming_finish(gpointer opaque)
{
    g_thread_join(incoming.thread);
    incoming.thread = NULL;
    incoming.transferred = qemu_file_transferred(incoming.file);
    qemu_fclose(incoming.file);
    incoming.file = NULL;
    migration_channel_reap(incoming.child);
    incoming.total_time =
        (qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - incoming.start_ns) / SCALE_MS;
    if (!incoming.ok) {
        incoming_set_status(MIGRATION_STATUS_FAILED);
        error_prepend(&incoming.error, "load of migration failed: ");
        error_report_err(incoming.error);
        exit(EXIT_FAILURE);
    }
    incoming_set_status(MIGRATION_STATUS_COMPLETED);
    /* As QEMU: a guest paused on the source stays paused here. */
    if (incoming.autostart && incoming.source_running) {
        vm_start();
    } else {
        runstate_set(RUN_STATE_PAUSED);
    }
    return G_SOURCE_REMOVE;
}

static gpointer incoming_thread(gpointer opaque)
{
    incoming.ok =
        migration_stream_load(incoming.file, &incoming.source_running, &incoming.error);
    /* The main loop closes the file: query-migrate reads its count meanwhile. */
    g_idle_add(incoming_finish, NULL);
    return NULL;
}

/* Main loop, BQL held: the source is there. */
static void incoming_ready(int fd, GPid child, void *opaque)
{
    incoming.start_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    incoming.file = qemu_file_new_fd_input(fd);
    incoming.child = child;
    incoming_set_status(MIGRATION_STATUS_ACTIVE);
    incoming.thread = g_thread_new("mig/dst", incoming_thread, NULL);
}

static bool incoming_listen(const char *uri, Error **errp)
{
    if (!migration_channel_listen(uri, incoming_ready, NULL, errp)) {
        return false;
    }
    incoming_set_status(MIGRATION_STATUS_SETUP);
    return true;
}

bool migration_incoming_init(const char *uri, bool autostart, Error **errp)
{
    incoming.expected = true;
    incoming.autostart = autostart;
    runstate_set(RUN_STATE_INMIGRATE);
    if (!strcmp(uri, "defer")) {
        incoming.deferred = true;
        return true;
    }
    return incoming_listen(uri, errp);
}

bool migration_incoming_start(const char *uri, Error **errp)
{
    if (!incoming.expected) {
        error_setg(errp, "'-incoming' was not specified on the command line");
        return false;
    }
    if (!incoming.deferred) {
        error_setg(errp, "The incoming migration has already been started");
        return false;
    }
    if (!incoming_listen(uri, errp)) {
        return false;
    }
    incoming.deferred = false;
    return true;
}

bool migration_incoming_get_info(MigrationInfo *info)
{
    if (incoming.status == MIGRATION_STATUS_NONE) {
        return false;
    }
    info->incoming = true;
    info->status = incoming.status;
    info->transferred =
        incoming.file ? qemu_file_transferred(incoming.file) : incoming.transferred;
    info->total_time = incoming.total_time;
    if (incoming.status == MIGRATION_STATUS_ACTIVE) {
        info->total_time =
            (qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - incoming.start_ns) / SCALE_MS;
    }
    return true;
}
