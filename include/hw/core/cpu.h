/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The target-independent view of a vCPU: what the vCPU threads, run state,
 * dirty log and migration use.  A target embeds a CPUState as the first
 * member of its CPU and fills a CPUOps table; only boards and firmware
 * (hw/riscv) reach past it to the target's own type.
 */
#ifndef HW_CORE_CPU_H
#define HW_CORE_CPU_H

#include "qemu/osdep.h"

typedef struct CPUState CPUState;
typedef struct VMStateDescription VMStateDescription;

/*
 * What cpu_flush_request asks a vCPU to drop before it runs another guest
 * instruction under the old state:
 *   CPU_FLUSH_TLB:   every TLB entry (a remote TLB shootdown);
 *   CPU_FLUSH_WRITE: the write entries only, so the next store to each page
 *                    goes through the dirty-log hook again
 *                    (docs/devel/migration/dirty-log.rst);
 *   CPU_FLUSH_CODE:  cached decoded instructions (a remote instruction fence).
 */
enum {
    CPU_FLUSH_TLB = 1,
    CPU_FLUSH_WRITE = 2,
    CPU_FLUSH_CODE = 4,
};

typedef struct CPUOps {
    /*
     * Run guest code until an exit is requested (kick), the vCPU halts with
     * nothing to wake it, or it powers off.  vCPU thread, without the BQL.
     */
    void (*exec)(CPUState *cs);
    /* Make the vCPU leave exec soon; any thread. */
    void (*kick)(CPUState *cs);
    /* Back to the power-on state the board configured.  vCPU parked. */
    void (*reset)(CPUState *cs);
    /*
     * Can exec make progress: powered on, and running or halted with an
     * interrupt that wakes it?  Its thread parks while this is false.
     */
    bool (*has_work)(CPUState *cs);
    /* Ask for CPU_FLUSH_* bits to be applied and kick; returns a ticket. */
    unsigned (*flush_request)(CPUState *cs, unsigned what);
    /*
     * Return once the request @ticket is applied, or the vCPU is outside
     * guest code (it applies it before it runs any).  Drops the BQL while
     * waiting.
     */
    void (*flush_wait)(CPUState *cs, unsigned ticket);
    /* Registers, for -d cpu and fatal errors. */
    void (*dump_state)(CPUState *cs, FILE *f);
    /*
     * The vCPU's migratable state (registers, CSRs, pending interrupts);
     * its opaque is the CPUState, which is the start of the target's CPU.
     */
    const VMStateDescription *vmsd;
} CPUOps;

struct CPUState {
    const CPUOps *ops;
    int cpu_index;

    /* vCPU thread plumbing (system/cpus.c) */
    GThread *thread;
    GMutex lock;
    GCond cond;                 /* signalled on interrupt, kick, stop/resume */
    bool stop;                  /* requested to pause */
    bool stopped;               /* acknowledged: parked outside guest code */
};

static inline void cpu_exec(CPUState *cs)
{
    cs->ops->exec(cs);
}

static inline void cpu_kick(CPUState *cs)
{
    cs->ops->kick(cs);
}

static inline void cpu_reset(CPUState *cs)
{
    cs->ops->reset(cs);
}

static inline bool cpu_has_work(CPUState *cs)
{
    return cs->ops->has_work(cs);
}

static inline unsigned cpu_flush_request(CPUState *cs, unsigned what)
{
    return cs->ops->flush_request(cs, what);
}

static inline void cpu_flush_wait(CPUState *cs, unsigned ticket)
{
    cs->ops->flush_wait(cs, ticket);
}

static inline void cpu_dump_state(CPUState *cs, FILE *f)
{
    cs->ops->dump_state(cs, f);
}

#endif
