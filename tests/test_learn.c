/* The learner: known answers from the mathematics (the square family's
 * 2-stage method of family order 3, paper eqs. 34-35; classical order
 * conditions held exactly), the Taylor regularizer against the B-series,
 * wins measured on fresh members, and reproducibility. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "learn.h"
#include "localerr.h"
#include "measure.h"
#include "optim.h"
#include "rk_mp.h"
#include "stability.h"
#include "survival.h"
#include "support.h"
#include "taylorreg.h"
#include "trees.h"

static rk_tableau *learn(const rk_family *f, learn_config *c)
{
    rk_tableau *t = NULL;
    learn_metrics m;
    rk_error err = {{0}};
    c->quiet = 1;
    cr_assert_eq(learn_run(f, c, &t, &m, &err), 0, "%s", err.text);
    return t;
}

/* Global error at the horizon in MPFR for one member, at h = T/n. */
static double slope(const rk_family *f, const rk_tableau *t, unsigned long n0)
{
    rk_mp m;
    rk_error err = {{0}};
    double p[] = {0.3}, y0[] = {2.0}, e[3];
    cr_assert_eq(rk_mp_init(&m, f, t, 160, &err), 0, "%s", err.text);
    for (int k = 0; k < 3; k++)
        e[k] = rk_mp_global_error(&m, p, y0, f->horizon, n0 << k);
    rk_mp_clear(&m);
    return log(e[0] / e[2]) / log(4.0);
}

Test(learn, square_two_stages_family_order_three, .timeout = 120)
{
    rk_family *f = example_family("square");
    learn_config c;
    learn_defaults(&c);
    c.stages = 2;
    c.order = 3;
    c.family_order = 3;
    c.samples = 300;
    c.val_samples = 100;
    rk_tableau *t = learn(f, &c);
    /* paper eqs. 34-35: a21 = 2, b = (3/4, 1/4) */
    cr_expect_float_eq(t->A[2], 2.0, 1e-9);
    cr_expect_float_eq(t->b[0], 0.75, 1e-9);
    cr_expect_float_eq(t->b[1], 0.25, 1e-9);
    double s = slope(f, t, 64);
    cr_expect(fabs(s - 3) <= 0.2, "observed order %.3f on the square family, want 3", s);
    const char *classical[] = {"midpoint", "heun", "ralston"};
    for (int k = 0; k < 3; k++) {
        rk_tableau *ct = tableau_builtin(classical[k]);
        double sc = slope(f, ct, 64);
        cr_expect(fabs(sc - 2) <= 0.2, "%s: observed order %.3f, want 2", classical[k], sc);
        tableau_free(ct);
    }
    tableau_free(t);
    family_free(f);
}

/* The observed order: the least-squares slope of log e against log h,
 * e the geometric mean over 8 fresh members of the global error in MPFR
 * at h = T/4 .. T/1024, over the steps whose error is at least 100 times
 * the smallest one.  Those below are at the floor set by the tableau's
 * rounding to double (its conditions hold to 1e-17, not exactly).  A
 * fit, not a slope between two steps: at one member the error constant
 * may cross zero between them. */
static double observed_order(const rk_family *f, const rk_tableau *t)
{
    enum { M = 8, N = 9 };
    sample_set s;
    rk_error err = {{0}};
    rk_mp m;
    cr_assert_eq(samples_draw(f, 5, STREAM_TEST, M, 0, 0, &s, &err), 0, "%s", err.text);
    cr_assert_eq(rk_mp_init(&m, f, t, 160, &err), 0, "%s", err.text);
    double h[N], e[N], floor = INFINITY;
    for (int k = 0; k < N; k++) {
        unsigned long n = 4ul << k;
        double logs = 0;
        for (int i = 0; i < M; i++)
            logs += log(rk_mp_global_error(&m, s.p + i * f->nparam, s.y0 + i * f->dim, f->horizon, n));
        h[k] = f->horizon / (double)n;
        e[k] = exp(logs / M);
        floor = fmin(floor, e[k]);
    }
    rk_mp_clear(&m);
    samples_free(&s);
    int used = 0;
    while (used < N && e[used] >= 100 * floor)
        used++;
    cr_assert_geq(used, 3, "too few steps above the rounding floor to fit an order");
    return fit_slope(h, e, used);
}

/* Issue target 2: square, 4 stages, family order 6 reaches an observed
 * order of at least 5.7, from every seed tried (the paper's algorithm
 * did not converge from seed 1). */
Test(learn, square_four_stages_family_order_six, .timeout = 300)
{
    rk_family *f = example_family("square");
    for (unsigned seed = 1; seed <= 3; seed++) {
        learn_config c;
        learn_defaults(&c);
        c.stages = 4;
        c.order = 6;
        c.family_order = 6;
        c.seed = seed;
        c.samples = 1000;
        c.val_samples = 200;
        rk_tableau *t = learn(f, &c);
        double s = observed_order(f, t);
        cr_expect_geq(s, 5.7, "seed %u: observed order %.3f on the square family", seed, s);
        tableau_free(t);
    }
    family_free(f);
}

/* The geometric mean over 11 steps spread evenly in log over [lo, hi]
 * (each dividing the horizon) of the geometric-mean error ratio of t to
 * the classical method over n fresh members (the test stream). */
static double decade_ratio(const rk_family *f, const rk_tableau *t, const char *classical,
                           double lo, double hi, int n)
{
    rk_tableau *ct = tableau_builtin(classical);
    double *e = malloc((size_t)n * sizeof *e), *ec = malloc((size_t)n * sizeof *ec), logs = 0;
    rk_error err = {{0}};
    for (int i = 0; i < 11; i++) {
        double h = lo * pow(hi / lo, i / 10.0);
        h = f->horizon / round(f->horizon / h);
        sample_set s;
        cr_assert_eq(samples_draw(f, 7, STREAM_TEST, n, h, 0, &s, &err), 0, "%s", err.text);
        measure_engine(f, t, &s, e);
        measure_engine(f, ct, &s, ec);
        logs += log(geomean_ratio(e, ec, n));
        samples_free(&s);
    }
    free(e);
    free(ec);
    tableau_free(ct);
    return exp(logs / 11);
}

/* Van der Pol, 3 stages, the defaults: the order kept, at most 0.3 times
 * kutta3's error (the best classical 3-stage method there) in the range
 * and one decade below it. */
Test(learn, vanderpol_default_beats_kutta3_in_and_below_the_range, .timeout = 600)
{
    rk_family *f = example_family("vanderpol");
    learn_config c;
    learn_defaults(&c);
    rk_tableau *t = learn(f, &c);
    double in = decade_ratio(f, t, "kutta3", 0.01, 0.1, 400);
    double below = decade_ratio(f, t, "kutta3", 0.001, 0.01, 400);
    cr_expect_leq(in, 0.3, "in range: %.3f x kutta3's error", in);
    cr_expect_leq(below, 0.3, "a decade below: %.3f x kutta3's error", below);
    tableau_free(t);
    family_free(f);
}

/* --keep-order 3: every order condition up to 3 holds to rounding. */
Test(learn, keep_order_holds_exactly, .timeout = 120)
{
    rk_family *f = example_family("vanderpol");
    learn_config c;
    learn_defaults(&c);
    c.keep_order = 3;
    c.samples = 200;
    c.val_samples = 100;
    c.restarts = 0;
    c.screen = 8;
    rk_tableau *t = learn(f, &c);
    rk_forest fo;
    cr_assert_eq(forest_init(&fo, 3), 0);
    double phi[8], work[2 * 3 * 8];
    forest_phi(&fo, 3, t->A, t->b, work, phi);
    for (int k = 0; k < fo.n; k++)
        cr_expect(fabs(phi[k] * fo.tree[k].gamma - 1) < 1e-13, "tree %d: gamma*Phi - 1 = %g", k,
                  phi[k] * fo.tree[k].gamma - 1);
    forest_free(&fo);
    tableau_free(t);
    family_free(f);
}

/* Squares of the rows of order q. */
static double reg_order_sum(const taylor_reg *r, const double *res, int q)
{
    double s = 0;
    for (int j = taylor_reg_first_row(r, q); j < taylor_reg_first_row(r, q + 1); j++)
        s += res[j] * res[j];
    return s;
}

/* The regularizer is the B-series of the local error: kutta3 has order 3,
 * so on Van der Pol its orders 1-3 vanish and order 4 does not.  Its
 * rows are a compressed equivalent, so the sum of squares per order is
 * checked against the local error computed directly from the stages in
 * MPFR series arithmetic (localerr.h), member by member. */
Test(learn, taylor_regularizer_is_the_local_error)
{
    rk_family *f = example_family("vanderpol");
    sample_set s;
    rk_error err = {{0}};
    int n = 20, Q = 4, d = 2;
    cr_assert_eq(samples_draw(f, 2, STREAM_TRAIN, n, 0, 1, &s, &err), 0, "%s", err.text);
    taylor_reg r;
    cr_assert_eq(taylor_reg_init(&r, f, &s, 3, Q, &err), 0, "%s", err.text);
    cr_assert_leq(taylor_reg_nres(&r), 1 + 1 + 2 + 4, "at most one row per tree");
    rk_tableau *kutta = tableau_builtin("kutta3");
    double th[6] = {0.5, -1, 2, 1.0 / 6, 2.0 / 3, 1.0 / 6}, res[8];
    taylor_reg_eval(&r, th, res, NULL);
    for (int q = 1; q < Q; q++)
        cr_expect_lt(reg_order_sum(&r, res, q), 1e-24, "order %d of kutta3's local error", q);

    rk_tabmp m;
    rk_lerr L;
    cr_assert_eq(tabmp_init(&m, kutta, 128, &err), 0, "%s", err.text);
    cr_assert_eq(lerr_init(&L, f, 3, Q, 128), 0);
    mpfr_t e[2 * 4 * 2];
    for (int k = 0; k < 2 * Q * d; k++)
        mpfr_init2(e[k], 128);
    double direct = 0;
    for (int i = 0; i < n; i++) {
        cr_assert_eq(lerr_member(&L, s.p + i * f->nparam, s.y0 + i * d), 0);
        cr_assert_eq(lerr_eval(&L, m.A, m.b, m.c, e, e + Q * d), 0);
        double num = 0, den = 0;
        for (int k = 0; k < d; k++) {
            double a = mpfr_get_d(e[(Q - 1) * d + k], MPFR_RNDN);
            double b = mpfr_get_d(e[Q * d + (Q - 1) * d + k], MPFR_RNDN);
            num += a * a;
            den += b * b;
        }
        direct += num / den;
    }
    double got = reg_order_sum(&r, res, Q);
    cr_expect_gt(direct, 1e-3);
    cr_expect_lt(fabs(got - direct), 1e-10 * direct, "order %d: rows %.17g, direct %.17g", Q, got, direct);
    for (int k = 0; k < 2 * Q * d; k++)
        mpfr_clear(e[k]);
    lerr_clear(&L);
    tabmp_clear(&m);
    tableau_free(kutta);
    taylor_reg_free(&r);
    samples_free(&s);
    family_free(f);
}

/* The regularizer's Jacobian is exact (checked here against central
 * differences; training never uses them). */
Test(learn, taylor_regularizer_gradient)
{
    rk_family *f = example_family("brusselator");
    sample_set s;
    rk_error err = {{0}};
    cr_assert_eq(samples_draw(f, 4, STREAM_TRAIN, 5, 0, 1, &s, &err), 0, "%s", err.text);
    taylor_reg r;
    cr_assert_eq(taylor_reg_init(&r, f, &s, 3, 4, &err), 0, "%s", err.text);
    int R = taylor_reg_nres(&r), P = 6;
    double th[6] = {0.3, 0.1, 0.6, 0.2, 0.5, 0.3};
    double *res = malloc((size_t)R * sizeof *res), *rp = malloc((size_t)R * sizeof *rp);
    double *rm = malloc((size_t)R * sizeof *rm), *J = malloc((size_t)R * P * sizeof *J);
    taylor_reg_eval(&r, th, res, J);
    double worst = 0;
    for (int p = 0; p < P; p++) {
        double keep = th[p], e = 1e-6;
        th[p] = keep + e;
        taylor_reg_eval(&r, th, rp, NULL);
        th[p] = keep - e;
        taylor_reg_eval(&r, th, rm, NULL);
        th[p] = keep;
        for (int i = 0; i < R; i++)
            worst = fmax(worst, fabs((rp[i] - rm[i]) / (2 * e) - J[(size_t)i * P + p]) /
                                    fmax(1, fabs(J[(size_t)i * P + p])));
    }
    cr_expect_lt(worst, 1e-6);
    free(res); free(rp); free(rm); free(J);
    taylor_reg_free(&r);
    samples_free(&s);
    family_free(f);
}

/* On fresh members (the test stream: neither trained nor validated on),
 * the learned 3-stage method beats every classical 3-stage method on
 * the linear family (by its error constant, not by order) and on
 * Brusselator. */
static void beats_classical(const char *name, double best_ratio)
{
    rk_family *f = example_family(name);
    learn_config c;
    learn_defaults(&c);
    /* on the linear family every 3-stage order-3 method gives the same
     * numbers: only a traded order can win there */
    c.trade_order = 1;
    c.samples = 600;
    c.val_samples = 200;
    rk_tableau *t = learn(f, &c);
    sample_set s;
    rk_error err = {{0}};
    cr_assert_eq(samples_draw(f, 99, STREAM_TEST, 300, 0, 1, &s, &err), 0, "%s", err.text);
    double *e = malloc(300 * sizeof *e), *ec = malloc(300 * sizeof *ec);
    measure_engine(f, t, &s, e);
    const char *names[8];
    int n = catalog_methods(3, 1, names, 8);
    for (int k = 0; k < n; k++) {
        rk_tableau *ct = tableau_builtin(names[k]);
        measure_engine(f, ct, &s, ec);
        double r = geomean_ratio(e, ec, s.n);
        cr_expect_lt(r, best_ratio, "%s: learned / %s = %.3f on fresh members", name, names[k], r);
        tableau_free(ct);
    }
    free(e);
    free(ec);
    samples_free(&s);
    tableau_free(t);
    family_free(f);
}

Test(learn, linear_beats_classical, .timeout = 120) { beats_classical("linear", 0.9); }
Test(learn, brusselator_beats_classical, .timeout = 300) { beats_classical("brusselator", 0.9); }

/* A quick run on the square family: 2 stages, few members and starts. */
static void small_square(learn_config *c)
{
    learn_defaults(c);
    c->stages = 2;
    c->order = 2;
    c->samples = 200;
    c->val_samples = 50;
    c->fresh_samples = 50;
    c->restarts = 1;
    c->screen = 6;
}

/* Same inputs and seed, the same tableau and metadata, byte for byte. */
Test(learn, deterministic, .timeout = 120)
{
    rk_family *f = example_family("square");
    learn_config c;
    small_square(&c);
    rk_tableau *a = learn(f, &c), *b = learn(f, &c);
    char *ja = tableau_to_json(a), *jb = tableau_to_json(b);
    cr_expect_str_eq(ja, jb);
    free(ja);
    free(jb);
    tableau_free(a);
    tableau_free(b);
    family_free(f);
}

/* --ratio-lim ends the run, not only the start that reached it: with a
 * limit every start reaches, one start is trained; without, all are. */
Test(learn, ratio_lim_stops_the_whole_run, .timeout = 120)
{
    rk_family *f = example_family("square");
    learn_config c;
    small_square(&c);
    c.restarts = 2;
    c.quiet = 1;
    for (int k = 0; k < 2; k++) {
        rk_tableau *t = NULL;
        learn_metrics m;
        rk_error err = {{0}};
        c.ratio_lim = k == 0 ? 1e9 : 0;
        cr_assert_eq(learn_run(f, &c, &t, &m, &err), 0, "%s", err.text);
        cr_expect_eq(m.starts, k == 0 ? 1 : 3, "ratio-lim %g: %d starts trained", c.ratio_lim, m.starts);
        tableau_free(t);
    }
    family_free(f);
}

/* Members are split over threads (parallel.h): any count gives the same
 * bits.  Enough members that every split really happens (the objective
 * splits above 256 members per part). */
Test(learn, same_bits_for_any_thread_count, .timeout = 120)
{
    rk_family *f = example_family("vanderpol");
    learn_config c;
    learn_defaults(&c);
    c.stages = 3;
    c.samples = 800;
    c.val_samples = 100;
    c.iters = 4;
    c.restarts = 0;
    c.screen = 2;
    char *json[3];
    const char *threads[3] = {"1", "2", "3"};
    for (int k = 0; k < 3; k++) {
        cr_assert_eq(setenv("RKGEN_THREADS", threads[k], 1), 0);
        rk_tableau *t = learn(f, &c);
        json[k] = tableau_to_json(t);
        tableau_free(t);
    }
    unsetenv("RKGEN_THREADS");
    cr_expect_str_eq(json[0], json[1]);
    cr_expect_str_eq(json[0], json[2]);
    for (int k = 0; k < 3; k++)
        free(json[k]);
    family_free(f);
}

/* survival.h on a known answer: Euler on y' = -a y multiplies by 1 - h a
 * each step, so over 1000 time units at h = 0.5 (2000 steps) it blows
 * up on the members with |1 - h a| > 1 (a in (4, 5]) and on no other.
 * Those just above 1 may stay below the bound: they are left out. */
Test(learn, survival_counts_the_unstable_members)
{
    rk_family *f = example_family("linear");
    sample_set s;
    rk_error err = {{0}};
    cr_assert_eq(samples_draw(f, 3, STREAM_TEST, 200, 0.5, 0, &s, &err), 0, "%s", err.text);
    rk_tableau *euler = tableau_builtin("euler");
    int must, may;
    euler_unstable(s.p, s.n, 0.5, &must, &may);
    cr_assert_gt(must, 10);
    cr_assert_lt(must + may, s.n - 10);
    int got = survival_blowups(f, euler, &s, 0, 1000, 0);
    cr_expect(got >= must && got <= must + may, "%d blow up; %d must, %d more may", got, must, may);
    /* the first 50 only */
    cr_expect_leq(survival_blowups(f, euler, &s, 50, 1000, 0), got);
    tableau_free(euler);
    samples_free(&s);
    family_free(f);
}

/* survival_lost on the same known answer: Euler's solution grows by
 * g = |1 - h a| a step, so it leaves the bound B = 1e6 (1 + |y|) at the
 * first step k with g^k |y| > B, which is seen at the end of its chunk
 * of 8 steps; the part of the 2000 steps after that chunk began is
 * lost.  With every member at h = 0.1 (g < 1) nothing is lost. */
Test(learn, survival_lost_is_the_span_after_the_escape)
{
    rk_family *f = example_family("linear");
    sample_set s;
    rk_error err = {{0}};
    cr_assert_eq(samples_draw(f, 3, STREAM_TEST, 200, 0.5, 0, &s, &err), 0, "%s", err.text);
    rk_tableau *euler = tableau_builtin("euler");
    double want = 0;
    int escaping = 0;
    for (int i = 0; i < s.n; i++) {
        double g = fabs(1 - 0.5 * s.p[i]), y = fabs(s.yT[i]), bound = SURVIVAL_BOUND * (1 + y);
        int k = 0;
        while (k < 2000 && !(y > bound)) {
            y *= g;
            k++;
        }
        if (y > bound) {
            want += (2000.0 - 8 * ((k - 1) / 8)) / 2000.0;
            escaping++;
        }
    }
    cr_assert_gt(escaping, 10);
    double got = survival_lost(f, euler, &s, 0, 1000, 0);
    /* an escape a step earlier or later moves one chunk: 8/2000 */
    cr_expect(fabs(got - want) <= 0.004 * escaping + 1e-9, "lost %.6f, want %.6f", got, want);
    cr_expect_eq(survival_lost(f, euler, &s, 0, 1000, 0.1), 0.0);
    cr_expect_eq(survival_blowups(f, euler, &s, 0, 1000, 0.1), 0);
    tableau_free(euler);
    samples_free(&s);
    family_free(f);
}

/* es_minimise on scores with known minima: a sum of |q_k - t_k| (no
 * gradient at the minimum) is brought close to 0 within the budget, the
 * same seed retraces the same path, and a score that reaches 0 ends the
 * search at once. */
static double l1_score(void *ctx, const double *q)
{
    int *calls = ctx;
    double s = 0;
    ++*calls;
    for (int k = 0; k < 4; k++)
        s += fabs(q[k] - 0.1 * (k + 1));
    return s;
}

static double zero_near_origin(void *ctx, const double *q)
{
    int *calls = ctx;
    ++*calls;
    return fmax(0, fabs(q[0]) + fabs(q[1]) - 0.5);
}

Test(learn, evolution_strategy_minimises_without_a_gradient)
{
    double q[4] = {0}, r[4] = {0};
    int calls = 0;
    double got = es_minimise(4, q, l1_score, &calls, 3000, 7, NULL);
    cr_expect_lt(got, 0.02);
    cr_expect_leq(calls, 3000);
    for (int k = 0; k < 4; k++)
        cr_expect_lt(fabs(q[k] - 0.1 * (k + 1)), 0.02, "q[%d] = %g", k, q[k]);
    cr_expect_float_eq(l1_score(&calls, q), got, 0);
    calls = 0;
    es_minimise(4, r, l1_score, &calls, 3000, 7, NULL);
    cr_expect_arr_eq(q, r, sizeof q);
    double p[2] = {1, 1};
    calls = 0;
    cr_expect_eq(es_minimise(2, p, zero_near_origin, &calls, 100000, 1, NULL), 0.0);
    cr_expect_lt(calls, 100000);
    cr_expect_leq(fabs(p[0]) + fabs(p[1]), 0.5);
}

/* Blow-ups of t over 100 time units at step h from n fresh Lorenz
 * members' states after one time unit (on or near the attractor). */
static int lorenz_blowups(const rk_family *f, const rk_tableau *t, double h, int n)
{
    sample_set s;
    rk_error err = {{0}};
    cr_assert_eq(samples_draw(f, 11, STREAM_TEST, n, h, 0, &s, &err), 0, "%s", err.text);
    int b = survival_blowups(f, t, &s, 0, 100, 0);
    samples_free(&s);
    return b;
}

/* Issue target 7 (paper 001): a 4-stage method trained for Lorenz-63 at
 * h in [0.1, 0.19] with --survive blows up less often than rk4 over 100
 * time units at h = 0.18 and at h = 0.15 (where rk4 starts to), and has
 * a wider stability interval along the real or imaginary axis. */
Test(learn, lorenz_survives_where_rk4_blows_up, .timeout = 900)
{
    rk_family *f = example_family("lorenz63");
    learn_config c;
    learn_defaults(&c);
    c.stages = 4;
    c.order = 4;
    /* a method for large steps only: it gives up its order (the search
     * moves off every order manifold) */
    c.trade_order = 1;
    c.train_below = 0;
    c.survive = 100;
    c.screen = 2000;
    c.samples = 300;
    c.val_samples = 300;
    /* a small survival search, for the sanitizer builds' sake */
    c.survive_starts = 4;
    c.survive_search = 300;
    rk_tableau *t = learn(f, &c), *rk4 = tableau_builtin("rk4");
    int n = 100;
    int l18 = lorenz_blowups(f, t, 0.18, n), r18 = lorenz_blowups(f, rk4, 0.18, n);
    int l15 = lorenz_blowups(f, t, 0.15, n), r15 = lorenz_blowups(f, rk4, 0.15, n);
    /* a smaller search than examples/learn's (docs/RESULTS.md), so the
     * margins here are looser than the results there */
    cr_expect_lt(4 * l18, 3 * r18, "h = 0.18: learned blows up on %d of %d, rk4 on %d", l18, n, r18);
    cr_expect_lt(2 * l15, r15, "h = 0.15: learned blows up on %d of %d, rk4 on %d", l15, n, r15);
    rk_tabmp ml, mr;
    rk_stability sl, sr;
    rk_error err = {{0}};
    cr_assert_eq(tabmp_init(&ml, t, 128, &err), 0, "%s", err.text);
    cr_assert_eq(tabmp_init(&mr, rk4, 128, &err), 0, "%s", err.text);
    cr_assert_eq(stability_analyse(&ml, &sl), 0);
    cr_assert_eq(stability_analyse(&mr, &sr), 0);
    cr_expect(sl.real > sr.real || sl.imag > sr.imag, "intervals: learned real %.3f imag %.3f, rk4 %.3f %.3f",
              sl.real, sl.imag, sr.real, sr.imag);
    tabmp_clear(&ml);
    tabmp_clear(&mr);
    tableau_free(rk4);
    tableau_free(t);
    family_free(f);
}
