/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Field tables: encoding of a VMStateDescription's fields on the stream.
 * Fields travel in table order without names or tags, integers big-endian
 * (docs/devel/migration/vmstate.rst, "Fields").  Loading can run as a dry
 * run that reads and checks everything but writes nothing, which the
 * section loader uses to validate a whole stream before touching a device.
 */
#include "qemu/osdep.h"
#include "qemu/bitops.h"
#include "migration/vmstate.h"
#include "migration/vmstate-internal.h"

/* Bitmaps travel as 64-bit words: bit n of the map is bit n % 64 of word n / 64. */
G_STATIC_ASSERT(sizeof(unsigned long) == sizeof(uint64_t));

static bool field_present(const VMStateField *field, int version_id)
{
    return field->version_id <= version_id;
}

static void *field_elem(void *opaque, const VMStateField *field, uint32_t i)
{
    return (uint8_t *)opaque + field->offset + (size_t)i * field->size;
}

static uint64_t field_nbits(void *opaque, const VMStateField *field)
{
    return *(uint64_t *)((uint8_t *)opaque + field->nbits_offset);
}

size_t vmstate_size(const VMStateDescription *vmsd, void *opaque, int version_id)
{
    size_t total = 0;

    for (const VMStateField *field = vmsd->fields; field->kind != VMS_END; field++) {
        if (!field_present(field, version_id)) {
            continue;
        }
        switch (field->kind) {
        case VMS_UINT:
        case VMS_BUFFER:
            total += field->size * field->num;
            break;
        case VMS_BOOL:
            total += field->num;
            break;
        case VMS_STRUCT:
            for (uint32_t i = 0; i < field->num; i++) {
                total += vmstate_size(field->vmsd, field_elem(opaque, field, i),
                                      field->vmsd->version_id);
            }
            break;
        case VMS_STRUCT_PTR:
            for (uint32_t i = 0; i < field->num; i++) {
                void *elem = *(void **)field_elem(opaque, field, i);

                total += 1 + (elem ? vmstate_size(field->vmsd, elem,
                                                  field->vmsd->version_id) : 0);
            }
            break;
        case VMS_BITMAP:
            total += 8 + 8 * BITS_TO_LONGS(field_nbits(opaque, field));
            break;
        case VMS_TIMER:
            total += 8;
            break;
        default:
            g_assert_not_reached();
        }
    }
    return total;
}

static void put_uint(QEMUFile *f, const void *p, size_t size)
{
    uint16_t v16;
    uint32_t v32;
    uint64_t v64;

    switch (size) {
    case 1:
        qemu_put_byte(f, *(const uint8_t *)p);
        break;
    case 2:
        memcpy(&v16, p, 2);
        qemu_put_be16(f, v16);
        break;
    case 4:
        memcpy(&v32, p, 4);
        qemu_put_be32(f, v32);
        break;
    case 8:
        memcpy(&v64, p, 8);
        qemu_put_be64(f, v64);
        break;
    default:
        g_assert_not_reached();
    }
}

static void get_uint(QEMUFile *f, void *p, size_t size)
{
    uint16_t v16;
    uint32_t v32;
    uint64_t v64;

    switch (size) {
    case 1:
        *(uint8_t *)p = qemu_get_byte(f);
        break;
    case 2:
        v16 = qemu_get_be16(f);
        memcpy(p, &v16, 2);
        break;
    case 4:
        v32 = qemu_get_be32(f);
        memcpy(p, &v32, 4);
        break;
    case 8:
        v64 = qemu_get_be64(f);
        memcpy(p, &v64, 8);
        break;
    default:
        g_assert_not_reached();
    }
}

static bool save_fields(QEMUFile *f, const VMStateDescription *vmsd, void *opaque,
                        int version_id, Error **errp);

static bool save_field(QEMUFile *f, const VMStateField *field, void *opaque,
                       Error **errp)
{
    unsigned long *map;
    uint64_t nbits;

    switch (field->kind) {
    case VMS_UINT:
        for (uint32_t i = 0; i < field->num; i++) {
            put_uint(f, field_elem(opaque, field, i), field->size);
        }
        break;
    case VMS_BOOL:
        for (uint32_t i = 0; i < field->num; i++) {
            qemu_put_byte(f, *(bool *)field_elem(opaque, field, i));
        }
        break;
    case VMS_BUFFER:
        qemu_put_buffer(f, field_elem(opaque, field, 0), field->size * field->num);
        break;
    case VMS_STRUCT:
        for (uint32_t i = 0; i < field->num; i++) {
            if (!vmstate_save_state(f, field->vmsd, field_elem(opaque, field, i), errp)) {
                error_prepend(errp, "%s[%u]: ", field->name, i);
                return false;
            }
        }
        break;
    case VMS_STRUCT_PTR:
        for (uint32_t i = 0; i < field->num; i++) {
            void *elem = *(void **)field_elem(opaque, field, i);

            qemu_put_byte(f, elem != NULL);
            if (elem && !vmstate_save_state(f, field->vmsd, elem, errp)) {
                error_prepend(errp, "%s[%u]: ", field->name, i);
                return false;
            }
        }
        break;
    case VMS_BITMAP:
        map = *(unsigned long **)field_elem(opaque, field, 0);
        nbits = field_nbits(opaque, field);
        qemu_put_be64(f, nbits);
        for (uint64_t w = 0; w < BITS_TO_LONGS(nbits); w++) {
            uint64_t word = map[w];

            if (w == BIT_WORD(nbits) && nbits % 64) {
                word &= MAKE_64BIT_MASK(0, nbits % 64);
            }
            qemu_put_be64(f, word);
        }
        break;
    case VMS_TIMER:
        qemu_put_be64(f, ((QEMUTimer *)field_elem(opaque, field, 0))->expire_time);
        break;
    default:
        g_assert_not_reached();
    }
    return true;
}

static bool save_fields(QEMUFile *f, const VMStateDescription *vmsd, void *opaque,
                        int version_id, Error **errp)
{
    for (const VMStateField *field = vmsd->fields; field->kind != VMS_END; field++) {
        if (field_present(field, version_id) && !save_field(f, field, opaque, errp)) {
            return false;
        }
    }
    return true;
}

bool vmstate_save_state(QEMUFile *f, const VMStateDescription *vmsd, void *opaque,
                        Error **errp)
{
    bool ok;

    if (vmsd->pre_save && !vmsd->pre_save(opaque, errp)) {
        error_prepend(errp, "'%s': ", vmsd->name);
        if (vmsd->post_save) {
            vmsd->post_save(opaque);
        }
        return false;
    }
    ok = save_fields(f, vmsd, opaque, vmsd->version_id, errp);
    if (vmsd->post_save) {
        vmsd->post_save(opaque);
    }
    return ok;
}

/* Read and drop @len bytes (dry runs). */
static void skip_bytes(QEMUFile *f, size_t len)
{
    uint8_t sink[256];

    while (len && !qemu_file_get_error(f)) {
        size_t chunk = MIN(len, sizeof(sink));

        qemu_get_buffer(f, sink, chunk);
        len -= chunk;
    }
}

static bool load_field(QEMUFile *f, const VMStateField *field, void *opaque,
                       bool apply, Error **errp)
{
    uint64_t nbits, stream_nbits;
    uint8_t scratch[8];
    int64_t deadline;

    switch (field->kind) {
    case VMS_UINT:
        for (uint32_t i = 0; i < field->num; i++) {
            get_uint(f, apply ? field_elem(opaque, field, i) : scratch, field->size);
        }
        break;
    case VMS_BOOL:
        for (uint32_t i = 0; i < field->num; i++) {
            uint8_t v = qemu_get_byte(f);

            if (v > 1) {
                error_setg(errp, "field '%s' holds %u, which is not a boolean",
                           field->name, v);
                return false;
            }
            if (apply) {
                *(bool *)field_elem(opaque, field, i) = v;
            }
        }
        break;
    case VMS_BUFFER:
        if (apply) {
            qemu_get_buffer(f, field_elem(opaque, field, 0), field->size * field->num);
        } else {
            skip_bytes(f, field->size * field->num);
        }
        break;
    case VMS_STRUCT:
    case VMS_STRUCT_PTR:
        for (uint32_t i = 0; i < field->num; i++) {
            void *elem = field_elem(opaque, field, i);
            int version_id = field->vmsd->version_id;

            if (field->kind == VMS_STRUCT_PTR) {
                uint8_t present = qemu_get_byte(f);

                elem = *(void **)elem;
                if (qemu_file_get_error(f)) {
                    break;
                }
                if (present != (elem != NULL)) {
                    error_setg(errp, "%s[%u] is %s in the stream but %s here", field->name,
                               i, present ? "present" : "absent",
                               elem ? "present" : "absent");
                    return false;
                }
                if (!elem) {
                    continue;
                }
            }

            /* A nested description's post_load runs as soon as its struct is in place. */
            if (!vmstate_load_fields(f, field->vmsd, elem, version_id, apply, errp) ||
                (apply && field->vmsd->post_load &&
                 !field->vmsd->post_load(elem, version_id, errp))) {
                error_prepend(errp, "%s[%u]: ", field->name, i);
                return false;
            }
        }
        break;
    case VMS_BITMAP:
        nbits = field_nbits(opaque, field);
        stream_nbits = qemu_get_be64(f);
        if (qemu_file_get_error(f)) {
            break;
        }
        if (stream_nbits != nbits) {
            error_setg(errp, "bitmap '%s' has %" PRIu64 " bits, this machine has %" PRIu64,
                       field->name, stream_nbits, nbits);
            return false;
        }
        if (apply) {
            unsigned long *map = *(unsigned long **)field_elem(opaque, field, 0);

            for (uint64_t w = 0; w < BITS_TO_LONGS(nbits); w++) {
                map[w] = qemu_get_be64(f);
            }
            if (nbits % 64) {
                map[BIT_WORD(nbits)] &= MAKE_64BIT_MASK(0, nbits % 64);
            }
        } else {
            skip_bytes(f, 8 * BITS_TO_LONGS(nbits));
        }
        break;
    case VMS_TIMER:
        deadline = qemu_get_be64(f);
        if (apply && !qemu_file_get_error(f)) {
            QEMUTimer *timer = field_elem(opaque, field, 0);

            if (deadline < 0) {
                timer_del(timer);
            } else {
                timer_mod(timer, deadline);
            }
        }
        break;
    default:
        g_assert_not_reached();
    }
    if (qemu_file_get_error(f)) {
        error_setg(errp, "stream ends inside field '%s'", field->name);
        return false;
    }
    return true;
}

bool vmstate_load_fields(QEMUFile *f, const VMStateDescription *vmsd, void *opaque,
                         int version_id, bool apply, Error **errp)
{
    for (const VMStateField *field = vmsd->fields; field->kind != VMS_END; field++) {
        if (field_present(field, version_id) &&
            !load_field(f, field, opaque, apply, errp)) {
            error_prepend(errp, "'%s': ", vmsd->name);
            return false;
        }
    }
    return true;
}

bool vmstate_check_version(const VMStateDescription *vmsd, int version_id, Error **errp)
{
    if (version_id > vmsd->version_id) {
        error_setg(errp, "'%s': version %d is newer than this build reads (%d)",
                   vmsd->name, version_id, vmsd->version_id);
        return false;
    }
    if (version_id < vmsd->minimum_version_id) {
        error_setg(errp, "'%s': version %d is older than this build reads (%d)",
                   vmsd->name, version_id, vmsd->minimum_version_id);
        return false;
    }
    return true;
}

bool vmstate_load_state(QEMUFile *f, const VMStateDescription *vmsd, void *opaque,
                        int version_id, Error **errp)
{
    if (!vmstate_check_version(vmsd, version_id, errp) ||
        !vmstate_load_fields(f, vmsd, opaque, version_id, true, errp)) {
        return false;
    }
    if (vmsd->post_load && !vmsd->post_load(opaque, version_id, errp)) {
        error_prepend(errp, "'%s': ", vmsd->name);
        return false;
    }
    return true;
}
