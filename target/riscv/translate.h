/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to the CPU core (translate.c, op_helper.c, cpu.c, tlb.c): the
 * decoded-instruction cache and the instruction handlers.
 *
 * Decode-once design: each guest physical page that runs code gets a
 * DecodedPage with one ExecSlot per 2-byte offset.  A slot starts as
 * riscv_exec_decode_me, which decodes the instruction in place on first
 * execution; after that only slot->run is called.
 */
#ifndef TARGET_RISCV_TRANSLATE_H
#define TARGET_RISCV_TRANSLATE_H

#include "target/riscv/internals.h"
#include "exec/ramblock.h"

#define RISCV_SLOTS_PER_PAGE (TARGET_PAGE_SIZE / 2)
/* Bound on decoded pages per hart (80 KiB each): drop them all beyond it. */
#define RISCV_CODE_PAGES_MAX 1024

/*
 * Threaded dispatch: a slot's @run executes the instruction in @d and, when
 * execution goes on in the same page, tail-calls the next slot's @run
 * (d[1].run for straight-line code, the target's for a taken branch), so
 * each handler ends in its own, well-predicted indirect jump.  A handler
 * returns to the execution loop with the number of instructions it and its
 * chain retired that are not yet in env->instret (@n counts those before it).
 * @pc is the instruction's address, carried in a register along the chain: a
 * runner stores it to env->pc before anything that may read it (a trap, a
 * helper), and every way back to the loop leaves env->pc exact.
 */
typedef struct ExecSlot ExecSlot;
typedef uint64_t (*ExecFn)(CPURISCVState *env, const ExecSlot *s, uint64_t n, uint64_t pc);

struct ExecSlot {
    ExecFn run;
    DecodedInsn d;
};

typedef struct DecodedPage {
    uint64_t ppage;             /* guest physical page address: hash key */
    const uint8_t *host;        /* host address of the page's first byte */
    /* One slot per 2-byte offset, plus one past the end that leaves the page. */
    ExecSlot slot[RISCV_SLOTS_PER_PAGE + 1];
} DecodedPage;

/* translate.c: decoded pages */
DecodedPage *riscv_code_page_get(CPURISCVState *env, uint64_t ppage, const uint8_t *host);
/* Free every decoded page and forget fetch entries that point at them. */
void riscv_code_cache_drop_all(CPURISCVState *env);
void riscv_code_cache_init(CPURISCVState *env);
/* Decode the compressed instruction @insn16 into @d (false if reserved). */
bool riscv_decode_compressed(uint16_t insn16, DecodedInsn *d);
/* Slot runners of translate.c: decode on first use, page-crossing instructions. */
uint64_t riscv_exec_decode_me(CPURISCVState *env, const ExecSlot *s, uint64_t n,
                              uint64_t pc);
uint64_t riscv_exec_page_end(CPURISCVState *env, const ExecSlot *s, uint64_t n,
                             uint64_t pc);

/* tlb.c: slow paths behind tlb_inline.h and the fetch side */
RISCVFetchEntry *riscv_fetch_fill(CPURISCVState *env, uint64_t va);
int riscv_fetch_mmu_idx(CPURISCVState *env);

/*
 * Every instruction handler, as riscv_op_NAME (one instruction, the
 * InsnHandler that riscv_decode stores in d->fn), grouped by how the threaded
 * runner op_helper.c makes of it goes on:
 *   PURE:     to the next slot; they cannot trap and do not read the pc, so
 *             their runners leave env->pc alone;
 *   MEMORY:   loads and stores: to the next slot, with the TLB hit inline;
 *   STRAIGHT: to the next slot;
 *   JUMP:     to the next slot, or to the target if taken (checking exit
 *             requests, so a kick stops even a tight loop);
 *   END:      back to the loop, which re-checks interrupts, MMU index and TLB
 *             state (privilege, CSR, fences, WFI, traps).
 */
#define RISCV_MEMORY_HANDLERS(X) \
    X(lb) X(lh) X(lw) X(ld) X(lbu) X(lhu) X(lwu) \
    X(sb) X(sh) X(sw) X(sd)

#define RISCV_STRAIGHT_HANDLERS(X) \
    X(auipc) \
    X(lr_w) X(sc_w) X(lr_d) X(sc_d) \
    X(amoswap_w) X(amoadd_w) X(amoxor_w) X(amoand_w) X(amoor_w) \
    X(amomin_w) X(amomax_w) X(amominu_w) X(amomaxu_w) \
    X(amoswap_d) X(amoadd_d) X(amoxor_d) X(amoand_d) X(amoor_d) \
    X(amomin_d) X(amomax_d) X(amominu_d) X(amomaxu_d)

#define RISCV_PURE_HANDLERS(X) \
    X(nop) X(lui) X(li) X(mv) X(addi) X(slti) X(sltiu) X(xori) X(ori) X(andi) \
    X(slli) X(srli) X(srai) X(addiw) X(slliw) X(srliw) X(sraiw) \
    X(add) X(sub) X(sll) X(slt) X(sltu) X(xor) X(srl) X(sra) X(or) X(and) \
    X(addw) X(subw) X(sllw) X(srlw) X(sraw) \
    X(mul) X(mulh) X(mulhsu) X(mulhu) X(div) X(divu) X(rem) X(remu) \
    X(mulw) X(divw) X(divuw) X(remw) X(remuw)

#define RISCV_JUMP_HANDLERS(X) \
    X(jal) X(j) X(jalr) X(jr) \
    X(beq) X(bne) X(blt) X(bge) X(bltu) X(bgeu)

#define RISCV_END_HANDLERS(X) \
    X(illegal) X(fence_i) X(ecall) X(ebreak) X(mret) X(sret) X(wfi) X(sfence_vma) \
    X(csrrw) X(csrrs) X(csrrc) X(csrrwi) X(csrrsi) X(csrrci)

#define RISCV_INSN_HANDLERS(X) \
    RISCV_PURE_HANDLERS(X) RISCV_MEMORY_HANDLERS(X) RISCV_STRAIGHT_HANDLERS(X) \
    RISCV_JUMP_HANDLERS(X) RISCV_END_HANDLERS(X)

#define RISCV_DECLARE_HANDLER(name) \
    void riscv_op_##name(CPURISCVState *env, const DecodedInsn *d);
RISCV_INSN_HANDLERS(RISCV_DECLARE_HANDLER)
#undef RISCV_DECLARE_HANDLER

/*
 * op_helper.c: the threaded runner for a decoded instruction (by its d->fn
 * and length); handlers it does not know (F and D) get a generic one.
 */
ExecFn riscv_exec_fn_for(const DecodedInsn *d);
/* The runner executing @first and the @second that follows it, or NULL. */
ExecFn riscv_exec_fused_for(const DecodedInsn *first, const DecodedInsn *second);
/* Whether @first starts any fused pair (worth decoding what follows it). */
bool riscv_exec_fuses_first(const DecodedInsn *first);

#endif
