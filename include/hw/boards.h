/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Machine (board) configuration from the command line and the board registry. */
#ifndef HW_BOARDS_H
#define HW_BOARDS_H

#include "exec/memory.h"

typedef struct Chardev Chardev;

typedef struct MachineState {
    const char *type;               /* -M virt */
    uint64_t ram_size;              /* -m */
    int smp_cpus;                   /* -smp */
    const char *firmware;           /* -bios: NULL = built-in SBI, "none" = no firmware */
    const char *kernel_filename;    /* -kernel */
    const char *initrd_filename;    /* -initrd */
    const char *kernel_cmdline;     /* -append */
    const char *dtb;                /* -dtb: use this device tree instead */
    const char *dumpdtb;            /* -machine dumpdtb=FILE: write the DT and exit */
    bool qtest;                     /* -accel qtest: no CPU runs */
    Chardev *serial[4];             /* -serial / -nographic backends, in order */
    MemoryRegion ram;
    void *board;                    /* the board's own state */
} MachineState;

typedef struct MachineClass {
    const char *name;
    const char *desc;
    uint64_t default_ram_size;
    int max_cpus;
    /* Build the machine: RAM, devices, harts, firmware and kernel loading. */
    bool (*init)(MachineState *ms, Error **errp);
} MachineClass;

extern const MachineClass virt_machine_class;
extern MachineState *current_machine;

#endif
