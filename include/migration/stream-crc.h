/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The migration stream's CRC-32: zlib's crc32() (IEEE 802.3 polynomial,
 * reflected, pre- and post-inverted), computed with carry-less multiply
 * where the host has it.  Same value as zlib for every input.
 */
#ifndef MIGRATION_STREAM_CRC_H
#define MIGRATION_STREAM_CRC_H

#include <stddef.h>
#include <stdint.h>

/* Extend @crc (0 to start, as zlib's crc32(0, NULL, 0)) over @len bytes at @buf. */
uint32_t stream_crc32(uint32_t crc, const void *buf, size_t len);

#endif
