/* stabwork.h - what a method costs to reach a family's horizon at an
 * accuracy (issue 14): the f evaluations to T at a relative max-norm
 * error TOL, the largest over fresh members, for a fixed-step method (a
 * tableau or a many-stage product-form method) at its fewest stable
 * equal steps, and for the adaptive dopri5 and RKC2 at the loosest
 * tolerance that reaches TOL.  bench_stabilized and rkgen validate
 * --stabilized report it. */
#ifndef RK_STABWORK_H
#define RK_STABWORK_H

#include "diag.h"
#include "family.h"
#include "samples.h"
#include "stab_ladder.h"
#include "stabilized.h"
#include "tableau.h"

typedef struct sw_problem {
    const rk_family *f;
    sample_set s;      /* the members, with their truth at T */
    double T;          /* the family's horizon */
    double rho;        /* the spectrum's estimate, without the safety factor */
    double *y, *work, *tape;
} sw_problem;

typedef struct sw_method {
    const char *name;
    const rk_tableau *tb; /* a tableau, or */
    const rk_stab *stab;  /* a many-stage method, either form */
    int stages;
    double beta;          /* the real stability interval */
} sw_method;

/* members fresh members of f (the test stream of seed) with their
 * truth at the horizon, and the spectral radius from the same seed.
 * 0, or -1 with err (pb is then safe to free). */
int stabwork_setup(sw_problem *pb, const rk_family *f, unsigned long seed, int members, rk_error *err);
void stabwork_free(sw_problem *pb);

sw_method stabwork_tableau(const rk_tableau *t);
sw_method stabwork_stab(const rk_stab *m);

/* max_i |y_i - y_i(T)| / max_i |y_i(T)|, the largest over the members,
 * after n equal steps (INFINITY where a run is not finite). */
double stabwork_error(sw_problem *pb, const sw_method *m, unsigned long n);
/* The fewest equal steps that are stable (h rho <= beta) and reach tol,
 * with the error there in *err; 0 when no count up to 2^24 does. */
unsigned long stabwork_fewest_steps(sw_problem *pb, const sw_method *m, double tol, double *err);

/* The fewest evaluations to T at tol over equal step counts n for a
 * ladder (stab_ladder.h: each n takes the fewest stages stable for
 * h = T/n), with the steps, the stages and the error there; 0 when no
 * count up to 2^24 reaches tol.  stabwork_fewest_rkc2 is the same for
 * RKC2's stages (rkc2_step with the fewest s whose (1 + w0)/w1 covers
 * h rho), as bench/rkc2.py's fixed-step search. */
typedef struct sw_fewest {
    unsigned long nfev, steps;
    int stages;
    double err;
} sw_fewest;
sw_fewest stabwork_fewest_ladder(sw_problem *pb, const rk_stab_ladder *L, double tol);
sw_fewest stabwork_fewest_rkc2(sw_problem *pb, double tol);

/* The adaptive solvers' evaluations (the most over the members) at the
 * first rtol = 1e-2, 5e-3, ... (atol = rtol/1000) whose error is within
 * tol, with that error and rtol; 0 when none down to 1e-13 is. */
unsigned long stabwork_dopri5(sw_problem *pb, double tol, double *err, double *rtol);
unsigned long stabwork_rkc2(sw_problem *pb, double tol, double *err, double *rtol);

/* One accuracy's row: the method, its ladder, rk4, ssprk3 and RKC2's
 * stages at their fewest stable equal steps, dopri5 and RKC2 adaptive.
 * The columns before SW_DOPRI5 are fixed-step. */
enum { SW_METHOD, SW_LADDER, SW_RK4, SW_SSPRK3, SW_RKC2_EQUAL, SW_DOPRI5, SW_RKC2, SW_NCOL };
extern const char *const SW_COLUMN[SW_NCOL]; /* "method", "ladder", "rk4", ... */

typedef struct sw_row {
    double tol;
    unsigned long nfev[SW_NCOL]; /* 0: tol not reached */
    double err[SW_NCOL];         /* the error reached */
    double how[SW_NCOL];         /* the steps (fixed-step columns) or the rtol (adaptive) */
} sw_row;

/* L: m's ladder.  0, or -1 out of memory. */
int stabwork_row(sw_problem *pb, const rk_stab *m, const rk_stab_ladder *L, double tol, sw_row *row);

#endif
