/* rkc2.h - RKC2, the second-order Runge-Kutta-Chebyshev solver of
 * Sommeijer, Shampine and Verwer (J. Comput. Appl. Math. 88 (1997)
 * 315-326; the code RKC), written from the published formulas as the
 * comparison that rkgen's many-stage methods are measured against
 * (issue 14): an s-stage step by the three-term Chebyshev recurrence
 * with damping eps = 2/13, its stage count per step from h rho, its
 * local error estimate and its step-size control.  It is independent
 * of core/stabilized.h (bench/rkc2.py is a third, NumPy, version; the
 * tests compare the two). */
#ifndef RK_RKC2_H
#define RK_RKC2_H

#include <stddef.h>

#include "rk.h"

#define RKC2_EPS (2.0 / 13.0)

/* Reals of workspace rkc2_solve needs for an n-dimensional system. */
#define RKC2_WORK(n) (6 * (size_t)(n))

typedef struct rkc2_stats {
    unsigned long nfev, naccept, nreject;
    int smax; /* the most stages one step took */
} rkc2_stats;

enum { RKC2_OK = 0, RKC2_ESMALL = 1 /* the step fell below RKC's hmin */ };

/* The real stability interval (1 + w0)/w1 of the s-stage step (s >= 2). */
double rkc2_beta(int s);

/* One s-stage step from (t, y), f(t, y) = fy, into ynew (s >= 2); work
 * holds 3n reals.  Costs s - 1 evaluations of f. */
void rkc2_step(rk_rhs_fn f, void *ctx, int n, double t, const double *y, const double *fy, double h,
               int s, double *ynew, double *work);

/* RKC's integration of y from t0 to t1 > t0 with tolerances rtol, atol
 * (RKC's weighted RMS norm) and the spectral radius rho of the Jacobian
 * (held fixed, as RKC's user-supplied SPCRAD may be); y is overwritten.
 * RKC2_OK, or RKC2_ESMALL with y where it stopped. */
int rkc2_solve(rk_rhs_fn f, void *ctx, int n, double t0, double t1, double *y, double rtol,
               double atol, double rho, rkc2_stats *st, double *work);

#endif
