/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loading files into guest memory: raw images and ELF64 executables.
 *
 * Everything loaded is kept as a "ROM blob" (a copy of the bytes and where
 * they go) so that rom_reset() can put the pristine kernel, initrd and
 * device tree back on a guest reset, as QEMU's loader does.
 */
#ifndef HW_LOADER_H
#define HW_LOADER_H

#include "exec/hwaddr.h"

typedef struct Error Error;

/* Size of @filename in bytes, or -1 if it cannot be opened or is not a file. */
int64_t get_image_size(const char *filename);

/* Read all of @filename into a new buffer (g_free it); false with @errp on failure. */
bool load_file(const char *filename, uint8_t **data, size_t *size, Error **errp);

/*
 * Copy @len bytes of @data to guest physical @addr (RAM or ROM) now and on
 * every rom_reset().  @name appears in error messages.
 */
bool rom_add_blob(const char *name, const void *data, size_t len, hwaddr addr,
                  Error **errp);
/* Rewrite every blob: called on machine reset. */
void rom_reset(void);

/*
 * Load the raw file @filename at @addr; it must fit in @max_size bytes.
 * *@size gets the file size.
 */
bool load_image_targphys(const char *filename, hwaddr addr, uint64_t max_size,
                         uint64_t *size, Error **errp);

/* Does @filename start with the ELF magic? */
bool file_is_elf(const char *filename);

/*
 * Load an ELF64 little-endian RISC-V executable: each PT_LOAD segment goes to
 * its physical address (p_paddr), the part past p_filesz is zeroed.
 * @entry gets e_entry; @lowaddr and @highaddr (may be NULL) the lowest and
 * highest (exclusive) physical addresses written.
 */
bool load_elf_riscv64(const char *filename, uint64_t *entry, uint64_t *lowaddr,
                      uint64_t *highaddr, Error **errp);

#endif
