/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stream walker and mutator for the migration stream fuzzers
 * (docs/devel/fuzzing.rst).  The walker follows the framing of
 * docs/devel/migration-stream.rst and docs/devel/migration/vmstate.rst
 * without checking any value, so it can locate fields (and fix CRCs) in
 * streams the loader would reject.
 */
#include "qemu/osdep.h"
#include <zlib.h>
#include "migration/stream.h"
#include "migration/vmstate.h"
#include "stream-mutate.h"

typedef struct Walker {
    uint8_t *data;
    size_t len, pos;
    bool fix_crcs;
    StreamLayout *layout;
} Walker;

static bool take(Walker *w, StreamFieldKind kind, size_t size, uint64_t *value)
{
    if (size > w->len - w->pos) {
        return false;
    }
    if (value) {
        *value = 0;
        for (size_t i = 0; i < size && i < 8; i++) {
            *value = *value << 8 | w->data[w->pos + i];
        }
    }
    if (w->layout) {
        StreamField field = { .kind = kind, .offset = w->pos, .size = size };

        g_array_append_val(w->layout->fields, field);
    }
    w->pos += size;
    return true;
}

static bool take_string(Walker *w)
{
    size_t start = w->pos;

    if (w->pos >= w->len || w->data[w->pos] > w->len - w->pos - 1) {
        return false;
    }
    w->pos += 1 + w->data[w->pos];
    if (w->layout) {
        StreamField field = { .kind = FIELD_STRING, .offset = start, .size = w->pos - start };

        g_array_append_val(w->layout->fields, field);
    }
    return true;
}

/* The CRC of the bytes from @start on, which the loader checks next. */
static bool take_crc(Walker *w, size_t start)
{
    size_t at = w->pos;

    if (!take(w, FIELD_CRC, 4, NULL)) {
        return false;
    }
    if (w->fix_crcs) {
        uint32_t crc = crc32(0, w->data + start, at - start);

        for (int i = 0; i < 4; i++) {
            w->data[at + i] = crc >> (24 - 8 * i);
        }
    }
    return true;
}

static bool walk_config(Walker *w, size_t start)
{
    uint64_t nblocks;

    if (!take_string(w) || !take(w, FIELD_COUNT, 4, NULL) ||
        !take(w, FIELD_COUNT, 2, &nblocks)) {
        return false;
    }
    for (uint64_t i = 0; i < nblocks; i++) {
        if (!take_string(w) || !take(w, FIELD_SIZE, 8, NULL)) {
            return false;
        }
    }
    return take_crc(w, start);
}

static bool walk_ram(Walker *w, size_t start)
{
    uint64_t kind;

    if (!take(w, FIELD_COUNT, 2, NULL)) {
        return false;
    }
    for (;;) {
        if (!take(w, FIELD_RECORD, 1, &kind)) {
            return false;
        }
        if (kind == RAM_ENTRY_END) {
            return take_crc(w, start);
        }
        if (!take(w, FIELD_PAGE, 8, NULL)) {
            return false;
        }
        if (kind == RAM_ENTRY_ZERO) {
            if (!take(w, FIELD_COUNT, 4, NULL)) {
                return false;
            }
        } else if (kind == RAM_ENTRY_NORMAL) {
            if (!take(w, FIELD_PAYLOAD, 4096, NULL)) {
                return false;
            }
        } else {
            return false;
        }
    }
}

static bool walk_devices(Walker *w)
{
    uint64_t marker, len;

    for (;;) {
        size_t start;

        if (!take(w, FIELD_RECORD, 1, &marker)) {
            return false;
        }
        if (marker == VMSTATE_MARKER_END) {
            return true;
        }
        if (marker != VMSTATE_MARKER_SECTION) {
            return false;
        }
        start = w->pos;
        if (w->layout && !w->layout->first_section) {
            w->layout->first_section = start;
        }
        if (!take_string(w) || !take(w, FIELD_ID, 4, NULL) || !take(w, FIELD_ID, 4, NULL) ||
            !take(w, FIELD_SIZE, 4, &len) || !take(w, FIELD_PAYLOAD, len, NULL) ||
            !take_crc(w, start)) {
            return false;
        }
    }
}

void stream_walk(uint8_t *data, size_t len, bool fix_crcs, StreamLayout *layout)
{
    Walker w = { .data = data, .len = len, .fix_crcs = fix_crcs, .layout = layout };
    uint64_t type;

    if (layout) {
        layout->fields = g_array_new(false, false, sizeof(StreamField));
        layout->first_section = 0;
    }
    if (!take(&w, FIELD_MAGIC, 4, NULL) || !take(&w, FIELD_MAGIC, 4, NULL)) {
        return;
    }
    for (;;) {
        size_t start = w.pos;
        bool ok;

        if (!take(&w, FIELD_RECORD, 1, &type)) {
            return;
        }
        switch (type) {
        case MIG_RECORD_CONFIG:
            ok = walk_config(&w, start);
            break;
        case MIG_RECORD_RAM:
            ok = walk_ram(&w, start);
            break;
        case MIG_RECORD_DEVICES:
            ok = walk_devices(&w);
            break;
        case MIG_RECORD_END:
            ok = take(&w, FIELD_MAGIC, 4, NULL) && take_crc(&w, start);
            break;
        default:
            ok = false;
        }
        if (!ok) {
            return;
        }
    }
}

void stream_layout_clear(StreamLayout *layout)
{
    g_array_free(layout->fields, true);
    layout->fields = NULL;
}

/* ---- mutations ---- */

static const uint64_t interesting[] = {
    0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff,
    0x80000000, 0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
    0xffffffffffffffffULL, 1023, 1024, 1025, 4096, 0xfffff000,
};

static uint64_t pick_value(GRand *rand, uint64_t old, size_t size)
{
    uint64_t v;

    switch (g_rand_int_range(rand, 0, 4)) {
    case 0:
        v = old + g_rand_int_range(rand, -2, 3);
        break;
    case 1:
        v = (uint64_t)g_rand_int(rand) << 32 | g_rand_int(rand);
        break;
    default:
        v = interesting[g_rand_int_range(rand, 0, G_N_ELEMENTS(interesting))];
        break;
    }
    return size >= 8 ? v : v & ((1ULL << (8 * size)) - 1);
}

static void put_be(uint8_t *p, size_t size, uint64_t v)
{
    for (size_t i = 0; i < size; i++) {
        p[i] = v >> (8 * (size - 1 - i));
    }
}

static uint64_t get_be(const uint8_t *p, size_t size)
{
    uint64_t v = 0;

    for (size_t i = 0; i < size; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

/* Replace [@offset, @offset + @old_len) with @len bytes of @with. */
static void replace(GByteArray *s, size_t offset, size_t old_len, const uint8_t *with,
                    size_t len)
{
    size_t tail = s->len - offset - old_len;

    if (len > old_len) {
        g_byte_array_set_size(s, s->len + len - old_len);
    }
    memmove(s->data + offset + len, s->data + offset + old_len, tail);
    memcpy(s->data + offset, with, len);
    g_byte_array_set_size(s, offset + len + tail);
}

/* A field of @kind (or any, if none of that kind), or NULL. */
static const StreamField *pick_field(GRand *rand, const StreamLayout *l, int kind)
{
    guint n = l->fields->len, start;

    if (!n) {
        return NULL;
    }
    start = g_rand_int_range(rand, 0, n);
    for (guint i = 0; kind >= 0 && i < n; i++) {
        const StreamField *f = &g_array_index(l->fields, StreamField, (start + i) % n);

        if (f->kind == (StreamFieldKind)kind) {
            return f;
        }
    }
    return &g_array_index(l->fields, StreamField, start);
}

static void mutate_field(GByteArray *s, const GByteArray *donor, GRand *rand,
                         const StreamField *f)
{
    uint8_t *p = s->data + f->offset;

    switch (f->kind) {
    case FIELD_STRING: {
        StreamLayout dl;
        const StreamField *other;

        if (g_rand_boolean(rand)) {
            /* Another name from the donor: a known section under the wrong header. */
            stream_walk(donor->data, donor->len, false, &dl);
            other = pick_field(rand, &dl, FIELD_STRING);
            if (other) {
                replace(s, f->offset, f->size, donor->data + other->offset, other->size);
            }
            stream_layout_clear(&dl);
        } else if (g_rand_boolean(rand)) {
            p[0] = pick_value(rand, p[0], 1);       /* the length: shifts the parse */
        } else if (f->size > 1) {
            p[g_rand_int_range(rand, 1, f->size)] = g_rand_int_range(rand, 0, 256);
        }
        break;
    }
    case FIELD_PAYLOAD:
        if (f->size >= 8 && g_rand_boolean(rand)) {
            size_t size = 1 << g_rand_int_range(rand, 0, 4);
            size_t at = g_rand_int_range(rand, 0, f->size / size) * size;

            put_be(p + at, size, pick_value(rand, get_be(p + at, size), size));
        } else if (f->size) {
            p[g_rand_int_range(rand, 0, f->size)] ^= 1 << g_rand_int_range(rand, 0, 8);
        }
        break;
    default:
        if (f->size <= 8) {
            put_be(p, f->size, pick_value(rand, get_be(p, f->size), f->size));
        }
        break;
    }
}

static void mutate_bytes(GByteArray *s, const GByteArray *donor, GRand *rand)
{
    size_t at = s->len ? g_rand_int_range(rand, 0, s->len) : 0;
    size_t n = g_rand_int_range(rand, 1, 5000), from;

    switch (g_rand_int_range(rand, 0, 6)) {
    case 0:
        if (s->len) {
            s->data[at] ^= 1 << g_rand_int_range(rand, 0, 8);
        }
        break;
    case 1:
        if (s->len) {
            s->data[at] = pick_value(rand, s->data[at], 1);
        }
        break;
    case 2:
        g_byte_array_set_size(s, at);       /* truncate */
        break;
    case 3:
        g_byte_array_remove_range(s, at, MIN(s->len - at, n % 64));
        break;
    default:
        /* Splice a piece of the donor in, over or between what is there. */
        if (!donor->len) {
            break;
        }
        from = g_rand_int_range(rand, 0, donor->len);
        n = MIN(donor->len - from, n);
        replace(s, at, g_rand_boolean(rand) ? MIN(n, s->len - at) : 0, donor->data + from,
                n);
        break;
    }
}

void stream_mutate(GByteArray *stream, const GByteArray *donor, size_t max_len,
                   GRand *rand)
{
    int rounds = g_rand_int_range(rand, 1, 5);

    for (int i = 0; i < rounds; i++) {
        StreamLayout layout;
        const StreamField *f;

        stream_walk(stream->data, stream->len, false, &layout);
        f = pick_field(rand, &layout, g_rand_int_range(rand, -1, FIELD_CRC + 1));
        if (f && g_rand_int_range(rand, 0, 4)) {
            mutate_field(stream, donor, rand, f);
        } else {
            mutate_bytes(stream, donor, rand);
        }
        stream_layout_clear(&layout);
    }
    if (stream->len > max_len) {
        g_byte_array_set_size(stream, max_len);
    }
    if (g_rand_int_range(rand, 0, 16)) {
        stream_walk(stream->data, stream->len, true, NULL);
    }
}
