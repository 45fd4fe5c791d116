/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error reporting in QEMU's style: a function that can fail takes an
 * `Error **errp` as its last argument, fills it with error_setg() and
 * returns false/NULL/-1.  Callers pass &error_fatal to exit on error,
 * &error_abort when failure is a bug, NULL to ignore, or their own
 * `Error *err = NULL` to inspect and propagate.
 */
#ifndef QAPI_ERROR_H
#define QAPI_ERROR_H

#include "qemu/osdep.h"

typedef enum ErrorClass {
    ERROR_CLASS_GENERIC_ERROR,
    ERROR_CLASS_COMMAND_NOT_FOUND,
    ERROR_CLASS_DEVICE_NOT_ACTIVE,
    ERROR_CLASS_DEVICE_NOT_FOUND,
    ERROR_CLASS_KVM_MISSING_CAP,
} ErrorClass;

typedef struct Error Error;

extern Error *error_fatal;
extern Error *error_abort;

#define error_setg(errp, ...) \
    error_setg_internal((errp), __FILE__, __LINE__, __func__, __VA_ARGS__)
#define error_setg_errno(errp, os_errno, ...) \
    error_setg_errno_internal((errp), __FILE__, __LINE__, __func__, (os_errno), __VA_ARGS__)
#define error_set(errp, err_class, ...) \
    error_set_internal((errp), __FILE__, __LINE__, __func__, (err_class), __VA_ARGS__)

void error_setg_internal(Error **errp, const char *src, int line, const char *func,
                         const char *fmt, ...) QEMU_PRINTF(5, 6);
void error_setg_errno_internal(Error **errp, const char *src, int line, const char *func,
                               int os_errno, const char *fmt, ...) QEMU_PRINTF(6, 7);
void error_set_internal(Error **errp, const char *src, int line, const char *func,
                        ErrorClass err_class, const char *fmt, ...) QEMU_PRINTF(6, 7);

/* Append a hint printed after the message ("Try ..."). */
void error_append_hint(Error **errp, const char *fmt, ...) QEMU_PRINTF(2, 3);
/* Prefix the message: "prefix: original message". */
void error_prepend(Error **errp, const char *fmt, ...) QEMU_PRINTF(2, 3);

const char *error_get_pretty(const Error *err);
ErrorClass error_get_class(const Error *err);
const char *error_class_name(ErrorClass err_class);

/* Move @local_err into @dst_errp (or report/abort per the special values). */
void error_propagate(Error **dst_errp, Error *local_err);
void error_free(Error *err);
Error *error_copy(const Error *err);

/* Print "hintvm-system-riscv64: <message>" (and hint) to stderr, then free. */
void error_report_err(Error *err);
void error_report(const char *fmt, ...) QEMU_PRINTF(1, 2);
void warn_report(const char *fmt, ...) QEMU_PRINTF(1, 2);
void info_report(const char *fmt, ...) QEMU_PRINTF(1, 2);

/* Program name used as the prefix of reported errors. */
void error_set_progname(const char *name);

#endif
