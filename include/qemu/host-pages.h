/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the host kernel backs of an anonymous mapping, and fast zero tests,
 * so that migration and the RAM digest never read (and so fault in) memory
 * the host never allocated: an anonymous page never written reads as zero.
 */
#ifndef QEMU_HOST_PAGES_H
#define QEMU_HOST_PAGES_H

#include "qemu/osdep.h"

#define HOST_PAGE_SIZE 4096

/*
 * For the @npages 4 KiB host pages at @host: set bit i of @out when page i
 * may hold data (it is present, or swapped out: a swapped page is not zero),
 * clear it when the page was never backed.  Uses /proc/self/pagemap; when
 * that cannot be read every bit is set and false is returned.
 */
bool host_pages_backed(const void *host, uint64_t npages, unsigned long *out);

/* True when the @len bytes at @buf (8-byte aligned, @len a multiple of 256) are zero. */
bool buffer_is_zero(const void *buf, size_t len);

#endif
