/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Driver of the random differential programs (gen.py): for each program, fill
 * the scratch area from the program's seed, run it, and print its signature
 * (every register, fcsr, the scratch CSRs and checksums of the scratch area) on
 * the UART, where the runner compares it with QEMU's.
 */
#include "runtime.h"
#include "random.h"

#define CHECKSUM_BLOCK 256

uint8_t random_area[RANDOM_SIG_SIZE + RANDOM_SCRATCH_SIZE] __attribute__((aligned(4096)));
uint64_t random_host_state[66];

static uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

/* FNV-1a, 64 bits */
static uint64_t checksum(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    while (n--) {
        h = (h ^ *p++) * 0x100000001b3ULL;
    }
    return h;
}

static void print_indexed(const char *prefix, int i, uint64_t value)
{
    print_str(prefix);
    print_dec(i);
    print_str(": ");
    print_hex(value);
    print_str("\n");
}

static void print_signature(void)
{
    static const char *const csr_names[RANDOM_SIG_CSRS] = { "fcsr", "mscratch", "sscratch" };
    const uint64_t *sig = (const uint64_t *)random_area;
    const uint8_t *scratch = random_area + RANDOM_SIG_SIZE;

    for (int i = 1; i < 32; i++) {
        print_indexed("x", i, sig[RANDOM_SIG_X / 8 + i]);
    }
    for (int i = 0; i < 32; i++) {
        print_indexed("f", i, sig[RANDOM_SIG_F / 8 + i]);
    }
    for (int i = 0; i < RANDOM_SIG_CSRS; i++) {
        print_kv(csr_names[i], sig[RANDOM_SIG_CSR / 8 + i]);
    }
    for (int i = 0; i < RANDOM_SCRATCH_SIZE / CHECKSUM_BLOCK; i++) {
        print_indexed("mem", i * CHECKSUM_BLOCK,
                      checksum(scratch + i * CHECKSUM_BLOCK, CHECKSUM_BLOCK));
    }
}

int main(void)
{
    for (uint64_t p = 0; p < random_program_count; p++) {
        uint64_t state = random_program_info[p][1];
        uint64_t *scratch = (uint64_t *)(random_area + RANDOM_SIG_SIZE);

        for (int i = 0; i < RANDOM_SCRATCH_SIZE / 8; i++) {
            scratch[i] = xorshift64(&state);
        }
        memset(random_area, 0, RANDOM_SIG_SIZE);
        print_str("== program ");
        print_dec(random_program_info[p][0]);
        print_str("\n");
        random_programs[p]();
        print_signature();
    }
    print_str("END\n");
    return 0;
}
