/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Registered device instances and their sections on the stream
 * (docs/devel/migration/vmstate.rst, "Sections").
 *
 * The destination reads the whole device part before it writes anything: each
 * section lands in a buffer of exactly the size its own description expects
 * (so a corrupt length can neither exhaust memory nor shift the parse), the
 * crc is checked, every section is parsed once as a dry run, and only then
 * are fields stored and post_load hooks run.
 */
#include "qemu/osdep.h"
#include "migration/vmstate.h"
#include "migration/vmstate-internal.h"

typedef struct SaveStateEntry {
    const VMStateDescription *vmsd;
    int instance_id;
    void *opaque;
} SaveStateEntry;

/* In registration order, which is the save order. */
static GPtrArray *savevm_entries;

static SaveStateEntry *find_entry(const char *name, int instance_id, guint *index)
{
    for (guint i = 0; savevm_entries && i < savevm_entries->len; i++) {
        SaveStateEntry *se = g_ptr_array_index(savevm_entries, i);

        if (se->instance_id == instance_id && !strcmp(se->vmsd->name, name)) {
            if (index) {
                *index = i;
            }
            return se;
        }
    }
    return NULL;
}

int vmstate_register(const VMStateDescription *vmsd, int instance_id, void *opaque)
{
    SaveStateEntry *se;

    g_assert(strlen(vmsd->name) <= 255);
    if (!savevm_entries) {
        savevm_entries = g_ptr_array_new_with_free_func(g_free);
    }
    if (instance_id == VMSTATE_INSTANCE_ID_ANY) {
        instance_id = 0;
        while (find_entry(vmsd->name, instance_id, NULL)) {
            instance_id++;
        }
    } else if (find_entry(vmsd->name, instance_id, NULL)) {
        g_error("vmstate: section '%s' instance %d registered twice", vmsd->name,
                instance_id);
    }
    se = g_new(SaveStateEntry, 1);
    *se = (SaveStateEntry){ .vmsd = vmsd, .instance_id = instance_id, .opaque = opaque };
    g_ptr_array_add(savevm_entries, se);
    return instance_id;
}

void vmstate_unregister(const VMStateDescription *vmsd, void *opaque)
{
    for (guint i = 0; savevm_entries && i < savevm_entries->len; i++) {
        SaveStateEntry *se = g_ptr_array_index(savevm_entries, i);

        if (se->vmsd == vmsd && se->opaque == opaque) {
            g_ptr_array_remove_index(savevm_entries, i);
            return;
        }
    }
}

static bool save_section(QEMUFile *f, SaveStateEntry *se, Error **errp)
{
    QEMUFile *payload = qemu_file_new_mem_output();
    const uint8_t *data;
    size_t len;
    bool ok;

    ok = vmstate_save_state(payload, se->vmsd, se->opaque, errp);
    if (ok) {
        data = qemu_file_mem_data(payload, &len);
        /* The loader relies on this: the length follows from the description. */
        g_assert(len == vmstate_size(se->vmsd, se->opaque, se->vmsd->version_id));
        if (len > UINT32_MAX) {
            error_setg(errp, "%zu bytes do not fit a section", len);
            ok = false;
        }
    }
    if (ok) {
        qemu_put_byte(f, VMSTATE_MARKER_SECTION);
        qemu_file_crc_reset(f);
        qemu_put_counted_string(f, se->vmsd->name);
        qemu_put_be32(f, se->instance_id);
        qemu_put_be32(f, se->vmsd->version_id);
        qemu_put_be32(f, len);
        qemu_put_buffer(f, data, len);
        qemu_put_be32(f, qemu_file_crc(f));
    } else {
        error_prepend(errp, "section '%s' instance %d: ", se->vmsd->name, se->instance_id);
    }
    qemu_fclose(payload);
    return ok;
}

bool qemu_savevm_state_devices(QEMUFile *f, Error **errp)
{
    int err;

    for (guint i = 0; savevm_entries && i < savevm_entries->len; i++) {
        if (!save_section(f, g_ptr_array_index(savevm_entries, i), errp)) {
            return false;
        }
    }
    qemu_put_byte(f, VMSTATE_MARKER_END);
    err = qemu_file_get_error(f);
    if (err) {
        error_setg_errno(errp, -err, "Failed to write the device state");
        return false;
    }
    return true;
}

typedef struct LoadedSection {
    SaveStateEntry *se;
    int version_id;
    uint8_t *data;
    size_t len;
} LoadedSection;

static void loaded_section_clear(gpointer p)
{
    g_free(((LoadedSection *)p)->data);
}

/* Read one framed section into @ls; the marker has been consumed. */
static bool read_section(QEMUFile *f, LoadedSection *ls, bool *seen, Error **errp)
{
    char name[256];
    int instance_id, version_id;
    uint32_t len, crc;
    size_t expected;
    guint index;

    qemu_file_crc_reset(f);
    qemu_get_counted_string(f, name);
    instance_id = qemu_get_be32(f);
    version_id = qemu_get_be32(f);
    len = qemu_get_be32(f);
    if (qemu_file_get_error(f)) {
        error_setg(errp, "device state truncated in a section header");
        return false;
    }
    ls->se = find_entry(name, instance_id, &index);
    if (!ls->se) {
        g_autofree char *printable = g_strescape(name, NULL);

        error_setg(errp, "Unknown savevm section or instance '%s' %d. Make sure that your "
                   "current VM setup matches your saved VM setup, including any "
                   "hotplugged devices", printable, instance_id);
        return false;
    }
    if (seen[index]) {
        error_setg(errp, "section '%s' instance %d appears twice", name, instance_id);
        return false;
    }
    seen[index] = true;
    if (!vmstate_check_version(ls->se->vmsd, version_id, errp)) {
        error_prepend(errp, "section '%s' instance %d: ", name, instance_id);
        return false;
    }
    expected = vmstate_size(ls->se->vmsd, ls->se->opaque, version_id);
    if (len != expected) {
        error_setg(errp, "section '%s' instance %d: %" PRIu32 " bytes where version %d "
                   "of the device has %zu (corrupted stream or a different machine)",
                   name, instance_id, len, version_id, expected);
        return false;
    }
    ls->version_id = version_id;
    ls->len = len;
    ls->data = g_malloc(len);
    qemu_get_buffer(f, ls->data, len);
    crc = qemu_file_crc(f);
    if (qemu_get_be32(f) != crc || qemu_file_get_error(f)) {
        error_setg(errp, "section '%s' instance %d: %s", name, instance_id,
                   qemu_file_get_error(f) ? "device state truncated"
                                          : "checksum mismatch (corrupted stream)");
        return false;
    }
    return true;
}

/* Parse @ls once; with @apply false this only checks it. */
static bool parse_section(LoadedSection *ls, bool apply, Error **errp)
{
    QEMUFile *in = qemu_file_new_mem_input(ls->data, ls->len);
    bool ok = vmstate_load_fields(in, ls->se->vmsd, ls->se->opaque, ls->version_id,
                                  apply, errp);

    qemu_fclose(in);
    if (!ok) {
        error_prepend(errp, "section '%s' instance %d: ", ls->se->vmsd->name,
                      ls->se->instance_id);
    }
    return ok;
}

static bool read_all_sections(QEMUFile *f, GArray *sections, Error **errp)
{
    guint nr_entries = savevm_entries ? savevm_entries->len : 0;
    g_autofree bool *seen = g_new0(bool, nr_entries + 1);

    for (;;) {
        LoadedSection ls = { 0 };
        uint8_t marker = qemu_get_byte(f);

        if (qemu_file_get_error(f)) {
            error_setg(errp, "device state truncated before its end marker");
            return false;
        }
        if (marker == VMSTATE_MARKER_END) {
            break;
        }
        if (marker != VMSTATE_MARKER_SECTION) {
            error_setg(errp, "unexpected byte 0x%02x where a device section should start",
                       marker);
            return false;
        }
        /* Appended first so that a failed read's buffer is freed with the rest. */
        g_array_append_val(sections, ls);
        if (!read_section(f, &g_array_index(sections, LoadedSection, sections->len - 1),
                          seen, errp)) {
            return false;
        }
    }
    for (guint i = 0; i < nr_entries; i++) {
        SaveStateEntry *se = g_ptr_array_index(savevm_entries, i);

        if (!seen[i]) {
            error_setg(errp, "section '%s' instance %d is missing from the stream: the "
                       "source machine does not have this device", se->vmsd->name,
                       se->instance_id);
            return false;
        }
    }
    return true;
}

bool qemu_loadvm_state_devices(QEMUFile *f, Error **errp)
{
    g_autoptr(GArray) sections = g_array_new(false, true, sizeof(LoadedSection));

    g_array_set_clear_func(sections, loaded_section_clear);
    if (!read_all_sections(f, sections, errp)) {
        return false;
    }
    for (guint i = 0; i < sections->len; i++) {
        if (!parse_section(&g_array_index(sections, LoadedSection, i), false, errp)) {
            return false;
        }
    }
    /* The stream is sound: from here on only a post_load check can fail. */
    for (guint i = 0; i < sections->len; i++) {
        if (!parse_section(&g_array_index(sections, LoadedSection, i), true, errp)) {
            return false;
        }
    }
    for (int priority = MIG_PRI_CLOCK; priority >= MIG_PRI_DEFAULT; priority--) {
        for (guint i = 0; i < sections->len; i++) {
            LoadedSection *ls = &g_array_index(sections, LoadedSection, i);
            const VMStateDescription *vmsd = ls->se->vmsd;

            if (vmsd->priority == priority && vmsd->post_load &&
                !vmsd->post_load(ls->se->opaque, ls->version_id, errp)) {
                error_prepend(errp, "section '%s' instance %d: ", vmsd->name,
                              ls->se->instance_id);
                return false;
            }
        }
    }
    return true;
}
