/* reference.h - ground truth for families without a closed form.
 *
 * The Taylor-series method (MATH.md section 2; Jorba & Zou): at each step
 * the solution's Taylor coefficients come from the power-series
 * arithmetic, y_[k+1] = f(y)_[k] / (k+1), to a high degree, and the step
 * is chosen from their decay so that the truncation error stays near the
 * rounding of double.  Its error is orders of magnitude below that of any
 * method rkgen measures, which is what a reference must be. */
#ifndef RK_REFERENCE_H
#define RK_REFERENCE_H

#include "diag.h"
#include "family.h"
#include "series.h"

#define REFERENCE_DEGREE 24

typedef struct reference {
    const rk_family *f;
    int deg;
    double *ys;    /* dim * (deg+1) coefficients of the solution */
    double *ts;    /* deg+1 coefficients of t */
    double *fs;    /* dim * (deg+1) coefficients of f */
    double *work;
    ex_sprog prog;     /* the tape at deg */
    unsigned long steps; /* taken by the last solve */
} reference;

int reference_init(reference *r, const rk_family *f, rk_error *err);
void reference_free(reference *r);

/* y holds y(t0) on entry and y(t1) on return; 0 on success, -1 (with
 * err naming the member) if the solution leaves the finite numbers or
 * the step size collapses. */
int reference_solve(reference *r, const double *p, double t0, double t1,
                    double *y, rk_error *err);

/* The classical Taylor method of order q (q <= REFERENCE_DEGREE): nsteps
 * steps of size h from t0, y in place.  The scale for training methods
 * of orders beyond the built-in tableaux. */
int reference_taylor_method(reference *r, const double *p, double t0, double h,
                            unsigned long nsteps, int q, double *y);

#endif
