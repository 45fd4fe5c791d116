/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Command-line parsing helpers: integers, QEMU sizes, option strings, booleans.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qapi/error.h"

static void test_strtoi64(void)
{
    int64_t value;
    const char *end;

    g_assert_cmpint(qemu_strtoi64("-42", NULL, 10, &value), ==, 0);
    g_assert_cmpint(value, ==, -42);
    g_assert_cmpint(qemu_strtoi64("0x10", NULL, 0, &value), ==, 0);
    g_assert_cmpint(value, ==, 16);
    g_assert_cmpint(qemu_strtoi64("  7", NULL, 10, &value), ==, 0);
    g_assert_cmpint(value, ==, 7);

    g_assert_cmpint(qemu_strtoi64("12abc", NULL, 10, &value), ==, -EINVAL);
    g_assert_cmpint(qemu_strtoi64("12abc", &end, 10, &value), ==, 0);
    g_assert_cmpint(value, ==, 12);
    g_assert_cmpstr(end, ==, "abc");

    g_assert_cmpint(qemu_strtoi64("", &end, 10, &value), ==, -EINVAL);
    g_assert_cmpint(qemu_strtoi64("abc", &end, 10, &value), ==, -EINVAL);
    g_assert_cmpstr(end, ==, "abc");
    g_assert_cmpint(qemu_strtoi64(NULL, &end, 10, &value), ==, -EINVAL);

    g_assert_cmpint(qemu_strtoi64("9223372036854775808", NULL, 10, &value), ==, -ERANGE);
    g_assert_cmpint(value, ==, INT64_MAX);
    g_assert_cmpint(qemu_strtoi64("-9223372036854775809", NULL, 10, &value), ==, -ERANGE);
    g_assert_cmpint(value, ==, INT64_MIN);
}

static void test_strtou64(void)
{
    uint64_t value;

    g_assert_cmpint(qemu_strtou64("18446744073709551615", NULL, 10, &value), ==, 0);
    g_assert_cmpuint(value, ==, UINT64_MAX);
    g_assert_cmpint(qemu_strtou64("18446744073709551616", NULL, 10, &value), ==, -ERANGE);
    g_assert_cmpuint(value, ==, UINT64_MAX);
    /* Strict: no silent wrap-around of negative numbers. */
    g_assert_cmpint(qemu_strtou64("-1", NULL, 10, &value), ==, -ERANGE);
    g_assert_cmpint(qemu_strtou64("-0", NULL, 10, &value), ==, 0);
    g_assert_cmpint(qemu_strtou64("ff", NULL, 16, &value), ==, 0);
    g_assert_cmpuint(value, ==, 255);
    g_assert_cmpint(qemu_strtou64("1 ", NULL, 10, &value), ==, -EINVAL);
}

static void test_strtoi(void)
{
    int value;

    g_assert_cmpint(qemu_strtoi("2147483647", NULL, 10, &value), ==, 0);
    g_assert_cmpint(value, ==, INT_MAX);
    g_assert_cmpint(qemu_strtoi("2147483648", NULL, 10, &value), ==, -ERANGE);
    g_assert_cmpint(value, ==, INT_MAX);
    g_assert_cmpint(qemu_strtoi("-2147483649", NULL, 10, &value), ==, -ERANGE);
    g_assert_cmpint(value, ==, INT_MIN);
    g_assert_cmpint(qemu_strtoi("4x", NULL, 10, &value), ==, -EINVAL);
}

static void check_size(const char *str, int expected_ret, uint64_t expected)
{
    uint64_t value = 12345;
    int ret = qemu_strtosz(str, NULL, &value);

    if (ret != expected_ret || value != expected) {
        g_error("qemu_strtosz(\"%s\") = %d, %" PRIu64 "; expected %d, %" PRIu64, str, ret,
                value, expected_ret, expected);
    }
}

static void test_strtosz(void)
{
    check_size("0", 0, 0);
    check_size("4096", 0, 4096);
    check_size("12B", 0, 12);
    check_size("1k", 0, KiB);
    check_size("1K", 0, KiB);
    check_size("512M", 0, 512 * MiB);
    check_size("4g", 0, 4 * GiB);
    check_size("2T", 0, 2 * GiB * KiB);
    check_size("3P", 0, 3 * GiB * MiB);
    check_size("15E", 0, 15 * GiB * GiB);
    check_size("1.5G", 0, 3 * GiB / 2);
    check_size("0.5k", 0, 512);
    check_size("1.0", 0, 1);
    check_size("0x1000", 0, 4096);
    check_size("0x10M", 0, 16 * MiB);
    check_size("18446744073709551615", 0, UINT64_MAX);

    /* Overflow, by digits and by unit. */
    check_size("18446744073709551616", -ERANGE, 0);
    check_size("16E", -ERANGE, 0);
    check_size("16383P", 0, 16383 * GiB * MiB);
    check_size("16384P", -ERANGE, 0);
    check_size("15.9999999999999999999E", 0, 16 * GiB * GiB - 1);
    check_size("0x10000000000000000", -ERANGE, 0);

    /* Malformed numbers and suffixes. */
    check_size("", -EINVAL, 0);
    check_size("M", -EINVAL, 0);
    check_size("-1", -EINVAL, 0);
    check_size("+1", -EINVAL, 0);
    check_size(".5G", -EINVAL, 0);
    check_size("1.G", -EINVAL, 0);
    check_size("1.5", -EINVAL, 0);
    check_size("1.5B", -EINVAL, 0);
    check_size("12Q", -EINVAL, 0);
    check_size("1KiB", -EINVAL, 0);
    check_size("1 G", -EINVAL, 0);
    check_size("0x", -EINVAL, 0);
    check_size("0x1.5G", -EINVAL, 0);
}

static void test_strtosz_end(void)
{
    const char *str = "64M,slots=2";
    const char *end;
    uint64_t value;

    g_assert_cmpint(qemu_strtosz(str, &end, &value), ==, 0);
    g_assert_cmpuint(value, ==, 64 * MiB);
    g_assert_cmpstr(end, ==, ",slots=2");

    g_assert_cmpint(qemu_strtosz("x1", &end, &value), ==, -EINVAL);
    g_assert_true(end != NULL && strcmp(end, "x1") == 0);
}

static void test_strtosz_mib(void)
{
    uint64_t value;

    g_assert_cmpint(qemu_strtosz_MiB("512", NULL, &value), ==, 0);
    g_assert_cmpuint(value, ==, 512 * MiB);
    g_assert_cmpint(qemu_strtosz_MiB("4G", NULL, &value), ==, 0);
    g_assert_cmpuint(value, ==, 4 * GiB);
    g_assert_cmpint(qemu_strtosz_MiB("1.5", NULL, &value), ==, 0);
    g_assert_cmpuint(value, ==, 3 * MiB / 2);
    g_assert_cmpint(qemu_strtosz_MiB("65536B", NULL, &value), ==, 0);
    g_assert_cmpuint(value, ==, 65536);
    g_assert_cmpint(qemu_strtosz_MiB("17592186044416", NULL, &value), ==, -ERANGE);
}

static GHashTable *parse_ok(const char *str, const char *implied_key)
{
    GHashTable *opts = NULL;
    Error *err = NULL;

    if (!qemu_opt_parse_kv(str, implied_key, &opts, &err)) {
        g_error("parsing '%s' failed: %s", str, error_get_pretty(err));
    }
    return opts;
}

static void parse_fails(const char *str, const char *implied_key, const char *fragment)
{
    GHashTable *opts = (GHashTable *)1;
    Error *err = NULL;

    g_assert_false(qemu_opt_parse_kv(str, implied_key, &opts, &err));
    g_assert_null(opts);
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), fragment)) {
        g_error("error for '%s' is '%s', missing '%s'", str, error_get_pretty(err),
                fragment);
    }
    error_free(err);
}

static void test_opts_implied(void)
{
    GHashTable *opts;

    opts = parse_ok("virt,dumpdtb=x.dtb", "type");
    g_assert_cmpuint(g_hash_table_size(opts), ==, 2);
    g_assert_cmpstr(g_hash_table_lookup(opts, "type"), ==, "virt");
    g_assert_cmpstr(g_hash_table_lookup(opts, "dumpdtb"), ==, "x.dtb");
    g_hash_table_unref(opts);

    opts = parse_ok("iothread,id=io0", "qom-type");
    g_assert_cmpstr(g_hash_table_lookup(opts, "qom-type"), ==, "iothread");
    g_assert_cmpstr(g_hash_table_lookup(opts, "id"), ==, "io0");
    g_hash_table_unref(opts);

    opts = parse_ok("virtio-balloon-pci,free-page-hint=on,iothread=io0", "driver");
    g_assert_cmpstr(g_hash_table_lookup(opts, "driver"), ==, "virtio-balloon-pci");
    g_assert_cmpstr(g_hash_table_lookup(opts, "free-page-hint"), ==, "on");
    g_assert_cmpstr(g_hash_table_lookup(opts, "iothread"), ==, "io0");
    g_hash_table_unref(opts);

    /* The implied key may also be written out. */
    opts = parse_ok("type=virt", "type");
    g_assert_cmpstr(g_hash_table_lookup(opts, "type"), ==, "virt");
    g_hash_table_unref(opts);
}

static void test_opts_escapes_and_flags(void)
{
    GHashTable *opts;

    opts = parse_ok("virt,dumpdtb=a,,b.dtb,x=1", "type");
    g_assert_cmpstr(g_hash_table_lookup(opts, "dumpdtb"), ==, "a,b.dtb");
    g_assert_cmpstr(g_hash_table_lookup(opts, "x"), ==, "1");
    g_hash_table_unref(opts);

    /* ",,," is an escaped comma followed by a separator. */
    opts = parse_ok("path=a,,,size=2", NULL);
    g_assert_cmpstr(g_hash_table_lookup(opts, "path"), ==, "a,");
    g_assert_cmpstr(g_hash_table_lookup(opts, "size"), ==, "2");
    g_hash_table_unref(opts);

    opts = parse_ok("foo,,bar,cmdline=a=b,empty=,flag,", "driver");
    g_assert_cmpstr(g_hash_table_lookup(opts, "driver"), ==, "foo,bar");
    g_assert_cmpstr(g_hash_table_lookup(opts, "cmdline"), ==, "a=b");
    g_assert_cmpstr(g_hash_table_lookup(opts, "empty"), ==, "");
    g_assert_cmpstr(g_hash_table_lookup(opts, "flag"), ==, "on");
    g_assert_cmpuint(g_hash_table_size(opts), ==, 4);
    g_hash_table_unref(opts);

    opts = parse_ok("", "type");
    g_assert_cmpuint(g_hash_table_size(opts), ==, 0);
    g_hash_table_unref(opts);
}

static void test_opts_errors(void)
{
    parse_fails("virt,dumpdtb=a,dumpdtb=b", "type", "'dumpdtb' given more than once");
    parse_fails("virt,type=spike", "type", "'type' given more than once");
    parse_fails("virt,=x", "type", "invalid parameter name ''");
    parse_fails(",a=1", "type", "invalid parameter name ''");
    parse_fails("virt,a b=1", "type", "invalid parameter name 'a b'");
}

static void test_opts_check_known(void)
{
    static const char *const known[] = { "type", "dumpdtb", NULL };
    GHashTable *opts = parse_ok("virt,dumpdtb=f,zeta=1,alpha=2", "type");
    Error *err = NULL;

    g_assert_false(qemu_opt_check_known(opts, "-machine", known, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "-machine: invalid parameter 'alpha'");
    error_free(err);
    g_hash_table_remove(opts, "alpha");
    g_hash_table_remove(opts, "zeta");
    g_assert_true(qemu_opt_check_known(opts, "-machine", known, &error_abort));
    g_hash_table_unref(opts);
}

static void test_get_bool(void)
{
    static const char *const yes[] = { "on", "yes", "true" };
    static const char *const no[] = { "off", "no", "false" };
    Error *err = NULL;
    bool value;

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        value = false;
        g_assert_true(qemu_opt_get_bool(yes[i], &value, &error_abort));
        g_assert_true(value);
        g_assert_true(qemu_opt_get_bool(no[i], &value, &error_abort));
        g_assert_false(value);
    }
    g_assert_false(qemu_opt_get_bool("On", &value, &err));
    g_assert_nonnull(err);
    error_free(err);
    err = NULL;
    g_assert_false(qemu_opt_get_bool("", &value, &err));
    error_free(err);
}

static void test_get_size(void)
{
    Error *err = NULL;
    uint64_t value;

    g_assert_true(qemu_opt_get_size("2G", &value, &error_abort));
    g_assert_cmpuint(value, ==, 2 * GiB);
    g_assert_false(qemu_opt_get_size("2X", &value, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "invalid size '2X'");
    error_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cutils/strtoi64", test_strtoi64);
    g_test_add_func("/cutils/strtou64", test_strtou64);
    g_test_add_func("/cutils/strtoi", test_strtoi);
    g_test_add_func("/cutils/strtosz", test_strtosz);
    g_test_add_func("/cutils/strtosz-end", test_strtosz_end);
    g_test_add_func("/cutils/strtosz-MiB", test_strtosz_mib);
    g_test_add_func("/cutils/opts/implied", test_opts_implied);
    g_test_add_func("/cutils/opts/escapes-flags", test_opts_escapes_and_flags);
    g_test_add_func("/cutils/opts/errors", test_opts_errors);
    g_test_add_func("/cutils/opts/check-known", test_opts_check_known);
    g_test_add_func("/cutils/get-bool", test_get_bool);
    g_test_add_func("/cutils/get-size", test_get_size);
    return g_test_run();
}
