/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The test as a virtio-balloon driver over virtio-mmio (virtio 1.x sections
 * 3.1, 4.2.2, 2.7 and 5.5): feature negotiation, split virtqueues the test
 * fills and kicks, config space, and QMP helpers.  Shared by the balloon and
 * free page hint qtests.
 */
#ifndef TESTS_QTEST_BALLOON_DRIVER_H
#define TESTS_QTEST_BALLOON_DRIVER_H

#include "libqtest.h"
#include "virtio-mmio-regs.h"

/* The first -device virtio-balloon-device takes the last slot (QEMU's order). */
#define MMIO_IRQ 8

#define F_MUST_TELL_HOST 0
#define F_STATS_VQ 1
#define F_DEFLATE_ON_OOM 2
#define F_FREE_PAGE_HINT 3
#define F_PAGE_POISON 4
#define F_REPORTING 5
#define F_VERSION_1 32

#define CFG_NUM_PAGES 0
#define CFG_ACTUAL 4
#define CFG_CMD_ID 8
#define CFG_POISON 12

#define DESC_F_NEXT 1
#define DESC_F_WRITE 2

#define RAM_BASE 0x80000000ull
#define QSIZE 16

/* A split virtqueue the test drives as a driver would (section 2.7). */
typedef struct TestVq {
    int index;
    uint64_t desc, avail, used;
    uint16_t next_desc;
    uint16_t avail_idx;
} TestVq;

/* Next free byte of the scratch area for rings and buffers; driver_negotiate rewinds it. */
extern uint64_t alloc_next;
uint64_t guest_alloc(uint64_t size);

uint32_t mmio_read(QTestState *s, unsigned reg);
void mmio_write(QTestState *s, unsigned reg, uint32_t val);
uint32_t config_read(QTestState *s, unsigned off);
uint64_t device_features(QTestState *s);
/* Reset, negotiate @features (section 3.1.1); returns the status afterwards. */
uint32_t driver_negotiate(QTestState *s, uint64_t features);
void driver_ok(QTestState *s);

/* Allocate queue @index's rings (QSIZE entries) in scratch RAM and enable it. */
void vq_setup(QTestState *s, TestVq *vq, int index);
void write_desc(QTestState *s, TestVq *vq, uint16_t i, uint64_t addr, uint32_t len,
                uint16_t flags, uint16_t next);
/* Make a chain of @n buffers available and kick; returns its head. */
uint16_t vq_add(QTestState *s, TestVq *vq, const uint64_t *addr, const uint32_t *len,
                const bool *writable, int n);
/* One out-buffer holding a copy of @data; returns its guest address. */
uint64_t vq_add_out(QTestState *s, TestVq *vq, const void *data, uint32_t len);
uint16_t vq_used_idx(QTestState *s, TestVq *vq);
/* IOThread queues complete asynchronously: poll for up to 5 s. */
void vq_wait_used(QTestState *s, TestVq *vq, uint16_t idx);

/* A QMP command that must succeed (the test fails otherwise); unref the reply. */
JsonObject *qmp_return(QTestState *s, const char *cmd);
/* Integer member @member of a successful command's return object. */
int64_t qmp_int(QTestState *s, const char *cmd, const char *member);
/* The desc of an error reply. */
const char *qmp_error_desc(JsonObject *r);

/* Free page hints: read x-query-balloon-free-page-hint, run x-balloon-free-page-hint. */
int64_t hint_stat(QTestState *s, const char *member);
void hint_action(QTestState *s, const char *action);
/* The guest's side of section 5.5.6.7: announce @id (out), then one block (in). */
void send_cmd_id(QTestState *s, TestVq *vq, uint32_t id);
void send_hint(QTestState *s, TestVq *vq, uint64_t gpa, uint32_t len);

#endif
