/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared runtime of the bare-metal test programs: UART printing, result checking
 * (every check also prints a signature line that the differential runner compares
 * against QEMU), trap recording and privilege switching.
 */
#ifndef TCG_RISCV64_RUNTIME_H
#define TCG_RISCV64_RUNTIME_H

#define MSTATUS_SIE         (1 << 1)
#define MSTATUS_MIE         (1 << 3)
#define MSTATUS_SPIE        (1 << 5)
#define MSTATUS_MPIE        (1 << 7)
#define MSTATUS_SPP         (1 << 8)
#define MSTATUS_MPP         (3 << 11)
#define MSTATUS_FS_INITIAL  (1 << 13)
#define MSTATUS_FS          (3 << 13)
#define MSTATUS_MPRV        (1 << 17)
#define MSTATUS_SUM         (1 << 18)
#define MSTATUS_MXR         (1 << 19)

#define TRAP_FRAME_SIZE     (34 * 8)
#define ECALL_MAGIC_TO_M    0x4d4f4445  /* "MODE" */
/* Harts crt.S gives a stack to (hart 0 included); others stay parked. */
#define SMP_MAX_HARTS       4

#ifndef __ASSEMBLER__

#include <stdint.h>
#include <stddef.h>

#define PRIV_U 0
#define PRIV_S 1
#define PRIV_M 3

#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL_INSN      2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_M           11
#define CAUSE_FETCH_PAGE_FAULT  12
#define CAUSE_LOAD_PAGE_FAULT   13
#define CAUSE_STORE_PAGE_FAULT  15
#define CAUSE_INTERRUPT         (1UL << 63)

#define CLINT_MSIP      0x2000000UL
#define CLINT_MTIMECMP  0x2004000UL
#define CLINT_MTIME     0x200bff8UL

#define read_csr(csr) ({ uint64_t v_; \
    asm volatile("csrr %0, " #csr : "=r"(v_) :: "memory"); v_; })
#define write_csr(csr, val) \
    asm volatile("csrw " #csr ", %0" :: "rK"((uint64_t)(val)) : "memory")
#define set_csr(csr, val) \
    asm volatile("csrs " #csr ", %0" :: "rK"((uint64_t)(val)) : "memory")
#define clear_csr(csr, val) \
    asm volatile("csrc " #csr ", %0" :: "rK"((uint64_t)(val)) : "memory")

#define barrier() asm volatile("" ::: "memory")

/* A plain ecall: a7 must not hold the return_to_m() magic left by an earlier call. */
#define ECALL() asm volatile("li a7, 0\n ecall" ::: "a7", "memory")

/* Saved integer registers (regs[2] is the interrupted sp), and the vector slot. */
typedef struct TrapFrame {
    uint64_t regs[32];
    int64_t vector;
    uint64_t pad;
} TrapFrame;

/* What the last trap taken into a mode looked like. */
typedef struct TrapRecord {
    uint64_t cause;
    uint64_t tval;
    uint64_t epc;
    uint64_t status;    /* mstatus / sstatus as seen by the handler */
    int64_t vector;     /* vectored-mode slot, -1 for the direct entry */
    uint64_t count;
} TrapRecord;

/* Returns nonzero when it handled the trap (it may edit the frame and xEPC). */
typedef int (*TrapHook)(TrapFrame *frame, TrapRecord *rec);

extern volatile TrapRecord m_trap, s_trap;
extern volatile TrapHook m_trap_hook, s_trap_hook;
/*
 * Number of upcoming exceptions that are expected: each one is recorded and the
 * faulting instruction skipped (its length read at xEPC, so code must be identity
 * mapped).  An exception that is not expected fails the program.
 */
extern volatile int m_trap_expected, s_trap_expected;
extern char m_vector_table[], trap_entry_m[], trap_entry_s[];
extern char m_trap_stack_top[], s_trap_stack_top[];

void putchar_uart(int c);
void print_str(const char *s);
void print_hex(uint64_t v);
void print_dec(int64_t v);
void print_kv(const char *name, uint64_t value);
/* Prints "name: value" and counts a failure (shown on the line) if it differs. */
void check(const char *name, uint64_t got, uint64_t expected);
void section(const char *name);
/* check() the cause and tval of the last trap taken into M-mode, as "name cause/tval". */
void check_m_trap(const char *name, uint64_t cause, uint64_t tval);
/* Prints PASS/FAIL and returns the exit code main should return. */
int report(void);
void __attribute__((noreturn)) test_exit(int code);

/* Continue the calling function in privilege priv (mret with MPP = priv). */
void enter_mode(int priv);
/* Continue in M-mode with mstatus.MIE = 0 (a magic ecall the M handler recognises). */
void return_to_m(void);
/* Arm an expected exception in M (or S) and clear the previous record. */
void expect_m_trap(void);
void expect_s_trap(void);

/*
 * -smp N: harts 1..SMP_MAX_HARTS-1 wait in crt.S until hart 0 sets smp_release,
 * then call secondary_main(hartid) if the program defines it.
 */
extern volatile uint64_t smp_release;
void secondary_main(uint64_t hartid);

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif /* __ASSEMBLER__ */
#endif
