/* measure.c - global errors at the horizon, member by member on threads,
 * through the engine or a compiled stepper; both floor the error the
 * same way (measure_error), so the stepper and the classical methods
 * are judged alike. */
#include "measure.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
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
    int onestep;
    double *y, *err; /* end states (NULL: none kept) and errors (NULL: none) */
} engine_job;

/* Members a block holds: the tape's loops are long enough to pay for
 * the walk, and a block's stages stay in the cache. */
#define ENGINE_BLOCK 64

typedef struct by_steps {
    unsigned long steps;
    int i;
} by_steps;

static int more_steps(const void *a, const void *b)
{
    const by_steps *x = a, *y = b;
    if (x->steps != y->steps)
        return x->steps < y->steps ? 1 : -1;
    return (x->i > y->i) - (x->i < y->i);
}

/* out = y + sum_j (h w_j) K_j over the nonzero w_j, for the first m
 * members, the sum in acc (out may be y): rk_step.inc's operations in
 * its order, each a loop over the members.  Returns 0 (out untouched)
 * when no w_j is nonzero. */
static int stage_sums(const double *w, int nw, const double *h, const double *K, const double *y,
                      int d, int m, size_t B, double *hw, double *acc, double *out)
{
    int any = 0;
    for (int j = 0; j < nw; j++)
        if (w[j] != 0)
            for (int k = 0; k < m; k++)
                hw[(size_t)j * B + (size_t)k] = h[k] * w[j];
    for (int q = 0; q < d; q++) {
        double *o = acc + (size_t)q * B;
        any = 0;
        for (int j = 0; j < nw; j++) {
            if (w[j] == 0)
                continue;
            const double *hj = hw + (size_t)j * B, *kj = K + ((size_t)j * (size_t)d + (size_t)q) * B;
            if (any)
                for (int k = 0; k < m; k++)
                    o[k] = o[k] + hj[k] * kj[k];
            else
                for (int k = 0; k < m; k++)
                    o[k] = hj[k] * kj[k];
            any = 1;
        }
        for (int k = 0; any && k < m; k++)
            out[(size_t)q * B + (size_t)k] = y[(size_t)q * B + (size_t)k] + o[k];
    }
    return any;
}

/* The engine over a part, a block of members at a time: the tape walked
 * once per stage for the whole block (batch.c, whose values are
 * ex_eval's), and every member given rk_integrate's operations in its
 * order, so that its result is rk_integrate's bit for bit.  The members
 * go by number of steps, most first, so that those still stepping are a
 * prefix of the block. */
static int engine_part(void *ctx, const sample_set *s, int first)
{
    const engine_job *j = ctx;
    const rk_family *f = j->f;
    const rk_tableau *t = j->t;
    int d = f->dim, np = f->nparam, S = t->s, n = s->n, bad = 0, used[RK_MAX_STAGES];
    size_t B = (size_t)(n < ENGINE_BLOCK ? n : ENGINE_BLOCK), D = (size_t)d;
    by_steps *ord = malloc(((size_t)n + 1) * sizeof *ord);
    double *buf = malloc(((3 + (size_t)S) * D + (size_t)np + 3 + (size_t)S) * B * sizeof *buf + 1);
    double *ye = malloc((D + 1) * sizeof *ye);
    batch_eval be;
    int ok = ord && buf && ye && batch_init(&be, &f->rhs, d, (int)B, 0) == 0;
    if (!ok) {
        free(ord);
        free(buf);
        free(ye);
        return n;
    }
    double *y = buf, *ys = y + D * B, *K = ys + D * B, *p = K + (size_t)S * D * B, *h = p + (size_t)np * B;
    double *tt = h + B, *ti = tt + B, *hw = ti + B;
    tableau_stages_used(t, used);
    for (int i = 0; i < n; i++)
        ord[i] = (by_steps){j->onestep ? (unsigned long)s->unroll : s->nsteps[i], i};
    qsort(ord, (size_t)n, sizeof *ord, more_steps);
    for (int lo = 0; lo < n; lo += (int)B) {
        int mb = n - lo < (int)B ? n - lo : (int)B, m = mb;
        for (int k = 0; k < mb; k++) {
            int i = ord[lo + k].i;
            h[k] = s->h[i];
            for (int q = 0; q < d; q++)
                y[(size_t)q * B + (size_t)k] = s->y0[(size_t)i * D + (size_t)q];
            for (int q = 0; q < np; q++)
                p[(size_t)q * B + (size_t)k] = s->p[(size_t)i * (size_t)np + (size_t)q];
        }
        for (unsigned long st = 0; st < ord[lo].steps; st++) {
            while (m > 0 && ord[lo + m - 1].steps <= st)
                m--;
            for (int k = 0; k < m; k++)
                tt[k] = 0.0 + (double)st * h[k];
            for (int i = 0; i < S; i++) {
                if (!used[i])
                    continue;
                const double *arg = stage_sums(t->A + (size_t)i * (size_t)S, i, h, K, y, d, m, B, hw, ys, ys) ? ys : y;
                const double *at = tt;
                if (t->c[i] != 0) {
                    for (int k = 0; k < m; k++)
                        ti[k] = tt[k] + t->c[i] * h[k];
                    at = ti;
                }
                batch_rhs(&be, m, at, NULL, arg, NULL, p, K + (size_t)i * D * B, NULL);
            }
            stage_sums(t->b, S, h, K, y, d, m, B, hw, ys, y);
        }
        for (int k = 0; k < mb; k++) {
            int i = ord[lo + k].i;
            double *out = j->y ? j->y + ((size_t)first + (size_t)i) * D : ye;
            for (int q = 0; q < d; q++)
                out[q] = y[(size_t)q * B + (size_t)k];
            if (j->err) {
                double *e = j->err + first + i;
                *e = measure_error(out, (j->onestep ? s->y1 : s->yT) + (size_t)i * D, d);
                bad += !isfinite(*e);
            }
        }
    }
    batch_free(&be);
    free(ord);
    free(buf);
    free(ye);
    return bad;
}

int measure_engine(const rk_family *f, const rk_tableau *t, const sample_set *s,
                   double *err)
{
    engine_job j = {f, t, 0, NULL, err};
    return samples_parallel(s, engine_part, &j);
}

int measure_engine_states(const rk_family *f, const rk_tableau *t, const sample_set *s,
                          int onestep, double *y)
{
    engine_job j = {f, t, onestep, y, NULL};
    return samples_parallel(s, engine_part, &j) == 0 ? 0 : -1;
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
