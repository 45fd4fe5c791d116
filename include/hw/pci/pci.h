/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal conventional PCI device model on one root bus: a type 0 config
 * header, memory BARs (32- and 64-bit) that the guest sizes and places, a
 * capabilities list and INTx.  Enough for Linux's pci-host-ecam-generic
 * driver to enumerate bus 0 and assign resources itself.
 */
#ifndef HW_PCI_PCI_H
#define HW_PCI_PCI_H

#include "exec/memory.h"
#include "hw/irq.h"

typedef struct Error Error;
typedef struct PCIBus PCIBus;
typedef struct PCIDevice PCIDevice;
typedef struct VMStateDescription VMStateDescription;

#define PCI_CONFIG_SPACE_SIZE   0x100
#define PCI_NUM_BARS            6
#define PCI_SLOT_MAX            32
#define PCI_NUM_PINS            4

/* Type 0 configuration header (PCI Local Bus 3.0, section 6.1) */
#define PCI_VENDOR_ID           0x00
#define PCI_DEVICE_ID           0x02
#define PCI_COMMAND             0x04
#define  PCI_COMMAND_IO         0x1
#define  PCI_COMMAND_MEMORY     0x2
#define  PCI_COMMAND_MASTER     0x4
#define  PCI_COMMAND_SERR       0x100
#define  PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS              0x06
#define  PCI_STATUS_INTERRUPT   0x08
#define  PCI_STATUS_CAP_LIST    0x10
#define PCI_REVISION_ID         0x08
#define PCI_CLASS_PROG          0x09
#define PCI_CLASS_DEVICE        0x0a
#define PCI_CACHE_LINE_SIZE     0x0c
#define PCI_LATENCY_TIMER       0x0d
#define PCI_HEADER_TYPE         0x0e
#define PCI_BASE_ADDRESS_0      0x10
#define  PCI_BASE_ADDRESS_SPACE_IO      0x01
#define  PCI_BASE_ADDRESS_MEM_TYPE_64   0x04
#define  PCI_BASE_ADDRESS_MEM_PREFETCH  0x08
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID        0x2e
#define PCI_CAPABILITY_LIST     0x34
#define PCI_INTERRUPT_LINE      0x3c
#define PCI_INTERRUPT_PIN       0x3d

#define PCI_CAP_ID_VNDR         0x09
#define PCI_BAR_UNMAPPED        (~(hwaddr)0)

typedef struct PCIBar {
    uint64_t size;              /* 0: BAR not implemented */
    uint8_t type;               /* low bits of the BAR: MEM_TYPE_64, MEM_PREFETCH */
    MemoryRegion *mr;
    hwaddr addr;                /* where it is mapped, or PCI_BAR_UNMAPPED */
} PCIBar;

struct PCIDevice {
    const char *name;
    PCIBus *bus;
    int devfn;                  /* slot << 3 | function */
    uint8_t config[PCI_CONFIG_SPACE_SIZE];
    uint8_t wmask[PCI_CONFIG_SPACE_SIZE];   /* bits the guest may write */
    /* config as it travels: checked against this device's before it is applied */
    uint8_t migrated_config[PCI_CONFIG_SPACE_SIZE];
    PCIBar bars[PCI_NUM_BARS];
    uint8_t next_cap_offset;    /* where pci_add_capability puts the next one */
    int irq_level;              /* the device's INTx input, before INTX_DISABLE */
    bool intx_asserted;         /* counted on the bus's line */
    /*
     * Optional hooks for config accesses the device interprets itself (as
     * virtio-pci's PCI cfg access capability).  Called after the generic
     * write; a read hook returns the final value.
     */
    uint32_t (*config_read)(PCIDevice *dev, uint32_t addr, uint32_t val, unsigned len);
    void (*config_write)(PCIDevice *dev, uint32_t addr, uint32_t val, unsigned len);
    void (*reset)(PCIDevice *dev);
};

/*
 * A function's migratable state (config space, INTx level), embedded by each
 * PCI device in its own section.  Loading refuses a function whose identity
 * (vendor, device, class, subsystem, interrupt pin) differs, then maps the
 * BARs where the guest had placed them and re-asserts INTx.
 */
extern const VMStateDescription vmstate_pci_device;

/* Fill in the identity registers of a fresh device (zeroes the rest). */
void pci_device_init(PCIDevice *dev, const char *name, uint16_t vendor_id,
                     uint16_t device_id, uint8_t revision, uint32_t class_code);
/* BAR @bar of @mr's size (a power of 2); @type: 0 or MEM_TYPE_64 | MEM_PREFETCH. */
void pci_register_bar(PCIDevice *dev, int bar, uint8_t type, MemoryRegion *mr);
/* Append a capability of @size bytes with id @cap_id; returns its config offset. */
uint8_t pci_add_capability(PCIDevice *dev, uint8_t cap_id, uint8_t size);
/* INTx level of the device's pin (INTA unless interrupt pin says otherwise). */
void pci_set_irq(PCIDevice *dev, int level);

/* The root bus of the ECAM host bridge, created by gpex_create. */
PCIBus *pci_bus_new(qemu_irq irqs[PCI_NUM_PINS]);
void pci_bus_add_window(PCIBus *bus, hwaddr base, uint64_t size);
/* Add @dev to the bus at @devfn (slot << 3), or at the next free slot if -1. */
bool pci_bus_plug_device(PCIBus *bus, PCIDevice *dev, int devfn, Error **errp);
/* Add @dev at the next free slot of the board's root bus. */
bool pci_plug_device(PCIDevice *dev, Error **errp);
PCIBus *pci_get_root_bus(void);
PCIDevice *pci_bus_find_device(PCIBus *bus, int devfn);

/* Config space access as ECAM presents it (little-endian, @len 1, 2 or 4). */
uint32_t pci_config_read(PCIDevice *dev, uint32_t addr, unsigned len);
void pci_config_write(PCIDevice *dev, uint32_t addr, uint32_t val, unsigned len);
/* System reset: command, BARs and INTx back to their power-on values. */
void pci_device_reset(PCIDevice *dev);

static inline void pci_set_word(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static inline void pci_set_long(uint8_t *p, uint32_t v)
{
    pci_set_word(p, v);
    pci_set_word(p + 2, v >> 16);
}

static inline uint16_t pci_get_word(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static inline uint32_t pci_get_long(const uint8_t *p)
{
    return pci_get_word(p) | ((uint32_t)pci_get_word(p + 2) << 16);
}

#endif
