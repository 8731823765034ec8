/* localerr.c - family local-error coefficients in MPFR series (localerr.h). */
#include "localerr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mpvec.h"
#include "rng.h"

#define R MPFR_RNDN
/* Bits of the working precision a coefficient may lose and still count
 * as zero: the series recurrences sum O(degree) products per operation. */
#define SERIES_SLACK 32

static size_t stride(const rk_lerr *L)
{
    return (size_t)L->max_order; /* degree max_order - 1, plus one */
}

int lerr_init(rk_lerr *L, const rk_family *f, int s, int max_order,
              mpfr_prec_t prec)
{
    memset(L, 0, sizeof *L);
    L->f = f;
    L->s = s;
    L->max_order = max_order;
    L->dim = f->dim;
    L->prec = prec;
    size_t d = (size_t)f->dim, n = stride(L);
    L->tser = mpvec_new(n + 1, prec);
    L->Y = mpvec_new(d * n, prec);
    L->K = mpvec_new((size_t)s * d * n, prec);
    L->yex = mpvec_new(d * (n + 1), prec);
    L->p = mpvec_new((size_t)f->nparam, prec);
    L->y0 = mpvec_new(d, prec);
    mpfr_init2(L->acc, prec);
    if (!L->tser || !L->Y || !L->K || !L->yex || !L->p || !L->y0 ||
        ex_mpwork_init(&L->w, &f->rhs, max_order - 1, prec) != 0) {
        lerr_clear(L);
        return -1;
    }
    return 0;
}

void lerr_clear(rk_lerr *L)
{
    if (!L->f)
        return;
    size_t d = (size_t)L->dim, n = stride(L);
    mpvec_free(L->tser, n + 1);
    mpvec_free(L->Y, d * n);
    mpvec_free(L->K, (size_t)L->s * d * n);
    mpvec_free(L->yex, d * (n + 1));
    mpvec_free(L->p, (size_t)L->f->nparam);
    mpvec_free(L->y0, d);
    ex_mpwork_clear(&L->w);
    mpfr_clear(L->acc);
    memset(L, 0, sizeof *L);
}

/* t(h) = t0 + slope h, as a series of degree deg. */
static void time_series(rk_lerr *L, int deg, mpfr_srcptr slope)
{
    for (int k = 0; k <= deg; k++)
        mpfr_set_zero(L->tser[k], 1);
    if (deg >= 1)
        mpfr_set(L->tser[1], slope, R);
}

/* The classical Taylor-series method: y_[k+1] = f(t, y)_[k] / (k+1),
 * each step one series evaluation at degree k. */
static int exact_coefficients(rk_lerr *L)
{
    int d = L->dim, Q = L->max_order;
    mpfr_t one;
    mpfr_init2(one, L->prec);
    mpfr_set_ui(one, 1, R);
    ex_senv_mp env = {L->tser, L->Y, L->p, NULL};
    int rc = 0;
    for (int k = 0; k < Q && rc == 0; k++) {
        size_t n = (size_t)k + 1;
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= k; j++)
                mpfr_set(L->Y[(size_t)i * n + j], L->yex[(size_t)i * (Q + 1) + j], R);
        time_series(L, k, one);
        if (ex_series_mp(&L->f->rhs, k, &env, &L->w, L->K) >= 0) {
            rc = -1;
            break;
        }
        for (int i = 0; i < d; i++)
            mpfr_div_ui(L->yex[(size_t)i * (Q + 1) + k + 1], L->K[(size_t)i * n + k],
                        (unsigned long)k + 1, R);
    }
    mpfr_clear(one);
    return rc;
}

int lerr_member(rk_lerr *L, const double *p, const double *y0)
{
    int Q = L->max_order;
    for (int i = 0; i < L->f->nparam; i++)
        mpfr_set_d(L->p[i], p[i], R);
    for (int i = 0; i < L->dim; i++) {
        mpfr_set_d(L->y0[i], y0[i], R);
        mpfr_set_d(L->yex[(size_t)i * (Q + 1)], y0[i], R);
    }
    return exact_coefficients(L);
}

/* Stage i's argument Y_i(h) = y0 + h sum_{j<i} a_ij K_j(h). */
static void stage_argument(rk_lerr *L, mpfr_t *A, int i)
{
    int s = L->s, d = L->dim;
    size_t n = stride(L);
    for (int q = 0; q < d; q++) {
        mpfr_t *Y = L->Y + (size_t)q * n;
        mpfr_set(Y[0], L->y0[q], R);
        for (size_t k = 1; k < n; k++) {
            mpfr_set_zero(Y[k], 1);
            for (int j = 0; j < i; j++)
                mpfr_fma(Y[k], A[i * s + j], L->K[((size_t)j * d + q) * n + k - 1],
                         Y[k], R);
        }
    }
}

int lerr_eval(rk_lerr *L, mpfr_t *A, mpfr_t *b, mpfr_t *c, mpfr_t *e, mpfr_t *yq)
{
    int s = L->s, d = L->dim, Q = L->max_order;
    size_t n = stride(L);
    ex_senv_mp env = {L->tser, L->Y, L->p, NULL};
    for (int i = 0; i < s; i++) {
        stage_argument(L, A, i);
        time_series(L, Q - 1, c[i]);
        if (ex_series_mp(&L->f->rhs, Q - 1, &env, &L->w, L->K + (size_t)i * d * n) >= 0)
            return -1;
    }
    for (int q = 1; q <= Q; q++)
        for (int comp = 0; comp < d; comp++) {
            mpfr_ptr out = e[(size_t)(q - 1) * d + comp];
            mpfr_set_zero(out, 1);
            for (int i = 0; i < s; i++)
                mpfr_fma(out, b[i], L->K[((size_t)i * d + comp) * n + q - 1], out, R);
            mpfr_srcptr exact = L->yex[(size_t)comp * (Q + 1) + q];
            mpfr_sub(out, out, exact, R);
            if (yq)
                mpfr_set(yq[(size_t)(q - 1) * d + comp], exact, R);
        }
    return 0;
}

/* ---- the check ------------------------------------------------------ */

typedef struct fc_work {
    rk_lerr L;
    mpfr_t *e, *yq;
    mpfr_t ne, ny, nh, tmp, tol;
    double *p, *y0;
} fc_work;

/* Judges e_q at one sample: |e_q| against the size S of y_q and yhat_q. */
static void judge_order(fc_work *w, const rk_order_check *oc, double eps,
                        int q, rk_family_check *out)
{
    int d = w->L.dim;
    mpfr_t *e = w->e + (size_t)(q - 1) * d, *y = w->yq + (size_t)(q - 1) * d;
    double ae = mpvec_max_abs(e, (size_t)d, w->ne), ay = mpvec_max_abs(y, (size_t)d, w->ny);
    /* S = max(|y_q|, |yhat_q|), yhat_q = e_q + y_q */
    mpfr_set(w->nh, w->ny, R);
    for (int i = 0; i < d; i++) {
        mpfr_add(w->tmp, e[i], y[i], R);
        if (mpfr_cmpabs(w->tmp, w->nh) > 0)
            mpfr_abs(w->nh, w->tmp, R);
    }
    double W = oc->weight[q] > 1 ? oc->weight[q] : 1;
    mpfr_mul_d(w->tol, w->nh, W, R);
    mpfr_mul_2si(w->tol, w->tol, SERIES_SLACK - (long)w->L.prec, R);
    rk_verdict v = RK_FAILS;
    if (mpfr_lessequal_p(w->ne, w->tol))
        v = RK_EXACT;
    else {
        mpfr_mul_d(w->tmp, w->nh, 4.0 * q * eps * W, R);
        mpfr_add(w->tol, w->tol, w->tmp, R);
        if (mpfr_lessequal_p(w->ne, w->tol))
            v = RK_ROUNDING;
    }
    out->verdict[q] = v > out->verdict[q] ? v : out->verdict[q];
    double S = ay > 0 ? ay : mpfr_get_d(w->nh, R);
    double rel = S > 0 ? ae / S : 0;
    out->rel[q] = rel > out->rel[q] ? rel : out->rel[q];
}

static int fc_init(fc_work *w, const rk_family *f, const rk_tabmp *m, int Q)
{
    memset(w, 0, sizeof *w);
    size_t n = (size_t)Q * (size_t)f->dim;
    w->e = mpvec_new(n, m->prec);
    w->yq = mpvec_new(n, m->prec);
    w->p = calloc((size_t)f->nparam + 1, sizeof *w->p);
    w->y0 = calloc((size_t)f->dim, sizeof *w->y0);
    mpfr_inits2(m->prec, w->ne, w->ny, w->nh, w->tmp, w->tol, (mpfr_ptr)0);
    if (!w->e || !w->yq || !w->p || !w->y0 || lerr_init(&w->L, f, m->s, Q, m->prec))
        return -1;
    return 0;
}

static void fc_clear(fc_work *w, const rk_family *f, int Q)
{
    size_t n = (size_t)Q * (size_t)f->dim;
    mpvec_free(w->e, n);
    mpvec_free(w->yq, n);
    free(w->p);
    free(w->y0);
    mpfr_clears(w->ne, w->ny, w->nh, w->tmp, w->tol, (mpfr_ptr)0);
    lerr_clear(&w->L);
}

static void fc_summary(rk_family_check *out)
{
    out->order = out->exact_order = 0;
    while (out->order < out->max_order && out->verdict[out->order + 1] != RK_FAILS)
        out->order++;
    while (out->exact_order < out->max_order &&
           out->verdict[out->exact_order + 1] == RK_EXACT)
        out->exact_order++;
}

int family_check(const rk_family *f, const rk_tabmp *m, const rk_order_check *oc,
                 int samples, uint64_t seed, rk_family_check *out, rk_error *err)
{
    int Q = oc->max_order;
    memset(out, 0, sizeof *out);
    out->max_order = Q;
    out->samples = samples;
    out->seed = seed;
    fc_work w;
    if (fc_init(&w, f, m, Q) != 0) {
        fc_clear(&w, f, Q);
        rk_error_set(err, "out of memory");
        return -1;
    }
    rk_rng rng;
    rng_seed(&rng, seed);
    int rc = 0;
    for (int k = 0; k < samples && rc == 0; k++) {
        double h;
        family_sample(f, &rng, w.p, w.y0, &h);
        if (lerr_member(&w.L, w.p, w.y0) != 0 ||
            lerr_eval(&w.L, m->A, m->b, m->c, w.e, w.yq) != 0) {
            rk_error_set(err, "family %s: the vector field has no Taylor series at "
                         "sample %d (seed %llu): a division by zero or a function "
                         "outside its domain", f->name, k + 1, (unsigned long long)seed);
            rc = -1;
            break;
        }
        for (int q = 1; q <= Q; q++)
            judge_order(&w, oc, m->eps, q, out);
    }
    fc_summary(out);
    fc_clear(&w, f, Q);
    return rc;
}
