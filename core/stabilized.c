/* stabilized.c - the many-stage product methods (stabilized.h): their
 * allocation and what a list of factors costs. */
#include "stabilized.h"

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

void stab_free(rk_stab *m)
{
    if (!m)
        return;
    free(m->factor);
    free(m->description);
    free(m);
}

int stab_stages(const rk_stab *m)
{
    int s = 0;
    for (int k = 0; k < m->nfactor; k++)
        s += m->factor[k].kind == STAB_QUADRATIC ? 2 : 1;
    return s;
}
