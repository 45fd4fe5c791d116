/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio core: split virtqueues (virtio 1.x section 2.7), feature and status
 * handling (sections 2.1, 2.2, 3.1) and the config space, shared by the
 * virtio-mmio and virtio-pci transports.
 *
 * Every ring and buffer access maps guest memory with address_space_map();
 * each write through a mapping is logged for migration afterwards, with
 * address_space_set_dirty (docs/devel/migration/dirty-log.rst).  The guest is untrusted: a chain that loops, points outside RAM, or breaks the
 * ring rules marks the device broken (virtio_error) and is never followed.
 *
 * Concurrency: a queue's handler, pop and push run either on the vCPU thread
 * that kicked it (with the BQL) or, after virtio_queue_set_iothread(), only on
 * that IOThread (without the BQL).  Interrupts and status changes that reach
 * the transport always take the BQL, since the PLIC and the transports'
 * registers are BQL-protected.  See docs/devel/virtio.rst.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio.h"
#include "exec/memory.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "sysemu/iothread.h"
#include "migration/vmstate.h"

/* Descriptor flags (section 2.7.5) */
#define VRING_DESC_F_NEXT       1
#define VRING_DESC_F_WRITE      2
#define VRING_DESC_F_INDIRECT   4

/* Ring flags (sections 2.7.6, 2.7.8) */
#define VRING_AVAIL_F_NO_INTERRUPT  1
#define VRING_USED_F_NO_NOTIFY      1

#define VRING_DESC_SIZE 16
#define VRING_USED_ELEM_SIZE 8

/* struct virtq_desc, as read from guest memory (little-endian). */
typedef struct VRingDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} QEMU_PACKED VRingDesc;

struct VirtQueue {
    VirtQueueRegs regs;         /* what the driver programmed and the ring positions */
    VirtIODevice *vdev;
    int index;
    unsigned int num_max;
    unsigned int inuse;         /* popped, not pushed yet */
    VirtIOHandleOutput handler;
    IOThread *iothread;
    bool kick_scheduled;        /* a handler run is queued on the IOThread */
    bool handler_running;       /* the IOThread is inside the handler */
    bool quiesced;              /* atomic: handlers hold off (virtio_device_quiesce) */
};

/* ---- BQL helpers: interrupts and transport state need it ---- */

static bool bql_ensure(void)
{
    if (bql_locked()) {
        return false;
    }
    bql_lock();
    return true;
}

static void bql_release(bool taken)
{
    if (taken) {
        bql_unlock();
    }
}

/* ---- ring accessors (offsets from section 2.7) ---- */

static hwaddr avail_flags_addr(VirtQueue *vq) { return vq->regs.avail; }
static hwaddr avail_idx_addr(VirtQueue *vq) { return vq->regs.avail + 2; }
static hwaddr avail_ring_addr(VirtQueue *vq, unsigned i) { return vq->regs.avail + 4 + 2 * i; }
static hwaddr used_event_addr(VirtQueue *vq) { return vq->regs.avail + 4 + 2 * vq->regs.num; }
static hwaddr used_idx_addr(VirtQueue *vq) { return vq->regs.used + 2; }
static hwaddr used_elem_addr(VirtQueue *vq, unsigned i)
{
    return vq->regs.used + 4 + VRING_USED_ELEM_SIZE * i;
}
static hwaddr avail_event_addr(VirtQueue *vq)
{
    return vq->regs.used + 4 + VRING_USED_ELEM_SIZE * vq->regs.num;
}

/*
 * A 16-bit ring field the guest updates concurrently: one aligned atomic load.
 * Returns false (and marks the device broken) when the ring is not in RAM.
 */
static bool ring_load16(VirtQueue *vq, hwaddr addr, uint16_t *val)
{
    uint16_t *p = (addr & 1) ? NULL : address_space_map(addr, 2, false);

    if (!p) {
        virtio_error(vq->vdev, "queue %d: ring at 0x%" HWADDR_PRIx " is not in RAM",
                     vq->index, addr);
        return false;
    }
    *val = GUINT16_FROM_LE(__atomic_load_n(p, __ATOMIC_RELAXED));
    return true;
}

static bool ring_store16(VirtQueue *vq, hwaddr addr, uint16_t val)
{
    uint16_t *p = (addr & 1) ? NULL : address_space_map(addr, 2, false);

    if (!p) {
        virtio_error(vq->vdev, "queue %d: ring at 0x%" HWADDR_PRIx " is not in RAM",
                     vq->index, addr);
        return false;
    }
    __atomic_store_n(p, GUINT16_TO_LE(val), __ATOMIC_RELAXED);
    /* Logged after the store: queues may run on an IOThread, without the BQL. */
    address_space_set_dirty(addr, 2);
    return true;
}

/* (section 2.7.7.2) true when the driver asked to be told at @event. */
static bool vring_need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx)
{
    return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old_idx);
}

static bool virtqueue_usable(VirtQueue *vq)
{
    /* Sequentially consistent: pairs with virtio_wait_iothread_handlers(). */
    return __atomic_load_n(&vq->regs.ready, __ATOMIC_SEQ_CST) &&
           !__atomic_load_n(&vq->quiesced, __ATOMIC_SEQ_CST) && vq->regs.desc &&
           vq->regs.num && !__atomic_load_n(&vq->vdev->broken, __ATOMIC_ACQUIRE);
}

/* ---- device setup ---- */

void virtio_init(VirtIODevice *vdev, const char *name, uint16_t device_id,
                 size_t config_len, const VirtIODeviceOps *ops)
{
    vdev->name = name;
    vdev->device_id = device_id;
    vdev->config_len = config_len;
    vdev->config = g_malloc0(config_len ? config_len : 1);
    vdev->ops = ops;
    vdev->status = 0;
    vdev->isr = 0;
    vdev->config_generation = 0;
    vdev->guest_features = 0;
    vdev->broken = false;
    vdev->num_queues = 0;
    /* Modern only; the ring features are implemented here for every device. */
    vdev->host_features = (ops && ops->get_features ? ops->get_features(vdev) : 0) |
                          (1ULL << VIRTIO_F_VERSION_1) |
                          (1ULL << VIRTIO_RING_F_INDIRECT_DESC) |
                          (1ULL << VIRTIO_RING_F_EVENT_IDX);
}

static void virtqueue_reset(VirtQueue *vq)
{
    vq->regs.num = vq->num_max;
    vq->regs.ready = false;
    vq->regs.desc = vq->regs.avail = vq->regs.used = 0;
    vq->regs.last_avail_idx = 0;
    vq->regs.used_idx = 0;
    vq->regs.signalled_used = 0;
    vq->regs.signalled_used_valid = false;
    vq->inuse = 0;
}

VirtQueue *virtio_add_queue(VirtIODevice *vdev, int queue_size, VirtIOHandleOutput handler)
{
    VirtQueue *vq;
    int n;

    /* Queue sizes are powers of two up to 32768 (section 2.7); ours are smaller. */
    g_assert(queue_size > 0 && queue_size <= VIRTQUEUE_MAX_SIZE &&
             !(queue_size & (queue_size - 1)));
    for (n = 0; n < VIRTIO_QUEUE_MAX && vdev->vq[n]; n++) {
    }
    g_assert(n < VIRTIO_QUEUE_MAX);
    vq = g_new0(VirtQueue, 1);
    vq->vdev = vdev;
    vq->index = n;
    vq->num_max = queue_size;
    vq->handler = handler;
    virtqueue_reset(vq);
    vdev->vq[n] = vq;
    if (n + 1 > vdev->num_queues) {
        vdev->num_queues = n + 1;
    }
    return vq;
}

void virtio_del_queue(VirtIODevice *vdev, int n)
{
    g_assert(n >= 0 && n < VIRTIO_QUEUE_MAX && vdev->vq[n]);
    g_free(vdev->vq[n]);
    vdev->vq[n] = NULL;
    while (vdev->num_queues > 0 && !vdev->vq[vdev->num_queues - 1]) {
        vdev->num_queues--;
    }
}

int virtio_get_queue_index(VirtQueue *vq)
{
    return vq->index;
}

VirtIODevice *virtio_queue_get_vdev(VirtQueue *vq)
{
    return vq->vdev;
}

void virtio_bind_transport(VirtIODevice *vdev, const VirtioBusOps *ops, void *transport)
{
    vdev->bus_ops = ops;
    vdev->transport = transport;
}

/* ---- errors ---- */

void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;
    bool taken;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qemu_log_mask(LOG_GUEST_ERROR, "%s: %s\n", vdev->name ? vdev->name : "virtio", msg);

    taken = bql_ensure();
    if (!vdev->broken) {
        __atomic_store_n(&vdev->broken, true, __ATOMIC_RELEASE);
        /* Section 2.1.2: the driver sees NEEDS_RESET and a config change. */
        vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
        virtio_notify_config(vdev);
    }
    bql_release(taken);
}

/* ---- descriptor chains (section 2.7.5) ---- */

/* Buffers collected while a chain is walked. */
typedef struct ChainWalk {
    unsigned int out_num, in_num;
    hwaddr addr[VIRTQUEUE_MAX_SIZE];
    struct iovec iov[VIRTQUEUE_MAX_SIZE];
    bool is_write[VIRTQUEUE_MAX_SIZE];
} ChainWalk;

static bool read_desc(VirtQueue *vq, const uint8_t *table, unsigned int i, VRingDesc *d)
{
    memcpy(d, table + (size_t)i * VRING_DESC_SIZE, sizeof(*d));
    d->addr = GUINT64_FROM_LE(d->addr);
    d->len = GUINT32_FROM_LE(d->len);
    d->flags = GUINT16_FROM_LE(d->flags);
    d->next = GUINT16_FROM_LE(d->next);
    return true;
}

/* Map one buffer; false (device broken) if it is not entirely in one RAM region. */
static bool map_buffer(VirtQueue *vq, ChainWalk *w, const VRingDesc *d)
{
    bool is_write = d->flags & VRING_DESC_F_WRITE;
    unsigned int n = w->out_num + w->in_num;
    void *host;

    if (n >= VIRTQUEUE_MAX_SIZE) {
        virtio_error(vq->vdev, "queue %d: chain has more than %d buffers", vq->index,
                     VIRTQUEUE_MAX_SIZE);
        return false;
    }
    if (!d->len) {
        virtio_error(vq->vdev, "queue %d: zero-sized buffer", vq->index);
        return false;
    }
    if (d->addr + d->len < d->addr) {
        virtio_error(vq->vdev, "queue %d: buffer 0x%" PRIx64 "+0x%x wraps around",
                     vq->index, d->addr, d->len);
        return false;
    }
    if (!is_write && w->in_num) {
        /* Section 2.7.4.2: device-readable buffers come first. */
        virtio_error(vq->vdev, "queue %d: readable buffer after a writable one", vq->index);
        return false;
    }
    /*
     * Not marked dirty here: virtqueue_push marks the bytes the device says
     * it wrote, after it wrote them.  Marking at pop would log whole buffers
     * the device never writes, such as free page hint blocks, and defeat
     * hinting (DESIGN.md: hinted pages must not be sent).
     */
    host = address_space_map(d->addr, d->len, false);
    if (!host) {
        virtio_error(vq->vdev, "queue %d: buffer 0x%" PRIx64 "+0x%x is not in guest RAM",
                     vq->index, d->addr, d->len);
        return false;
    }
    w->addr[n] = d->addr;
    w->iov[n].iov_base = host;
    w->iov[n].iov_len = d->len;
    w->is_write[n] = is_write;
    if (is_write) {
        w->in_num++;
    } else {
        w->out_num++;
    }
    return true;
}

/*
 * Walk the chain starting at @head of a descriptor table of @table_size
 * entries.  An indirect descriptor in the top-level table switches to its
 * table (section 2.7.5.3); indirect tables cannot nest.
 */
static bool walk_chain(VirtQueue *vq, ChainWalk *w, unsigned int head)
{
    const uint8_t *table;
    unsigned int table_size = vq->regs.num, i = head, seen = 0;
    bool indirect = false;
    VRingDesc d;

    table = address_space_map(vq->regs.desc, (hwaddr)vq->regs.num * VRING_DESC_SIZE, false);
    if (!table) {
        virtio_error(vq->vdev, "queue %d: descriptor table 0x%" HWADDR_PRIx
                     " is not in RAM", vq->index, vq->regs.desc);
        return false;
    }
    for (;;) {
        if (i >= table_size) {
            virtio_error(vq->vdev, "queue %d: descriptor index %u out of range (%u)",
                         vq->index, i, table_size);
            return false;
        }
        if (++seen > table_size) {
            virtio_error(vq->vdev, "queue %d: descriptor chain loops", vq->index);
            return false;
        }
        read_desc(vq, table, i, &d);
        if (d.flags & VRING_DESC_F_INDIRECT) {
            if (!virtio_vdev_has_feature(vq->vdev, VIRTIO_RING_F_INDIRECT_DESC)) {
                virtio_error(vq->vdev, "queue %d: indirect descriptor not negotiated",
                             vq->index);
                return false;
            }
            if (indirect) {
                virtio_error(vq->vdev, "queue %d: nested indirect descriptor", vq->index);
                return false;
            }
            if (d.flags & VRING_DESC_F_NEXT) {
                virtio_error(vq->vdev, "queue %d: indirect descriptor with NEXT",
                             vq->index);
                return false;
            }
            if (!d.len || d.len % VRING_DESC_SIZE) {
                virtio_error(vq->vdev, "queue %d: indirect table length %u is not a "
                             "multiple of %d", vq->index, d.len, VRING_DESC_SIZE);
                return false;
            }
            table = address_space_map(d.addr, d.len, false);
            if (!table) {
                virtio_error(vq->vdev, "queue %d: indirect table 0x%" PRIx64 "+0x%x is "
                             "not in RAM", vq->index, d.addr, d.len);
                return false;
            }
            indirect = true;
            table_size = d.len / VRING_DESC_SIZE;
            i = 0;
            seen = 0;
            continue;
        }
        if (!map_buffer(vq, w, &d)) {
            return false;
        }
        if (!(d.flags & VRING_DESC_F_NEXT)) {
            return true;
        }
        i = d.next;
    }
}

static VirtQueueElement *element_from_walk(const ChainWalk *w, unsigned int head)
{
    unsigned int total = w->out_num + w->in_num;
    size_t size = sizeof(VirtQueueElement) +
                  total * (sizeof(hwaddr) + sizeof(struct iovec));
    VirtQueueElement *elem = g_malloc0(size);
    /* iovecs first: they need the strictest alignment. */
    struct iovec *iov = (struct iovec *)(elem + 1);
    hwaddr *addrs = (hwaddr *)(iov + total);
    unsigned int o = 0, in = 0;

    elem->index = head;
    elem->out_num = w->out_num;
    elem->in_num = w->in_num;
    elem->out_sg = iov;
    elem->in_sg = iov + w->out_num;
    elem->out_addr = addrs;
    elem->in_addr = addrs + w->out_num;
    for (unsigned int n = 0; n < total; n++) {
        if (w->is_write[n]) {
            elem->in_sg[in] = w->iov[n];
            elem->in_addr[in++] = w->addr[n];
        } else {
            elem->out_sg[o] = w->iov[n];
            elem->out_addr[o++] = w->addr[n];
        }
    }
    return elem;
}

/* Number of entries the driver made available and we have not popped. */
static bool avail_pending(VirtQueue *vq, uint16_t *pending)
{
    uint16_t avail_idx;

    if (!ring_load16(vq, avail_idx_addr(vq), &avail_idx)) {
        return false;
    }
    *pending = avail_idx - vq->regs.last_avail_idx;
    if (*pending > vq->regs.num) {
        virtio_error(vq->vdev, "queue %d: avail idx %u is %u ahead of %u (size %u)",
                     vq->index, avail_idx, *pending, vq->regs.last_avail_idx, vq->regs.num);
        return false;
    }
    return true;
}

bool virtio_queue_empty(VirtQueue *vq)
{
    uint16_t pending;

    if (!virtqueue_usable(vq)) {
        return true;
    }
    return !avail_pending(vq, &pending) || pending == 0;
}

VirtQueueElement *virtqueue_pop(VirtQueue *vq)
{
    g_autofree ChainWalk *walk = NULL;
    VirtQueueElement *elem;
    uint16_t pending, head;

    if (!virtqueue_usable(vq) || !avail_pending(vq, &pending) || !pending) {
        return NULL;
    }
    /* Section 2.7.13.3: read the ring entry only after seeing the new idx. */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (!ring_load16(vq, avail_ring_addr(vq, vq->regs.last_avail_idx % vq->regs.num), &head)) {
        return NULL;
    }
    if (head >= vq->regs.num) {
        virtio_error(vq->vdev, "queue %d: avail ring head %u out of range (%u)",
                     vq->index, head, vq->regs.num);
        return NULL;
    }
    walk = g_new(ChainWalk, 1);
    walk->out_num = walk->in_num = 0;
    if (!walk_chain(vq, walk, head)) {
        return NULL;
    }
    elem = element_from_walk(walk, head);
    vq->regs.last_avail_idx++;
    vq->inuse++;
    if (virtio_vdev_has_feature(vq->vdev, VIRTIO_RING_F_EVENT_IDX)) {
        /* Section 2.7.10: kick us again once the driver passes this index. */
        ring_store16(vq, avail_event_addr(vq), vq->regs.last_avail_idx);
    }
    return elem;
}

void virtqueue_unpop(VirtQueue *vq, const VirtQueueElement *elem)
{
    vq->regs.last_avail_idx--;
    vq->inuse--;
}

/* Log the @len bytes the device wrote into @elem's writable buffers as dirty. */
static void mark_written(const VirtQueueElement *elem, unsigned int len)
{
    for (unsigned int i = 0; i < elem->in_num && len; i++) {
        size_t chunk = MIN(len, elem->in_sg[i].iov_len);

        address_space_set_dirty(elem->in_addr[i], chunk);
        len -= chunk;
    }
}

void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem, unsigned int len)
{
    hwaddr used_elem_gpa;
    uint32_t *used_elem;

    if (!virtqueue_usable(vq)) {
        return;
    }
    mark_written(elem, len);
    used_elem_gpa = used_elem_addr(vq, vq->regs.used_idx % vq->regs.num);
    used_elem = address_space_map(used_elem_gpa, VRING_USED_ELEM_SIZE, false);
    if (!used_elem || (vq->regs.used & 3)) {
        virtio_error(vq->vdev, "queue %d: used ring 0x%" HWADDR_PRIx " is not in RAM",
                     vq->index, vq->regs.used);
        return;
    }
    used_elem[0] = GUINT32_TO_LE(elem->index);
    used_elem[1] = GUINT32_TO_LE(len);
    address_space_set_dirty(used_elem_gpa, VRING_USED_ELEM_SIZE);
    /* Section 2.7.8.2: the element must be visible before the new used idx. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    vq->regs.used_idx++;
    ring_store16(vq, used_idx_addr(vq), vq->regs.used_idx);
    if (vq->inuse) {
        vq->inuse--;
    }
}

/* Section 2.7.7.2 / 2.7.10: does the driver want an interrupt now? */
static bool virtio_should_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    uint16_t old_idx, new_idx, event, flags;
    bool valid;

    /* Our used idx store must be ordered before reading the driver's suppression. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        return ring_load16(vq, avail_flags_addr(vq), &flags) &&
               !(flags & VRING_AVAIL_F_NO_INTERRUPT);
    }
    valid = vq->regs.signalled_used_valid;
    old_idx = vq->regs.signalled_used;
    new_idx = vq->regs.signalled_used = vq->regs.used_idx;
    vq->regs.signalled_used_valid = true;
    if (!ring_load16(vq, used_event_addr(vq), &event)) {
        return false;
    }
    return !valid || vring_need_event(event, new_idx, old_idx);
}

void virtio_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    bool taken;

    if (!virtqueue_usable(vq) || !virtio_should_notify(vdev, vq)) {
        return;
    }
    taken = bql_ensure();
    vdev->isr |= 1;
    if (vdev->bus_ops && vdev->bus_ops->notify_queue) {
        vdev->bus_ops->notify_queue(vdev->transport, vq->index);
    }
    bql_release(taken);
}

void virtio_notify_config(VirtIODevice *vdev)
{
    bool taken = bql_ensure();

    vdev->config_generation++;
    /* Section 4.2.2.1 / 4.1.4.5: no interrupt before the driver is ready for it. */
    if (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) {
        vdev->isr |= 2;
        if (vdev->bus_ops && vdev->bus_ops->notify_config) {
            vdev->bus_ops->notify_config(vdev->transport);
        }
    }
    bql_release(taken);
}

/* ---- kicks and IOThreads ---- */

static gboolean virtio_queue_iothread_run(gpointer opaque)
{
    VirtQueue *vq = opaque;

    /*
     * Announced before the ready check: a reset either sees the handler
     * running and waits for it, or the handler sees the queue not ready.
     */
    __atomic_store_n(&vq->handler_running, true, __ATOMIC_SEQ_CST);
    /* Cleared first: a kick that lands while the handler runs schedules a new run. */
    __atomic_store_n(&vq->kick_scheduled, false, __ATOMIC_SEQ_CST);
    if (virtqueue_usable(vq) && vq->handler) {
        vq->handler(vq->vdev, vq);
    }
    __atomic_store_n(&vq->handler_running, false, __ATOMIC_SEQ_CST);
    return G_SOURCE_REMOVE;
}

void virtio_queue_set_iothread(VirtQueue *vq, IOThread *iothread)
{
    vq->iothread = iothread;
}

void virtio_queue_notify(VirtIODevice *vdev, int n)
{
    VirtQueue *vq;

    if (n < 0 || n >= VIRTIO_QUEUE_MAX || !vdev->vq[n]) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: kick of nonexistent queue %d\n", vdev->name, n);
        return;
    }
    vq = vdev->vq[n];
    if (!virtqueue_usable(vq) || !vq->handler) {
        return;
    }
    if (vq->iothread) {
        /* Coalesce: many kicks before the IOThread runs make one handler call. */
        if (!__atomic_exchange_n(&vq->kick_scheduled, true, __ATOMIC_SEQ_CST)) {
            iothread_schedule(vq->iothread, virtio_queue_iothread_run, vq);
        }
        return;
    }
    vq->handler(vdev, vq);
}

/* ---- status, features, reset (sections 2.1, 2.2, 3.1) ---- */

/*
 * A reset (status 0 from a vCPU, or a system reset) must not overlap an
 * IOThread handler: the handler would keep popping from and pushing to the
 * old rings with the new (zeroed) indexes, so the next driver would find its
 * first buffer skipped or a used entry it never made, or the fresh device
 * marked NEEDS_RESET.  Stop the queues, then wait for a running handler to
 * notice.  The handler may need the BQL (virtio_notify, virtio_error), so it
 * is dropped while waiting, as pause_all_vcpus() does.
 */
static void virtio_wait_iothread_handlers(VirtIODevice *vdev)
{
    for (int n = 0; n < VIRTIO_QUEUE_MAX; n++) {
        VirtQueue *vq = vdev->vq[n];

        while (vq && vq->iothread &&
               __atomic_load_n(&vq->handler_running, __ATOMIC_SEQ_CST)) {
            bool had_bql = bql_locked();

            if (had_bql) {
                bql_unlock();
            }
            g_usleep(10);
            if (had_bql) {
                bql_lock();
            }
        }
    }
}

static void virtio_quiesce_iothread_queues(VirtIODevice *vdev)
{
    for (int n = 0; n < VIRTIO_QUEUE_MAX; n++) {
        VirtQueue *vq = vdev->vq[n];

        if (vq && vq->iothread) {
            __atomic_store_n(&vq->regs.ready, false, __ATOMIC_SEQ_CST);
        }
    }
    virtio_wait_iothread_handlers(vdev);
}

/*
 * Migration saves a device with the vCPUs stopped, but an IOThread handler
 * may still be working through a queue (the balloon's free page hints) and
 * change ring positions or device state under the save.  Hold the handlers
 * off as a reset does, with a flag of its own so that the queues' ready bits,
 * which are migrated, stay as the driver set them.
 */
void virtio_device_quiesce(VirtIODevice *vdev)
{
    if (vdev->quiesce_depth++) {
        return;
    }
    for (int n = 0; n < VIRTIO_QUEUE_MAX; n++) {
        VirtQueue *vq = vdev->vq[n];

        if (vq && vq->iothread) {
            __atomic_store_n(&vq->quiesced, true, __ATOMIC_SEQ_CST);
        }
    }
    virtio_wait_iothread_handlers(vdev);
}

void virtio_device_resume(VirtIODevice *vdev)
{
    g_assert(vdev->quiesce_depth > 0);
    if (--vdev->quiesce_depth) {
        return;
    }
    for (int n = 0; n < VIRTIO_QUEUE_MAX; n++) {
        VirtQueue *vq = vdev->vq[n];

        if (vq && vq->iothread) {
            __atomic_store_n(&vq->quiesced, false, __ATOMIC_SEQ_CST);
            /* A kick that arrived meanwhile was dropped: run once for it. */
            if (!virtio_queue_empty(vq)) {
                virtio_queue_notify(vdev, n);
            }
        }
    }
}

void virtio_reset(VirtIODevice *vdev)
{
    virtio_quiesce_iothread_queues(vdev);
    if (vdev->ops && vdev->ops->reset) {
        vdev->ops->reset(vdev);
    }
    vdev->status = 0;
    vdev->isr = 0;
    vdev->guest_features = 0;
    __atomic_store_n(&vdev->broken, false, __ATOMIC_RELEASE);
    for (int n = 0; n < VIRTIO_QUEUE_MAX; n++) {
        if (vdev->vq[n]) {
            virtqueue_reset(vdev->vq[n]);
        }
    }
}

bool virtio_set_features(VirtIODevice *vdev, uint64_t features)
{
    /* Section 2.2.1: the driver must not accept features we did not offer. */
    vdev->guest_features = features & vdev->host_features;
    return !(features & ~vdev->host_features);
}

void virtio_set_status(VirtIODevice *vdev, uint8_t status)
{
    uint8_t old = vdev->status;

    if (status == 0) {
        virtio_reset(vdev);
        return;
    }
    if ((status & VIRTIO_CONFIG_S_FEATURES_OK) && !(old & VIRTIO_CONFIG_S_FEATURES_OK)) {
        /* Section 3.1.1: we only speak virtio 1.x; refuse FEATURES_OK without it. */
        if (!virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1)) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: driver did not accept VERSION_1\n",
                          vdev->name);
            status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
        } else if (vdev->ops && vdev->ops->set_features) {
            vdev->ops->set_features(vdev, vdev->guest_features);
        }
    }
    /* NEEDS_RESET is the device's to set; the driver cannot clear it. */
    vdev->status = status | (old & VIRTIO_CONFIG_S_NEEDS_RESET);
    if (vdev->ops && vdev->ops->set_status) {
        vdev->ops->set_status(vdev, vdev->status);
    }
}

/* ---- config space (little-endian, section 4.x.x "device configuration") ---- */

uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t offset, unsigned size)
{
    uint32_t val = 0;

    if (size > 4 || offset + size > vdev->config_len) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: config read of %u bytes at %u past %zu\n",
                      vdev->name, size, offset, vdev->config_len);
        return 0;
    }
    if (vdev->ops && vdev->ops->get_config) {
        vdev->ops->get_config(vdev, vdev->config);
    }
    for (unsigned i = 0; i < size; i++) {
        val |= (uint32_t)vdev->config[offset + i] << (8 * i);
    }
    return val;
}

void virtio_config_write(VirtIODevice *vdev, uint32_t offset, uint32_t val, unsigned size)
{
    if (size > 4 || offset + size > vdev->config_len) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: config write of %u bytes at %u past %zu\n",
                      vdev->name, size, offset, vdev->config_len);
        return;
    }
    if (vdev->ops && vdev->ops->get_config) {
        vdev->ops->get_config(vdev, vdev->config);
    }
    for (unsigned i = 0; i < size; i++) {
        vdev->config[offset + i] = val >> (8 * i);
    }
    if (vdev->ops && vdev->ops->set_config) {
        vdev->ops->set_config(vdev, vdev->config);
    }
}

/* ---- queue registers ---- */

static VirtQueue *queue_or_null(VirtIODevice *vdev, int n)
{
    return n >= 0 && n < VIRTIO_QUEUE_MAX ? vdev->vq[n] : NULL;
}

int virtio_queue_get_max_size(VirtIODevice *vdev, int n)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    return vq ? vq->num_max : 0;
}

void virtio_queue_set_size(VirtIODevice *vdev, int n, int size)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    if (!vq) {
        return;
    }
    /* Section 2.7: a power of 2 no larger than the maximum. */
    if (size <= 0 || size > vq->num_max || (size & (size - 1))) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: queue %d: invalid size %d (max %u)\n",
                      vdev->name, n, size, vq->num_max);
        return;
    }
    vq->regs.num = size;
}

int virtio_queue_get_size(VirtIODevice *vdev, int n)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    return vq ? vq->regs.num : 0;
}

void virtio_queue_set_addrs(VirtIODevice *vdev, int n, hwaddr desc, hwaddr avail,
                            hwaddr used)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    if (vq) {
        vq->regs.desc = desc;
        vq->regs.avail = avail;
        vq->regs.used = used;
    }
}

void virtio_queue_get_addrs(VirtIODevice *vdev, int n, hwaddr *desc, hwaddr *avail,
                            hwaddr *used)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    *desc = vq ? vq->regs.desc : 0;
    *avail = vq ? vq->regs.avail : 0;
    *used = vq ? vq->regs.used : 0;
}

void virtio_queue_set_ready(VirtIODevice *vdev, int n, bool ready)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    if (vq) {
        vq->regs.ready = ready;
    }
}

bool virtio_queue_get_ready(VirtIODevice *vdev, int n)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    return vq && vq->regs.ready;
}

/* ---- migration (docs/devel/migration/vmstate.rst, "virtio") ---- */

static const VMStateDescription vmstate_virtqueue_regs = {
    .name = "virtqueue-regs",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        VMSTATE_UINT32(num, VirtQueueRegs),
        VMSTATE_BOOL(ready, VirtQueueRegs),
        VMSTATE_UINT64(desc, VirtQueueRegs),
        VMSTATE_UINT64(avail, VirtQueueRegs),
        VMSTATE_UINT64(used, VirtQueueRegs),
        VMSTATE_UINT16(last_avail_idx, VirtQueueRegs),
        VMSTATE_UINT16(used_idx, VirtQueueRegs),
        VMSTATE_UINT16(signalled_used, VirtQueueRegs),
        VMSTATE_BOOL(signalled_used_valid, VirtQueueRegs),
        VMSTATE_END_OF_LIST(),
    },
};

static bool virtqueue_post_load(void *opaque, int version_id, Error **errp)
{
    VirtQueue *vq = opaque;
    VirtQueueRegs *r = &vq->regs;
    uint16_t in_flight = r->last_avail_idx - r->used_idx;

    if (!r->num || r->num > vq->num_max || (r->num & (r->num - 1))) {
        error_setg(errp, "queue %d: size %u is not a power of 2 up to %u", vq->index,
                   r->num, vq->num_max);
        return false;
    }
    /*
     * Chains popped and not yet pushed.  Devices give back what they hold
     * before saving (virtqueue_unpop in pre_save), so the destination pops
     * them again; anything counted here is lost work the guest still waits for.
     */
    if (in_flight > r->num) {
        error_setg(errp, "queue %d: %u buffers in flight in a queue of %u", vq->index,
                   in_flight, r->num);
        return false;
    }
    vq->inuse = in_flight;
    return true;
}

static const VMStateDescription vmstate_virtqueue = {
    .name = "virtqueue",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = virtqueue_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_STRUCT(regs, VirtQueue, 0, vmstate_virtqueue_regs, VirtQueueRegs),
        VMSTATE_END_OF_LIST(),
    },
};

/* The save reads queues that an IOThread handler could otherwise still be moving. */
static bool virtio_device_pre_save(void *opaque, Error **errp)
{
    virtio_device_quiesce(opaque);
    return true;
}

static void virtio_device_post_save(void *opaque)
{
    virtio_device_resume(opaque);
}

static bool virtio_device_post_load(void *opaque, int version_id, Error **errp)
{
    VirtIODevice *vdev = opaque;

    /* The destination's device properties decide what it offers (-device ...). */
    if (vdev->guest_features & ~vdev->host_features) {
        error_setg(errp, "%s: the driver uses features 0x%" PRIx64 " that this device "
                   "does not offer; start it with the source's properties", vdev->name,
                   vdev->guest_features & ~vdev->host_features);
        return false;
    }
    return true;
}

const VMStateDescription vmstate_virtio_device = {
    .name = "virtio",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = virtio_device_pre_save,
    .post_save = virtio_device_post_save,
    .post_load = virtio_device_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_UINT8(status, VirtIODevice),
        VMSTATE_UINT8(isr, VirtIODevice),
        VMSTATE_UINT32(config_generation, VirtIODevice),
        VMSTATE_UINT64(guest_features, VirtIODevice),
        VMSTATE_BOOL(broken, VirtIODevice),
        VMSTATE_STRUCT_PTR_ARRAY(vq, VirtIODevice, VIRTIO_QUEUE_MAX, 0, vmstate_virtqueue,
                                 VirtQueue),
        VMSTATE_END_OF_LIST(),
    },
};
