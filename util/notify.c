/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Notifier lists (include/qemu/notify.h). */
#include "qemu/osdep.h"
#include "qemu/notify.h"

void notifier_list_init(NotifierList *list)
{
    list->head = NULL;
}

void notifier_list_add(NotifierList *list, Notifier *notifier)
{
    Notifier **tail = &list->head;

    while (*tail) {
        tail = &(*tail)->next;
    }
    notifier->next = NULL;
    *tail = notifier;
}

void notifier_remove(NotifierList *list, Notifier *notifier)
{
    for (Notifier **p = &list->head; *p; p = &(*p)->next) {
        if (*p == notifier) {
            *p = notifier->next;
            notifier->next = NULL;
            return;
        }
    }
}

void notifier_list_notify(NotifierList *list, void *data)
{
    Notifier *next;

    /* Read the successor first: the callback may remove (and reuse) its notifier. */
    for (Notifier *n = list->head; n; n = next) {
        next = n->next;
        n->notify(n, data);
    }
}

bool notifier_list_empty(const NotifierList *list)
{
    return !list->head;
}
