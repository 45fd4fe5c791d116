/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V control and status registers (Zicsr, Zicntr and the machine and
 * supervisor CSRs of the privileged specification, version 20211203).
 *
 * riscv_csrrw() is the single entry point used by the CSR instructions.  It
 * checks the privilege and read-only encodings of the CSR number (Privileged
 * spec 2.1), reads the old value, and writes (old & ~mask) | (new & mask).
 *
 * Where the spec leaves a choice (WARL fields), hintvm follows Debian's QEMU 7.2
 * (-M virt, rv64gc) unless that would expose an extension hintvm does not
 * implement (H, V, Sstc, Svpbmt, Smepmp, Sv57).  The differences are listed at
 * the function or mask that makes them.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "target/riscv/internals.h"

/* ISA of every hintvm hart: RV64IMAFDC with S and U modes.  misa is read-only. */
#define RISCV_MISA_VALUE (MISA_MXL_RV64 | RVI | RVM | RVA | RVF | RVD | RVC | RVS | RVU)

/* XLEN encoding 2 (64-bit) for the read-only SXL and UXL fields (3.1.6.2). */
#define MSTATUS_XL_RV64 ((2ULL << 32) | (2ULL << 34))

/*
 * mstatus bits software may change.  VS stays zero (no V extension; QEMU 7.2
 * lets it be written), UBE/SBE/MBE stay zero (little-endian only).
 */
#define MSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | \
                          MSTATUS_SPP | MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV |   \
                          MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW |    \
                          MSTATUS_TSR)

/* sstatus is a view of mstatus (4.1.1). */
#define SSTATUS_READABLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP |   \
                          MSTATUS_VS | MSTATUS_FS | MSTATUS_XS | MSTATUS_SUM |      \
                          MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define SSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS |    \
                          MSTATUS_SUM | MSTATUS_MXR)

/*
 * Exceptions that may be delegated to S-mode: all defined causes except an
 * ECALL from M-mode (cause 11), which QEMU 7.2 also keeps read-only zero.
 */
#define MEDELEG_WRITABLE ((1ULL << RISCV_EXCP_INST_ADDR_MIS) |                    \
                          (1ULL << RISCV_EXCP_INST_ACCESS_FAULT) |                 \
                          (1ULL << RISCV_EXCP_ILLEGAL_INST) |                      \
                          (1ULL << RISCV_EXCP_BREAKPOINT) |                        \
                          (1ULL << RISCV_EXCP_LOAD_ADDR_MIS) |                     \
                          (1ULL << RISCV_EXCP_LOAD_ACCESS_FAULT) |                 \
                          (1ULL << RISCV_EXCP_STORE_AMO_ADDR_MIS) |                \
                          (1ULL << RISCV_EXCP_STORE_AMO_ACCESS_FAULT) |            \
                          (1ULL << RISCV_EXCP_U_ECALL) |                           \
                          (1ULL << RISCV_EXCP_S_ECALL) |                           \
                          (1ULL << RISCV_EXCP_INST_PAGE_FAULT) |                   \
                          (1ULL << RISCV_EXCP_LOAD_PAGE_FAULT) |                   \
                          (1ULL << RISCV_EXCP_STORE_PAGE_FAULT))

#define S_MODE_INTERRUPTS (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define M_MODE_INTERRUPTS (MIP_MSIP | MIP_MTIP | MIP_MEIP)
#define ALL_INTERRUPTS (S_MODE_INTERRUPTS | M_MODE_INTERRUPTS)
/*
 * Software may write the S-level pending bits from M-mode (3.1.9); the M-level
 * ones reflect the CLINT and PLIC lines and are read-only.  SEIP written by
 * software shares the bit with the PLIC's level, as in QEMU 7.2.
 */
#define MIP_WRITABLE S_MODE_INTERRUPTS

/* Fields of menvcfg/senvcfg kept by QEMU 7.2: FIOM, CBIE, CBCFE, CBZE (3.1.18). */
#define ENVCFG_WRITABLE 0xf1ULL

/* Counter-enable and inhibit registers are 32 bits; mcountinhibit bit 1 is zero. */
#define COUNTEREN_WRITABLE 0xffffffffULL
#define MCOUNTINHIBIT_WRITABLE 0xfffffffdULL

/* PMP configuration byte (3.7.1) */
#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_A 0x18
#define PMP_A_TOR 0x08
#define PMP_L 0x80
#define PMP_CFG_WRITABLE 0x9f
/* pmpaddr holds bits 55:2 of a 56-bit physical address */
#define PMPADDR_WRITABLE ((1ULL << 54) - 1)

/* tdata1 of our single trigger: type 2 (address/data match), nothing enabled. */
#define TDATA1_DISABLED_MCONTROL (2ULL << 60)

static uint64_t mstatus_with_sd(uint64_t mstatus)
{
    uint64_t fs = (mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT;
    uint64_t xs = (mstatus & MSTATUS_XS) >> 15;

    if (fs == EXT_STATUS_DIRTY || xs == EXT_STATUS_DIRTY) {
        return mstatus | MSTATUS_SD;
    }
    return mstatus & ~MSTATUS_SD;
}

static void write_mstatus(CPURISCVState *env, uint64_t val, uint64_t write_mask)
{
    uint64_t old = env->mstatus;
    uint64_t mask = MSTATUS_WRITABLE & write_mask;
    uint64_t new;

    /*
     * MPP is WARL over the implemented modes (3.1.6.1): the reserved value 2
     * leaves the field unchanged.  QEMU 7.2 stores 2, which would make a
     * later MRET enter a mode that does not exist.
     */
    if (((val & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == 2) {
        mask &= ~MSTATUS_MPP;
    }
    new = (old & ~mask) | (val & mask);
    new = (new & ~(MSTATUS_UXL | MSTATUS_SXL)) | MSTATUS_XL_RV64;
    env->mstatus = mstatus_with_sd(new);

    /*
     * The TLB caches read permission computed with MXR, so a change of MXR
     * invalidates it.  SUM and MPRV/MPP select the MMU index of each access
     * (riscv_data_mmu_idx), so changing them needs no flush: Linux toggles
     * SUM around every user copy.
     */
    if ((old ^ new) & MSTATUS_MXR) {
        tlb_flush(env);
    }
}

/* Compare-and-swap loop so a device setting M-level bits is never lost. */
static void write_mip_bits(CPURISCVState *env, uint64_t val, uint64_t bits)
{
    uint64_t old = __atomic_load_n(&env->mip, __ATOMIC_ACQUIRE);
    uint64_t new;

    do {
        new = (old & ~bits) | (val & bits);
    } while (!__atomic_compare_exchange_n(&env->mip, &old, new, false,
                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
}

static bool satp_mode_supported(uint64_t mode)
{
    /*
     * Bare, Sv39 and Sv48 (4.1.11).  QEMU 7.2 also accepts Sv57; hintvm
     * does not implement it, so such a write is ignored like any other
     * unsupported mode and software probing for Sv57 falls back to Sv48.
     */
    return mode == VM_1_10_MBARE || mode == VM_1_10_SV39 || mode == VM_1_10_SV48;
}

static void write_satp(CPURISCVState *env, uint64_t val)
{
    uint64_t mode = (val & SATP64_MODE) >> 60;

    if (!satp_mode_supported(mode)) {
        qemu_log_mask(LOG_GUEST_ERROR, "satp: unsupported mode %" PRIu64
                      " written, write ignored\n", mode);
        return;
    }
    if (val != env->satp) {
        env->satp = val;
        tlb_flush(env);
    }
}

/* pmpcfg@csrno holds the configuration bytes of entries 8 * (csrno / 2)... */
static uint8_t pmp_entry_cfg(const CPURISCVState *env, int entry)
{
    return env->pmpcfg[(entry / 8) * 2] >> ((entry % 8) * 8);
}

static void write_pmpcfg(CPURISCVState *env, int reg, uint64_t val)
{
    uint64_t cfg = env->pmpcfg[reg];
    int i;

    for (i = 0; i < 8; i++) {
        int shift = i * 8;
        uint8_t old_byte = cfg >> shift;
        uint8_t new_byte = (val >> shift) & PMP_CFG_WRITABLE;

        /* A locked entry ignores writes until reset (3.7.1.3). */
        if (old_byte & PMP_L) {
            continue;
        }
        /* R=0, W=1 is reserved: keep W only with R. */
        if ((new_byte & (PMP_R | PMP_W)) == PMP_W) {
            new_byte &= ~PMP_W;
        }
        cfg = (cfg & ~(0xffULL << shift)) | ((uint64_t)new_byte << shift);
    }
    if (cfg != env->pmpcfg[reg]) {
        env->pmpcfg[reg] = cfg;
        tlb_flush(env);
    }
}

static void write_pmpaddr(CPURISCVState *env, int entry, uint64_t val)
{
    val &= PMPADDR_WRITABLE;
    if (pmp_entry_cfg(env, entry) & PMP_L) {
        return;
    }
    /* A locked TOR entry also locks the pmpaddr below it (3.7.1.3). */
    if (entry + 1 < 64) {
        uint8_t next = pmp_entry_cfg(env, entry + 1);

        if ((next & PMP_L) && (next & PMP_A) == PMP_A_TOR) {
            return;
        }
    }
    if (val != env->pmpaddr[entry]) {
        env->pmpaddr[entry] = val;
        tlb_flush(env);
    }
}

/*
 * cycle, time, instret and hpmcounterN from below M-mode need the matching bit
 * in mcounteren, and from U-mode also in scounteren (3.1.11, 4.1.5).
 */
static bool counter_accessible(const CPURISCVState *env, int csrno)
{
    uint64_t bit = 1ULL << (csrno - CSR_CYCLE);

    if (env->priv < PRV_M && !(env->mcounteren & bit)) {
        return false;
    }
    if (env->priv < PRV_S && !(env->scounteren & bit)) {
        return false;
    }
    return true;
}

static uint64_t read_mcycle(const CPURISCVState *env)
{
    return env->instret + env->mcycle_offset;
}

static uint64_t read_minstret(const CPURISCVState *env)
{
    return env->instret + env->minstret_offset;
}

/*
 * Read CSR @csrno into *@val.  Returns false when the CSR does not exist for
 * this hart or may not be accessed now (the caller raises illegal instruction).
 */
static bool csr_read(CPURISCVState *env, int csrno, uint64_t *val)
{
    if (csrno >= CSR_HPMCOUNTER3 && csrno <= CSR_HPMCOUNTER31) {
        if (!counter_accessible(env, csrno)) {
            return false;
        }
        /* No hardware performance counters: hardwired zero (3.1.10). */
        *val = 0;
        return true;
    }
    if ((csrno >= CSR_MHPMCOUNTER3 && csrno <= CSR_MHPMCOUNTER31) ||
        (csrno >= CSR_MHPMEVENT3 && csrno <= CSR_MHPMEVENT31)) {
        *val = 0;
        return true;
    }
    if (csrno >= CSR_PMPCFG0 && csrno <= CSR_PMPCFG15) {
        /* RV64 has only the even-numbered pmpcfg registers (3.7.1). */
        if (csrno & 1) {
            return false;
        }
        *val = env->pmpcfg[csrno - CSR_PMPCFG0];
        return true;
    }
    if (csrno >= CSR_PMPADDR0 && csrno <= CSR_PMPADDR63) {
        *val = env->pmpaddr[csrno - CSR_PMPADDR0];
        return true;
    }

    switch (csrno) {
    case CSR_FFLAGS:
    case CSR_FRM:
    case CSR_FCSR:
        if (riscv_mstatus_fs(env) == EXT_STATUS_OFF) {
            return false;
        }
        if (csrno == CSR_FFLAGS) {
            *val = env->fflags & 0x1f;
        } else if (csrno == CSR_FRM) {
            *val = env->frm & 7;
        } else {
            *val = ((env->frm & 7) << 5) | (env->fflags & 0x1f);
        }
        return true;
    case CSR_CYCLE:
        if (!counter_accessible(env, csrno)) {
            return false;
        }
        *val = read_mcycle(env);
        return true;
    case CSR_INSTRET:
        if (!counter_accessible(env, csrno)) {
            return false;
        }
        *val = read_minstret(env);
        return true;
    case CSR_TIME:
        /* No platform timer means no time CSR (it traps for M-mode emulation). */
        if (!env->time_source || !counter_accessible(env, csrno)) {
            return false;
        }
        *val = env->time_source(env->time_opaque);
        return true;

    case CSR_SSTATUS:
        *val = env->mstatus & SSTATUS_READABLE;
        return true;
    case CSR_SIE:
        *val = env->mie & env->mideleg & S_MODE_INTERRUPTS;
        return true;
    case CSR_SIP:
        *val = __atomic_load_n(&env->mip, __ATOMIC_ACQUIRE) & env->mideleg &
               S_MODE_INTERRUPTS;
        return true;
    case CSR_STVEC:
        *val = env->stvec;
        return true;
    case CSR_SCOUNTEREN:
        *val = env->scounteren;
        return true;
    case CSR_SENVCFG:
        *val = env->senvcfg;
        return true;
    case CSR_SSCRATCH:
        *val = env->sscratch;
        return true;
    case CSR_SEPC:
        *val = env->sepc;
        return true;
    case CSR_SCAUSE:
        *val = env->scause;
        return true;
    case CSR_STVAL:
        *val = env->stval;
        return true;
    case CSR_SATP:
        /* TVM traps S-mode accesses to satp (3.1.6.5). */
        if (env->priv == PRV_S && (env->mstatus & MSTATUS_TVM)) {
            return false;
        }
        *val = env->satp;
        return true;

    case CSR_MVENDORID:
    case CSR_MARCHID:   /* QEMU 7.2 reports its version here; 0 = not implemented */
    case CSR_MIMPID:
    case CSR_MCONFIGPTR:
        *val = 0;
        return true;
    case CSR_MHARTID:
        *val = env->mhartid;
        return true;
    case CSR_MSTATUS:
        *val = env->mstatus;
        return true;
    case CSR_MISA:
        *val = env->misa;
        return true;
    case CSR_MEDELEG:
        *val = env->medeleg;
        return true;
    case CSR_MIDELEG:
        *val = env->mideleg;
        return true;
    case CSR_MIE:
        *val = env->mie;
        return true;
    case CSR_MIP:
        *val = __atomic_load_n(&env->mip, __ATOMIC_ACQUIRE);
        return true;
    case CSR_MTVEC:
        *val = env->mtvec;
        return true;
    case CSR_MCOUNTEREN:
        *val = env->mcounteren;
        return true;
    case CSR_MENVCFG:
        *val = env->menvcfg;
        return true;
    case CSR_MCOUNTINHIBIT:
        *val = env->mcountinhibit;
        return true;
    case CSR_MSCRATCH:
        *val = env->mscratch;
        return true;
    case CSR_MEPC:
        *val = env->mepc;
        return true;
    case CSR_MCAUSE:
        *val = env->mcause;
        return true;
    case CSR_MTVAL:
        *val = env->mtval;
        return true;
    case CSR_MCYCLE:
        *val = read_mcycle(env);
        return true;
    case CSR_MINSTRET:
        *val = read_minstret(env);
        return true;

    /*
     * Debug triggers (Sdtrig): one trigger, index 0, of type 2 with no match
     * enabled, so it never fires.  QEMU 7.2 has two working triggers; software
     * enumerating them here finds one that it cannot enable.
     */
    case CSR_TSELECT:
    case CSR_TDATA2:
    case CSR_TDATA3:
        *val = 0;
        return true;
    case CSR_TDATA1:
        *val = TDATA1_DISABLED_MCONTROL;
        return true;

    /*
     * mseccfg exists only with Smepmp, which hintvm (like QEMU 7.2's default
     * rv64 CPU) does not implement: the access is illegal.
     */
    case CSR_MSECCFG:
    default:
        return false;
    }
}

/* Write @val (already merged with the old value) under @write_mask. */
static void csr_write(CPURISCVState *env, int csrno, uint64_t val, uint64_t write_mask)
{
    if (csrno >= CSR_PMPCFG0 && csrno <= CSR_PMPCFG15) {
        /* PMP state is stored and locked as the spec says but not enforced. */
        write_pmpcfg(env, csrno - CSR_PMPCFG0, val);
        return;
    }
    if (csrno >= CSR_PMPADDR0 && csrno <= CSR_PMPADDR63) {
        write_pmpaddr(env, csrno - CSR_PMPADDR0, val);
        return;
    }
    if ((csrno >= CSR_MHPMCOUNTER3 && csrno <= CSR_MHPMCOUNTER31) ||
        (csrno >= CSR_MHPMEVENT3 && csrno <= CSR_MHPMEVENT31)) {
        return;     /* hardwired zero: writes ignored */
    }

    switch (csrno) {
    case CSR_FFLAGS:
        env->fflags = val & 0x1f;
        riscv_mark_fs_dirty(env);
        return;
    case CSR_FRM:
        env->frm = val & 7;
        riscv_mark_fs_dirty(env);
        return;
    case CSR_FCSR:
        env->fflags = val & 0x1f;
        env->frm = (val >> 5) & 7;
        riscv_mark_fs_dirty(env);
        return;

    case CSR_SSTATUS:
        write_mstatus(env, val, write_mask & SSTATUS_WRITABLE);
        return;
    case CSR_SIE: {
        uint64_t bits = write_mask & env->mideleg & S_MODE_INTERRUPTS;

        env->mie = (env->mie & ~bits) | (val & bits);
        return;
    }
    case CSR_SIP:
        /* Only SSIP is writable from S-mode, and only when delegated (4.1.3). */
        write_mip_bits(env, val, write_mask & env->mideleg & MIP_SSIP);
        return;
    case CSR_STVEC:
    case CSR_MTVEC:
        /* MODE values 2 and 3 are reserved: QEMU 7.2 ignores such writes. */
        if ((val & 3) > 1) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: reserved mode %d, write ignored\n",
                          csrno == CSR_MTVEC ? "mtvec" : "stvec", (int)(val & 3));
            return;
        }
        if (csrno == CSR_MTVEC) {
            env->mtvec = val;
        } else {
            env->stvec = val;
        }
        return;
    case CSR_SCOUNTEREN:
        env->scounteren = val & COUNTEREN_WRITABLE;
        return;
    case CSR_SENVCFG:
        env->senvcfg = val & ENVCFG_WRITABLE;
        return;
    case CSR_SSCRATCH:
        env->sscratch = val;
        return;
    case CSR_SEPC:
        /* Bit 0 is always zero; with C always enabled bit 1 is kept (4.1.7). */
        env->sepc = val & ~1ULL;
        return;
    case CSR_SCAUSE:
        env->scause = val;
        return;
    case CSR_STVAL:
        env->stval = val;
        return;
    case CSR_SATP:
        write_satp(env, val);
        return;

    case CSR_MSTATUS:
        write_mstatus(env, val, write_mask);
        return;
    case CSR_MISA:
        /* misa is read-only: the ISA cannot be changed at run time (WARL). */
        return;
    case CSR_MEDELEG:
        env->medeleg = val & MEDELEG_WRITABLE;
        return;
    case CSR_MIDELEG:
        env->mideleg = val & S_MODE_INTERRUPTS;
        return;
    case CSR_MIE:
        env->mie = val & ALL_INTERRUPTS;
        return;
    case CSR_MIP:
        write_mip_bits(env, val, write_mask & MIP_WRITABLE);
        return;
    case CSR_MCOUNTEREN:
        env->mcounteren = val & COUNTEREN_WRITABLE;
        return;
    case CSR_MENVCFG:
        /* PBMTE and STCE stay zero: no Svpbmt, no Sstc. */
        env->menvcfg = val & ENVCFG_WRITABLE;
        return;
    case CSR_MCOUNTINHIBIT:
        /* Stored only: mcycle and minstret keep counting. */
        env->mcountinhibit = val & MCOUNTINHIBIT_WRITABLE;
        return;
    case CSR_MSCRATCH:
        env->mscratch = val;
        return;
    case CSR_MEPC:
        /*
         * mepc[0] is always zero (3.1.14); QEMU 7.2 keeps it, the spec
         * decides here.
         */
        env->mepc = val & ~1ULL;
        return;
    case CSR_MCAUSE:
        env->mcause = val;
        return;
    case CSR_MTVAL:
        env->mtval = val;
        return;
    /*
     * Only CSR instructions write here, with env->instret counting the
     * instructions before them, and each retires after its write.  An
     * explicit write overrides the writing instruction's own increment
     * (unprivileged spec, Zicsr "CSR Access Ordering"; privileged spec
     * "Hardware Performance Monitor"), so the offset takes that 1 back:
     * csrwi minstret, 0 then csrr a0, minstret gives a0 = 0.
     */
    case CSR_MCYCLE:
        env->mcycle_offset = val - env->instret - 1;
        return;
    case CSR_MINSTRET:
        env->minstret_offset = val - env->instret - 1;
        return;
    default:
        /* tselect, tdata1..3: WARL with a single disabled trigger. */
        return;
    }
}

int riscv_csrrw(CPURISCVState *env, int csrno, uint64_t *ret_value, uint64_t new_value,
                uint64_t write_mask)
{
    int min_priv, read_only;
    uint64_t old_value;

    csrno &= 0xfff;
    min_priv = (csrno >> 8) & 3;
    read_only = ((csrno >> 10) & 3) == 3;
    /* CSR address bits 9:8 give the lowest privilege allowed (2.1). */
    if (env->priv < min_priv) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    /* Bits 11:10 == 3 mark a read-only CSR: writing it is illegal (2.1). */
    if (write_mask && read_only) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    if (!csr_read(env, csrno, &old_value)) {
        return RISCV_EXCP_ILLEGAL_INST;
    }
    if (write_mask) {
        csr_write(env, csrno, (old_value & ~write_mask) | (new_value & write_mask),
                  write_mask);
    }
    if (ret_value) {
        *ret_value = old_value;
    }
    return RISCV_EXCP_NONE;
}

void riscv_csr_reset(CPURISCVState *env)
{
    /* Power-on state of the privileged architecture (3.4), as QEMU's reset. */
    env->priv = PRV_M;
    env->misa = RISCV_MISA_VALUE;
    env->mstatus = MSTATUS_XL_RV64;
    env->medeleg = 0;
    env->mideleg = 0;
    env->mie = 0;
    __atomic_fetch_and(&env->mip, ~(MIP_SSIP | MIP_STIP), __ATOMIC_ACQ_REL);
    env->mtvec = 0;
    env->mscratch = 0;
    env->mepc = 0;
    env->mcause = 0;
    env->mtval = 0;
    env->mcounteren = 0;
    env->mcountinhibit = 0;
    env->menvcfg = 0;
    env->mseccfg = 0;
    memset(env->pmpcfg, 0, sizeof(env->pmpcfg));
    memset(env->pmpaddr, 0, sizeof(env->pmpaddr));
    env->stvec = 0;
    env->sscratch = 0;
    env->sepc = 0;
    env->scause = 0;
    env->stval = 0;
    env->satp = 0;
    env->scounteren = 0;
    env->senvcfg = 0;
    env->frm = 0;
    env->fflags = 0;
    env->load_res = -1;
    tlb_flush(env);
}
