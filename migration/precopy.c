/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The precopy notifier list: the moments of a migration a device may act on
 * (free page hinting, include/migration/misc.h), and the hint figures that
 * device reports.
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

static MigrationHintStatsFunc *free_page_hint_stats_fn;

void migration_set_free_page_hint_stats(MigrationHintStatsFunc *fn)
{
    free_page_hint_stats_fn = fn;
}

bool migration_get_free_page_hint_stats(MigrationHintStats *stats)
{
    return free_page_hint_stats_fn && free_page_hint_stats_fn(stats);
}
