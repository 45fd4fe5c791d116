/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The destination the migration stream fuzzers load into
 * (docs/devel/fuzzing.rst): the virt board with a balloon, built as
 * `-M virt -accel qtest -incoming defer` builds it, whose devices a driver
 * has put into a used state (queues live, a buffer held, pages ballooned,
 * timers armed).  Its own save path writes the seed stream.
 *
 * Checking "a rejected stream leaves no half-loaded machine": the device
 * loader promises that nothing is written before the whole device part has
 * been read and dry-run parsed (docs/devel/migration/vmstate.rst).  A
 * sentinel section, registered first so that it is the first in the
 * stream, notes when the loader starts applying; a load that fails before
 * that must leave the saved device state byte for byte as it was.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/boards.h"
#include "hw/pci/pci.h"
#include "hw/qdev.h"
#include "hw/riscv/virt.h"
#include "hw/virtio/virtio-balloon.h"
#include "migration/misc.h"
#include "migration/qemu-file.h"
#include "migration/ram.h"
#include "migration/stream.h"
#include "migration/vmstate.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "sysemu/cpu-timers.h"
#include "sysemu/runstate.h"
#include "migration-fuzz.h"
#include "stream-mutate.h"

#define RAM_SIZE    (4 * MiB)
#define RAM_BASE    0x80000000ULL
#define RING(q)     (RAM_BASE + 0x100000 + (q) * 0x4000)
#define PFN_BUF     (RAM_BASE + 0x200000)
#define STATS_BUF   (RAM_BASE + 0x201000)
#define QSIZE       64

static GByteArray *seed;
static GByteArray *baseline;    /* device state right after loading the seed */
static uint64_t nr_rejected, nr_accepted;

/* ---- the sentinel ---- */

typedef struct SentinelInner {
    uint32_t value;
} SentinelInner;

typedef struct Sentinel {
    SentinelInner inner;
} Sentinel;

static Sentinel sentinel = { .inner.value = 0x5e17 };
static bool apply_started;

static bool sentinel_applied(void *opaque, int version_id, Error **errp)
{
    apply_started = true;
    return true;
}

/* Nested, because a nested post_load runs as its section is applied. */
static const VMStateDescription vmstate_sentinel_inner = {
    .name = "fuzz-sentinel-inner",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = sentinel_applied,
    .fields = (const VMStateField[]){
        VMSTATE_UINT32(value, SentinelInner),
        VMSTATE_END_OF_LIST(),
    },
};

static const VMStateDescription vmstate_sentinel = {
    .name = "fuzz-sentinel",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]){
        VMSTATE_STRUCT(inner, Sentinel, 0, vmstate_sentinel_inner, SentinelInner),
        VMSTATE_END_OF_LIST(),
    },
};

/* ---- the machine ---- */

static void write_desc(int q, uint64_t addr, uint32_t len)
{
    stq_le_phys(RING(q), addr);
    stl_le_phys(RING(q) + 8, len);
    stl_le_phys(RING(q) + 12, 0);
    stw_le_phys(RING(q) + 0x1000 + 4, 0);       /* avail ring[0] = descriptor 0 */
    stw_le_phys(RING(q) + 0x1000 + 2, 1);       /* avail idx */
}

/* What a guest driver leaves behind: three pages ballooned, a stats buffer held. */
static void drive_balloon(VirtIODevice *vdev)
{
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    g_assert_true(virtio_set_features(vdev, 1ULL << VIRTIO_F_VERSION_1 |
                                      1ULL << VIRTIO_BALLOON_F_STATS_VQ |
                                      1ULL << VIRTIO_RING_F_EVENT_IDX));
    virtio_set_status(vdev, vdev->status | VIRTIO_CONFIG_S_FEATURES_OK);
    for (int q = 0; q < 3; q++) {
        virtio_queue_set_size(vdev, q, QSIZE);
        virtio_queue_set_addrs(vdev, q, RING(q), RING(q) + 0x1000, RING(q) + 0x2000);
        virtio_queue_set_ready(vdev, q, true);
    }
    virtio_set_status(vdev, vdev->status | VIRTIO_CONFIG_S_DRIVER_OK);
    for (int i = 0; i < 3; i++) {
        stl_le_phys(PFN_BUF + 4 * i, ((RAM_BASE + 3 * MiB) >> 12) + 2 * i);
    }
    write_desc(0, PFN_BUF, 12);
    virtio_queue_notify(vdev, 0);
    write_desc(2, STATS_BUF, 10);
    virtio_queue_notify(vdev, 2);
    virtio_balloon_get()->num_pages = 100;
}

static void drive_devices(VirtMachineState *s)
{
    PCIDevice *dev = pci_bus_find_device(pci_get_root_bus(), 8);

    s->harts[1]->env.pc = 0x80200000;
    s->harts[1]->env.priv = PRV_S;
    qemu_clock_virtual_warp(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + 12345678);
    stq_le_phys(0x2000000 + 0x4000 + 8, 0x123456);      /* hart 1 mtimecmp */
    stl_le_phys(0xc000000 + 4 * 10, 5);                 /* PLIC priority 10 */
    if (dev) {
        /* The balloon's BAR mapped where a guest would map it. */
        pci_config_write(dev, PCI_BASE_ADDRESS_0 + 4 * 4, 0x40000000 | 0xc, 4);
        pci_config_write(dev, PCI_BASE_ADDRESS_0 + 4 * 5, 0, 4);
        pci_config_write(dev, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
    }
    drive_balloon(&virtio_balloon_get()->vdev);
}

static GByteArray *take_output(QEMUFile *f)
{
    GByteArray *bytes = g_byte_array_new();
    const uint8_t *data;
    size_t len;

    data = qemu_file_mem_data(f, &len);
    g_byte_array_append(bytes, data, len);
    qemu_fclose(f);
    return bytes;
}

static GByteArray *save_devices(void)
{
    QEMUFile *f = qemu_file_new_mem_output();

    g_assert_true(qemu_savevm_state_devices(f, &error_abort));
    return take_output(f);
}

/* The whole stream, as the source's last step writes it (vCPUs stopped). */
static GByteArray *save_stream(void)
{
    QEMUFile *f = qemu_file_new_mem_output();

    g_assert_true(ram_save_setup(&error_abort));
    migration_stream_put_start(f);
    g_assert_true(ram_save_complete(f));
    g_assert_true(migration_stream_put_end(f, true, &error_abort));
    ram_save_cleanup();
    return take_output(f);
}

/* As the incoming thread loads: without the BQL, which the device part takes. */
static bool load(const uint8_t *data, size_t len, Error **errp)
{
    QEMUFile *f = qemu_file_new_mem_input(data, len);
    bool running, ok;

    bql_unlock();
    ok = migration_stream_load(f, &running, errp);
    bql_lock();
    qemu_fclose(f);
    return ok;
}

void migration_fuzz_setup(const char *device)
{
    MachineState *ms = g_new0(MachineState, 1);
    g_autoptr(GByteArray) again = NULL;

    qemu_init_main_loop();          /* this thread holds the BQL from here on */
    qemu_clock_virtual_set_manual(true);
    ms->type = "virt";
    ms->ram_size = RAM_SIZE;
    ms->smp_cpus = 2;
    ms->qtest = true;
    current_machine = ms;
    vmstate_register(&vmstate_sentinel, 0, &sentinel);
    cpu_timers_init();
    g_assert_true(virt_machine_class.init(ms, &error_abort));
    g_assert_true(qdev_device_add(device, ms, &error_abort));
    g_assert_true(migration_incoming_init("defer", false, &error_abort));
    drive_devices(ms->board);
    seed = save_stream();

    g_assert_true(load(seed->data, seed->len, &error_abort));
    baseline = save_devices();
    /* Loading the seed changed nothing: the destination saves what it loaded. */
    again = save_devices();
    g_assert_cmpmem(again->data, again->len, baseline->data, baseline->len);
}

const GByteArray *migration_fuzz_seed(void)
{
    return seed;
}

void migration_fuzz_counts(uint64_t *rejected, uint64_t *accepted)
{
    *rejected = nr_rejected;
    *accepted = nr_accepted;
}

static void assert_baseline(const char *when)
{
    g_autoptr(GByteArray) now = save_devices();

    if (now->len != baseline->len || memcmp(now->data, baseline->data, now->len)) {
        g_error("the device state changed %s", when);
    }
}

bool migration_fuzz_run_one(const uint8_t *data, size_t len)
{
    g_autofree uint8_t *copy = g_memdup2(data, len);
    size_t name_len = strlen(vmstate_sentinel.name);
    StreamLayout layout;
    Error *err = NULL;
    bool ok, sentinel_first;

    /* Where the loader's first device section is, as the stream frames it. */
    stream_walk(copy, len, false, &layout);
    sentinel_first = !layout.first_section ||
                     (len - layout.first_section > name_len &&
                      copy[layout.first_section] == name_len &&
                      !memcmp(copy + layout.first_section + 1, vmstate_sentinel.name,
                              name_len));
    stream_layout_clear(&layout);

    apply_started = false;
    ok = load(data, len, &err);
    if (runstate_get() != RUN_STATE_INMIGRATE) {
        g_error("the load left the machine in run state '%s'",
                runstate_name(runstate_get()));
    }
    if (ok) {
        g_assert_null(err);
        nr_accepted++;
        /* What the destination accepted it can migrate on. */
        g_byte_array_unref(save_devices());
    } else {
        if (!err || !*error_get_pretty(err)) {
            g_error("a stream was rejected without a message");
        }
        nr_rejected++;
        if (!apply_started && sentinel_first) {
            assert_baseline("although the load failed before applying it");
        }
        error_free(err);
    }
    /* Whatever the input left behind, the seed loads over it. */
    g_assert_true(load(seed->data, seed->len, &error_abort));
    return ok;
}
