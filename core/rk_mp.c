/* rk_mp.c - the explicit Runge-Kutta integration in MPFR (rk_mp.h): global
 * errors far below double's rounding, to measure orders against. */
#include "rk_mp.h"

#include "mpvec.h"
#include "parse.h"

static int coef(mpfr_t out, const rk_tableau *t, int idx, double v, rk_error *err)
{
    const char *text = t->exact ? t->exact[idx] : NULL;
    if (text)
        return ex_const_eval_mp(text, out, err);
    mpfr_set_d(out, v, MPFR_RNDN);
    return 0;
}

int rk_mp_init(rk_mp *m, const rk_family *f, const rk_tableau *t, mpfr_prec_t prec,
               rk_error *err)
{
    size_t s = (size_t)t->s, d = (size_t)f->dim;
    m->f = f;
    m->t = t;
    m->A = mpvec_new(s * s, prec);
    m->b = mpvec_new(s, prec);
    m->c = mpvec_new(s, prec);
    m->p = mpvec_new((size_t)f->nparam, prec);
    m->y = mpvec_new(d, prec);
    m->ys = mpvec_new(d, prec);
    m->y0 = mpvec_new(d, prec);
    m->tmp = mpvec_new(d, prec);
    m->k = mpvec_new(s * d, prec);
    mpfr_inits2(prec, m->time, m->acc, (mpfr_ptr)0);
    int bad = !m->A || !m->b || !m->c || !m->p || !m->y || !m->ys || !m->y0 || !m->tmp || !m->k;
    bad = bad || ex_mpwork_init(&m->rhs, &f->rhs, 0, prec) != 0;
    bad = bad || (f->has_exact && ex_mpwork_init(&m->exact, &f->exact, 0, prec) != 0);
    if (bad) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    int n = t->s;
    for (int i = 0; i < n * n; i++)
        if (coef(m->A[i], t, i, t->A[i], err) != 0)
            return -1;
    for (int i = 0; i < n; i++)
        if (coef(m->b[i], t, n * n + i, t->b[i], err) != 0 ||
            coef(m->c[i], t, n * n + n + i, t->c[i], err) != 0)
            return -1;
    return 0;
}

void rk_mp_clear(rk_mp *m)
{
    size_t s = (size_t)m->t->s, d = (size_t)m->f->dim;
    mpvec_free(m->A, s * s);
    mpvec_free(m->b, s);
    mpvec_free(m->c, s);
    mpvec_free(m->p, (size_t)m->f->nparam);
    mpvec_free(m->y, d);
    mpvec_free(m->ys, d);
    mpvec_free(m->y0, d);
    mpvec_free(m->tmp, d);
    mpvec_free(m->k, s * d);
    ex_mpwork_clear(&m->rhs);
    if (m->f->has_exact)
        ex_mpwork_clear(&m->exact);
    mpfr_clears(m->time, m->acc, (mpfr_ptr)0);
}

static int rhs(rk_mp *m, mpfr_t t, mpfr_t *y, mpfr_t *out)
{
    ex_senv_mp env = {(mpfr_t *)t, y, m->p, NULL};
    return ex_series_mp(&m->f->rhs, 0, &env, &m->rhs, out) < 0 ? 0 : -1;
}

static int step(rk_mp *m, mpfr_t t, mpfr_t h)
{
    int s = m->t->s, d = m->f->dim;
    for (int i = 0; i < s; i++) {
        for (int q = 0; q < d; q++) {
            mpfr_set_zero(m->acc, 1);
            for (int j = 0; j < i; j++) {
                mpfr_mul(m->tmp[q], m->A[i * s + j], m->k[j * d + q], MPFR_RNDN);
                mpfr_add(m->acc, m->acc, m->tmp[q], MPFR_RNDN);
            }
            mpfr_fma(m->ys[q], h, m->acc, m->y[q], MPFR_RNDN);
        }
        mpfr_fma(m->time, m->c[i], h, t, MPFR_RNDN);
        if (rhs(m, m->time, m->ys, m->k + i * d) != 0)
            return -1;
    }
    for (int q = 0; q < d; q++) {
        mpfr_set_zero(m->acc, 1);
        for (int j = 0; j < s; j++) {
            mpfr_mul(m->tmp[q], m->b[j], m->k[j * d + q], MPFR_RNDN);
            mpfr_add(m->acc, m->acc, m->tmp[q], MPFR_RNDN);
        }
        mpfr_fma(m->y[q], h, m->acc, m->y[q], MPFR_RNDN);
    }
    return 0;
}

double rk_mp_global_error(rk_mp *m, const double *p, const double *y0, double T,
                          unsigned long nsteps)
{
    int d = m->f->dim;
    mpfr_t h, t;
    mpfr_inits2(mpfr_get_prec(m->acc), h, t, (mpfr_ptr)0);
    for (int i = 0; i < m->f->nparam; i++)
        mpfr_set_d(m->p[i], p[i], MPFR_RNDN);
    for (int q = 0; q < d; q++) {
        mpfr_set_d(m->y[q], y0[q], MPFR_RNDN);
        mpfr_set_d(m->y0[q], y0[q], MPFR_RNDN);
    }
    mpfr_set_d(h, T, MPFR_RNDN);
    mpfr_div_ui(h, h, nsteps, MPFR_RNDN);
    double e = 0;
    for (unsigned long n = 0; n < nsteps && e == 0; n++) {
        mpfr_mul_ui(t, h, n, MPFR_RNDN);
        if (step(m, t, h) != 0)
            e = -1;
    }
    if (e == 0) {
        mpfr_set_d(t, T, MPFR_RNDN);
        ex_senv_mp env = {(mpfr_t *)t, NULL, m->p, m->y0};
        if (ex_series_mp(&m->f->exact, 0, &env, &m->exact, m->tmp) >= 0)
            e = -1;
        for (int q = 0; q < d && e >= 0; q++) {
            mpfr_sub(m->acc, m->y[q], m->tmp[q], MPFR_RNDN);
            double v = mpfr_get_d(m->acc, MPFR_RNDN);
            e = e > (v < 0 ? -v : v) ? e : (v < 0 ? -v : v);
        }
    }
    mpfr_clears(h, t, (mpfr_ptr)0);
    return e;
}
