/* pair.c - embedded pairs checked in MPFR and their KCL measures (pair.h). */
#include "pair.h"

#include <math.h>
#include <string.h>

#define R MPFR_RNDN

/* |x - y| judged as a residual of a sum of two terms. */
static rk_verdict same(mpfr_t x, mpfr_t y, double eps, mpfr_t d, double *resid)
{
    double size = fabs(mpfr_get_d(x, R)) + fabs(mpfr_get_d(y, R));
    mpfr_sub(d, x, y, R);
    mpfr_abs(d, d, R);
    double r = mpfr_get_d(d, R);
    *resid = r > *resid ? r : *resid;
    return orders_judge(d, size, 4.0 * eps * size, mpfr_get_prec(d));
}

rk_verdict pair_fsal(const rk_tabmp *m, double *resid)
{
    int s = m->s;
    rk_verdict v = RK_EXACT, w;
    mpfr_t d, one;
    mpfr_inits2(m->prec, d, one, (mpfr_ptr)0);
    mpfr_set_ui(one, 1, R);
    *resid = 0;
    for (int j = 0; j < s; j++) {
        w = same(m->A[(s - 1) * s + j], m->b[j], m->eps, d, resid);
        v = w > v ? w : v;
    }
    w = same(m->c[s - 1], one, m->eps, d, resid);
    v = w > v ? w : v;
    mpfr_clears(d, one, (mpfr_ptr)0);
    return v;
}

/* ||tau^(q)||_2 of one method, or of the difference lo - hi when hi is
 * given; NAN beyond the forest. */
static double tau_norm(const rk_forest *f, const rk_order_check *lo,
                       const rk_order_check *hi, int q)
{
    if (q < 1 || q > f->max_order)
        return NAN;
    double sum = 0;
    for (int k = f->first[q]; k < f->first[q + 1]; k++) {
        double r = lo->resid[k] - (hi ? hi->resid[k] : 0);
        double e = r / f->tree[k].sigma;
        sum += e * e;
    }
    return sqrt(sum);
}

static void kcl(rk_pair_check *p, const rk_forest *f, const rk_order_check *main)
{
    const rk_order_check *hi = main, *lo = &p->emb;
    p->swapped = p->emb.order > main->order;
    if (p->swapped) {
        hi = &p->emb;
        lo = main;
    }
    p->P = hi->order;
    p->Q = lo->order;
    p->A = tau_norm(f, hi, NULL, p->P + 1);
    p->Ahat = tau_norm(f, lo, NULL, p->Q + 1);
    p->B = tau_norm(f, lo, NULL, p->Q + 2) / p->Ahat;
    p->C = tau_norm(f, lo, hi, p->Q + 2) / p->Ahat;
    p->E = tau_norm(f, hi, NULL, p->Q + 2) / p->Ahat;
}

int pair_check(const rk_forest *f, const rk_tabmp *m, const rk_order_check *main,
               rk_pair_check *out, rk_error *err)
{
    memset(out, 0, sizeof *out);
    rk_tabmp e = tabmp_embedded(m);
    if (!m->bhat) {
        rk_error_set(err, "not a pair: the tableau has no bhat");
        return -1;
    }
    if (orders_check(f, &e, &out->emb, err) != 0)
        return -1;
    if (stability_analyse(&e, &out->st) != 0) {
        pair_free(out);
        rk_error_set(err, "out of memory");
        return -1;
    }
    out->fsal = pair_fsal(m, &out->fsal_resid);
    kcl(out, f, main);
    return 0;
}

void pair_free(rk_pair_check *p)
{
    orders_free(&p->emb);
}
