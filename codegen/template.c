/* template.c - looks up the compiled-in templates and fills their
 * $(key) holes (template.h). */
#include "template.h"

#include <string.h>

const char *tpl_get(const char *name)
{
    for (const rk_template_file *t = rk_templates; t->name; t++)
        if (strcmp(t->name, name) == 0)
            return t->text;
    return NULL;
}

static const char *lookup(const tpl_var *vars, int nvars, const char *key,
                          size_t len)
{
    for (int i = 0; i < nvars; i++)
        if (strlen(vars[i].key) == len && memcmp(vars[i].key, key, len) == 0)
            return vars[i].value;
    return NULL;
}

int tpl_fill(strbuf *out, const char *tpl, const tpl_var *vars, int nvars,
             rk_error *err)
{
    const char *p = tpl;
    for (;;) {
        const char *hole = strstr(p, "$(");
        if (!hole) {
            sb_puts(out, p);
            break;
        }
        sb_putn(out, p, (size_t)(hole - p));
        const char *end = strchr(hole, ')');
        const char *value = end ? lookup(vars, nvars, hole + 2, (size_t)(end - hole - 2)) : NULL;
        if (!value) {
            rk_error_set(err, "internal error: template hole '%.*s' has no value",
                         end ? (int)(end - hole + 1) : 2, hole);
            return -1;
        }
        sb_puts(out, value);
        p = end + 1;
    }
    if (sb_failed(out)) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    return 0;
}
