/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the incoming migration stream (docs/devel/fuzzing.rst),
 * built with `./configure --cc=clang --enable-fuzzing` and run by
 * scripts/fuzz-migration.  Same destination and checks as the meson test;
 * the custom mutator lets libFuzzer's own mutations through, then fixes the
 * CRCs most of the time so that they reach the parser behind the checksums.
 *
 * Environment: HINTVM_FUZZ_DEVICE picks the balloon's -device
 * (virtio-balloon-device by default); HINTVM_FUZZ_SEED_DIR, if set, gets
 * the seed stream written into it at start-up (the corpus to begin from).
 */
#include "qemu/osdep.h"
#include "migration-fuzz.h"
#include "stream-mutate.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *device = g_getenv("HINTVM_FUZZ_DEVICE");
    const char *dir = g_getenv("HINTVM_FUZZ_SEED_DIR");
    const GByteArray *seed;

    migration_fuzz_setup(device ? device : "virtio-balloon-device");
    seed = migration_fuzz_seed();
    if (dir) {
        g_autofree char *path = g_build_filename(dir, "seed.bin", NULL);

        g_assert_true(g_file_set_contents(path, (const char *)seed->data, seed->len, NULL));
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    migration_fuzz_run_one(data, size);
    return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed)
{
    GRand *rand = g_rand_new_with_seed(seed);
    GByteArray *s;
    size_t len;

    if (g_rand_boolean(rand)) {
        /* libFuzzer's own byte-level mutations, CRCs fixed afterwards. */
        size = LLVMFuzzerMutate(data, size, max_size);
        if (g_rand_int_range(rand, 0, 8)) {
            stream_walk(data, size, true, NULL);
        }
        g_rand_free(rand);
        return size;
    }
    s = g_byte_array_new();
    g_byte_array_append(s, data, size);
    stream_mutate(s, migration_fuzz_seed(), max_size, rand);
    len = MIN(s->len, max_size);
    memcpy(data, s->data, len);
    g_byte_array_unref(s);
    g_rand_free(rand);
    return len;
}
