/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Google Goldfish RTC (Android emulator "goldfish" platform, GOLDFISH-VIRTUAL-
 * HARDWARE.TXT).  32-bit registers:
 *
 *   0x00 TIME_LOW        read: low half of the time, latching the high half
 *   0x04 TIME_HIGH       read: the latched high half
 *   0x08 ALARM_LOW       write: low half of the alarm, arms it
 *   0x0c ALARM_HIGH      write: high half of the alarm (write it first)
 *   0x10 IRQ_ENABLED     alarm interrupt enable
 *   0x14 CLEAR_ALARM     write: disarm the alarm
 *   0x18 ALARM_STATUS    read: 1 while an alarm is armed
 *   0x1c CLEAR_INTERRUPT write: acknowledge the interrupt
 *
 * Time counts nanoseconds since the Unix epoch and follows the host's wall
 * clock; a guest that sets the time moves an offset.
 */
#include "qemu/osdep.h"
#include "hw/rtc/goldfish_rtc.h"
#include "qemu/log.h"
#include "sysemu/runstate.h"
#include "migration/vmstate.h"

#define RTC_TIME_LOW        0x00
#define RTC_TIME_HIGH       0x04
#define RTC_ALARM_LOW       0x08
#define RTC_ALARM_HIGH      0x0c
#define RTC_IRQ_ENABLED     0x10
#define RTC_CLEAR_ALARM     0x14
#define RTC_ALARM_STATUS    0x18
#define RTC_CLEAR_INTERRUPT 0x1c

static uint64_t goldfish_rtc_now(GoldfishRTCState *s)
{
    return qemu_clock_get_ns(QEMU_CLOCK_HOST) + s->regs.tick_offset;
}

static void goldfish_rtc_update_irq(GoldfishRTCState *s)
{
    qemu_set_irq(s->irq, s->regs.irq_pending && s->regs.irq_enabled);
}

static void goldfish_rtc_alarm_fired(void *opaque)
{
    GoldfishRTCState *s = opaque;

    s->regs.alarm_running = 0;
    s->regs.irq_pending = 1;
    goldfish_rtc_update_irq(s);
}

/* Arm the host-clock timer for the alarm, or fire now if it is already due. */
static void goldfish_rtc_arm_alarm(GoldfishRTCState *s)
{
    GoldfishRTCRegs *r = &s->regs;
    uint64_t now = goldfish_rtc_now(s);

    r->alarm_running = 1;
    if (r->alarm_next <= now) {
        timer_del(&s->alarm_timer);
        goldfish_rtc_alarm_fired(s);
        return;
    }
    timer_mod(&s->alarm_timer, (int64_t)(r->alarm_next - r->tick_offset));
}

static void goldfish_rtc_set_time(GoldfishRTCState *s, uint64_t time_ns)
{
    s->regs.tick_offset = time_ns - qemu_clock_get_ns(QEMU_CLOCK_HOST);
    /* The alarm is in guest time: re-aim it after the clock moved. */
    if (s->regs.alarm_running) {
        goldfish_rtc_arm_alarm(s);
    }
}

static uint64_t goldfish_rtc_read(void *opaque, hwaddr addr, unsigned size)
{
    GoldfishRTCState *s = opaque;
    GoldfishRTCRegs *r = &s->regs;
    uint64_t now;

    switch (addr) {
    case RTC_TIME_LOW:
        now = goldfish_rtc_now(s);
        r->time_high = now >> 32;
        return (uint32_t)now;
    case RTC_TIME_HIGH:
        return r->time_high;
    case RTC_ALARM_LOW:
        return (uint32_t)r->alarm_next;
    case RTC_ALARM_HIGH:
        return r->alarm_next >> 32;
    case RTC_IRQ_ENABLED:
        return r->irq_enabled;
    case RTC_ALARM_STATUS:
        return r->alarm_running;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "goldfish_rtc: read of invalid offset 0x%"
                      HWADDR_PRIx "\n", addr);
        return 0;
    }
}

static void goldfish_rtc_write(void *opaque, hwaddr addr, uint64_t value, unsigned size)
{
    GoldfishRTCState *s = opaque;
    GoldfishRTCRegs *r = &s->regs;
    uint64_t now;

    switch (addr) {
    case RTC_TIME_LOW:
        now = goldfish_rtc_now(s);
        goldfish_rtc_set_time(s, (now & ~0xffffffffULL) | (uint32_t)value);
        break;
    case RTC_TIME_HIGH:
        now = goldfish_rtc_now(s);
        goldfish_rtc_set_time(s, (now & 0xffffffffULL) | (value << 32));
        break;
    case RTC_ALARM_LOW:
        r->alarm_next = (r->alarm_next & ~0xffffffffULL) | (uint32_t)value;
        goldfish_rtc_arm_alarm(s);
        break;
    case RTC_ALARM_HIGH:
        r->alarm_next = (r->alarm_next & 0xffffffffULL) | (value << 32);
        break;
    case RTC_IRQ_ENABLED:
        r->irq_enabled = value & 1;
        goldfish_rtc_update_irq(s);
        break;
    case RTC_CLEAR_ALARM:
        timer_del(&s->alarm_timer);
        r->alarm_running = 0;
        break;
    case RTC_CLEAR_INTERRUPT:
        r->irq_pending = 0;
        goldfish_rtc_update_irq(s);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "goldfish_rtc: write to invalid offset 0x%"
                      HWADDR_PRIx "\n", addr);
        break;
    }
}

static const MemoryRegionOps goldfish_rtc_ops = {
    .read = goldfish_rtc_read,
    .write = goldfish_rtc_write,
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

/*
 * Reset: the alarm disarmed and its interrupt cleared and disabled.  The
 * time itself survives, as a battery-backed clock's does.
 */
void goldfish_rtc_reset(GoldfishRTCState *s)
{
    GoldfishRTCRegs *r = &s->regs;

    timer_del(&s->alarm_timer);
    r->alarm_next = 0;
    r->alarm_running = 0;
    r->irq_pending = 0;
    r->irq_enabled = 0;
    r->time_high = 0;
    goldfish_rtc_update_irq(s);
}

static void goldfish_rtc_system_reset(void *opaque)
{
    goldfish_rtc_reset(opaque);
}

static bool goldfish_rtc_post_load(void *opaque, int version_id, Error **errp)
{
    GoldfishRTCState *s = opaque;
    GoldfishRTCRegs *r = &s->regs;

    if (r->alarm_running > 1 || r->irq_pending > 1 || r->irq_enabled > 1) {
        error_setg(errp, "alarm_running %u, irq_pending %u, irq_enabled %u: each "
                   "must be 0 or 1", r->alarm_running, r->irq_pending, r->irq_enabled);
        return false;
    }
    /*
     * Guest time is QEMU_CLOCK_HOST plus tick_offset on both sides, so the
     * alarm is re-aimed at the destination's host clock (and fires now if
     * it fell due while the guest was in flight).
     */
    if (r->alarm_running) {
        goldfish_rtc_arm_alarm(s);
    } else {
        timer_del(&s->alarm_timer);
    }
    goldfish_rtc_update_irq(s);
    return true;
}

static const VMStateDescription vmstate_goldfish_rtc_regs = {
    .name = "goldfish_rtc-regs",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        VMSTATE_INT64(tick_offset, GoldfishRTCRegs),
        VMSTATE_UINT64(alarm_next, GoldfishRTCRegs),
        VMSTATE_UINT32(alarm_running, GoldfishRTCRegs),
        VMSTATE_UINT32(irq_pending, GoldfishRTCRegs),
        VMSTATE_UINT32(irq_enabled, GoldfishRTCRegs),
        VMSTATE_UINT32(time_high, GoldfishRTCRegs),
        VMSTATE_END_OF_LIST(),
    },
};

const VMStateDescription vmstate_goldfish_rtc = {
    .name = "goldfish_rtc",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = goldfish_rtc_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_STRUCT(regs, GoldfishRTCState, 0, vmstate_goldfish_rtc_regs,
                       GoldfishRTCRegs),
        VMSTATE_END_OF_LIST(),
    },
};

GoldfishRTCState *goldfish_rtc_create(hwaddr base, qemu_irq irq)
{
    GoldfishRTCState *s = g_new0(GoldfishRTCState, 1);

    s->irq = irq;
    timer_init_ns(&s->alarm_timer, QEMU_CLOCK_HOST, goldfish_rtc_alarm_fired, s);
    memory_region_init_io(&s->mmio, &goldfish_rtc_ops, s, "goldfish_rtc",
                          GOLDFISH_RTC_SIZE);
    memory_region_add_subregion(base, &s->mmio);
    qemu_register_reset(goldfish_rtc_system_reset, s);
    vmstate_register(&vmstate_goldfish_rtc, VMSTATE_INSTANCE_ID_ANY, s);
    return s;
}
