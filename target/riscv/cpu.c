/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RISC-V hart: creation, reset, the execution loop, exceptions and
 * interrupt delivery.
 *
 * The loop runs "blocks": threaded runs of decoded instructions inside one
 * guest page (translate.h), which end at the page's end, at a jump out of
 * it, at system instructions, and at any taken branch once an exit is
 * requested.  Between blocks it checks exit requests and pending
 * interrupts, recomputes the data MMU index and finds the decoded page for
 * the pc through the fetch TLB.  Interrupts can only become pending through
 * riscv_cpu_update_mip (which kicks the hart: the block ends at its next
 * taken branch, or within a page of straight-line code) or through CSR and
 * system instructions (which end the block), so a kicked hart stops within a
 * bounded number of instructions.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "sysemu/cpus.h"
#include <sched.h>
#include "target/riscv/translate.h"
#include "target/riscv/tlb_inline.h"

static const CPUOps riscv_cpu_ops;

RISCVCPU *riscv_cpu_create(int hartid)
{
    RISCVCPU *cpu = g_new0(RISCVCPU, 1);
    CPURISCVState *env = &cpu->env;

    cpu->parent_obj.ops = &riscv_cpu_ops;
    cpu->parent_obj.cpu_index = hartid;
    env->cpu = cpu;
    env->mhartid = hartid;
    env->misa = MISA_MXL_RV64 | RVI | RVM | RVA | RVF | RVD | RVC | RVS | RVU;
    env->load_res = -1;
    cpu->reset_a0 = hartid;
    riscv_code_cache_init(env);
    tlb_flush(env);
    return cpu;
}

void riscv_cpu_free(RISCVCPU *cpu)
{
    if (!cpu) {
        return;
    }
    g_hash_table_destroy(cpu->env.tlb.code_pages);
    g_free(cpu);
}

void riscv_cpu_reset(RISCVCPU *cpu)
{
    CPURISCVState *env = &cpu->env;

    /* Privileged spec 3.4: M-mode, CSRs at their reset values, pc at the reset vector. */
    riscv_csr_reset(env);
    memset(env->gpr, 0, sizeof(env->gpr));
    memset(env->fpr, 0, sizeof(env->fpr));
    env->instret = env->mcycle_offset = env->minstret_offset = 0;
    env->load_val = 0;
    env->halted = 0;
    env->pc = cpu->reset_pc;
    env->gpr[10] = cpu->reset_a0;
    env->gpr[11] = cpu->reset_a1;
    cpu->powered_off = cpu->start_powered_off;
    riscv_code_cache_drop_all(env);
}

const char *riscv_cpu_isa_string(RISCVCPU *cpu)
{
    /* Linux 6.1 parses the single letters and skips "_z..." names it does not use. */
    return "rv64imafdc_zicsr_zifencei";
}

void riscv_raise_exception(CPURISCVState *env, uint64_t cause, uint64_t tval)
{
    /*
     * A trap ends any LR/SC sequence (the reservation is not kept across it);
     * riscv_cpu_do_trap logs it for -d int.
     */
    env->load_res = -1;
    riscv_cpu_do_trap(env, false, cause, tval);
    siglongjmp(env->jmp_env, 1);
}

void riscv_raise_illegal(CPURISCVState *env, const DecodedInsn *d)
{
    /* mtval gets the faulting instruction bits, 16 of them for compressed ones. */
    riscv_raise_exception(env, RISCV_EXCP_ILLEGAL_INST, d->len == 2 ? d->raw16 : d->raw);
}

bool riscv_cpu_has_work(RISCVCPU *cpu)
{
    CPURISCVState *env = &cpu->env;

    /* WFI resumes on any interrupt pending in mip and enabled in mie (3.3.3). */
    return (__atomic_load_n(&env->mip, __ATOMIC_ACQUIRE) & env->mie) != 0;
}

void riscv_cpu_kick(RISCVCPU *cpu)
{
    __atomic_store_n(&cpu->env.exit_request, 1, __ATOMIC_RELEASE);
}

void riscv_cpu_update_mip(RISCVCPU *cpu, uint64_t mask, uint64_t value)
{
    CPURISCVState *env = &cpu->env;
    uint64_t old = __atomic_load_n(&env->mip, __ATOMIC_RELAXED);
    uint64_t new;

    do {
        new = (old & ~mask) | (value & mask);
    } while (!__atomic_compare_exchange_n(&env->mip, &old, new, true, __ATOMIC_SEQ_CST,
                                          __ATOMIC_RELAXED));
    if (new == old) {
        return;
    }
    riscv_cpu_kick(cpu);
    if (__atomic_load_n(&env->halted, __ATOMIC_ACQUIRE)) {
        cpu_wake(&cpu->parent_obj);
    }
}

/* Take the highest-priority pending interrupt, if interrupts allow one. */
static void check_interrupts(CPURISCVState *env)
{
    if (unlikely(__atomic_load_n(&env->mip, __ATOMIC_RELAXED) & env->mie)) {
        int irq = riscv_cpu_pending_interrupt(env);

        if (irq >= 0) {
            env->load_res = -1;
            riscv_cpu_do_trap(env, true, irq, 0);
        }
    }
}

/* ---- Flush requests (remote fences) ---- */

/* The hart this thread runs, for a requester that waits inside an ECALL. */
static __thread RISCVCPU *current_hart;

unsigned riscv_cpu_flush_request(RISCVCPU *cpu, unsigned what)
{
    RISCVTLB *tlb = &cpu->env.tlb;
    unsigned ticket;

    /* The bits first: whoever sees the new ticket also sees them. */
    __atomic_fetch_or(&tlb->flush_pending, what, __ATOMIC_SEQ_CST);
    ticket = __atomic_add_fetch(&tlb->flush_req, 1, __ATOMIC_SEQ_CST);
    riscv_cpu_kick(cpu);
    return ticket;
}

/* Apply every request made so far; on the hart's thread, between blocks. */
static void apply_flush_requests(CPURISCVState *env)
{
    RISCVTLB *tlb = &env->tlb;
    unsigned ticket = __atomic_load_n(&tlb->flush_req, __ATOMIC_ACQUIRE);
    unsigned what = __atomic_exchange_n(&tlb->flush_pending, 0, __ATOMIC_ACQ_REL);

    if (what & CPU_FLUSH_TLB) {
        tlb_flush(env);
    } else if (what & CPU_FLUSH_WRITE) {
        tlb_flush_write_entries(env);
    }
    if (what & CPU_FLUSH_CODE) {
        riscv_code_cache_drop_all(env);
    }
    tlb->flush_applied = ticket;
    __atomic_store_n(&tlb->flush_ack, ticket, __ATOMIC_RELEASE);
}

/*
 * A hart waiting in an ECALL for another one promises to apply the requests
 * made to it so far: it runs no guest instruction before its next block,
 * which applies them (flush_applied stays behind).  Without this, two harts
 * fencing each other at once would wait for each other forever.
 */
static void ack_own_flush_requests(void)
{
    RISCVTLB *tlb;

    if (!current_hart) {
        return;
    }
    tlb = &current_hart->env.tlb;
    __atomic_store_n(&tlb->flush_ack, __atomic_load_n(&tlb->flush_req, __ATOMIC_ACQUIRE),
                     __ATOMIC_RELEASE);
}

void riscv_cpu_flush_wait(RISCVCPU *cpu, unsigned ticket)
{
    RISCVTLB *tlb = &cpu->env.tlb;
    bool had_bql = false;

    for (;;) {
        ack_own_flush_requests();
        /* Tickets wrap: compare their distance, not their values. */
        if ((int)(__atomic_load_n(&tlb->flush_ack, __ATOMIC_ACQUIRE) - ticket) >= 0 ||
            !__atomic_load_n(&tlb->in_guest, __ATOMIC_SEQ_CST)) {
            break;
        }
        if (!had_bql && bql_locked()) {
            had_bql = true;
            bql_unlock();
        }
        /* The hart was kicked: it stops at its next taken branch or page end. */
        sched_yield();
    }
    if (had_bql) {
        bql_lock();
    }
}

void riscv_cpu_flush_sync(RISCVCPU *cpu, unsigned what)
{
    riscv_cpu_flush_wait(cpu, riscv_cpu_flush_request(cpu, what));
}

/*
 * State that may have changed since the last block: flush requests from
 * other threads and FENCE.I, and the data MMU index (MPRV, SUM, privilege).
 * satp and MXR writes flush the TLB where they happen, in csr.c.
 */
static void prepare_block(CPURISCVState *env)
{
    RISCVTLB *tlb = &env->tlb;

    if (unlikely(__atomic_load_n(&tlb->flush_req, __ATOMIC_ACQUIRE) !=
                 tlb->flush_applied)) {
        apply_flush_requests(env);
    }
    tlb->data_idx = riscv_data_mmu_idx(env);
    tlb->data_read = tlb->read[tlb->data_idx];
    tlb->data_write = tlb->write[tlb->data_idx];
}

static DecodedPage *block_page(CPURISCVState *env)
{
    uint64_t pc = env->pc;
    RISCVFetchEntry *e = &env->tlb.fetch[riscv_fetch_mmu_idx(env)][RISCV_TLB_INDEX(pc)];

    if (unlikely(e->vpage != (pc & TARGET_PAGE_MASK))) {
        e = riscv_fetch_fill(env, pc);
    }
    if (unlikely(!e->code)) {
        DecodedPage *page = riscv_code_page_get(env, e->ppage,
                                                (const uint8_t *)(e->vpage + e->addend));
        e->code = page;
    }
    return e->code;
}

static bool should_leave(RISCVCPU *cpu)
{
    CPURISCVState *env = &cpu->env;

    if (unlikely(__atomic_load_n(&env->exit_request, __ATOMIC_ACQUIRE))) {
        __atomic_store_n(&env->exit_request, 0, __ATOMIC_RELAXED);
        return true;
    }
    return env->halted || cpu->powered_off;
}

static void run_blocks(RISCVCPU *cpu)
{
    CPURISCVState *env = &cpu->env;

    while (!should_leave(cpu)) {
        DecodedPage *page;
        const ExecSlot *s;

        check_interrupts(env);
        prepare_block(env);
        page = block_page(env);
        env->tlb.cur_page = page;
        s = &page->slot[(env->pc & ~TARGET_PAGE_MASK) >> 1];

        /*
         * The slots chain on by themselves (translate.h) and come back here
         * at the end of the page, at a jump out of it, at an instruction
         * that may change privilege, translation or interrupt enables, and
         * at a taken branch when an exit is requested.  They return the
         * instructions retired since they last added to instret; an
         * instruction that traps does not retire, and the trap leaves the
         * few counted since the last taken branch uncounted (instret stays
         * monotonic, which is what guests need).
         */
        env->instret += s->run(env, s, 0, env->pc);
    }
}

void riscv_cpu_exec(RISCVCPU *cpu)
{
    CPURISCVState *env = &cpu->env;

    if (cpu->powered_off) {
        return;
    }
    if (env->halted) {
        if (!riscv_cpu_has_work(cpu)) {
            return;
        }
        env->halted = 0;
    }
    /*
     * Flush requesters skip a hart outside guest code (it applies their
     * requests in its first block): announce entry before that block reads
     * them, with a full barrier against the requester's ticket increment.
     */
    current_hart = cpu;
    __atomic_store_n(&env->tlb.in_guest, 1, __ATOMIC_SEQ_CST);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    /*
     * Exceptions raised by handlers (riscv_raise_exception) have entered the
     * trap already and come back here to start a new block at the handler.
     */
    sigsetjmp(env->jmp_env, 0);
    run_blocks(cpu);
    __atomic_store_n(&env->tlb.in_guest, 0, __ATOMIC_RELEASE);
}

void riscv_cpu_dump_state(RISCVCPU *cpu, FILE *f)
{
    static const char *const abi_names[32] = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2",
        "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
        "s10", "s11", "t3", "t4", "t5", "t6",
    };
    CPURISCVState *env = &cpu->env;

    fprintf(f, " pc       %016" PRIx64 "  priv %" PRIu64 "  instret %" PRIu64 "\n",
            env->pc, env->priv, env->instret);
    fprintf(f, " mhartid  %016" PRIx64 "\n", env->mhartid);
    fprintf(f, " mstatus  %016" PRIx64 "  mip %016" PRIx64 "  mie %016" PRIx64 "\n",
            env->mstatus, __atomic_load_n(&env->mip, __ATOMIC_RELAXED), env->mie);
    fprintf(f, " mideleg  %016" PRIx64 "  medeleg %016" PRIx64 "\n", env->mideleg,
            env->medeleg);
    fprintf(f, " mtvec    %016" PRIx64 "  stvec %016" PRIx64 "  satp %016" PRIx64 "\n",
            env->mtvec, env->stvec, env->satp);
    fprintf(f, " mepc     %016" PRIx64 "  mcause %016" PRIx64 "  mtval %016" PRIx64 "\n",
            env->mepc, env->mcause, env->mtval);
    fprintf(f, " sepc     %016" PRIx64 "  scause %016" PRIx64 "  stval %016" PRIx64 "\n",
            env->sepc, env->scause, env->stval);
    for (int i = 0; i < 32; i++) {
        fprintf(f, " x%-2d/%-4s %016" PRIx64 "%s", i, abi_names[i], env->gpr[i],
                (i % 4) == 3 ? "\n" : " ");
    }
    for (int i = 0; i < 32; i++) {
        fprintf(f, " f%-2d      %016" PRIx64 "%s", i, env->fpr[i], (i % 4) == 3 ? "\n" : " ");
    }
}

/* ---- The generic CPU interface (hw/core/cpu.h) ---- */

static void riscv_cpu_ops_exec(CPUState *cs)
{
    riscv_cpu_exec(RISCV_CPU(cs));
}

static void riscv_cpu_ops_kick(CPUState *cs)
{
    riscv_cpu_kick(RISCV_CPU(cs));
}

static void riscv_cpu_ops_reset(CPUState *cs)
{
    riscv_cpu_reset(RISCV_CPU(cs));
}

static bool riscv_cpu_ops_has_work(CPUState *cs)
{
    RISCVCPU *cpu = RISCV_CPU(cs);

    if (__atomic_load_n(&cpu->powered_off, __ATOMIC_ACQUIRE)) {
        return false;
    }
    return !__atomic_load_n(&cpu->env.halted, __ATOMIC_ACQUIRE) ||
           riscv_cpu_has_work(cpu);
}

static unsigned riscv_cpu_ops_flush_request(CPUState *cs, unsigned what)
{
    return riscv_cpu_flush_request(RISCV_CPU(cs), what);
}

static void riscv_cpu_ops_flush_wait(CPUState *cs, unsigned ticket)
{
    riscv_cpu_flush_wait(RISCV_CPU(cs), ticket);
}

static void riscv_cpu_ops_dump_state(CPUState *cs, FILE *f)
{
    riscv_cpu_dump_state(RISCV_CPU(cs), f);
}

static const CPUOps riscv_cpu_ops = {
    .exec = riscv_cpu_ops_exec,
    .kick = riscv_cpu_ops_kick,
    .reset = riscv_cpu_ops_reset,
    .has_work = riscv_cpu_ops_has_work,
    .flush_request = riscv_cpu_ops_flush_request,
    .flush_wait = riscv_cpu_ops_flush_wait,
    .dump_state = riscv_cpu_ops_dump_state,
    .vmsd = &vmstate_riscv_cpu,
};
