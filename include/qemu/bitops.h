/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef QEMU_BITOPS_H
#define QEMU_BITOPS_H

#include "qemu/osdep.h"

#define BITS_PER_BYTE 8
#define BITS_PER_LONG (sizeof(unsigned long) * BITS_PER_BYTE)
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))
#define BIT_WORD(nr) ((nr) / BITS_PER_LONG)
#define BITS_TO_LONGS(nr) DIV_ROUND_UP(nr, BITS_PER_LONG)
#define MAKE_64BIT_MASK(shift, length) \
    (((~0ULL) >> (64 - (length))) << (shift))

static inline uint64_t extract64(uint64_t value, int start, int length)
{
    return (value >> start) & (~0ULL >> (64 - length));
}

static inline uint32_t extract32(uint32_t value, int start, int length)
{
    return (value >> start) & (~0U >> (32 - length));
}

static inline int64_t sextract64(uint64_t value, int start, int length)
{
    return ((int64_t)(value << (64 - length - start))) >> (64 - length);
}

static inline int32_t sextract32(uint32_t value, int start, int length)
{
    return ((int32_t)(value << (32 - length - start))) >> (32 - length);
}

static inline uint64_t deposit64(uint64_t value, int start, int length, uint64_t field)
{
    uint64_t mask = (~0ULL >> (64 - length)) << start;
    return (value & ~mask) | ((field << start) & mask);
}

static inline void set_bit(long nr, unsigned long *addr)
{
    addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void clear_bit(long nr, unsigned long *addr)
{
    addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline bool test_bit(long nr, const unsigned long *addr)
{
    return (addr[BIT_WORD(nr)] >> (nr % BITS_PER_LONG)) & 1;
}

/* Atomic variants: safe against concurrent setters/clearers on other threads. */
static inline void set_bit_atomic(long nr, unsigned long *addr)
{
    __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline bool test_and_set_bit_atomic(long nr, unsigned long *addr)
{
    unsigned long old = __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr),
                                          __ATOMIC_RELAXED);
    return old & BIT_MASK(nr);
}

static inline bool test_and_clear_bit_atomic(long nr, unsigned long *addr)
{
    unsigned long old = __atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr),
                                           __ATOMIC_RELAXED);
    return old & BIT_MASK(nr);
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
                            unsigned long offset);
unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
                                 unsigned long offset);

static inline unsigned long find_first_bit(const unsigned long *addr, unsigned long size)
{
    return find_next_bit(addr, size, 0);
}

#endif
