/* spectrum.h - the spectral radius rho of the Jacobian of a family's
 * vector field at one point (p, t, y): what bounds an explicit step by
 * stability, h rho <= the method's real interval.
 *
 * Three ways, for three sizes of system:
 *   - small d: the Jacobian (each column the degree-1 series of f in
 *     the direction e_k, exact to rounding) and its eigenvalues, by the
 *     characteristic polynomial and Durand-Kerner;
 *   - any d: a nonlinear power method on f(y + v) - f(y), as RKC's rkcrho
 *     (Sommeijer, Shampine and Verwer 1997): warm-started from the last
 *     direction (the first from a fixed random one), a few iterations, the
 *     estimate times a safety factor 1.2;
 *   - where the Jacobian is sparse enough to be cheap: Gershgorin's bound
 *     max_i sum_j |J_ij| >= rho, the rows by forward-mode differentiation
 *     (degree-1 series) of the tape with the columns grouped so that no
 *     two in a group meet in a row (Curtis, Powell and Reid 1974): one
 *     pass of the tape per group, not per column.
 */
#ifndef RK_SPECTRUM_H
#define RK_SPECTRUM_H

#include <complex.h>
#include <stddef.h>

#include "diag.h"
#include "family.h"

/* Eigenvalues are computed up to this dimension. */
#define SPEC_EIG_MAX_DIM 12
/* RKC's safety factor on the power method's estimate. */
#define SPEC_SAFETY 1.2
#define SPEC_POWER_MAX_ITER 50
/* Relative change of the estimate that ends the iteration (rkcrho's). */
#define SPEC_POWER_TOL 0.01
/* Gershgorin is "cheap" while every row reads at most this many states
 * and the column groups need at most this many passes. */
#define SPEC_ROW_MAX 64
#define SPEC_GROUPS_MAX 64

/* ---- the Jacobian and its eigenvalues (small d) ---- */

/* Doubles of work for spec_jacobian. */
size_t spec_jacobian_work(const rk_family *f);
/* J (d x d, row-major) of f at (p, t, y); -1 if a series failed. */
int spec_jacobian(const rk_family *f, const double *p, double t, const double *y,
                  double *work, double *J);
/* The n eigenvalues of the n x n matrix A, n <= SPEC_EIG_MAX_DIM. */
void spec_eigenvalues(int n, const double *A, double complex *z);
/* max |eigenvalue| of J at the point; -1 if d is too large or the
 * Jacobian failed. */
double spec_rho_exact(const rk_family *f, const double *p, double t, const double *y,
                      double *work);
/* The same, and the smallest real part of the eigenvalues into *re_min
 * (where the spectrum reaches left: what a real stability interval must
 * cover). */
double spec_rho_exact_re(const rk_family *f, const double *p, double t, const double *y,
                         double *work, double *re_min);

/* ---- the power method (any d) ---- */

typedef struct spec_power {
    const rk_family *f;
    double *v, *fy, *fv, *dir, *tape; /* dir: the last direction, for the warm start */
    int have_dir;
    int maxnorm;    /* 1: max-norms, as an emitted ladder's _rho takes them (no sqrt) */
    int iters;      /* taken by the last call */
    int converged;  /* the last call met SPEC_POWER_TOL */
} spec_power;

int spec_power_init(spec_power *pw, const rk_family *f);
void spec_power_free(spec_power *pw);
/* SPEC_SAFETY times the estimate of rho at (p, t, y), rkcrho's way. */
double spec_power_rho(spec_power *pw, const double *p, double t, const double *y);
/* The start an emitted ladder's _rho takes from a zero direction
 * (templates/ladder.c.in): xorshift32 from a fixed seed, in [-1/2, 1/2). */
void spec_scatter(double *v, int d);

/* ---- Gershgorin's bound (sparse Jacobians) ---- */

typedef struct spec_gersh {
    const rk_family *f;
    int ngroup;
    int *group;     /* per state: its column group */
    char *self;     /* per state: 1 if its derivative reads it (J_ii may be nonzero) */
    double *work, *ys, *out, *rowsum, *diag;
} spec_gersh;

/* 0 ready; 1 not cheap (a row reads more than SPEC_ROW_MAX states or
 * the columns need more than SPEC_GROUPS_MAX groups; err says which);
 * -1 out of memory. */
int spec_gersh_init(spec_gersh *g, const rk_family *f, rk_error *err);
void spec_gersh_free(spec_gersh *g);
/* max_i sum_j |J_ij| at (p, t, y), >= rho; *left (if not NULL) gets
 * min_i (J_ii - sum_{j != i} |J_ij|), where the spectrum's real parts
 * begin.  -1 if a series failed. */
double spec_gersh_bound(spec_gersh *g, const double *p, double t, const double *y,
                        double *left);

#endif
