/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal PCI bus and device model (PCI Local Bus 3.0, chapter 6).
 *
 * The guest owns resource assignment: it sizes each BAR by writing all ones
 * and reading back the size mask, programs an address inside one of the host
 * bridge's windows and enables memory decoding in the command register; only
 * then is the BAR's MemoryRegion mapped.  A BAR the guest places outside the
 * windows or on top of another BAR stays unmapped (and is logged), so a
 * guest can never make two regions overlap in the address space.
 *
 * BARs are mapped and unmapped from config writes (vCPU thread, BQL held).
 * The flat address space is not RCU-protected, so this is safe while DMA
 * users only run at device setup, which is what Linux's enumeration does.
 */
#include "qemu/osdep.h"
#include "hw/pci/pci.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "sysemu/runstate.h"
#include "migration/vmstate.h"

#define PCI_MAX_WINDOWS 4

struct PCIBus {
    PCIDevice *devices[PCI_SLOT_MAX * 8];
    qemu_irq irqs[PCI_NUM_PINS];
    int irq_count[PCI_NUM_PINS];   /* devices asserting each host line */
    struct {
        hwaddr base;
        uint64_t size;
    } windows[PCI_MAX_WINDOWS];
    int num_windows;
};

static PCIBus *root_bus;

/* ---- device setup ---- */

void pci_device_init(PCIDevice *dev, const char *name, uint16_t vendor_id,
                     uint16_t device_id, uint8_t revision, uint32_t class_code)
{
    memset(dev->config, 0, sizeof(dev->config));
    memset(dev->wmask, 0, sizeof(dev->wmask));
    dev->name = name;
    dev->devfn = -1;
    dev->next_cap_offset = 0x40;    /* first byte after the standard header */
    for (int i = 0; i < PCI_NUM_BARS; i++) {
        dev->bars[i].addr = PCI_BAR_UNMAPPED;
    }
    pci_set_word(dev->config + PCI_VENDOR_ID, vendor_id);
    pci_set_word(dev->config + PCI_DEVICE_ID, device_id);
    dev->config[PCI_REVISION_ID] = revision;
    dev->config[PCI_CLASS_PROG] = class_code;
    pci_set_word(dev->config + PCI_CLASS_DEVICE, class_code >> 8);
    pci_set_word(dev->wmask + PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
                 PCI_COMMAND_MASTER | PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE);
    dev->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
    dev->wmask[PCI_LATENCY_TIMER] = 0xff;
    dev->wmask[PCI_INTERRUPT_LINE] = 0xff;
}

void pci_register_bar(PCIDevice *dev, int bar, uint8_t type, MemoryRegion *mr)
{
    uint64_t size = mr->size;
    uint64_t mask = ~(size - 1);
    uint8_t *reg = dev->config + PCI_BASE_ADDRESS_0 + 4 * bar;
    uint8_t *wreg = dev->wmask + PCI_BASE_ADDRESS_0 + 4 * bar;
    bool is_64 = type & PCI_BASE_ADDRESS_MEM_TYPE_64;

    /* Memory BARs only, at least 16 bytes, naturally aligned powers of 2 (6.2.5.1). */
    g_assert(bar >= 0 && bar + is_64 < PCI_NUM_BARS && !(type & PCI_BASE_ADDRESS_SPACE_IO));
    g_assert(size >= 16 && !(size & (size - 1)) && (is_64 || size <= 2 * GiB));
    dev->bars[bar] = (PCIBar) { .size = size, .type = type, .mr = mr,
                                .addr = PCI_BAR_UNMAPPED };
    pci_set_long(reg, type);
    pci_set_long(wreg, (uint32_t)mask & ~0xfU);
    if (is_64) {
        pci_set_long(reg + 4, 0);
        pci_set_long(wreg + 4, mask >> 32);
    }
}

uint8_t pci_add_capability(PCIDevice *dev, uint8_t cap_id, uint8_t size)
{
    uint8_t offset = dev->next_cap_offset;
    uint8_t *link = dev->config + PCI_CAPABILITY_LIST;

    g_assert(offset + size <= PCI_CONFIG_SPACE_SIZE);
    /* Keep list order = creation order: append at the tail (6.7). */
    while (*link) {
        link = dev->config + *link + 1;
    }
    *link = offset;
    dev->config[offset] = cap_id;
    dev->config[offset + 1] = 0;
    pci_set_word(dev->config + PCI_STATUS,
                 pci_get_word(dev->config + PCI_STATUS) | PCI_STATUS_CAP_LIST);
    dev->next_cap_offset = QEMU_ALIGN_UP(offset + size, 4);
    return offset;
}

/* ---- INTx (6.2.4: interrupt pin; host bridge swizzle per the DT interrupt-map) ---- */

static int pci_intx_line(PCIDevice *dev)
{
    int pin = dev->config[PCI_INTERRUPT_PIN];

    return ((dev->devfn >> 3) + pin - 1) % PCI_NUM_PINS;
}

static void pci_update_intx(PCIDevice *dev)
{
    bool assert = dev->irq_level &&
                  !(pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE);
    uint16_t status = pci_get_word(dev->config + PCI_STATUS) & ~PCI_STATUS_INTERRUPT;
    PCIBus *bus = dev->bus;
    int line;

    pci_set_word(dev->config + PCI_STATUS,
                 status | (dev->irq_level ? PCI_STATUS_INTERRUPT : 0));
    if (!bus || !dev->config[PCI_INTERRUPT_PIN] || assert == dev->intx_asserted) {
        return;
    }
    line = pci_intx_line(dev);
    dev->intx_asserted = assert;
    bus->irq_count[line] += assert ? 1 : -1;
    qemu_set_irq(bus->irqs[line], bus->irq_count[line] > 0);
}

void pci_set_irq(PCIDevice *dev, int level)
{
    dev->irq_level = level != 0;
    pci_update_intx(dev);
}

/* ---- BAR mapping ---- */

static hwaddr pci_bar_address(PCIDevice *dev, int bar)
{
    const uint8_t *reg = dev->config + PCI_BASE_ADDRESS_0 + 4 * bar;
    hwaddr addr = pci_get_long(reg) & ~0xfULL;

    if (dev->bars[bar].type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
        addr |= (hwaddr)pci_get_long(reg + 4) << 32;
    }
    return addr;
}

static bool pci_bar_overlaps(PCIBus *bus, PCIDevice *self, int self_bar, hwaddr addr,
                             uint64_t size)
{
    for (int d = 0; d < ARRAY_SIZE(bus->devices); d++) {
        PCIDevice *dev = bus->devices[d];

        for (int b = 0; dev && b < PCI_NUM_BARS; b++) {
            PCIBar *bar = &dev->bars[b];

            if ((dev == self && b == self_bar) || bar->addr == PCI_BAR_UNMAPPED) {
                continue;
            }
            if (addr < bar->addr + bar->size && bar->addr < addr + size) {
                return true;
            }
        }
    }
    return false;
}

static bool pci_bar_placement_ok(PCIDevice *dev, int bar, hwaddr addr)
{
    PCIBus *bus = dev->bus;
    uint64_t size = dev->bars[bar].size;
    hwaddr offset;

    if (!bus || addr + size < addr) {
        return false;
    }
    for (int w = 0; w < bus->num_windows; w++) {
        hwaddr base = bus->windows[w].base;

        if (addr >= base && addr + size <= base + bus->windows[w].size) {
            if (pci_bar_overlaps(bus, dev, bar, addr, size) ||
                address_space_lookup(addr, &offset) ||
                address_space_lookup(addr + size - 1, &offset)) {
                qemu_log_mask(LOG_GUEST_ERROR, "%s: BAR %d at 0x%" HWADDR_PRIx
                              " overlaps another region; left unmapped\n",
                              dev->name, bar, addr);
                return false;
            }
            return true;
        }
    }
    return false;
}

static void pci_update_mappings(PCIDevice *dev)
{
    bool mem_on = pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_MEMORY;

    for (int i = 0; i < PCI_NUM_BARS; i++) {
        PCIBar *bar = &dev->bars[i];
        hwaddr addr;

        if (!bar->size) {
            continue;
        }
        addr = mem_on ? pci_bar_address(dev, i) : PCI_BAR_UNMAPPED;
        if (addr == bar->addr) {
            continue;
        }
        if (bar->addr != PCI_BAR_UNMAPPED) {
            memory_region_del_subregion(bar->mr);
            bar->addr = PCI_BAR_UNMAPPED;
        }
        /* Address 0 or outside the windows (e.g. mid-sizing): not decoded. */
        if (addr != PCI_BAR_UNMAPPED && addr && pci_bar_placement_ok(dev, i, addr)) {
            memory_region_add_subregion(addr, bar->mr);
            bar->addr = addr;
        }
    }
}

/* ---- config space ---- */

static bool ranges_overlap(uint32_t a, unsigned alen, uint32_t b, unsigned blen)
{
    return a < b + blen && b < a + alen;
}

uint32_t pci_config_read(PCIDevice *dev, uint32_t addr, unsigned len)
{
    uint32_t val = 0;

    if (addr + len > PCI_CONFIG_SPACE_SIZE) {
        return 0;   /* PCIe extended space: no extended capabilities */
    }
    for (unsigned i = 0; i < len; i++) {
        val |= (uint32_t)dev->config[addr + i] << (8 * i);
    }
    if (dev->config_read) {
        val = dev->config_read(dev, addr, val, len);
    }
    return val;
}

void pci_config_write(PCIDevice *dev, uint32_t addr, uint32_t val, unsigned len)
{
    uint16_t old_cmd = pci_get_word(dev->config + PCI_COMMAND);

    if (addr + len > PCI_CONFIG_SPACE_SIZE) {
        return;
    }
    for (unsigned i = 0; i < len; i++) {
        uint8_t wmask = dev->wmask[addr + i];
        uint8_t byte = val >> (8 * i);

        dev->config[addr + i] = (dev->config[addr + i] & ~wmask) | (byte & wmask);
    }
    if (ranges_overlap(addr, len, PCI_COMMAND, 2) ||
        ranges_overlap(addr, len, PCI_BASE_ADDRESS_0, 4 * PCI_NUM_BARS)) {
        pci_update_mappings(dev);
    }
    if ((old_cmd ^ pci_get_word(dev->config + PCI_COMMAND)) & PCI_COMMAND_INTX_DISABLE) {
        pci_update_intx(dev);
    }
    if (dev->config_write) {
        dev->config_write(dev, addr, val, len);
    }
}

void pci_device_reset(PCIDevice *dev)
{
    pci_set_word(dev->config + PCI_COMMAND, 0);
    dev->config[PCI_INTERRUPT_LINE] = 0;
    dev->config[PCI_CACHE_LINE_SIZE] = 0;
    dev->config[PCI_LATENCY_TIMER] = 0;
    for (int i = 0; i < PCI_NUM_BARS; i++) {
        if (dev->bars[i].size) {
            uint8_t *reg = dev->config + PCI_BASE_ADDRESS_0 + 4 * i;

            pci_set_long(reg, dev->bars[i].type);
            if (dev->bars[i].type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
                pci_set_long(reg + 4, 0);
            }
        }
    }
    pci_update_mappings(dev);
    if (dev->reset) {
        dev->reset(dev);
    }
    pci_set_irq(dev, 0);
}

/* ---- migration ---- */

/* What identifies the function: it must be the same device on both sides. */
static const struct {
    uint8_t offset, len;
} pci_identity[] = {
    { PCI_VENDOR_ID, 4 }, { PCI_REVISION_ID, 4 }, { PCI_HEADER_TYPE, 1 },
    { PCI_SUBSYSTEM_VENDOR_ID, 4 }, { PCI_CAPABILITY_LIST, 1 }, { PCI_INTERRUPT_PIN, 1 },
};

static bool pci_device_pre_save(void *opaque, Error **errp)
{
    PCIDevice *dev = opaque;

    memcpy(dev->migrated_config, dev->config, sizeof(dev->config));
    return true;
}

/*
 * The whole config space travels (command, BARs, interrupt line, capability
 * registers the driver wrote); the BARs are then mapped where the guest had
 * placed them and INTx is asserted again on the bus if it was.
 */
static bool pci_device_post_load(void *opaque, int version_id, Error **errp)
{
    PCIDevice *dev = opaque;

    for (size_t i = 0; i < ARRAY_SIZE(pci_identity); i++) {
        unsigned off = pci_identity[i].offset;

        if (memcmp(dev->migrated_config + off, dev->config + off, pci_identity[i].len)) {
            error_setg(errp, "%s: config space differs at 0x%02x: the source has "
                       "another device in this slot", dev->name, off);
            return false;
        }
    }
    if (dev->irq_level > 1) {
        error_setg(errp, "%s: invalid INTx level %d", dev->name, dev->irq_level);
        return false;
    }
    memcpy(dev->config, dev->migrated_config, sizeof(dev->config));
    pci_update_mappings(dev);
    pci_update_intx(dev);
    return true;
}

const VMStateDescription vmstate_pci_device = {
    .name = "PCIDevice",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = pci_device_pre_save,
    .post_load = pci_device_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_BUFFER(migrated_config, PCIDevice),
        VMSTATE_INT32(irq_level, PCIDevice),
        VMSTATE_END_OF_LIST(),
    },
};

/* ---- the bus ---- */

static void pci_bus_reset(void *opaque)
{
    PCIBus *bus = opaque;

    for (int d = 0; d < ARRAY_SIZE(bus->devices); d++) {
        if (bus->devices[d]) {
            pci_device_reset(bus->devices[d]);
        }
    }
}

PCIBus *pci_bus_new(qemu_irq irqs[PCI_NUM_PINS])
{
    PCIBus *bus = g_new0(PCIBus, 1);

    for (int i = 0; i < PCI_NUM_PINS; i++) {
        bus->irqs[i] = irqs ? irqs[i] : NULL;
    }
    if (!root_bus) {
        root_bus = bus;
    }
    qemu_register_reset(pci_bus_reset, bus);
    return bus;
}

void pci_bus_add_window(PCIBus *bus, hwaddr base, uint64_t size)
{
    g_assert(bus->num_windows < PCI_MAX_WINDOWS);
    bus->windows[bus->num_windows].base = base;
    bus->windows[bus->num_windows].size = size;
    bus->num_windows++;
}

PCIBus *pci_get_root_bus(void)
{
    return root_bus;
}

PCIDevice *pci_bus_find_device(PCIBus *bus, int devfn)
{
    return devfn >= 0 && devfn < ARRAY_SIZE(bus->devices) ? bus->devices[devfn] : NULL;
}

bool pci_bus_plug_device(PCIBus *bus, PCIDevice *dev, int devfn, Error **errp)
{
    if (devfn < 0) {
        for (devfn = 0; devfn < ARRAY_SIZE(bus->devices); devfn += 8) {
            if (!bus->devices[devfn]) {
                break;
            }
        }
        if (devfn >= ARRAY_SIZE(bus->devices)) {
            error_setg(errp, "PCI: no slot available for device '%s'", dev->name);
            return false;
        }
    } else if (devfn >= ARRAY_SIZE(bus->devices) || bus->devices[devfn]) {
        error_setg(errp, "PCI: slot %d function %d not available for %s, in use by %s",
                   devfn >> 3, devfn & 7, dev->name,
                   devfn < ARRAY_SIZE(bus->devices) ? bus->devices[devfn]->name : "none");
        return false;
    }
    dev->bus = bus;
    dev->devfn = devfn;
    bus->devices[devfn] = dev;
    return true;
}

bool pci_plug_device(PCIDevice *dev, Error **errp)
{
    if (!root_bus) {
        error_setg(errp, "No 'PCI' bus found for device '%s'", dev->name);
        return false;
    }
    return pci_bus_plug_device(root_bus, dev, -1, errp);
}
