/* pair.h - an embedded Runge-Kutta pair in MPFR: the embedded method's
 * order and stability, the FSAL claim, and the error-estimator measures
 * of Kennedy, Carpenter & Lewis (Appl. Numer. Math. 35 (2000) 177-219)
 * as NodePy's ExplicitRungeKuttaPair.error_metrics defines them.
 *
 * With tau(t) = (Phi(t) - 1/gamma(t))/sigma(t) and tau^(k) the vector of
 * them over the trees of order k, P the order of the higher method and
 * Q that of the lower (the estimator), all found from the trees:
 *
 *   A    = ||tau^(P+1)||_2 of the higher method
 *   Ahat = ||tauhat^(Q+1)||_2 of the lower
 *   B    = ||tauhat^(Q+2)||_2 / Ahat
 *   C    = ||tauhat^(Q+2) - tau^(Q+2)||_2 / Ahat
 *   E    = ||tau^(Q+2)||_2 / Ahat
 *
 * NodePy names the method that advances the solution the main one and
 * takes its order for P.  Fehlberg 4(5) advances with the order-4 b, so
 * (as NodePy's Fehlberg45, whose b is the order-5 vector) the roles are
 * taken by order, not by name: the higher-order weights are "tau".
 */
#ifndef RK_PAIR_H
#define RK_PAIR_H

#include "diag.h"
#include "orders.h"
#include "stability.h"
#include "tableau_mp.h"
#include "trees.h"

typedef struct rk_pair_check {
    rk_order_check emb;     /* the embedded method (A, bhat) on the trees */
    rk_stability st;        /* its linear stability */
    rk_verdict fsal;        /* last row of A = b and c_s = 1, as checked */
    double fsal_resid;      /* largest |a_sj - b_j|, |c_s - 1| */
    int swapped;            /* 1: b has the lower order, so bhat is "tau" */
    int P, Q;               /* orders of the higher and the lower method */
    double A, Ahat, B, C, E; /* NAN where the trees do not reach Q+2, P+1 */
} rk_pair_check;

/* m must be a pair (m->bhat); main is the check of (A, b) on f.
 * 0, or -1 with err set when out of memory. */
int pair_check(const rk_forest *f, const rk_tabmp *m, const rk_order_check *main,
               rk_pair_check *out, rk_error *err);
void pair_free(rk_pair_check *p);

/* The FSAL verdict alone: rows compared in MPFR, judged as orders.h. */
rk_verdict pair_fsal(const rk_tabmp *m, double *resid);

/* The first claim of the pair t that does not hold, in words (buf), or
 * NULL: its stated order (main on the trees), its stated embedded order
 * (pc), FSAL.  An order the trees do not reach is not judged. */
const char *pair_claims(const rk_tableau *t, const rk_order_check *main,
                        const rk_pair_check *pc, char *buf, size_t size);

/* Checks the pair t's stated orders and FSAL claim on the trees, in MPFR
 * at 256 bits, as `rkgen check` does: 0, or -1 with err saying which
 * claim fails (or that memory ran out). */
int pair_verify(const rk_tableau *t, rk_error *err);

#endif
