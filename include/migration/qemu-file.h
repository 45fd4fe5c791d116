/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMUFile: the buffered byte stream migration reads and writes.
 *
 * One file is either an output or an input, backed by a file descriptor
 * (socket, pipe, regular file) or by memory (tests, sizing).  Numbers travel
 * big-endian.  Errors are sticky: after the first one every put is dropped,
 * every get returns zeros, and qemu_file_get_error() keeps returning the
 * first error.  An input that ends before the reader got what it asked for
 * is an error (-EIO): the stream carries its own end marker, so running out
 * of bytes always means truncation.  A running zlib crc32 covers every byte
 * put or got since the last qemu_file_crc_reset(), so sections can carry a
 * checksum without a second pass.  See docs/devel/migration/vmstate.rst.
 *
 * A file is used by one thread at a time, except qemu_file_shutdown(),
 * which any thread may call to unblock the user, and
 * qemu_file_transferred(), which any thread may read.
 */
#ifndef MIGRATION_QEMU_FILE_H
#define MIGRATION_QEMU_FILE_H

#include "qemu/osdep.h"

typedef struct QEMUFile QEMUFile;

/*
 * Backed by @fd (socket, pipe or regular file); the file owns @fd, switches it
 * to non-blocking mode (so pass a descriptor nothing else shares) and closes it.
 */
QEMUFile *qemu_file_new_fd_output(int fd);
/* Reads from @fd, waiting with poll() for more; owns @fd as above. */
QEMUFile *qemu_file_new_fd_input(int fd);
/* An output that grows in memory. */
QEMUFile *qemu_file_new_mem_output(void);
/* Everything put so far (flushes first); valid until the next put or close. */
const uint8_t *qemu_file_mem_data(QEMUFile *f, size_t *len);
/* Reads @data in place (no copy): @data must outlive the file. */
QEMUFile *qemu_file_new_mem_input(const void *data, size_t len);

void qemu_put_byte(QEMUFile *f, uint8_t v);
void qemu_put_be16(QEMUFile *f, uint16_t v);
void qemu_put_be32(QEMUFile *f, uint32_t v);
void qemu_put_be64(QEMUFile *f, uint64_t v);
/*
 * Small buffers are copied into the file's buffer; large ones (at least
 * QEMU_FILE_DIRECT_MIN bytes) are written straight from @buf together with
 * what is buffered, in one writev, before the call returns.  Either way @buf
 * may be reused at once, but it must not change during the call: the crc is
 * taken from @buf, so a page that a vCPU may be writing should be sent in
 * pieces below the threshold (they are copied first, then checksummed).
 */
void qemu_put_buffer(QEMUFile *f, const void *buf, size_t len);
#define QEMU_FILE_DIRECT_MIN (16 * KiB)
/* A length byte and up to 255 bytes of @str (longer strings set -EINVAL). */
void qemu_put_counted_string(QEMUFile *f, const char *str);

/* Each returns 0 once an error is set or the input ended (which sets -EIO). */
uint8_t qemu_get_byte(QEMUFile *f);
uint16_t qemu_get_be16(QEMUFile *f);
uint32_t qemu_get_be32(QEMUFile *f);
uint64_t qemu_get_be64(QEMUFile *f);
/* Returns @len, or less only on error/EOF (the rest of @buf is zeroed). */
size_t qemu_get_buffer(QEMUFile *f, void *buf, size_t len);
/*
 * Reads what qemu_put_counted_string() wrote into @buf (NUL-terminated); a
 * string with a NUL inside sets -EINVAL.
 */
bool qemu_get_counted_string(QEMUFile *f, char buf[256]);

/* Write out what is buffered; returns 0 or the sticky error. */
int qemu_fflush(QEMUFile *f);
/* 0, or the first error as -errno (-EIO for an input that ended early). */
int qemu_file_get_error(QEMUFile *f);
/* Record @err (a negative errno) unless an error is already set. */
void qemu_file_set_error(QEMUFile *f, int err);
/*
 * From any thread: make blocked and future reads/writes fail at once
 * (shutdown(2) on sockets) and set -EPIPE.  The owner still closes the file.
 */
void qemu_file_shutdown(QEMUFile *f);

/* Bytes put (output) or got (input) so far; any thread. */
uint64_t qemu_file_transferred(QEMUFile *f);
/* Restart the running crc32 (zlib's) over the bytes put or got ... */
void qemu_file_crc_reset(QEMUFile *f);
/* ... and read it. */
uint32_t qemu_file_crc(QEMUFile *f);

/* Flush (output), close the fd and free; returns the error if any, else 0. */
int qemu_fclose(QEMUFile *f);

#endif
