/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 16550A UART (National Semiconductor PC16550D datasheet), memory-mapped
 * with regshift 0.  Register offsets, bit positions and the interrupt
 * priority order below are those of the datasheet's tables 2 and 4.
 *
 * Transmission is immediate: a byte written to THR goes straight to the
 * character backend, so THR and the transmitter are always empty and the
 * transmit FIFO never holds anything.  Reception goes through a 16-byte FIFO
 * filled by the backend's read handler.
 */
#include "qemu/osdep.h"
#include "hw/char/serial.h"
#include "chardev/char.h"
#include "qemu/log.h"
#include "sysemu/runstate.h"
#include "migration/vmstate.h"

/* Register offsets (DLAB selects DLL/DLM at 0/1) */
#define UART_RBR 0          /* read, DLAB=0 */
#define UART_THR 0          /* write, DLAB=0 */
#define UART_IER 1
#define UART_IIR 2          /* read */
#define UART_FCR 2          /* write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define UART_IER_RDI    0x01    /* received data available (and timeout) */
#define UART_IER_THRI   0x02    /* transmitter holding register empty */
#define UART_IER_RLSI   0x04    /* receiver line status */
#define UART_IER_MSI    0x08    /* modem status */

#define UART_IIR_NO_INT 0x01
#define UART_IIR_MSI    0x00
#define UART_IIR_THRI   0x02
#define UART_IIR_RDI    0x04
#define UART_IIR_RLSI   0x06
#define UART_IIR_CTI    0x0c    /* character timeout indication */
#define UART_IIR_FIFO_ENABLED 0xc0

#define UART_FCR_ENABLE     0x01
#define UART_FCR_CLEAR_RX   0x02
#define UART_FCR_CLEAR_TX   0x04
#define UART_FCR_DMA_MODE   0x08
#define UART_FCR_TRIGGER    0xc0

#define UART_LCR_WLEN_MASK  0x03
#define UART_LCR_STOP       0x04
#define UART_LCR_PARITY     0x08
#define UART_LCR_DLAB       0x80

#define UART_MCR_DTR    0x01
#define UART_MCR_RTS    0x02
#define UART_MCR_OUT1   0x04
#define UART_MCR_OUT2   0x08
#define UART_MCR_LOOP   0x10

#define UART_LSR_DR     0x01
#define UART_LSR_OE     0x02
#define UART_LSR_PE     0x04
#define UART_LSR_FE     0x08
#define UART_LSR_BI     0x10
#define UART_LSR_THRE   0x20
#define UART_LSR_TEMT   0x40
#define UART_LSR_ERRORS (UART_LSR_OE | UART_LSR_PE | UART_LSR_FE | UART_LSR_BI)

#define UART_MSR_DCTS   0x01
#define UART_MSR_DDSR   0x02
#define UART_MSR_TERI   0x04
#define UART_MSR_DDCD   0x08
#define UART_MSR_DELTAS 0x0f
#define UART_MSR_CTS    0x10
#define UART_MSR_DSR    0x20
#define UART_MSR_RI     0x40
#define UART_MSR_DCD    0x80

/* Without a modem the lines read as a connected, ready peer. */
#define UART_MSR_IDLE_LINES (UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS)

static bool serial_fifo_enabled(const SerialRegs *r)
{
    return r->fcr & UART_FCR_ENABLE;
}

/* FCR bits 7:6 select a receive trigger level of 1, 4, 8 or 14 bytes. */
static unsigned serial_rx_trigger_level(const SerialRegs *r)
{
    static const uint8_t levels[4] = { 1, 4, 8, 14 };

    return levels[(r->fcr & UART_FCR_TRIGGER) >> 6];
}

static bool serial_rx_data_available(const SerialRegs *r)
{
    if (serial_fifo_enabled(r)) {
        return r->rx_count >= serial_rx_trigger_level(r);
    }
    return r->rx_count > 0;
}

/* The highest-priority pending interrupt, as IIR bits 3:0 (datasheet table 4). */
static uint8_t serial_pending_interrupt(const SerialRegs *r)
{
    if ((r->ier & UART_IER_RLSI) && (r->lsr & UART_LSR_ERRORS)) {
        return UART_IIR_RLSI;
    }
    if ((r->ier & UART_IER_RDI) && serial_rx_data_available(r)) {
        return UART_IIR_RDI;
    }
    if ((r->ier & UART_IER_RDI) && r->timeout_ipending) {
        return UART_IIR_CTI;
    }
    if ((r->ier & UART_IER_THRI) && r->thr_ipending) {
        return UART_IIR_THRI;
    }
    if ((r->ier & UART_IER_MSI) && (r->msr & UART_MSR_DELTAS)) {
        return UART_IIR_MSI;
    }
    return UART_IIR_NO_INT;
}

static void serial_update_irq(SerialMM *s)
{
    qemu_set_irq(s->irq, serial_pending_interrupt(&s->regs) != UART_IIR_NO_INT);
}

/*
 * Time the receiver waits before signalling a character timeout: four
 * character times at the programmed baud rate (datasheet, FIFO interrupt
 * mode operation).
 */
static int64_t serial_char_timeout_ns(const SerialMM *s)
{
    const SerialRegs *r = &s->regs;
    unsigned divisor = r->dll | (r->dlm << 8);
    unsigned data_bits = 5 + (r->lcr & UART_LCR_WLEN_MASK);
    unsigned bits = 1 + data_bits + !!(r->lcr & UART_LCR_PARITY) +
                    ((r->lcr & UART_LCR_STOP) ? 2 : 1);
    int64_t baudbase = s->baudbase > 0 ? s->baudbase : 115200;

    if (divisor == 0) {
        divisor = 1;
    }
    return 4 * bits * (int64_t)divisor * NANOSECONDS_PER_SECOND / baudbase;
}

static void serial_arm_char_timeout(SerialMM *s)
{
    timer_mod(&s->fifo_timeout_timer,
              qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + serial_char_timeout_ns(s));
}

static void serial_char_timeout(void *opaque)
{
    SerialMM *s = opaque;

    if (serial_fifo_enabled(&s->regs) && s->regs.rx_count > 0) {
        s->regs.timeout_ipending = 1;
        serial_update_irq(s);
    }
}

static void serial_clear_rx_fifo(SerialMM *s)
{
    s->regs.rx_head = 0;
    s->regs.rx_count = 0;
    s->regs.timeout_ipending = 0;
    timer_del(&s->fifo_timeout_timer);
}

/* One byte arrives at the receiver (from the backend, or THR in loopback). */
static void serial_receive_byte(SerialMM *s, uint8_t byte)
{
    SerialRegs *r = &s->regs;
    unsigned capacity = serial_fifo_enabled(r) ? UART_FIFO_LENGTH : 1;

    if (r->rx_count >= capacity) {
        r->lsr |= UART_LSR_OE;
        if (!serial_fifo_enabled(r)) {
            /* Without FIFO the new byte overwrites the holding register. */
            r->rx_fifo[r->rx_head] = byte;
        }
        return;
    }
    r->rx_fifo[(r->rx_head + r->rx_count) % UART_FIFO_LENGTH] = byte;
    r->rx_count++;
    if (serial_fifo_enabled(r)) {
        serial_arm_char_timeout(s);
    }
}

static uint8_t serial_read_rbr(SerialMM *s)
{
    SerialRegs *r = &s->regs;
    uint8_t byte = 0;

    if (r->rx_count > 0) {
        byte = r->rx_fifo[r->rx_head];
        r->rx_head = (r->rx_head + 1) % UART_FIFO_LENGTH;
        r->rx_count--;
    }
    r->timeout_ipending = 0;
    if (serial_fifo_enabled(r) && r->rx_count > 0) {
        serial_arm_char_timeout(s);
    } else {
        timer_del(&s->fifo_timeout_timer);
    }
    serial_update_irq(s);
    if (r->rx_count == 0 && s->chr && !(r->mcr & UART_MCR_LOOP)) {
        /* Room again: the backend may deliver (and re-enter us) now. */
        qemu_chr_accept_input(s->chr);
    }
    return byte;
}

static uint8_t serial_read_lsr(SerialMM *s)
{
    SerialRegs *r = &s->regs;
    uint8_t lsr = r->lsr | UART_LSR_THRE | UART_LSR_TEMT;

    if (r->rx_count > 0) {
        lsr |= UART_LSR_DR;
    }
    /* Reading LSR clears the error bits and with them the line status interrupt. */
    if (r->lsr & UART_LSR_ERRORS) {
        r->lsr &= ~UART_LSR_ERRORS;
        serial_update_irq(s);
    }
    return lsr;
}

static uint8_t serial_read_iir(SerialMM *s)
{
    SerialRegs *r = &s->regs;
    uint8_t source = serial_pending_interrupt(r);
    uint8_t iir = source | (serial_fifo_enabled(r) ? UART_IIR_FIFO_ENABLED : 0);

    /* Reading IIR while THRE is the source acknowledges it (datasheet table 4). */
    if (source == UART_IIR_THRI) {
        r->thr_ipending = 0;
        serial_update_irq(s);
    }
    return iir;
}

/* Modem status lines: looped back from MCR, or an idle connected peer. */
static void serial_update_msr(SerialMM *s)
{
    SerialRegs *r = &s->regs;
    uint8_t lines = UART_MSR_IDLE_LINES;
    uint8_t changed;

    if (r->mcr & UART_MCR_LOOP) {
        lines = 0;
        lines |= (r->mcr & UART_MCR_RTS) ? UART_MSR_CTS : 0;
        lines |= (r->mcr & UART_MCR_DTR) ? UART_MSR_DSR : 0;
        lines |= (r->mcr & UART_MCR_OUT1) ? UART_MSR_RI : 0;
        lines |= (r->mcr & UART_MCR_OUT2) ? UART_MSR_DCD : 0;
    }
    changed = (r->msr ^ lines) & 0xf0;
    r->msr = (r->msr & UART_MSR_DELTAS) | lines;
    r->msr |= (changed & UART_MSR_CTS) ? UART_MSR_DCTS : 0;
    r->msr |= (changed & UART_MSR_DSR) ? UART_MSR_DDSR : 0;
    r->msr |= (changed & UART_MSR_DCD) ? UART_MSR_DDCD : 0;
    /* TERI reports the trailing edge of RI only. */
    r->msr |= ((changed & UART_MSR_RI) && !(lines & UART_MSR_RI)) ? UART_MSR_TERI : 0;
}

static uint64_t serial_mm_read(void *opaque, hwaddr addr, unsigned size)
{
    SerialMM *s = opaque;
    SerialRegs *r = &s->regs;
    bool dlab = r->lcr & UART_LCR_DLAB;
    uint8_t msr;

    switch (addr) {
    case UART_RBR:
        return dlab ? r->dll : serial_read_rbr(s);
    case UART_IER:
        return dlab ? r->dlm : r->ier;
    case UART_IIR:
        return serial_read_iir(s);
    case UART_LCR:
        return r->lcr;
    case UART_MCR:
        return r->mcr;
    case UART_LSR:
        return serial_read_lsr(s);
    case UART_MSR:
        msr = r->msr;
        if (msr & UART_MSR_DELTAS) {
            r->msr &= ~UART_MSR_DELTAS;
            serial_update_irq(s);
        }
        return msr;
    case UART_SCR:
        return r->scr;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "serial: read of unimplemented offset 0x%"
                      HWADDR_PRIx "\n", addr);
        return 0;
    }
}

static void serial_write_thr(SerialMM *s, uint8_t byte)
{
    SerialRegs *r = &s->regs;

    r->thr_ipending = 0;
    if (r->mcr & UART_MCR_LOOP) {
        serial_receive_byte(s, byte);
    } else if (s->chr) {
        qemu_chr_write_all(s->chr, &byte, 1);
    }
    /* The byte left at once: THR is empty again, which raises THRE anew. */
    r->thr_ipending = 1;
    serial_update_irq(s);
}

static void serial_write_ier(SerialMM *s, uint8_t val)
{
    SerialRegs *r = &s->regs;
    uint8_t old = r->ier;

    r->ier = val & 0x0f;
    /* Enabling ETBEI while THR is empty (it always is) signals THRE. */
    if ((r->ier & UART_IER_THRI) && !(old & UART_IER_THRI)) {
        r->thr_ipending = 1;
    }
    serial_update_irq(s);
}

static void serial_write_fcr(SerialMM *s, uint8_t val)
{
    SerialRegs *r = &s->regs;
    bool toggled = (r->fcr ^ val) & UART_FCR_ENABLE;
    bool room_made = false;

    /* Changing the FIFO enable bit empties both FIFOs. */
    if (toggled || (val & UART_FCR_CLEAR_RX)) {
        room_made = r->rx_count > 0 || toggled;
        serial_clear_rx_fifo(s);
    }
    r->fcr = val & (UART_FCR_ENABLE | UART_FCR_DMA_MODE | UART_FCR_TRIGGER);
    serial_update_irq(s);
    if (room_made && s->chr && !(r->mcr & UART_MCR_LOOP)) {
        qemu_chr_accept_input(s->chr);
    }
}

static void serial_write_mcr(SerialMM *s, uint8_t val)
{
    SerialRegs *r = &s->regs;
    bool loop_ended = (r->mcr & UART_MCR_LOOP) && !(val & UART_MCR_LOOP);

    r->mcr = val & 0x1f;
    serial_update_msr(s);
    serial_update_irq(s);
    if (loop_ended && s->chr) {
        qemu_chr_accept_input(s->chr);
    }
}

static void serial_mm_write(void *opaque, hwaddr addr, uint64_t data, unsigned size)
{
    SerialMM *s = opaque;
    SerialRegs *r = &s->regs;
    bool dlab = r->lcr & UART_LCR_DLAB;
    uint8_t val = data;

    switch (addr) {
    case UART_THR:
        if (dlab) {
            r->dll = val;
        } else {
            serial_write_thr(s, val);
        }
        break;
    case UART_IER:
        if (dlab) {
            r->dlm = val;
        } else {
            serial_write_ier(s, val);
        }
        break;
    case UART_FCR:
        serial_write_fcr(s, val);
        break;
    case UART_LCR:
        r->lcr = val;
        break;
    case UART_MCR:
        serial_write_mcr(s, val);
        break;
    case UART_LSR:
    case UART_MSR:
        /* Read-only on the 16550A; factory test writes are not modelled. */
        qemu_log_mask(LOG_GUEST_ERROR, "serial: write 0x%02x to read-only register %"
                      HWADDR_PRIx "\n", val, addr);
        break;
    case UART_SCR:
        r->scr = val;
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "serial: write to unimplemented offset 0x%"
                      HWADDR_PRIx "\n", addr);
        break;
    }
}

static int serial_can_receive(void *opaque)
{
    SerialMM *s = opaque;
    SerialRegs *r = &s->regs;

    /* In loopback the receiver is disconnected from the serial input. */
    if (r->mcr & UART_MCR_LOOP) {
        return 0;
    }
    if (serial_fifo_enabled(r)) {
        return UART_FIFO_LENGTH - r->rx_count;
    }
    return r->rx_count ? 0 : 1;
}

static void serial_receive(void *opaque, const uint8_t *buf, int size)
{
    SerialMM *s = opaque;

    for (int i = 0; i < size; i++) {
        serial_receive_byte(s, buf[i]);
    }
    serial_update_irq(s);
}

/*
 * Every register is one byte wide; a wider access at an offset reads or
 * writes that register in its low byte, as the 8250 driver's reg-io-width
 * property allows.
 */
static const MemoryRegionOps serial_mm_ops = {
    .read = serial_mm_read,
    .write = serial_mm_write,
    .impl = {
        .min_access_size = 1,
        .max_access_size = 8,
    },
};

/*
 * Master reset (datasheet table 5): registers to their reset values, the
 * receive FIFO emptied, the interrupt output low.  Input the backend still
 * holds is offered to the empty FIFO at once.
 */
void serial_mm_reset(SerialMM *s)
{
    memset(&s->regs, 0, sizeof(s->regs));
    s->regs.msr = UART_MSR_IDLE_LINES;
    timer_del(&s->fifo_timeout_timer);
    serial_update_irq(s);
    if (s->chr) {
        qemu_chr_accept_input(s->chr);
    }
}

static void serial_system_reset(void *opaque)
{
    serial_mm_reset(opaque);
}

static const VMStateDescription vmstate_serial_regs = {
    .name = "serial-regs",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        VMSTATE_UINT8_ARRAY(rx_fifo, SerialRegs, UART_FIFO_LENGTH),
        VMSTATE_UINT8(rx_head, SerialRegs),
        VMSTATE_UINT8(rx_count, SerialRegs),
        VMSTATE_UINT8(ier, SerialRegs),
        VMSTATE_UINT8(fcr, SerialRegs),
        VMSTATE_UINT8(lcr, SerialRegs),
        VMSTATE_UINT8(mcr, SerialRegs),
        VMSTATE_UINT8(lsr, SerialRegs),
        VMSTATE_UINT8(msr, SerialRegs),
        VMSTATE_UINT8(scr, SerialRegs),
        VMSTATE_UINT8(dll, SerialRegs),
        VMSTATE_UINT8(dlm, SerialRegs),
        VMSTATE_UINT8(thr_ipending, SerialRegs),
        VMSTATE_UINT8(timeout_ipending, SerialRegs),
        VMSTATE_END_OF_LIST(),
    },
};

static bool serial_post_load(void *opaque, int version_id, Error **errp)
{
    SerialMM *s = opaque;
    SerialRegs *r = &s->regs;

    if (r->rx_head >= UART_FIFO_LENGTH || r->rx_count > UART_FIFO_LENGTH) {
        error_setg(errp, "receive FIFO head %u / count %u out of range", r->rx_head,
                   r->rx_count);
        return false;
    }
    serial_update_irq(s);
    /* The destination's backend may hold input that now fits. */
    if (s->chr && !(r->mcr & UART_MCR_LOOP) && serial_can_receive(s) > 0) {
        qemu_chr_accept_input(s->chr);
    }
    return true;
}

/*
 * The registers and the character timeout's deadline; the backend, the IRQ
 * line and the baud base are the destination's own (docs/devel/migration/vmstate.rst).
 */
const VMStateDescription vmstate_serial = {
    .name = "serial",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = serial_post_load,
    .fields = (const VMStateField[]){
        VMSTATE_STRUCT(regs, SerialMM, 0, vmstate_serial_regs, SerialRegs),
        VMSTATE_TIMER(fifo_timeout_timer, SerialMM),
        VMSTATE_END_OF_LIST(),
    },
};

SerialMM *serial_mm_init(hwaddr base, qemu_irq irq, int baudbase, Chardev *chr)
{
    SerialMM *s = g_new0(SerialMM, 1);

    s->irq = irq;
    s->chr = chr;
    s->baudbase = baudbase;
    timer_init_ns(&s->fifo_timeout_timer, QEMU_CLOCK_VIRTUAL, serial_char_timeout, s);
    memset(&s->regs, 0, sizeof(s->regs));
    s->regs.msr = UART_MSR_IDLE_LINES;
    memory_region_init_io(&s->mmio, &serial_mm_ops, s, "serial", SERIAL_MM_SIZE);
    memory_region_add_subregion(base, &s->mmio);
    if (chr) {
        qemu_chr_add_handlers(chr, serial_can_receive, serial_receive, s);
    }
    serial_update_irq(s);
    qemu_register_reset(serial_system_reset, s);
    vmstate_register(&vmstate_serial, VMSTATE_INSTANCE_ID_ANY, s);
    return s;
}
