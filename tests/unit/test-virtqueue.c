/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio core: split virtqueue parsing on guest RAM (virtio 1.x section 2.7).
 * Valid direct and indirect chains become the right iovecs; every malformed
 * chain (loop, index out of range, buffer outside RAM, wrapping length,
 * readable after writable, bad indirect tables) marks the device broken with
 * NEEDS_RESET and a config interrupt instead of being followed.  Also: used
 * ring contents, EVENT_IDX and NO_INTERRUPT suppression, IOThread handlers.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/virtio/virtio.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "sysemu/iothread.h"
#include "vmstate-round-trip.h"

#define RAM_BASE    0x80000000ULL
#define RAM_SIZE    (1 * MiB)
#define QSIZE       16

#define DESC_ADDR   (RAM_BASE + 0x0000)
#define AVAIL_ADDR  (RAM_BASE + 0x1000)
#define USED_ADDR   (RAM_BASE + 0x2000)
#define INDIR_ADDR  (RAM_BASE + 0x3000)
#define BUF_ADDR    (RAM_BASE + 0x10000)

#define F_NEXT      1
#define F_WRITE     2
#define F_INDIRECT  4

static MemoryRegion ram;
static VirtIODevice vdev;
static VirtQueue *vq;
static int queue_notifies, config_notifies;
static uint16_t avail_idx;

static void fake_notify_queue(void *transport, int n)
{
    g_assert(bql_locked());
    queue_notifies++;
}

static void fake_notify_config(void *transport)
{
    g_assert(bql_locked());
    config_notifies++;
}

static const VirtioBusOps fake_bus = {
    .notify_queue = fake_notify_queue,
    .notify_config = fake_notify_config,
};

static const VirtIODeviceOps fake_ops = { 0 };

/*
 * A device in DRIVER_OK with one ready queue of QSIZE entries.  Each test
 * leaves its device behind; the next setup() (or main) frees it.
 */
static void setup(uint64_t features)
{
    memset(memory_region_get_ram_ptr(&ram), 0, RAM_SIZE);
    virtio_cleanup(&vdev);
    memset(&vdev, 0, sizeof(vdev));
    virtio_init(&vdev, "test-virtio", 5, 8, &fake_ops);
    vq = virtio_add_queue(&vdev, QSIZE, NULL);
    virtio_bind_transport(&vdev, &fake_bus, NULL);
    g_assert_true(virtio_set_features(&vdev, features | (1ULL << VIRTIO_F_VERSION_1)));
    virtio_set_status(&vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
                      VIRTIO_CONFIG_S_FEATURES_OK);
    virtio_queue_set_size(&vdev, 0, QSIZE);
    virtio_queue_set_addrs(&vdev, 0, DESC_ADDR, AVAIL_ADDR, USED_ADDR);
    virtio_queue_set_ready(&vdev, 0, true);
    virtio_set_status(&vdev, vdev.status | VIRTIO_CONFIG_S_DRIVER_OK);
    queue_notifies = config_notifies = 0;
    avail_idx = 0;
}

static void write_desc(hwaddr table, int i, uint64_t addr, uint32_t len, uint16_t flags,
                       uint16_t next)
{
    stq_le_phys(table + 16 * i, addr);
    stl_le_phys(table + 16 * i + 8, len);
    stw_le_phys(table + 16 * i + 12, flags);
    stw_le_phys(table + 16 * i + 14, next);
}

/* The driver side of section 2.7.13: ring entry, then (after a barrier) idx. */
static void make_available(uint16_t head)
{
    stw_le_phys(AVAIL_ADDR + 4 + 2 * (avail_idx % QSIZE), head);
    avail_idx++;
    stw_le_phys(AVAIL_ADDR + 2, avail_idx);
}

static void *host(hwaddr addr)
{
    return (uint8_t *)memory_region_get_ram_ptr(&ram) + (addr - RAM_BASE);
}

static void assert_broken(void)
{
    g_assert_true(vdev.broken);
    g_assert_cmphex(vdev.status & VIRTIO_CONFIG_S_NEEDS_RESET, ==,
                    VIRTIO_CONFIG_S_NEEDS_RESET);
    g_assert_cmpint(config_notifies, ==, 1);
    g_assert_cmphex(vdev.isr & 2, ==, 2);
    /* A broken device ignores its queues until reset. */
    g_assert_null(virtqueue_pop(vq));
}

static void expect_malformed(void)
{
    g_assert_null(virtqueue_pop(vq));
    assert_broken();
}

static void test_direct_chain(void)
{
    g_autofree VirtQueueElement *elem = NULL;

    setup(0);
    write_desc(DESC_ADDR, 0, BUF_ADDR, 16, F_NEXT, 3);
    write_desc(DESC_ADDR, 3, BUF_ADDR + 0x100, 8, F_NEXT, 5);
    write_desc(DESC_ADDR, 5, BUF_ADDR + 0x1000, 64, F_WRITE, 0);
    make_available(0);
    g_assert_false(virtio_queue_empty(vq));

    elem = virtqueue_pop(vq);
    g_assert_nonnull(elem);
    g_assert_cmpuint(elem->index, ==, 0);
    g_assert_cmpuint(elem->out_num, ==, 2);
    g_assert_cmpuint(elem->in_num, ==, 1);
    g_assert_true(elem->out_sg[0].iov_base == host(BUF_ADDR));
    g_assert_cmpuint(elem->out_sg[0].iov_len, ==, 16);
    g_assert_true(elem->out_sg[1].iov_base == host(BUF_ADDR + 0x100));
    g_assert_true(elem->in_sg[0].iov_base == host(BUF_ADDR + 0x1000));
    g_assert_cmpuint(elem->in_sg[0].iov_len, ==, 64);
    g_assert_cmphex(elem->in_addr[0], ==, BUF_ADDR + 0x1000);
    g_assert_true(virtio_queue_empty(vq));
    g_assert_null(virtqueue_pop(vq));

    /* Used ring: element {id 0, len 40}, then idx 1 (section 2.7.8). */
    virtqueue_push(vq, elem, 40);
    g_assert_cmpuint(lduw_le_phys(USED_ADDR + 2), ==, 1);
    g_assert_cmpuint(ldl_le_phys(USED_ADDR + 4), ==, 0);
    g_assert_cmpuint(ldl_le_phys(USED_ADDR + 8), ==, 40);
    virtio_notify(&vdev, vq);
    g_assert_cmpint(queue_notifies, ==, 1);
    g_assert_cmphex(vdev.isr & 1, ==, 1);
    g_assert_false(vdev.broken);
}

static void test_unpop(void)
{
    g_autofree VirtQueueElement *first = NULL;
    g_autofree VirtQueueElement *again = NULL;

    setup(0);
    write_desc(DESC_ADDR, 2, BUF_ADDR, 4, 0, 0);
    make_available(2);
    first = virtqueue_pop(vq);
    g_assert_nonnull(first);
    virtqueue_unpop(vq, first);
    again = virtqueue_pop(vq);
    g_assert_nonnull(again);
    g_assert_cmpuint(again->index, ==, 2);
}

static void test_no_interrupt_flag(void)
{
    g_autofree VirtQueueElement *elem = NULL;

    setup(0);
    write_desc(DESC_ADDR, 0, BUF_ADDR, 4, F_WRITE, 0);
    make_available(0);
    stw_le_phys(AVAIL_ADDR, 1);     /* VRING_AVAIL_F_NO_INTERRUPT */
    elem = virtqueue_pop(vq);
    virtqueue_push(vq, elem, 4);
    virtio_notify(&vdev, vq);
    g_assert_cmpint(queue_notifies, ==, 0);
}

static void test_indirect_chain(void)
{
    g_autofree VirtQueueElement *elem = NULL;

    setup(1ULL << VIRTIO_RING_F_INDIRECT_DESC);
    write_desc(INDIR_ADDR, 0, BUF_ADDR, 4, F_NEXT, 2);
    write_desc(INDIR_ADDR, 2, BUF_ADDR + 0x10, 4, F_WRITE | F_NEXT, 1);
    write_desc(INDIR_ADDR, 1, BUF_ADDR + 0x20, 4096, F_WRITE, 0);
    write_desc(DESC_ADDR, 7, INDIR_ADDR, 3 * 16, F_INDIRECT, 0);
    make_available(7);
    elem = virtqueue_pop(vq);
    g_assert_nonnull(elem);
    g_assert_cmpuint(elem->index, ==, 7);
    g_assert_cmpuint(elem->out_num, ==, 1);
    g_assert_cmpuint(elem->in_num, ==, 2);
    g_assert_true(elem->in_sg[1].iov_base == host(BUF_ADDR + 0x20));
    g_assert_cmpuint(elem->in_sg[1].iov_len, ==, 4096);
    g_assert_false(vdev.broken);
}

static void test_indirect_not_negotiated(void)
{
    setup(0);
    write_desc(INDIR_ADDR, 0, BUF_ADDR, 4, 0, 0);
    write_desc(DESC_ADDR, 0, INDIR_ADDR, 16, F_INDIRECT, 0);
    make_available(0);
    expect_malformed();
}

static void test_indirect_bad_length(void)
{
    setup(1ULL << VIRTIO_RING_F_INDIRECT_DESC);
    write_desc(DESC_ADDR, 0, INDIR_ADDR, 20, F_INDIRECT, 0);
    make_available(0);
    expect_malformed();
}

static void test_indirect_nested(void)
{
    setup(1ULL << VIRTIO_RING_F_INDIRECT_DESC);
    write_desc(INDIR_ADDR, 0, INDIR_ADDR + 0x100, 16, F_INDIRECT, 0);
    write_desc(DESC_ADDR, 0, INDIR_ADDR, 16, F_INDIRECT, 0);
    make_available(0);
    expect_malformed();
}

static void test_indirect_with_next(void)
{
    setup(1ULL << VIRTIO_RING_F_INDIRECT_DESC);
    write_desc(INDIR_ADDR, 0, BUF_ADDR, 4, 0, 0);
    write_desc(DESC_ADDR, 0, INDIR_ADDR, 16, F_INDIRECT | F_NEXT, 1);
    write_desc(DESC_ADDR, 1, BUF_ADDR, 4, 0, 0);
    make_available(0);
    expect_malformed();
}

static void test_indirect_loop(void)
{
    setup(1ULL << VIRTIO_RING_F_INDIRECT_DESC);
    write_desc(INDIR_ADDR, 0, BUF_ADDR, 4, F_NEXT, 1);
    write_desc(INDIR_ADDR, 1, BUF_ADDR, 4, F_NEXT, 0);
    write_desc(DESC_ADDR, 0, INDIR_ADDR, 32, F_INDIRECT, 0);
    make_available(0);
    expect_malformed();
}

static void test_loop(void)
{
    setup(0);
    write_desc(DESC_ADDR, 0, BUF_ADDR, 4, F_NEXT, 1);
    write_desc(DESC_ADDR, 1, BUF_ADDR + 4, 4, F_NEXT, 0);
    make_available(0);
    expect_malformed();
}

static void test_next_out_of_range(void)
{
    setup(0);
    write_desc(DESC_ADDR, 0, BUF_ADDR, 4, F_NEXT, QSIZE);
    make_available(0);
    expect_malformed();
}

static void test_head_out_of_range(void)
{
    setup(0);
    make_available(QSIZE + 3);
    expect_malformed();
}

static void test_avail_idx_too_far(void)
{
    setup(0);
    stw_le_phys(AVAIL_ADDR + 2, QSIZE + 1);
    expect_malformed();
}

static void test_buffer_outside_ram(void)
{
    setup(0);
    write_desc(DESC_ADDR, 0, 0x1000, 64, 0, 0);   /* no RAM there */
    make_available(0);
    expect_malformed();
}

static void test_buffer_past_end_of_ram(void)
{
    setup(0);
    write_desc(DESC_ADDR, 0, RAM_BASE + RAM_SIZE - 8, 16, F_WRITE, 0);
    make_available(0);
    expect_malformed();
}

static void test_length_wraps(void)
{
    setup(0);
    write_desc(DESC_ADDR, 0, 0xfffffffffffffff0ULL, 0x100, 0, 0);
    make_available(0);
    expect_malformed();
}

static void test_readable_after_writable(void)
{
    setup(0);
    write_desc(DESC_ADDR, 0, BUF_ADDR, 4, F_WRITE | F_NEXT, 1);
    write_desc(DESC_ADDR, 1, BUF_ADDR + 8, 4, 0, 0);
    make_available(0);
    expect_malformed();
}

static void test_rings_outside_ram(void)
{
    setup(0);
    virtio_queue_set_addrs(&vdev, 0, 0x1000, AVAIL_ADDR, USED_ADDR);
    write_desc(DESC_ADDR, 0, BUF_ADDR, 4, 0, 0);
    make_available(0);
    expect_malformed();
}

static void test_reset_clears_broken(void)
{
    g_autofree VirtQueueElement *elem = NULL;

    test_loop();
    virtio_reset(&vdev);
    g_assert_false(vdev.broken);
    g_assert_cmpuint(vdev.status, ==, 0);
    g_assert_cmpuint(vdev.isr, ==, 0);
    g_assert_cmphex(vdev.guest_features, ==, 0);
    g_assert_false(virtio_queue_get_ready(&vdev, 0));

    /* Driver sets the queue up again: a good chain works. */
    memset(memory_region_get_ram_ptr(&ram), 0, RAM_SIZE);
    virtio_set_features(&vdev, 1ULL << VIRTIO_F_VERSION_1);
    virtio_queue_set_addrs(&vdev, 0, DESC_ADDR, AVAIL_ADDR, USED_ADDR);
    virtio_queue_set_ready(&vdev, 0, true);
    avail_idx = 0;
    write_desc(DESC_ADDR, 0, BUF_ADDR, 4, 0, 0);
    make_available(0);
    elem = virtqueue_pop(vq);
    g_assert_nonnull(elem);
}

/* Section 2.7.10: interrupt only when used idx passes used_event. */
static void test_event_idx(void)
{
    setup(1ULL << VIRTIO_RING_F_EVENT_IDX);
    for (int i = 0; i < 8; i++) {
        write_desc(DESC_ADDR, i, BUF_ADDR + 16 * i, 16, F_WRITE, 0);
        make_available(i);
    }
    stw_le_phys(AVAIL_ADDR + 4 + 2 * QSIZE, 0);     /* used_event = 0 */
    for (int i = 0; i < 8; i++) {
        g_autofree VirtQueueElement *elem = virtqueue_pop(vq);

        g_assert_nonnull(elem);
        /* avail_event follows our position (section 2.7.10). */
        g_assert_cmpuint(lduw_le_phys(USED_ADDR + 4 + 8 * QSIZE), ==, i + 1);
        virtqueue_push(vq, elem, 16);
        virtio_notify(&vdev, vq);
        if (i == 0) {
            /* used idx 0 -> 1 passes used_event 0. */
            g_assert_cmpint(queue_notifies, ==, 1);
            stw_le_phys(AVAIL_ADDR + 4 + 2 * QSIZE, 5);
        } else if (i < 5) {
            g_assert_cmpint(queue_notifies, ==, 1);
        } else if (i == 5) {
            /* used idx 5 -> 6 passes used_event 5. */
            g_assert_cmpint(queue_notifies, ==, 2);
        } else {
            g_assert_cmpint(queue_notifies, ==, 2);
        }
    }
    g_assert_cmpuint(lduw_le_phys(USED_ADDR + 2), ==, 8);
}

/* ---- IOThread handlers ---- */

static int handler_runs;

static void iothread_handler(VirtIODevice *dev, VirtQueue *q)
{
    VirtQueueElement *elem;

    g_assert_false(bql_locked());
    __atomic_add_fetch(&handler_runs, 1, __ATOMIC_SEQ_CST);
    while ((elem = virtqueue_pop(q))) {
        virtqueue_push(q, elem, 0);
        g_free(elem);
    }
    virtio_notify(dev, q);
}

/* The device of setup(), its queue handled on @iothread instead. */
static void setup_iothread_queue(IOThread *iothread)
{
    setup(0);
    virtio_del_queue(&vdev, 0);
    vq = virtio_add_queue(&vdev, QSIZE, iothread_handler);
    virtio_queue_set_size(&vdev, 0, QSIZE);
    virtio_queue_set_addrs(&vdev, 0, DESC_ADDR, AVAIL_ADDR, USED_ADDR);
    virtio_queue_set_ready(&vdev, 0, true);
    virtio_queue_set_iothread(vq, iothread);
}

static void test_iothread(void)
{
    IOThread *iothread = iothread_create("vq-io", &error_abort);
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    setup_iothread_queue(iothread);
    for (int i = 0; i < 3; i++) {
        write_desc(DESC_ADDR, i, BUF_ADDR, 4, 0, 0);
        make_available(i);
    }
    /* Kicks come from a vCPU holding the BQL (the transport's MMIO write). */
    bql_lock();
    for (int i = 0; i < 3; i++) {
        virtio_queue_notify(&vdev, 0);
    }
    bql_unlock();
    while (lduw_le_phys(USED_ADDR + 2) != 3 && g_get_monotonic_time() < deadline) {
        g_usleep(1000);
    }
    while (__atomic_load_n(&handler_runs, __ATOMIC_SEQ_CST) < 1 &&
           g_get_monotonic_time() < deadline) {
        g_usleep(1000);
    }
    g_usleep(20000);
    bql_lock();
    g_assert_cmpuint(lduw_le_phys(USED_ADDR + 2), ==, 3);
    g_assert_cmpint(__atomic_load_n(&handler_runs, __ATOMIC_SEQ_CST), >=, 1);
    g_assert_cmpint(__atomic_load_n(&handler_runs, __ATOMIC_SEQ_CST), <=, 3);
    g_assert_cmpint(queue_notifies, >=, 1);
    bql_unlock();
}

/* ---- migration of the core's state ---- */

/* A destination device as its machine creates it: queues exist, nothing programmed. */
static void dest_init(VirtIODevice *dst, int queue_size)
{
    memset(dst, 0, sizeof(*dst));
    virtio_init(dst, "test-virtio", 5, 8, &fake_ops);
    virtio_add_queue(dst, queue_size, NULL);
    virtio_bind_transport(dst, &fake_bus, NULL);
}

static void test_migrate(void)
{
    g_autofree VirtQueueElement *first = NULL, *held = NULL, *next = NULL;
    VirtIODevice dst;
    hwaddr desc, avail, used;

    setup(1ULL << VIRTIO_RING_F_EVENT_IDX);
    for (int i = 0; i < 4; i++) {
        write_desc(DESC_ADDR, i, BUF_ADDR + 16 * i, 16, F_WRITE, 0);
        make_available(i);
    }
    first = virtqueue_pop(vq);
    virtqueue_push(vq, first, 16);
    virtio_notify(&vdev, vq);
    /* A device holding a chain gives it back before saving. */
    held = virtqueue_pop(vq);
    g_assert_cmpuint(held->index, ==, 1);
    virtqueue_unpop(vq, held);

    dest_init(&dst, QSIZE);
    vmstate_round_trip(&vmstate_virtio_device, &vdev, &dst);
    g_assert_cmphex(dst.status, ==, vdev.status);
    g_assert_cmphex(dst.guest_features, ==, vdev.guest_features);
    g_assert_cmphex(dst.isr, ==, vdev.isr);
    g_assert_cmpint(virtio_queue_get_size(&dst, 0), ==, QSIZE);
    g_assert_true(virtio_queue_get_ready(&dst, 0));
    virtio_queue_get_addrs(&dst, 0, &desc, &avail, &used);
    g_assert_cmphex(desc, ==, DESC_ADDR);
    g_assert_cmphex(avail, ==, AVAIL_ADDR);
    g_assert_cmphex(used, ==, USED_ADDR);

    /* The destination carries on where the source stopped: chain 1 again. */
    next = virtqueue_pop(dst.vq[0]);
    g_assert_nonnull(next);
    g_assert_cmpuint(next->index, ==, 1);
    virtqueue_push(dst.vq[0], next, 16);
    g_assert_cmpuint(lduw_le_phys(USED_ADDR + 2), ==, 2);
    g_assert_cmpuint(lduw_le_phys(USED_ADDR + 4 + 8), ==, 1);
    virtio_cleanup(&dst);
}

static void test_migrate_mismatch(void)
{
    g_autofree char *small = NULL, *features = NULL;
    VirtIODevice dst;

    setup(1ULL << VIRTIO_RING_F_EVENT_IDX);
    /* The destination's queue is smaller than what the driver chose. */
    dest_init(&dst, QSIZE / 2);
    small = vmstate_round_trip_error(&vmstate_virtio_device, &vdev, &dst);
    virtio_cleanup(&dst);
    g_assert_cmpstr(small, ==, "'virtio': vq[0]: queue 0: size 16 is not a power of 2 "
                    "up to 8");
    /* The destination does not offer a feature the driver uses. */
    dest_init(&dst, QSIZE);
    dst.host_features &= ~(1ULL << VIRTIO_RING_F_EVENT_IDX);
    features = vmstate_round_trip_error(&vmstate_virtio_device, &vdev, &dst);
    g_assert_cmpstr(features, ==, "'virtio': test-virtio: the driver uses features "
                    "0x20000000 that this device does not offer; start it with the "
                    "source's properties");
    virtio_cleanup(&dst);
}

/* Saving holds IOThread handlers off; a kick meanwhile is served on resume. */
static void test_quiesce(void)
{
    IOThread *iothread = iothread_create("vq-quiesce", &error_abort);
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    setup_iothread_queue(iothread);
    write_desc(DESC_ADDR, 0, BUF_ADDR, 4, 0, 0);
    make_available(0);

    bql_lock();
    virtio_device_quiesce(&vdev);
    virtio_device_quiesce(&vdev);               /* nests */
    virtio_queue_notify(&vdev, 0);
    bql_unlock();
    g_usleep(20000);
    g_assert_cmpuint(lduw_le_phys(USED_ADDR + 2), ==, 0);
    /* Quiescing does not touch what migrates. */
    g_assert_true(virtio_queue_get_ready(&vdev, 0));

    bql_lock();
    virtio_device_resume(&vdev);
    bql_unlock();
    g_usleep(20000);
    g_assert_cmpuint(lduw_le_phys(USED_ADDR + 2), ==, 0);
    bql_lock();
    virtio_device_resume(&vdev);
    bql_unlock();
    while (lduw_le_phys(USED_ADDR + 2) != 1 && g_get_monotonic_time() < deadline) {
        g_usleep(1000);
    }
    g_assert_cmpuint(lduw_le_phys(USED_ADDR + 2), ==, 1);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    /* Exercise the guest_errors logging path too. */
    qemu_set_log(LOG_GUEST_ERROR);
    g_assert_true(memory_region_init_ram(&ram, "test.ram", RAM_SIZE, &error_abort));
    memory_region_add_subregion(RAM_BASE, &ram);

    g_test_add_func("/virtqueue/direct", test_direct_chain);
    g_test_add_func("/virtqueue/unpop", test_unpop);
    g_test_add_func("/virtqueue/no-interrupt", test_no_interrupt_flag);
    g_test_add_func("/virtqueue/indirect", test_indirect_chain);
    g_test_add_func("/virtqueue/indirect-not-negotiated", test_indirect_not_negotiated);
    g_test_add_func("/virtqueue/indirect-bad-length", test_indirect_bad_length);
    g_test_add_func("/virtqueue/indirect-nested", test_indirect_nested);
    g_test_add_func("/virtqueue/indirect-with-next", test_indirect_with_next);
    g_test_add_func("/virtqueue/indirect-loop", test_indirect_loop);
    g_test_add_func("/virtqueue/loop", test_loop);
    g_test_add_func("/virtqueue/next-out-of-range", test_next_out_of_range);
    g_test_add_func("/virtqueue/head-out-of-range", test_head_out_of_range);
    g_test_add_func("/virtqueue/avail-idx-too-far", test_avail_idx_too_far);
    g_test_add_func("/virtqueue/buffer-outside-ram", test_buffer_outside_ram);
    g_test_add_func("/virtqueue/buffer-past-end-of-ram", test_buffer_past_end_of_ram);
    g_test_add_func("/virtqueue/length-wraps", test_length_wraps);
    g_test_add_func("/virtqueue/readable-after-writable", test_readable_after_writable);
    g_test_add_func("/virtqueue/rings-outside-ram", test_rings_outside_ram);
    g_test_add_func("/virtqueue/reset-clears-broken", test_reset_clears_broken);
    g_test_add_func("/virtqueue/event-idx", test_event_idx);
    g_test_add_func("/virtqueue/iothread", test_iothread);
    g_test_add_func("/virtqueue/migrate", test_migrate);
    g_test_add_func("/virtqueue/migrate-mismatch", test_migrate_mismatch);
    g_test_add_func("/virtqueue/quiesce", test_quiesce);
    ret = g_test_run();
    virtio_cleanup(&vdev);
    return ret;
}
