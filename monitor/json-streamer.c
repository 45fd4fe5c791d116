/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "qemu/osdep.h"
#include "monitor/json-streamer.h"

void json_streamer_init(JsonStreamer *js)
{
    memset(js, 0, sizeof(*js));
    js->text = g_string_new(NULL);
}

void json_streamer_destroy(JsonStreamer *js)
{
    g_string_free(js->text, TRUE);
}

static void json_streamer_reset(JsonStreamer *js)
{
    g_string_truncate(js->text, 0);
    js->depth = 0;
    js->in_string = false;
    js->escape = false;
    js->discarding = false;
}

static void json_streamer_flush(JsonStreamer *js, JsonStreamerEmit *emit, void *opaque)
{
    g_autoptr(GString) text = js->text;

    js->text = g_string_new(NULL);
    json_streamer_reset(js);
    emit(opaque, text->str, text->len, NULL);
}

/*
 * Outside strings JSON (RFC 8259) only has structural characters, white
 * space, numbers and the literals true, false and null.
 */
static bool json_byte_outside_string_ok(char c)
{
    return c && strchr(" \t\r\n{}[],:\"0123456789+-.eEtruefalsn", c);
}

/*
 * Track strings and brackets; returns whether @c ends the current text.
 * As QEMU's lexer, a byte that cannot occur in JSON ends the text at once,
 * so a client recovers from garbage (e.g. by sending 0xff) without having to
 * balance the brackets it sent.
 */
static bool json_streamer_scan(JsonStreamer *js, char c)
{
    if (c == '\0') {
        return true; /* never valid JSON: let the parser reject what came so far */
    }
    if (js->in_string) {
        if (c == '\n') {
            return true; /* raw control characters are invalid in strings (RFC 8259 7) */
        }
        if (js->escape) {
            js->escape = false;
        } else if (c == '\\') {
            js->escape = true;
        } else if (c == '"') {
            js->in_string = false;
        }
        return false;
    }
    if (!json_byte_outside_string_ok(c)) {
        return true;
    }
    if (c == '"') {
        js->in_string = true;
    } else if (c == '{' || c == '[') {
        if (js->depth <= JSON_STREAMER_MAX_DEPTH) {
            uint8_t bit = 1u << (js->depth % 8);
            uint8_t *byte = &js->open_is_brace[js->depth / 8];
            *byte = c == '{' ? *byte | bit : *byte & ~bit;
        }
        js->depth++;
    } else if (c == '}' || c == ']') {
        js->depth--;
        /*
         * "{[}" can never become valid: end the text now rather than wait
         * for brackets that will not come (past the limit only depth counts).
         */
        if (js->depth >= 0 && js->depth <= JSON_STREAMER_MAX_DEPTH && !js->discarding &&
            !!(js->open_is_brace[js->depth / 8] & (1u << (js->depth % 8))) != (c == '}')) {
            return true;
        }
    }
    /*
     * A text ends when its outermost bracket closes; a scalar or a stray
     * closer ends at the next newline so the parser can reject it.
     */
    return (js->depth == 0 && (c == '}' || c == ']' || c == '\n')) || js->depth < 0;
}

void json_streamer_feed(JsonStreamer *js, const char *buf, size_t len,
                        JsonStreamerEmit *emit, void *opaque)
{
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        bool end;

        /* White space between texts is not part of any text. */
        if (!js->discarding && js->depth == 0 && !js->in_string && js->text->len == 0 &&
            g_ascii_isspace(c)) {
            continue;
        }
        /*
         * A bracket opening after a top-level scalar (or stray bytes) starts
         * a text of its own: the scalar is a complete value already, and
         * json-glib 1.6 leaks a container it finds after the top-level value.
         */
        if (!js->discarding && js->depth == 0 && !js->in_string && js->text->len &&
            (c == '{' || c == '[')) {
            json_streamer_flush(js, emit, opaque);
        }
        end = json_streamer_scan(js, c);
        if (js->discarding) {
            if (end) {
                /* The rest of an oversized text: @c was its last byte. */
                json_streamer_reset(js);
            }
            continue;
        }
        g_string_append_c(js->text, c);
        if (end) {
            json_streamer_flush(js, emit, opaque);
            continue;
        }
        if (js->depth > JSON_STREAMER_MAX_DEPTH || js->text->len > JSON_STREAMER_MAX_TEXT) {
            emit(opaque, NULL, 0, js->depth > JSON_STREAMER_MAX_DEPTH ?
                 "JSON nesting depth limit exceeded" : "JSON token size limit exceeded");
            g_string_truncate(js->text, 0);
            js->discarding = true;
        }
    }
}
