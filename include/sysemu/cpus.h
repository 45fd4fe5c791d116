/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vCPU threads: one per hart, running riscv_cpu_exec without the BQL. */
#ifndef SYSEMU_CPUS_H
#define SYSEMU_CPUS_H

#include "target/riscv/cpu.h"

#define HINTVM_MAX_CPUS 8

extern RISCVCPU *cpus[HINTVM_MAX_CPUS];
extern int nb_cpus;

void cpus_register(RISCVCPU *cpu);
/* Start each vCPU thread (parked until resume_all_vcpus). */
void cpus_start_threads(void);
/* Park every vCPU outside guest code and wait until all have stopped. */
void pause_all_vcpus(void);
void resume_all_vcpus(void);
/* Wake a hart halted in WFI or parked; called when its mip changes. */
void cpu_wake(RISCVCPU *cpu);

#endif
