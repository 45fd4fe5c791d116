/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP commands of migration, with QEMU's names, arguments and replies
 * (docs/interop/qmp.rst): migrate, migrate-incoming, migrate_cancel,
 * query-migrate, migrate-set-parameters, query-migrate-parameters,
 * migrate-set-capabilities, query-migrate-capabilities and the debug
 * command x-query-ram-digest.  Each is a thin layer over the C API.
 */
#include "qemu/osdep.h"
#include "migration/migration.h"
#include "migration/options.h"
#include "migration/ram.h"
#include "migration/ram-digest.h"
#include "exec/ramblock.h"
#include "monitor/monitor.h"
#include "qapi/error.h"

static JsonNode *qmp_migrate(JsonObject *args, Error **errp)
{
    if (json_object_has_member(args, "blk") &&
        json_object_get_boolean_member(args, "blk")) {
        error_setg(errp, "Block migration is not supported by hintvm");
        return NULL;
    }
    if (json_object_has_member(args, "inc") &&
        json_object_get_boolean_member(args, "inc")) {
        error_setg(errp, "Block migration is not supported by hintvm");
        return NULL;
    }
    if (json_object_has_member(args, "resume") &&
        json_object_get_boolean_member(args, "resume")) {
        error_setg(errp, "Cannot resume if there is no paused migration");
        return NULL;
    }
    migrate_start(json_object_get_string_member(args, "uri"), errp);
    return NULL;
}

static JsonNode *qmp_migrate_incoming(JsonObject *args, Error **errp)
{
    migration_incoming_start(json_object_get_string_member(args, "uri"), errp);
    return NULL;
}

static JsonNode *qmp_migrate_cancel(JsonObject *args, Error **errp)
{
    migrate_cancel();
    return NULL;
}

static JsonObject *ram_info(const MigrationInfo *info)
{
    JsonObject *ram = json_object_new();
    RAMStats st;
    double mbps = info->mbps_x1000 / 1000.0;

    ram_get_stats(&st);
    if (info->status == MIGRATION_STATUS_COMPLETED && info->total_time > 0) {
        /* Completed: the average over the whole migration, as QEMU reports it. */
        mbps = (double)info->transferred * 8 / info->total_time / 1000;
    }
    json_object_set_int_member(ram, "transferred", info->transferred);
    json_object_set_int_member(ram, "remaining", st.remaining_bytes);
    json_object_set_int_member(ram, "total", st.total_bytes);
    json_object_set_int_member(ram, "duplicate", st.zero_pages);
    json_object_set_int_member(ram, "skipped", 0);
    json_object_set_int_member(ram, "normal", st.normal_pages);
    json_object_set_int_member(ram, "normal-bytes", st.normal_pages * TARGET_PAGE_SIZE);
    json_object_set_int_member(ram, "dirty-pages-rate", st.dirty_pages_rate);
    json_object_set_double_member(ram, "mbps", mbps);
    json_object_set_int_member(ram, "dirty-sync-count", st.dirty_sync_count);
    json_object_set_int_member(ram, "postcopy-requests", 0);
    json_object_set_int_member(ram, "page-size", TARGET_PAGE_SIZE);
    json_object_set_int_member(ram, "multifd-bytes", 0);
    json_object_set_int_member(ram, "pages-per-second", info->pages_per_second);
    json_object_set_int_member(ram, "precopy-bytes", info->precopy_bytes);
    json_object_set_int_member(ram, "downtime-bytes", info->downtime_bytes);
    json_object_set_int_member(ram, "postcopy-bytes", 0);
    json_object_set_int_member(ram, "dirty-sync-missed-zero-copy", 0);
    /* hintvm's own figures: pages never read because of the balloon or the host. */
    json_object_set_int_member(ram, "x-ballooned-pages", st.ballooned_pages);
    json_object_set_int_member(ram, "x-unbacked-pages", st.unbacked_pages);
    return ram;
}

static JsonNode *qmp_query_migrate(JsonObject *args, Error **errp)
{
    JsonObject *obj = json_object_new();
    MigrationInfo info;

    migration_get_info(&info);
    if (info.status == MIGRATION_STATUS_NONE) {
        return qmp_node_from_object(obj);
    }
    json_object_set_string_member(obj, "status", migration_status_name(info.status));
    if (info.incoming) {
        if (info.total_time) {
            json_object_set_int_member(obj, "total-time", info.total_time);
        }
        /* hintvm's own: the bytes of the stream read so far. */
        json_object_set_int_member(obj, "x-received-bytes", info.transferred);
        return qmp_node_from_object(obj);
    }
    json_object_set_int_member(obj, "setup-time", info.setup_time);
    json_object_set_int_member(obj, "total-time", info.total_time);
    if (info.has_expected_downtime) {
        json_object_set_int_member(obj, "expected-downtime", info.expected_downtime);
    }
    if (info.has_downtime) {
        json_object_set_int_member(obj, "downtime", info.downtime);
    }
    json_object_set_object_member(obj, "ram", ram_info(&info));
    if (info.throttle_percentage) {
        json_object_set_int_member(obj, "cpu-throttle-percentage",
                                   info.throttle_percentage);
    }
    if (info.error_desc) {
        json_object_set_string_member(obj, "error-desc", info.error_desc);
        g_free(info.error_desc);
    }
    return qmp_node_from_object(obj);
}

static JsonNode *qmp_migrate_set_parameters(JsonObject *args, Error **errp)
{
    MigrationParameterUpdate update = { 0 };

    for (int p = 0; p < MIGRATION_PARAMETER__MAX; p++) {
        const char *name = migrate_parameter_name(p);

        if (!json_object_has_member(args, name)) {
            continue;
        }
        update.has[p] = true;
        update.value[p] = migrate_parameter_is_bool(p)
                              ? json_object_get_boolean_member(args, name)
                              : json_object_get_int_member(args, name);
    }
    migrate_set_parameters(&update, errp);
    return NULL;
}

static JsonNode *qmp_query_migrate_parameters(JsonObject *args, Error **errp)
{
    JsonObject *obj = json_object_new();

    for (int p = 0; p < MIGRATION_PARAMETER__MAX; p++) {
        if (migrate_parameter_is_bool(p)) {
            json_object_set_boolean_member(obj, migrate_parameter_name(p),
                                           migrate_parameter(p));
        } else {
            json_object_set_int_member(obj, migrate_parameter_name(p),
                                       migrate_parameter(p));
        }
    }
    return qmp_node_from_object(obj);
}

static JsonNode *qmp_migrate_set_capabilities(JsonObject *args, Error **errp)
{
    JsonNode *list = json_object_get_member(args, "capabilities");
    MigrationCapabilityUpdate update = { 0 };
    JsonArray *array;

    if (!JSON_NODE_HOLDS_ARRAY(list)) {
        error_setg(errp, "Invalid parameter type for 'capabilities', expected: array");
        return NULL;
    }
    array = json_node_get_array(list);
    for (guint i = 0; i < json_array_get_length(array); i++) {
        JsonNode *item = json_array_get_element(array, i);
        JsonObject *entry;
        JsonNode *name, *state;
        int c;

        if (!JSON_NODE_HOLDS_OBJECT(item)) {
            error_setg(errp,
                       "Invalid parameter type for 'capabilities[%u]', expected: "
                       "object",
                       i);
            return NULL;
        }
        entry = json_node_get_object(item);
        name = json_object_get_member(entry, "capability");
        state = json_object_get_member(entry, "state");
        if (!name || !state) {
            error_setg(errp, "Parameter '%s' is missing", name ? "state" : "capability");
            return NULL;
        }
        if (json_node_get_value_type(name) != G_TYPE_STRING) {
            error_setg(errp, "Invalid parameter type for 'capability', expected: string");
            return NULL;
        }
        if (json_node_get_value_type(state) != G_TYPE_BOOLEAN) {
            error_setg(errp, "Invalid parameter type for 'state', expected: boolean");
            return NULL;
        }
        c = migrate_capability_lookup(json_node_get_string(name));
        if (c < 0) {
            error_setg(errp, "Parameter 'capability' does not accept value '%s'",
                       json_node_get_string(name));
            return NULL;
        }
        update.has[c] = true;
        update.state[c] = json_node_get_boolean(state);
    }
    migrate_set_capabilities(&update, errp);
    return NULL;
}

static JsonNode *qmp_query_migrate_capabilities(JsonObject *args, Error **errp)
{
    JsonArray *list = json_array_new();
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);

    for (int c = 0; c < MIGRATION_CAPABILITY__MAX; c++) {
        JsonObject *entry = json_object_new();

        json_object_set_string_member(entry, "capability", migrate_capability_name(c));
        json_object_set_boolean_member(entry, "state", migrate_capability(c));
        json_array_add_object_element(list, entry);
    }
    json_node_take_array(node, list);
    return node;
}

static JsonNode *qmp_x_query_ram_digest(JsonObject *args, Error **errp)
{
    g_autoptr(GPtrArray) digests = ram_digest_compute();
    JsonObject *obj = json_object_new();
    JsonArray *blocks = json_array_new();

    for (guint i = 0; i < digests->len; i++) {
        RAMBlockDigest *d = g_ptr_array_index(digests, i);
        JsonObject *block = json_object_new();
        JsonArray *ranges = json_array_new();

        json_object_set_string_member(block, "id", d->id);
        json_object_set_int_member(block, "size", d->size);
        json_object_set_string_member(block, "digest", d->digest);
        json_object_set_int_member(block, "range-size", RAM_DIGEST_RANGE_SIZE);
        for (guint r = 0; r < d->ranges->len; r++) {
            json_array_add_string_element(ranges, g_ptr_array_index(d->ranges, r));
        }
        json_object_set_array_member(block, "ranges", ranges);
        json_array_add_object_element(blocks, block);
    }
    json_object_set_array_member(obj, "blocks", blocks);
    return qmp_node_from_object(obj);
}

void migration_register_commands(void)
{
    static const QmpArgSpec migrate_args[] = {
        { "uri", QMP_ARG_STR },           { "blk", QMP_ARG_BOOL, true },
        { "inc", QMP_ARG_BOOL, true },    { "detach", QMP_ARG_BOOL, true },
        { "resume", QMP_ARG_BOOL, true }, { NULL }
    };
    static const QmpArgSpec incoming_args[] = { { "uri", QMP_ARG_STR }, { NULL } };
    static const QmpArgSpec capabilities_args[] = { { "capabilities", QMP_ARG_ANY },
                                                    { NULL } };
    static QmpArgSpec parameter_args[MIGRATION_PARAMETER__MAX + 1];

    for (int p = 0; p < MIGRATION_PARAMETER__MAX; p++) {
        parameter_args[p] =
            (QmpArgSpec){ migrate_parameter_name(p),
                          migrate_parameter_is_bool(p) ? QMP_ARG_BOOL : QMP_ARG_INT,
                          true };
    }
    qmp_register_command("migrate", qmp_migrate, migrate_args);
    qmp_register_command("migrate-incoming", qmp_migrate_incoming, incoming_args);
    qmp_register_command("migrate_cancel", qmp_migrate_cancel, NULL);
    qmp_register_command("query-migrate", qmp_query_migrate, NULL);
    qmp_register_command("migrate-set-parameters", qmp_migrate_set_parameters,
                         parameter_args);
    qmp_register_command("query-migrate-parameters", qmp_query_migrate_parameters, NULL);
    qmp_register_command("migrate-set-capabilities", qmp_migrate_set_capabilities,
                         capabilities_args);
    qmp_register_command("query-migrate-capabilities", qmp_query_migrate_capabilities,
                         NULL);
    qmp_register_command("x-query-ram-digest", qmp_x_query_ram_digest, NULL);
}
