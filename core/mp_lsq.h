/* mp_lsq.h - minimum-norm solutions of linear systems in MPFR.
 *
 * For a Gauss-Newton step on order conditions: the system J x = r is
 * usually underdetermined (more coefficients than conditions) and may
 * have dependent rows (family conditions sampled at many members).  J^T
 * is factorised by Householder QR with column pivoting, J^T P = Q R; the
 * numerical rank k is where |R_kk| drops below rtol |R_00|, and x is the
 * minimum-norm solution of the k independent rows the pivoting chose.
 * For a consistent system that is the minimum-norm solution of all rows.
 */
#ifndef RK_MP_LSQ_H
#define RK_MP_LSQ_H

#include <mpfr.h>

/* J is m x n, row-major, and is overwritten; rhs has m entries, x gets n.
 * Returns the rank, or -1 when out of memory. */
int mp_minnorm(int m, int n, mpfr_t *J, mpfr_t *rhs, mpfr_t *x, double rtol,
               mpfr_prec_t prec);

#endif
