/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by main.c and the programs gen.py writes: the scratch area and the
 * signature area below it, and the assembly that enters a random program,
 * loads its initial state and stores its final state (see gen.py).
 */
#ifndef TCG_RISCV64_RANDOM_H
#define TCG_RISCV64_RANDOM_H

#define RANDOM_SCRATCH_SIZE 4096
/*
 * random_area: the signature (x0..x31, f0..f31, fcsr, sscratch) in
 * its first RANDOM_SIG_SIZE bytes, then the scratch area, which sp points at
 * during a program, so the signature is within reach of sp-relative stores.
 */
#define RANDOM_SIG_SIZE     768
#define RANDOM_SIG_X        0
#define RANDOM_SIG_F        256
#define RANDOM_SIG_CSR      512
#define RANDOM_SIG_CSRS     2

#ifdef __ASSEMBLER__

#define REGS_BUT_X0_T0 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, \
                       21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
#define REGS_BUT_X0 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, \
                    21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
#define REGS_ALL 0, REGS_BUT_X0

/*
 * The caller's registers, saved in random_host_state.  Programs may run in S or
 * U-mode, so CSRs other than fcsr are main.c's business.
 */
.macro ENTER
    la      t0, random_host_state   /* t0 is a temporary: the caller expects it lost */
    .irp n, REGS_BUT_X0_T0
    sd      x\n, \n*8(t0)
    .endr
    .irp n, REGS_ALL
    fsd     f\n, (256+\n*8)(t0)
    .endr
.endm

/* Every register from the table at t6 (x0..x31 then f0..f31); t6 last. */
.macro LOAD_STATE
    .irp n, REGS_ALL
    fld     f\n, (256+\n*8)(t6)
    .endr
    .irp n, REGS_BUT_X0
    ld      x\n, \n*8(t6)
    .endr
.endm

/* Store the signature below sp (= the scratch area), restore the caller, return. */
.macro LEAVE
    .irp n, REGS_ALL
    sd      x\n, (RANDOM_SIG_X+\n*8-RANDOM_SIG_SIZE)(sp)
    fsd     f\n, (RANDOM_SIG_F+\n*8-RANDOM_SIG_SIZE)(sp)
    .endr
    frcsr   t0
    sd      t0, (RANDOM_SIG_CSR-RANDOM_SIG_SIZE)(sp)
    csrw    fcsr, zero
    la      t0, random_host_state
    .irp n, REGS_ALL
    fld     f\n, (256+\n*8)(t0)
    .endr
    .irp n, REGS_BUT_X0_T0
    ld      x\n, \n*8(t0)
    .endr
    ret
.endm

#else

#include <stdint.h>

extern uint8_t random_area[RANDOM_SIG_SIZE + RANDOM_SCRATCH_SIZE];
extern uint64_t random_host_state[64];
extern void (*const random_programs[])(void);
/* Per program: its index in the file's numbering, its memory seed, its RandomMode. */
extern const uint64_t random_program_info[][3];

/*
 * The privilege a program runs in; in S and U-mode under Sv39 (identity map,
 * 4 KiB pages around the scratch area), with the second page of random_area
 * read-only (_RO), invalid (_NONE) or execute-only (_XONLY, readable from S
 * with mstatus.MXR), or with both pages U pages that S reaches with
 * mstatus.SUM (_SUM).  main.c's mode table has the details.
 */
typedef enum RandomMode {
    RANDOM_MODE_M,
    RANDOM_MODE_S,
    RANDOM_MODE_U,
    RANDOM_MODE_S_RO,
    RANDOM_MODE_U_RO,
    RANDOM_MODE_S_NONE,
    RANDOM_MODE_U_NONE,
    RANDOM_MODE_S_SUM,
    RANDOM_MODE_S_XONLY_MXR,
    RANDOM_MODE_U_XONLY,
    RANDOM_MODES
} RandomMode;
extern const uint64_t random_program_count;

#endif
#endif
