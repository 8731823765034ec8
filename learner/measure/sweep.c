/* sweep.c - every method over the sweep's step sizes, members drawn
 * afresh at each h from the same seed so all methods see the same ones.
 * The engine in float lives here (measure.c runs double only): a float
 * stepper is compared with classical methods of its own width. */
#include "sweep.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"
#include "rk.h"
#include "survival.h"

void sweep_range(const rk_family *f, double below, double above, double *a, double *b)
{
    *a = family_min_step(f) / below;
    *b = fmin(family_max_step(f) * above, f->horizon);
}

int sweep_grid(const rk_family *f, double a, double b, int npts, double *h,
               unsigned long *steps)
{
    int k = 0; /* a < b: ascending h, the most steps first */
    if (npts > SWEEP_MAX_POINTS)
        npts = SWEEP_MAX_POINTS;
    for (int i = 0; i < npts; i++) {
        double x = npts == 1 ? a : a * pow(b / a, (double)i / (npts - 1));
        unsigned long n = (unsigned long)fmax(1.0, round(f->horizon / x));
        if (k > 0 && steps[k - 1] == n)
            continue;
        steps[k] = n;
        h[k++] = f->horizon / (double)n;
    }
    return k;
}

/* The engine in float, for comparing a float stepper with classical
 * methods at the same width (measure_engine is double only). */
static void engine_float(const rk_family *f, const rk_tableau *t, const sample_set *s, double *err)
{
    int d = f->dim, np = f->nparam;
    size_t nw = RK_WORK(t->s, d) + (size_t)f->rhs.n + 2 * (size_t)d + (size_t)np + 1;
    float *work = malloc(nw * sizeof *work);
    for (int i = 0; i < s->n; i++)
        err[i] = INFINITY;
    if (!work)
        return;
    float *y = work + RK_WORK(t->s, d) + f->rhs.n, *p = y + d;
    double *yd = malloc(((size_t)d + 1) * sizeof *yd);
    for (int i = 0; yd && i < s->n; i++) {
        family_rhsf_ctx ctx = {f, p, work + RK_WORK(t->s, d)};
        for (int k = 0; k < np; k++)
            p[k] = (float)s->p[i * np + k];
        for (int k = 0; k < d; k++)
            y[k] = (float)s->y0[i * d + k];
        rk_integratef(t, family_rhsf, &ctx, d, 0.0f, y, (float)s->h[i], s->nsteps[i], work);
        for (int k = 0; k < d; k++)
            yd[k] = y[k];
        err[i] = measure_error(yd, s->yT + i * d, d);
    }
    free(yd);
    free(work);
}

static int errors_of(const rk_family *f, const sweep_method *m, const sample_set *s, double *err)
{
    if (m->js)
        return measure_jit(f, m->js, m->is_float, s, err);
    if (!m->is_float)
        return measure_engine(f, m->t, s, err);
    engine_float(f, m->t, s, err);
    int bad = 0;
    for (int i = 0; i < s->n; i++)
        bad += !isfinite(err[i]);
    return bad;
}

/* Geometric mean with exact zeros kept finite (a zero error is below
 * any floor we could plot) and any non-finite member making it inf. */
static double mean_error(const double *e, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(e[i]))
            return INFINITY;
        sum += log(fmax(e[i], DBL_MIN));
    }
    return n ? exp(sum / n) : 0;
}

static int alloc_rows(sweep_result *r, int nm, int npts)
{
    r->row = calloc((size_t)nm, sizeof *r->row);
    if (!r->row)
        return -1;
    r->nm = nm;
    for (int k = 0; k < nm; k++) {
        r->row[k].err = calloc((size_t)npts + 1, sizeof(double));
        r->row[k].ratio = calloc((size_t)npts + 1, sizeof(double));
        r->row[k].blown = calloc((size_t)npts + 1, sizeof(int));
        if (!r->row[k].err || !r->row[k].ratio || !r->row[k].blown)
            return -1;
    }
    return 0;
}

void sweep_free(sweep_result *r)
{
    for (int k = 0; r->row && k < r->nm; k++) {
        free(r->row[k].err);
        free(r->row[k].ratio);
        free(r->row[k].blown);
    }
    free(r->row);
    r->row = NULL;
}

/* One set of members (at one h, or the family's own) through every
 * method: per-method mean error and ratio of method 0 to it. */
static void score(const rk_family *f, const sample_set *s, const sweep_method *m, int nm, double *e,
                  double *err_out, double *ratio_out, int *unstable)
{
    for (int k = 0; k < nm; k++) {
        int bad = errors_of(f, &m[k], s, e + (size_t)k * (size_t)s->n);
        if (unstable)
            unstable[k] = bad;
        err_out[k] = mean_error(e + (size_t)k * (size_t)s->n, s->n);
    }
    for (int k = 0; k < nm; k++)
        ratio_out[k] = geomean_ratio(e, e + (size_t)k * (size_t)s->n, s->n);
}

static int method_blowups(const rk_family *f, const sweep_method *m, const sample_set *s, double span);

/* The members at step h (0: the family's own), scored by every method;
 * with survive > 0 also their blow-ups on the long runs (blown, nm). */
static int score_at(const rk_family *f, uint64_t seed, int members, double h, const sweep_method *m, int nm,
                    double *e, double *em, int *bad, double survive, int *blown, const char **truth,
                    rk_error *err)
{
    sample_set s;
    if (samples_draw(f, seed, STREAM_TEST, members, h, 0, &s, err) != 0)
        return -1;
    score(f, &s, m, nm, e, em, em + nm, bad);
    for (int k = 0; k < nm && survive > 0; k++)
        blown[k] = method_blowups(f, &m[k], &s, survive);
    *truth = s.truth;
    samples_free(&s);
    return 0;
}

int sweep_run(const rk_family *f, uint64_t seed, int members, const sweep_method *m, int nm,
              const double *h, const unsigned long *steps, int npts, double survive, sweep_result *r,
              rk_error *err)
{
    memset(r, 0, sizeof *r);
    r->npts = npts;
    r->members = members;
    r->survive = survive > 0 ? survive : 0;
    double *e = malloc((size_t)nm * (size_t)members * sizeof *e);
    double *em = malloc(2 * (size_t)nm * sizeof *em);
    int *bad = malloc((size_t)nm * sizeof *bad), *blown = malloc((size_t)nm * sizeof *blown);
    int status = -1;
    rk_error_set(err, "out of memory");
    if (e && em && bad && blown && alloc_rows(r, nm, npts) == 0 &&
        score_at(f, seed, members, 0, m, nm, e, em, bad, 0, NULL, &r->truth, err) == 0) {
        for (int k = 0; k < nm; k++) {
            r->row[k].err_family = em[k];
            r->row[k].ratio_family = em[nm + k];
            r->row[k].unstable = bad[k];
        }
        status = 0;
        for (int j = 0; j < npts && status == 0; j++) {
            r->h[j] = h[j];
            r->steps[j] = steps[j];
            status = score_at(f, seed, members, h[j], m, nm, e, em, NULL, r->survive, blown, &r->truth, err);
            for (int k = 0; k < nm; k++) {
                r->row[k].err[j] = em[k];
                r->row[k].ratio[j] = em[nm + k];
                if (r->survive > 0)
                    r->row[k].blown[j] = blown[k];
            }
        }
        for (int k = 0; k < nm && status == 0; k++)
            order_fit_run(r->h, r->row[k].err, npts, &r->row[k].fit);
    }
    if (status != 0)
        sweep_free(r);
    free(e);
    free(em);
    free(bad);
    free(blown);
    return status;
}

/* ---- long runs ---- */

typedef struct sweep_survival_ctx {
    const rk_family *f;
    const sweep_method *m;
} sweep_survival_ctx;

/* A compiled stepper, or a tableau in float, as survival.h steps it
 * (a tableau in double is survival_blowups' own engine run).  In float
 * the scratch holds the engine's work, then the state and parameters. */
static size_t method_scratch(const rk_family *f, const sweep_method *m)
{
    if (!m->is_float)
        return 0;
    size_t nw = m->js ? 0 : RK_WORK(m->t->s, f->dim);
    return (nw + (size_t)f->rhs.n + (size_t)f->dim + (size_t)f->nparam) * sizeof(float);
}

static void method_advance(void *ctx, void *scratch, double t0, double *y, double h, unsigned long n,
                           const double *p)
{
    const sweep_survival_ctx *c = ctx;
    const sweep_method *m = c->m;
    const rk_family *f = c->f;
    int d = f->dim, np = f->nparam;
    if (!m->is_float) {
        m->js->integrate(t0, y, h, n, p);
        return;
    }
    size_t nw = m->js ? 0 : RK_WORK(m->t->s, d);
    float *work = scratch, *yf = work + nw + f->rhs.n, *pf = yf + d;
    for (int k = 0; k < d; k++)
        yf[k] = (float)y[k];
    for (int k = 0; k < np; k++)
        pf[k] = (float)p[k];
    if (m->js) {
        m->js->integratef((float)t0, yf, (float)h, n, pf);
    } else {
        family_rhsf_ctx fc = {f, pf, work + nw};
        rk_integratef(m->t, family_rhsf, &fc, d, (float)t0, yf, (float)h, n, work);
    }
    for (int k = 0; k < d; k++)
        y[k] = yf[k];
}

static int method_blowups(const rk_family *f, const sweep_method *m, const sample_set *s, double span)
{
    if (!m->js && !m->is_float)
        return survival_blowups(f, m->t, s, 0, span, 0);
    sweep_survival_ctx c = {f, m};
    return survival_blowups_with(f, method_advance, &c, method_scratch(f, m), s, 0, span);
}

/* Errors below this are rounding (the states are of order one). */
#define SWEEP_FLOOR 1e-12

double sweep_losing_below(const sweep_result *r, int k, double h_top)
{
    const double *ratio = r->row[k].ratio;
    int last = -1; /* the highest point of the run of losses from the bottom */
    for (int i = 0; i < r->npts && r->h[i] <= h_top * (1 + 1e-9); i++) {
        /* at the round-off floor a ratio says nothing */
        if (r->row[k].err[i] < SWEEP_FLOOR || r->row[0].err[i] < SWEEP_FLOOR)
            continue;
        if (!(ratio[i] > 1))
            break;
        last = i;
    }
    if (last < 0)
        return 0;
    if (last + 1 >= r->npts || r->h[last + 1] > h_top * (1 + 1e-9) || !(ratio[last + 1] > 0))
        return r->h[last];
    /* log ratio is linear in log h between the points around the crossing */
    double a = log(ratio[last]), b = log(ratio[last + 1]);
    double w = a / (a - b);
    return exp(log(r->h[last]) + w * (log(r->h[last + 1]) - log(r->h[last])));
}
