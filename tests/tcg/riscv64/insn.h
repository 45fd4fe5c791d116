/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers that execute exactly one chosen instruction on given operands, so the
 * compiler cannot fold the result at build time.
 */
#ifndef TCG_RISCV64_INSN_H
#define TCG_RISCV64_INSN_H

#include "runtime.h"

/* norvc: these tests want the 32-bit encodings; rvc.c covers the compressed ones. */
#define NORVC(text) ".option push\n.option norvc\n" text "\n.option pop\n"

#define OP_RR(insn, a, b) ({ uint64_t r_; \
    asm volatile(NORVC(insn " %0, %1, %2") : "=r"(r_) : "r"((uint64_t)(a)), "r"((uint64_t)(b))); \
    r_; })
#define OP_RI(insn, a, imm) ({ uint64_t r_; \
    asm volatile(NORVC(insn " %0, %1, %2") : "=r"(r_) : "r"((uint64_t)(a)), "i"(imm)); r_; })
#define OP_R(insn, a) ({ uint64_t r_; \
    asm volatile(NORVC(insn " %0, %1") : "=r"(r_) : "r"((uint64_t)(a))); r_; })

#define CHECK_RR(insn, a, b, expected) \
    check(insn "(" #a "," #b ")", OP_RR(insn, a, b), (uint64_t)(expected))
#define CHECK_RI(insn, a, imm, expected) \
    check(insn "(" #a "," #imm ")", OP_RI(insn, a, imm), (uint64_t)(expected))

#endif
