/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The main loop: GLib's default main context, iterated with the BQL held
 * except while it polls, plus a source that runs expired QEMU timers.
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"

static GMutex bql;
static __thread bool bql_held;
static GPollFunc glib_poll;
static GMainContext *main_context;

void bql_lock(void)
{
    g_assert(!bql_held);
    g_mutex_lock(&bql);
    bql_held = true;
}

void bql_unlock(void)
{
    g_assert(bql_held);
    bql_held = false;
    g_mutex_unlock(&bql);
}

bool bql_locked(void)
{
    return bql_held;
}

/* Devices run under the BQL; other threads may take it while we sleep. */
static gint poll_without_bql(GPollFD *fds, guint nfds, gint timeout)
{
    gint ret;

    bql_unlock();
    ret = glib_poll(fds, nfds, timeout);
    bql_lock();
    return ret;
}

static gboolean timer_source_prepare(GSource *source, gint *timeout)
{
    int64_t ns = qemu_clock_next_deadline_ns();

    if (ns == 0) {
        *timeout = 0;
        return TRUE;
    }
    *timeout = ns < 0 ? -1 : (gint)MIN(DIV_ROUND_UP(ns, SCALE_MS), G_MAXINT);
    return FALSE;
}

static gboolean timer_source_check(GSource *source)
{
    return qemu_clock_next_deadline_ns() == 0;
}

static gboolean timer_source_dispatch(GSource *source, GSourceFunc cb, gpointer data)
{
    qemu_clock_run_all_timers();
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs timer_source_funcs = {
    .prepare = timer_source_prepare,
    .check = timer_source_check,
    .dispatch = timer_source_dispatch,
};

void qemu_init_main_loop(void)
{
    GSource *timers;

    main_context = g_main_context_default();
    glib_poll = g_main_context_get_poll_func(main_context);
    g_main_context_set_poll_func(main_context, poll_without_bql);
    timers = g_source_new(&timer_source_funcs, sizeof(GSource));
    g_source_set_name(timers, "qemu-timers");
    g_source_attach(timers, main_context);
    g_source_unref(timers);
    bql_lock();
}

GMainContext *qemu_get_main_context(void)
{
    return main_context;
}

void qemu_notify_event(void)
{
    if (main_context) {
        g_main_context_wakeup(main_context);
    }
}
