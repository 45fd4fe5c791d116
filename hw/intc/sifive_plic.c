/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SiFive PLIC (RISC-V PLIC specification v1.0.0; SiFive FU540-C000 manual,
 * chapter "Platform-Level Interrupt Controller").  Memory map:
 *
 *   0x000000 + 4 * id          priority of source id (id 0 does not exist)
 *   0x001000                   pending bits, 32 ids per word (read-only)
 *   0x002000 + 0x80 * ctx      enable bits of context ctx
 *   0x200000 + 0x1000 * ctx    priority threshold of context ctx
 *   0x200004 + 0x1000 * ctx    claim (read) / complete (write)
 *
 * Sources are level-triggered: while a source is not claimed its pending
 * bit follows its input line; a claim clears the pending bit and the gateway
 * forwards no new request for that source until the claim is completed.
 *
 * All callers (MMIO dispatch and device irq lines) hold the BQL.
 */
#include "qemu/osdep.h"
#include "hw/intc/sifive_plic.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "sysemu/runstate.h"
#include "migration/vmstate.h"
#include "target/riscv/cpu.h"

#define PLIC_PRIORITY_BASE      0x0
#define PLIC_PENDING_BASE       0x1000
#define PLIC_ENABLE_BASE        0x2000
#define PLIC_ENABLE_STRIDE      0x80
#define PLIC_CONTEXT_BASE       0x200000
#define PLIC_CONTEXT_STRIDE     0x1000
#define PLIC_CONTEXT_THRESHOLD  0x0
#define PLIC_CONTEXT_CLAIM      0x4
/* The reg size QEMU's virt advertises, room for 1024 contexts. */
#define PLIC_VIRT_SIZE          0x600000

#define PLIC_PRIORITY_MASK      ((1u << SIFIVE_PLIC_PRIORITY_BITS) - 1)

static bool plic_bit(const uint32_t *words, int id)
{
    return (words[id / 32] >> (id % 32)) & 1;
}

static void plic_set_bit(uint32_t *words, int id, bool value)
{
    if (value) {
        words[id / 32] |= 1u << (id % 32);
    } else {
        words[id / 32] &= ~(1u << (id % 32));
    }
}

static int plic_num_contexts(const SiFivePLICState *s)
{
    return 2 * s->num_harts;
}

/*
 * The interrupt a claim by @ctx would return: the pending, enabled source of
 * highest priority above the context's threshold, ties going to the lowest
 * id (PLIC spec, "Interrupt Claim Process"); 0 if none.
 */
static int plic_best_source(const SiFivePLICState *s, int ctx)
{
    const SiFivePLICRegs *r = &s->regs;
    uint32_t best_priority = r->threshold[ctx];
    int best = 0;

    for (int word = 0; word <= s->num_sources / 32; word++) {
        uint32_t candidates = r->pending[word] & r->enable[ctx][word] & ~r->claimed[word];

        while (candidates) {
            int id = word * 32 + __builtin_ctz(candidates);

            candidates &= candidates - 1;
            if (r->priority[id] > best_priority) {
                best_priority = r->priority[id];
                best = id;
            }
        }
    }
    return best;
}

/* Drive each hart's MEIP (even contexts) and SEIP (odd contexts). */
static void plic_update_outputs(SiFivePLICState *s)
{
    for (int ctx = 0; ctx < plic_num_contexts(s); ctx++) {
        uint64_t mip_bit = (ctx & 1) ? MIP_SEIP : MIP_MEIP;
        bool asserted = plic_best_source(s, ctx) != 0;

        /* riscv_cpu_update_mip does nothing (no kick) when the bit is unchanged. */
        riscv_cpu_update_mip(s->harts[ctx / 2], mip_bit, asserted ? mip_bit : 0);
    }
}

static void plic_irq_request(void *opaque, int id, int level)
{
    SiFivePLICState *s = opaque;
    SiFivePLICRegs *r = &s->regs;

    plic_set_bit(r->level, id, level);
    if (!plic_bit(r->claimed, id)) {
        plic_set_bit(r->pending, id, level);
    }
    plic_update_outputs(s);
}

static uint32_t plic_claim(SiFivePLICState *s, int ctx)
{
    int id = plic_best_source(s, ctx);

    if (id) {
        plic_set_bit(s->regs.pending, id, false);
        plic_set_bit(s->regs.claimed, id, true);
        plic_update_outputs(s);
    }
    return id;
}

static void plic_complete(SiFivePLICState *s, int ctx, uint32_t id)
{
    SiFivePLICRegs *r = &s->regs;

    /* A completion for a source not enabled on this context is ignored (spec). */
    if (id == 0 || id > (uint32_t)s->num_sources || !plic_bit(r->enable[ctx], id)) {
        qemu_log_mask(LOG_GUEST_ERROR, "sifive_plic: context %d completes id %u, "
                      "not enabled there\n", ctx, id);
        return;
    }
    if (!plic_bit(r->claimed, id)) {
        return;
    }
    plic_set_bit(r->claimed, id, false);
    /* The gateway forwards the line again: still high means pending again. */
    plic_set_bit(r->pending, id, plic_bit(r->level, id));
    plic_update_outputs(s);
}

/* Mask of the ids of @word that exist: id 0 never does, nor ids past num_sources. */
static uint32_t plic_valid_ids(const SiFivePLICState *s, int word)
{
    uint32_t mask = UINT32_MAX;
    int first = word * 32;

    if (word == 0) {
        mask &= ~1u;
    }
    if (s->num_sources < first + 31) {
        int valid = s->num_sources - first + 1;
        mask &= valid <= 0 ? 0 : (valid >= 32 ? UINT32_MAX : (1u << valid) - 1);
    }
    return mask;
}

static uint64_t plic_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    SiFivePLICState *s = opaque;
    SiFivePLICRegs *r = &s->regs;
    int words = s->num_sources / 32 + 1;

    if (addr & 3) {
        goto invalid;
    }
    if (addr < PLIC_PENDING_BASE) {
        int id = addr / 4;
        return id <= s->num_sources ? r->priority[id] : 0;
    }
    if (addr < PLIC_PENDING_BASE + 4 * words) {
        return r->pending[(addr - PLIC_PENDING_BASE) / 4];
    }
    if (addr >= PLIC_ENABLE_BASE &&
        addr < PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * (hwaddr)plic_num_contexts(s)) {
        int ctx = (addr - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE;
        int word = (addr - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE / 4;
        return word < words ? r->enable[ctx][word] : 0;
    }
    if (addr >= PLIC_CONTEXT_BASE &&
        addr < PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * (hwaddr)plic_num_contexts(s)) {
        int ctx = (addr - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE;

        switch ((addr - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE) {
        case PLIC_CONTEXT_THRESHOLD:
            return r->threshold[ctx];
        case PLIC_CONTEXT_CLAIM:
            return plic_claim(s, ctx);
        }
    }
invalid:
    qemu_log_mask(LOG_GUEST_ERROR, "sifive_plic: read of invalid offset 0x%"
                  HWADDR_PRIx "\n", addr);
    return 0;
}

static void plic_mmio_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    SiFivePLICState *s = opaque;
    SiFivePLICRegs *r = &s->regs;
    int words = s->num_sources / 32 + 1;

    if (addr & 3) {
        goto invalid;
    }
    if (addr < PLIC_PENDING_BASE) {
        int id = addr / 4;

        if (id >= 1 && id <= s->num_sources) {
            r->priority[id] = value & PLIC_PRIORITY_MASK;
            plic_update_outputs(s);
        }
        return;
    }
    if (addr < PLIC_PENDING_BASE + 4 * words) {
        qemu_log_mask(LOG_GUEST_ERROR, "sifive_plic: pending bits are read-only\n");
        return;
    }
    if (addr >= PLIC_ENABLE_BASE &&
        addr < PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * (hwaddr)plic_num_contexts(s)) {
        int ctx = (addr - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE;
        int word = (addr - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE / 4;

        if (word < words) {
            r->enable[ctx][word] = value & plic_valid_ids(s, word);
            plic_update_outputs(s);
        }
        return;
    }
    if (addr >= PLIC_CONTEXT_BASE &&
        addr < PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * (hwaddr)plic_num_contexts(s)) {
        int ctx = (addr - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE;

        switch ((addr - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE) {
        case PLIC_CONTEXT_THRESHOLD:
            r->threshold[ctx] = value & PLIC_PRIORITY_MASK;
            plic_update_outputs(s);
            return;
        case PLIC_CONTEXT_CLAIM:
            plic_complete(s, ctx, value);
            return;
        }
    }
invalid:
    qemu_log_mask(LOG_GUEST_ERROR, "sifive_plic: write to invalid offset 0x%"
                  HWADDR_PRIx "\n", addr);
}

static const MemoryRegionOps plic_mmio_ops = {
    .read = plic_mmio_read,
    .write = plic_mmio_write,
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

/*
 * Reset: no source enabled, all priorities and thresholds 0, no claim in
 * progress.  The input lines keep their levels (their devices drive them),
 * and an unclaimed source's pending bit follows its line.
 */
void sifive_plic_reset(SiFivePLICState *s)
{
    SiFivePLICRegs *r = &s->regs;

    memset(r->priority, 0, sizeof(r->priority));
    memset(r->claimed, 0, sizeof(r->claimed));
    memset(r->enable, 0, sizeof(r->enable));
    memset(r->threshold, 0, sizeof(r->threshold));
    memcpy(r->pending, r->level, sizeof(r->pending));
    plic_update_outputs(s);
}

static void plic_system_reset(void *opaque)
{
    sifive_plic_reset(opaque);
}

uint64_t sifive_plic_mmio_size(int num_harts)
{
    uint64_t needed = PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * 2 * (uint64_t)num_harts;

    return MAX(needed, PLIC_VIRT_SIZE);
}

qemu_irq sifive_plic_get_irq(SiFivePLICState *s, int source)
{
    g_assert(source >= 1 && source <= s->num_sources);
    return s->irqs[source];
}

static bool plic_post_load(void *opaque, int version_id, Error **errp)
{
    SiFivePLICState *s = opaque;
    SiFivePLICRegs *r = &s->regs;

    for (int id = 0; id <= SIFIVE_PLIC_MAX_SOURCES; id++) {
        if (r->priority[id] > PLIC_PRIORITY_MASK) {
            error_setg(errp, "priority %u of source %d out of range", r->priority[id], id);
            return false;
        }
    }
    for (int ctx = 0; ctx < SIFIVE_PLIC_MAX_CONTEXTS; ctx++) {
        if (r->threshold[ctx] > PLIC_PRIORITY_MASK) {
            error_setg(errp, "threshold %u of context %d out of range", r->threshold[ctx],
                       ctx);
            return false;
        }
    }
    /* mip.MEIP/SEIP of every hart follow from the loaded registers. */
    plic_update_outputs(s);
    return true;
}

static const VMStateDescription vmstate_sifive_plic_regs = {
    .name = "sifive_plic-regs",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        VMSTATE_UINT32_ARRAY(priority, SiFivePLICRegs, SIFIVE_PLIC_MAX_SOURCES + 1),
        VMSTATE_UINT32_ARRAY(pending, SiFivePLICRegs, SIFIVE_PLIC_WORDS),
        VMSTATE_UINT32_ARRAY(claimed, SiFivePLICRegs, SIFIVE_PLIC_WORDS),
        VMSTATE_UINT32_ARRAY(level, SiFivePLICRegs, SIFIVE_PLIC_WORDS),
        VMSTATE_UINT32_2DARRAY(enable, SiFivePLICRegs, SIFIVE_PLIC_MAX_CONTEXTS,
                               SIFIVE_PLIC_WORDS),
        VMSTATE_UINT32_ARRAY(threshold, SiFivePLICRegs, SIFIVE_PLIC_MAX_CONTEXTS),
        VMSTATE_END_OF_LIST(),
    },
};

/*
 * All of SiFivePLICRegs, sized for the largest PLIC so the section does not
 * depend on -smp (the configuration section checks that separately).
 */
const VMStateDescription vmstate_sifive_plic = {
    .name = "sifive_plic",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = plic_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_STRUCT(regs, SiFivePLICState, 0, vmstate_sifive_plic_regs,
                       SiFivePLICRegs),
        VMSTATE_END_OF_LIST(),
    },
};

SiFivePLICState *sifive_plic_create(hwaddr base, RISCVCPU **harts, int num_harts,
                                    int num_sources, Error **errp)
{
    SiFivePLICState *s;

    if (num_harts < 1 || num_harts > SIFIVE_PLIC_MAX_HARTS) {
        error_setg(errp, "sifive_plic: %d harts requested, the PLIC supports 1 to %d",
                   num_harts, SIFIVE_PLIC_MAX_HARTS);
        return NULL;
    }
    if (num_sources < 1 || num_sources > SIFIVE_PLIC_MAX_SOURCES) {
        error_setg(errp, "sifive_plic: %d sources requested, the PLIC supports 1 to %d",
                   num_sources, SIFIVE_PLIC_MAX_SOURCES);
        return NULL;
    }
    s = g_new0(SiFivePLICState, 1);
    s->num_harts = num_harts;
    s->num_sources = num_sources;
    memcpy(s->harts, harts, num_harts * sizeof(*harts));
    for (int id = 1; id <= num_sources; id++) {
        s->irqs[id] = qemu_allocate_irq(plic_irq_request, s, id);
    }
    memory_region_init_io(&s->mmio, &plic_mmio_ops, s, "sifive_plic",
                          sifive_plic_mmio_size(num_harts));
    memory_region_add_subregion(base, &s->mmio);
    qemu_register_reset(plic_system_reset, s);
    vmstate_register(&vmstate_sifive_plic, VMSTATE_INSTANCE_ID_ANY, s);
    return s;
}
