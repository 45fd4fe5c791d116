/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Generic PCIe host bridge with ECAM config access ("pci-host-ecam-generic"),
 * laid out as on QEMU's riscv virt board.
 */
#ifndef HW_PCI_HOST_GPEX_H
#define HW_PCI_HOST_GPEX_H

#include "exec/memory.h"
#include "hw/irq.h"
#include "hw/pci/pci.h"

#define GPEX_ECAM_BASE      0x30000000ULL
#define GPEX_ECAM_SIZE      0x10000000ULL   /* buses 0..255 */
#define GPEX_MMIO_BASE      0x40000000ULL
#define GPEX_MMIO_SIZE      0x40000000ULL
#define GPEX_PIO_BASE       0x03000000ULL
#define GPEX_PIO_SIZE       0x10000ULL
#define GPEX_MMIO64_SIZE    (16 * GiB)
#define GPEX_NUM_IRQS       4               /* INTA..INTD: PLIC ids 32..35 on virt */

typedef struct GPEXHost {
    MemoryRegion ecam;
    MemoryRegion pio;
    PCIBus *bus;
    PCIDevice host_bridge;      /* 00.0, Red Hat "QEMU PCIe Host bridge" */
    qemu_irq irqs[GPEX_NUM_IRQS];
    hwaddr mmio64_base;         /* the 64-bit window above RAM */
} GPEXHost;

/*
 * Base of the 64-bit MMIO window for a board with @ram_size bytes of RAM at
 * 0x80000000: the end of RAM rounded up to the window size (QEMU's rule).
 */
hwaddr gpex_mmio64_base(uint64_t ram_size);
/*
 * Create the host bridge: ECAM, the PIO window and bus 0 whose INTA..INTD
 * raise @irqs; BARs may go in the 32-bit window or the 64-bit one above
 * RAM (computed from current_machine's RAM size).
 */
GPEXHost *gpex_create(qemu_irq irqs[GPEX_NUM_IRQS], Error **errp);
/*
 * Add the "pci@30000000" node under @parent_path (e.g. "/soc"), with
 * interrupt-map entries to the PLIC @plic_phandle (0: found by compatible
 * "riscv,plic0").  Needs a gpex_create'd host.
 */
bool gpex_fdt_populate(void *fdt, const char *parent_path, uint32_t plic_phandle,
                       Error **errp);
GPEXHost *gpex_get_host(void);

#endif
