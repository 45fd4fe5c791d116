/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where Debian's QEMU 7.2 departs from the RISC-V specs, hintvm follows the
 * specs; this program checks each such case, and the random differential test
 * (random/gen.py) leaves them out for that reason (docs/devel/cpu.rst):
 *
 * - an AMO is a store/AMO access: its faults are "store/AMO address
 *   misaligned" (cause 6), "store/AMO access fault" (7) and "store/AMO page
 *   fault" (15) (privileged spec, "Machine Cause Register"); QEMU 7.2 reports
 *   the load causes 4, 5 and 13;
 * - mepc[0] is always zero (privileged spec, "Machine Exception Program
 *   Counter"); QEMU 7.2 keeps a written 1.
 *
 * It runs on hintvm alone (run-diff.py --self-check).
 */
#include "runtime.h"
#include "paging.h"

/* 0x800 is a hole in the virt memory map (below the boot ROM at 0x1000). */
#define HOLE 0x800UL

static uint64_t cell[2] __attribute__((aligned(16)));
static uint64_t root_table[512] __attribute__((aligned(4096)));
static uint64_t kilo_table[512] __attribute__((aligned(4096)));
static uint64_t mega_table[512] __attribute__((aligned(4096)));

#define AMO_AT(insn, addr) \
    asm volatile(insn " zero, %1, (%0)" :: "r"(addr), "r"(1L) : "memory")

static void test_amo_causes(void)
{
    uint64_t va = 0x40000000UL;

    section("AMO exceptions are store/AMO exceptions");
    expect_m_trap();
    AMO_AT("amoadd.w", (char *)cell + 2);
    check_m_trap("amoadd.w misaligned", CAUSE_MISALIGNED_STORE, (uint64_t)cell + 2);
    expect_m_trap();
    AMO_AT("amoswap.d", (char *)cell + 4);
    check_m_trap("amoswap.d misaligned", CAUSE_MISALIGNED_STORE, (uint64_t)cell + 4);
    expect_m_trap();
    AMO_AT("amoor.d", HOLE);
    check_m_trap("amoor.d on a hole", CAUSE_STORE_ACCESS, HOLE);

    /* Sv39: 0x40000000 -> one valid 4 KiB page, the next one invalid; RAM identity. */
    root_table[1] = pte_for((uint64_t)mega_table, PTE_V);
    mega_table[0] = pte_for((uint64_t)kilo_table, PTE_V);
    kilo_table[0] = pte_for((uint64_t)cell & ~(PAGE_SIZE - 1),
                            PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    root_table[2] = pte_for(0x80000000UL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    write_csr(satp, SATP_MODE_SV39 << SATP_MODE_SHIFT | (uint64_t)root_table >> 12);
    sfence_vma_all();
    enter_mode(PRIV_S);
    expect_m_trap();
    AMO_AT("amoadd.d", va + PAGE_SIZE);
    return_to_m();
    check_m_trap("amoadd.d on an invalid page", CAUSE_STORE_PAGE_FAULT, va + PAGE_SIZE);
    enter_mode(PRIV_S);
    expect_m_trap();
    AMO_AT("amomax.w", va + PAGE_SIZE + 12);
    return_to_m();
    check_m_trap("amomax.w on an invalid page", CAUSE_STORE_PAGE_FAULT,
                 va + PAGE_SIZE + 12);
    write_csr(satp, 0);
    sfence_vma_all();
}

static void test_mepc_bit0(void)
{
    section("mepc[0]");
    write_csr(mepc, 0x80001235UL);
    check("mepc after writing an odd address", read_csr(mepc), 0x80001234UL);
}

int main(void)
{
    test_amo_causes();
    test_mepc_bit0();
    return report();
}
