/* check_spectrum.h - rkgen check --family: the spectral radius of the
 * family's Jacobian over its members, along their trajectories, and the
 * largest h rho its step range reaches (docs/check.md, "Spectrum"). */
#ifndef RK_CHECK_SPECTRUM_H
#define RK_CHECK_SPECTRUM_H

#include <cjson/cJSON.h>

#include "diag.h"
#include "family.h"

/* Points of each member's run: its start and this many more, evenly to
 * the horizon. */
#define SPECTRUM_POINTS 3

typedef struct spectrum_summary {
    int members, points;       /* members measured, points in all */
    int exact;                 /* rho from eigenvalues (small d), else the power method */
    double rho_min, rho_max;   /* the rho reported, over all points */
    double power_max;          /* the power method's largest estimate (x1.2) */
    double power_ratio_max;    /* max over points of power / exact (exact only) */
    int power_iters_max, power_unconverged;
    double power_iters_mean;
    int gersh;                 /* Gershgorin's bound computed */
    char gersh_why[RK_ERROR_MAX]; /* why not, when not */
    double gersh_max, gersh_left; /* max bound; min over points of where real parts begin */
    double h_max;              /* the top of the step range */
    double hrho_member_max;    /* max over members of its own h times its rho */
    double hrho_max;           /* h_max * rho_max: the largest h rho in the step range */
} spectrum_summary;

/* Samples members of f (seed) and measures every point; 0, or -1 with err. */
int spectrum_measure(const rk_family *f, int members, unsigned long seed,
                     spectrum_summary *s, rk_error *err);
/* The text section; beta > 0 is the method's real stability interval
 * (name: the method), compared with h rho. */
void spectrum_print(const rk_family *f, const spectrum_summary *s, const char *name,
                    double beta);
cJSON *spectrum_json(const spectrum_summary *s, double beta);

#endif
