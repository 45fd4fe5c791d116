/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compute-heavy bare-metal program timed by scripts/bench-cpu: SHA-256 over a
 * buffer (FIPS 180-4), an in-place heap sort of pseudo-random numbers, a sieve of
 * Eratosthenes and a strided memory copy.  It folds the result of each part into
 * a digest, prints it, and exits 0 only when the digest is the expected one.
 */
#include "runtime.h"

#define ROUNDS          14
#define HASH_BYTES      (256 * 1024)
#define SORT_COUNT      (64 * 1024)
#define SIEVE_LIMIT     (2 * 1024 * 1024)
#define COPY_WORDS      (256 * 1024)
/* The digest of all rounds, as computed by the reference QEMU. */
#define EXPECTED_DIGEST 0x3ed53848e2562664UL

static uint8_t hash_input[HASH_BYTES];
static uint32_t sort_data[SORT_COUNT];
static uint8_t sieve[SIEVE_LIMIT];
static uint64_t copy_src[COPY_WORDS], copy_dst[COPY_WORDS];

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
};

static uint32_t rotr(uint32_t x, int n)
{
    return x >> n | x << (32 - n);
}

static void sha256_block(uint32_t state[8], const uint8_t *block)
{
    uint32_t w[64], a, b, c, d, e, f, g, h;

    for (int i = 0; i < 16; i++) {
        w[i] = (uint32_t)block[4 * i] << 24 | block[4 * i + 1] << 16 |
               block[4 * i + 2] << 8 | block[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ w[i - 15] >> 3;
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ w[i - 2] >> 10;
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = state[0]; b = state[1]; c = state[2]; d = state[3];
    e = state[4]; f = state[5]; g = state[6]; h = state[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
                      sha256_k[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

/* SHA-256 of a buffer whose length is a multiple of 64; returns the first word. */
static uint32_t sha256_first_word(const uint8_t *data, size_t len)
{
    uint32_t state[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    uint8_t pad[64] = { 0x80 };
    uint64_t bits = (uint64_t)len * 8;

    for (size_t off = 0; off < len; off += 64) {
        sha256_block(state, data + off);
    }
    for (int i = 0; i < 8; i++) {
        pad[56 + i] = bits >> (56 - 8 * i);
    }
    sha256_block(state, pad);
    return state[0];
}

static uint64_t xorshift_state = 88172645463325252UL;

static uint64_t next_random(void)
{
    xorshift_state ^= xorshift_state << 13;
    xorshift_state ^= xorshift_state >> 7;
    xorshift_state ^= xorshift_state << 17;
    return xorshift_state;
}

static void sift_down(uint32_t *a, size_t start, size_t end)
{
    size_t root = start;

    while (2 * root + 1 <= end) {
        size_t child = 2 * root + 1;
        if (child + 1 <= end && a[child] < a[child + 1]) {
            child++;
        }
        if (a[root] >= a[child]) {
            return;
        }
        uint32_t t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static uint64_t heap_sort_checksum(void)
{
    uint64_t sum = 0;

    for (size_t i = 0; i < SORT_COUNT; i++) {
        sort_data[i] = next_random();
    }
    for (size_t start = SORT_COUNT / 2; start-- > 0;) {
        sift_down(sort_data, start, SORT_COUNT - 1);
    }
    for (size_t end = SORT_COUNT - 1; end > 0; end--) {
        uint32_t t = sort_data[0];
        sort_data[0] = sort_data[end];
        sort_data[end] = t;
        sift_down(sort_data, 0, end - 1);
    }
    for (size_t i = 1; i < SORT_COUNT; i++) {
        if (sort_data[i - 1] > sort_data[i]) {
            return 0;
        }
        sum = sum * 31 + sort_data[i];
    }
    return sum;
}

static uint64_t count_primes(void)
{
    uint64_t count = 0;

    memset(sieve, 1, sizeof(sieve));
    sieve[0] = sieve[1] = 0;
    for (size_t i = 2; i * i < SIEVE_LIMIT; i++) {
        if (sieve[i]) {
            for (size_t j = i * i; j < SIEVE_LIMIT; j += i) {
                sieve[j] = 0;
            }
        }
    }
    for (size_t i = 0; i < SIEVE_LIMIT; i++) {
        count += sieve[i];
    }
    return count;
}

static uint64_t strided_copy(void)
{
    uint64_t sum = 0;

    for (size_t i = 0; i < COPY_WORDS; i++) {
        copy_src[i] = i * 0x9e3779b97f4a7c15UL;
    }
    for (size_t stride = 1; stride <= 16; stride *= 2) {
        for (size_t start = 0; start < stride; start++) {
            for (size_t i = start; i < COPY_WORDS; i += stride) {
                copy_dst[i] = copy_src[i] ^ stride;
            }
        }
        sum += copy_dst[COPY_WORDS - 1] + copy_dst[COPY_WORDS / 3];
    }
    return sum;
}

int main(void)
{
    uint64_t digest = 0;

    for (size_t i = 0; i < HASH_BYTES; i++) {
        hash_input[i] = i * 7 + (i >> 8);
    }
    for (int round = 0; round < ROUNDS; round++) {
        hash_input[round] ^= 1;
        digest = digest * 3 + sha256_first_word(hash_input, HASH_BYTES);
        digest = digest * 3 + heap_sort_checksum();
        digest = digest * 3 + count_primes();
        digest = digest * 3 + strided_copy();
    }
    check("bench digest", digest, EXPECTED_DIGEST);
    return report();
}
