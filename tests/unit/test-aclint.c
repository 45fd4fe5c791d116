/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CLINT: msip, mtime on the 10 MHz timebase, mtimecmp with 32-bit halves,
 * MTIP raised on write and later by the per-hart timer (driven by warping
 * the virtual clock in manual mode, as qtest does).
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/intc/riscv_aclint.h"
#include "qapi/error.h"
#include "qemu/timer.h"
#include "target/riscv/cpu.h"
#include "sysemu/cpu-timers.h"
#include "vmstate-round-trip.h"

#define MSIP(h)     (4 * (h))
#define MTIMECMP(h) (0x4000 + 8 * (h))
#define MTIME       0xbff8

static RISCVCPU *harts[2];
static RISCVAclintState *clint;

static uint64_t clint_read(hwaddr offset, unsigned size)
{
    uint64_t value = 0;

    g_assert_cmpint(memory_region_dispatch_read(&clint->mmio, offset, &value, size), ==,
                    MEMTX_OK);
    return value;
}

static void clint_write(hwaddr offset, uint64_t value, unsigned size)
{
    g_assert_cmpint(memory_region_dispatch_write(&clint->mmio, offset, value, size), ==,
                    MEMTX_OK);
}

static uint64_t mip(int hart)
{
    return __atomic_load_n(&harts[hart]->env.mip, __ATOMIC_SEQ_CST);
}

static void warp_by(int64_t ns)
{
    qemu_clock_virtual_warp(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + ns);
}

static void test_aclint_create_errors(void)
{
    Error *err = NULL;

    g_assert_null(riscv_aclint_create(0x2000000, harts, 0, &err));
    g_assert_nonnull(err);
    error_free(err);
}

static void test_aclint_msip(void)
{
    clint_write(MSIP(1), 1, 4);
    g_assert_true(mip(1) & MIP_MSIP);
    g_assert_false(mip(0) & MIP_MSIP);
    g_assert_cmphex(clint_read(MSIP(1), 4), ==, 1);
    /* Only bit 0 exists. */
    clint_write(MSIP(0), 0xfffffffe, 4);
    g_assert_cmphex(clint_read(MSIP(0), 4), ==, 0);
    g_assert_false(mip(0) & MIP_MSIP);
    clint_write(MSIP(1), 0, 4);
    g_assert_false(mip(1) & MIP_MSIP);
}

static void test_aclint_mtime(void)
{
    uint64_t before = clint_read(MTIME, 8);

    /* 10 MHz: one tick per 100 ns of virtual time. */
    warp_by(1000000);
    g_assert_cmpuint(clint_read(MTIME, 8) - before, ==, 10000);
    g_assert_cmpuint(riscv_aclint_read_mtime(clint), ==, clint_read(MTIME, 8));

    clint_write(MTIME, 0x123456789ULL, 8);
    g_assert_cmphex(clint_read(MTIME, 8), ==, 0x123456789ULL);
    warp_by(500);
    g_assert_cmphex(clint_read(MTIME, 8), ==, 0x12345678eULL);

    /* 32-bit halves. */
    clint_write(MTIME + 4, 0x7, 4);
    g_assert_cmphex(clint_read(MTIME + 4, 4), ==, 0x7);
    g_assert_cmphex(clint_read(MTIME, 4), ==, 0x2345678e);
    g_assert_cmphex(clint_read(MTIME, 8), ==, 0x72345678eULL);
}

static void test_aclint_mtimecmp(void)
{
    uint64_t now = clint_read(MTIME, 8);

    g_assert_cmphex(clint_read(MTIMECMP(0), 8), ==, UINT64_MAX);
    g_assert_false(mip(0) & MIP_MTIP);

    /* Already reached: pending at once. */
    clint_write(MTIMECMP(0), now, 8);
    g_assert_true(mip(0) & MIP_MTIP);
    g_assert_false(mip(1) & MIP_MTIP);

    /* In the future: cleared now, raised by the timer when mtime gets there. */
    clint_write(MTIMECMP(0), now + 100, 8);
    g_assert_false(mip(0) & MIP_MTIP);
    g_assert_true(timer_pending(&clint->timers[0]));
    warp_by(99 * 100);
    g_assert_false(mip(0) & MIP_MTIP);
    warp_by(100);
    g_assert_true(mip(0) & MIP_MTIP);

    /* "Never" must not overflow into a past deadline. */
    clint_write(MTIMECMP(0), UINT64_MAX, 8);
    g_assert_false(mip(0) & MIP_MTIP);
    g_assert_false(timer_pending(&clint->timers[0]));

    /* 32-bit halves, high word first as RV32 software does. */
    now = clint_read(MTIME, 8);
    clint_write(MTIMECMP(1) + 4, (now + 50) >> 32, 4);
    clint_write(MTIMECMP(1), (uint32_t)(now + 50), 4);
    g_assert_cmphex(clint_read(MTIMECMP(1), 8), ==, now + 50);
    g_assert_cmphex(clint_read(MTIMECMP(1) + 4, 4), ==, (now + 50) >> 32);
    g_assert_false(mip(1) & MIP_MTIP);
    warp_by(50 * 100);
    g_assert_true(mip(1) & MIP_MTIP);

    /* Moving mtime backwards un-expires the comparator. */
    clint_write(MTIME, now - 1000, 8);
    g_assert_false(mip(1) & MIP_MTIP);
    warp_by(1050 * 100);
    g_assert_true(mip(1) & MIP_MTIP);
}

static void test_aclint_timer_mip_redirect(void)
{
    uint64_t now = clint_read(MTIME, 8);

    clint_write(MTIMECMP(0), now, 8);
    riscv_aclint_set_timer_mip(clint, MIP_STIP);
    g_assert_cmphex(mip(0) & (MIP_MTIP | MIP_STIP), ==, MIP_STIP);
    riscv_aclint_set_mtimecmp(clint, 0, now + 10);
    g_assert_false(mip(0) & MIP_STIP);
    warp_by(10 * 100);
    g_assert_true(mip(0) & MIP_STIP);
    riscv_aclint_set_timer_mip(clint, MIP_MTIP);
    g_assert_cmphex(mip(0) & (MIP_MTIP | MIP_STIP), ==, MIP_MTIP);
}

/*
 * A guest waiting for its next tick migrates to a destination whose own
 * clock is elsewhere: mtime continues from the source's value and the tick
 * arrives when it was due, not a clock-difference later.
 */
static void test_aclint_migrate(void)
{
    RISCVAclintState *dst = riscv_aclint_create(0x3000000, harts, 2, &error_abort);
    int64_t clock_src = 0, clock_dst = 0;       /* the clock section's state */
    int64_t source_ns, deadline;
    const uint8_t *data;
    QEMUFile *clock_out, *in;
    uint64_t mtime;
    size_t len;

    clint_write(MTIME, 0x5000000, 8);
    clint_write(MSIP(1), 1, 4);
    mtime = clint_read(MTIME, 8);
    clint_write(MTIMECMP(0), mtime + 1000, 8);      /* due in 100 us */
    deadline = clint->timers[0].expire_time;
    source_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    /* Save as the source: the clock section, then the CLINT. */
    clock_out = qemu_file_new_mem_output();
    g_assert_true(vmstate_save_state(clock_out, &vmstate_timers, &clock_src,
                                     &error_abort));
    harts[0]->env.mip = harts[1]->env.mip = 0;
    timer_del(&clint->timers[0]);

    /* The destination's clock went far on; the clock section brings it back. */
    qemu_clock_virtual_set_ns(source_ns + 3600 * NANOSECONDS_PER_SECOND);
    data = qemu_file_mem_data(clock_out, &len);
    in = qemu_file_new_mem_input(data, len);
    g_assert_true(vmstate_load_state(in, &vmstate_timers, &clock_dst, 1, &error_abort));
    qemu_fclose(in);
    qemu_fclose(clock_out);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, source_ns);
    vmstate_round_trip(&vmstate_riscv_aclint, clint, dst);

    g_assert_cmpmem(&dst->regs, sizeof(dst->regs), &clint->regs, sizeof(clint->regs));
    g_assert_cmpuint(riscv_aclint_read_mtime(dst), ==, mtime);
    g_assert_true(mip(1) & MIP_MSIP);
    g_assert_false(mip(0) & MIP_MTIP);
    g_assert_true(timer_pending(&dst->timers[0]));
    g_assert_cmpint(dst->timers[0].expire_time, ==, deadline);
    warp_by(1000 * 100);
    g_assert_true(mip(0) & MIP_MTIP);

    /* Leave the shared harts as the other tests expect them. */
    riscv_aclint_reset(dst);
    riscv_aclint_reset(clint);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_clock_virtual_set_manual(true);
    harts[0] = riscv_cpu_create(0);
    harts[1] = riscv_cpu_create(1);
    clint = riscv_aclint_create(0x2000000, harts, 2, &error_abort);
    g_test_add_func("/aclint/create-errors", test_aclint_create_errors);
    g_test_add_func("/aclint/msip", test_aclint_msip);
    g_test_add_func("/aclint/mtime", test_aclint_mtime);
    g_test_add_func("/aclint/mtimecmp", test_aclint_mtimecmp);
    g_test_add_func("/aclint/timer-mip-redirect", test_aclint_timer_mip_redirect);
    g_test_add_func("/aclint/migrate", test_aclint_migrate);
    return g_test_run();
}
