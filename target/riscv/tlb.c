/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Soft TLB: fills, slow paths (misses, misaligned, page-crossing, MMIO, ROM)
 * and the exported cpu_ld / cpu_st accessors.
 *
 * Entries cache one 4 KiB page of one translation for one access type and
 * MMU index.  Translations are always made by riscv_mmu_translate, which
 * returns pa = va when translation is off, so the TLB never needs to know
 * about satp modes.  Only RAM and ROM pages get an entry; a write entry is
 * only ever made for writable RAM, and making it is the dirty-log hook.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "exec/memory.h"
#include "exec/ramblock.h"
#include "target/riscv/translate.h"
#include "target/riscv/tlb_inline.h"
#include <sys/mman.h>

static void tlb_invalidate_table(RISCVTLBEntry *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        t[i].vpage = RISCV_TLB_INVALID;
    }
}

void tlb_flush(CPURISCVState *env)
{
    RISCVTLB *tlb = &env->tlb;

    tlb_invalidate_table(&tlb->read[0][0], RISCV_MMU_IDX_COUNT * RISCV_TLB_SIZE);
    tlb_invalidate_table(&tlb->write[0][0], RISCV_MMU_IDX_COUNT * RISCV_TLB_SIZE);
    for (int idx = 0; idx < RISCV_MMU_IDX_COUNT; idx++) {
        for (int i = 0; i < RISCV_TLB_SIZE; i++) {
            tlb->fetch[idx][i].vpage = RISCV_TLB_INVALID;
            tlb->fetch[idx][i].code = NULL;
        }
    }
}

void tlb_flush_page(CPURISCVState *env, uint64_t vaddr)
{
    RISCVTLB *tlb = &env->tlb;
    uint64_t page = vaddr & TARGET_PAGE_MASK;
    unsigned i = RISCV_TLB_INDEX(vaddr);

    for (int idx = 0; idx < RISCV_MMU_IDX_COUNT; idx++) {
        if (tlb->read[idx][i].vpage == page) {
            tlb->read[idx][i].vpage = RISCV_TLB_INVALID;
        }
        if (tlb->write[idx][i].vpage == page) {
            tlb->write[idx][i].vpage = RISCV_TLB_INVALID;
        }
        if (tlb->fetch[idx][i].vpage == page) {
            tlb->fetch[idx][i].vpage = RISCV_TLB_INVALID;
            tlb->fetch[idx][i].code = NULL;
        }
    }
}

void tlb_flush_write_entries(CPURISCVState *env)
{
    tlb_invalidate_table(&env->tlb.write[0][0], RISCV_MMU_IDX_COUNT * RISCV_TLB_SIZE);
}

void tlb_request_flush(CPURISCVState *env)
{
    /* riscv_cpu_flush_request kicks too, which callers of this do anyway. */
    riscv_cpu_flush_request(env->cpu, RISCV_FLUSH_TLB);
}

int riscv_data_mmu_idx(CPURISCVState *env)
{
    uint64_t priv = env->priv;

    /* Privileged spec 3.1.6.3: MPRV makes M-mode loads/stores use MPP. */
    if (priv == PRV_M && (env->mstatus & MSTATUS_MPRV)) {
        priv = (env->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    }
    switch (priv) {
    case PRV_U:
        return RISCV_MMU_IDX_U;
    case PRV_S:
        return (env->mstatus & MSTATUS_SUM) ? RISCV_MMU_IDX_S_SUM : RISCV_MMU_IDX_S;
    default:
        return RISCV_MMU_IDX_M;
    }
}

int riscv_fetch_mmu_idx(CPURISCVState *env)
{
    /* Fetches never use MPRV, and SUM never lets S-mode execute U pages. */
    switch (env->priv) {
    case PRV_U:
        return RISCV_MMU_IDX_U;
    case PRV_S:
        return RISCV_MMU_IDX_S;
    default:
        return RISCV_MMU_IDX_M;
    }
}

/*
 * Translate @va and find what backs it; raises the page or access fault with
 * @tval (the original address of a split access) on failure.
 */
static MemoryRegion *tlb_translate(CPURISCVState *env, uint64_t va, MMUAccessType access,
                                   int mmu_idx, uint64_t tval, hwaddr *pa, hwaddr *offset)
{
    int prot = 0;
    int ret = riscv_mmu_translate(env, va, access, mmu_idx, pa, &prot);
    MemoryRegion *mr;

    if (ret != RISCV_EXCP_NONE) {
        riscv_raise_exception(env, ret, tval);
    }
    mr = address_space_lookup(*pa, offset);
    if (!mr) {
        qemu_log_mask(LOG_GUEST_ERROR, "riscv: access to unmapped address 0x%" HWADDR_PRIx
                      " (va 0x%" PRIx64 ")\n", *pa, va);
        riscv_raise_exception(env, riscv_access_fault_cause(access), tval);
    }
    return mr;
}

/* Can the whole page around @offset be reached through mr->ram_ptr? */
static bool page_is_ram(const MemoryRegion *mr, hwaddr offset)
{
    return mr->ram_ptr && !mr->ops &&
           (offset & TARGET_PAGE_MASK) + TARGET_PAGE_SIZE <= mr->size;
}

RISCVFetchEntry *riscv_fetch_fill(CPURISCVState *env, uint64_t va)
{
    int idx = riscv_fetch_mmu_idx(env);
    RISCVFetchEntry *e = &env->tlb.fetch[idx][RISCV_TLB_INDEX(va)];
    hwaddr pa, offset;
    MemoryRegion *mr = tlb_translate(env, va, MMU_INST_FETCH, idx, va, &pa, &offset);

    if (!page_is_ram(mr, offset)) {
        qemu_log_mask(LOG_GUEST_ERROR, "riscv: instruction fetch from non-RAM address 0x%"
                      HWADDR_PRIx "\n", pa);
        riscv_raise_exception(env, RISCV_EXCP_INST_ACCESS_FAULT, va);
    }
    e->vpage = va & TARGET_PAGE_MASK;
    e->addend = (uintptr_t)(mr->ram_ptr + (offset & TARGET_PAGE_MASK)) - e->vpage;
    e->ppage = pa & TARGET_PAGE_MASK;
    e->code = NULL;
    return e;
}

/*
 * Look up or fill the data entry for @va.  Returns the host address of @va
 * for RAM/ROM, or NULL with *@mr_out / *@off_out set for MMIO (and for ROM
 * stores, with *@mr_out readonly).
 */
static void *tlb_data_lookup(CPURISCVState *env, uint64_t va, MMUAccessType access,
                             uint64_t tval, MemoryRegion **mr_out, hwaddr *off_out)
{
    int idx = env->tlb.data_idx;
    bool is_store = access == MMU_DATA_STORE;
    RISCVTLBEntry *e = is_store ? &env->tlb.write[idx][RISCV_TLB_INDEX(va)]
                                : &env->tlb.read[idx][RISCV_TLB_INDEX(va)];
    MemoryRegion *mr;
    hwaddr pa, offset;

    if (e->vpage == (va & TARGET_PAGE_MASK)) {
        return (void *)(uintptr_t)(va + e->addend);
    }
    mr = tlb_translate(env, va, access, idx, tval, &pa, &offset);
    *mr_out = mr;
    *off_out = offset;
    if (!page_is_ram(mr, offset)) {
        return NULL;
    }
    if (is_store) {
        if (mr->readonly) {
            return NULL;
        }
        /* The dirty-log hook: the first store to a page after each sync. */
        if (mr->ram_block) {
            ram_block_note_write(mr->ram_block, offset & TARGET_PAGE_MASK, TARGET_PAGE_SIZE);
        }
    }
    e->vpage = va & TARGET_PAGE_MASK;
    e->addend = (uintptr_t)(mr->ram_ptr + (offset & TARGET_PAGE_MASK)) - e->vpage;
    return (void *)(uintptr_t)(va + e->addend);
}

static uint64_t mmio_read(CPURISCVState *env, MemoryRegion *mr, hwaddr offset,
                          unsigned size, uint64_t tval)
{
    uint64_t val = 0;

    if (!mr->ops) {
        /* RAM or ROM whose last page is partial: copy what exists. */
        if (offset + size > mr->size) {
            riscv_raise_exception(env, RISCV_EXCP_LOAD_ACCESS_FAULT, tval);
        }
        memcpy(&val, mr->ram_ptr + offset, size);
        return val;
    }
    if (memory_region_dispatch_read(mr, offset, &val, size) != MEMTX_OK) {
        riscv_raise_exception(env, RISCV_EXCP_LOAD_ACCESS_FAULT, tval);
    }
    return val;
}

static void mmio_write(CPURISCVState *env, MemoryRegion *mr, hwaddr offset, uint64_t val,
                       unsigned size, uint64_t tval)
{
    if (!mr->ops) {
        if (mr->readonly) {
            qemu_log_mask(LOG_GUEST_ERROR, "riscv: store to ROM %s+0x%" HWADDR_PRIx
                          " ignored\n", mr->name, offset);
            return;
        }
        if (offset + size > mr->size) {
            riscv_raise_exception(env, RISCV_EXCP_STORE_AMO_ACCESS_FAULT, tval);
        }
        if (mr->ram_block) {
            ram_block_note_write(mr->ram_block, offset, size);
        }
        memcpy(mr->ram_ptr + offset, &val, size);
        return;
    }
    if (memory_region_dispatch_write(mr, offset, val, size) != MEMTX_OK) {
        riscv_raise_exception(env, RISCV_EXCP_STORE_AMO_ACCESS_FAULT, tval);
    }
}

/* An access of @size that stays inside one page (maybe misaligned). */
static uint64_t load_in_page(CPURISCVState *env, uint64_t va, unsigned size, uint64_t tval)
{
    MemoryRegion *mr = NULL;
    hwaddr offset = 0;
    uint64_t val = 0;
    void *host = tlb_data_lookup(env, va, MMU_DATA_LOAD, tval, &mr, &offset);

    if (host) {
        memcpy(&val, host, size);
        return val;
    }
    if ((va & (size - 1)) && mr->ops) {
        /* Devices only see naturally aligned accesses: split misaligned ones. */
        for (unsigned i = 0; i < size; i++) {
            val |= mmio_read(env, mr, offset + i, 1, tval) << (8 * i);
        }
        return val;
    }
    return mmio_read(env, mr, offset, size, tval);
}

static void store_in_page(CPURISCVState *env, uint64_t va, uint64_t val, unsigned size,
                          uint64_t tval)
{
    MemoryRegion *mr = NULL;
    hwaddr offset = 0;
    void *host = tlb_data_lookup(env, va, MMU_DATA_STORE, tval, &mr, &offset);

    if (host) {
        memcpy(host, &val, size);
        return;
    }
    if ((va & (size - 1)) && mr->ops) {
        for (unsigned i = 0; i < size; i++) {
            mmio_write(env, mr, offset + i, (val >> (8 * i)) & 0xff, 1, tval);
        }
        return;
    }
    mmio_write(env, mr, offset, val, size, tval);
}

static bool crosses_page(uint64_t va, unsigned size)
{
    return (va & ~TARGET_PAGE_MASK) + size > TARGET_PAGE_SIZE;
}

/*
 * The tval of a fault on byte @va + @i of a page-crossing access at @va: the
 * address of the part of the access in that byte's page, so @va itself in the
 * first page and the page's start in the second (privileged spec, "Machine
 * Trap Value Register": "the virtual address of the portion of the access that
 * caused the fault").
 */
static uint64_t crossing_tval(uint64_t va, unsigned i)
{
    return MAX(va, (va + i) & TARGET_PAGE_MASK);
}

uint64_t riscv_load_slow(CPURISCVState *env, uint64_t va, unsigned size)
{
    uint64_t val = 0;

    if (likely(!crosses_page(va, size))) {
        return load_in_page(env, va, size, va);
    }
    /* Misaligned accesses are emulated, not trapped: byte by byte, both pages. */
    for (unsigned i = 0; i < size; i++) {
        val |= load_in_page(env, va + i, 1, crossing_tval(va, i)) << (8 * i);
    }
    return val;
}

void riscv_store_slow(CPURISCVState *env, uint64_t va, uint64_t val, unsigned size)
{
    MemoryRegion *mr = NULL;
    hwaddr offset = 0;

    if (likely(!crosses_page(va, size))) {
        store_in_page(env, va, val, size, va);
        return;
    }
    /* Probe both pages first, so a fault on either leaves memory untouched. */
    tlb_data_lookup(env, va, MMU_DATA_STORE, va, &mr, &offset);
    tlb_data_lookup(env, va + size - 1, MMU_DATA_STORE, crossing_tval(va, size - 1), &mr,
                    &offset);
    for (unsigned i = 0; i < size; i++) {
        store_in_page(env, va + i, (val >> (8 * i)) & 0xff, 1, crossing_tval(va, i));
    }
}

void *riscv_probe_write(CPURISCVState *env, uint64_t va, unsigned size)
{
    MemoryRegion *mr = NULL;
    hwaddr offset = 0;

    return tlb_data_lookup(env, va, MMU_DATA_STORE, va, &mr, &offset);
}

uint8_t cpu_ldub(CPURISCVState *env, uint64_t va)
{
    return riscv_load_fast(env, va, 1);
}

uint16_t cpu_lduw(CPURISCVState *env, uint64_t va)
{
    return riscv_load_fast(env, va, 2);
}

uint32_t cpu_ldl(CPURISCVState *env, uint64_t va)
{
    return riscv_load_fast(env, va, 4);
}

uint64_t cpu_ldq(CPURISCVState *env, uint64_t va)
{
    return riscv_load_fast(env, va, 8);
}

void cpu_stb(CPURISCVState *env, uint64_t va, uint8_t val)
{
    riscv_store_fast(env, va, val, 1);
}

void cpu_stw(CPURISCVState *env, uint64_t va, uint16_t val)
{
    riscv_store_fast(env, va, val, 2);
}

void cpu_stl(CPURISCVState *env, uint64_t va, uint32_t val)
{
    riscv_store_fast(env, va, val, 4);
}

void cpu_stq(CPURISCVState *env, uint64_t va, uint64_t val)
{
    riscv_store_fast(env, va, val, 8);
}
