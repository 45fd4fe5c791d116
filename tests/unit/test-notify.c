/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Notifier lists (util/notify.c): order, data, removal, removal while notified. */
#include "qemu/osdep.h"
#include "qemu/notify.h"

typedef struct Subscriber {
    Notifier notifier;
    NotifierList *list;
    GString *log;
    char name;
    bool remove_self;
} Subscriber;

static void subscriber_notify(Notifier *notifier, void *data)
{
    Subscriber *s = container_of(notifier, Subscriber, notifier);

    g_string_append_printf(s->log, "%c%d", s->name, *(int *)data);
    if (s->remove_self) {
        notifier_remove(s->list, notifier);
    }
}

static void test_notify_order_and_remove(void)
{
    NotifierList list = NOTIFIER_LIST_INITIALIZER;
    g_autoptr(GString) log = g_string_new(NULL);
    Subscriber subs[3];
    int data = 1;

    g_assert_true(notifier_list_empty(&list));
    for (int i = 0; i < 3; i++) {
        subs[i] = (Subscriber){ .notifier.notify = subscriber_notify,
                                .list = &list,
                                .log = log,
                                .name = 'a' + i };
        notifier_list_add(&list, &subs[i].notifier);
    }
    g_assert_false(notifier_list_empty(&list));
    notifier_list_notify(&list, &data);
    g_assert_cmpstr(log->str, ==, "a1b1c1");

    /* The middle one leaves while it is being called; the last is still called. */
    subs[1].remove_self = true;
    data = 2;
    notifier_list_notify(&list, &data);
    g_assert_cmpstr(log->str, ==, "a1b1c1a2b2c2");
    data = 3;
    notifier_list_notify(&list, &data);
    g_assert_cmpstr(log->str, ==, "a1b1c1a2b2c2a3c3");

    notifier_remove(&list, &subs[0].notifier);
    notifier_remove(&list, &subs[0].notifier); /* not listed: nothing happens */
    notifier_remove(&list, &subs[2].notifier);
    g_assert_true(notifier_list_empty(&list));
    notifier_list_notify(&list, &data);
    g_assert_cmpstr(log->str, ==, "a1b1c1a2b2c2a3c3");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/notify/order-and-remove", test_notify_order_and_remove);
    return g_test_run();
}
