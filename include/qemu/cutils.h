/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * String helpers for the command line: strict number and size parsing with
 * QEMU's syntax, and QEMU's "key=value,key2=value2" option strings.
 */
#ifndef QEMU_CUTILS_H
#define QEMU_CUTILS_H

#include "qemu/osdep.h"

struct Error;

/*
 * Integer parsing.  Leading white space is skipped; @base is as for
 * strtol() (0 accepts 0x.. hex and 0.. octal).  Returns 0 on success,
 * -EINVAL when there is no number, when @nptr is NULL, or when @endptr is
 * NULL and characters follow the number; -ERANGE on overflow (with *result
 * clamped).  With @endptr, *endptr points after the number (at @nptr when
 * there was none).  Unlike strtoull(), qemu_strtou64() rejects a minus sign
 * with -ERANGE instead of wrapping around.
 */
int qemu_strtoi(const char *nptr, const char **endptr, int base, int *result);
int qemu_strtoi64(const char *nptr, const char **endptr, int base, int64_t *result);
int qemu_strtou64(const char *nptr, const char **endptr, int base, uint64_t *result);

/*
 * Sizes with QEMU's syntax: a decimal number, optionally with a fraction
 * ("1.5G"), or a 0x hex integer, then an optional unit suffix B K M G T P E
 * (case-insensitive, powers of 1024).  Without a suffix the unit is bytes
 * (qemu_strtosz) or MiB (qemu_strtosz_MiB, as "-m 512" means).  A fraction
 * of a byte is rejected.  Returns 0, -EINVAL (malformed, negative, unknown
 * suffix, trailing characters when @end is NULL) or -ERANGE (above
 * UINT64_MAX).  On error *result is 0 and *end is @nptr.
 */
int qemu_strtosz(const char *nptr, const char **end, uint64_t *result);
int qemu_strtosz_MiB(const char *nptr, const char **end, uint64_t *result);

/*
 * Parse "[implied-value,]key=value,key2=value2" into a new hash table of
 * g_strdup'ed key -> value strings, stored in *opts (NULL on failure).
 * A first element without '=' is the value of @implied_key ("virt" in
 * "-machine virt,dumpdtb=f" is type=virt).  Any other bare "key" means
 * "key=on", as in QEMU's flag shorthand.  ",," stands
 * for a literal comma.  Duplicate keys, empty or malformed key names are
 * errors, as QEMU users expect.
 */
bool qemu_opt_parse_kv(const char *str, const char *implied_key, GHashTable **opts,
                       struct Error **errp);
/*
 * Fail with "<what>: invalid parameter 'key'" for the first key (in sort
 * order) of @opts not listed in the NULL-terminated @known_keys.
 */
bool qemu_opt_check_known(GHashTable *opts, const char *what,
                          const char *const *known_keys, struct Error **errp);

/* "on"/"yes"/"true" and "off"/"no"/"false", as QEMU accepts for flags. */
bool qemu_opt_get_bool(const char *value, bool *result, struct Error **errp);
/* A size option value (bytes by default), with an error naming the value. */
bool qemu_opt_get_size(const char *value, uint64_t *result, struct Error **errp);

#endif
