/* adaptive.h - the engine's adaptive integrator for an embedded pair.
 *
 * It performs exactly the operations of the solver `rkgen emit --adaptive`
 * writes (templates/adaptive.c.in), in the same order: the stages as
 * rk.h describes, the error estimate sum_j (h e_j) k_j with e = b - bhat
 * rounded once in double, the RMS norm, Hairer's PI controller, the
 * initial step of Hairer's scheme and the step clipped so that no stage
 * lies beyond t1.  So the JIT-compiled solver reproduces its accepted
 * steps, counts and dense output bit for bit.  docs/adaptive.md gives
 * the rules and their constants.
 */
#ifndef RK_ADAPTIVE_H
#define RK_ADAPTIVE_H

#include "rk.h"

/* The controller (Hairer's DOPRI5): after an accepted step
 * h *= clamp(SAFETY * err^-(1/(q+1) - 0.75 BETA) * err_old^BETA,
 * FACMIN, FACMAX), never growing right after a rejection; after a
 * rejection h *= max(FACMIN, SAFETY * err^-(1/(q+1) - 0.75 BETA)). */
#define RK_ADAPT_SAFETY 0.9
#define RK_ADAPT_FACMIN 0.2
#define RK_ADAPT_FACMAX 10.0
#define RK_ADAPT_BETA 0.04
#define RK_ADAPT_ERR_OLD_MIN 1e-4
#define RK_ADAPT_MAX_STEPS 100000UL
/* The initial step (Hairer, as SciPy's select_initial_step). */
#define RK_ADAPT_INIT_SMALL 1e-5 /* d0 or d1 below: h0 = INIT_H */
#define RK_ADAPT_INIT_H 1e-6
#define RK_ADAPT_INIT_FRAC 0.01
#define RK_ADAPT_INIT_FLAT 1e-15
#define RK_ADAPT_INIT_SHRINK 1e-3
#define RK_ADAPT_INIT_GROW 100.0

/* Status codes, as the generated PREFIX_E* macros. */
#define RK_ADAPT_OK 0
#define RK_ADAPT_EUNDERFLOW 1 /* the step fell below 10 ulps of t */
#define RK_ADAPT_ETOOMANY 2   /* max_steps attempts without reaching t1 */
#define RK_ADAPT_ENONFINITE 3 /* a step gave an infinite or NaN state or error */
#define RK_ADAPT_EINVAL 4     /* t1 < t0, bad tolerances or output times */

typedef struct rk_adapt_opts {
    double h0;               /* first step; 0: chosen automatically */
    double hmax;             /* largest step; 0: the interval */
    unsigned long max_steps; /* attempted steps; 0: RK_ADAPT_MAX_STEPS */
} rk_adapt_opts;

typedef struct rk_adapt_stats {
    unsigned long nfev, naccept, nreject;
} rk_adapt_stats;

/* Output times for dense output: y at tout[k] (nondecreasing, within
 * [t0, t1]) into yout[k*n ...], by the Hermite cubic of each step. */
typedef struct rk_adapt_dense {
    unsigned long nout;
    const double *tout;
    double *yout;
} rk_adapt_dense;
typedef struct rk_adapt_densef {
    unsigned long nout;
    const float *tout;
    float *yout;
} rk_adapt_densef;

/* Reals of workspace for an n-dimensional system of s stages. */
#define RK_ADAPT_WORK(s, n) (((size_t)(s) + 4) * (size_t)(n))

/* q: the lower of the pair's two orders, as the controller uses it. */
int rk_adapt_order(const rk_tableau *tb);

/* Integrates y from t0 to t1 in place with the pair tb (tb->bhat set);
 * o and d may be NULL.  Returns an RK_ADAPT_* status; st is filled
 * (if not NULL) in every case. */
int rk_adapt_solve(const rk_tableau *tb, rk_rhs_fn f, void *ctx, int n,
                   double t0, double t1, double *y, double rtol, double atol,
                   const rk_adapt_opts *o, const rk_adapt_dense *d,
                   rk_adapt_stats *st, double *work);
/* The same in float, every constant rounded from its double. */
int rk_adapt_solvef(const rk_tableau *tb, rk_rhsf_fn f, void *ctx, int n,
                    float t0, float t1, float *y, float rtol, float atol,
                    const rk_adapt_opts *o, const rk_adapt_densef *d,
                    rk_adapt_stats *st, float *work);

#endif
