/* test_series.c - Taylor-series arithmetic in double and MPFR against
 * closed-form coefficients, identities, and each other. */
#include <criterion/criterion.h>
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "series.h"
#include "support.h"

#define MAXDEG 20
#define D (MAXDEG + 1)
#define R MPFR_RNDN

static const int degrees[] = { 0, 1, 5, 12, 20 };
#define NDEG (int)(sizeof degrees / sizeof *degrees)

/* ---- builders (no parser) ----------------------------------------- */

static int node(ex_pool *p, ex_op op, int a, int b, int index)
{
    ex_node nd = { op, a, b, index, -1, 0 };
    int i = ex_pool_add(p, nd);
    cr_assert_geq(i, 0);
    return i;
}

static int lit(ex_pool *p, const char *text)
{
    ex_node nd = { EX_NUM, -1, -1, 0, ex_pool_text(p, text, strlen(text)),
                   strtod(text, NULL) };
    cr_assert_geq(nd.text, 0);
    int i = ex_pool_add(p, nd);
    cr_assert_geq(i, 0);
    return i;
}

static int leaf(ex_pool *p, ex_op op, int index) { return node(p, op, -1, -1, index); }
static int un(ex_pool *p, ex_op op, int a) { return node(p, op, a, -1, 0); }
static int bin(ex_pool *p, ex_op op, int a, int b) { return node(p, op, a, b, 0); }
static int powi(ex_pool *p, int a, int n) { return node(p, EX_POWI, a, -1, n); }
static int tvar(ex_pool *p) { return leaf(p, EX_TIME, 0); }
static int state(ex_pool *p, int i) { return leaf(p, EX_STATE, i); }

/* ---- runners -------------------------------------------------------- */

/* Leaf values: t(h) = t0 + h; states' series at stride deg+1. */
typedef struct inputs {
    double t0;
    const double *y; int ny;
    const double *p; int np;
    const double *y0;
} inputs;

static const inputs at_zero = { 0, NULL, 0, NULL, 0, NULL };

/* Whether the last run_d's coefficient-by-coefficient pass gave up. */
static int coeff_failed;

/* Series of roots[0..nroots) in double; returns ex_series's result and
 * the failing instruction's op.  Also checks ex_series_coeff against it. */
static int run_d(const ex_pool *pool, const int *roots, int nroots, int deg,
                 const inputs *in, double *out, ex_op *fop)
{
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, pool, roots, nroots), 0);
    double t[D] = { in->t0 };
    if (deg >= 1)
        t[1] = 1;
    ex_senv env = { t, in->y, in->p, in->y0 };
    size_t nw = ex_series_work(&tp, deg);
    double *work = malloc((nw ? nw : 1) * sizeof *work);
    int rc = ex_series(&tp, deg, &env, work, out);
    if (rc >= 0 && fop)
        *fop = tp.code[rc].op;
    /* coefficient by coefficient: the same bits wherever it can */
    int rk = -1;
    for (int k = 0; k <= deg && rk < 0; k++)
        rk = ex_series_coeff(&tp, deg, k, &env, work);
    if (rk < 0) {
        cr_assert_lt(rc, 0, "ex_series_coeff formed what ex_series could not");
        for (int r = 0; r < nroots; r++)
            cr_assert_eq(memcmp(out + r * (deg + 1), ex_series_output(&tp, deg, work, r),
                                ((size_t)deg + 1) * sizeof *out), 0,
                         "coefficient by coefficient differs from ex_series");
    }
    coeff_failed = rk >= 0;
    /* the resolved program, with the leaves copied and read in place:
     * the same bits, and it gives up alike */
    for (int bound = 0; bound < 2; bound++) {
        ex_sprog prog;
        cr_assert_eq(ex_sprog_init(&prog, &tp, deg, work, bound ? &env : NULL), 0);
        int rp = -1;
        for (int k = 0; k <= deg && rp < 0; k++)
            rp = ex_sprog_coeff(&prog, k, &env);
        cr_assert_eq(rp, rk, "the program and ex_series_coeff give up differently");
        for (int r = 0; rp < 0 && r < nroots; r++)
            cr_assert_eq(memcmp(out + r * (deg + 1), ex_sprog_output(&prog, r),
                                ((size_t)deg + 1) * sizeof *out), 0,
                         "the resolved program differs from ex_series (bound %d)", bound);
        ex_sprog_free(&prog);
    }
    free(work);
    ex_tape_free(&tp);
    return rc;
}

static int run1_d(const ex_pool *pool, int root, int deg, const inputs *in,
                  double *out)
{
    return run_d(pool, &root, 1, deg, in, out, NULL);
}

static mpfr_t *mp_new(size_t n, mpfr_prec_t prec)
{
    mpfr_t *v = malloc((n ? n : 1) * sizeof *v);
    for (size_t i = 0; i < n; i++)
        mpfr_init2(v[i], prec);
    return v;
}

static void mp_free(mpfr_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mpfr_clear(v[i]);
    free(v);
}

static mpfr_t *mp_from(const double *x, size_t n, mpfr_prec_t prec)
{
    mpfr_t *v = mp_new(n, prec);
    for (size_t i = 0; i < n; i++)
        mpfr_set_d(v[i], x[i], R);
    return v;
}

/* The same in MPFR; out holds nroots*(deg+1) numbers. */
static int run_mp(const ex_pool *pool, const int *roots, int nroots, int deg,
                  mpfr_prec_t prec, const inputs *in, mpfr_t *out, ex_op *fop)
{
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, pool, roots, nroots), 0);
    size_t d = (size_t)deg + 1;
    mpfr_t *t = mp_new(d, prec);
    mpfr_set_d(t[0], in->t0, R);
    for (size_t k = 1; k < d; k++)
        mpfr_set_ui(t[k], k == 1, R);
    mpfr_t *y = mp_from(in->y, (size_t)in->ny * d, prec);
    mpfr_t *p = mp_from(in->p, (size_t)in->np, prec);
    mpfr_t *y0 = mp_from(in->y0, in->y0 ? (size_t)in->ny : 0, prec);
    ex_senv_mp env = { t, y, p, y0 };
    ex_mpwork w;
    cr_assert_eq(ex_mpwork_init(&w, &tp, deg, prec), 0);
    int rc = ex_series_mp(&tp, deg, &env, &w, out);
    if (rc >= 0 && fop)
        *fop = tp.code[rc].op;
    ex_mpwork_clear(&w);
    mp_free(t, d);
    mp_free(y, (size_t)in->ny * d);
    mp_free(p, (size_t)in->np);
    mp_free(y0, in->y0 ? (size_t)in->ny : 0);
    ex_tape_free(&tp);
    return rc;
}

/* ---- closed forms at 256 bits --------------------------------------- */

#define REFPREC 256

static void inv_fact(mpfr_t out, int k, int sign)
{
    mpfr_fac_ui(out, (unsigned long)k, R);
    mpfr_si_div(out, sign, out, R);
}

static void r_exp(mpfr_t o, int k) { inv_fact(o, k, 1); }
static void r_sin(mpfr_t o, int k)
{
    if (k % 2) inv_fact(o, k, (k - 1) / 2 % 2 ? -1 : 1);
    else mpfr_set_ui(o, 0, R);
}
static void r_cos(mpfr_t o, int k)
{
    if (k % 2) mpfr_set_ui(o, 0, R);
    else inv_fact(o, k, k / 2 % 2 ? -1 : 1);
}
static void r_sinh(mpfr_t o, int k)
{
    if (k % 2) inv_fact(o, k, 1);
    else mpfr_set_ui(o, 0, R);
}
static void r_cosh(mpfr_t o, int k)
{
    if (k % 2) mpfr_set_ui(o, 0, R);
    else inv_fact(o, k, 1);
}
static void r_recip(mpfr_t o, int k) { mpfr_set_si(o, k % 2 ? -1 : 1, R); }
/* binomial(1/2, k) = prod_{i<k} (1 - 2i) / (2^k k!) */
static void r_sqrt(mpfr_t o, int k)
{
    mpfr_set_ui(o, 1, R);
    for (int i = 0; i < k; i++)
        mpfr_mul_si(o, o, 1 - 2 * i, R);
    mpfr_div_2ui(o, o, (unsigned long)k, R);
    mpfr_t f;
    mpfr_init2(f, REFPREC);
    mpfr_fac_ui(f, (unsigned long)k, R);
    mpfr_div(o, o, f, R);
    mpfr_clear(f);
}
static void r_log(mpfr_t o, int k)
{
    mpfr_set_ui(o, (unsigned long)k, R);
    if (k > 0)
        mpfr_si_div(o, k % 2 ? 1 : -1, o, R);
}
static void r_atan(mpfr_t o, int k)
{
    if (k % 2 == 0) {
        mpfr_set_ui(o, 0, R);
        return;
    }
    mpfr_set_ui(o, (unsigned long)k, R);
    mpfr_si_div(o, (k - 1) / 2 % 2 ? -1 : 1, o, R);
}
/* Tangent numbers: tan t = sum T_k t^k / k!, k odd (OEIS A000182). */
static const double tangent[] = { 0, 1, 0, 2, 0, 16, 0, 272, 0, 7936, 0,
    353792, 0, 22368256, 0, 1903757312, 0, 209865342976.0, 0,
    29088885112832.0, 0 };
static void r_tan(mpfr_t o, int k)
{
    inv_fact(o, k, 1);
    mpfr_mul_d(o, o, tangent[k], R);
}
/* tanh t = -i tan(i t) */
static void r_tanh(mpfr_t o, int k)
{
    r_tan(o, k);
    if (k % 4 == 3)
        mpfr_neg(o, o, R);
}
/* asin t = sum (2n)! / (4^n n!^2 (2n+1)) t^(2n+1) */
static void r_asin(mpfr_t o, int k)
{
    if (k % 2 == 0) {
        mpfr_set_ui(o, 0, R);
        return;
    }
    unsigned long n = (unsigned long)(k - 1) / 2;
    mpfr_t f;
    mpfr_init2(f, REFPREC);
    mpfr_fac_ui(o, 2 * n, R);
    mpfr_fac_ui(f, n, R);
    mpfr_sqr(f, f, R);
    mpfr_div(o, o, f, R);
    mpfr_div_2ui(o, o, 2 * n, R);
    mpfr_div_ui(o, o, 2 * n + 1, R);
    mpfr_clear(f);
}
static void r_acos(mpfr_t o, int k)
{
    if (k == 0) {
        mpfr_const_pi(o, R);
        mpfr_div_2ui(o, o, 1, R);
        return;
    }
    r_asin(o, k);
    mpfr_neg(o, o, R);
}
/* (1+t)^(1+t), from exact rational arithmetic on exp((1+t) log(1+t)). */
static const int64_t selfpow[D][2] = { {1, 1}, {1, 1}, {1, 1}, {1, 2},
    {1, 3}, {1, 12}, {3, 40}, {-1, 120}, {59, 2520}, {-71, 5040},
    {131, 10080}, {-53, 5040}, {179063, 19958400}, {-152587, 19958400},
    {1711379, 259459200}, {-2976271, 518918400}, {10956347, 2179457280},
    {-19341869, 4358914560}, {4868569481, 1235025792000},
    {-13052168197, 3705077376000}, {1336857226717, 422378820864000} };
static void r_selfpow(mpfr_t o, int k)
{
    mpfr_set_d(o, (double)selfpow[k][0], R);
    mpfr_div_d(o, o, (double)selfpow[k][1], R);
}
/* (1-t)^-3 = sum (k+1)(k+2)/2 t^k */
static void r_powi_m3(mpfr_t o, int k)
{
    mpfr_set_ui(o, (unsigned long)(k + 1) * (unsigned long)(k + 2) / 2, R);
}

/* ---- the known-answer cases ----------------------------------------- */

static int one_plus_t(ex_pool *p) { return bin(p, EX_ADD, lit(p, "1"), tvar(p)); }
static int b_exp(ex_pool *p) { return un(p, EX_EXP, tvar(p)); }
static int b_sin(ex_pool *p) { return un(p, EX_SIN, tvar(p)); }
static int b_cos(ex_pool *p) { return un(p, EX_COS, tvar(p)); }
static int b_sinh(ex_pool *p) { return un(p, EX_SINH, tvar(p)); }
static int b_cosh(ex_pool *p) { return un(p, EX_COSH, tvar(p)); }
static int b_tan(ex_pool *p) { return un(p, EX_TAN, tvar(p)); }
static int b_tanh(ex_pool *p) { return un(p, EX_TANH, tvar(p)); }
static int b_atan(ex_pool *p) { return un(p, EX_ATAN, tvar(p)); }
static int b_asin(ex_pool *p) { return un(p, EX_ASIN, tvar(p)); }
static int b_acos(ex_pool *p) { return un(p, EX_ACOS, tvar(p)); }
static int b_recip(ex_pool *p) { return bin(p, EX_DIV, lit(p, "1"), one_plus_t(p)); }
static int b_sqrt(ex_pool *p) { return un(p, EX_SQRT, one_plus_t(p)); }
static int b_log(ex_pool *p) { return un(p, EX_LOG, one_plus_t(p)); }
static int b_pow_half(ex_pool *p) { return bin(p, EX_POW, one_plus_t(p), lit(p, "0.5")); }
static int b_selfpow(ex_pool *p)
{
    int a = one_plus_t(p);
    return bin(p, EX_POW, a, a);
}
static int b_powi_m3(ex_pool *p)
{
    return powi(p, bin(p, EX_SUB, lit(p, "1"), tvar(p)), -3);
}

typedef struct kcase {
    const char *name;
    int (*build)(ex_pool *);
    void (*ref)(mpfr_t, int);
    double abstol; /* instead of 4 ulps, where the recurrence cancels */
} kcase;

static const kcase cases[] = {
    { "exp(t)", b_exp, r_exp, 0 },
    { "sin(t)", b_sin, r_sin, 0 },
    { "cos(t)", b_cos, r_cos, 0 },
    { "sinh(t)", b_sinh, r_sinh, 0 },
    { "cosh(t)", b_cosh, r_cosh, 0 },
    { "tan(t)", b_tan, r_tan, 0 },
    { "tanh(t)", b_tanh, r_tanh, 0 },
    { "atan(t)", b_atan, r_atan, 0 },
    { "asin(t)", b_asin, r_asin, 0 },
    { "acos(t)", b_acos, r_acos, 0 },
    { "1/(1+t)", b_recip, r_recip, 0 },
    { "sqrt(1+t)", b_sqrt, r_sqrt, 0 },
    { "log(1+t)", b_log, r_log, 0 },
    { "pow(1+t,0.5)", b_pow_half, r_sqrt, 0 },
    /* Through exp(b log a): coefficient k sums terms up to ~100 times
     * larger, so it is accurate relative to the series, not itself. */
    { "pow(1+t,1+t)", b_selfpow, r_selfpow, 1e-16 },
    { "(1-t)^-3", b_powi_m3, r_powi_m3, 0 },
};
#define NCASES (int)(sizeof cases / sizeof *cases)

/* Coefficient k of a case, exact to 256 bits, rounded to double. */
static double ref_d(const kcase *c, int k)
{
    mpfr_t o;
    mpfr_init2(o, REFPREC);
    c->ref(o, k);
    double v = mpfr_get_d(o, R);
    mpfr_clear(o);
    return v;
}

/* Coefficients of a case in double at degree deg. */
static void case_d(const kcase *c, int deg, double *out)
{
    ex_pool p;
    ex_pool_init(&p);
    int root = c->build(&p);
    cr_assert_eq(run1_d(&p, root, deg, &at_zero, out), -1, "%s", c->name);
    ex_pool_free(&p);
}

static void case_mp(const kcase *c, int deg, mpfr_prec_t prec, mpfr_t *out)
{
    ex_pool p;
    ex_pool_init(&p);
    int root = c->build(&p);
    cr_assert_eq(run_mp(&p, &root, 1, deg, prec, &at_zero, out, NULL), -1,
                 "%s", c->name);
    ex_pool_free(&p);
}

/* Every coefficient within 4 ulps of the correctly rounded closed form
 * (zeros must come out exactly zero), or within the case's abstol. */
Test(known, double_within_4_ulps)
{
    for (int ci = 0; ci < NCASES; ci++) {
        const kcase *c = &cases[ci];
        unsigned long long worst = 0;
        double worst_abs = 0;
        for (int di = 0; di < NDEG; di++) {
            double out[D];
            case_d(c, degrees[di], out);
            for (int k = 0; k <= degrees[di]; k++) {
                double want = ref_d(c, k), err = fabs(out[k] - want);
                unsigned long long u = ulp_diff(out[k], want);
                if (c->abstol > 0)
                    cr_assert_leq(err, c->abstol, "%s deg %d k %d: %a vs %a",
                                  c->name, degrees[di], k, out[k], want);
                else
                    cr_assert_leq(u, 4, "%s deg %d k %d: %a vs %a (%llu ulps)",
                                  c->name, degrees[di], k, out[k], want, u);
                worst = u > worst ? u : worst;
                worst_abs = fmax(worst_abs, err);
            }
        }
        cr_log_info("%-14s worst %llu ulps, %.2g absolute", c->name, worst,
                    worst_abs);
    }
}

/* At 53 bits MPFR performs the double code's roundings: at t = 0 every
 * libm value these cases need is exact or correctly rounded (exp 0 = 1,
 * log 1 = 0, acos 0 = pi/2 rounded, ...), so the two agree bit for bit. */
Test(known, mp53_bitwise_equals_double)
{
    for (int ci = 0; ci < NCASES; ci++)
        for (int di = 0; di < NDEG; di++) {
            int deg = degrees[di];
            double out[D];
            mpfr_t *m = mp_new((size_t)deg + 1, 53);
            case_d(&cases[ci], deg, out);
            case_mp(&cases[ci], deg, 53, m);
            for (int k = 0; k <= deg; k++)
                cr_assert_eq(ulp_diff(mpfr_get_d(m[k], R), out[k]), 0,
                             "%s deg %d k %d", cases[ci].name, deg, k);
            mp_free(m, (size_t)deg + 1);
        }
}

/* At 256 bits, within 2^-240 relative of the exact coefficient; the
 * rational cases (integer coefficients) exactly. */
Test(known, mp256_matches_closed_forms)
{
    mpfr_t want, diff;
    mpfr_inits2(REFPREC, want, diff, (mpfr_ptr)0);
    for (int ci = 0; ci < NCASES; ci++)
        for (int di = 0; di < NDEG; di++) {
            int deg = degrees[di];
            mpfr_t *m = mp_new((size_t)deg + 1, REFPREC);
            case_mp(&cases[ci], deg, REFPREC, m);
            for (int k = 0; k <= deg; k++) {
                cases[ci].ref(want, k);
                mpfr_sub(diff, m[k], want, R);
                if (mpfr_zero_p(want) || cases[ci].ref == r_recip ||
                    cases[ci].ref == r_powi_m3) {
                    cr_assert(mpfr_zero_p(diff), "%s deg %d k %d",
                              cases[ci].name, deg, k);
                    continue;
                }
                mpfr_div(diff, diff, want, R);
                cr_assert_lt(mpfr_get_d(diff, R) < 0 ? -mpfr_get_d(diff, R)
                                                     : mpfr_get_d(diff, R),
                             0x1p-240, "%s deg %d k %d", cases[ci].name, deg, k);
            }
            mp_free(m, (size_t)deg + 1);
        }
    mpfr_clears(want, diff, (mpfr_ptr)0);
}

/* 0.1 is read from its text: at 256 bits it is 1/10 to 256 bits, not
 * the double 0.1000000000000000055511151231257827... */
Test(known, mp_literal_from_text)
{
    ex_pool p;
    ex_pool_init(&p);
    int tenth = lit(&p, "0.1");
    int e = un(&p, EX_EXP, bin(&p, EX_MUL, tenth, tvar(&p)));
    int roots[] = { tenth, e };
    int deg = 12;
    mpfr_t *m = mp_new(2 * ((size_t)deg + 1), REFPREC);
    cr_assert_eq(run_mp(&p, roots, 2, deg, REFPREC, &at_zero, m, NULL), -1);
    mpfr_t x, dbl;
    mpfr_inits2(REFPREC, x, dbl, (mpfr_ptr)0);
    mpfr_set_str(x, "0.1", 10, R);
    mpfr_set_d(dbl, 0.1, R);
    cr_assert(mpfr_equal_p(m[0], x));
    cr_assert_not(mpfr_equal_p(m[0], dbl));
    for (int k = 1; k <= deg; k++)
        cr_assert(mpfr_zero_p(m[k]));
    /* exp(t/10): coefficient k is 10^-k / k!. */
    for (int k = 0; k <= deg; k++) {
        inv_fact(x, k, 1);
        for (int i = 0; i < k; i++)
            mpfr_div_ui(x, x, 10, R);
        mpfr_sub(dbl, m[deg + 1 + k], x, R);
        mpfr_div(dbl, dbl, x, R);
        cr_assert_lt(fabs(mpfr_get_d(dbl, R)), 0x1p-245, "k %d", k);
    }
    mpfr_clears(x, dbl, (mpfr_ptr)0);
    mp_free(m, 2 * ((size_t)deg + 1));
    ex_pool_free(&p);
}

/* ---- a composite: van der Pol's a*(1-u^2)*v - u ------------------- */

/* u = 1 + 2h + 3h^2, v = 4 - h, a = 1/2; by hand:
 * a*(1-u^2)*v - u = -1 - 10h - 21h^2 - 19h^3 - 12h^4 + 4.5h^5. */
static int vdp(ex_pool *p)
{
    int u = state(p, 0), v = state(p, 1), a = leaf(p, EX_PARAM, 0);
    int one_m_u2 = bin(p, EX_SUB, lit(p, "1"), powi(p, u, 2));
    return bin(p, EX_SUB, bin(p, EX_MUL, bin(p, EX_MUL, a, one_m_u2), v), u);
}

Test(composite, van_der_pol_by_hand)
{
    enum { DEG = 5 };
    const double y[2 * (DEG + 1)] = { 1, 2, 3, 0, 0, 0,  4, -1, 0, 0, 0, 0 };
    const double a = 0.5;
    const double want[DEG + 1] = { -1, -10, -21, -19, -12, 4.5 };
    inputs in = { 0, y, 2, &a, 1, NULL };
    ex_pool p;
    ex_pool_init(&p);
    int root = vdp(&p);
    double out[DEG + 1];
    cr_assert_eq(run1_d(&p, root, DEG, &in, out), -1);
    for (int k = 0; k <= DEG; k++)
        cr_assert_eq(out[k], want[k], "k %d: %g", k, out[k]);
    mpfr_prec_t precs[] = { 53, 256 };
    for (int i = 0; i < 2; i++) {
        mpfr_t *m = mp_new(DEG + 1, precs[i]);
        cr_assert_eq(run_mp(&p, &root, 1, DEG, precs[i], &in, m, NULL), -1);
        for (int k = 0; k <= DEG; k++)
            cr_assert_eq(mpfr_cmp_d(m[k], want[k]), 0);
        mp_free(m, DEG + 1);
    }
    ex_pool_free(&p);
}

/* ---- every op at a generic point ------------------------------------ */

/* Two nontrivial state series, x(0) = 0.3 and y(0) = 1.7. */
static const double xs[D] = { 0.3, 0.7, -0.2, 0.15, 0.05, -0.11, 0.023,
    0.4, -0.07, 0.013, 0.2, -0.3, 0.01, 0.09, -0.05, 0.031, 0.002, -0.017,
    0.1, 0.06, -0.04 };
static const double ys[D] = { 1.7, -0.4, 0.3, 0.0, 0.12, 0.05, -0.2, 0.017,
    0.08, -0.01, 0.1, 0.03, -0.06, 0.02, 0.005, -0.09, 0.07, 0.0, 0.011,
    -0.03, 0.04 };

/* States laid out at stride deg+1. */
static void xy_series(double *y, int deg)
{
    for (int k = 0; k <= deg; k++) {
        y[k] = xs[k];
        y[deg + 1 + k] = ys[k];
    }
}

/* exp(sin x cos y) + log(2 + tan x) - sqrt(1 + x^2)/(3 - atan y)
 * + asin(x/2) acos(x/3) + sinh x - cosh(y) tanh(x) + pow(1 + x^2, y)
 * + x^3 - y^-2 + pow(y, 0.5) - (-x) + p0 x0(0) + t + pow(y - 2, 3) */
static int everything(ex_pool *p)
{
    int x = state(p, 0), y = state(p, 1), one = lit(p, "1");
    int x2 = powi(p, x, 2), opx2 = bin(p, EX_ADD, one, x2);
    int terms[14];
    terms[0] = un(p, EX_EXP, bin(p, EX_MUL, un(p, EX_SIN, x), un(p, EX_COS, y)));
    terms[1] = un(p, EX_LOG, bin(p, EX_ADD, lit(p, "2"), un(p, EX_TAN, x)));
    terms[2] = un(p, EX_NEG, bin(p, EX_DIV, un(p, EX_SQRT, opx2),
                  bin(p, EX_SUB, lit(p, "3"), un(p, EX_ATAN, y))));
    terms[3] = bin(p, EX_MUL, un(p, EX_ASIN, bin(p, EX_DIV, x, lit(p, "2"))),
                   un(p, EX_ACOS, bin(p, EX_DIV, x, lit(p, "3"))));
    terms[4] = un(p, EX_SINH, x);
    terms[5] = un(p, EX_NEG, bin(p, EX_MUL, un(p, EX_COSH, y), un(p, EX_TANH, x)));
    terms[6] = bin(p, EX_POW, opx2, y);
    terms[7] = powi(p, x, 3);
    terms[8] = un(p, EX_NEG, powi(p, y, -2));
    terms[9] = bin(p, EX_POW, y, lit(p, "0.5"));
    terms[10] = un(p, EX_NEG, un(p, EX_NEG, x));
    terms[11] = bin(p, EX_MUL, leaf(p, EX_PARAM, 0), leaf(p, EX_INIT, 0));
    terms[12] = tvar(p);
    terms[13] = bin(p, EX_POW, bin(p, EX_SUB, y, lit(p, "2")), lit(p, "3"));
    int e = terms[0];
    for (int i = 1; i < 14; i++)
        e = bin(p, EX_ADD, e, terms[i]);
    return e;
}

static const double par0 = -0.8, init0[2] = { 0.25, 9 };

/* Coefficient 0 is exactly what the scalar evaluator computes. */
Test(generic, c0_equals_scalar_eval)
{
    ex_pool p;
    ex_pool_init(&p);
    int root = everything(&p);
    for (int di = 0; di < NDEG; di++) {
        int deg = degrees[di];
        double y[2 * D], out[D];
        xy_series(y, deg);
        inputs in = { 0.6, y, 2, &par0, 1, init0 };
        cr_assert_eq(run1_d(&p, root, deg, &in, out), -1);
        ex_tape tp;
        cr_assert_eq(ex_tape_build(&tp, &p, &root, 1), 0);
        double w[256], v, yy[2] = { xs[0], ys[0] };
        cr_assert_leq(tp.n, 256);
        ex_env env = { 0.6, yy, &par0, init0 };
        ex_eval(&tp, &env, w, &v);
        cr_assert_eq(ulp_diff(out[0], v), 0, "deg %d: %a vs %a", deg, out[0], v);
        ex_tape_free(&tp);
    }
    ex_pool_free(&p);
}

/* Truncation does not reach down: degree 5's coefficients are degree
 * 20's first six, bit for bit. */
Test(generic, lower_degree_is_a_prefix)
{
    ex_pool p;
    ex_pool_init(&p);
    int root = everything(&p);
    double y20[2 * D], y5[12], o20[D], o5[6];
    xy_series(y20, 20);
    xy_series(y5, 5);
    inputs in20 = { 0.6, y20, 2, &par0, 1, init0 };
    inputs in5 = { 0.6, y5, 2, &par0, 1, init0 };
    cr_assert_eq(run1_d(&p, root, 20, &in20, o20), -1);
    cr_assert_eq(run1_d(&p, root, 5, &in5, o5), -1);
    for (int k = 0; k <= 5; k++)
        cr_assert_eq(ulp_diff(o5[k], o20[k]), 0, "k %d", k);
    ex_pool_free(&p);
}

/* Double against MPFR at 53 bits, all operations at a generic point.
 * Only the libm calls of coefficient 0 may differ (glibc's are not all
 * correctly rounded), and the recurrences carry such a difference on,
 * so the bound is a relative one on the size of the coefficients, and
 * a loose bound on double against 256 bits shows both are accurate. */
Test(generic, double_vs_mp53_and_mp256)
{
    ex_pool p;
    ex_pool_init(&p);
    int root = everything(&p);
    int deg = 20;
    double y[2 * D], out[D];
    xy_series(y, deg);
    inputs in = { 0.6, y, 2, &par0, 1, init0 };
    cr_assert_eq(run1_d(&p, root, deg, &in, out), -1);
    mpfr_t *m53 = mp_new(D, 53), *m256 = mp_new(D, 256);
    cr_assert_eq(run_mp(&p, &root, 1, deg, 53, &in, m53, NULL), -1);
    cr_assert_eq(run_mp(&p, &root, 1, deg, 256, &in, m256, NULL), -1);
    double scale = 0;
    for (int k = 0; k <= deg; k++)
        scale = fmax(scale, fabs(out[k]));
    unsigned long long same = 0;
    double worst53 = 0, worst256 = 0;
    for (int k = 0; k <= deg; k++) {
        double d53 = mpfr_get_d(m53[k], R), d256 = mpfr_get_d(m256[k], R);
        same += ulp_diff(d53, out[k]) == 0;
        worst53 = fmax(worst53, fabs(d53 - out[k]) / scale);
        worst256 = fmax(worst256, fabs(d256 - out[k]) / scale);
    }
    cr_log_info("bitwise equal: %llu of %d; worst rel. to max |c_k|: "
                "mp53 %.3g, mp256 %.3g", same, deg + 1, worst53, worst256);
    cr_assert_lt(worst53, 1e-14);
    cr_assert_lt(worst256, 1e-13);
    mp_free(m53, D);
    mp_free(m256, D);
    ex_pool_free(&p);
}

/* POWI is the same product sequence as MUL nodes: u^5 is
 * (((u*u)*u)*u)*u and u^-3 is 1/((u*u)*u), bit for bit. */
Test(generic, powi_equals_explicit_products)
{
    ex_pool p;
    ex_pool_init(&p);
    int u = state(&p, 0);
    int u2 = bin(&p, EX_MUL, u, u), u3 = bin(&p, EX_MUL, u2, u);
    int u5 = bin(&p, EX_MUL, bin(&p, EX_MUL, u3, u), u);
    int roots[] = { powi(&p, u, 5), u5, powi(&p, u, -3),
                    bin(&p, EX_DIV, lit(&p, "1"), u3) };
    int deg = 20;
    double y[2 * D], out[4 * D];
    xy_series(y, deg);
    inputs in = { 0, y, 2, NULL, 0, NULL };
    cr_assert_eq(run_d(&p, roots, 4, deg, &in, out, NULL), -1);
    for (int k = 0; k <= deg; k++) {
        cr_assert_eq(ulp_diff(out[k], out[D + k]), 0, "u^5 k %d", k);
        cr_assert_eq(ulp_diff(out[2 * D + k], out[3 * D + k]), 0, "u^-3 k %d", k);
    }
    mpfr_t *m = mp_new(4 * D, 53);
    cr_assert_eq(run_mp(&p, roots, 4, deg, 53, &in, m, NULL), -1);
    for (int k = 0; k < 4 * D; k++)
        cr_assert_eq(ulp_diff(mpfr_get_d(m[k], R), out[k]), 0);
    mp_free(m, 4 * D);
    ex_pool_free(&p);
}

/* Pairs that are the same function of x and y, checked at degree 12. */
typedef struct ident {
    const char *name;
    int lhs, rhs;
} ident;

static int sq(ex_pool *p, int a) { return powi(p, a, 2); }

Test(generic, identities)
{
    ex_pool p;
    ex_pool_init(&p);
    int x = state(&p, 0), y = state(&p, 1), one = lit(&p, "1");
    int hx = bin(&p, EX_DIV, x, lit(&p, "2"));
    ident ids[] = {
        { "exp(log y)", un(&p, EX_EXP, un(&p, EX_LOG, y)), y },
        { "sin^2+cos^2", bin(&p, EX_ADD, sq(&p, un(&p, EX_SIN, y)),
                             sq(&p, un(&p, EX_COS, y))), one },
        { "cosh^2-sinh^2", bin(&p, EX_SUB, sq(&p, un(&p, EX_COSH, x)),
                               sq(&p, un(&p, EX_SINH, x))), one },
        { "tan(atan y)", un(&p, EX_TAN, un(&p, EX_ATAN, y)), y },
        { "sin(asin x)", un(&p, EX_SIN, un(&p, EX_ASIN, x)), x },
        { "cos(acos x)", un(&p, EX_COS, un(&p, EX_ACOS, x)), x },
        { "asin+acos", bin(&p, EX_ADD, un(&p, EX_ASIN, hx), un(&p, EX_ACOS, hx)),
          lit(&p, "1.57079632679489661923132169163975144") },
        { "tanh", un(&p, EX_TANH, x),
          bin(&p, EX_DIV, un(&p, EX_SINH, x), un(&p, EX_COSH, x)) },
        { "sqrt^2", sq(&p, un(&p, EX_SQRT, y)), y },
        { "pow", bin(&p, EX_POW, y, x),
          un(&p, EX_EXP, bin(&p, EX_MUL, x, un(&p, EX_LOG, y))) },
        { "pow 2.5", bin(&p, EX_POW, y, lit(&p, "2.5")),
          bin(&p, EX_MUL, sq(&p, y), un(&p, EX_SQRT, y)) },
        { "pow -1.5", bin(&p, EX_POW, y, lit(&p, "-1.5")),
          bin(&p, EX_DIV, one, bin(&p, EX_MUL, y, un(&p, EX_SQRT, y))) },
        { "pow int", bin(&p, EX_POW, x, lit(&p, "4")), powi(&p, x, 4) },
        { "log(xy)", un(&p, EX_LOG, bin(&p, EX_MUL, x, y)),
          bin(&p, EX_ADD, un(&p, EX_LOG, x), un(&p, EX_LOG, y)) },
        { "atan", un(&p, EX_ATAN, x),
          un(&p, EX_ASIN, bin(&p, EX_DIV, x, un(&p, EX_SQRT,
                             bin(&p, EX_ADD, one, sq(&p, x))))) },
        { "div", bin(&p, EX_DIV, x, y),
          bin(&p, EX_MUL, x, powi(&p, y, -1)) },
    };
    int nid = (int)(sizeof ids / sizeof *ids);
    int deg = 12;
    double ser[2 * D];
    xy_series(ser, deg);
    inputs in = { 0, ser, 2, NULL, 0, NULL };
    for (int i = 0; i < nid; i++) {
        int roots[2] = { ids[i].lhs, ids[i].rhs };
        double out[2 * D];
        cr_assert_eq(run_d(&p, roots, 2, deg, &in, out, NULL), -1, "%s", ids[i].name);
        for (int k = 0; k <= deg; k++) {
            double l = out[k], r = out[deg + 1 + k];
            cr_assert_lt(fabs(l - r), 1e-13 * fmax(1, fabs(r)),
                         "%s k %d: %.17g vs %.17g", ids[i].name, k, l, r);
        }
    }
    ex_pool_free(&p);
}

/* ---- the Taylor-series method --------------------------------------- */

/* y' = y^2, y(0) = 1 has y = 1/(1-t): y_[k+1] = (y^2)_[k] / (k+1) = 1.
 * Coefficient k of f depends on y_[0..k] only, so one pass per order. */
Test(taylor, riccati_coefficients_are_one)
{
    ex_pool p;
    ex_pool_init(&p);
    int f = powi(&p, state(&p, 0), 2);
    int deg = 20;
    double y[D] = { 1 }, out[D];
    inputs in = { 0, y, 1, NULL, 0, NULL };
    for (int k = 0; k < deg; k++) {
        cr_assert_eq(run1_d(&p, f, deg, &in, out), -1);
        y[k + 1] = out[k] / (k + 1);
    }
    for (int k = 0; k <= deg; k++)
        cr_assert_eq(y[k], 1.0, "k %d", k);
    ex_pool_free(&p);
}

/* ---- failures ----------------------------------------------------- */

typedef struct fcase {
    const char *name;
    int root;
    ex_op op;   /* of the failing instruction; EX_NOPS: must succeed */
} fcase;

Test(fail, where_no_series_exists)
{
    ex_pool p;
    ex_pool_init(&p);
    int t = tvar(&p), one = lit(&p, "1");
    int tm1 = bin(&p, EX_SUB, t, one);      /* -1 + h */
    fcase fc[] = {
        { "1/t", bin(&p, EX_DIV, one, t), EX_DIV },
        { "exp(1/t)+1", bin(&p, EX_ADD, un(&p, EX_EXP, bin(&p, EX_DIV, one, t)),
                            one), EX_DIV },
        { "t^-2", powi(&p, t, -2), EX_POWI },
        { "log(t)", un(&p, EX_LOG, t), EX_LOG },
        { "log(t-1)", un(&p, EX_LOG, tm1), EX_LOG },
        { "sqrt(t)", un(&p, EX_SQRT, t), EX_SQRT },
        { "sqrt(t-1)", un(&p, EX_SQRT, tm1), EX_SQRT },
        { "asin(1+t)", un(&p, EX_ASIN, bin(&p, EX_ADD, one, t)), EX_ASIN },
        { "acos(t-1)", un(&p, EX_ACOS, tm1), EX_ACOS },
        { "pow(t,0.5)", bin(&p, EX_POW, t, lit(&p, "0.5")), EX_POW },
        { "pow(t-1,0.5)", bin(&p, EX_POW, tm1, lit(&p, "0.5")), EX_POW },
        { "pow(t,t)", bin(&p, EX_POW, t, t), EX_POW },
        { "pow(t,-1)", bin(&p, EX_POW, t, lit(&p, "-1")), EX_POW },
        { "pow(t-1,t)", bin(&p, EX_POW, tm1, t), EX_POW },
        /* and where it does */
        { "t^2", powi(&p, t, 2), EX_NOPS },
        { "pow(t,3)", bin(&p, EX_POW, t, lit(&p, "3")), EX_NOPS },
        { "pow(t,0)", bin(&p, EX_POW, t, lit(&p, "0")), EX_NOPS },
        { "pow(t-1,3)", bin(&p, EX_POW, tm1, lit(&p, "3")), EX_NOPS },
        { "asin(t)", un(&p, EX_ASIN, t), EX_NOPS },
    };
    int deg = 6;
    for (size_t i = 0; i < sizeof fc / sizeof *fc; i++) {
        double out[D];
        ex_op op = EX_NOPS, opm = EX_NOPS;
        int rc = run_d(&p, &fc[i].root, 1, deg, &at_zero, out, &op);
        mpfr_t *m = mp_new((size_t)deg + 1, 128);
        int rcm = run_mp(&p, &fc[i].root, 1, deg, 128, &at_zero, m, &opm);
        mp_free(m, (size_t)deg + 1);
        if (fc[i].op == EX_NOPS) {
            cr_assert_eq(rc, -1, "%s", fc[i].name);
            cr_assert_eq(rcm, -1, "%s (mp)", fc[i].name);
            continue;
        }
        cr_assert_geq(rc, 0, "%s", fc[i].name);
        cr_assert_eq(op, fc[i].op, "%s", fc[i].name);
        cr_assert_eq(rcm, rc, "%s (mp)", fc[i].name);
        cr_assert_eq(opm, fc[i].op, "%s (mp)", fc[i].name);
    }
    ex_pool_free(&p);
}

/* Coefficient by coefficient gives up exactly where ex_series needs the
 * whole argument (a base through zero, a domain edge) or where pow's
 * exponent is not constant by its form; elsewhere run_d has checked it
 * agrees bitwise. */
Test(fail, coefficient_by_coefficient_gives_up)
{
    ex_pool p;
    ex_pool_init(&p);
    int t = tvar(&p), one = lit(&p, "1");
    int opt = bin(&p, EX_ADD, one, t), a = leaf(&p, EX_PARAM, 0);
    struct { const char *name; int root, gives_up; } c[] = {
        { "pow(t,3)", bin(&p, EX_POW, t, lit(&p, "3")), 1 },
        { "pow(1+t,t)", bin(&p, EX_POW, opt, t), 1 },
        { "pow(1+t,t-t)", bin(&p, EX_POW, opt, bin(&p, EX_SUB, t, t)), 1 },
        { "pow(1+t,3)", bin(&p, EX_POW, opt, lit(&p, "3")), 0 },
        { "pow(1+t,a/2)", bin(&p, EX_POW, opt, bin(&p, EX_DIV, a, lit(&p, "2"))), 0 },
        { "sqrt(1+t)", un(&p, EX_SQRT, opt), 0 },
        { "(1+t)^-3", powi(&p, opt, -3), 0 },
    };
    double pv[1] = { 3 };
    inputs in = { 0, NULL, 0, pv, 1, NULL };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        double out[D];
        cr_assert_eq(run1_d(&p, c[i].root, 6, &in, out), -1, "%s", c[i].name);
        cr_assert_eq(coeff_failed, c[i].gives_up, "%s", c[i].name);
    }
    ex_pool_free(&p);
}

/* pow with a constant integer exponent and a base through zero. */
Test(fail, pow_integer_exponent_at_zero_base)
{
    ex_pool p;
    ex_pool_init(&p);
    int t = tvar(&p), one = lit(&p, "1");
    int s = un(&p, EX_SIN, t);
    int roots[] = {
        bin(&p, EX_POW, t, lit(&p, "3")),
        bin(&p, EX_POW, bin(&p, EX_SUB, t, one), lit(&p, "3")),
        bin(&p, EX_POW, s, lit(&p, "2")),
        powi(&p, s, 2),
        bin(&p, EX_POW, t, lit(&p, "0")),
        bin(&p, EX_POW, t, lit(&p, "30")),
    };
    int deg = 10;
    double out[6 * D];
    cr_assert_eq(run_d(&p, roots, 6, deg, &at_zero, out, NULL), -1);
    size_t d = (size_t)deg + 1;
    for (int k = 0; k <= deg; k++) {
        cr_assert_eq(out[k], k == 3 ? 1.0 : 0.0);
        double cube[] = { -1, 3, -3, 1 };
        cr_assert_eq(out[d + (size_t)k], k <= 3 ? cube[k] : 0.0);
        cr_assert_lt(fabs(out[2 * d + (size_t)k] - out[3 * d + (size_t)k]), 1e-16);
        cr_assert_eq(out[4 * d + (size_t)k], k == 0 ? 1.0 : 0.0);
        cr_assert_eq(out[5 * d + (size_t)k], 0.0);
    }
    ex_pool_free(&p);
}

/* A constant argument needs no recurrence, so the domain edges a named
 * constant may use (pi = acos(-1)) work at every degree; values that are
 * not real numbers still fail. */
Test(fail, constants_at_the_domain_edge)
{
    ex_pool p;
    ex_pool_init(&p);
    int zero = lit(&p, "0"), one = lit(&p, "1");
    int mone = un(&p, EX_NEG, one), half = lit(&p, "0.5");
    int ok[] = {
        un(&p, EX_ACOS, mone), un(&p, EX_ASIN, one), un(&p, EX_SQRT, zero),
        bin(&p, EX_POW, zero, half), bin(&p, EX_POW, zero, lit(&p, "2")),
        bin(&p, EX_POW, mone, lit(&p, "3")),
    };
    const double pi = 3.14159265358979323846;
    const double want[] = { pi, pi / 2, 0, 0, 0, -1 };
    int bad[] = {
        un(&p, EX_LOG, zero), bin(&p, EX_DIV, one, zero), powi(&p, zero, -1),
        bin(&p, EX_POW, zero, un(&p, EX_NEG, half)), un(&p, EX_SQRT, mone),
        un(&p, EX_ASIN, lit(&p, "2")), bin(&p, EX_POW, mone, half),
    };
    for (int di = 0; di < NDEG; di++) {
        int deg = degrees[di];
        size_t d = (size_t)deg + 1, nok = sizeof ok / sizeof *ok;
        double out[6 * D];
        cr_assert_eq(run_d(&p, ok, (int)nok, deg, &at_zero, out, NULL), -1);
        mpfr_t *m = mp_new(nok * d, 53);
        cr_assert_eq(run_mp(&p, ok, (int)nok, deg, 53, &at_zero, m, NULL), -1);
        for (size_t i = 0; i < nok; i++)
            for (size_t k = 0; k < d; k++) {
                cr_assert_eq(out[i * d + k], k ? 0.0 : want[i], "%zu", i);
                cr_assert_eq(mpfr_get_d(m[i * d + k], R), out[i * d + k]);
            }
        mp_free(m, nok * d);
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            mpfr_t *mb = mp_new(d, 53);
            cr_assert_geq(run_d(&p, &bad[i], 1, deg, &at_zero, out, NULL), 0,
                          "bad %zu", i);
            cr_assert_geq(run_mp(&p, &bad[i], 1, deg, 53, &at_zero, mb, NULL), 0,
                          "bad %zu (mp)", i);
            mp_free(mb, d);
        }
    }
    ex_pool_free(&p);
}

/* ---- work sizes ----------------------------------------------------- */

Test(work, companions_are_counted)
{
    ex_pool p;
    ex_pool_init(&p);
    int x = state(&p, 0), y = state(&p, 1);
    int e = bin(&p, EX_ADD, bin(&p, EX_ADD, un(&p, EX_SIN, x),
                                bin(&p, EX_POW, x, y)), powi(&p, y, -2));
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, &p, &e, 1), 0);
    cr_assert_eq(tp.n, 7);
    /* sin: 1, pow: 2, y^-2: 1; and a byte per slot, here one double */
    cr_assert_eq(ex_series_work(&tp, 0), 11 + 1);
    cr_assert_eq(ex_series_work(&tp, 9), 110 + 1);
    ex_tape_free(&tp);
    ex_pool_free(&p);
}
