/* pairdata.h - the data an embedded pair is fitted and measured on:
 * points along members' true trajectories, each with the step a
 * controller would take there, the stage slopes of the step and its true
 * local error, both scaled by the controller's error norm. */
#ifndef RK_PAIRDATA_H
#define RK_PAIRDATA_H

#include <stdint.h>
#include "diag.h"
#include "family.h"
#include "pairfit.h"
#include "samples.h"
#include "tableau.h"

typedef struct pair_points {
    int n, dim, s;   /* points, components, stages */
    int per_member;  /* points of each member, in member order */
    double *G;       /* n * dim * s: h k_j,i / sc_i, point-major then component */
    double *le;      /* n * dim: (ynew - y(t + h))_i / sc_i */
    double *h;       /* n: the step */
} pair_points;

/* Points per member of m at times spread over [0, span] (jittered from
 * seed), each with a tolerance drawn log-uniformly in [rtol_tight,
 * rtol_loose] (atol = rtol) and the step at which the true local error
 * of tb's b has norm about 1 there, times a factor in [0.5, 1] (a
 * controller takes such steps when its estimate has ratio 1).  The norm
 * is the controller's: sc_i = atol + rtol max(|y_i|, |ynew_i|).  0, or
 * -1 with err set. */
int pair_points_make(const rk_family *f, const rk_tableau *tb, const sample_set *m, int per_member,
                     double span, double rtol_loose, double rtol_tight, uint64_t seed,
                     pair_points *out, rk_error *err);
void pair_points_free(pair_points *p);

/* At most this many members of points x dim x s stage slopes are kept
 * at once (64 MB): large systems are fitted on fewer members. */
#define PAIR_POINTS_MAX_VALUES (1L << 23)
int pair_points_members(int members, int per_member, int dim, int s);

/* The ratio |estimate| / |true local error| in the RMS norm at every
 * point, for the estimator weights e = b - bhat (s), summarised. */
pairfit_ratio pair_points_ratio(const pair_points *p, const double *e);

#endif
