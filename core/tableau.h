/* tableau.h - Butcher tableaux of explicit Runge-Kutta methods.
 *
 * Coefficients are doubles.  A coefficient may also carry its exact
 * value as an expression text ("1/6", "(6 - sqrt(6))/10"), which the
 * double is the correctly rounded value of and which arbitrary-precision
 * analysis reads instead of the double.
 */
#ifndef RK_TABLEAU_H
#define RK_TABLEAU_H

#include "diag.h"

#define RK_MAX_STAGES 16
#define RK_NAME_MAX 64
#define TABLEAU_DENSE_MAX 8 /* highest degree of a continuous extension */

typedef struct rk_tableau {
    char name[RK_NAME_MAX];
    char *description; /* may be NULL */
    int s;             /* stages */
    int order;         /* classical order claimed, 0 if unknown */
    double *A;         /* s*s, row-major, strictly lower triangular */
    double *b, *c;     /* s each */
    char **exact;      /* NULL, or s*s + 2s texts (A, then b, then c);
                          a NULL entry means the double is exact */
    char *metadata_json; /* NULL, or the compact text of the JSON object
                            "metadata" of a tableau file, written back by
                            tableau_to_json (docs/tableau-format.md) */
    /* An embedded pair: a second weight vector on the same stages, whose
     * difference from b estimates the local error.  Kept apart from
     * `exact` so that code reading the s*s + 2s layout is unchanged. */
    double *bhat;        /* NULL, or s embedded weights */
    char **bhat_exact;   /* NULL, or s texts as in `exact` */
    int embedded_order;  /* order claimed for bhat, 0 if unknown */
    int fsal;            /* 1: the last row of A is b and c[s-1] = 1, so
                            a step's last stage is the next one's first */
    /* A continuous extension (dense output) on the same stages:
     * y(t + th h) = y + h sum_j b_j(th) k_j with
     * b_j(th) = sum_r dense[j*dense_degree + r] th^(r+1), b_j(1) = b_j.
     * The built-in dopri5 and tsit5 carry theirs; it is not (yet) part
     * of the file format, so a pair read from a file has none. */
    int dense_degree;    /* 0: none (dense output is then a Hermite cubic) */
    double *dense;       /* NULL, or s*dense_degree coefficients */
    char **dense_exact;  /* NULL, or their texts, as in `exact` */
} rk_tableau;

rk_tableau *tableau_new(int s);
void tableau_free(rk_tableau *t);
rk_tableau *tableau_copy(const rk_tableau *t);
/* Gives t an embedded weight vector (zeros, no texts); 0 or -1 (OOM). */
int tableau_add_bhat(rk_tableau *t);

/* Checks sizes, finiteness, explicitness and c = A*1 (to rounding), and
 * for a pair sum(bhat) = 1, its order and the FSAL claim. */
int tableau_validate(const rk_tableau *t, rk_error *err);
/* 1 if name is a valid tableau name: [A-Za-z0-9_.+-], 1..63 chars. */
int tableau_name_ok(const char *name);

/* Stage j is used if its slope is read directly: b[j] != 0, or
 * A[i][j] != 0 for some later stage i (used or not; -0.0 counts as zero,
 * NaN as nonzero).  An unused stage is never evaluated, by the engine or
 * by generated steppers (dopri5's last stage is unused by its 5th-order
 * weights).  Fills used[0..s) with 1 or 0; returns how many are used. */
int tableau_stages_used(const rk_tableau *t, int *used);

int tableau_builtin_count(void);
const char *tableau_builtin_name(int i);
/* 1 for the pairs that are not yardsticks of the fixed-step learner and
 * validate (catalog.h): bs3, tsit5, cashkarp, fehlberg45.  dopri5 is. */
int tableau_builtin_pair_only(int i);
/* A fresh copy of a built-in, or NULL if there is none of that name. */
rk_tableau *tableau_builtin(const char *name);

/* JSON files: docs/tableau-format.md. */
rk_tableau *tableau_read_json(const char *path, rk_error *err);
rk_tableau *tableau_parse_json(const char *file, const char *text,
                               size_t len, rk_error *err);
/* The JSON text (malloc'd), deterministic; extra may add members. */
char *tableau_to_json(const rk_tableau *t);

/* A built-in by name, otherwise a JSON file by path. */
rk_tableau *tableau_resolve(const char *spec, rk_error *err);
/* The same; *plain (if not NULL) is set to 1 when the file had neither
 * "format" nor "version" and was read as a plain Butcher tableau, which
 * the caller tells the user about. */
rk_tableau *tableau_resolve_noted(const char *spec, int *plain, rk_error *err);

#endif
