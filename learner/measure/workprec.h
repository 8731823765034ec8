/* workprec.h - what an embedded pair costs on a family: for each
 * tolerance, the f evaluations, accepted and rejected steps and achieved
 * global error of its adaptive solver (core/adaptive.h, the operations
 * of the emitted solver) on fresh members, and the tolerance
 * proportionality, the slope of log error against log rtol.  rkgen
 * validate --adaptive reports it (learner/report/wpreport.h). */
#ifndef RK_WORKPREC_H
#define RK_WORKPREC_H

#include "diag.h"
#include "samples.h"
#include "tableau.h"

#define WP_MAX_TOLS 16

typedef struct wp_point {
    double rtol;          /* atol = rtol */
    double nfev, naccept; /* means over the members */
    unsigned long nreject; /* the sum over the members */
    double err;           /* geometric mean of measure_error at the members' ends */
    int failed;           /* members whose run returned a nonzero status */
} wp_point;

typedef struct wp_curve {
    char name[64];
    int n;
    wp_point pt[WP_MAX_TOLS];
    double slope;          /* least squares of log10 err on log10 rtol */
    unsigned long nreject; /* over every tolerance and member */
} wp_curve;

/* rtol[k] = 10^-(3 + k) for k < n: the diagram's default 1e-3 .. 1e-10
 * with n = 8 (n <= WP_MAX_TOLS); returns n. */
int workprec_tolerances(double *rtol, int n);

/* Runs pair (bhat set) on every member of s from t = 0 to its end
 * nsteps*h, where s holds the truth, at each rtol.  0, or -1 with err. */
int workprec_run(const rk_family *f, const sample_set *s, const rk_tableau *pair,
                 const double *rtol, int ntol, wp_curve *out, rk_error *err);

#endif
