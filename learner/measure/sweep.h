/* sweep.h - a method's global error at the horizon over a log-spaced
 * sweep of step sizes, on one set of fresh members.
 *
 * The same members (one seed, the test stream) are drawn for every step
 * size h, with their truth at the end of their whole steps; h is rounded
 * so that a whole number of steps reaches the horizon.  A method is the generated
 * stepper itself (compiled from its file) or a tableau run by the
 * engine in the same real type, so both are judged on the same members,
 * the same truth and the same arithmetic width. */
#ifndef RK_SWEEP_H
#define RK_SWEEP_H

#include "family.h"
#include "jit.h"
#include "orderfit.h"
#include "samples.h"
#include "tableau.h"

#define SWEEP_MAX_POINTS 64

typedef struct sweep_method {
    char name[RK_NAME_MAX];
    const jit_stepper *js;  /* the stepper, or NULL */
    const rk_tableau *t;    /* otherwise this tableau on the engine */
    int is_float, stages, evals; /* evals: f evaluations per step */
} sweep_method;

/* What one method scored. */
typedef struct sweep_row {
    double *err;        /* per sweep point: geometric mean over members */
    double *ratio;      /* per point: geometric-mean ratio, method 0 / this */
    double err_family;  /* at the family's own step sizes */
    double ratio_family;
    int unstable;       /* members with a non-finite result, family h */
    int *blown;         /* per point, members blown up on the long runs */
    order_fit fit;
} sweep_row;

typedef struct sweep_result {
    int npts, nm, members;
    const char *truth;  /* as in sample_set */
    double h[SWEEP_MAX_POINTS];
    unsigned long steps[SWEEP_MAX_POINTS];
    sweep_row *row; /* nm rows, in the order of the methods */
    double survive; /* the long runs' span, 0 if there were none */
} sweep_result;

/* npts log-spaced h from a to b, rounded to whole steps to the horizon,
 * duplicates dropped; returns how many remain. */
int sweep_grid(const rk_family *f, double a, double b, int npts, double *h,
               unsigned long *steps);
/* How far the default sweep reaches beyond the family's step range:
 * small enough h to hit the round-off floor, large enough to leave the
 * asymptotic regime. */
#define SWEEP_BELOW 128.0
#define SWEEP_ABOVE 4.0
/* The family's step range (family_min_step .. family_max_step) reaching
 * `below` times lower and `above` times higher, but not past the
 * horizon; SWEEP_BELOW, SWEEP_ABOVE give the default sweep. */
void sweep_range(const rk_family *f, double below, double above, double *a, double *b);

/* Runs methods m[0..nm) (m[0] is the one the ratios are taken against)
 * on `members` members of the seed, at the family's own step sizes and
 * over the grid.  With survive > 0, at every grid point also counts the
 * members each method blows up on when run `survive` time units beyond
 * the horizon (survival.h) into row.blown.  -1 with err if the truth or
 * memory fails. */
int sweep_run(const rk_family *f, uint64_t seed, int members, const sweep_method *m, int nm,
              const double *h, const unsigned long *steps, int npts, double survive, sweep_result *r,
              rk_error *err);
void sweep_free(sweep_result *r);

/* Where method 0 starts to lose to method k going down in h from h_top:
 * the step below which its error ratio to k is above 1 at every point of
 * the sweep, interpolated in log h between the two points around the
 * crossing; h_top when it loses at every point up to h_top, 0 when it
 * does not lose at the smallest h.  Points at the round-off floor (an
 * error below 1e-12) are passed over. */
double sweep_losing_below(const sweep_result *r, int k, double h_top);

#endif
