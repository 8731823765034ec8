/* stab_ladder.h - a many-stage method's ladder: the designs of its form,
 * order and damping at stage counts from the order up to its own,
 * so that a step of size h takes the fewest stages whose real interval
 * covers h rho, as RKC picks its stages per step, instead of the method's
 * full count at every h.  The top rung is the method itself (borrowed,
 * not copied), so a ladder never changes what the method does at the
 * steps it was learned for; the lower rungs come from the same design
 * (stab_design or stab_design_chebyshev) with the method's order and
 * damping.  The rungs are every stage count up to STAB_LADDER_DENSE,
 * then every 5% (s + s/20): a step takes at most 5% more stages than the
 * fewest stable, and a ladder of S stages has about 32 + 23 ln(S/32)
 * rungs to design and to emit (77 at S = 200), not S.  docs/stabilized.md, "The ladder". */
#ifndef RK_STAB_LADDER_H
#define RK_STAB_LADDER_H

#include "diag.h"
#include "rk.h"
#include "stabilized.h"

#define STAB_LADDER_DENSE 32

typedef struct rk_stab_ladder {
    int smin, smax;   /* the stage counts of the lowest and the top rung */
    rk_stab **rung;   /* rung[s - smin]; NULL where s is no rung or admits no design */
    const rk_stab *top; /* rung[smax - smin], the caller's method */
} rk_stab_ladder;

/* The ladder below top (any form; its order and damping are kept).
 * NULL with err set (out of memory, or a top whose order no design
 * reaches); a rung that cannot be designed is left out, not an error. */
rk_stab_ladder *stab_ladder_new(const rk_stab *top, rk_error *err);
void stab_ladder_free(rk_stab_ladder *L);

/* The rung for a step with h rho = hrho: the fewest stages whose real
 * interval covers it, or the top when none does. */
const rk_stab *stab_ladder_pick(const rk_stab_ladder *L, double hrho);

/* The same in float, against the intervals rounded to float, as the
 * emitted float stepper's table holds them. */
const rk_stab *stab_ladder_pickf(const rk_stab_ladder *L, float hrho);

/* A step needs more substeps than this (or has h rho < 0 or NaN): it is
 * refused, y unchanged. */
#define STAB_LADDER_MAX_SUBSTEPS 1000000

/* The equal substeps a step of h rho = hrho takes: 1 where a rung covers
 * it, else the fewest k of the top's with k beta >= h rho; 0 refused. */
unsigned long stab_ladder_substeps(const rk_stab_ladder *L, double hrho);
unsigned long stab_ladder_substepsf(const rk_stab_ladder *L, float hrho);

/* One step of h from (t, y) with the spectral radius rho: k =
 * stab_ladder_substeps equal substeps of the rung picked for (h/k) rho,
 * each stab_step's operations, as the emitted ladder stepper
 * (templates/ladder*.in) performs them; work holds STAB_WORK(n) reals.
 * Returns the evaluations of f it took, 0 for a refused step. */
unsigned long stab_ladder_step(const rk_stab_ladder *L, rk_rhs_fn f, void *ctx, int n, double t,
                               double *y, double h, double rho, double *work);
unsigned long stab_ladder_stepf(const rk_stab_ladder *L, rk_rhsf_fn f, void *ctx, int n, float t,
                                float *y, float h, float rho, float *work);

#endif
