/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "qemu/osdep.h"
#include "libqtest.h"
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

struct QTestState {
    pid_t pid;
    int qtest_fd;
    int qmp_fd;
    GString *rx;            /* qtest bytes received but not yet consumed */
    GString *qmp_rx;
    bool irq_level[1024];
    GQueue events;          /* JsonObject * */
    char *tmpdir;
};

static int connect_unix_retry(const char *path, pid_t pid)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };

    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    for (int i = 0; i < 1000; i++) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        int status;

        if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
            return fd;
        }
        close(fd);
        if (waitpid(pid, &status, WNOHANG) == pid) {
            g_error("hintvm exited before accepting %s (status %d)", path, status);
        }
        g_usleep(10 * 1000);
    }
    g_error("could not connect to %s", path);
}

/* A hung hintvm fails the test (read_line asserts) rather than stalling it. */
static void set_receive_timeout(int fd)
{
    struct timeval tv = { .tv_sec = 60 };

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

QTestState *qtest_initf(const char *fmt, ...)
{
    QTestState *s = g_new0(QTestState, 1);
    const char *binary = g_getenv("QTEST_QEMU_BINARY");
    g_autofree char *extra = NULL;
    g_autofree char *qtest_path = NULL, *qmp_path = NULL, *cmd = NULL;
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) argv = NULL;
    va_list ap;

    g_assert(binary);
    va_start(ap, fmt);
    extra = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    s->tmpdir = g_dir_make_tmp("qtest-XXXXXX", NULL);
    qtest_path = g_build_filename(s->tmpdir, "qtest.sock", NULL);
    qmp_path = g_build_filename(s->tmpdir, "qmp.sock", NULL);
    cmd = g_strdup_printf("%s -M virt -accel qtest -display none -nodefaults "
                          "-qtest unix:%s -qmp unix:%s,server=on,wait=off %s",
                          binary, qtest_path, qmp_path, extra);
    if (!g_shell_parse_argv(cmd, NULL, &argv, &err)) {
        g_error("bad command line: %s", err->message);
    }
    s->pid = fork();
    if (s->pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    s->qtest_fd = connect_unix_retry(qtest_path, s->pid);
    s->qmp_fd = connect_unix_retry(qmp_path, s->pid);
    set_receive_timeout(s->qtest_fd);
    set_receive_timeout(s->qmp_fd);
    s->rx = g_string_new(NULL);
    s->qmp_rx = g_string_new(NULL);
    g_queue_init(&s->events);
    /* Greeting, then leave capabilities negotiation. */
    json_object_unref(qtest_qmp_raw(s, NULL));
    JsonObject *r = qtest_qmp(s, "{'execute': 'qmp_capabilities'}");
    g_assert(json_object_has_member(r, "return"));
    json_object_unref(r);
    return s;
}

void qtest_quit(QTestState *s)
{
    int status;

    /*
     * SIGTERM is a clean shutdown (exit status 0).  Anything else fails the
     * test: a crash, or the report of a sanitizer build (AddressSanitizer and
     * UBSan abort, LeakSanitizer exits non-zero), printed on stderr above.
     * The sockets stay open until hintvm has gone: on a closed qtest socket
     * it exits at once, skipping the teardown whose leaks a sanitizer build
     * must see.
     */
    kill(s->pid, SIGTERM);
    g_assert_cmpint(waitpid(s->pid, &status, 0), ==, s->pid);
    close(s->qtest_fd);
    close(s->qmp_fd);
    if (WIFSIGNALED(status)) {
        g_error("hintvm (pid %d) was killed by signal %d", (int)s->pid, WTERMSIG(status));
    }
    if (WEXITSTATUS(status)) {
        g_error("hintvm (pid %d) exited with status %d", (int)s->pid, WEXITSTATUS(status));
    }
    g_queue_clear_full(&s->events, (GDestroyNotify)json_object_unref);
    g_string_free(s->rx, TRUE);
    g_string_free(s->qmp_rx, TRUE);
    g_autofree char *q = g_build_filename(s->tmpdir, "qtest.sock", NULL);
    g_autofree char *m = g_build_filename(s->tmpdir, "qmp.sock", NULL);
    unlink(q);
    unlink(m);
    rmdir(s->tmpdir);
    g_free(s->tmpdir);
    g_free(s);
}

/* Read one line from @fd into a new string, buffering the rest in @rx. */
static char *read_line(int fd, GString *rx)
{
    for (;;) {
        char *nl = memchr(rx->str, '\n', rx->len);
        char buf[4096];
        ssize_t n;

        if (nl) {
            char *line = g_strndup(rx->str, nl - rx->str);
            g_string_erase(rx, 0, nl - rx->str + 1);
            return line;
        }
        n = recv(fd, buf, sizeof(buf), 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        g_assert_cmpint(n, >, 0);
        g_string_append_len(rx, buf, n);
    }
}

static void send_bytes(int fd, const void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = send(fd, (const char *)buf + done, len - done, MSG_NOSIGNAL);
        g_assert_cmpint(n, >, 0);
        done += n;
    }
}

static void send_all(int fd, const char *text)
{
    send_bytes(fd, text, strlen(text));
}

/* Send a qtest command and return its "OK ..." reply; IRQ lines are absorbed. */
static char *qtest_command(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static char *qtest_command(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *cmd = NULL;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    send_all(s->qtest_fd, cmd);
    for (;;) {
        char *line = read_line(s->qtest_fd, s->rx);
        int n;

        if (g_str_has_prefix(line, "IRQ ")) {
            if (sscanf(line + 4, "raise %d", &n) == 1 && n >= 0 && n < 1024) {
                s->irq_level[n] = true;
            } else if (sscanf(line + 4, "lower %d", &n) == 1 && n >= 0 && n < 1024) {
                s->irq_level[n] = false;
            }
            g_free(line);
            continue;
        }
        if (!g_str_has_prefix(line, "OK")) {
            g_error("qtest command '%s' failed: %s", g_strchomp(cmd), line);
        }
        return line;
    }
}

static uint64_t qtest_read_sized(QTestState *s, const char *cmd, uint64_t addr)
{
    g_autofree char *reply = qtest_command(s, "%s 0x%" PRIx64 "\n", cmd, addr);
    return g_ascii_strtoull(reply + 3, NULL, 16);
}

static void qtest_write_sized(QTestState *s, const char *cmd, uint64_t addr, uint64_t v)
{
    g_free(qtest_command(s, "%s 0x%" PRIx64 " 0x%" PRIx64 "\n", cmd, addr, v));
}

uint8_t qtest_readb(QTestState *s, uint64_t addr) { return qtest_read_sized(s, "readb", addr); }
uint16_t qtest_readw(QTestState *s, uint64_t addr) { return qtest_read_sized(s, "readw", addr); }
uint32_t qtest_readl(QTestState *s, uint64_t addr) { return qtest_read_sized(s, "readl", addr); }
uint64_t qtest_readq(QTestState *s, uint64_t addr) { return qtest_read_sized(s, "readq", addr); }
void qtest_writeb(QTestState *s, uint64_t a, uint8_t v) { qtest_write_sized(s, "writeb", a, v); }
void qtest_writew(QTestState *s, uint64_t a, uint16_t v) { qtest_write_sized(s, "writew", a, v); }
void qtest_writel(QTestState *s, uint64_t a, uint32_t v) { qtest_write_sized(s, "writel", a, v); }
void qtest_writeq(QTestState *s, uint64_t a, uint64_t v) { qtest_write_sized(s, "writeq", a, v); }

void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t len)
{
    g_autofree char *reply = qtest_command(s, "read 0x%" PRIx64 " %zu\n", addr, len);
    uint8_t *out = buf;

    g_assert(strlen(reply) == 5 + 2 * len);
    for (size_t i = 0; i < len; i++) {
        out[i] = g_ascii_xdigit_value(reply[5 + 2 * i]) << 4 |
                 g_ascii_xdigit_value(reply[6 + 2 * i]);
    }
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf, size_t len)
{
    GString *cmd = g_string_new(NULL);
    const uint8_t *in = buf;

    g_string_printf(cmd, "write 0x%" PRIx64 " %zu 0x", addr, len);
    for (size_t i = 0; i < len; i++) {
        g_string_append_printf(cmd, "%02x", in[i]);
    }
    g_string_append_c(cmd, '\n');
    g_free(qtest_command(s, "%s", cmd->str));
    g_string_free(cmd, TRUE);
}

void qtest_memset(QTestState *s, uint64_t addr, uint8_t val, size_t len)
{
    g_free(qtest_command(s, "memset 0x%" PRIx64 " %zu 0x%02x\n", addr, len, val));
}

void qtest_vring_desc_write(QTestState *s, uint64_t table, unsigned i, uint64_t addr,
                            uint32_t len, uint16_t flags, uint16_t next)
{
    struct QEMU_PACKED {
        uint64_t addr;
        uint32_t len;
        uint16_t flags;
        uint16_t next;
    } desc = {
        GUINT64_TO_LE(addr), GUINT32_TO_LE(len), GUINT16_TO_LE(flags), GUINT16_TO_LE(next),
    };

    qtest_memwrite(s, table + 16 * i, &desc, sizeof(desc));
}

int64_t qtest_clock_step(QTestState *s, int64_t ns)
{
    g_autofree char *reply = ns ? qtest_command(s, "clock_step %" PRId64 "\n", ns)
                                : qtest_command(s, "clock_step\n");
    return g_ascii_strtoll(reply + 3, NULL, 10);
}

void qtest_irq_intercept_in(QTestState *s)
{
    g_free(qtest_command(s, "irq_intercept_in plic\n"));
}

bool qtest_get_irq(QTestState *s, int n)
{
    /* Let pending IRQ notifications arrive: a round trip orders them. */
    g_free(qtest_command(s, "clock_step 0\n"));
    return s->irq_level[n];
}

static JsonObject *qmp_read_message(QTestState *s)
{
    g_autofree char *line = read_line(s->qmp_fd, s->qmp_rx);
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) err = NULL;

    if (!json_parser_load_from_data(parser, line, -1, &err)) {
        g_error("bad QMP reply '%s': %s", line, err->message);
    }
    return json_object_ref(json_node_get_object(json_parser_get_root(parser)));
}

/* The next reply, queueing events that come first. */
static JsonObject *qmp_read_reply(QTestState *s)
{
    for (;;) {
        JsonObject *msg = qmp_read_message(s);
        if (json_object_has_member(msg, "event")) {
            g_queue_push_tail(&s->events, msg);
            continue;
        }
        return msg;
    }
}

JsonObject *qtest_qmp_raw(QTestState *s, const char *text)
{
    if (text) {
        send_all(s->qmp_fd, text);
    }
    return qmp_read_reply(s);
}

JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *text = NULL;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* Tests write JSON with single quotes for readability, as QEMU's do. */
    g_strdelimit(text, "'", '"');
    return qtest_qmp_raw(s, text);
}

JsonObject *qtest_qmp_eventwait(QTestState *s, const char *name)
{
    for (;;) {
        for (GList *l = s->events.head; l; l = l->next) {
            JsonObject *ev = l->data;
            if (!strcmp(json_object_get_string_member(ev, "event"), name)) {
                g_queue_delete_link(&s->events, l);
                return ev;
            }
        }
        g_queue_push_tail(&s->events, qmp_read_message(s));
    }
}

void qtest_qmp_send_bytes(QTestState *s, const void *buf, size_t len)
{
    send_bytes(s->qmp_fd, buf, len);
}

JsonObject *qtest_qmp_receive(QTestState *s)
{
    return qmp_read_reply(s);
}

int qtest_qmp_fd(QTestState *s)
{
    return s->qmp_fd;
}

void qtest_qmp_reconnect(QTestState *s)
{
    g_autofree char *path = g_build_filename(s->tmpdir, "qmp.sock", NULL);
    JsonObject *r;

    close(s->qmp_fd);
    g_string_truncate(s->qmp_rx, 0);
    /* hintvm serves one client at a time: retry until it has seen the close. */
    for (int i = 0; i < 500; i++) {
        char c;

        s->qmp_fd = connect_unix_retry(path, s->pid);
        set_receive_timeout(s->qmp_fd);
        struct timeval tv = { .tv_usec = 200 * 1000 };
        setsockopt(s->qmp_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        if (recv(s->qmp_fd, &c, 1, MSG_PEEK) == 1) {
            break;
        }
        close(s->qmp_fd);
        s->qmp_fd = -1;
    }
    g_assert_cmpint(s->qmp_fd, >=, 0);
    set_receive_timeout(s->qmp_fd);
    json_object_unref(qtest_qmp_raw(s, NULL));
    r = qtest_qmp(s, "{'execute': 'qmp_capabilities'}");
    g_assert(json_object_has_member(r, "return"));
    json_object_unref(r);
}
