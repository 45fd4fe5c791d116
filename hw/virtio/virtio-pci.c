/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-pci transport, modern (virtio 1.x section 4.1).
 *
 * One 64-bit prefetchable memory BAR (BAR 4, 16 KiB) holds the four
 * structures the vendor capabilities point at (section 4.1.4), in QEMU's
 * order: common config 0x0000, ISR 0x1000, device config 0x2000, notify
 * 0x3000 (queue n at n * 4).  Interrupts are INTx: the line follows the ISR,
 * and reading the ISR clears it (section 4.1.4.5).
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-pci.h"
#include "migration/vmstate.h"
#include "qapi/error.h"
#include "qemu/log.h"

/* virtio_pci_cap.cfg_type (section 4.1.4) */
enum {
    VIRTIO_PCI_CAP_COMMON_CFG = 1,
    VIRTIO_PCI_CAP_NOTIFY_CFG = 2,
    VIRTIO_PCI_CAP_ISR_CFG = 3,
    VIRTIO_PCI_CAP_DEVICE_CFG = 4,
    VIRTIO_PCI_CAP_PCI_CFG = 5,
};

/* Offsets inside struct virtio_pci_cap */
#define CAP_LEN         2
#define CAP_CFG_TYPE    3
#define CAP_BAR         4
#define CAP_OFFSET      8
#define CAP_LENGTH      12
#define CAP_SIZE        16
#define CAP_NOTIFY_MULT 16      /* virtio_pci_notify_cap.notify_off_multiplier */
#define CAP_PCI_CFG_DATA 16     /* virtio_pci_cfg_cap.pci_cfg_data */

#define REGION_SIZE     0x1000
#define COMMON_OFFSET   0x0000
#define ISR_OFFSET      0x1000
#define DEVICE_OFFSET   0x2000
#define NOTIFY_OFFSET   0x3000

/* struct virtio_pci_common_cfg (section 4.1.4.3) */
enum {
    COMMON_DFSELECT = 0x00,
    COMMON_DF = 0x04,
    COMMON_GFSELECT = 0x08,
    COMMON_GF = 0x0c,
    COMMON_MSIX = 0x10,
    COMMON_NUMQ = 0x12,
    COMMON_STATUS = 0x14,
    COMMON_CFGGENERATION = 0x15,
    COMMON_Q_SELECT = 0x16,
    COMMON_Q_SIZE = 0x18,
    COMMON_Q_MSIX = 0x1a,
    COMMON_Q_ENABLE = 0x1c,
    COMMON_Q_NOFF = 0x1e,
    COMMON_Q_DESCLO = 0x20,
    COMMON_Q_DESCHI = 0x24,
    COMMON_Q_AVAILLO = 0x28,
    COMMON_Q_AVAILHI = 0x2c,
    COMMON_Q_USEDLO = 0x30,
    COMMON_Q_USEDHI = 0x34,
};

#define VIRTIO_MSI_NO_VECTOR 0xffff
#define PCI_SUBDEVICE_ID_QEMU 0x1100

static void virtio_pci_update_irq(VirtIOPCIProxy *proxy)
{
    pci_set_irq(&proxy->pci_dev, proxy->vdev->isr != 0);
}

static void virtio_pci_notify(void *transport, int queue_index)
{
    virtio_pci_update_irq(transport);
}

static void virtio_pci_notify_config(void *transport)
{
    virtio_pci_update_irq(transport);
}

static const VirtioBusOps virtio_pci_bus_ops = {
    .notify_queue = virtio_pci_notify,
    .notify_config = virtio_pci_notify_config,
};

static void virtio_pci_reset_transport(VirtIOPCIProxy *proxy)
{
    proxy->regs.device_feature_select = 0;
    proxy->regs.driver_feature_select = 0;
    proxy->regs.driver_features = 0;
    proxy->regs.queue_select = 0;
}

static void virtio_pci_reset(VirtIOPCIProxy *proxy)
{
    virtio_pci_reset_transport(proxy);
    virtio_reset(proxy->vdev);
    virtio_pci_update_irq(proxy);
}

/* ---- common configuration ---- */

static uint64_t queue_addr(VirtIOPCIProxy *proxy, int which)
{
    hwaddr addr[3];

    virtio_queue_get_addrs(proxy->vdev, proxy->regs.queue_select, &addr[0], &addr[1], &addr[2]);
    return addr[which];
}

static void set_queue_addr_half(VirtIOPCIProxy *proxy, int which, bool high, uint32_t val)
{
    hwaddr addr[3];

    virtio_queue_get_addrs(proxy->vdev, proxy->regs.queue_select, &addr[0], &addr[1], &addr[2]);
    addr[which] = high ? (addr[which] & 0xffffffffULL) | ((uint64_t)val << 32)
                       : (addr[which] & ~0xffffffffULL) | val;
    virtio_queue_set_addrs(proxy->vdev, proxy->regs.queue_select, addr[0], addr[1], addr[2]);
}

static uint32_t common_read_field(VirtIOPCIProxy *proxy, hwaddr offset)
{
    VirtIODevice *vdev = proxy->vdev;

    switch (offset) {
    case COMMON_DFSELECT:
        return proxy->regs.device_feature_select;
    case COMMON_DF:
        return proxy->regs.device_feature_select > 1 ? 0 :
               (uint32_t)(vdev->host_features >> (32 * proxy->regs.device_feature_select));
    case COMMON_GFSELECT:
        return proxy->regs.driver_feature_select;
    case COMMON_GF:
        return proxy->regs.driver_feature_select > 1 ? 0 :
               (uint32_t)(proxy->regs.driver_features >> (32 * proxy->regs.driver_feature_select));
    case COMMON_MSIX:
    case COMMON_Q_MSIX:
        return VIRTIO_MSI_NO_VECTOR;    /* no MSI-X: the driver falls back to INTx */
    case COMMON_NUMQ:
        return vdev->num_queues;
    case COMMON_STATUS:
        return vdev->status;
    case COMMON_CFGGENERATION:
        return vdev->config_generation & 0xff;
    case COMMON_Q_SELECT:
        return proxy->regs.queue_select;
    case COMMON_Q_SIZE:
        return virtio_queue_get_size(vdev, proxy->regs.queue_select);
    case COMMON_Q_ENABLE:
        return virtio_queue_get_ready(vdev, proxy->regs.queue_select);
    case COMMON_Q_NOFF:
        return proxy->regs.queue_select;
    case COMMON_Q_DESCLO:
        return (uint32_t)queue_addr(proxy, 0);
    case COMMON_Q_DESCHI:
        return queue_addr(proxy, 0) >> 32;
    case COMMON_Q_AVAILLO:
        return (uint32_t)queue_addr(proxy, 1);
    case COMMON_Q_AVAILHI:
        return queue_addr(proxy, 1) >> 32;
    case COMMON_Q_USEDLO:
        return (uint32_t)queue_addr(proxy, 2);
    case COMMON_Q_USEDHI:
        return queue_addr(proxy, 2) >> 32;
    default:
        return 0;
    }
}

static void common_write_status(VirtIOPCIProxy *proxy, uint8_t status)
{
    VirtIODevice *vdev = proxy->vdev;

    if (status == 0) {
        virtio_pci_reset(proxy);
        return;
    }
    if ((status & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !virtio_set_features(vdev, proxy->regs.driver_features)) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: driver accepted unoffered features 0x%"
                      PRIx64 "\n", vdev->name,
                      proxy->regs.driver_features & ~vdev->host_features);
        status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
    }
    virtio_set_status(vdev, status);
    virtio_pci_update_irq(proxy);
}

static void common_write_field(VirtIOPCIProxy *proxy, hwaddr offset, uint32_t val)
{
    VirtIODevice *vdev = proxy->vdev;

    switch (offset) {
    case COMMON_DFSELECT:
        proxy->regs.device_feature_select = val;
        break;
    case COMMON_GFSELECT:
        proxy->regs.driver_feature_select = val;
        break;
    case COMMON_GF:
        if (proxy->regs.driver_feature_select == 0) {
            proxy->regs.driver_features = (proxy->regs.driver_features & ~0xffffffffULL) | val;
        } else if (proxy->regs.driver_feature_select == 1) {
            proxy->regs.driver_features = (proxy->regs.driver_features & 0xffffffffULL) |
                                     ((uint64_t)val << 32);
        }
        break;
    case COMMON_STATUS:
        common_write_status(proxy, val);
        break;
    case COMMON_Q_SELECT:
        proxy->regs.queue_select = val;
        break;
    case COMMON_Q_SIZE:
        virtio_queue_set_size(vdev, proxy->regs.queue_select, val);
        break;
    case COMMON_Q_ENABLE:
        /* Section 4.1.4.3.2: the driver may only write 1. */
        if (val == 1) {
            virtio_queue_set_ready(vdev, proxy->regs.queue_select, true);
        }
        break;
    case COMMON_Q_DESCLO:
    case COMMON_Q_DESCHI:
    case COMMON_Q_AVAILLO:
    case COMMON_Q_AVAILHI:
    case COMMON_Q_USEDLO:
    case COMMON_Q_USEDHI:
        set_queue_addr_half(proxy, (offset - COMMON_Q_DESCLO) / 8, offset & 4, val);
        break;
    case COMMON_MSIX:
    case COMMON_Q_MSIX:
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: write to read-only common cfg 0x%"
                      HWADDR_PRIx "\n", vdev->name, offset);
        break;
    }
}

/* Width of each common config field; 64-bit addresses are accessed as two halves. */
static unsigned common_field_size(hwaddr offset)
{
    switch (offset) {
    case COMMON_STATUS:
    case COMMON_CFGGENERATION:
        return 1;
    case COMMON_MSIX:
    case COMMON_NUMQ:
    case COMMON_Q_SELECT:
    case COMMON_Q_SIZE:
    case COMMON_Q_MSIX:
    case COMMON_Q_ENABLE:
    case COMMON_Q_NOFF:
        return 2;
    default:
        return offset < 0x38 && !(offset & 3) ? 4 : 0;
    }
}

static bool common_access_ok(VirtIOPCIProxy *proxy, hwaddr offset, unsigned size)
{
    if (common_field_size(offset) != size) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: %u-byte access to common cfg 0x%" HWADDR_PRIx
                      " (section 4.1.3.1: use the field's width)\n", proxy->vdev->name,
                      size, offset);
        return false;
    }
    return true;
}

/* ---- the BAR ---- */

static uint64_t virtio_pci_bar_read(void *opaque, hwaddr addr, unsigned size)
{
    VirtIOPCIProxy *proxy = opaque;
    VirtIODevice *vdev = proxy->vdev;
    hwaddr offset = addr % REGION_SIZE;
    uint32_t val;

    switch (addr - offset) {
    case COMMON_OFFSET:
        return common_access_ok(proxy, offset, size) ? common_read_field(proxy, offset) : 0;
    case ISR_OFFSET:
        /* Reading the ISR acknowledges the interrupt. */
        val = offset == 0 ? vdev->isr : 0;
        if (offset == 0) {
            vdev->isr = 0;
            virtio_pci_update_irq(proxy);
        }
        return val;
    case DEVICE_OFFSET:
        return virtio_config_read(vdev, offset, size);
    default:
        return 0;
    }
}

static void virtio_pci_bar_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    VirtIOPCIProxy *proxy = opaque;
    VirtIODevice *vdev = proxy->vdev;
    hwaddr offset = addr % REGION_SIZE;

    switch (addr - offset) {
    case COMMON_OFFSET:
        if (common_access_ok(proxy, offset, size)) {
            common_write_field(proxy, offset, val);
        }
        break;
    case DEVICE_OFFSET:
        virtio_config_write(vdev, offset, val, size);
        break;
    case NOTIFY_OFFSET:
        /* queue_notify_off is the queue index (section 4.1.4.4). */
        virtio_queue_notify(vdev, offset / VIRTIO_PCI_NOTIFY_OFF_MULTIPLIER);
        break;
    default:
        break;
    }
}

static const MemoryRegionOps virtio_pci_bar_ops = {
    .read = virtio_pci_bar_read,
    .write = virtio_pci_bar_write,
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- capabilities and the PCI cfg access window (section 4.1.4.7) ---- */

static uint8_t add_virtio_cap(VirtIOPCIProxy *proxy, uint8_t cfg_type, uint8_t cap_len,
                              uint32_t offset, uint32_t length)
{
    PCIDevice *dev = &proxy->pci_dev;
    uint8_t cap = pci_add_capability(dev, PCI_CAP_ID_VNDR, cap_len);

    dev->config[cap + CAP_LEN] = cap_len;
    dev->config[cap + CAP_CFG_TYPE] = cfg_type;
    dev->config[cap + CAP_BAR] = VIRTIO_PCI_BAR;
    pci_set_long(dev->config + cap + CAP_OFFSET, offset);
    pci_set_long(dev->config + cap + CAP_LENGTH, length);
    return cap;
}

/* The BAR access the driver describes in the PCI cfg capability, or false. */
static bool pci_cfg_window(VirtIOPCIProxy *proxy, hwaddr *offset, unsigned *len)
{
    const uint8_t *cap = proxy->pci_dev.config + proxy->pci_cfg_cap;

    *offset = pci_get_long(cap + CAP_OFFSET);
    *len = pci_get_long(cap + CAP_LENGTH);
    if (cap[CAP_BAR] != VIRTIO_PCI_BAR || (*len != 1 && *len != 2 && *len != 4) ||
        *offset + *len > VIRTIO_PCI_BAR_SIZE || (*offset & (*len - 1))) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: bad PCI cfg access: bar %u offset 0x%"
                      HWADDR_PRIx " length %u\n", proxy->vdev->name, cap[CAP_BAR],
                      *offset, *len);
        return false;
    }
    return true;
}

static bool touches_cfg_data(VirtIOPCIProxy *proxy, uint32_t addr, unsigned len)
{
    uint32_t data = proxy->pci_cfg_cap + CAP_PCI_CFG_DATA;

    return addr < data + 4 && data < addr + len;
}

static uint32_t virtio_pci_config_read(PCIDevice *dev, uint32_t addr, uint32_t val,
                                       unsigned len)
{
    VirtIOPCIProxy *proxy = container_of(dev, VirtIOPCIProxy, pci_dev);
    uint32_t data = proxy->pci_cfg_cap + CAP_PCI_CFG_DATA;
    hwaddr offset;
    unsigned width;
    uint64_t bar_val = 0;

    if (!touches_cfg_data(proxy, addr, len) || addr != data || len != 4 ||
        !pci_cfg_window(proxy, &offset, &width)) {
        return val;
    }
    memory_region_dispatch_read(&proxy->bar, offset, &bar_val, width);
    return bar_val;
}

static void virtio_pci_config_write(PCIDevice *dev, uint32_t addr, uint32_t val,
                                    unsigned len)
{
    VirtIOPCIProxy *proxy = container_of(dev, VirtIOPCIProxy, pci_dev);
    uint32_t data = proxy->pci_cfg_cap + CAP_PCI_CFG_DATA;
    hwaddr offset;
    unsigned width;

    if (touches_cfg_data(proxy, addr, len) && addr == data && len == 4 &&
        pci_cfg_window(proxy, &offset, &width)) {
        memory_region_dispatch_write(&proxy->bar, offset, val, width);
    }
}

static void virtio_pci_device_reset(PCIDevice *dev)
{
    virtio_pci_reset(container_of(dev, VirtIOPCIProxy, pci_dev));
}

/* PCI class per virtio device type, as QEMU's virtio-*-pci devices report. */
static uint32_t virtio_pci_class(uint16_t device_id)
{
    switch (device_id) {
    case 1:
        return 0x020000;    /* network controller */
    case 2:
        return 0x010000;    /* SCSI storage */
    case 3:
        return 0x078000;    /* other communication */
    default:
        return 0x00ff00;    /* balloon, rng, ...: "unclassified" as QEMU */
    }
}

static const VMStateDescription vmstate_virtio_pci_regs = {
    .name = "virtio-pci-regs",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        VMSTATE_UINT32(device_feature_select, VirtIOPCIRegs),
        VMSTATE_UINT32(driver_feature_select, VirtIOPCIRegs),
        VMSTATE_UINT64(driver_features, VirtIOPCIRegs),
        VMSTATE_UINT16(queue_select, VirtIOPCIRegs),
        VMSTATE_END_OF_LIST(),
    },
};

static bool virtio_pci_post_load(void *opaque, int version_id, Error **errp)
{
    /* The device's section brought the ISR: drive INTx from it. */
    virtio_pci_update_irq(opaque);
    return true;
}

/*
 * The PCI function (config space, BARs, INTx) and the transport's registers,
 * instance id = devfn.  The device's own state is the device's section.
 */
const VMStateDescription vmstate_virtio_pci = {
    .name = "virtio-pci",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = virtio_pci_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_STRUCT(pci_dev, VirtIOPCIProxy, 0, vmstate_pci_device, PCIDevice),
        VMSTATE_STRUCT(regs, VirtIOPCIProxy, 0, vmstate_virtio_pci_regs, VirtIOPCIRegs),
        VMSTATE_END_OF_LIST(),
    },
};

VirtIOPCIProxy *virtio_pci_create(VirtIODevice *vdev, Error **errp)
{
    VirtIOPCIProxy *proxy = g_new0(VirtIOPCIProxy, 1);
    PCIDevice *dev = &proxy->pci_dev;
    uint8_t cap;

    proxy->vdev = vdev;
    pci_device_init(dev, g_strdup_printf("%s-pci", vdev->name),
                    PCI_VENDOR_ID_REDHAT_QUMRANET,
                    PCI_DEVICE_ID_VIRTIO_MODERN_BASE + vdev->device_id, 1,
                    virtio_pci_class(vdev->device_id));
    pci_set_word(dev->config + PCI_SUBSYSTEM_VENDOR_ID, PCI_VENDOR_ID_REDHAT_QUMRANET);
    pci_set_word(dev->config + PCI_SUBSYSTEM_ID, PCI_SUBDEVICE_ID_QEMU);
    dev->config[PCI_INTERRUPT_PIN] = 1;     /* INTA */

    memory_region_init_io(&proxy->bar, &virtio_pci_bar_ops, proxy, "virtio-pci",
                          VIRTIO_PCI_BAR_SIZE);
    pci_register_bar(dev, VIRTIO_PCI_BAR,
                     PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
                     &proxy->bar);

    add_virtio_cap(proxy, VIRTIO_PCI_CAP_COMMON_CFG, CAP_SIZE, COMMON_OFFSET, REGION_SIZE);
    add_virtio_cap(proxy, VIRTIO_PCI_CAP_ISR_CFG, CAP_SIZE, ISR_OFFSET, REGION_SIZE);
    add_virtio_cap(proxy, VIRTIO_PCI_CAP_DEVICE_CFG, CAP_SIZE, DEVICE_OFFSET, REGION_SIZE);
    cap = add_virtio_cap(proxy, VIRTIO_PCI_CAP_NOTIFY_CFG, CAP_SIZE + 4, NOTIFY_OFFSET,
                         REGION_SIZE);
    pci_set_long(dev->config + cap + CAP_NOTIFY_MULT, VIRTIO_PCI_NOTIFY_OFF_MULTIPLIER);
    cap = add_virtio_cap(proxy, VIRTIO_PCI_CAP_PCI_CFG, CAP_SIZE + 4, 0, 0);
    dev->config[cap + CAP_BAR] = 0;
    memset(dev->wmask + cap + CAP_BAR, 0xff, 1);
    memset(dev->wmask + cap + CAP_OFFSET, 0xff, 4);
    memset(dev->wmask + cap + CAP_LENGTH, 0xff, 4);
    memset(dev->wmask + cap + CAP_PCI_CFG_DATA, 0xff, 4);
    proxy->pci_cfg_cap = cap;
    dev->config_read = virtio_pci_config_read;
    dev->config_write = virtio_pci_config_write;
    dev->reset = virtio_pci_device_reset;

    virtio_bind_transport(vdev, &virtio_pci_bus_ops, proxy);
    virtio_pci_reset_transport(proxy);
    if (!pci_plug_device(dev, errp)) {
        virtio_bind_transport(vdev, NULL, NULL);
        g_free(proxy);
        return NULL;
    }
    vmstate_register(&vmstate_virtio_pci, dev->devfn, proxy);
    return proxy;
}

bool virtio_pci_plug(VirtIODevice *vdev, Error **errp)
{
    return virtio_pci_create(vdev, errp) != NULL;
}
