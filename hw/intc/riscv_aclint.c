/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V CLINT in the SiFive layout (SiFive FU540-C000 manual, chapter
 * "Core-Local Interruptor"; RISC-V ACLINT spec for MSWI/MTIMER semantics):
 *
 *   base + 4 * hart            msip[hart], bit 0 drives mip.MSIP
 *   base + 0x4000 + 8 * hart   mtimecmp[hart], 64 bits
 *   base + 0xbff8              mtime, 64 bits
 *
 * mtime counts at 10 MHz and is derived from QEMU_CLOCK_VIRTUAL, so it
 * stops with the VM.  A hart's timer interrupt is pending exactly while
 * mtime >= mtimecmp (privileged spec, "Machine Timer Registers"); a
 * QEMUTimer per hart raises it when mtime catches up.
 */
#include "qemu/osdep.h"
#include "hw/intc/riscv_aclint.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "sysemu/runstate.h"
#include "migration/vmstate.h"
#include "target/riscv/cpu.h"

#define NS_PER_TICK (NANOSECONDS_PER_SECOND / RISCV_ACLINT_TIMEBASE_FREQ)

static uint64_t aclint_clock_ticks(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) / NS_PER_TICK;
}

uint64_t riscv_aclint_read_mtime(void *opaque)
{
    RISCVAclintState *s = opaque;
    int64_t offset = __atomic_load_n(&s->regs.mtime_offset, __ATOMIC_ACQUIRE);

    return aclint_clock_ticks() + (uint64_t)offset;
}

/* Raise or lower the hart's timer interrupt and arm its QEMUTimer. */
static void aclint_update_timer(RISCVAclintState *s, int hart)
{
    uint64_t cmp = s->regs.mtimecmp[hart];
    uint64_t clock_ticks = aclint_clock_ticks();
    uint64_t mtime = clock_ticks + (uint64_t)s->regs.mtime_offset;
    uint64_t ticks_left;

    if (mtime >= cmp) {
        timer_del(&s->timers[hart]);
        riscv_cpu_update_mip(s->harts[hart], s->timer_mip, s->timer_mip);
        return;
    }
    riscv_cpu_update_mip(s->harts[hart], s->timer_mip, 0);

    /*
     * Fire at the first nanosecond whose tick count reaches cmp.  A deadline
     * past INT64_MAX ns (mtimecmp = UINT64_MAX, "no timer") is never reached
     * by the 64-bit virtual clock, so no timer is armed.
     */
    ticks_left = cmp - mtime;
    if (ticks_left > (uint64_t)INT64_MAX / NS_PER_TICK - clock_ticks) {
        timer_del(&s->timers[hart]);
        return;
    }
    timer_mod(&s->timers[hart], (int64_t)((clock_ticks + ticks_left) * NS_PER_TICK));
}

static void aclint_update_all_timers(RISCVAclintState *s)
{
    for (int hart = 0; hart < s->num_harts; hart++) {
        aclint_update_timer(s, hart);
    }
}

/* A timer may fire a little early or late; re-evaluating every hart is cheap. */
static void aclint_timer_expired(void *opaque)
{
    aclint_update_all_timers(opaque);
}

void riscv_aclint_set_mtimecmp(RISCVAclintState *s, int hart, uint64_t value)
{
    g_assert(hart >= 0 && hart < s->num_harts);
    s->regs.mtimecmp[hart] = value;
    aclint_update_timer(s, hart);
}

void riscv_aclint_set_timer_mip(RISCVAclintState *s, uint64_t mip_bit)
{
    for (int hart = 0; hart < s->num_harts; hart++) {
        riscv_cpu_update_mip(s->harts[hart], s->timer_mip, 0);
    }
    s->timer_mip = mip_bit;
    aclint_update_all_timers(s);
}

static void aclint_set_mtime(RISCVAclintState *s, uint64_t value)
{
    __atomic_store_n(&s->regs.mtime_offset, (int64_t)(value - aclint_clock_ticks()),
                     __ATOMIC_RELEASE);
    aclint_update_all_timers(s);
}

static void aclint_write_msip(RISCVAclintState *s, int hart, uint32_t value)
{
    /* Only bit 0 is implemented; the rest are hardwired to zero (WARL). */
    s->regs.msip[hart] = value & 1;
    riscv_cpu_update_mip(s->harts[hart], MIP_MSIP, (value & 1) ? MIP_MSIP : 0);
}

static bool aclint_is_mtimecmp(RISCVAclintState *s, hwaddr addr)
{
    return addr >= RISCV_ACLINT_MTIMECMP_BASE &&
           addr < RISCV_ACLINT_MTIMECMP_BASE + 8 * (hwaddr)s->num_harts;
}

static uint64_t aclint_read64(RISCVAclintState *s, hwaddr addr)
{
    if (addr == RISCV_ACLINT_MTIME) {
        return riscv_aclint_read_mtime(s);
    }
    return s->regs.mtimecmp[(addr - RISCV_ACLINT_MTIMECMP_BASE) / 8];
}

static uint32_t aclint_read32(RISCVAclintState *s, hwaddr addr)
{
    unsigned shift = (addr & 4) * 8;

    if (addr < 4 * (hwaddr)s->num_harts) {
        return s->regs.msip[addr / 4];
    }
    if (aclint_is_mtimecmp(s, addr) || (addr & ~4ULL) == RISCV_ACLINT_MTIME) {
        return aclint_read64(s, addr & ~7ULL) >> shift;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "riscv_aclint: read of invalid offset 0x%"
                  HWADDR_PRIx "\n", addr);
    return 0;
}

static void aclint_write64(RISCVAclintState *s, hwaddr addr, uint64_t value)
{
    if (addr == RISCV_ACLINT_MTIME) {
        aclint_set_mtime(s, value);
    } else {
        riscv_aclint_set_mtimecmp(s, (addr - RISCV_ACLINT_MTIMECMP_BASE) / 8, value);
    }
}

static void aclint_write32(RISCVAclintState *s, hwaddr addr, uint32_t value)
{
    unsigned shift = (addr & 4) * 8;
    uint64_t old, mask = 0xffffffffULL << shift;

    if (addr < 4 * (hwaddr)s->num_harts) {
        aclint_write_msip(s, addr / 4, value);
        return;
    }
    if (aclint_is_mtimecmp(s, addr) || (addr & ~4ULL) == RISCV_ACLINT_MTIME) {
        old = aclint_read64(s, addr & ~7ULL);
        aclint_write64(s, addr & ~7ULL, (old & ~mask) | ((uint64_t)value << shift));
        return;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "riscv_aclint: write to invalid offset 0x%"
                  HWADDR_PRIx "\n", addr);
}

static uint64_t aclint_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    RISCVAclintState *s = opaque;

    if (addr & (size - 1)) {
        qemu_log_mask(LOG_GUEST_ERROR, "riscv_aclint: misaligned %u-byte read at 0x%"
                      HWADDR_PRIx "\n", size, addr);
        return 0;
    }
    if (size == 8) {
        if (aclint_is_mtimecmp(s, addr) || addr == RISCV_ACLINT_MTIME) {
            return aclint_read64(s, addr);
        }
        return aclint_read32(s, addr) | ((uint64_t)aclint_read32(s, addr + 4) << 32);
    }
    return aclint_read32(s, addr);
}

static void aclint_mmio_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    RISCVAclintState *s = opaque;

    if (addr & (size - 1)) {
        qemu_log_mask(LOG_GUEST_ERROR, "riscv_aclint: misaligned %u-byte write at 0x%"
                      HWADDR_PRIx "\n", size, addr);
        return;
    }
    if (size == 8) {
        if (aclint_is_mtimecmp(s, addr) || addr == RISCV_ACLINT_MTIME) {
            aclint_write64(s, addr, value);
        } else {
            aclint_write32(s, addr, value);
            aclint_write32(s, addr + 4, value >> 32);
        }
        return;
    }
    aclint_write32(s, addr, value);
}

static const MemoryRegionOps aclint_mmio_ops = {
    .read = aclint_mmio_read,
    .write = aclint_mmio_write,
    .impl = {
        .min_access_size = 4,
        .max_access_size = 8,
    },
};

/*
 * Reset (ACLINT spec, MTIMER and MSWI): mtime reads 0, no software
 * interrupt, no timer deadline.  The comparators keep driving the mip bit
 * the board chose (timer_mip).
 */
void riscv_aclint_reset(RISCVAclintState *s)
{
    for (int hart = 0; hart < s->num_harts; hart++) {
        s->regs.mtimecmp[hart] = UINT64_MAX;
        aclint_write_msip(s, hart, 0);
    }
    aclint_set_mtime(s, 0);
}

static void aclint_system_reset(void *opaque)
{
    riscv_aclint_reset(opaque);
}

/*
 * mtime is the virtual clock plus mtime_offset, and the clock travels in
 * its own section, restored before this post_load runs (MIG_PRI_CLOCK): so
 * mtime continues from the source's value, and the comparators, the timers
 * and the mip bits are rebuilt from it at once.  An idle guest whose next
 * tick is near therefore gets it on time on the destination.
 */
static bool aclint_post_load(void *opaque, int version_id, Error **errp)
{
    RISCVAclintState *s = opaque;

    for (int hart = 0; hart < RISCV_ACLINT_MAX_HARTS; hart++) {
        if (s->regs.msip[hart] > 1) {
            error_setg(errp, "msip of hart %d is %u, only bit 0 exists", hart,
                       s->regs.msip[hart]);
            return false;
        }
    }
    for (int hart = 0; hart < s->num_harts; hart++) {
        riscv_cpu_update_mip(s->harts[hart], MIP_MSIP, s->regs.msip[hart] ? MIP_MSIP : 0);
    }
    aclint_update_all_timers(s);
    return true;
}

static const VMStateDescription vmstate_riscv_aclint_regs = {
    .name = "riscv_aclint-regs",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        VMSTATE_UINT32_ARRAY(msip, RISCVAclintRegs, RISCV_ACLINT_MAX_HARTS),
        VMSTATE_UINT64_ARRAY(mtimecmp, RISCVAclintRegs, RISCV_ACLINT_MAX_HARTS),
        VMSTATE_INT64(mtime_offset, RISCVAclintRegs),
        VMSTATE_END_OF_LIST(),
    },
};

const VMStateDescription vmstate_riscv_aclint = {
    .name = "riscv_aclint",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = aclint_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_STRUCT(regs, RISCVAclintState, 0, vmstate_riscv_aclint_regs,
                       RISCVAclintRegs),
        VMSTATE_END_OF_LIST(),
    },
};

RISCVAclintState *riscv_aclint_create(hwaddr base, RISCVCPU **harts, int num_harts,
                                      Error **errp)
{
    RISCVAclintState *s;

    if (num_harts < 1 || num_harts > RISCV_ACLINT_MAX_HARTS) {
        error_setg(errp, "riscv_aclint: %d harts requested, the CLINT supports 1 to %d",
                   num_harts, RISCV_ACLINT_MAX_HARTS);
        return NULL;
    }
    s = g_new0(RISCVAclintState, 1);
    s->num_harts = num_harts;
    s->timer_mip = MIP_MTIP;
    for (int hart = 0; hart < num_harts; hart++) {
        s->harts[hart] = harts[hart];
        /* No interrupt until software programs a deadline. */
        s->regs.mtimecmp[hart] = UINT64_MAX;
        timer_init_ns(&s->timers[hart], QEMU_CLOCK_VIRTUAL, aclint_timer_expired, s);
    }
    memory_region_init_io(&s->mmio, &aclint_mmio_ops, s, "riscv_aclint",
                          RISCV_ACLINT_SIZE);
    memory_region_add_subregion(base, &s->mmio);
    qemu_register_reset(aclint_system_reset, s);
    vmstate_register(&vmstate_riscv_aclint, VMSTATE_INSTANCE_ID_ANY, s);
    return s;
}
