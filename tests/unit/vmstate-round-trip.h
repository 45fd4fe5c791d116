/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device tests: save one instance with its description, load the bytes into
 * another, as a migration would (without the section framing, which
 * test-vmstate covers).
 */
#ifndef TESTS_UNIT_VMSTATE_ROUND_TRIP_H
#define TESTS_UNIT_VMSTATE_ROUND_TRIP_H

#include "migration/vmstate.h"

static inline void vmstate_round_trip(const VMStateDescription *vmsd, void *src, void *dst)
{
    QEMUFile *out = qemu_file_new_mem_output(), *in;
    const uint8_t *data;
    size_t len;

    g_assert_true(vmstate_save_state(out, vmsd, src, &error_abort));
    data = qemu_file_mem_data(out, &len);
    g_assert_cmpuint(len, ==, vmstate_size(vmsd, src, vmsd->version_id));
    in = qemu_file_new_mem_input(data, len);
    g_assert_true(vmstate_load_state(in, vmsd, dst, vmsd->version_id, &error_abort));
    g_assert_cmpint(qemu_file_get_error(in), ==, 0);
    qemu_fclose(in);
    qemu_fclose(out);
}

/* The same, for a load that must fail: returns its error message (g_free it). */
static inline char *vmstate_round_trip_error(const VMStateDescription *vmsd, void *src,
                                             void *dst)
{
    QEMUFile *out = qemu_file_new_mem_output(), *in;
    const uint8_t *data;
    Error *err = NULL;
    char *msg;
    size_t len;

    g_assert_true(vmstate_save_state(out, vmsd, src, &error_abort));
    data = qemu_file_mem_data(out, &len);
    in = qemu_file_new_mem_input(data, len);
    g_assert_false(vmstate_load_state(in, vmsd, dst, vmsd->version_id, &err));
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    qemu_fclose(in);
    qemu_fclose(out);
    return msg;
}

#endif
