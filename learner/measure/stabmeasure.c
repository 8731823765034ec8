/* stabmeasure.c - global errors of an ordered-product method on members,
 * on threads, with the engine's step (stab_step): step k starts at
 * t = k h, as the generated stepper's integrate does. */
#include "stabmeasure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"

typedef struct stab_job {
    const rk_family *f;
    const rk_stab *m;
    double *err;
} stab_job;

static int stab_part(void *ctx, const sample_set *s, int first)
{
    const stab_job *j = ctx;
    const rk_family *f = j->f;
    int d = f->dim, bad = 0;
    double *work = malloc((STAB_WORK(d) + (size_t)f->rhs.n + (size_t)d + 1) * sizeof *work);
    if (!work)
        return s->n;
    double *tape = work + STAB_WORK(d), *y = tape + f->rhs.n;
    for (int i = 0; i < s->n; i++) {
        family_rhs_ctx ctx2 = {f, s->p + i * f->nparam, tape};
        memcpy(y, s->y0 + i * d, (size_t)d * sizeof *y);
        for (unsigned long k = 0; k < s->nsteps[i]; k++)
            stab_step(j->m, family_rhs, &ctx2, d, (double)k * s->h[i], y, s->h[i], work);
        j->err[first + i] = measure_error(y, s->yT + i * d, d);
        bad += !isfinite(j->err[first + i]);
    }
    free(work);
    return bad;
}

int measure_stab(const rk_family *f, const rk_stab *m, const sample_set *s, double *err)
{
    stab_job j = {f, m, err};
    return samples_parallel(s, stab_part, &j);
}
