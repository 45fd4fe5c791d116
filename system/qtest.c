/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qtest server: a line protocol over a UNIX socket.  Every command gets
 * one reply line, "OK [value]" or "FAIL message"; interrupt changes are sent
 * as "IRQ raise N" / "IRQ lower N" lines once intercepted.
 */
#include "qemu/osdep.h"
#include "sysemu/qtest.h"
#include "exec/memory.h"
#include "hw/irq.h"
#include "qapi/error.h"
#include "qemu/cutils.h"
#include "qemu/sockets.h"
#include "qemu/timer.h"
#include <sys/socket.h>

typedef struct QtestServer {
    int listen_fd;
    int fd;
    GString *line;
} QtestServer;

static QtestServer qtest;

static void qtest_send(const char *fmt, ...) QEMU_PRINTF(1, 2);

static void qtest_send(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *text = NULL;
    size_t done = 0, len;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    len = strlen(text);
    while (qtest.fd >= 0 && done < len) {
        ssize_t n = send(qtest.fd, text + done, len - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        done += n;
    }
}

static void qtest_irq_observer(int n, int level)
{
    qtest_send("IRQ %s %d\n", level ? "raise" : "lower", n);
}

static bool parse_u64(const char *s, uint64_t *v)
{
    return s && qemu_strtou64(s, NULL, 0, v) == 0;
}

static unsigned access_size(const char *cmd)
{
    switch (cmd[strlen(cmd) - 1]) {
    case 'b':
        return 1;
    case 'w':
        return 2;
    case 'l':
        return 4;
    case 'q':
        return 8;
    default:
        return 0;
    }
}

/*
 * One sized access, as a CPU load or store would make it: MMIO registers
 * see a single access of that size (devices may reject narrower ones).
 */
static void qtest_access(hwaddr addr, uint64_t *val, unsigned size, bool is_write)
{
    hwaddr offset;
    MemoryRegion *mr = address_space_lookup(addr, &offset);

    if (mr && !mr->ram_ptr && offset + size <= mr->size) {
        if (is_write) {
            memory_region_dispatch_write(mr, offset, GUINT64_FROM_LE(*val), size);
        } else {
            memory_region_dispatch_read(mr, offset, val, size);
            *val = GUINT64_TO_LE(*val);
        }
    } else if (is_write) {
        address_space_write(addr, val, size);
    } else {
        address_space_read(addr, val, size);
    }
}

static void qtest_cmd_read_sized(char **words)
{
    unsigned size = access_size(words[0]);
    uint64_t addr, val = 0;

    if (!parse_u64(words[1], &addr)) {
        qtest_send("FAIL usage: %s ADDR\n", words[0]);
        return;
    }
    qtest_access(addr, &val, size, false);
    qtest_send("OK 0x%016" PRIx64 "\n", GUINT64_FROM_LE(val));
}

static void qtest_cmd_write_sized(char **words)
{
    unsigned size = access_size(words[0]);
    uint64_t addr, val;

    if (!parse_u64(words[1], &addr) || !parse_u64(words[2], &val)) {
        qtest_send("FAIL usage: %s ADDR VALUE\n", words[0]);
        return;
    }
    val = GUINT64_TO_LE(val);
    qtest_access(addr, &val, size, true);
    qtest_send("OK\n");
}

static void qtest_cmd_read(char **words)
{
    uint64_t addr, size;
    g_autofree uint8_t *buf = NULL;
    GString *hex;

    if (!parse_u64(words[1], &addr) || !parse_u64(words[2], &size) || size > 64 * MiB) {
        qtest_send("FAIL usage: read ADDR SIZE (at most 64 MiB)\n");
        return;
    }
    buf = g_malloc(size);
    address_space_read(addr, buf, size);
    hex = g_string_sized_new(size * 2 + 8);
    g_string_append(hex, "OK 0x");
    for (uint64_t i = 0; i < size; i++) {
        g_string_append_printf(hex, "%02x", buf[i]);
    }
    g_string_append_c(hex, '\n');
    qtest_send("%s", hex->str);
    g_string_free(hex, TRUE);
}

static void qtest_cmd_write(char **words)
{
    uint64_t addr, size;
    const char *hex = words[1] && words[2] ? words[3] : NULL;
    g_autofree uint8_t *buf = NULL;

    if (!parse_u64(words[1], &addr) || !parse_u64(words[2], &size) || !hex ||
        strncmp(hex, "0x", 2) || strlen(hex + 2) != size * 2) {
        qtest_send("FAIL usage: write ADDR SIZE 0xHEXDATA (2*SIZE digits)\n");
        return;
    }
    buf = g_malloc(size);
    for (uint64_t i = 0; i < size; i++) {
        int hi = g_ascii_xdigit_value(hex[2 + 2 * i]);
        int lo = g_ascii_xdigit_value(hex[3 + 2 * i]);
        if (hi < 0 || lo < 0) {
            qtest_send("FAIL bad hex digit\n");
            return;
        }
        buf[i] = hi << 4 | lo;
    }
    address_space_write(addr, buf, size);
    qtest_send("OK\n");
}

static void qtest_cmd_memset(char **words)
{
    uint64_t addr, size, val;
    g_autofree uint8_t *buf = NULL;

    if (!parse_u64(words[1], &addr) || !parse_u64(words[2], &size) ||
        !parse_u64(words[3], &val) || size > 64 * MiB) {
        qtest_send("FAIL usage: memset ADDR SIZE VALUE\n");
        return;
    }
    buf = g_malloc(size);
    memset(buf, (int)val, size);
    address_space_write(addr, buf, size);
    qtest_send("OK\n");
}

static void qtest_cmd_clock(char **words)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    uint64_t arg;
    int64_t dest;

    if (!strcmp(words[0], "clock_set")) {
        if (!parse_u64(words[1], &arg)) {
            qtest_send("FAIL usage: clock_set NS\n");
            return;
        }
        dest = arg;
    } else if (words[1]) {
        if (!parse_u64(words[1], &arg)) {
            qtest_send("FAIL usage: clock_step [NS]\n");
            return;
        }
        dest = now + arg;
    } else {
        /* No argument: run to the next timer deadline, as QEMU does. */
        dest = qemu_clock_virtual_deadline();
        if (dest < now) {
            dest = now;
        }
    }
    qemu_clock_virtual_warp(dest);
    qtest_send("OK %" PRId64 "\n", qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
}

static void qtest_process_line(const char *line)
{
    g_auto(GStrv) words = g_strsplit_set(line, " \t", -1);
    const char *cmd = words[0];

    if (!cmd || !*cmd) {
        return;
    }
    if (!strcmp(cmd, "readb") || !strcmp(cmd, "readw") || !strcmp(cmd, "readl") ||
        !strcmp(cmd, "readq")) {
        qtest_cmd_read_sized(words);
    } else if (!strcmp(cmd, "writeb") || !strcmp(cmd, "writew") ||
               !strcmp(cmd, "writel") || !strcmp(cmd, "writeq")) {
        qtest_cmd_write_sized(words);
    } else if (!strcmp(cmd, "read")) {
        qtest_cmd_read(words);
    } else if (!strcmp(cmd, "write")) {
        qtest_cmd_write(words);
    } else if (!strcmp(cmd, "memset")) {
        qtest_cmd_memset(words);
    } else if (!strcmp(cmd, "clock_step") || !strcmp(cmd, "clock_set")) {
        qtest_cmd_clock(words);
    } else if (!strcmp(cmd, "irq_intercept_in") || !strcmp(cmd, "irq_intercept_out")) {
        qemu_irq_intercept = qtest_irq_observer;
        qtest_send("OK\n");
    } else {
        qtest_send("FAIL Unknown command '%s'\n", cmd);
    }
}

static gboolean qtest_readable(GIOChannel *chan, GIOCondition cond, gpointer opaque)
{
    char buf[4096];
    ssize_t n = recv(qtest.fd, buf, sizeof(buf), 0);

    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        return G_SOURCE_CONTINUE;
    }
    if (n <= 0) {
        /* The test is gone: nothing will ever drive this machine again. */
        close(qtest.fd);
        qtest.fd = -1;
        exit(0);
    }
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == '\n') {
            qtest_process_line(qtest.line->str);
            g_string_truncate(qtest.line, 0);
        } else if (buf[i] != '\r') {
            g_string_append_c(qtest.line, buf[i]);
        }
    }
    return G_SOURCE_CONTINUE;
}

bool qtest_server_init(const char *spec, Error **errp)
{
    g_autoptr(SocketAddress) addr = NULL;
    GIOChannel *chan;

    if (!g_str_has_prefix(spec, "unix:")) {
        error_setg(errp, "-qtest %s: only unix:PATH is supported", spec);
        return false;
    }
    addr = socket_parse(spec, errp);
    qtest.listen_fd = addr ? socket_listen(addr, 1, errp) : -1;
    if (qtest.listen_fd < 0) {
        return false;
    }
    /* The test connects right after starting us; everything waits for it. */
    qtest.fd = accept4(qtest.listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (qtest.fd < 0) {
        error_setg_errno(errp, errno, "-qtest %s: accept failed", spec);
        return false;
    }
    qtest.line = g_string_new(NULL);
    chan = g_io_channel_unix_new(qtest.fd);
    g_io_add_watch(chan, G_IO_IN | G_IO_HUP | G_IO_ERR, qtest_readable, NULL);
    g_io_channel_unref(chan);
    return true;
}
