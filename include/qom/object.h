/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal QOM tree for qom-get/qom-set/qom-list: objects by path
 * ("/machine/peripheral/<id>", "/objects/<id>") with typed properties.
 */
#ifndef QOM_OBJECT_H
#define QOM_OBJECT_H

#include "qemu/osdep.h"
#include <json-glib/json-glib.h>

typedef struct Error Error;

typedef JsonNode *(*ObjectPropertyGet)(void *opaque, Error **errp);
typedef bool (*ObjectPropertySet)(void *opaque, JsonNode *value, Error **errp);

/* Register object @path of QOM type @type_name (shown by qom-list as "type"). */
void object_register(const char *path, const char *type_name);
void object_property_add(const char *path, const char *name, const char *type,
                         ObjectPropertyGet get, ObjectPropertySet set, void *opaque);
/* Resolve a full path or a unique partial path ("balloon0"). */
const char *object_resolve_path(const char *path, Error **errp);

/* Register qom-get, qom-set, qom-list. */
void qom_register_commands(void);

#endif
