/* stability.c - stability polynomial and intervals (stability.h). */
#include "stability.h"

#include <complex.h>
#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpvec.h"

#define R MPFR_RNDN
#define NMAX (2 * RK_MAX_STAGES + 1)
/* Grid points between 0 and the root bound when looking for the first
 * sign change; features narrower than bound/GRID can be missed. */
#define GRID 200000
/* Bits a coefficient of |R|^2 - 1 may lose to cancellation and still be
 * taken for zero. */
#define POLY_SLACK 32

typedef struct poly {
    int n;          /* coefficients c[0..n) */
    mpfr_t c[NMAX];
    double scale[NMAX]; /* sum of |terms| behind each coefficient */
} poly;

static void poly_init(poly *p, int n, mpfr_prec_t prec)
{
    p->n = n;
    for (int k = 0; k < NMAX; k++) {
        mpfr_init2(p->c[k], prec);
        mpfr_set_zero(p->c[k], 1);
        p->scale[k] = 0;
    }
}

static void poly_clear(poly *p)
{
    for (int k = 0; k < NMAX; k++)
        mpfr_clear(p->c[k]);
}

/* r_k = b^T A^(k-1) 1 for k = 1..s, exactly as MPFR allows; rabs[k]
 * the same with |A| and |b|, the size of each sum.  0 or -1 (OOM). */
static int stability_coefficients(const rk_tabmp *m, mpfr_t *r, double *rabs)
{
    int s = m->s;
    mpfr_t *v = mpvec_new((size_t)2 * s, m->prec);
    double *va = malloc((size_t)2 * s * sizeof *va);
    if (!v || !va) {
        mpvec_free(v, (size_t)2 * s);
        free(va);
        return -1;
    }
    for (int i = 0; i < s; i++) {
        mpfr_set_ui(v[i], 1, R);
        va[i] = 1;
    }
    mpfr_set_ui(r[0], 1, R);
    rabs[0] = 1;
    for (int k = 1; k <= s; k++) {
        mpfr_set_zero(r[k], 1);
        rabs[k] = 0;
        for (int i = 0; i < s; i++) {
            mpfr_fma(r[k], m->b[i], v[i], r[k], R);
            rabs[k] += fabs(mpfr_get_d(m->b[i], R)) * va[i];
        }
        /* v <- A v, through the second half as scratch */
        for (int i = 0; i < s; i++) {
            mpfr_set_zero(v[s + i], 1);
            va[s + i] = 0;
            for (int j = 0; j < i; j++) {
                mpfr_fma(v[s + i], m->A[i * s + j], v[j], v[s + i], R);
                va[s + i] += fabs(mpfr_get_d(m->A[i * s + j], R)) * va[j];
            }
        }
        for (int i = 0; i < s; i++) {
            mpfr_set(v[i], v[s + i], R);
            va[i] = va[s + i];
        }
    }
    mpvec_free(v, (size_t)2 * s);
    free(va);
    return 0;
}

/* out += a*b, and the size of every term into out->scale. */
static void poly_mul_acc(poly *out, const poly *a, const poly *b, mpfr_t tmp)
{
    for (int i = 0; i < a->n; i++)
        for (int j = 0; j < b->n && i + j < NMAX; j++) {
            mpfr_mul(tmp, a->c[i], b->c[j], R);
            mpfr_add(out->c[i + j], out->c[i + j], tmp, R);
            out->scale[i + j] += fabs(mpfr_get_d(tmp, R));
        }
}

/* Drops leading coefficients that are zero to within their rounding, then
 * converts: h[k] = c[m0 + k]; returns the number of coefficients left. */
static int strip(const poly *p, const rk_tabmp *m, double *h)
{
    double tol_bits = ldexp(1.0, POLY_SLACK - (int)(m->prec > 1000 ? 1000 : m->prec));
    int m0 = 0;
    while (m0 < p->n) {
        double v = fabs(mpfr_get_d(p->c[m0], R));
        double tol = (tol_bits + 8.0 * m->s * m->eps) * p->scale[m0];
        if (v > tol)
            break;
        m0++;
    }
    int n = 0;
    for (int k = m0; k < p->n; k++)
        h[n++] = mpfr_get_d(p->c[k], R);
    return n;
}

static double horner(const double *h, int n, double x)
{
    double v = 0;
    for (int k = n - 1; k >= 0; k--)
        v = v * x + h[k];
    return v;
}

/* Sup of x with h <= 0 on (0, x]: first sign change to positive. */
static double first_positive(const double *h, int n)
{
    while (n > 0 && h[n - 1] == 0)
        n--;
    if (n == 0 || h[0] > 0)
        return 0;
    double bound = 0; /* Cauchy: every root has |x| <= 1 + max |h_k / h_top| */
    for (int k = 0; k + 1 < n; k++)
        bound = fmax(bound, fabs(h[k] / h[n - 1]));
    bound += 1;
    double lo = 0;
    for (int i = 1; i <= GRID; i++) {
        double x = bound * i / GRID;
        if (horner(h, n, x) > 0) {
            double hi = x;
            for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
                double mid = 0.5 * (lo + hi);
                if (horner(h, n, mid) > 0)
                    hi = mid;
                else
                    lo = mid;
            }
            return lo;
        }
        lo = x;
    }
    return bound;
}

/* Real axis: R(-x) - 1 = P(x); |R| <= 1 iff P (P + 2) <= 0. */
static double real_interval(const rk_tabmp *m, mpfr_t *r, const double *rabs, int deg)
{
    poly P, G;
    mpfr_t tmp;
    mpfr_init2(tmp, m->prec);
    poly_init(&P, deg + 1, m->prec);
    poly_init(&G, 2 * deg + 1, m->prec);
    for (int k = 1; k <= deg; k++) {
        mpfr_set(P.c[k], r[k], R);
        if (k % 2)
            mpfr_neg(P.c[k], P.c[k], R);
        P.scale[k] = rabs[k];
    }
    poly_mul_acc(&G, &P, &P, tmp);
    for (int k = 1; k <= deg; k++) {
        mpfr_mul_2ui(tmp, P.c[k], 1, R);
        mpfr_add(G.c[k], G.c[k], tmp, R);
        G.scale[k] += 2 * P.scale[k];
    }
    double h[NMAX];
    int n = strip(&G, m, h);
    double x = first_positive(h, n);
    poly_clear(&P);
    poly_clear(&G);
    mpfr_clear(tmp);
    return x;
}

/* Imaginary axis: R(iy) = E(y) + i O(y); |R|^2 - 1 = E^2 - 1 + O^2, and
 * E - 1 has no constant term, so E^2 - 1 = (E - 1)(E - 1 + 2). */
static double imag_interval(const rk_tabmp *m, mpfr_t *r, const double *rabs, int deg)
{
    poly E1, O, G;
    mpfr_t tmp;
    mpfr_init2(tmp, m->prec);
    poly_init(&E1, deg + 1, m->prec);
    poly_init(&O, deg + 1, m->prec);
    poly_init(&G, 2 * deg + 1, m->prec);
    for (int k = 1; k <= deg; k++) {
        /* i^k: 1, i, -1, -i */
        poly *dst = k % 2 ? &O : &E1;
        mpfr_set(dst->c[k], r[k], R);
        if (k % 4 == 2 || k % 4 == 3)
            mpfr_neg(dst->c[k], dst->c[k], R);
        dst->scale[k] = rabs[k];
    }
    poly_mul_acc(&G, &E1, &E1, tmp);
    poly_mul_acc(&G, &O, &O, tmp);
    for (int k = 1; k <= deg; k++) {
        mpfr_mul_2ui(tmp, E1.c[k], 1, R);
        mpfr_add(G.c[k], G.c[k], tmp, R);
        G.scale[k] += 2 * E1.scale[k];
    }
    double h[NMAX];
    int n = strip(&G, m, h);
    double y = first_positive(h, n);
    poly_clear(&E1);
    poly_clear(&O);
    poly_clear(&G);
    mpfr_clear(tmp);
    return y;
}

int stability_analyse(const rk_tabmp *m, rk_stability *out)
{
    mpfr_t r[RK_MAX_STAGES + 1];
    double rabs[RK_MAX_STAGES + 1];
    memset(out, 0, sizeof *out);
    for (int k = 0; k <= m->s; k++)
        mpfr_init2(r[k], m->prec);
    if (stability_coefficients(m, r, rabs) != 0) {
        for (int k = 0; k <= m->s; k++)
            mpfr_clear(r[k]);
        return -1;
    }
    int deg = m->s;
    while (deg > 0 && mpfr_zero_p(r[deg]))
        deg--;
    out->degree = deg;
    for (int k = 0; k <= deg; k++)
        out->coef[k] = mpfr_get_d(r[k], R);
    out->real = real_interval(m, r, rabs, deg);
    out->imag = imag_interval(m, r, rabs, deg);
    for (int k = 0; k <= m->s; k++)
        mpfr_clear(r[k]);
    return 0;
}

double stability_abs(const rk_stability *st, double x, double y)
{
    double complex z = x + y * I, v = 0;
    for (int k = st->degree; k >= 0; k--)
        v = v * z + st->coef[k];
    return cabs(v);
}

/* One Durand-Kerner solve of R(z) = w, warm-started from roots[]. */
static void solve_roots(const rk_stability *st, double complex w,
                        double complex *roots)
{
    int d = st->degree;
    double complex lead = st->coef[d];
    for (int it = 0; it < 500; it++) {
        double change = 0;
        for (int i = 0; i < d; i++) {
            double complex v = 0, den = lead;
            for (int k = d; k >= 0; k--)
                v = v * roots[i] + (k == 0 ? st->coef[0] - w : st->coef[k]);
            for (int j = 0; j < d; j++)
                if (j != i)
                    den *= roots[i] - roots[j];
            if (den == 0)
                den = 1e-300;
            double complex step = v / den;
            roots[i] -= step;
            change = fmax(change, cabs(step) / (1 + cabs(roots[i])));
        }
        if (change < 1e-15)
            break;
    }
}

char *stability_boundary_csv(const rk_stability *st, int npoints)
{
    int d = st->degree;
    size_t cap = (size_t)npoints * (size_t)(d > 0 ? d : 1) * 96 + 64, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    n += (size_t)snprintf(out, cap, "theta,branch,re,im\n");
    double complex roots[RK_MAX_STAGES];
    for (int i = 0; i < d; i++) /* Durand-Kerner's usual distinct start */
        roots[i] = cpow(0.4 + 0.9 * I, i) * (1.0 + d);
    const double pi = acos(-1.0);
    for (int j = 0; j < npoints && d > 0; j++) {
        double theta = 2 * pi * j / npoints;
        solve_roots(st, cexp(I * theta), roots);
        for (int i = 0; i < d && n < cap; i++)
            n += (size_t)snprintf(out + n, cap - n, "%.17g,%d,%.17g,%.17g\n", theta,
                                  i, creal(roots[i]), cimag(roots[i]));
    }
    return out;
}

double stability_real_interval(const rk_tableau *t)
{
    rk_tabmp m;
    rk_stability st;
    rk_error err = {{0}};
    double beta = 0;
    if (t && tabmp_init(&m, t, 128, &err) == 0) {
        if (stability_analyse(&m, &st) == 0)
            beta = st.real;
        tabmp_clear(&m);
    }
    return beta;
}
