/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to op_helper.c and op_fused.c: the bodies of the instructions that
 * both the single-instruction runners and the fused-pair runners execute
 * (every PURE and MEMORY handler of translate.h), and the chaining steps
 * every runner ends with.
 *
 * A body executes a pre-decoded DecodedInsn: operands are fields of @d and it
 * leaves the pc alone (riscv_op_NAME in op_helper.c moves it afterwards, the
 * runners carry it in a register).  Everything here is always inlined, so
 * splitting the runners over two files costs no call on the hot path.
 */
#ifndef TARGET_RISCV_OP_BODIES_H
#define TARGET_RISCV_OP_BODIES_H

#include "target/riscv/translate.h"
#include "target/riscv/tlb_inline.h"

#define X(r) env->gpr[d->r]
#define SEXT32(v) ((uint64_t)(int64_t)(int32_t)(v))

#define BODY(name)                                                              \
    static inline QEMU_ALWAYS_INLINE void body_##name(CPURISCVState *env,      \
                                                      const DecodedInsn *d)

BODY(nop)
{
}

BODY(lui)
{
    X(rd) = d->imm;
}

/* Loads to x0 are still performed: they may fault or touch a device. */
#define LOAD(name, type)                                                   \
    BODY(name)                                                             \
    {                                                                      \
        uint64_t v = (type)riscv_load_fast(env, X(rs1) + d->imm, sizeof(type)); \
        if (likely(d->rd)) {                                               \
            X(rd) = v;                                                     \
        }                                                                  \
    }

LOAD(lb, int8_t)
LOAD(lh, int16_t)
LOAD(lw, int32_t)
LOAD(ld, uint64_t)
LOAD(lbu, uint8_t)
LOAD(lhu, uint16_t)
LOAD(lwu, uint32_t)

#define STORE(name, size)                                           \
    BODY(name)                                                      \
    {                                                               \
        riscv_store_fast(env, X(rs1) + d->imm, X(rs2), size);       \
    }

STORE(sb, 1)
STORE(sh, 2)
STORE(sw, 4)
STORE(sd, 8)

#define ALU(name, expr)                                     \
    BODY(name)                                              \
    {                                                       \
        uint64_t a = X(rs1), b = X(rs2);                    \
        (void)b;                                            \
        X(rd) = (expr);                                     \
    }

#define ALU_IMM(name, expr)                                 \
    BODY(name)                                              \
    {                                                       \
        uint64_t a = X(rs1), b = d->imm;                    \
        X(rd) = (expr);                                     \
    }

BODY(li)
{
    X(rd) = d->imm;
}

BODY(mv)
{
    X(rd) = X(rs1);
}

ALU_IMM(addi, a + b)
ALU_IMM(slti, (int64_t)a < (int64_t)b)
ALU_IMM(sltiu, a < b)
ALU_IMM(xori, a ^ b)
ALU_IMM(ori, a | b)
ALU_IMM(andi, a & b)
ALU_IMM(slli, a << b)
ALU_IMM(srli, a >> b)
ALU_IMM(srai, (uint64_t)((int64_t)a >> b))
ALU_IMM(addiw, SEXT32(a + b))
ALU_IMM(slliw, SEXT32((uint32_t)a << b))
ALU_IMM(srliw, SEXT32((uint32_t)a >> b))
ALU_IMM(sraiw, SEXT32((int32_t)a >> b))

ALU(add, a + b)
ALU(sub, a - b)
ALU(sll, a << (b & 63))
ALU(slt, (int64_t)a < (int64_t)b)
ALU(sltu, a < b)
ALU(xor, a ^ b)
ALU(srl, a >> (b & 63))
ALU(sra, (uint64_t)((int64_t)a >> (b & 63)))
ALU(or, a | b)
ALU(and, a & b)
ALU(addw, SEXT32(a + b))
ALU(subw, SEXT32(a - b))
ALU(sllw, SEXT32((uint32_t)a << (b & 31)))
ALU(srlw, SEXT32((uint32_t)a >> (b & 31)))
ALU(sraw, SEXT32((int32_t)a >> (b & 31)))

/* M extension: division by zero and overflow results per spec table 7.1 */
static inline uint64_t do_div(int64_t a, int64_t b)
{
    if (b == 0) {
        return ~0ULL;
    }
    if (a == INT64_MIN && b == -1) {
        return a;
    }
    return a / b;
}

static inline uint64_t do_rem(int64_t a, int64_t b)
{
    if (b == 0) {
        return a;
    }
    if (a == INT64_MIN && b == -1) {
        return 0;
    }
    return a % b;
}

static inline uint64_t do_divw(int32_t a, int32_t b)
{
    if (b == 0) {
        return ~0ULL;
    }
    if (a == INT32_MIN && b == -1) {
        return SEXT32(a);
    }
    return SEXT32(a / b);
}

static inline uint64_t do_remw(int32_t a, int32_t b)
{
    if (b == 0) {
        return SEXT32(a);
    }
    if (a == INT32_MIN && b == -1) {
        return 0;
    }
    return SEXT32(a % b);
}

ALU(mul, a * b)
ALU(mulh, (uint64_t)(((__int128)(int64_t)a * (__int128)(int64_t)b) >> 64))
ALU(mulhsu, (uint64_t)(((__int128)(int64_t)a * (__int128)(unsigned __int128)b) >> 64))
ALU(mulhu, (uint64_t)(((unsigned __int128)a * (unsigned __int128)b) >> 64))
ALU(div, do_div(a, b))
ALU(divu, b ? a / b : ~0ULL)
ALU(rem, do_rem(a, b))
ALU(remu, b ? a % b : a)
ALU(mulw, SEXT32((uint32_t)a * (uint32_t)b))
ALU(divw, do_divw(a, b))
ALU(divuw, (uint32_t)b ? SEXT32((uint32_t)a / (uint32_t)b) : ~0ULL)
ALU(remw, do_remw(a, b))
ALU(remuw, (uint32_t)b ? SEXT32((uint32_t)a % (uint32_t)b) : SEXT32(a))

/* ---- Chaining from one runner to the next (see translate.h) ---- */

/*
 * Each runner exists for both instruction lengths (exec_NAME_2, exec_NAME_4),
 * so the next slot's address is a constant offset from this one and its
 * runner can be loaded before the instruction's own work is done.
 */
static inline QEMU_ALWAYS_INLINE uint64_t exec_next(CPURISCVState *env,
                                                    const ExecSlot *s, unsigned len,
                                                    uint64_t n, uint64_t pc)
{
    const ExecSlot *next = s + (len >> 1);

    return next->run(env, next, n + 1, pc + len);
}

/*
 * Chaining relies on the compiler turning the runners' calls into jumps
 * (sibling calls).  Without optimisation, or under AddressSanitizer, it may
 * not, and a loop would grow the stack without bound: there taken branches go
 * back to the loop (straight-line chains are bounded by the page anyway).
 */
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
#define RISCV_CHAIN_TAKEN 1
#else
#define RISCV_CHAIN_TAKEN 0
#endif

/*
 * A taken jump to another page goes on there directly when the fetch TLB
 * already maps it to a decoded page: the entry is looked up afresh each time,
 * and everything that invalidates entries or decoded pages (SFENCE.VMA, satp
 * and privilege changes, FENCE.I, remote flush requests) first ends the chain
 * in the loop, which applies it.  Anything else is left to the loop.  Each
 * file including this header gets its own out-of-line copy, so a chain never
 * calls across files.
 */
static __attribute__((noinline, unused)) uint64_t exec_far(CPURISCVState *env,
                                                            uint64_t target)
{
    const RISCVFetchEntry *e =
        &env->tlb.fetch[riscv_fetch_mmu_idx(env)][RISCV_TLB_INDEX(target)];
    const ExecSlot *next;

    if (unlikely(e->vpage != (target & TARGET_PAGE_MASK) || !e->code)) {
        env->pc = target;
        return 0;
    }
    env->tlb.cur_page = e->code;
    next = &e->code->slot[(target & ~TARGET_PAGE_MASK) >> 1];
    return next->run(env, next, 0, target);
}

/*
 * A taken jump or branch from @pc to @target: count the instructions so far
 * into instret and, unless an exit (kick, interrupt, remote fence) is
 * requested, go straight on at the target when it is in the same page (the
 * slots are indexed by offset, so the target's slot is as far from this one
 * as the target from @pc); anything else goes back to the loop.
 */
static inline QEMU_ALWAYS_INLINE uint64_t exec_taken(CPURISCVState *env,
                                                     const ExecSlot *s, uint64_t pc,
                                                     uint64_t target, uint64_t n)
{
    const ExecSlot *next;

    env->instret += n + 1;
    if (!RISCV_CHAIN_TAKEN ||
        unlikely(__atomic_load_n(&env->exit_request, __ATOMIC_RELAXED))) {
        env->pc = target;
        return 0;
    }
    if (unlikely((target ^ pc) & TARGET_PAGE_MASK)) {
        return exec_far(env, target);
    }
    next = s + ((int64_t)(target - pc) >> 1);
    return next->run(env, next, 0, target);
}

/* ---- Handler ids, shared with op_fused.c's pair table ---- */

#define RISCV_COUNT_HANDLER(name) + 1
/* Ids run from 1 to RISCV_HANDLER_IDS - 1; 0 means "not a known handler" (F, D). */
#define RISCV_HANDLER_IDS (1 RISCV_INSN_HANDLERS(RISCV_COUNT_HANDLER))

/* op_helper.c: @fn's id, 0 if it has no runner of its own; any thread. */
size_t riscv_exec_handler_id(InsnHandler fn);

#endif
