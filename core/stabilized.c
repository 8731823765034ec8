/* stabilized.c - the many-stage methods (stabilized.h): their allocation
 * and what a step costs. */
#include "stabilized.h"

#include <stdio.h>
#include <stdlib.h>

rk_stab *stab_new(int nfactor)
{
    if (nfactor < 1 || nfactor > STAB_MAX_STAGES)
        return NULL;
    rk_stab *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->factor = calloc((size_t)nfactor, sizeof *m->factor);
    if (!m->factor) {
        free(m);
        return NULL;
    }
    m->nfactor = nfactor;
    return m;
}

rk_stab *stab_new_chebyshev(int s)
{
    if (s < 1 || s > STAB_MAX_STAGES)
        return NULL;
    rk_stab *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->weight = calloc((size_t)s + 1, sizeof *m->weight);
    if (!m->weight) {
        free(m);
        return NULL;
    }
    m->form = STAB_CHEBYSHEV;
    m->s = s;
    return m;
}

void stab_free(rk_stab *m)
{
    if (!m)
        return;
    free(m->factor);
    free(m->weight);
    free(m->description);
    free(m);
}

int stab_stages(const rk_stab *m)
{
    if (m->form == STAB_CHEBYSHEV)
        return m->s;
    int s = 0;
    for (int k = 0; k < m->nfactor; k++)
        s += m->factor[k].kind == STAB_QUADRATIC ? 2 : 1;
    return s;
}

double stab_cheb_time(const rk_stab *m, int k)
{
    return m->mu * ((double)k * (double)k);
}

void stab_describe(const rk_stab *m, char *buf, size_t size)
{
    if (m->form == STAB_CHEBYSHEV)
        snprintf(buf, size, "%d stages in the Chebyshev form", m->s);
    else
        snprintf(buf, size, "%d stages in %d factors", stab_stages(m), m->nfactor);
}

void stab_set_design(rk_stab *m, const char *stem, int s, int p, double eps)
{
    m->s = s;
    m->order = p;
    m->linear_only = p >= 3;
    m->damping = eps;
    if (eps > 0)
        snprintf(m->name, sizeof m->name, "%s-s%d-p%d-d%g", stem, s, p, eps);
    else
        snprintf(m->name, sizeof m->name, "%s-s%d-p%d", stem, s, p);
}
