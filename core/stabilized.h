/* stabilized.h - many-stage explicit methods for a real negative
 * spectrum (RKC/ROCK's territory), held in one of two round-off-safe
 * forms instead of an s x s Butcher tableau.
 *
 * The Chebyshev form (STAB_CHEBYSHEV) is R(z) = sum_k w_k T_k(1 + mu z),
 * k = 0..s, run as the three-term recurrence of T_k, as RKC runs its
 * stages: with F_k = f(t + h mu k^2, Y_k),
 *   Y_0 = y,  Y_1 = Y_0 + h mu F_0,
 *   Y_k = 2 Y_{k-1} - Y_{k-2} + 2 h mu F_{k-1}   (k = 2..s),
 *   y <- sum_k w_k Y_k.
 * Y_k is T_k(1 + mu hL) y on a linear problem, so every stage stays as
 * bounded as T_k on [-1, 1] and a rounding error grows at most linearly
 * through the later stages; the design's LP gives the w_k directly, so
 * no roots are found and no order is chosen.  sum w_k = 1 is R(0) = 1.
 *
 * The product form (STAB_PRODUCT): a step is a sequence of factors, applied in order to the running
 * state Y (Y = y at the start, t_Y = t):
 *   an Euler factor (alpha):        Y <- Y + h alpha f(t_Y, Y),
 *                                   t_Y <- t_Y + h alpha;
 *   a quadratic factor (a, b1, b2): K1 = f(t_Y, Y), Z = Y + h a K1,
 *                                   K2 = f(t_Y + h a, Z),
 *                                   Y <- Y + h (b1 K1 + b2 K2),
 *                                   t_Y <- t_Y + h (b1 + b2).
 * The step's stability polynomial is the product of the factors'
 * polynomials 1 + alpha z and 1 + (b1 + b2) z + a b2 z^2, so a real
 * root r of R gives alpha = -1/r and a complex pair a quadratic factor;
 * an Euler factor costs one evaluation of f, a quadratic one two.  The
 * order of the factors does not change R but sets how rounding errors
 * made inside the step are amplified (the internal amplification), so
 * it is part of the method.  For order p <= 2 every order condition of
 * the equivalent Butcher tableau is a condition on R (the trees of
 * order <= 2 are linear), so R's order is the method's order; for
 * p >= 3 it is not, and a product method of order p >= 3 on linear
 * problems is marked as such (docs/stabilized.md).
 *
 * Files: docs/stabilized.md ("format": "rkgen-stabilized").  The engine
 * step below performs exactly the operations of the emitted C, in the
 * same order, so the libtcc check can compare them bit for bit.
 */
#ifndef RK_STABILIZED_H
#define RK_STABILIZED_H

#include <stddef.h>

#include "diag.h"
#include "rk.h"

#define STAB_MAX_STAGES 1024
#define STAB_NAME_MAX 64

typedef enum { STAB_EULER = 1, STAB_QUADRATIC = 2 } stab_kind;
typedef enum { STAB_PRODUCT = 0, STAB_CHEBYSHEV = 1 } stab_form;

typedef struct stab_factor {
    stab_kind kind;
    double alpha;      /* STAB_EULER */
    double a, b1, b2;  /* STAB_QUADRATIC */
} stab_factor;

typedef struct rk_stab {
    char name[STAB_NAME_MAX];
    int s;             /* stages: evaluations of f per step */
    int order;         /* the order claimed (p) */
    int linear_only;   /* 1: order p holds on linear problems only (p >= 3) */
    double beta;       /* the real stability interval [-beta, 0] claimed */
    double damping;    /* the damping eps it was designed with (0: none) */
    stab_form form;
    int nfactor;       /* STAB_PRODUCT */
    stab_factor *factor;
    double mu;         /* STAB_CHEBYSHEV: x = 1 + mu z */
    double *weight;    /* STAB_CHEBYSHEV: w_0 .. w_s */
    char *description; /* may be NULL */
} rk_stab;

rk_stab *stab_new(int nfactor);
/* A Chebyshev-form method of s stages (s + 1 weights, all 0). */
rk_stab *stab_new_chebyshev(int s);
void stab_free(rk_stab *m);
/* The evaluations of f a step costs. */
int stab_stages(const rk_stab *m);
/* A design's claims and name: order p (linear-only from 3), damping eps,
 * "STEM-sS-pP" with "-dEPS" when damped. */
void stab_set_design(rk_stab *m, const char *stem, int s, int p, double eps);
/* "10 stages in the Chebyshev form", "10 stages in 7 factors". */
void stab_describe(const rk_stab *m, char *buf, size_t size);
/* Stage k's time offset over h in the Chebyshev form: mu k^2, the one
 * rounding the engine and the emitted table share. */
double stab_cheb_time(const rk_stab *m, int k);

/* ---- files (stab_json.c) ---- */
/* 1 if the JSON text is a "rkgen-stabilized" file (by its "format"). */
int stab_is_text(const char *json);
/* Reads and validates a method file; NULL with err set (file, line,
 * column where the JSON is malformed). */
rk_stab *stab_read(const char *path, rk_error *err);
rk_stab *stab_parse(const char *json, const char *where, rk_error *err);
/* The file text (malloc'd), exact hex floats with decimals beside. */
char *stab_to_json(const rk_stab *m);

/* ---- the engine's step (stab_step.c): the emitted C's operations ---- */
/* Reals of workspace for an n-dimensional system. */
#define STAB_WORK(n) (3 * (size_t)(n))
void stab_step(const rk_stab *m, rk_rhs_fn f, void *ctx, int n, double t,
               double *y, double h, double *work);
void stab_stepf(const rk_stab *m, rk_rhsf_fn f, void *ctx, int n, float t,
                float *y, float h, float *work);

/* ---- analysis in MPFR (stab_mp.c) ---- */
typedef struct stab_analysis {
    int degree;          /* of R: the stages */
    double *coef;        /* R's coefficients 1, 1, 1/2, ... (degree + 1) */
    int order;           /* the largest p with coef[j] = 1/j! for j <= p, to the
                            rounding of the factors or weights (doubles): 16 (j+1) 2^-53
                            times the sum of |terms| behind coef[j] */
    double beta;         /* the real stability interval measured: |R| <= 1 on [-beta, 0]
                            (to 1e-9, the rounding of the coefficients) */
    double amplification; /* max over z in [-beta, 0] and stages j of |theta_j(z)|:
                             NodePy's maximum_internal_amplification, a max over
                             stages (it gives the 10^3.8 at s = 8) */
    /* added for issue 14's part 3 */
    int exact_order;          /* the same as order, to 2^-(prec-10) */
    double amplification_sum; /* max over [-beta, 0] of sum_j |theta_j(z)| */
    double growth;            /* max over [-beta, 0] of the state inside the step
                                 (y = 1): an order may trade amplification for it */
} stab_analysis;
int stab_analyse(const rk_stab *m, int prec, stab_analysis *out, rk_error *err);
void stab_analysis_free(stab_analysis *a);

/* ---- design (stab_design.c) ---- */
/* The design's largest stage count: the LP (and the product form's
 * ordering) grow like s^3. */
#define STAB_DESIGN_MAX_STAGES 512
/* 1 if (s, p, eps) can be designed, else 0 with err set. */
int stab_design_args_ok(int s, int p, double eps, rk_error *err);
/* The same design realised in the Chebyshev form: the LP's weights with
 * the order conditions made to hold in MPFR before rounding.  Faster
 * than stab_design (no roots, no ordering) and internally stabler. */
rk_stab *stab_design_chebyshev(int s, int p, double eps, rk_error *err);
/* The LP alone (1 <= p <= s, checked by the callers above): R's
 * Chebyshev coefficients w[0..s] in x = 1 + 2z/beta at the longest
 * feasible beta, and the LPs it took. */
int stab_design_weights(int s, int p, double eps, double *w, double *beta, int *lps,
                        rk_error *err);
/* A design's last step: the interval and order measured in MPFR (the
 * order must survive the rounding to doubles), the description; m, or
 * NULL with m freed. */
rk_stab *stab_design_checked(rk_stab *m, double beta_lp, int lps, rk_error *err);
/* The s-stage method of order p (1 <= p <= 4) with the largest real
 * stability interval: an LP over R in the Chebyshev basis of [-beta, 0]
 * with |R| <= 1 - eps away from the origin, bisection on beta; R's roots
 * realised as ordered factors with bounded internal amplification. */
rk_stab *stab_design(int s, int p, double eps, rk_error *err);
/* The same by the LP always; stab_design takes p = 1 without damping from
 * its closed form, T_s(1 + z/s^2) (beta = 2 s^2), which the LP reaches to
 * about 1e-8. */
rk_stab *stab_design_lp(int s, int p, double eps, rk_error *err);
/* Puts m's factors in the design's order (the better of Lebedev and
 * Finogenov's and a greedy one) for the interval [-beta, 0]: R stays,
 * the internal amplification drops; for methods built from a closed
 * form (RKC's, say).  0, or -1 out of memory. */
int stab_order_factors(rk_stab *m, double beta);

#endif
