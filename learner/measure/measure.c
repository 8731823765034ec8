/* measure.c - global errors at the horizon, member by member on threads,
 * through the engine or a compiled stepper; both floor the error the
 * same way (measure_error), so the stepper and the classical methods
 * are judged alike. */
#include "measure.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rk.h"

double measure_error(const double *y, const double *truth, int d)
{
    double s = 0, size = 0;
    for (int i = 0; i < d; i++) {
        s += (y[i] - truth[i]) * (y[i] - truth[i]);
        size += truth[i] * truth[i];
    }
    if (!isfinite(s))
        return INFINITY;
    return fmax(sqrt(s), DBL_EPSILON * fmax(sqrt(size), DBL_MIN));
}

typedef struct engine_job {
    const rk_family *f;
    const rk_tableau *t;
    double *err;
} engine_job;

static int engine_part(void *ctx, const sample_set *s, int first)
{
    const engine_job *j = ctx;
    const rk_family *f = j->f;
    const rk_tableau *t = j->t;
    double *err = j->err + first;
    int d = f->dim, bad = 0;
    size_t nw = RK_WORK(t->s, d) + (size_t)f->rhs.n + (size_t)d;
    double *work = malloc(nw * sizeof *work);
    if (!work)
        return s->n;
    double *y = work + RK_WORK(t->s, d) + f->rhs.n;
    for (int i = 0; i < s->n; i++) {
        family_rhs_ctx ctx2 = {f, s->p + i * f->nparam, work + RK_WORK(t->s, d)};
        memcpy(y, s->y0 + i * d, (size_t)d * sizeof *y);
        rk_integrate(t, family_rhs, &ctx2, d, 0.0, y, s->h[i], s->nsteps[i], work);
        err[i] = measure_error(y, s->yT + i * d, d);
        bad += !isfinite(err[i]);
    }
    free(work);
    return bad;
}

int measure_engine(const rk_family *f, const rk_tableau *t, const sample_set *s,
                   double *err)
{
    engine_job j = {f, t, err};
    return samples_parallel(s, engine_part, &j);
}

typedef struct jit_job {
    const rk_family *f;
    const jit_stepper *js;
    int is_float;
    double *err;
} jit_job;

/* The generated code has no state, so parts may run it at once. */
static int jit_part(void *ctx, const sample_set *s, int first)
{
    const jit_job *j = ctx;
    const jit_stepper *js = j->js;
    double *err = j->err + first;
    int d = j->f->dim, np = j->f->nparam, bad = 0;
    double *y = malloc(((size_t)d + 1) * sizeof *y);
    float *yf = malloc(((size_t)d + (size_t)np + 1) * sizeof *yf);
    if (!y || !yf) {
        free(y);
        free(yf);
        return s->n;
    }
    for (int i = 0; i < s->n; i++) {
        const double *p = s->p + i * np, *y0 = s->y0 + i * d;
        if (j->is_float) {
            float *pf = yf + d;
            for (int k = 0; k < np; k++)
                pf[k] = (float)p[k];
            for (int k = 0; k < d; k++)
                yf[k] = (float)y0[k];
            js->integratef(0.0f, yf, (float)s->h[i], s->nsteps[i], pf);
            for (int k = 0; k < d; k++)
                y[k] = yf[k];
        } else {
            memcpy(y, y0, (size_t)d * sizeof *y);
            js->integrate(0.0, y, s->h[i], s->nsteps[i], p);
        }
        err[i] = measure_error(y, s->yT + i * d, d);
        bad += !isfinite(err[i]);
    }
    free(y);
    free(yf);
    return bad;
}

int measure_jit(const rk_family *f, const jit_stepper *js, int is_float,
                const sample_set *s, double *err)
{
    jit_job j = {f, js, is_float, err};
    return samples_parallel(s, jit_part, &j);
}

double geomean_ratio(const double *e, const double *ref, int n)
{
    double sum = 0;
    int k = 0;
    for (int i = 0; i < n; i++) {
        if ((e[i] == 0 && ref[i] == 0) || !isfinite(e[i]) || !isfinite(ref[i]))
            continue;
        sum += log(e[i]) - log(ref[i]);
        k++;
    }
    return k ? exp(sum / k) : 1.0;
}

double geomean(const double *e, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += log(e[i]);
    return n ? exp(sum / n) : 0.0;
}
