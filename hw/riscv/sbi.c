/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Built-in SBI firmware: the RISC-V Supervisor Binary Interface served by
 * the emulator, so `-kernel Image` boots with no firmware file.
 *
 * Calling convention (SBI spec chapter 3): a7 = extension ID, a6 = function
 * ID, a0..a5 = arguments; the result is a0 = error code, a1 = value.  Legacy
 * extensions (chapter 5, EIDs 0x00-0x0f) return their only value in a0.
 *
 * Harts are started in the boot ROM's hand-over stub (hw/riscv/boot.c),
 * which sets up delegation like an M-mode firmware and mrets to S-mode.
 */
#include "qemu/osdep.h"
#include "hw/riscv/sbi.h"
#include "hw/riscv/boot.h"
#include "hw/intc/riscv_aclint.h"
#include "chardev/char.h"
#include "exec/memory.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "sysemu/cpus.h"
#include "sysemu/runstate.h"
#include "target/riscv/internals.h"

/* SRST types and reasons (SBI spec 10.1) */
#define SBI_SRST_TYPE_SHUTDOWN      0
#define SBI_SRST_TYPE_COLD_REBOOT   1
#define SBI_SRST_TYPE_WARM_REBOOT   2
#define SBI_SRST_REASON_SYSFAIL     1

/* HSM hart_suspend types (SBI spec 9.4) */
#define SBI_HSM_SUSPEND_RET_DEFAULT 0x00000000

/* Registers of the calling convention */
#define REG_A0 10
#define REG_A1 11
#define REG_A6 16
#define REG_A7 17

typedef struct SBIRet {
    int64_t error;
    int64_t value;
} SBIRet;

static inline SBIRet sbi_ret(int64_t error, int64_t value)
{
    return (SBIRet) { .error = error, .value = value };
}

/* Take the BQL unless the caller already holds it; returns whether we took it. */
static bool sbi_lock(void)
{
    if (bql_locked()) {
        return false;
    }
    bql_lock();
    return true;
}

static void sbi_unlock(bool taken)
{
    if (taken) {
        bql_unlock();
    }
}

/*
 * Expand a (hart_mask, hart_mask_base) pair (SBI spec 3.1) into a bitmap of
 * hart indexes; false if it names a hart that does not exist.
 */
static bool sbi_hart_mask_to_set(RISCVSBIState *s, uint64_t mask, uint64_t base,
                                 uint64_t *set)
{
    *set = 0;
    if (base == UINT64_MAX) {
        for (int i = 0; i < s->num_harts; i++) {
            *set |= 1ULL << i;
        }
        return true;
    }
    for (int bit = 0; bit < 64; bit++) {
        uint64_t hartid = base + bit;

        if (!(mask & (1ULL << bit))) {
            continue;
        }
        if (hartid < base || hartid >= (uint64_t)s->num_harts) {
            return false;
        }
        *set |= 1ULL << hartid;
    }
    return true;
}

static void sbi_console_write(RISCVSBIState *s, const uint8_t *buf, int len)
{
    bool taken;

    if (!s->console || len <= 0) {
        return;
    }
    taken = sbi_lock();
    qemu_chr_write_all(s->console, buf, len);
    sbi_unlock(taken);
}

/* ---- TIME (chapter 6) ---- */
static SBIRet sbi_set_timer(RISCVSBIState *s, CPURISCVState *env, uint64_t stime)
{
    bool taken = sbi_lock();

    /* The comparator drives STIP: it drops now and rises when mtime >= stime. */
    riscv_aclint_set_mtimecmp(s->clint, env->mhartid, stime);
    sbi_unlock(taken);
    return sbi_ret(SBI_SUCCESS, 0);
}

/* ---- IPI (chapter 7) ---- */
static SBIRet sbi_send_ipi(RISCVSBIState *s, uint64_t set)
{
    for (int i = 0; i < s->num_harts; i++) {
        if (set & (1ULL << i)) {
            riscv_cpu_update_mip(s->harts[i], MIP_SSIP, MIP_SSIP);
        }
    }
    return sbi_ret(SBI_SUCCESS, 0);
}

/* ---- RFENCE (chapter 8) ---- */
/*
 * Fences on the calling hart happen at once; other harts are asked to flush
 * before they next run guest code and kicked out of their loop.  A whole-TLB
 * flush over-approximates an address range or ASID, which the spec allows.
 */
/*
 * RFENCE (chapter 8): the fence must be complete on every hart in @set when
 * the call returns, because Linux frees the page tables and code it fenced
 * right after.  Ask all harts first so they flush in parallel, then wait for
 * each; the caller's own flush happens when its ECALL returns to the loop.
 */
static SBIRet sbi_remote_fence(RISCVSBIState *s, CPURISCVState *caller, uint64_t set,
                               bool fence_i)
{
    unsigned what = fence_i ? CPU_FLUSH_CODE : CPU_FLUSH_TLB;
    unsigned tickets[SBI_MAX_HARTS];

    for (int i = 0; i < s->num_harts; i++) {
        if (set & (1ULL << i)) {
            tickets[i] = riscv_cpu_flush_request(s->harts[i], what);
        }
    }
    for (int i = 0; i < s->num_harts; i++) {
        if ((set & (1ULL << i)) && &s->harts[i]->env != caller) {
            riscv_cpu_flush_wait(s->harts[i], tickets[i]);
        }
    }
    return sbi_ret(SBI_SUCCESS, 0);
}

/* ---- HSM (chapter 9) ---- */
static SBIRet sbi_hart_start(RISCVSBIState *s, uint64_t hartid, uint64_t start_addr,
                             uint64_t opaque)
{
    RISCVCPU *cpu;
    CPURISCVState *env;
    MemoryRegion *mr;
    hwaddr offset;
    bool taken;

    if (hartid >= (uint64_t)s->num_harts) {
        return sbi_ret(SBI_ERR_INVALID_PARAM, 0);
    }
    mr = address_space_lookup(start_addr, &offset);
    if (!mr || !mr->ram_ptr) {
        return sbi_ret(SBI_ERR_INVALID_ADDRESS, 0);
    }

    taken = sbi_lock();
    cpu = s->harts[hartid];
    if (!__atomic_load_n(&cpu->powered_off, __ATOMIC_ACQUIRE)) {
        sbi_unlock(taken);
        return sbi_ret(SBI_ERR_ALREADY_AVAILABLE, 0);
    }
    /*
     * The hart is parked by its vCPU thread, so its state is ours to set: it
     * re-enters through the boot ROM's M-mode hand-over stub, which starts
     * start_addr in S-mode with a0 = hartid, a1 = opaque.
     */
    env = &cpu->env;
    env->gpr[REG_A0] = hartid;
    env->gpr[REG_A1] = opaque;
    env->gpr[REG_A0 + 2] = start_addr;
    env->pc = RISCV_BOOT_ROM_HART_START;
    env->halted = 0;
    riscv_cpu_set_priv(env, PRV_M);
    riscv_flush_decode_cache(env);
    tlb_request_flush(env);
    __atomic_store_n(&cpu->powered_off, false, __ATOMIC_RELEASE);
    cpu_wake(&cpu->parent_obj);
    sbi_unlock(taken);
    return sbi_ret(SBI_SUCCESS, 0);
}

static SBIRet sbi_hart_stop(RISCVSBIState *s, CPURISCVState *env)
{
    RISCVCPU *cpu = env->cpu;
    bool taken = sbi_lock();

    /* Leave the loop after this ECALL; the vCPU thread parks a powered-off hart. */
    __atomic_store_n(&cpu->powered_off, true, __ATOMIC_RELEASE);
    riscv_cpu_kick(cpu);
    sbi_unlock(taken);
    return sbi_ret(SBI_SUCCESS, 0);
}

static SBIRet sbi_hart_get_status(RISCVSBIState *s, uint64_t hartid)
{
    if (hartid >= (uint64_t)s->num_harts) {
        return sbi_ret(SBI_ERR_INVALID_PARAM, 0);
    }
    return sbi_ret(SBI_SUCCESS,
                   __atomic_load_n(&s->harts[hartid]->powered_off, __ATOMIC_ACQUIRE) ?
                   SBI_HSM_STATE_STOPPED : SBI_HSM_STATE_STARTED);
}

/* ---- SRST (chapter 10) ---- */
static SBIRet sbi_system_reset(RISCVSBIState *s, CPURISCVState *env, uint64_t type,
                               uint64_t reason)
{
    switch (type) {
    case SBI_SRST_TYPE_SHUTDOWN:
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
                                     reason == SBI_SRST_REASON_SYSFAIL ? 1 : 0);
        break;
    case SBI_SRST_TYPE_COLD_REBOOT:
    case SBI_SRST_TYPE_WARM_REBOOT:
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        break;
    default:
        return sbi_ret(SBI_ERR_INVALID_PARAM, 0);
    }
    /* A successful system_reset does not return: park the hart until then. */
    __atomic_store_n(&env->cpu->powered_off, true, __ATOMIC_RELEASE);
    riscv_cpu_kick(env->cpu);
    return sbi_ret(SBI_SUCCESS, 0);
}

/* ---- DBCN (SBI 2.0 chapter 12) ---- */
static SBIRet sbi_debug_console_write(RISCVSBIState *s, uint64_t len, uint64_t addr)
{
    uint8_t buf[256];
    uint64_t chunk = MIN(len, sizeof(buf));

    /* Partial writes are allowed: the caller retries with the rest. */
    if (chunk && address_space_read(addr, buf, chunk) != MEMTX_OK) {
        return sbi_ret(SBI_ERR_INVALID_PARAM, 0);
    }
    sbi_console_write(s, buf, chunk);
    return sbi_ret(SBI_SUCCESS, chunk);
}

static bool sbi_extension_available(uint64_t eid)
{
    switch (eid) {
    case SBI_EXT_LEGACY_SET_TIMER ... SBI_EXT_LEGACY_SHUTDOWN:
    case SBI_EXT_BASE:
    case SBI_EXT_TIME:
    case SBI_EXT_IPI:
    case SBI_EXT_RFENCE:
    case SBI_EXT_HSM:
    case SBI_EXT_SRST:
    case SBI_EXT_DBCN:
        return true;
    default:
        return false;
    }
}

/* ---- Base (chapter 4) ---- */
static SBIRet sbi_base(uint64_t fid, uint64_t arg0)
{
    switch (fid) {
    case 0:     /* sbi_get_spec_version */
        return sbi_ret(SBI_SUCCESS, SBI_SPEC_VERSION_1_0);
    case 1:     /* sbi_get_impl_id */
        return sbi_ret(SBI_SUCCESS, SBI_IMPL_ID_HINTVM);
    case 2:     /* sbi_get_impl_version */
        return sbi_ret(SBI_SUCCESS, SBI_IMPL_VERSION);
    case 3:     /* sbi_probe_extension */
        return sbi_ret(SBI_SUCCESS, sbi_extension_available(arg0));
    case 4:     /* sbi_get_mvendorid: not a commercial implementation */
    case 5:     /* sbi_get_marchid */
    case 6:     /* sbi_get_mimpid */
        return sbi_ret(SBI_SUCCESS, 0);
    default:
        return sbi_ret(SBI_ERR_NOT_SUPPORTED, 0);
    }
}

/* Legacy calls pass a hart mask by (S-mode virtual) address; 0 means all harts. */
static uint64_t sbi_legacy_hart_set(RISCVSBIState *s, CPURISCVState *env, uint64_t mask_va)
{
    uint64_t set;

    if (!mask_va) {
        sbi_hart_mask_to_set(s, 0, UINT64_MAX, &set);
        return set;
    }
    /* A bad pointer raises the page fault the guest would see from firmware. */
    set = cpu_ldq(env, mask_va);
    return s->num_harts >= 64 ? set : set & ((1ULL << s->num_harts) - 1);
}

static void sbi_legacy(RISCVSBIState *s, CPURISCVState *env, uint64_t eid, uint64_t *a)
{
    uint8_t ch;

    switch (eid) {
    case SBI_EXT_LEGACY_SET_TIMER:
        sbi_set_timer(s, env, a[0]);
        a[0] = 0;
        break;
    case SBI_EXT_LEGACY_CONSOLE_PUTCHAR:
        ch = a[0];
        sbi_console_write(s, &ch, 1);
        a[0] = 0;
        break;
    case SBI_EXT_LEGACY_CONSOLE_GETCHAR:
        /* Console input belongs to the UART's front end: report none. */
        a[0] = -1;
        break;
    case SBI_EXT_LEGACY_CLEAR_IPI:
        riscv_cpu_update_mip(env->cpu, MIP_SSIP, 0);
        a[0] = 0;
        break;
    case SBI_EXT_LEGACY_SEND_IPI:
        sbi_send_ipi(s, sbi_legacy_hart_set(s, env, a[0]));
        a[0] = 0;
        break;
    case SBI_EXT_LEGACY_REMOTE_FENCE_I:
        sbi_remote_fence(s, env, sbi_legacy_hart_set(s, env, a[0]), true);
        a[0] = 0;
        break;
    case SBI_EXT_LEGACY_REMOTE_SFENCE_VMA:
    case SBI_EXT_LEGACY_REMOTE_SFENCE_VMA_ASID:
        sbi_remote_fence(s, env, sbi_legacy_hart_set(s, env, a[0]), false);
        a[0] = 0;
        break;
    case SBI_EXT_LEGACY_SHUTDOWN:
        sbi_system_reset(s, env, SBI_SRST_TYPE_SHUTDOWN, 0);
        a[0] = 0;
        break;
    default:
        a[0] = SBI_ERR_NOT_SUPPORTED;
        break;
    }
}

static SBIRet sbi_dispatch(RISCVSBIState *s, CPURISCVState *env, uint64_t eid,
                           uint64_t fid, const uint64_t *a)
{
    uint64_t set;

    switch (eid) {
    case SBI_EXT_BASE:
        return sbi_base(fid, a[0]);
    case SBI_EXT_TIME:
        return fid == 0 ? sbi_set_timer(s, env, a[0]) : sbi_ret(SBI_ERR_NOT_SUPPORTED, 0);
    case SBI_EXT_IPI:
        if (fid != 0) {
            return sbi_ret(SBI_ERR_NOT_SUPPORTED, 0);
        }
        if (!sbi_hart_mask_to_set(s, a[0], a[1], &set)) {
            return sbi_ret(SBI_ERR_INVALID_PARAM, 0);
        }
        return sbi_send_ipi(s, set);
    case SBI_EXT_RFENCE:
        /* 0 fence.i, 1 sfence.vma, 2 sfence.vma.asid; 3-6 need the H extension */
        if (fid > 2) {
            return sbi_ret(SBI_ERR_NOT_SUPPORTED, 0);
        }
        if (!sbi_hart_mask_to_set(s, a[0], a[1], &set)) {
            return sbi_ret(SBI_ERR_INVALID_PARAM, 0);
        }
        return sbi_remote_fence(s, env, set, fid == 0);
    case SBI_EXT_HSM:
        switch (fid) {
        case 0:
            return sbi_hart_start(s, a[0], a[1], a[2]);
        case 1:
            return sbi_hart_stop(s, env);
        case 2:
            return sbi_hart_get_status(s, a[0]);
        case 3:
            /* Retentive suspend may return at once, like a WFI that wakes early. */
            return (uint32_t)a[0] == SBI_HSM_SUSPEND_RET_DEFAULT ?
                   sbi_ret(SBI_SUCCESS, 0) : sbi_ret(SBI_ERR_NOT_SUPPORTED, 0);
        default:
            return sbi_ret(SBI_ERR_NOT_SUPPORTED, 0);
        }
    case SBI_EXT_SRST:
        return fid == 0 ? sbi_system_reset(s, env, (uint32_t)a[0], (uint32_t)a[1]) :
                          sbi_ret(SBI_ERR_NOT_SUPPORTED, 0);
    case SBI_EXT_DBCN:
        switch (fid) {
        case 0:     /* console_write(num_bytes, base_addr_lo, base_addr_hi) */
            return sbi_debug_console_write(s, a[0], a[1]);
        case 1:     /* console_read: no input through the SBI console */
            return sbi_ret(SBI_SUCCESS, 0);
        case 2: {   /* console_write_byte */
            uint8_t ch = a[0];
            sbi_console_write(s, &ch, 1);
            return sbi_ret(SBI_SUCCESS, 0);
        }
        default:
            return sbi_ret(SBI_ERR_NOT_SUPPORTED, 0);
        }
    default:
        qemu_log_mask(LOG_UNIMP, "sbi: unsupported extension 0x%" PRIx64 " function %"
                      PRIu64 " on hart %" PRIu64 "\n", eid, fid, env->mhartid);
        return sbi_ret(SBI_ERR_NOT_SUPPORTED, 0);
    }
}

bool riscv_sbi_ecall(CPURISCVState *env, void *opaque)
{
    RISCVSBIState *s = opaque;
    uint64_t eid = env->gpr[REG_A7];
    uint64_t fid = env->gpr[REG_A6];
    uint64_t args[6];
    SBIRet ret;

    memcpy(args, &env->gpr[REG_A0], sizeof(args));
    if (eid <= 0x0f) {
        sbi_legacy(s, env, eid, args);
        env->gpr[REG_A0] = args[0];
        return true;
    }
    ret = sbi_dispatch(s, env, eid, fid, args);
    env->gpr[REG_A0] = ret.error;
    env->gpr[REG_A1] = ret.value;
    return true;
}

RISCVSBIState *riscv_sbi_create(RISCVCPU **harts, int num_harts, RISCVAclintState *clint,
                                Chardev *console)
{
    RISCVSBIState *s = g_new0(RISCVSBIState, 1);

    g_assert(num_harts > 0 && num_harts <= SBI_MAX_HARTS);
    s->num_harts = num_harts;
    s->clint = clint;
    s->console = console;
    for (int i = 0; i < num_harts; i++) {
        s->harts[i] = harts[i];
        harts[i]->env.ecall_hook = riscv_sbi_ecall;
        harts[i]->env.ecall_opaque = s;
    }
    /* Nothing runs in M-mode to forward MTIP: the comparators raise STIP directly. */
    riscv_aclint_set_timer_mip(clint, MIP_STIP);
    return s;
}
