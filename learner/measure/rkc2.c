/* rkc2.c - RKC2 from Sommeijer, Shampine and Verwer's formulas (rkc2.h).
 * The step is their eqs. (2.5)-(2.9): with w0 = 1 + eps/s^2,
 * w1 = T_s'(w0)/T_s''(w0), b_j = T_j''(w0)/T_j'(w0)^2 (b_0 = b_1 = b_2),
 *   Y_0 = y,  Y_1 = y + mu~_1 h F_0,  mu~_1 = b_1 w1,
 *   Y_j = (1 - mu_j - nu_j) y + mu_j Y_{j-1} + nu_j Y_{j-2}
 *         + mu~_j h F(Y_{j-1}) + gamma~_j h F_0,
 *   mu_j = 2 b_j w0/b_{j-1}, nu_j = -b_j/b_{j-2}, mu~_j = 2 b_j w1/b_{j-1},
 *   gamma~_j = -(1 - b_{j-1} T_{j-1}(w0)) mu~_j,
 * and y_{n+1} = Y_s.  The control is RKC's (their section 3). */
#include "rkc2.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* w1 from T_s(w0) = cosh(s theta), theta = acosh(w0): T' and T'' in
 * closed form, with w0 - 1 = eps/s^2 kept exact (w0^2 - 1 cancels). */
static double omega1(int s, double w0)
{
    double x = RKC2_EPS / ((double)s * (double)s);
    double t1 = x * (2 + x), t2 = sqrt(t1), arg = (double)s * log1p(x + t2);
    return sinh(arg) * t1 / (cosh(arg) * (double)s * t2 - w0 * sinh(arg));
}

double rkc2_beta(int s)
{
    double w0 = 1 + RKC2_EPS / ((double)s * (double)s);
    return (1 + w0) / omega1(s, w0);
}

/* T_j, T_j', T_j'' at w0, advanced from j - 1 and j - 2. */
typedef struct cheb {
    double t, d, e;
} cheb;

static cheb cheb_next(cheb c1, cheb c2, double w0)
{
    cheb c = {2 * w0 * c1.t - c2.t, 2 * c1.t + 2 * w0 * c1.d - c2.d, 4 * c1.d + 2 * w0 * c1.e - c2.e};
    return c;
}

void rkc2_step(rk_rhs_fn f, void *ctx, int n, double t, const double *y, const double *fy, double h,
               int s, double *ynew, double *work)
{
    double w0 = 1 + RKC2_EPS / ((double)s * (double)s), w1 = omega1(s, w0);
    double *a = work, *b = work + n, *fj = work + 2 * n; /* Y_{j-1}, Y_{j-2}, F(Y_{j-1}) */
    cheb c2 = {1, 0, 0}, c1 = {w0, 1, 0};
    double bjm2 = 1 / (4 * w0 * w0), bjm1 = bjm2; /* b_0 = b_1 = b_2 */
    double cjm2 = 0, cjm1 = bjm1 * w1;            /* the stages' times, c_0 and c_1 */
    for (int i = 0; i < n; i++) {
        b[i] = y[i];
        a[i] = y[i] + cjm1 * h * fy[i];
    }
    for (int j = 2; j <= s; j++) {
        cheb c = cheb_next(c1, c2, w0);
        double bj = c.e / (c.d * c.d);
        double mu = 2 * bj * w0 / bjm1, nu = -bj / bjm2, mus = 2 * bj * w1 / bjm1;
        double gam = -(1 - bjm1 * c1.t) * mus;
        f(ctx, t + cjm1 * h, a, fj);
        for (int i = 0; i < n; i++) /* Y_j overwrites Y_{j-2}, read only at i */
            b[i] = (1 - mu - nu) * y[i] + mu * a[i] + nu * b[i] + mus * h * fj[i] + gam * h * fy[i];
        double cj = mu * cjm1 + nu * cjm2 + mus + gam; /* Y_j's time: the step applied to y' = 1 */
        double *sw = a;
        a = b;
        b = sw;
        c2 = c1;
        c1 = c;
        bjm2 = bjm1;
        bjm1 = bj;
        cjm2 = cjm1;
        cjm1 = cj;
    }
    memcpy(ynew, a, (size_t)n * sizeof *ynew);
}

/* RKC's weighted RMS norm of v scaled by h, weights atol + rtol max(|y|, |z|). */
static double rms(int n, const double *v, double scale, const double *y, const double *z, double rtol,
                  double atol)
{
    double sum = 0;
    for (int i = 0; i < n; i++) {
        double w = atol + rtol * fmax(fabs(y[i]), fabs(z[i]));
        double e = scale * v[i] / w;
        sum += e * e;
    }
    return sqrt(sum / n);
}

/* RKC's first step: h = min(hmax, 1/rho), then a difference of f along
 * an Euler step estimates the second derivative, and h is set so the
 * Euler step's local error would be about 0.01 (its "0.1 / sqrt"). */
static double first_step(rk_rhs_fn f, void *ctx, int n, double t, const double *y, const double *fy,
                         double hmax, double hmin, double rho, double rtol, double atol, double *work)
{
    double *y1 = work, *f1 = work + n, h = hmax;
    if (rho * h > 1)
        h = 1 / rho;
    h = fmax(h, hmin);
    for (int i = 0; i < n; i++)
        y1[i] = y[i] + h * fy[i];
    f(ctx, t + h, y1, f1);
    for (int i = 0; i < n; i++)
        f1[i] -= fy[i];
    double est = rms(n, f1, h, y, y, rtol, atol);
    return 0.1 * h < hmax * sqrt(est) ? fmax(0.1 * h / sqrt(est), hmin) : hmax;
}

/* The error estimate of section 3: (12 (y_n - y_{n+1}) + 6 h (F_n + F_{n+1}))/15. */
static double local_error(int n, const double *y, const double *fy, const double *ynew,
                          const double *fnew, double h, double rtol, double atol, double *est)
{
    for (int i = 0; i < n; i++)
        est[i] = 0.8 * (y[i] - ynew[i]) + 0.4 * h * (fy[i] + fnew[i]);
    return rms(n, est, 1, y, ynew, rtol, atol);
}

typedef struct control {
    double absh, hold, errold, hmax;
    int last;
} control;

/* After an accepted step: RKC's predictor, from this and the previous
 * error (a PI-like rule), the growth capped at 10 and the fall at 0.1. */
static void next_step(control *c, double err, unsigned long naccept)
{
    double fac = 10;
    if (naccept == 1) {
        double t2 = cbrt(err);
        if (0.8 < fac * t2)
            fac = 0.8 / t2;
    } else {
        double t1 = 0.8 * c->absh * cbrt(c->errold), t2 = c->hold * cbrt(err * err);
        if (t1 < fac * t2)
            fac = t1 / t2;
    }
    c->hold = c->absh;
    c->errold = err;
    c->absh = fmin(c->hmax, fmax(0.1, fac) * c->absh);
}

/* The stages for the step: the fewest with 0.653 (s^2 - 1) >= h rho,
 * at most mmax (then h shrinks to what mmax stages cover). */
static int stages_for(control *c, double rho, int mmax, double left)
{
    if (1.1 * c->absh >= left) {
        c->absh = left;
        c->last = 1;
    }
    int m = 1 + (int)sqrt(1.54 * c->absh * rho + 1);
    if (m > mmax) {
        m = mmax;
        c->absh = ((double)m * m - 1) / (1.54 * rho);
        c->last = 0;
    }
    return m;
}

int rkc2_solve(rk_rhs_fn f, void *ctx, int n, double t0, double t1, double *y, double rtol,
               double atol, double rho, rkc2_stats *st, double *work)
{
    const double uround = DBL_EPSILON;
    double *fy = work, *ynew = work + n, *fnew = work + 2 * n, *sw = work + 3 * n, t = t0;
    int mmax = (int)fmax(2, round(sqrt(rtol / (10 * uround))));
    control c = {0, 0, 0, t1 - t0, 0};
    memset(st, 0, sizeof *st);
    f(ctx, t, y, fy);
    c.absh = first_step(f, ctx, n, t, y, fy, c.hmax, 10 * uround * fmax(fabs(t0), fabs(t1)), rho, rtol,
                        atol, sw);
    st->nfev = 2;
    for (;;) {
        int m = stages_for(&c, rho, mmax, t1 - t);
        double h = c.absh, hmin = 10 * uround * fmax(fabs(t), fabs(t + h));
        st->smax = m > st->smax ? m : st->smax;
        rkc2_step(f, ctx, n, t, y, fy, h, m, ynew, sw);
        f(ctx, t + h, ynew, fnew);
        st->nfev += (unsigned long)m;
        double err = local_error(n, y, fy, ynew, fnew, h, rtol, atol, sw);
        if (!(err <= 1)) { /* a NaN from a blown-up step is refused too */
            st->nreject++;
            c.absh = isfinite(err) ? 0.8 * c.absh / cbrt(err) : 0.1 * c.absh;
            c.last = 0;
            if (c.absh < hmin)
                return RKC2_ESMALL;
            continue;
        }
        t = c.last ? t1 : t + h;
        memcpy(y, ynew, (size_t)n * sizeof *y);
        memcpy(fy, fnew, (size_t)n * sizeof *fy);
        st->naccept++;
        if (c.last)
            return RKC2_OK;
        next_step(&c, err, st->naccept);
        c.absh = fmax(c.absh, hmin);
    }
}
