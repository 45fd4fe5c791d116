/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Framing of QMP's byte stream into JSON texts, limits and recovery. */
#include "qemu/osdep.h"
#include "monitor/json-streamer.h"

typedef struct Emitted {
    GPtrArray *items;       /* "T:<text>" or "E:<error>" */
} Emitted;

static void record(void *opaque, const char *text, size_t len, const char *error)
{
    Emitted *e = opaque;

    if (error) {
        g_ptr_array_add(e->items, g_strdup_printf("E:%s", error));
    } else {
        g_assert_cmpint(strlen(text), <=, len);
        g_ptr_array_add(e->items, g_strdup_printf("T:%.*s", (int)len, text));
    }
}

static Emitted *feed(const char *buf, size_t len)
{
    static JsonStreamer js;
    Emitted *e = g_new0(Emitted, 1);

    e->items = g_ptr_array_new_with_free_func(g_free);
    json_streamer_init(&js);
    json_streamer_feed(&js, buf, len, record, e);
    json_streamer_destroy(&js);
    return e;
}

static void emitted_free(Emitted *e)
{
    g_ptr_array_free(e->items, TRUE);
    g_free(e);
}

#define ITEM(e, i) ((const char *)g_ptr_array_index((e)->items, (i)))

static void test_back_to_back(void)
{
    static const char in[] = " {\"a\": \"}\\\"]\"}[1]\n{\"b\":\n[{}]}";
    Emitted *e = feed(in, strlen(in));

    g_assert_cmpuint(e->items->len, ==, 3);
    g_assert_cmpstr(ITEM(e, 0), ==, "T:{\"a\": \"}\\\"]\"}");
    g_assert_cmpstr(ITEM(e, 1), ==, "T:[1]");
    g_assert_cmpstr(ITEM(e, 2), ==, "T:{\"b\":\n[{}]}");
    emitted_free(e);
}

static void test_depth_limit(void)
{
    GString *in = g_string_new(NULL);
    Emitted *e;

    for (int i = 0; i < 100000; i++) {
        g_string_append_c(in, '[');
    }
    for (int i = 0; i < 100000; i++) {
        g_string_append_c(in, ']');
    }
    g_string_append(in, "{\"ok\":1}");
    e = feed(in->str, in->len);
    g_assert_cmpuint(e->items->len, ==, 2);
    g_assert_cmpstr(ITEM(e, 0), ==, "E:JSON nesting depth limit exceeded");
    g_assert_cmpstr(ITEM(e, 1), ==, "T:{\"ok\":1}");
    emitted_free(e);
    g_string_free(in, TRUE);
}

static void test_size_limit(void)
{
    GString *in = g_string_new("{\"s\": \"");
    Emitted *e;

    for (int i = 0; i < JSON_STREAMER_MAX_TEXT + 10; i++) {
        g_string_append_c(in, i % 7 ? 'x' : '[');
    }
    g_string_append(in, "\"}{\"ok\":1}");
    e = feed(in->str, in->len);
    g_assert_cmpuint(e->items->len, ==, 2);
    g_assert_cmpstr(ITEM(e, 0), ==, "E:JSON token size limit exceeded");
    g_assert_cmpstr(ITEM(e, 1), ==, "T:{\"ok\":1}");
    emitted_free(e);
    g_string_free(in, TRUE);
}

/* Bytes that are never JSON end the text at once; so do mismatched brackets. */
static void test_recovery(void)
{
    static const char in[] = "{\"a\": [\xff{\"b\":1}{]{\"c\":\"x\0{\"d\":2}\"e\n{\"f\":3}";
    Emitted *e = feed(in, sizeof(in) - 1);

    g_assert_cmpuint(e->items->len, ==, 7);
    g_assert_cmpstr(ITEM(e, 0), ==, "T:{\"a\": [\xff");
    g_assert_cmpstr(ITEM(e, 1), ==, "T:{\"b\":1}");
    g_assert_cmpstr(ITEM(e, 2), ==, "T:{]");
    g_assert_cmpstr(ITEM(e, 3), ==, "T:{\"c\":\"x");    /* up to its NUL */
    g_assert_cmpstr(ITEM(e, 4), ==, "T:{\"d\":2}");
    g_assert_cmpstr(ITEM(e, 5), ==, "T:\"e\n");
    g_assert_cmpstr(ITEM(e, 6), ==, "T:{\"f\":3}");
    emitted_free(e);
}

/* A scalar is a whole text: a bracket after it starts the next one. */
static void test_scalar_then_bracket(void)
{
    static const char in[] = "8[]true {\"a\":1}\"s\"[2]";
    Emitted *e = feed(in, strlen(in));

    g_assert_cmpuint(e->items->len, ==, 6);
    g_assert_cmpstr(ITEM(e, 0), ==, "T:8");
    g_assert_cmpstr(ITEM(e, 1), ==, "T:[]");
    g_assert_cmpstr(ITEM(e, 2), ==, "T:true ");
    g_assert_cmpstr(ITEM(e, 3), ==, "T:{\"a\":1}");
    g_assert_cmpstr(ITEM(e, 4), ==, "T:\"s\"");
    g_assert_cmpstr(ITEM(e, 5), ==, "T:[2]");
    emitted_free(e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/json-streamer/back-to-back", test_back_to_back);
    g_test_add_func("/json-streamer/depth-limit", test_depth_limit);
    g_test_add_func("/json-streamer/size-limit", test_size_limit);
    g_test_add_func("/json-streamer/recovery", test_recovery);
    g_test_add_func("/json-streamer/scalar-then-bracket", test_scalar_then_bracket);
    return g_test_run();
}
