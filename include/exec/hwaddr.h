/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef EXEC_HWADDR_H
#define EXEC_HWADDR_H

#include "qemu/osdep.h"

/* A guest physical address. */
typedef uint64_t hwaddr;
#define HWADDR_PRIx PRIx64

#endif
