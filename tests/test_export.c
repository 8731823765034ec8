/* test_export.c - rkgen export's library side (codegen/export.h): the
 * targets by name, every built-in to every target, determinism, exact
 * spelling of bare doubles, orders found for files that state none, and
 * the refusal of a stated order that does not hold.  The outputs
 * themselves are run by export_scipy_test.sh and export_arkode_test.sh
 * and compared with golden text by export_cli_test.sh. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "support.h"
#include "tableau.h"

static char *exported(const char *spec, rk_export_target to)
{
    rk_error e = {""};
    rk_tableau *t = tableau_resolve(spec, &e);
    cr_assert_not_null(t, "%s: %s", spec, e.text);
    char *text = NULL;
    int r = export_tableau(t, to, &text, &e);
    tableau_free(t);
    cr_assert_eq(r, 0, "%s: %s", spec, e.text);
    cr_assert_not_null(text);
    return text;
}

Test(export, targets_by_name)
{
    const char *names[] = {"scipy", "julia", "nodepy", "arkode", "latex"};
    for (int i = 0; i < RK_EXPORT_NTARGETS; i++)
        cr_expect_eq(export_target(names[i]), i, "%s", names[i]);
    cr_expect_eq(export_target("matlab"), -1);
    cr_expect_eq(export_target("SciPy"), -1);
    cr_expect_eq(export_target(NULL), -1);
    for (int i = 0; i < RK_EXPORT_NTARGETS; i++)
        cr_expect_not_null(strstr(export_target_list(), names[i]));
}

Test(export, every_builtin_every_target_twice_the_same)
{
    for (int i = 0; i < tableau_builtin_count(); i++)
        for (int to = 0; to < RK_EXPORT_NTARGETS; to++) {
            const char *name = tableau_builtin_name(i);
            char *a = exported(name, (rk_export_target)to);
            char *b = exported(name, (rk_export_target)to);
            cr_expect_str_eq(a, b, "%s to %d differs between runs", name, to);
            cr_expect_not_null(strstr(a, name), "%s to %d lacks its name", name, to);
            free(a);
            free(b);
        }
}

Test(export, bare_doubles_and_found_orders)
{
    /* 0.5 is exactly 1/2 and short; 0.1 is not 1/10 */
    char *tex = exported(src_path("tests/export/plain_odd.json"), RK_EXPORT_LATEX);
    cr_expect_not_null(strstr(tex, "\\frac{1}{2} & \\frac{1}{2}"), "%s", tex);
    cr_expect_not_null(strstr(tex, " & 0.1 & "), "%s", tex);
    free(tex);
    char *py = exported(src_path("tests/export/plain_kutta3.json"), RK_EXPORT_SCIPY);
    cr_expect_not_null(strstr(py, "\nORDER = 3\n"), "the order found: %s", py);
    free(py);
    char *c = exported(src_path("tests/export/plain_bs3.json"), RK_EXPORT_ARKODE);
    cr_expect_not_null(strstr(c, "ARKodeButcherTable_Create(4, 3, 2, c, A, b, d)"), "%s", c);
    free(c);
}

Test(export, a_stated_order_that_does_not_hold)
{
    rk_error e = {""};
    rk_tableau *t = tableau_resolve(src_path("tests/tableaux/rkf45_a53_typo.json"), &e);
    cr_assert_not_null(t, "%s", e.text);
    char *text = (char *)"untouched";
    cr_expect_eq(export_tableau(t, RK_EXPORT_JULIA, &text, &e), 1);
    cr_expect_null(text);
    cr_expect_not_null(strstr(e.text, "states order 4"), "%s", e.text);
    tableau_free(t);
}
