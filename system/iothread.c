/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IOThreads: a thread per -object iothread, each iterating its own GLib
 * main context until the process ends.
 */
#include "qemu/osdep.h"
#include "sysemu/iothread.h"
#include "qapi/error.h"
#include "qemu/cutils.h"
#include "qom/object.h"

struct IOThread {
    char *id;
    GMainContext *context;
    GThread *thread;
};

static GPtrArray *iothreads;

static gpointer iothread_run(gpointer opaque)
{
    IOThread *iothread = opaque;

    g_main_context_push_thread_default(iothread->context);
    /* IOThreads live as long as the process, as the devices that use them. */
    for (;;) {
        g_main_context_iteration(iothread->context, TRUE);
    }
    return NULL;
}

IOThread *iothread_find(const char *id)
{
    for (guint i = 0; iothreads && i < iothreads->len; i++) {
        IOThread *iothread = g_ptr_array_index(iothreads, i);
        if (!strcmp(iothread->id, id)) {
            return iothread;
        }
    }
    return NULL;
}

IOThread *iothread_create(const char *id, Error **errp)
{
    IOThread *iothread;
    g_autofree char *path = NULL;

    if (iothread_find(id)) {
        error_setg(errp, "attempt to add duplicate property '%s' to object (type 'container')",
                   id);
        return NULL;
    }
    iothread = g_new0(IOThread, 1);
    iothread->id = g_strdup(id);
    iothread->context = g_main_context_new();
    iothread->thread = g_thread_new(id, iothread_run, iothread);
    if (!iothreads) {
        iothreads = g_ptr_array_new();
    }
    g_ptr_array_add(iothreads, iothread);
    path = g_strdup_printf("/objects/%s", id);
    object_register(path, "iothread");
    return iothread;
}

GMainContext *iothread_get_context(IOThread *iothread)
{
    return iothread->context;
}

void iothread_schedule(IOThread *iothread, GSourceFunc fn, gpointer opaque)
{
    g_main_context_invoke(iothread->context, fn, opaque);
}

bool user_creatable_add(const char *optstr, Error **errp)
{
    static const char *const known[] = { "qom-type", "id", "poll-max-ns", "poll-grow",
                                         "poll-shrink", "aio-max-batch", NULL };
    g_autoptr(GHashTable) opts = NULL;
    const char *type, *id;

    if (!qemu_opt_parse_kv(optstr, "qom-type", &opts, errp)) {
        return false;
    }
    type = g_hash_table_lookup(opts, "qom-type");
    id = g_hash_table_lookup(opts, "id");
    if (!type) {
        error_setg(errp, "Parameter 'qom-type' is missing");
        return false;
    }
    if (strcmp(type, "iothread")) {
        error_setg(errp, "Invalid parameter type for 'qom-type', expected: iothread");
        error_append_hint(errp, "hintvm supports -object iothread only\n");
        return false;
    }
    if (!qemu_opt_check_known(opts, "iothread", known, errp)) {
        return false;
    }
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return false;
    }
    return iothread_create(id, errp) != NULL;
}
