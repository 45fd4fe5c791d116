/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest physical address space: RAM and MMIO regions mapped into one
 * flat system address space, as QEMU's MemoryRegion API but without nesting.
 *
 * Locking: MMIO callbacks always run with the big QEMU lock (BQL) held;
 * memory_region_dispatch_read/write take it when the caller does not hold it.
 * RAM is accessed without the lock.
 */
#ifndef EXEC_MEMORY_H
#define EXEC_MEMORY_H

#include "exec/hwaddr.h"

typedef struct Error Error;
typedef struct RAMBlock RAMBlock;

typedef enum MemTxResult {
    MEMTX_OK = 0,
    MEMTX_ERROR = 1,        /* device returned an error */
    MEMTX_DECODE_ERROR = 2, /* nothing at that address */
} MemTxResult;

typedef struct MemoryRegionOps {
    /* @size is 1, 2, 4 or 8; @addr is relative to the region's start. */
    uint64_t (*read)(void *opaque, hwaddr addr, unsigned size);
    void (*write)(void *opaque, hwaddr addr, uint64_t data, unsigned size);
    /*
     * Access sizes the device implements; other sizes are split or widened
     * by the dispatcher.  0 means 1 (min) / 4 (max).
     */
    struct {
        unsigned min_access_size;
        unsigned max_access_size;
    } impl;
} MemoryRegionOps;

typedef struct MemoryRegion {
    const char *name;
    hwaddr addr;    /* where it is mapped in the system address space */
    uint64_t size;
    const MemoryRegionOps *ops; /* NULL for RAM/ROM */
    void *opaque;
    uint8_t *ram_ptr;           /* host memory backing RAM/ROM */
    RAMBlock *ram_block;        /* NULL for ROM and MMIO */
    bool readonly;              /* ROM: guest stores are ignored */
    bool mapped;
} MemoryRegion;

/* An MMIO region of @size bytes handled by @ops. */
void memory_region_init_io(MemoryRegion *mr, const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size);
/*
 * Guest RAM of @size bytes, allocated lazily (MAP_NORESERVE) so untouched
 * pages cost the host nothing.  Registers a RAMBlock named @name.
 */
bool memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size,
                            Error **errp);
/* Read-only memory the board fills at start (boot ROM, DTB area). */
bool memory_region_init_rom(MemoryRegion *mr, const char *name, uint64_t size,
                            Error **errp);
static inline void *memory_region_get_ram_ptr(MemoryRegion *mr)
{
    return mr->ram_ptr;
}

/* Map @mr at @addr in the system address space; overlaps are a bug. */
void memory_region_add_subregion(hwaddr addr, MemoryRegion *mr);
void memory_region_del_subregion(MemoryRegion *mr);

/* The region containing @addr (NULL if none); *@offset gets addr - mr->addr. */
MemoryRegion *address_space_lookup(hwaddr addr, hwaddr *offset);

/* Dispatch one access of @size (1/2/4/8) to an MMIO region. */
MemTxResult memory_region_dispatch_read(MemoryRegion *mr, hwaddr offset, uint64_t *data,
                                        unsigned size);
MemTxResult memory_region_dispatch_write(MemoryRegion *mr, hwaddr offset, uint64_t data,
                                         unsigned size);

/*
 * Copy to/from guest physical memory, RAM or MMIO, as a device doing DMA or
 * the loader.  Writes to RAM mark the pages dirty for migration.
 */
MemTxResult address_space_read(hwaddr addr, void *buf, hwaddr len);
MemTxResult address_space_write(hwaddr addr, const void *buf, hwaddr len);
/* Write that ignores ROM protection: for the loader filling ROM. */
MemTxResult address_space_write_rom(hwaddr addr, const void *buf, hwaddr len);

/*
 * Host pointer to [addr, addr + len) if the whole range is RAM inside one
 * region, else NULL.  @is_write logs the range dirty now, before the device
 * writes: right only when the device maps and writes within one BQL section
 * (the sync runs under the BQL).  Writers without the BQL (IOThreads) map
 * with !@is_write and call address_space_set_dirty once they have written.
 */
void *address_space_map(hwaddr addr, hwaddr len, bool is_write);
/*
 * Log [addr, addr + len) of RAM dirty after a device wrote it through a
 * mapped pointer; docs/devel/migration/dirty-log.rst says why after.
 */
void address_space_set_dirty(hwaddr addr, hwaddr len);

/* Little-endian helpers for devices. */
uint32_t ldl_le_phys(hwaddr addr);
uint64_t ldq_le_phys(hwaddr addr);
uint16_t lduw_le_phys(hwaddr addr);
void stl_le_phys(hwaddr addr, uint32_t val);
void stq_le_phys(hwaddr addr, uint64_t val);
void stw_le_phys(hwaddr addr, uint16_t val);

#endif
