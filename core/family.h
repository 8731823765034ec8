/* family.h - an ODE family: the vector field and the distributions of
 * its parameters, initial values and step sizes, read from a .ode file.
 * The grammar and every error are documented in docs/family-format.md.
 */
#ifndef RK_FAMILY_H
#define RK_FAMILY_H

#include <stdint.h>
#include "diag.h"
#include "expr.h"
#include "rng.h"

typedef enum rk_dist_kind {
    DIST_FIXED,      /* a */
    DIST_UNIFORM,    /* uniform(a, b), a < b */
    DIST_LOGUNIFORM, /* loguniform(a, b), 0 < a < b */
    DIST_NORMAL      /* normal(a = mean, b = standard deviation > 0) */
} rk_dist_kind;

typedef struct rk_dist {
    rk_dist_kind kind;
    double a, b;
} rk_dist;

double dist_sample(const rk_dist *d, rk_rng *rng);
/* The distribution as written in a family file, e.g. "uniform(1, 2)". */
void dist_format(const rk_dist *d, char *buf, size_t size);

typedef struct fam_sym {
    char *name;   /* states: "x", or a component "x[3]", "u[2][5]" */
    rk_dist dist; /* states: initial value; params: the parameter */
    int root;     /* states: derivative; consts: value; params: -1 */
    int exact;    /* states: closed-form solution root, or -1 */
    int init;     /* states: initial value as an expression of p, or -1 */
} fam_sym;

/* A state as declared: a scalar (rank 0) or an array of rank 1 or 2
 * whose components are state[offset ...] in row-major order. */
typedef struct fam_array {
    char *name;
    int rank, size[2], offset, line;
} fam_array;

#define FAM_INDEX_NAME 64

/* A derivative rule of an array, as written: per dimension the index
 * name var[d] (its number, 0 or 1) or, with var[d] < 0, the fixed index
 * fixed[d].  root is its template (EX_INDEX, EX_ELEM); the components it
 * gives are those it matches with the most fixed indices. */
typedef struct fam_rule {
    int array, var[2], fixed[2], nfixed, root, line;
    char index[2][FAM_INDEX_NAME];
} fam_rule;

typedef struct rk_family {
    char *name;
    int dim, nparam, nconst;
    fam_sym *state, *param, *konst;  /* state: every component */
    int narray, nrule, has_arrays;   /* has_arrays: an array of rank > 0 */
    fam_array *array;                /* the states as declared */
    fam_rule *rule;                  /* the arrays' derivative rules */
    rk_dist step;
    double horizon;   /* end time for global error, default 1 */
    int has_exact;    /* every state has an exact solution */
    ex_pool pool;
    ex_tape rhs;      /* roots: the derivatives, in state order */
    ex_tape exact;    /* roots: the exact solutions (when has_exact) */
    ex_tape init;     /* roots: the initial values given as expressions */
    int *init_state;  /* init.nout: the component of each */
    uint64_t hash;    /* FNV-1a 64 of the file's bytes */
} rk_family;

/* Parses text[0..len) read from `file` (used in messages). */
rk_family *family_parse(const char *file, const char *text, size_t len,
                        rk_error *err);
rk_family *family_load(const char *path, rk_error *err);
void family_free(rk_family *f);

/* 1 if s names a state (as declared: x, not x[3]), a parameter, a
 * constant or an index of a rule: a name the generated C must not take. */
int family_has_name(const rk_family *f, const char *s);

/* 1 if the vector field reads t / calls libm. */
int family_uses_time(const rk_family *f);
int family_needs_libm(const rk_family *f);

/* A member: parameters (nparam), initial values (dim) and a step. */
void family_sample(const rk_family *f, rk_rng *rng, double *p, double *y0,
                   double *h);
/* The initial values given as expressions (init X = EXPR), at p. */
void family_init_values(const rk_family *f, const double *p, double *y0);

/* Right-hand side in double, for rk_step: ctx is a family_rhs_ctx. */
typedef struct family_rhs_ctx {
    const rk_family *f;
    const double *p;
    double *work; /* f->rhs.n doubles */
} family_rhs_ctx;
void family_rhs(void *ctx, double t, const double *y, double *dydt);

/* The same in float, for --real float steppers. */
typedef struct family_rhsf_ctx {
    const rk_family *f;
    const float *p;
    float *work; /* f->rhs.n floats */
} family_rhsf_ctx;
void family_rhsf(void *ctx, float t, const float *y, float *dydt);

/* Exact solution at time t for initial values y0 (requires has_exact). */
void family_exact(const rk_family *f, const double *p, const double *y0,
                  double t, double *work, double *y);

/* Hash of bytes, as stored in rk_family.hash. */
uint64_t rk_fnv1a(const void *data, size_t len);

#endif
