/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Timers armed from another thread (a vCPU writing mtimecmp) while the main
 * loop sleeps in poll: the loop must wake for the new deadline, and a timer
 * deleted under the BQL must never call back afterwards.
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"

static int fired;                   /* under the BQL */
static bool deleted_fired;

static void count_cb(void *opaque)
{
    g_assert(bql_locked());
    fired++;
}

static void must_not_fire_cb(void *opaque)
{
    deleted_fired = true;
}

static gpointer arm_later(gpointer opaque)
{
    QEMUTimer *t = opaque;

    g_usleep(50 * 1000);    /* the main loop is in poll with no deadline by now */
    bql_lock();
    timer_mod(t, qemu_clock_get_ns(QEMU_CLOCK_REALTIME) + SCALE_MS);
    bql_unlock();
    return NULL;
}

/* No deadline when the loop went to sleep: only the notify wakes it. */
static void test_cross_thread_wakeup(void)
{
    QEMUTimer t;
    GThread *thread;
    gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    timer_init_ns(&t, QEMU_CLOCK_REALTIME, count_cb, NULL);
    fired = 0;
    alarm(20); /* a lost wakeup blocks in poll forever: fail instead */
    thread = g_thread_new("arm", arm_later, &t);
    while (!fired) {
        g_main_context_iteration(qemu_get_main_context(), TRUE);
        g_assert_cmpint(g_get_monotonic_time(), <, end);
    }
    alarm(0);
    g_thread_join(thread);
    g_assert_cmpint(fired, ==, 1);
}

static gpointer mod_and_del(gpointer opaque)
{
    QEMUTimer *t = opaque;

    for (int i = 0; i < 20000; i++) {
        bql_lock();
        timer_mod(t, qemu_clock_get_ns(QEMU_CLOCK_REALTIME));
        timer_del(t);
        bql_unlock();
    }
    return NULL;
}

/* Expired-and-deleted under the BQL: the main loop never runs the callback. */
static void test_del_races_run(void)
{
    QEMUTimer t;
    GThread *thread;

    timer_init_ns(&t, QEMU_CLOCK_REALTIME, must_not_fire_cb, NULL);
    deleted_fired = false;
    thread = g_thread_new("moddel", mod_and_del, &t);
    for (int round = 0; round < 2000; round++) {
        g_main_context_iteration(qemu_get_main_context(), FALSE);
        /* Let the other thread in between the loop's checks and its timer runs. */
        bql_unlock();
        g_usleep(10);
        bql_lock();
        qemu_clock_run_all_timers();
    }
    bql_unlock();
    g_thread_join(thread);
    bql_lock();
    g_assert_false(deleted_fired);
}

/* Incoming migration: the clock continues from the source's guest time. */
static void test_virtual_set(void)
{
    int64_t source_ns = 987654321012LL, now;

    qemu_clock_virtual_enable(false);
    qemu_clock_virtual_set_ns(source_ns);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, source_ns);
    /* Stopped: it stays there. */
    g_usleep(1000);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, source_ns);
    /* Running: it moves on from there, not from the old value. */
    qemu_clock_virtual_enable(true);
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    g_assert_cmpint(now, >=, source_ns);
    g_assert_cmpint(now, <, source_ns + 60 * NANOSECONDS_PER_SECOND);
    /* Set while running, as a qtest destination would be. */
    qemu_clock_virtual_set_ns(5 * NANOSECONDS_PER_SECOND);
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    g_assert_cmpint(now, >=, 5 * NANOSECONDS_PER_SECOND);
    g_assert_cmpint(now, <, source_ns);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop();          /* the main thread holds the BQL from here */
    g_test_add_func("/timer/cross-thread-wakeup", test_cross_thread_wakeup);
    g_test_add_func("/timer/del-races-run", test_del_races_run);
    g_test_add_func("/timer/virtual-set", test_virtual_set);
    return g_test_run();
}
