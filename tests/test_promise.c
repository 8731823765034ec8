/* test_promise.c - what rkgen learn promises a user, each on a small case
 * with a known answer: the order asked for holds exactly, an order past
 * the barrier is refused, a family where no method of the order can win
 * gets the best built-in back, and the starts cover the order-3 methods
 * well enough to find the best of them. */
#include <complex.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "learn.h"
#include "manifold.h"
#include "measure.h"
#include "objective.h"
#include "rng.h"
#include "support.h"
#include "trees.h"

static void small(learn_config *c, int s, int p)
{
    learn_defaults(c);
    c->stages = s;
    c->order = p;
    c->samples = 300;
    c->val_samples = 200;
    c->fresh_samples = 100;
    c->train_below = 0;
    c->quiet = 1;
}

/* The largest |gamma_t Phi_t - 1| over the trees of orders 1..p. */
static double order_residual(const rk_tableau *t, int p)
{
    rk_forest fo;
    cr_assert_eq(forest_init(&fo, p), 0);
    double *phi = malloc((size_t)fo.n * sizeof *phi), *work = malloc((size_t)(2 * t->s * fo.n) * sizeof *work);
    forest_phi(&fo, t->s, t->A, t->b, work, phi);
    double worst = 0;
    for (int k = 0; k < fo.n; k++)
        worst = fmax(worst, fabs(phi[k] * fo.tree[k].gamma - 1));
    free(phi);
    free(work);
    forest_free(&fo);
    return worst;
}

/* Butcher's barriers: s stages reach order s up to 4, then 4 with 5, 5
 * with 6, 6 with 7 and 8, 7 with 9 and 10, 8 with 11. */
Test(promise, the_barriers)
{
    static const int reach[] = {0, 1, 2, 3, 4, 4, 5, 6, 6, 7, 7, 8};
    for (int s = 1; s <= 11; s++)
        cr_expect_eq(catalog_max_order(s), reach[s], "%d stages reach order %d, not %d", s, reach[s],
                     catalog_max_order(s));
}

Test(promise, an_order_past_the_barrier_is_bad_input)
{
    learn_config c;
    rk_error err = {{0}};
    small(&c, 3, 4);
    cr_expect_eq(learn_check(&c, &err), 2);
    cr_expect(strstr(err.text, "at most order 3 with 3 stages") != NULL, "%s", err.text);
    small(&c, 5, 5);
    cr_expect_eq(learn_check(&c, &err), 2);
    small(&c, 6, 5);
    cr_expect_eq(learn_check(&c, &err), 0, "%s", err.text);
    /* an order on the family alone is the one exception */
    small(&c, 2, 3);
    c.family_order = 3;
    cr_expect_eq(learn_check(&c, &err), 0, "%s", err.text);
    cr_expect_eq(learn_kept_order(&c), 2, "the classical order kept is what 2 stages reach");
}

/* The default keeps the order asked for, to the last bit after MPFR:
 * the trained method is an exact order-3 method. */
Test(promise, the_order_asked_for_holds, .timeout = 300)
{
    rk_family *f = example_family("vanderpol");
    learn_config c;
    learn_metrics m;
    rk_tableau *t = NULL;
    rk_error err = {{0}};
    small(&c, 3, 3);
    cr_assert_eq(learn_run(f, &c, &t, &m, &err), 0, "%s", err.text);
    cr_expect_eq(m.order_kept, 3);
    cr_expect(m.polished || m.fallback, "the order is made exact");
    cr_expect_lt(order_residual(t, 3), 1e-15, "order 3 holds: %g", order_residual(t, 3));
    cr_expect_gt(order_residual(t, 4), 1e-3, "a 3-stage method cannot have order 4");
    cr_expect(m.observed_order > 2.8, "observed order %.2f", m.observed_order);
    /* the same with 4 stages and order 3: no closed form, random starts
     * projected onto the conditions */
    tableau_free(t);
    small(&c, 4, 3);
    c.screen = 16;
    cr_assert_eq(learn_run(f, &c, &t, &m, &err), 0, "%s", err.text);
    cr_expect_lt(order_residual(t, 3), 1e-15, "order 3 with 4 stages: %g", order_residual(t, 3));
    tableau_free(t);
    family_free(f);
}

/* On y' = -a y every 3-stage method of order 3 has the same stability
 * polynomial 1 + z + z^2/2 + z^3/6, so all give the same numbers: no
 * learned one can beat the best built-in, which must come back as the
 * result, by its name. */
Test(promise, where_nothing_can_win_the_baseline_is_the_result, .timeout = 300)
{
    rk_family *f = example_family("linear");
    learn_config c;
    learn_metrics m;
    rk_tableau *t = NULL;
    rk_error err = {{0}};
    small(&c, 3, 3);
    cr_assert_eq(learn_run(f, &c, &t, &m, &err), 0, "%s", err.text);
    cr_expect_eq(m.fallback, 1, "learned / %s = %.4f [%.4f, %.4f]", m.baseline, m.baseline_ratio,
                 m.baseline_ci[0], m.baseline_ci[1]);
    cr_expect_str_eq(t->name, m.baseline);
    rk_tableau *b = tableau_builtin(m.baseline);
    cr_assert_not_null(b);
    cr_expect_eq(memcmp(t->A, b->A, 9 * sizeof *t->A), 0, "the built-in's coefficients, exactly");
    cr_expect_eq(memcmp(t->b, b->b, 3 * sizeof *t->b), 0);
    tableau_free(b);
    tableau_free(t);
    family_free(f);
}

/* The closed forms are methods of their order, and the complex step
 * gives their derivatives (central differences agree to 1e-6). */
Test(promise, the_closed_forms_have_their_order)
{
    rk_rng rng;
    rng_seed(&rng, 7);
    for (int s = 2; s <= 4; s++) {
        int dim = manifold_dim(s, s), P = s * (s - 1) / 2 + s, tested = 0;
        rk_tableau *t = tableau_new(s);
        for (int k = 0; k < 50; k++) {
            double u[2] = {0.05 + 0.9 * rng_uniform(&rng), 0.05 + 0.9 * rng_uniform(&rng)};
            double th[10], G[20], tp[10], tm[10], gp[20];
            if (manifold_point(s, s, u, t) != 0)
                continue;
            tested++;
            cr_expect_lt(order_residual(t, s), 1e-11, "s = %d at (%g, %g): %g", s, u[0], u[1],
                         order_residual(t, s));
            cr_assert_eq(manifold_theta(s, s, u, th, G), 0);
            for (int d = 0; d < dim; d++) {
                double e = 1e-6, up[2] = {u[0], u[1]}, um[2] = {u[0], u[1]};
                up[d] += e;
                um[d] -= e;
                if (manifold_theta(s, s, up, tp, gp) != 0 || manifold_theta(s, s, um, tm, gp) != 0)
                    continue;
                for (int j = 0; j < P; j++) {
                    double fd = (tp[j] - tm[j]) / (2 * e);
                    cr_expect(fabs(fd - G[j * dim + d]) <= 1e-6 * (1 + fabs(fd)),
                              "s = %d, theta %d, node %d: %g against %g", s, j, d, G[j * dim + d], fd);
                }
            }
        }
        cr_expect_gt(tested, 20);
        tableau_free(t);
    }
    /* the built-ins on the generic branch give back their nodes; rk4's
     * c2 = c3 = 1/2 is a special branch */
    double u[2];
    rk_tableau *k3 = tableau_builtin("kutta3"), *r4 = tableau_builtin("rk4"), *r38 = tableau_builtin("rk38");
    cr_expect_eq(manifold_nodes(3, 3, k3, u), 0);
    cr_expect(u[0] == 0.5 && u[1] == 1);
    cr_expect_eq(manifold_nodes(4, 4, r38, u), 0);
    cr_expect_eq(manifold_nodes(4, 4, r4, u), -1);
    tableau_free(k3);
    tableau_free(r4);
    tableau_free(r38);
}

/* geometric mean of t's errors on s */
static double gm_error(const rk_family *f, const rk_tableau *t, const sample_set *s, double *e)
{
    measure_engine(f, t, s, e);
    double l = 0;
    for (int i = 0; i < s->n; i++)
        l += isfinite(e[i]) ? log(e[i]) : 50;
    return exp(l / s->n);
}

/* The search's coverage: learn comes within 5% of the best of a dense
 * grid over all 3-stage order-3 methods, both judged on the same 500
 * fresh members (the test stream, which learn never sees), on Van der
 * Pol and on two corpus families. */
static void covers(const char *rel)
{
    rk_error err = {{0}};
    rk_family *f = family_load(src_path(rel), &err);
    cr_assert_not_null(f, "%s", err.text);
    learn_config c;
    learn_metrics m;
    rk_tableau *t = NULL;
    small(&c, 3, 3);
    c.samples = 1500;
    c.val_samples = 500;
    cr_assert_eq(learn_run(f, &c, &t, &m, &err), 0, "%s", err.text);
    sample_set s;
    cr_assert_eq(samples_draw(f, c.seed, STREAM_TEST, 500, 0, 0, &s, &err), 0, "%s", err.text);
    double *e = malloc((size_t)s.n * sizeof *e), best = INFINITY, bu[2] = {0};
    double learned = gm_error(f, t, &s, e);
    rk_tableau *g = tableau_new(3);
    /* a 24 x 24 grid over (0, 1]^2, then a 17 x 17 one over the cells
     * around its best: as fine as a 192 x 192 grid there */
    for (int level = 0; level < 2; level++) {
        double lo[2] = {1 / 24.0, 1 / 24.0}, step = 1 / 24.0;
        int n = 24;
        if (level == 1) {
            lo[0] = bu[0] - 1 / 24.0;
            lo[1] = bu[1] - 1 / 24.0;
            step = 1 / 192.0;
            n = 17;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double u[2] = {lo[0] + i * step, lo[1] + j * step};
                if (manifold_point(3, 3, u, g) != 0)
                    continue;
                double v = gm_error(f, g, &s, e);
                if (v < best) {
                    best = v;
                    bu[0] = u[0];
                    bu[1] = u[1];
                }
            }
    }
    cr_log_info("%s: learned / the grid's best = %.4f", rel, learned / best);
    cr_expect_leq(learned, 1.05 * best, "%s: learned %.4g, the grid's best %.4g at c2 = %g, c3 = %g", rel,
                  learned, best, bu[0], bu[1]);
    tableau_free(g);
    free(e);
    samples_free(&s);
    tableau_free(t);
    family_free(f);
}

Test(promise, the_search_finds_the_best_order_three_method, .timeout = 600)
{
    covers("examples/vanderpol.ode");
}

Test(promise, the_search_finds_the_best_on_corpus_families, .timeout = 600)
{
    covers("examples/corpus/kepler.ode");
    covers("examples/corpus/lotka_volterra.ode");
}
