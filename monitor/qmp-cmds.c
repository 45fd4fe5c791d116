/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP commands about the monitor and the VM's run state, and the run-state
 * events (STOP, RESUME, SHUTDOWN).
 */
#include "qemu/osdep.h"
#include "monitor/qmp-internal.h"
#include "sysemu/runstate.h"
#include "qapi/error.h"

JsonObject *qmp_version_object(void)
{
    JsonObject *qemu = json_object_new();
    JsonObject *version = json_object_new();

    json_object_set_int_member(qemu, "major", 0);
    json_object_set_int_member(qemu, "minor", 1);
    json_object_set_int_member(qemu, "micro", 0);
    json_object_set_object_member(version, "qemu", qemu);
    json_object_set_string_member(version, "package", "hintvm");
    return version;
}

static JsonNode *qmp_qmp_capabilities(JsonObject *args, Error **errp)
{
    return NULL;
}

static JsonNode *qmp_query_version(JsonObject *args, Error **errp)
{
    return qmp_node_from_object(qmp_version_object());
}

static JsonNode *qmp_query_commands(JsonObject *args, Error **errp)
{
    g_autoptr(GList) names = qmp_command_names();
    JsonArray *list = json_array_new();
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);

    for (GList *l = names; l; l = l->next) {
        JsonObject *entry = json_object_new();
        json_object_set_string_member(entry, "name", l->data);
        json_array_add_object_element(list, entry);
    }
    json_node_take_array(node, list);
    return node;
}

static JsonNode *qmp_query_status(JsonObject *args, Error **errp)
{
    JsonObject *status = json_object_new();

    json_object_set_string_member(status, "status", runstate_name(runstate_get()));
    json_object_set_boolean_member(status, "singlestep", FALSE);
    json_object_set_boolean_member(status, "running", runstate_is_running());
    return qmp_node_from_object(status);
}

static JsonNode *qmp_stop(JsonObject *args, Error **errp)
{
    vm_stop(RUN_STATE_PAUSED);
    return NULL;
}

static JsonNode *qmp_cont(JsonObject *args, Error **errp)
{
    switch (runstate_get()) {
    case RUN_STATE_INMIGRATE:
        error_setg(errp, "Migration is not complete yet");
        error_append_hint(errp, "Wait for the incoming migration to finish\n");
        return NULL;
    case RUN_STATE_SHUTDOWN:
    case RUN_STATE_INTERNAL_ERROR:
    case RUN_STATE_GUEST_PANICKED:
        error_setg(errp, "Resetting the Virtual Machine is required");
        return NULL;
    default:
        vm_start();
        return NULL;
    }
}

static JsonNode *qmp_quit(JsonObject *args, Error **errp)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT, 0);
    return NULL;
}

static JsonNode *qmp_system_reset(JsonObject *args, Error **errp)
{
    qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    return NULL;
}

static JsonNode *qmp_system_powerdown(JsonObject *args, Error **errp)
{
    /*
     * The riscv virt board has no power button the guest listens to (as in
     * QEMU, where this only emits POWERDOWN): the guest decides.
     */
    qapi_event_send("POWERDOWN", NULL);
    return NULL;
}

static void runstate_event(void *opaque, bool running, RunState state)
{
    qapi_event_send(running ? "RESUME" : "STOP", NULL);
}

/* SHUTDOWN with QEMU's data: {"guest": bool, "reason": "host-qmp-quit", ...}. */
static void shutdown_event(Notifier *notifier, void *data)
{
    ShutdownCause cause = *(ShutdownCause *)data;
    JsonObject *event = json_object_new();

    json_object_set_boolean_member(event, "guest", shutdown_cause_is_guest(cause));
    json_object_set_string_member(event, "reason", shutdown_cause_name(cause));
    qapi_event_send("SHUTDOWN", event);
}

static Notifier shutdown_notifier = { .notify = shutdown_event };

void qmp_register_core_commands(void)
{
    static const QmpArgSpec capabilities_args[] = {
        { "enable", QMP_ARG_ANY, true }, { NULL } };

    qmp_register_command("qmp_capabilities", qmp_qmp_capabilities, capabilities_args);
    qmp_register_command("query-version", qmp_query_version, NULL);
    qmp_register_command("query-commands", qmp_query_commands, NULL);
    qmp_register_command("query-status", qmp_query_status, NULL);
    qmp_register_command("stop", qmp_stop, NULL);
    qmp_register_command("cont", qmp_cont, NULL);
    qmp_register_command("quit", qmp_quit, NULL);
    qmp_register_command("system_reset", qmp_system_reset, NULL);
    qmp_register_command("system_powerdown", qmp_system_powerdown, NULL);
    qemu_add_vm_change_state_handler(runstate_event, NULL);
    qemu_register_shutdown_notifier(&shutdown_notifier);
}
