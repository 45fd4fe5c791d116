/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-balloon (virtio 1.x section 5.5): -device virtio-balloon-device
 * (virtio-mmio) and -device virtio-balloon-pci, with QEMU's properties, QMP
 * commands and QOM properties.  See docs/system/devices/virtio-balloon.rst.
 *
 * Besides inflate/deflate and statistics, the device carries free page
 * hinting (VIRTIO_BALLOON_F_FREE_PAGE_HINT) for migration: the API at the
 * end of this file is what migration/ uses.
 */
#ifndef HW_VIRTIO_VIRTIO_BALLOON_H
#define HW_VIRTIO_VIRTIO_BALLOON_H

#include "hw/virtio/virtio.h"
#include "qemu/timer.h"

#define VIRTIO_ID_BALLOON 5

/* Feature bits (section 5.5.3) */
#define VIRTIO_BALLOON_F_MUST_TELL_HOST 0
#define VIRTIO_BALLOON_F_STATS_VQ 1
#define VIRTIO_BALLOON_F_DEFLATE_ON_OOM 2
#define VIRTIO_BALLOON_F_FREE_PAGE_HINT 3
#define VIRTIO_BALLOON_F_PAGE_POISON 4
#define VIRTIO_BALLOON_F_REPORTING 5

/* Balloon PFNs always count 4 KiB pages, whatever the guest page size (5.5.6). */
#define VIRTIO_BALLOON_PFN_SHIFT 12
#define VIRTIO_BALLOON_PAGE_SIZE (1u << VIRTIO_BALLOON_PFN_SHIFT)

/* Config space offsets, little-endian u32 each (section 5.5.4). */
#define VIRTIO_BALLOON_CFG_NUM_PAGES 0
#define VIRTIO_BALLOON_CFG_ACTUAL 4
#define VIRTIO_BALLOON_CFG_FREE_PAGE_HINT_CMD_ID 8
#define VIRTIO_BALLOON_CFG_POISON_VAL 12
#define VIRTIO_BALLOON_CFG_SIZE 16

/* Reserved free page hint command ids (section 5.5.6.7). */
#define VIRTIO_BALLOON_CMD_ID_STOP 0
#define VIRTIO_BALLOON_CMD_ID_DONE 1
/*
 * How long the first migration pass waits for the guest's first round of
 * hints at most (-device ...,x-free-page-hint-wait-ms=N; 0: not at all).
 */
#define VIRTIO_BALLOON_HINT_FIRST_WAIT_MS 500
/* Host ids start here and grow, as QEMU's do; wrap back to the start. */
#define VIRTIO_BALLOON_CMD_ID_MIN 0x80000000u

/* Statistics tags (section 5.5.6.3); the QMP names are QEMU's. */
#define VIRTIO_BALLOON_S_NR 10

typedef struct IOThread IOThread;

/*
 * Where the free page hint exchange stands (QEMU's names): the host asked
 * under a fresh cmd_id and waits for the driver to answer; the driver is
 * sending hints under it; hinting stopped (the host wrote STOP or the
 * driver finished the id); or the host said DONE.
 */
typedef enum VirtIOBalloonHintStatus {
    VIRTIO_BALLOON_HINT_STOP,
    VIRTIO_BALLOON_HINT_REQUESTED,
    VIRTIO_BALLOON_HINT_START,
    VIRTIO_BALLOON_HINT_DONE,
} VirtIOBalloonHintStatus;
typedef struct MachineState MachineState;

typedef struct VirtIOBalloon {
    VirtIODevice vdev;          /* first: the virtio core hands us VirtIODevice * */
    const char *type_name;      /* "virtio-balloon-pci" or "virtio-balloon-device" */
    char *qom_path;

    /* -device properties */
    bool deflate_on_oom;
    bool page_poison;
    bool free_page_hint;
    bool free_page_reporting;
    IOThread *iothread;
    uint32_t hint_first_wait_ms;
    uint32_t stats_poll_interval;   /* seconds, 0 = off */
    char *stats_poll_interval_opt;  /* the -device text, checked as QEMU does */

    VirtQueue *inflate_vq, *deflate_vq, *stats_vq, *free_page_vq, *reporting_vq;

    /* Config space state; num_pages is the host's target, actual the guest's answer. */
    uint32_t num_pages;
    uint32_t actual;
    uint32_t poison_val;

    /*
     * One bit per 4 KiB page of guest RAM (from ram_base) that the guest has
     * given to the host.  Changed with the BQL held (inflate/deflate run on
     * the vCPU thread); migration reads it with the BQL.
     */
    unsigned long *ballooned;
    hwaddr ram_base;
    uint64_t ram_pages;
    uint64_t ballooned_pages;

    /* Statistics queue: the buffer we hold while waiting to ask for more. */
    uint64_t stats[VIRTIO_BALLOON_S_NR];
    int64_t stats_last_update;
    VirtQueueElement *stats_vq_elem;
    bool stats_vq_elem_returned;    /* given back to the queue for a migration save */
    QEMUTimer stats_timer;

    /* BALLOON_CHANGE rate limit (one per second, as QEMU's monitor). */
    QEMUTimer event_timer;
    int64_t event_last_ns;
    bool event_pending;

    /*
     * Free page hinting.  hint_lock protects everything below; the hint
     * handler takes the sink's bitmap mutex first, then hint_lock.
     */
    GMutex hint_lock;
    uint32_t cmd_id;            /* what config space shows */
    uint32_t next_cmd_id;
    uint32_t guest_cmd_id;      /* the id the guest last announced (STOP after its end) */
    uint32_t hint_status;       /* VirtIOBalloonHintStatus; a fixed size to migrate */
    bool hints_outstanding;     /* asked since the last DONE: the driver may hold some */
    uint64_t hints, hinted_bytes, stale_hints, invalid_hints;
    uint64_t reported_bytes;    /* free page reporting */
} VirtIOBalloon;

/* The balloon device, or NULL when there is none (only one is allowed). */
VirtIOBalloon *virtio_balloon_get(void);

/*
 * The ballooned-page bitmap: bit i is the 4 KiB page at *@base + i * 4096,
 * *@npages bits.  NULL when there is no balloon.  Read it with the BQL held.
 */
const unsigned long *virtio_balloon_get_ballooned_bitmap(hwaddr *base, uint64_t *npages);

/*
 * ---- Free page hints, for migration ----
 * docs/devel/migration/free-page-hint.rst explains the protocol and the rule
 * that keeps a late hint from hiding a write ("The correctness rule").
 */

/* Called for each hinted free block, [gpa, gpa + len), from the IOThread. */
typedef void VirtIOBalloonHintFunc(void *opaque, hwaddr gpa, uint64_t len);

/*
 * Register the migration code's sink for hints.  @bitmap_mutex is the lock
 * migration holds while it syncs the dirty bitmap (QEMU's bitmap_mutex): the
 * device takes it around checking a hint's cmd_id and calling @fn, so a hint
 * either completes before a sync or is checked after it (and then, because
 * migration stops hinting before each sync, is dropped as stale).  @fn runs
 * without the BQL and must not take it.  Pass fn = NULL to unregister.
 */
void virtio_balloon_set_free_page_hint_sink(VirtIOBalloonHintFunc *fn, void *opaque,
                                            GMutex *bitmap_mutex);

/* True when a balloon exists with free-page-hint=on and its driver accepted it. */
bool virtio_balloon_free_page_hint_active(void);

/*
 * Ask the guest for hints under a fresh cmd_id (>= 0x80000000, increasing),
 * stop hinting (cmd_id STOP; hints still in flight are dropped from now on),
 * or tell the guest the hinted pages are no longer needed (DONE).  Each writes
 * the config space and raises a config interrupt.  Call them with the BQL
 * held or with no lock at all, never while holding the bitmap mutex.
 * start returns false when there is nothing to ask (no device or feature off).
 */
bool virtio_balloon_free_page_start(void);
void virtio_balloon_free_page_stop(void);
void virtio_balloon_free_page_done(void);

typedef struct VirtIOBalloonHintStats {
    uint32_t cmd_id;
    uint32_t guest_cmd_id;
    VirtIOBalloonHintStatus status;
    uint64_t hints;             /* blocks passed to the sink (or counted without one) */
    uint64_t hinted_bytes;
    uint64_t stale_hints;       /* blocks dropped: their cmd_id was not current */
    uint64_t invalid_hints;     /* blocks dropped: outside RAM or not page-aligned */
} VirtIOBalloonHintStats;

bool virtio_balloon_free_page_hint_stats(VirtIOBalloonHintStats *stats);
/* "stop", "requested", "start" or "done", as qom-get free-page-hint-status shows it. */
const char *virtio_balloon_hint_status_name(VirtIOBalloonHintStatus status);

/* ---- internal: shared by virtio-balloon.c and virtio-balloon-hint.c ---- */
void virtio_balloon_handle_free_page_vq(VirtIODevice *vdev, VirtQueue *vq);
void virtio_balloon_handle_report_vq(VirtIODevice *vdev, VirtQueue *vq);
void virtio_balloon_hint_reset(VirtIOBalloon *s);
/* Give [gpa, gpa + len) back to the host (MADV_DONTNEED); false if not all RAM. */
bool virtio_balloon_discard_range(hwaddr gpa, uint64_t len);
void virtio_balloon_hint_register_commands(void);
/* QOM properties, and with free-page-hint=on the migration hooks. */
void virtio_balloon_hint_realize(VirtIOBalloon *s);
/* The migration section (virtio-balloon-vmstate.c), registered at realize. */
extern const VMStateDescription vmstate_virtio_balloon;

#endif
