/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-mmio transport, version 2 ("modern", virtio 1.x section 4.2.2).
 *
 * The register file is little-endian 32-bit words; the device config space
 * starts at 0x100.  A slot without a device still answers with the magic
 * value, version and DeviceID 0, which tells the driver to skip it
 * (section 4.2.3.1.1).
 */
#include "qemu/osdep.h"
#include <libfdt.h>
#include "hw/virtio/virtio-mmio.h"
#include "migration/vmstate.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "sysemu/runstate.h"

/* Register offsets (virtio 1.x section 4.2.2, table "MMIO Device Register Layout") */
enum {
    VIRTIO_MMIO_MAGIC_VALUE = 0x000,
    VIRTIO_MMIO_VERSION_REG = 0x004,
    VIRTIO_MMIO_DEVICE_ID = 0x008,
    VIRTIO_MMIO_VENDOR_ID_REG = 0x00c,
    VIRTIO_MMIO_DEVICE_FEATURES = 0x010,
    VIRTIO_MMIO_DEVICE_FEATURES_SEL = 0x014,
    VIRTIO_MMIO_DRIVER_FEATURES = 0x020,
    VIRTIO_MMIO_DRIVER_FEATURES_SEL = 0x024,
    VIRTIO_MMIO_QUEUE_SEL = 0x030,
    VIRTIO_MMIO_QUEUE_NUM_MAX = 0x034,
    VIRTIO_MMIO_QUEUE_NUM = 0x038,
    VIRTIO_MMIO_QUEUE_READY = 0x044,
    VIRTIO_MMIO_QUEUE_NOTIFY = 0x050,
    VIRTIO_MMIO_INTERRUPT_STATUS = 0x060,
    VIRTIO_MMIO_INTERRUPT_ACK = 0x064,
    VIRTIO_MMIO_STATUS = 0x070,
    VIRTIO_MMIO_QUEUE_DESC_LOW = 0x080,
    VIRTIO_MMIO_QUEUE_DESC_HIGH = 0x084,
    VIRTIO_MMIO_QUEUE_DRIVER_LOW = 0x090,
    VIRTIO_MMIO_QUEUE_DRIVER_HIGH = 0x094,
    VIRTIO_MMIO_QUEUE_DEVICE_LOW = 0x0a0,
    VIRTIO_MMIO_QUEUE_DEVICE_HIGH = 0x0a4,
    VIRTIO_MMIO_CONFIG_GENERATION = 0x0fc,
    VIRTIO_MMIO_CONFIG = 0x100,
};

/* The device tree's reg size per slot, the spacing QEMU's virt uses. */
#define VIRTIO_MMIO_SLOT_SIZE 0x1000

/* Slots in creation order (the board creates them by ascending address). */
static GPtrArray *mmio_slots;

static void virtio_mmio_update_irq(VirtIOMMIOProxy *proxy)
{
    qemu_set_irq(proxy->irq, proxy->vdev && proxy->vdev->isr != 0);
}

static void virtio_mmio_notify_queue(void *transport, int queue_index)
{
    virtio_mmio_update_irq(transport);
}

static void virtio_mmio_notify_config(void *transport)
{
    virtio_mmio_update_irq(transport);
}

static const VirtioBusOps virtio_mmio_bus_ops = {
    .notify_queue = virtio_mmio_notify_queue,
    .notify_config = virtio_mmio_notify_config,
};

static void virtio_mmio_reset_transport(VirtIOMMIOProxy *proxy)
{
    proxy->regs.host_features_sel = 0;
    proxy->regs.guest_features_sel = 0;
    proxy->regs.guest_features = 0;
    proxy->regs.queue_sel = 0;
    proxy->regs.queue_desc = proxy->regs.queue_driver = proxy->regs.queue_device = 0;
}

static void virtio_mmio_reset(VirtIOMMIOProxy *proxy)
{
    virtio_mmio_reset_transport(proxy);
    if (proxy->vdev) {
        virtio_reset(proxy->vdev);
    }
    virtio_mmio_update_irq(proxy);
}

static void virtio_mmio_system_reset(void *opaque)
{
    virtio_mmio_reset(opaque);
}

static uint64_t virtio_mmio_read(void *opaque, hwaddr offset, unsigned size)
{
    VirtIOMMIOProxy *proxy = opaque;
    VirtIODevice *vdev = proxy->vdev;

    if (offset >= VIRTIO_MMIO_CONFIG) {
        return vdev ? virtio_config_read(vdev, offset - VIRTIO_MMIO_CONFIG, size) : 0;
    }
    if (size != 4) {
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-mmio: %u-byte read of register 0x%"
                      HWADDR_PRIx "\n", size, offset);
        return 0;
    }
    switch (offset) {
    case VIRTIO_MMIO_MAGIC_VALUE:
        return VIRTIO_MMIO_MAGIC;
    case VIRTIO_MMIO_VERSION_REG:
        return VIRTIO_MMIO_VERSION;
    case VIRTIO_MMIO_DEVICE_ID:
        return vdev ? vdev->device_id : 0;
    }
    if (!vdev) {
        return 0;
    }
    switch (offset) {
    case VIRTIO_MMIO_VENDOR_ID_REG:
        return VIRTIO_MMIO_VENDOR_ID;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        return proxy->regs.host_features_sel > 1 ? 0 :
               (uint32_t)(vdev->host_features >> (32 * proxy->regs.host_features_sel));
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
        return virtio_queue_get_max_size(vdev, proxy->regs.queue_sel);
    case VIRTIO_MMIO_QUEUE_READY:
        return virtio_queue_get_ready(vdev, proxy->regs.queue_sel);
    case VIRTIO_MMIO_INTERRUPT_STATUS:
        return vdev->isr;
    case VIRTIO_MMIO_STATUS:
        return vdev->status;
    case VIRTIO_MMIO_CONFIG_GENERATION:
        return vdev->config_generation;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
        return (uint32_t)proxy->regs.queue_desc;
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        return proxy->regs.queue_desc >> 32;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
        return (uint32_t)proxy->regs.queue_driver;
    case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
        return proxy->regs.queue_driver >> 32;
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
        return (uint32_t)proxy->regs.queue_device;
    case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
        return proxy->regs.queue_device >> 32;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-mmio: read of write-only or unknown "
                      "register 0x%" HWADDR_PRIx "\n", offset);
        return 0;
    }
}

static void set_low(uint64_t *reg, uint32_t val)
{
    *reg = (*reg & ~0xffffffffULL) | val;
}

static void set_high(uint64_t *reg, uint32_t val)
{
    *reg = (*reg & 0xffffffffULL) | ((uint64_t)val << 32);
}

static void virtio_mmio_write_status(VirtIOMMIOProxy *proxy, uint8_t status)
{
    VirtIODevice *vdev = proxy->vdev;

    if (status == 0) {
        virtio_mmio_reset(proxy);
        return;
    }
    if ((status & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !virtio_set_features(vdev, proxy->regs.guest_features)) {
        /* Section 2.2.2: leave FEATURES_OK clear so the driver sees the refusal. */
        qemu_log_mask(LOG_GUEST_ERROR, "%s: driver accepted unoffered features 0x%"
                      PRIx64 "\n", vdev->name,
                      proxy->regs.guest_features & ~vdev->host_features);
        status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
    }
    virtio_set_status(vdev, status);
}

static void virtio_mmio_write(void *opaque, hwaddr offset, uint64_t val, unsigned size)
{
    VirtIOMMIOProxy *proxy = opaque;
    VirtIODevice *vdev = proxy->vdev;

    if (!vdev) {
        return;
    }
    if (offset >= VIRTIO_MMIO_CONFIG) {
        virtio_config_write(vdev, offset - VIRTIO_MMIO_CONFIG, val, size);
        return;
    }
    if (size != 4) {
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-mmio: %u-byte write of register 0x%"
                      HWADDR_PRIx "\n", size, offset);
        return;
    }
    switch (offset) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
        proxy->regs.host_features_sel = val;
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        if (proxy->regs.guest_features_sel == 0) {
            set_low(&proxy->regs.guest_features, val);
        } else if (proxy->regs.guest_features_sel == 1) {
            set_high(&proxy->regs.guest_features, val);
        }
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
        proxy->regs.guest_features_sel = val;
        break;
    case VIRTIO_MMIO_QUEUE_SEL:
        proxy->regs.queue_sel = val;
        break;
    case VIRTIO_MMIO_QUEUE_NUM:
        virtio_queue_set_size(vdev, proxy->regs.queue_sel, val);
        break;
    case VIRTIO_MMIO_QUEUE_READY:
        if (val) {
            virtio_queue_set_addrs(vdev, proxy->regs.queue_sel, proxy->regs.queue_desc,
                                   proxy->regs.queue_driver, proxy->regs.queue_device);
        }
        virtio_queue_set_ready(vdev, proxy->regs.queue_sel, val & 1);
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        virtio_queue_notify(vdev, val & 0xffff);
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        vdev->isr &= ~val;
        virtio_mmio_update_irq(proxy);
        break;
    case VIRTIO_MMIO_STATUS:
        virtio_mmio_write_status(proxy, val);
        virtio_mmio_update_irq(proxy);
        break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
        set_low(&proxy->regs.queue_desc, val);
        break;
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        set_high(&proxy->regs.queue_desc, val);
        break;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
        set_low(&proxy->regs.queue_driver, val);
        break;
    case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
        set_high(&proxy->regs.queue_driver, val);
        break;
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
        set_low(&proxy->regs.queue_device, val);
        break;
    case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
        set_high(&proxy->regs.queue_device, val);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-mmio: write of read-only or unknown "
                      "register 0x%" HWADDR_PRIx "\n", offset);
        break;
    }
}

static const MemoryRegionOps virtio_mmio_ops = {
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

static const VMStateDescription vmstate_virtio_mmio_regs = {
    .name = "virtio-mmio-regs",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        VMSTATE_UINT32(host_features_sel, VirtIOMMIORegs),
        VMSTATE_UINT32(guest_features_sel, VirtIOMMIORegs),
        VMSTATE_UINT64(guest_features, VirtIOMMIORegs),
        VMSTATE_UINT32(queue_sel, VirtIOMMIORegs),
        VMSTATE_UINT64(queue_desc, VirtIOMMIORegs),
        VMSTATE_UINT64(queue_driver, VirtIOMMIORegs),
        VMSTATE_UINT64(queue_device, VirtIOMMIORegs),
        VMSTATE_END_OF_LIST(),
    },
};

static bool virtio_mmio_post_load(void *opaque, int version_id, Error **errp)
{
    /* The device's section brought the ISR: drive the line from it. */
    virtio_mmio_update_irq(opaque);
    return true;
}

/*
 * The transport's registers of an occupied slot, instance id = slot index.
 * The device's own state (with the virtio core's) is the device's section.
 */
const VMStateDescription vmstate_virtio_mmio = {
    .name = "virtio-mmio",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = virtio_mmio_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_STRUCT(regs, VirtIOMMIOProxy, 0, vmstate_virtio_mmio_regs, VirtIOMMIORegs),
        VMSTATE_END_OF_LIST(),
    },
};

static void virtio_mmio_attach(VirtIOMMIOProxy *proxy, VirtIODevice *vdev)
{
    proxy->vdev = vdev;
    virtio_bind_transport(vdev, &virtio_mmio_bus_ops, proxy);
    virtio_mmio_reset(proxy);
    vmstate_register(&vmstate_virtio_mmio, proxy->slot, proxy);
}

VirtIOMMIOProxy *virtio_mmio_create(hwaddr base, qemu_irq irq, VirtIODevice *vdev,
                                    Error **errp)
{
    VirtIOMMIOProxy *proxy = g_new0(VirtIOMMIOProxy, 1);
    hwaddr offset;

    if (address_space_lookup(base, &offset) ||
        address_space_lookup(base + VIRTIO_MMIO_REGION_SIZE - 1, &offset)) {
        error_setg(errp, "virtio-mmio: address 0x%" HWADDR_PRIx " is already in use", base);
        g_free(proxy);
        return NULL;
    }
    proxy->base = base;
    proxy->irq = irq;
    proxy->slot = mmio_slots ? mmio_slots->len : 0;
    memory_region_init_io(&proxy->iomem, &virtio_mmio_ops, proxy, "virtio-mmio",
                          VIRTIO_MMIO_REGION_SIZE);
    memory_region_add_subregion(base, &proxy->iomem);
    if (vdev) {
        virtio_mmio_attach(proxy, vdev);
    }
    if (!mmio_slots) {
        mmio_slots = g_ptr_array_new();
    }
    g_ptr_array_add(mmio_slots, proxy);
    qemu_register_reset(virtio_mmio_system_reset, proxy);
    return proxy;
}

VirtIOMMIOProxy *virtio_mmio_create_empty(hwaddr base, qemu_irq irq)
{
    return virtio_mmio_create(base, irq, NULL, NULL);
}

bool virtio_mmio_plug(VirtIODevice *vdev, Error **errp)
{
    /* QEMU's virt fills the last transport first (its bus list is walked in reverse). */
    for (int i = mmio_slots ? (int)mmio_slots->len - 1 : -1; i >= 0; i--) {
        VirtIOMMIOProxy *proxy = g_ptr_array_index(mmio_slots, i);

        if (!proxy->vdev) {
            virtio_mmio_attach(proxy, vdev);
            return true;
        }
    }
    error_setg(errp, "No 'virtio-bus' bus found for device '%s-device'", vdev->name);
    error_append_hint(errp, "all %u virtio-mmio slots are in use; try the -pci variant\n",
                      mmio_slots ? mmio_slots->len : 0);
    return false;
}

static uint32_t find_plic_phandle(void *fdt)
{
    int node = fdt_node_offset_by_compatible(fdt, -1, "riscv,plic0");

    return node < 0 ? 0 : fdt_get_phandle(fdt, node);
}

bool virtio_mmio_fdt_populate(void *fdt, const char *parent_path, uint32_t plic_phandle,
                              Error **errp)
{
    int parent = fdt_path_offset(fdt, parent_path);

    if (parent < 0) {
        error_setg(errp, "virtio-mmio: no device tree node '%s': %s", parent_path,
                   fdt_strerror(parent));
        return false;
    }
    if (!plic_phandle) {
        plic_phandle = find_plic_phandle(fdt);
    }
    /* fdt_add_subnode puts a node first: ascending creation gives QEMU's order. */
    for (guint i = 0; mmio_slots && i < mmio_slots->len; i++) {
        VirtIOMMIOProxy *proxy = g_ptr_array_index(mmio_slots, i);
        g_autofree char *name = g_strdup_printf("virtio_mmio@%" HWADDR_PRIx, proxy->base);
        fdt32_t reg[4] = {
            cpu_to_fdt32(proxy->base >> 32), cpu_to_fdt32(proxy->base),
            cpu_to_fdt32(0), cpu_to_fdt32(VIRTIO_MMIO_SLOT_SIZE),
        };
        int node = fdt_add_subnode(fdt, parent, name);
        int err = node;

        /* libfdt puts each new property first: reverse of QEMU's dtc listing. */
        if (node >= 0) {
            err = fdt_setprop_string(fdt, node, "compatible", "virtio,mmio");
        }
        if (err >= 0) {
            err = fdt_setprop(fdt, node, "reg", reg, sizeof(reg));
        }
        if (err >= 0 && plic_phandle) {
            err = fdt_setprop_u32(fdt, node, "interrupt-parent", plic_phandle);
        }
        if (err >= 0) {
            err = fdt_setprop_u32(fdt, node, "interrupts", proxy->irq ? proxy->irq->n : 0);
        }
        if (err < 0) {
            error_setg(errp, "cannot add device tree node %s: %s", name, fdt_strerror(err));
            return false;
        }
        /* fdt_add_subnode may move nodes: look the parent up again. */
        parent = fdt_path_offset(fdt, parent_path);
    }
    return true;
}
