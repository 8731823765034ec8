/* reference.c - the Taylor-series reference: the solution's coefficients
 * one degree per pass of the series arithmetic, and Jorba & Zou's step
 * from the decay of the last two, so that truncation stays below the
 * rounding of double and the reference can judge every method. */
#include "reference.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "series.h"

/* The program reads the solution's and t's coefficients in place. */
static int prog_init(reference *r)
{
    ex_senv bind = {r->ts, r->ys, NULL, NULL};
    return ex_sprog_init(&r->prog, &r->f->rhs, r->deg, r->work, &bind);
}

int reference_init(reference *r, const rk_family *f, rk_error *err)
{
    size_t n = (size_t)REFERENCE_DEGREE + 1, d = (size_t)f->dim;
    memset(r, 0, sizeof *r);
    r->f = f;
    r->deg = REFERENCE_DEGREE;
    r->ys = calloc(d * n, sizeof *r->ys);
    r->fs = calloc(d * n, sizeof *r->fs);
    r->ts = calloc(n, sizeof *r->ts);
    r->work = calloc(ex_series_work(&f->rhs, r->deg) + 1, sizeof *r->work);
    if (!r->ys || !r->fs || !r->ts || !r->work || prog_init(r) != 0) {
        reference_free(r);
        rk_error_set(err, "out of memory");
        return -1;
    }
    return 0;
}

void reference_free(reference *r)
{
    free(r->ys);
    free(r->fs);
    free(r->ts);
    free(r->work);
    ex_sprog_free(&r->prog);
    memset(r, 0, sizeof *r);
}

/* Coefficient k of f needs those of y up to k only: each pass fixes one
 * more coefficient of y.  Formed coefficient by coefficient (O(deg^2));
 * where that cannot be done, each pass redoes the whole series.
 * Returns 0, or -1 where f has no series. */
static int taylor(reference *r, const double *p, double t, const double *y)
{
    int d = r->f->dim, n = r->deg + 1;
    const ex_tape *tp = &r->f->rhs;
    ex_senv env = {r->ts, r->ys, p, NULL};
    memset(r->ys, 0, (size_t)d * (size_t)n * sizeof *r->ys);
    memset(r->ts, 0, (size_t)n * sizeof *r->ts);
    r->ts[0] = t;
    if (r->deg > 0)
        r->ts[1] = 1;
    for (int i = 0; i < d; i++)
        r->ys[i * n] = y[i];
    /* the program is of one degree: a lower one (the Taylor method of
     * an order) is resolved again when it changes */
    if (r->prog.deg != r->deg) {
        ex_sprog_free(&r->prog);
        if (prog_init(r) != 0)
            return -1;
    }
    int whole = 0;
    for (int k = 0; k < r->deg; k++) {
        if (!whole && ex_sprog_coeff(&r->prog, k, &env) >= 0)
            whole = 1;
        /* coefficients above k are still zero and cannot reach f_[k] */
        if (whole && ex_series(tp, r->deg, &env, r->work, r->fs) >= 0)
            return -1;
        for (int i = 0; i < d; i++) {
            const double *fi = whole ? r->fs + i * n : r->prog.out[i];
            r->ys[i * n + k + 1] = fi[k] / (k + 1);
        }
    }
    return 0;
}

/* Jorba & Zou's step: the last two terms of the series, |c_k| h^k, are
 * held below the rounding of the solution's size. */
static double step_size(const reference *r, const double *y)
{
    int d = r->f->dim, n = r->deg + 1, q = r->deg;
    double norm = 0, c1 = 0, c2 = 0;
    for (int i = 0; i < d; i++) {
        norm = fmax(norm, fabs(y[i]));
        c1 = fmax(c1, fabs(r->ys[i * n + q - 1]));
        c2 = fmax(c2, fabs(r->ys[i * n + q]));
    }
    double tol = 0x1p-56 * fmax(norm, DBL_MIN);
    double h = INFINITY;
    if (c1 > 0)
        h = fmin(h, pow(tol / c1, 1.0 / (q - 1)));
    if (c2 > 0)
        h = fmin(h, pow(tol / c2, 1.0 / q));
    return h;
}

static void advance(const reference *r, double h, double *y)
{
    int d = r->f->dim, n = r->deg + 1;
    for (int i = 0; i < d; i++) {
        const double *c = r->ys + i * n;
        double s = c[r->deg];
        for (int k = r->deg - 1; k >= 0; k--)
            s = s * h + c[k];
        y[i] = s;
    }
}

int reference_solve(reference *r, const double *p, double t0, double t1,
                    double *y, rk_error *err)
{
    double t = t0;
    r->steps = 0;
    while (t < t1) {
        if (taylor(r, p, t, y) != 0) {
            rk_error_set(err, "reference: the vector field has no Taylor series at t = %.17g", t);
            return -1;
        }
        double h = fmin(step_size(r, y), t1 - t);
        if (!(h > 1e-12 * fmax(1.0, fabs(t1 - t0))) && h < t1 - t) {
            rk_error_set(err, "reference: step size collapsed at t = %.17g (a singularity?)", t);
            return -1;
        }
        advance(r, h, y);
        t = t1 - t <= h ? t1 : t + h;
        r->steps++;
        for (int i = 0; i < r->f->dim; i++)
            if (!isfinite(y[i])) {
                rk_error_set(err, "reference: the solution is not finite at t = %.17g", t);
                return -1;
            }
    }
    return 0;
}

int reference_taylor_method(reference *r, const double *p, double t0, double h,
                            unsigned long nsteps, int q, double *y)
{
    int full = r->deg;
    r->deg = q; /* the buffers hold REFERENCE_DEGREE; a lower degree fits */
    int status = 0;
    for (unsigned long k = 0; k < nsteps && status == 0; k++) {
        status = taylor(r, p, t0 + (double)k * h, y);
        if (status == 0)
            advance(r, h, y);
    }
    r->deg = full;
    return status;
}
