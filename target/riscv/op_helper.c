/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Instruction handlers for RV64I, M, A, Zicsr, Zifencei and the privileged
 * instructions.  Each one executes a pre-decoded DecodedInsn: operands are
 * fields of @d, the destination is never x0 unless the handler checks it,
 * and the pc only moves once nothing can fault any more.  The bodies of the
 * register and memory instructions live in op_bodies.h, shared with the
 * fused-pair runners of op_fused.c.  The second half of the file wraps them
 * into the threaded runners that ExecSlots chain through (translate.h).
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "target/riscv/op_bodies.h"

/* riscv_op_NAME for the bodies of op_bodies.h: the pc moves after them. */
#define SIMPLE_HANDLER(name)                                                    \
    void riscv_op_##name(CPURISCVState *env, const DecodedInsn *d)              \
    {                                                                           \
        body_##name(env, d);                                                    \
        env->pc += d->len;                                                      \
    }

RISCV_PURE_HANDLERS(SIMPLE_HANDLER)
RISCV_MEMORY_HANDLERS(SIMPLE_HANDLER)

/*
 * HANDLER(name) { body } defines the body once, inlined both into
 * riscv_op_NAME (one instruction: what riscv_decode stores in d->fn) and into
 * the threaded runners exec_NAME_2/_4 generated below.
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

HANDLER(illegal)
{
    riscv_raise_illegal(env, d);
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

/*
 * These go back to the loop anyway, so they first bring instret up to date:
 * a CSR instruction then reads (and writes) the counters exactly.
 */
#define EXEC_END_LEN(name, len)                                                 \
    EXEC_RUNNER(name, len)                                                      \
    {                                                                           \
        env->instret += n;                                                      \
        env->pc = pc;                                                           \
        body_##name(env, &s->d);                                                \
        return 1;                                                               \
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

size_t riscv_exec_handler_id(InsnHandler fn)
{
    static gsize initialised;

    G_STATIC_ASSERT(ARRAY_SIZE(exec_table) + 1 == RISCV_HANDLER_IDS);
    if (g_once_init_enter(&initialised)) {
        exec_index = g_hash_table_new(g_direct_hash, g_direct_equal);
        for (size_t i = 0; i < ARRAY_SIZE(exec_table); i++) {
            g_hash_table_insert(exec_index, (gpointer)exec_table[i].fn,
                                GSIZE_TO_POINTER(i + 1));
        }
        g_once_init_leave(&initialised, 1);
    }
    return GPOINTER_TO_SIZE(g_hash_table_lookup(exec_index, (gpointer)fn));
}

ExecFn riscv_exec_fn_for(const DecodedInsn *d)
{
    unsigned wide = d->len == 4;
    size_t id = riscv_exec_handler_id(d->fn);

    if (id) {
        return exec_table[id - 1].run[wide];
    }
    return wide ? exec_other_4 : exec_other_2;
}
