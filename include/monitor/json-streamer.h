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

typedef struct JsonStreamer {
    GString *text;          /* the current, incomplete text */
    int depth;              /* nesting of { and [ */
    bool in_string;
    bool escape;
} JsonStreamer;

void json_streamer_init(JsonStreamer *js);
void json_streamer_destroy(JsonStreamer *js);
/*
 * Feed bytes; @emit is called with each complete text (NUL-terminated).
 * A text that exceeds JSON_STREAMER_MAX_TEXT or a stray closing bracket is
 * emitted as is so the parser reports it, and the streamer starts afresh.
 */
void json_streamer_feed(JsonStreamer *js, const char *buf, size_t len,
                        void (*emit)(void *opaque, const char *text), void *opaque);

#endif
