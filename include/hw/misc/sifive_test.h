/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SiFive test finisher: a single 32-bit register the guest writes to power
 * the machine off, exit with a status code, or reset it.
 */
#ifndef HW_MISC_SIFIVE_TEST_H
#define HW_MISC_SIFIVE_TEST_H

#include "exec/memory.h"

#define SIFIVE_TEST_SIZE 0x1000

/* Low 16 bits of the value written: the command. */
enum {
    FINISHER_FAIL  = 0x3333,    /* exit with code (value >> 16) */
    FINISHER_PASS  = 0x5555,    /* power off, exit code 0 */
    FINISHER_RESET = 0x7777,    /* reset the machine */
};

typedef struct SiFiveTestState {
    MemoryRegion mmio;
} SiFiveTestState;

/* Create the finisher and map it at @base. */
SiFiveTestState *sifive_test_create(hwaddr base);

#endif
