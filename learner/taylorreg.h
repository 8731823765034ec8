/* taylorreg.h - the paper's Taylor regularizer (eqs. 21-25): the local
 * error's h-derivatives at h = 0, orders 1..P, which vanish exactly when
 * the method has order P on the family (MATH.md section 2).
 *
 * By the B-series, [h^q](yhat_1 - y_1) = sum over trees t of order q of
 * (Phi_t(A, b) - 1/gamma_t) E_t(y), with E_t = F(t)(y)/sigma_t, which does
 * not depend on the tableau.  E is identified once per member: the
 * stages of a few fixed probe tableaux are run in power-series arithmetic
 * (series.h), and since their elementary weights are known, E solves a
 * small least-squares system with one matrix for all members.  After
 * that the regularizer and its gradient are exact polynomials in the
 * elementary weights, whose derivatives follow the trees' recursion. */
#ifndef RK_TAYLORREG_H
#define RK_TAYLORREG_H

#include "diag.h"
#include "family.h"
#include "samples.h"
#include "trees.h"
#include "weights.h"

typedef struct taylor_reg {
    int order, stages, n, dim, P;  /* P raw coefficients */
    rk_forest forest;
    double *E;      /* while identifying: member i, tree k at (i*ntrees + k)*dim */
    double *norm;   /* while identifying: member i, order q: |exact coefficient| */
    double *C;      /* order q: rows x T_q at C + C_first[q] (see compress()) */
    size_t *C_first;
    int *row_first; /* rows of order q are [row_first[q], row_first[q+1]) */
    tree_weights tw;
} taylor_reg;

int taylor_reg_init(taylor_reg *r, const rk_family *f, const sample_set *s, int stages,
                    int order, rk_error *err);
void taylor_reg_free(taylor_reg *r);

/* The rows' sum of squares is the regularizer: over members i, orders q
 * and components k, [h^q](yhat - y)_k divided by the size of the exact
 * coefficient.  The rows themselves are a compressed equivalent with the
 * same Gauss-Newton model, at most ntrees(q) of them per order q, from
 * taylor_reg_first_row(q) on.  J rows of P entries (raw coefficients, as
 * objective.h).  J may be NULL. */
int taylor_reg_nres(const taylor_reg *r);
int taylor_reg_first_row(const taylor_reg *r, int q);
void taylor_reg_eval(taylor_reg *r, const double *theta, double *res, double *J);

#endif
