/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RISC-V hart (RV64IMAFDC + Zicsr + Zifencei, M/S/U modes, Sv39/Sv48).
 * This header is what boards and the vCPU thread code may use; the CPU's own
 * files share target/riscv/internals.h.
 */
#ifndef TARGET_RISCV_CPU_H
#define TARGET_RISCV_CPU_H

#include "qemu/osdep.h"
#include "exec/hwaddr.h"
#include "hw/core/cpu.h"
#include "target/riscv/cpu_bits.h"
#include "target/riscv/tlb.h"
#include <setjmp.h>

typedef struct CPURISCVState CPURISCVState;
typedef struct RISCVCPU RISCVCPU;

/* Reads the platform timer (mtime, 10 MHz on virt) for the time CSR. */
typedef uint64_t (*RISCVTimeSource)(void *opaque);
/*
 * Firmware hook: when set, an ECALL from S-mode is handed to it instead of
 * trapping to M-mode (hintvm's built-in SBI).  Returns true if handled.
 */
typedef bool (*RISCVEcallHook)(CPURISCVState *env, void *opaque);

struct CPURISCVState {
    uint64_t gpr[32];           /* x0 is kept zero: handlers never write it */
    uint64_t fpr[32];           /* NaN-boxed singles */
    uint64_t pc;
    uint32_t frm;               /* dynamic rounding mode, 3 bits */
    uint32_t fflags;            /* accrued exceptions, 5 bits */
    uint64_t priv;              /* PRV_U, PRV_S or PRV_M */

    /* Load reservation for LR/SC: address, or -1 when none */
    uint64_t load_res;
    uint64_t load_val;

    /* Machine-level CSRs */
    uint64_t mhartid;
    uint64_t misa;
    uint64_t mstatus;
    uint64_t medeleg;
    uint64_t mideleg;
    uint64_t mie;
    uint64_t mip;               /* updated atomically: devices set bits from other threads */
    uint64_t mtvec;
    uint64_t mscratch;
    uint64_t mepc;
    uint64_t mcause;
    uint64_t mtval;
    uint64_t mcounteren;
    uint64_t mcountinhibit;
    uint64_t menvcfg;
    uint64_t mseccfg;
    uint64_t pmpcfg[16];        /* RV64 uses the even-numbered registers only */
    uint64_t pmpaddr[64];

    /* Supervisor-level CSRs */
    uint64_t stvec;
    uint64_t sscratch;
    uint64_t sepc;
    uint64_t scause;
    uint64_t stval;
    uint64_t satp;
    uint64_t scounteren;
    uint64_t senvcfg;

    /* Counters: instret counts retired instructions; cycle follows it */
    uint64_t instret;
    uint64_t mcycle_offset;     /* mcycle = instret + offset */
    uint64_t minstret_offset;   /* minstret = instret + offset */

    /* Soft TLB and decoded-instruction cache, owned by tlb.c / translate.c */
    RISCVTLB tlb;

    /* Platform hooks set by the board */
    RISCVTimeSource time_source;
    void *time_opaque;
    RISCVEcallHook ecall_hook;
    void *ecall_opaque;

    /* Execution control */
    int exit_request;           /* atomic: leave the execution loop ASAP */
    int halted;                 /* in WFI, waiting for an interrupt */
    sigjmp_buf jmp_env;         /* riscv_raise_exception returns here */

    RISCVCPU *cpu;
};

struct RISCVCPU {
    CPUState parent_obj;        /* first: what system/ sees (hw/core/cpu.h) */
    CPURISCVState env;
    uint64_t reset_pc;          /* where the hart starts (boot ROM or kernel) */
    uint64_t reset_a0;          /* hart id by convention */
    uint64_t reset_a1;          /* device tree address */
    bool start_powered_off;     /* secondary harts wait for SBI HSM hart_start */
    bool powered_off;
};

#define RISCV_CPU(cs) container_of(cs, RISCVCPU, parent_obj)

/*
 * Create hart @hartid with the RV64GC ISA; its parent_obj is the CPUState
 * (cpu_index = @hartid) the board registers with cpus_register.
 */
RISCVCPU *riscv_cpu_create(int hartid);
/* Free a hart riscv_cpu_create made; it must not be running. */
void riscv_cpu_free(RISCVCPU *cpu);
void riscv_cpu_reset(RISCVCPU *cpu);
/* Human-readable ISA string for the device tree ("rv64imafdc_zicsr_zifencei"). */
const char *riscv_cpu_isa_string(RISCVCPU *cpu);

/*
 * Run guest code until an exit is requested (riscv_cpu_kick), the hart
 * executes WFI with nothing pending (returns with env.halted set), or it is
 * powered off.  Called by the vCPU thread without the BQL.
 */
void riscv_cpu_exec(RISCVCPU *cpu);

/*
 * Set or clear bits of mip from a device (CLINT, PLIC): atomic, callable from
 * any thread; wakes a halted hart and makes a running one re-check interrupts.
 */
void riscv_cpu_update_mip(RISCVCPU *cpu, uint64_t mask, uint64_t value);
/* Is an interrupt pending and enabled, i.e. should a halted hart wake? */
bool riscv_cpu_has_work(RISCVCPU *cpu);
/* Make the hart leave riscv_cpu_exec soon (from any thread). */
void riscv_cpu_kick(RISCVCPU *cpu);

/*
 * Remote fences (SBI RFENCE, dirty-log sync): ask hart @cpu to drop @what
 * (CPU_FLUSH_*, hw/core/cpu.h; CPU_FLUSH_CODE is a remote FENCE.I) before it
 * runs another guest instruction under the old state, and kick it.  Returns
 * a ticket for riscv_cpu_flush_wait.  Callable from any thread, the hart's own
 * included.
 */
unsigned riscv_cpu_flush_request(RISCVCPU *cpu, unsigned what);
/*
 * Return once hart @cpu has applied the request @ticket, or is outside guest
 * code (parked, halted, powered off: it applies the request before it next
 * runs one).  Request every hart first, then wait for each, so they flush in
 * parallel.  On a hart's thread, only from an instruction that ends its block
 * (an ECALL: the SBI), which is what lets two harts fence each other at once.
 * The BQL is dropped while waiting, as the target may need it to finish an
 * MMIO access.
 */
void riscv_cpu_flush_wait(RISCVCPU *cpu, unsigned ticket);
/* Both: @what is done on @cpu when this returns. */
void riscv_cpu_flush_sync(RISCVCPU *cpu, unsigned what);

/*
 * The hart's migratable state (target/riscv/machine.c), section "cpu" with
 * the hart id as instance id: the CPUOps vmsd, registered by cpus_register.
 * Its opaque is the CPUState, which starts the RISCVCPU.
 */
extern const VMStateDescription vmstate_riscv_cpu;

/* Dump registers (for -d cpu and fatal errors). */
void riscv_cpu_dump_state(RISCVCPU *cpu, FILE *f);

#endif
