/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bounded, deterministic migration stream fuzzer that meson test runs
 * (docs/devel/fuzzing.rst): for each way the balloon can be plugged in, a
 * destination loads the inputs of tests/fuzz/migration-corpus/ (streams
 * that once broke the loader) and then a few thousand mutations of the
 * stream its own save path wrote (inputs named reject-*.bin must be
 * rejected).  Iteration i always mutates the same way
 * (its random seed is i), so a failure is reproduced with
 * FUZZ_FIRST=i FUZZ_ITERATIONS=1, and FUZZ_SAVE=FILE writes that input out
 * for the libFuzzer target.  Each machine runs in a subprocess, as the
 * board's devices live for the whole process.
 */
#include "qemu/osdep.h"
#include <signal.h>
#include "migration-fuzz.h"
#include "stream-mutate.h"

/* Seconds one load may take before it counts as a hang. */
#define HANG_SECONDS 10
/* Accepted mutants kept as bases for further mutation. */
#define POOL_SIZE 16

static volatile uint64_t current_iteration;

static void report_signal(int sig)
{
    char msg[96];
    int n = snprintf(msg, sizeof(msg), "fuzz-migration-stream: %s in iteration %" PRIu64
                     " (reproduce with FUZZ_FIRST=%" PRIu64 " FUZZ_ITERATIONS=1)\n",
                     sig == SIGALRM ? "hang" : "crash", current_iteration,
                     current_iteration);

    if (write(STDERR_FILENO, msg, n) < 0) {
        /* Nothing left to do about it. */
    }
    signal(sig, SIG_DFL);
    raise(sig == SIGALRM ? SIGABRT : sig);
}

/* g_error() and failed g_assert*() in a test subprocess end it without a signal. */
static gboolean report_fatal(const char *domain, GLogLevelFlags level, const char *message,
                             gpointer data)
{
    g_printerr("fuzz-migration-stream: failed in iteration %" PRIu64 " (reproduce with "
               "FUZZ_FIRST=%" PRIu64 " FUZZ_ITERATIONS=1)\n", current_iteration,
               current_iteration);
    return true;
}

static uint64_t env_number(const char *name, uint64_t fallback)
{
    const char *v = g_getenv(name);

    return v ? g_ascii_strtoull(v, NULL, 0) : fallback;
}

static void replay_corpus(void)
{
    g_autofree char *dir = g_test_build_filename(G_TEST_DIST, "migration-corpus", NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;
    int replayed = 0;

    g_assert_nonnull(d);
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);
        g_autofree char *data = NULL;
        gsize len;

        if (!g_str_has_suffix(name, ".bin")) {
            continue;
        }
        g_assert_true(g_file_get_contents(path, &data, &len, NULL));
        alarm(HANG_SECONDS);
        /* reject-*.bin were once accepted although they are not sound streams. */
        if (migration_fuzz_run_one((uint8_t *)data, len) && g_str_has_prefix(name, "reject-")) {
            g_error("%s was accepted", name);
        }
        alarm(0);
        replayed++;
    }
    g_printerr("# replayed %d corpus inputs\n", replayed);
}

static void run_machine(gconstpointer device)
{
    uint64_t first = env_number("FUZZ_FIRST", 0);
    uint64_t count = env_number("FUZZ_ITERATIONS", 3000);
    const char *save = g_getenv("FUZZ_SAVE");
    GPtrArray *pool;
    const GByteArray *seed;
    uint64_t rejected, accepted;

    if (!g_test_subprocess()) {
        return;
    }
    signal(SIGALRM, report_signal);
    signal(SIGABRT, report_signal);
    signal(SIGSEGV, report_signal);
    g_test_log_set_fatal_handler(report_fatal, NULL);
    migration_fuzz_setup(device);
    seed = migration_fuzz_seed();
    replay_corpus();
    pool = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);

    for (uint64_t i = first; i < first + count; i++) {
        GRand *rand = g_rand_new_with_seed(i);
        GByteArray *input = g_byte_array_new();
        const GByteArray *base = seed;

        current_iteration = i;
        /* A quarter of the time, build on a mutant that was accepted. */
        if (pool->len && !g_rand_int_range(rand, 0, 4)) {
            base = g_ptr_array_index(pool, g_rand_int_range(rand, 0, pool->len));
        }
        g_byte_array_append(input, base->data, base->len);
        stream_mutate(input, seed, seed->len + 8192, rand);
        if (save && count == 1) {
            g_assert_true(g_file_set_contents(save, (char *)input->data, input->len, NULL));
        }
        alarm(HANG_SECONDS);
        if (migration_fuzz_run_one(input->data, input->len) && pool->len < POOL_SIZE) {
            g_ptr_array_add(pool, g_byte_array_ref(input));
        }
        alarm(0);
        g_byte_array_unref(input);
        g_rand_free(rand);
    }
    migration_fuzz_counts(&rejected, &accepted);
    g_printerr("# %s: %" PRIu64 " iterations from %" PRIu64 ": %" PRIu64 " rejected, %" PRIu64
               " accepted\n", (const char *)device, count, first, rejected, accepted);
    /* The mutator must get past the CRCs: some mutants are sound streams. */
    if (count >= 1000) {
        g_assert_cmpuint(accepted, >, 0);
        g_assert_cmpuint(rejected, >, count / 2);
    }
    g_ptr_array_unref(pool);
}

static void test_machine(gconstpointer device)
{
    g_autofree char *path = g_strdup_printf("%s/run", g_test_get_path());

    g_test_trap_subprocess(path, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT |
                           G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_data_func("/fuzz/migration-stream/mmio", "virtio-balloon-device",
                         test_machine);
    g_test_add_data_func("/fuzz/migration-stream/pci", "virtio-balloon-pci", test_machine);
    g_test_add_data_func("/fuzz/migration-stream/mmio/run", "virtio-balloon-device",
                         run_machine);
    g_test_add_data_func("/fuzz/migration-stream/pci/run", "virtio-balloon-pci",
                         run_machine);
    return g_test_run();
}
