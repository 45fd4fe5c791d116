/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SYSEMU_SYSEMU_H
#define SYSEMU_SYSEMU_H

#include "qemu/osdep.h"

/* -name */
extern const char *qemu_name;

/* Parse the command line, build the machine and run it; returns the exit status. */
int qemu_main(int argc, char **argv);

#endif
