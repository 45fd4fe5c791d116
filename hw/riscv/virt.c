/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RISC-V "virt" board.
 *
 * Memory map and PLIC interrupt ids are those of QEMU's riscv virt machine
 * (docs/system/riscv/virt.rst), and the generated device tree uses the same
 * node names, compatibles and properties, so the same kernel and the same
 * device tree bindings behave the same on both.
 */
#include "qemu/osdep.h"
#include <libfdt.h>
#include "hw/riscv/virt.h"
#include "hw/pci-host/gpex.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/riscv/boot.h"
#include "hw/riscv/sbi.h"
#include "hw/char/serial.h"
#include "hw/intc/riscv_aclint.h"
#include "hw/intc/sifive_plic.h"
#include "hw/loader.h"
#include "hw/misc/sifive_test.h"
#include "hw/rtc/goldfish_rtc.h"
#include "qapi/error.h"
#include "sysemu/cpus.h"
#include "sysemu/runstate.h"

const MemMapEntry virt_memmap[VIRT_MEMMAP_COUNT] = {
    [VIRT_MROM] =       { RISCV_BOOT_ROM_BASE, RISCV_BOOT_ROM_SIZE },
    [VIRT_TEST] =       { 0x100000, SIFIVE_TEST_SIZE },
    [VIRT_RTC] =        { 0x101000, GOLDFISH_RTC_SIZE },
    [VIRT_CLINT] =      { 0x2000000, RISCV_ACLINT_SIZE },
    [VIRT_PCIE_PIO] =   { 0x3000000, 0x10000 },
    /* QEMU sizes the PLIC for its 512 harts; the device tree keeps that size. */
    [VIRT_PLIC] =       { 0xc000000, 0x600000 },
    [VIRT_UART0] =      { 0x10000000, SERIAL_MM_SIZE },
    [VIRT_VIRTIO] =     { 0x10001000, 0x1000 },
    [VIRT_PCIE_ECAM] =  { 0x30000000, 0x10000000 },
    [VIRT_PCIE_MMIO] =  { 0x40000000, 0x40000000 },
    [VIRT_DRAM] =       { 0x80000000, 0 },
};

/* The device tree buffer while it is built; the final tree is packed. */
#define VIRT_FDT_MAX_SIZE (1 * MiB)

/* Interrupt numbers of the hart-local interrupt controller (mip bits) */
enum {
    CPU_IRQ_M_SOFT = 3,
    CPU_IRQ_M_TIMER = 7,
    CPU_IRQ_S_EXT = 9,
    CPU_IRQ_M_EXT = 11,
};

void virt_add_fdt_device(VirtMachineState *s, const char *node_name, hwaddr base,
                         hwaddr size, const char *const *compatible, int irq)
{
    VirtFdtDevice dev = {
        .node_name = g_strdup(node_name),
        .base = base,
        .size = size,
        .irq = irq,
    };
    GString *compat = g_string_new(NULL);

    for (; *compatible; compatible++) {
        g_string_append_len(compat, *compatible, strlen(*compatible) + 1);
    }
    dev.compatible_len = compat->len;
    dev.compatible = g_string_free(compat, FALSE);
    g_array_append_val(s->fdt_devices, dev);
}

/* ---- Device tree ---- */

/*
 * A device tree under construction: libfdt calls return negative errors,
 * the first of which sticks and is reported once at the end.
 */
typedef struct FdtBuilder {
    void *fdt;
    int err;
    char where[64];
} FdtBuilder;

static int fdt_check(FdtBuilder *b, int ret, const char *where)
{
    if (ret < 0 && !b->err) {
        b->err = ret;
        g_strlcpy(b->where, where, sizeof(b->where));
    }
    return ret;
}

static int fdt_node(FdtBuilder *b, int parent, const char *name)
{
    return fdt_check(b, fdt_add_subnode(b->fdt, parent, name), name);
}

static void fdt_u32(FdtBuilder *b, int node, const char *prop, uint32_t val)
{
    fdt_check(b, fdt_setprop_u32(b->fdt, node, prop, val), prop);
}

static void fdt_u64(FdtBuilder *b, int node, const char *prop, uint64_t val)
{
    fdt_check(b, fdt_setprop_u64(b->fdt, node, prop, val), prop);
}

static void fdt_str(FdtBuilder *b, int node, const char *prop, const char *val)
{
    fdt_check(b, fdt_setprop_string(b->fdt, node, prop, val), prop);
}

static void fdt_empty(FdtBuilder *b, int node, const char *prop)
{
    fdt_check(b, fdt_setprop_empty(b->fdt, node, prop), prop);
}

static void fdt_raw(FdtBuilder *b, int node, const char *prop, const void *val, int len)
{
    fdt_check(b, fdt_setprop(b->fdt, node, prop, val, len), prop);
}

/* An array of 32-bit cells (stored big-endian). */
static void fdt_cells(FdtBuilder *b, int node, const char *prop, const uint32_t *cells,
                      unsigned count)
{
    g_autofree fdt32_t *be = g_new(fdt32_t, count);

    for (unsigned i = 0; i < count; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    fdt_raw(b, node, prop, be, count * sizeof(fdt32_t));
}

/* reg = <base size> with two address and two size cells. */
static void fdt_reg(FdtBuilder *b, int node, hwaddr base, hwaddr size)
{
    uint32_t reg[] = { base >> 32, (uint32_t)base, size >> 32, (uint32_t)size };

    fdt_cells(b, node, "reg", reg, ARRAY_SIZE(reg));
}

static int fdt_soc_node(FdtBuilder *b, int soc, const char *name, hwaddr base)
{
    g_autofree char *node = g_strdup_printf("%s@%" PRIx64, name, base);

    return fdt_node(b, soc, node);
}

/*
 * libfdt inserts a node's new children and properties inside it, which moves
 * every node after that point: an offset stays valid only while nothing is
 * added before it, so each node is finished before the next one is added.
 */
static void virt_fdt_cpus(VirtMachineState *s, FdtBuilder *b, uint32_t *intc_phandles,
                          uint32_t *next_phandle)
{
    uint32_t cpu_phandles[HINTVM_MAX_CPUS];
    int cpus = fdt_node(b, 0, "cpus");
    int cpu_map, cluster;

    fdt_u32(b, cpus, "#address-cells", 1);
    fdt_u32(b, cpus, "#size-cells", 0);
    fdt_u32(b, cpus, "timebase-frequency", VIRT_TIMEBASE_FREQ);

    /* In reverse: a new node goes before its older siblings. */
    for (int i = s->num_harts - 1; i >= 0; i--) {
        g_autofree char *cpu_name = g_strdup_printf("cpu@%d", i);
        int cpu = fdt_node(b, cpus, cpu_name);
        int intc;

        cpu_phandles[i] = (*next_phandle)++;
        fdt_u32(b, cpu, "phandle", cpu_phandles[i]);
        fdt_str(b, cpu, "device_type", "cpu");
        fdt_u32(b, cpu, "reg", i);
        fdt_str(b, cpu, "status", "okay");
        fdt_str(b, cpu, "compatible", "riscv");
        fdt_str(b, cpu, "riscv,isa", riscv_cpu_isa_string(s->harts[i]));
        fdt_str(b, cpu, "mmu-type", "riscv,sv48");

        intc = fdt_node(b, cpu, "interrupt-controller");
        intc_phandles[i] = (*next_phandle)++;
        fdt_u32(b, intc, "#interrupt-cells", 1);
        fdt_empty(b, intc, "interrupt-controller");
        fdt_str(b, intc, "compatible", "riscv,cpu-intc");
        fdt_u32(b, intc, "phandle", intc_phandles[i]);
    }

    cpu_map = fdt_node(b, cpus, "cpu-map");
    cluster = fdt_node(b, cpu_map, "cluster0");
    for (int i = s->num_harts - 1; i >= 0; i--) {
        g_autofree char *core_name = g_strdup_printf("core%d", i);
        int core = fdt_node(b, cluster, core_name);

        fdt_u32(b, core, "cpu", cpu_phandles[i]);
    }
}

/* interrupts-extended = <intc[h] irq_a intc[h] irq_b> for every hart h. */
static void fdt_per_hart_irqs(VirtMachineState *s, FdtBuilder *b, int node,
                              const uint32_t *intc_phandles, uint32_t irq_a, uint32_t irq_b)
{
    g_autofree uint32_t *cells = g_new(uint32_t, s->num_harts * 4);

    for (int h = 0; h < s->num_harts; h++) {
        cells[h * 4 + 0] = intc_phandles[h];
        cells[h * 4 + 1] = irq_a;
        cells[h * 4 + 2] = intc_phandles[h];
        cells[h * 4 + 3] = irq_b;
    }
    fdt_cells(b, node, "interrupts-extended", cells, s->num_harts * 4);
}

static void fdt_irq_device(FdtBuilder *b, int node, uint32_t plic_phandle, int irq)
{
    if (irq) {
        fdt_u32(b, node, "interrupts", irq);
        fdt_u32(b, node, "interrupt-parent", plic_phandle);
    }
}

static void virt_fdt_soc(VirtMachineState *s, FdtBuilder *b, const uint32_t *intc_phandles,
                         uint32_t *next_phandle, uint32_t *test_phandle)
{
    static const char plic_compat[] = "sifive,plic-1.0.0\0riscv,plic0";
    static const char clint_compat[] = "sifive,clint0\0riscv,clint0";
    static const char test_compat[] = "sifive,test1\0sifive,test0\0syscon";
    uint32_t plic_phandle = (*next_phandle)++;
    int soc = fdt_node(b, 0, "soc");
    int node;

    fdt_u32(b, soc, "#address-cells", 2);
    fdt_u32(b, soc, "#size-cells", 2);
    fdt_str(b, soc, "compatible", "simple-bus");
    fdt_empty(b, soc, "ranges");

    /* Data-driven nodes first, newest first so they read in order. */
    for (int i = s->fdt_devices->len - 1; i >= 0; i--) {
        VirtFdtDevice *dev = &g_array_index(s->fdt_devices, VirtFdtDevice, i);

        node = fdt_soc_node(b, soc, dev->node_name, dev->base);
        fdt_irq_device(b, node, plic_phandle, dev->irq);
        fdt_reg(b, node, dev->base, dev->size);
        fdt_raw(b, node, "compatible", dev->compatible, dev->compatible_len);
    }

    node = fdt_soc_node(b, soc, "rtc", virt_memmap[VIRT_RTC].base);
    fdt_irq_device(b, node, plic_phandle, RTC_IRQ);
    fdt_reg(b, node, virt_memmap[VIRT_RTC].base, virt_memmap[VIRT_RTC].size);
    fdt_str(b, node, "compatible", "google,goldfish-rtc");

    node = fdt_soc_node(b, soc, "serial", virt_memmap[VIRT_UART0].base);
    fdt_irq_device(b, node, plic_phandle, UART0_IRQ);
    fdt_u32(b, node, "clock-frequency", VIRT_UART_CLOCK_FREQ);
    fdt_reg(b, node, virt_memmap[VIRT_UART0].base, virt_memmap[VIRT_UART0].size);
    fdt_str(b, node, "compatible", "ns16550a");

    *test_phandle = (*next_phandle)++;
    node = fdt_soc_node(b, soc, "test", virt_memmap[VIRT_TEST].base);
    fdt_u32(b, node, "phandle", *test_phandle);
    fdt_reg(b, node, virt_memmap[VIRT_TEST].base, virt_memmap[VIRT_TEST].size);
    fdt_raw(b, node, "compatible", test_compat, sizeof(test_compat));

    /* PLIC contexts: 2h is hart h's M-mode external interrupt, 2h+1 its S-mode one. */
    node = fdt_soc_node(b, soc, "plic", virt_memmap[VIRT_PLIC].base);
    fdt_u32(b, node, "phandle", plic_phandle);
    fdt_u32(b, node, "riscv,ndev", VIRT_IRQCHIP_NUM_SOURCES);
    fdt_reg(b, node, virt_memmap[VIRT_PLIC].base, virt_memmap[VIRT_PLIC].size);
    fdt_per_hart_irqs(s, b, node, intc_phandles, CPU_IRQ_M_EXT, CPU_IRQ_S_EXT);
    fdt_empty(b, node, "interrupt-controller");
    fdt_raw(b, node, "compatible", plic_compat, sizeof(plic_compat));
    fdt_u32(b, node, "#address-cells", 0);
    fdt_u32(b, node, "#interrupt-cells", 1);

    node = fdt_soc_node(b, soc, "clint", virt_memmap[VIRT_CLINT].base);
    fdt_per_hart_irqs(s, b, node, intc_phandles, CPU_IRQ_M_SOFT, CPU_IRQ_M_TIMER);
    fdt_reg(b, node, virt_memmap[VIRT_CLINT].base, virt_memmap[VIRT_CLINT].size);
    fdt_raw(b, node, "compatible", clint_compat, sizeof(clint_compat));
}

/* /poweroff and /reboot: syscon writes of the finisher's commands (Linux syscon-*). */
static void virt_fdt_syscon(FdtBuilder *b, const char *name, const char *compat,
                            uint32_t test_phandle, uint32_t value)
{
    int node = fdt_node(b, 0, name);

    fdt_u32(b, node, "value", value);
    fdt_u32(b, node, "offset", 0);
    fdt_u32(b, node, "regmap", test_phandle);
    fdt_str(b, node, "compatible", compat);
}

static bool fdt_builder_done(FdtBuilder *b, Error **errp)
{
    if (b->err) {
        error_setg(errp, "cannot build the device tree (at '%s'): %s", b->where,
                   fdt_strerror(b->err));
        return false;
    }
    return true;
}

static void *virt_create_fdt(VirtMachineState *s, Error **errp)
{
    FdtBuilder b = { .fdt = g_malloc0(VIRT_FDT_MAX_SIZE) };
    uint32_t intc_phandles[HINTVM_MAX_CPUS];
    uint32_t next_phandle = 1, test_phandle = 0;
    g_autofree char *mem_name = g_strdup_printf("memory@%" PRIx64,
                                                virt_memmap[VIRT_DRAM].base);
    int node;

    fdt_check(&b, fdt_create_empty_tree(b.fdt, VIRT_FDT_MAX_SIZE), "/");
    fdt_u32(&b, 0, "#address-cells", 2);
    fdt_u32(&b, 0, "#size-cells", 2);
    fdt_str(&b, 0, "compatible", "riscv-virtio");
    fdt_str(&b, 0, "model", "riscv-virtio,qemu");

    virt_fdt_cpus(s, &b, intc_phandles, &next_phandle);
    virt_fdt_soc(s, &b, intc_phandles, &next_phandle, &test_phandle);

    node = fdt_node(&b, 0, mem_name);
    fdt_str(&b, node, "device_type", "memory");
    fdt_reg(&b, node, virt_memmap[VIRT_DRAM].base, s->ms->ram_size);

    virt_fdt_syscon(&b, "reboot", "syscon-reboot", test_phandle, FINISHER_RESET);
    virt_fdt_syscon(&b, "poweroff", "syscon-poweroff", test_phandle, FINISHER_PASS);

    node = fdt_node(&b, 0, "chosen");
    fdt_str(&b, node, "stdout-path", "/soc/serial@10000000");

    if (!fdt_builder_done(&b, errp)) {
        g_free(b.fdt);
        return NULL;
    }
    return b.fdt;
}

/* -dtb FILE: the user's tree, with room for /chosen to be filled in. */
static void *virt_load_user_fdt(const char *filename, Error **errp)
{
    g_autofree uint8_t *data = NULL;
    size_t len;
    void *fdt;
    int ret;

    if (!load_file(filename, &data, &len, errp)) {
        return NULL;
    }
    if (len < sizeof(struct fdt_header) || fdt_check_header(data) != 0 ||
        fdt_totalsize(data) > len) {
        error_setg(errp, "-dtb '%s' is not a valid flattened device tree", filename);
        return NULL;
    }
    fdt = g_malloc0(len + VIRT_FDT_MAX_SIZE);
    ret = fdt_open_into(data, fdt, len + VIRT_FDT_MAX_SIZE);
    if (ret < 0) {
        error_setg(errp, "-dtb '%s': %s", filename, fdt_strerror(ret));
        g_free(fdt);
        return NULL;
    }
    return fdt;
}

/* /chosen: what the boot loader tells the kernel (Linux devicetree/usage-model). */
static bool virt_fdt_chosen(VirtMachineState *s, void *fdt, Error **errp)
{
    FdtBuilder b = { .fdt = fdt };
    MachineState *ms = s->ms;
    uint8_t rng_seed[32];
    int chosen = fdt_path_offset(fdt, "/chosen");

    if (chosen < 0) {
        chosen = fdt_node(&b, 0, "chosen");
    }
    /* Early entropy for the guest's RNG, as QEMU provides. */
    for (size_t i = 0; i < sizeof(rng_seed); i += 4) {
        uint32_t r = g_random_int();
        memcpy(rng_seed + i, &r, 4);
    }
    fdt_raw(&b, chosen, "rng-seed", rng_seed, sizeof(rng_seed));
    if (ms->kernel_cmdline && *ms->kernel_cmdline) {
        fdt_str(&b, chosen, "bootargs", ms->kernel_cmdline);
    }
    if (s->initrd_end > UINT32_MAX) {
        fdt_u64(&b, chosen, "linux,initrd-start", s->initrd_start);
        fdt_u64(&b, chosen, "linux,initrd-end", s->initrd_end);
    } else if (s->initrd_end) {
        /* One cell, as QEMU writes them; Linux reads either size. */
        fdt_u32(&b, chosen, "linux,initrd-start", s->initrd_start);
        fdt_u32(&b, chosen, "linux,initrd-end", s->initrd_end);
    }
    if (!fdt_builder_done(&b, errp) ||
        !virtio_mmio_fdt_populate(fdt, "/soc", 0, errp) ||
        !gpex_fdt_populate(fdt, "/soc", 0, errp)) {
        return false;
    }
    fdt_pack(fdt);
    return true;
}

static bool virt_dump_fdt(void *fdt, const char *filename, Error **errp)
{
    GError *gerr = NULL;

    if (!g_file_set_contents(filename, fdt, fdt_totalsize(fdt), &gerr)) {
        error_setg(errp, "could not write the device tree to '%s': %s", filename,
                   gerr->message);
        g_error_free(gerr);
        return false;
    }
    info_report("dtb dumped to %s. Exiting.", filename);
    return true;
}

/* ---- Devices ---- */

static bool virt_create_ram(MachineState *ms, Error **errp)
{
    hwaddr base = virt_memmap[VIRT_DRAM].base;

    if (ms->ram_size == 0 || ms->ram_size > VIRT_MAX_RAM_SIZE) {
        error_setg(errp, "invalid RAM size %" PRIu64 " MiB: the virt board supports "
                   "1 MiB to %" PRIu64 " GiB", ms->ram_size / MiB,
                   (uint64_t)(VIRT_MAX_RAM_SIZE / GiB));
        return false;
    }
    if (!memory_region_init_ram(&ms->ram, "riscv_virt_board.ram", ms->ram_size, errp)) {
        error_append_hint(errp, "The host could not reserve %" PRIu64 " MiB of address "
                          "space for guest RAM; try a smaller -m or check ulimit -v "
                          "and vm.overcommit_memory.\n", ms->ram_size / MiB);
        return false;
    }
    memory_region_add_subregion(base, &ms->ram);
    return true;
}

static bool virt_create_devices(VirtMachineState *s, Error **errp)
{
    qemu_irq pcie_irqs[GPEX_NUM_IRQS];
    MachineState *ms = s->ms;

    s->clint = riscv_aclint_create(virt_memmap[VIRT_CLINT].base, s->harts, s->num_harts,
                                   errp);
    if (!s->clint) {
        return false;
    }
    s->plic = sifive_plic_create(virt_memmap[VIRT_PLIC].base, s->harts, s->num_harts,
                                 VIRT_IRQCHIP_NUM_SOURCES, errp);
    if (!s->plic) {
        return false;
    }
    for (int i = 0; i < s->num_harts; i++) {
        s->harts[i]->env.time_source = riscv_aclint_read_mtime;
        s->harts[i]->env.time_opaque = s->clint;
    }
    s->uart0 = serial_mm_init(virt_memmap[VIRT_UART0].base,
                              sifive_plic_get_irq(s->plic, UART0_IRQ),
                              VIRT_UART_CLOCK_FREQ / 16, ms->serial[0]);
    s->rtc = goldfish_rtc_create(virt_memmap[VIRT_RTC].base,
                                 sifive_plic_get_irq(s->plic, RTC_IRQ));
    s->test = sifive_test_create(virt_memmap[VIRT_TEST].base);
    /* All transports exist, empty until -device plugs into them, as in QEMU. */
    for (int i = 0; i < VIRTIO_COUNT; i++) {
        virtio_mmio_create_empty(virt_memmap[VIRT_VIRTIO].base +
                                     i * virt_memmap[VIRT_VIRTIO].size,
                                 sifive_plic_get_irq(s->plic, VIRTIO_IRQ + i));
    }
    for (int i = 0; i < GPEX_NUM_IRQS; i++) {
        pcie_irqs[i] = sifive_plic_get_irq(s->plic, PCIE_IRQ + i);
    }
    if (!gpex_create(pcie_irqs, errp)) {
        return false;
    }
    if (s->firmware == RISCV_FIRMWARE_BUILTIN_SBI) {
        s->sbi = riscv_sbi_create(s->harts, s->num_harts, s->clint, ms->serial[0]);
    }
    return true;
}

/* ---- Boot ---- */

static bool virt_load_images(VirtMachineState *s, Error **errp)
{
    MachineState *ms = s->ms;
    hwaddr dram_base = virt_memmap[VIRT_DRAM].base;
    hwaddr dram_end = dram_base + ms->ram_size;
    hwaddr kernel_start, initrd_limit;

    s->firmware_end = dram_base;
    if (s->firmware == RISCV_FIRMWARE_FILE &&
        !riscv_load_firmware(ms->firmware, dram_base, ms->ram_size, &s->firmware_end,
                             errp)) {
        return false;
    }
    kernel_start = riscv_kernel_start_addr(s->firmware, dram_base, s->firmware_end);
    s->kernel = (RISCVKernelInfo) {
        .entry = kernel_start, .start = kernel_start, .end = kernel_start,
    };
    if (!ms->kernel_filename) {
        if (ms->initrd_filename) {
            error_setg(errp, "-initrd only allowed with -kernel option");
            return false;
        }
        if (ms->kernel_cmdline && *ms->kernel_cmdline) {
            error_setg(errp, "-append only allowed with -kernel option");
            return false;
        }
        return true;
    }
    if (!riscv_load_kernel(ms->kernel_filename, kernel_start, dram_base, dram_end,
                           &s->kernel, errp)) {
        return false;
    }
    s->has_kernel = true;
    if (ms->initrd_filename) {
        /* Below the device tree, whose final size is at most the build buffer. */
        initrd_limit = riscv_compute_fdt_addr(dram_base, ms->ram_size, VIRT_FDT_MAX_SIZE);
        if (!riscv_load_initrd(ms->initrd_filename, ms->ram_size, &s->kernel,
                               initrd_limit, &s->initrd_start, &s->initrd_end, errp)) {
            return false;
        }
    }
    return true;
}

static bool virt_place_fdt(VirtMachineState *s, Error **errp)
{
    MachineState *ms = s->ms;
    hwaddr dram_base = virt_memmap[VIRT_DRAM].base;
    uint32_t size = fdt_totalsize(s->fdt);

    s->fdt_addr = riscv_compute_fdt_addr(dram_base, ms->ram_size, size);
    if (s->fdt_addr < dram_base || s->fdt_addr < MAX(s->kernel.end, s->initrd_end)) {
        error_setg(errp, "no room for the %u-byte device tree above the kernel and "
                   "initrd (they end at 0x%" HWADDR_PRIx ")", size,
                   MAX(s->kernel.end, s->initrd_end));
        error_append_hint(errp, "Give the guest more memory with -m.\n");
        return false;
    }
    return rom_add_blob("device tree", s->fdt, size, s->fdt_addr, errp);
}

/*
 * Where each hart starts.  Built-in SBI: hart 0 in the boot ROM's hand-over
 * stub, the others powered off until SBI HSM hart_start.  Firmware file:
 * every hart in QEMU's reset vector, which enters the firmware.  -bios none:
 * every hart directly at the kernel (or RAM base) in M-mode.
 * a0 = hartid and a1 = the device tree in all cases.
 */
static bool virt_setup_harts(VirtMachineState *s, Error **errp)
{
    hwaddr dram_base = virt_memmap[VIRT_DRAM].base;
    uint64_t rom_entry = s->kernel.entry;
    uint64_t next_addr = s->kernel.entry;

    if (s->firmware == RISCV_FIRMWARE_FILE) {
        rom_entry = dram_base;
    }
    if (!riscv_setup_boot_rom(s->firmware, rom_entry, s->fdt_addr, next_addr, errp)) {
        return false;
    }
    for (int i = 0; i < s->num_harts; i++) {
        RISCVCPU *cpu = s->harts[i];

        cpu->reset_pc = s->firmware == RISCV_FIRMWARE_NONE ? s->kernel.entry :
                                                             RISCV_BOOT_ROM_BASE;
        cpu->reset_a0 = i;
        cpu->reset_a1 = s->fdt_addr;
        cpu->start_powered_off = s->firmware == RISCV_FIRMWARE_BUILTIN_SBI && i != 0;
        riscv_cpu_reset(cpu);
    }
    return true;
}

/* System reset: the pristine images back in memory, every hart from its start. */
static void virt_machine_reset(void *opaque)
{
    VirtMachineState *s = opaque;

    rom_reset();
    for (int i = 0; i < s->num_harts; i++) {
        riscv_cpu_reset(s->harts[i]);
    }
}

bool virt_machine_init(MachineState *ms, Error **errp)
{
    VirtMachineState *s = g_new0(VirtMachineState, 1);

    s->ms = ms;
    ms->board = s;
    s->fdt_devices = g_array_new(FALSE, TRUE, sizeof(VirtFdtDevice));
    s->firmware = riscv_firmware_kind(ms->firmware);

    if (ms->smp_cpus < 1 || ms->smp_cpus > HINTVM_MAX_CPUS) {
        error_setg(errp, "Invalid SMP CPUs %d. The max CPUs supported by machine 'virt' "
                   "is %d", ms->smp_cpus, HINTVM_MAX_CPUS);
        return false;
    }
    if (!virt_create_ram(ms, errp)) {
        return false;
    }

    s->num_harts = ms->smp_cpus;
    for (int i = 0; i < s->num_harts; i++) {
        s->harts[i] = riscv_cpu_create(i);
        if (!s->harts[i]) {
            error_setg(errp, "could not create hart %d", i);
            return false;
        }
        cpus_register(&s->harts[i]->parent_obj);
    }
    if (!virt_create_devices(s, errp) || !virt_load_images(s, errp)) {
        return false;
    }

    s->fdt = ms->dtb ? virt_load_user_fdt(ms->dtb, errp) : virt_create_fdt(s, errp);
    if (!s->fdt || !virt_fdt_chosen(s, s->fdt, errp) || !virt_place_fdt(s, errp) ||
        !virt_setup_harts(s, errp)) {
        return false;
    }
    if (ms->dumpdtb) {
        /* vl.c exits with status 0 once init returns. */
        return virt_dump_fdt(s->fdt, ms->dumpdtb, errp);
    }
    qemu_register_reset(virt_machine_reset, s);
    return true;
}

const MachineClass virt_machine_class = {
    .name = "virt",
    .desc = "RISC-V VirtIO board",
    .default_ram_size = 128 * MiB,
    .max_cpus = HINTVM_MAX_CPUS,
    .init = virt_machine_init,
};
