/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-balloon free page hinting (virtio 1.x section 5.5.6.7) and free page
 * reporting (section 5.5.6.8), plus the test/debug QMP commands
 * x-balloon-free-page-hint and x-query-balloon-free-page-hint.
 *
 * Hint protocol: the host writes a fresh cmd_id into config space and raises
 * a config interrupt; the driver answers on the free page queue with a 4-byte
 * out-buffer holding that id, then one in-buffer per free block, then an
 * out-buffer holding STOP.  A block counts only while the id the driver
 * announced is the host's current one; anything else is stale and dropped
 * (docs/devel/migration/free-page-hint.rst, "The correctness rule").  A
 * block outside guest RAM or not page-aligned is the driver's mistake: it is
 * dropped, counted and logged under -d guest_errors.
 *
 * Threads: the free page queue runs on the device's IOThread without the
 * BQL.  hint_lock guards the cmd_id state and the counters; the migration
 * sink's bitmap mutex, when registered, is taken before hint_lock.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-balloon.h"
#include "migration/misc.h"
#include "migration/ram.h"
#include "monitor/monitor.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qom/object.h"
#include "sysemu/runstate.h"

/* The migration code's sink; set with the BQL, read by the IOThread under hint_lock. */
static VirtIOBalloonHintFunc *hint_sink_fn;
static void *hint_sink_opaque;
static GMutex *hint_sink_bitmap_mutex;

void virtio_balloon_set_free_page_hint_sink(VirtIOBalloonHintFunc *fn, void *opaque,
                                            GMutex *bitmap_mutex)
{
    VirtIOBalloon *s = virtio_balloon_get();

    if (s) {
        g_mutex_lock(&s->hint_lock);
    }
    hint_sink_fn = fn;
    hint_sink_opaque = opaque;
    hint_sink_bitmap_mutex = fn ? bitmap_mutex : NULL;
    if (s) {
        g_mutex_unlock(&s->hint_lock);
    }
}

bool virtio_balloon_free_page_hint_active(void)
{
    VirtIOBalloon *s = virtio_balloon_get();

    return s && s->free_page_hint &&
           virtio_vdev_has_feature(&s->vdev, VIRTIO_BALLOON_F_FREE_PAGE_HINT) &&
           (s->vdev.status & VIRTIO_CONFIG_S_DRIVER_OK);
}

static const char *const hint_status_names[] = {
    [VIRTIO_BALLOON_HINT_STOP] = "stop",
    [VIRTIO_BALLOON_HINT_REQUESTED] = "requested",
    [VIRTIO_BALLOON_HINT_START] = "start",
    [VIRTIO_BALLOON_HINT_DONE] = "done",
};

const char *virtio_balloon_hint_status_name(VirtIOBalloonHintStatus status)
{
    return hint_status_names[status];
}

/* Publish @cmd_id in config space and tell the driver (section 5.5.6.7.1). */
static void hint_set_cmd_id(VirtIOBalloon *s, uint32_t cmd_id)
{
    g_mutex_lock(&s->hint_lock);
    __atomic_store_n(&s->cmd_id, cmd_id, __ATOMIC_RELEASE);
    s->hint_status = cmd_id == VIRTIO_BALLOON_CMD_ID_STOP   ? VIRTIO_BALLOON_HINT_STOP
                     : cmd_id == VIRTIO_BALLOON_CMD_ID_DONE ? VIRTIO_BALLOON_HINT_DONE
                                                            : VIRTIO_BALLOON_HINT_REQUESTED;
    g_mutex_unlock(&s->hint_lock);
    /* Takes the BQL itself; hint_lock is released first to keep BQL -> locks order. */
    virtio_notify_config(&s->vdev);
}

bool virtio_balloon_free_page_start(void)
{
    VirtIOBalloon *s = virtio_balloon_get();
    uint32_t id;

    if (!s || !s->free_page_hint) {
        return false;
    }
    /*
     * A guest that poisons free pages expects poison_val in them when it
     * allocates them again; a hinted page is never sent, so the destination
     * would hand it zeroes.  Such a guest is migrated without hints.
     */
    if (s->poison_val) {
        return false;
    }
    g_mutex_lock(&s->hint_lock);
    id = s->next_cmd_id;
    /* Never 0/1 and never reused soon: wrap within QEMU's range of host ids. */
    s->next_cmd_id = id == UINT32_MAX ? VIRTIO_BALLOON_CMD_ID_MIN : id + 1;
    s->hints_outstanding = true;
    g_mutex_unlock(&s->hint_lock);
    hint_set_cmd_id(s, id);
    return true;
}

void virtio_balloon_free_page_stop(void)
{
    VirtIOBalloon *s = virtio_balloon_get();

    /* Only a request stops: STOP must never hide a DONE the driver has not read. */
    if (s && s->free_page_hint &&
        __atomic_load_n(&s->cmd_id, __ATOMIC_ACQUIRE) >= VIRTIO_BALLOON_CMD_ID_MIN) {
        hint_set_cmd_id(s, VIRTIO_BALLOON_CMD_ID_STOP);
    }
}

void virtio_balloon_free_page_done(void)
{
    VirtIOBalloon *s = virtio_balloon_get();

    if (s && s->free_page_hint) {
        g_mutex_lock(&s->hint_lock);
        s->hints_outstanding = false;
        g_mutex_unlock(&s->hint_lock);
        hint_set_cmd_id(s, VIRTIO_BALLOON_CMD_ID_DONE);
    }
}

bool virtio_balloon_free_page_hint_stats(VirtIOBalloonHintStats *stats)
{
    VirtIOBalloon *s = virtio_balloon_get();

    if (!s) {
        return false;
    }
    g_mutex_lock(&s->hint_lock);
    stats->cmd_id = s->cmd_id;
    stats->guest_cmd_id = s->guest_cmd_id;
    stats->status = s->hint_status;
    stats->hints = s->hints;
    stats->hinted_bytes = s->hinted_bytes;
    stats->stale_hints = s->stale_hints;
    stats->invalid_hints = s->invalid_hints;
    g_mutex_unlock(&s->hint_lock);
    return true;
}

void virtio_balloon_hint_reset(VirtIOBalloon *s)
{
    /*
     * A reset driver forgets its hints; the host's request is gone too.  The
     * next start uses a new id, so nothing announced before counts.
     */
    g_mutex_lock(&s->hint_lock);
    s->guest_cmd_id = VIRTIO_BALLOON_CMD_ID_STOP;
    __atomic_store_n(&s->cmd_id, VIRTIO_BALLOON_CMD_ID_STOP, __ATOMIC_RELEASE);
    s->hint_status = VIRTIO_BALLOON_HINT_STOP;
    s->hints_outstanding = false;
    g_mutex_unlock(&s->hint_lock);
}

static void hint_migration_round_over(uint32_t cmd_id);

/* The driver announced @id (its answer to a request) or STOP (its end). */
static void hint_guest_cmd_id(VirtIOBalloon *s, uint32_t id)
{
    uint32_t finished = VIRTIO_BALLOON_CMD_ID_STOP;

    g_mutex_lock(&s->hint_lock);
    if (id == VIRTIO_BALLOON_CMD_ID_DONE) {
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-balloon: driver sent the DONE cmd_id\n");
        id = VIRTIO_BALLOON_CMD_ID_STOP;
    }
    if (id == s->cmd_id && id >= VIRTIO_BALLOON_CMD_ID_MIN) {
        s->hint_status = VIRTIO_BALLOON_HINT_START;
    } else if (id == VIRTIO_BALLOON_CMD_ID_STOP && s->hint_status == VIRTIO_BALLOON_HINT_START &&
               s->guest_cmd_id == s->cmd_id) {
        /* The driver has sent all it had for the current id. */
        s->hint_status = VIRTIO_BALLOON_HINT_STOP;
        finished = s->cmd_id;
    }
    s->guest_cmd_id = id;
    g_mutex_unlock(&s->hint_lock);
    if (finished != VIRTIO_BALLOON_CMD_ID_STOP) {
        hint_migration_round_over(finished);
    }
}

/* A hinted block must be whole pages of guest RAM (section 5.5.6.7.1). */
static bool hint_block_valid(VirtIOBalloon *s, hwaddr gpa, uint64_t len)
{
    uint64_t ram_size = s->ram_pages << VIRTIO_BALLOON_PFN_SHIFT;

    return len && !(gpa & (VIRTIO_BALLOON_PAGE_SIZE - 1)) &&
           !(len & (VIRTIO_BALLOON_PAGE_SIZE - 1)) && gpa >= s->ram_base &&
           gpa - s->ram_base < ram_size && len <= ram_size - (gpa - s->ram_base);
}

/*
 * One free block [gpa, gpa + len).  The bitmap mutex is held across the
 * check and the sink call: a sync cannot slip between "this id is current"
 * and "clear the bits".
 */
static void hint_block(VirtIOBalloon *s, hwaddr gpa, uint64_t len)
{
    GMutex *bitmap_mutex;
    VirtIOBalloonHintFunc *fn;
    void *opaque;
    bool current;

    if (!hint_block_valid(s, gpa, len)) {
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-balloon: free page hint 0x%" HWADDR_PRIx
                      "+0x%" PRIx64 " is not whole pages of guest RAM, dropped\n", gpa, len);
        g_mutex_lock(&s->hint_lock);
        s->invalid_hints++;
        g_mutex_unlock(&s->hint_lock);
        return;
    }
    g_mutex_lock(&s->hint_lock);
    bitmap_mutex = hint_sink_bitmap_mutex;
    g_mutex_unlock(&s->hint_lock);
    if (bitmap_mutex) {
        g_mutex_lock(bitmap_mutex);
    }
    g_mutex_lock(&s->hint_lock);
    current = s->guest_cmd_id >= VIRTIO_BALLOON_CMD_ID_MIN && s->guest_cmd_id == s->cmd_id;
    if (current) {
        s->hints++;
        s->hinted_bytes += len;
    } else {
        s->stale_hints++;
    }
    fn = hint_sink_fn;
    opaque = hint_sink_opaque;
    g_mutex_unlock(&s->hint_lock);
    if (current && fn) {
        fn(opaque, gpa, len);
    }
    if (bitmap_mutex) {
        g_mutex_unlock(bitmap_mutex);
    }
}

void virtio_balloon_handle_free_page_vq(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBalloon *s = container_of(vdev, VirtIOBalloon, vdev);
    VirtQueueElement *elem;
    bool pushed = false;

    while ((elem = virtqueue_pop(vq))) {
        if (elem->out_num) {
            uint8_t *p = elem->out_sg[0].iov_base;

            if (elem->out_sg[0].iov_len < 4) {
                qemu_log_mask(LOG_GUEST_ERROR, "virtio-balloon: free page cmd_id "
                              "buffer of %zu bytes\n", elem->out_sg[0].iov_len);
            } else {
                hint_guest_cmd_id(s, p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24);
            }
        }
        for (unsigned int i = 0; i < elem->in_num; i++) {
            hint_block(s, elem->in_addr[i], elem->in_sg[i].iov_len);
        }
        /* Nothing written: the guest keeps the blocks until it sees DONE. */
        virtqueue_push(vq, elem, 0);
        g_free(elem);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

/*
 * Free page reporting (section 5.5.6.8): each in-buffer is free memory the
 * host may reclaim.  With page poisoning the guest expects the poison value
 * to stay, so the pages are then left alone (as QEMU does).
 */
void virtio_balloon_handle_report_vq(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBalloon *s = container_of(vdev, VirtIOBalloon, vdev);
    VirtQueueElement *elem;
    bool pushed = false;

    while ((elem = virtqueue_pop(vq))) {
        for (unsigned int i = 0; i < elem->in_num && !s->poison_val; i++) {
            hwaddr gpa = elem->in_addr[i];
            uint64_t len = elem->in_sg[i].iov_len;

            if (gpa & (VIRTIO_BALLOON_PAGE_SIZE - 1) || len & (VIRTIO_BALLOON_PAGE_SIZE - 1)) {
                qemu_log_mask(LOG_GUEST_ERROR, "virtio-balloon: reported range 0x%"
                              HWADDR_PRIx "+0x%" PRIx64 " is not page aligned\n", gpa, len);
                continue;
            }
            virtio_balloon_discard_range(gpa, len);
            s->reported_bytes += len;
        }
        virtqueue_push(vq, elem, 0);
        g_free(elem);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

/* ---- test/debug QMP commands (experimental "x-" names, not a stable API) ---- */

static JsonNode *qmp_x_balloon_free_page_hint(JsonObject *args, Error **errp)
{
    const char *action = json_object_get_string_member(args, "action");
    VirtIOBalloon *s = virtio_balloon_get();

    if (!s) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_ACTIVE, "No balloon device has been activated");
        return NULL;
    }
    if (!s->free_page_hint) {
        error_setg(errp, "The balloon device does not have free-page-hint=on");
        return NULL;
    }
    if (!strcmp(action, "start")) {
        if (s->poison_val) {
            error_setg(errp, "The guest poisons free pages (poison_val 0x%x): free page "
                       "hints are off", s->poison_val);
            return NULL;
        }
        virtio_balloon_free_page_start();
    } else if (!strcmp(action, "stop")) {
        virtio_balloon_free_page_stop();
    } else if (!strcmp(action, "done")) {
        virtio_balloon_free_page_done();
    } else {
        error_setg(errp, "Parameter 'action' does not accept value '%s'", action);
    }
    return NULL;
}

static JsonNode *qmp_x_query_balloon_free_page_hint(JsonObject *args, Error **errp)
{
    VirtIOBalloonHintStats st;
    JsonObject *info;

    if (!virtio_balloon_free_page_hint_stats(&st)) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_ACTIVE, "No balloon device has been activated");
        return NULL;
    }
    info = json_object_new();
    json_object_set_int_member(info, "cmd-id", st.cmd_id);
    json_object_set_int_member(info, "guest-cmd-id", st.guest_cmd_id);
    json_object_set_int_member(info, "hints", st.hints);
    json_object_set_int_member(info, "hinted-bytes", st.hinted_bytes);
    json_object_set_int_member(info, "stale-hints", st.stale_hints);
    json_object_set_int_member(info, "invalid-hints", st.invalid_hints);
    json_object_set_string_member(info, "status", virtio_balloon_hint_status_name(st.status));
    json_object_set_int_member(info, "reported-bytes", virtio_balloon_get()->reported_bytes);
    return qmp_node_from_object(info);
}

/*
 * ---- Hints for precopy migration ----
 * The migration core runs the precopy notifiers; what hinting does at each
 * of them is the device's business (docs/devel/migration/free-page-hint.rst):
 *
 *   SETUP              register the sink, ask for hints, hold the first pass
 *   BEFORE_BITMAP_SYNC STOP: hints made before the sync are stale after it
 *   AFTER_BITMAP_SYNC  a fresh cmd_id, under which the guest hints again
 *   COMPLETE, CLEANUP  DONE (completion, failure, cancel); unregister
 *
 * and DONE whenever the VM stops.  With postcopy-ram on, nothing is asked.
 */

typedef struct HintMigration {
    PrecopyNotifier notifier;
    bool active;                /* this migration uses hints; BQL */
    bool used;                  /* the last migration used hints (query-migrate) */
    uint32_t first_cmd_id;      /* asked at setup; its end releases the first pass */
    uint64_t rounds;            /* cmd_ids asked in this migration */
    uint64_t stale_base, invalid_base;  /* device counters at setup */
    uint64_t stale, invalid;            /* frozen at the end */
} HintMigration;

static HintMigration hint_migration;

/* The sink: runs on the IOThread with the bitmap mutex held (see hint_block). */
static void hint_to_ram(void *opaque, hwaddr gpa, uint64_t len)
{
    ram_guest_free_page_hint(gpa, len);
}

static void hint_migration_round_over(uint32_t cmd_id)
{
    uint32_t first = __atomic_load_n(&hint_migration.first_cmd_id, __ATOMIC_ACQUIRE);

    if (first != VIRTIO_BALLOON_CMD_ID_STOP && cmd_id == first) {
        ram_first_pass_release();
    }
}

/* Ask for a round; false if the driver is not there to answer. */
static bool hint_migration_ask(void)
{
    if (!virtio_balloon_free_page_hint_active() || !virtio_balloon_free_page_start()) {
        return false;
    }
    __atomic_fetch_add(&hint_migration.rounds, 1, __ATOMIC_RELAXED);
    return true;
}

static void hint_migration_setup(VirtIOBalloon *s)
{
    VirtIOBalloonHintStats st;

    virtio_balloon_free_page_hint_stats(&st);
    hint_migration.active = hint_migration.used = true;
    hint_migration.rounds = 0;
    hint_migration.stale_base = st.stale_hints;
    hint_migration.invalid_base = st.invalid_hints;
    virtio_balloon_set_free_page_hint_sink(hint_to_ram, NULL, ram_bitmap_mutex());
    /*
     * Every page was marked just before this notifier: that marking is the
     * sync preceding this round, so its hints may clear bits.  Asking now
     * rather than after the first pass lets the hints arrive before the
     * first pass reaches their pages; the first pass waits a little for
     * them (ram_first_pass_hold), never longer than the bound.
     */
    if (hint_migration_ask()) {
        __atomic_store_n(&hint_migration.first_cmd_id,
                         __atomic_load_n(&s->cmd_id, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
        if (s->hint_first_wait_ms) {
            ram_first_pass_hold(s->hint_first_wait_ms);
        }
    }
}

static void hint_migration_end(void)
{
    VirtIOBalloonHintStats st;

    if (!hint_migration.active) {
        return;
    }
    hint_migration.active = false;
    __atomic_store_n(&hint_migration.first_cmd_id, VIRTIO_BALLOON_CMD_ID_STOP,
                     __ATOMIC_RELEASE);
    ram_first_pass_release();
    /* Hints in flight are stale from here on (DONE is not a request id). */
    virtio_balloon_free_page_done();
    virtio_balloon_set_free_page_hint_sink(NULL, NULL, NULL);
    virtio_balloon_free_page_hint_stats(&st);
    hint_migration.stale = st.stale_hints - hint_migration.stale_base;
    hint_migration.invalid = st.invalid_hints - hint_migration.invalid_base;
}

static int hint_precopy_notify(PrecopyNotifier *n, PrecopyNotifyReason reason,
                               Error **errp)
{
    VirtIOBalloon *s = virtio_balloon_get();

    switch (reason) {
    case PRECOPY_NOTIFY_SETUP:
        /*
         * Postcopy: after the switch-over the destination pulls the pages it
         * misses, and a page a hint took out of the bitmap would never come.
         * QEMU never hints with postcopy-ram on; neither does hintvm.
         */
        if (s && s->free_page_hint && !migrate_postcopy_ram()) {
            hint_migration_setup(s);
        } else {
            hint_migration.used = false;
        }
        break;
    case PRECOPY_NOTIFY_BEFORE_BITMAP_SYNC:
        if (hint_migration.active) {
            virtio_balloon_free_page_stop();
        }
        break;
    case PRECOPY_NOTIFY_AFTER_BITMAP_SYNC:
        if (hint_migration.active) {
            hint_migration_ask();
        }
        break;
    case PRECOPY_NOTIFY_COMPLETE:
    case PRECOPY_NOTIFY_CLEANUP:
        hint_migration_end();
        break;
    }
    return 0;
}

static bool hint_migration_stats(MigrationHintStats *stats)
{
    VirtIOBalloonHintStats st;

    if (!hint_migration.used) {
        return false;
    }
    stats->rounds = __atomic_load_n(&hint_migration.rounds, __ATOMIC_RELAXED);
    if (hint_migration.active && virtio_balloon_free_page_hint_stats(&st)) {
        stats->dropped_stale = st.stale_hints - hint_migration.stale_base;
        stats->dropped_invalid = st.invalid_hints - hint_migration.invalid_base;
    } else {
        stats->dropped_stale = hint_migration.stale;
        stats->dropped_invalid = hint_migration.invalid;
    }
    return true;
}

/*
 * A stopped guest cannot use its memory, and one that runs again elsewhere
 * or here must get it back: tell the driver DONE when the VM stops.  At the
 * switch-over this runs before the device state is saved, so the
 * destination's driver finds DONE (and its config interrupt) too.
 */
static void hint_vm_state_change(void *opaque, bool running, RunState state)
{
    VirtIOBalloon *s = opaque;
    bool outstanding;

    if (running) {
        return;
    }
    g_mutex_lock(&s->hint_lock);
    outstanding = s->hints_outstanding;
    g_mutex_unlock(&s->hint_lock);
    if (outstanding) {
        virtio_balloon_free_page_done();
    }
}

/* ---- QOM: free-page-hint-cmd-id, free-page-hint-status ---- */

static JsonNode *hint_qom_get_cmd_id(void *opaque, Error **errp)
{
    VirtIOBalloon *s = opaque;
    JsonNode *node = json_node_new(JSON_NODE_VALUE);

    json_node_set_int(node, __atomic_load_n(&s->cmd_id, __ATOMIC_ACQUIRE));
    return node;
}

static JsonNode *hint_qom_get_status(void *opaque, Error **errp)
{
    VirtIOBalloon *s = opaque;
    JsonNode *node = json_node_new(JSON_NODE_VALUE);

    g_mutex_lock(&s->hint_lock);
    json_node_set_string(node, virtio_balloon_hint_status_name(s->hint_status));
    g_mutex_unlock(&s->hint_lock);
    return node;
}

void virtio_balloon_hint_realize(VirtIOBalloon *s)
{
    if (s->free_page_hint) {
        hint_migration.notifier.notify = hint_precopy_notify;
        precopy_add_notifier(&hint_migration.notifier);
        migration_set_free_page_hint_stats(hint_migration_stats);
        qemu_add_vm_change_state_handler(hint_vm_state_change, s);
    }
    object_property_add(s->qom_path, "free-page-hint-cmd-id", "uint32",
                        hint_qom_get_cmd_id, NULL, s);
    object_property_add(s->qom_path, "free-page-hint-status", "string",
                        hint_qom_get_status, NULL, s);
}

void virtio_balloon_hint_register_commands(void)
{
    static const QmpArgSpec hint_args[] = { { "action", QMP_ARG_STR }, { NULL } };

    qmp_register_command("x-balloon-free-page-hint", qmp_x_balloon_free_page_hint,
                         hint_args);
    qmp_register_command("x-query-balloon-free-page-hint",
                         qmp_x_query_balloon_free_page_hint, NULL);
}
