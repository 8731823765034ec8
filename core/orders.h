/* orders.h - classical order conditions in MPFR.
 *
 * For every rooted tree t up to a maximal order the residual
 * Phi(t) - 1/gamma(t) is computed at the working precision, and judged
 * against two tolerances (docs/check.md):
 *
 *   exact     |r| <= 2^(24 - prec) * max(1, |Phi|(t))
 *   rounding  |r| <= that + 4 |t| eps |Phi|(t)
 *
 * where |Phi|(t) is the elementary weight of the tableau with every
 * coefficient replaced by its absolute value (the size of the sum whose
 * rounding is measured) and eps the given precision of the coefficients
 * (tableau_mp.h).  A residual above both fails.
 */
#ifndef RK_ORDERS_H
#define RK_ORDERS_H

#include <mpfr.h>
#include "diag.h"
#include "tableau_mp.h"
#include "trees.h"

typedef enum rk_verdict {
    RK_EXACT = 0,    /* holds at the working precision */
    RK_ROUNDING = 1, /* holds to the rounding of the coefficients as given */
    RK_FAILS = 2
} rk_verdict;

/* "exact", "to rounding", "fails". */
const char *verdict_name(rk_verdict v);

/* The elementary weights of every tree of a forest in MPFR, with their
 * partial derivatives (forward mode) for Gauss-Newton. */
typedef struct rk_phimp {
    const rk_forest *f;
    int s;
    int nstore;         /* trees whose stage vectors are kept: order < max */
    mpfr_t *u, *g;      /* Phi_i(t) and (A Phi(t))_i, nstore*s each */
    mpfr_t *du, *dg;    /* their derivatives along one coefficient, or NULL */
    mpfr_t *phi;        /* f->n */
    mpfr_t acc, tmp;
} rk_phimp;

/* with_tangent: also allocate what phimp_partial needs.  0 or -1 (OOM). */
int phimp_init(rk_phimp *p, const rk_forest *f, int s, mpfr_prec_t prec,
               int with_tangent);
void phimp_clear(rk_phimp *p);
/* phi[k] = Phi(tree k) for A (s*s) and b (s). */
void phimp_eval(rk_phimp *p, mpfr_t *A, mpfr_t *b);
/* dphi[k] = d Phi(tree k) / d a[row][col], or d / d b[row] when col < 0,
 * at the point of the last phimp_eval. */
void phimp_partial(rk_phimp *p, mpfr_t *A, mpfr_t *b, int row, int col,
                   mpfr_t *dphi);

typedef struct rk_order_check {
    int max_order, ntrees;
    mpfr_prec_t prec;
    double eps;                 /* given precision of the coefficients */
    double *resid;              /* per tree: Phi(t) - 1/gamma(t) */
    double *phi_abs;            /* per tree: |Phi|(t) */
    unsigned char *verdict;     /* per tree: rk_verdict */
    double max_resid[RK_TREES_MAX_ORDER + 1];   /* per order q = 1..max */
    rk_verdict order_verdict[RK_TREES_MAX_ORDER + 1];
    double weight[RK_TREES_MAX_ORDER + 1];      /* max |Phi|(t) gamma(t) */
    int order;                  /* orders 1..order hold (exactly or to rounding) */
    int exact_order;            /* orders 1..exact_order hold exactly */
    double pen, pen_max;        /* 2- and max-norm of the error coefficients
                                   (Phi - 1/gamma)/sigma of order+1; NAN
                                   when order == max_order */
    double max_coef;            /* largest |a_ij|, |b_i|, |c_i| */
    double rowsum_resid;        /* max_i |c_i - sum_j a_ij| */
    rk_verdict rowsum;
} rk_order_check;

/* Checks every tree of f against the tableau m; 0, or -1 when out of memory. */
int orders_check(const rk_forest *f, const rk_tabmp *m, rk_order_check *out,
                 rk_error *err);
void orders_free(rk_order_check *c);

/* The verdict on a residual |r| = absr of a sum of size scale (taken as
 * at least 1) whose coefficients' rounding may contribute round_extra:
 * the two tolerances above. */
rk_verdict orders_judge(mpfr_t absr, double scale, double round_extra,
                        mpfr_prec_t prec);

/* Bytes the MPFR stage vectors need for forest order q, s stages, prec
 * bits: lets callers refuse what does not fit before trying. */
double orders_memory(int max_order, int s, mpfr_prec_t prec);

#endif
