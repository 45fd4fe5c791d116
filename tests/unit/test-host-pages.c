/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * util/host-pages.c: which pages of an anonymous mapping the host backs, and
 * the word-wise zero test migration uses on every page it sends.
 */
#include "qemu/osdep.h"
#include "qemu/bitmap.h"
#include "qemu/host-pages.h"
#include <sys/mman.h>

#define NPAGES 300

static void test_zero(void)
{
    uint64_t *page = g_malloc0(HOST_PAGE_SIZE);

    g_assert_true(buffer_is_zero(page, HOST_PAGE_SIZE));
    /* A single bit anywhere, first and last word included, is seen. */
    for (size_t w = 0; w < HOST_PAGE_SIZE / 8; w += 37) {
        page[w] = 1ULL << (w % 64);
        g_assert_false(buffer_is_zero(page, HOST_PAGE_SIZE));
        page[w] = 0;
    }
    page[HOST_PAGE_SIZE / 8 - 1] = 1ULL << 63;
    g_assert_false(buffer_is_zero(page, HOST_PAGE_SIZE));
    g_free(page);
}

static void test_backed(void)
{
    uint8_t *mem = mmap(NULL, NPAGES * HOST_PAGE_SIZE, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    unsigned long *backed = bitmap_new(NPAGES);
    volatile uint8_t sink;

    g_assert(mem != MAP_FAILED);
    madvise(mem, NPAGES * HOST_PAGE_SIZE, MADV_NOHUGEPAGE);
    if (!host_pages_backed(mem, NPAGES, backed)) {
        g_test_skip("/proc/self/pagemap is not readable here");
        goto out;
    }
    /* Never touched: nothing backed. */
    g_assert_true(bitmap_empty(backed, NPAGES));

    mem[3 * HOST_PAGE_SIZE] = 1;
    mem[299 * HOST_PAGE_SIZE + 17] = 2;
    /* A read maps the shared zero page at most: not data, but may be present. */
    sink = mem[100 * HOST_PAGE_SIZE];
    (void)sink;
    g_assert_true(host_pages_backed(mem, NPAGES, backed));
    g_assert_true(test_bit(3, backed));
    g_assert_true(test_bit(299, backed));
    g_assert_false(test_bit(4, backed));
    g_assert_false(test_bit(298, backed));

    /* A window that starts at an offset reports relative to its start. */
    g_assert_true(host_pages_backed(mem + 3 * HOST_PAGE_SIZE, 2, backed));
    g_assert_true(test_bit(0, backed));
    g_assert_false(test_bit(1, backed));

    /* Discarded pages are unbacked again. */
    madvise(mem, NPAGES * HOST_PAGE_SIZE, MADV_DONTNEED);
    g_assert_true(host_pages_backed(mem, NPAGES, backed));
    g_assert_true(bitmap_empty(backed, NPAGES));
out:
    g_free(backed);
    munmap(mem, NPAGES * HOST_PAGE_SIZE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/host-pages/zero", test_zero);
    g_test_add_func("/host-pages/backed", test_backed);
    return g_test_run();
}
