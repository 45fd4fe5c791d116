/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RAM digests for tests (see ram-digest.h).  A range digest is the SHA-256
 * of the range's bytes; a block digest is the SHA-256 of its range digests
 * (binary, in order), so equal blocks have equal digests.  Meant for a
 * paused machine: with vCPUs running the figures are only a snapshot.
 */
#include "qemu/osdep.h"
#include "migration/ram-digest.h"
#include "exec/ramblock.h"
#include "qemu/host-pages.h"

#define RANGE_PAGES (RAM_DIGEST_RANGE_SIZE / TARGET_PAGE_SIZE)

static const uint8_t zero_page[TARGET_PAGE_SIZE];

static void block_digest_free(gpointer p)
{
    RAMBlockDigest *d = p;

    g_free(d->id);
    g_free(d->digest);
    g_ptr_array_unref(d->ranges);
    g_free(d);
}

/* SHA-256 of @npages pages at @host, reading only the @backed ones. */
static void range_digest(const uint8_t *host, uint64_t npages,
                         const unsigned long *backed, uint8_t *out)
{
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    gsize len = 32;

    for (uint64_t i = 0; i < npages; i++) {
        g_checksum_update(sum,
                          test_bit(i, backed) ? host + i * TARGET_PAGE_SIZE : zero_page,
                          TARGET_PAGE_SIZE);
    }
    g_checksum_get_digest(sum, out, &len);
    g_checksum_free(sum);
}

static char *hex(const uint8_t *bytes, gsize len)
{
    GString *s = g_string_sized_new(len * 2);

    for (gsize i = 0; i < len; i++) {
        g_string_append_printf(s, "%02x", bytes[i]);
    }
    return g_string_free(s, FALSE);
}

GPtrArray *ram_digest_compute(void)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func(block_digest_free);
    unsigned long backed[BITS_TO_LONGS(RANGE_PAGES)] = { 0 };
    uint8_t zero_range[32];

    /* Most ranges of a big idle guest were never backed: hash zeros once. */
    range_digest(zero_page, RANGE_PAGES, backed, zero_range);
    for (RAMBlock *rb = ram_list; rb; rb = rb->next) {
        RAMBlockDigest *d = g_new0(RAMBlockDigest, 1);
        GChecksum *block = g_checksum_new(G_CHECKSUM_SHA256);
        uint64_t npages = rb->used_length / TARGET_PAGE_SIZE;
        uint8_t digest[32];
        gsize len;

        d->id = g_strdup(rb->idstr);
        d->size = rb->used_length;
        d->ranges = g_ptr_array_new_with_free_func(g_free);
        for (uint64_t page = 0; page < npages; page += RANGE_PAGES) {
            uint64_t n = MIN(RANGE_PAGES, npages - page);
            const uint8_t *host = rb->host + page * TARGET_PAGE_SIZE;

            host_pages_backed(host, n, backed);
            if (n == RANGE_PAGES && bitmap_empty(backed, n)) {
                memcpy(digest, zero_range, sizeof(digest));
            } else {
                range_digest(host, n, backed, digest);
            }
            g_checksum_update(block, digest, sizeof(digest));
            g_ptr_array_add(d->ranges, hex(digest, sizeof(digest)));
        }
        len = sizeof(digest);
        g_checksum_get_digest(block, digest, &len);
        g_checksum_free(block);
        d->digest = hex(digest, sizeof(digest));
        g_ptr_array_add(blocks, d);
    }
    return blocks;
}
