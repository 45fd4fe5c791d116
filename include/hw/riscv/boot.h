/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V boot: firmware, kernel, initrd and device tree placement, and the
 * small boot ROM every hart starts in.
 */
#ifndef HW_RISCV_BOOT_H
#define HW_RISCV_BOOT_H

#include "exec/hwaddr.h"

typedef struct Error Error;

/* What runs in M-mode, from -bios. */
typedef enum RISCVFirmwareKind {
    RISCV_FIRMWARE_BUILTIN_SBI, /* no -bios, or -bios default: hintvm's own SBI */
    RISCV_FIRMWARE_NONE,        /* -bios none: the kernel runs in M-mode */
    RISCV_FIRMWARE_FILE,        /* -bios PATH: e.g. OpenSBI fw_dynamic.bin */
} RISCVFirmwareKind;

/* The boot ROM, as on QEMU's virt ("MROM"). */
#define RISCV_BOOT_ROM_BASE 0x1000
#define RISCV_BOOT_ROM_SIZE 0xf000
/*
 * In the built-in SBI's boot ROM: where a hart started by SBI HSM enters, in
 * M-mode, with a0 = hartid, a1 = opaque, a2 = start address.  It delegates
 * traps and interrupts to S-mode, opens PMP, clears satp and sstatus.SIE,
 * and mrets to a2 in S-mode: the hand-over the SBI spec describes.
 */
#define RISCV_BOOT_ROM_HART_START (RISCV_BOOT_ROM_BASE + 0x10)

/* The RISC-V Linux Image header (Linux Documentation/riscv/boot-image-header). */
typedef struct QEMU_PACKED RISCVImageHeader {
    uint32_t code0;
    uint32_t code1;
    uint64_t text_offset;   /* load offset from a 2 MiB aligned RAM base */
    uint64_t image_size;    /* bytes the kernel occupies, bss included */
    uint64_t flags;
    uint32_t version;
    uint32_t res1;
    uint64_t res2;
    uint64_t magic;         /* "RISCV\0\0\0" (deprecated) */
    uint32_t magic2;        /* "RSC\x05" */
    uint32_t res3;
} RISCVImageHeader;

#define RISCV_IMAGE_MAGIC  0x5643534952ULL    /* "RISCV" little-endian */
#define RISCV_IMAGE_MAGIC2 0x05435352U        /* "RSC\x05" */

typedef struct RISCVKernelInfo {
    uint64_t entry;         /* where the boot hart jumps */
    hwaddr start;           /* lowest address the kernel occupies */
    hwaddr end;             /* first address past it (bss included when known) */
} RISCVKernelInfo;

RISCVFirmwareKind riscv_firmware_kind(const char *firmware);

/* Load the -bios file at @dram_base; *@fw_end gets the first byte after it. */
bool riscv_load_firmware(const char *filename, hwaddr dram_base, uint64_t ram_size,
                         hwaddr *fw_end, Error **errp);

/*
 * Where a kernel Image goes: the next 2 MiB boundary after the firmware
 * (RV64 Linux maps itself with 2 MiB pages), i.e. DRAM + 2 MiB with the
 * built-in SBI or OpenSBI, DRAM base with -bios none.
 */
hwaddr riscv_kernel_start_addr(RISCVFirmwareKind kind, hwaddr dram_base, hwaddr fw_end);

/*
 * Load -kernel: an ELF64 at its physical addresses, else a raw image (a Linux
 * Image or a flat binary) at @kernel_start.  Everything must lie in
 * [@ram_base, @ram_end).
 */
bool riscv_load_kernel(const char *filename, hwaddr kernel_start, hwaddr ram_base,
                       hwaddr ram_end, RISCVKernelInfo *info, Error **errp);

/*
 * Load -initrd above the kernel, as QEMU does: at the kernel entry plus half
 * the RAM or 128 MiB, whichever is smaller, so the decompressing kernel does
 * not overwrite it; it must end at or below @limit.
 */
bool riscv_load_initrd(const char *filename, uint64_t ram_size,
                       const RISCVKernelInfo *kernel, hwaddr limit,
                       hwaddr *start, hwaddr *end, Error **errp);

/*
 * Where the device tree goes: as high as possible so the kernel and initrd do
 * not overwrite it, but below 3 GiB so a 32-bit kernel can reach it; 2 MiB
 * aligned.  Same rule as QEMU 7.2.
 */
hwaddr riscv_compute_fdt_addr(hwaddr dram_base, uint64_t ram_size, uint32_t fdt_size);

/*
 * Map the boot ROM and fill it.  For the built-in SBI: the hand-over stub
 * that starts @entry in S-mode with a0 = hartid, a1 = @fdt_addr.  Otherwise
 * QEMU's reset vector: jump to @entry in M-mode with a0 = hartid,
 * a1 = @fdt_addr and a2 = an OpenSBI fw_dynamic_info that asks for
 * @next_addr in S-mode.
 */
bool riscv_setup_boot_rom(RISCVFirmwareKind kind, uint64_t entry, hwaddr fdt_addr,
                          uint64_t next_addr, Error **errp);

#endif
