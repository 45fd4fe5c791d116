/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 16550A UART, memory-mapped with one byte per register (regshift 0), as the
 * "ns16550a" node of the riscv virt board.  Output goes to a character backend
 * immediately; input arrives from the backend into a 16-byte receive FIFO.
 */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

#include "exec/memory.h"
#include "hw/irq.h"
#include "qemu/timer.h"

typedef struct Chardev Chardev;
typedef struct VMStateDescription VMStateDescription;

#define UART_FIFO_LENGTH 16
/* Bytes of address space the UART decodes (the device tree's reg size). */
#define SERIAL_MM_SIZE 0x100

/*
 * The guest-visible state, pointer-free so that it can be described field by
 * field for migration.  The transmit side keeps no state: a byte written to
 * THR reaches the backend at once, so THR and the shift register are always
 * empty.
 */
typedef struct SerialRegs {
    uint8_t rx_fifo[UART_FIFO_LENGTH];
    uint8_t rx_head;            /* index of the oldest byte */
    uint8_t rx_count;           /* bytes in rx_fifo */
    uint8_t ier;
    uint8_t fcr;                /* last FCR value (enable and trigger bits kept) */
    uint8_t lcr;
    uint8_t mcr;
    uint8_t lsr;                /* sticky error bits (OE/PE/FE/BI) and DR */
    uint8_t msr;
    uint8_t scr;
    uint8_t dll;
    uint8_t dlm;
    uint8_t thr_ipending;       /* THR empty interrupt latched (16550 datasheet, IIR) */
    uint8_t timeout_ipending;   /* character timeout indication */
} SerialRegs;

typedef struct SerialMM {
    SerialRegs regs;
    MemoryRegion mmio;
    qemu_irq irq;
    Chardev *chr;               /* may be NULL: output discarded, no input */
    int baudbase;               /* baud rate at divisor 1 */
    QEMUTimer fifo_timeout_timer;
} SerialMM;

/*
 * Create the UART, map it at @base and register it for migration.  @baudbase is the baud rate with a
 * divisor of 1 (the input clock / 16); it only times the character timeout.
 * @chr may be NULL.
 */
SerialMM *serial_mm_init(hwaddr base, qemu_irq irq, int baudbase, Chardev *chr);
/* Registered for migration by serial_mm_init (section "serial"). */
extern const VMStateDescription vmstate_serial;

/* Master reset; serial_mm_init registers it as a system reset handler. */
void serial_mm_reset(SerialMM *s);

#endif
