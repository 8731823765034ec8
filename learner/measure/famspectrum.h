/* famspectrum.h - the spectral radius of a family's Jacobian over its
 * members, along their trajectories, and the largest h rho its step range
 * reaches (docs/check.md, "Spectrum"). */
#ifndef RK_FAMSPECTRUM_H
#define RK_FAMSPECTRUM_H

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
    double re_min;             /* exact only: the smallest real part of an eigenvalue */
    double h_max;              /* the top of the step range */
    double hrho_member_max;    /* max over members of its own h times its rho */
    double hrho_max;           /* h_max * rho_max: the largest h rho in the step range */
} spectrum_summary;

/* Samples members of f (seed) and measures every point; 0, or -1 with err. */
int spectrum_measure(const rk_family *f, int members, unsigned long seed,
                     spectrum_summary *s, rk_error *err);
/* What the spectrum's rho is at most, for a stability requirement: the
 * power method's estimate (already x1.2) or the eigenvalues' rho with the
 * same margin, and never above Gershgorin's bound where there is one. */
double spectrum_rho_bound(const spectrum_summary *s);
/* How far left of the origin the spectrum reaches, with the same margin
 * (0 when it stays right of it): the eigenvalues' smallest real part,
 * else Gershgorin's left end, else the power method's rho (whose sign it
 * cannot tell).  A real stability interval helps only with this much. */
double spectrum_left_bound(const spectrum_summary *s);

#endif
