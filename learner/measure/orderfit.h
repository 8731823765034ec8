/* orderfit.h - the observed order of convergence from errors e(h).
 *
 * The order is the least-squares slope of log e against log h over the
 * asymptotic part of the curve only.  Two ends are not asymptotic: at
 * small h the error reaches the round-off floor (it stops falling, or
 * rises, as h shrinks) and at large h the method is outside its
 * asymptotic regime or unstable.  Both are detected from the local
 * slopes and left out, and the result says which h were used. */
#ifndef RK_ORDERFIT_H
#define RK_ORDERFIT_H

typedef struct order_fit {
    double order;      /* fitted slope; 0 if too few points */
    int lo, hi;        /* indices of the points used, lo..hi inclusive */
    int used;          /* hi - lo + 1, or 0 when no fit was possible */
    double h_lo, h_hi; /* their h range */
    double floor_h;    /* the largest h left out for round-off, 0 if none */
} order_fit;

/* h ascending, e the error at each; non-finite or non-positive errors
 * (instability, exact results) are never fitted.  Needs 3 points. */
void order_fit_run(const double *h, const double *e, int n, order_fit *r);

#endif
