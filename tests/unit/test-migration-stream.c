/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The migration stream (docs/devel/migration-stream.rst) end to end in
 * memory: RAM passes written by migration/ram.c and the top level of
 * migration/stream.c, loaded back into the same RAM block; and every way a
 * stream can be wrong (foreign, truncated, corrupted, for another machine)
 * failing with a message that names it.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "exec/ramblock.h"
#include "hw/boards.h"
#include "migration/qemu-file.h"
#include "migration/ram.h"
#include "migration/stream.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (8 * MiB)
#define NPAGES   (RAM_SIZE / TARGET_PAGE_SIZE)

static MemoryRegion ram;
static MachineState machine = { .type = "virt", .smp_cpus = 1 };
static uint8_t *host;

static void fill_pattern(uint32_t seed)
{
    memset(host, 0, RAM_SIZE);
    for (uint64_t page = 0; page < NPAGES; page++) {
        /* Every third page zero; others carry their number and the seed. */
        if (page % 3) {
            uint64_t *words = (uint64_t *)(host + page * TARGET_PAGE_SIZE);
            for (int w = 0; w < 512; w += 64) {
                words[w] = page * 0x9e3779b97f4a7c15ULL + seed + w;
            }
        }
    }
}

/* A whole stream: header, one pass (plus @dirty_page written after it), end. */
static GByteArray *save_stream(int64_t dirty_page)
{
    QEMUFile *f = qemu_file_new_mem_output();
    GByteArray *out = g_byte_array_new();
    bool done = false;
    const uint8_t *data;
    size_t len;

    g_assert_true(ram_save_setup(&error_abort));
    migration_stream_put_start(f);
    while (!done) {
        g_assert_true(ram_save_iterate(f, 64 * KiB, &done));
    }
    g_assert_cmpuint(ram_bytes_remaining(), ==, 0);
    if (dirty_page >= 0) {
        uint64_t v = 0x1234567890abcdefULL;
        address_space_write(RAM_BASE + dirty_page * TARGET_PAGE_SIZE + 8, &v, sizeof(v));
    }
    g_assert_cmpuint(ram_bitmap_sync(true), ==, dirty_page >= 0 ? 1 : 0);
    g_assert_true(ram_save_complete(f));
    g_assert_true(migration_stream_put_end(f, true, &error_abort));
    ram_save_cleanup();
    data = qemu_file_mem_data(f, &len);
    g_byte_array_append(out, data, len);
    qemu_fclose(f);
    return out;
}

static bool load_stream(const uint8_t *data, size_t len, Error **errp)
{
    QEMUFile *f = qemu_file_new_mem_input(data, len);
    bool ok, running = false;

    bql_unlock();
    ok = migration_stream_load(f, &running, errp);
    g_assert_true(!ok || running);
    bql_lock();
    qemu_fclose(f);
    return ok;
}

static void assert_load_fails(const uint8_t *data, size_t len, const char *needle)
{
    Error *err = NULL;

    g_assert_false(load_stream(data, len, &err));
    g_assert_nonnull(err);
    if (needle && !strstr(error_get_pretty(err), needle)) {
        g_error("error '%s' does not mention '%s'", error_get_pretty(err), needle);
    }
    error_free(err);
}

static void test_round_trip(void)
{
    g_autoptr(GByteArray) stream = NULL;
    g_autofree uint8_t *want = g_malloc(RAM_SIZE);

    fill_pattern(1);
    stream = save_stream(5);
    memcpy(want, host, RAM_SIZE);
    /* The loader must zero pages that are zero in the stream and write the rest. */
    fill_pattern(2);
    g_assert_true(load_stream(stream->data, stream->len, &error_abort));
    g_assert_cmpmem(host, RAM_SIZE, want, RAM_SIZE);
}

static void test_zero_pages_are_cheap(void)
{
    g_autoptr(GByteArray) stream = NULL;

    memset(host, 0, RAM_SIZE);
    stream = save_stream(-1);
    /* 2048 zero pages: a few run records, not a marker per page. */
    g_assert_cmpuint(stream->len, <, 4096);
}

static void test_foreign(void)
{
    g_autoptr(GByteArray) stream = NULL;
    static const uint8_t junk[] = "QEVM\0\0\0\3 not a hintvm stream";

    fill_pattern(3);
    stream = save_stream(-1);
    assert_load_fails(junk, sizeof(junk), "not a hintvm migration stream");
    stream->data[7] = 99;
    assert_load_fails(stream->data, stream->len, "stream version 99 is not supported");
    assert_load_fails(stream->data, 0, "truncated");
}

static void test_truncated(void)
{
    g_autoptr(GByteArray) stream = NULL;

    fill_pattern(4);
    stream = save_stream(7);
    for (size_t cut = 0; cut < stream->len; cut += 1 + cut / 7) {
        assert_load_fails(stream->data, cut, NULL);
    }
    assert_load_fails(stream->data, stream->len - 1, "truncated");
}

static void test_corrupt(void)
{
    g_autoptr(GByteArray) stream = NULL;
    GRand *rand = g_rand_new_with_seed(42);

    fill_pattern(5);
    stream = save_stream(9);
    /* Every single flipped byte is caught, whatever record it falls in. */
    for (int i = 0; i < 300; i++) {
        guint pos = g_rand_int_range(rand, 0, stream->len);
        uint8_t flip = 1 << g_rand_int_range(rand, 0, 8);

        stream->data[pos] ^= flip;
        assert_load_fails(stream->data, stream->len, NULL);
        stream->data[pos] ^= flip;
    }
    /* A page byte: the RAM record's CRC names it. */
    stream->data[200] ^= 0x40;
    assert_load_fails(stream->data, stream->len, "corrupt");
    stream->data[200] ^= 0x40;
    g_assert_true(load_stream(stream->data, stream->len, &error_abort));
    g_rand_free(rand);
}

static void test_other_machine(void)
{
    g_autoptr(GByteArray) stream = NULL;
    QEMUFile *f;
    const uint8_t *data;
    size_t len;

    fill_pattern(6);
    stream = save_stream(-1);
    machine.smp_cpus = 2;
    assert_load_fails(stream->data, stream->len,
                      "the source has 1 vCPUs, this machine has 2");
    machine.smp_cpus = 1;

    /* A configuration record for twice the RAM, written by hand. */
    f = qemu_file_new_mem_output();
    qemu_put_be32(f, MIG_STREAM_MAGIC);
    qemu_put_be32(f, MIG_STREAM_VERSION);
    qemu_file_crc_reset(f);
    qemu_put_byte(f, MIG_RECORD_CONFIG);
    qemu_put_counted_string(f, "virt");
    qemu_put_be32(f, 1);
    qemu_put_be16(f, 1);
    qemu_put_counted_string(f, ram_list->idstr);
    qemu_put_be64(f, 2 * RAM_SIZE);
    qemu_put_be32(f, qemu_file_crc(f));
    data = qemu_file_mem_data(f, &len);
    assert_load_fails(data, len,
                      "has size 0x1000000 (16 MiB) in the stream but 0x800000");
    qemu_fclose(f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop();
    current_machine = &machine;
    memory_region_init_ram(&ram, "test.ram", RAM_SIZE, &error_abort);
    memory_region_add_subregion(RAM_BASE, &ram);
    host = memory_region_get_ram_ptr(&ram);

    g_test_add_func("/migration-stream/round-trip", test_round_trip);
    g_test_add_func("/migration-stream/zero-pages", test_zero_pages_are_cheap);
    g_test_add_func("/migration-stream/foreign", test_foreign);
    g_test_add_func("/migration-stream/truncated", test_truncated);
    g_test_add_func("/migration-stream/corrupt", test_corrupt);
    g_test_add_func("/migration-stream/other-machine", test_other_machine);
    return g_test_run();
}
