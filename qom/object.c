/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A flat table of QOM paths and their properties, and the qom-get, qom-set
 * and qom-list commands over it.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "monitor/monitor.h"
#include "qapi/error.h"

typedef struct ObjectProperty {
    char *name;
    char *type;
    ObjectPropertyGet get;
    ObjectPropertySet set;
    void *opaque;
} ObjectProperty;

typedef struct Object {
    char *path;
    char *type_name;
    GPtrArray *props;
} Object;

static GHashTable *objects; /* path -> Object */

static Object *object_lookup(const char *path)
{
    return objects ? g_hash_table_lookup(objects, path) : NULL;
}

void object_register(const char *path, const char *type_name)
{
    Object *obj;

    if (!objects) {
        objects = g_hash_table_new(g_str_hash, g_str_equal);
    }
    obj = g_new0(Object, 1);
    obj->path = g_strdup(path);
    obj->type_name = g_strdup(type_name);
    obj->props = g_ptr_array_new();
    g_hash_table_insert(objects, obj->path, obj);
}

void object_property_add(const char *path, const char *name, const char *type,
                         ObjectPropertyGet get, ObjectPropertySet set, void *opaque)
{
    Object *obj = object_lookup(path);
    ObjectProperty *prop = g_new0(ObjectProperty, 1);

    g_assert(obj);
    prop->name = g_strdup(name);
    prop->type = g_strdup(type);
    prop->get = get;
    prop->set = set;
    prop->opaque = opaque;
    g_ptr_array_add(obj->props, prop);
}

const char *object_resolve_path(const char *path, Error **errp)
{
    GHashTableIter iter;
    gpointer key;
    const char *found = NULL;

    if (object_lookup(path)) {
        return object_lookup(path)->path;
    }
    if (path[0] != '/' && objects) {
        /* A partial path names an object whose last component matches, if unique. */
        g_hash_table_iter_init(&iter, objects);
        while (g_hash_table_iter_next(&iter, &key, NULL)) {
            const char *base = strrchr(key, '/');
            if (base && !strcmp(base + 1, path)) {
                if (found) {
                    error_setg(errp, "Path '%s' does not uniquely identify an object",
                               path);
                    return NULL;
                }
                found = key;
            }
        }
    }
    if (!found) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found", path);
    }
    return found;
}

static ObjectProperty *object_find_property(const char *path, const char *name,
                                            Error **errp)
{
    const char *resolved = object_resolve_path(path, errp);
    Object *obj;

    if (!resolved) {
        return NULL;
    }
    obj = object_lookup(resolved);
    for (guint i = 0; i < obj->props->len; i++) {
        ObjectProperty *prop = g_ptr_array_index(obj->props, i);
        if (!strcmp(prop->name, name)) {
            return prop;
        }
    }
    error_setg(errp, "Property '%s.%s' not found", obj->type_name, name);
    return NULL;
}

/* The property named by a qom-get/qom-set request's "path" and "property". */
static ObjectProperty *qmp_find_property(JsonObject *args, Error **errp)
{
    return object_find_property(json_object_get_string_member(args, "path"),
                                json_object_get_string_member(args, "property"), errp);
}

static JsonNode *qmp_qom_get(JsonObject *args, Error **errp)
{
    ObjectProperty *prop = qmp_find_property(args, errp);

    if (!prop) {
        return NULL;
    }
    if (!prop->get) {
        error_setg(errp, "Property '%s' is not readable", prop->name);
        return NULL;
    }
    return prop->get(prop->opaque, errp);
}

static JsonNode *qmp_qom_set(JsonObject *args, Error **errp)
{
    ObjectProperty *prop = qmp_find_property(args, errp);

    if (!prop) {
        return NULL;
    }
    if (!prop->set) {
        error_setg(errp, "Property '%s' is not writable", prop->name);
        return NULL;
    }
    prop->set(prop->opaque, json_object_get_member(args, "value"), errp);
    return NULL;
}

static JsonNode *qmp_qom_list(JsonObject *args, Error **errp)
{
    const char *path = json_object_get_string_member(args, "path");
    JsonArray *list = json_array_new();
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);
    GHashTableIter iter;
    gpointer key, value;
    Object *obj = object_lookup(path);
    size_t plen = strlen(path);

    if (obj) {
        for (guint i = 0; i < obj->props->len; i++) {
            ObjectProperty *prop = g_ptr_array_index(obj->props, i);
            JsonObject *entry = json_object_new();
            json_object_set_string_member(entry, "name", prop->name);
            json_object_set_string_member(entry, "type", prop->type);
            json_array_add_object_element(list, entry);
        }
    }
    /* Children: objects whose path continues this one by one component. */
    if (objects) {
        g_hash_table_iter_init(&iter, objects);
        while (g_hash_table_iter_next(&iter, &key, &value)) {
            const char *p = key;
            if (!strncmp(p, path, plen) && p[plen] == '/' && !strchr(p + plen + 1, '/')) {
                JsonObject *entry = json_object_new();
                g_autofree char *type = g_strdup_printf("child<%s>",
                                                        ((Object *)value)->type_name);
                json_object_set_string_member(entry, "name", p + plen + 1);
                json_object_set_string_member(entry, "type", type);
                json_array_add_object_element(list, entry);
            }
        }
    }
    json_node_take_array(node, list);
    return node;
}

void qom_register_commands(void)
{
    static const QmpArgSpec get_args[] = {
        { "path", QMP_ARG_STR }, { "property", QMP_ARG_STR }, { NULL } };
    static const QmpArgSpec set_args[] = {
        { "path", QMP_ARG_STR }, { "property", QMP_ARG_STR }, { "value", QMP_ARG_ANY },
        { NULL } };
    static const QmpArgSpec list_args[] = { { "path", QMP_ARG_STR }, { NULL } };

    qmp_register_command("qom-get", qmp_qom_get, get_args);
    qmp_register_command("qom-set", qmp_qom_set, set_args);
    qmp_register_command("qom-list", qmp_qom_list, list_args);
}
