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

/* The controller's powers come from rk_adapt_ln and rk_adapt_exp, made
 * of +, -, *, /, comparisons and conversions between integers and reals
 * only: IEEE rounds each of those exactly, so the emitted solver takes
 * the same steps, to the bit, under any conforming compiler and libm
 * (newlib's powf, say, need not round as glibc's does), and it needs no
 * pow.  Both are table-driven, as libm's are, so that the step is not
 * slower than with pow (the power is on the step's critical path):
 *   ln x = e ln 2 + ln(1/ln_inv[j]) + ln(1 + u): x = m 2^e with m in
 *          [1, 2) by exact scaling, j = floor(64 (m - 1)),
 *          u = m ln_inv[j] - 1, |u| < 1/128, LN_TERMS terms of ln(1 + u)/u
 *   exp y = 2^n 2^(j/32) exp(r): 32 n + j = round(32 y / ln 2) (by the
 *          SHIFTER below),
 *          |r| <= ln(2)/64, Taylor to degree EXP_DEGREE
 * Accurate to about 1e-15 in double and 1e-7 in float, for ln(x) with
 * finite x > 0 and exp(y) with |y| <= 400 (double) or 50 (float). */
#define RK_ADAPT_LN_TERMS 6  /* double: the next term is below 2^-52 */
#define RK_ADAPT_LN_TERMSF 4 /* float: below 2^-35 */
#define RK_ADAPT_EXP_DEGREE 5  /* the next term below 2^-48 */
#define RK_ADAPT_EXP_DEGREEF 3 /* below 2^-30 */
/* Both polynomials are evaluated as even and odd parts, so the term
 * counts (LN_TERMS, EXP_DEGREE + 1) are even. */
/* ln 2 and ln(2)/32 as HI + LO, HI of 16 and 12 bits: the products with
 * the exponents are exact in float too. */
#define RK_ADAPT_LN2_HI 0x1.62e4p-1
#define RK_ADAPT_LN2_LO 0x1.7f7d1cf79abcap-20
#define RK_ADAPT_LN2_32_HI 0x1.62ep-6
#define RK_ADAPT_LN2_32_LO 0x1.0bfbe8e7bcd5ep-20
#define RK_ADAPT_INV_LN2_32 0x1.71547652b82fep+5 /* 32/ln 2 */
/* (x + SHIFTER) - SHIFTER is x rounded to an integer, by the adder's
 * own rounding to nearest (|x| < 2^51, 2^22 in float), with no branch on
 * the sign and no trip through an integer register on the way to r. */
#define RK_ADAPT_SHIFTER 0x1.8p52
#define RK_ADAPT_SHIFTERF 0x1.8p23
extern const double rk_adapt_ln_coef[RK_ADAPT_LN_TERMS];       /* (-1)^k/(k+1) */
extern const double rk_adapt_exp_coef[RK_ADAPT_EXP_DEGREE + 1]; /* 1/k! */
/* ln's scaling: the coarse steps 2^32, 2^16, 2^8 (and their inverses)
 * by tests that are rarely taken, then 2^n, n <= 8, in one multiply by
 * a count of comparisons, so that the unpredictable part has no branch. */
extern const double rk_adapt_coarse[3], rk_adapt_coarse_inv[3];
extern const double rk_adapt_two[9], rk_adapt_half[9]; /* 2^n, 2^-n */
extern const double rk_adapt_pow2[15];                 /* 2^(n-7) */
extern const double rk_adapt_ln_inv[64], rk_adapt_ln_tab[64], rk_adapt_exp_tab[32];

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
 * [t0, t1]) into yout[k*n ...], by the pair's continuous extension
 * (tb->dense) or else the Hermite cubic of each step. */
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

/* ln x and exp y in the ranges above: the controller's exponents are at
 * most 1/2, so its powers of errors never leave them. */
double rk_adapt_ln(double x);
double rk_adapt_exp(double y);
float rk_adapt_lnf(float x);
float rk_adapt_expf(float y);

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
