/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V boot: where firmware, kernel, initrd and device tree go in RAM, and
 * the boot ROM the harts start in.
 */
#include "qemu/osdep.h"
#include "hw/riscv/boot.h"
#include "hw/loader.h"
#include "exec/memory.h"
#include "qapi/error.h"

/* The device tree must stay reachable by a 32-bit kernel: below 3 GiB. */
#define FDT_HIGHEST_END (3072 * MiB)
#define KERNEL_ALIGN    (2 * MiB)

RISCVFirmwareKind riscv_firmware_kind(const char *firmware)
{
    if (!firmware || !strcmp(firmware, "default")) {
        return RISCV_FIRMWARE_BUILTIN_SBI;
    }
    if (!strcmp(firmware, "none")) {
        return RISCV_FIRMWARE_NONE;
    }
    return RISCV_FIRMWARE_FILE;
}

bool riscv_load_firmware(const char *filename, hwaddr dram_base, uint64_t ram_size,
                         hwaddr *fw_end, Error **errp)
{
    uint64_t size, entry, high;

    if (get_image_size(filename) < 0) {
        error_setg(errp, "could not open firmware '%s' (-bios): %s", filename,
                   access(filename, R_OK) ? g_strerror(errno) : "not a regular file");
        return false;
    }
    if (file_is_elf(filename)) {
        if (!load_elf_riscv64(filename, &entry, NULL, &high, errp)) {
            error_prepend(errp, "-bios: ");
            return false;
        }
        if (entry != dram_base) {
            error_setg(errp, "-bios '%s': entry 0x%" PRIx64 " is not the start of RAM "
                       "(0x%" HWADDR_PRIx ")", filename, entry, dram_base);
            return false;
        }
        *fw_end = high;
        return true;
    }
    if (!load_image_targphys(filename, dram_base, ram_size, &size, errp)) {
        error_prepend(errp, "-bios: ");
        return false;
    }
    *fw_end = dram_base + size;
    return true;
}

hwaddr riscv_kernel_start_addr(RISCVFirmwareKind kind, hwaddr dram_base, hwaddr fw_end)
{
    switch (kind) {
    case RISCV_FIRMWARE_NONE:
        return dram_base;
    case RISCV_FIRMWARE_FILE:
        return QEMU_ALIGN_UP(fw_end, KERNEL_ALIGN);
    case RISCV_FIRMWARE_BUILTIN_SBI:
    default:
        /*
         * The built-in SBI needs no RAM, but Linux's Image header asks for
         * text_offset 2 MiB and it is where OpenSBI would put it.
         */
        return dram_base + KERNEL_ALIGN;
    }
}

static bool riscv_load_raw_kernel(const char *filename, hwaddr kernel_start,
                                  hwaddr ram_end, RISCVKernelInfo *info, Error **errp)
{
    RISCVImageHeader hdr;
    uint64_t size, footprint;
    uint8_t *data;
    size_t len;

    if (!load_file(filename, &data, &len, errp)) {
        return false;
    }
    footprint = len;
    if (len >= sizeof(hdr)) {
        memcpy(&hdr, data, sizeof(hdr));
        if (GUINT32_FROM_LE(hdr.magic2) == RISCV_IMAGE_MAGIC2 ||
            GUINT64_FROM_LE(hdr.magic) == RISCV_IMAGE_MAGIC) {
            /* A Linux Image: its footprint includes the bss past the file end. */
            footprint = MAX(footprint, GUINT64_FROM_LE(hdr.image_size));
        }
    }
    if (kernel_start >= ram_end || footprint > ram_end - kernel_start) {
        error_setg(errp, "kernel '%s' needs 0x%" PRIx64 " bytes at 0x%" HWADDR_PRIx
                   " but RAM ends at 0x%" HWADDR_PRIx, filename, footprint,
                   kernel_start, ram_end);
        error_append_hint(errp, "Give the guest more memory with -m.\n");
        g_free(data);
        return false;
    }
    g_free(data);
    if (!load_image_targphys(filename, kernel_start, ram_end - kernel_start, &size, errp)) {
        return false;
    }
    info->entry = kernel_start;
    info->start = kernel_start;
    info->end = kernel_start + footprint;
    return true;
}

bool riscv_load_kernel(const char *filename, hwaddr kernel_start, hwaddr ram_base,
                       hwaddr ram_end, RISCVKernelInfo *info, Error **errp)
{
    uint64_t entry, low, high;

    if (get_image_size(filename) < 0) {
        error_setg(errp, "could not open kernel '%s': %s", filename,
                   access(filename, R_OK) ? g_strerror(errno) : "not a regular file");
        return false;
    }
    if (!file_is_elf(filename)) {
        return riscv_load_raw_kernel(filename, kernel_start, ram_end, info, errp);
    }
    if (!load_elf_riscv64(filename, &entry, &low, &high, errp)) {
        error_prepend(errp, "-kernel: ");
        return false;
    }
    info->entry = entry;
    /* Segments outside RAM (e.g. in the boot ROM) do not constrain the initrd. */
    info->start = MAX(low, ram_base);
    info->end = high <= ram_end ? MAX(high, ram_base) : ram_end;
    return true;
}

bool riscv_load_initrd(const char *filename, uint64_t ram_size,
                       const RISCVKernelInfo *kernel, hwaddr limit,
                       hwaddr *start, hwaddr *end, Error **errp)
{
    int64_t size = get_image_size(filename);
    hwaddr base;

    if (size < 0) {
        error_setg(errp, "could not open initrd '%s'", filename);
        return false;
    }
    /*
     * Far enough above the kernel that the kernel's own image, bss and early
     * allocations do not clobber it, low enough that small guests keep room.
     */
    base = kernel->entry + MIN(ram_size / 2, 128 * MiB);
    base = MAX(base, QEMU_ALIGN_UP(kernel->end, 4 * KiB));
    if (base >= limit || (uint64_t)size > limit - base) {
        error_setg(errp, "initrd '%s' (%" PRId64 " bytes) does not fit between 0x%"
                   HWADDR_PRIx " and 0x%" HWADDR_PRIx, filename, size, base, limit);
        error_append_hint(errp, "Give the guest more memory with -m.\n");
        return false;
    }
    if (!load_image_targphys(filename, base, limit - base, NULL, errp)) {
        return false;
    }
    *start = base;
    *end = base + size;
    return true;
}

hwaddr riscv_compute_fdt_addr(hwaddr dram_base, uint64_t ram_size, uint32_t fdt_size)
{
    hwaddr dram_end = dram_base + ram_size;
    hwaddr top = dram_base < FDT_HIGHEST_END ? MIN(dram_end, FDT_HIGHEST_END) : dram_end;

    return QEMU_ALIGN_DOWN(top - fdt_size, 2 * MiB);
}

/*
 * Boot ROM programs.  Encodings from the RISC-V unprivileged ISA (RV64I,
 * Zicsr) and privileged spec (MRET, WFI, SFENCE.VMA); source in comments.
 *
 * QEMU-style reset vector for M-mode firmware; data at +0x20:
 *   entry (u64), fdt (u64); fw_dynamic_info at +0x40.
 */
static const uint32_t firmware_reset_vec[] = {
    0x00000297,     /* auipc t0, 0 */
    0x04028613,     /* addi  a2, t0, 0x40     fw_dynamic_info */
    0xf1402573,     /* csrr  a0, mhartid */
    0x0282b583,     /* ld    a1, 0x28(t0)     fdt */
    0x0202b283,     /* ld    t0, 0x20(t0)     entry */
    0x00028067,     /* jr    t0 */
};
#define FIRMWARE_VEC_ENTRY_OFF  0x20
#define FIRMWARE_VEC_FDT_OFF    0x28
#define FIRMWARE_VEC_DYNINFO_OFF 0x40

/*
 * The built-in SBI's hand-over (SBI spec, "Hart State Management": a started
 * hart enters S-mode at start_addr with a0 = hartid, a1 = opaque, satp = 0,
 * sstatus.SIE = 0).  Data at +0x80: kernel entry (u64), fdt (u64).
 */
static const uint32_t builtin_sbi_rom[] = {
    0x00000297,     /* 0x00 auipc t0, 0 */
    0x0802b603,     /* 0x04 ld    a2, 0x80(t0)   kernel entry */
    0x0882b583,     /* 0x08 ld    a1, 0x88(t0)   fdt */
    0xf1402573,     /* 0x0c csrr  a0, mhartid */
                    /* hart_start: a0 = hartid, a1 = opaque, a2 = start address */
    0x22200293,     /* 0x10 li    t0, 0x222      SSIP | STIP | SEIP */
    0x30329073,     /* 0x14 csrw  mideleg, t0 */
    0x0000b2b7,     /* 0x18 lui   t0, 0xb */
    0x1ff2829b,     /* 0x1c addiw t0, t0, 0x1ff  every exception but ecall from S/M */
    0x30229073,     /* 0x20 csrw  medeleg, t0 */
    0x00700293,     /* 0x24 li    t0, 7 */
    0x30629073,     /* 0x28 csrw  mcounteren, t0  cycle, time, instret for S */
    0x10629073,     /* 0x2c csrw  scounteren, t0  ... and for U (Linux's vDSO) */
    0xfff00293,     /* 0x30 li    t0, -1 */
    0x3b029073,     /* 0x34 csrw  pmpaddr0, t0    NAPOT: all of memory */
    0x01f00293,     /* 0x38 li    t0, 0x1f */
    0x3a029073,     /* 0x3c csrw  pmpcfg0, t0     NAPOT | X | W | R */
    0x18001073,     /* 0x40 csrw  satp, zero */
    0x12000073,     /* 0x44 sfence.vma */
    0x30401073,     /* 0x48 csrw  mie, zero */
    0x000022b7,     /* 0x4c lui   t0, 0x2 */
    0x8022829b,     /* 0x50 addiw t0, t0, -0x7fe  MPP | SIE */
    0x3002b073,     /* 0x54 csrc  mstatus, t0 */
    0x000012b7,     /* 0x58 lui   t0, 0x1 */
    0x8002829b,     /* 0x5c addiw t0, t0, -0x800  MPP = S */
    0x3002a073,     /* 0x60 csrs  mstatus, t0 */
    0x00000297,     /* 0x64 auipc t0, 0 */
    0x01428293,     /* 0x68 addi  t0, t0, 20 */
    0x30529073,     /* 0x6c csrw  mtvec, t0       a trap to M-mode parks the hart */
    0x34161073,     /* 0x70 csrw  mepc, a2 */
    0x30200073,     /* 0x74 mret */
    0x10500073,     /* 0x78 wfi */
    0xffdff06f,     /* 0x7c j     0x78 */
};
#define BUILTIN_SBI_ENTRY_OFF 0x80
#define BUILTIN_SBI_FDT_OFF   0x88

/* OpenSBI's fw_dynamic_info (OpenSBI docs/firmware/fw_dynamic.md), version 2. */
#define FW_DYNAMIC_INFO_MAGIC   0x4942534fULL   /* "OSBI" */
#define FW_DYNAMIC_INFO_VERSION 2
#define FW_DYNAMIC_NEXT_MODE_S  1

static void rom_put_u32s(uint8_t *rom, const uint32_t *words, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        uint32_t le = GUINT32_TO_LE(words[i]);

        memcpy(rom + i * 4, &le, 4);
    }
}

static void rom_put_u64(uint8_t *rom, size_t offset, uint64_t value)
{
    uint64_t le = GUINT64_TO_LE(value);

    memcpy(rom + offset, &le, 8);
}

bool riscv_setup_boot_rom(RISCVFirmwareKind kind, uint64_t entry, hwaddr fdt_addr,
                          uint64_t next_addr, Error **errp)
{
    MemoryRegion *rom = g_new0(MemoryRegion, 1);
    uint8_t image[0x100] = { 0 };

    if (!memory_region_init_rom(rom, "riscv.boot.rom", RISCV_BOOT_ROM_SIZE, errp)) {
        g_free(rom);
        return false;
    }
    memory_region_add_subregion(RISCV_BOOT_ROM_BASE, rom);

    if (kind == RISCV_FIRMWARE_BUILTIN_SBI) {
        G_STATIC_ASSERT(sizeof(builtin_sbi_rom) <= BUILTIN_SBI_ENTRY_OFF);
        rom_put_u32s(image, builtin_sbi_rom, G_N_ELEMENTS(builtin_sbi_rom));
        rom_put_u64(image, BUILTIN_SBI_ENTRY_OFF, entry);
        rom_put_u64(image, BUILTIN_SBI_FDT_OFF, fdt_addr);
    } else {
        G_STATIC_ASSERT(sizeof(firmware_reset_vec) <= FIRMWARE_VEC_ENTRY_OFF);
        rom_put_u32s(image, firmware_reset_vec, G_N_ELEMENTS(firmware_reset_vec));
        rom_put_u64(image, FIRMWARE_VEC_ENTRY_OFF, entry);
        rom_put_u64(image, FIRMWARE_VEC_FDT_OFF, fdt_addr);
        rom_put_u64(image, FIRMWARE_VEC_DYNINFO_OFF + 0x00, FW_DYNAMIC_INFO_MAGIC);
        rom_put_u64(image, FIRMWARE_VEC_DYNINFO_OFF + 0x08, FW_DYNAMIC_INFO_VERSION);
        rom_put_u64(image, FIRMWARE_VEC_DYNINFO_OFF + 0x10, next_addr);
        rom_put_u64(image, FIRMWARE_VEC_DYNINFO_OFF + 0x18, FW_DYNAMIC_NEXT_MODE_S);
        rom_put_u64(image, FIRMWARE_VEC_DYNINFO_OFF + 0x20, 0);    /* options */
        rom_put_u64(image, FIRMWARE_VEC_DYNINFO_OFF + 0x28, 0);    /* boot_hart */
    }
    return rom_add_blob("boot rom", image, sizeof(image), RISCV_BOOT_ROM_BASE, errp);
}
