/* pairdata.c - points along true trajectories for fitting and measuring
 * an embedded pair's estimator (pairdata.h). */
#include "pairdata.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"
#include "rng.h"

/* A controller's steps follow its estimate; an estimate of ratio 1
 * makes them follow the true error, so that is what the steps are
 * chosen by: a few secant steps on log norm against log h. */
#define STEP_ITERS 5

typedef struct points_job {
    const rk_family *f;
    const rk_tableau *tb;
    const sample_set *m;
    int per, order;
    double span, loose, tight;
    uint64_t seed;
    pair_points *out;
} points_job;

/* The stage slopes K (s x d, stage-major) of one step of tb from (t, y)
 * and its result ynew. */
static void stages(const rk_tableau *tb, family_rhs_ctx *ctx, int d, double t, const double *y,
                   double h, double *K, double *ytmp, double *ynew)
{
    int s = tb->s;
    for (int i = 0; i < s; i++) {
        for (int k = 0; k < d; k++) {
            double acc = 0;
            for (int j = 0; j < i; j++)
                acc += tb->A[i * s + j] * K[j * d + k];
            ytmp[k] = y[k] + h * acc;
        }
        family_rhs(ctx, t + tb->c[i] * h, ytmp, K + (size_t)i * (size_t)d);
    }
    for (int k = 0; k < d; k++) {
        double acc = 0;
        for (int j = 0; j < s; j++)
            acc += tb->b[j] * K[j * d + k];
        ynew[k] = y[k] + h * acc;
    }
}

/* The RMS norm of the true local error of a step of h from (t, y), its
 * pieces left in K, ynew, ytrue; NAN when the reference fails. */
static double step_error(const points_job *J, reference *ref, family_rhs_ctx *ctx, const double *p,
                         double t, const double *y, double h, double tol, double *K, double *ytmp,
                         double *ynew, double *ytrue)
{
    int d = J->f->dim;
    rk_error err = {{0}};
    stages(J->tb, ctx, d, t, y, h, K, ytmp, ynew);
    memcpy(ytrue, y, (size_t)d * sizeof *y);
    if (reference_solve(ref, p, t, t + h, ytrue, &err) != 0)
        return NAN;
    double sum = 0;
    for (int k = 0; k < d; k++) {
        double sc = tol + tol * fmax(fabs(y[k]), fabs(ynew[k]));
        double r = (ynew[k] - ytrue[k]) / sc;
        sum += r * r;
    }
    return sqrt(sum / d);
}

static int points_part(void *vctx, const sample_set *part, int first)
{
    const points_job *J = vctx;
    const rk_family *f = J->f;
    int d = f->dim, s = J->tb->s, bad = 0;
    reference ref;
    rk_error err = {{0}};
    double *w = malloc(((size_t)(s + 5) * (size_t)d + (size_t)f->rhs.n + 1) * sizeof *w);
    if (!w || reference_init(&ref, f, &err) != 0) {
        free(w);
        return part->n;
    }
    double *K = w, *y = K + (size_t)s * d, *ytmp = y + d, *ynew = ytmp + d, *ytrue = ynew + d;
    double *yt = ytrue + d;
    for (int i = 0; i < part->n; i++) {
        const double *p = part->p + (size_t)i * (size_t)f->nparam;
        family_rhs_ctx ctx = {f, p, yt + d};
        rk_rng rng;
        rng_seed(&rng, J->seed ^ (0x9e3779b97f4a7c15ULL * (uint64_t)(first + i + 1)));
        memcpy(y, part->y0 + (size_t)i * (size_t)d, (size_t)d * sizeof *y);
        double t = 0, h = 0;
        for (int k = 0; k < J->per; k++) {
            size_t pt = (size_t)(first + i) * (size_t)J->per + (size_t)k;
            double tk = J->span * (k + rng_uniform(&rng)) / J->per;
            if (reference_solve(&ref, p, t, tk, y, &err) != 0) {
                bad++;
                break;
            }
            t = tk;
            double tol = exp(log(J->tight) + rng_uniform(&rng) * (log(J->loose) - log(J->tight)));
            if (h <= 0)
                h = fmin(J->span, pow(tol, 1.0 / (J->order + 1)));
            for (int it = 0; it < STEP_ITERS; it++) {
                double n = step_error(J, &ref, &ctx, p, t, y, h, tol, K, ytmp, ynew, ytrue);
                double fac = !isfinite(n) ? 0.2 : n <= 0 ? 5 : pow(1 / n, 1.0 / (J->order + 1));
                h = fmin(J->span, h * fmin(5, fmax(0.2, fac)));
            }
            double hk = h * (0.5 + 0.5 * rng_uniform(&rng));
            double n = step_error(J, &ref, &ctx, p, t, y, hk, tol, K, ytmp, ynew, ytrue);
            pair_points *o = J->out;
            o->h[pt] = hk;
            for (int c = 0; c < d; c++) {
                double sc = tol + tol * fmax(fabs(y[c]), fabs(ynew[c]));
                o->le[pt * (size_t)d + (size_t)c] = isfinite(n) ? (ynew[c] - ytrue[c]) / sc : NAN;
                for (int j = 0; j < s; j++)
                    o->G[(pt * (size_t)d + (size_t)c) * (size_t)s + (size_t)j] = hk * K[j * d + c] / sc;
            }
        }
    }
    reference_free(&ref);
    free(w);
    return bad;
}

int pair_points_make(const rk_family *f, const rk_tableau *tb, const sample_set *m, int per_member,
                     double span, double rtol_loose, double rtol_tight, uint64_t seed,
                     pair_points *out, rk_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = (size_t)m->n * (size_t)per_member, d = (size_t)f->dim, s = (size_t)tb->s;
    out->n = (int)n;
    out->dim = f->dim;
    out->s = tb->s;
    out->per_member = per_member;
    out->G = malloc(n * d * s * sizeof *out->G);
    out->le = malloc(n * d * sizeof *out->le);
    out->h = malloc(n * sizeof *out->h);
    if (!out->G || !out->le || !out->h) {
        pair_points_free(out);
        rk_error_set(err, "out of memory for %zu fitting points", n);
        return -1;
    }
    /* a member that stops early leaves NaN, which the fit skips */
    for (size_t k = 0; k < n * d; k++)
        out->le[k] = NAN;
    for (size_t k = 0; k < n * d * s; k++)
        out->G[k] = 0;
    points_job J = {f, tb, m, per_member, tb->order > 0 ? tb->order : 1, span, rtol_loose, rtol_tight,
                    seed, out};
    samples_parallel(m, points_part, &J);
    return 0;
}

int pair_points_members(int members, int per_member, int dim, int s)
{
    double per = (double)per_member * dim * s;
    int most = per > 0 ? (int)(PAIR_POINTS_MAX_VALUES / per) : members;
    most = most < 1 ? 1 : most;
    return members < most ? members : most;
}

void pair_points_free(pair_points *p)
{
    free(p->G);
    free(p->le);
    free(p->h);
    memset(p, 0, sizeof *p);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

pairfit_ratio pair_points_ratio(const pair_points *p, const double *e)
{
    pairfit_ratio r = {NAN, NAN, NAN, NAN, NAN, NAN, 0};
    int d = p->dim, s = p->s, members = p->per_member > 0 ? p->n / p->per_member : 0;
    double *all = malloc(((size_t)p->n + 1) * sizeof *all), sum = 0, sum2 = 0, msum = 0, msum2 = 0, lsum = 0;
    int nm = 0;
    if (!all)
        return r;
    for (int m = 0; m < members; m++) {
        double ms = 0;
        int mk = 0;
        for (int k = m * p->per_member; k < (m + 1) * p->per_member; k++) {
            double est2 = 0, true2 = 0;
            for (int c = 0; c < d; c++) {
                const double *g = p->G + ((size_t)k * (size_t)d + (size_t)c) * (size_t)s;
                double est = 0, le = p->le[(size_t)k * (size_t)d + (size_t)c];
                for (int j = 0; j < s; j++)
                    est += g[j] * e[j];
                est2 += est * est;
                true2 += le * le;
            }
            double q = sqrt(est2 / true2);
            if (!isfinite(q))
                continue;
            all[r.n++] = q;
            lsum += log(q);
            sum += q;
            sum2 += q * q;
            ms += q;
            mk++;
        }
        if (mk > 0) {
            ms /= mk;
            msum += ms;
            msum2 += ms * ms;
            nm++;
        }
    }
    if (r.n > 0) {
        r.gmean = exp(lsum / r.n);
        r.mean = sum / r.n;
        r.sd = sqrt(fmax(0, sum2 / r.n - r.mean * r.mean));
        qsort(all, (size_t)r.n, sizeof *all, cmp_double);
        r.lo = all[(int)(0.05 * (r.n - 1))];
        r.hi = all[(int)(0.95 * (r.n - 1))];
    }
    if (nm > 0) {
        double mm = msum / nm;
        r.member_sd = sqrt(fmax(0, msum2 / nm - mm * mm));
    }
    free(all);
    return r;
}
