/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SiFive PLIC: register layout, WARL masks, claim/complete with level-
 * triggered sources, priority and threshold arbitration, context routing
 * to MEIP/SEIP.  Driven through the MMIO dispatcher on non-running harts.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/intc/sifive_plic.h"
#include "qapi/error.h"
#include "target/riscv/cpu.h"
#include "vmstate-round-trip.h"

#define NUM_SOURCES 96
#define PRIORITY(id)    (4 * (id))
#define PENDING(word)   (0x1000 + 4 * (word))
#define ENABLE(ctx, w)  (0x2000 + 0x80 * (ctx) + 4 * (w))
#define THRESHOLD(ctx)  (0x200000 + 0x1000 * (ctx))
#define CLAIM(ctx)      (0x200004 + 0x1000 * (ctx))

static RISCVCPU *harts[2];
static SiFivePLICState *plic;
/* Devices live as long as the process; each test maps a fresh one elsewhere. */
static SiFivePLICState *plics[10];
static int num_plics;

static uint32_t plic_read(hwaddr offset)
{
    uint64_t value = 0;

    g_assert_cmpint(memory_region_dispatch_read(&plic->mmio, offset, &value, 4), ==,
                    MEMTX_OK);
    return value;
}

static void plic_write(hwaddr offset, uint32_t value)
{
    g_assert_cmpint(memory_region_dispatch_write(&plic->mmio, offset, value, 4), ==,
                    MEMTX_OK);
}

static uint64_t mip(int hart)
{
    return __atomic_load_n(&harts[hart]->env.mip, __ATOMIC_SEQ_CST);
}

static void set_line(int id, int level)
{
    qemu_set_irq(sifive_plic_get_irq(plic, id), level);
}

/* A fresh PLIC per test: two harts, four contexts, virt's 96 sources. */
static void setup(void)
{
    for (int i = 0; i < 2; i++) {
        harts[i]->env.mip = 0;
    }
    g_assert_cmpint(num_plics, <, ARRAY_SIZE(plics));
    plic = sifive_plic_create(0xc000000 + num_plics * 0x1000000ULL, harts, 2, NUM_SOURCES,
                              &error_abort);
    plics[num_plics++] = plic;
}

static void test_plic_size_and_errors(void)
{
    Error *err = NULL;

    g_assert_cmphex(sifive_plic_mmio_size(1), ==, 0x600000);
    g_assert_null(sifive_plic_create(0xc000000, harts, 2, 0, &err));
    g_assert_nonnull(err);
    error_free(err);
}

static void test_plic_warl_masks(void)
{
    setup();
    plic_write(PRIORITY(5), 0xffffffff);
    g_assert_cmphex(plic_read(PRIORITY(5)), ==, 7);
    plic_write(PRIORITY(0), 3);
    g_assert_cmphex(plic_read(PRIORITY(0)), ==, 0);
    /* Id 0 does not exist; ids past 96 are not wired. */
    plic_write(ENABLE(0, 0), 0xffffffff);
    g_assert_cmphex(plic_read(ENABLE(0, 0)), ==, 0xfffffffe);
    plic_write(ENABLE(0, 3), 0xffffffff);
    g_assert_cmphex(plic_read(ENABLE(0, 3)), ==, 0x1);
    plic_write(THRESHOLD(3), 0xff);
    g_assert_cmphex(plic_read(THRESHOLD(3)), ==, 7);
    /* Pending bits are read-only. */
    plic_write(PENDING(0), 0xffffffff);
    g_assert_cmphex(plic_read(PENDING(0)), ==, 0);
}

static void test_plic_claim_complete_level(void)
{
    setup();
    plic_write(PRIORITY(10), 1);
    plic_write(ENABLE(1, 0), 1u << 10);         /* hart 0, S-mode */
    set_line(10, 1);
    g_assert_cmphex(plic_read(PENDING(0)), ==, 1u << 10);
    g_assert_true(mip(0) & MIP_SEIP);
    g_assert_false(mip(0) & MIP_MEIP);
    g_assert_false(mip(1) & (MIP_SEIP | MIP_MEIP));

    g_assert_cmpuint(plic_read(CLAIM(1)), ==, 10);
    g_assert_cmphex(plic_read(PENDING(0)), ==, 0);
    g_assert_false(mip(0) & MIP_SEIP);
    /* Still high but claimed: not presented again until completed. */
    g_assert_cmpuint(plic_read(CLAIM(1)), ==, 0);
    set_line(10, 0);
    set_line(10, 1);
    g_assert_cmphex(plic_read(PENDING(0)), ==, 0);

    plic_write(CLAIM(1), 10);
    g_assert_cmphex(plic_read(PENDING(0)), ==, 1u << 10);
    g_assert_true(mip(0) & MIP_SEIP);

    /* Line drops before the claim: pending follows it. */
    set_line(10, 0);
    g_assert_cmphex(plic_read(PENDING(0)), ==, 0);
    g_assert_false(mip(0) & MIP_SEIP);

    /* Line drops while claimed: completion leaves nothing pending. */
    set_line(10, 1);
    g_assert_cmpuint(plic_read(CLAIM(1)), ==, 10);
    set_line(10, 0);
    plic_write(CLAIM(1), 10);
    g_assert_cmphex(plic_read(PENDING(0)), ==, 0);
    g_assert_false(mip(0) & MIP_SEIP);
}

static void test_plic_priority_and_threshold(void)
{
    setup();
    plic_write(PRIORITY(3), 2);
    plic_write(PRIORITY(5), 2);
    plic_write(PRIORITY(40), 5);
    plic_write(ENABLE(0, 0), (1u << 3) | (1u << 5));
    plic_write(ENABLE(0, 1), 1u << (40 - 32));
    set_line(5, 1);
    set_line(3, 1);
    set_line(40, 1);
    g_assert_cmphex(plic_read(PENDING(1)), ==, 1u << 8);
    g_assert_true(mip(0) & MIP_MEIP);

    /* Highest priority first, then ties to the lowest id. */
    g_assert_cmpuint(plic_read(CLAIM(0)), ==, 40);
    g_assert_cmpuint(plic_read(CLAIM(0)), ==, 3);
    g_assert_cmpuint(plic_read(CLAIM(0)), ==, 5);
    g_assert_false(mip(0) & MIP_MEIP);
    plic_write(CLAIM(0), 3);
    plic_write(CLAIM(0), 5);
    plic_write(CLAIM(0), 40);
    g_assert_true(mip(0) & MIP_MEIP);

    /* Only priorities strictly above the threshold interrupt. */
    plic_write(THRESHOLD(0), 5);
    g_assert_false(mip(0) & MIP_MEIP);
    g_assert_cmpuint(plic_read(CLAIM(0)), ==, 0);
    plic_write(THRESHOLD(0), 4);
    g_assert_true(mip(0) & MIP_MEIP);
    g_assert_cmpuint(plic_read(CLAIM(0)), ==, 40);
    plic_write(CLAIM(0), 40);

    /* Priority 0 never interrupts. */
    plic_write(THRESHOLD(0), 0);
    for (int id = 1; id <= NUM_SOURCES; id++) {
        plic_write(PRIORITY(id), 0);
    }
    g_assert_false(mip(0) & MIP_MEIP);
    g_assert_cmpuint(plic_read(CLAIM(0)), ==, 0);
}

static void test_plic_context_routing(void)
{
    setup();
    plic_write(PRIORITY(1), 1);
    plic_write(PRIORITY(96), 1);
    plic_write(ENABLE(2, 0), 1u << 1);          /* hart 1, M-mode */
    plic_write(ENABLE(3, 3), 1u << 0);          /* hart 1, S-mode: id 96 */
    set_line(1, 1);
    g_assert_cmphex(mip(1) & (MIP_MEIP | MIP_SEIP), ==, MIP_MEIP);
    g_assert_cmphex(mip(0) & (MIP_MEIP | MIP_SEIP), ==, 0);
    set_line(96, 1);
    g_assert_cmphex(mip(1) & (MIP_MEIP | MIP_SEIP), ==, MIP_MEIP | MIP_SEIP);
    g_assert_cmpuint(plic_read(CLAIM(3)), ==, 96);
    g_assert_cmphex(mip(1) & (MIP_MEIP | MIP_SEIP), ==, MIP_MEIP);

    /* A completion from a context where the source is not enabled is ignored. */
    plic_write(CLAIM(2), 96);
    g_assert_cmpuint(plic_read(CLAIM(3)), ==, 0);
    plic_write(CLAIM(3), 96);
    g_assert_cmpuint(plic_read(CLAIM(3)), ==, 96);
}

/* A claim in progress and a pending source survive a save and load. */
static void test_plic_migrate(void)
{
    SiFivePLICState *src, *dst;

    setup();
    src = plic;
    plic_write(PRIORITY(10), 3);
    plic_write(PRIORITY(11), 2);
    plic_write(ENABLE(1, 0), (1u << 10) | (1u << 11));
    plic_write(THRESHOLD(1), 1);
    set_line(10, 1);
    set_line(11, 1);
    g_assert_cmpuint(plic_read(CLAIM(1)), ==, 10);  /* 10 claimed, 11 pending */

    setup();
    dst = plic;
    g_assert_false(mip(0) & MIP_SEIP);
    vmstate_round_trip(&vmstate_sifive_plic, src, dst);
    g_assert_cmpmem(&dst->regs, sizeof(dst->regs), &src->regs, sizeof(src->regs));
    /* post_load drove the output: 11 is pending above the threshold. */
    g_assert_true(mip(0) & MIP_SEIP);
    g_assert_cmpuint(plic_read(CLAIM(1)), ==, 11);
    plic_write(CLAIM(1), 10);
    /* Line 10 is still high on the copy: pending again after completion. */
    g_assert_cmphex(plic_read(PENDING(0)), ==, 1u << 10);
}

static void test_plic_migrate_bad_priority(void)
{
    g_autofree char *msg = NULL;
    SiFivePLICState *src, *dst;

    setup();
    src = plic;
    setup();
    dst = plic;
    src->regs.priority[7] = 8;
    msg = vmstate_round_trip_error(&vmstate_sifive_plic, src, dst);
    g_assert_cmpstr(msg, ==, "'sifive_plic': priority 8 of source 7 out of range");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    harts[0] = riscv_cpu_create(0);
    harts[1] = riscv_cpu_create(1);
    g_test_add_func("/plic/size-and-errors", test_plic_size_and_errors);
    g_test_add_func("/plic/warl-masks", test_plic_warl_masks);
    g_test_add_func("/plic/claim-complete-level", test_plic_claim_complete_level);
    g_test_add_func("/plic/priority-and-threshold", test_plic_priority_and_threshold);
    g_test_add_func("/plic/context-routing", test_plic_context_routing);
    g_test_add_func("/plic/migrate", test_plic_migrate);
    g_test_add_func("/plic/migrate-bad-priority", test_plic_migrate_bad_priority);
    return g_test_run();
}
