/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x-query-ram-digest's digests (migration/ram-digest.c): one per 2 MiB
 * range and one per block; a range never backed hashes like zeros; one
 * changed byte changes exactly its range and the block's digest.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "exec/ramblock.h"
#include "migration/ram-digest.h"
#include "qapi/error.h"
#include <sys/mman.h>

#define RAM_SIZE (8 * MiB)

static RAMBlockDigest *digest_of_first_block(GPtrArray **all)
{
    *all = ram_digest_compute();
    g_assert_cmpuint((*all)->len, ==, 1);
    return g_ptr_array_index(*all, 0);
}

static void test_digest(void)
{
    MemoryRegion ram;
    GPtrArray *a, *b;
    RAMBlockDigest *da, *db;
    uint8_t *host;

    memory_region_init_ram(&ram, "digest.ram", RAM_SIZE, &error_abort);
    host = memory_region_get_ram_ptr(&ram);
    madvise(host, RAM_SIZE, MADV_NOHUGEPAGE);
    /* Range 0 backed with zeros, range 1 with data, ranges 2 and 3 untouched. */
    memset(host, 0, 4096);
    memset(host + 2 * MiB + 4096, 0x5a, 4096);

    da = digest_of_first_block(&a);
    g_assert_cmpstr(da->id, ==, "digest.ram");
    g_assert_cmpuint(da->size, ==, RAM_SIZE);
    g_assert_cmpuint(da->ranges->len, ==, RAM_SIZE / RAM_DIGEST_RANGE_SIZE);
    g_assert_cmpstr(g_ptr_array_index(da->ranges, 0), ==,
                    g_ptr_array_index(da->ranges, 2));
    g_assert_cmpstr(g_ptr_array_index(da->ranges, 2), ==,
                    g_ptr_array_index(da->ranges, 3));
    g_assert_cmpstr(g_ptr_array_index(da->ranges, 1), !=,
                    g_ptr_array_index(da->ranges, 0));
    g_assert_cmpuint(strlen(da->digest), ==, 64);

    host[3 * MiB + 7] ^= 1;
    db = digest_of_first_block(&b);
    g_assert_cmpstr(da->digest, !=, db->digest);
    for (guint i = 0; i < da->ranges->len; i++) {
        const char *ra = g_ptr_array_index(da->ranges, i);
        const char *rb = g_ptr_array_index(db->ranges, i);
        g_assert_true((strcmp(ra, rb) != 0) == (i == 1));
    }
    g_ptr_array_unref(a);
    g_ptr_array_unref(b);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ram-digest/ranges", test_digest);
    return g_test_run();
}
