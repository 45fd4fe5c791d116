/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The migration stream's top level (docs/devel/migration-stream.rst): the
 * header, the configuration record that tells the destination what machine
 * the stream is for, RAM records (migration/ram.c), the device state
 * (migration/vmstate.c) and the end record.  The loader accepts a stream
 * only if it is well formed to its last byte; any doubt is an error naming
 * what was wrong, and the caller never runs a guest from it.
 */
#include "qemu/osdep.h"
#include "migration/stream.h"
#include "migration/qemu-file.h"
#include "migration/ram.h"
#include "migration/vmstate.h"
#include "exec/ramblock.h"
#include "hw/boards.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"

bool migration_stream_error(QEMUFile *f, const char *what, Error **errp)
{
    int err = qemu_file_get_error(f);

    if (err == -EIO) {
        error_setg(errp,
                   "the stream ended early, in the middle of %s (after %" PRIu64
                   " bytes): it is truncated",
                   what, qemu_file_transferred(f));
    } else if (err) {
        error_setg_errno(errp, -err, "reading %s", what);
    } else {
        error_setg(errp, "bad %s", what);
    }
    return false;
}

static void put_crc(QEMUFile *f)
{
    qemu_put_be32(f, qemu_file_crc(f));
}

static bool check_crc(QEMUFile *f, const char *what, Error **errp)
{
    uint32_t crc = qemu_file_crc(f);
    uint32_t want = qemu_get_be32(f);

    if (qemu_file_get_error(f)) {
        return migration_stream_error(f, what, errp);
    }
    if (crc != want) {
        error_setg(errp, "%s is corrupt (CRC32 0x%08x, the stream says 0x%08x)", what,
                   crc, want);
        return false;
    }
    return true;
}

void migration_stream_put_start(QEMUFile *f)
{
    int nblocks = 0;

    qemu_put_be32(f, MIG_STREAM_MAGIC);
    qemu_put_be32(f, MIG_STREAM_VERSION);

    qemu_file_crc_reset(f);
    qemu_put_byte(f, MIG_RECORD_CONFIG);
    qemu_put_counted_string(f, current_machine->type);
    qemu_put_be32(f, current_machine->smp_cpus);
    for (RAMBlock *rb = ram_list; rb; rb = rb->next) {
        nblocks++;
    }
    qemu_put_be16(f, nblocks);
    for (RAMBlock *rb = ram_list; rb; rb = rb->next) {
        qemu_put_counted_string(f, rb->idstr);
        qemu_put_be64(f, rb->used_length);
    }
    put_crc(f);
}

bool migration_stream_put_end(QEMUFile *f, bool running, Error **errp)
{
    qemu_put_byte(f, MIG_RECORD_DEVICES);
    if (!qemu_savevm_state_devices(f, errp)) {
        return false;
    }
    qemu_file_crc_reset(f);
    qemu_put_byte(f, MIG_RECORD_END);
    qemu_put_be32(f, MIG_END_MAGIC);
    qemu_put_byte(f, running);
    put_crc(f);
    return true;
}

/* The configuration record: the stream must be for a machine like this one. */
static bool load_config(QEMUFile *f, Error **errp)
{
    char name[256];
    uint32_t smp;
    uint16_t nblocks;
    int here = 0;
    RAMBlock *rb = ram_list;

    if (!qemu_get_counted_string(f, name)) {
        return migration_stream_error(f, "the configuration record", errp);
    }
    if (strcmp(name, current_machine->type)) {
        error_setg(errp, "the stream is for machine type '%s', this is '%s'", name,
                   current_machine->type);
        return false;
    }
    smp = qemu_get_be32(f);
    nblocks = qemu_get_be16(f);
    if (qemu_file_get_error(f)) {
        return migration_stream_error(f, "the configuration record", errp);
    }
    if (smp != current_machine->smp_cpus) {
        error_setg(errp, "the source has %u vCPUs, this machine has %d", smp,
                   current_machine->smp_cpus);
        error_append_hint(errp, "Start the destination with -smp %u\n", smp);
        return false;
    }
    for (RAMBlock *b = ram_list; b; b = b->next) {
        here++;
    }
    if (nblocks != here) {
        error_setg(errp, "the stream has %u RAM blocks, this machine has %d", nblocks,
                   here);
        return false;
    }
    for (int i = 0; i < nblocks; i++, rb = rb->next) {
        uint64_t size;

        if (!qemu_get_counted_string(f, name)) {
            return migration_stream_error(f, "the configuration record", errp);
        }
        size = qemu_get_be64(f);
        if (qemu_file_get_error(f)) {
            return migration_stream_error(f, "the configuration record", errp);
        }
        if (strcmp(name, rb->idstr)) {
            error_setg(errp, "RAM block %d is '%s' in the stream but '%s' here", i, name,
                       rb->idstr);
            return false;
        }
        if (size != rb->used_length) {
            error_setg(errp,
                       "RAM block '%s' has size 0x%" PRIx64 " (%" PRIu64 " MiB) in "
                       "the stream but 0x%" PRIx64 " (%" PRIu64 " MiB) here",
                       name, size, size / MiB, rb->used_length, rb->used_length / MiB);
            error_append_hint(errp, "Start the destination with the source's -m\n");
            return false;
        }
    }
    return check_crc(f, "the configuration record", errp);
}

static bool load_header(QEMUFile *f, Error **errp)
{
    uint32_t magic = qemu_get_be32(f);
    uint32_t version = qemu_get_be32(f);

    if (qemu_file_get_error(f)) {
        return migration_stream_error(f, "the stream header", errp);
    }
    if (magic != MIG_STREAM_MAGIC) {
        error_setg(errp, "not a hintvm migration stream (magic 0x%08x, expected 0x%08x)",
                   magic, MIG_STREAM_MAGIC);
        return false;
    }
    if (version != MIG_STREAM_VERSION) {
        error_setg(errp,
                   "stream version %u is not supported (this hintvm reads version "
                   "%d)",
                   version, MIG_STREAM_VERSION);
        return false;
    }
    return true;
}

static bool load_devices(QEMUFile *f, Error **errp)
{
    bool ok;

    bql_lock();
    ok = qemu_loadvm_state_devices(f, errp);
    bql_unlock();
    return ok;
}

static bool load_end(QEMUFile *f, bool *running, Error **errp)
{
    uint32_t magic = qemu_get_be32(f);
    uint8_t state = qemu_get_byte(f);

    if (qemu_file_get_error(f)) {
        return migration_stream_error(f, "the end record", errp);
    }
    if (magic != MIG_END_MAGIC) {
        error_setg(errp, "bad end record (0x%08x)", magic);
        return false;
    }
    if (state > 1) {
        error_setg(errp, "bad run state %u in the end record", state);
        return false;
    }
    *running = state;
    return check_crc(f, "the end record", errp);
}

static bool load_records(QEMUFile *f, bool *running, Error **errp)
{
    bool have_devices = false;

    for (bool first = true;; first = false) {
        uint8_t type;
        bool ok;

        qemu_file_crc_reset(f);
        type = qemu_get_byte(f);
        if (qemu_file_get_error(f)) {
            return migration_stream_error(f, "a record", errp);
        }
        if (first != (type == MIG_RECORD_CONFIG)) {
            error_setg(errp, first ? "the stream does not start with its configuration "
                                     "record"
                                   : "a second configuration record");
            return false;
        }
        switch (type) {
        case MIG_RECORD_CONFIG:
            ok = load_config(f, errp);
            break;
        case MIG_RECORD_RAM:
            ok = !have_devices && ram_load_batch(f, errp);
            if (have_devices) {
                error_setg(errp, "RAM record after the device state");
            }
            break;
        case MIG_RECORD_DEVICES:
            ok = !have_devices && load_devices(f, errp);
            if (have_devices) {
                error_setg(errp, "the device state appears twice");
            }
            have_devices = true;
            break;
        case MIG_RECORD_END:
            if (!have_devices) {
                error_setg(errp, "the stream ends without device state");
                return false;
            }
            return load_end(f, running, errp);
        default:
            error_setg(errp, "unknown record type 0x%02x at offset %" PRIu64, type,
                       qemu_file_transferred(f) - 1);
            return false;
        }
        if (!ok) {
            return false;
        }
    }
}

bool migration_stream_load(QEMUFile *f, bool *running, Error **errp)
{
    bool ok;

    if (!load_header(f, errp)) {
        return false;
    }
    ram_load_setup();
    ok = load_records(f, running, errp);
    /* Whether the stream ended well or not, its RAM bookkeeping is done. */
    ram_load_cleanup();
    return ok;
}
