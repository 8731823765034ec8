/* workprec.c - an embedded pair's work and achieved error over a range
 * of tolerances on a family's members (workprec.h). */
#include "workprec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adaptive.h"
#include "measure.h"

int workprec_tolerances(double *rtol, int n)
{
    n = n > WP_MAX_TOLS ? WP_MAX_TOLS : n;
    for (int k = 0; k < n; k++)
        rtol[k] = pow(10, -(3 + k));
    return n;
}

/* One tolerance over the members; work holds dim + RK_ADAPT_WORK + rhs. */
static void one_tolerance(const rk_family *f, const sample_set *s, const rk_tableau *pair,
                          double rtol, double *work, wp_point *pt)
{
    int d = s->dim;
    double *y = work, *w = y + d, *rhs = w + RK_ADAPT_WORK(pair->s, d), logsum = 0;
    memset(pt, 0, sizeof *pt);
    pt->rtol = rtol;
    for (int m = 0; m < s->n; m++) {
        family_rhs_ctx ctx = {f, s->p + (size_t)m * (size_t)s->nparam, rhs};
        rk_adapt_stats st;
        memcpy(y, s->y0 + (size_t)m * (size_t)d, (size_t)d * sizeof *y);
        double t1 = (double)s->nsteps[m] * s->h[m];
        int status = rk_adapt_solve(pair, family_rhs, &ctx, d, 0, t1, y, rtol, rtol, NULL, NULL,
                                    &st, w);
        double e = status == RK_ADAPT_OK ? measure_error(y, s->yT + (size_t)m * (size_t)d, d) : INFINITY;
        pt->failed += status != RK_ADAPT_OK;
        logsum += log10(e);
        pt->nfev += (double)st.nfev;
        pt->naccept += (double)st.naccept;
        pt->nreject += st.nreject;
    }
    pt->nfev /= s->n;
    pt->naccept /= s->n;
    pt->err = pow(10, logsum / s->n);
}

/* Least squares of log10 err on log10 rtol over the finite points. */
static double slope_of(const wp_curve *c)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int k = 0;
    for (int i = 0; i < c->n; i++) {
        if (!isfinite(c->pt[i].err) || !(c->pt[i].err > 0))
            continue;
        double x = log10(c->pt[i].rtol), y = log10(c->pt[i].err);
        sx += x, sy += y, sxx += x * x, sxy += x * y;
        k++;
    }
    double den = k * sxx - sx * sx;
    return k >= 2 && den > 0 ? (k * sxy - sx * sy) / den : NAN;
}

int workprec_run(const rk_family *f, const sample_set *s, const rk_tableau *pair,
                 const double *rtol, int ntol, wp_curve *out, rk_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", pair->name);
    if (!pair->bhat || ntol < 1 || ntol > WP_MAX_TOLS || s->n < 1) {
        rk_error_set(err, "%s: %s", pair->name, !pair->bhat ? "not an embedded pair (no bhat)"
                                                            : "no tolerances or no members");
        return -1;
    }
    double *work = malloc(((size_t)s->dim + RK_ADAPT_WORK(pair->s, s->dim) + f->rhs.n + 1) * sizeof *work);
    if (!work) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    out->n = ntol;
    for (int k = 0; k < ntol; k++) {
        one_tolerance(f, s, pair, rtol[k], work, &out->pt[k]);
        out->nreject += out->pt[k].nreject;
    }
    out->slope = slope_of(out);
    free(work);
    return 0;
}
