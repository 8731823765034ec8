/* pair.c - embedded pairs checked in MPFR and their KCL measures (pair.h). */
#include "pair.h"

#include <math.h>
#include <stdio.h>
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

/* A stated order fails when the trees reach it and it does not hold. */
static int stated_fails(int stated, const rk_order_check *c)
{
    return stated > 0 && c->order < stated && c->order < c->max_order;
}

const char *pair_claims(const rk_tableau *t, const rk_order_check *c,
                        const rk_pair_check *pc, char *buf, size_t size)
{
    const rk_order_check *e = &pc->emb;
    if (stated_fails(t->order, c))
        snprintf(buf, size, "pair %s: the stated order %d of b does not hold: the "
                 "conditions of order %d fail (largest residual %.3g)", t->name,
                 t->order, c->order + 1, c->max_resid[c->order + 1]);
    else if (stated_fails(t->embedded_order, e))
        snprintf(buf, size, "pair %s: the stated embedded order %d of bhat does not "
                 "hold: the conditions of order %d fail (largest residual %.3g)",
                 t->name, t->embedded_order, e->order + 1, e->max_resid[e->order + 1]);
    else if (t->fsal && pc->fsal == RK_FAILS)
        snprintf(buf, size, "pair %s: FSAL is claimed but the last row of A differs "
                 "from b (or c_s from 1) by %.3g", t->name, pc->fsal_resid);
    else
        return NULL;
    return buf;
}

int pair_verify(const rk_tableau *t, rk_error *err)
{
    int top = t->order > t->embedded_order ? t->order : t->embedded_order;
    rk_forest forest = {0};
    rk_tabmp m;
    rk_order_check oc;
    rk_pair_check pc;
    char why[RK_ERROR_MAX];
    int r = -1;
    memset(&oc, 0, sizeof oc);
    memset(&pc, 0, sizeof pc);
    top = top + 1 > RK_TREES_MAX_ORDER ? RK_TREES_MAX_ORDER : top + 1;
    if (forest_init(&forest, top) != 0) {
        rk_error_set(err, "out of memory enumerating the trees");
        return -1;
    }
    if (tabmp_init(&m, t, 256, err) == 0) {
        if (orders_check(&forest, &m, &oc, err) == 0 && pair_check(&forest, &m, &oc, &pc, err) == 0) {
            const char *bad = pair_claims(t, &oc, &pc, why, sizeof why);
            if (bad)
                rk_error_set(err, "%s", bad);
            r = bad ? -1 : 0;
        }
        tabmp_clear(&m);
    }
    orders_free(&oc);
    pair_free(&pc);
    forest_free(&forest);
    return r;
}
