/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hart's migratable state (docs/devel/migration/vmstate.rst): the
 * integer and floating-point registers, pc, privilege, frm/fflags, every
 * CSR kept in CPURISCVState, the LR/SC reservation, the counters, the
 * pending interrupts and the run state (WFI, SBI HSM power).  The soft TLB
 * and the decoded-instruction cache are host caches: they are dropped on
 * load and refill from the loaded state.
 */
#include "qemu/osdep.h"
#include "migration/vmstate.h"
#include "target/riscv/cpu.h"

static const VMStateDescription vmstate_riscv_env = {
    .name = "riscv_cpu-env",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        VMSTATE_UINT64_ARRAY(gpr, CPURISCVState, 32),
        VMSTATE_UINT64_ARRAY(fpr, CPURISCVState, 32),
        VMSTATE_UINT64(pc, CPURISCVState),
        VMSTATE_UINT32(frm, CPURISCVState),
        VMSTATE_UINT32(fflags, CPURISCVState),
        VMSTATE_UINT64(priv, CPURISCVState),
        VMSTATE_UINT64(load_res, CPURISCVState),
        VMSTATE_UINT64(load_val, CPURISCVState),

        VMSTATE_UINT64(mhartid, CPURISCVState),
        VMSTATE_UINT64(misa, CPURISCVState),
        VMSTATE_UINT64(mstatus, CPURISCVState),
        VMSTATE_UINT64(medeleg, CPURISCVState),
        VMSTATE_UINT64(mideleg, CPURISCVState),
        VMSTATE_UINT64(mie, CPURISCVState),
        VMSTATE_UINT64(mip, CPURISCVState),
        VMSTATE_UINT64(mtvec, CPURISCVState),
        VMSTATE_UINT64(mscratch, CPURISCVState),
        VMSTATE_UINT64(mepc, CPURISCVState),
        VMSTATE_UINT64(mcause, CPURISCVState),
        VMSTATE_UINT64(mtval, CPURISCVState),
        VMSTATE_UINT64(mcounteren, CPURISCVState),
        VMSTATE_UINT64(mcountinhibit, CPURISCVState),
        VMSTATE_UINT64(menvcfg, CPURISCVState),
        VMSTATE_UINT64(mseccfg, CPURISCVState),
        VMSTATE_UINT64_ARRAY(pmpcfg, CPURISCVState, 16),
        VMSTATE_UINT64_ARRAY(pmpaddr, CPURISCVState, 64),

        VMSTATE_UINT64(stvec, CPURISCVState),
        VMSTATE_UINT64(sscratch, CPURISCVState),
        VMSTATE_UINT64(sepc, CPURISCVState),
        VMSTATE_UINT64(scause, CPURISCVState),
        VMSTATE_UINT64(stval, CPURISCVState),
        VMSTATE_UINT64(satp, CPURISCVState),
        VMSTATE_UINT64(scounteren, CPURISCVState),
        VMSTATE_UINT64(senvcfg, CPURISCVState),

        VMSTATE_UINT64(instret, CPURISCVState),
        VMSTATE_UINT64(mcycle_offset, CPURISCVState),
        VMSTATE_UINT64(minstret_offset, CPURISCVState),
        VMSTATE_INT32(halted, CPURISCVState),
        VMSTATE_END_OF_LIST(),
    },
};

/*
 * The section must be loaded into the hart it was saved from, on the same
 * ISA: everything else follows from registers the table restored.
 */
static bool riscv_cpu_post_load(void *opaque, int version_id, Error **errp)
{
    RISCVCPU *cpu = RISCV_CPU((CPUState *)opaque);
    CPURISCVState *env = &cpu->env;

    if (env->mhartid != (uint64_t)cpu->parent_obj.cpu_index) {
        error_setg(errp, "state of hart %" PRIu64 " loaded into hart %d", env->mhartid,
                   cpu->parent_obj.cpu_index);
        return false;
    }
    if (env->priv != PRV_U && env->priv != PRV_S && env->priv != PRV_M) {
        error_setg(errp, "invalid privilege level %" PRIu64, env->priv);
        return false;
    }
    if (env->frm > 7 || env->fflags > 0x1f) {
        error_setg(errp, "invalid frm %u or fflags 0x%x", env->frm, env->fflags);
        return false;
    }
    if (env->gpr[0] != 0) {
        error_setg(errp, "x0 holds 0x%" PRIx64, env->gpr[0]);
        return false;
    }
    if (env->halted > 1) {
        error_setg(errp, "invalid halted state %d", env->halted);
        return false;
    }
    /*
     * Translations and decoded code of the old memory contents and satp: the
     * hart drops them before it next runs (it is parked now).  mip was loaded
     * whole; the interrupt controllers' post_load hooks (they run after this
     * one, MIG_PRI_CPU) set their lines in it again from their own state.
     */
    riscv_cpu_flush_request(cpu, CPU_FLUSH_TLB | CPU_FLUSH_CODE);
    return true;
}

const VMStateDescription vmstate_riscv_cpu = {
    .name = "cpu",
    .version_id = 1,
    .minimum_version_id = 1,
    .priority = MIG_PRI_CPU,
    .post_load = riscv_cpu_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_STRUCT(env, RISCVCPU, 0, vmstate_riscv_env, CPURISCVState),
        VMSTATE_BOOL(powered_off, RISCVCPU),
        VMSTATE_END_OF_LIST(),
    },
};
