/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error objects: setting, propagation rules, prefixes, hints, classes and the
 * &error_fatal / &error_abort sentinels (run in subprocesses).
 */
#include "qemu/osdep.h"
#include "qapi/error.h"

static bool fail_with(Error **errp, const char *what)
{
    error_setg(errp, "could not open '%s'", what);
    return false;
}

static void test_setg_and_free(void)
{
    Error *err = NULL;

    g_assert_false(fail_with(&err, "disk.img"));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, "could not open 'disk.img'");
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_GENERIC_ERROR);
    error_free(err);

    /* NULL errp: the caller does not care, nothing is allocated or printed. */
    g_assert_false(fail_with(NULL, "x"));
    error_free(NULL);
}

static void test_setg_errno(void)
{
    Error *err = NULL;

    error_setg_errno(&err, ENOENT, "cannot read %s", "kernel");
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "cannot read kernel: No such file or directory");
    error_free(err);
}

static void test_propagate(void)
{
    Error *local = NULL;
    Error *dst = NULL;

    /* Propagating nothing leaves the destination alone. */
    error_propagate(&dst, NULL);
    g_assert_null(dst);

    error_setg(&local, "first");
    error_propagate(&dst, local);
    g_assert_cmpstr(error_get_pretty(dst), ==, "first");

    /* A second error is dropped: the first one explains the failure. */
    local = NULL;
    error_setg(&local, "second");
    error_propagate(&dst, local);
    g_assert_cmpstr(error_get_pretty(dst), ==, "first");
    error_free(dst);

    /* A NULL destination frees the error (checked by valgrind/ASan builds). */
    local = NULL;
    error_setg(&local, "ignored");
    error_propagate(NULL, local);
}

static void test_prepend_and_hint(void)
{
    Error *err = NULL;
    Error *copy;

    error_setg(&err, "no such file");
    error_prepend(&err, "-kernel %s: ", "Image");
    g_assert_cmpstr(error_get_pretty(err), ==, "-kernel Image: no such file");
    error_append_hint(&err, "Check the path.\n");
    error_append_hint(&err, "Or use -bios none.\n");

    copy = error_copy(err);
    g_assert_cmpstr(error_get_pretty(copy), ==, "-kernel Image: no such file");
    error_free(err);
    error_free(copy);

    /* Prepending or hinting without an error is harmless. */
    err = NULL;
    error_prepend(&err, "x: ");
    error_append_hint(&err, "y\n");
    g_assert_null(err);
    error_prepend(NULL, "x: ");
    error_append_hint(NULL, "y\n");
}

static void test_classes(void)
{
    Error *err = NULL;

    error_set(&err, ERROR_CLASS_COMMAND_NOT_FOUND, "The command %s has not been found",
              "foo");
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_COMMAND_NOT_FOUND);
    g_assert_cmpstr(error_class_name(error_get_class(err)), ==, "CommandNotFound");
    error_free(err);

    g_assert_cmpstr(error_class_name(ERROR_CLASS_GENERIC_ERROR), ==, "GenericError");
    g_assert_cmpstr(error_class_name(ERROR_CLASS_DEVICE_NOT_ACTIVE), ==,
                    "DeviceNotActive");
    g_assert_cmpstr(error_class_name(ERROR_CLASS_DEVICE_NOT_FOUND), ==, "DeviceNotFound");
    g_assert_cmpstr(error_class_name(ERROR_CLASS_KVM_MISSING_CAP), ==, "KVMMissingCap");
}

static void test_fatal(void)
{
    if (g_test_subprocess()) {
        Error *err = NULL;

        error_setg(&err, "Invalid size '12Q'");
        error_append_hint(&err, "Use a suffix such as M or G.\n");
        error_propagate(&error_fatal, err);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("hintvm-system-riscv64: Invalid size '12Q'\n"
                              "Use a suffix such as M or G.\n");
}

static void test_fatal_direct(void)
{
    if (g_test_subprocess()) {
        fail_with(&error_fatal, "missing.elf");
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*could not open 'missing.elf'*");
}

static void test_abort(void)
{
    if (g_test_subprocess()) {
        fail_with(&error_abort, "bug");
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*Unexpected error in fail_with()*could not open 'bug'*");
}

static void test_reports(void)
{
    if (g_test_subprocess()) {
        Error *err = NULL;

        error_report("bad value %d", 7);
        warn_report("deprecated option");
        error_set_progname("mytool");
        error_setg(&err, "reported");
        error_append_hint(&err, "hint line\n");
        error_report_err(err);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("hintvm-system-riscv64: bad value 7\n"
                              "hintvm-system-riscv64: warning: deprecated option\n"
                              "mytool: reported\nhint line\n");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/error/setg", test_setg_and_free);
    g_test_add_func("/error/setg-errno", test_setg_errno);
    g_test_add_func("/error/propagate", test_propagate);
    g_test_add_func("/error/prepend-hint", test_prepend_and_hint);
    g_test_add_func("/error/classes", test_classes);
    g_test_add_func("/error/fatal", test_fatal);
    g_test_add_func("/error/fatal-direct", test_fatal_direct);
    g_test_add_func("/error/abort", test_abort);
    g_test_add_func("/error/reports", test_reports);
    return g_test_run();
}
