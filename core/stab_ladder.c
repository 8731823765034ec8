/* stab_ladder.c - a many-stage method's ladder of stage counts
 * (stab_ladder.h). */
#include "stab_ladder.h"

#include <math.h>
#include <stdlib.h>

static rk_stab *design_rung(const rk_stab *top, int s)
{
    rk_error quiet = {{0}};
    return top->form == STAB_CHEBYSHEV ? stab_design_chebyshev(s, top->order, top->damping, &quiet)
                                       : stab_design(s, top->order, top->damping, &quiet);
}

rk_stab_ladder *stab_ladder_new(const rk_stab *top, rk_error *err)
{
    int smax = stab_stages(top), smin = top->order < smax ? top->order : smax;
    rk_stab_ladder *L = calloc(1, sizeof *L);
    if (L)
        L->rung = calloc((size_t)(smax - smin + 1), sizeof *L->rung);
    if (!L || !L->rung) {
        free(L);
        rk_error_set(err, "out of memory");
        return NULL;
    }
    L->smin = smin;
    L->smax = smax;
    L->top = top;
    /* a rung must cover more than the one below it, or it is never the
     * fewest stages for any h rho */
    double below = 0;
    for (int s = smin; s < smax; s = s < STAB_LADDER_DENSE ? s + 1 : s + s / 20) {
        rk_stab *m = design_rung(top, s);
        if (m && m->beta > below && m->beta < top->beta) {
            L->rung[s - smin] = m;
            below = m->beta;
        } else
            stab_free(m);
    }
    L->rung[smax - smin] = (rk_stab *)top; /* borrowed: never freed here */
    return L;
}

void stab_ladder_free(rk_stab_ladder *L)
{
    if (!L)
        return;
    for (int s = L->smin; s < L->smax; s++)
        stab_free(L->rung[s - L->smin]);
    free(L->rung);
    free(L);
}

/* The substeps and the step, once for double and once for float, by
 * the real type's own operations as the emitted step does them: k =
 * floor(h rho / beta), one more if k beta falls short (k <= 10^6 is
 * exact in float too). */
#define REAL double
#define SUFFIX
#define STEP stab_step
#define FN rk_rhs_fn
#include "stab_ladder.inc"
#undef REAL
#undef SUFFIX
#undef STEP
#undef FN
#define REAL float
#define SUFFIX f
#define STEP stab_stepf
#define FN rk_rhsf_fn
#include "stab_ladder.inc"
