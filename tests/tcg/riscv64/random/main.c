/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Driver of the random differential programs (gen.py): for each program, fill
 * the scratch area from the program's seed, run it, and print its signature
 * (every register, fcsr, the scratch CSRs, checksums of the scratch area and
 * the traps it took) on the UART, where the runner compares it with QEMU's.
 * A trap is recorded and the instruction skipped, so programs may contain
 * illegal instructions and ecalls.
 */
#include "runtime.h"
#include <stdbool.h>
#include "paging.h"
#include "random.h"

#define CHECKSUM_BLOCK 256

uint8_t random_area[RANDOM_SIG_SIZE + RANDOM_SCRATCH_SIZE] __attribute__((aligned(4096)));
uint64_t random_host_state[64];

/* Sv39: root -> level 1 (2 MiB leaves) -> level 0 (4 KiB leaves) around random_area. */
static uint64_t page_root[512] __attribute__((aligned(4096)));
static uint64_t page_l1[512] __attribute__((aligned(4096)));
static uint64_t page_l0[512] __attribute__((aligned(4096)));

#define MB2 (2UL << 20)
#define GB1 (1UL << 30)

static struct {
    uint64_t count;
    uint64_t hash;                  /* of every (cause, tval, epc) in order */
    uint64_t cause, tval, epc;      /* the last one */
} traps;

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ULL + (h >> 29);
}

static int record_trap(TrapFrame *frame, TrapRecord *rec)
{
    uint64_t epc = rec->epc;

    if (rec->cause & CAUSE_INTERRUPT) {
        return 0;
    }
    traps.count++;
    traps.hash = mix(mix(mix(traps.hash, rec->cause), rec->tval), epc);
    traps.cause = rec->cause;
    traps.tval = rec->tval;
    traps.epc = epc;
    write_csr(mepc, epc + ((*(volatile uint16_t *)epc & 3) == 3 ? 4 : 2));
    return 1;
}

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

typedef struct RandomModeInfo {
    int priv;
    uint64_t page1_clear;   /* PTE bits taken from random_area's second page */
    bool area_user;         /* random_area's pages are U pages (code is not) */
    uint64_t mstatus;       /* set while the program runs */
} RandomModeInfo;

static const RandomModeInfo modes[RANDOM_MODES] = {
    [RANDOM_MODE_M] = { PRIV_M },
    [RANDOM_MODE_S] = { PRIV_S },
    [RANDOM_MODE_U] = { PRIV_U },
    [RANDOM_MODE_S_RO] = { PRIV_S, PTE_W },
    [RANDOM_MODE_U_RO] = { PRIV_U, PTE_W },
    [RANDOM_MODE_S_NONE] = { PRIV_S, PTE_V },
    [RANDOM_MODE_U_NONE] = { PRIV_U, PTE_V },
    [RANDOM_MODE_S_SUM] = { PRIV_S, 0, true, MSTATUS_SUM },
    [RANDOM_MODE_S_XONLY_MXR] = { PRIV_S, PTE_R | PTE_W, false, MSTATUS_MXR },
    [RANDOM_MODE_U_XONLY] = { PRIV_U, PTE_R | PTE_W },
};

/* Identity-map the GiB holding random_area as @mode asks. */
static void map_for(const RandomModeInfo *mode)
{
    uint64_t area = (uint64_t)random_area;
    uint64_t gib = area & ~(GB1 - 1), mib2 = area & ~(MB2 - 1);
    uint64_t flags = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
    unsigned first = (area >> 12) & 511;

    if (mode->priv == PRIV_U) {
        flags |= PTE_U;
    }
    memset(page_root, 0, sizeof(page_root));
    page_root[(gib >> 30) & 511] = pte_for((uint64_t)page_l1, PTE_V);
    for (int i = 0; i < 512; i++) {
        page_l1[i] = pte_for(gib + i * MB2, flags);
        page_l0[i] = pte_for(mib2 + i * PAGE_SIZE, flags);
    }
    page_l1[(mib2 >> 21) & 511] = pte_for((uint64_t)page_l0, PTE_V);
    if (mode->area_user) {
        page_l0[first] |= PTE_U;
        page_l0[first + 1] |= PTE_U;
    }
    page_l0[first + 1] &= ~mode->page1_clear;
    write_csr(satp, SATP_MODE_SV39 << SATP_MODE_SHIFT | (uint64_t)page_root >> 12);
    sfence_vma_all();
}

static void run_program(uint64_t p)
{
    const RandomModeInfo *mode = &modes[random_program_info[p][2]];
    uint64_t host_sscratch = read_csr(sscratch);
    uint64_t *sig = (uint64_t *)random_area;

    if (mode->priv == PRIV_M) {
        random_programs[p]();
    } else {
        map_for(mode);
        set_csr(mstatus, mode->mstatus);
        enter_mode(mode->priv);
        random_programs[p]();
        return_to_m();
        clear_csr(mstatus, mode->mstatus);
        write_csr(satp, 0);
        sfence_vma_all();
    }
    sig[RANDOM_SIG_CSR / 8 + 1] = read_csr(sscratch);
    write_csr(sscratch, host_sscratch);
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
    static const char *const csr_names[RANDOM_SIG_CSRS] = { "fcsr", "sscratch" };
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
    print_kv("traps", traps.count);
    print_kv("trap hash", traps.hash);
    print_kv("last trap cause", traps.cause);
    print_kv("last trap tval", traps.tval);
    print_kv("last trap epc", traps.epc);
}

int main(void)
{
    m_trap_hook = record_trap;
    for (uint64_t p = 0; p < random_program_count; p++) {
        uint64_t state = random_program_info[p][1];
        uint64_t *scratch = (uint64_t *)(random_area + RANDOM_SIG_SIZE);

        for (int i = 0; i < RANDOM_SCRATCH_SIZE / 8; i++) {
            scratch[i] = xorshift64(&state);
        }
        memset(random_area, 0, RANDOM_SIG_SIZE);
        memset(&traps, 0, sizeof(traps));
        print_str("== program ");
        print_dec(random_program_info[p][0]);
        print_str(" mode ");
        print_dec(random_program_info[p][2]);
        print_str("\n");
        run_program(p);
        print_signature();
    }
    print_str("END\n");
    return 0;
}
