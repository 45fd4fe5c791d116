/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vCPU threads: one per vCPU, running cpu_exec without the BQL. */
#ifndef SYSEMU_CPUS_H
#define SYSEMU_CPUS_H

#include "hw/core/cpu.h"

#define HINTVM_MAX_CPUS 8

/* Every vCPU, in cpu_index order. */
extern CPUState *cpus[HINTVM_MAX_CPUS];
extern int nb_cpus;

#define CPU_FOREACH(cs)                                                     \
    for (int cpu_foreach_i_ = 0;                                           \
         cpu_foreach_i_ < nb_cpus && ((cs) = cpus[cpu_foreach_i_], true); \
         cpu_foreach_i_++)

void cpus_register(CPUState *cs);
/* Start each vCPU thread (parked until resume_all_vcpus). */
void cpus_start_threads(void);
/* Park every vCPU outside guest code and wait until all have stopped. */
void pause_all_vcpus(void);
void resume_all_vcpus(void);
/* Wake a vCPU halted or parked; called when its pending interrupts change. */
void cpu_wake(CPUState *cs);

#endif
