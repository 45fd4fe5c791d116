/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The dirty log (system/dirtylog.c, docs/devel/migration/dirty-log.rst):
 * guest stores from a real hart, device DMA, re-arming after a sync, and
 * silence while logging is off.  The hart runs tiny M-mode programs, first
 * on the test's thread (riscv_cpu_exec returns at WFI), then on its own vCPU
 * thread for the re-arm of a hart that is running guest code.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "exec/memory.h"
#include "exec/ramblock.h"
#include "sysemu/cpus.h"
#include "target/riscv/cpu.h"

#define RAM_BASE  0x80000000ULL
#define RAM_SIZE  (1 * MiB)
#define NR_PAGES  (RAM_SIZE / TARGET_PAGE_SIZE)
#define CODE_PAGE 0
#define DATA_PAGE 16 /* the page the programs store to */

/* sd a0, 0(a0); wfi: one store, then return to the test (nothing is pending). */
static const uint32_t store_once[] = { 0x00a53023, 0x10500073 };
/* 1: sd a0, 0(a0); j 1b: stores until the hart is paused. */
static const uint32_t store_loop[] = { 0x00a53023, 0xffdff06f };

static MemoryRegion ram;
static RAMBlock *block;
static RISCVCPU *hart;

static hwaddr page_addr(int page)
{
    return RAM_BASE + (hwaddr)page * TARGET_PAGE_SIZE;
}

static void load_program(const uint32_t *words, size_t n)
{
    memcpy(memory_region_get_ram_ptr(&ram), words, n * sizeof(words[0]));
    hart->reset_pc = page_addr(CODE_PAGE);
    hart->reset_a0 = page_addr(DATA_PAGE);
    riscv_cpu_reset(hart);
}

/* Run from the reset pc until WFI; the TLB keeps its entries between runs. */
static void run_store_once(void)
{
    hart->env.pc = page_addr(CODE_PAGE);
    hart->env.gpr[10] = page_addr(DATA_PAGE);
    /* A flush request kicks the hart too: that run returns before any block. */
    for (int i = 0; i < 3 && !hart->env.halted; i++) {
        riscv_cpu_exec(hart);
    }
    g_assert_cmpint(hart->env.halted, ==, 1);
    g_assert_cmphex(hart->env.pc, ==, page_addr(CODE_PAGE) + 8);
    hart->env.halted = 0;
}

/* Fold the log into a fresh bitmap; returns it, *@newly gets the count. */
static unsigned long *sync_into_new(uint64_t *newly)
{
    unsigned long *dest = bitmap_new(NR_PAGES);

    *newly = ram_block_dirty_log_sync(block, dest);
    return dest;
}

static void test_guest_store(void)
{
    unsigned long *dest;
    uint64_t newly;

    load_program(store_once, G_N_ELEMENTS(store_once));
    ram_dirty_log_start();
    g_assert_true(ram_dirty_log_is_enabled());
    run_store_once();

    dest = sync_into_new(&newly);
    g_assert_cmpuint(newly, ==, 1);
    g_assert_true(test_bit(DATA_PAGE, dest));
    g_assert_false(test_bit(CODE_PAGE, dest));
    /* The fold took the log: nothing is left for a second one. */
    g_assert_true(bitmap_empty(block->dirty_log, NR_PAGES));
    /* Folding into a bitmap that already holds the page counts nothing new. */
    ram_dirty_log_rearm();
    run_store_once();
    g_assert_cmpuint(ram_block_dirty_log_sync(block, dest), ==, 0);
    g_assert_true(test_bit(DATA_PAGE, dest));
    ram_dirty_log_stop();
    g_free(dest);
}

static void test_store_after_sync(void)
{
    unsigned long *dest;
    uint64_t newly;

    load_program(store_once, G_N_ELEMENTS(store_once));
    ram_dirty_log_start();
    run_store_once();
    g_free(sync_into_new(&newly));
    g_assert_cmpuint(newly, ==, 1);

    /*
     * Without a re-arm the store hits the write entry the first one filled
     * and is not logged: this is what the re-arm is for.
     */
    run_store_once();
    dest = sync_into_new(&newly);
    g_assert_cmpuint(newly, ==, 0);
    g_free(dest);

    ram_dirty_log_rearm();
    run_store_once();
    dest = sync_into_new(&newly);
    g_assert_cmpuint(newly, ==, 1);
    g_assert_true(test_bit(DATA_PAGE, dest));
    ram_dirty_log_stop();
    g_free(dest);
}

static void test_dma(void)
{
    uint8_t buf[2 * TARGET_PAGE_SIZE] = { 0x5a };
    unsigned long *dest;
    uint64_t newly;

    ram_dirty_log_start();
    /* Three pages: 100 bytes before page 40, the whole of 40, into 41. */
    g_assert_cmpint(address_space_write(page_addr(40) - 100, buf, sizeof(buf)), ==,
                    MEMTX_OK);
    /* A writable mapping of pages 50 and 51; a read-only one of page 60. */
    g_assert_nonnull(address_space_map(page_addr(50) + 8, TARGET_PAGE_SIZE, true));
    g_assert_nonnull(address_space_map(page_addr(60), TARGET_PAGE_SIZE, false));
    address_space_read(page_addr(70), buf, sizeof(buf));
    /* A write through a read mapping, logged afterwards: the last byte of 80, and 81. */
    address_space_set_dirty(page_addr(81) - 1, 2);
    /* Past the end of RAM: what is RAM is logged, the rest ignored. */
    address_space_set_dirty(RAM_BASE + RAM_SIZE - 1, TARGET_PAGE_SIZE);

    dest = sync_into_new(&newly);
    g_assert_cmpuint(newly, ==, 8);
    for (int page = 39; page <= 41; page++) {
        g_assert_true(test_bit(page, dest));
    }
    g_assert_true(test_bit(50, dest));
    g_assert_true(test_bit(51, dest));
    g_assert_true(test_bit(80, dest));
    g_assert_true(test_bit(81, dest));
    g_assert_true(test_bit(NR_PAGES - 1, dest));
    g_assert_cmpint(bitmap_count_one(dest, NR_PAGES), ==, 8);
    ram_dirty_log_stop();
    g_free(dest);
}

static void test_off(void)
{
    uint8_t byte = 1;
    unsigned long *dest;
    uint64_t newly;

    load_program(store_once, G_N_ELEMENTS(store_once));
    ram_dirty_log_start();
    address_space_write(page_addr(30), &byte, 1);
    ram_dirty_log_stop();
    g_assert_false(ram_dirty_log_is_enabled());

    /* A fresh write entry (the reset dropped the TLB), DMA, a mapping. */
    run_store_once();
    address_space_write(page_addr(31), &byte, 1);
    address_space_map(page_addr(32), 1, true);
    address_space_set_dirty(page_addr(33), 1);
    dest = sync_into_new(&newly);
    /* Only what was logged while logging was on. */
    g_assert_cmpuint(newly, ==, 1);
    g_assert_true(test_bit(30, dest));
    g_free(dest);

    /* Start clears what an earlier round left behind. */
    address_space_write(page_addr(30), &byte, 1);
    ram_dirty_log_stop();
    ram_dirty_log_start();
    dest = sync_into_new(&newly);
    g_assert_cmpuint(newly, ==, 0);
    ram_dirty_log_stop();
    g_free(dest);
}

/*
 * The hart runs on its vCPU thread and stores all the time: each sync must
 * see the page again, which only happens if the re-arm reached the running
 * hart (its write entry would otherwise absorb every store).
 */
static void test_rearm_running_hart(void)
{
    load_program(store_loop, G_N_ELEMENTS(store_loop));
    ram_dirty_log_start();
    cpus_start_threads();
    resume_all_vcpus();

    for (int round = 0; round < 5; round++) {
        unsigned long *dest = bitmap_new(NR_PAGES);
        gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

        while (!ram_block_dirty_log_sync(block, dest)) {
            g_assert_cmpint(g_get_monotonic_time(), <, deadline);
            g_usleep(1000);
        }
        g_assert_true(test_bit(DATA_PAGE, dest));
        g_assert_cmpint(bitmap_count_one(dest, NR_PAGES), ==, 1);
        ram_dirty_log_rearm();
        g_free(dest);
    }
    pause_all_vcpus();
    ram_dirty_log_stop();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(); /* takes the BQL, which the API's callers hold */
    g_assert_true(
        memory_region_init_ram(&ram, "riscv_virt_board.ram", RAM_SIZE, &error_abort));
    memory_region_add_subregion(RAM_BASE, &ram);
    block = ram.ram_block;
    hart = riscv_cpu_create(0);
    cpus_register(&hart->parent_obj);

    g_test_add_func("/dirty-log/guest-store", test_guest_store);
    g_test_add_func("/dirty-log/store-after-sync", test_store_after_sync);
    g_test_add_func("/dirty-log/dma", test_dma);
    g_test_add_func("/dirty-log/off", test_off);
    /* Last: the vCPU thread it starts stays parked afterwards. */
    g_test_add_func("/dirty-log/rearm-running-hart", test_rearm_running_hart);
    return g_test_run();
}
