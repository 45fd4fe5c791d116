/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -device: a registry of device types and QEMU-style properties parsed from
 * "driver,prop=value,..." (as `-device virtio-balloon-pci,free-page-hint=on`).
 */
#ifndef HW_QDEV_H
#define HW_QDEV_H

#include "qemu/osdep.h"

typedef struct Error Error;
typedef struct MachineState MachineState;

typedef enum PropertyType {
    PROP_BOOL,          /* on/off */
    PROP_UINT32,
    PROP_UINT64,
    PROP_STRING,        /* char *, g_strdup'ed */
    PROP_LINK_IOTHREAD, /* IOThread *, looked up by id */
} PropertyType;

typedef struct Property {
    const char *name;           /* NULL ends a table */
    PropertyType type;
    size_t offset;              /* where the value lives in the device state */
    const char *help;
    /* Set true when a property is accepted but its feature is not built yet. */
    bool unsupported;
} Property;

#define DEFINE_PROP(_name, _state, _field, _type, _help) \
    { .name = (_name), .type = (_type), .offset = offsetof(_state, _field), .help = (_help) }

typedef struct DeviceTypeInfo {
    const char *name;           /* "virtio-balloon-pci" */
    const char *desc;
    const char *bus;            /* "virtio-bus", "PCI" */
    size_t state_size;
    const Property *props;
    /* Set defaults before properties are applied (may be NULL). */
    void (*instance_init)(void *state);
    /* Wire the device into the machine; @id may be NULL. */
    bool (*realize)(void *state, const char *id, MachineState *ms, Error **errp);
} DeviceTypeInfo;

void device_type_register(const DeviceTypeInfo *info);
/* Create a device from a -device string; errors as QEMU's. */
bool qdev_device_add(const char *optstr, MachineState *ms, Error **errp);
/* Print the registered device types (-device help) or one type's properties. */
void qdev_print_help(const char *driver, FILE *f);

#endif
