/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest: the machine without a CPU, driven over a socket by a test that
 * reads and writes guest memory and MMIO, steps the virtual clock and
 * watches interrupt lines (docs/devel/qtest.rst has the protocol).
 */
#ifndef SYSEMU_QTEST_H
#define SYSEMU_QTEST_H

#include "qemu/osdep.h"

typedef struct Error Error;

/* -qtest unix:PATH: listen on PATH and serve the first client. */
bool qtest_server_init(const char *spec, Error **errp);

#endif
