/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Google Goldfish RTC ("google,goldfish-rtc"): wall-clock time in
 * nanoseconds since the Unix epoch, and one alarm with an interrupt.
 */
#ifndef HW_RTC_GOLDFISH_RTC_H
#define HW_RTC_GOLDFISH_RTC_H

#include "exec/memory.h"
#include "hw/irq.h"
#include "qemu/timer.h"

#define GOLDFISH_RTC_SIZE 0x1000

typedef struct VMStateDescription VMStateDescription;

/* Guest-visible state, pointer-free for migration. */
typedef struct GoldfishRTCRegs {
    int64_t tick_offset;        /* guest time = QEMU_CLOCK_HOST ns + tick_offset */
    uint64_t alarm_next;        /* alarm time, guest ns */
    uint32_t alarm_running;
    uint32_t irq_pending;
    uint32_t irq_enabled;
    uint32_t time_high;         /* latched by reading TIME_LOW */
} GoldfishRTCRegs;

typedef struct GoldfishRTCState {
    GoldfishRTCRegs regs;
    MemoryRegion mmio;
    qemu_irq irq;
    QEMUTimer alarm_timer;      /* on QEMU_CLOCK_HOST */
} GoldfishRTCState;

/* Registered for migration by goldfish_rtc_create (section "goldfish_rtc"). */
extern const VMStateDescription vmstate_goldfish_rtc;

/* Create the RTC, set to host time, map it at @base, register it for migration. */
GoldfishRTCState *goldfish_rtc_create(hwaddr base, qemu_irq irq);
/* Reset to power-on state; goldfish_rtc_create registers it for system reset. */
void goldfish_rtc_reset(GoldfishRTCState *s);

#endif
