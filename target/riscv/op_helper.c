/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Instruction handlers for RV64I, M, A, Zicsr, Zifencei and the privileged
 * instructions.  Each one executes a pre-decoded DecodedInsn: operands are
 * fields of @d, the destination is never x0 unless the handler checks it,
 * and the pc only moves once nothing can fault any more.  The second half of
 * the file wraps them into the threaded runners that ExecSlots chain through
 * (translate.h).
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "target/riscv/translate.h"
#include "target/riscv/tlb_inline.h"

/*
 * HANDLER(name) { body } defines the body once, inlined both into
 * riscv_op_NAME (one instruction: what riscv_decode stores in d->fn) and into
 * the threaded runners exec_NAME_2/_4 generated at the end of this file.
 */
#define HANDLER(name)                                                           \
    static inline QEMU_ALWAYS_INLINE void body_##name(CPURISCVState *env,      \
                                                      const DecodedInsn *d);   \
    void riscv_op_##name(CPURISCVState *env, const DecodedInsn *d)              \
    {                                                                           \
        body_##name(env, d);                                                    \
    }                                                                           \
    static inline QEMU_ALWAYS_INLINE void body_##name(CPURISCVState *env,      \
                                                      const DecodedInsn *d)
/* Same, for bodies that leave the pc alone: riscv_op_NAME moves it after them. */
#define SIMPLE_HANDLER(name)                                                    \
    static inline QEMU_ALWAYS_INLINE void body_##name(CPURISCVState *env,      \
                                                      const DecodedInsn *d);   \
    void riscv_op_##name(CPURISCVState *env, const DecodedInsn *d)              \
    {                                                                           \
        body_##name(env, d);                                                    \
        env->pc += d->len;                                                      \
    }                                                                           \
    static inline QEMU_ALWAYS_INLINE void body_##name(CPURISCVState *env,      \
                                                      const DecodedInsn *d)
#define X(r) env->gpr[d->r]

HANDLER(illegal)
{
    riscv_raise_illegal(env, d);
}

SIMPLE_HANDLER(nop)
{
}

SIMPLE_HANDLER(lui)
{
    X(rd) = d->imm;
}

HANDLER(auipc)
{
    X(rd) = env->pc + d->imm;
    env->pc += d->len;
}

HANDLER(jal)
{
    X(rd) = env->pc + d->len;
    env->pc += d->imm;
}

HANDLER(j)
{
    env->pc += d->imm;
}

HANDLER(jalr)
{
    /* The target uses rs1 before rd is written (rd may equal rs1). */
    uint64_t target = (X(rs1) + d->imm) & ~1ULL;

    X(rd) = env->pc + d->len;
    env->pc = target;
}

HANDLER(jr)
{
    env->pc = (X(rs1) + d->imm) & ~1ULL;
}

/* With C, every branch target is 2-byte aligned: no misaligned-target trap. */
#define BRANCH(name, cond)                                  \
    HANDLER(name)                                           \
    {                                                       \
        uint64_t a = X(rs1), b = X(rs2);                    \
        env->pc += (cond) ? d->imm : (int64_t)d->len;       \
    }

BRANCH(beq, a == b)
BRANCH(bne, a != b)
BRANCH(blt, (int64_t)a < (int64_t)b)
BRANCH(bge, (int64_t)a >= (int64_t)b)
BRANCH(bltu, a < b)
BRANCH(bgeu, a >= b)

/* Loads to x0 are still performed: they may fault or touch a device. */
#define LOAD(name, type)                                                   \
    SIMPLE_HANDLER(name)                                                   \
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
    SIMPLE_HANDLER(name)                                            \
    {                                                               \
        riscv_store_fast(env, X(rs1) + d->imm, X(rs2), size);       \
    }

STORE(sb, 1)
STORE(sh, 2)
STORE(sw, 4)
STORE(sd, 8)

#define ALU(name, expr)                                     \
    SIMPLE_HANDLER(name)                                      \
    {                                                       \
        uint64_t a = X(rs1), b = X(rs2);                    \
        (void)b;                                            \
        X(rd) = (expr);                                     \
    }

#define ALU_IMM(name, expr)                                 \
    SIMPLE_HANDLER(name)                                      \
    {                                                       \
        uint64_t a = X(rs1), b = d->imm;                    \
        X(rd) = (expr);                                     \
    }

#define SEXT32(v) ((uint64_t)(int64_t)(int32_t)(v))

SIMPLE_HANDLER(li)
{
    X(rd) = d->imm;
}

SIMPLE_HANDLER(mv)
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

/* ---- Zifencei, system instructions (privileged spec chapter 3.3) ---- */

HANDLER(fence_i)
{
    riscv_flush_decode_cache(env);
    env->pc += d->len;
}

HANDLER(ecall)
{
    static const uint64_t cause[4] = {
        [PRV_U] = RISCV_EXCP_U_ECALL, [PRV_S] = RISCV_EXCP_S_ECALL,
        [PRV_M] = RISCV_EXCP_M_ECALL,
    };

    /* hintvm's built-in SBI: S-mode ecalls are served without an M-mode trap. */
    if (env->priv == PRV_S && env->ecall_hook && env->ecall_hook(env, env->ecall_opaque)) {
        env->pc += 4;
        return;
    }
    riscv_raise_exception(env, cause[env->priv & 3], 0);
}

HANDLER(ebreak)
{
    /* mtval may be 0 or the pc (priv spec 3.1.16); 0 as QEMU 7.2 reports. */
    riscv_raise_exception(env, RISCV_EXCP_BREAKPOINT, 0);
}

HANDLER(mret)
{
    riscv_cpu_mret(env, d);
}

HANDLER(sret)
{
    riscv_cpu_sret(env, d);
}

HANDLER(wfi)
{
    /*
     * Privileged spec 3.1.6.5: TW makes WFI below M-mode illegal; as QEMU
     * does, WFI in U-mode is illegal whenever S-mode exists.
     */
    if (env->priv == PRV_U || (env->priv == PRV_S && (env->mstatus & MSTATUS_TW))) {
        riscv_raise_illegal(env, d);
    }
    env->pc += d->len;
    if (!riscv_cpu_has_work(env->cpu)) {
        env->halted = 1;
    }
}

HANDLER(sfence_vma)
{
    if (env->priv == PRV_U || (env->priv == PRV_S && (env->mstatus & MSTATUS_TVM))) {
        riscv_raise_illegal(env, d);
    }
    if (d->rs1 == 0) {
        tlb_flush(env);
    } else {
        tlb_flush_page(env, X(rs1));
    }
    env->pc += d->len;
}

/* ---- Zicsr ---- */

static void do_csr(CPURISCVState *env, const DecodedInsn *d, uint64_t value, uint64_t mask,
                   bool read)
{
    uint64_t old = 0;

    if (riscv_csrrw(env, d->csr, read ? &old : NULL, value, mask) != RISCV_EXCP_NONE) {
        riscv_raise_illegal(env, d);
    }
    if (d->rd) {
        X(rd) = old;
    }
    env->pc += d->len;
}

/* CSRRW with rd = x0 does not read the CSR (no read side effects). */
HANDLER(csrrw)
{
    do_csr(env, d, X(rs1), ~0ULL, d->rd != 0);
}

HANDLER(csrrwi)
{
    do_csr(env, d, d->rs1, ~0ULL, d->rd != 0);
}

/* CSRRS/CSRRC with rs1 = x0 (or uimm = 0) do not write: mask 0. */
HANDLER(csrrs)
{
    do_csr(env, d, ~0ULL, d->rs1 ? X(rs1) : 0, true);
}

HANDLER(csrrc)
{
    do_csr(env, d, 0, d->rs1 ? X(rs1) : 0, true);
}

HANDLER(csrrsi)
{
    do_csr(env, d, ~0ULL, d->rs1, true);
}

HANDLER(csrrci)
{
    do_csr(env, d, 0, d->rs1, true);
}

/* ---- A extension ---- */

static inline void *amo_prepare(CPURISCVState *env, uint64_t va, unsigned size)
{
    if (unlikely(va & (size - 1))) {
        riscv_raise_exception(env, RISCV_EXCP_STORE_AMO_ADDR_MIS, va);
    }
    return riscv_probe_write(env, va, size);
}

#define LR(name, type)                                                      \
    HANDLER(name)                                                           \
    {                                                                       \
        uint64_t va = X(rs1);                                               \
        uint64_t v;                                                         \
        if (unlikely(va & (sizeof(type) - 1))) {                            \
            riscv_raise_exception(env, RISCV_EXCP_LOAD_ADDR_MIS, va);       \
        }                                                                   \
        v = (type)riscv_load_fast(env, va, sizeof(type));                   \
        env->load_res = va;                                                 \
        env->load_val = v;                                                  \
        if (d->rd) {                                                        \
            X(rd) = v;                                                      \
        }                                                                   \
        env->pc += d->len;                                                  \
    }

/*
 * SC succeeds only if the reservation is for this address and memory still
 * holds the value LR saw (a host compare-and-swap); any SC clears it.
 */
#define SC(name, type, utype)                                               \
    HANDLER(name)                                                           \
    {                                                                       \
        uint64_t va = X(rs1);                                               \
        bool ok = false;                                                    \
        if (env->load_res == va) {                                          \
            utype *host = amo_prepare(env, va, sizeof(type));               \
            utype expected = (utype)env->load_val;                          \
            if (host) {                                                     \
                ok = __atomic_compare_exchange_n(host, &expected,           \
                        (utype)X(rs2), false, __ATOMIC_SEQ_CST,             \
                        __ATOMIC_SEQ_CST);                                  \
            } else if ((utype)riscv_load_slow(env, va, sizeof(type)) == expected) { \
                riscv_store_slow(env, va, X(rs2), sizeof(type));            \
                ok = true;                                                  \
            }                                                               \
        }                                                                   \
        env->load_res = -1;                                                 \
        if (d->rd) {                                                        \
            X(rd) = !ok;                                                    \
        }                                                                   \
        env->pc += d->len;                                                  \
    }

LR(lr_w, int32_t)
LR(lr_d, int64_t)
SC(sc_w, int32_t, uint32_t)
SC(sc_d, int64_t, uint64_t)

/*
 * AMOs: a compare-and-swap loop on RAM (atomic against other harts and
 * devices); MMIO gets a plain read-modify-write.  Results of .W are
 * sign-extended.  @stype/@utype are the signed/unsigned access types.
 */
#define AMO(name, stype, utype, expr)                                       \
    HANDLER(name)                                                           \
    {                                                                       \
        uint64_t va = X(rs1);                                               \
        utype src = (utype)X(rs2);                                          \
        utype *host = amo_prepare(env, va, sizeof(utype));                  \
        utype old, new;                                                     \
        if (host) {                                                         \
            old = __atomic_load_n(host, __ATOMIC_RELAXED);                  \
            do {                                                            \
                utype a = old, b = src;                                     \
                (void)a;                                                    \
                new = (expr);                                               \
            } while (!__atomic_compare_exchange_n(host, &old, new, true,    \
                                                  __ATOMIC_SEQ_CST,         \
                                                  __ATOMIC_RELAXED));       \
        } else {                                                            \
            utype a = riscv_load_slow(env, va, sizeof(utype)), b = src;     \
            old = a;                                                        \
            (void)b;                                                        \
            new = (expr);                                                   \
            riscv_store_slow(env, va, new, sizeof(utype));                  \
        }                                                                   \
        if (d->rd) {                                                        \
            X(rd) = (uint64_t)(int64_t)(stype)old;                          \
        }                                                                   \
        env->pc += d->len;                                                  \
    }

#define AMO_BOTH(op, expr_w, expr_d)                                        \
    AMO(op##_w, int32_t, uint32_t, expr_w)                                  \
    AMO(op##_d, int64_t, uint64_t, expr_d)

AMO_BOTH(amoswap, b, b)
AMO_BOTH(amoadd, a + b, a + b)
AMO_BOTH(amoxor, a ^ b, a ^ b)
AMO_BOTH(amoand, a & b, a & b)
AMO_BOTH(amoor, a | b, a | b)
AMO_BOTH(amomin, (int32_t)a < (int32_t)b ? a : b, (int64_t)a < (int64_t)b ? a : b)
AMO_BOTH(amomax, (int32_t)a > (int32_t)b ? a : b, (int64_t)a > (int64_t)b ? a : b)
AMO_BOTH(amominu, a < b ? a : b, a < b ? a : b)
AMO_BOTH(amomaxu, a > b ? a : b, a > b ? a : b)

/* ---- Threaded runners (see translate.h) ---- */

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
 * A taken jump or branch from @pc to @target: count the instructions so far
 * into instret and, unless an exit (kick, interrupt, remote fence) is
 * requested, go straight on at the target when it is in the same page (the
 * slots are indexed by offset, so the target's slot is as far from this one
 * as the target from @pc); anything else goes back to the loop.
 */
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
 * in the loop, which applies it.  Anything else is left to the loop.
 */
static __attribute__((noinline)) uint64_t exec_far(CPURISCVState *env, uint64_t target)
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

#define EXEC_RUNNER(name, len)                                                  \
    static uint64_t exec_##name##_##len(CPURISCVState *env, const ExecSlot *s,  \
                                        uint64_t n, uint64_t pc)

#define EXEC_BOTH(gen, name) gen(name, 2) gen(name, 4)

/* Cannot trap and do not use the pc: env->pc is left stale until needed. */
#define EXEC_PURE_LEN(name, len)                                                \
    EXEC_RUNNER(name, len)                                                      \
    {                                                                           \
        body_##name(env, &s->d);                                                \
        return exec_next(env, s, len, n, pc);                                   \
    }

#define EXEC_STRAIGHT_LEN(name, len)                                            \
    EXEC_RUNNER(name, len)                                                      \
    {                                                                           \
        env->pc = pc;                                                           \
        body_##name(env, &s->d);                                                \
        return exec_next(env, s, len, n, pc);                                   \
    }

#define EXEC_END_LEN(name, len)                                                 \
    EXEC_RUNNER(name, len)                                                      \
    {                                                                           \
        env->pc = pc;                                                           \
        body_##name(env, &s->d);                                                \
        return n + 1;                                                           \
    }

#define EXEC_PURE(name) EXEC_BOTH(EXEC_PURE_LEN, name)
#define EXEC_STRAIGHT(name) EXEC_BOTH(EXEC_STRAIGHT_LEN, name)
#define EXEC_END(name) EXEC_BOTH(EXEC_END_LEN, name)

RISCV_PURE_HANDLERS(EXEC_PURE)
RISCV_STRAIGHT_HANDLERS(EXEC_STRAIGHT)

/*
 * Jumps and branches (their bodies above are for riscv_op_NAME): the pc is
 * only stored when going back to the loop.  With C, every target is 2-byte
 * aligned, so none of them can raise a misaligned-target exception.
 */
#define EXEC_BRANCH_LEN(name, cond, len)                                        \
    EXEC_RUNNER(name, len)                                                      \
    {                                                                           \
        const DecodedInsn *d = &s->d;                                           \
        uint64_t a = X(rs1), b = X(rs2);                                        \
                                                                                \
        if (!(cond)) {                                                          \
            return exec_next(env, s, len, n, pc);                               \
        }                                                                       \
        return exec_taken(env, s, pc, pc + d->imm, n);                          \
    }

#define EXEC_BRANCH(name, cond) \
    EXEC_BRANCH_LEN(name, cond, 2) EXEC_BRANCH_LEN(name, cond, 4)

EXEC_BRANCH(beq, a == b)
EXEC_BRANCH(bne, a != b)
EXEC_BRANCH(blt, (int64_t)a < (int64_t)b)
EXEC_BRANCH(bge, (int64_t)a >= (int64_t)b)
EXEC_BRANCH(bltu, a < b)
EXEC_BRANCH(bgeu, a >= b)

/* @link: write the return address to rd; @indirect: the target is rs1 + imm. */
#define EXEC_JUMP_LEN(name, link, indirect, len)                                \
    EXEC_RUNNER(name, len)                                                      \
    {                                                                           \
        const DecodedInsn *d = &s->d;                                           \
        uint64_t target = indirect ? (X(rs1) + d->imm) & ~1ULL : pc + d->imm;   \
                                                                                \
        if (link) {                                                             \
            X(rd) = pc + len;                                                   \
        }                                                                       \
        return exec_taken(env, s, pc, target, n);                               \
    }

#define EXEC_JUMP(name, link, indirect) \
    EXEC_JUMP_LEN(name, link, indirect, 2) EXEC_JUMP_LEN(name, link, indirect, 4)

EXEC_JUMP(jal, true, false)
EXEC_JUMP(j, false, false)
EXEC_JUMP(jalr, true, true)
EXEC_JUMP(jr, false, true)
RISCV_END_HANDLERS(EXEC_END)

/*
 * Loads and stores: the TLB hit inline, with env->pc untouched (nothing can
 * trap); anything else goes through the whole handler in a separate function,
 * so the hit path needs no stack frame.
 */
#define EXEC_MEMORY_SLOW(name, len)                                             \
    static __attribute__((noinline)) uint64_t                                  \
    exec_##name##_slow_##len(CPURISCVState *env, const ExecSlot *s, uint64_t n, \
                             uint64_t pc)                                       \
    {                                                                           \
        env->pc = pc;                                                           \
        body_##name(env, &s->d);                                                \
        return exec_next(env, s, len, n, pc);                                   \
    }

#define EXEC_LOAD_LEN(name, type, len)                                          \
    EXEC_MEMORY_SLOW(name, len)                                                 \
    EXEC_RUNNER(name, len)                                                      \
    {                                                                           \
        const DecodedInsn *d = &s->d;                                           \
        unsigned rd = d->rd;                                                    \
        uint64_t va = X(rs1) + d->imm;                                          \
        const RISCVTLBEntry *e =                                                \
            &env->tlb.data_read[RISCV_TLB_INDEX(va)];                           \
        type v;                                                                 \
                                                                                \
        if (unlikely(e->vpage != (va & (TARGET_PAGE_MASK | (sizeof(type) - 1))))) { \
            return exec_##name##_slow_##len(env, s, n, pc);                     \
        }                                                                       \
        memcpy(&v, (const void *)(uintptr_t)(va + e->addend), sizeof(type));    \
        if (likely(rd)) {                                                       \
            env->gpr[rd] = (uint64_t)(int64_t)v;                                \
        }                                                                       \
        return exec_next(env, s, len, n, pc);                                   \
    }

#define EXEC_STORE_LEN(name, type, len)                                         \
    EXEC_MEMORY_SLOW(name, len)                                                 \
    EXEC_RUNNER(name, len)                                                      \
    {                                                                           \
        const DecodedInsn *d = &s->d;                                           \
        uint64_t va = X(rs1) + d->imm;                                          \
        type v = X(rs2);                                                        \
        const RISCVTLBEntry *e =                                                \
            &env->tlb.data_write[RISCV_TLB_INDEX(va)];                          \
                                                                                \
        if (unlikely(e->vpage != (va & (TARGET_PAGE_MASK | (sizeof(type) - 1))))) { \
            return exec_##name##_slow_##len(env, s, n, pc);                     \
        }                                                                       \
        memcpy((void *)(uintptr_t)(va + e->addend), &v, sizeof(type));          \
        return exec_next(env, s, len, n, pc);                                   \
    }

#define EXEC_LOAD(name, type) EXEC_LOAD_LEN(name, type, 2) EXEC_LOAD_LEN(name, type, 4)
#define EXEC_STORE(name, type) EXEC_STORE_LEN(name, type, 2) EXEC_STORE_LEN(name, type, 4)

EXEC_LOAD(lb, int8_t)
EXEC_LOAD(lh, int16_t)
EXEC_LOAD(lw, int32_t)
EXEC_LOAD(ld, int64_t)
EXEC_LOAD(lbu, uint8_t)
EXEC_LOAD(lhu, uint16_t)
EXEC_LOAD(lwu, uint32_t)
EXEC_STORE(sb, uint8_t)
EXEC_STORE(sh, uint16_t)
EXEC_STORE(sw, uint32_t)
EXEC_STORE(sd, uint64_t)

/* F and D handlers never change control flow or privilege. */
#define EXEC_OTHER_LEN(len)                                                     \
    static uint64_t exec_other_##len(CPURISCVState *env, const ExecSlot *s,     \
                                     uint64_t n, uint64_t pc)                   \
    {                                                                           \
        env->pc = pc;                                                           \
        s->d.fn(env, &s->d);                                                    \
        return exec_next(env, s, len, n, pc);                                   \
    }

EXEC_OTHER_LEN(2)
EXEC_OTHER_LEN(4)

static const struct {
    InsnHandler fn;
    ExecFn run[2];      /* for 2- and 4-byte instructions */
} exec_table[] = {
#define EXEC_ENTRY(name) { riscv_op_##name, { exec_##name##_2, exec_##name##_4 } },
    RISCV_INSN_HANDLERS(EXEC_ENTRY)
#undef EXEC_ENTRY
};

/* Handler -> index + 1 in exec_table; built once, then only read (by any hart). */
static GHashTable *exec_index;

ExecFn riscv_exec_fn_for(const DecodedInsn *d)
{
    static gsize initialised;
    unsigned wide = d->len == 4;
    size_t i;

    if (g_once_init_enter(&initialised)) {
        exec_index = g_hash_table_new(g_direct_hash, g_direct_equal);
        for (i = 0; i < ARRAY_SIZE(exec_table); i++) {
            g_hash_table_insert(exec_index, (gpointer)exec_table[i].fn,
                                GSIZE_TO_POINTER(i + 1));
        }
        g_once_init_leave(&initialised, 1);
    }
    i = GPOINTER_TO_SIZE(g_hash_table_lookup(exec_index, (gpointer)d->fn));
    if (i) {
        return exec_table[i - 1].run[wide];
    }
    return wide ? exec_other_4 : exec_other_2;
}

/*
 * Fused pairs: two adjacent instructions that often run back to back become
 * one runner, saving a dispatch: a register computation or a load/store (the
 * first half) followed by a computation, a load/store or a conditional
 * branch.  The second instruction sits in the following slot, decoded in the
 * same page (a FENCE.I drops the page, pair included), and a jump straight to
 * it still finds its own runner.  Only memory accesses can trap; one that
 * misses the TLB runs its whole handler with env->pc at its own address, so
 * exceptions keep the pc and tval of the unfused instructions.
 */
#define FUSED_PURE_A(X, ...) \
    X(__VA_ARGS__, add) X(__VA_ARGS__, addi) X(__VA_ARGS__, addiw) X(__VA_ARGS__, addw) \
    X(__VA_ARGS__, slli) X(__VA_ARGS__, srli) X(__VA_ARGS__, slliw) \
    X(__VA_ARGS__, srliw) X(__VA_ARGS__, xor) X(__VA_ARGS__, or) X(__VA_ARGS__, and) \
    X(__VA_ARGS__, andi) X(__VA_ARGS__, mv)
#define FUSED_MEMORY_A(X, ...) \
    X(__VA_ARGS__, lbu) X(__VA_ARGS__, lw) X(__VA_ARGS__, ld) \
    X(__VA_ARGS__, sb) X(__VA_ARGS__, sw) X(__VA_ARGS__, sd)
/* The same lists again for second halves (a macro cannot expand inside itself). */
#define FUSED_PURE_B(X, ...) \
    X(__VA_ARGS__, add) X(__VA_ARGS__, addi) X(__VA_ARGS__, addiw) X(__VA_ARGS__, addw) \
    X(__VA_ARGS__, slli) X(__VA_ARGS__, srli) X(__VA_ARGS__, slliw) \
    X(__VA_ARGS__, srliw) X(__VA_ARGS__, xor) X(__VA_ARGS__, or) X(__VA_ARGS__, and) \
    X(__VA_ARGS__, andi) X(__VA_ARGS__, mv)
#define FUSED_MEMORY_B(X, ...) \
    X(__VA_ARGS__, lbu) X(__VA_ARGS__, lw) X(__VA_ARGS__, ld) \
    X(__VA_ARGS__, sb) X(__VA_ARGS__, sw) X(__VA_ARGS__, sd)
#define FUSED_BRANCH_B(X, ...) \
    X(__VA_ARGS__, beq) X(__VA_ARGS__, bne) X(__VA_ARGS__, blt) X(__VA_ARGS__, bge) \
    X(__VA_ARGS__, bltu) X(__VA_ARGS__, bgeu)

#define FUSED_THEN_PURE(X, first) FUSED_PURE_B(X, first)
#define FUSED_THEN_MEMORY(X, first) FUSED_MEMORY_B(X, first)
#define FUSED_THEN_BRANCH(X, first) FUSED_BRANCH_B(X, first)

#define FUSED_RUNNER(first, second, len1, len2)                                 \
    static uint64_t exec_##first##_##second##_##len1##len2(CPURISCVState *env,  \
                                                           const ExecSlot *s,   \
                                                           uint64_t n,          \
                                                           uint64_t pc)
/* Out of line (the whole handlers) when a memory half misses: @part is slow/second. */
#define FUSED_SLOW_RUNNER(first, second, part, len1, len2)                      \
    static __attribute__((noinline)) uint64_t                                  \
    exec_##first##_##second##_##part##_##len1##len2(CPURISCVState *env,         \
                                                    const ExecSlot *s,          \
                                                    uint64_t n, uint64_t pc)

/* After both halves: on to the slot after the second one. */
#define FUSED_NEXT(len1, len2) exec_next(env, s + (len1 >> 1), len2, n + 1, pc + len1)
#define FUSED_BRANCH_NEXT(br, len1, len2) \
    branch_tail_##br(env, s + (len1 >> 1), len2, n + 1, pc + len1)

/* The branch half, in slot @bs at @pc after @n instructions: as EXEC_BRANCH_LEN. */
#define FUSED_BRANCH_TAIL(br, cond)                                             \
    static inline QEMU_ALWAYS_INLINE uint64_t                                  \
    branch_tail_##br(CPURISCVState *env, const ExecSlot *bs, unsigned len,      \
                     uint64_t n, uint64_t pc)                                   \
    {                                                                           \
        const DecodedInsn *d = &bs->d;                                          \
        uint64_t a = X(rs1), b = X(rs2);                                        \
                                                                                \
        if (!(cond)) {                                                          \
            return exec_next(env, bs, len, n, pc);                              \
        }                                                                       \
        return exec_taken(env, bs, pc, pc + d->imm, n);                         \
    }

FUSED_BRANCH_TAIL(beq, a == b)
FUSED_BRANCH_TAIL(bne, a != b)
FUSED_BRANCH_TAIL(blt, (int64_t)a < (int64_t)b)
FUSED_BRANCH_TAIL(bge, (int64_t)a >= (int64_t)b)
FUSED_BRANCH_TAIL(bltu, a < b)
FUSED_BRANCH_TAIL(bgeu, a >= b)

/*
 * The memory half's TLB hit, inline as in EXEC_LOAD/EXEC_STORE: false on
 * anything else, which the caller sends through the whole handler.
 */
#define FUSED_ACCESS(mem, type, is_store)                                       \
    static inline QEMU_ALWAYS_INLINE bool fused_access_##mem(CPURISCVState *env, \
                                                             const DecodedInsn *d) \
    {                                                                           \
        uint64_t va = X(rs1) + d->imm;                                          \
        const RISCVTLBEntry *e = is_store ? &env->tlb.data_write[RISCV_TLB_INDEX(va)] \
                                          : &env->tlb.data_read[RISCV_TLB_INDEX(va)]; \
        void *host = (void *)(uintptr_t)(va + e->addend);                       \
        type v;                                                                 \
                                                                                \
        if (unlikely(e->vpage != (va & (TARGET_PAGE_MASK | (sizeof(type) - 1))))) { \
            return false;                                                       \
        }                                                                       \
        if (is_store) {                                                         \
            v = X(rs2);                                                         \
            memcpy(host, &v, sizeof(type));                                     \
        } else {                                                                \
            memcpy(&v, host, sizeof(type));                                     \
            if (likely(d->rd)) {                                                \
                X(rd) = (uint64_t)(int64_t)v;                                   \
            }                                                                   \
        }                                                                       \
        return true;                                                            \
    }

FUSED_ACCESS(lbu, uint8_t, false)
FUSED_ACCESS(lw, int32_t, false)
FUSED_ACCESS(ld, int64_t, false)
FUSED_ACCESS(sb, uint8_t, true)
FUSED_ACCESS(sw, uint32_t, true)
FUSED_ACCESS(sd, uint64_t, true)

#define EXEC_ALU_BRANCH_LEN(alu, br, len1, len2)                                \
    FUSED_RUNNER(alu, br, len1, len2)                                           \
    {                                                                           \
        body_##alu(env, &s->d);                                                 \
        return FUSED_BRANCH_NEXT(br, len1, len2);                               \
    }

#define EXEC_ALU_ALU_LEN(first, second, len1, len2)                             \
    FUSED_RUNNER(first, second, len1, len2)                                     \
    {                                                                           \
        body_##first(env, &s->d);                                               \
        body_##second(env, &s[len1 >> 1].d);                                    \
        return FUSED_NEXT(len1, len2);                                          \
    }

/* A fault in a second memory half leaves the first done, at the pc after it. */
#define FUSED_SECOND_SLOW(first, mem, len1, len2)                               \
    FUSED_SLOW_RUNNER(first, mem, second, len1, len2)                           \
    {                                                                           \
        env->pc = pc + len1;                                                    \
        body_##mem(env, &s[len1 >> 1].d);                                       \
        return FUSED_NEXT(len1, len2);                                          \
    }

#define EXEC_ALU_MEMORY_LEN(alu, mem, len1, len2)                               \
    FUSED_SECOND_SLOW(alu, mem, len1, len2)                                     \
    FUSED_RUNNER(alu, mem, len1, len2)                                          \
    {                                                                           \
        body_##alu(env, &s->d);                                                 \
        if (unlikely(!fused_access_##mem(env, &s[len1 >> 1].d))) {              \
            return exec_##alu##_##mem##_second_##len1##len2(env, s, n, pc);     \
        }                                                                       \
        return FUSED_NEXT(len1, len2);                                          \
    }

/* @tail: what follows the first half, a memory access, once it is done. */
#define EXEC_MEMORY_FIRST_LEN(mem, second, tail, len1, len2)                    \
    FUSED_SLOW_RUNNER(mem, second, slow, len1, len2)                            \
    {                                                                           \
        env->pc = pc;                                                           \
        body_##mem(env, &s->d);                                                 \
        tail;                                                                   \
    }                                                                           \
    FUSED_RUNNER(mem, second, len1, len2)                                       \
    {                                                                           \
        if (unlikely(!fused_access_##mem(env, &s->d))) {                        \
            return exec_##mem##_##second##_slow_##len1##len2(env, s, n, pc);    \
        }                                                                       \
        tail;                                                                   \
    }

#define EXEC_MEMORY_ALU_LEN(mem, alu, len1, len2)                               \
    EXEC_MEMORY_FIRST_LEN(mem, alu, body_##alu(env, &s[len1 >> 1].d);           \
                          return FUSED_NEXT(len1, len2), len1, len2)
#define EXEC_MEMORY_BRANCH_LEN(mem, br, len1, len2)                             \
    EXEC_MEMORY_FIRST_LEN(mem, br, return FUSED_BRANCH_NEXT(br, len1, len2), len1, len2)
#define EXEC_MEMORY_MEMORY_LEN(mem1, mem2, len1, len2)                          \
    FUSED_SECOND_SLOW(mem1, mem2, len1, len2)                                   \
    EXEC_MEMORY_FIRST_LEN(mem1, mem2,                                           \
        if (unlikely(!fused_access_##mem2(env, &s[len1 >> 1].d))) {             \
            return exec_##mem1##_##mem2##_second_##len1##len2(env, s, n, pc);   \
        }                                                                       \
        return FUSED_NEXT(len1, len2), len1, len2)

#define FUSED_ALL_LENGTHS(gen, first, second)                                   \
    gen(first, second, 2, 2) gen(first, second, 2, 4)                           \
    gen(first, second, 4, 2) gen(first, second, 4, 4)
#define EXEC_ALU_BRANCH(alu, br) FUSED_ALL_LENGTHS(EXEC_ALU_BRANCH_LEN, alu, br)
#define EXEC_ALU_ALU(a, b) FUSED_ALL_LENGTHS(EXEC_ALU_ALU_LEN, a, b)
#define EXEC_ALU_MEMORY(alu, mem) FUSED_ALL_LENGTHS(EXEC_ALU_MEMORY_LEN, alu, mem)
#define EXEC_MEMORY_ALU(mem, alu) FUSED_ALL_LENGTHS(EXEC_MEMORY_ALU_LEN, mem, alu)
#define EXEC_MEMORY_BRANCH(mem, br) FUSED_ALL_LENGTHS(EXEC_MEMORY_BRANCH_LEN, mem, br)
#define EXEC_MEMORY_MEMORY(a, b) FUSED_ALL_LENGTHS(EXEC_MEMORY_MEMORY_LEN, a, b)

FUSED_PURE_A(FUSED_THEN_BRANCH, EXEC_ALU_BRANCH)
FUSED_PURE_A(FUSED_THEN_PURE, EXEC_ALU_ALU)
FUSED_PURE_A(FUSED_THEN_MEMORY, EXEC_ALU_MEMORY)
FUSED_MEMORY_A(FUSED_THEN_PURE, EXEC_MEMORY_ALU)
FUSED_MEMORY_A(FUSED_THEN_BRANCH, EXEC_MEMORY_BRANCH)
FUSED_MEMORY_A(FUSED_THEN_MEMORY, EXEC_MEMORY_MEMORY)

typedef struct FusedEntry {
    InsnHandler first, second;
    ExecFn run[4];      /* by (first is 4 bytes) * 2 + (second is 4 bytes) */
} FusedEntry;

#define FUSED_ENTRY(first, second)                                              \
    { riscv_op_##first, riscv_op_##second,                                      \
      { exec_##first##_##second##_22, exec_##first##_##second##_24,             \
        exec_##first##_##second##_42, exec_##first##_##second##_44 } },

static const FusedEntry fused_table[] = {
    FUSED_PURE_A(FUSED_THEN_BRANCH, FUSED_ENTRY)
    FUSED_PURE_A(FUSED_THEN_PURE, FUSED_ENTRY)
    FUSED_PURE_A(FUSED_THEN_MEMORY, FUSED_ENTRY)
    FUSED_MEMORY_A(FUSED_THEN_PURE, FUSED_ENTRY)
    FUSED_MEMORY_A(FUSED_THEN_BRANCH, FUSED_ENTRY)
    FUSED_MEMORY_A(FUSED_THEN_MEMORY, FUSED_ENTRY)
};

/*
 * Pair lookup, built once (after exec_index: riscv_exec_fn_for runs first) and
 * then only read: fused_by_id[first][second] by the handlers' exec_table ids.
 */
#define HANDLER_IDS (ARRAY_SIZE(exec_table) + 1)
static const FusedEntry **fused_by_id;
static bool fused_first[HANDLER_IDS];

static size_t handler_id(InsnHandler fn)
{
    return GPOINTER_TO_SIZE(g_hash_table_lookup(exec_index, (gpointer)fn));
}

static void fused_init(void)
{
    static gsize initialised;

    if (g_once_init_enter(&initialised)) {
        fused_by_id = g_new0(const FusedEntry *, HANDLER_IDS * HANDLER_IDS);
        for (size_t i = 0; i < ARRAY_SIZE(fused_table); i++) {
            size_t first = handler_id(fused_table[i].first);
            size_t second = handler_id(fused_table[i].second);

            g_assert(first && second);
            fused_by_id[first * HANDLER_IDS + second] = &fused_table[i];
            fused_first[first] = true;
        }
        g_once_init_leave(&initialised, 1);
    }
}

ExecFn riscv_exec_fused_for(const DecodedInsn *first, const DecodedInsn *second)
{
    const FusedEntry *entry;

    fused_init();
    entry = fused_by_id[handler_id(first->fn) * HANDLER_IDS + handler_id(second->fn)];
    return entry ? entry->run[(first->len == 4) * 2 + (second->len == 4)] : NULL;
}

bool riscv_exec_fuses_first(const DecodedInsn *first)
{
    fused_init();
    return fused_first[handler_id(first->fn)];
}
