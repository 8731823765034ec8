/* pairjudge.c - work at equal achieved error against the built-in pairs
 * (pairjudge.h). */
#include "pairjudge.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adaptive.h"
#include "measure.h"
#include "pairdata.h"
#include "reference.h"
#include "samples.h"
#include "stats.h"

const char *const pairfit_builtins[PAIRFIT_BUILTINS] = {"bs3", "dopri5", "tsit5", "cashkarp", "fehlberg45"};

/* The built-ins run two decades beyond the target range on each side,
 * so that the learned pair's errors fall inside their curves. */
#define WIDEN 2
#define MAX_WIDE (PAIRFIT_MAX_TOLS + 4 * WIDEN)
#define NPAIRS (PAIRFIT_BUILTINS + 1)

typedef struct judge_job {
    const rk_family *f;
    const rk_tableau *tb[NPAIRS]; /* 0: the learned pair */
    int ntol, nwide;
    const double *tol, *wide;
    double span;
    double *nfev, *err;           /* member x NPAIRS x MAX_WIDE */
    int *failed;                  /* member */
} judge_job;

static size_t slot(int member, int pair, int k)
{
    return ((size_t)member * NPAIRS + (size_t)pair) * MAX_WIDE + (size_t)k;
}

static int judge_part(void *vctx, const sample_set *part, int first)
{
    const judge_job *J = vctx;
    const rk_family *f = J->f;
    int d = f->dim, smax = 0, bad = 0;
    for (int k = 0; k < NPAIRS; k++)
        smax = J->tb[k]->s > smax ? J->tb[k]->s : smax;
    reference ref;
    rk_error err = {{0}};
    double *w = malloc((RK_ADAPT_WORK(smax, d) + 2 * (size_t)d + (size_t)f->rhs.n + 1) * sizeof *w);
    if (!w || reference_init(&ref, f, &err) != 0) {
        free(w);
        return part->n;
    }
    double *truth = w + RK_ADAPT_WORK(smax, d), *y = truth + d, *rw = y + d;
    for (int i = 0; i < part->n; i++) {
        int m = first + i;
        const double *p = part->p + (size_t)i * (size_t)f->nparam, *y0 = part->y0 + (size_t)i * (size_t)d;
        family_rhs_ctx ctx = {f, p, rw};
        memcpy(truth, y0, (size_t)d * sizeof *y0);
        if (reference_solve(&ref, p, 0, J->span, truth, &err) != 0) {
            J->failed[m] = -1;
            bad++;
            continue;
        }
        for (int k = 0; k < NPAIRS; k++) {
            int n = k == 0 ? J->ntol : J->nwide;
            const double *tol = k == 0 ? J->tol : J->wide;
            for (int j = 0; j < n; j++) {
                rk_adapt_stats st;
                memcpy(y, y0, (size_t)d * sizeof *y0);
                int status = rk_adapt_solve(J->tb[k], family_rhs, &ctx, d, 0, J->span, y, tol[j], tol[j], NULL,
                                            NULL, &st, w);
                J->nfev[slot(m, k, j)] = status == RK_ADAPT_OK ? (double)st.nfev : NAN;
                J->err[slot(m, k, j)] = status == RK_ADAPT_OK ? measure_error(y, truth, d) : NAN;
                J->failed[m] += k == 0 && status != RK_ADAPT_OK;
            }
        }
    }
    reference_free(&ref);
    free(w);
    return bad;
}

typedef struct point2 {
    double x, y;
} point2;

static int cmp_x(const void *a, const void *b)
{
    double u = ((const point2 *)a)->x, v = ((const point2 *)b)->x;
    return (u > v) - (u < v);
}

double pairjudge_interp(const double *lx, const double *ly, int n, double x)
{
    point2 pt[MAX_WIDE];
    int k = 0;
    for (int i = 0; i < n && k < MAX_WIDE; i++)
        if (isfinite(lx[i]) && isfinite(ly[i]))
            pt[k++] = (point2){lx[i], ly[i]};
    if (k == 0 || !isfinite(x))
        return NAN;
    qsort(pt, (size_t)k, sizeof *pt, cmp_x);
    if (x < pt[0].x || x > pt[k - 1].x)
        return NAN;
    for (int i = 0; i + 1 < k; i++)
        if (x <= pt[i + 1].x) {
            double dx = pt[i + 1].x - pt[i].x;
            return dx > 0 ? pt[i].y + (x - pt[i].x) / dx * (pt[i + 1].y - pt[i].y) : pt[i].y;
        }
    return pt[k - 1].y;
}

/* log(nfev of built-in b / nfev of the learned pair) at the learned
 * pair's error at rtol k, for member m; NAN where the curves do not meet. */
static double log_work(const judge_job *J, int m, int b, int k)
{
    double lx[MAX_WIDE], ly[MAX_WIDE];
    for (int j = 0; j < J->nwide; j++) {
        lx[j] = log(J->err[slot(m, b, j)]);
        ly[j] = log(J->nfev[slot(m, b, j)]);
    }
    double x = log(J->err[slot(m, 0, k)]);
    return pairjudge_interp(lx, ly, J->nwide, x) - log(J->nfev[slot(m, 0, k)]);
}

/* Tolerances from loose to tight in half decades. */
static int grid(double loose, double tight, double *tol, int max)
{
    int n = (int)floor(2 * log10(loose / tight) + 0.5) + 1;
    n = n < 1 ? 1 : n > max ? max : n;
    for (int k = 0; k < n; k++)
        tol[k] = n == 1 ? loose : exp(log(loose) + (log(tight) - log(loose)) * k / (n - 1));
    return n;
}

/* The estimate ratios on fresh points, for the learned pair and every built-in. */
static int fresh_ratios(const rk_family *f, const judge_job *J, const pairfit_config *c,
                        const sample_set *fresh, pairfit_result *r, rk_error *err)
{
    for (int k = 0; k < NPAIRS; k++) {
        pair_points pts;
        const rk_tableau *t = J->tb[k];
        double e[RK_MAX_STAGES + 1];
        sample_set part = samples_view(fresh, 0, pair_points_members(fresh->n, c->points, f->dim, t->s));
        if (pair_points_make(f, t, &part, c->points, J->span, c->rtol_loose, c->rtol_tight,
                             c->seed + 7, &pts, err) != 0)
            return -1;
        for (int j = 0; j < t->s; j++)
            e[j] = t->b[j] - t->bhat[j];
        pairfit_ratio q = pair_points_ratio(&pts, e);
        if (k == 0)
            r->fresh = q;
        else
            r->fresh_builtin[k - 1] = q;
        pair_points_free(&pts);
    }
    return 0;
}

int pairjudge_run(const rk_family *f, const rk_tableau *learned, const pairfit_config *c,
                  pairfit_result *r, rk_error *err)
{
    judge_job J;
    double wide[MAX_WIDE];
    sample_set fresh;
    int st = -1, n = c->fresh;
    memset(&J, 0, sizeof J);
    J.f = f;
    J.tb[0] = learned;
    J.span = r->span;
    r->ntol = grid(c->rtol_loose, c->rtol_tight, r->rtol, PAIRFIT_MAX_TOLS);
    J.ntol = r->ntol;
    J.tol = r->rtol;
    J.nwide = grid(fmin(0.1, c->rtol_loose * pow(10, WIDEN)), fmax(1e-13, c->rtol_tight / pow(10, WIDEN)), wide,
                   MAX_WIDE);
    J.wide = wide;
    r->best = -1;
    if (samples_draw(f, c->seed, STREAM_TEST, n, 0, 0, &fresh, err) != 0)
        return -1;
    rk_tableau *own[PAIRFIT_BUILTINS] = {0};
    for (int k = 0; k < PAIRFIT_BUILTINS; k++)
        if (!(J.tb[k + 1] = own[k] = tableau_builtin(pairfit_builtins[k]))) {
            rk_error_set(err, "out of memory");
            goto out;
        }
    size_t size = (size_t)n * NPAIRS * MAX_WIDE;
    J.nfev = malloc(size * sizeof *J.nfev);
    J.err = malloc(size * sizeof *J.err);
    J.failed = calloc((size_t)n, sizeof *J.failed);
    double *ratio = malloc(((size_t)n + 1) * sizeof *ratio), *one = malloc(((size_t)n + 1) * sizeof *one);
    if (!J.nfev || !J.err || !J.failed || !ratio || !one) {
        free(ratio);
        free(one);
        rk_error_set(err, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < size; k++)
        J.nfev[k] = J.err[k] = NAN;
    samples_parallel(&fresh, judge_part, &J);
    r->fresh_members = n;
    for (int m = 0; m < n; m++)
        r->failed += J.failed[m] > 0 ? J.failed[m] : 0;
    for (int b = 0; b < PAIRFIT_BUILTINS; b++) {
        snprintf(r->builtin[b], sizeof r->builtin[b], "%s", pairfit_builtins[b]);
        for (int m = 0; m < n; m++) {
            double sum = 0;
            int cnt = 0;
            for (int k = 0; k < J.ntol; k++) {
                double lw = log_work(&J, m, b + 1, k);
                if (isfinite(lw)) {
                    sum += lw;
                    cnt++;
                }
            }
            ratio[m] = cnt ? exp(sum / cnt) : NAN;
            one[m] = 1;
        }
        ratio_ci ci = stats_ratio_ci(ratio, one, n, 0.9, c->seed + (uint64_t)b);
        r->work[b][0] = ci.n > 0 ? ci.ratio : NAN;
        r->work[b][1] = ci.lo;
        r->work[b][2] = ci.hi;
        if (isfinite(r->work[b][0]) && (r->best < 0 || r->work[b][0] < r->work[r->best][0]))
            r->best = b;
    }
    for (int k = 0; k < J.ntol; k++) {
        double sw = 0, sn = 0, se = 0;
        int cw = 0, cn = 0;
        for (int m = 0; m < n; m++) {
            double nf = J.nfev[slot(m, 0, k)], e = J.err[slot(m, 0, k)];
            if (isfinite(nf) && isfinite(e) && e > 0) {
                sn += log(nf);
                se += log(e);
                cn++;
            }
            double lw = r->best >= 0 ? log_work(&J, m, r->best + 1, k) : NAN;
            if (isfinite(lw)) {
                sw += lw;
                cw++;
            }
        }
        r->work_tol[k] = cw ? exp(sw / cw) : NAN;
        r->nfev_tol[k] = cn ? exp(sn / cn) : NAN;
        r->err_tol[k] = cn ? exp(se / cn) : NAN;
    }
    free(ratio);
    free(one);
    if (r->best < 0) {
        rk_error_set(err, "no built-in pair's work-precision curve meets the learned pair's on any fresh member");
        goto out;
    }
    r->loses = r->work[r->best][0] < 1;
    r->fallback = r->loses && !c->keep_learned;
    st = fresh_ratios(f, &J, c, &fresh, r, err);
out:
    for (int k = 0; k < PAIRFIT_BUILTINS; k++)
        tableau_free(own[k]);
    free(J.nfev);
    free(J.err);
    free(J.failed);
    samples_free(&fresh);
    return st;
}
