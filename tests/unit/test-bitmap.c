/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bitmaps: every word-at-a-time operation is checked against a plain array of
 * booleans, and the atomic fold and counted clear are raced against a setter
 * thread, as the vCPU races the migration thread.
 */
#include "qemu/osdep.h"
#include "qemu/bitmap.h"

/* Not a multiple of 64, so the last word is partial. */
#define MODEL_BITS 333

static void check_against_model(const unsigned long *map, const bool *model, long nbits)
{
    long count = 0;

    for (long i = 0; i < nbits; i++) {
        g_assert_cmpint(test_bit(i, map), ==, model[i]);
        count += model[i];
    }
    g_assert_cmpint(bitmap_count_one(map, nbits), ==, count);
}

static void test_set_clear_ranges(void)
{
    unsigned long *map = bitmap_new(MODEL_BITS);
    bool model[MODEL_BITS] = { false };

    /* Ranges chosen to start, end and span word boundaries. */
    static const long ranges[][2] = {
        { 0, 1 },     { 63, 2 },   { 60, 8 },         { 64, 64 }, { 1, 200 },
        { 127, 130 }, { 320, 13 }, { 0, MODEL_BITS }, { 5, 0 },   { 192, 64 },
    };

    for (size_t r = 0; r < ARRAY_SIZE(ranges); r++) {
        long start = ranges[r][0], nr = ranges[r][1];

        bitmap_set(map, start, nr);
        for (long i = start; i < start + nr; i++) {
            model[i] = true;
        }
        check_against_model(map, model, MODEL_BITS);

        bitmap_clear(map, start + nr / 3, nr / 2);
        for (long i = start + nr / 3; i < start + nr / 3 + nr / 2; i++) {
            model[i] = false;
        }
        check_against_model(map, model, MODEL_BITS);
    }
    g_free(map);
}

static void test_random_ranges(void)
{
    unsigned long *map = bitmap_new(MODEL_BITS);
    bool model[MODEL_BITS] = { false };

    for (int round = 0; round < 2000; round++) {
        long start = g_test_rand_int_range(0, MODEL_BITS);
        long nr = g_test_rand_int_range(0, MODEL_BITS - start + 1);
        long expected_cleared = 0;

        switch (round % 4) {
        case 0:
            bitmap_set(map, start, nr);
            break;
        case 1:
            bitmap_set_atomic(map, start, nr);
            break;
        case 2:
            bitmap_clear(map, start, nr);
            break;
        case 3:
            for (long i = start; i < start + nr; i++) {
                expected_cleared += model[i];
            }
            g_assert_cmpint(bitmap_clear_count(map, start, nr), ==, expected_cleared);
            break;
        }
        for (long i = start; i < start + nr; i++) {
            model[i] = round % 4 < 2;
        }
        check_against_model(map, model, MODEL_BITS);

        /* Counting a random range and searching from a random offset. */
        long cstart = g_test_rand_int_range(0, MODEL_BITS);
        long cnr = g_test_rand_int_range(0, MODEL_BITS - cstart + 1);
        long expected = 0;
        for (long i = cstart; i < cstart + cnr; i++) {
            expected += model[i];
        }
        g_assert_cmpint(bitmap_count_one_range(map, cstart, cnr), ==, expected);

        unsigned long next_set = MODEL_BITS, next_zero = MODEL_BITS;
        for (long i = MODEL_BITS - 1; i >= cstart; i--) {
            if (model[i]) {
                next_set = i;
            } else {
                next_zero = i;
            }
        }
        g_assert_cmpuint(find_next_bit(map, MODEL_BITS, cstart), ==, next_set);
        g_assert_cmpuint(find_next_zero_bit(map, MODEL_BITS, cstart), ==, next_zero);
    }
    g_free(map);
}

static void test_find_edges(void)
{
    unsigned long map[3] = { 0, 0, 0 };
    const unsigned long size = 130;

    g_assert_cmpuint(find_first_bit(map, size), ==, size);
    g_assert_cmpuint(find_next_zero_bit(map, size, 0), ==, 0);

    /* Bits past @size in the last word must never be reported. */
    map[2] = ~0UL << 2;
    g_assert_cmpuint(find_next_bit(map, size, 0), ==, size);
    g_assert_cmpuint(find_next_bit(map, size, 129), ==, size);

    set_bit(129, map);
    g_assert_cmpuint(find_next_bit(map, size, 0), ==, 129);
    g_assert_cmpuint(find_next_bit(map, size, 129), ==, 129);
    g_assert_cmpuint(find_next_bit(map, size, 130), ==, size);
    g_assert_cmpuint(find_next_bit(map, size, 1000), ==, size);

    set_bit(63, map);
    set_bit(64, map);
    g_assert_cmpuint(find_next_bit(map, size, 0), ==, 63);
    g_assert_cmpuint(find_next_bit(map, size, 64), ==, 64);
    g_assert_cmpuint(find_next_bit(map, size, 65), ==, 129);

    /* All ones up to size: the zero search must stop at size, not at bit 130. */
    map[0] = map[1] = ~0UL;
    map[2] = 3;
    g_assert_cmpuint(find_next_zero_bit(map, size, 0), ==, size);
    clear_bit(0, map);
    g_assert_cmpuint(find_next_zero_bit(map, size, 0), ==, 0);
    g_assert_cmpuint(find_next_zero_bit(map, size, 1), ==, size);
    g_assert_cmpuint(find_next_zero_bit(map, 128, 1), ==, 128);
}

static void test_whole_map_ops(void)
{
    const long nbits = 200;
    unsigned long *a = bitmap_new(nbits);
    unsigned long *b = bitmap_new(nbits);
    unsigned long *c = bitmap_new(nbits);

    g_assert_true(bitmap_empty(a, nbits));
    g_assert_false(bitmap_full(a, nbits));
    bitmap_fill(a, nbits);
    g_assert_true(bitmap_full(a, nbits));
    g_assert_cmpint(bitmap_count_one(a, nbits), ==, nbits);
    /* fill leaves the bits past nbits clear: they must not count anywhere. */
    g_assert_cmpuint(a[3] >> (nbits % 64), ==, 0);

    bitmap_copy(b, a, nbits);
    g_assert_true(bitmap_equal(a, b, nbits));
    clear_bit(199, b);
    g_assert_false(bitmap_equal(a, b, nbits));
    g_assert_true(bitmap_equal(a, b, 199));

    bitmap_zero(c, nbits);
    bitmap_set(c, 60, 10);
    bitmap_andnot(b, a, c, nbits);
    g_assert_cmpint(bitmap_count_one(b, nbits), ==, nbits - 10);
    bitmap_and(b, a, c, nbits);
    g_assert_true(bitmap_equal(b, c, nbits));

    bitmap_zero(b, nbits);
    bitmap_set(b, 65, 3);
    g_assert_cmpint(bitmap_or_count(b, c, nbits), ==, 7);
    g_assert_cmpint(bitmap_count_one(b, nbits), ==, 10);
    g_assert_cmpint(bitmap_or_count(b, c, nbits), ==, 0);

    g_free(a);
    g_free(b);
    g_free(c);
}

static void test_xchg_fold_single(void)
{
    const long nbits = 150;
    unsigned long *src = bitmap_new(nbits);
    unsigned long *dst = bitmap_new(nbits);

    bitmap_set(src, 10, 100);
    bitmap_set(dst, 0, 20);
    g_assert_cmpint(bitmap_xchg_and_or_atomic(dst, src, nbits), ==, 90);
    g_assert_true(bitmap_empty(src, nbits));
    g_assert_cmpint(bitmap_count_one(dst, nbits), ==, 110);
    g_assert_cmpint(bitmap_xchg_and_or_atomic(dst, src, nbits), ==, 0);
    g_free(src);
    g_free(dst);
}

/* The race: one thread dirties every bit once; others fold or clear meanwhile. */
#define RACE_BITS (1L << 20)
/* Coprime with RACE_BITS, so i * STRIDE visits every bit once, all over the map. */
#define RACE_STRIDE 40503L

typedef struct RaceState {
    unsigned long *log;
    unsigned long *dst;
    int setter_done;
    long total;
    bool clear_mode;
} RaceState;

static gpointer race_setter(gpointer opaque)
{
    RaceState *s = opaque;

    for (long i = 0; i < RACE_BITS; i++) {
        set_bit_atomic((i * RACE_STRIDE) % RACE_BITS, s->log);
    }
    __atomic_store_n(&s->setter_done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static long race_pass(RaceState *s)
{
    if (s->clear_mode) {
        long chunk = g_test_rand_int_range(1, 5000);
        long sum = 0;
        for (long start = 0; start < RACE_BITS; start += chunk) {
            sum += bitmap_clear_count(s->log, start, MIN(chunk, RACE_BITS - start));
        }
        return sum;
    }
    return bitmap_xchg_and_or_atomic(s->dst, s->log, RACE_BITS);
}

static gpointer race_worker(gpointer opaque)
{
    RaceState *s = opaque;
    long sum = 0;

    while (!__atomic_load_n(&s->setter_done, __ATOMIC_SEQ_CST)) {
        sum += race_pass(s);
    }
    /* One more pass after the setter finished picks up its last bits. */
    sum += race_pass(s);
    __atomic_fetch_add(&s->total, sum, __ATOMIC_SEQ_CST);
    return NULL;
}

static void run_race(bool clear_mode)
{
    RaceState s = {
        .log = bitmap_new(RACE_BITS),
        .dst = bitmap_new(RACE_BITS),
        .clear_mode = clear_mode,
    };
    GThread *workers[2];
    GThread *setter;

    workers[0] = g_thread_new("worker0", race_worker, &s);
    workers[1] = g_thread_new("worker1", race_worker, &s);
    setter = g_thread_new("setter", race_setter, &s);
    g_thread_join(setter);
    g_thread_join(workers[0]);
    g_thread_join(workers[1]);

    /* Every bit was set exactly once, so it must be counted exactly once. */
    g_assert_cmpint(s.total, ==, RACE_BITS);
    g_assert_true(bitmap_empty(s.log, RACE_BITS));
    if (!clear_mode) {
        g_assert_true(bitmap_full(s.dst, RACE_BITS));
    }
    g_free(s.log);
    g_free(s.dst);
}

/* Several rounds: a lost update needs the threads to collide on one word. */
#define RACE_ROUNDS 10

static void test_race_fold(void)
{
    for (int round = 0; round < RACE_ROUNDS; round++) {
        run_race(false);
    }
}

static void test_race_clear_count(void)
{
    for (int round = 0; round < RACE_ROUNDS; round++) {
        run_race(true);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/bitmap/set-clear-ranges", test_set_clear_ranges);
    g_test_add_func("/bitmap/random-ranges", test_random_ranges);
    g_test_add_func("/bitmap/find-edges", test_find_edges);
    g_test_add_func("/bitmap/whole-map-ops", test_whole_map_ops);
    g_test_add_func("/bitmap/xchg-fold", test_xchg_fold_single);
    g_test_add_func("/bitmap/race-fold", test_race_fold);
    g_test_add_func("/bitmap/race-clear-count", test_race_clear_count);
    return g_test_run();
}
