/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vCPU threads.  Each hart runs guest code in its own thread without the
 * BQL; it parks on its condition variable when paused, powered off or
 * halted in WFI with nothing pending.
 */
#include "qemu/osdep.h"
#include "sysemu/cpus.h"
#include "qemu/main-loop.h"
#include "sysemu/cpu-throttle.h"

RISCVCPU *cpus[HINTVM_MAX_CPUS];
int nb_cpus;

void cpus_register(RISCVCPU *cpu)
{
    g_assert(nb_cpus < HINTVM_MAX_CPUS);
    g_mutex_init(&cpu->lock);
    g_cond_init(&cpu->cond);
    cpu->stop = true;
    cpus[nb_cpus++] = cpu;
}

/* Must the hart stay parked?  Called with cpu->lock held. */
static bool vcpu_must_wait(RISCVCPU *cpu)
{
    if (cpu->stop || cpu->powered_off) {
        return true;
    }
    return cpu->env.halted && !riscv_cpu_has_work(cpu);
}

static gpointer vcpu_thread_fn(gpointer opaque)
{
    RISCVCPU *cpu = opaque;

    for (;;) {
        g_mutex_lock(&cpu->lock);
        /* Kicks are consumed here; a stop request set before the kick is still seen. */
        __atomic_store_n(&cpu->env.exit_request, 0, __ATOMIC_RELEASE);
        while (vcpu_must_wait(cpu)) {
            if (cpu->stop && !cpu->stopped) {
                cpu->stopped = true;
                g_cond_broadcast(&cpu->cond);
            }
            g_cond_wait(&cpu->cond, &cpu->lock);
        }
        cpu->stopped = false;
        g_mutex_unlock(&cpu->lock);

        /* auto-converge: sleep what the throttle asks (a pause ends it early). */
        cpu_throttle_vcpu_point(cpu->env.mhartid, &cpu->stop);
        cpu->env.halted = 0;
        riscv_cpu_exec(cpu);
    }
    return NULL;
}

void cpus_start_threads(void)
{
    for (int i = 0; i < nb_cpus; i++) {
        char name[32];

        snprintf(name, sizeof(name), "CPU %d/TCG", i);
        cpus[i]->thread = g_thread_new(name, vcpu_thread_fn, cpus[i]);
    }
}

void cpu_wake(RISCVCPU *cpu)
{
    g_mutex_lock(&cpu->lock);
    g_cond_broadcast(&cpu->cond);
    g_mutex_unlock(&cpu->lock);
}

void pause_all_vcpus(void)
{
    bool had_bql = bql_locked();

    for (int i = 0; i < nb_cpus; i++) {
        g_mutex_lock(&cpus[i]->lock);
        cpus[i]->stop = true;
        g_cond_broadcast(&cpus[i]->cond);
        g_mutex_unlock(&cpus[i]->lock);
        riscv_cpu_kick(cpus[i]);
    }
    if (!cpus[0] || !cpus[0]->thread) {
        return;
    }
    /* A vCPU may be waiting for the BQL inside an MMIO access: let it finish. */
    if (had_bql) {
        bql_unlock();
    }
    for (int i = 0; i < nb_cpus; i++) {
        g_mutex_lock(&cpus[i]->lock);
        while (!cpus[i]->stopped) {
            riscv_cpu_kick(cpus[i]);
            g_cond_wait(&cpus[i]->cond, &cpus[i]->lock);
        }
        g_mutex_unlock(&cpus[i]->lock);
    }
    if (had_bql) {
        bql_lock();
    }
}

void resume_all_vcpus(void)
{
    for (int i = 0; i < nb_cpus; i++) {
        g_mutex_lock(&cpus[i]->lock);
        cpus[i]->stop = false;
        g_cond_broadcast(&cpus[i]->cond);
        g_mutex_unlock(&cpus[i]->lock);
    }
}
