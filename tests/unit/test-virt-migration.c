/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The virt board's device state between two processes: a source builds the
 * board with a balloon (virtio-mmio or virtio-pci), puts every device into a
 * state a running guest could leave it in, and saves the device part of the
 * stream to a file; a destination built from the same configuration loads it,
 * behaves as the source did (registers, mapped BARs, held buffers, ballooned
 * pages, mtime), and saving it again gives the very same bytes.  A
 * destination with another configuration refuses the stream, naming the
 * section.  Each side runs in its own subprocess, as the board's devices live
 * for the whole process.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/boards.h"
#include "hw/char/serial.h"
#include "hw/intc/riscv_aclint.h"
#include "hw/intc/sifive_plic.h"
#include "hw/pci/pci.h"
#include "hw/qdev.h"
#include "hw/riscv/virt.h"
#include "hw/virtio/virtio-balloon.h"
#include "hw/virtio/virtio-pci.h"
#include "migration/vmstate.h"
#include "qemu/bitops.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "sysemu/cpu-timers.h"

#define RAM_SIZE        (64 * MiB)
#define RAM_BASE        0x80000000ULL
/* Rings of the three balloon queues, and the buffers, in guest RAM. */
#define RING(q)         (RAM_BASE + 0x100000 + (q) * 0x4000)
#define DESC(q)         RING(q)
#define AVAIL(q)        (RING(q) + 0x1000)
#define USED(q)         (RING(q) + 0x2000)
#define PFN_BUF         (RAM_BASE + 0x200000)
#define STATS_BUF       (RAM_BASE + 0x201000)
#define QSIZE           64
#define BAR_ADDR        0x40000000ULL
/* The part of RAM the test's driver used: the RAM migration's job, done by hand. */
#define USED_RAM        (RAM_BASE + 1 * MiB)
#define USED_RAM_SIZE   (2 * MiB)
#define SERIAL_SCR      (0x10000000 + 7)
#define SERIAL_IER      (0x10000000 + 1)

static const char *stream_path(void)
{
    return g_getenv("VIRT_MIGRATION_STREAM");
}

static char *ram_path(void)
{
    return g_strconcat(stream_path(), ".ram", NULL);
}

static void *ram_ptr(hwaddr addr)
{
    return (uint8_t *)memory_region_get_ram_ptr(&current_machine->ram) + (addr - RAM_BASE);
}

static void mmio_write(hwaddr addr, uint64_t val, unsigned size)
{
    hwaddr offset;
    MemoryRegion *mr = address_space_lookup(addr, &offset);

    g_assert_nonnull(mr);
    g_assert_cmpint(memory_region_dispatch_write(mr, offset, val, size), ==, MEMTX_OK);
}

static uint64_t mmio_read(hwaddr addr, unsigned size)
{
    uint64_t val = 0;
    hwaddr offset;
    MemoryRegion *mr = address_space_lookup(addr, &offset);

    g_assert_nonnull(mr);
    g_assert_cmpint(memory_region_dispatch_read(mr, offset, &val, size), ==, MEMTX_OK);
    return val;
}

static VirtMachineState *build_machine(uint64_t ram_size, const char *device)
{
    MachineState *ms = g_new0(MachineState, 1);

    qemu_init_main_loop();          /* this thread holds the BQL from here on */
    qemu_clock_virtual_set_manual(true);
    ms->type = "virt";
    ms->ram_size = ram_size;
    ms->smp_cpus = 2;
    ms->qtest = true;
    current_machine = ms;
    cpu_timers_init();
    g_assert_true(virt_machine_class.init(ms, &error_abort));
    if (device) {
        g_assert_true(qdev_device_add(device, ms, &error_abort));
    }
    return ms->board;
}

static void write_desc(int q, int i, uint64_t addr, uint32_t len, uint16_t flags)
{
    stq_le_phys(DESC(q) + 16 * i, addr);
    stl_le_phys(DESC(q) + 16 * i + 8, len);
    stw_le_phys(DESC(q) + 16 * i + 12, flags);
    stw_le_phys(DESC(q) + 16 * i + 14, 0);
}

static void make_available(int q, uint16_t idx, uint16_t head)
{
    stw_le_phys(AVAIL(q) + 4 + 2 * (idx % QSIZE), head);
    stw_le_phys(AVAIL(q) + 2, idx + 1);
}

/* What a driver leaves behind: queues live, 3 pages ballooned, a stats buffer held. */
static void drive_balloon(VirtIOBalloon *b)
{
    VirtIODevice *vdev = &b->vdev;

    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    g_assert_true(virtio_set_features(vdev, 1ULL << VIRTIO_F_VERSION_1 |
                                      1ULL << VIRTIO_BALLOON_F_STATS_VQ |
                                      1ULL << VIRTIO_RING_F_EVENT_IDX));
    virtio_set_status(vdev, vdev->status | VIRTIO_CONFIG_S_FEATURES_OK);
    for (int q = 0; q < 3; q++) {
        virtio_queue_set_size(vdev, q, QSIZE);
        virtio_queue_set_addrs(vdev, q, DESC(q), AVAIL(q), USED(q));
        virtio_queue_set_ready(vdev, q, true);
    }
    virtio_set_status(vdev, vdev->status | VIRTIO_CONFIG_S_DRIVER_OK);

    for (int i = 0; i < 3; i++) {
        stl_le_phys(PFN_BUF + 4 * i, ((RAM_BASE + 8 * MiB) >> 12) + 2 * i);
    }
    write_desc(0, 0, PFN_BUF, 12, 0);
    make_available(0, 0, 0);
    virtio_queue_notify(vdev, 0);
    g_assert_cmpuint(b->ballooned_pages, ==, 3);

    write_desc(2, 0, STATS_BUF, 10, 0);
    make_available(2, 0, 0);
    virtio_queue_notify(vdev, 2);
    g_assert_nonnull(b->stats_vq_elem);
    virtio_balloon_get()->num_pages = 100;
}

/* Every device in a state of its own, as the source leaves it. */
static void drive_devices(VirtMachineState *s, bool pci)
{
    RISCVCPU *cpu = s->harts[1];

    mmio_write(SERIAL_SCR, 0x5a, 1);
    mmio_write(SERIAL_IER, 0x05, 1);
    mmio_write(0xc000000 + 4 * 10, 5, 4);                   /* PLIC priority 10 */
    mmio_write(0x2000000 + 0x4000 + 8, 0x123456, 8);        /* hart 1 mtimecmp */
    qemu_clock_virtual_warp(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + 12345678);
    cpu->env.pc = 0x80200000;
    cpu->env.gpr[5] = 0xdeadbeef;
    cpu->env.satp = 8ULL << 60 | 0x81234;
    cpu->env.priv = PRV_S;
    cpu->powered_off = false;
    if (pci) {
        PCIDevice *dev = pci_bus_find_device(pci_get_root_bus(), 8);

        g_assert_nonnull(dev);
        pci_config_write(dev, PCI_BASE_ADDRESS_0 + 4 * 4, BAR_ADDR | 0xc, 4);
        pci_config_write(dev, PCI_BASE_ADDRESS_0 + 4 * 5, 0, 4);
        pci_config_write(dev, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
        pci_config_write(dev, PCI_INTERRUPT_LINE, 33, 1);
    } else {
        mmio_write(0x10008000 + 0x30, 5, 4);        /* slot 7 QueueSel: no such queue */
    }
    drive_balloon(virtio_balloon_get());
}

static GByteArray *save_devices(void)
{
    QEMUFile *out = qemu_file_new_mem_output();
    GByteArray *bytes = g_byte_array_new();
    const uint8_t *data;
    size_t len;

    g_assert_true(qemu_savevm_state_devices(out, &error_abort));
    data = qemu_file_mem_data(out, &len);
    g_byte_array_append(bytes, data, len);
    qemu_fclose(out);
    return bytes;
}

static void run_source(gconstpointer device)
{
    g_autoptr(GByteArray) bytes = NULL;
    g_autofree char *path = ram_path();
    VirtMachineState *s;

    if (!g_test_subprocess()) {
        return;
    }
    s = build_machine(RAM_SIZE, device);
    drive_devices(s, strstr(device, "pci") != NULL);
    bytes = save_devices();
    /* Saving left the source as it was: it holds its stats buffer again. */
    g_assert_nonnull(virtio_balloon_get()->stats_vq_elem);
    g_assert_true(g_file_set_contents(stream_path(), (char *)bytes->data, bytes->len,
                                      NULL));
    g_assert_true(g_file_set_contents(path, ram_ptr(USED_RAM), USED_RAM_SIZE, NULL));
}

static bool load_stream(GByteArray *stream, Error **errp)
{
    QEMUFile *in = qemu_file_new_mem_input(stream->data, stream->len);
    bool ok;

    ok = qemu_loadvm_state_devices(in, errp);
    qemu_fclose(in);
    return ok;
}

/* RAM arrives before the devices (their post_load may read rings). */
static GByteArray *read_stream(void)
{
    g_autofree char *data = NULL, *ram = NULL, *path = ram_path();
    gsize len;

    if (g_file_get_contents(path, &ram, &len, NULL)) {
        g_assert_cmpuint(len, ==, USED_RAM_SIZE);
        memcpy(ram_ptr(USED_RAM), ram, len);
    }

    g_assert_true(g_file_get_contents(stream_path(), &data, &len, NULL));
    return g_byte_array_new_take((guint8 *)g_steal_pointer(&data), len);
}

static void run_destination(gconstpointer device)
{
    g_autoptr(GByteArray) stream = NULL, again = NULL;
    VirtIOBalloon *b;
    VirtMachineState *s;
    hwaddr offset;

    if (!g_test_subprocess()) {
        return;
    }
    s = build_machine(RAM_SIZE, device);
    stream = read_stream();
    g_assert_true(load_stream(stream, &error_abort));
    /* Nothing was lost or invented: the destination saves the same bytes. */
    again = save_devices();
    g_assert_cmpuint(again->len, ==, stream->len);
    g_assert_true(memcmp(again->data, stream->data, stream->len) == 0);

    b = virtio_balloon_get();
    g_assert_cmphex(mmio_read(SERIAL_SCR, 1), ==, 0x5a);
    g_assert_cmphex(mmio_read(SERIAL_IER, 1), ==, 0x05);
    g_assert_cmpuint(mmio_read(0xc000000 + 4 * 10, 4), ==, 5);
    g_assert_cmphex(mmio_read(0x2000000 + 0x4000 + 8, 8), ==, 0x123456);
    g_assert_cmpuint(s->harts[1]->env.gpr[5], ==, 0xdeadbeef);
    g_assert_false(s->harts[1]->powered_off);
    g_assert_cmpuint(b->ballooned_pages, ==, 3);
    g_assert_true(test_bit(8 * MiB / 4096 + 4, b->ballooned));
    g_assert_cmpuint(b->num_pages, ==, 100);
    /* The destination holds the driver's stats buffer, as the source did. */
    g_assert_nonnull(b->stats_vq_elem);
    if (strstr(device, "pci")) {
        MemoryRegion *mr = address_space_lookup(BAR_ADDR, &offset);

        g_assert_nonnull(mr);
        g_assert_cmpstr(mr->name, ==, "virtio-pci");
    } else {
        /* QueueSel travelled: QueueNumMax reads 0 for the selected queue 5. */
        g_assert_cmpuint(mmio_read(0x10008000 + 0x34, 4), ==, 0);
        mmio_write(0x10008000 + 0x30, 0, 4);
        g_assert_cmpuint(mmio_read(0x10008000 + 0x34, 4), ==, 128);
    }

}

/* Another machine: more RAM (so another ballooned bitmap), or no balloon. */
static void run_mismatch(gconstpointer expected)
{
    g_autoptr(GByteArray) stream = NULL;
    Error *err = NULL;

    if (!g_test_subprocess()) {
        return;
    }
    if (strstr(expected, "Unknown")) {
        build_machine(RAM_SIZE, NULL);
    } else {
        build_machine(2 * RAM_SIZE, "virtio-balloon-device");
    }
    stream = read_stream();
    g_assert_false(load_stream(stream, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), expected));
    error_free(err);
}

static void migrate(const char *name, const char *device, const char *mismatch)
{
    g_autofree char *dir = g_dir_make_tmp("test-virt-migration-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "stream", NULL);
    g_autofree char *src = g_strdup_printf("/virt-migration/%s/source", name);
    g_autofree char *dst = g_strdup_printf("/virt-migration/%s/destination", name);
    g_autofree char *bad = g_strdup_printf("/virt-migration/%s/mismatch", name);

    g_setenv("VIRT_MIGRATION_STREAM", path, TRUE);
    g_test_trap_subprocess(src, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
    g_test_trap_subprocess(dst, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
    if (mismatch) {
        g_test_trap_subprocess(bad, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
        g_test_trap_assert_passed();
    }
    unlink(path);
    g_autofree char *ram = g_strconcat(path, ".ram", NULL);
    unlink(ram);
    rmdir(dir);
}

static void test_mmio(void)
{
    migrate("mmio", "virtio-balloon-device", "bitmap");
}

static void test_pci(void)
{
    migrate("pci", "virtio-balloon-pci", "Unknown");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virt-migration/mmio", test_mmio);
    g_test_add_func("/virt-migration/pci", test_pci);
    /* The sides, run only as subprocesses of the two tests above. */
    g_test_add_data_func("/virt-migration/mmio/source", "virtio-balloon-device",
                         run_source);
    g_test_add_data_func("/virt-migration/mmio/destination", "virtio-balloon-device",
                         run_destination);
    g_test_add_data_func("/virt-migration/mmio/mismatch",
                         "section 'virtio-balloon' instance 0:", run_mismatch);
    g_test_add_data_func("/virt-migration/pci/source", "virtio-balloon-pci", run_source);
    g_test_add_data_func("/virt-migration/pci/destination", "virtio-balloon-pci",
                         run_destination);
    g_test_add_data_func("/virt-migration/pci/mismatch",
                         "Unknown savevm section or instance", run_mismatch);
    return g_test_run();
}
