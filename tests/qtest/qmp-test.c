/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP protocol: greeting, negotiation, QEMU's error classes for bad input,
 * and that the session goes on after each error.
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <fcntl.h>

static const char *error_class(JsonObject *reply)
{
    g_assert(json_object_has_member(reply, "error"));
    return json_object_get_string_member(json_object_get_object_member(reply, "error"),
                                         "class");
}

static const char *error_desc(JsonObject *reply)
{
    return json_object_get_string_member(json_object_get_object_member(reply, "error"),
                                         "desc");
}

static void assert_running_ok(QTestState *s)
{
    JsonObject *r = qtest_qmp(s, "{'execute': 'query-status'}");
    JsonObject *ret = json_object_get_object_member(r, "return");

    g_assert(ret);
    g_assert_cmpstr(json_object_get_string_member(ret, "status"), ==, "running");
    json_object_unref(r);
}

static void test_bad_input(void)
{
    QTestState *s = qtest_initf("-m 64M");
    JsonObject *r;

    /* A text split over two lines is still one text; this one lacks a value. */
    r = qtest_qmp_raw(s, "{\"execute\": \n}");
    g_assert_cmpstr(error_class(r), ==, "GenericError");
    g_assert(g_str_has_prefix(error_desc(r), "JSON parse error"));
    json_object_unref(r);

    r = qtest_qmp(s, "{'execute': 'query-status', 'arguments': 5}");
    g_assert_cmpstr(error_desc(r), ==, "QMP input member 'arguments' must be an object");
    json_object_unref(r);

    r = qtest_qmp_raw(s, "[1, 2]\n");
    g_assert_cmpstr(error_class(r), ==, "GenericError");
    g_assert_cmpstr(error_desc(r), ==, "QMP input must be a JSON object");
    json_object_unref(r);

    r = qtest_qmp(s, "{'execute': 'no-such-command', 'id': 7}");
    g_assert_cmpstr(error_class(r), ==, "CommandNotFound");
    g_assert_cmpint(json_object_get_int_member(r, "id"), ==, 7);
    json_object_unref(r);

    r = qtest_qmp(s, "{'arguments': {}}");
    g_assert_cmpstr(error_desc(r), ==, "QMP input lacks member 'execute'");
    json_object_unref(r);

    r = qtest_qmp(s, "{'execute': 'query-status', 'arguments': {'x': 1}}");
    g_assert_cmpstr(error_desc(r), ==, "Parameter 'x' is unexpected");
    json_object_unref(r);

    r = qtest_qmp(s, "{'execute': 'qmp_capabilities'}");
    g_assert_cmpstr(error_class(r), ==, "CommandNotFound");
    json_object_unref(r);

    assert_running_ok(s);
    qtest_quit(s);
}

static void test_stop_cont_events(void)
{
    QTestState *s = qtest_initf("-m 64M");
    JsonObject *r, *ev;

    r = qtest_qmp(s, "{'execute': 'stop'}");
    g_assert(json_object_has_member(r, "return"));
    json_object_unref(r);
    ev = qtest_qmp_eventwait(s, "STOP");
    g_assert(json_object_has_member(ev, "timestamp"));
    json_object_unref(ev);

    r = qtest_qmp(s, "{'execute': 'query-status'}");
    g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(r, "return"),
                                                  "status"), ==, "paused");
    json_object_unref(r);

    r = qtest_qmp(s, "{'execute': 'cont'}");
    json_object_unref(r);
    json_object_unref(qtest_qmp_eventwait(s, "RESUME"));
    assert_running_ok(s);
    qtest_quit(s);
}

/* Run state announces the shutdown; the monitor turns it into QEMU's SHUTDOWN event. */
static void test_quit_shutdown_event(void)
{
    QTestState *s = qtest_initf("-m 64M");
    JsonObject *r, *ev, *data;

    r = qtest_qmp(s, "{'execute': 'quit'}");
    g_assert(json_object_has_member(r, "return"));
    json_object_unref(r);
    ev = qtest_qmp_eventwait(s, "SHUTDOWN");
    data = json_object_get_object_member(ev, "data");
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==, "host-qmp-quit");
    json_object_unref(ev);
    qtest_quit(s);
}

static void test_query_commands(void)
{
    QTestState *s = qtest_initf("-m 64M");
    JsonObject *r = qtest_qmp(s, "{'execute': 'query-commands'}");
    JsonArray *list = json_object_get_array_member(r, "return");
    bool has_quit = false;

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *cmd = json_array_get_object_element(list, i);
        has_quit |= !strcmp(json_object_get_string_member(cmd, "name"), "quit");
    }
    g_assert(has_quit);
    json_object_unref(r);
    qtest_quit(s);
}

/* Read one CRLF-terminated QMP message from @fd. */
static char *read_qmp_line(int fd)
{
    GString *line = g_string_new(NULL);
    char c;

    while (recv(fd, &c, 1, 0) == 1 && c != '\n') {
        g_string_append_c(line, c);
    }
    return g_string_free(line, FALSE);
}

/* A second QMP monitor declared QEMU's long way: -chardev socket + -mon. */
static void test_chardev_mon(void)
{
    g_autofree char *dir = g_dir_make_tmp("qmp-mon-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "mon.sock", NULL);
    QTestState *s = qtest_initf("-m 64M -chardev socket,id=mon1,path=%s,server=on,wait=off "
                                "-mon chardev=mon1,mode=control", path);
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    g_autofree char *greeting = NULL, *reply = NULL, *status = NULL;
    const char *negotiate = "{\"execute\": \"qmp_capabilities\"}";
    const char *query = "{\"execute\": \"query-status\"}";

    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    greeting = read_qmp_line(fd);
    g_assert(strstr(greeting, "\"QMP\""));
    g_assert_cmpint(send(fd, negotiate, strlen(negotiate), 0), ==, strlen(negotiate));
    reply = read_qmp_line(fd);
    g_assert(strstr(reply, "\"return\""));
    g_assert_cmpint(send(fd, query, strlen(query), 0), ==, strlen(query));
    status = read_qmp_line(fd);
    g_assert(strstr(status, "\"running\""));
    close(fd);
    qtest_quit(s);
    unlink(path);
    rmdir(dir);
}

/*
 * Robustness: every malformed input gets an error reply, and the session
 * still answers afterwards.  The probe carries a fresh id so the replies to
 * the garbage (there may be several: the streamer ends a text at the first
 * byte that cannot be JSON) are told apart from its own.
 */
static int probe_count;

/* Read replies up to the probe's; check they are errors; return the first one's desc. */
static char *expect_errors_then_probe(QTestState *s)
{
    g_autofree char *probe = g_strdup_printf("{\"execute\": \"query-status\", "
                                             "\"id\": \"probe-%d\"}\n", ++probe_count);
    g_autofree char *probe_id = g_strdup_printf("probe-%d", probe_count);
    char *first_desc = NULL;

    qtest_qmp_send_bytes(s, probe, strlen(probe));
    for (;;) {
        JsonObject *r = qtest_qmp_receive(s);
        JsonNode *id = json_object_get_member(r, "id");

        if (id && JSON_NODE_HOLDS_VALUE(id) && json_node_get_value_type(id) == G_TYPE_STRING &&
            !strcmp(json_node_get_string(id), probe_id)) {
            g_assert(json_object_has_member(r, "return"));
            json_object_unref(r);
            return first_desc;
        }
        g_assert(json_object_has_member(r, "error"));
        g_assert_cmpstr(error_class(r), ==, "GenericError");
        if (!first_desc) {
            first_desc = g_strdup(error_desc(r));
        }
        json_object_unref(r);
    }
}

static void send_garbage(QTestState *s, const void *buf, size_t len)
{
    qtest_qmp_send_bytes(s, buf, len);
    qtest_qmp_send_bytes(s, "\n", 1);
}

static void assert_garbage_rejected(QTestState *s, const void *buf, size_t len,
                                    const char *desc_prefix)
{
    g_autofree char *desc = NULL;

    send_garbage(s, buf, len);
    desc = expect_errors_then_probe(s);
    g_assert_nonnull(desc);
    if (desc_prefix && !g_str_has_prefix(desc, desc_prefix)) {
        g_error("error '%s' does not start with '%s'", desc, desc_prefix);
    }
}

/* '[' x depth, then ']' x depth, then @tail. */
static GString *nested_arrays(int depth, const char *tail)
{
    GString *text = g_string_sized_new(depth * 2 + 64);

    for (int i = 0; i < depth; i++) {
        g_string_append_c(text, '[');
    }
    for (int i = 0; i < depth; i++) {
        g_string_append_c(text, ']');
    }
    g_string_append(text, tail);
    return text;
}

static void test_fuzz_nesting(void)
{
    QTestState *s = qtest_initf("-m 64M");
    g_autoptr(GString) deep = nested_arrays(100000, "");
    g_autoptr(GString) deep_then_cmd = nested_arrays(2000,
                                                     "{\"execute\": \"query-status\", "
                                                     "\"id\": \"after\"}");
    g_autoptr(GString) at_limit = g_string_new("{\"execute\": \"query-status\", \"id\": ");
    JsonObject *r;

    /* Parsing recurses per level: 100000 levels would overflow the stack. */
    assert_garbage_rejected(s, deep->str, deep->len, "JSON nesting depth limit exceeded");

    /* Framing survives the rejected text: the command right after it runs. */
    qtest_qmp_send_bytes(s, deep_then_cmd->str, deep_then_cmd->len);
    r = qtest_qmp_receive(s);
    g_assert_cmpstr(error_desc(r), ==, "JSON nesting depth limit exceeded");
    json_object_unref(r);
    r = qtest_qmp_receive(s);
    g_assert(json_object_has_member(r, "return"));
    g_assert_cmpstr(json_object_get_string_member(r, "id"), ==, "after");
    json_object_unref(r);

    /* 1000 levels inside the request are fine and come back in the "id". */
    g_autoptr(GString) nest = nested_arrays(1000, "}");
    g_string_append(at_limit, nest->str);
    r = qtest_qmp_raw(s, at_limit->str);
    g_assert(json_object_has_member(r, "return"));
    g_assert(JSON_NODE_HOLDS_ARRAY(json_object_get_member(r, "id")));
    json_object_unref(r);
    assert_running_ok(s);
    qtest_quit(s);
}

static void test_fuzz_huge_string(void)
{
    QTestState *s = qtest_initf("-m 64M");
    GString *text = g_string_new("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"");
    JsonObject *r;

    for (int i = 0; i < 2 * 1024 * 1024; i++) {
        g_string_append_c(text, 'A' + i % 26);
    }
    /* No newline: the next command must still be framed correctly. */
    g_string_append(text, "\"}}{\"execute\": \"query-status\", \"id\": 1}");
    qtest_qmp_send_bytes(s, text->str, text->len);
    r = qtest_qmp_receive(s);
    g_assert_cmpstr(error_desc(r), ==, "JSON token size limit exceeded");
    json_object_unref(r);
    r = qtest_qmp_receive(s);
    g_assert(json_object_has_member(r, "return"));
    g_assert_cmpint(json_object_get_int_member(r, "id"), ==, 1);
    json_object_unref(r);
    g_string_free(text, TRUE);
    assert_running_ok(s);
    qtest_quit(s);
}

static void test_fuzz_bad_bytes(void)
{
    QTestState *s = qtest_initf("-m 64M");
    static const char nul_in_name[] = "{\"execute\": \"query-\0status\"}";
    static const char nul_in_value[] = "{\"execute\": \"query-status\", \"id\": \"a\0b\"}";
    static const char bad_utf8[] = "{\"execute\": \"query-status\", \"id\": \"\xff\xfe\xc3\"}";
    static const char overlong[] = "{\"execute\": \"query-status\", \"id\": \"\xc0\xaf\"}";
    static const char *const texts[] = {
        "}", "]]]", "{\"execute\": \"query-status\",}", "'single'",
        "{\"execute\": query-status}", "nul", "{\"a\": 1e99999}", "\"unterminated",
        "{\"execute\": \"\\uD800\"}", "\x1b[A", "-", "[1, 2,, 3]", "{\"execute\": [}",
        /* An unfinished text waits for more; a byte that is never JSON ends it. */
        "{\"execute\"\n\xff",
    };

    assert_garbage_rejected(s, nul_in_name, sizeof(nul_in_name) - 1, "JSON parse error");
    assert_garbage_rejected(s, nul_in_value, sizeof(nul_in_value) - 1, "JSON parse error");
    assert_garbage_rejected(s, bad_utf8, sizeof(bad_utf8) - 1, "JSON parse error");
    assert_garbage_rejected(s, overlong, sizeof(overlong) - 1, "JSON parse error");
    for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
        g_autofree char *desc = NULL;

        send_garbage(s, texts[i], strlen(texts[i]));
        desc = expect_errors_then_probe(s);
        g_assert_nonnull(desc);
    }
    assert_running_ok(s);
    qtest_quit(s);
}

/* Integers outside int64 are numbers, never wrapped integers (as QEMU's parser). */
static void test_fuzz_big_integers(void)
{
    QTestState *s = qtest_initf("-m 64M -device virtio-balloon-device");
    JsonObject *r;
    JsonNode *id;

    r = qtest_qmp(s, "{'execute': 'balloon', 'arguments': {'value': 18446744073709551616}}");
    g_assert_cmpstr(error_class(r), ==, "GenericError");
    g_assert_cmpstr(error_desc(r), ==, "Invalid parameter type for 'value', expected: integer");
    json_object_unref(r);

    r = qtest_qmp(s, "{'execute': 'balloon', 'arguments': {'value': -99999999999999999999}}");
    g_assert_cmpstr(error_desc(r), ==, "Invalid parameter type for 'value', expected: integer");
    json_object_unref(r);

    r = qtest_qmp(s, "{'execute': 'query-status', 'id': 18446744073709551616}");
    id = json_object_get_member(r, "id");
    g_assert_cmpfloat_with_epsilon(json_node_get_double(id), 18446744073709551616.0, 1e5);
    json_object_unref(r);

    r = qtest_qmp(s, "{'execute': 'query-status', 'id': -9223372036854775808}");
    g_assert_cmpint(json_object_get_int_member(r, "id"), ==, G_MININT64);
    json_object_unref(r);
    assert_running_ok(s);
    qtest_quit(s);
}

/* The "id" comes back as sent, whatever its JSON type. */
static void test_fuzz_id_types(void)
{
    QTestState *s = qtest_initf("-m 64M");
    static const char *const ids[] = {
        "null", "true", "false", "0", "-1", "1.5", "\"x\"", "\"\"", "[]", "{}",
        "[1,{\"a\":[null]}]", "{\"execute\":\"quit\"}", "\"\\u00e9\\n\"",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
        g_autofree char *cmd = g_strdup_printf("{\"execute\": \"query-status\", \"id\": %s}",
                                               ids[i]);
        g_autoptr(JsonParser) parser = json_parser_new();
        JsonObject *r = qtest_qmp_raw(s, cmd);
        g_autofree char *sent = NULL, *got = NULL;

        g_assert(json_object_has_member(r, "return"));
        g_assert(json_parser_load_from_data(parser, ids[i], -1, NULL));
        sent = json_to_string(json_parser_get_root(parser), FALSE);
        got = json_to_string(json_object_get_member(r, "id"), FALSE);
        g_assert_cmpstr(sent, ==, got);
        json_object_unref(r);
    }
    qtest_quit(s);
}

/* Random bytes, each burst ended by 0xff (never valid JSON) and a newline. */
static void test_fuzz_random(void)
{
    QTestState *s = qtest_initf("-m 64M");
    static const char json_chars[] = "{}[]\":,0123456789-.etruflasn \\";
    GRand *rand = g_rand_new_with_seed(0x51ed);

    for (int i = 0; i < 300; i++) {
        guint8 buf[512];
        size_t len = g_rand_int_range(rand, 1, sizeof(buf));

        for (size_t j = 0; j < len; j++) {
            /* Half the bursts favour JSON's own characters, to get deeper in. */
            buf[j] = (i & 1) ? json_chars[g_rand_int_range(rand, 0, sizeof(json_chars) - 1)]
                             : g_rand_int_range(rand, 0, 256);
        }
        qtest_qmp_send_bytes(s, buf, len);
        qtest_qmp_send_bytes(s, "\xff\n", 2);
        g_free(expect_errors_then_probe(s));
    }
    g_rand_free(rand);
    assert_running_ok(s);
    qtest_quit(s);
}

static void test_fuzz_disconnect(void)
{
    QTestState *s = qtest_initf("-m 64M");
    static const char half[] = "{\"execute\": \"query-st";
    static const char many[] = "{\"execute\": \"query-commands\"}";

    qtest_qmp_send_bytes(s, half, strlen(half));
    qtest_qmp_reconnect(s);
    assert_running_ok(s);

    /* Requests whose replies are never read, then gone. */
    for (int i = 0; i < 200; i++) {
        qtest_qmp_send_bytes(s, many, strlen(many));
    }
    qtest_qmp_reconnect(s);
    assert_running_ok(s);
    qtest_quit(s);
}

/*
 * A client that sends requests but never reads the replies must not block
 * the main loop (here: the qtest channel must keep answering).
 */
static void test_slow_client(void)
{
    QTestState *s = qtest_initf("-m 64M");
    static const char cmd[] = "{\"execute\": \"query-commands\"}";
    int fd = qtest_qmp_fd(s);
    int flags = fcntl(fd, F_GETFL);
    size_t sent = 0;

    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    /* Until hintvm stops taking requests, or plenty of replies are queued. */
    for (int idle = 0; idle < 50 && sent < 64 * 1024 * 1024;) {
        ssize_t n = send(fd, cmd, strlen(cmd), MSG_NOSIGNAL);

        if (n > 0) {
            sent += n;
            idle = 0;
            if (n < (ssize_t)strlen(cmd)) {
                break; /* leave the torn request: the reconnect drops it */
            }
        } else {
            g_assert(errno == EAGAIN || errno == EWOULDBLOCK);
            idle++;
            g_usleep(10 * 1000);
        }
    }
    fcntl(fd, F_SETFL, flags);
    g_assert_cmpint(qtest_clock_step(s, 1000), >, 0);
    qtest_qmp_reconnect(s);
    assert_running_ok(s);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp/bad-input", test_bad_input);
    g_test_add_func("/qmp/stop-cont-events", test_stop_cont_events);
    g_test_add_func("/qmp/quit-shutdown-event", test_quit_shutdown_event);
    g_test_add_func("/qmp/query-commands", test_query_commands);
    g_test_add_func("/qmp/chardev-mon", test_chardev_mon);
    g_test_add_func("/qmp/fuzz/nesting", test_fuzz_nesting);
    g_test_add_func("/qmp/fuzz/huge-string", test_fuzz_huge_string);
    g_test_add_func("/qmp/fuzz/bad-bytes", test_fuzz_bad_bytes);
    g_test_add_func("/qmp/fuzz/big-integers", test_fuzz_big_integers);
    g_test_add_func("/qmp/fuzz/id-types", test_fuzz_id_types);
    g_test_add_func("/qmp/fuzz/random", test_fuzz_random);
    g_test_add_func("/qmp/fuzz/disconnect", test_fuzz_disconnect);
    g_test_add_func("/qmp/slow-client", test_slow_client);
    return g_test_run();
}
