/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MONITOR_QMP_INTERNAL_H
#define MONITOR_QMP_INTERNAL_H

#include "monitor/monitor.h"

/* Registered command names, sorted (caller frees the list, not the names). */
GList *qmp_command_names(void);
/* {"qemu": {"major", "minor", "micro"}, "package"} for the greeting and query-version. */
JsonObject *qmp_version_object(void);

#endif
