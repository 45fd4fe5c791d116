/* SPDX-License-Identifier: GPL-2.0-or-later */
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
#include "qemu/osdep.h"
#include "target/riscv/op_bodies.h"

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
 * Pair lookup, built once and then only read (by any hart):
 * fused_by_id[first][second] by the handler ids of op_helper.c.
 */
static const FusedEntry **fused_by_id;
static bool fused_first[RISCV_HANDLER_IDS];

static void fused_init(void)
{
    static gsize initialised;

    if (g_once_init_enter(&initialised)) {
        fused_by_id = g_new0(const FusedEntry *, RISCV_HANDLER_IDS * RISCV_HANDLER_IDS);
        for (size_t i = 0; i < ARRAY_SIZE(fused_table); i++) {
            size_t first = riscv_exec_handler_id(fused_table[i].first);
            size_t second = riscv_exec_handler_id(fused_table[i].second);

            g_assert(first && second);
            fused_by_id[first * RISCV_HANDLER_IDS + second] = &fused_table[i];
            fused_first[first] = true;
        }
        g_once_init_leave(&initialised, 1);
    }
}

ExecFn riscv_exec_fused_for(const DecodedInsn *first, const DecodedInsn *second)
{
    const FusedEntry *entry;

    fused_init();
    entry = fused_by_id[riscv_exec_handler_id(first->fn) * RISCV_HANDLER_IDS +
                        riscv_exec_handler_id(second->fn)];
    return entry ? entry->run[(first->len == 4) * 2 + (second->len == 4)] : NULL;
}

bool riscv_exec_fuses_first(const DecodedInsn *first)
{
    fused_init();
    return fused_first[riscv_exec_handler_id(first->fn)];
}
