/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vCPU threads.  Each vCPU runs guest code in its own thread without the
 * BQL; it parks on its condition variable when paused, or when it has
 * nothing to run (powered off, or halted with nothing pending).
 */
#include "qemu/osdep.h"
#include "sysemu/cpus.h"
#include "qemu/main-loop.h"
#include "sysemu/cpu-throttle.h"
#include "migration/vmstate.h"

CPUState *cpus[HINTVM_MAX_CPUS];
int nb_cpus;

void cpus_register(CPUState *cs)
{
    g_assert(nb_cpus < HINTVM_MAX_CPUS);
    g_mutex_init(&cs->lock);
    g_cond_init(&cs->cond);
    cs->stop = true;
    cpus[nb_cpus++] = cs;
    /* Section "cpu" of the target's description, one instance per vCPU. */
    if (cs->ops->vmsd) {
        vmstate_register(cs->ops->vmsd, cs->cpu_index, cs);
    }
}

/* Must the vCPU stay parked?  Called with cs->lock held. */
static bool vcpu_must_wait(CPUState *cs)
{
    return cs->stop || !cpu_has_work(cs);
}

static gpointer vcpu_thread_fn(gpointer opaque)
{
    CPUState *cs = opaque;

    for (;;) {
        g_mutex_lock(&cs->lock);
        /*
         * A stop request is set under cs->lock before its kick, so it is seen
         * here or its kick makes cpu_exec return; a kick left over from a
         * parked spell only makes the next cpu_exec return at once.
         */
        while (vcpu_must_wait(cs)) {
            if (cs->stop && !cs->stopped) {
                cs->stopped = true;
                g_cond_broadcast(&cs->cond);
            }
            g_cond_wait(&cs->cond, &cs->lock);
        }
        cs->stopped = false;
        g_mutex_unlock(&cs->lock);

        /* auto-converge: sleep what the throttle asks (a pause ends it early). */
        cpu_throttle_vcpu_point(cs->cpu_index, &cs->stop);
        cpu_exec(cs);
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

void cpu_wake(CPUState *cs)
{
    g_mutex_lock(&cs->lock);
    g_cond_broadcast(&cs->cond);
    g_mutex_unlock(&cs->lock);
}

void pause_all_vcpus(void)
{
    bool had_bql = bql_locked();

    for (int i = 0; i < nb_cpus; i++) {
        g_mutex_lock(&cpus[i]->lock);
        cpus[i]->stop = true;
        g_cond_broadcast(&cpus[i]->cond);
        g_mutex_unlock(&cpus[i]->lock);
        cpu_kick(cpus[i]);
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
            cpu_kick(cpus[i]);
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
