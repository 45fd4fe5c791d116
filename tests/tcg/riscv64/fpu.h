/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers for the F/D tests: run one FP instruction on raw bit patterns moved in
 * with fmv_in and out with fmv_out; fp_flags receives the fflags it raised.  The
 * _RM forms add a static rounding mode operand.
 */
#ifndef TCG_RISCV64_FPU_H
#define TCG_RISCV64_FPU_H

#include "insn.h"

#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01

extern uint64_t fp_flags;

#define F_OP2_T(insn, tail, fmv_in, fmv_out, a, b) ({ uint64_t r_, f_; \
    asm volatile("csrw fflags, zero\n " fmv_in " ft0, %2\n " fmv_in " ft1, %3\n " \
                 insn " ft2, ft0, ft1" tail "\n " fmv_out " %0, ft2\n csrr %1, fflags" \
                 : "=r"(r_), "=r"(f_) : "r"((uint64_t)(a)), "r"((uint64_t)(b)) \
                 : "ft0", "ft1", "ft2"); fp_flags = f_; r_; })
#define F_OP3(insn, fmv_in, fmv_out, a, b, c) ({ uint64_t r_, f_; \
    asm volatile("csrw fflags, zero\n " fmv_in " ft0, %2\n " fmv_in " ft1, %3\n " \
                 fmv_in " ft3, %4\n " insn " ft2, ft0, ft1, ft3\n " fmv_out " %0, ft2\n" \
                 " csrr %1, fflags" \
                 : "=r"(r_), "=r"(f_) \
                 : "r"((uint64_t)(a)), "r"((uint64_t)(b)), "r"((uint64_t)(c)) \
                 : "ft0", "ft1", "ft2", "ft3"); fp_flags = f_; r_; })
/* FP source, integer destination (fcvt to integer, fclass, fmv.x). */
#define F_TO_X_T(insn, tail, fmv_in, a) ({ uint64_t r_, f_; \
    asm volatile("csrw fflags, zero\n " fmv_in " ft0, %2\n " insn " %0, ft0" tail "\n" \
                 " csrr %1, fflags" \
                 : "=r"(r_), "=r"(f_) : "r"((uint64_t)(a)) : "ft0"); fp_flags = f_; r_; })
/* Two FP sources, integer destination (feq/flt/fle). */
#define F_CMP(insn, fmv_in, a, b) ({ uint64_t r_, f_; \
    asm volatile("csrw fflags, zero\n " fmv_in " ft0, %2\n " fmv_in " ft1, %3\n " \
                 insn " %0, ft0, ft1\n csrr %1, fflags" \
                 : "=r"(r_), "=r"(f_) : "r"((uint64_t)(a)), "r"((uint64_t)(b)) \
                 : "ft0", "ft1"); fp_flags = f_; r_; })
/* Integer source, FP destination (fcvt from integer). */
#define X_TO_F_T(insn, tail, fmv_out, a) ({ uint64_t r_, f_; \
    asm volatile("csrw fflags, zero\n " insn " ft2, %2" tail "\n " fmv_out " %0, ft2\n" \
                 " csrr %1, fflags" \
                 : "=r"(r_), "=r"(f_) : "r"((uint64_t)(a)) : "ft2"); fp_flags = f_; r_; })
/* FP source, FP destination (fsqrt, fcvt between formats). */
#define F_TO_F_T(insn, tail, fmv_in, fmv_out, a) ({ uint64_t r_, f_; \
    asm volatile("csrw fflags, zero\n " fmv_in " ft0, %2\n " insn " ft2, ft0" tail "\n " \
                 fmv_out " %0, ft2\n csrr %1, fflags" \
                 : "=r"(r_), "=r"(f_) : "r"((uint64_t)(a)) : "ft0", "ft2"); \
    fp_flags = f_; r_; })

#define F_OP2(insn, fmv_in, fmv_out, a, b) F_OP2_T(insn, "", fmv_in, fmv_out, a, b)
#define F_TO_X(insn, fmv_in, a) F_TO_X_T(insn, "", fmv_in, a)

/* Checks a result and the fflags it raised. */
void fcheck(const char *name, uint64_t got, uint64_t expected, uint64_t expected_flags);
void test_double(void);

#endif
