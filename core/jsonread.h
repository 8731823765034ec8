/* jsonread.h - what the readers of rkgen's JSON files (tableaux,
 * many-stage methods) share: user text made safe to quote, the kind of a
 * value as a message names it, whole numbers, and the strict key rule
 * (a key not in the format, or one given twice, is an error: cJSON would
 * otherwise take the first silently). */
#ifndef RK_JSONREAD_H
#define RK_JSONREAD_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* s made safe to quote in a one-line message: non-printable bytes
 * become '?', and long text is cut short with "...".  Returns buf. */
const char *json_shown(const char *s, char *buf, size_t size);
/* "a number", "a string", "true/false", "null", "a list", "an object". */
const char *json_type_name(const cJSON *x);
/* The member named key exactly (case-sensitive), or NULL. */
const cJSON *json_member(const cJSON *obj, const char *key);
/* 1 if x is a number with no fraction in [lo, hi]. */
int json_is_whole(const cJSON *x, double lo, double hi);
/* The first member of obj whose key is not in allowed (NULL-terminated)
 * or repeats an earlier one, or NULL; *repeated says which, *nth counts
 * the earlier members with its key. */
const cJSON *json_bad_key(const cJSON *obj, const char *const *allowed, int *repeated,
                          int *nth);
/* The allowed keys as "a, b, c" into buf. */
const char *json_key_list(const char *const *allowed, char *buf, size_t size);

#endif
