/* test_stab_ladder.c - core/stab_ladder.c against known answers: the
 * order-1 ladder's intervals 2 s^2 and so the stages it picks, ceil of
 * sqrt(h rho / 2); its step on y' = -lambda y against T_s(1 - h lambda /
 * s^2) in long double, substeps included; and an order-2 ladder that
 * never needs more stages than RKC2 (an independent design,
 * learner/measure/rkc2.c) for any h rho. */
#include <criterion/criterion.h>
#include <math.h>

#include "rkc2.h"
#include "stab_ladder.h"

static void decay(void *ctx, double t, const double *y, double *dy)
{
    (void)t;
    dy[0] = -*(const double *)ctx * y[0];
}

static rk_stab_ladder *ladder(int s, int p, double eps, stab_form form, rk_stab **top)
{
    rk_error err = {{0}};
    *top = form == STAB_CHEBYSHEV ? stab_design_chebyshev(s, p, eps, &err) : stab_design(s, p, eps, &err);
    cr_assert_not_null(*top, "%s", err.text);
    rk_stab_ladder *L = stab_ladder_new(*top, &err);
    cr_assert_not_null(L, "%s", err.text);
    return L;
}

Test(stab_ladder, order1_intervals_and_picks)
{
    rk_stab *top;
    rk_stab_ladder *L = ladder(16, 1, 0, STAB_CHEBYSHEV, &top);
    cr_assert_eq(L->smin, 1);
    cr_assert_eq(L->smax, 16);
    cr_assert(L->top == top && L->rung[15] == top, "the top rung is the method itself");
    for (int s = 1; s <= 16; s++) {
        cr_assert_not_null(L->rung[s - 1], "no rung of %d stages", s);
        cr_assert_float_eq(L->rung[s - 1]->beta, 2.0 * s * s, 1e-7 * s * s, "beta_%d", s);
    }
    const double hrho[] = {0.5, 1.9, 2.1, 7.9, 49, 51, 300, 511};
    for (size_t k = 0; k < sizeof hrho / sizeof *hrho; k++) {
        int want = (int)ceil(sqrt(hrho[k] / 2));
        cr_assert_eq(stab_stages(stab_ladder_pick(L, hrho[k])), want, "h rho = %g", hrho[k]);
        cr_assert_eq(stab_ladder_substeps(L, hrho[k]), 1UL);
    }
    cr_assert(stab_ladder_pick(L, 600) == top);
    cr_assert_eq(stab_ladder_substeps(L, 600), 2UL);
    cr_assert_eq(stab_ladder_substeps(L, 3 * 512), 3UL);
    cr_assert_eq(stab_ladder_substeps(L, 3 * top->beta * (1 + 1e-12)), 4UL);
    cr_assert_eq(stab_ladder_substepsf(L, 600.0f), 2UL);
    /* refused: h rho < 0, NaN, or more than STAB_LADDER_MAX_SUBSTEPS substeps */
    cr_assert_eq(stab_ladder_substeps(L, -1), 0UL);
    cr_assert_eq(stab_ladder_substeps(L, NAN), 0UL);
    cr_assert_eq(stab_ladder_substeps(L, top->beta * STAB_LADDER_MAX_SUBSTEPS), (unsigned long)STAB_LADDER_MAX_SUBSTEPS);
    cr_assert_eq(stab_ladder_substeps(L, 513.0 * STAB_LADDER_MAX_SUBSTEPS), 0UL);
    double y = 1, lambda = 1, work[STAB_WORK(1)];
    cr_assert_eq(stab_ladder_step(L, decay, &lambda, 1, 0, &y, -1, 1, work), 0UL);
    cr_assert_eq(y, 1, "a refused step leaves y");
    stab_ladder_free(L);
    stab_free(top);
}

/* T_s(x) for |x| <= 1. */
static long double cheb_t(int s, long double x)
{
    return cosl((long double)s * acosl(x));
}

Test(stab_ladder, step_is_the_rungs_polynomial)
{
    rk_stab *top;
    rk_stab_ladder *L = ladder(16, 1, 0, STAB_CHEBYSHEV, &top);
    double lambda = 1000, work[STAB_WORK(1)];
    const double hrho[] = {1.5, 30, 400, 3 * 511.0};
    for (size_t k = 0; k < sizeof hrho / sizeof *hrho; k++) {
        double h = hrho[k] / lambda, y = 1;
        unsigned long sub = stab_ladder_substeps(L, hrho[k]);
        int s = stab_stages(stab_ladder_pick(L, hrho[k] / (double)sub));
        unsigned long nfev = stab_ladder_step(L, decay, &lambda, 1, 0, &y, h, lambda, work);
        cr_assert_eq(nfev, sub * (unsigned long)s, "h rho = %g: evaluations", hrho[k]);
        long double r = powl(cheb_t(s, 1 - (long double)hrho[k] / sub / ((long double)s * s)), (long double)sub);
        cr_assert(fabsl((long double)y - r) < 1e-13L, "h rho = %g: %.17g against %.17Lg", hrho[k], y, r);
    }
    stab_ladder_free(L);
    stab_free(top);
}

/* RKC2's stages for h rho: the fewest with (1 + w0)/w1 >= h rho. */
static int rkc2_stages(double hrho)
{
    int s = 2;
    while (rkc2_beta(s) < hrho)
        s++;
    return s;
}

Test(stab_ladder, order2_never_more_stages_than_rkc2)
{
    for (int form = 0; form < 2; form++) {
        rk_stab *top;
        rk_stab_ladder *L = ladder(12, 2, 0.05, form ? STAB_CHEBYSHEV : STAB_PRODUCT, &top);
        double below = 0;
        for (int s = L->smin; s <= L->smax; s++) {
            const rk_stab *m = L->rung[s - L->smin];
            if (!m)
                continue;
            cr_assert_eq(m->order, 2);
            cr_assert_eq(m->form, top->form);
            cr_assert_float_eq(m->damping, 0.05, 1e-15);
            cr_assert_gt(m->beta, below, "the intervals rise with the stages");
            below = m->beta;
        }
        for (double hrho = 0.25; hrho <= top->beta; hrho *= 1.1)
            cr_assert_leq(stab_stages(stab_ladder_pick(L, hrho)), rkc2_stages(hrho), "form %d, h rho = %g",
                          form, hrho);
        stab_ladder_free(L);
        stab_free(top);
    }
}

/* Past STAB_LADDER_DENSE stages the rungs are 5% apart: a 200-stage
 * order-1 ladder has about 32 + 23 ln(200/32) rungs (77), and each step takes
 * at most 5% more than the fewest stable stages, ceil(sqrt(h rho / 2)). */
Test(stab_ladder, sparse_above_the_dense_part)
{
    rk_stab *top;
    rk_stab_ladder *L = ladder(200, 1, 0, STAB_CHEBYSHEV, &top);
    int n = 0;
    for (int s = L->smin; s <= L->smax; s++)
        n += L->rung[s - L->smin] != NULL;
    cr_assert(n >= 70 && n <= 80, "%d rungs", n);
    for (int s = 1; s <= STAB_LADDER_DENSE; s++)
        cr_assert_not_null(L->rung[s - L->smin], "no rung of %d stages", s);
    for (double hrho = 1; hrho <= top->beta; hrho *= 1.07) {
        int fewest = (int)ceil(sqrt(hrho / 2) - 1e-9), got = stab_stages(stab_ladder_pick(L, hrho));
        cr_assert(got >= fewest && got <= fewest + fewest / 20, "h rho = %g: %d stages, fewest %d", hrho, got,
                  fewest);
    }
    stab_ladder_free(L);
    stab_free(top);
}
