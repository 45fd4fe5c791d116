/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Goldfish RTC: host wall-clock time with the TIME_LOW latch, setting the
 * time, an alarm that is already due, and the interrupt enable/clear bits.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/rtc/goldfish_rtc.h"
#include "vmstate-round-trip.h"

#define TIME_LOW        0x00
#define TIME_HIGH       0x04
#define ALARM_LOW       0x08
#define ALARM_HIGH      0x0c
#define IRQ_ENABLED     0x10
#define CLEAR_ALARM     0x14
#define ALARM_STATUS    0x18
#define CLEAR_INTERRUPT 0x1c

static GoldfishRTCState *rtc;
static int irq_level;

static void record_irq(void *opaque, int n, int level)
{
    irq_level = level;
}

static uint32_t rtc_read(hwaddr offset)
{
    uint64_t value = 0;

    g_assert_cmpint(memory_region_dispatch_read(&rtc->mmio, offset, &value, 4), ==,
                    MEMTX_OK);
    return value;
}

static void rtc_write(hwaddr offset, uint32_t value)
{
    g_assert_cmpint(memory_region_dispatch_write(&rtc->mmio, offset, value, 4), ==,
                    MEMTX_OK);
}

static uint64_t rtc_time(void)
{
    uint64_t low = rtc_read(TIME_LOW);

    return low | ((uint64_t)rtc_read(TIME_HIGH) << 32);
}

static void test_rtc_follows_host_time(void)
{
    int64_t host_ns = g_get_real_time() * 1000;
    int64_t guest_ns = rtc_time();

    g_assert_cmpint(llabs(guest_ns - host_ns), <, 5 * NANOSECONDS_PER_SECOND);
}

static void test_rtc_set_time(void)
{
    uint64_t target = 1000 * NANOSECONDS_PER_SECOND;    /* 1970-01-01 00:16:40 */
    uint64_t now;

    /* Linux writes the high word first. */
    rtc_write(TIME_HIGH, target >> 32);
    rtc_write(TIME_LOW, (uint32_t)target);
    now = rtc_time();
    g_assert_cmpuint(now, >=, target);
    g_assert_cmpuint(now - target, <, 5 * NANOSECONDS_PER_SECOND);
}

static void test_rtc_alarm(void)
{
    uint64_t now = rtc_time();
    uint64_t later = now + 3600 * NANOSECONDS_PER_SECOND;

    rtc_write(IRQ_ENABLED, 1);
    /* An alarm an hour away stays armed and quiet. */
    rtc_write(ALARM_HIGH, later >> 32);
    rtc_write(ALARM_LOW, (uint32_t)later);
    g_assert_cmpuint(rtc_read(ALARM_STATUS), ==, 1);
    g_assert_cmphex(rtc_read(ALARM_LOW), ==, (uint32_t)later);
    g_assert_cmpint(irq_level, ==, 0);
    rtc_write(CLEAR_ALARM, 1);
    g_assert_cmpuint(rtc_read(ALARM_STATUS), ==, 0);

    /* An alarm in the past fires at once. */
    rtc_write(ALARM_HIGH, (now - 1) >> 32);
    rtc_write(ALARM_LOW, (uint32_t)(now - 1));
    g_assert_cmpuint(rtc_read(ALARM_STATUS), ==, 0);
    g_assert_cmpint(irq_level, ==, 1);
    rtc_write(IRQ_ENABLED, 0);
    g_assert_cmpint(irq_level, ==, 0);
    rtc_write(IRQ_ENABLED, 1);
    g_assert_cmpint(irq_level, ==, 1);
    rtc_write(CLEAR_INTERRUPT, 1);
    g_assert_cmpint(irq_level, ==, 0);
}

/* A set clock and an armed alarm, saved from one RTC and loaded into another. */
static void test_rtc_migrate(void)
{
    GoldfishRTCState *src = rtc;
    GoldfishRTCState *dst = goldfish_rtc_create(0x201000,
                                                qemu_allocate_irq(record_irq, NULL, 11));
    uint64_t target = 2000 * NANOSECONDS_PER_SECOND, later;

    rtc_write(TIME_HIGH, target >> 32);
    rtc_write(TIME_LOW, (uint32_t)target);
    later = rtc_time() + 3600 * NANOSECONDS_PER_SECOND;
    rtc_write(IRQ_ENABLED, 1);
    rtc_write(ALARM_HIGH, later >> 32);
    rtc_write(ALARM_LOW, (uint32_t)later);

    vmstate_round_trip(&vmstate_goldfish_rtc, src, dst);
    g_assert_cmpmem(&dst->regs, sizeof(dst->regs), &src->regs, sizeof(src->regs));
    g_assert_true(timer_pending(&dst->alarm_timer));
    g_assert_cmpint(dst->alarm_timer.expire_time, ==, src->alarm_timer.expire_time);

    /* The copy reads the same guest time and alarm. */
    rtc = dst;
    g_assert_cmpuint(rtc_time() - target, <, 5 * NANOSECONDS_PER_SECOND);
    g_assert_cmpuint(rtc_read(ALARM_STATUS), ==, 1);
    g_assert_cmphex(rtc_read(ALARM_LOW), ==, (uint32_t)later);
    g_assert_cmpint(irq_level, ==, 0);
    rtc_write(CLEAR_ALARM, 1);
    rtc = src;
    rtc_write(CLEAR_ALARM, 1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    rtc = goldfish_rtc_create(0x101000, qemu_allocate_irq(record_irq, NULL, 11));
    g_test_add_func("/goldfish-rtc/follows-host-time", test_rtc_follows_host_time);
    g_test_add_func("/goldfish-rtc/set-time", test_rtc_set_time);
    g_test_add_func("/goldfish-rtc/alarm", test_rtc_alarm);
    g_test_add_func("/goldfish-rtc/migrate", test_rtc_migrate);
    return g_test_run();
}
