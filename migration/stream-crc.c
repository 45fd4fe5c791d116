/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CRC-32 of the migration stream by folding with carry-less multiply
 * (Intel, "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ
 * Instruction", 2009: fold 512 bits at a time, then 128 to 64 to 32 bits and
 * a Barrett reduction; the constants are x^n mod P(x) for the bit-reflected
 * IEEE polynomial, from section 4 of that paper).  zlib's table-driven crc32()
 * reads about one byte per cycle; folding reads 16, which matters because
 * both ends of a migration checksum every byte they move
 * (docs/devel/migration-stream.rst).  Other hosts, and the short tails,
 * use zlib.
 */
#include "qemu/osdep.h"
#include "migration/stream-crc.h"

#include <zlib.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define CLMUL_TARGET __attribute__((target("pclmul,sse4.1")))

/* Fold @acc (128 bits) forward over 128 * n bits with @k = (x^(m+32), x^(m-32)). */
static inline CLMUL_TARGET __m128i fold(__m128i acc, __m128i k, __m128i next)
{
    __m128i lo = _mm_clmulepi64_si128(acc, k, 0x00);
    __m128i hi = _mm_clmulepi64_si128(acc, k, 0x11);

    return _mm_xor_si128(_mm_xor_si128(lo, hi), next);
}

/*
 * The raw (not inverted) CRC register @crc over @len bytes, @len >= 64 and a
 * multiple of 16.
 */
static CLMUL_TARGET uint32_t crc32_clmul(uint32_t crc, const uint8_t *p, size_t len)
{
    /* x^(4*128+32), x^(4*128-32) mod P: four lanes 512 bits apart. */
    const __m128i k512 = _mm_set_epi64x(0x1c6e41596, 0x154442bd4);
    /* x^(128+32), x^(128-32) mod P: one lane into the next. */
    const __m128i k128 = _mm_set_epi64x(0x0ccaa009e, 0x1751997d0);
    /* x^64 mod P: 96 bits to 64. */
    const __m128i k64 = _mm_set_epi64x(0, 0x163cd6124);
    /* P(x) and floor(x^64 / P(x)), both reflected, for the Barrett step. */
    const __m128i barrett = _mm_set_epi64x(0x1f7011641, 0x1db710641);
    const __m128i low32 = _mm_set_epi32(0, ~0, 0, ~0);
    __m128i a0 = _mm_loadu_si128((const __m128i *)p);
    __m128i a1 = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i a2 = _mm_loadu_si128((const __m128i *)(p + 32));
    __m128i a3 = _mm_loadu_si128((const __m128i *)(p + 48));
    __m128i t;

    a0 = _mm_xor_si128(a0, _mm_cvtsi32_si128(crc));
    for (p += 64, len -= 64; len >= 64; p += 64, len -= 64) {
        a0 = fold(a0, k512, _mm_loadu_si128((const __m128i *)p));
        a1 = fold(a1, k512, _mm_loadu_si128((const __m128i *)(p + 16)));
        a2 = fold(a2, k512, _mm_loadu_si128((const __m128i *)(p + 32)));
        a3 = fold(a3, k512, _mm_loadu_si128((const __m128i *)(p + 48)));
    }
    a0 = fold(a0, k128, a1);
    a0 = fold(a0, k128, a2);
    a0 = fold(a0, k128, a3);
    for (; len >= 16; p += 16, len -= 16) {
        a0 = fold(a0, k128, _mm_loadu_si128((const __m128i *)p));
    }

    /* 128 -> 96 bits: the low half times x^(128-32)... */
    t = _mm_clmulepi64_si128(a0, k128, 0x10);
    a0 = _mm_xor_si128(_mm_srli_si128(a0, 8), t);
    /* ... 96 -> 64 bits. */
    t = _mm_srli_si128(a0, 4);
    a0 = _mm_clmulepi64_si128(_mm_and_si128(a0, low32), k64, 0x00);
    a0 = _mm_xor_si128(a0, t);

    /* Barrett reduction of the 64 bits left to the 32-bit remainder. */
    t = _mm_clmulepi64_si128(_mm_and_si128(a0, low32), barrett, 0x10);
    t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), barrett, 0x00);
    a0 = _mm_xor_si128(a0, t);
    return _mm_extract_epi32(a0, 1);
}

static bool have_clmul(void)
{
    /* Any thread may ask first; every one computes the same answer. */
    static int have = -1;
    int v = __atomic_load_n(&have, __ATOMIC_RELAXED);

    if (v < 0) {
        __builtin_cpu_init();
        v = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
        __atomic_store_n(&have, v, __ATOMIC_RELAXED);
    }
    return v;
}

uint32_t stream_crc32(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    if (len >= 64 && have_clmul()) {
        size_t bulk = len & ~(size_t)15;

        /* zlib's crc keeps the register inverted between calls. */
        crc = ~crc32_clmul(~crc, p, bulk);
        p += bulk;
        len -= bulk;
    }
    return len ? crc32_z(crc, p, len) : crc;
}

#else

uint32_t stream_crc32(uint32_t crc, const void *buf, size_t len)
{
    return crc32_z(crc, buf, len);
}

#endif
