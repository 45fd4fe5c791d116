/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bitmaps of unsigned longs.  Migration keeps its dirty pages in these: the
 * vCPU sets bits with the atomic calls, bitmap_sync folds with
 * bitmap_xchg_and_or_atomic, and hint/sender threads clear under a lock.
 */
#ifndef QEMU_BITMAP_H
#define QEMU_BITMAP_H

#include "qemu/bitops.h"

unsigned long *bitmap_new(long nbits);
void bitmap_zero(unsigned long *map, long nbits);
void bitmap_fill(unsigned long *map, long nbits);
bool bitmap_empty(const unsigned long *map, long nbits);
bool bitmap_full(const unsigned long *map, long nbits);
bool bitmap_equal(const unsigned long *a, const unsigned long *b, long nbits);
void bitmap_copy(unsigned long *dst, const unsigned long *src, long nbits);
/* Number of set bits in [0, nbits). */
long bitmap_count_one(const unsigned long *map, long nbits);
/* Number of set bits in [start, start + nr). */
long bitmap_count_one_range(const unsigned long *map, long start, long nr);
void bitmap_set(unsigned long *map, long start, long nr);
void bitmap_clear(unsigned long *map, long start, long nr);
/* Atomically set [start, start + nr). */
void bitmap_set_atomic(unsigned long *map, long start, long nr);
/*
 * Atomically clear [start, start + nr) and return how many of those bits were
 * set, so a caller can keep a dirty-page counter exact.
 */
long bitmap_clear_count(unsigned long *map, long start, long nr);
/* dst |= src; returns the number of bits newly set in dst. */
long bitmap_or_count(unsigned long *dst, const unsigned long *src, long nbits);
/*
 * Atomically take every word of @src (leaving it zero) and OR it into @dst:
 * the dirty-log fold.  Returns the number of bits newly set in @dst.
 */
long bitmap_xchg_and_or_atomic(unsigned long *dst, unsigned long *src, long nbits);
void bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b,
                long nbits);
void bitmap_andnot(unsigned long *dst, const unsigned long *a, const unsigned long *b,
                   long nbits);

#endif
