#include "survival.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rk.h"

typedef struct survival_job {
    const rk_family *f;
    const rk_tableau *t;
    double span;
} survival_job;

static double norm(const double *y, int d)
{
    double s = 0;
    for (int k = 0; k < d; k++)
        s += y[k] * y[k];
    return sqrt(s);
}

/* Steps in chunks, so that a run that has left every bound stops early
 * (its states would only overflow). */
#define CHUNK 64

static int part(void *ctx, const sample_set *s, int first)
{
    const survival_job *j = ctx;
    const rk_family *f = j->f;
    const rk_tableau *t = j->t;
    int d = f->dim, blown = 0;
    (void)first;
    double *work = malloc((RK_WORK(t->s, d) + (size_t)f->rhs.n + (size_t)d + 1) * sizeof *work);
    if (!work)
        return s->n;
    double *y = work + RK_WORK(t->s, d) + f->rhs.n;
    for (int i = 0; i < s->n; i++) {
        family_rhs_ctx ctx2 = {f, s->p + i * f->nparam, work + RK_WORK(t->s, d)};
        const double *y0 = s->yT + i * d;
        double bound = SURVIVAL_BOUND * (1 + norm(y0, d)), tk = s->h[i] * (double)s->nsteps[i];
        unsigned long left = (unsigned long)ceil(j->span / s->h[i]);
        int bad = 0;
        memcpy(y, y0, (size_t)d * sizeof *y);
        while (left > 0 && !bad) {
            unsigned long n = left < CHUNK ? left : CHUNK;
            rk_integrate(t, family_rhs, &ctx2, d, tk, y, s->h[i], n, work);
            tk += (double)n * s->h[i];
            left -= n;
            double r = norm(y, d);
            bad = !isfinite(r) || r > bound;
        }
        blown += bad;
    }
    free(work);
    return blown;
}

int survival_blowups(const rk_family *f, const rk_tableau *t, const sample_set *s, int n,
                     double span)
{
    survival_job j = {f, t, span};
    sample_set v = samples_view(s, 0, n > 0 && n < s->n ? n : s->n);
    return samples_parallel(&v, part, &j);
}
