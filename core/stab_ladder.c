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
    for (int s = smin; s < smax; s++) {
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

const rk_stab *stab_ladder_pick(const rk_stab_ladder *L, double hrho)
{
    for (int s = L->smin; s < L->smax; s++) {
        const rk_stab *m = L->rung[s - L->smin];
        if (m && hrho <= m->beta)
            return m;
    }
    return L->top;
}

unsigned long stab_ladder_substeps(const rk_stab_ladder *L, double hrho)
{
    if (!(hrho > L->top->beta))
        return 1;
    double k = ceil(hrho / L->top->beta);
    return k < 1e15 ? (unsigned long)k : 1000000000000000UL;
}

unsigned long stab_ladder_step(const rk_stab_ladder *L, rk_rhs_fn f, void *ctx, int n, double t,
                               double *y, double h, double rho, double *work)
{
    unsigned long k = stab_ladder_substeps(L, h * rho);
    double hk = k == 1 ? h : h / (double)k;
    const rk_stab *m = stab_ladder_pick(L, hk * rho);
    for (unsigned long j = 0; j < k; j++)
        stab_step(m, f, ctx, n, t + (double)j * hk, y, hk, work);
    return k * (unsigned long)stab_stages(m);
}
