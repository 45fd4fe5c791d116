/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The precopy notifier list: the moments of a migration a device may act on
 * (free page hinting, include/migration/misc.h).
 */
#include "qemu/osdep.h"
#include "migration/migration.h"

static PrecopyNotifier *precopy_notifiers;

void precopy_add_notifier(PrecopyNotifier *n)
{
    PrecopyNotifier **tail = &precopy_notifiers;

    while (*tail) {
        tail = &(*tail)->next;
    }
    n->next = NULL;
    *tail = n;
}

void precopy_remove_notifier(PrecopyNotifier *n)
{
    for (PrecopyNotifier **p = &precopy_notifiers; *p; p = &(*p)->next) {
        if (*p == n) {
            *p = n->next;
            return;
        }
    }
}

int precopy_notify(PrecopyNotifyReason reason, Error **errp)
{
    for (PrecopyNotifier *n = precopy_notifiers; n; n = n->next) {
        int ret = n->notify(n, reason, errp);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}
