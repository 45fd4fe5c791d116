/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP server: sockets, sessions, message framing, argument checking and
 * dispatch.  One client at a time per -qmp socket, as in QEMU.
 */
#include "qemu/osdep.h"
#include "monitor/monitor.h"
#include "monitor/json-streamer.h"
#include "monitor/qmp-internal.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "qemu/sockets.h"
#include <sys/socket.h>

typedef struct QmpCommand {
    const char *name;
    QmpCommandFunc *fn;
    const QmpArgSpec *args;
} QmpCommand;

/*
 * Replies and events wait here while the client is slow to read.  Past this
 * much the session stops reading requests until the client catches up, so a
 * client that never reads costs bounded memory and never blocks the main
 * loop (QEMU likewise suspends a monitor whose queue is full).
 */
#define QMP_OUTBUF_HIGH (64 * KiB)

typedef struct QmpSession {
    int fd;
    guint watch;                /* G_IO_IN, removed while outbuf is above its mark */
    guint out_watch;            /* G_IO_OUT, while outbuf is not empty */
    GString *outbuf;
    JsonStreamer streamer;
    bool command_mode;          /* qmp_capabilities done */
    struct QmpServer *server;
} QmpSession;

typedef struct QmpServer {
    int listen_fd;
    QmpSession *session;
} QmpServer;

static GHashTable *qmp_commands;
static GPtrArray *qmp_servers;

void qmp_register_command(const char *name, QmpCommandFunc *fn, const QmpArgSpec *args)
{
    QmpCommand *cmd = g_new0(QmpCommand, 1);

    if (!qmp_commands) {
        qmp_commands = g_hash_table_new(g_str_hash, g_str_equal);
    }
    cmd->name = name;
    cmd->fn = fn;
    cmd->args = args;
    g_hash_table_insert(qmp_commands, (gpointer)name, cmd);
}

GList *qmp_command_names(void)
{
    GList *names = g_hash_table_get_keys(qmp_commands);
    return g_list_sort(names, (GCompareFunc)strcmp);
}

JsonNode *qmp_node_from_object(JsonObject *obj)
{
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);
    json_node_take_object(node, obj);
    return node;
}

static gboolean qmp_session_readable(GIOChannel *chan, GIOCondition cond, gpointer opaque);
static gboolean qmp_session_writable(GIOChannel *chan, GIOCondition cond, gpointer opaque);

static guint qmp_session_add_watch(QmpSession *s, GIOCondition cond, GIOFunc fn)
{
    GIOChannel *chan = g_io_channel_unix_new(s->fd);
    guint id = g_io_add_watch(chan, cond, fn, s);

    g_io_channel_unref(chan);
    return id;
}

/* Write what the socket takes now; keep the rest and the watches in step with it. */
static void qmp_session_flush(QmpSession *s)
{
    while (s->outbuf->len) {
        ssize_t n = send(s->fd, s->outbuf->str, s->outbuf->len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        }
        if (n <= 0) {
            /* The client went away: drop its output, the read side will close. */
            g_string_truncate(s->outbuf, 0);
            break;
        }
        g_string_erase(s->outbuf, 0, n);
    }
    if (s->outbuf->len && !s->out_watch) {
        s->out_watch = qmp_session_add_watch(s, G_IO_OUT, qmp_session_writable);
    } else if (!s->outbuf->len && s->out_watch) {
        g_source_remove(s->out_watch);
        s->out_watch = 0;
    }
    if (s->outbuf->len > QMP_OUTBUF_HIGH && s->watch) {
        g_source_remove(s->watch);
        s->watch = 0;
    } else if (s->outbuf->len <= QMP_OUTBUF_HIGH && !s->watch) {
        s->watch = qmp_session_add_watch(s, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                         qmp_session_readable);
    }
}

static gboolean qmp_session_writable(GIOChannel *chan, GIOCondition cond, gpointer opaque)
{
    /* Once the buffer is empty, the flush removes this watch itself. */
    qmp_session_flush(opaque);
    return G_SOURCE_CONTINUE;
}

static void qmp_session_send(QmpSession *s, JsonNode *msg)
{
    g_autofree char *text = json_to_string(msg, FALSE);

    g_string_append(s->outbuf, text);
    g_string_append(s->outbuf, "\r\n");
    qmp_session_flush(s);
}

static void qmp_send_error(QmpSession *s, JsonNode *id, const char *class,
                           const char *desc)
{
    JsonObject *err = json_object_new();
    JsonObject *msg = json_object_new();
    g_autoptr(JsonNode) node = NULL;

    /*
     * json-glib quotes the offending input in its messages, invalid UTF-8
     * included; QMP output must stay valid UTF-8 (RFC 8259 section 8.1).
     */
    g_autofree char *valid_desc = g_utf8_make_valid(desc, -1);

    json_object_set_string_member(err, "class", class);
    json_object_set_string_member(err, "desc", valid_desc);
    json_object_set_object_member(msg, "error", err);
    if (id) {
        json_object_set_member(msg, "id", json_node_copy(id));
    }
    node = qmp_node_from_object(msg);
    qmp_session_send(s, node);
}

static const char *qmp_arg_type_name(QmpArgType type)
{
    static const char *const names[] = {
        [QMP_ARG_STR] = "string", [QMP_ARG_INT] = "integer", [QMP_ARG_BOOL] = "boolean",
        [QMP_ARG_NUMBER] = "number", [QMP_ARG_OBJECT] = "object", [QMP_ARG_ANY] = "any",
    };
    return names[type];
}

static bool qmp_arg_type_ok(JsonNode *node, QmpArgType type)
{
    GType vt;

    switch (type) {
    case QMP_ARG_ANY:
        return true;
    case QMP_ARG_OBJECT:
        return JSON_NODE_HOLDS_OBJECT(node);
    default:
        break;
    }
    if (!JSON_NODE_HOLDS_VALUE(node)) {
        return false;
    }
    vt = json_node_get_value_type(node);
    switch (type) {
    case QMP_ARG_STR:
        return vt == G_TYPE_STRING;
    case QMP_ARG_INT:
        return vt == G_TYPE_INT64;
    case QMP_ARG_BOOL:
        return vt == G_TYPE_BOOLEAN;
    case QMP_ARG_NUMBER:
        return vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE;
    default:
        return false;
    }
}

/* Check @args against @spec with QEMU's messages. */
static bool qmp_check_args(const QmpCommand *cmd, JsonObject *args, Error **errp)
{
    g_autoptr(GList) members = json_object_get_members(args);

    for (const QmpArgSpec *a = cmd->args; a && a->name; a++) {
        JsonNode *node = json_object_get_member(args, a->name);
        if (!node) {
            if (!a->optional) {
                error_setg(errp, "Parameter '%s' is missing", a->name);
                return false;
            }
            continue;
        }
        if (!qmp_arg_type_ok(node, a->type)) {
            error_setg(errp, "Invalid parameter type for '%s', expected: %s", a->name,
                       qmp_arg_type_name(a->type));
            return false;
        }
    }
    for (GList *l = members; l; l = l->next) {
        const QmpArgSpec *a = cmd->args;
        while (a && a->name && strcmp(a->name, l->data)) {
            a++;
        }
        if (!a || !a->name) {
            error_setg(errp, "Parameter '%s' is unexpected", (char *)l->data);
            return false;
        }
    }
    return true;
}

/*
 * json-glib wraps integer literals outside int64 silently (so 2^64 would
 * reach a command as 0).  QEMU's parser reads them as floating point; give
 * such literals a fraction so json-glib does the same and argument checking
 * reports "expected: integer", and an "id" comes back as the number sent.
 */
static GString *qmp_widen_big_integers(const char *text, size_t len)
{
    GString *out = g_string_sized_new(len + 16);
    bool in_string = false, escape = false;
    size_t i = 0;

    while (i < len) {
        char c = text[i];

        if (in_string) {
            escape = !escape && c == '\\';
            in_string = escape || c != '"';
            g_string_append_c(out, c);
            i++;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if ((c == '-' || g_ascii_isdigit(c)) &&
                   (i == 0 || !g_ascii_isalnum(text[i - 1]))) {
            size_t end = i + (c == '-');
            while (end < len && g_ascii_isdigit(text[end])) {
                end++;
            }
            if (end > i + (c == '-') &&
                (end == len || (text[end] != '.' && text[end] != 'e' && text[end] != 'E'))) {
                g_autofree char *literal = g_strndup(text + i, end - i);
                errno = 0;
                (void)g_ascii_strtoll(literal, NULL, 10);
                g_string_append_len(out, text + i, end - i);
                if (errno == ERANGE) {
                    g_string_append(out, ".0");
                }
                i = end;
                continue;
            }
        }
        g_string_append_c(out, c);
        i++;
    }
    return out;
}

static void qmp_dispatch(QmpSession *s, const char *raw_text, size_t raw_len)
{
    g_autoptr(GString) text = qmp_widen_big_integers(raw_text, raw_len);
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) gerr = NULL;
    JsonNode *root, *id = NULL, *args_node;
    JsonObject *req, *args;
    const char *name;
    const QmpCommand *cmd;
    Error *err = NULL;
    JsonNode *ret;
    g_autoptr(GList) members = NULL;

    if (!json_parser_load_from_data(parser, text->str, text->len, &gerr)) {
        g_autofree char *desc = g_strdup_printf("JSON parse error, %s", gerr->message);
        qmp_send_error(s, NULL, "GenericError", desc);
        return;
    }
    root = json_parser_get_root(parser);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        qmp_send_error(s, NULL, "GenericError", "QMP input must be a JSON object");
        return;
    }
    req = json_node_get_object(root);
    id = json_object_get_member(req, "id");
    members = json_object_get_members(req);
    for (GList *l = members; l; l = l->next) {
        if (strcmp(l->data, "execute") && strcmp(l->data, "arguments") &&
            strcmp(l->data, "id")) {
            g_autofree char *desc = g_strdup_printf("QMP input member '%s' is unexpected",
                                                    (char *)l->data);
            qmp_send_error(s, id, "GenericError", desc);
            return;
        }
    }
    if (!json_object_has_member(req, "execute")) {
        qmp_send_error(s, id, "GenericError", "QMP input lacks member 'execute'");
        return;
    }
    if (!qmp_arg_type_ok(json_object_get_member(req, "execute"), QMP_ARG_STR)) {
        qmp_send_error(s, id, "GenericError", "QMP input member 'execute' must be a string");
        return;
    }
    name = json_object_get_string_member(req, "execute");
    args_node = json_object_get_member(req, "arguments");
    if (args_node && !JSON_NODE_HOLDS_OBJECT(args_node)) {
        qmp_send_error(s, id, "GenericError",
                       "QMP input member 'arguments' must be an object");
        return;
    }
    if (!s->command_mode && strcmp(name, "qmp_capabilities")) {
        qmp_send_error(s, id, "CommandNotFound",
                       "Expecting capabilities negotiation with 'qmp_capabilities'");
        return;
    }
    if (s->command_mode && !strcmp(name, "qmp_capabilities")) {
        qmp_send_error(s, id, "CommandNotFound",
                       "Capabilities negotiation is already complete, command ignored");
        return;
    }
    cmd = qmp_commands ? g_hash_table_lookup(qmp_commands, name) : NULL;
    if (!cmd) {
        g_autofree char *desc = g_strdup_printf("The command %s has not been found", name);
        qmp_send_error(s, id, "CommandNotFound", desc);
        return;
    }
    args = args_node ? json_node_get_object(args_node) : json_object_new();
    if (qmp_check_args(cmd, args, &err)) {
        ret = cmd->fn(args, &err);
    } else {
        ret = NULL;
    }
    if (!args_node) {
        json_object_unref(args);
    }
    if (err) {
        qmp_send_error(s, id, error_class_name(error_get_class(err)),
                       error_get_pretty(err));
        error_free(err);
        if (ret) {
            json_node_unref(ret);
        }
        return;
    }
    if (!strcmp(name, "qmp_capabilities")) {
        s->command_mode = true;
    }
    JsonObject *reply = json_object_new();
    json_object_set_member(reply, "return", ret ? ret : qmp_node_from_object(json_object_new()));
    if (id) {
        json_object_set_member(reply, "id", json_node_copy(id));
    }
    g_autoptr(JsonNode) reply_node = qmp_node_from_object(reply);
    qmp_session_send(s, reply_node);
}

static void qmp_emit_text(void *opaque, const char *text, size_t len, const char *error)
{
    if (error) {
        qmp_send_error(opaque, NULL, "GenericError", error);
        return;
    }
    qmp_dispatch(opaque, text, len);
}

static void qmp_session_close(QmpSession *s)
{
    if (s->watch) {
        g_source_remove(s->watch);
    }
    if (s->out_watch) {
        g_source_remove(s->out_watch);
    }
    g_string_free(s->outbuf, TRUE);
    close(s->fd);
    json_streamer_destroy(&s->streamer);
    s->server->session = NULL;
    g_free(s);
}

static gboolean qmp_session_readable(GIOChannel *chan, GIOCondition cond, gpointer opaque)
{
    QmpSession *s = opaque;
    char buf[4096];
    ssize_t n = recv(s->fd, buf, sizeof(buf), 0);

    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
        return G_SOURCE_CONTINUE;
    }
    if (n <= 0) {
        s->watch = 0;
        qmp_session_close(s);
        return G_SOURCE_REMOVE;
    }
    json_streamer_feed(&s->streamer, buf, n, qmp_emit_text, s);
    return G_SOURCE_CONTINUE;
}

static void qmp_send_greeting(QmpSession *s)
{
    JsonObject *version = qmp_version_object();
    JsonObject *qmp = json_object_new();
    JsonObject *msg = json_object_new();
    JsonArray *caps = json_array_new();
    g_autoptr(JsonNode) node = NULL;

    json_array_add_string_element(caps, "oob");
    json_object_set_object_member(qmp, "version", version);
    json_object_set_array_member(qmp, "capabilities", caps);
    json_object_set_object_member(msg, "QMP", qmp);
    node = qmp_node_from_object(msg);
    qmp_session_send(s, node);
}

static gboolean qmp_server_accept(GIOChannel *chan, GIOCondition cond, gpointer opaque)
{
    QmpServer *server = opaque;
    int fd = accept4(server->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    QmpSession *s;

    if (fd < 0) {
        return G_SOURCE_CONTINUE;
    }
    if (server->session) {
        close(fd);
        return G_SOURCE_CONTINUE;
    }
    s = g_new0(QmpSession, 1);
    s->fd = fd;
    s->server = server;
    s->outbuf = g_string_new(NULL);
    json_streamer_init(&s->streamer);
    server->session = s;
    /* The first flush adds the read watch. */
    qmp_send_greeting(s);
    return G_SOURCE_CONTINUE;
}

bool monitor_init_qmp(const char *spec, Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(spec, ",", -1);
    g_autoptr(SocketAddress) addr = NULL;
    bool wait = true;
    QmpServer *server;
    int fd;

    if (!g_str_has_prefix(parts[0], "unix:") && !g_str_has_prefix(parts[0], "tcp:")) {
        error_setg(errp, "-qmp %s: only unix:PATH and tcp:HOST:PORT sockets are supported",
                   spec);
        return false;
    }
    for (int i = 1; parts[i]; i++) {
        if (!strcmp(parts[i], "wait=off") || !strcmp(parts[i], "nowait")) {
            wait = false;
        } else if (strcmp(parts[i], "server=on") && strcmp(parts[i], "server") &&
                   strcmp(parts[i], "wait=on")) {
            error_setg(errp, "-qmp %s: unsupported option '%s'", spec, parts[i]);
            return false;
        }
    }
    addr = socket_parse(parts[0], errp);
    fd = addr ? socket_listen(addr, 1, errp) : -1;
    if (fd < 0) {
        return false;
    }
    server = g_new0(QmpServer, 1);
    server->listen_fd = fd;
    if (!qmp_servers) {
        qmp_servers = g_ptr_array_new();
    }
    g_ptr_array_add(qmp_servers, server);
    if (wait) {
        /* As QEMU with wait=on: block start-up until the client connects. */
        qmp_server_accept(NULL, G_IO_IN, server);
    }
    GIOChannel *chan = g_io_channel_unix_new(fd);
    g_io_add_watch(chan, G_IO_IN, qmp_server_accept, server);
    g_io_channel_unref(chan);
    return true;
}

void qapi_event_send(const char *event, JsonObject *data)
{
    gint64 now = g_get_real_time();
    JsonObject *ts = json_object_new();
    JsonObject *msg = json_object_new();
    g_autoptr(JsonNode) node = NULL;

    json_object_set_int_member(ts, "seconds", now / G_USEC_PER_SEC);
    json_object_set_int_member(ts, "microseconds", now % G_USEC_PER_SEC);
    json_object_set_object_member(msg, "timestamp", ts);
    json_object_set_string_member(msg, "event", event);
    if (data) {
        json_object_set_object_member(msg, "data", data);
    }
    node = qmp_node_from_object(msg);
    for (guint i = 0; qmp_servers && i < qmp_servers->len; i++) {
        QmpServer *server = g_ptr_array_index(qmp_servers, i);
        if (server->session && server->session->command_mode) {
            qmp_session_send(server->session, node);
        }
    }
}
