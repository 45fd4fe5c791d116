/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hintvm's built-in SBI implementation (RISC-V Supervisor Binary Interface,
 * spec v1.0, plus the v2.0 debug console): what OpenSBI would provide to an
 * S-mode kernel, served by the emulator itself when no -bios is given.
 *
 * The harts hand their S-mode ECALLs to riscv_sbi_ecall (env.ecall_hook) on
 * their own vCPU thread; the handler takes the BQL for anything that touches
 * devices or other harts.
 */
#ifndef HW_RISCV_SBI_H
#define HW_RISCV_SBI_H

#include "target/riscv/cpu.h"

typedef struct Chardev Chardev;
typedef struct RISCVAclintState RISCVAclintState;

/* Extension IDs (SBI spec chapters 3-10, 12) */
#define SBI_EXT_LEGACY_SET_TIMER        0x00
#define SBI_EXT_LEGACY_CONSOLE_PUTCHAR  0x01
#define SBI_EXT_LEGACY_CONSOLE_GETCHAR  0x02
#define SBI_EXT_LEGACY_CLEAR_IPI        0x03
#define SBI_EXT_LEGACY_SEND_IPI         0x04
#define SBI_EXT_LEGACY_REMOTE_FENCE_I   0x05
#define SBI_EXT_LEGACY_REMOTE_SFENCE_VMA 0x06
#define SBI_EXT_LEGACY_REMOTE_SFENCE_VMA_ASID 0x07
#define SBI_EXT_LEGACY_SHUTDOWN         0x08
#define SBI_EXT_BASE                    0x10
#define SBI_EXT_TIME                    0x54494d45  /* "TIME" */
#define SBI_EXT_IPI                     0x735049    /* "sPI" */
#define SBI_EXT_RFENCE                  0x52464e43  /* "RFNC" */
#define SBI_EXT_HSM                     0x48534d    /* "HSM" */
#define SBI_EXT_SRST                    0x53525354  /* "SRST" */
#define SBI_EXT_DBCN                    0x4442434e  /* "DBCN" */

/* Standard error codes (SBI spec 3.2, table 1) */
#define SBI_SUCCESS                 0
#define SBI_ERR_FAILED              -1
#define SBI_ERR_NOT_SUPPORTED       -2
#define SBI_ERR_INVALID_PARAM       -3
#define SBI_ERR_DENIED              -4
#define SBI_ERR_INVALID_ADDRESS     -5
#define SBI_ERR_ALREADY_AVAILABLE   -6
#define SBI_ERR_ALREADY_STARTED     -7
#define SBI_ERR_ALREADY_STOPPED     -8

/* HSM hart states (SBI spec 9, table 6) */
#define SBI_HSM_STATE_STARTED       0
#define SBI_HSM_STATE_STOPPED       1

#define SBI_SPEC_VERSION_1_0        0x01000000  /* major 1 in bits 30:24, minor 0 */
/* Implementation ID: not in the SBI registry's list (0-11 taken); "hvm" */
#define SBI_IMPL_ID_HINTVM          0x68766d
#define SBI_IMPL_VERSION            1

#define SBI_MAX_HARTS               64

typedef struct RISCVSBIState {
    int num_harts;
    RISCVCPU *harts[SBI_MAX_HARTS];
    RISCVAclintState *clint;        /* its comparators drive mip.STIP for set_timer */
    Chardev *console;               /* legacy putchar and DBCN output; may be NULL */
} RISCVSBIState;

/*
 * Create the SBI for @harts and install it as their ecall hook.  Timer
 * requests program @clint's mtimecmp, which is switched to drive STIP.
 */
RISCVSBIState *riscv_sbi_create(RISCVCPU **harts, int num_harts, RISCVAclintState *clint,
                                Chardev *console);

/* The ecall hook: serves the call in a7/a6/a0..a5, results in a0/a1. */
bool riscv_sbi_ecall(CPURISCVState *env, void *opaque);

#endif
