/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interfaces between the CPU's own files:
 *   translate.c/decode: instruction decode into DecodedInsn, integer ops
 *   cpu.c:          execution loop, exceptions, interrupts check, WFI
 *   tlb.c:          soft TLB, guest loads/stores, fetch
 *   csr.c:          CSR access and side effects
 *   cpu_helper.c:   trap entry/return, interrupt priority, page table walk
 *   fpu_helper.c:   F and D decode and execution (softfloat in fpu/)
 */
#ifndef TARGET_RISCV_INTERNALS_H
#define TARGET_RISCV_INTERNALS_H

#include "target/riscv/cpu.h"

typedef struct DecodedInsn DecodedInsn;
/*
 * Executes one decoded instruction.  On success it advances env->pc itself
 * (usually by d->len).  On an exception it calls riscv_raise_exception with
 * env->pc still pointing at the instruction.
 */
typedef void (*InsnHandler)(CPURISCVState *env, const DecodedInsn *d);

struct DecodedInsn {
    InsnHandler fn;
    int64_t imm;
    uint32_t raw;       /* the instruction bits (expanded if compressed: see raw16) */
    uint16_t raw16;     /* original compressed bits, for mtval on illegal insn */
    uint8_t rd, rs1, rs2, rs3;
    uint8_t len;        /* 2 or 4 */
    uint8_t rm;         /* FP rounding mode field / CSR funct3 / AMO aq,rl */
    uint16_t csr;
};

/* Access types for translation and faults */
typedef enum MMUAccessType {
    MMU_DATA_LOAD = 0,
    MMU_DATA_STORE = 1,
    MMU_INST_FETCH = 2,
} MMUAccessType;

/* ---- cpu.c ---- */
/* Abort the current instruction and take a synchronous trap. */
void riscv_raise_exception(CPURISCVState *env, uint64_t cause, uint64_t tval)
    QEMU_NORETURN;
/* Raise illegal instruction with the right mtval for instruction @d. */
void riscv_raise_illegal(CPURISCVState *env, const DecodedInsn *d) QEMU_NORETURN;

/* ---- translate.c ---- */
/* Decode the 32-bit (or expanded 16-bit) instruction @insn into @d; false if illegal. */
bool riscv_decode(uint32_t insn, DecodedInsn *d);
/* Expand a compressed instruction to its 32-bit equivalent; 0 if reserved/illegal. */
uint32_t riscv_expand_compressed(uint16_t insn);
/* FENCE.I: drop decoded instructions so later fetches see stored code. */
void riscv_flush_decode_cache(CPURISCVState *env);

/* ---- tlb.c ---- */
void tlb_flush(CPURISCVState *env);
void tlb_flush_page(CPURISCVState *env, uint64_t vaddr);
/* Guest memory accesses with translation; they raise faults (never return on fault). */
uint8_t cpu_ldub(CPURISCVState *env, uint64_t va);
uint16_t cpu_lduw(CPURISCVState *env, uint64_t va);
uint32_t cpu_ldl(CPURISCVState *env, uint64_t va);
uint64_t cpu_ldq(CPURISCVState *env, uint64_t va);
void cpu_stb(CPURISCVState *env, uint64_t va, uint8_t val);
void cpu_stw(CPURISCVState *env, uint64_t va, uint16_t val);
void cpu_stl(CPURISCVState *env, uint64_t va, uint32_t val);
void cpu_stq(CPURISCVState *env, uint64_t va, uint64_t val);
/* The MMU index for data accesses in the current mode (MPRV, SUM applied). */
int riscv_data_mmu_idx(CPURISCVState *env);

/* ---- csr.c ---- */
/*
 * Read-modify-write CSR @csrno: *@ret_value gets the old value (if non-NULL),
 * bits in @write_mask take @new_value.  A zero write_mask means no write (CSRRS/C
 * with rs1=x0).  Returns RISCV_EXCP_NONE or RISCV_EXCP_ILLEGAL_INST.
 */
int riscv_csrrw(CPURISCVState *env, int csrno, uint64_t *ret_value, uint64_t new_value,
                uint64_t write_mask);
/* Reset-time CSR state (privileged spec 3.4): M-mode, everything else zero. */
void riscv_csr_reset(CPURISCVState *env);

/* ---- cpu_helper.c ---- */
/* Highest-priority pending and enabled interrupt number, or -1. */
int riscv_cpu_pending_interrupt(CPURISCVState *env);
/* Trap entry: delegation, xepc/xcause/xtval, xstatus stacking, pc = vector. */
void riscv_cpu_do_trap(CPURISCVState *env, bool is_interrupt, uint64_t cause, uint64_t tval);
/* MRET and SRET; they raise illegal instruction when not allowed (TSR, mode). */
void riscv_cpu_mret(CPURISCVState *env, const DecodedInsn *d);
void riscv_cpu_sret(CPURISCVState *env, const DecodedInsn *d);
void riscv_cpu_set_priv(CPURISCVState *env, uint64_t priv);
/*
 * Translate @vaddr for @access at MMU index @mmu_idx: on success returns
 * RISCV_EXCP_NONE with *@paddr and *@prot (PROT_READ|PROT_WRITE|PROT_EXEC
 * allowed for this page, so the TLB may cache them); otherwise the exception
 * cause (page fault matching @access).  Sets A and D bits as the spec says.
 */
int riscv_mmu_translate(CPURISCVState *env, uint64_t vaddr, MMUAccessType access,
                        int mmu_idx, hwaddr *paddr, int *prot);

/* ---- fpu_helper.c ---- */
/* Decode F/D instructions (LOAD-FP, STORE-FP, OP-FP, FMADD..FNMADD); false if illegal. */
bool riscv_decode_fp(uint32_t insn, DecodedInsn *d);

/* ---- helpers shared by all ---- */
/* The access-fault cause matching an access type (privileged spec, table 3.6). */
static inline int riscv_access_fault_cause(MMUAccessType access)
{
    switch (access) {
    case MMU_INST_FETCH:
        return RISCV_EXCP_INST_ACCESS_FAULT;
    case MMU_DATA_STORE:
        return RISCV_EXCP_STORE_AMO_ACCESS_FAULT;
    default:
        return RISCV_EXCP_LOAD_ACCESS_FAULT;
    }
}

static inline uint64_t riscv_mstatus_fs(const CPURISCVState *env)
{
    return (env->mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT;
}

/* FP instructions trap as illegal while mstatus.FS is Off. */
static inline void riscv_require_fp(CPURISCVState *env, const DecodedInsn *d)
{
    if (unlikely(riscv_mstatus_fs(env) == EXT_STATUS_OFF)) {
        riscv_raise_illegal(env, d);
    }
}

/* Any write to FP state (registers, fflags, frm) makes FS Dirty (and SD set). */
static inline void riscv_mark_fs_dirty(CPURISCVState *env)
{
    env->mstatus |= MSTATUS_FS | MSTATUS_SD;
}

#endif
