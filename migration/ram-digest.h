/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x-query-ram-digest: a SHA-256 per 2 MiB range of every RAM block, and one
 * per block (over its range digests), so tests compare two paused machines
 * page range by page range.  Pages the host never backed count as zero and
 * are not read.
 */
#ifndef MIGRATION_RAM_DIGEST_H
#define MIGRATION_RAM_DIGEST_H

#include "qemu/osdep.h"

#define RAM_DIGEST_RANGE_SIZE (2 * MiB)

typedef struct RAMBlockDigest {
    char *id;
    uint64_t size;
    char *digest;      /* hex */
    GPtrArray *ranges; /* hex strings, one per RAM_DIGEST_RANGE_SIZE */
} RAMBlockDigest;

/* One RAMBlockDigest per RAM block, in ram_list order; free with g_ptr_array_unref. */
GPtrArray *ram_digest_compute(void);

#endif
