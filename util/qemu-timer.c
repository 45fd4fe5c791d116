/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Clocks and timer lists.  Timers may be armed from any thread (a vCPU
 * writing mtimecmp); they fire on the main loop with the BQL held.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "qemu/main-loop.h"
#include <time.h>

static GMutex timer_lock;
static QEMUTimer *active_timers[QEMU_CLOCK_MAX];

/*
 * Virtual clock: host monotonic time plus an offset while running; frozen
 * at virtual_stopped_at while stopped; under qtest only warps move it.
 */
static int64_t virtual_offset;
static int64_t virtual_stopped_at;
static bool virtual_enabled;
static bool virtual_manual;
static int64_t virtual_manual_now;

static int64_t get_clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

int64_t qemu_clock_get_ns(QEMUClockType type)
{
    switch (type) {
    case QEMU_CLOCK_REALTIME:
        return get_clock_ns(CLOCK_MONOTONIC);
    case QEMU_CLOCK_HOST:
        return get_clock_ns(CLOCK_REALTIME);
    case QEMU_CLOCK_VIRTUAL:
        if (__atomic_load_n(&virtual_manual, __ATOMIC_ACQUIRE)) {
            return __atomic_load_n(&virtual_manual_now, __ATOMIC_ACQUIRE);
        }
        if (!__atomic_load_n(&virtual_enabled, __ATOMIC_ACQUIRE)) {
            return __atomic_load_n(&virtual_stopped_at, __ATOMIC_ACQUIRE);
        }
        return get_clock_ns(CLOCK_MONOTONIC) + __atomic_load_n(&virtual_offset,
                                                                __ATOMIC_ACQUIRE);
    default:
        g_assert_not_reached();
    }
}

void qemu_clock_virtual_enable(bool enabled)
{
    g_mutex_lock(&timer_lock);
    if (enabled && !virtual_enabled) {
        __atomic_store_n(&virtual_offset,
                         virtual_stopped_at - get_clock_ns(CLOCK_MONOTONIC),
                         __ATOMIC_RELEASE);
        __atomic_store_n(&virtual_enabled, true, __ATOMIC_RELEASE);
    } else if (!enabled && virtual_enabled) {
        __atomic_store_n(&virtual_stopped_at, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL),
                         __ATOMIC_RELEASE);
        __atomic_store_n(&virtual_enabled, false, __ATOMIC_RELEASE);
    }
    g_mutex_unlock(&timer_lock);
    qemu_notify_event();
}

void qemu_clock_virtual_set_ns(int64_t ns)
{
    g_mutex_lock(&timer_lock);
    __atomic_store_n(&virtual_stopped_at, ns, __ATOMIC_RELEASE);
    __atomic_store_n(&virtual_offset, ns - get_clock_ns(CLOCK_MONOTONIC), __ATOMIC_RELEASE);
    __atomic_store_n(&virtual_manual_now, ns, __ATOMIC_RELEASE);
    g_mutex_unlock(&timer_lock);
    /* Deadlines now lie at another distance from the clock. */
    qemu_notify_event();
}

void qemu_clock_virtual_set_manual(bool manual)
{
    __atomic_store_n(&virtual_manual_now, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL),
                     __ATOMIC_RELEASE);
    __atomic_store_n(&virtual_manual, manual, __ATOMIC_RELEASE);
}

void timer_init_ns(QEMUTimer *t, QEMUClockType type, QEMUTimerCB *cb, void *opaque)
{
    memset(t, 0, sizeof(*t));
    t->type = type;
    t->cb = cb;
    t->opaque = opaque;
    t->expire_time = -1;
}

QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb, void *opaque)
{
    QEMUTimer *t = g_new(QEMUTimer, 1);
    timer_init_ns(t, type, cb, opaque);
    return t;
}

static void timer_del_locked(QEMUTimer *t)
{
    QEMUTimer **pt = &active_timers[t->type];

    while (*pt) {
        if (*pt == t) {
            *pt = t->next;
            break;
        }
        pt = &(*pt)->next;
    }
    t->expire_time = -1;
    t->next = NULL;
}

void timer_mod(QEMUTimer *t, int64_t expire_ns)
{
    QEMUTimer **pt;
    bool first;

    if (expire_ns < 0) {
        expire_ns = 0;
    }
    g_mutex_lock(&timer_lock);
    timer_del_locked(t);
    pt = &active_timers[t->type];
    while (*pt && (*pt)->expire_time <= expire_ns) {
        pt = &(*pt)->next;
    }
    t->expire_time = expire_ns;
    t->next = *pt;
    *pt = t;
    first = active_timers[t->type] == t;
    g_mutex_unlock(&timer_lock);
    /* A new earliest deadline: the main loop must recompute its poll timeout. */
    if (first) {
        qemu_notify_event();
    }
}

void timer_del(QEMUTimer *t)
{
    g_mutex_lock(&timer_lock);
    timer_del_locked(t);
    g_mutex_unlock(&timer_lock);
}

bool timer_pending(QEMUTimer *t)
{
    return __atomic_load_n(&t->expire_time, __ATOMIC_RELAXED) >= 0;
}

void timer_free(QEMUTimer *t)
{
    if (t) {
        timer_del(t);
        g_free(t);
    }
}

/* Run the timers of @type that have expired by @now; returns whether any ran. */
static bool run_timers(QEMUClockType type, int64_t now)
{
    bool ran = false;

    for (;;) {
        QEMUTimer *t;

        g_mutex_lock(&timer_lock);
        t = active_timers[type];
        if (!t || t->expire_time > now) {
            g_mutex_unlock(&timer_lock);
            return ran;
        }
        timer_del_locked(t);
        g_mutex_unlock(&timer_lock);
        t->cb(t->opaque);
        ran = true;
    }
}

void qemu_clock_run_all_timers(void)
{
    run_timers(QEMU_CLOCK_REALTIME, qemu_clock_get_ns(QEMU_CLOCK_REALTIME));
    run_timers(QEMU_CLOCK_HOST, qemu_clock_get_ns(QEMU_CLOCK_HOST));
    if (!virtual_manual && virtual_enabled) {
        run_timers(QEMU_CLOCK_VIRTUAL, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    }
}

int64_t qemu_clock_virtual_deadline(void)
{
    int64_t deadline;

    g_mutex_lock(&timer_lock);
    deadline = active_timers[QEMU_CLOCK_VIRTUAL] ?
        active_timers[QEMU_CLOCK_VIRTUAL]->expire_time : -1;
    g_mutex_unlock(&timer_lock);
    return deadline;
}

void qemu_clock_virtual_warp(int64_t dest_ns)
{
    /* Step through each deadline so timers see the clock at their expiry. */
    for (;;) {
        int64_t deadline = qemu_clock_virtual_deadline();
        int64_t now = __atomic_load_n(&virtual_manual_now, __ATOMIC_ACQUIRE);

        if (deadline < 0 || deadline > dest_ns) {
            break;
        }
        if (deadline > now) {
            __atomic_store_n(&virtual_manual_now, deadline, __ATOMIC_RELEASE);
        }
        run_timers(QEMU_CLOCK_VIRTUAL, __atomic_load_n(&virtual_manual_now,
                                                       __ATOMIC_ACQUIRE));
    }
    if (dest_ns > virtual_manual_now) {
        __atomic_store_n(&virtual_manual_now, dest_ns, __ATOMIC_RELEASE);
    }
}

int64_t qemu_clock_next_deadline_ns(void)
{
    int64_t best = -1;

    for (int type = 0; type < QEMU_CLOCK_MAX; type++) {
        int64_t expire, delta;

        if (type == QEMU_CLOCK_VIRTUAL && (virtual_manual || !virtual_enabled)) {
            continue;
        }
        g_mutex_lock(&timer_lock);
        expire = active_timers[type] ? active_timers[type]->expire_time : -1;
        g_mutex_unlock(&timer_lock);
        if (expire < 0) {
            continue;
        }
        delta = MAX(0, expire - qemu_clock_get_ns(type));
        if (best < 0 || delta < best) {
            best = delta;
        }
    }
    return best;
}
