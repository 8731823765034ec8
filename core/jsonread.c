/* jsonread.c - the pieces the JSON file readers share (jsonread.h). */
#include "jsonread.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *json_shown(const char *s, char *buf, size_t size)
{
    size_t n = 0, len = strlen(s);
    for (; n + 1 < size && n < len; n++)
        buf[n] = (unsigned char)s[n] >= 0x20 && (unsigned char)s[n] < 0x7f ? s[n] : '?';
    buf[n] = '\0';
    if (n < len && size > 4)
        memcpy(buf + size - 4, "...", 4);
    return buf;
}

const char *json_type_name(const cJSON *x)
{
    if (cJSON_IsNumber(x))
        return "a number";
    if (cJSON_IsString(x))
        return "a string";
    if (cJSON_IsBool(x))
        return "true/false";
    if (cJSON_IsNull(x))
        return "null";
    if (cJSON_IsArray(x))
        return "a list";
    return "an object";
}

const cJSON *json_member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

int json_is_whole(const cJSON *x, double lo, double hi)
{
    return cJSON_IsNumber(x) && x->valuedouble >= lo && x->valuedouble <= hi &&
           x->valuedouble == floor(x->valuedouble);
}

const cJSON *json_bad_key(const cJSON *obj, const char *const *allowed, int *repeated,
                          int *nth)
{
    for (const cJSON *item = obj->child; item; item = item->next) {
        const char *key = item->string ? item->string : "";
        int known = 0, seen = 0;
        for (const char *const *a = allowed; *a; a++)
            known |= strcmp(*a, key) == 0;
        for (const cJSON *prev = obj->child; prev != item; prev = prev->next)
            seen += prev->string && strcmp(prev->string, key) == 0;
        if (!known || seen) {
            *repeated = known;
            *nth = seen;
            return item;
        }
    }
    return NULL;
}

const char *json_key_list(const char *const *allowed, char *buf, size_t size)
{
    buf[0] = '\0';
    for (const char *const *a = allowed; *a; a++)
        snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", a == allowed ? "" : ", ", *a);
    return buf;
}
