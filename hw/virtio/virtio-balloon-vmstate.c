/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-balloon's migration section (docs/devel/migration/vmstate.rst and
 * docs/devel/virtio.rst, "Migration"): the virtio core's state, the config
 * space values, the ballooned-page bitmap, the free page hint state and the
 * statistics.  The ballooned bitmap has one bit per 4 KiB page of guest RAM,
 * so its length follows from -m and must match on the destination.
 *
 * The statistics buffer the device holds between two polls is given back to
 * the queue before saving, so the saved ring position points at it: the
 * destination pops it again in post_load and answers it at the next poll, as
 * the source would have.  The source pops it again in post_save, in case it
 * keeps running (a failed or cancelled migration).
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-balloon.h"
#include "migration/vmstate.h"
#include "qemu/bitmap.h"

static bool balloon_pre_save(void *opaque, Error **errp)
{
    VirtIOBalloon *s = opaque;

    /* The free page hint IOThread changes hint state: hold it off first. */
    virtio_device_quiesce(&s->vdev);
    if (s->stats_vq_elem) {
        virtqueue_unpop(s->stats_vq, s->stats_vq_elem);
        g_free(s->stats_vq_elem);
        s->stats_vq_elem = NULL;
        s->stats_vq_elem_returned = true;
    }
    return true;
}

static void balloon_post_save(void *opaque)
{
    VirtIOBalloon *s = opaque;

    if (s->stats_vq_elem_returned) {
        s->stats_vq_elem = virtqueue_pop(s->stats_vq);
        s->stats_vq_elem_returned = false;
    }
    virtio_device_resume(&s->vdev);
}

static bool balloon_post_load(void *opaque, int version_id, Error **errp)
{
    VirtIOBalloon *s = opaque;
    uint64_t counted = bitmap_count_one(s->ballooned, s->ram_pages);

    if (counted != s->ballooned_pages) {
        error_setg(errp, "the ballooned bitmap has %" PRIu64 " pages set, the count "
                   "says %" PRIu64, counted, s->ballooned_pages);
        return false;
    }
    if (s->hint_status > VIRTIO_BALLOON_HINT_DONE) {
        error_setg(errp, "free page hint status %u is not a known one", s->hint_status);
        return false;
    }
    /* The buffer the source held between polls is on the queue again: hold it. */
    g_free(s->stats_vq_elem);
    s->stats_vq_elem = NULL;
    if (s->stats_vq && virtio_vdev_has_feature(&s->vdev, VIRTIO_BALLOON_F_STATS_VQ)) {
        s->stats_vq_elem = virtqueue_pop(s->stats_vq);
    }
    return true;
}

const VMStateDescription vmstate_virtio_balloon = {
    .name = "virtio-balloon",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = balloon_pre_save,
    .post_save = balloon_post_save,
    .post_load = balloon_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_STRUCT(vdev, VirtIOBalloon, 0, vmstate_virtio_device, VirtIODevice),
        VMSTATE_UINT32(num_pages, VirtIOBalloon),
        VMSTATE_UINT32(actual, VirtIOBalloon),
        VMSTATE_UINT32(poison_val, VirtIOBalloon),
        VMSTATE_BITMAP(ballooned, VirtIOBalloon, ram_pages),
        VMSTATE_UINT64(ballooned_pages, VirtIOBalloon),
        VMSTATE_UINT32(cmd_id, VirtIOBalloon),
        VMSTATE_UINT32(next_cmd_id, VirtIOBalloon),
        VMSTATE_UINT32(guest_cmd_id, VirtIOBalloon),
        VMSTATE_UINT64(hints, VirtIOBalloon),
        VMSTATE_UINT64(hinted_bytes, VirtIOBalloon),
        VMSTATE_UINT64(stale_hints, VirtIOBalloon),
        VMSTATE_UINT64(invalid_hints, VirtIOBalloon),
        VMSTATE_UINT32(hint_status, VirtIOBalloon),
        VMSTATE_BOOL(hints_outstanding, VirtIOBalloon),
        VMSTATE_UINT64(reported_bytes, VirtIOBalloon),
        VMSTATE_UINT32(stats_poll_interval, VirtIOBalloon),
        VMSTATE_UINT64_ARRAY(stats, VirtIOBalloon, VIRTIO_BALLOON_S_NR),
        VMSTATE_INT64(stats_last_update, VirtIOBalloon),
        VMSTATE_TIMER(stats_timer, VirtIOBalloon),
        VMSTATE_END_OF_LIST(),
    },
};
