/* localerr.h - the local error of a tableau on members of an ODE family,
 * as Taylor coefficients in h, in MPFR (MATH.md section 2).
 *
 * For one member (parameters p, initial value y0 at t = 0) the stages are
 * run in power-series arithmetic: Y_i(h) = y0 + h sum_j a_ij K_j(h),
 * K_i(h) = f(c_i h, Y_i(h)), yhat(h) = y0 + h sum_i b_i K_i(h); the exact
 * solution's coefficients follow from y_[k+1] = f(t, y)_[k] / (k+1).
 * Then e_q = [h^q] (yhat - y) for q = 1..max_order.  The tableau has
 * family order Q on the samples when e_1..e_Q vanish at every sample;
 * "vanish" is judged as for the classical conditions (orders.h), scaled
 * by the size of the coefficients: docs/check.md.
 */
#ifndef RK_LOCALERR_H
#define RK_LOCALERR_H

#include <mpfr.h>
#include <stdint.h>
#include "diag.h"
#include "family.h"
#include "orders.h"
#include "series.h"
#include "tableau_mp.h"

/* The series machinery for one family, one stage count and one degree. */
typedef struct rk_lerr {
    const rk_family *f;
    int s, max_order, dim;
    mpfr_prec_t prec;
    ex_mpwork w;        /* right-hand side at degree max_order - 1 */
    mpfr_t *tser;       /* time series, max_order coefficients */
    mpfr_t *Y;          /* stage argument: dim series of degree max_order - 1 */
    mpfr_t *K;          /* stage values: s*dim series of degree max_order - 1 */
    mpfr_t *yex;        /* exact solution: dim*(max_order + 1) coefficients */
    mpfr_t *p, *y0;
    mpfr_t acc;
} rk_lerr;

int lerr_init(rk_lerr *L, const rk_family *f, int s, int max_order,
              mpfr_prec_t prec);
void lerr_clear(rk_lerr *L);
/* Sets the member and computes its exact coefficients; 0, or -1 if the
 * vector field has no series there (e.g. 1/y at y = 0). */
int lerr_member(rk_lerr *L, const double *p, const double *y0);
/* e[(q-1)*dim + i] = [h^q](yhat_i - y_i) and, if yq is not NULL,
 * yq[(q-1)*dim + i] = [h^q] y_i, for q = 1..max_order; 0 or -1 as above. */
int lerr_eval(rk_lerr *L, mpfr_t *A, mpfr_t *b, mpfr_t *c, mpfr_t *e,
              mpfr_t *yq);

typedef struct rk_family_check {
    int max_order, samples;
    uint64_t seed;
    double rel[RK_TREES_MAX_ORDER + 1];  /* max over samples of |e_q| / |y_q| */
    rk_verdict verdict[RK_TREES_MAX_ORDER + 1];
    int order;        /* e_1..e_order vanish (exactly or to rounding) */
    int exact_order;  /* e_1..e_exact_order vanish exactly */
} rk_family_check;

/* Samples `samples` members (seeded) and judges e_q for q up to
 * oc->max_order, using the tree weights of oc for the rounding scale.
 * 0, or -1 with err set. */
int family_check(const rk_family *f, const rk_tabmp *m, const rk_order_check *oc,
                 int samples, uint64_t seed, rk_family_check *out, rk_error *err);

#endif
