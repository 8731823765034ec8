/* survival.c - the long runs of survival.h: the engine and any other
 * stepper step through one loop (survival_advance), in chunks, so a run
 * that has left every bound stops early and its lost span is known. */
#include "survival.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rk.h"

typedef struct survival_job {
    const rk_family *f;
    survival_advance advance;
    void *ctx;
    size_t scratch_bytes;
    double span, h; /* h > 0: every member's step */
    double *lost;   /* per member, or NULL */
} survival_job;

static double norm(const double *y, int d)
{
    double s = 0;
    for (int k = 0; k < d; k++)
        s += y[k] * y[k];
    return sqrt(s);
}

/* Steps in chunks, so that a run that has left every bound stops early
 * (its states would only overflow), and the part of the span lost is
 * known to within a few steps. */
#define CHUNK 8

/* The part of the span member i of s loses: 0 if it survives. */
static double member_lost(const survival_job *j, const sample_set *s, int i, double *y,
                          void *scratch)
{
    int d = j->f->dim;
    const double *y0 = s->yT + i * d;
    double h = j->h > 0 ? j->h : s->h[i];
    double bound = SURVIVAL_BOUND * (1 + norm(y0, d)), tk = s->h[i] * (double)s->nsteps[i];
    unsigned long total = (unsigned long)ceil(j->span / h), left = total;
    memcpy(y, y0, (size_t)d * sizeof *y);
    while (left > 0) {
        unsigned long n = left < CHUNK ? left : CHUNK;
        j->advance(j->ctx, scratch, tk, y, h, n, s->p + i * j->f->nparam);
        tk += (double)n * h;
        left -= n;
        double r = norm(y, d);
        if (!isfinite(r) || r > bound)
            return (double)(left + n) / (double)total;
    }
    return 0;
}

static int part(void *ctx, const sample_set *s, int first)
{
    const survival_job *j = ctx;
    int blown = 0;
    /* the state, then the stepper's scratch: one allocation per thread */
    double *y = malloc(((size_t)j->f->dim + 1) * sizeof *y + j->scratch_bytes);
    for (int i = 0; i < s->n; i++) {
        double lost = y ? member_lost(j, s, i, y, y + j->f->dim + 1) : 1;
        if (j->lost)
            j->lost[first + i] = lost;
        blown += lost > 0;
    }
    free(y);
    return blown;
}

static int run(const rk_family *f, survival_advance advance, void *ctx, size_t scratch_bytes,
               const sample_set *s, int n, double span, double h, double *lost)
{
    survival_job j = {f, advance, ctx, scratch_bytes, span, h, lost};
    sample_set v = samples_view(s, 0, n > 0 && n < s->n ? n : s->n);
    return samples_parallel(&v, part, &j);
}

int survival_blowups_with(const rk_family *f, survival_advance advance, void *ctx,
                          size_t scratch_bytes, const sample_set *s, int n, double span)
{
    return run(f, advance, ctx, scratch_bytes, s, n, span, 0, NULL);
}

typedef struct engine_ctx {
    const rk_family *f;
    const rk_tableau *t;
} engine_ctx;

static size_t engine_scratch(const rk_family *f, const rk_tableau *t)
{
    return (RK_WORK(t->s, f->dim) + (size_t)f->rhs.n) * sizeof(double);
}

static void engine_advance(void *ctx, void *scratch, double t0, double *y, double h, unsigned long n,
                           const double *p)
{
    const engine_ctx *e = ctx;
    double *work = scratch;
    family_rhs_ctx c = {e->f, p, work + RK_WORK(e->t->s, e->f->dim)};
    rk_integrate(e->t, family_rhs, &c, e->f->dim, t0, y, h, n, work);
}

int survival_blowups(const rk_family *f, const rk_tableau *t, const sample_set *s, int n,
                     double span, double h)
{
    engine_ctx e = {f, t};
    return run(f, engine_advance, &e, engine_scratch(f, t), s, n, span, h, NULL);
}

double survival_lost(const rk_family *f, const rk_tableau *t, const sample_set *s, int n,
                     double span, double h)
{
    engine_ctx e = {f, t};
    int m = n > 0 && n < s->n ? n : s->n;
    double *lost = malloc(((size_t)m + 1) * sizeof *lost), sum = 0;
    if (!lost)
        return m;
    run(f, engine_advance, &e, engine_scratch(f, t), s, m, span, h, lost);
    for (int i = 0; i < m; i++)
        sum += lost[i];
    free(lost);
    return sum;
}
