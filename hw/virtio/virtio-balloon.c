/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-balloon (virtio 1.x section 5.5): inflate and deflate queues, the
 * statistics queue, config space, the ballooned-page bitmap, the -device
 * types, the QOM properties and the balloon/query-balloon QMP commands.
 * Free page hinting and reporting are in virtio-balloon-hint.c.
 *
 * Threads: everything here runs with the BQL held (kicks on the vCPU thread,
 * timers and QMP on the main loop).  Only the free page queue runs on an
 * IOThread; the state it shares with this file is under hint_lock.
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include "hw/virtio/virtio-balloon.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/boards.h"
#include "hw/qdev.h"
#include "migration/vmstate.h"
#include "exec/memory.h"
#include "monitor/monitor.h"
#include "qapi/error.h"
#include "qemu/bitmap.h"
#include "qemu/log.h"
#include "qom/object.h"
#include "sysemu/iothread.h"

/* Queue sizes as QEMU's, so a driver sees the same limits. */
#define BALLOON_VQ_SIZE 128
#define BALLOON_FREE_PAGE_VQ_SIZE VIRTQUEUE_MAX_SIZE
#define BALLOON_REPORTING_VQ_SIZE 32

/* One statistics entry (section 5.5.6.3): le16 tag, le64 value, packed. */
#define BALLOON_STAT_ENTRY_SIZE 10

#define BALLOON_EVENT_INTERVAL_NS (1000 * SCALE_MS)

static VirtIOBalloon *the_balloon;

static const char *const balloon_stat_names[VIRTIO_BALLOON_S_NR] = {
    "stat-swap-in", "stat-swap-out", "stat-major-faults", "stat-minor-faults",
    "stat-free-memory", "stat-total-memory", "stat-available-memory",
    "stat-disk-caches", "stat-htlb-pgalloc", "stat-htlb-pgfail",
};

static VirtIOBalloon *to_balloon(VirtIODevice *vdev)
{
    return container_of(vdev, VirtIOBalloon, vdev);
}

VirtIOBalloon *virtio_balloon_get(void)
{
    return the_balloon;
}

const unsigned long *virtio_balloon_get_ballooned_bitmap(hwaddr *base, uint64_t *npages)
{
    if (!the_balloon) {
        return NULL;
    }
    *base = the_balloon->ram_base;
    *npages = the_balloon->ram_pages;
    return the_balloon->ballooned;
}

static uint64_t balloon_ram_size(VirtIOBalloon *s)
{
    return s->ram_pages << VIRTIO_BALLOON_PFN_SHIFT;
}

/* The guest's logical memory size, as query-balloon and BALLOON_CHANGE report it. */
static int64_t balloon_actual_bytes(VirtIOBalloon *s)
{
    return balloon_ram_size(s) - ((uint64_t)s->actual << VIRTIO_BALLOON_PFN_SHIFT);
}

/* ---- inflate and deflate (section 5.5.6.1) ---- */

bool virtio_balloon_discard_range(hwaddr gpa, uint64_t len)
{
    void *host = address_space_map(gpa, len, false);

    if (!host) {
        return false;
    }
    /*
     * Private anonymous guest RAM: the host frees the pages now and the guest
     * reads zeroes if it touches them again.  A failure only costs memory.
     */
    if (madvise(host, len, MADV_DONTNEED) < 0) {
        qemu_log_mask(LOG_UNIMP, "virtio-balloon: madvise(0x%" HWADDR_PRIx ", %" PRIu64
                      "): %s\n", gpa, len, strerror(errno));
    }
    return true;
}

/*
 * Apply one run of contiguous PFNs [pfn, pfn + count).  Pages outside guest
 * RAM are the guest's mistake: logged and skipped.
 */
static void balloon_apply_run(VirtIOBalloon *s, uint64_t pfn, uint64_t count, bool inflate)
{
    uint64_t first = s->ram_base >> VIRTIO_BALLOON_PFN_SHIFT;
    uint64_t last = first + s->ram_pages;
    uint64_t start = MAX(pfn, first), end = MIN(pfn + count, last);

    if (start >= end || end - start != count) {
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-balloon: %s of PFNs 0x%" PRIx64 "+%" PRIu64
                      " outside guest RAM ignored\n", inflate ? "inflate" : "deflate",
                      pfn, count);
        if (start >= end) {
            return;
        }
    }
    if (inflate) {
        long idx = start - first, nr = end - start;

        s->ballooned_pages += nr - bitmap_count_one_range(s->ballooned, idx, nr);
        bitmap_set(s->ballooned, idx, nr);
        virtio_balloon_discard_range(start << VIRTIO_BALLOON_PFN_SHIFT,
                                     (end - start) << VIRTIO_BALLOON_PFN_SHIFT);
    } else {
        /*
         * MUST_TELL_HOST: the driver tells us before it uses the pages again;
         * they simply fault back in, so deflating only updates the bitmap.
         */
        s->ballooned_pages -= bitmap_clear_count(s->ballooned, start - first, end - start);
    }
}

/* Read the le32 PFN array of @elem and apply it in runs of contiguous PFNs. */
static void balloon_process_pfns(VirtIOBalloon *s, VirtQueueElement *elem, bool inflate)
{
    uint64_t run_start = 0, run_len = 0;
    uint8_t partial[4];
    unsigned int have = 0;

    for (unsigned int i = 0; i < elem->out_num; i++) {
        const uint8_t *p = elem->out_sg[i].iov_base;

        for (size_t off = 0; off < elem->out_sg[i].iov_len; off++) {
            uint32_t pfn;

            partial[have++] = p[off];
            if (have < 4) {
                continue;
            }
            have = 0;
            pfn = partial[0] | partial[1] << 8 | partial[2] << 16 | (uint32_t)partial[3] << 24;
            if (run_len && pfn == run_start + run_len) {
                run_len++;
                continue;
            }
            if (run_len) {
                balloon_apply_run(s, run_start, run_len, inflate);
            }
            run_start = pfn;
            run_len = 1;
        }
    }
    if (run_len) {
        balloon_apply_run(s, run_start, run_len, inflate);
    }
    if (have) {
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-balloon: %u trailing bytes in a PFN "
                      "array ignored\n", have);
    }
}

static void balloon_handle_pfn_vq(VirtIODevice *vdev, VirtQueue *vq, bool inflate)
{
    VirtIOBalloon *s = to_balloon(vdev);
    VirtQueueElement *elem;
    bool pushed = false;

    while ((elem = virtqueue_pop(vq))) {
        balloon_process_pfns(s, elem, inflate);
        virtqueue_push(vq, elem, 0);
        g_free(elem);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

static void balloon_handle_inflate(VirtIODevice *vdev, VirtQueue *vq)
{
    balloon_handle_pfn_vq(vdev, vq, true);
}

static void balloon_handle_deflate(VirtIODevice *vdev, VirtQueue *vq)
{
    balloon_handle_pfn_vq(vdev, vq, false);
}

/* ---- statistics (section 5.5.6.3) ---- */

static void balloon_stats_arm(VirtIOBalloon *s)
{
    timer_mod(&s->stats_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                                   (int64_t)s->stats_poll_interval * NANOSECONDS_PER_SECOND);
}

/*
 * Polling: the driver gave us one buffer; returning it is the request for
 * fresh statistics, which come back as a new buffer on the same queue.
 */
static void balloon_stats_poll(void *opaque)
{
    VirtIOBalloon *s = opaque;

    if (!s->stats_vq_elem || !virtio_vdev_has_feature(&s->vdev, VIRTIO_BALLOON_F_STATS_VQ)) {
        balloon_stats_arm(s);   /* no driver buffer yet: try again later */
        return;
    }
    virtqueue_push(s->stats_vq, s->stats_vq_elem, 0);
    virtio_notify(&s->vdev, s->stats_vq);
    g_free(s->stats_vq_elem);
    s->stats_vq_elem = NULL;
}

static void balloon_handle_stats(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBalloon *s = to_balloon(vdev);
    VirtQueueElement *elem;

    while ((elem = virtqueue_pop(vq))) {
        uint8_t entry[BALLOON_STAT_ENTRY_SIZE];
        unsigned int have = 0;

        if (s->stats_vq_elem) {
            /* The driver has one buffer in flight at a time; return the old one. */
            qemu_log_mask(LOG_GUEST_ERROR, "virtio-balloon: second stats buffer while "
                          "one is held\n");
            virtqueue_push(vq, s->stats_vq_elem, 0);
            g_free(s->stats_vq_elem);
            virtio_notify(vdev, vq);
        }
        for (unsigned int i = 0; i < elem->out_num; i++) {
            const uint8_t *p = elem->out_sg[i].iov_base;

            for (size_t off = 0; off < elem->out_sg[i].iov_len; off++) {
                uint16_t tag;
                uint64_t val = 0;

                entry[have++] = p[off];
                if (have < BALLOON_STAT_ENTRY_SIZE) {
                    continue;
                }
                have = 0;
                tag = entry[0] | entry[1] << 8;
                for (int b = 7; b >= 0; b--) {
                    val = val << 8 | entry[2 + b];
                }
                /* Tags this device does not know (newer drivers) are skipped. */
                if (tag < VIRTIO_BALLOON_S_NR) {
                    s->stats[tag] = val;
                }
            }
        }
        s->stats_last_update = g_get_real_time() / G_USEC_PER_SEC;
        s->stats_vq_elem = elem;
        if (s->stats_poll_interval) {
            balloon_stats_arm(s);
        }
    }
}

static void balloon_stats_reset(VirtIOBalloon *s)
{
    for (int i = 0; i < VIRTIO_BALLOON_S_NR; i++) {
        s->stats[i] = UINT64_MAX;   /* "not reported", as QEMU keeps it */
    }
}

/* ---- config space (section 5.5.4) ---- */

/* ---- BALLOON_CHANGE, rate-limited as QEMU's monitor does ---- */

static void balloon_change_emit(VirtIOBalloon *s)
{
    JsonObject *data = json_object_new();

    json_object_set_int_member(data, "actual", balloon_actual_bytes(s));
    qapi_event_send("BALLOON_CHANGE", data);
    s->event_last_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    s->event_pending = false;
}

static void balloon_change_timer_cb(void *opaque)
{
    VirtIOBalloon *s = opaque;

    if (s->event_pending) {
        balloon_change_emit(s);
    }
}

/*
 * The driver updates actual after every 256 pages; QEMU sends at most one
 * BALLOON_CHANGE per second, the first at once and then the latest value
 * when the second is over.  Do the same.
 */
static void balloon_change_event(VirtIOBalloon *s)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);

    if (!s->event_last_ns || now - s->event_last_ns >= BALLOON_EVENT_INTERVAL_NS) {
        balloon_change_emit(s);
    } else if (!s->event_pending) {
        s->event_pending = true;
        timer_mod(&s->event_timer, s->event_last_ns + BALLOON_EVENT_INTERVAL_NS);
    }
}

static size_t balloon_config_size(VirtIOBalloon *s)
{
    /* QEMU's sizes: the fields exist only with the features that define them. */
    if (s->page_poison) {
        return VIRTIO_BALLOON_CFG_SIZE;
    }
    if (s->free_page_hint) {
        return VIRTIO_BALLOON_CFG_POISON_VAL;
    }
    return VIRTIO_BALLOON_CFG_FREE_PAGE_HINT_CMD_ID;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

static uint32_t get_le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void balloon_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOBalloon *s = to_balloon(vdev);
    uint8_t full[VIRTIO_BALLOON_CFG_SIZE];

    put_le32(full + VIRTIO_BALLOON_CFG_NUM_PAGES, s->num_pages);
    put_le32(full + VIRTIO_BALLOON_CFG_ACTUAL, s->actual);
    put_le32(full + VIRTIO_BALLOON_CFG_FREE_PAGE_HINT_CMD_ID,
             __atomic_load_n(&s->cmd_id, __ATOMIC_ACQUIRE));
    put_le32(full + VIRTIO_BALLOON_CFG_POISON_VAL, s->poison_val);
    memcpy(config, full, vdev->config_len);
}

static void balloon_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIOBalloon *s = to_balloon(vdev);
    uint32_t old_actual = s->actual;

    /* num_pages and cmd_id are the device's; the driver writes actual and poison_val. */
    s->actual = get_le32(config + VIRTIO_BALLOON_CFG_ACTUAL);
    if (vdev->config_len >= VIRTIO_BALLOON_CFG_SIZE &&
        virtio_vdev_has_feature(vdev, VIRTIO_BALLOON_F_PAGE_POISON)) {
        s->poison_val = get_le32(config + VIRTIO_BALLOON_CFG_POISON_VAL);
    }
    if (s->actual != old_actual) {
        balloon_change_event(s);
    }
}

static uint64_t balloon_get_features(VirtIODevice *vdev)
{
    VirtIOBalloon *s = to_balloon(vdev);
    /* The stats queue is always offered, as QEMU does. */
    uint64_t f = 1ULL << VIRTIO_BALLOON_F_MUST_TELL_HOST | 1ULL << VIRTIO_BALLOON_F_STATS_VQ;

    f |= (uint64_t)s->deflate_on_oom << VIRTIO_BALLOON_F_DEFLATE_ON_OOM;
    f |= (uint64_t)s->free_page_hint << VIRTIO_BALLOON_F_FREE_PAGE_HINT;
    f |= (uint64_t)s->page_poison << VIRTIO_BALLOON_F_PAGE_POISON;
    f |= (uint64_t)s->free_page_reporting << VIRTIO_BALLOON_F_REPORTING;
    return f;
}

static void balloon_reset(VirtIODevice *vdev)
{
    VirtIOBalloon *s = to_balloon(vdev);
    uint32_t old_actual = s->actual;

    /*
     * A new driver starts with nothing in the balloon: every page is the
     * guest's again.  The target (num_pages) stays, so it inflates again.
     */
    g_free(s->stats_vq_elem);
    s->stats_vq_elem = NULL;
    bitmap_zero(s->ballooned, s->ram_pages);
    s->ballooned_pages = 0;
    s->actual = 0;
    s->poison_val = 0;
    virtio_balloon_hint_reset(s);
    if (old_actual) {
        balloon_change_event(s);
    }
}

static const VirtIODeviceOps balloon_ops = {
    .get_features = balloon_get_features,
    .get_config = balloon_get_config,
    .set_config = balloon_set_config,
    .reset = balloon_reset,
};

/* ---- QOM properties: guest-stats, guest-stats-polling-interval ---- */

static JsonNode *balloon_qom_get_stats(void *opaque, Error **errp)
{
    VirtIOBalloon *s = opaque;
    JsonObject *result = json_object_new();
    JsonObject *stats = json_object_new();

    /*
     * QEMU prints unreported values as the u64 18446744073709551615; JSON
     * integers here are int64, so they come out as -1, the same bits.
     */
    for (int i = 0; i < VIRTIO_BALLOON_S_NR; i++) {
        json_object_set_int_member(stats, balloon_stat_names[i], (int64_t)s->stats[i]);
    }
    json_object_set_object_member(result, "stats", stats);
    json_object_set_int_member(result, "last-update", s->stats_last_update);
    return qmp_node_from_object(result);
}

static JsonNode *balloon_qom_get_interval(void *opaque, Error **errp)
{
    VirtIOBalloon *s = opaque;
    JsonNode *node = json_node_new(JSON_NODE_VALUE);

    json_node_set_int(node, s->stats_poll_interval);
    return node;
}

/* The range QEMU accepts for guest-stats-polling-interval, with its messages. */
static bool balloon_check_poll_interval(int64_t v, Error **errp)
{
    if (v < 0) {
        error_setg(errp, "timer value must be greater than zero");
        return false;
    }
    if (v > UINT32_MAX) {
        error_setg(errp, "timer value is too big");
        return false;
    }
    return true;
}

static bool balloon_qom_set_interval(void *opaque, JsonNode *value, Error **errp)
{
    VirtIOBalloon *s = opaque;
    int64_t v;

    if (!value || !JSON_NODE_HOLDS_VALUE(value) ||
        json_node_get_value_type(value) != G_TYPE_INT64) {
        error_setg(errp, "Invalid parameter type for 'guest-stats-polling-interval', "
                   "expected: integer");
        return false;
    }
    v = json_node_get_int(value);
    if (!balloon_check_poll_interval(v, errp)) {
        return false;
    }
    if (v == s->stats_poll_interval) {
        return true;
    }
    s->stats_poll_interval = v;
    if (v == 0) {
        timer_del(&s->stats_timer);
    } else {
        balloon_stats_arm(s);
    }
    return true;
}

static JsonNode *balloon_qom_get_type(void *opaque, Error **errp)
{
    VirtIOBalloon *s = opaque;
    JsonNode *node = json_node_new(JSON_NODE_VALUE);

    json_node_set_string(node, s->type_name);
    return node;
}

static void balloon_register_qom(VirtIOBalloon *s, const char *id)
{
    s->qom_path = id ? g_strdup_printf("/machine/peripheral/%s", id)
                     : g_strdup("/machine/peripheral-anon/device[0]");
    object_register(s->qom_path, s->type_name);
    object_property_add(s->qom_path, "type", "string", balloon_qom_get_type, NULL, s);
    object_property_add(s->qom_path, "guest-stats", "guest statistics",
                        balloon_qom_get_stats, NULL, s);
    object_property_add(s->qom_path, "guest-stats-polling-interval", "int",
                        balloon_qom_get_interval, balloon_qom_set_interval, s);
}

/* ---- -device virtio-balloon-device / virtio-balloon-pci ---- */

static void balloon_instance_init(void *state)
{
    VirtIOBalloon *s = state;

    s->page_poison = true;      /* QEMU's default since 5.1 */
}

/*
 * -device guest-stats-polling-interval=N: QEMU sets it through the same
 * checks as qom-set, so its errors are those, not a generic uint32 one.
 */
static bool balloon_parse_poll_interval(VirtIOBalloon *s, Error **errp)
{
    const char *text = s->stats_poll_interval_opt;
    gint64 v;

    if (!text) {
        return true;
    }
    if (!g_ascii_string_to_signed(text, 10, G_MININT64, G_MAXINT64, &v, NULL)) {
        error_setg(errp, "Parameter 'guest-stats-polling-interval' expects integer");
        return false;
    }
    if (!balloon_check_poll_interval(v, errp)) {
        return false;
    }
    s->stats_poll_interval = v;
    return true;
}

static bool balloon_realize_common(VirtIOBalloon *s, const char *type_name, const char *id,
                                   MachineState *ms, Error **errp)
{
    VirtIODevice *vdev = &s->vdev;

    if (the_balloon) {
        error_setg(errp, "Only one balloon device is supported");
        return false;
    }
    if (!balloon_parse_poll_interval(s, errp)) {
        return false;
    }
    if (s->free_page_hint && !s->iothread) {
        error_setg(errp, "'free-page-hint' requires 'iothread' to be set");
        return false;
    }
    s->type_name = type_name;
    s->ram_base = ms->ram.addr;
    s->ram_pages = ms->ram_size >> VIRTIO_BALLOON_PFN_SHIFT;
    s->ballooned = bitmap_new(s->ram_pages);
    s->next_cmd_id = VIRTIO_BALLOON_CMD_ID_MIN;
    g_mutex_init(&s->hint_lock);
    balloon_stats_reset(s);
    timer_init_ns(&s->stats_timer, QEMU_CLOCK_VIRTUAL, balloon_stats_poll, s);
    timer_init_ns(&s->event_timer, QEMU_CLOCK_REALTIME, balloon_change_timer_cb, s);

    virtio_init(vdev, "virtio-balloon", VIRTIO_ID_BALLOON, balloon_config_size(s),
                &balloon_ops);
    /* Queue order of section 5.5.2; absent features have no queue. */
    s->inflate_vq = virtio_add_queue(vdev, BALLOON_VQ_SIZE, balloon_handle_inflate);
    s->deflate_vq = virtio_add_queue(vdev, BALLOON_VQ_SIZE, balloon_handle_deflate);
    s->stats_vq = virtio_add_queue(vdev, BALLOON_VQ_SIZE, balloon_handle_stats);
    if (s->free_page_hint) {
        s->free_page_vq = virtio_add_queue(vdev, BALLOON_FREE_PAGE_VQ_SIZE,
                                           virtio_balloon_handle_free_page_vq);
        /* Hints never block a vCPU: DESIGN.md, "The correctness rule". */
        virtio_queue_set_iothread(s->free_page_vq, s->iothread);
    }
    if (s->free_page_reporting) {
        s->reporting_vq = virtio_add_queue(vdev, BALLOON_REPORTING_VQ_SIZE,
                                           virtio_balloon_handle_report_vq);
    }
    if (s->stats_poll_interval) {
        balloon_stats_arm(s);
    }
    the_balloon = s;
    balloon_register_qom(s, id);
    vmstate_register(&vmstate_virtio_balloon, 0, s);
    return true;
}

static bool balloon_device_realize(void *state, const char *id, MachineState *ms,
                                   Error **errp)
{
    VirtIOBalloon *s = state;

    if (!balloon_realize_common(s, "virtio-balloon-device", id, ms, errp)) {
        return false;
    }
    return virtio_mmio_plug(&s->vdev, errp);
}

static bool balloon_pci_realize(void *state, const char *id, MachineState *ms, Error **errp)
{
    VirtIOBalloon *s = state;

    if (!balloon_realize_common(s, "virtio-balloon-pci", id, ms, errp)) {
        return false;
    }
    return virtio_pci_plug(&s->vdev, errp);
}

static const Property balloon_props[] = {
    DEFINE_PROP("deflate-on-oom", VirtIOBalloon, deflate_on_oom, PROP_BOOL,
                "offer VIRTIO_BALLOON_F_DEFLATE_ON_OOM (default off)"),
    DEFINE_PROP("page-poison", VirtIOBalloon, page_poison, PROP_BOOL,
                "offer VIRTIO_BALLOON_F_PAGE_POISON (default on)"),
    DEFINE_PROP("free-page-hint", VirtIOBalloon, free_page_hint, PROP_BOOL,
                "offer VIRTIO_BALLOON_F_FREE_PAGE_HINT for migration (needs iothread)"),
    DEFINE_PROP("free-page-reporting", VirtIOBalloon, free_page_reporting, PROP_BOOL,
                "offer VIRTIO_BALLOON_F_REPORTING: reported pages are freed on the host"),
    DEFINE_PROP("iothread", VirtIOBalloon, iothread, PROP_LINK_IOTHREAD,
                "IOThread that handles free page hints"),
    DEFINE_PROP("guest-stats-polling-interval", VirtIOBalloon, stats_poll_interval_opt,
                PROP_STRING, "seconds between statistics requests (0: off)"),
    { NULL },
};

static const DeviceTypeInfo balloon_device_type = {
    .name = "virtio-balloon-device",
    .desc = "virtio balloon on a virtio-mmio slot",
    .bus = "virtio-bus",
    .state_size = sizeof(VirtIOBalloon),
    .props = balloon_props,
    .instance_init = balloon_instance_init,
    .realize = balloon_device_realize,
};

static const DeviceTypeInfo balloon_pci_type = {
    .name = "virtio-balloon-pci",
    .desc = "virtio balloon (PCI)",
    .bus = "PCI",
    .state_size = sizeof(VirtIOBalloon),
    .props = balloon_props,
    .instance_init = balloon_instance_init,
    .realize = balloon_pci_realize,
};

/* ---- QMP: balloon, query-balloon ---- */

static VirtIOBalloon *balloon_or_error(Error **errp)
{
    if (!the_balloon) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_ACTIVE, "No balloon device has been activated");
    }
    return the_balloon;
}

static JsonNode *qmp_balloon(JsonObject *args, Error **errp)
{
    int64_t target = json_object_get_int_member(args, "value");
    VirtIOBalloon *s = balloon_or_error(errp);
    uint64_t ram_size;

    if (!s) {
        return NULL;
    }
    if (target <= 0) {
        error_setg(errp, "Parameter 'target' expects a size");
        return NULL;
    }
    ram_size = balloon_ram_size(s);
    /* A target above RAM means "deflate completely", as in QEMU. */
    s->num_pages = ((uint64_t)target >= ram_size ? 0 : ram_size - target) >>
                   VIRTIO_BALLOON_PFN_SHIFT;
    virtio_notify_config(&s->vdev);
    return NULL;
}

static JsonNode *qmp_query_balloon(JsonObject *args, Error **errp)
{
    VirtIOBalloon *s = balloon_or_error(errp);
    JsonObject *info;

    if (!s) {
        return NULL;
    }
    info = json_object_new();
    json_object_set_int_member(info, "actual", balloon_actual_bytes(s));
    return qmp_node_from_object(info);
}

/* Test/debug: the ballooned bitmap as ranges of guest physical addresses. */
static JsonNode *qmp_x_query_balloon_bitmap(JsonObject *args, Error **errp)
{
    VirtIOBalloon *s = balloon_or_error(errp);
    JsonObject *info;
    JsonArray *ranges;
    unsigned long i;

    if (!s) {
        return NULL;
    }
    info = json_object_new();
    ranges = json_array_new();
    for (i = find_next_bit(s->ballooned, s->ram_pages, 0); i < s->ram_pages;) {
        unsigned long end = find_next_zero_bit(s->ballooned, s->ram_pages, i);
        JsonObject *r = json_object_new();

        json_object_set_int_member(r, "start", s->ram_base + ((uint64_t)i << 12));
        json_object_set_int_member(r, "length", (uint64_t)(end - i) << 12);
        json_array_add_object_element(ranges, r);
        if (json_array_get_length(ranges) >= 1024) {
            break;
        }
        i = find_next_bit(s->ballooned, s->ram_pages, end);
    }
    json_object_set_int_member(info, "ballooned-pages", s->ballooned_pages);
    json_object_set_int_member(info, "num-pages", s->num_pages);
    json_object_set_int_member(info, "actual-pages", s->actual);
    json_object_set_array_member(info, "ranges", ranges);
    return qmp_node_from_object(info);
}

static void __attribute__((constructor)) virtio_balloon_register_types(void)
{
    static const QmpArgSpec balloon_args[] = { { "value", QMP_ARG_INT }, { NULL } };

    device_type_register(&balloon_device_type);
    device_type_register(&balloon_pci_type);
    qmp_register_command("balloon", qmp_balloon, balloon_args);
    qmp_register_command("query-balloon", qmp_query_balloon, NULL);
    qmp_register_command("x-query-balloon-bitmap", qmp_x_query_balloon_bitmap, NULL);
    virtio_balloon_hint_register_commands();
}
