/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the RISC-V privileged architecture: the Sv39/Sv48 page-table
 * walker (target/riscv/cpu_helper.c), CSR access rules and WARL fields
 * (target/riscv/csr.c), trap delegation and interrupt priority.
 *
 * Page tables are built in a RAM region registered in the system address
 * space; the execution engine's hooks (TLB flush, exception raising) are
 * replaced by the stubs below so the units run without a vCPU.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "exec/memory.h"
#include "target/riscv/internals.h"
#include <sys/mman.h>

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (16 * MiB)
#define ROOT_TABLE (RAM_BASE + 0x10000)

static MemoryRegion ram;
static CPURISCVState env;
static int tlb_flushes;
static hwaddr next_table;

/* ---- Stubs for the execution engine (cpu.c, tlb.c) ---- */

void tlb_flush(CPURISCVState *e)
{
    tlb_flushes++;
}

void tlb_flush_page(CPURISCVState *e, uint64_t vaddr)
{
    tlb_flushes++;
}

void riscv_raise_exception(CPURISCVState *e, uint64_t cause, uint64_t tval)
{
    siglongjmp(e->jmp_env, (int)cause + 1);
}

void riscv_raise_illegal(CPURISCVState *e, const DecodedInsn *d)
{
    riscv_raise_exception(e, RISCV_EXCP_ILLEGAL_INST, d ? d->raw : 0);
}

/* ---- Helpers ---- */

static uint64_t *host_ptr(hwaddr pa)
{
    return (uint64_t *)((uint8_t *)memory_region_get_ram_ptr(&ram) + (pa - RAM_BASE));
}

static uint64_t pte_make(hwaddr pa, uint64_t flags)
{
    return ((pa >> 12) << PTE_PPN_SHIFT) | flags;
}

static hwaddr alloc_table(void)
{
    hwaddr t = next_table;

    next_table += 0x1000;
    memset(host_ptr(t), 0, 0x1000);
    return t;
}

/*
 * Install a leaf mapping @va -> @pa at @level (0 = 4 KiB) in a @levels-level
 * table; returns the host address of the leaf PTE.
 */
static uint64_t *map_page(int levels, uint64_t va, uint64_t pa, int level, uint64_t flags)
{
    hwaddr table = ROOT_TABLE;
    int l;

    for (l = levels - 1; l > level; l--) {
        uint64_t *pte = host_ptr(table) + ((va >> (12 + 9 * l)) & 511);

        if (!(*pte & PTE_V)) {
            *pte = pte_make(alloc_table(), PTE_V);
        }
        table = ((*pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12;
    }
    host_ptr(table)[(va >> (12 + 9 * level)) & 511] = pte_make(pa, flags);
    return host_ptr(table) + ((va >> (12 + 9 * level)) & 511);
}

static void reset_env(uint64_t satp_mode)
{
    memset(&env, 0, sizeof(env));
    riscv_csr_reset(&env);
    next_table = ROOT_TABLE;
    alloc_table();
    env.satp = (satp_mode << 60) | (ROOT_TABLE >> 12);
    env.priv = PRV_S;
    tlb_flushes = 0;
}

static int translate(uint64_t va, MMUAccessType access, int mmu_idx, hwaddr *pa, int *prot)
{
    *pa = 0;
    *prot = 0;
    return riscv_mmu_translate(&env, va, access, mmu_idx, pa, prot);
}

#define LEAF_RWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

/* ---- Translation ---- */

static void test_sv39_levels(void)
{
    hwaddr pa;
    int prot;

    reset_env(VM_1_10_SV39);
    map_page(3, 0x1000, 0x80005000, 0, LEAF_RWX);
    map_page(3, 0x200000, 0x80200000, 1, LEAF_RWX);
    map_page(3, 0x40000000, 0xc0000000, 2, LEAF_RWX);

    g_assert_cmpint(translate(0x1abc, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmphex(pa, ==, 0x80005abc);
    g_assert_cmpint(prot, ==, PROT_READ | PROT_WRITE | PROT_EXEC);
    g_assert_cmpint(translate(0x2a1234, MMU_DATA_STORE, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmphex(pa, ==, 0x802a1234);
    g_assert_cmpint(translate(0x7fedcba8, MMU_INST_FETCH, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmphex(pa, ==, 0xffedcba8);
    /* Unmapped: page fault of the access type. */
    g_assert_cmpint(translate(0x3000, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_LOAD_PAGE_FAULT);
    g_assert_cmpint(translate(0x3000, MMU_DATA_STORE, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_STORE_PAGE_FAULT);
    g_assert_cmpint(translate(0x3000, MMU_INST_FETCH, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_INST_PAGE_FAULT);
    /* M-mode and Bare translate 1:1. */
    g_assert_cmpint(translate(0x3000, MMU_DATA_LOAD, RISCV_MMU_IDX_M, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmphex(pa, ==, 0x3000);
    env.satp = 0;
    g_assert_cmpint(translate(0x3000, MMU_DATA_STORE, RISCV_MMU_IDX_U, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmphex(pa, ==, 0x3000);
}

static void test_sv48_levels(void)
{
    hwaddr pa;
    int prot;

    reset_env(VM_1_10_SV48);
    map_page(4, 0x1000, 0x80005000, 0, LEAF_RWX);
    map_page(4, 0x8000000000ULL, 0x8000000000ULL * 3, 3, LEAF_RWX);
    map_page(4, 0xffff800000200000ULL, 0x80400000, 1, LEAF_RWX);

    g_assert_cmpint(translate(0x1008, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmphex(pa, ==, 0x80005008);
    g_assert_cmpint(translate(0x8012345678ULL, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot),
                    ==, RISCV_EXCP_NONE);
    g_assert_cmphex(pa, ==, 0x18012345678ULL);
    g_assert_cmpint(translate(0xffff800000212345ULL, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa,
                              &prot), ==, RISCV_EXCP_NONE);
    g_assert_cmphex(pa, ==, 0x80412345);
}

static void test_misaligned_superpage(void)
{
    hwaddr pa;
    int prot;

    reset_env(VM_1_10_SV39);
    map_page(3, 0x400000, 0x80201000, 1, LEAF_RWX);
    map_page(3, 0x80000000, 0x80200000, 2, LEAF_RWX);
    g_assert_cmpint(translate(0x400000, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_LOAD_PAGE_FAULT);
    g_assert_cmpint(translate(0x80000000, MMU_INST_FETCH, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_INST_PAGE_FAULT);
}

static void test_non_canonical(void)
{
    hwaddr pa;
    int prot;

    reset_env(VM_1_10_SV39);
    map_page(3, 0xffffffc000000000ULL, 0x80000000, 2, LEAF_RWX);
    /* Bit 38 set but bits 63:39 clear: not canonical in Sv39. */
    g_assert_cmpint(translate(0x4000000000ULL, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot),
                    ==, RISCV_EXCP_LOAD_PAGE_FAULT);
    g_assert_cmpint(translate(0x8000000000000000ULL, MMU_INST_FETCH, RISCV_MMU_IDX_S, &pa,
                              &prot), ==, RISCV_EXCP_INST_PAGE_FAULT);
    g_assert_cmpint(translate(0xffffffc000000010ULL, MMU_DATA_STORE, RISCV_MMU_IDX_S, &pa,
                              &prot), ==, RISCV_EXCP_NONE);
    g_assert_cmphex(pa, ==, 0x80000010);

    /* The same address is canonical under Sv48 (bit 47 is the sign). */
    reset_env(VM_1_10_SV48);
    g_assert_cmpint(translate(0x4000000000ULL, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot),
                    ==, RISCV_EXCP_LOAD_PAGE_FAULT);
    g_assert_cmpint(translate(0x0000800000000000ULL, MMU_DATA_STORE, RISCV_MMU_IDX_S, &pa,
                              &prot), ==, RISCV_EXCP_STORE_PAGE_FAULT);
}

static void test_reserved_and_access_fault(void)
{
    hwaddr pa;
    int prot;
    uint64_t *pte;

    reset_env(VM_1_10_SV39);
    pte = map_page(3, 0x1000, 0x80005000, 0, LEAF_RWX);
    *pte |= 1ULL << 61;     /* PBMT */
    g_assert_cmpint(translate(0x1000, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_LOAD_PAGE_FAULT);
    *pte = pte_make(0x80005000, PTE_V | PTE_W | PTE_A | PTE_D);   /* W without R */
    g_assert_cmpint(translate(0x1000, MMU_DATA_STORE, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_STORE_PAGE_FAULT);
    /* A non-leaf PTE at level 0 is a page fault. */
    *pte = pte_make(0x80005000, PTE_V);
    g_assert_cmpint(translate(0x1000, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_LOAD_PAGE_FAULT);
    /* Root table outside RAM: access fault of the access type. */
    env.satp = ((uint64_t)VM_1_10_SV39 << 60) | (0x1000000 >> 12);
    g_assert_cmpint(translate(0x1000, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_LOAD_ACCESS_FAULT);
    g_assert_cmpint(translate(0x1000, MMU_DATA_STORE, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_STORE_AMO_ACCESS_FAULT);
    g_assert_cmpint(translate(0x1000, MMU_INST_FETCH, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_INST_ACCESS_FAULT);
}

static void test_permissions(void)
{
    hwaddr pa;
    int prot;
    uint64_t ad = PTE_V | PTE_A | PTE_D;

    reset_env(VM_1_10_SV39);
    map_page(3, 0x1000, 0x80005000, 0, ad | PTE_R | PTE_W | PTE_U);  /* user data */
    map_page(3, 0x2000, 0x80006000, 0, ad | PTE_X | PTE_U);          /* user code */
    map_page(3, 0x3000, 0x80007000, 0, ad | PTE_R);                  /* kernel rodata */
    map_page(3, 0x4000, 0x80008000, 0, ad | PTE_X);                  /* kernel text */

    /* U-mode: user pages only. */
    g_assert_cmpint(translate(0x1000, MMU_DATA_STORE, RISCV_MMU_IDX_U, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmpint(prot, ==, PROT_READ | PROT_WRITE);
    g_assert_cmpint(translate(0x3000, MMU_DATA_LOAD, RISCV_MMU_IDX_U, &pa, &prot), ==,
                    RISCV_EXCP_LOAD_PAGE_FAULT);
    g_assert_cmpint(translate(0x2000, MMU_INST_FETCH, RISCV_MMU_IDX_U, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmpint(prot, ==, PROT_EXEC);
    g_assert_cmpint(translate(0x2000, MMU_DATA_LOAD, RISCV_MMU_IDX_U, &pa, &prot), ==,
                    RISCV_EXCP_LOAD_PAGE_FAULT);

    /* S-mode: user pages need SUM for data and are never executable. */
    g_assert_cmpint(translate(0x1000, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_LOAD_PAGE_FAULT);
    g_assert_cmpint(translate(0x1000, MMU_DATA_STORE, RISCV_MMU_IDX_S_SUM, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmpint(translate(0x2000, MMU_INST_FETCH, RISCV_MMU_IDX_S_SUM, &pa, &prot), ==,
                    RISCV_EXCP_INST_PAGE_FAULT);
    g_assert_cmpint(translate(0x3000, MMU_DATA_STORE, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_STORE_PAGE_FAULT);
    g_assert_cmpint(translate(0x3000, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmpint(prot, ==, PROT_READ);

    /* MXR makes executable pages readable (also user code with SUM). */
    g_assert_cmpint(translate(0x4000, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_LOAD_PAGE_FAULT);
    env.mstatus |= MSTATUS_MXR;
    g_assert_cmpint(translate(0x4000, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmpint(prot, ==, PROT_READ | PROT_EXEC);
    g_assert_cmpint(translate(0x2000, MMU_DATA_LOAD, RISCV_MMU_IDX_S_SUM, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmpint(prot, ==, PROT_READ);
    g_assert_cmpint(translate(0x2000, MMU_DATA_LOAD, RISCV_MMU_IDX_U, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
}

static void test_accessed_dirty(void)
{
    hwaddr pa;
    int prot;
    uint64_t *pte;

    reset_env(VM_1_10_SV39);
    pte = map_page(3, 0x1000, 0x80005000, 0, PTE_V | PTE_R | PTE_W);

    /* A load sets A only; writes are not cached until D is set. */
    g_assert_cmpint(translate(0x1000, MMU_DATA_LOAD, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmphex(*pte & (PTE_A | PTE_D), ==, PTE_A);
    g_assert_cmpint(prot, ==, PROT_READ);
    /* The first store sets D and lets the TLB cache writes. */
    g_assert_cmpint(translate(0x1000, MMU_DATA_STORE, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmphex(*pte & (PTE_A | PTE_D), ==, PTE_A | PTE_D);
    g_assert_cmpint(prot, ==, PROT_READ | PROT_WRITE);

    /* A faulting access leaves the PTE untouched. */
    pte = map_page(3, 0x2000, 0x80006000, 0, PTE_V | PTE_R);
    g_assert_cmpint(translate(0x2000, MMU_DATA_STORE, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_STORE_PAGE_FAULT);
    g_assert_cmphex(*pte & (PTE_A | PTE_D), ==, 0);
    /* A superpage leaf gets A/D too. */
    pte = map_page(3, 0x40000000, 0x40000000, 2, PTE_V | PTE_R | PTE_W | PTE_X);
    g_assert_cmpint(translate(0x40000123, MMU_DATA_STORE, RISCV_MMU_IDX_S, &pa, &prot), ==,
                    RISCV_EXCP_NONE);
    g_assert_cmphex(*pte & (PTE_A | PTE_D), ==, PTE_A | PTE_D);
}

/* ---- CSRs ---- */

static uint64_t csr_read(int csrno)
{
    uint64_t v = 0xdead;

    g_assert_cmpint(riscv_csrrw(&env, csrno, &v, 0, 0), ==, RISCV_EXCP_NONE);
    return v;
}

static uint64_t csr_write_read(int csrno, uint64_t val)
{
    g_assert_cmpint(riscv_csrrw(&env, csrno, NULL, val, ~0ULL), ==, RISCV_EXCP_NONE);
    return csr_read(csrno);
}

static void test_satp_warl(void)
{
    uint64_t sv39 = ((uint64_t)VM_1_10_SV39 << 60) | 0x80123;

    reset_env(VM_1_10_MBARE);
    env.priv = PRV_M;
    env.satp = 0;
    tlb_flushes = 0;
    g_assert_cmphex(csr_write_read(CSR_SATP, sv39), ==, sv39);
    g_assert_cmpint(tlb_flushes, ==, 1);
    /* Sv57 and reserved modes: the whole write is ignored. */
    g_assert_cmphex(csr_write_read(CSR_SATP, ((uint64_t)VM_1_10_SV57 << 60) | 5), ==, sv39);
    g_assert_cmphex(csr_write_read(CSR_SATP, (1ULL << 60) | 5), ==, sv39);
    g_assert_cmpint(tlb_flushes, ==, 1);
    g_assert_cmphex(csr_write_read(CSR_SATP, (9ULL << 60) | 7), ==, (9ULL << 60) | 7);
    g_assert_cmphex(csr_write_read(CSR_SATP, 0), ==, 0);

    /* TVM traps S-mode accesses. */
    env.priv = PRV_S;
    g_assert_cmphex(csr_write_read(CSR_SATP, sv39), ==, sv39);
    env.mstatus |= MSTATUS_TVM;
    g_assert_cmpint(riscv_csrrw(&env, CSR_SATP, NULL, 0, ~0ULL), ==,
                    RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(riscv_csrrw(&env, CSR_SATP, NULL, 0, 0), ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(env.satp, ==, sv39);
}

static void test_csr_access_rules(void)
{
    reset_env(VM_1_10_MBARE);
    env.priv = PRV_M;
    /* Read-only CSR number: writes are illegal, reads fine. */
    g_assert_cmpint(riscv_csrrw(&env, CSR_MVENDORID, NULL, 0, ~0ULL), ==,
                    RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(csr_read(CSR_MISA), ==, 0x800000000014112dULL);
    /* Privilege from bits 9:8. */
    env.priv = PRV_S;
    g_assert_cmpint(riscv_csrrw(&env, CSR_MSTATUS, NULL, 0, 0), ==,
                    RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(riscv_csrrw(&env, CSR_SSTATUS, NULL, 0, 0), ==, RISCV_EXCP_NONE);
    env.priv = PRV_U;
    g_assert_cmpint(riscv_csrrw(&env, CSR_SSTATUS, NULL, 0, 0), ==,
                    RISCV_EXCP_ILLEGAL_INST);
    /* Counters need mcounteren (and scounteren from U). */
    g_assert_cmpint(riscv_csrrw(&env, CSR_CYCLE, NULL, 0, 0), ==, RISCV_EXCP_ILLEGAL_INST);
    env.mcounteren = 1;
    g_assert_cmpint(riscv_csrrw(&env, CSR_CYCLE, NULL, 0, 0), ==, RISCV_EXCP_ILLEGAL_INST);
    env.scounteren = 1;
    env.instret = 100;
    env.mcycle_offset = 5;
    g_assert_cmphex(csr_read(CSR_CYCLE), ==, 105);
    /* time without a time source is illegal even in M-mode. */
    env.priv = PRV_M;
    g_assert_cmpint(riscv_csrrw(&env, CSR_TIME, NULL, 0, 0), ==, RISCV_EXCP_ILLEGAL_INST);
    /* The write replaces the writing instruction's own increment (csr.c). */
    g_assert_cmphex(csr_write_read(CSR_MINSTRET, 1000), ==, 999);
    env.instret += 1;
    g_assert_cmphex(csr_read(CSR_MINSTRET), ==, 1000);
    env.instret += 10;
    g_assert_cmphex(csr_read(CSR_INSTRET), ==, 1010);
    /* FP CSRs: illegal with FS Off; writes make FS Dirty and SD set. */
    g_assert_cmpint(riscv_csrrw(&env, CSR_FCSR, NULL, 0, 0), ==, RISCV_EXCP_ILLEGAL_INST);
    env.mstatus |= 1ULL << MSTATUS_FS_SHIFT;
    g_assert_cmphex(csr_write_read(CSR_FCSR, 0xfff), ==, 0xff);
    g_assert_cmphex(csr_read(CSR_FRM), ==, 7);
    g_assert_cmphex(csr_read(CSR_FFLAGS), ==, 0x1f);
    g_assert_cmphex(env.mstatus & (MSTATUS_FS | MSTATUS_SD), ==, MSTATUS_FS | MSTATUS_SD);
    /* Odd pmpcfg registers do not exist on RV64; mseccfg needs Smepmp. */
    g_assert_cmpint(riscv_csrrw(&env, CSR_PMPCFG0 + 1, NULL, 0, 0), ==,
                    RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmpint(riscv_csrrw(&env, CSR_MSECCFG, NULL, 0, 0), ==,
                    RISCV_EXCP_ILLEGAL_INST);
}

static void test_csr_warl(void)
{
    reset_env(VM_1_10_MBARE);
    env.priv = PRV_M;
    /* Values observed on QEMU 7.2 minus its H-extension bits. */
    g_assert_cmphex(csr_read(CSR_MSTATUS), ==, 0xa00000000ULL);
    g_assert_cmphex(csr_write_read(CSR_MSTATUS, ~0ULL), ==, 0x8000000a007e79aaULL);
    g_assert_cmphex(csr_read(CSR_SSTATUS), ==, 0x80000002000c6122ULL);
    g_assert_cmphex(csr_write_read(CSR_MSTATUS, 0), ==, 0xa00000000ULL);
    /* MPP = 2 is not a mode: the field keeps its value. */
    g_assert_cmphex(csr_write_read(CSR_MSTATUS, 1ULL << 11), ==, 0xa00000800ULL);
    g_assert_cmphex(csr_write_read(CSR_MSTATUS, 2ULL << 11), ==, 0xa00000800ULL);
    g_assert_cmphex(csr_write_read(CSR_MEDELEG, ~0ULL), ==, 0xb3ff);
    g_assert_cmphex(csr_write_read(CSR_MIDELEG, ~0ULL), ==, 0x222);
    g_assert_cmphex(csr_write_read(CSR_MIE, ~0ULL), ==, 0xaaa);
    g_assert_cmphex(csr_read(CSR_SIE), ==, 0x222);
    g_assert_cmphex(csr_write_read(CSR_SIE, 0), ==, 0);
    g_assert_cmphex(csr_read(CSR_MIE), ==, 0x888);
    env.mip = MIP_MTIP;
    g_assert_cmphex(csr_write_read(CSR_MIP, ~0ULL), ==, 0x2a2);
    g_assert_cmphex(csr_write_read(CSR_SIP, 0), ==, 0x220);
    g_assert_cmphex(csr_read(CSR_MIP), ==, 0x2a0);
    g_assert_cmphex(csr_write_read(CSR_MTVEC, 0x80001001), ==, 0x80001001);
    g_assert_cmphex(csr_write_read(CSR_MTVEC, 0x80002003), ==, 0x80001001);
    g_assert_cmphex(csr_write_read(CSR_STVEC, 0x80002002), ==, 0);
    g_assert_cmphex(csr_write_read(CSR_MEPC, 0x80000003), ==, 0x80000002);
    g_assert_cmphex(csr_write_read(CSR_MENVCFG, ~0ULL), ==, 0xf1);
    g_assert_cmphex(csr_write_read(CSR_SENVCFG, ~0ULL), ==, 0xf1);
    g_assert_cmphex(csr_write_read(CSR_TSELECT, 1), ==, 0);
    g_assert_cmphex(csr_read(CSR_TDATA1), ==, 2ULL << 60);
    g_assert_cmphex(csr_write_read(CSR_MHPMCOUNTER3, 5), ==, 0);
    /* PMP: the lock bit freezes the entry (and a TOR entry's lower bound). */
    g_assert_cmphex(csr_write_read(CSR_PMPADDR0 + 1, 0x1234), ==, 0x1234);
    g_assert_cmphex(csr_write_read(CSR_PMPCFG0, 0x8f00), ==, 0x8f00);
    g_assert_cmphex(csr_write_read(CSR_PMPCFG0, 0), ==, 0x8f00);
    g_assert_cmphex(csr_write_read(CSR_PMPADDR0 + 1, 0), ==, 0x1234);
    g_assert_cmphex(csr_write_read(CSR_PMPADDR0, 0x55), ==, 0);
}

/* ---- Traps and interrupts ---- */

static void test_trap_delegation(void)
{
    reset_env(VM_1_10_MBARE);
    env.medeleg = 1ULL << RISCV_EXCP_ILLEGAL_INST | 1ULL << RISCV_EXCP_U_ECALL;
    env.stvec = 0x80100000;
    env.mtvec = 0x80200001;     /* vectored: exceptions still go to base */
    env.priv = PRV_U;
    env.pc = 0x1000;
    env.load_res = 0x80000000;
    env.mstatus |= MSTATUS_SIE;
    riscv_cpu_do_trap(&env, false, RISCV_EXCP_ILLEGAL_INST, 0x13);
    g_assert_cmpint(env.priv, ==, PRV_S);
    g_assert_cmphex(env.pc, ==, 0x80100000);
    g_assert_cmphex(env.sepc, ==, 0x1000);
    g_assert_cmphex(env.scause, ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(env.stval, ==, 0x13);
    g_assert_cmphex(env.mstatus & (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP), ==,
                    MSTATUS_SPIE);
    g_assert_cmphex(env.load_res, ==, (uint64_t)-1);

    /* An ECALL from S is not delegated (bit 9 clear) and goes to M. */
    env.pc = 0x80100010;
    riscv_cpu_do_trap(&env, false, RISCV_EXCP_U_ECALL, 0x99);
    g_assert_cmpint(env.priv, ==, PRV_M);
    g_assert_cmphex(env.mcause, ==, RISCV_EXCP_S_ECALL);
    g_assert_cmphex(env.mtval, ==, 0);
    g_assert_cmphex(env.pc, ==, 0x80200000);
    g_assert_cmphex((env.mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, ==, PRV_S);

    /* Traps in M-mode never go to S, even when delegated. */
    env.pc = 0x80200000;
    riscv_cpu_do_trap(&env, false, RISCV_EXCP_ILLEGAL_INST, 0);
    g_assert_cmpint(env.priv, ==, PRV_M);
    g_assert_cmphex((env.mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, ==, PRV_M);

    /* Vectored interrupt: base + 4 * cause, interrupt bit in mcause. */
    env.pc = 0x80000400;
    riscv_cpu_do_trap(&env, true, IRQ_M_TIMER, 0x1234);
    g_assert_cmphex(env.pc, ==, 0x80200000 + 4 * IRQ_M_TIMER);
    g_assert_cmphex(env.mcause, ==, RISCV_EXCP_INT_FLAG | IRQ_M_TIMER);
    g_assert_cmphex(env.mtval, ==, 0);
}

static void test_xret(void)
{
    DecodedInsn insn = { .raw = 0x30200073 };
    int jumped;

    reset_env(VM_1_10_MBARE);
    env.priv = PRV_M;
    env.mepc = 0x80001000;
    env.mstatus |= MSTATUS_MPIE | MSTATUS_MPRV | (1ULL << MSTATUS_MPP_SHIFT);
    riscv_cpu_mret(&env, &insn);
    g_assert_cmpint(env.priv, ==, PRV_S);
    g_assert_cmphex(env.pc, ==, 0x80001000);
    g_assert_cmphex(env.mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV),
                    ==, MSTATUS_MIE | MSTATUS_MPIE);

    /* SRET in S with TSR, and MRET below M, are illegal. */
    env.mstatus |= MSTATUS_TSR;
    jumped = sigsetjmp(env.jmp_env, 0);
    if (!jumped) {
        riscv_cpu_sret(&env, &insn);
    }
    g_assert_cmpint(jumped, ==, RISCV_EXCP_ILLEGAL_INST + 1);
    jumped = sigsetjmp(env.jmp_env, 0);
    if (!jumped) {
        riscv_cpu_mret(&env, &insn);
    }
    g_assert_cmpint(jumped, ==, RISCV_EXCP_ILLEGAL_INST + 1);

    env.mstatus &= ~MSTATUS_TSR;
    env.mstatus |= MSTATUS_SPIE;
    env.sepc = 0x2000;
    riscv_cpu_sret(&env, &insn);
    g_assert_cmpint(env.priv, ==, PRV_U);
    g_assert_cmphex(env.pc, ==, 0x2000);
    g_assert_cmphex(env.mstatus & (MSTATUS_SIE | MSTATUS_SPIE), ==,
                    MSTATUS_SIE | MSTATUS_SPIE);
    jumped = sigsetjmp(env.jmp_env, 0);
    if (!jumped) {
        riscv_cpu_sret(&env, &insn);
    }
    g_assert_cmpint(jumped, ==, RISCV_EXCP_ILLEGAL_INST + 1);
}

static void test_interrupt_priority(void)
{
    reset_env(VM_1_10_MBARE);
    env.priv = PRV_M;
    env.mie = 0xaaa;
    env.mip = MIP_MTIP | MIP_MSIP | MIP_MEIP | MIP_SEIP | MIP_SSIP | MIP_STIP;
    /* M-mode with MIE clear: nothing. */
    g_assert_cmpint(riscv_cpu_pending_interrupt(&env), ==, -1);
    env.mstatus |= MSTATUS_MIE;
    g_assert_cmpint(riscv_cpu_pending_interrupt(&env), ==, IRQ_M_EXT);
    env.mip &= ~MIP_MEIP;
    g_assert_cmpint(riscv_cpu_pending_interrupt(&env), ==, IRQ_M_SOFT);
    env.mip &= ~MIP_MSIP;
    g_assert_cmpint(riscv_cpu_pending_interrupt(&env), ==, IRQ_M_TIMER);
    env.mip &= ~MIP_MTIP;
    /* Not delegated S interrupts are taken in M-mode. */
    g_assert_cmpint(riscv_cpu_pending_interrupt(&env), ==, IRQ_S_EXT);
    env.mideleg = 0x222;
    /* Delegated ones are never taken in M-mode. */
    g_assert_cmpint(riscv_cpu_pending_interrupt(&env), ==, -1);
    env.priv = PRV_S;
    g_assert_cmpint(riscv_cpu_pending_interrupt(&env), ==, -1);
    env.mstatus |= MSTATUS_SIE;
    g_assert_cmpint(riscv_cpu_pending_interrupt(&env), ==, IRQ_S_EXT);
    env.mip &= ~MIP_SEIP;
    g_assert_cmpint(riscv_cpu_pending_interrupt(&env), ==, IRQ_S_SOFT);
    env.mip &= ~MIP_SSIP;
    g_assert_cmpint(riscv_cpu_pending_interrupt(&env), ==, IRQ_S_TIMER);
    /* In U-mode S interrupts are taken regardless of SIE; M ones first. */
    env.priv = PRV_U;
    env.mstatus &= ~(MSTATUS_SIE | MSTATUS_MIE);
    env.mip |= MIP_MTIP;
    g_assert_cmpint(riscv_cpu_pending_interrupt(&env), ==, IRQ_M_TIMER);
    env.mip &= ~MIP_MTIP;
    g_assert_cmpint(riscv_cpu_pending_interrupt(&env), ==, IRQ_S_TIMER);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    memory_region_init_ram(&ram, "test.ram", RAM_SIZE, &error_abort);
    memory_region_add_subregion(RAM_BASE, &ram);

    g_test_add_func("/riscv-mmu/sv39-levels", test_sv39_levels);
    g_test_add_func("/riscv-mmu/sv48-levels", test_sv48_levels);
    g_test_add_func("/riscv-mmu/misaligned-superpage", test_misaligned_superpage);
    g_test_add_func("/riscv-mmu/non-canonical", test_non_canonical);
    g_test_add_func("/riscv-mmu/reserved-and-access-fault", test_reserved_and_access_fault);
    g_test_add_func("/riscv-mmu/permissions", test_permissions);
    g_test_add_func("/riscv-mmu/accessed-dirty", test_accessed_dirty);
    g_test_add_func("/riscv-csr/satp-warl", test_satp_warl);
    g_test_add_func("/riscv-csr/access-rules", test_csr_access_rules);
    g_test_add_func("/riscv-csr/warl", test_csr_warl);
    g_test_add_func("/riscv-trap/delegation", test_trap_delegation);
    g_test_add_func("/riscv-trap/xret", test_xret);
    g_test_add_func("/riscv-trap/interrupt-priority", test_interrupt_priority);
    return g_test_run();
}
