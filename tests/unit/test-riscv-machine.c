/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hart's migration section: every described register survives a save
 * and load into a fresh hart, the caches are flushed, and a section that
 * belongs to another hart or holds an impossible privilege is refused.
 */
#include "qemu/osdep.h"
#include "target/riscv/cpu.h"
#include "vmstate-round-trip.h"

/* Every word of the architectural state gets a distinct value. */
static void fill_env(CPURISCVState *env, uint64_t seed)
{
    uint64_t *words[] = {
        &env->load_res, &env->load_val, &env->mstatus, &env->medeleg, &env->mideleg,
        &env->mie, &env->mip, &env->mtvec, &env->mscratch, &env->mepc, &env->mcause,
        &env->mtval, &env->mcounteren, &env->mcountinhibit, &env->menvcfg,
        &env->mseccfg, &env->stvec, &env->sscratch, &env->sepc, &env->scause,
        &env->stval, &env->satp, &env->scounteren, &env->senvcfg, &env->instret,
        &env->mcycle_offset, &env->minstret_offset, &env->pc,
    };

    for (int i = 1; i < 32; i++) {
        env->gpr[i] = seed * 1000 + i;
    }
    for (int i = 0; i < 32; i++) {
        env->fpr[i] = 0xffffffff00000000ULL | (seed * 2000 + i);
    }
    for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
        *words[i] = seed << 32 | i;
    }
    for (int i = 0; i < 16; i++) {
        env->pmpcfg[i] = seed + 3 * i;
    }
    for (int i = 0; i < 64; i++) {
        env->pmpaddr[i] = seed + 5 * i;
    }
    env->frm = 3;
    env->fflags = 0x11;
    env->priv = PRV_S;
    env->halted = 1;
}

/* The architectural part of CPURISCVState: everything before the TLB. */
static void assert_env_equal(const CPURISCVState *a, const CPURISCVState *b)
{
    g_assert_cmpmem(a, offsetof(CPURISCVState, tlb), b, offsetof(CPURISCVState, tlb));
    g_assert_cmpint(a->halted, ==, b->halted);
}

static void test_cpu_round_trip(void)
{
    RISCVCPU *src = riscv_cpu_create(1), *dst = riscv_cpu_create(1);

    fill_env(&src->env, 7);
    src->env.mhartid = 1;
    src->env.misa = dst->env.misa;
    src->powered_off = true;
    g_assert_cmpuint(__atomic_load_n(&dst->env.tlb.flush_pending, __ATOMIC_ACQUIRE), ==, 0);
    vmstate_round_trip(&vmstate_riscv_cpu, src, dst);
    assert_env_equal(&src->env, &dst->env);
    g_assert_true(dst->powered_off);
    /* Host caches are dropped before the hart runs again. */
    g_assert_cmpuint(__atomic_load_n(&dst->env.tlb.flush_pending, __ATOMIC_ACQUIRE) &
                     (CPU_FLUSH_TLB | CPU_FLUSH_CODE), ==,
                     CPU_FLUSH_TLB | CPU_FLUSH_CODE);
    riscv_cpu_free(src);
    riscv_cpu_free(dst);
}

static void test_cpu_wrong_hart(void)
{
    RISCVCPU *src = riscv_cpu_create(0), *dst = riscv_cpu_create(1);
    g_autofree char *msg = vmstate_round_trip_error(&vmstate_riscv_cpu, src, dst);

    g_assert_cmpstr(msg, ==, "'cpu': state of hart 0 loaded into hart 1");
    riscv_cpu_free(src);
    riscv_cpu_free(dst);
}

static void test_cpu_bad_priv(void)
{
    RISCVCPU *src = riscv_cpu_create(0), *dst = riscv_cpu_create(0);
    g_autofree char *msg = NULL;

    src->env.priv = 2;
    msg = vmstate_round_trip_error(&vmstate_riscv_cpu, src, dst);
    g_assert_cmpstr(msg, ==, "'cpu': invalid privilege level 2");
    riscv_cpu_free(src);
    riscv_cpu_free(dst);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/riscv-machine/round-trip", test_cpu_round_trip);
    g_test_add_func("/riscv-machine/wrong-hart", test_cpu_wrong_hart);
    g_test_add_func("/riscv-machine/bad-priv", test_cpu_bad_priv);
    return g_test_run();
}
