/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared between migration/vmstate.c (field encoding) and migration/savevm.c
 * (sections); nothing outside migration/ needs these.
 */
#ifndef MIGRATION_VMSTATE_INTERNAL_H
#define MIGRATION_VMSTATE_INTERNAL_H

#include "migration/vmstate.h"

/*
 * Read the fields of version @version_id of @vmsd.  With @apply false nothing
 * is written to @opaque (a dry run that only checks the stream); with
 * @apply true the fields are stored and nested descriptions' post_load hooks
 * run, but not @vmsd's own.
 */
bool vmstate_load_fields(QEMUFile *f, const VMStateDescription *vmsd, void *opaque,
                         int version_id, bool apply, Error **errp);
/* Whether this build reads version @version_id of @vmsd. */
bool vmstate_check_version(const VMStateDescription *vmsd, int version_id, Error **errp);

#endif
