/* test_pairfit.c - learned embedded weights (rkgen learn --embedded):
 * the least-squares problem on dopri5's stages against answers known
 * in closed form, the order of the result in MPFR, the refusals, and
 * the interpolation the work ratios are read from. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn.h"
#include "orders.h"
#include "pair.h"
#include "pairdata.h"
#include "pairfit.h"
#include "pairjudge.h"
#include "samples.h"
#include "support.h"
#include "tableau.h"
#include "tableau_mp.h"
#include "trees.h"

static rk_family *vdp(void)
{
    rk_error err = {{0}};
    rk_family *f = family_load(RK_SOURCE_DIR "/examples/vanderpol.ode", &err);
    cr_assert_not_null(f, "%s", err.text);
    return f;
}

static const char *const linear_text = "family lin\n"
                                       "state y\n"
                                       "param l ~ uniform(-2, -0.5)\n"
                                       "init y ~ uniform(0.5, 2)\n"
                                       "step h ~ loguniform(0.01, 0.1)\n"
                                       "y' = l*y\n";

/* Points of tb on members of f: per_member each over [0, span]. */
static void points(const rk_family *f, const rk_tableau *tb, int members, int per, double span, sample_set *s,
                   pair_points *p)
{
    rk_error err = {{0}};
    cr_assert_eq(samples_draw(f, 3, STREAM_TRAIN, members, 0, 0, s, &err), 0, "%s", err.text);
    cr_assert_eq(pair_points_make(f, tb, s, per, span, 1e-4, 1e-8, 3, p, &err), 0, "%s", err.text);
}

/* The stability polynomial of (A, w) at z: 1 + sum_k (w^T A^(k-1) 1) z^k. */
static double stab_poly(const rk_tableau *t, const double *w, double z)
{
    double v[RK_MAX_STAGES], u[RK_MAX_STAGES], r = 1, zk = 1;
    int s = t->s;
    for (int i = 0; i < s; i++)
        v[i] = 1;
    for (int k = 1; k <= s; k++) {
        double dot = 0;
        for (int i = 0; i < s; i++)
            dot += w[i] * v[i];
        zk *= z;
        r += dot * zk;
        for (int i = 0; i < s; i++) {
            u[i] = 0;
            for (int j = 0; j < i; j++)
                u[i] += t->A[i * s + j] * v[j];
        }
        memcpy(v, u, sizeof v);
    }
    return r;
}

/* A consistent problem: when the "true" errors are dopri5's own
 * estimates, the fit on dopri5's stages gives back dopri5's bhat. */
Test(pairfit, consistent_dopri5_gives_back_its_bhat)
{
    rk_family *f = vdp();
    rk_tableau *dp = tableau_builtin("dopri5");
    sample_set s;
    pair_points p;
    points(f, dp, 6, 6, 3, &s, &p);
    double e[RK_MAX_STAGES], bhat[RK_MAX_STAGES];
    for (int j = 0; j < dp->s; j++)
        e[j] = dp->b[j] - dp->bhat[j];
    for (int k = 0; k < p.n; k++)
        for (int c = 0; c < p.dim; c++) {
            double est = 0;
            for (int j = 0; j < p.s; j++)
                est += p.G[((size_t)k * p.dim + c) * p.s + j] * e[j];
            p.le[(size_t)k * p.dim + c] = est;
        }
    for (int refine = 0; refine <= 1; refine++) {
        double resid;
        int m = pairfit_solve(dp, 4, p.dim, p.n, p.G, p.le, refine, bhat, &resid);
        cr_assert_eq(m, 1, "dopri5's order-4 conditions leave one estimator direction, not %d", m);
        cr_assert_lt(resid, 1e-10, "residual %g of a consistent problem", resid);
        for (int j = 0; j < dp->s; j++)
            cr_assert_lt(fabs(bhat[j] - dp->bhat[j]), 1e-10, "refine %d: bhat[%d] = %.17g, dopri5 %.17g", refine,
                         j, bhat[j], dp->bhat[j]);
    }
    pair_points_free(&p);
    samples_free(&s);
    tableau_free(dp);
    family_free(f);
}

/* On y' = l y every estimator on dopri5's stages is a multiple sigma of
 * dopri5's e = b - bhat, whose estimate is y (R(z) - Rhat(z)), while the
 * true error is y (R(z) - e^z): the fitted sigma has a closed form, the
 * least-squares one and (refined) the one whose log ratio averages 0. */
Test(pairfit, linear_family_closed_form)
{
    rk_family *f = family_text(linear_text);
    rk_tableau *dp = tableau_builtin("dopri5");
    sample_set s;
    pair_points p;
    points(f, dp, 8, 8, 2, &s, &p);
    double num = 0, den = 0, logs = 0, bhat[RK_MAX_STAGES], e[RK_MAX_STAGES];
    for (int j = 0; j < dp->s; j++)
        e[j] = dp->b[j] - dp->bhat[j];
    int n = 0;
    for (int k = 0; k < p.n; k++) {
        double z = s.p[k / p.per_member] * p.h[k];
        double a = stab_poly(dp, dp->b, z) - stab_poly(dp, dp->bhat, z), t = stab_poly(dp, dp->b, z) - exp(z);
        num += a / t;
        den += (a / t) * (a / t);
        logs += log(fabs(t / a));
        n++;
    }
    double sigma_lsq = num / den, sigma_log = exp(logs / n);
    for (int refine = 0; refine <= 1; refine++) {
        cr_assert_eq(pairfit_solve(dp, 4, p.dim, p.n, p.G, p.le, refine, bhat, NULL), 1);
        double want = refine ? sigma_log : sigma_lsq;
        for (int j = 0; j < dp->s; j++) {
            double got = dp->b[j] - bhat[j];
            cr_assert_lt(fabs(fabs(got) - fabs(want * e[j])), 1e-5 * fabs(want) * (fabs(e[j]) + 1e-3),
                         "refine %d, stage %d: e = %.10g, closed form %.10g", refine, j, got, want * e[j]);
        }
    }
    pair_points_free(&p);
    samples_free(&s);
    tableau_free(dp);
    family_free(f);
}

/* The embedded order of a learned pair, in MPFR at 256 bits: exactly Q. */
static void expect_order(const rk_tableau *t, int Q)
{
    rk_error err = {{0}};
    rk_forest fo;
    rk_tabmp m;
    rk_order_check oc;
    rk_pair_check pc;
    cr_assert_eq(pair_verify(t, &err), 0, "%s", err.text);
    cr_assert_eq(forest_init(&fo, Q + 2), 0);
    cr_assert_eq(tabmp_init(&m, t, 256, &err), 0, "%s", err.text);
    cr_assert_eq(orders_check(&fo, &m, &oc, &err), 0, "%s", err.text);
    cr_assert_eq(pair_check(&fo, &m, &oc, &pc, &err), 0, "%s", err.text);
    cr_assert_eq(pc.emb.order, Q, "%s: embedded order %d, want %d", t->name, pc.emb.order, Q);
    cr_assert_geq(pc.emb.exact_order, Q, "%s: the order-%d conditions hold exactly", t->name, Q);
    cr_assert_eq(pc.fsal, RK_EXACT, "%s is FSAL", t->name);
    cr_assert_not_null(t->bhat_exact);
    pair_free(&pc);
    orders_free(&oc);
    tabmp_clear(&m);
    forest_free(&fo);
}

static void small(pairfit_config *c, int Q)
{
    pairfit_defaults(c);
    c->embedded = Q;
    c->samples = 12;
    c->points = 6;
    c->fresh = 4;
    c->span = 3;
}

Test(pairfit, learned_pairs_have_order_q_in_mpfr)
{
    static const struct { const char *main; int Q, s, added; } cases[] = {
        {"kutta3", 2, 4, 1}, {"rk4", 3, 5, 1}, {"dopri5", 4, 7, 0}, {"dopri5", 3, 7, 0}};
    rk_family *f = vdp();
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        rk_tableau *main = tableau_builtin(cases[k].main);
        pairfit_config c;
        pairfit_result r;
        rk_error err = {{0}};
        small(&c, cases[k].Q);
        cr_assert_eq(pairfit_run(f, main, &c, &r, &err), 0, "%s: %s", cases[k].main, err.text);
        cr_assert_eq(r.learned->s, cases[k].s);
        cr_assert_eq(r.fsal_added, cases[k].added);
        cr_assert_eq(r.learned->embedded_order, cases[k].Q);
        expect_order(r.learned, cases[k].Q);
        cr_assert(r.best >= 0 && isfinite(r.work[r.best][0]), "%s: a work ratio", cases[k].main);
        cr_assert(r.fallback == (r.work[r.best][0] < 1));
        cr_assert(isfinite(r.fresh.mean) && r.fresh.mean > 0);
        char *json = pairfit_metadata(f, main, &c, &r, NULL);
        cr_assert(json && strstr(json, "\"work_ratio_vs_builtin\"") && strstr(json, "\"learned_bhat\""));
        free(json);
        pairfit_free(&r);
        tableau_free(main);
    }
    family_free(f);
}

Test(pairfit, refuses_q_not_below_the_main_order)
{
    rk_family *f = vdp();
    rk_tableau *dp = tableau_builtin("dopri5");
    pairfit_config c;
    pairfit_result r;
    rk_error err = {{0}};
    small(&c, 5);
    cr_assert_eq(pairfit_run(f, dp, &c, &r, &err), 2);
    cr_assert(strstr(err.text, "below the order 5"), "%s", err.text);
    tableau_free(dp);
    family_free(f);
}

/* A 6-stage method of order 5 in general has no order-4 estimator: its
 * seven stages (with FSAL) meet the 8 conditions of order 4 only where
 * bhat also has order 5.  The classical ones (dopri5, Kutta-Nystrom,
 * Butcher's) satisfy simplifying assumptions that leave room for one; a
 * learned method does not. */
Test(pairfit, no_estimator_of_order_q)
{
    rk_family *f = vdp();
    learn_config lc;
    learn_metrics lm;
    rk_tableau *t = NULL;
    rk_error err = {{0}};
    learn_defaults(&lc);
    lc.stages = 6;
    lc.order = 5;
    lc.samples = 60;
    lc.val_samples = 30;
    lc.fresh_samples = 0;
    lc.screen = 8;
    lc.restarts = 0;
    lc.iters = 3;
    lc.quiet = 1;
    cr_assert_eq(learn_run(f, &lc, &t, &lm, &err), 0, "%s", err.text);
    cr_assert_eq(t->order, 5);
    pairfit_config c;
    pairfit_result r;
    small(&c, 4);
    cr_assert_eq(pairfit_run(f, t, &c, &r, &err), 2, "%s", err.text);
    cr_assert(strstr(err.text, "too high for the stages"), "%s", err.text);
    /* order 3 is possible */
    small(&c, 3);
    cr_assert_eq(pairfit_run(f, t, &c, &r, &err), 0, "%s", err.text);
    expect_order(r.learned, 3);
    pairfit_free(&r);
    tableau_free(t);
    family_free(f);
}

Test(pairfit, interpolation_in_log_log)
{
    const double lx[4] = {3, 1, 2, NAN}, ly[4] = {30, 10, 20, 5};
    cr_assert_float_eq(pairjudge_interp(lx, ly, 4, 1.5), 15, 1e-12);
    cr_assert_float_eq(pairjudge_interp(lx, ly, 4, 3), 30, 1e-12);
    cr_assert(isnan(pairjudge_interp(lx, ly, 4, 0.5)), "no extrapolation below");
    cr_assert(isnan(pairjudge_interp(lx, ly, 4, 3.5)), "no extrapolation above");
}
