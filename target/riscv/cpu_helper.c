/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V traps, interrupts, privilege changes and the page-table walker
 * (RISC-V privileged specification, version 20211203, chapters 3 and 4).
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/memory.h"
#include "target/riscv/internals.h"
#include <sys/mman.h>

/* ---- Interrupts ---- */

/*
 * Decreasing priority of simultaneous interrupts for one privilege mode
 * (3.1.9): external, software, timer; M-level before S-level.
 */
static const int interrupt_priority[] = {
    IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER,
};

static int highest_priority_irq(uint64_t irqs)
{
    int i;

    for (i = 0; i < ARRAY_SIZE(interrupt_priority); i++) {
        if (irqs & (1ULL << interrupt_priority[i])) {
            return interrupt_priority[i];
        }
    }
    return -1;
}

int riscv_cpu_pending_interrupt(CPURISCVState *env)
{
    uint64_t pending = __atomic_load_n(&env->mip, __ATOMIC_ACQUIRE) & env->mie;
    uint64_t m_irqs, s_irqs;
    bool m_enabled, s_enabled;

    if (likely(!pending)) {
        return -1;
    }
    /*
     * An interrupt destined for mode x is taken when the hart runs below x, or
     * in x with xIE set (3.1.6.1).  Interrupts for M-mode come first: they
     * have the higher destination privilege (3.1.9).
     */
    m_enabled = env->priv < PRV_M || (env->mstatus & MSTATUS_MIE);
    m_irqs = m_enabled ? pending & ~env->mideleg : 0;
    if (m_irqs) {
        return highest_priority_irq(m_irqs);
    }
    s_enabled = env->priv < PRV_S || (env->priv == PRV_S && (env->mstatus & MSTATUS_SIE));
    s_irqs = s_enabled ? pending & env->mideleg : 0;
    if (s_irqs) {
        return highest_priority_irq(s_irqs);
    }
    return -1;
}

/* ---- Trap entry and return ---- */

void riscv_cpu_set_priv(CPURISCVState *env, uint64_t priv)
{
    /* Only U, S and M exist; H-mode's encoding 2 is never produced. */
    g_assert(priv == PRV_U || priv == PRV_S || priv == PRV_M);
    env->priv = priv;
}

static const char *exception_name(uint64_t cause)
{
    static const char *const names[] = {
        "misaligned_fetch", "fault_fetch", "illegal_instruction", "breakpoint",
        "misaligned_load", "fault_load", "misaligned_store", "fault_store",
        "user_ecall", "supervisor_ecall", "hypervisor_ecall", "machine_ecall",
        "exec_page_fault", "load_page_fault", "reserved", "store_page_fault",
    };

    return cause < ARRAY_SIZE(names) ? names[cause] : "(unknown)";
}

static const char *interrupt_name(uint64_t cause)
{
    static const char *const names[] = {
        "u_software", "s_software", "vs_software", "m_software",
        "u_timer", "s_timer", "vs_timer", "m_timer",
        "u_external", "s_external", "vs_external", "m_external",
    };

    return cause < ARRAY_SIZE(names) ? names[cause] : "(unknown)";
}

static uint64_t trap_vector(uint64_t tvec, bool is_interrupt, uint64_t cause)
{
    uint64_t base = tvec & ~3ULL;

    /* Vectored mode sends interrupts to base + 4 * cause (3.1.7). */
    if (is_interrupt && (tvec & 3) == 1) {
        return base + 4 * cause;
    }
    return base;
}

void riscv_cpu_do_trap(CPURISCVState *env, bool is_interrupt, uint64_t cause, uint64_t tval)
{
    uint64_t deleg = is_interrupt ? env->mideleg : env->medeleg;
    uint64_t status = env->mstatus;

    if (!is_interrupt) {
        switch (cause) {
        case RISCV_EXCP_U_ECALL:
        case RISCV_EXCP_S_ECALL:
        case RISCV_EXCP_M_ECALL:
            /* The cause of an ECALL names the mode it came from. */
            cause = env->priv == PRV_M ? RISCV_EXCP_M_ECALL :
                    env->priv == PRV_S ? RISCV_EXCP_S_ECALL : RISCV_EXCP_U_ECALL;
            /* The built-in SBI (ecall_hook) is consulted by the ECALL handler. */
            tval = 0;
            break;
        case RISCV_EXCP_BREAKPOINT:
            /* mtval may be 0 or the pc (3.1.16); QEMU 7.2 writes 0. */
            tval = 0;
            break;
        default:
            break;
        }
    } else {
        tval = 0;
    }

    qemu_log_mask(CPU_LOG_INT, "riscv_cpu_do_interrupt: hart:%" PRIu64 ", async:%d, "
                  "cause:%016" PRIx64 ", epc:0x%016" PRIx64 ", tval:0x%016" PRIx64
                  ", desc=%s\n", env->mhartid, is_interrupt, cause, env->pc, tval,
                  is_interrupt ? interrupt_name(cause) : exception_name(cause));

    /* Traps never move to a less privileged mode: M traps stay in M (3.1.8). */
    if (env->priv <= PRV_S && cause < 64 && ((deleg >> cause) & 1)) {
        env->scause = cause | (is_interrupt ? RISCV_EXCP_INT_FLAG : 0);
        env->sepc = env->pc;
        env->stval = tval;
        status = (status & ~MSTATUS_SPIE) | ((status & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
        status &= ~MSTATUS_SIE;
        status = (status & ~MSTATUS_SPP) | (env->priv == PRV_S ? MSTATUS_SPP : 0);
        env->mstatus = status;
        env->pc = trap_vector(env->stvec, is_interrupt, cause);
        riscv_cpu_set_priv(env, PRV_S);
    } else {
        env->mcause = cause | (is_interrupt ? RISCV_EXCP_INT_FLAG : 0);
        env->mepc = env->pc;
        env->mtval = tval;
        status = (status & ~MSTATUS_MPIE) | ((status & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
        status &= ~MSTATUS_MIE;
        status = (status & ~MSTATUS_MPP) | (env->priv << MSTATUS_MPP_SHIFT);
        env->mstatus = status;
        env->pc = trap_vector(env->mtvec, is_interrupt, cause);
        riscv_cpu_set_priv(env, PRV_M);
    }
    /* A trap ends any LR/SC sequence. */
    env->load_res = -1;
}

void riscv_cpu_mret(CPURISCVState *env, const DecodedInsn *d)
{
    uint64_t status = env->mstatus;
    uint64_t prev_priv = (status & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;

    if (env->priv < PRV_M) {
        riscv_raise_illegal(env, d);
    }
    /* 3.1.6.1: MIE = MPIE, MPIE = 1, MPP = U; MPRV = 0 when leaving M. */
    status = (status & ~MSTATUS_MIE) | ((status & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    status |= MSTATUS_MPIE;
    status &= ~MSTATUS_MPP;
    if (prev_priv != PRV_M) {
        status &= ~MSTATUS_MPRV;
    }
    env->mstatus = status;
    env->pc = env->mepc;
    env->load_res = -1;
    riscv_cpu_set_priv(env, prev_priv);
}

void riscv_cpu_sret(CPURISCVState *env, const DecodedInsn *d)
{
    uint64_t status = env->mstatus;
    uint64_t prev_priv = (status & MSTATUS_SPP) ? PRV_S : PRV_U;

    /* SRET is illegal in U-mode, and in S-mode when TSR is set (3.1.6.5). */
    if (env->priv == PRV_U || (env->priv == PRV_S && (status & MSTATUS_TSR))) {
        riscv_raise_illegal(env, d);
    }
    status = (status & ~MSTATUS_SIE) | ((status & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    status |= MSTATUS_SPIE;
    status &= ~(MSTATUS_SPP | MSTATUS_MPRV);
    env->mstatus = status;
    env->pc = env->sepc;
    env->load_res = -1;
    riscv_cpu_set_priv(env, prev_priv);
}

/* ---- Page-table walk (4.3.2, 4.4, 4.5) ---- */

#define PAGE_BITS 12
#define VPN_BITS 9
#define PTE_SIZE 8
/* How often a walk restarts when another hart changes a PTE under it. */
#define WALK_MAX_RESTARTS 16

static int page_fault_cause(MMUAccessType access)
{
    switch (access) {
    case MMU_INST_FETCH:
        return RISCV_EXCP_INST_PAGE_FAULT;
    case MMU_DATA_STORE:
        return RISCV_EXCP_STORE_PAGE_FAULT;
    default:
        return RISCV_EXCP_LOAD_PAGE_FAULT;
    }
}

/*
 * Which accesses a valid leaf @pte allows at @mmu_idx, as PROT_* bits, ignoring
 * A and D (4.3.1, 4.3.2 step 5; SUM and MXR from 3.1.6.3).
 */
static int leaf_permissions(const CPURISCVState *env, uint64_t pte, int mmu_idx)
{
    bool user_page = pte & PTE_U;
    int prot = 0;

    if ((pte & PTE_R) || ((pte & PTE_X) && (env->mstatus & MSTATUS_MXR))) {
        prot |= PROT_READ;
    }
    if (pte & PTE_W) {
        prot |= PROT_WRITE;
    }
    if (pte & PTE_X) {
        prot |= PROT_EXEC;
    }
    if (mmu_idx == RISCV_MMU_IDX_U) {
        return user_page ? prot : 0;
    }
    if (user_page) {
        /* S-mode never executes user pages and reads/writes them only with SUM. */
        return mmu_idx == RISCV_MMU_IDX_S_SUM ? prot & ~PROT_EXEC : 0;
    }
    return prot;
}

static int access_prot(MMUAccessType access)
{
    return access == MMU_INST_FETCH ? PROT_EXEC :
           access == MMU_DATA_STORE ? PROT_WRITE : PROT_READ;
}

static uint64_t *map_pte(hwaddr pte_addr, bool is_write)
{
    return address_space_map(pte_addr, PTE_SIZE, is_write);
}

/* One walk attempt; returns -2 when a concurrent PTE change requires a restart. */
static int walk_page_table(CPURISCVState *env, uint64_t vaddr, MMUAccessType access,
                           int mmu_idx, int levels, hwaddr *paddr, int *prot)
{
    int fault = page_fault_cause(access);
    hwaddr table = (env->satp & SATP64_PPN) << PAGE_BITS;
    int level;

    for (level = levels - 1; level >= 0; level--) {
        int shift = PAGE_BITS + level * VPN_BITS;
        hwaddr pte_addr = table + ((vaddr >> shift) & ((1 << VPN_BITS) - 1)) * PTE_SIZE;
        uint64_t *host_pte = map_pte(pte_addr, false);
        uint64_t pte, ppn, wanted, page_mask;
        int allowed;

        /* A PTE outside RAM is an access fault of the original type (4.3.2 step 2). */
        if (!host_pte) {
            qemu_log_mask(CPU_LOG_MMU, "mmu: va 0x%" PRIx64 ": PTE at 0x%" PRIx64
                          " not in RAM\n", vaddr, (uint64_t)pte_addr);
            return riscv_access_fault_cause(access);
        }
        pte = GUINT64_FROM_LE(__atomic_load_n(host_pte, __ATOMIC_ACQUIRE));

        /*
         * Invalid, W without R, or N/PBMT/reserved bits set (Svnapot and
         * Svpbmt are not implemented): page fault (step 3).
         */
        if (!(pte & PTE_V) || ((pte & (PTE_R | PTE_W)) == PTE_W) ||
            (pte & PTE_RESERVED)) {
            return fault;
        }
        ppn = (pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT;
        if (!(pte & (PTE_R | PTE_X))) {
            /* Pointer to the next level; a pointer in the last level is a fault. */
            if (level == 0) {
                return fault;
            }
            table = ppn << PAGE_BITS;
            continue;
        }

        /* Leaf: permissions (step 5), then superpage alignment (step 6). */
        allowed = leaf_permissions(env, pte, mmu_idx);
        if (!(allowed & access_prot(access))) {
            return fault;
        }
        page_mask = (1ULL << shift) - 1;
        if ((ppn << PAGE_BITS) & page_mask) {
            return fault;
        }

        /* Step 7: set A, and D on a store, atomically with the PTE read. */
        wanted = pte | PTE_A | (access == MMU_DATA_STORE ? PTE_D : 0);
        if (wanted != pte) {
            uint64_t expected = GUINT64_TO_LE(pte);
            uint64_t *writable_pte = map_pte(pte_addr, true);

            if (!writable_pte) {
                return riscv_access_fault_cause(access);
            }
            if (!__atomic_compare_exchange_n(writable_pte, &expected,
                                             GUINT64_TO_LE(wanted), false,
                                             __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
                return -2;
            }
            pte = wanted;
        }

        /*
         * Stores may be cached only once D is set, so that the first store to
         * a clean page comes back here and sets D.
         */
        if (!(pte & PTE_D)) {
            allowed &= ~PROT_WRITE;
        }
        *prot = allowed;
        *paddr = (ppn << PAGE_BITS) | (vaddr & page_mask);
        return RISCV_EXCP_NONE;
    }
    return fault;
}

int riscv_mmu_translate(CPURISCVState *env, uint64_t vaddr, MMUAccessType access,
                        int mmu_idx, hwaddr *paddr, int *prot)
{
    uint64_t mode = (env->satp & SATP64_MODE) >> 60;
    int levels, va_bits, restarts, ret;

    if (mmu_idx == RISCV_MMU_IDX_M || mode == VM_1_10_MBARE) {
        *paddr = vaddr;
        *prot = PROT_READ | PROT_WRITE | PROT_EXEC;
        return RISCV_EXCP_NONE;
    }
    levels = mode == VM_1_10_SV48 ? 4 : 3;
    va_bits = PAGE_BITS + levels * VPN_BITS;

    /* Bits above the VA must all equal its top bit (4.4.1, 4.5.1). */
    if (((int64_t)(vaddr << (64 - va_bits)) >> (64 - va_bits)) != (int64_t)vaddr) {
        qemu_log_mask(CPU_LOG_MMU, "mmu: va 0x%" PRIx64 " not canonical\n", vaddr);
        return page_fault_cause(access);
    }

    for (restarts = 0; restarts < WALK_MAX_RESTARTS; restarts++) {
        ret = walk_page_table(env, vaddr, access, mmu_idx, levels, paddr, prot);
        if (ret != -2) {
            if (ret != RISCV_EXCP_NONE) {
                qemu_log_mask(CPU_LOG_MMU, "mmu: va 0x%" PRIx64 " access %d idx %d:"
                              " fault %d\n", vaddr, access, mmu_idx, ret);
            }
            return ret;
        }
    }
    /* The PTE keeps changing under us: let the guest retry the access. */
    return page_fault_cause(access);
}
