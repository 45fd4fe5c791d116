/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The test as a virtio-balloon driver over virtio-mmio: see balloon-driver.h.
 */
#include "qemu/osdep.h"
#include "balloon-driver.h"

uint64_t alloc_next;

uint64_t guest_alloc(uint64_t size)
{
    uint64_t addr = QEMU_ALIGN_UP(alloc_next, 4096);

    alloc_next = addr + size;
    return addr;
}

uint32_t mmio_read(QTestState *s, unsigned reg)
{
    return qtest_readl(s, MMIO_BASE + reg);
}

void mmio_write(QTestState *s, unsigned reg, uint32_t val)
{
    qtest_writel(s, MMIO_BASE + reg, val);
}

uint64_t device_features(QTestState *s)
{
    uint64_t f;

    mmio_write(s, REG_DEVICE_FEATURES_SEL, 0);
    f = mmio_read(s, REG_DEVICE_FEATURES);
    mmio_write(s, REG_DEVICE_FEATURES_SEL, 1);
    return f | (uint64_t)mmio_read(s, REG_DEVICE_FEATURES) << 32;
}

/* Reset, negotiate @features (section 3.1.1); returns the status afterwards. */
uint32_t driver_negotiate(QTestState *s, uint64_t features)
{
    alloc_next = RAM_BASE + 16 * MiB;
    mmio_write(s, REG_STATUS, 0);
    mmio_write(s, REG_STATUS, S_ACKNOWLEDGE);
    mmio_write(s, REG_STATUS, S_ACKNOWLEDGE | S_DRIVER);
    mmio_write(s, REG_DRIVER_FEATURES_SEL, 0);
    mmio_write(s, REG_DRIVER_FEATURES, (uint32_t)features);
    mmio_write(s, REG_DRIVER_FEATURES_SEL, 1);
    mmio_write(s, REG_DRIVER_FEATURES, features >> 32);
    mmio_write(s, REG_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
    return mmio_read(s, REG_STATUS);
}

void driver_ok(QTestState *s)
{
    mmio_write(s, REG_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

void vq_setup(QTestState *s, TestVq *vq, int index)
{
    vq->index = index;
    vq->desc = guest_alloc(16 * QSIZE);
    vq->avail = guest_alloc(6 + 2 * QSIZE);
    vq->used = guest_alloc(6 + 8 * QSIZE);
    vq->next_desc = 0;
    vq->avail_idx = 0;
    qtest_memset(s, vq->desc, 0, 16 * QSIZE);
    qtest_memset(s, vq->avail, 0, 6 + 2 * QSIZE);
    qtest_memset(s, vq->used, 0, 6 + 8 * QSIZE);
    mmio_write(s, REG_QUEUE_SEL, index);
    g_assert_cmpint(mmio_read(s, REG_QUEUE_NUM_MAX), >=, QSIZE);
    mmio_write(s, REG_QUEUE_NUM, QSIZE);
    mmio_write(s, REG_QUEUE_DESC_LOW, (uint32_t)vq->desc);
    mmio_write(s, REG_QUEUE_DESC_HIGH, vq->desc >> 32);
    mmio_write(s, REG_QUEUE_DRIVER_LOW, (uint32_t)vq->avail);
    mmio_write(s, REG_QUEUE_DRIVER_HIGH, vq->avail >> 32);
    mmio_write(s, REG_QUEUE_DEVICE_LOW, (uint32_t)vq->used);
    mmio_write(s, REG_QUEUE_DEVICE_HIGH, vq->used >> 32);
    mmio_write(s, REG_QUEUE_READY, 1);
}

void write_desc(QTestState *s, TestVq *vq, uint16_t i, uint64_t addr, uint32_t len,
                uint16_t flags, uint16_t next)
{
    qtest_vring_desc_write(s, vq->desc, i, addr, len, flags, next);
}

/* Make a chain of @n buffers available and kick; returns its head. */
uint16_t vq_add(QTestState *s, TestVq *vq, const uint64_t *addr, const uint32_t *len,
                const bool *writable, int n)
{
    uint16_t head = vq->next_desc;

    for (int i = 0; i < n; i++) {
        uint16_t idx = (head + i) % QSIZE;
        uint16_t flags = (writable[i] ? DESC_F_WRITE : 0) | (i + 1 < n ? DESC_F_NEXT : 0);

        write_desc(s, vq, idx, addr[i], len[i], flags, (idx + 1) % QSIZE);
    }
    vq->next_desc = (head + n) % QSIZE;
    qtest_writew(s, vq->avail + 4 + 2 * (vq->avail_idx % QSIZE), head);
    vq->avail_idx++;
    qtest_writew(s, vq->avail + 2, vq->avail_idx);
    mmio_write(s, REG_QUEUE_NOTIFY, vq->index);
    return head;
}

uint64_t vq_add_out(QTestState *s, TestVq *vq, const void *data, uint32_t len)
{
    uint64_t buf = guest_alloc(len);
    bool w = false;

    qtest_memwrite(s, buf, data, len);
    vq_add(s, vq, &buf, &len, &w, 1);
    return buf;
}

uint16_t vq_used_idx(QTestState *s, TestVq *vq)
{
    return qtest_readw(s, vq->used + 2);
}

/* IOThread queues complete asynchronously: poll for up to 5 s. */
void vq_wait_used(QTestState *s, TestVq *vq, uint16_t idx)
{
    for (int i = 0; i < 5000 && vq_used_idx(s, vq) != idx; i++) {
        g_usleep(1000);
    }
    g_assert_cmpint(vq_used_idx(s, vq), ==, idx);
}

uint32_t config_read(QTestState *s, unsigned off)
{
    return mmio_read(s, REG_CONFIG + off);
}

/* ---- QMP helpers ---- */

JsonObject *qmp_return(QTestState *s, const char *cmd)
{
    JsonObject *r = qtest_qmp(s, "%s", cmd);

    if (!json_object_has_member(r, "return")) {
        g_autofree char *text = json_to_string(json_node_init_object(json_node_alloc(), r),
                                               FALSE);
        g_error("%s failed: %s", cmd, text);
    }
    return r;
}

int64_t qmp_int(QTestState *s, const char *cmd, const char *member)
{
    JsonObject *r = qmp_return(s, cmd);
    int64_t v = json_object_get_int_member(json_object_get_object_member(r, "return"), member);

    json_object_unref(r);
    return v;
}

const char *qmp_error_desc(JsonObject *r)
{
    g_assert(json_object_has_member(r, "error"));
    return json_object_get_string_member(json_object_get_object_member(r, "error"), "desc");
}


int64_t hint_stat(QTestState *s, const char *member)
{
    return qmp_int(s, "{'execute': 'x-query-balloon-free-page-hint'}", member);
}

void hint_action(QTestState *s, const char *action)
{
    g_autofree char *cmd = g_strdup_printf("{'execute': 'x-balloon-free-page-hint', "
                                           "'arguments': {'action': '%s'}}", action);

    json_object_unref(qmp_return(s, cmd));
}

/* The guest's side of section 5.5.6.7: announce @id (out), then one block (in). */
void send_cmd_id(QTestState *s, TestVq *vq, uint32_t id)
{
    uint32_t le = GUINT32_TO_LE(id);

    vq_add_out(s, vq, &le, 4);
}

void send_hint(QTestState *s, TestVq *vq, uint64_t gpa, uint32_t len)
{
    bool w = true;

    vq_add(s, vq, &gpa, &len, &w, 1);
}
