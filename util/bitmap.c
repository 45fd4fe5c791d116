/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bitmaps of unsigned longs, processed a word at a time.
 *
 * Migration keeps one bit per guest page in these, so a 64 GiB guest has
 * 16 Mi bits: every operation below touches whole words and only masks the
 * partial first and last word of a range.
 */
#include "qemu/osdep.h"
#include "qemu/bitmap.h"

/* Mask of the bits of the first word of a range starting at bit @start. */
static inline unsigned long first_word_mask(long start)
{
    return ~0UL << (start % BITS_PER_LONG);
}

/* Mask of the valid bits of the last word of a range ending before bit @end. */
static inline unsigned long last_word_mask(long end)
{
    return ~0UL >> (-end & (BITS_PER_LONG - 1));
}

unsigned long *bitmap_new(long nbits)
{
    return g_new0(unsigned long, BITS_TO_LONGS(nbits));
}

void bitmap_zero(unsigned long *map, long nbits)
{
    memset(map, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

void bitmap_fill(unsigned long *map, long nbits)
{
    long words = BITS_TO_LONGS(nbits);

    if (words == 0) {
        return;
    }
    memset(map, 0xff, words * sizeof(unsigned long));
    map[words - 1] = last_word_mask(nbits);
}

bool bitmap_empty(const unsigned long *map, long nbits)
{
    long full_words = nbits / BITS_PER_LONG;

    for (long i = 0; i < full_words; i++) {
        if (map[i]) {
            return false;
        }
    }
    if (nbits % BITS_PER_LONG) {
        return (map[full_words] & last_word_mask(nbits)) == 0;
    }
    return true;
}

bool bitmap_full(const unsigned long *map, long nbits)
{
    long full_words = nbits / BITS_PER_LONG;

    for (long i = 0; i < full_words; i++) {
        if (~map[i]) {
            return false;
        }
    }
    if (nbits % BITS_PER_LONG) {
        unsigned long mask = last_word_mask(nbits);
        return (map[full_words] & mask) == mask;
    }
    return true;
}

bool bitmap_equal(const unsigned long *a, const unsigned long *b, long nbits)
{
    long full_words = nbits / BITS_PER_LONG;

    for (long i = 0; i < full_words; i++) {
        if (a[i] != b[i]) {
            return false;
        }
    }
    if (nbits % BITS_PER_LONG) {
        return ((a[full_words] ^ b[full_words]) & last_word_mask(nbits)) == 0;
    }
    return true;
}

void bitmap_copy(unsigned long *dst, const unsigned long *src, long nbits)
{
    memcpy(dst, src, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

long bitmap_count_one(const unsigned long *map, long nbits)
{
    return bitmap_count_one_range(map, 0, nbits);
}

long bitmap_count_one_range(const unsigned long *map, long start, long nr)
{
    long end = start + nr;
    long word = BIT_WORD(start);
    long last_word;
    long count = 0;

    if (nr <= 0) {
        return 0;
    }
    last_word = BIT_WORD(end - 1);
    if (word == last_word) {
        unsigned long mask = first_word_mask(start) & last_word_mask(end);
        return __builtin_popcountl(map[word] & mask);
    }
    count += __builtin_popcountl(map[word] & first_word_mask(start));
    for (word++; word < last_word; word++) {
        count += __builtin_popcountl(map[word]);
    }
    count += __builtin_popcountl(map[last_word] & last_word_mask(end));
    return count;
}

/* The bits of word @word that fall inside the bit range [start, end). */
static inline unsigned long range_word_mask(long start, long end, long word)
{
    unsigned long mask = ~0UL;

    if (word == BIT_WORD(start)) {
        mask &= first_word_mask(start);
    }
    if (word == BIT_WORD(end - 1)) {
        mask &= last_word_mask(end);
    }
    return mask;
}

void bitmap_set(unsigned long *map, long start, long nr)
{
    long end = start + nr;

    for (long word = BIT_WORD(start); nr > 0 && word <= BIT_WORD(end - 1); word++) {
        map[word] |= range_word_mask(start, end, word);
    }
}

void bitmap_clear(unsigned long *map, long start, long nr)
{
    long end = start + nr;

    for (long word = BIT_WORD(start); nr > 0 && word <= BIT_WORD(end - 1); word++) {
        map[word] &= ~range_word_mask(start, end, word);
    }
}

void bitmap_set_atomic(unsigned long *map, long start, long nr)
{
    long end = start + nr;

    for (long word = BIT_WORD(start); nr > 0 && word <= BIT_WORD(end - 1); word++) {
        unsigned long mask = range_word_mask(start, end, word);

        if (mask == ~0UL) {
            __atomic_store_n(&map[word], ~0UL, __ATOMIC_RELAXED);
        } else {
            __atomic_fetch_or(&map[word], mask, __ATOMIC_RELAXED);
        }
    }
    /* Make the new bits visible before whatever the caller publishes next. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

long bitmap_clear_count(unsigned long *map, long start, long nr)
{
    long end = start + nr;
    long cleared = 0;

    for (long word = BIT_WORD(start); nr > 0 && word <= BIT_WORD(end - 1); word++) {
        unsigned long mask = range_word_mask(start, end, word);

        /* Skip the locked RMW on words with nothing to clear: most hints hit those. */
        if (__atomic_load_n(&map[word], __ATOMIC_RELAXED) & mask) {
            unsigned long old = __atomic_fetch_and(&map[word], ~mask, __ATOMIC_SEQ_CST);
            cleared += __builtin_popcountl(old & mask);
        }
    }
    return cleared;
}

long bitmap_or_count(unsigned long *dst, const unsigned long *src, long nbits)
{
    long words = BITS_TO_LONGS(nbits);
    long newly_set = 0;

    for (long i = 0; i < words; i++) {
        unsigned long incoming = src[i];
        if (i == words - 1) {
            incoming &= last_word_mask(nbits);
        }
        newly_set += __builtin_popcountl(incoming & ~dst[i]);
        dst[i] |= incoming;
    }
    return newly_set;
}

long bitmap_xchg_and_or_atomic(unsigned long *dst, unsigned long *src, long nbits)
{
    long words = BITS_TO_LONGS(nbits);
    long newly_set = 0;

    for (long i = 0; i < words; i++) {
        unsigned long taken, before;

        /* A plain load first: the dirty log is mostly zero and xchg is costly. */
        if (__atomic_load_n(&src[i], __ATOMIC_RELAXED) == 0) {
            continue;
        }
        taken = __atomic_exchange_n(&src[i], 0UL, __ATOMIC_SEQ_CST);
        /*
         * dst is ORed atomically too so that concurrent folds into the same
         * destination still count every newly set bit exactly once.
         */
        before = __atomic_fetch_or(&dst[i], taken, __ATOMIC_SEQ_CST);
        newly_set += __builtin_popcountl(taken & ~before);
    }
    return newly_set;
}

void bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b,
                long nbits)
{
    long words = BITS_TO_LONGS(nbits);

    for (long i = 0; i < words; i++) {
        dst[i] = a[i] & b[i];
    }
}

void bitmap_andnot(unsigned long *dst, const unsigned long *a, const unsigned long *b,
                   long nbits)
{
    long words = BITS_TO_LONGS(nbits);

    for (long i = 0; i < words; i++) {
        dst[i] = a[i] & ~b[i];
    }
}

/*
 * Both searches scan whole words; @invert flips each word so that a search
 * for a zero becomes a search for a one.
 */
static unsigned long find_next_common(const unsigned long *addr, unsigned long size,
                                      unsigned long offset, unsigned long invert)
{
    unsigned long word_index;
    unsigned long word;

    if (offset >= size) {
        return size;
    }
    word_index = BIT_WORD(offset);
    word = (addr[word_index] ^ invert) & first_word_mask(offset);
    while (word == 0) {
        word_index++;
        if (word_index * BITS_PER_LONG >= size) {
            return size;
        }
        word = addr[word_index] ^ invert;
    }
    offset = word_index * BITS_PER_LONG + __builtin_ctzl(word);
    return offset < size ? offset : size;
}

unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
                            unsigned long offset)
{
    return find_next_common(addr, size, offset, 0);
}

unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
                                 unsigned long offset)
{
    return find_next_common(addr, size, offset, ~0UL);
}
