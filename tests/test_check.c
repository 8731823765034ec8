/* test_check.c - classical order, family order, error constants and
 * stability on methods whose answers are known. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"
#include "localerr.h"
#include "orders.h"
#include "stability.h"
#include "support.h"
#include "tableau.h"
#include "tableau_mp.h"
#include "trees.h"

static rk_tableau *load(const char *spec)
{
    rk_error err = {{0}};
    rk_tableau *t = tableau_resolve(spec, &err);
    cr_assert_not_null(t, "%s: %s", spec, err.text);
    return t;
}

static rk_tableau *literature(const char *file)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/tableaux/%s", file);
    return load(src_path(rel));
}

/* The classical check of t with trees to max_order at prec bits. */
static rk_order_check check(const rk_tableau *t, int max_order, mpfr_prec_t prec)
{
    rk_error err = {{0}};
    rk_tabmp m;
    rk_forest f;
    rk_order_check c;
    cr_assert_eq(tabmp_init(&m, t, prec, &err), 0, "%s", err.text);
    cr_assert_eq(forest_init(&f, max_order), 0);
    cr_assert_eq(orders_check(&f, &m, &c, &err), 0, "%s", err.text);
    forest_free(&f);
    tabmp_clear(&m);
    return c;
}

static void expect_order(rk_tableau *t, int order, int max_order)
{
    rk_order_check c = check(t, max_order, 256);
    cr_expect_eq(c.order, order, "%s: order %d, want %d", t->name, c.order, order);
    cr_expect_eq(c.exact_order, order, "%s: exactly", t->name);
    cr_expect_eq(c.rowsum, RK_EXACT, "%s: c = A 1", t->name);
    for (int q = order + 1; q <= max_order; q++)
        cr_expect_eq(c.order_verdict[q], RK_FAILS, "%s: order %d fails", t->name, q);
    orders_free(&c);
    tableau_free(t);
}

Test(check, builtins_have_their_known_orders)
{
    static const struct {
        const char *name;
        int order;
    } known[] = {{"euler", 1},  {"heun", 2},   {"midpoint", 2}, {"ralston", 2},
                 {"kutta3", 3}, {"heun3", 3},  {"ssprk3", 3},   {"ralston3", 3},
                 {"rk4", 4},    {"rk38", 4},   {"ralston4", 4}, {"dopri5", 5}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        expect_order(load(known[i].name), known[i].order, 8);
}

Test(check, literature_methods_have_their_known_orders)
{
    expect_order(literature("butcher65.json"), 5, 8);
    expect_order(literature("butcher76.json"), 6, 9);
    expect_order(literature("cooper_verner8.json"), 8, 10);
}

Test(check, rk4_error_constants_match_nodepy)
{
    /* NodePy: rk4.error_metrics() = (sqrt(1745)/2880, 1/120, ...) */
    rk_order_check c = check(tableau_builtin("rk4"), 8, 256);
    cr_expect_float_eq(c.pen, sqrt(1745.0) / 2880, 1e-15);
    cr_expect_float_eq(c.pen_max, 1.0 / 120, 1e-15);
    cr_expect_float_eq(c.max_coef, 1.0, 0);
    orders_free(&c);
}

Test(check, doubles_hold_to_rounding_not_exactly)
{
    rk_tableau *t = tableau_builtin("rk4");
    for (int k = 0; k < t->s * t->s + 2 * t->s; k++) {
        free(t->exact[k]);
        t->exact[k] = NULL;
    }
    rk_order_check c = check(t, 6, 256);
    cr_expect_eq(c.order, 4);
    cr_expect_eq(c.exact_order, 0, "b = 1/6 as a double is not exact");
    cr_expect_eq(c.order_verdict[1], RK_ROUNDING);
    cr_expect_eq(c.order_verdict[5], RK_FAILS);
    orders_free(&c);
    /* a coefficient off by far more than rounding breaks the order */
    t->b[0] += 1e-9;
    t->b[3] -= 1e-9;
    c = check(t, 6, 256);
    cr_expect_eq(c.order, 1);
    orders_free(&c);
    tableau_free(t);
}

Test(check, long_decimals_are_rounded_values)
{
    int digits;
    cr_expect_eq(tabmp_text_eps("1/6", &digits), 0);
    cr_expect_eq(tabmp_text_eps("0.5", &digits), 0);
    cr_expect_eq(tabmp_text_eps("(6-sqrt(6))/10", &digits), 0);
    double e = tabmp_text_eps("0.1666666666666666666666666666667", &digits);
    cr_expect_eq(digits, 31);
    cr_expect_float_eq(e, 1e-30, 1e-40);
    tabmp_text_eps("-0.1234567890123456789012345e-3 + 0.1e-40", &digits);
    cr_expect_eq(digits, 26);
}

Test(check, higher_precision_changes_nothing_for_exact_tableaux)
{
    rk_order_check c = check(literature("cooper_verner8.json"), 9, 1024);
    cr_expect_eq(c.order, 8);
    cr_expect_eq(c.exact_order, 8);
    orders_free(&c);
}

static rk_family_check family(const char *tableau, const char *ode, int max_order)
{
    rk_error err = {{0}};
    rk_tableau *t = load(tableau);
    rk_family *f = family_load(src_path(ode), &err);
    cr_assert_not_null(f, "%s", err.text);
    rk_tabmp m;
    rk_forest fo;
    rk_order_check c;
    rk_family_check fc;
    cr_assert_eq(tabmp_init(&m, t, 256, &err), 0);
    cr_assert_eq(forest_init(&fo, max_order), 0);
    cr_assert_eq(orders_check(&fo, &m, &c, &err), 0);
    cr_assert_eq(family_check(f, &m, &c, 12, 7, &fc, &err), 0, "%s", err.text);
    orders_free(&c);
    forest_free(&fo);
    tabmp_clear(&m);
    family_free(f);
    tableau_free(t);
    return fc;
}

Test(check, square_family_two_stage_method_has_family_order_3)
{
    rk_family_check fc = family(src_path("tests/tableaux/square2.json"), "examples/square.ode", 8);
    cr_expect_eq(fc.order, 3);
    cr_expect_eq(fc.exact_order, 3);
    cr_expect_eq(fc.verdict[4], RK_FAILS);
}

Test(check, family_order_is_the_classical_one_on_general_families)
{
    cr_expect_eq(family("rk4", "examples/vanderpol.ode", 7).order, 4);
    cr_expect_eq(family("kutta3", "examples/lorenz63.ode", 6).order, 3);
    cr_expect_eq(family("heun", "examples/brusselator.ode", 5).order, 2);
}

Test(check, linear_family_sees_only_the_stability_polynomial)
{
    /* y' = -a y: R(z) = 1 + z + z^2/2 + z^3/6 + z^4/24 + z^5/120 + z^6/600 */
    cr_expect_eq(family("dopri5", "examples/linear.ode", 8).order, 5);
    cr_expect_eq(family("ssprk3", "examples/linear.ode", 6).order, 3);
}

static rk_stability stability(const char *name)
{
    rk_error err = {{0}};
    rk_tableau *t = load(name);
    rk_tabmp m;
    rk_stability st;
    cr_assert_eq(tabmp_init(&m, t, 256, &err), 0);
    cr_assert_eq(stability_analyse(&m, &st), 0);
    tabmp_clear(&m);
    tableau_free(t);
    return st;
}

Test(check, stability_intervals_of_rk4_and_ssprk3)
{
    rk_stability st = stability("rk4");
    cr_expect_eq(st.degree, 4);
    cr_expect_float_eq(st.coef[4], 1.0 / 24, 1e-16);
    /* real: the root of 1 - x + x^2/2 - x^3/6 + x^4/24 = 1, 2.785293563405...;
     * imaginary: |R(iy)|^2 = 1 - y^6/72 + y^8/576, so y = sqrt(8) */
    cr_expect(fabs(st.real - 2.7852935634052) < 1e-10, "real %.15g", st.real);
    cr_expect(fabs(st.imag - sqrt(8.0)) < 1e-10, "imag %.15g", st.imag);
    st = stability("ssprk3");
    /* real: root of 1 - x + x^2/2 - x^3/6 = -1, 2.512745326618...;
     * imaginary: |R(iy)|^2 = 1 - y^4/12 + y^6/36, so y = sqrt(3) */
    cr_expect(fabs(st.real - 2.5127453266183) < 1e-10, "real %.15g", st.real);
    cr_expect(fabs(st.imag - sqrt(3.0)) < 1e-10, "imag %.15g", st.imag);
    st = stability("euler");
    cr_expect(fabs(st.real - 2) < 1e-10);
    cr_expect_eq(st.imag, 0);
    st = stability("heun");
    cr_expect_eq(st.imag, 0, "order-2, 2-stage methods are unstable on the imaginary axis");
}

Test(check, stability_boundary_lies_on_the_unit_curve)
{
    rk_stability st = stability("rk4");
    char *csv = stability_boundary_csv(&st, 90);
    cr_assert_not_null(csv);
    int lines = 0;
    for (char *line = strchr(csv, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        double theta, re, im;
        int branch;
        cr_assert_eq(sscanf(line + 1, "%lf,%d,%lf,%lf", &theta, &branch, &re, &im), 4);
        cr_expect(fabs(stability_abs(&st, re, im) - 1) < 1e-9, "|R| at %g%+gi", re, im);
        lines++;
    }
    cr_expect_eq(lines, 90 * 4);
    free(csv);
}
