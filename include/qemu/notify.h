/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Notifier lists: a lower layer announces an event to whoever subscribed,
 * without knowing who they are (run state -> monitor, migration -> devices).
 * The caller embeds a Notifier in its own state and finds that state back
 * with container_of in the callback.  Not thread-safe: add, remove and
 * notify under the lock that guards the event (the BQL for the ones here).
 */
#ifndef QEMU_NOTIFY_H
#define QEMU_NOTIFY_H

#include "qemu/osdep.h"

typedef struct Notifier Notifier;

struct Notifier {
    void (*notify)(Notifier *notifier, void *data);
    Notifier *next;
};

typedef struct NotifierList {
    Notifier *head;
} NotifierList;

#define NOTIFIER_LIST_INITIALIZER { NULL }

void notifier_list_init(NotifierList *list);
/* Subscribers are called in the order they were added. */
void notifier_list_add(NotifierList *list, Notifier *notifier);
void notifier_remove(NotifierList *list, Notifier *notifier);
/* Call every subscriber with @data; one may remove itself while called. */
void notifier_list_notify(NotifierList *list, void *data);
bool notifier_list_empty(const NotifierList *list);

#endif
