/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Debug log: QEMU's -d categories and the -D log file.
 *
 * qemu_log() may be called from the vCPU, IO and migration threads at once;
 * a mutex keeps each call's output contiguous and guards the file switch.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"

int qemu_loglevel;

static GMutex log_lock;
/* NULL means stderr. */
static FILE *log_file;

typedef struct LogCategory {
    int mask;
    const char *name;
    const char *help;
} LogCategory;

/* Names and meanings as QEMU's -d, so existing command lines keep working. */
static const LogCategory log_categories[] = {
    { CPU_LOG_TB_IN_ASM, "in_asm", "show target assembly code for each compiled TB" },
    { CPU_LOG_INT, "int", "show interrupts/exceptions in short format" },
    { CPU_LOG_EXEC, "exec", "show trace before each executed TB (lots of logs)" },
    { CPU_LOG_MMU, "mmu", "log MMU-related activities" },
    { LOG_UNIMP, "unimp", "log unimplemented functionality" },
    { LOG_GUEST_ERROR, "guest_errors",
      "log when the guest OS does something invalid (eg accessing a\n"
      "non-existent register)" },
    { CPU_LOG_RESET, "cpu_reset", "show CPU state before CPU resets" },
    { LOG_TRACE, "trace", "log device and migration trace events" },
};

void qemu_log(const char *fmt, ...)
{
    va_list ap;
    FILE *out;

    va_start(ap, fmt);
    g_mutex_lock(&log_lock);
    out = log_file ? log_file : stderr;
    vfprintf(out, fmt, ap);
    g_mutex_unlock(&log_lock);
    va_end(ap);
}

void qemu_set_log(int mask)
{
    __atomic_store_n(&qemu_loglevel, mask, __ATOMIC_RELAXED);
}

void qemu_print_log_usage(FILE *f)
{
    fprintf(f, "Log items (comma separated):\n");
    for (size_t i = 0; i < ARRAY_SIZE(log_categories); i++) {
        const char *help = log_categories[i].help;
        const char *newline;

        fprintf(f, "%-15s ", log_categories[i].name);
        /* Indent continuation lines under the first line of the description. */
        while ((newline = strchr(help, '\n')) != NULL) {
            fprintf(f, "%.*s\n%-15s ", (int)(newline - help), help, "");
            help = newline + 1;
        }
        fprintf(f, "%s\n", help);
    }
}

int qemu_str_to_log_mask(const char *str, Error **errp)
{
    g_auto(GStrv) items = g_strsplit(str, ",", -1);
    int mask = 0;

    for (char **item = items; *item; item++) {
        bool found = false;

        if (**item == '\0') {
            continue;
        }
        /* "-d help" lists the categories and quits, as QEMU does. */
        if (strcmp(*item, "help") == 0) {
            qemu_print_log_usage(stdout);
            exit(0);
        }
        for (size_t i = 0; i < ARRAY_SIZE(log_categories); i++) {
            if (strcmp(*item, log_categories[i].name) == 0) {
                mask |= log_categories[i].mask;
                found = true;
                break;
            }
        }
        if (!found) {
            error_setg(errp, "unknown log item '%s'", *item);
            error_append_hint(errp, "Use \"-d help\" for a list of log items.\n");
            return 0;
        }
    }
    if (mask == 0) {
        error_setg(errp, "no log items given in '%s'", str);
        error_append_hint(errp, "Use \"-d help\" for a list of log items.\n");
    }
    return mask;
}

bool qemu_set_log_filename(const char *filename, Error **errp)
{
    g_autofree char *path = NULL;
    const char *pid_pos = strstr(filename, "%d");
    FILE *new_file;

    /* As in QEMU, one "%d" in the name becomes the process id. */
    if (pid_pos) {
        if (strstr(pid_pos + 2, "%d")) {
            error_setg(errp, "log file name '%s' has more than one %%d", filename);
            return false;
        }
        path = g_strdup_printf("%.*s%d%s", (int)(pid_pos - filename), filename,
                               (int)getpid(), pid_pos + 2);
    } else {
        path = g_strdup(filename);
    }
    new_file = fopen(path, "w");
    if (!new_file) {
        error_setg_errno(errp, errno, "could not open log file '%s'", path);
        return false;
    }
    /* Line buffered: a crash still leaves complete lines in the file. */
    setvbuf(new_file, NULL, _IOLBF, 0);

    g_mutex_lock(&log_lock);
    if (log_file) {
        fclose(log_file);
    }
    log_file = new_file;
    g_mutex_unlock(&log_lock);
    return true;
}
