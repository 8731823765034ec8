/* template.h - the files of templates/, compiled into the program, and
 * the one substitution they use: $(key) is replaced by key's value.
 * Like lemon's lempar.c, a template is ordinary C with holes in it. */
#ifndef RK_TEMPLATE_H
#define RK_TEMPLATE_H

#include "diag.h"
#include "strbuf.h"

typedef struct rk_template_file {
    const char *name;
    const char *text;
} rk_template_file;

extern const rk_template_file rk_templates[]; /* ends with {0, 0} */

/* The text of templates/NAME, or NULL. */
const char *tpl_get(const char *name);

typedef struct tpl_var {
    const char *key, *value;
} tpl_var;

/* Appends tpl to out with each $(key) replaced; an unknown key is an
 * internal error reported through err. */
int tpl_fill(strbuf *out, const char *tpl, const tpl_var *vars, int nvars,
             rk_error *err);

#endif
