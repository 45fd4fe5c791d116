/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest image loader: raw files and ELF64 executables, kept as ROM blobs so
 * a guest reset restores them.
 *
 * ELF layout per the System V ABI (gABI "Object Files" chapter) and the
 * RISC-V ELF psABI (EM_RISCV = 243, little-endian).
 */
#include "qemu/osdep.h"
#include <elf.h>
#include <sys/stat.h>
#include "hw/loader.h"
#include "exec/memory.h"
#include "qapi/error.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

typedef struct RomBlob {
    char *name;
    uint8_t *data;
    size_t len;
    hwaddr addr;
} RomBlob;

/* Loaded at machine creation, with the BQL held; read on reset. */
static GPtrArray *rom_blobs;

static void rom_blob_free(gpointer p)
{
    RomBlob *blob = p;

    g_free(blob->name);
    g_free(blob->data);
    g_free(blob);
}

static bool rom_write(const RomBlob *blob, Error **errp)
{
    if (blob->len == 0) {
        return true;
    }
    if (blob->addr + blob->len < blob->addr ||
        address_space_write_rom(blob->addr, blob->data, blob->len) != MEMTX_OK) {
        error_setg(errp, "%s: cannot place %zu bytes at 0x%" HWADDR_PRIx
                   ": that range is not (entirely) guest RAM or ROM",
                   blob->name, blob->len, blob->addr);
        return false;
    }
    return true;
}

/* Like rom_add_blob but takes ownership of @data (g_malloc'ed). */
static bool rom_add_blob_owned(const char *name, uint8_t *data, size_t len, hwaddr addr,
                               Error **errp)
{
    RomBlob *blob = g_new0(RomBlob, 1);

    blob->name = g_strdup(name);
    blob->data = data;
    blob->len = len;
    blob->addr = addr;
    if (!rom_write(blob, errp)) {
        rom_blob_free(blob);
        return false;
    }
    if (!rom_blobs) {
        rom_blobs = g_ptr_array_new_with_free_func(rom_blob_free);
    }
    g_ptr_array_add(rom_blobs, blob);
    return true;
}

bool rom_add_blob(const char *name, const void *data, size_t len, hwaddr addr,
                  Error **errp)
{
    uint8_t *copy = g_malloc(len);

    memcpy(copy, data, len);
    return rom_add_blob_owned(name, copy, len, addr, errp);
}

void rom_reset(void)
{
    if (!rom_blobs) {
        return;
    }
    for (guint i = 0; i < rom_blobs->len; i++) {
        /* Every blob was written once already, so it cannot fail now. */
        rom_write(g_ptr_array_index(rom_blobs, i), &error_abort);
    }
}

int64_t get_image_size(const char *filename)
{
    struct stat st;

    if (stat(filename, &st) < 0 || !S_ISREG(st.st_mode)) {
        return -1;
    }
    return st.st_size;
}

bool load_file(const char *filename, uint8_t **data, size_t *size, Error **errp)
{
    GError *gerr = NULL;
    gchar *contents;
    gsize length;

    if (!g_file_get_contents(filename, &contents, &length, &gerr)) {
        error_setg(errp, "could not load '%s': %s", filename, gerr->message);
        g_error_free(gerr);
        return false;
    }
    *data = (uint8_t *)contents;
    *size = length;
    return true;
}

bool load_image_targphys(const char *filename, hwaddr addr, uint64_t max_size,
                         uint64_t *size, Error **errp)
{
    uint8_t *data;
    size_t len;

    if (!load_file(filename, &data, &len, errp)) {
        return false;
    }
    if (len > max_size) {
        error_setg(errp, "'%s' is %zu bytes but only %" PRIu64 " bytes are available "
                   "at 0x%" HWADDR_PRIx, filename, len, max_size, addr);
        error_append_hint(errp, "Give the guest more memory with -m.\n");
        g_free(data);
        return false;
    }
    if (!rom_add_blob_owned(filename, data, len, addr, errp)) {
        return false;
    }
    if (size) {
        *size = len;
    }
    return true;
}

bool file_is_elf(const char *filename)
{
    unsigned char ident[SELFMAG];
    FILE *f = fopen(filename, "rb");
    bool is_elf;

    if (!f) {
        return false;
    }
    is_elf = fread(ident, 1, SELFMAG, f) == SELFMAG && memcmp(ident, ELFMAG, SELFMAG) == 0;
    fclose(f);
    return is_elf;
}

/* Check the ELF header of a file already in memory; see gABI "ELF Header". */
static bool elf_check_header(const char *filename, const uint8_t *data, size_t len,
                             Elf64_Ehdr *eh, Error **errp)
{
    if (len < sizeof(*eh) || memcmp(data, ELFMAG, SELFMAG) != 0) {
        error_setg(errp, "'%s' is not an ELF file", filename);
        return false;
    }
    memcpy(eh, data, sizeof(*eh));
    if (eh->e_ident[EI_CLASS] != ELFCLASS64) {
        error_setg(errp, "'%s' is not a 64-bit ELF file (riscv64 needs ELFCLASS64)",
                   filename);
        return false;
    }
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB) {
        error_setg(errp, "'%s' is not a little-endian ELF file", filename);
        return false;
    }
    if (GUINT16_FROM_LE(eh->e_machine) != EM_RISCV) {
        error_setg(errp, "'%s' is an ELF file for machine %u, not RISC-V (%u)",
                   filename, GUINT16_FROM_LE(eh->e_machine), EM_RISCV);
        return false;
    }
    if (GUINT16_FROM_LE(eh->e_type) != ET_EXEC && GUINT16_FROM_LE(eh->e_type) != ET_DYN) {
        error_setg(errp, "'%s' is not an executable ELF file (e_type %u)",
                   filename, GUINT16_FROM_LE(eh->e_type));
        return false;
    }
    if (GUINT16_FROM_LE(eh->e_phentsize) != sizeof(Elf64_Phdr) ||
        GUINT64_FROM_LE(eh->e_phoff) > len ||
        (uint64_t)GUINT16_FROM_LE(eh->e_phnum) * sizeof(Elf64_Phdr) >
            len - GUINT64_FROM_LE(eh->e_phoff)) {
        error_setg(errp, "'%s' is truncated or has a corrupt program header table",
                   filename);
        return false;
    }
    return true;
}

/*
 * Like QEMU, load only the part of a segment that lands in guest memory (a
 * linker may put the ELF headers in a segment just below RAM, or a PIE's at
 * 0).  Returns false if nothing of it does.
 */
static bool elf_clip_to_memory(const char *filename, unsigned index, uint64_t *paddr,
                               uint64_t *memsz, uint64_t *offset, uint64_t *filesz)
{
    uint64_t start = *paddr, end = *paddr + *memsz;
    hwaddr unused;
    MemoryRegion *first = address_space_lookup(start, &unused);
    MemoryRegion *last = address_space_lookup(end - 1, &unused);
    uint64_t skip;

    if (first && first == last) {
        return true;
    }
    if (!first && !last) {
        warn_report("'%s': segment %u at 0x%" PRIx64 " is outside guest memory; "
                    "not loaded", filename, index, start);
        return false;
    }
    if (!first) {
        start = last->addr;
    } else {
        end = first->addr + first->size;
    }
    warn_report("'%s': segment %u [0x%" PRIx64 ", 0x%" PRIx64 ") is partly outside "
                "guest memory; loading [0x%" PRIx64 ", 0x%" PRIx64 ")", filename, index,
                *paddr, *paddr + *memsz, start, end);
    skip = start - *paddr;
    *offset += MIN(skip, *filesz);
    *filesz -= MIN(skip, *filesz);
    *filesz = MIN(*filesz, end - start);
    *paddr = start;
    *memsz = end - start;
    return true;
}

/*
 * A clipped segment must land in RAM or ROM: writing an image into device
 * registers would poke the devices (the test finisher would even end the
 * machine) before the guest ran.
 */
static bool elf_check_target(const char *filename, unsigned index, uint64_t paddr,
                             uint64_t memsz, Error **errp)
{
    hwaddr offset;
    MemoryRegion *mr = address_space_lookup(paddr, &offset);

    if (mr && !mr->ram_ptr) {
        error_setg(errp, "'%s': segment %u [0x%" PRIx64 ", 0x%" PRIx64 ") lands on "
                   "device registers (%s), not RAM", filename, index, paddr,
                   paddr + memsz, mr->name);
        return false;
    }
    return true;
}

typedef struct ElfLoadedRange {
    uint64_t start, end;
    unsigned index;
} ElfLoadedRange;

/* Two segments must not load over each other (the later one would win silently). */
static bool elf_check_overlap(const char *filename, const ElfLoadedRange *ranges,
                              unsigned count, unsigned index, uint64_t paddr,
                              uint64_t memsz, Error **errp)
{
    for (unsigned i = 0; i < count; i++) {
        if (paddr < ranges[i].end && ranges[i].start < paddr + memsz) {
            error_setg(errp, "'%s': segments %u and %u overlap at 0x%" PRIx64,
                       filename, ranges[i].index, index, MAX(paddr, ranges[i].start));
            return false;
        }
    }
    return true;
}

bool load_elf_riscv64(const char *filename, uint64_t *entry, uint64_t *lowaddr,
                      uint64_t *highaddr, Error **errp)
{
    uint64_t low = UINT64_MAX, high = 0;
    g_autofree ElfLoadedRange *ranges = NULL;
    unsigned loaded = 0;
    hwaddr entry_offset;
    MemoryRegion *entry_mr;
    Elf64_Ehdr eh;
    uint8_t *data;
    size_t len;
    bool ok = false;

    if (!load_file(filename, &data, &len, errp)) {
        return false;
    }
    if (!elf_check_header(filename, data, len, &eh, errp)) {
        goto out;
    }

    for (unsigned i = 0; i < GUINT16_FROM_LE(eh.e_phnum); i++) {
        Elf64_Phdr ph;
        uint64_t paddr, filesz, memsz, offset;
        uint8_t *segment;
        g_autofree char *name = NULL;

        memcpy(&ph, data + GUINT64_FROM_LE(eh.e_phoff) + i * sizeof(ph), sizeof(ph));
        if (GUINT32_FROM_LE(ph.p_type) != PT_LOAD || GUINT64_FROM_LE(ph.p_memsz) == 0) {
            continue;
        }
        paddr = GUINT64_FROM_LE(ph.p_paddr);
        filesz = GUINT64_FROM_LE(ph.p_filesz);
        memsz = GUINT64_FROM_LE(ph.p_memsz);
        offset = GUINT64_FROM_LE(ph.p_offset);
        if (filesz > memsz || offset > len || filesz > len - offset) {
            error_setg(errp, "'%s': program header %u is corrupt (file size 0x%" PRIx64
                       ", memory size 0x%" PRIx64 ", offset 0x%" PRIx64 ")",
                       filename, i, filesz, memsz, offset);
            goto out;
        }
        if (paddr + memsz < paddr) {
            error_setg(errp, "'%s': segment %u wraps around the address space",
                       filename, i);
            goto out;
        }
        if (!elf_clip_to_memory(filename, i, &paddr, &memsz, &offset, &filesz)) {
            continue;
        }
        if (!ranges) {
            ranges = g_new(ElfLoadedRange, GUINT16_FROM_LE(eh.e_phnum));
        }
        if (!elf_check_target(filename, i, paddr, memsz, errp) ||
            !elf_check_overlap(filename, ranges, loaded, i, paddr, memsz, errp)) {
            goto out;
        }
        ranges[loaded] = (ElfLoadedRange) { paddr, paddr + memsz, i };
        /* The segment image: file bytes then zeroes up to p_memsz (the bss). */
        segment = g_malloc0(memsz);
        memcpy(segment, data + offset, filesz);
        name = g_strdup_printf("%s (segment %u)", filename, i);
        if (!rom_add_blob_owned(name, segment, memsz, paddr, errp)) {
            goto out;
        }
        low = MIN(low, paddr);
        high = MAX(high, paddr + memsz);
        loaded++;
    }
    if (loaded == 0) {
        error_setg(errp, "'%s' has no loadable (PT_LOAD) segments", filename);
        goto out;
    }

    /* A hart sent to an entry outside memory would only fault forever. */
    entry_mr = address_space_lookup(GUINT64_FROM_LE(eh.e_entry), &entry_offset);
    if (!entry_mr || !entry_mr->ram_ptr) {
        error_setg(errp, "'%s': entry point 0x%" PRIx64 " is outside guest RAM",
                   filename, (uint64_t)GUINT64_FROM_LE(eh.e_entry));
        goto out;
    }
    *entry = GUINT64_FROM_LE(eh.e_entry);
    if (lowaddr) {
        *lowaddr = low;
    }
    if (highaddr) {
        *highaddr = high;
    }
    ok = true;
out:
    g_free(data);
    return ok;
}
