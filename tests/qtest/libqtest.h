/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqtest: start hintvm with -accel qtest and drive it from a GLib test:
 * guest memory and MMIO, the virtual clock, interrupt lines, and QMP.
 * The binary comes from $QTEST_QEMU_BINARY, as with QEMU's qtests.
 */
#ifndef TESTS_QTEST_LIBQTEST_H
#define TESTS_QTEST_LIBQTEST_H

#include "qemu/osdep.h"
#include <json-glib/json-glib.h>

typedef struct QTestState QTestState;

/* Start the machine with @extra_args appended (printf-style). */
QTestState *qtest_initf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void qtest_quit(QTestState *s);

uint8_t qtest_readb(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint64_t qtest_readq(QTestState *s, uint64_t addr);
void qtest_writeb(QTestState *s, uint64_t addr, uint8_t val);
void qtest_writew(QTestState *s, uint64_t addr, uint16_t val);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t val);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t val);
void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t len);
void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf, size_t len);
void qtest_memset(QTestState *s, uint64_t addr, uint8_t val, size_t len);

/* Write split-ring descriptor @i of the table at @table (virtio 1.x 2.7.5). */
void qtest_vring_desc_write(QTestState *s, uint64_t table, unsigned i, uint64_t addr,
                            uint32_t len, uint16_t flags, uint16_t next);

/* Advance the virtual clock by @ns (0: to the next timer); returns the new time. */
int64_t qtest_clock_step(QTestState *s, int64_t ns);

/* Report interrupt lines (PLIC sources) to the test from now on. */
void qtest_irq_intercept_in(QTestState *s);
/* Current level of PLIC source @n as last reported. */
bool qtest_get_irq(QTestState *s, int n);

/*
 * Send a QMP command (printf-style JSON text) and return its reply object
 * ({"return": ...} or {"error": ...}); events seen meanwhile are queued.
 * Free the result with json_object_unref.
 */
JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Wait for event @name (already queued or arriving); returns it (unref it). */
JsonObject *qtest_qmp_eventwait(QTestState *s, const char *name);
/* Send raw bytes on the QMP socket and return the next reply (for malformed input). */
JsonObject *qtest_qmp_raw(QTestState *s, const char *text);

/* Send @len raw bytes (NULs, invalid UTF-8 ...) on the QMP socket; no reply is read. */
void qtest_qmp_send_bytes(QTestState *s, const void *buf, size_t len);
/* The next reply (events seen meanwhile are queued). */
JsonObject *qtest_qmp_receive(QTestState *s);
/* The QMP socket, for tests that need to control reading and writing themselves. */
int qtest_qmp_fd(QTestState *s);
/* Drop the QMP connection, connect again, read the greeting and negotiate. */
void qtest_qmp_reconnect(QTestState *s);

#endif
