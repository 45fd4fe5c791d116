/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Splits a byte stream into complete top-level JSON texts, as QMP clients
 * send them back to back with or without newlines in between.
 */
#ifndef MONITOR_JSON_STREAMER_H
#define MONITOR_JSON_STREAMER_H

#include "qemu/osdep.h"

/* A client cannot make the monitor buffer more than this for one message. */
#define JSON_STREAMER_MAX_TEXT (1 * MiB)
/*
 * Deepest nesting of arrays and objects accepted, as QEMU's limit: the
 * parser recurses once per level, so an unbounded nest would overflow the
 * main thread's stack.
 */
#define JSON_STREAMER_MAX_DEPTH 1024

typedef struct JsonStreamer {
    GString *text;          /* the current, incomplete text */
    int depth;              /* nesting of { and [ */
    bool in_string;
    bool escape;
    bool discarding;        /* over a limit: drop bytes until the text ends */
    /* Bit n set: the bracket open at depth n is '{' (else '['), n <= MAX_DEPTH. */
    uint8_t open_is_brace[JSON_STREAMER_MAX_DEPTH / 8 + 1];
} JsonStreamer;

/*
 * Called with each complete text (@text, @len bytes, NUL-terminated) and
 * @error NULL; or, when a text broke a limit, with @text NULL and @error
 * QEMU's message for it.
 */
typedef void JsonStreamerEmit(void *opaque, const char *text, size_t len,
                              const char *error);

void json_streamer_init(JsonStreamer *js);
void json_streamer_destroy(JsonStreamer *js);
/*
 * Feed bytes.  A stray or mismatched closing bracket, a raw newline or NUL inside a
 * string, or a NUL anywhere ends the current text so that the parser
 * rejects it and framing recovers.  A text over JSON_STREAMER_MAX_TEXT bytes
 * or JSON_STREAMER_MAX_DEPTH levels is reported once through @emit, and the
 * rest of it is skipped (brackets and strings still tracked) so the texts
 * that follow it are framed correctly.
 */
void json_streamer_feed(JsonStreamer *js, const char *buf, size_t len,
                        JsonStreamerEmit *emit, void *opaque);

#endif
