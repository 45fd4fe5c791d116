/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-pci transport, modern only (virtio 1.x section 4.1): PCI device id
 * 0x1040 + virtio device id, the virtio vendor capabilities in BAR 4 (64-bit,
 * as QEMU lays it out) and INTx interrupts (no MSI-X).
 */
#ifndef HW_VIRTIO_VIRTIO_PCI_H
#define HW_VIRTIO_VIRTIO_PCI_H

#include "hw/pci/pci.h"
#include "hw/virtio/virtio.h"

#define PCI_VENDOR_ID_REDHAT_QUMRANET   0x1af4
#define PCI_DEVICE_ID_VIRTIO_MODERN_BASE 0x1040
#define VIRTIO_PCI_BAR                  4
#define VIRTIO_PCI_BAR_SIZE             0x4000
#define VIRTIO_PCI_NOTIFY_OFF_MULTIPLIER 4

/* The common configuration registers the transport keeps, pointer-free for migration. */
typedef struct VirtIOPCIRegs {
    uint32_t device_feature_select;
    uint32_t driver_feature_select;
    uint64_t driver_features;   /* staged until FEATURES_OK */
    uint16_t queue_select;
} VirtIOPCIRegs;

typedef struct VirtIOPCIProxy {
    PCIDevice pci_dev;          /* first: the PCI hooks get a PCIDevice * */
    VirtIODevice *vdev;
    MemoryRegion bar;           /* common | isr | device | notify, 4 KiB each */
    uint8_t pci_cfg_cap;        /* config offset of the PCI cfg access capability */
    VirtIOPCIRegs regs;
} VirtIOPCIProxy;

/* Registered for each function (section "virtio-pci", instance = devfn). */
extern const VMStateDescription vmstate_virtio_pci;

/* Wrap @vdev in a virtio-pci function and plug it into the next free slot of bus 0. */
VirtIOPCIProxy *virtio_pci_create(VirtIODevice *vdev, Error **errp);
/* Same, for callers that only need success or failure. */
bool virtio_pci_plug(VirtIODevice *vdev, Error **errp);

#endif
