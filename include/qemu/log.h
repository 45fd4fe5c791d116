/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Debug logging with QEMU's -d categories and -D logfile.
 */
#ifndef QEMU_LOG_H
#define QEMU_LOG_H

#include "qemu/osdep.h"

#define CPU_LOG_TB_IN_ASM   (1 << 0)  /* "in_asm": guest instructions as decoded */
#define CPU_LOG_INT         (1 << 4)  /* "int": interrupts and exceptions */
#define CPU_LOG_EXEC        (1 << 5)  /* "exec": every block executed */
#define CPU_LOG_MMU         (1 << 12) /* "mmu": page table walks and TLB fills */
#define LOG_UNIMP           (1 << 10) /* "unimp": unimplemented functionality */
#define LOG_GUEST_ERROR     (1 << 11) /* "guest_errors": guest did something invalid */
#define CPU_LOG_RESET       (1 << 9)  /* "cpu_reset" */
#define LOG_TRACE           (1 << 15) /* "trace": device and migration tracing */

extern int qemu_loglevel;

static inline bool qemu_loglevel_mask(int mask)
{
    return (qemu_loglevel & mask) != 0;
}

void qemu_log(const char *fmt, ...) QEMU_PRINTF(1, 2);

#define qemu_log_mask(mask, ...)               \
    do {                                       \
        if (unlikely(qemu_loglevel_mask(mask))) \
            qemu_log(__VA_ARGS__);             \
    } while (0)

/* Parse "int,guest_errors,mmu"; returns 0 and sets errp on an unknown name. */
struct Error;
int qemu_str_to_log_mask(const char *str, struct Error **errp);
void qemu_set_log(int mask);
/* Send log output to @filename instead of stderr (-D). */
bool qemu_set_log_filename(const char *filename, struct Error **errp);
/* Print the list of categories (for "-d help"). */
void qemu_print_log_usage(FILE *f);

#endif
