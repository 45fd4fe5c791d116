/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Generic PCIe host bridge (Linux's pci-host-ecam-generic binding,
 * Documentation/devicetree/bindings/pci/host-generic-pci.yaml) with the
 * windows of QEMU's riscv virt board: ECAM at 0x30000000, 32-bit MMIO at
 * 0x40000000, I/O ports at 0x03000000 and a 64-bit MMIO window above RAM.
 *
 * ECAM (PCIe base spec 7.2.2): config address = bus << 20 | devfn << 12 | reg.
 * Only bus 0 exists; an absent function reads all ones.
 */
#include "qemu/osdep.h"
#include <libfdt.h>
#include "hw/pci-host/gpex.h"
#include "hw/boards.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "migration/vmstate.h"

#define PCI_VENDOR_ID_REDHAT        0x1b36
#define PCI_DEVICE_ID_REDHAT_PCIE_HOST 0x0008
#define PCI_CLASS_BRIDGE_HOST       0x060000

#define DRAM_BASE 0x80000000ULL

/* DT "ranges" space codes (IEEE 1275 PCI binding, phys.hi bits 24-25) */
#define FDT_PCI_SPACE_IO     0x01000000
#define FDT_PCI_SPACE_MEM32  0x02000000
#define FDT_PCI_SPACE_MEM64  0x03000000

static GPEXHost *gpex_host;

static uint64_t all_ones(unsigned size)
{
    return size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static PCIDevice *ecam_device(GPEXHost *s, hwaddr offset)
{
    if (offset >> 20) {
        return NULL;    /* buses other than 0 have nothing on them */
    }
    return pci_bus_find_device(s->bus, (offset >> 12) & 0xff);
}

static uint64_t gpex_ecam_read(void *opaque, hwaddr offset, unsigned size)
{
    PCIDevice *dev = ecam_device(opaque, offset);

    return dev ? pci_config_read(dev, offset & 0xfff, size) : all_ones(size);
}

static void gpex_ecam_write(void *opaque, hwaddr offset, uint64_t val, unsigned size)
{
    PCIDevice *dev = ecam_device(opaque, offset);

    if (dev) {
        pci_config_write(dev, offset & 0xfff, val, size);
    }
}

static const MemoryRegionOps gpex_ecam_ops = {
    .read = gpex_ecam_read,
    .write = gpex_ecam_write,
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

/* No device decodes I/O space: reads float high, writes vanish. */
static uint64_t gpex_pio_read(void *opaque, hwaddr offset, unsigned size)
{
    return all_ones(size);
}

static void gpex_pio_write(void *opaque, hwaddr offset, uint64_t val, unsigned size)
{
}

static const MemoryRegionOps gpex_pio_ops = {
    .read = gpex_pio_read,
    .write = gpex_pio_write,
    .impl = { .min_access_size = 1, .max_access_size = 4 },
};

hwaddr gpex_mmio64_base(uint64_t ram_size)
{
    return QEMU_ALIGN_UP(DRAM_BASE + ram_size, GPEX_MMIO64_SIZE);
}

/* The host bridge function's config space (00.0); bus INTx follows from the devices. */
static const VMStateDescription vmstate_gpex = {
    .name = "gpex-pcihost",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        VMSTATE_STRUCT(host_bridge, GPEXHost, 0, vmstate_pci_device, PCIDevice),
        VMSTATE_END_OF_LIST(),
    },
};

GPEXHost *gpex_create(qemu_irq irqs[GPEX_NUM_IRQS], Error **errp)
{
    GPEXHost *s;

    if (gpex_host) {
        error_setg(errp, "only one PCIe host bridge is supported");
        return NULL;
    }
    s = g_new0(GPEXHost, 1);
    for (int i = 0; i < GPEX_NUM_IRQS; i++) {
        s->irqs[i] = irqs[i];
    }
    s->mmio64_base = gpex_mmio64_base(current_machine ? current_machine->ram_size : 0);
    s->bus = pci_bus_new(s->irqs);
    pci_bus_add_window(s->bus, GPEX_MMIO_BASE, GPEX_MMIO_SIZE);
    pci_bus_add_window(s->bus, s->mmio64_base, GPEX_MMIO64_SIZE);

    memory_region_init_io(&s->ecam, &gpex_ecam_ops, s, "pcie-ecam", GPEX_ECAM_SIZE);
    memory_region_add_subregion(GPEX_ECAM_BASE, &s->ecam);
    memory_region_init_io(&s->pio, &gpex_pio_ops, s, "pcie-pio", GPEX_PIO_SIZE);
    memory_region_add_subregion(GPEX_PIO_BASE, &s->pio);

    pci_device_init(&s->host_bridge, "gpex-root", PCI_VENDOR_ID_REDHAT,
                    PCI_DEVICE_ID_REDHAT_PCIE_HOST, 0, PCI_CLASS_BRIDGE_HOST);
    if (!pci_bus_plug_device(s->bus, &s->host_bridge, 0, errp)) {
        return NULL;
    }
    gpex_host = s;
    vmstate_register(&vmstate_gpex, 0, s);
    return s;
}

GPEXHost *gpex_get_host(void)
{
    return gpex_host;
}

static void put_cells(fdt32_t *out, int *n, const uint32_t *cells, int count)
{
    for (int i = 0; i < count; i++) {
        out[(*n)++] = cpu_to_fdt32(cells[i]);
    }
}

static int gpex_fdt_ranges(void *fdt, int node, GPEXHost *s)
{
    /* <pci.hi pci.mid pci.lo  cpu.hi cpu.lo  size.hi size.lo> per window */
    const uint32_t ranges[] = {
        FDT_PCI_SPACE_IO, 0, 0, GPEX_PIO_BASE >> 32, (uint32_t)GPEX_PIO_BASE,
        0, GPEX_PIO_SIZE,
        FDT_PCI_SPACE_MEM32, GPEX_MMIO_BASE >> 32, (uint32_t)GPEX_MMIO_BASE,
        GPEX_MMIO_BASE >> 32, (uint32_t)GPEX_MMIO_BASE, 0, GPEX_MMIO_SIZE,
        FDT_PCI_SPACE_MEM64, s->mmio64_base >> 32, (uint32_t)s->mmio64_base,
        s->mmio64_base >> 32, (uint32_t)s->mmio64_base,
        GPEX_MMIO64_SIZE >> 32, (uint32_t)GPEX_MMIO64_SIZE,
    };
    fdt32_t be[ARRAY_SIZE(ranges)];
    int n = 0;

    put_cells(be, &n, ranges, ARRAY_SIZE(ranges));
    return fdt_setprop(fdt, node, "ranges", be, sizeof(be));
}

/*
 * interrupt-map: slot s, pin p (1 = INTA) -> host line (s + p - 1) mod 4,
 * the standard swizzle (PCI-to-PCI bridge spec 9.1); the mask keeps two
 * slot bits and the pin, so four slots describe them all.
 */
static int gpex_fdt_interrupt_map(void *fdt, int node, GPEXHost *s, uint32_t plic_phandle)
{
    static const uint32_t mask[] = { 0x1800, 0, 0, 7 };
    fdt32_t map[GPEX_NUM_IRQS * GPEX_NUM_IRQS * 6];
    fdt32_t mask_be[ARRAY_SIZE(mask)];
    int n = 0, m = 0, err;

    for (int slot = 0; slot < GPEX_NUM_IRQS; slot++) {
        for (int pin = 1; pin <= GPEX_NUM_IRQS; pin++) {
            qemu_irq line = s->irqs[(slot + pin - 1) % GPEX_NUM_IRQS];
            uint32_t entry[] = { slot << 11, 0, 0, pin, plic_phandle, line ? line->n : 0 };

            put_cells(map, &n, entry, ARRAY_SIZE(entry));
        }
    }
    put_cells(mask_be, &m, mask, ARRAY_SIZE(mask));
    err = fdt_setprop(fdt, node, "interrupt-map", map, sizeof(map));
    return err < 0 ? err : fdt_setprop(fdt, node, "interrupt-map-mask", mask_be,
                                       sizeof(mask_be));
}

bool gpex_fdt_populate(void *fdt, const char *parent_path, uint32_t plic_phandle,
                       Error **errp)
{
    GPEXHost *s = gpex_host;
    g_autofree char *name = g_strdup_printf("pci@%llx", GPEX_ECAM_BASE);
    fdt32_t reg[4] = {
        cpu_to_fdt32(GPEX_ECAM_BASE >> 32), cpu_to_fdt32(GPEX_ECAM_BASE),
        cpu_to_fdt32(GPEX_ECAM_SIZE >> 32), cpu_to_fdt32(GPEX_ECAM_SIZE),
    };
    fdt32_t bus_range[2] = { cpu_to_fdt32(0), cpu_to_fdt32(GPEX_ECAM_SIZE / MiB - 1) };
    int parent, node, err;

    if (!s) {
        error_setg(errp, "gpex_fdt_populate: no PCIe host bridge was created");
        return false;
    }
    parent = fdt_path_offset(fdt, parent_path);
    if (parent < 0) {
        error_setg(errp, "gpex: no device tree node '%s': %s", parent_path,
                   fdt_strerror(parent));
        return false;
    }
    if (!plic_phandle) {
        node = fdt_node_offset_by_compatible(fdt, -1, "riscv,plic0");
        plic_phandle = node < 0 ? 0 : fdt_get_phandle(fdt, node);
    }
    node = err = fdt_add_subnode(fdt, parent, name);
    /* Properties as QEMU's riscv virt has them (libfdt prepends: set in reverse). */
    if (err >= 0) {
        err = fdt_setprop_u32(fdt, node, "#address-cells", 3);
    }
    if (err >= 0) {
        err = fdt_setprop_u32(fdt, node, "#interrupt-cells", 1);
    }
    if (err >= 0) {
        err = fdt_setprop_u32(fdt, node, "#size-cells", 2);
    }
    if (err >= 0) {
        err = fdt_setprop_string(fdt, node, "compatible", "pci-host-ecam-generic");
    }
    if (err >= 0) {
        err = fdt_setprop_string(fdt, node, "device_type", "pci");
    }
    if (err >= 0) {
        err = fdt_setprop_u32(fdt, node, "linux,pci-domain", 0);
    }
    if (err >= 0) {
        err = fdt_setprop(fdt, node, "bus-range", bus_range, sizeof(bus_range));
    }
    if (err >= 0) {
        err = fdt_setprop_empty(fdt, node, "dma-coherent");
    }
    if (err >= 0) {
        err = fdt_setprop(fdt, node, "reg", reg, sizeof(reg));
    }
    if (err >= 0) {
        err = gpex_fdt_ranges(fdt, node, s);
    }
    if (err >= 0) {
        err = gpex_fdt_interrupt_map(fdt, node, s, plic_phandle);
    }
    if (err < 0) {
        error_setg(errp, "cannot add device tree node %s: %s", name, fdt_strerror(err));
        return false;
    }
    return true;
}
