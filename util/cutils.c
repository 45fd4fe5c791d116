/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Strict number, size and option-string parsing for the command line and QMP.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qapi/error.h"

/*
 * Shared tail of the integer parsers: turn strto*()'s outcome into QEMU's
 * return convention.  @ep is where libc stopped, @libc_errno its errno.
 */
static int finish_strtox(const char *nptr, const char *ep, const char **endptr,
                         int libc_errno)
{
    if (ep == nptr) {
        /* No digits at all: libc reports that only through ep. */
        if (endptr) {
            *endptr = nptr;
        }
        return -EINVAL;
    }
    if (endptr) {
        *endptr = ep;
    } else if (*ep != '\0') {
        return -EINVAL;
    }
    if (libc_errno == ERANGE) {
        return -ERANGE;
    }
    return libc_errno ? -libc_errno : 0;
}

int qemu_strtoi64(const char *nptr, const char **endptr, int base, int64_t *result)
{
    char *ep;
    long long value;

    *result = 0;
    if (!nptr) {
        if (endptr) {
            *endptr = NULL;
        }
        return -EINVAL;
    }
    errno = 0;
    value = strtoll(nptr, &ep, base);
    if (ep != nptr) {
        *result = value;
    }
    return finish_strtox(nptr, ep, endptr, errno);
}

int qemu_strtou64(const char *nptr, const char **endptr, int base, uint64_t *result)
{
    const char *p;
    char *ep;
    unsigned long long value;
    int ret;

    *result = 0;
    if (!nptr) {
        if (endptr) {
            *endptr = NULL;
        }
        return -EINVAL;
    }
    errno = 0;
    value = strtoull(nptr, &ep, base);
    ret = finish_strtox(nptr, ep, endptr, errno);
    if (ep == nptr) {
        return ret;
    }
    /* strtoull() silently negates "-5" into a huge value; refuse it instead. */
    for (p = nptr; g_ascii_isspace(*p); p++) {
    }
    if (*p == '-' && value != 0) {
        *result = 0;
        return ret == -EINVAL ? ret : -ERANGE;
    }
    *result = value;
    return ret;
}

int qemu_strtoi(const char *nptr, const char **endptr, int base, int *result)
{
    int64_t wide;
    int ret = qemu_strtoi64(nptr, endptr, base, &wide);

    if (wide > INT_MAX) {
        *result = INT_MAX;
        return ret == -EINVAL ? ret : -ERANGE;
    }
    if (wide < INT_MIN) {
        *result = INT_MIN;
        return ret == -EINVAL ? ret : -ERANGE;
    }
    *result = (int)wide;
    return ret;
}

/* Unit of a size suffix, or 0 when @c is not one. */
static uint64_t size_suffix_unit(char c)
{
    switch (g_ascii_toupper(c)) {
    case 'B':
        return 1;
    case 'K':
        return KiB;
    case 'M':
        return MiB;
    case 'G':
        return GiB;
    case 'T':
        return GiB * KiB;
    case 'P':
        return GiB * MiB;
    case 'E':
        return GiB * GiB;
    default:
        return 0;
    }
}

/* 10^n for n <= 19, the most fraction digits that fit in a uint64_t. */
static uint64_t power_of_ten(int n)
{
    uint64_t value = 1;

    while (n-- > 0) {
        value *= 10;
    }
    return value;
}

static int parse_size(const char *nptr, const char **end, uint64_t default_unit,
                      uint64_t *result)
{
    const char *p = nptr;
    uint64_t integer = 0;
    uint64_t fraction = 0;
    int fraction_digits = 0;
    bool fraction_nonzero = false;
    uint64_t unit;
    unsigned __int128 total;
    int ret = -EINVAL;

    while (g_ascii_isspace(*p)) {
        p++;
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && g_ascii_isxdigit(p[2])) {
        /* Hex: an integer only; its digits may swallow 'b' and 'e'. */
        for (p += 2; g_ascii_isxdigit(*p); p++) {
            if (integer >> 60) {
                ret = -ERANGE;
                goto fail;
            }
            integer = integer * 16 + g_ascii_xdigit_value(*p);
        }
        if (*p == '.') {
            goto fail;
        }
    } else {
        if (!g_ascii_isdigit(*p)) {
            /* Covers "", "-1", "+1", "K" and ".5". */
            goto fail;
        }
        for (; g_ascii_isdigit(*p); p++) {
            unsigned digit = *p - '0';
            if (integer > (UINT64_MAX - digit) / 10) {
                ret = -ERANGE;
                goto fail;
            }
            integer = integer * 10 + digit;
        }
        if (*p == '.') {
            p++;
            if (!g_ascii_isdigit(*p)) {
                goto fail;
            }
            for (; g_ascii_isdigit(*p); p++) {
                /* Digits past the 19th are below any unit's resolution. */
                if (fraction_digits < 19) {
                    fraction = fraction * 10 + (*p - '0');
                    fraction_digits++;
                }
                fraction_nonzero |= *p != '0';
            }
        }
    }

    unit = size_suffix_unit(*p);
    if (unit) {
        p++;
    } else {
        unit = default_unit;
    }
    if (fraction_nonzero && unit == 1) {
        /* A fraction of a byte is surely a typo. */
        goto fail;
    }
    if (!end && *p != '\0') {
        goto fail;
    }

    total = (unsigned __int128)integer * unit;
    if (fraction_digits) {
        total += (unsigned __int128)fraction * unit / power_of_ten(fraction_digits);
    }
    if (total > UINT64_MAX) {
        ret = -ERANGE;
        goto fail;
    }
    *result = (uint64_t)total;
    if (end) {
        *end = p;
    }
    return 0;

fail:
    *result = 0;
    if (end) {
        *end = nptr;
    }
    return ret;
}

int qemu_strtosz(const char *nptr, const char **end, uint64_t *result)
{
    return parse_size(nptr, end, 1, result);
}

int qemu_strtosz_MiB(const char *nptr, const char **end, uint64_t *result)
{
    return parse_size(nptr, end, MiB, result);
}

static bool is_valid_key(const char *key)
{
    if (*key == '\0') {
        return false;
    }
    for (; *key; key++) {
        if (!g_ascii_isalnum(*key) && *key != '-' && *key != '_' && *key != '.') {
            return false;
        }
    }
    return true;
}

/* Split at single commas, turning ",," into a literal comma. */
static GPtrArray *split_option_elements(const char *str)
{
    GPtrArray *elements = g_ptr_array_new_with_free_func(g_free);
    GString *current = g_string_new(NULL);

    for (const char *p = str; *p; p++) {
        if (*p != ',') {
            g_string_append_c(current, *p);
        } else if (p[1] == ',') {
            g_string_append_c(current, ',');
            p++;
        } else {
            g_ptr_array_add(elements, g_string_free(current, FALSE));
            current = g_string_new(NULL);
        }
    }
    g_ptr_array_add(elements, g_string_free(current, FALSE));
    return elements;
}

bool qemu_opt_parse_kv(const char *str, const char *implied_key, GHashTable **opts,
                       Error **errp)
{
    g_autoptr(GPtrArray) elements = split_option_elements(str);
    GHashTable *table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    guint count = elements->len;

    *opts = NULL;
    /* "virt," and "" are accepted: a trailing separator adds nothing. */
    if (count > 0 && *(char *)g_ptr_array_index(elements, count - 1) == '\0') {
        count--;
    }
    for (guint i = 0; i < count; i++) {
        const char *element = g_ptr_array_index(elements, i);
        const char *equals = strchr(element, '=');
        g_autofree char *key = NULL;
        g_autofree char *value = NULL;

        if (equals) {
            key = g_strndup(element, equals - element);
            value = g_strdup(equals + 1);
        } else if (i == 0 && implied_key && *element) {
            key = g_strdup(implied_key);
            value = g_strdup(element);
        } else {
            /* QEMU's flag shorthand: "-device foo,bar" sets bar=on. */
            key = g_strdup(element);
            value = g_strdup("on");
        }
        if (!is_valid_key(key)) {
            error_setg(errp, "invalid parameter name '%s' in '%s'", key, str);
            error_append_hint(errp, "Options look like key=value,key2=value2; "
                                    "write ',,' for a comma inside a value.\n");
            goto fail;
        }
        if (g_hash_table_contains(table, key)) {
            error_setg(errp, "parameter '%s' given more than once in '%s'", key, str);
            goto fail;
        }
        g_hash_table_insert(table, g_steal_pointer(&key), g_steal_pointer(&value));
    }
    *opts = table;
    return true;

fail:
    g_hash_table_destroy(table);
    return false;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool qemu_opt_check_known(GHashTable *opts, const char *what,
                          const char *const *known_keys, Error **errp)
{
    g_autofree const char **keys =
        (const char **)g_hash_table_get_keys_as_array(opts, NULL);
    guint count = g_hash_table_size(opts);

    /* Sorted so the message does not depend on hash order. */
    qsort(keys, count, sizeof(*keys), compare_strings);
    for (guint i = 0; i < count; i++) {
        bool known = false;

        for (const char *const *k = known_keys; *k; k++) {
            if (strcmp(*k, keys[i]) == 0) {
                known = true;
                break;
            }
        }
        if (!known) {
            g_autofree char *list = g_strjoinv(", ", (char **)known_keys);
            error_setg(errp, "%s: invalid parameter '%s'", what, keys[i]);
            error_append_hint(errp, "Valid parameters: %s\n", list);
            return false;
        }
    }
    return true;
}

bool qemu_opt_get_bool(const char *value, bool *result, Error **errp)
{
    static const char *const true_words[] = { "on", "yes", "true" };
    static const char *const false_words[] = { "off", "no", "false" };

    for (size_t i = 0; i < ARRAY_SIZE(true_words); i++) {
        if (strcmp(value, true_words[i]) == 0) {
            *result = true;
            return true;
        }
        if (strcmp(value, false_words[i]) == 0) {
            *result = false;
            return true;
        }
    }
    error_setg(errp, "invalid boolean value '%s': use 'on' or 'off'", value);
    return false;
}

bool qemu_opt_get_size(const char *value, uint64_t *result, Error **errp)
{
    int ret = qemu_strtosz(value, NULL, result);

    if (ret == -ERANGE) {
        error_setg(errp, "size '%s' is too large: the limit is 16E - 1", value);
        return false;
    }
    if (ret < 0) {
        error_setg(errp, "invalid size '%s'", value);
        error_append_hint(errp, "Use a number with an optional suffix B, K, M, G, T, "
                                "P or E, for example 512M or 1.5G.\n");
        return false;
    }
    return true;
}
