/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Page-table entry bits and satp modes (privileged spec 4.3-4.5). */
#ifndef TCG_RISCV64_PAGING_H
#define TCG_RISCV64_PAGING_H

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)

#define SATP_MODE_SV39 8UL
#define SATP_MODE_SV48 9UL
#define SATP_MODE_SHIFT 60

#define PAGE_SIZE 4096UL

static inline uint64_t pte_for(uint64_t paddr, uint64_t flags)
{
    return (paddr >> 12) << 10 | flags;
}

static inline void sfence_vma_all(void)
{
    asm volatile("sfence.vma" ::: "memory");
}

#endif
