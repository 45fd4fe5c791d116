/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QMP monitor: a JSON command server on a socket, with QEMU's greeting,
 * capabilities negotiation, command names, error classes and events.
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include "qemu/osdep.h"
#include <json-glib/json-glib.h>

typedef struct Error Error;

/* -qmp unix:PATH,server=on,wait=off | tcp:HOST:PORT,server=on,wait=off */
bool monitor_init_qmp(const char *spec, Error **errp);

typedef enum QmpArgType {
    QMP_ARG_STR,
    QMP_ARG_INT,
    QMP_ARG_BOOL,
    QMP_ARG_NUMBER,
    QMP_ARG_OBJECT,
    QMP_ARG_ANY,
} QmpArgType;

typedef struct QmpArgSpec {
    const char *name;       /* NULL ends the list */
    QmpArgType type;
    bool optional;
} QmpArgSpec;

/*
 * A command handler runs on the main loop with the BQL held.  @args has been
 * checked against the command's QmpArgSpec list.  It returns the "return"
 * value (NULL means {}), or sets @errp.
 */
typedef JsonNode *QmpCommandFunc(JsonObject *args, Error **errp);

void qmp_register_command(const char *name, QmpCommandFunc *fn, const QmpArgSpec *args);

/* Emit an event to every client past capabilities negotiation; takes @data (may be NULL). */
void qapi_event_send(const char *event, JsonObject *data);

/*
 * Register the built-in commands (monitor, run state) and the run-state
 * events (STOP, RESUME, SHUTDOWN), which subscribe to system/runstate.c.
 */
void qmp_register_core_commands(void);

/* Helpers for handlers building return values. */
JsonNode *qmp_node_from_object(JsonObject *obj);

#endif
