/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host page residency through /proc/self/pagemap (Linux
 * Documentation/admin-guide/mm/pagemap.rst: one 64-bit entry per virtual
 * page, bit 63 "present", bit 62 "swapped"), and a word-wise zero test.
 */
#include "qemu/osdep.h"
#include "qemu/host-pages.h"
#include "qemu/bitmap.h"
#include <fcntl.h>

#define PAGEMAP_PRESENT (1ULL << 63)
#define PAGEMAP_SWAPPED (1ULL << 62)
/* Entries read per pread: 32 KiB of pagemap covers 16 MiB of memory. */
#define PAGEMAP_CHUNK 4096

static int pagemap_fd = -2;
static GMutex pagemap_lock;

static int pagemap_open(void)
{
    g_mutex_lock(&pagemap_lock);
    if (pagemap_fd == -2) {
        pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    }
    g_mutex_unlock(&pagemap_lock);
    return pagemap_fd;
}

bool host_pages_backed(const void *host, uint64_t npages, unsigned long *out)
{
    uint64_t entries[PAGEMAP_CHUNK];
    uintptr_t vpn = (uintptr_t)host / HOST_PAGE_SIZE;
    int fd = pagemap_open();

    g_assert((uintptr_t)host % HOST_PAGE_SIZE == 0);
    bitmap_zero(out, npages);
    for (uint64_t done = 0; done < npages;) {
        uint64_t n = MIN(npages - done, PAGEMAP_CHUNK);
        ssize_t got = fd < 0 ? -1
                             : pread(fd, entries, n * sizeof(entries[0]),
                                     (vpn + done) * sizeof(entries[0]));

        if (got != (ssize_t)(n * sizeof(entries[0]))) {
            bitmap_fill(out, npages);
            return false;
        }
        for (uint64_t i = 0; i < n; i++) {
            if (entries[i] & (PAGEMAP_PRESENT | PAGEMAP_SWAPPED)) {
                set_bit(done + i, out);
            }
        }
        done += n;
    }
    return true;
}

bool buffer_is_zero(const void *buf, size_t len)
{
    const uint64_t *p = buf;
    size_t words = len / sizeof(uint64_t);

    /*
     * OR 32 words (256 bytes) at a time (the compiler vectorises the inner loop) and
     * stop at the first non-zero block: data pages usually fail at once.
     */
    for (size_t i = 0; i < words; i += 32) {
        uint64_t acc = 0;
        for (size_t j = 0; j < 32; j++) {
            acc |= p[i + j];
        }
        if (acc) {
            return false;
        }
    }
    return true;
}
