/* pairfit.h - learning the embedded weights bhat of a pair for a family
 * (rkgen learn ... --embedded Q), and judging the pair by what users pay.
 *
 * With A and c fixed, the order-Q conditions on bhat are linear, and so
 * is the estimate h sum_j (b - bhat)_j k_j.  Writing e = b - bhat, the
 * conditions say e lies in the nullspace N of the stage weights of the
 * trees up to order Q (b itself satisfies them, since Q < P), so e = N z
 * and the fit is an unconstrained linear least-squares problem in z: the
 * estimate should equal the true local error of the step, relative to
 * its size, at points along the training members' true trajectories,
 * each with the step a controller would take there at a tolerance drawn
 * from the target range.  The weights are then made to satisfy their
 * conditions in MPFR (256 bits) and the pair is checked (pair_verify).
 *
 * A main method that is not FSAL gets one more stage, f at the new point
 * (its last row is b, its node 1): the engine pays that evaluation for a
 * non-FSAL pair anyway, so bhat gains a free coefficient at no cost. */
#ifndef RK_PAIRFIT_H
#define RK_PAIRFIT_H

#include <stdint.h>
#include "diag.h"
#include "family.h"
#include "tableau.h"

#define PAIRFIT_MAX_TOLS 24
#define PAIRFIT_BUILTINS 5

typedef struct pairfit_config {
    int embedded;        /* Q: the order of bhat, 1 <= Q < the main order */
    uint64_t seed;
    int samples;         /* training members */
    int points;          /* steps fitted per member */
    int fresh;           /* fresh members the pair is judged on */
    double span;         /* members are integrated over [0, span]; 0: 10 x the horizon */
    double rtol_loose, rtol_tight; /* the target range (1e-4, 1e-8) */
    int keep_learned;    /* the learned pair is the result even when a built-in needs fewer evaluations */
} pairfit_config;

void pairfit_defaults(pairfit_config *c);

/* Estimate / true local error, in the controller's norm, over points. */
typedef struct pairfit_ratio {
    double gmean;        /* the geometric mean of the ratio over all points */
    double mean, sd;     /* its mean and standard deviation */
    double member_sd;    /* of the members' mean ratios */
    double lo, hi;       /* its 5th and 95th percentiles over points */
    int n;
} pairfit_ratio;

typedef struct pairfit_result {
    rk_tableau *pair;    /* the result: the learned pair, or the best built-in (fallback) */
    rk_tableau *learned; /* the learned pair (owned; == pair unless fallback) */
    int fsal_added;      /* the FSAL stage was added to the main method */
    int samples;         /* training members fitted on (fewer than asked on large systems) */
    int nfree;           /* dimension of the estimator space (of e = b - bhat) */
    double fit_resid;    /* relative RMS residual of the least-squares fit */
    pairfit_ratio train, fresh;          /* the learned estimate on training / fresh points */
    pairfit_ratio fresh_builtin[PAIRFIT_BUILTINS];
    /* work: f evaluations of a built-in pair / of the learned one at the
     * global error the learned pair achieves at each rtol, geometric mean
     * over fresh members, with its 90% bootstrap interval */
    char builtin[PAIRFIT_BUILTINS][16];
    double work[PAIRFIT_BUILTINS][3];
    int ntol;
    double rtol[PAIRFIT_MAX_TOLS];
    double work_tol[PAIRFIT_MAX_TOLS];   /* against the best built-in, per rtol (NAN: no overlap) */
    double nfev_tol[PAIRFIT_MAX_TOLS], err_tol[PAIRFIT_MAX_TOLS]; /* learned, geometric means */
    int best;            /* index of the best built-in: the fewest evaluations */
    int loses;           /* the learned pair needs more evaluations than the best built-in */
    int fallback;        /* ... and so that built-in is the result (not with keep_learned) */
    int fresh_members, failed;  /* members judged; runs that failed (status != 0) */
    double span;
    const char *truth;
} pairfit_result;

/* The main method with bhat learned: 0 (r filled); 1 when the learned
 * pair does not check in MPFR; 2 on bad input (err says why: Q not
 * below the main order, no estimator of order exactly Q on the stages). */
int pairfit_run(const rk_family *f, const rk_tableau *main, const pairfit_config *c,
                pairfit_result *r, rk_error *err);
void pairfit_free(pairfit_result *r);

/* The order-Q least-squares problem alone, for tests and the run: the
 * pair tb (its A, c, b; the FSAL stage already there) and, per point p of
 * npts, the scaled stage slopes G[p] (dim x s: h k_j,i / sc_i) and the
 * scaled true local error le[p] (dim: le_i / sc_i).  Fills bhat (s) in
 * double and returns the dimension of the estimator space, 0 when there
 * is none of order exactly Q, -1 when out of memory.  resid: the
 * relative RMS residual of the linear fit.  With refine, the linear
 * solution is then moved to make log |estimate| / |true| least in the
 * mean square (the controller sees only the norm). */
int pairfit_solve(const rk_tableau *tb, int Q, int dim, int npts, const double *G,
                  const double *le, int refine, double *bhat, double *resid);

/* bhat made to satisfy the order-Q conditions at 256 bits, written as
 * decimal texts (tb->bhat_exact) beside their doubles; 0 or -1. */
int pairfit_exact(rk_tableau *tb, int Q, rk_error *err);

/* The built-in pairs the learned one is judged against. */
extern const char *const pairfit_builtins[PAIRFIT_BUILTINS];

/* The JSON object of the pair's record (malloc'd text). */
char *pairfit_metadata(const rk_family *f, const rk_tableau *main, const pairfit_config *c,
                       const pairfit_result *r, const char *main_record);

#endif
