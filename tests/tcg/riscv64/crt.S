/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Start-up and trap entry for the bare-metal test programs.
 *
 * Hart 0 enters _start in M-mode (a0 = hartid, a1 = DTB).  Trap entries save every
 * integer register into a TrapFrame on a dedicated trap stack (found through
 * mscratch / sscratch), call a C handler that may edit the frame, then return with
 * mret / sret.  Traps do not nest.
 */
#include "runtime.h"

    .section .text.init, "ax"
    .globl _start
_start:
    csrr    t0, mhartid
    bnez    t0, park
    la      sp, stack_top
    la      t0, m_trap_stack_top
    csrw    mscratch, t0
    la      t0, trap_entry_m
    csrw    mtvec, t0
    csrw    medeleg, zero
    csrw    mideleg, zero
    csrw    mie, zero
    csrw    satp, zero
    /* mstatus.FS = Initial so the F/D registers are usable (priv spec 3.1.6.6) */
    li      t0, MSTATUS_FS_INITIAL
    csrs    mstatus, t0
    csrw    fcsr, zero
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    runtime_init
    call    main
    call    test_exit
/*
 * Other harts (-smp N: all start here) wait until hart 0 sets smp_release,
 * then run secondary_main(hartid) on their own stack.  smp_release is in .data,
 * not .bss, so hart 0 clearing the BSS cannot race with the wait; the stacks
 * are only touched after the release.  Programs that do not define
 * secondary_main leave the harts in the weak default's WFI loop.
 */
park:
    li      t1, SMP_MAX_HARTS
    bgeu    t0, t1, secondary_main
    la      t1, smp_release
1:  ld      t2, 0(t1)
    beqz    t2, 1b
    fence   r, rw
    la      sp, secondary_stacks
    li      t1, 4096
    mul     t1, t1, t0
    add     sp, sp, t1
    mv      a0, t0
    call    secondary_main
    j       secondary_main

    .weak   secondary_main
secondary_main:
    wfi
    j       secondary_main

/*
 * Save all registers but sp (x2) into the frame at sp; x2's old value is in the
 * scratch CSR.  \vec is stored as the frame's vector slot.
 */
.macro SAVE_REGS scratch
    sd      x1, 1*8(sp)
    sd      x3, 3*8(sp)
    sd      x4, 4*8(sp)
    sd      x5, 5*8(sp)
    sd      x6, 6*8(sp)
    sd      x7, 7*8(sp)
    sd      x8, 8*8(sp)
    sd      x9, 9*8(sp)
    sd      x10, 10*8(sp)
    sd      x11, 11*8(sp)
    sd      x12, 12*8(sp)
    sd      x13, 13*8(sp)
    sd      x14, 14*8(sp)
    sd      x15, 15*8(sp)
    sd      x16, 16*8(sp)
    sd      x17, 17*8(sp)
    sd      x18, 18*8(sp)
    sd      x19, 19*8(sp)
    sd      x20, 20*8(sp)
    sd      x21, 21*8(sp)
    sd      x22, 22*8(sp)
    sd      x23, 23*8(sp)
    sd      x24, 24*8(sp)
    sd      x25, 25*8(sp)
    sd      x26, 26*8(sp)
    sd      x27, 27*8(sp)
    sd      x28, 28*8(sp)
    sd      x29, 29*8(sp)
    sd      x30, 30*8(sp)
    sd      x31, 31*8(sp)
    csrr    t0, \scratch
    sd      t0, 2*8(sp)
.endm

.macro RESTORE_REGS_AND_RETURN scratch, ret
    addi    t0, sp, TRAP_FRAME_SIZE
    csrw    \scratch, t0
    ld      x1, 1*8(sp)
    ld      x3, 3*8(sp)
    ld      x4, 4*8(sp)
    ld      x5, 5*8(sp)
    ld      x6, 6*8(sp)
    ld      x7, 7*8(sp)
    ld      x8, 8*8(sp)
    ld      x9, 9*8(sp)
    ld      x10, 10*8(sp)
    ld      x11, 11*8(sp)
    ld      x12, 12*8(sp)
    ld      x13, 13*8(sp)
    ld      x14, 14*8(sp)
    ld      x15, 15*8(sp)
    ld      x16, 16*8(sp)
    ld      x17, 17*8(sp)
    ld      x18, 18*8(sp)
    ld      x19, 19*8(sp)
    ld      x20, 20*8(sp)
    ld      x21, 21*8(sp)
    ld      x22, 22*8(sp)
    ld      x23, 23*8(sp)
    ld      x24, 24*8(sp)
    ld      x25, 25*8(sp)
    ld      x26, 26*8(sp)
    ld      x27, 27*8(sp)
    ld      x28, 28*8(sp)
    ld      x29, 29*8(sp)
    ld      x30, 30*8(sp)
    ld      x31, 31*8(sp)
    ld      x2, 2*8(sp)
    \ret
.endm

    .text
    .align  8
    .globl  trap_entry_m
trap_entry_m:
    csrrw   sp, mscratch, sp
    addi    sp, sp, -TRAP_FRAME_SIZE
    sd      t0, 5*8(sp)
    li      t0, -1
m_common:
    sd      t0, 32*8(sp)
    SAVE_REGS mscratch
    mv      a0, sp
    call    m_trap_handler
    RESTORE_REGS_AND_RETURN mscratch, mret

/*
 * Vectored mtvec table (priv spec 3.1.7): base + 4 * cause for interrupts.  Each
 * slot jumps to a stub that records its slot number in the frame, so a test can
 * check which slot the hart used.
 */
    .align  8
    .globl  m_vector_table
m_vector_table:
    .option push
    .option norvc
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    j       m_vector_\n
    .endr
    .option pop
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
m_vector_\n:
    csrrw   sp, mscratch, sp
    addi    sp, sp, -TRAP_FRAME_SIZE
    sd      t0, 5*8(sp)
    li      t0, \n
    j       m_common
    .endr

    .align  8
    .globl  trap_entry_s
trap_entry_s:
    csrrw   sp, sscratch, sp
    addi    sp, sp, -TRAP_FRAME_SIZE
    sd      t0, 5*8(sp)
    li      t0, -1
    sd      t0, 32*8(sp)
    SAVE_REGS sscratch
    mv      a0, sp
    call    s_trap_handler
    RESTORE_REGS_AND_RETURN sscratch, sret

/* void enter_mode(int priv): continue at the caller in privilege priv (via mret). */
    .globl  enter_mode
enter_mode:
    li      t0, MSTATUS_MPP
    csrc    mstatus, t0
    slli    a0, a0, 11
    csrs    mstatus, a0
    csrw    mepc, ra
    mret

/* void return_to_m(void): a magic ecall that the M handler turns into "continue in M". */
    .globl  return_to_m
return_to_m:
    li      a7, ECALL_MAGIC_TO_M
    ecall
    ret

    .data
    .align  3
    .globl  smp_release
smp_release:
    .dword  0

    .bss
    .align  4
    /* Hart n (1 <= n < SMP_MAX_HARTS) has the 4 KiB below secondary_stacks + n * 4096. */
secondary_stacks:
    .space  4096 * (SMP_MAX_HARTS - 1)
    .space  16384
stack_top:
    .space  4096
    .globl  m_trap_stack_top
m_trap_stack_top:
    .space  4096
    .globl  s_trap_stack_top
s_trap_stack_top:
