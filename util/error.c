/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error objects passed back through `Error **errp`, and reporting to stderr.
 *
 * error_fatal and error_abort are never filled: their addresses are sentinels
 * meaning "exit(1) on error" and "abort() on error" respectively.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"

struct Error {
    char *msg;
    ErrorClass err_class;
    GString *hint;
    /* Where the error was raised, printed when it hits &error_abort. */
    const char *src;
    const char *func;
    int line;
};

Error *error_fatal;
Error *error_abort;

static const char *error_progname = "hintvm-system-riscv64";

void error_set_progname(const char *name)
{
    error_progname = name;
}

const char *error_class_name(ErrorClass err_class)
{
    /* The names QMP puts in the "class" member of an error response. */
    switch (err_class) {
    case ERROR_CLASS_GENERIC_ERROR:
        return "GenericError";
    case ERROR_CLASS_COMMAND_NOT_FOUND:
        return "CommandNotFound";
    case ERROR_CLASS_DEVICE_NOT_ACTIVE:
        return "DeviceNotActive";
    case ERROR_CLASS_DEVICE_NOT_FOUND:
        return "DeviceNotFound";
    case ERROR_CLASS_KVM_MISSING_CAP:
        return "KVMMissingCap";
    }
    return "GenericError";
}

static void report_message(const char *prefix, const char *fmt, va_list ap)
{
    /* One buffered write so messages from two threads do not interleave. */
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);

    flockfile(stderr);
    fprintf(stderr, "%s: %s%s\n", error_progname, prefix, msg);
    funlockfile(stderr);
}

static void print_error(const Error *err)
{
    flockfile(stderr);
    fprintf(stderr, "%s: %s\n", error_progname, err->msg);
    if (err->hint) {
        fputs(err->hint->str, stderr);
    }
    funlockfile(stderr);
}

/* Deliver a freshly made error to @errp, honouring the sentinels. */
static void error_deliver(Error **errp, Error *err)
{
    if (errp == &error_abort) {
        fprintf(stderr, "Unexpected error in %s() at %s:%d:\n", err->func, err->src,
                err->line);
        print_error(err);
        abort();
    }
    if (errp == &error_fatal) {
        print_error(err);
        exit(1);
    }
    if (errp == NULL) {
        error_free(err);
        return;
    }
    /* Setting an error twice is a bug in the caller: the first would be lost. */
    g_assert(*errp == NULL);
    *errp = err;
}

static void error_setv(Error **errp, const char *src, int line, const char *func,
                       ErrorClass err_class, const char *fmt, va_list ap, int os_errno)
{
    Error *err;

    if (errp == NULL) {
        return;
    }
    err = g_new0(Error, 1);
    err->msg = g_strdup_vprintf(fmt, ap);
    if (os_errno) {
        char *with_reason = g_strdup_printf("%s: %s", err->msg, g_strerror(os_errno));
        g_free(err->msg);
        err->msg = with_reason;
    }
    err->err_class = err_class;
    err->src = src;
    err->line = line;
    err->func = func;
    error_deliver(errp, err);
}

void error_setg_internal(Error **errp, const char *src, int line, const char *func,
                         const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, src, line, func, ERROR_CLASS_GENERIC_ERROR, fmt, ap, 0);
    va_end(ap);
}

void error_setg_errno_internal(Error **errp, const char *src, int line, const char *func,
                               int os_errno, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, src, line, func, ERROR_CLASS_GENERIC_ERROR, fmt, ap, os_errno);
    va_end(ap);
}

void error_set_internal(Error **errp, const char *src, int line, const char *func,
                        ErrorClass err_class, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, src, line, func, err_class, fmt, ap, 0);
    va_end(ap);
}

void error_append_hint(Error **errp, const char *fmt, ...)
{
    va_list ap;
    Error *err;

    /* The sentinels and NULL hold no error object to attach a hint to. */
    if (errp == NULL || errp == &error_fatal || errp == &error_abort || *errp == NULL) {
        return;
    }
    err = *errp;
    if (!err->hint) {
        err->hint = g_string_new(NULL);
    }
    va_start(ap, fmt);
    g_string_append_vprintf(err->hint, fmt, ap);
    va_end(ap);
}

void error_prepend(Error **errp, const char *fmt, ...)
{
    va_list ap;
    Error *err;
    g_autofree char *prefix = NULL;
    char *joined;

    if (errp == NULL || errp == &error_fatal || errp == &error_abort || *errp == NULL) {
        return;
    }
    err = *errp;
    va_start(ap, fmt);
    prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    joined = g_strconcat(prefix, err->msg, NULL);
    g_free(err->msg);
    err->msg = joined;
}

const char *error_get_pretty(const Error *err)
{
    return err->msg;
}

ErrorClass error_get_class(const Error *err)
{
    return err->err_class;
}

void error_propagate(Error **dst_errp, Error *local_err)
{
    if (local_err == NULL) {
        return;
    }
    if (dst_errp == &error_abort || dst_errp == &error_fatal) {
        error_deliver(dst_errp, local_err);
        return;
    }
    /* Keep the first error: the caller's existing one explains the failure. */
    if (dst_errp == NULL || *dst_errp != NULL) {
        error_free(local_err);
        return;
    }
    *dst_errp = local_err;
}

void error_free(Error *err)
{
    if (err == NULL) {
        return;
    }
    g_free(err->msg);
    if (err->hint) {
        g_string_free(err->hint, TRUE);
    }
    g_free(err);
}

Error *error_copy(const Error *err)
{
    Error *copy = g_new0(Error, 1);

    *copy = *err;
    copy->msg = g_strdup(err->msg);
    if (err->hint) {
        copy->hint = g_string_new(err->hint->str);
    }
    return copy;
}

void error_report_err(Error *err)
{
    print_error(err);
    error_free(err);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report_message("", fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report_message("warning: ", fmt, ap);
    va_end(ap);
}

void info_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report_message("info: ", fmt, ap);
    va_end(ap);
}
