/* stats.h - what the benchmarks in bench/ share: the clock, the order
 * statistics they report (medians and spreads, robust to one slow
 * trial), and reading their counts from the command line. */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

/* CLOCK_MONOTONIC in ns. */
double now_ns(void);
/* The q-quantile of v[0..n) (linear interpolation between order
 * statistics; q = 0.5 is the median). */
double quantile(const double *v, int n, double q);
double median(const double *v, int n);
/* Interquartile range over the median: a spread one outlier cannot move. */
double iqr_rel(const double *v, int n);
double min_of(const double *v, int n);
double max_of(const double *v, int n);
/* s as a positive count for option opt of program prog; exits 2 if not. */
unsigned long parse_count(const char *prog, const char *s, const char *opt);

#endif
