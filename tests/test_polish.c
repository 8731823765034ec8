/* test_polish.c - Gauss-Newton onto order conditions, and its output. */
#include <criterion/criterion.h>

#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"
#include "orders.h"
#include "parse.h"
#include "polish.h"
#include "support.h"
#include "tableau.h"
#include "tableau_mp.h"
#include "trees.h"

static rk_order_check check(const rk_tableau *t, int max_order, mpfr_prec_t prec)
{
    rk_error err = {{0}};
    rk_tabmp m;
    rk_forest f;
    rk_order_check c;
    cr_assert_eq(tabmp_init(&m, t, prec, &err), 0, "%s", err.text);
    cr_assert_eq(forest_init(&f, max_order), 0);
    cr_assert_eq(orders_check(&f, &m, &c, &err), 0);
    forest_free(&f);
    tabmp_clear(&m);
    return c;
}

/* A built-in with its exact texts dropped and, if jitter > 0, every free
 * coefficient moved by about jitter: a stand-in for a learned tableau. */
static rk_tableau *learned(const char *name, double jitter)
{
    rk_tableau *t = tableau_builtin(name);
    int s = t->s;
    for (int k = 0; k < s * s + 2 * s; k++) {
        free(t->exact[k]);
        t->exact[k] = NULL;
    }
    for (int i = 0; i < s; i++) {
        t->c[i] = 0;
        for (int j = 0; j < i; j++) {
            t->A[i * s + j] += jitter * ((i * 7 + j * 3) % 5 - 2);
            t->c[i] += t->A[i * s + j];
        }
        t->b[i] += jitter * (i % 2 ? 1 : -1) * (s % 2 && i == s - 1 ? 0 : 1);
    }
    return t;
}

static rk_polish_opts opts(int order, mpfr_prec_t prec)
{
    rk_polish_opts o = {order, NULL, 0, 0, 1, prec, 0, 0};
    return o;
}

Test(polish, doubles_of_rk4_become_exact)
{
    rk_tableau *t = learned("rk4", 0);
    rk_polish_opts o = opts(4, 256);
    rk_polish_result r;
    rk_error err = {{0}};
    cr_assert_eq(rk_polish(t, &o, &r, &err), 0, "%s", err.text);
    cr_expect_lt(r.max_moved, 1e-16);
    cr_expect_lt(r.residual, ldexp(1, 20 - 256));
    rk_order_check c = check(r.t, 6, 256);
    cr_expect_eq(c.exact_order, 4);
    cr_expect_eq(c.rowsum, RK_EXACT);
    orders_free(&c);
    /* the doubles are the correct rounding of the texts */
    for (int i = 0; i < r.t->s; i++) {
        double v;
        cr_assert_eq(ex_const_eval(r.t->exact[r.t->s * r.t->s + i], &v, &err), 0);
        cr_expect_eq(v, r.t->b[i]);
        cr_expect_eq(v, tableau_builtin("rk4")->b[i]);
    }
    rk_polish_result_free(&r);
    tableau_free(t);
}

Test(polish, a_perturbed_tableau_goes_back_onto_the_conditions)
{
    rk_tableau *t = learned("ralston3", 1e-6);
    rk_order_check c0 = check(t, 4, 256);
    cr_expect_eq(c0.order, 1, "the jitter breaks order 2");
    orders_free(&c0);
    rk_polish_opts o = opts(3, 256);
    rk_polish_result r;
    rk_error err = {{0}};
    cr_assert_eq(rk_polish(t, &o, &r, &err), 0, "%s", err.text);
    cr_expect(r.max_moved > 1e-8 && r.max_moved < 1e-5, "moved %g", r.max_moved);
    rk_order_check c = check(r.t, 5, 256);
    cr_expect_eq(c.exact_order, 3);
    orders_free(&c);
    /* round trip through the JSON writer and reader */
    char *json = tableau_to_json(r.t);
    rk_tableau *u = tableau_parse_json("polished.json", json, strlen(json), &err);
    cr_assert_not_null(u, "%s", err.text);
    c = check(u, 5, 256);
    cr_expect_eq(c.exact_order, 3);
    orders_free(&c);
    tableau_free(u);
    free(json);
    rk_polish_result_free(&r);
    tableau_free(t);
}

Test(polish, high_precision_texts_stay_exact_and_lower_ones_round)
{
    rk_tableau *t = learned("kutta3", 1e-7);
    rk_polish_opts o = opts(3, 1024);
    rk_polish_result r;
    rk_error err = {{0}};
    cr_assert_eq(rk_polish(t, &o, &r, &err), 0, "%s", err.text);
    rk_order_check c = check(r.t, 4, 1024);
    cr_expect_eq(c.exact_order, 3, "exact at 1024 bits");
    orders_free(&c);
    rk_polish_result_free(&r);
    o.prec = 256;
    cr_assert_eq(rk_polish(t, &o, &r, &err), 0, "%s", err.text);
    c = check(r.t, 4, 1024);
    cr_expect_eq(c.order, 3, "256-bit texts checked at 1024 bits still hold");
    cr_expect_lt(c.exact_order, 3, "... to their rounding, not all exactly");
    orders_free(&c);
    rk_polish_result_free(&r);
    tableau_free(t);
}

Test(polish, square_family_order_3_from_heun)
{
    rk_error err = {{0}};
    rk_family *f = family_load(src_path("examples/square.ode"), &err);
    cr_assert_not_null(f, "%s", err.text);
    rk_tableau *t = tableau_builtin("heun");
    rk_polish_opts o = {2, f, 3, 8, 1, 256, 0, 0};
    rk_polish_result r;
    cr_assert_eq(rk_polish(t, &o, &r, &err), 0, "%s", err.text);
    /* paper 000, eq. 35: a21 = 2, b = (3/4, 1/4) */
    cr_expect_eq(r.t->A[2], 2.0);
    cr_expect_eq(r.t->b[0], 0.75);
    cr_expect_eq(r.t->b[1], 0.25);
    rk_polish_result_free(&r);
    tableau_free(t);
    family_free(f);
}

Test(polish, impossible_orders_are_refused)
{
    rk_error err = {{0}};
    rk_tableau *t = tableau_builtin("rk4");
    rk_polish_opts o = opts(5, 256);
    rk_polish_result r;
    cr_expect_eq(rk_polish(t, &o, &r, &err), -1);
    cr_expect(strstr(err.text, "at least 6") != NULL, "%s", err.text);
    cr_expect_null(r.t);
    rk_family *f = family_load(src_path("examples/vanderpol.ode"), &err);
    rk_polish_opts of = {4, f, 5, 8, 1, 256, 0, 20};
    cr_expect_eq(rk_polish(t, &of, &r, &err), -1);
    cr_expect(strstr(err.text, "cannot be met") != NULL, "%s", err.text);
    family_free(f);
    tableau_free(t);
}

Test(polish, decimal_texts_read_back_to_the_same_value)
{
    static const long precs[] = {53, 256, 1000, 4000};
    rk_error err = {{0}};
    for (size_t k = 0; k < sizeof precs / sizeof precs[0]; k++) {
        mpfr_t x, y;
        mpfr_inits2(precs[k], x, y, (mpfr_ptr)0);
        static const char *const values[] = {"-1/7", "2/3e-9", "sqrt(2)*1e12", "1/4", "-3"};
        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
            cr_assert_eq(ex_const_eval_mp(values[v], x, &err), 0, "%s", err.text);
            char *text = polish_decimal(x, precs[k]);
            cr_assert_not_null(text);
            cr_assert_eq(ex_const_eval_mp(text, y, &err), 0, "%s: %s", text, err.text);
            mpfr_sub(y, y, x, MPFR_RNDN);
            mpfr_div(y, y, x, MPFR_RNDN);
            /* one literal reads back exactly; a sum of parts to a few ulps */
            cr_expect(mpfr_zero_p(y) || mpfr_get_exp(y) < 4 - precs[k],
                      "%ld bits, %s: %s", precs[k], values[v], text);
            free(text);
        }
        mpfr_clears(x, y, (mpfr_ptr)0);
    }
}
