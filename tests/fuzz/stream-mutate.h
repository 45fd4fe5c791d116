/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A structure-aware mutator for migration streams
 * (docs/devel/migration-stream.rst): it knows where the records, RAM
 * entries and device sections are, mutates one of their fields or the raw
 * bytes, and can recompute every CRC so that a mutation reaches the parser
 * behind the checksum instead of stopping at it.
 */
#ifndef TESTS_FUZZ_STREAM_MUTATE_H
#define TESTS_FUZZ_STREAM_MUTATE_H

#include "qemu/osdep.h"

/* What a located field of a stream is. */
typedef enum StreamFieldKind {
    FIELD_MAGIC,        /* header magic or version, end magic */
    FIELD_RECORD,       /* record type byte, section marker, RAM entry kind */
    FIELD_STRING,       /* counted string: length byte and text */
    FIELD_COUNT,        /* vCPU count, block count, block index, page count */
    FIELD_SIZE,         /* RAM block size, section length */
    FIELD_PAGE,         /* RAM entry page index */
    FIELD_ID,           /* section instance id or version */
    FIELD_PAYLOAD,      /* section contents or page contents */
    FIELD_CRC,
} StreamFieldKind;

typedef struct StreamField {
    StreamFieldKind kind;
    uint32_t offset;
    uint32_t size;
} StreamField;

typedef struct StreamLayout {
    GArray *fields;             /* StreamField, in stream order */
    /* Offset of the first device section's name, or 0 if none was reached. */
    uint32_t first_section;
} StreamLayout;

/*
 * Walk @data as the loader frames it, as far as it can be framed, recording
 * its fields in @layout (may be NULL); with @fix_crcs, rewrite every CRC to
 * match the bytes it covers.
 */
void stream_walk(uint8_t *data, size_t len, bool fix_crcs, StreamLayout *layout);
void stream_layout_clear(StreamLayout *layout);

/*
 * Apply 1 to 4 random mutations to @stream, drawn from @rand; @donor
 * (another valid stream) is where splices come from.  Keeps the stream at
 * most @max_len bytes.  Most of the time the CRCs are fixed afterwards.
 */
void stream_mutate(GByteArray *stream, const GByteArray *donor, size_t max_len,
                   GRand *rand);

#endif
