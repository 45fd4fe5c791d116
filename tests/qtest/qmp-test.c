/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP protocol: greeting, negotiation, QEMU's error classes for bad input,
 * and that the session goes on after each error.
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include <sys/socket.h>
#include <sys/un.h>

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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp/bad-input", test_bad_input);
    g_test_add_func("/qmp/stop-cont-events", test_stop_cont_events);
    g_test_add_func("/qmp/query-commands", test_query_commands);
    g_test_add_func("/qmp/chardev-mon", test_chardev_mon);
    return g_test_run();
}
