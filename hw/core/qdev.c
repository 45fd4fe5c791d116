/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -device: device types, property parsing with QEMU's messages, creation.
 */
#include "qemu/osdep.h"
#include "hw/qdev.h"
#include "qapi/error.h"
#include "qemu/cutils.h"
#include "sysemu/iothread.h"

static GPtrArray *device_types;

void device_type_register(const DeviceTypeInfo *info)
{
    if (!device_types) {
        device_types = g_ptr_array_new();
    }
    g_ptr_array_add(device_types, (gpointer)info);
}

static const DeviceTypeInfo *device_type_find(const char *name)
{
    for (guint i = 0; device_types && i < device_types->len; i++) {
        const DeviceTypeInfo *info = g_ptr_array_index(device_types, i);
        if (!strcmp(info->name, name)) {
            return info;
        }
    }
    return NULL;
}

static const char *const prop_type_names[] = {
    [PROP_BOOL] = "bool", [PROP_UINT32] = "uint32", [PROP_UINT64] = "uint64",
    [PROP_STRING] = "str", [PROP_LINK_IOTHREAD] = "link<iothread>",
};

void qdev_print_help(const char *driver, FILE *f)
{
    const DeviceTypeInfo *info = driver ? device_type_find(driver) : NULL;

    if (!info) {
        for (guint i = 0; device_types && i < device_types->len; i++) {
            const DeviceTypeInfo *t = g_ptr_array_index(device_types, i);
            fprintf(f, "name \"%s\", bus %s, desc \"%s\"\n", t->name, t->bus, t->desc);
        }
        return;
    }
    fprintf(f, "%s options:\n", info->name);
    for (const Property *p = info->props; p && p->name; p++) {
        fprintf(f, "  %s=<%s>%s%s\n", p->name, prop_type_names[p->type],
                p->help ? " - " : "", p->help ? p->help : "");
    }
}

static bool qdev_prop_set(const DeviceTypeInfo *info, const Property *p, void *state,
                          const char *value, Error **errp)
{
    void *field = (char *)state + p->offset;
    uint64_t u;

    switch (p->type) {
    case PROP_BOOL:
        if (!qemu_opt_get_bool(value, field, NULL)) {
            error_setg(errp, "Parameter '%s' expects 'on' or 'off'", p->name);
            return false;
        }
        break;
    case PROP_UINT32:
    case PROP_UINT64:
        if (qemu_strtou64(value, NULL, 0, &u) < 0 ||
            (p->type == PROP_UINT32 && u > UINT32_MAX)) {
            error_setg(errp, "Parameter '%s' expects %s", p->name,
                       p->type == PROP_UINT32 ? "uint32_t" : "uint64_t");
            return false;
        }
        if (p->type == PROP_UINT32) {
            *(uint32_t *)field = u;
        } else {
            *(uint64_t *)field = u;
        }
        break;
    case PROP_STRING:
        g_free(*(char **)field);
        *(char **)field = g_strdup(value);
        break;
    case PROP_LINK_IOTHREAD: {
        IOThread *iothread = iothread_find(value);
        if (!iothread) {
            error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found", value);
            return false;
        }
        *(IOThread **)field = iothread;
        break;
    }
    }
    return true;
}

bool qdev_device_add(const char *optstr, MachineState *ms, Error **errp)
{
    g_autoptr(GHashTable) opts = NULL;
    const DeviceTypeInfo *info;
    const char *driver, *id;
    GHashTableIter iter;
    gpointer key, value;
    void *state;

    if (!qemu_opt_parse_kv(optstr, "driver", &opts, errp)) {
        return false;
    }
    driver = g_hash_table_lookup(opts, "driver");
    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return false;
    }
    if (!strcmp(driver, "help") || !strcmp(driver, "?")) {
        qdev_print_help(NULL, stdout);
        exit(0);
    }
    info = device_type_find(driver);
    if (!info) {
        error_setg(errp, "'%s' is not a valid device model name", driver);
        return false;
    }
    if (g_hash_table_contains(opts, "help")) {
        qdev_print_help(driver, stdout);
        exit(0);
    }
    id = g_hash_table_lookup(opts, "id");
    state = g_malloc0(info->state_size);
    if (info->instance_init) {
        info->instance_init(state);
    }
    g_hash_table_iter_init(&iter, opts);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        const Property *p = info->props;

        if (!strcmp(key, "driver") || !strcmp(key, "id")) {
            continue;
        }
        while (p && p->name && strcmp(p->name, key)) {
            p++;
        }
        if (!p || !p->name) {
            error_setg(errp, "Property '%s.%s' not found", driver, (char *)key);
            g_free(state);
            return false;
        }
        if (p->unsupported) {
            error_setg(errp, "Property '%s.%s' is not supported yet by hintvm", driver,
                       (char *)key);
            g_free(state);
            return false;
        }
        if (!qdev_prop_set(info, p, state, value, errp)) {
            g_free(state);
            return false;
        }
    }
    if (!info->realize(state, id, ms, errp)) {
        g_free(state);
        return false;
    }
    return true;
}
