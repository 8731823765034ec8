/* stats.h - how sure a measured ratio is: the geometric-mean error ratio
 * of two methods over members, with a bootstrap confidence interval
 * (Efron & Tibshirani 1993, ch. 13, the percentile interval). */
#ifndef RK_STATS_H
#define RK_STATS_H

#include <stdint.h>

typedef struct ratio_ci {
    double ratio, lo, hi; /* the geometric mean of e/ref and its interval */
    int n;                /* members it was taken over */
} ratio_ci;

/* Over the members where both errors are finite and not both zero;
 * level is the interval's coverage (0.9: the 5th to the 95th
 * percentile of 2000 resamples drawn from seed, so one seed always
 * gives the same interval).  With no member, ratio 1 with n = 0. */
ratio_ci stats_ratio_ci(const double *e, const double *ref, int n, double level, uint64_t seed);

/* The least-squares slope of log y against log x over the n points
 * (the observed order when x are steps and y errors); NAN with fewer
 * than two points or a non-positive value. */
double stats_loglog_slope(const double *x, const double *y, int n);

#endif
