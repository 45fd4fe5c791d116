/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging: -d category parsing and -D file output, including whole lines from
 * several threads at once.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include <glib/gstdio.h>

static void test_mask_parsing(void)
{
    Error *err = NULL;
    int mask;

    mask = qemu_str_to_log_mask("int,guest_errors,mmu", &error_abort);
    g_assert_cmpint(mask, ==, CPU_LOG_INT | LOG_GUEST_ERROR | CPU_LOG_MMU);

    mask = qemu_str_to_log_mask("in_asm,exec,unimp,cpu_reset,trace", &error_abort);
    g_assert_cmpint(mask, ==,
                    CPU_LOG_TB_IN_ASM | CPU_LOG_EXEC | LOG_UNIMP | CPU_LOG_RESET |
                        LOG_TRACE);

    mask = qemu_str_to_log_mask("int,bogus", &err);
    g_assert_cmpint(mask, ==, 0);
    g_assert_cmpstr(error_get_pretty(err), ==, "unknown log item 'bogus'");
    error_free(err);
    err = NULL;

    mask = qemu_str_to_log_mask("", &err);
    g_assert_cmpint(mask, ==, 0);
    g_assert_nonnull(err);
    error_free(err);
}

static void test_help(void)
{
    if (g_test_subprocess()) {
        qemu_str_to_log_mask("help", &error_abort);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("Log items (comma separated):\n*mmu*guest_errors*");
}

typedef struct WriterArgs {
    int id;
} WriterArgs;

#define LINES_PER_WRITER 2000

static gpointer log_writer(gpointer opaque)
{
    WriterArgs *args = opaque;

    for (int i = 0; i < LINES_PER_WRITER; i++) {
        qemu_log("writer %d line %d: %s\n", args->id, i, "abcdefghijklmnopqrstuvwxyz");
    }
    return NULL;
}

static void test_log_file(void)
{
    g_autofree char *dir = g_dir_make_tmp("test-log-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "log.txt", NULL);
    g_autofree char *contents = NULL;
    g_auto(GStrv) lines = NULL;
    WriterArgs args[4];
    GThread *threads[4];
    int per_writer[4] = { 0 };
    Error *err = NULL;

    g_assert_true(qemu_set_log_filename(path, &error_abort));
    qemu_set_log(LOG_GUEST_ERROR);
    qemu_log_mask(LOG_GUEST_ERROR, "guest wrote 0x%x to a read-only register\n", 0x55);
    qemu_log_mask(CPU_LOG_MMU, "this category is off\n");

    for (int t = 0; t < 4; t++) {
        args[t].id = t;
        threads[t] = g_thread_new("log-writer", log_writer, &args[t]);
    }
    for (int t = 0; t < 4; t++) {
        g_thread_join(threads[t]);
    }

    g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    lines = g_strsplit(contents, "\n", -1);
    g_assert_cmpstr(lines[0], ==, "guest wrote 0x55 to a read-only register");
    /* Every line must be whole and in order per writer. */
    for (char **line = lines + 1; *line && **line; line++) {
        int id, number;
        char tail[64];

        g_assert_cmpint(sscanf(*line, "writer %d line %d: %63s", &id, &number, tail), ==,
                        3);
        g_assert_cmpint(id, >=, 0);
        g_assert_cmpint(id, <, 4);
        g_assert_cmpint(number, ==, per_writer[id]);
        g_assert_cmpstr(tail, ==, "abcdefghijklmnopqrstuvwxyz");
        per_writer[id]++;
    }
    for (int t = 0; t < 4; t++) {
        g_assert_cmpint(per_writer[t], ==, LINES_PER_WRITER);
    }

    /* A file that cannot be created is reported, and logging keeps its old file. */
    g_autofree char *bad = g_build_filename(dir, "no-such-dir", "log.txt", NULL);
    g_assert_false(qemu_set_log_filename(bad, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "No such file or directory"));
    error_free(err);
    err = NULL;

    /* "%d" becomes the process id; two of them are refused. */
    g_autofree char *pattern = g_build_filename(dir, "log-%d.txt", NULL);
    g_autofree char *expanded = g_strdup_printf("%s/log-%d.txt", dir, (int)getpid());
    g_assert_true(qemu_set_log_filename(pattern, &error_abort));
    qemu_log("pid file\n");
    g_free(contents);
    contents = NULL;
    g_assert_true(g_file_get_contents(expanded, &contents, NULL, NULL));
    g_assert_cmpstr(contents, ==, "pid file\n");
    g_assert_false(qemu_set_log_filename("a-%d-%d", &err));
    error_free(err);

    qemu_set_log(0);
    g_remove(expanded);
    g_remove(path);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/log/mask-parsing", test_mask_parsing);
    g_test_add_func("/log/help", test_help);
    g_test_add_func("/log/file", test_log_file);
    return g_test_run();
}
