/* stability.h - linear stability of an explicit Runge-Kutta method
 * (MATH.md section 3).
 *
 * On y' = lambda y a step multiplies y by R(z), z = h lambda,
 * R(z) = 1 + sum_{k=1..s} (b^T A^(k-1) 1) z^k.  The coefficients are
 * computed in MPFR.  The real interval [-x, 0] and the imaginary interval
 * [-iy, iy] are found on the polynomials |R|^2 - 1 along each axis,
 * built exactly in MPFR with the constant term cancelled symbolically, so
 * that the sign near z = 0 is not decided by rounding: the polynomial is
 * sampled on a fine grid up to a bound on its roots and the first sign
 * change is refined by bisection (docs/check.md).
 */
#ifndef RK_STABILITY_H
#define RK_STABILITY_H

#include "tableau.h"
#include "tableau_mp.h"

typedef struct rk_stability {
    int degree;                     /* degree of R (trailing zeros dropped) */
    double coef[RK_MAX_STAGES + 1]; /* R's coefficients r_0 = 1, r_1, ... */
    double real;                    /* |R(-x')| <= 1 for x' in [0, real] */
    double imag;                    /* |R(iy')| <= 1 for y' in [0, imag] */
} rk_stability;

/* 0, or -1 when out of memory. */
int stability_analyse(const rk_tabmp *m, rk_stability *out);

/* The real interval of a tableau's R, from its coefficients in MPFR
 * (128 bits); 0 when out of memory or the tableau is not valid. */
double stability_real_interval(const rk_tableau *t);

/* |R(z)| for complex z = x + iy. */
double stability_abs(const rk_stability *st, double x, double y);

/* The curve |R(z)| = 1 as CSV text (malloc'd): for npoints angles theta
 * in [0, 2 pi), every root z of R(z) = exp(i theta), one line
 * "theta,branch,re,im".  NULL when out of memory. */
char *stability_boundary_csv(const rk_stability *st, int npoints);

#endif
