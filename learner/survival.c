#include "survival.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rk.h"

typedef struct survival_job {
    const rk_family *f;
    survival_advance advance;
    void *ctx;
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
    int d = j->f->dim, blown = 0;
    (void)first;
    double *y = malloc(((size_t)d + 1) * sizeof *y);
    if (!y)
        return s->n;
    for (int i = 0; i < s->n; i++) {
        const double *y0 = s->yT + i * d;
        double bound = SURVIVAL_BOUND * (1 + norm(y0, d)), tk = s->h[i] * (double)s->nsteps[i];
        unsigned long left = (unsigned long)ceil(j->span / s->h[i]);
        int bad = 0;
        memcpy(y, y0, (size_t)d * sizeof *y);
        while (left > 0 && !bad) {
            unsigned long n = left < CHUNK ? left : CHUNK;
            j->advance(j->ctx, tk, y, s->h[i], n, s->p + i * j->f->nparam);
            tk += (double)n * s->h[i];
            left -= n;
            double r = norm(y, d);
            bad = !isfinite(r) || r > bound;
        }
        blown += bad;
    }
    free(y);
    return blown;
}

int survival_blowups_with(const rk_family *f, survival_advance advance, void *ctx,
                          const sample_set *s, int n, double span)
{
    survival_job j = {f, advance, ctx, span};
    sample_set v = samples_view(s, 0, n > 0 && n < s->n ? n : s->n);
    return samples_parallel(&v, part, &j);
}

typedef struct engine_ctx {
    const rk_family *f;
    const rk_tableau *t;
} engine_ctx;

/* The engine needs scratch per call: threads share the context. */
static void engine_advance(void *ctx, double t0, double *y, double h, unsigned long n, const double *p)
{
    const engine_ctx *e = ctx;
    int d = e->f->dim;
    double *work = malloc((RK_WORK(e->t->s, d) + (size_t)e->f->rhs.n + 1) * sizeof *work);
    if (!work) {
        y[0] = NAN;
        return;
    }
    family_rhs_ctx c = {e->f, p, work + RK_WORK(e->t->s, d)};
    rk_integrate(e->t, family_rhs, &c, d, t0, y, h, n, work);
    free(work);
}

int survival_blowups(const rk_family *f, const rk_tableau *t, const sample_set *s, int n,
                     double span)
{
    engine_ctx e = {f, t};
    return survival_blowups_with(f, engine_advance, &e, s, n, span);
}
