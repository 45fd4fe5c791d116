/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V core-local interruptor in the SiFive CLINT layout ("riscv,clint0"):
 * one MSIP word per hart, one 64-bit MTIMECMP per hart and the shared 64-bit
 * MTIME, counting at 10 MHz on the virt board.
 */
#ifndef HW_INTC_RISCV_ACLINT_H
#define HW_INTC_RISCV_ACLINT_H

#include "exec/memory.h"
#include "qemu/timer.h"

typedef struct RISCVCPU RISCVCPU;
typedef struct Error Error;
typedef struct VMStateDescription VMStateDescription;

#define RISCV_ACLINT_MAX_HARTS      64
#define RISCV_ACLINT_MSIP_BASE      0x0
#define RISCV_ACLINT_MTIMECMP_BASE  0x4000
#define RISCV_ACLINT_MTIME          0xbff8
#define RISCV_ACLINT_SIZE           0x10000
#define RISCV_ACLINT_TIMEBASE_FREQ  10000000    /* timebase-frequency of virt */

/*
 * Guest-visible state, pointer-free for migration.  mtime is not stored: it
 * is the virtual clock in ticks plus mtime_offset (set by writes to mtime).
 */
typedef struct RISCVAclintRegs {
    uint32_t msip[RISCV_ACLINT_MAX_HARTS];
    uint64_t mtimecmp[RISCV_ACLINT_MAX_HARTS];
    int64_t mtime_offset;       /* atomic: read without the BQL by the time CSR */
} RISCVAclintRegs;

typedef struct RISCVAclintState {
    RISCVAclintRegs regs;
    MemoryRegion mmio;
    int num_harts;
    RISCVCPU *harts[RISCV_ACLINT_MAX_HARTS];
    QEMUTimer timers[RISCV_ACLINT_MAX_HARTS];   /* fire when mtime reaches mtimecmp */
    uint64_t timer_mip;         /* the mip bit the comparators drive */
} RISCVAclintState;

/*
 * Registered for migration by riscv_aclint_create (section "riscv_aclint").
 * mtime follows from the virtual clock's own section (sysemu/cpu-timers.h).
 */
extern const VMStateDescription vmstate_riscv_aclint;

/* Create the CLINT for @harts[0..num_harts-1] and map it at @base. */
RISCVAclintState *riscv_aclint_create(hwaddr base, RISCVCPU **harts, int num_harts,
                                      Error **errp);
/*
 * Current mtime; a RISCVTimeSource for the time CSR.  Thread-safe: callable
 * from a vCPU thread without the BQL.
 */
uint64_t riscv_aclint_read_mtime(void *opaque);
/* Reset to power-on state; riscv_aclint_create registers it for system reset. */
void riscv_aclint_reset(RISCVAclintState *s);
/*
 * Which mip bit the timer comparators drive: MIP_MTIP (default, for M-mode
 * firmware) or MIP_STIP (for a built-in SBI whose set_timer writes mtimecmp
 * on behalf of S-mode).  Re-evaluates every hart.
 */
void riscv_aclint_set_timer_mip(RISCVAclintState *s, uint64_t mip_bit);
/* Program hart @hart's comparator as an MMIO write would (BQL held). */
void riscv_aclint_set_mtimecmp(RISCVAclintState *s, int hart, uint64_t value);

#endif
