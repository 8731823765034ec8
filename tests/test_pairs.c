/* test_pairs.c - embedded pairs in MPFR: both orders, FSAL, stability of
 * both methods and the KCL error-estimator measures, on pairs whose
 * answers are known. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "orders.h"
#include "pair.h"
#include "stability.h"
#include "support.h"
#include "tableau.h"
#include "tableau_mp.h"
#include "trees.h"

/* Everything check computes for a pair, trees to order 8 at 256 bits. */
typedef struct analysis {
    rk_tableau *t;
    rk_tabmp m;
    rk_forest f;
    rk_order_check oc;
    rk_stability st;
    rk_pair_check pc;
} analysis;

/* The main method's check, trees to max_order; the pair's is left to
 * the caller. */
static void prepare(analysis *a, const char *spec, int max_order)
{
    rk_error err = {{0}};
    memset(a, 0, sizeof *a);
    a->t = tableau_resolve(spec, &err);
    cr_assert_not_null(a->t, "%s: %s", spec, err.text);
    cr_assert_eq(tabmp_init(&a->m, a->t, 256, &err), 0, "%s", err.text);
    cr_assert_eq(forest_init(&a->f, max_order), 0);
    cr_assert_eq(orders_check(&a->f, &a->m, &a->oc, &err), 0, "%s", err.text);
    cr_assert_eq(stability_analyse(&a->m, &a->st), 0);
}

static void analyse(analysis *a, const char *spec)
{
    rk_error err = {{0}};
    prepare(a, spec, 8);
    cr_assert_eq(pair_check(&a->f, &a->m, &a->oc, &a->pc, &err), 0, "%s", err.text);
}

static void release(analysis *a)
{
    pair_free(&a->pc);
    orders_free(&a->oc);
    forest_free(&a->f);
    tabmp_clear(&a->m);
    tableau_free(a->t);
}

/* x printed with the digits of want's literal agrees with it. */
static void expect_printed(double x, double want, double half_unit, const char *what)
{
    cr_expect(fabs(x - want) <= half_unit, "%s = %.6g, want %g", what, x, want);
}

Test(pairs, builtins_have_their_orders_from_the_trees)
{
    static const struct {
        const char *name;
        int main, embedded, fsal;
    } known[] = {{"bs3", 3, 2, 1},      {"dopri5", 5, 4, 1}, {"tsit5", 5, 4, 1},
                 {"cashkarp", 5, 4, 0}, {"fehlberg45", 4, 5, 0}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        analysis a;
        analyse(&a, known[i].name);
        cr_expect_eq(a.oc.order, known[i].main, "%s main", known[i].name);
        cr_expect_eq(a.pc.emb.order, known[i].embedded, "%s embedded", known[i].name);
        cr_expect_eq(a.t->order, known[i].main, "%s states its main order", known[i].name);
        cr_expect_eq(a.t->embedded_order, known[i].embedded, "%s states it", known[i].name);
        /* the next order fails for both: the orders are not lower bounds */
        cr_expect_eq(a.oc.order_verdict[known[i].main + 1], RK_FAILS, "%s", known[i].name);
        cr_expect_eq(a.pc.emb.order_verdict[known[i].embedded + 1], RK_FAILS, "%s",
                     known[i].name);
        cr_expect_eq(a.t->fsal, known[i].fsal, "%s fsal flag", known[i].name);
        cr_expect_eq(a.pc.fsal == RK_EXACT, known[i].fsal, "%s FSAL in MPFR: %s",
                     known[i].name, verdict_name(a.pc.fsal));
        release(&a);
    }
}

/* The rational pairs hold their orders exactly; tsit5's decimals of 85
 * digits hold them at 256 bits too (they are far more precise than that). */
Test(pairs, rational_pairs_are_exact)
{
    const char *names[] = {"bs3", "dopri5", "cashkarp", "fehlberg45"};
    for (int i = 0; i < 4; i++) {
        analysis a;
        analyse(&a, names[i]);
        cr_expect_eq(a.m.eps, 0, "%s", names[i]);
        cr_expect_eq(a.pc.emb.exact_order, a.pc.emb.order, "%s", names[i]);
        release(&a);
    }
}

/* The table, from an independent implementation that reproduces
 * NodePy's BS5 values, to the digits printed there. */
Test(pairs, kcl_measures_match_the_known_answers)
{
    static const struct {
        const char *name;
        double A, Ahat, B, C, E;
    } known[] = {
        {"dopri5", 3.991e-4, 1.183e-3, 1.542, 1.665, 0.337},
        {"tsit5", 1.385e-4, 1.065e-3, 1.758, 1.777, 0.130},
        {"bs3", 4.181e-2, 2.946e-2, 1.349, 1.377, 1.419},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        analysis a;
        analyse(&a, known[i].name);
        char what[64];
        snprintf(what, sizeof what, "%s A", known[i].name);
        expect_printed(a.pc.A, known[i].A, 0.0005 * pow(10, floor(log10(known[i].A))), what);
        snprintf(what, sizeof what, "%s Ahat", known[i].name);
        expect_printed(a.pc.Ahat, known[i].Ahat,
                       0.0005 * pow(10, floor(log10(known[i].Ahat))), what);
        snprintf(what, sizeof what, "%s B", known[i].name);
        expect_printed(a.pc.B, known[i].B, 0.0005, what);
        snprintf(what, sizeof what, "%s C", known[i].name);
        expect_printed(a.pc.C, known[i].C, 0.0005, what);
        snprintf(what, sizeof what, "%s E", known[i].name);
        expect_printed(a.pc.E, known[i].E, 0.0005, what);
        cr_expect_eq(a.pc.swapped, 0, "%s advances with its higher order", known[i].name);
        /* E is A over Ahat when Q + 2 = P + 1 */
        cr_expect_float_eq(a.pc.E, a.pc.A / a.pc.Ahat, 1e-12, "%s", known[i].name);
        release(&a);
    }
}

/* Fehlberg advances with the order-4 b: as NodePy's Fehlberg45 (whose b
 * is the order-5 vector) the higher order plays the main method. */
Test(pairs, fehlberg_takes_the_roles_by_order)
{
    analysis a;
    analyse(&a, "fehlberg45");
    cr_expect_eq(a.pc.swapped, 1);
    cr_expect_eq(a.pc.P, 5);
    cr_expect_eq(a.pc.Q, 4);
    /* A of the higher method is the principal error norm of bhat */
    cr_expect_float_eq(a.pc.A, a.pc.emb.pen, 1e-15);
    cr_expect_float_eq(a.pc.Ahat, a.oc.pen, 1e-15);
    release(&a);
}

Test(pairs, stability_of_both_methods)
{
    analysis a;
    analyse(&a, "dopri5");
    expect_printed(a.st.real, 3.3066, 0.00005, "dopri5 real");
    cr_expect_gt(a.pc.st.real, a.st.real, "the order-4 weights reach further left");
    release(&a);
    analyse(&a, "bs3");
    expect_printed(a.st.real, 2.5127, 0.00005, "bs3 real");
    /* bhat of order 2 on 4 stages: R has degree 4, not the main's 3 */
    cr_expect_eq(a.st.degree, 3);
    cr_expect_eq(a.pc.st.degree, 4);
    release(&a);
}

/* A coefficient mistyped breaks an order of the pair: the corrupted
 * RKF45 keeps c = A 1 (c5 from the mistyped row) yet fails order 2. */
Test(pairs, a_mistyped_coefficient_breaks_the_orders)
{
    analysis a;
    analyse(&a, src_path("tests/tableaux/rkf45_a53_typo.json"));
    cr_expect_eq(a.t->order, 4);
    cr_expect_lt(a.oc.order, 4, "main order %d", a.oc.order);
    cr_expect_lt(a.pc.emb.order, 5, "embedded order %d", a.pc.emb.order);
    release(&a);
}

Test(pairs, fsal_in_mpfr_sees_what_the_doubles_hide)
{
    rk_error err = {{0}};
    rk_tableau *t = tableau_builtin("bs3");
    /* a text that rounds to the same double as 4/9 but is not 4/9 */
    free(t->exact[4 * 4 + 2]);
    t->exact[4 * 4 + 2] = strdup("4/9 + 1/10^30");
    rk_tabmp m;
    double r;
    cr_assert_eq(tabmp_init(&m, t, 256, &err), 0, "%s", err.text);
    cr_expect_eq(pair_fsal(&m, &r), RK_FAILS);
    cr_expect_float_eq(r, 1e-30, 1e-40);
    tabmp_clear(&m);
    tableau_free(t);
}

Test(pairs, not_a_pair_is_refused)
{
    rk_error err = {{0}};
    analysis a;
    prepare(&a, "rk4", 5);
    cr_expect_null(a.m.bhat);
    cr_expect_eq(pair_check(&a.f, &a.m, &a.oc, &a.pc, &err), -1);
    cr_expect(strstr(err.text, "not a pair") != NULL, "%s", err.text);
    release(&a);
}

/* Trees that stop short of P + 1 leave those measures undefined, not wrong. */
Test(pairs, short_forest_gives_nan)
{
    rk_error err = {{0}};
    analysis a;
    prepare(&a, "dopri5", 5);
    cr_assert_eq(pair_check(&a.f, &a.m, &a.oc, &a.pc, &err), 0, "%s", err.text);
    cr_expect(isnan(a.pc.A) && isnan(a.pc.B) && isnan(a.pc.C) && isnan(a.pc.E));
    cr_expect(!isnan(a.pc.Ahat));
    release(&a);
}

/* The learner's and validate's yardsticks stay the fixed-step classics. */
Test(pairs, catalog_keeps_its_yardsticks)
{
    const char *names[8];
    cr_expect_eq(catalog_methods(7, 1, names, 8), 1);
    cr_expect_str_eq(names[0], "dopri5");
    cr_expect_eq(catalog_methods(6, 1, names, 8), 0);
    cr_expect_eq(catalog_methods(4, 1, names, 8), 3);
    cr_expect_str_eq(catalog_reference(5), "dopri5");
}
