/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interrupt lines between devices: a device raises/lowers a qemu_irq, the
 * receiver's handler gets (opaque, n, level).  Called with the BQL held.
 * On the virt board every qemu_irq is a PLIC source and n its number.
 */
#ifndef HW_IRQ_H
#define HW_IRQ_H

#include "qemu/osdep.h"

typedef void (*qemu_irq_handler)(void *opaque, int n, int level);

typedef struct IRQState {
    qemu_irq_handler handler;
    void *opaque;
    int n;
    int level;          /* last level set, for observers */
} IRQState;

typedef IRQState *qemu_irq;

qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n);
void qemu_free_irq(qemu_irq irq);

/*
 * qtest's irq_intercept: while set, every level change of every qemu_irq is
 * also reported to @observer (the line still reaches its receiver).
 */
typedef void (*qemu_irq_observer)(int n, int level);
extern qemu_irq_observer qemu_irq_intercept;

static inline void qemu_set_irq(qemu_irq irq, int level)
{
    if (!irq) {
        return;
    }
    if (unlikely(qemu_irq_intercept) && irq->level != level) {
        qemu_irq_intercept(irq->n, level);
    }
    irq->level = level;
    irq->handler(irq->opaque, irq->n, level);
}

static inline void qemu_irq_raise(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
}

static inline void qemu_irq_lower(qemu_irq irq)
{
    qemu_set_irq(irq, 0);
}

#endif
