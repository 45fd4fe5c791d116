/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device state descriptions: a table with every field kind survives a round
 * trip; versions outside what a description reads are refused; and the
 * section loader rejects unknown, missing, corrupted and truncated sections
 * with an error naming the section while leaving every device untouched.
 */
#include "qemu/osdep.h"
#include "qemu/bitmap.h"
#include "migration/vmstate.h"

#define MAP_BITS 200

typedef struct Inner {
    uint16_t a;
    uint32_t b[3];
    int post_loads;
} Inner;

typedef struct TestState {
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    int32_t i32;
    int64_t i64;
    bool flag;
    uint8_t bytes[5];
    uint16_t arr16[3];
    uint32_t arr32[4];
    uint64_t arr64[2];
    bool bools[2];
    Inner one;
    Inner many[2];
    unsigned long *map;
    uint64_t map_bits;
    uint32_t since_v2;
    /* Not migrated: */
    int pre_saves, post_saves, post_loads;
    bool fail_post_load;
    int *post_load_log;         /* records the order of post_loads across sections */
} TestState;

static bool inner_post_load(void *opaque, int version_id, Error **errp)
{
    ((Inner *)opaque)->post_loads++;
    return true;
}

static const VMStateDescription vmstate_inner = {
    .name = "inner",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = inner_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_UINT16(a, Inner),
        VMSTATE_UINT32_ARRAY(b, Inner, 3),
        VMSTATE_END_OF_LIST(),
    },
};

static int post_load_sequence;

static bool test_pre_save(void *opaque, Error **errp)
{
    ((TestState *)opaque)->pre_saves++;
    return true;
}

static void test_post_save(void *opaque)
{
    ((TestState *)opaque)->post_saves++;
}

static bool test_post_load(void *opaque, int version_id, Error **errp)
{
    TestState *s = opaque;

    if (s->fail_post_load) {
        error_setg(errp, "u8 out of range");
        return false;
    }
    s->post_loads++;
    if (s->post_load_log) {
        *s->post_load_log = ++post_load_sequence;
    }
    return true;
}

#define TEST_FIELDS                                         \
    VMSTATE_UINT8(u8, TestState),                           \
    VMSTATE_UINT16(u16, TestState),                         \
    VMSTATE_UINT32(u32, TestState),                         \
    VMSTATE_UINT64(u64, TestState),                         \
    VMSTATE_INT32(i32, TestState),                          \
    VMSTATE_INT64(i64, TestState),                          \
    VMSTATE_BUFFER(bytes, TestState),                       \
    VMSTATE_UINT16_ARRAY(arr16, TestState, 3),              \
    VMSTATE_UINT32_ARRAY(arr32, TestState, 4),              \
    VMSTATE_UINT64_ARRAY(arr64, TestState, 2),              \
    VMSTATE_BOOL_ARRAY(bools, TestState, 2),                \
    VMSTATE_STRUCT(one, TestState, 0, vmstate_inner, Inner), \
    VMSTATE_STRUCT_ARRAY(many, TestState, 2, 0, vmstate_inner, Inner), \
    VMSTATE_BITMAP(map, TestState, map_bits),               \
    VMSTATE_UINT32_V(since_v2, TestState, 2)

static const VMStateDescription vmstate_test = {
    .name = "test",
    .version_id = 2,
    .minimum_version_id = 1,
    .pre_save = test_pre_save,
    .post_save = test_post_save,
    .post_load = test_post_load,
    .fields = (const VMStateField[]){
        TEST_FIELDS,
        VMSTATE_BOOL(flag, TestState),
        VMSTATE_END_OF_LIST(),
    },
};

/* Same layout, but 'flag' travels as a uint8_t: lets a test send a bad bool. */
typedef struct RawFlag {
    TestState s;
    uint8_t raw_flag;
} RawFlag;

static const VMStateDescription vmstate_test_raw_flag = {
    .name = "test",
    .version_id = 2,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        TEST_FIELDS,
        VMSTATE_UINT8(raw_flag, RawFlag),
        VMSTATE_END_OF_LIST(),
    },
};

typedef struct Clock {
    int64_t now;
    int post_load_order;
} Clock;

static bool clock_post_load(void *opaque, int version_id, Error **errp)
{
    ((Clock *)opaque)->post_load_order = ++post_load_sequence;
    return true;
}

static const VMStateDescription vmstate_clock = {
    .name = "clock",
    .version_id = 1,
    .minimum_version_id = 1,
    .priority = MIG_PRI_CLOCK,
    .post_load = clock_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_INT64(now, Clock),
        VMSTATE_END_OF_LIST(),
    },
};

static void test_state_init(TestState *s, unsigned seed)
{
    memset(s, 0, sizeof(*s));
    s->map_bits = MAP_BITS;
    s->map = bitmap_new(MAP_BITS);
    if (!seed) {
        return;
    }
    s->u8 = 0x80 + seed;
    s->u16 = 0xbee0 + seed;
    s->u32 = 0xdeadbe00 + seed;
    s->u64 = 0x0123456789abcd00ULL + seed;
    s->i32 = -12345 - seed;
    s->i64 = INT64_MIN + seed;
    s->flag = true;
    for (int i = 0; i < 5; i++) {
        s->bytes[i] = seed * 10 + i;
    }
    for (int i = 0; i < 3; i++) {
        s->arr16[i] = 0x1000 * i + seed;
    }
    for (int i = 0; i < 4; i++) {
        s->arr32[i] = 0x10000000u * i + seed;
    }
    s->arr64[0] = UINT64_MAX - seed;
    s->arr64[1] = seed;
    s->bools[1] = true;
    s->one = (Inner){ .a = 7 + seed, .b = { 1, 2, 3 + seed } };
    s->many[0] = (Inner){ .a = 8, .b = { 4, 5, 6 } };
    s->many[1] = (Inner){ .a = 9 + seed, .b = { 7, 8, 9 } };
    bitmap_set(s->map, 3, 5);
    bitmap_set(s->map, 63, 3);
    bitmap_set(s->map, MAP_BITS - 1, 1);
    s->since_v2 = 0xc0ffee00 + seed;
}

static void test_state_destroy(TestState *s)
{
    g_free(s->map);
}

static void assert_migrated_equal(const TestState *a, const TestState *b)
{
    g_assert_cmpuint(a->u8, ==, b->u8);
    g_assert_cmpuint(a->u16, ==, b->u16);
    g_assert_cmpuint(a->u32, ==, b->u32);
    g_assert_cmpuint(a->u64, ==, b->u64);
    g_assert_cmpint(a->i32, ==, b->i32);
    g_assert_cmpint(a->i64, ==, b->i64);
    g_assert_cmpint(a->flag, ==, b->flag);
    g_assert_cmpmem(a->bytes, sizeof(a->bytes), b->bytes, sizeof(b->bytes));
    g_assert_cmpmem(a->arr16, sizeof(a->arr16), b->arr16, sizeof(b->arr16));
    g_assert_cmpmem(a->arr32, sizeof(a->arr32), b->arr32, sizeof(b->arr32));
    g_assert_cmpmem(a->arr64, sizeof(a->arr64), b->arr64, sizeof(b->arr64));
    g_assert_cmpint(a->bools[0], ==, b->bools[0]);
    g_assert_cmpint(a->bools[1], ==, b->bools[1]);
    g_assert_cmpuint(a->one.a, ==, b->one.a);
    g_assert_cmpmem(a->one.b, sizeof(a->one.b), b->one.b, sizeof(b->one.b));
    for (int i = 0; i < 2; i++) {
        g_assert_cmpuint(a->many[i].a, ==, b->many[i].a);
        g_assert_cmpmem(a->many[i].b, sizeof(a->many[i].b), b->many[i].b,
                        sizeof(b->many[i].b));
    }
    g_assert_true(bitmap_equal(a->map, b->map, MAP_BITS));
    g_assert_cmpuint(a->since_v2, ==, b->since_v2);
}

static void test_round_trip(void)
{
    TestState src, dst;
    QEMUFile *out = qemu_file_new_mem_output(), *in;
    const uint8_t *data;
    Error *err = NULL;
    size_t len;

    test_state_init(&src, 1);
    test_state_init(&dst, 0);
    g_assert_true(vmstate_save_state(out, &vmstate_test, &src, &error_abort));
    g_assert_cmpint(src.pre_saves, ==, 1);
    g_assert_cmpint(src.post_saves, ==, 1);
    data = qemu_file_mem_data(out, &len);
    g_assert_cmpuint(len, ==, vmstate_size(&vmstate_test, &src, 2));

    in = qemu_file_new_mem_input(data, len);
    g_assert_true(vmstate_load_state(in, &vmstate_test, &dst, 2, &err));
    g_assert_null(err);
    g_assert_cmpint(qemu_file_get_error(in), ==, 0);
    assert_migrated_equal(&src, &dst);
    g_assert_cmpint(dst.post_loads, ==, 1);
    g_assert_cmpint(dst.one.post_loads, ==, 1);
    g_assert_cmpint(dst.many[1].post_loads, ==, 1);
    /* Not described, so not migrated. */
    g_assert_cmpint(dst.pre_saves, ==, 0);
    qemu_fclose(in);
    qemu_fclose(out);
    test_state_destroy(&src);
    test_state_destroy(&dst);
}

static void test_versions(void)
{
    TestState src, dst;
    QEMUFile *out = qemu_file_new_mem_output(), *in;
    const uint8_t *data;
    Error *err = NULL;
    size_t len;

    test_state_init(&src, 2);
    test_state_init(&dst, 0);
    vmstate_save_state(out, &vmstate_test, &src, &error_abort);
    data = qemu_file_mem_data(out, &len);

    in = qemu_file_new_mem_input(data, len);
    g_assert_false(vmstate_load_state(in, &vmstate_test, &dst, 3, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "'test': version 3 is newer"));
    g_clear_pointer(&err, error_free);
    g_assert_false(vmstate_load_state(in, &vmstate_test, &dst, 0, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "'test': version 0 is older"));
    g_clear_pointer(&err, error_free);
    g_assert_cmpuint(dst.u32, ==, 0);
    qemu_fclose(in);

    /* A version 1 stream lacks since_v2, which keeps the destination's value. */
    g_assert_cmpuint(vmstate_size(&vmstate_test, &src, 1), ==,
                     vmstate_size(&vmstate_test, &src, 2) - 4);
    qemu_fclose(out);
    out = qemu_file_new_mem_output();
    /* Write the v1 layout: everything but since_v2, as an older build would. */
    {
        VMStateDescription v1 = vmstate_test;
        v1.version_id = 1;
        v1.pre_save = NULL;
        v1.post_save = NULL;
        vmstate_save_state(out, &v1, &src, &error_abort);
    }
    data = qemu_file_mem_data(out, &len);
    g_assert_cmpuint(len, ==, vmstate_size(&vmstate_test, &src, 1));
    dst.since_v2 = 42;
    in = qemu_file_new_mem_input(data, len);
    g_assert_true(vmstate_load_state(in, &vmstate_test, &dst, 1, &error_abort));
    g_assert_cmpuint(dst.u64, ==, src.u64);
    g_assert_cmpint(dst.flag, ==, src.flag);
    g_assert_cmpuint(dst.since_v2, ==, 42);
    qemu_fclose(in);
    qemu_fclose(out);
    test_state_destroy(&src);
    test_state_destroy(&dst);
}

/* A source machine: two "test" instances and a clock, registered in that order. */
typedef struct Machine {
    TestState t[2];
    Clock clock;
    int t1_post_load_order;
} Machine;

static void machine_init(Machine *m, unsigned seed, bool with_second, bool with_clock)
{
    memset(m, 0, sizeof(*m));
    test_state_init(&m->t[0], seed);
    test_state_init(&m->t[1], seed ? seed + 1 : 0);
    m->t[1].post_load_log = &m->t1_post_load_order;
    g_assert_cmpint(vmstate_register(&vmstate_test, VMSTATE_INSTANCE_ID_ANY, &m->t[0]),
                    ==, 0);
    if (with_second) {
        g_assert_cmpint(vmstate_register(&vmstate_test, 1, &m->t[1]), ==, 1);
    }
    if (with_clock) {
        m->clock.now = seed ? 123456789 : 0;
        vmstate_register(&vmstate_clock, 0, &m->clock);
    }
}

static void machine_destroy(Machine *m)
{
    vmstate_unregister(&vmstate_test, &m->t[0]);
    vmstate_unregister(&vmstate_test, &m->t[1]);
    vmstate_unregister(&vmstate_clock, &m->clock);
    test_state_destroy(&m->t[0]);
    test_state_destroy(&m->t[1]);
}

/* Save a whole source machine, unregistered afterwards, as a byte array. */
static GByteArray *save_machine(bool with_second, bool with_clock)
{
    QEMUFile *out = qemu_file_new_mem_output();
    GByteArray *stream = g_byte_array_new();
    const uint8_t *data;
    Machine src;
    size_t len;

    machine_init(&src, 5, with_second, with_clock);
    g_assert_true(qemu_savevm_state_devices(out, &error_abort));
    data = qemu_file_mem_data(out, &len);
    g_byte_array_append(stream, data, len);
    qemu_fclose(out);
    machine_destroy(&src);
    return stream;
}

/* Load @stream into what is registered; returns the error message or NULL. */
static char *load_machine(GByteArray *stream)
{
    QEMUFile *in = qemu_file_new_mem_input(stream->data, stream->len);
    Error *err = NULL;
    char *msg = NULL;

    if (!qemu_loadvm_state_devices(in, &err)) {
        msg = g_strdup(error_get_pretty(err));
        error_free(err);
    }
    qemu_fclose(in);
    return msg;
}

static void assert_untouched(Machine *m)
{
    TestState fresh;

    test_state_init(&fresh, 0);
    for (int i = 0; i < 2; i++) {
        assert_migrated_equal(&m->t[i], &fresh);
        g_assert_cmpint(m->t[i].post_loads, ==, 0);
    }
    g_assert_cmpint(m->clock.now, ==, 0);
    test_state_destroy(&fresh);
}

static void test_sections_round_trip(void)
{
    g_autoptr(GByteArray) stream = save_machine(true, true);
    Machine dst, expect;
    char *msg;

    machine_init(&dst, 0, true, true);
    post_load_sequence = 0;
    msg = load_machine(stream);
    g_assert_null(msg);
    test_state_init(&expect.t[0], 5);
    test_state_init(&expect.t[1], 6);
    assert_migrated_equal(&dst.t[0], &expect.t[0]);
    assert_migrated_equal(&dst.t[1], &expect.t[1]);
    g_assert_cmpint(dst.clock.now, ==, 123456789);
    /* The clock was registered last but its post_load runs first. */
    g_assert_cmpint(dst.clock.post_load_order, ==, 1);
    g_assert_cmpint(dst.t1_post_load_order, ==, 2);
    test_state_destroy(&expect.t[0]);
    test_state_destroy(&expect.t[1]);
    machine_destroy(&dst);
}

static void test_unknown_section(void)
{
    g_autoptr(GByteArray) stream = save_machine(true, false);
    g_autofree char *msg = NULL;
    Machine dst;

    machine_init(&dst, 0, false, false);
    msg = load_machine(stream);
    g_assert_nonnull(msg);
    g_assert_nonnull(strstr(msg, "Unknown savevm section or instance 'test' 1"));
    /* Instance 0 came first in the stream, yet nothing was applied. */
    assert_untouched(&dst);
    machine_destroy(&dst);
}

static void test_missing_section(void)
{
    g_autoptr(GByteArray) stream = save_machine(false, false);
    g_autofree char *msg = NULL;
    Machine dst;

    machine_init(&dst, 0, false, true);
    msg = load_machine(stream);
    g_assert_cmpstr(msg, ==, "section 'clock' instance 0 is missing from the stream: the "
                    "source machine does not have this device");
    assert_untouched(&dst);
    machine_destroy(&dst);
}

static void test_corrupt_bytes(void)
{
    g_autoptr(GByteArray) stream = save_machine(true, true);
    Machine dst;

    machine_init(&dst, 0, true, true);
    /* Every single-byte corruption is an error, and nothing is applied. */
    for (guint i = 0; i < stream->len; i++) {
        g_autofree char *msg = NULL;

        stream->data[i] ^= 0x41;
        msg = load_machine(stream);
        stream->data[i] ^= 0x41;
        g_assert_nonnull(msg);
        assert_untouched(&dst);
    }
    machine_destroy(&dst);
}

static void test_corrupt_payload_message(void)
{
    g_autoptr(GByteArray) stream = save_machine(false, false);
    g_autofree char *msg = NULL;
    Machine dst;

    /* marker, "test" (5), instance, version, length: payload starts at 18. */
    stream->data[18 + 3] ^= 1;
    machine_init(&dst, 0, false, false);
    msg = load_machine(stream);
    g_assert_cmpstr(msg, ==, "section 'test' instance 0: checksum mismatch (corrupted "
                    "stream)");
    assert_untouched(&dst);
    machine_destroy(&dst);
}

static void test_truncated(void)
{
    g_autoptr(GByteArray) stream = save_machine(true, true);
    Machine dst;

    machine_init(&dst, 0, true, true);
    for (guint len = 0; len < stream->len; len++) {
        /*
         * A copy, not the stream shrunk in place: with G_DEBUG=gc-friendly
         * (the sanitizer run) GLib clears the bytes a shrink drops.
         */
        g_autoptr(GByteArray) prefix = g_byte_array_sized_new(len);
        g_autofree char *msg = NULL;

        g_byte_array_append(prefix, stream->data, len);
        msg = load_machine(prefix);
        g_assert_nonnull(msg);
        g_assert_nonnull(strstr(msg, "truncated"));
        assert_untouched(&dst);
    }
    machine_destroy(&dst);
}

static void test_bad_bool_nothing_applied(void)
{
    QEMUFile *out = qemu_file_new_mem_output(), *in;
    g_autofree char *msg = NULL;
    const uint8_t *data;
    Error *err = NULL;
    Clock clock = { .now = 99 };
    RawFlag raw;
    Machine dst;
    size_t len;

    /* A sound clock section first, then a "test" section whose bool holds 2. */
    vmstate_register(&vmstate_clock, 0, &clock);
    test_state_init(&raw.s, 3);
    raw.raw_flag = 2;
    vmstate_register(&vmstate_test_raw_flag, 0, &raw);
    qemu_savevm_state_devices(out, &error_abort);
    vmstate_unregister(&vmstate_clock, &clock);
    vmstate_unregister(&vmstate_test_raw_flag, &raw);
    test_state_destroy(&raw.s);

    machine_init(&dst, 0, false, true);
    data = qemu_file_mem_data(out, &len);
    in = qemu_file_new_mem_input(data, len);
    g_assert_false(qemu_loadvm_state_devices(in, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "section 'test' instance 0: 'test': field 'flag' holds 2, which is "
                    "not a boolean");
    error_free(err);
    assert_untouched(&dst);
    qemu_fclose(in);
    qemu_fclose(out);
    machine_destroy(&dst);
}

static void test_bitmap_size_mismatch(void)
{
    g_autoptr(GByteArray) stream = save_machine(false, false);
    g_autofree char *msg = NULL;
    Machine dst;

    machine_init(&dst, 0, false, false);
    /* A machine with a smaller bitmap expects fewer bytes: the length differs. */
    dst.t[0].map_bits = 64;
    msg = load_machine(stream);
    g_assert_nonnull(strstr(msg, "section 'test' instance 0:"));
    g_assert_nonnull(strstr(msg, "a different machine"));
    dst.t[0].map_bits = MAP_BITS;
    assert_untouched(&dst);
    machine_destroy(&dst);
}

static void test_post_load_failure(void)
{
    g_autoptr(GByteArray) stream = save_machine(false, false);
    g_autofree char *msg = NULL;
    Machine dst;

    machine_init(&dst, 0, false, false);
    dst.t[0].fail_post_load = true;
    msg = load_machine(stream);
    g_assert_cmpstr(msg, ==, "section 'test' instance 0: u8 out of range");
    machine_destroy(&dst);
}

static void test_trailing_garbage_marker(void)
{
    g_autoptr(GByteArray) stream = save_machine(false, false);
    g_autofree char *msg = NULL;
    Machine dst;

    /* Replace the end marker by a byte that starts nothing. */
    stream->data[stream->len - 1] = 0x77;
    machine_init(&dst, 0, false, false);
    msg = load_machine(stream);
    g_assert_cmpstr(msg, ==, "unexpected byte 0x77 where a device section should start");
    assert_untouched(&dst);
    machine_destroy(&dst);
}

typedef struct Queues {
    Inner *q[3];
} Queues;

static const VMStateDescription vmstate_queues = {
    .name = "queues",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        VMSTATE_STRUCT_PTR_ARRAY(q, Queues, 3, 0, vmstate_inner, Inner),
        VMSTATE_END_OF_LIST(),
    },
};

static void test_struct_ptr_array(void)
{
    Inner a = { .a = 1, .b = { 2, 3, 4 } }, c = { .a = 5 }, a2 = { 0 }, c2 = { 0 };
    Queues src = { { &a, NULL, &c } }, dst = { { &a2, NULL, &c2 } };
    Queues other = { { &a2, &c2, NULL } };
    QEMUFile *out = qemu_file_new_mem_output(), *in;
    const uint8_t *data;
    Error *err = NULL;
    size_t len;

    g_assert_true(vmstate_save_state(out, &vmstate_queues, &src, &error_abort));
    data = qemu_file_mem_data(out, &len);
    g_assert_cmpuint(len, ==, vmstate_size(&vmstate_queues, &src, 1));
    in = qemu_file_new_mem_input(data, len);
    g_assert_true(vmstate_load_state(in, &vmstate_queues, &dst, 1, &error_abort));
    qemu_fclose(in);
    g_assert_cmpuint(a2.a, ==, 1);
    g_assert_cmpuint(a2.b[2], ==, 4);
    g_assert_cmpuint(c2.a, ==, 5);
    g_assert_cmpint(c2.post_loads, ==, 1);

    /* A destination whose second queue exists and third does not. */
    in = qemu_file_new_mem_input(data, len);
    g_assert_false(vmstate_load_state(in, &vmstate_queues, &other, 1, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "'queues': q[1] is absent in the stream but present here");
    error_free(err);
    qemu_fclose(in);
    qemu_fclose(out);
}

typedef struct TimerState {
    QEMUTimer timer;
} TimerState;

static const VMStateDescription vmstate_timer_state = {
    .name = "timer-state",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        VMSTATE_TIMER(timer, TimerState),
        VMSTATE_END_OF_LIST(),
    },
};

static void never_fires(void *opaque)
{
    g_assert_not_reached();
}

/* Saves @src and loads it into @dst. */
static void timer_round_trip(TimerState *src, TimerState *dst)
{
    QEMUFile *out = qemu_file_new_mem_output(), *in;
    const uint8_t *data;
    size_t len;

    vmstate_save_state(out, &vmstate_timer_state, src, &error_abort);
    data = qemu_file_mem_data(out, &len);
    g_assert_cmpuint(len, ==, 8);
    in = qemu_file_new_mem_input(data, len);
    vmstate_load_state(in, &vmstate_timer_state, dst, 1, &error_abort);
    qemu_fclose(in);
    qemu_fclose(out);
}

static void test_timer_field(void)
{
    TimerState src, dst;
    int64_t far = INT64_MAX / 2;

    /* Far in the future of a manual clock: nothing fires during the test. */
    qemu_clock_virtual_set_manual(true);
    timer_init_ns(&src.timer, QEMU_CLOCK_VIRTUAL, never_fires, NULL);
    timer_init_ns(&dst.timer, QEMU_CLOCK_VIRTUAL, never_fires, NULL);
    timer_mod(&src.timer, far);
    timer_round_trip(&src, &dst);
    g_assert_true(timer_pending(&dst.timer));
    g_assert_cmpint(dst.timer.expire_time, ==, far);

    /* A stopped timer stops the destination's. */
    timer_del(&src.timer);
    timer_round_trip(&src, &dst);
    g_assert_false(timer_pending(&dst.timer));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vmstate/round-trip", test_round_trip);
    g_test_add_func("/vmstate/versions", test_versions);
    g_test_add_func("/vmstate/timer", test_timer_field);
    g_test_add_func("/vmstate/struct-ptr-array", test_struct_ptr_array);
    g_test_add_func("/vmstate/sections/round-trip", test_sections_round_trip);
    g_test_add_func("/vmstate/sections/unknown", test_unknown_section);
    g_test_add_func("/vmstate/sections/missing", test_missing_section);
    g_test_add_func("/vmstate/sections/corrupt-bytes", test_corrupt_bytes);
    g_test_add_func("/vmstate/sections/corrupt-payload", test_corrupt_payload_message);
    g_test_add_func("/vmstate/sections/truncated", test_truncated);
    g_test_add_func("/vmstate/sections/bad-bool", test_bad_bool_nothing_applied);
    g_test_add_func("/vmstate/sections/bitmap-size", test_bitmap_size_mismatch);
    g_test_add_func("/vmstate/sections/post-load-failure", test_post_load_failure);
    g_test_add_func("/vmstate/sections/bad-marker", test_trailing_garbage_marker);
    return g_test_run();
}
