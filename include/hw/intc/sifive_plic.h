/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SiFive platform-level interrupt controller ("sifive,plic-1.0.0"), laid out
 * as on QEMU's riscv virt board: two contexts per hart, context 2h is hart h
 * in M-mode (mip.MEIP) and 2h+1 is hart h in S-mode (mip.SEIP).
 */
#ifndef HW_INTC_SIFIVE_PLIC_H
#define HW_INTC_SIFIVE_PLIC_H

#include "exec/memory.h"
#include "hw/irq.h"

typedef struct RISCVCPU RISCVCPU;
typedef struct Error Error;
typedef struct VMStateDescription VMStateDescription;

#define SIFIVE_PLIC_MAX_SOURCES     1023    /* interrupt ids 1..1023; 0 means none */
#define SIFIVE_PLIC_MAX_HARTS       64
#define SIFIVE_PLIC_MAX_CONTEXTS    (2 * SIFIVE_PLIC_MAX_HARTS)
#define SIFIVE_PLIC_WORDS           ((SIFIVE_PLIC_MAX_SOURCES + 1) / 32)
#define SIFIVE_PLIC_PRIORITY_BITS   3       /* priorities 0..7, as virt */

/* Guest-visible state, pointer-free for migration.  Bit n of a word array is id n. */
typedef struct SiFivePLICRegs {
    uint32_t priority[SIFIVE_PLIC_MAX_SOURCES + 1];
    uint32_t pending[SIFIVE_PLIC_WORDS];
    uint32_t claimed[SIFIVE_PLIC_WORDS];    /* claimed, not yet completed */
    uint32_t level[SIFIVE_PLIC_WORDS];      /* current input line levels */
    uint32_t enable[SIFIVE_PLIC_MAX_CONTEXTS][SIFIVE_PLIC_WORDS];
    uint32_t threshold[SIFIVE_PLIC_MAX_CONTEXTS];
} SiFivePLICRegs;

typedef struct SiFivePLICState {
    SiFivePLICRegs regs;
    MemoryRegion mmio;
    int num_harts;
    int num_sources;            /* ids 1..num_sources are wired (riscv,ndev) */
    RISCVCPU *harts[SIFIVE_PLIC_MAX_HARTS];
    qemu_irq irqs[SIFIVE_PLIC_MAX_SOURCES + 1];
} SiFivePLICState;

/*
 * Create a PLIC with interrupt ids 1..@num_sources (the device tree's
 * riscv,ndev; virt uses 96) for @harts, mapped at @base.
 */
SiFivePLICState *sifive_plic_create(hwaddr base, RISCVCPU **harts, int num_harts,
                                    int num_sources, Error **errp);
/* Registered for migration by sifive_plic_create (section "sifive_plic"). */
extern const VMStateDescription vmstate_sifive_plic;

/* The input line of interrupt id @source (1..num_sources), level-triggered. */
qemu_irq sifive_plic_get_irq(SiFivePLICState *s, int source);
/* Reset to power-on state; sifive_plic_create registers it for system reset. */
void sifive_plic_reset(SiFivePLICState *s);
/* Bytes of address space the PLIC decodes for @num_harts (the DT reg size). */
uint64_t sifive_plic_mmio_size(int num_harts);

#endif
