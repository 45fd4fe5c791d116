/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device state as data: a device describes its migratable state once, as a
 * table of fields (offset, size, count) in a VMStateDescription, and
 * registers each instance.  Migration saves and loads every registered
 * instance as a framed, versioned, checksummed section.  The wire format
 * and the rules are in docs/devel/migration/vmstate.rst.
 *
 * A description points at a pointer-free "Regs" struct wherever it can
 * (SerialRegs, SiFivePLICRegs, ...): what the guest can see travels, host
 * wiring (memory regions, IRQ lines, backends, timers) is rebuilt by the
 * destination's own machine and re-synchronised in post_load.
 */
#ifndef MIGRATION_VMSTATE_H
#define MIGRATION_VMSTATE_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "migration/qemu-file.h"
#include "qemu/timer.h"

typedef struct VMStateDescription VMStateDescription;

typedef enum VMStateFieldKind {
    VMS_END,        /* terminates a field table */
    VMS_UINT,       /* unsigned or two's-complement integer of size 1, 2, 4 or 8 */
    VMS_BOOL,       /* C bool, one byte on the wire, 0 or 1 */
    VMS_BUFFER,     /* @size raw bytes */
    VMS_STRUCT,     /* a nested struct described by @vmsd */
    VMS_STRUCT_PTR, /* a pointer to such a struct; may be NULL */
    VMS_BITMAP,     /* unsigned long * whose bit count is the uint64_t at @nbits_offset */
    VMS_TIMER,      /* a QEMUTimer: its deadline, or -1 when not pending */
} VMStateFieldKind;

typedef struct VMStateField {
    const char *name;
    VMStateFieldKind kind;
    size_t offset;
    size_t size;                    /* of one element */
    uint32_t num;                   /* elements (arrays), 1 otherwise */
    int version_id;                 /* first section version holding this field */
    const VMStateDescription *vmsd; /* VMS_STRUCT */
    size_t nbits_offset;            /* VMS_BITMAP */
} VMStateField;

/* Higher post-loads first: state other post_loads read back (the clock). */
typedef enum VMStatePriority {
    MIG_PRI_DEFAULT = 0,
    MIG_PRI_CPU,
    MIG_PRI_CLOCK,
} VMStatePriority;

struct VMStateDescription {
    const char *name;
    int version_id;             /* what this build writes */
    int minimum_version_id;     /* the oldest it reads */
    VMStatePriority priority;
    /* Before saving: bring the described fields up to date. */
    bool (*pre_save)(void *opaque, Error **errp);
    /* After saving, also when saving failed: undo what pre_save changed. */
    void (*post_save)(void *opaque);
    /*
     * After loading: check values the table cannot (ranges, consistency)
     * and rebuild derived state (IRQ levels, timers, caches).
     */
    bool (*post_load)(void *opaque, int version_id, Error **errp);
    const VMStateField *fields;
};

/* Compile-time check that a struct member has the type a macro expects. */
#define VMSTATE_TYPE_CHECK(_state, _field, _type)                                   \
    (0 * sizeof(struct {                                                           \
         int ok : __builtin_types_compatible_p(typeof(((_state *)0)->_field), _type) \
                      ? 1 : -1;                                                    \
     }))
#define vmstate_offset(_state, _field, _type) \
    (offsetof(_state, _field) + VMSTATE_TYPE_CHECK(_state, _field, _type))

#define VMSTATE_SCALAR_V(_field, _state, _version, _type, _kind) {      \
    .name = #_field, .kind = (_kind), .version_id = (_version),         \
    .offset = vmstate_offset(_state, _field, _type),                    \
    .size = sizeof(_type), .num = 1,                                    \
}
#define VMSTATE_ARRAY_V(_field, _state, _n, _version, _type, _kind) {   \
    .name = #_field, .kind = (_kind), .version_id = (_version),         \
    .offset = vmstate_offset(_state, _field, _type[_n]),                \
    .size = sizeof(_type), .num = (_n),                                 \
}

#define VMSTATE_UINT8_V(_f, _s, _v)  VMSTATE_SCALAR_V(_f, _s, _v, uint8_t, VMS_UINT)
#define VMSTATE_UINT16_V(_f, _s, _v) VMSTATE_SCALAR_V(_f, _s, _v, uint16_t, VMS_UINT)
#define VMSTATE_UINT32_V(_f, _s, _v) VMSTATE_SCALAR_V(_f, _s, _v, uint32_t, VMS_UINT)
#define VMSTATE_UINT64_V(_f, _s, _v) VMSTATE_SCALAR_V(_f, _s, _v, uint64_t, VMS_UINT)
#define VMSTATE_INT32_V(_f, _s, _v)  VMSTATE_SCALAR_V(_f, _s, _v, int32_t, VMS_UINT)
#define VMSTATE_INT64_V(_f, _s, _v)  VMSTATE_SCALAR_V(_f, _s, _v, int64_t, VMS_UINT)
#define VMSTATE_BOOL_V(_f, _s, _v)   VMSTATE_SCALAR_V(_f, _s, _v, bool, VMS_BOOL)

#define VMSTATE_UINT8(_f, _s)  VMSTATE_UINT8_V(_f, _s, 0)
#define VMSTATE_UINT16(_f, _s) VMSTATE_UINT16_V(_f, _s, 0)
#define VMSTATE_UINT32(_f, _s) VMSTATE_UINT32_V(_f, _s, 0)
#define VMSTATE_UINT64(_f, _s) VMSTATE_UINT64_V(_f, _s, 0)
#define VMSTATE_INT32(_f, _s)  VMSTATE_INT32_V(_f, _s, 0)
#define VMSTATE_INT64(_f, _s)  VMSTATE_INT64_V(_f, _s, 0)
#define VMSTATE_BOOL(_f, _s)   VMSTATE_BOOL_V(_f, _s, 0)

#define VMSTATE_UINT8_ARRAY_V(_f, _s, _n, _v)  VMSTATE_ARRAY_V(_f, _s, _n, _v, uint8_t, VMS_UINT)
#define VMSTATE_UINT16_ARRAY_V(_f, _s, _n, _v) VMSTATE_ARRAY_V(_f, _s, _n, _v, uint16_t, VMS_UINT)
#define VMSTATE_UINT32_ARRAY_V(_f, _s, _n, _v) VMSTATE_ARRAY_V(_f, _s, _n, _v, uint32_t, VMS_UINT)
#define VMSTATE_UINT64_ARRAY_V(_f, _s, _n, _v) VMSTATE_ARRAY_V(_f, _s, _n, _v, uint64_t, VMS_UINT)
#define VMSTATE_BOOL_ARRAY_V(_f, _s, _n, _v)   VMSTATE_ARRAY_V(_f, _s, _n, _v, bool, VMS_BOOL)
#define VMSTATE_UINT8_ARRAY(_f, _s, _n)  VMSTATE_UINT8_ARRAY_V(_f, _s, _n, 0)
#define VMSTATE_UINT16_ARRAY(_f, _s, _n) VMSTATE_UINT16_ARRAY_V(_f, _s, _n, 0)
#define VMSTATE_UINT32_ARRAY(_f, _s, _n) VMSTATE_UINT32_ARRAY_V(_f, _s, _n, 0)
#define VMSTATE_UINT64_ARRAY(_f, _s, _n) VMSTATE_UINT64_ARRAY_V(_f, _s, _n, 0)
#define VMSTATE_BOOL_ARRAY(_f, _s, _n)   VMSTATE_BOOL_ARRAY_V(_f, _s, _n, 0)

/* A two-dimensional array, sent row after row. */
#define VMSTATE_UINT32_2DARRAY(_f, _s, _n1, _n2) {                           \
    .name = #_f, .kind = VMS_UINT,                                           \
    .offset = vmstate_offset(_s, _f, uint32_t[_n1][_n2]),                    \
    .size = sizeof(uint32_t), .num = (_n1) * (_n2),                          \
}

/* A uint8_t array (or a struct member of any type) sent as raw bytes. */
#define VMSTATE_BUFFER_V(_f, _s, _v) {                                       \
    .name = #_f, .kind = VMS_BUFFER, .version_id = (_v),                     \
    .offset = offsetof(_s, _f), .size = sizeof(((_s *)0)->_f), .num = 1,     \
}
#define VMSTATE_BUFFER(_f, _s) VMSTATE_BUFFER_V(_f, _s, 0)

#define VMSTATE_STRUCT_V(_f, _s, _v, _vmsd, _type) {                         \
    .name = #_f, .kind = VMS_STRUCT, .version_id = (_v), .vmsd = &(_vmsd),   \
    .offset = vmstate_offset(_s, _f, _type), .size = sizeof(_type), .num = 1, \
}
#define VMSTATE_STRUCT(_f, _s, _v, _vmsd, _type) VMSTATE_STRUCT_V(_f, _s, _v, _vmsd, _type)
#define VMSTATE_STRUCT_ARRAY(_f, _s, _n, _v, _vmsd, _type) {                 \
    .name = #_f, .kind = VMS_STRUCT, .version_id = (_v), .vmsd = &(_vmsd),   \
    .offset = vmstate_offset(_s, _f, _type[_n]), .size = sizeof(_type),      \
    .num = (_n),                                                             \
}

/*
 * An array of pointers to structs, such as a device's queues: each element
 * travels as a presence byte and, if present, the struct.  Which elements
 * exist follows from the configuration, so it must match on the destination.
 */
#define VMSTATE_STRUCT_PTR_ARRAY(_f, _s, _n, _v, _vmsd, _type) {             \
    .name = #_f, .kind = VMS_STRUCT_PTR, .version_id = (_v), .vmsd = &(_vmsd), \
    .offset = vmstate_offset(_s, _f, _type *[_n]), .size = sizeof(_type *),  \
    .num = (_n),                                                             \
}

/*
 * A bitmap of variable length: the member @_f is an `unsigned long *` and
 * @_nbits a uint64_t member holding its length in bits.  The length travels
 * too and must equal the destination's (it follows from the machine's
 * configuration, e.g. -m), so a load never reallocates.
 */
#define VMSTATE_BITMAP_V(_f, _s, _v, _nbits) {                               \
    .name = #_f, .kind = VMS_BITMAP, .version_id = (_v),                     \
    .offset = vmstate_offset(_s, _f, unsigned long *), .num = 1,             \
    .size = sizeof(unsigned long *),                                         \
    .nbits_offset = vmstate_offset(_s, _nbits, uint64_t),                    \
}
#define VMSTATE_BITMAP(_f, _s, _nbits) VMSTATE_BITMAP_V(_f, _s, 0, _nbits)

/*
 * An embedded QEMUTimer: the deadline travels (-1 when not pending) and the
 * load re-arms or stops the destination's timer.  Deadlines are absolute on
 * the timer's clock, so a QEMU_CLOCK_VIRTUAL timer needs the virtual clock
 * section (system/cpu-timers.c) to land on the source's time.
 */
#define VMSTATE_TIMER_V(_f, _s, _v) {                                        \
    .name = #_f, .kind = VMS_TIMER, .version_id = (_v),                      \
    .offset = vmstate_offset(_s, _f, QEMUTimer), .size = sizeof(QEMUTimer),  \
    .num = 1,                                                                \
}
#define VMSTATE_TIMER(_f, _s) VMSTATE_TIMER_V(_f, _s, 0)

#define VMSTATE_END_OF_LIST() { .kind = VMS_END }

/*
 * Write @opaque's fields as @vmsd describes them (running pre_save and
 * post_save around it); no framing.  False with @errp set on failure.
 */
bool vmstate_save_state(QEMUFile *f, const VMStateDescription *vmsd, void *opaque,
                        Error **errp);
/*
 * Read fields written by version @version_id of @vmsd into @opaque, then run
 * post_load.  Fails with @errp set for a version outside
 * [minimum_version_id, version_id], an invalid value or a short stream;
 * fields may then be partly written: sections loaded through
 * qemu_loadvm_state_devices() are validated before anything is written.
 */
bool vmstate_load_state(QEMUFile *f, const VMStateDescription *vmsd, void *opaque,
                        int version_id, Error **errp);
/* Bytes vmstate_save_state() writes for @opaque at version @version_id. */
size_t vmstate_size(const VMStateDescription *vmsd, void *opaque, int version_id);

/* Instance ids: the device's own index, or ANY for the lowest free one for the name. */
#define VMSTATE_INSTANCE_ID_ANY (-1)
/*
 * Register a device instance for migration; sections are saved in
 * registration order.  Registering the same (name, instance id) twice is a
 * bug.  Returns the instance id used.  BQL held.
 */
int vmstate_register(const VMStateDescription *vmsd, int instance_id, void *opaque);
void vmstate_unregister(const VMStateDescription *vmsd, void *opaque);

/* Stream markers of the device part (docs/devel/migration/vmstate.rst). */
#define VMSTATE_MARKER_SECTION 0x04
#define VMSTATE_MARKER_END     0x0a

/*
 * Every registered section, each framed (name, instance id, version,
 * length, crc32), then the end marker.  vCPUs stopped, BQL held.
 */
bool qemu_savevm_state_devices(QEMUFile *f, Error **errp);
/*
 * Read what qemu_savevm_state_devices() wrote.  Every section is read into
 * a buffer of the exact size the destination expects and its crc checked;
 * every section must name a registered (name, instance) and carry a version
 * it reads, and every registered instance must arrive.  Then all sections
 * are parsed once without writing anything (value checks), applied, and
 * their post_load hooks run (highest priority first, then stream order).
 * Any failure is an error naming the section; only a post_load failure
 * leaves state partly applied, and the caller must not run the guest after
 * any failure.  vCPUs stopped, BQL held.
 */
bool qemu_loadvm_state_devices(QEMUFile *f, Error **errp);

#endif
