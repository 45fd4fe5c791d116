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

static void json_streamer_flush(JsonStreamer *js,
                                void (*emit)(void *opaque, const char *text), void *opaque)
{
    g_autofree char *text = g_string_free(js->text, FALSE);

    js->text = g_string_new(NULL);
    js->depth = 0;
    js->in_string = false;
    js->escape = false;
    emit(opaque, text);
}

void json_streamer_feed(JsonStreamer *js, const char *buf, size_t len,
                        void (*emit)(void *opaque, const char *text), void *opaque)
{
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];

        /* White space between texts is not part of any text. */
        if (js->depth == 0 && !js->in_string && js->text->len == 0 &&
            g_ascii_isspace(c)) {
            continue;
        }
        g_string_append_c(js->text, c);
        if (js->in_string) {
            if (js->escape) {
                js->escape = false;
            } else if (c == '\\') {
                js->escape = true;
            } else if (c == '"') {
                js->in_string = false;
            }
        } else if (c == '"') {
            js->in_string = true;
        } else if (c == '{' || c == '[') {
            js->depth++;
        } else if (c == '}' || c == ']') {
            js->depth--;
        }
        /*
         * A text ends when its outermost bracket closes; a scalar or a stray
         * closer ends at the next newline so the parser can reject it.
         */
        if (!js->in_string &&
            ((js->depth == 0 && (c == '}' || c == ']')) || js->depth < 0 ||
             (js->depth == 0 && c == '\n') ||
             js->text->len > JSON_STREAMER_MAX_TEXT)) {
            json_streamer_flush(js, emit, opaque);
        }
    }
}
