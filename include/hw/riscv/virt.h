/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RISC-V "virt" board: QEMU's riscv virt memory map, interrupt numbers and
 * device tree, so a kernel and device tree bindings that work there work here.
 */
#ifndef HW_RISCV_VIRT_H
#define HW_RISCV_VIRT_H

#include "hw/boards.h"
#include "hw/riscv/boot.h"
#include "sysemu/cpus.h"
#include "target/riscv/cpu.h"

typedef struct RISCVAclintState RISCVAclintState;
typedef struct SiFivePLICState SiFivePLICState;
typedef struct SerialMM SerialMM;
typedef struct GoldfishRTCState GoldfishRTCState;
typedef struct SiFiveTestState SiFiveTestState;
typedef struct RISCVSBIState RISCVSBIState;

typedef struct MemMapEntry {
    hwaddr base;
    hwaddr size;
} MemMapEntry;

enum {
    VIRT_MROM,
    VIRT_TEST,
    VIRT_RTC,
    VIRT_CLINT,
    VIRT_PLIC,
    VIRT_UART0,
    VIRT_VIRTIO,        /* the first of VIRTIO_COUNT transports, VIRTIO size apart */
    VIRT_PCIE_PIO,
    VIRT_PCIE_ECAM,
    VIRT_PCIE_MMIO,
    VIRT_DRAM,
    VIRT_MEMMAP_COUNT,
};

extern const MemMapEntry virt_memmap[VIRT_MEMMAP_COUNT];

/* PLIC interrupt ids */
enum {
    VIRTIO_IRQ = 1,     /* virtio-mmio transport n uses VIRTIO_IRQ + n */
    VIRTIO_COUNT = 8,
    UART0_IRQ = 10,
    RTC_IRQ = 11,
    PCIE_IRQ = 0x20,    /* INTA..INTD: 0x20..0x23 */
};

#define VIRT_IRQCHIP_NUM_SOURCES 96         /* the PLIC's riscv,ndev */
#define VIRT_TIMEBASE_FREQ       10000000   /* CLINT mtime, /cpus timebase-frequency */
#define VIRT_UART_CLOCK_FREQ     3686400    /* 16550A input clock */
#define VIRT_MAX_RAM_SIZE        (1024 * GiB)

/* A plain MMIO device node under /soc with one interrupt on the PLIC. */
typedef struct VirtFdtDevice {
    char *node_name;            /* e.g. "virtio_mmio" (the "@base" is added) */
    hwaddr base;
    hwaddr size;
    char *compatible;           /* NUL-separated list, as the property stores it */
    size_t compatible_len;
    int irq;                    /* PLIC id, or 0 for none */
} VirtFdtDevice;

typedef struct VirtMachineState {
    MachineState *ms;
    int num_harts;
    RISCVCPU *harts[HINTVM_MAX_CPUS];
    RISCVAclintState *clint;
    SiFivePLICState *plic;
    SerialMM *uart0;
    GoldfishRTCState *rtc;
    SiFiveTestState *test;
    RISCVSBIState *sbi;         /* NULL unless the built-in SBI is the firmware */
    RISCVFirmwareKind firmware;

    /* Simple /soc device nodes, in creation order (the virtio issue adds to it) */
    GArray *fdt_devices;

    /* Boot layout */
    hwaddr firmware_end;
    bool has_kernel;
    RISCVKernelInfo kernel;
    hwaddr initrd_start, initrd_end;
    void *fdt;
    hwaddr fdt_addr;
} VirtMachineState;

/*
 * Describe an MMIO device in the generated device tree:
 * /soc/@node_name@@base with compatible @compatible (NULL-terminated list)
 * and interrupt @irq on the PLIC (0 for none).  Call before the tree is built.
 */
void virt_add_fdt_device(VirtMachineState *s, const char *node_name, hwaddr base,
                         hwaddr size, const char *const *compatible, int irq);

bool virt_machine_init(MachineState *ms, Error **errp);

#endif
