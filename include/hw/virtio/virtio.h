/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio core (virtio 1.x, split virtqueues): devices describe their queues
 * and config space; transports (virtio-mmio, virtio-pci) bind them to the
 * guest.  Device callbacks run with the BQL held unless a queue was bound to
 * an IOThread (virtio_queue_set_iothread).
 */
#ifndef HW_VIRTIO_VIRTIO_H
#define HW_VIRTIO_VIRTIO_H

#include "exec/hwaddr.h"
#include <sys/uio.h>

typedef struct Error Error;
typedef struct IOThread IOThread;
typedef struct VirtIODevice VirtIODevice;
typedef struct VirtQueue VirtQueue;

/* Device status bits (virtio 1.x section 2.1) */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE 1
#define VIRTIO_CONFIG_S_DRIVER 2
#define VIRTIO_CONFIG_S_DRIVER_OK 4
#define VIRTIO_CONFIG_S_FEATURES_OK 8
#define VIRTIO_CONFIG_S_NEEDS_RESET 0x40
#define VIRTIO_CONFIG_S_FAILED 0x80

/* Transport-independent feature bits (section 6) */
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33

#define VIRTQUEUE_MAX_SIZE 1024
#define VIRTIO_QUEUE_MAX 8

/* One buffer chain popped from a queue: guest memory mapped as iovecs. */
typedef struct VirtQueueElement {
    unsigned int index;         /* head descriptor index, for virtqueue_push */
    unsigned int out_num;       /* device-readable buffers */
    unsigned int in_num;        /* device-writable buffers */
    hwaddr *out_addr;
    hwaddr *in_addr;
    struct iovec *out_sg;
    struct iovec *in_sg;
} VirtQueueElement;

/*
 * A queue's guest-visible state, pointer-free for migration: what the driver
 * programmed (size, ready, ring addresses) and where the device is in the
 * rings.  The rest of a VirtQueue is host wiring.
 */
typedef struct VirtQueueRegs {
    uint32_t num;               /* queue size chosen by the driver */
    bool ready;
    hwaddr desc;                /* descriptor table */
    hwaddr avail;               /* driver area */
    hwaddr used;                /* device area */
    uint16_t last_avail_idx;    /* next avail entry to pop */
    uint16_t used_idx;          /* our copy of used->idx */
    uint16_t signalled_used;    /* used_idx at the last interrupt (EVENT_IDX) */
    bool signalled_used_valid;
} VirtQueueRegs;

typedef void (*VirtIOHandleOutput)(VirtIODevice *vdev, VirtQueue *vq);

typedef struct VirtIODeviceOps {
    /* Features the device offers (VERSION_1 and ring features are added by the core). */
    uint64_t (*get_features)(VirtIODevice *vdev);
    /* The driver accepted @features (FEATURES_OK). */
    void (*set_features)(VirtIODevice *vdev, uint64_t features);
    /* Fill vdev->config (little-endian layout of the device's config space). */
    void (*get_config)(VirtIODevice *vdev, uint8_t *config);
    /* The driver wrote the config space. */
    void (*set_config)(VirtIODevice *vdev, const uint8_t *config);
    void (*set_status)(VirtIODevice *vdev, uint8_t status);
    void (*reset)(VirtIODevice *vdev);
} VirtIODeviceOps;

/* How a transport signals the guest. */
typedef struct VirtioBusOps {
    void (*notify_queue)(void *transport, int queue_index);
    void (*notify_config)(void *transport);
} VirtioBusOps;

struct VirtIODevice {
    const char *name;           /* "virtio-balloon" */
    uint16_t device_id;         /* 5 for the balloon */
    size_t config_len;
    uint8_t *config;
    const VirtIODeviceOps *ops;
    uint8_t status;
    uint8_t isr;                /* bit 0 queue, bit 1 config (legacy ISR for mmio/pci INTx) */
    uint32_t config_generation;
    uint64_t host_features;
    uint64_t guest_features;
    bool broken;                /* set by virtio_error: ignores the guest until reset */
    int quiesce_depth;          /* virtio_device_quiesce nesting, BQL */
    VirtQueue *vq[VIRTIO_QUEUE_MAX];
    int num_queues;
    const VirtioBusOps *bus_ops;
    void *transport;
};

/*
 * The core's migratable state of a device: status, ISR, config generation,
 * negotiated features, and each queue's VirtQueueRegs.  A device embeds it
 * in its own description (VMSTATE_STRUCT(vdev, ..., vmstate_virtio_device,
 * VirtIODevice)) next to its own state, gives back in its pre_save any
 * element it holds (virtqueue_unpop; post_save pops it again for a source
 * that keeps running) and re-pops it in post_load.  Saving quiesces the
 * device's IOThread queues (virtio_device_quiesce) for its duration.
 */
typedef struct VMStateDescription VMStateDescription;
extern const VMStateDescription vmstate_virtio_device;

void virtio_init(VirtIODevice *vdev, const char *name, uint16_t device_id,
                 size_t config_len, const VirtIODeviceOps *ops);
VirtQueue *virtio_add_queue(VirtIODevice *vdev, int queue_size, VirtIOHandleOutput handler);
void virtio_del_queue(VirtIODevice *vdev, int n);
/*
 * Free the queues and config space virtio_init and virtio_add_queue allocated,
 * once nothing kicks the device any more (handler runs already scheduled on an
 * IOThread are waited for).
 */
void virtio_cleanup(VirtIODevice *vdev);

static inline bool virtio_has_feature(uint64_t features, unsigned int fbit)
{
    return (features >> fbit) & 1;
}

static inline bool virtio_vdev_has_feature(const VirtIODevice *vdev, unsigned int fbit)
{
    return virtio_has_feature(vdev->guest_features, fbit);
}

/*
 * Take the next available buffer chain, or NULL when the queue is empty or
 * the chain is malformed (then the device is marked broken with a
 * guest_errors log and NULL is returned).  Free with g_free.
 */
VirtQueueElement *virtqueue_pop(VirtQueue *vq);
/* Return @elem to the guest with @len bytes written; notify with virtio_notify. */
void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem, unsigned int len);
/* Put @elem back as not consumed (it is popped again next time). */
void virtqueue_unpop(VirtQueue *vq, const VirtQueueElement *elem);
bool virtio_queue_empty(VirtQueue *vq);
/* Interrupt the guest for @vq unless suppressed (EVENT_IDX / NO_INTERRUPT). */
void virtio_notify(VirtIODevice *vdev, VirtQueue *vq);
/* Config space changed: bump the generation and raise a config interrupt. */
void virtio_notify_config(VirtIODevice *vdev);
/* The guest misbehaved: log, set NEEDS_RESET, ignore the device's queues until reset. */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...) QEMU_PRINTF(2, 3);

/*
 * Run @vq's handler on @iothread instead of the vCPU thread that kicked it.
 * The handler then runs without the BQL and must only touch state that is
 * safe from there.
 */
void virtio_queue_set_iothread(VirtQueue *vq, IOThread *iothread);
/*
 * The device never reads or writes the bytes of @vq's device-writable
 * buffers, only their addresses (free page hints): those buffers are not
 * mapped (in_sg[i].iov_base is NULL), so one outside RAM does not break the
 * device, and the device itself must judge in_addr[i] and in_sg[i].iov_len.
 */
void virtio_queue_set_in_by_address(VirtQueue *vq);
int virtio_get_queue_index(VirtQueue *vq);
/*
 * Hold off the IOThread handlers of @vdev's queues and wait for a running
 * one to return (BQL held; it is dropped while waiting), then let them run
 * again.  Nests.  Migration saves a device between the two.
 */
void virtio_device_quiesce(VirtIODevice *vdev);
void virtio_device_resume(VirtIODevice *vdev);
VirtIODevice *virtio_queue_get_vdev(VirtQueue *vq);

/* ---- transport side ---- */
void virtio_reset(VirtIODevice *vdev);
void virtio_set_status(VirtIODevice *vdev, uint8_t status);
/* Driver features written; false if it accepted bits we do not offer. */
bool virtio_set_features(VirtIODevice *vdev, uint64_t features);
uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t offset, unsigned size);
void virtio_config_write(VirtIODevice *vdev, uint32_t offset, uint32_t val, unsigned size);
/* The guest kicked queue @n. */
void virtio_queue_notify(VirtIODevice *vdev, int n);
/* Queue registers a transport exposes. */
int virtio_queue_get_max_size(VirtIODevice *vdev, int n);
void virtio_queue_set_size(VirtIODevice *vdev, int n, int size);
int virtio_queue_get_size(VirtIODevice *vdev, int n);
void virtio_queue_set_addrs(VirtIODevice *vdev, int n, hwaddr desc, hwaddr avail,
                            hwaddr used);
void virtio_queue_get_addrs(VirtIODevice *vdev, int n, hwaddr *desc, hwaddr *avail,
                            hwaddr *used);
void virtio_queue_set_ready(VirtIODevice *vdev, int n, bool ready);
bool virtio_queue_get_ready(VirtIODevice *vdev, int n);
void virtio_bind_transport(VirtIODevice *vdev, const VirtioBusOps *ops, void *transport);

#endif
