/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flat system address space: a sorted table of mapped regions, looked up
 * by binary search.  RAM accesses go straight to host memory; MMIO accesses
 * are dispatched to the device with the BQL held.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "exec/ramblock.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include <sys/mman.h>

#define MAX_REGIONS 256

/* Sorted by address; replaced as a whole (RCU-free: only changed at machine setup). */
static MemoryRegion *regions[MAX_REGIONS];
static int nr_regions;

void memory_region_init_io(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size)
{
    memset(mr, 0, sizeof(*mr));
    mr->name = name;
    mr->size = size;
    mr->ops = ops;
    mr->opaque = opaque;
}

static bool memory_region_alloc_host(MemoryRegion *mr, const char *name, uint64_t size,
                                     Error **errp)
{
    /*
     * MAP_NORESERVE and anonymous memory: pages cost the host nothing until
     * the guest touches them, so -m 64G works on a small host.
     */
    void *host = mmap(NULL, size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (host == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot set up guest memory '%s' of %" PRIu64 " MiB",
                         name, size / MiB);
        return false;
    }
    memset(mr, 0, sizeof(*mr));
    mr->name = name;
    mr->size = size;
    mr->ram_ptr = host;
    return true;
}

bool memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size, Error **errp)
{
    if (!memory_region_alloc_host(mr, name, size, errp)) {
        return false;
    }
    /* Guest RAM is never in a host core dump and may use huge pages. */
    madvise(mr->ram_ptr, size, MADV_DONTDUMP);
    madvise(mr->ram_ptr, size, MADV_HUGEPAGE);
    mr->ram_block = ram_block_add(name, mr->ram_ptr, size, 0);
    return true;
}

bool memory_region_init_rom(MemoryRegion *mr, const char *name, uint64_t size, Error **errp)
{
    if (!memory_region_alloc_host(mr, name, size, errp)) {
        return false;
    }
    mr->readonly = true;
    return true;
}

void memory_region_add_subregion(hwaddr addr, MemoryRegion *mr)
{
    int i;

    g_assert(!mr->mapped && nr_regions < MAX_REGIONS && mr->size);
    for (i = 0; i < nr_regions; i++) {
        MemoryRegion *other = regions[i];
        if (addr < other->addr + other->size && other->addr < addr + mr->size) {
            g_error("memory region '%s' at 0x%" HWADDR_PRIx " overlaps '%s'", mr->name,
                    addr, other->name);
        }
    }
    for (i = nr_regions; i > 0 && regions[i - 1]->addr > addr; i--) {
        regions[i] = regions[i - 1];
    }
    regions[i] = mr;
    nr_regions++;
    mr->addr = addr;
    mr->mapped = true;
    if (mr->ram_block) {
        mr->ram_block->guest_addr = addr;
    }
}

void memory_region_del_subregion(MemoryRegion *mr)
{
    int i;

    for (i = 0; i < nr_regions && regions[i] != mr; i++) {
    }
    g_assert(i < nr_regions);
    memmove(&regions[i], &regions[i + 1], (nr_regions - i - 1) * sizeof(regions[0]));
    nr_regions--;
    mr->mapped = false;
}

MemoryRegion *address_space_lookup(hwaddr addr, hwaddr *offset)
{
    int lo = 0, hi = nr_regions - 1;

    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        MemoryRegion *mr = regions[mid];
        if (addr < mr->addr) {
            hi = mid - 1;
        } else if (addr - mr->addr >= mr->size) {
            lo = mid + 1;
        } else {
            *offset = addr - mr->addr;
            return mr;
        }
    }
    return NULL;
}

/* One access the device implements itself (size within impl bounds, aligned). */
static uint64_t dispatch_read_one(MemoryRegion *mr, hwaddr offset, unsigned size)
{
    return mr->ops->read ? mr->ops->read(mr->opaque, offset, size) : 0;
}

static void dispatch_write_one(MemoryRegion *mr, hwaddr offset, uint64_t data,
                               unsigned size)
{
    if (mr->ops->write) {
        mr->ops->write(mr->opaque, offset, data, size);
    }
}

static unsigned impl_min(const MemoryRegion *mr)
{
    return mr->ops->impl.min_access_size ? mr->ops->impl.min_access_size : 1;
}

static unsigned impl_max(const MemoryRegion *mr)
{
    return mr->ops->impl.max_access_size ? mr->ops->impl.max_access_size : 4;
}

/*
 * Adapt an access to what the device implements: a wider access is split
 * into little-endian pieces, a narrower one widened to an aligned
 * impl.min access and the bytes extracted (for writes, read-modify-write).
 */
static uint64_t access_read(MemoryRegion *mr, hwaddr offset, unsigned size)
{
    unsigned min = impl_min(mr), max = impl_max(mr);

    if (size > max) {
        uint64_t val = 0;
        for (unsigned i = 0; i < size; i += max) {
            val |= access_read(mr, offset + i, max) << (i * 8);
        }
        return val;
    }
    if (size < min || (offset & (size - 1))) {
        hwaddr base = QEMU_ALIGN_DOWN(offset, min);
        unsigned shift = (offset - base) * 8;
        uint64_t mask = size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
        if (offset + size > base + min) {
            /* Straddles two device words: assemble byte by byte. */
            uint64_t val = 0;
            for (unsigned i = 0; i < size; i++) {
                val |= access_read(mr, offset + i, 1) << (i * 8);
            }
            return val;
        }
        return (dispatch_read_one(mr, base, min) >> shift) & mask;
    }
    return dispatch_read_one(mr, offset, size);
}

static void access_write(MemoryRegion *mr, hwaddr offset, uint64_t data, unsigned size)
{
    unsigned min = impl_min(mr), max = impl_max(mr);

    if (size > max) {
        for (unsigned i = 0; i < size; i += max) {
            access_write(mr, offset + i, data >> (i * 8), max);
        }
        return;
    }
    if (size < min || (offset & (size - 1))) {
        hwaddr base = QEMU_ALIGN_DOWN(offset, min);
        unsigned shift = (offset - base) * 8;
        uint64_t mask = size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
        uint64_t old;
        if (offset + size > base + min) {
            for (unsigned i = 0; i < size; i++) {
                access_write(mr, offset + i, data >> (i * 8), 1);
            }
            return;
        }
        old = dispatch_read_one(mr, base, min);
        old &= ~(mask << shift);
        dispatch_write_one(mr, base, old | ((data & mask) << shift), min);
        return;
    }
    dispatch_write_one(mr, offset, data, size);
}

MemTxResult memory_region_dispatch_read(MemoryRegion *mr, hwaddr offset, uint64_t *data,
                                        unsigned size)
{
    bool locked = bql_locked();

    if (offset + size > mr->size) {
        return MEMTX_DECODE_ERROR;
    }
    if (mr->ram_ptr) {
        uint64_t val = 0;
        memcpy(&val, mr->ram_ptr + offset, size);
        *data = val;
        return MEMTX_OK;
    }
    if (!locked) {
        bql_lock();
    }
    *data = access_read(mr, offset, size);
    if (!locked) {
        bql_unlock();
    }
    return MEMTX_OK;
}

MemTxResult memory_region_dispatch_write(MemoryRegion *mr, hwaddr offset, uint64_t data,
                                         unsigned size)
{
    bool locked = bql_locked();

    if (offset + size > mr->size) {
        return MEMTX_DECODE_ERROR;
    }
    if (mr->ram_ptr) {
        if (!mr->readonly) {
            memcpy(mr->ram_ptr + offset, &data, size);
            if (mr->ram_block) {
                ram_block_note_write(mr->ram_block, offset, size);
            }
        }
        return MEMTX_OK;
    }
    if (!locked) {
        bql_lock();
    }
    access_write(mr, offset, data, size);
    if (!locked) {
        bql_unlock();
    }
    return MEMTX_OK;
}

/* Copy between @buf and guest memory, region by region. */
static MemTxResult address_space_rw(hwaddr addr, void *buf, hwaddr len, bool is_write,
                                    bool force_rom)
{
    uint8_t *p = buf;
    MemTxResult res = MEMTX_OK;

    while (len) {
        hwaddr offset;
        MemoryRegion *mr = address_space_lookup(addr, &offset);
        hwaddr chunk;

        if (!mr) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: no memory at 0x%" HWADDR_PRIx "\n",
                          is_write ? "write" : "read", addr);
            if (!is_write) {
                memset(p, 0, len);
            }
            return MEMTX_DECODE_ERROR;
        }
        chunk = MIN(len, mr->size - offset);
        if (mr->ram_ptr) {
            if (!is_write) {
                memcpy(p, mr->ram_ptr + offset, chunk);
            } else if (!mr->readonly || force_rom) {
                memcpy(mr->ram_ptr + offset, p, chunk);
                if (mr->ram_block) {
                    ram_block_note_write(mr->ram_block, offset, chunk);
                }
            }
        } else {
            /* MMIO: byte accesses, as a DMA engine without burst support would. */
            for (hwaddr i = 0; i < chunk; i++) {
                uint64_t v = 0;
                if (is_write) {
                    res |= memory_region_dispatch_write(mr, offset + i, p[i], 1);
                } else {
                    res |= memory_region_dispatch_read(mr, offset + i, &v, 1);
                    p[i] = v;
                }
            }
        }
        addr += chunk;
        p += chunk;
        len -= chunk;
    }
    return res;
}

MemTxResult address_space_read(hwaddr addr, void *buf, hwaddr len)
{
    return address_space_rw(addr, buf, len, false, false);
}

MemTxResult address_space_write(hwaddr addr, const void *buf, hwaddr len)
{
    return address_space_rw(addr, (void *)buf, len, true, false);
}

MemTxResult address_space_write_rom(hwaddr addr, const void *buf, hwaddr len)
{
    return address_space_rw(addr, (void *)buf, len, true, true);
}

void *address_space_map(hwaddr addr, hwaddr len, bool is_write)
{
    hwaddr offset;
    MemoryRegion *mr = address_space_lookup(addr, &offset);

    if (!mr || !mr->ram_block || len > mr->size - offset) {
        return NULL;
    }
    if (is_write) {
        ram_block_note_write(mr->ram_block, offset, len ? len : 1);
    }
    return mr->ram_ptr + offset;
}

void address_space_set_dirty(hwaddr addr, hwaddr len)
{
    while (len) {
        hwaddr offset;
        MemoryRegion *mr = address_space_lookup(addr, &offset);
        hwaddr chunk;

        if (!mr) {
            return;
        }
        chunk = MIN(len, mr->size - offset);
        if (mr->ram_block) {
            ram_block_note_write(mr->ram_block, offset, chunk);
        }
        addr += chunk;
        len -= chunk;
    }
}

uint32_t ldl_le_phys(hwaddr addr)
{
    uint32_t v;
    address_space_read(addr, &v, 4);
    return GUINT32_FROM_LE(v);
}

uint64_t ldq_le_phys(hwaddr addr)
{
    uint64_t v;
    address_space_read(addr, &v, 8);
    return GUINT64_FROM_LE(v);
}

uint16_t lduw_le_phys(hwaddr addr)
{
    uint16_t v;
    address_space_read(addr, &v, 2);
    return GUINT16_FROM_LE(v);
}

void stl_le_phys(hwaddr addr, uint32_t val)
{
    val = GUINT32_TO_LE(val);
    address_space_write(addr, &val, 4);
}

void stq_le_phys(hwaddr addr, uint64_t val)
{
    val = GUINT64_TO_LE(val);
    address_space_write(addr, &val, 8);
}

void stw_le_phys(hwaddr addr, uint16_t val)
{
    val = GUINT16_TO_LE(val);
    address_space_write(addr, &val, 2);
}
