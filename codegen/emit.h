/* emit.h - a family and a tableau in, a stepper's .h and .c text out.
 * The text comes from templates/stepper.h.in and stepper.c.in; every
 * piece that fills them is built here from parsed structures only. */
#ifndef RK_EMIT_H
#define RK_EMIT_H

#include "diag.h"
#include "family.h"
#include "tableau.h"

#define EMIT_PREFIX_MAX 48

typedef struct emit_opts {
    char prefix[EMIT_PREFIX_MAX]; /* names, files: prefix.h, prefix.c */
    int is_float;                 /* --real float */
} emit_opts;

typedef struct emit_result {
    char *h, *c; /* malloc'd texts */
} emit_result;

/* prefix = family + "_" + tableau, lower-cased, with '_' for other
 * characters; fails if it would not be a valid prefix. */
int emit_default_prefix(const rk_family *f, const rk_tableau *t, char *prefix,
                        rk_error *err);
/* 1 if s is a valid prefix: a letter, then letters, digits, '_'. */
int emit_prefix_ok(const char *s);
/* A learned method's name as a prefix, '_' for what C does not take
 * (vanderpol-s3-p3 -> vanderpol_s3_p3); 1 if that is a valid prefix. */
int emit_prefix_from_name(const char *name, char *prefix);

int emit_stepper(const rk_family *f, const rk_tableau *t, const emit_opts *o,
                 emit_result *out, rk_error *err);
/* The adaptive solver of a pair (templates/adaptive.*.in, docs/adaptive.md);
 * refuses a tableau without bhat.  Whether its stated orders hold is
 * the caller's to check (pair_verify). */
int emit_adaptive(const rk_family *f, const rk_tableau *t, const emit_opts *o,
                  emit_result *out, rk_error *err);
void emit_result_free(emit_result *r);

/* What a stepper of another form (stab_emit.c) shares with the tableau
 * steppers: the names the rhs uses, the params struct, the vector
 * field's body and an array family's macros, as emit_stepper writes them. */
typedef struct emit_family_text {
    char upper[EMIT_PREFIX_MAX];
    char y[EMIT_PREFIX_MAX + 4], dydt[EMIT_PREFIX_MAX + 4], p[EMIT_PREFIX_MAX + 4];
    char *params_struct, *rhs_body, *arrays; /* malloc'd; arrays NULL without arrays */
} emit_family_text;
int emit_family_parts(const rk_family *f, const emit_opts *o, emit_family_text *out,
                      rk_error *err);
void emit_family_text_free(emit_family_text *t);

#endif
