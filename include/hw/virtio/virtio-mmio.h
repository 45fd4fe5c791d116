/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-mmio transport, version 2 (virtio 1.x section 4.2).  The virt board
 * creates VIRTIO_COUNT empty slots; -device virtio-*-device plugs a device into
 * the highest-numbered free slot, as QEMU's virt board does.
 */
#ifndef HW_VIRTIO_VIRTIO_MMIO_H
#define HW_VIRTIO_VIRTIO_MMIO_H

#include "exec/memory.h"
#include "hw/irq.h"
#include "hw/virtio/virtio.h"

/* Bytes of registers decoded per slot (QEMU's size; the DT reg says 0x1000). */
#define VIRTIO_MMIO_REGION_SIZE 0x200
#define VIRTIO_MMIO_MAGIC 0x74726976    /* "virt" */
#define VIRTIO_MMIO_VERSION 2
#define VIRTIO_MMIO_VENDOR_ID 0x554d4551 /* "QEMU", as QEMU reports */

/* The transport's own registers, pointer-free for migration. */
typedef struct VirtIOMMIORegs {
    uint32_t host_features_sel;
    uint32_t guest_features_sel;
    uint64_t guest_features;    /* staged until FEATURES_OK */
    uint32_t queue_sel;
    /* Ring addresses as written, applied to the queue on QueueReady. */
    uint64_t queue_desc, queue_driver, queue_device;
} VirtIOMMIORegs;

typedef struct VirtIOMMIOProxy {
    VirtIOMMIORegs regs;
    MemoryRegion iomem;
    hwaddr base;
    int slot;                   /* creation index; the migration instance id */
    qemu_irq irq;
    VirtIODevice *vdev;         /* NULL: an empty slot (DeviceID reads 0) */
} VirtIOMMIOProxy;

/* Registered for each occupied slot (section "virtio-mmio", instance = slot). */
extern const VMStateDescription vmstate_virtio_mmio;

/* A slot at @base raising @irq, with @vdev plugged in (NULL for an empty slot). */
VirtIOMMIOProxy *virtio_mmio_create(hwaddr base, qemu_irq irq, VirtIODevice *vdev,
                                    Error **errp);
/* Same as virtio_mmio_create(base, irq, NULL, ...): Linux probes every slot. */
VirtIOMMIOProxy *virtio_mmio_create_empty(hwaddr base, qemu_irq irq);
/* Put @vdev into the highest-numbered empty slot (QEMU's order). */
bool virtio_mmio_plug(VirtIODevice *vdev, Error **errp);
/*
 * Add a "virtio_mmio@BASE" node (compatible "virtio,mmio", its PLIC interrupt)
 * for every slot created so far under @parent_path (e.g. "/soc").  If
 * @plic_phandle is 0 the PLIC node ("riscv,plic0") is looked up in @fdt.
 * The interrupt is each slot's qemu_irq number (its PLIC id).
 */
bool virtio_mmio_fdt_populate(void *fdt, const char *parent_path, uint32_t plic_phandle,
                              Error **errp);

#endif
