/* stabpen.h - the absolute-stability penalty (paper 001, MATH.md s. 3).
 *
 * On y' = lambda y an explicit method gives y_next = R(z) y, z = h lambda,
 * R(z) = 1 + sum_k g_k z^k with g_k = b^T A^(k-1) 1.  The penalty is
 * sum over sampled z of max(0, |R(z)| - max(1, e^(Re z)))^2, where the z
 * are the step times the eigenvalues of the Jacobian of f along the
 * training members' true trajectories: a decaying mode must not be
 * amplified, a growing one not faster than it grows (paper 001's
 * max(0, |R| - 1) for the decaying ones). */
#ifndef RK_STABPEN_H
#define RK_STABPEN_H

#include "diag.h"
#include "family.h"
#include "samples.h"
#include "spectrum.h"

typedef struct stab_pen {
    int stages, P, nz;
    double *zr, *zi;        /* sampled z */
    double *g, *dg;         /* g_k and its derivatives (stages x P) */
    double *v, *dv, *u, *du;
} stab_pen;

/* Dimensions up to STABPEN_MAX_DIM (eigenvalues by spectrum.h's
 * characteristic polynomial and Durand-Kerner); larger systems are refused. */
#define STABPEN_MAX_DIM SPEC_EIG_MAX_DIM
/* Points of each member's true trajectory, besides its start. */
#define STABPEN_STATES 8

int stab_pen_init(stab_pen *sp, const rk_family *f, const sample_set *s, int stages,
                  rk_error *err);
void stab_pen_free(stab_pen *sp);
int stab_pen_nres(const stab_pen *sp);
/* res[k] = max(0, |R(z_k)| - 1); J rows of P (raw coefficients). */
void stab_pen_eval(stab_pen *sp, const double *theta, double *res, double *J);
/* max over the sampled z of |R(z)| (for reports). */
double stab_pen_max_amplification(stab_pen *sp, const double *theta);

#endif
