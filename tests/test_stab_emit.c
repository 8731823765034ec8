/* test_stab_emit.c - many-stage methods in either form (stabilized.h)
 * and their ladders (stab_ladder.h): the engine's step against closed
 * forms, the emitted stepper against the engine through libtcc, strict
 * compiles under gcc, clang and tcc, and the same bits from all three. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "family.h"
#include "fileio.h"
#include "jit.h"
#include "jitcheck.h"
#include "ladder_emit.h"
#include "pipeline.h"
#include "rk.h"
#include "stab_emit.h"
#include "stabilized.h"
#include "support.h"

#define STRICT "-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror"

/* RKC1 (first-order shifted Chebyshev, R(z) = T_s(1 + z/s^2)) as s
 * Euler factors: its roots z_k = -s^2 (1 - cos((2k-1) pi / (2s))), taken
 * small and large alternately.  Exact to rounding on a scalar problem,
 * but not internally stable on a system (internal_stability_at_320_stages:
 * stab_design's order is). */
static rk_stab *rkc1(int s)
{
    rk_stab *m = stab_new(s);
    cr_assert_not_null(m);
    snprintf(m->name, sizeof m->name, "rkc1_%d", s);
    m->s = s;
    m->order = 1;
    m->beta = 2.0 * s * s;
    for (int j = 0, lo = 1, hi = s; j < s; j++) {
        int k = j % 2 ? hi-- : lo++;
        double z = -(double)s * s * (1 - cos((2 * k - 1) * (4 * atan(1.0)) / (2 * s)));
        m->factor[j].kind = STAB_EULER;
        m->factor[j].alpha = -1 / z;
    }
    return m;
}

/* Heun (the explicit trapezoidal rule) as one quadratic factor, and a
 * method mixing both kinds of factor. */
static rk_stab *mixed(void)
{
    rk_stab *m = stab_new(3);
    snprintf(m->name, sizeof m->name, "mixed");
    m->s = 5;
    m->order = 1;
    m->factor[0] = (stab_factor){STAB_EULER, 0.3, 0, 0, 0};
    m->factor[1] = (stab_factor){STAB_QUADRATIC, 0, 0.7, 0.25, -0.125};
    m->factor[2] = (stab_factor){STAB_QUADRATIC, 0, 1.0 / 3, 0.1, 0.45};
    return m;
}

static double chebyshev(int s, double x)
{
    if (fabs(x) <= 1)
        return cos(s * acos(x));
    return (x > 0 || s % 2 == 0 ? 1 : -1) * cosh(s * acosh(fabs(x)));
}

static void decay(void *ctx, double t, const double *y, double *dydt)
{
    (void)t;
    dydt[0] = -*(const double *)ctx * y[0];
}

Test(stab_step, stages_and_life)
{
    rk_stab *m = mixed();
    cr_expect_eq(stab_stages(m), 5);
    cr_expect_null(stab_new(0));
    cr_expect_null(stab_new(STAB_MAX_STAGES + 1));
    stab_free(m);
    stab_free(NULL);
}

/* One step on y' = -a y is R(-h a) y0, R = T_s(1 + z/s^2), over the
 * whole interval [-2 s^2, 0], for s up to 256. */
Test(stab_step, rkc1_is_the_chebyshev_polynomial)
{
    int ss[] = {2, 3, 8, 32, 64, 256};
    for (int k = 0; k < 6; k++) {
        int s = ss[k];
        rk_stab *m = rkc1(s);
        double work[STAB_WORK(1)];
        for (int i = 0; i <= 40; i++) {
            double z = -2.0 * s * s * i / 40, a = 1, y = 1;
            stab_step(m, decay, &a, 1, 0, &y, -z, work);
            double r = chebyshev(s, 1 + z / ((double)s * s));
            /* the rounding of s Euler factors, amplified by about s^2 */
            cr_expect(fabs(y - r) <= 1e-15 * s * s + 1e-14, "s = %d, z = %g: %.17g vs %.17g",
                      s, z, y, r);
            cr_expect(fabs(y) <= 1 + 1e-12, "s = %d, z = %g: |R| = %g", s, z, fabs(y));
        }
        stab_free(m);
    }
}

/* A quadratic factor (a, b1, b2) = (1, 1/2, 1/2) performs Heun's
 * operations in rk_step's order: the same bits. */
Test(stab_step, a_quadratic_factor_is_heun_bit_for_bit)
{
    rk_family *f = example_family("vanderpol");
    rk_tableau *t = tableau_builtin("heun");
    rk_stab *m = stab_new(1);
    m->factor[0] = (stab_factor){STAB_QUADRATIC, 0, 1, 0.5, 0.5};
    double p[4] = {1.5}, y[2] = {0.5, -0.25}, z[2] = {0.5, -0.25};
    double work[64], tape[256];
    cr_assert(f->rhs.n < 256);
    family_rhs_ctx ctx = {f, p, tape};
    float yf[2] = {0.5f, -0.25f}, zf[2] = {0.5f, -0.25f}, pf[4] = {1.5f}, workf[64], tapef[256];
    family_rhsf_ctx ctxf = {f, pf, tapef};
    for (int k = 0; k < 50; k++) {
        rk_step(t, family_rhs, &ctx, 2, 0.01 * k, y, 0.01, work);
        stab_step(m, family_rhs, &ctx, 2, 0.01 * k, z, 0.01, work);
        rk_stepf(t, family_rhsf, &ctxf, 2, 0.01f * (float)k, yf, 0.01f, workf);
        stab_stepf(m, family_rhsf, &ctxf, 2, 0.01f * (float)k, zf, 0.01f, workf);
    }
    for (int i = 0; i < 2; i++) {
        cr_expect_eq(ulp_diff(y[i], z[i]), 0, "%a vs %a", y[i], z[i]);
        cr_expect_eq(yf[i], zf[i]);
    }
    stab_free(m);
    tableau_free(t);
    family_free(f);
}

/* RKC1 converges with order 1 on y' = -a y. */
Test(stab_step, rkc1_has_order_one)
{
    rk_stab *m = rkc1(10);
    double hs[4], errs[4], work[STAB_WORK(1)], a = 3;
    for (int k = 0; k < 4; k++) {
        int n = 4 << k;
        double y = 1, h = 1.0 / n;
        for (int i = 0; i < n; i++)
            stab_step(m, decay, &a, 1, i * h, &y, h, work);
        hs[k] = h;
        errs[k] = fabs(y - exp(-a));
    }
    double slope = fit_slope(hs, errs, 4);
    cr_expect(fabs(slope - 1) < 0.1, "slope %g", slope);
    stab_free(m);
}

static rk_stab *cheb(int s, int p)
{
    rk_error err = {{0}};
    rk_stab *m = stab_design_chebyshev(s, p, 0, &err);
    cr_assert_not_null(m, "%s", err.text);
    return m;
}

static rk_stab *design_p2(int s)
{
    rk_error err = {{0}};
    rk_stab *m = stab_design(s, 2, 0, &err);
    cr_assert_not_null(m, "%s", err.text);
    return m;
}

/* PREFIX in capitals, as the header's macros spell it. */
static void upper(const char *prefix, char *out, size_t size)
{
    size_t j = 0;
    for (; prefix[j] && j + 1 < size; j++)
        out[j] = (char)(prefix[j] >= 'a' && prefix[j] <= 'z' ? prefix[j] - 32 : prefix[j]);
    out[j] = '\0';
}

/* dir/prefix.h and dir/prefix.c from r, which is freed. */
static void write_result(const char *dir, const char *prefix, emit_result *r)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.h", dir, prefix);
    write_text(path, r->h);
    snprintf(path, sizeof path, "%s/%s.c", dir, prefix);
    write_text(path, r->c);
    emit_result_free(r);
}

static void emit_stab_family(const char *dir, const rk_family *f, const rk_stab *m,
                             const char *prefix, int is_float)
{
    emit_opts o = {{0}, is_float};
    emit_result r;
    rk_error err = {{0}};
    snprintf(o.prefix, sizeof o.prefix, "%s", prefix);
    cr_assert_eq(stab_emit_stepper(f, m, &o, &r, &err), 0, "%s", err.text);
    write_result(dir, prefix, &r);
}

static void emit_stab(const char *dir, const char *fam, const rk_stab *m, const char *prefix,
                      int is_float)
{
    rk_family *f = example_family(fam);
    emit_stab_family(dir, f, m, prefix, is_float);
    family_free(f);
}

/* The emitted stepper is a loop over a table: no s x s array, no
 * malloc, the coefficients as hex floats. */
Test(stab_emit, a_table_not_a_tableau)
{
    const char *dir = tmp_dir("stab_table");
    rk_stab *m = rkc1(256);
    emit_stab(dir, "linear", m, "lin256", 0);
    cr_expect_eq(sh("cd %s && grep -q 'static const lin256_real c\\[LIN256_FACTORS\\]\\[3\\]' lin256.c", dir), 0);
    cr_expect_eq(sh("cd %s && grep -q '#define LIN256_STAGES 256' lin256.h", dir), 0);
    cr_expect_eq(sh("cd %s && ! grep -q 'malloc' lin256.c", dir), 0);
    cr_expect_eq(sh("cd %s && test $(grep -c '^        {0x' lin256.c) -eq 256", dir), 0);
    cr_expect_eq(sh("cd %s && test $(wc -l < lin256.c) -lt 400", dir), 0);
    stab_free(m);
}

/* The Chebyshev form: a weight table of s + 1 rows and a time table of
 * s, the recurrence a loop, no s x s array. */
Test(stab_emit, a_recurrence_not_a_tableau)
{
    const char *dir = tmp_dir("stab_cheb_table");
    rk_stab *m = cheb(64, 2);
    emit_stab(dir, "linear", m, "c64", 0);
    cr_expect_eq(sh("cd %s && grep -q 'static const c64_real w\\[C64_STAGES + 1\\]' c64.c", dir), 0);
    cr_expect_eq(sh("cd %s && grep -q 'static const c64_real c\\[C64_STAGES\\]' c64.c", dir), 0);
    cr_expect_eq(sh("cd %s && test $(grep -c '/\\* w_[0-9]' c64.c) -eq 65", dir), 0);
    cr_expect_eq(sh("cd %s && grep -q 'Chebyshev' c64.h && ! grep -q 'malloc' c64.c", dir), 0);
    cr_expect_eq(sh("cd %s && test $(wc -l < c64.c) -lt 300", dir), 0);
    stab_free(m);
}

/* Through the pipeline: libtcc compiles the file and jitcheck_run_stab
 * compares it with stab_step, bit for bit, double and float, on a
 * scalar family and on an array family, up to 256 stages. */
Test(stab_emit, jit_check_bit_for_bit, .timeout = 120)
{
    const char *fams[] = {"linear", "heat1d", "vanderpol", "heat1d", "vanderpol"};
    rk_stab *ms[] = {rkc1(8), rkc1(256), mixed(), cheb(256, 1), cheb(12, 2)};
    for (int k = 0; k < 5; k++)
        for (int fl = 0; fl < 2; fl++) {
            const char *dir = tmp_dir("stab_jit");
            rk_family *f = example_family(fams[k]);
            emit_opts o = {{0}, fl};
            snprintf(o.prefix, sizeof o.prefix, "j%d%d", k, fl);
            stepper_build b;
            rk_error err = {{0}};
            int st = stab_stepper_prepare(f, ms[k], &o, dir, &b, &err);
            cr_expect_eq(st, 0, "%s %d: %s", fams[k], fl, err.text);
            if (st == 0) {
                cr_expect_eq(b.check.max_ulps, 0, "%s %d: %g ulps", fams[k], fl, b.check.max_ulps);
                cr_expect_gt(b.check.members, 0);
                cr_expect_eq(stepper_commit(&b, &err), 0, "%s", err.text);
            }
            family_free(f);
        }
    for (int k = 0; k < 5; k++)
        stab_free(ms[k]);
}

/* The libtcc check of `bad`'s emitted stepper against m's engine step
 * fails, and says so. */
static void expect_check_fails(const char *dir, rk_stab *m, rk_stab *bad)
{
    rk_family *f = example_family("linear");
    emit_stab(dir, "linear", bad, "w", 0);
    char path[1024];
    rk_error err = {{0}};
    snprintf(path, sizeof path, "%s/w.c", dir);
    rk_jit *j = jit_compile(path, &err);
    cr_assert_not_null(j, "%s", err.text);
    jit_stepper js;
    jitcheck_report rep;
    cr_assert_eq(jit_stepper_get(j, "w", 0, &js, &err), 0);
    cr_expect_eq(jitcheck_run_stab(f, m, 0, &js, &rep, &err), 1);
    cr_expect(strstr(err.text, "differs from the engine") != NULL, "%s", err.text);
    jit_free(j);
    stab_free(m);
    stab_free(bad);
    family_free(f);
}

static const char forced[] = "family forced\nstate y\nparam a ~ uniform(1, 2)\n"
                             "init y ~ uniform(0.5, 1)\nstep h ~ uniform(0.05, 0.1)\nhorizon 2\n"
                             "y' = -a*y + sin(3*t)\n";

/* A non-autonomous family: the stage times reach f, so a time table off
 * by one stage, or a product's running time, would show. */
Test(stab_emit, jit_check_non_autonomous, .timeout = 60)
{
    rk_stab *ms[] = {cheb(12, 2), design_p2(12), rkc1(8)};
    for (int k = 0; k < 3; k++)
        for (int fl = 0; fl < 2; fl++) {
            rk_family *f = family_text(forced);
            emit_opts o = {{0}, fl};
            snprintf(o.prefix, sizeof o.prefix, "n%d%d", k, fl);
            stepper_build b;
            rk_error err = {{0}};
            int st = stab_stepper_prepare(f, ms[k], &o, tmp_dir("stab_forced"), &b, &err);
            cr_expect_eq(st, 0, "%s %d: %s", ms[k]->name, fl, err.text);
            if (st == 0) {
                cr_expect_eq(b.check.max_ulps, 0, "%s %d: %g ulps", ms[k]->name, fl,
                             b.check.max_ulps);
                stepper_commit(&b, &err);
            }
            family_free(f);
        }
    for (int k = 0; k < 3; k++)
        stab_free(ms[k]);
}

static const char stepn_driver[] =
    "#include <stdio.h>\n#include <string.h>\n#include \"%s.h\"\n"
    "static void rhs(%s_real t, const %s_real *y, %s_real *dy, void *ctx) {\n"
    "  %s_rhs(t, y, dy, (const %s_params *)ctx);\n}\n"
    "int main(void) {\n"
    "  %s_params p = {1.5};\n  %s_real y[1] = {0.75}, z[1] = {0.75}, w[%s_WORK(1)];\n"
    "  int i;\n"
    "  for (i = 0; i < 20; i++) {\n"
    "    %s_step((%s_real)i * 0.0625f, y, 0.0625f, &p);\n"
    "    %s_step_n(rhs, &p, 1, (%s_real)i * 0.0625f, z, 0.0625f, w);\n"
    "  }\n"
    "  printf(\"%%a %%a\\n\", (double)y[0], (double)z[0]);\n"
    "  return memcmp(y, z, sizeof y) != 0;\n}\n";

/* PREFIX_step_n performs the same roundings as PREFIX_step, on the
 * non-autonomous family, double and float, both forms. */
Test(stab_emit, step_n_is_step, .timeout = 60)
{
    const char *dir = tmp_dir("stab_stepn");
    rk_stab *ms[] = {cheb(12, 2), design_p2(12)};
    rk_family *f = family_text(forced);
    for (int k = 0; k < 2; k++)
        for (int fl = 0; fl < 2; fl++) {
            char P[16], U[16], src[4096], path[1024];
            snprintf(P, sizeof P, "sn%d%d", k, fl);
            upper(P, U, sizeof U);
            emit_stab_family(dir, f, ms[k], P, fl);
            snprintf(src, sizeof src, stepn_driver, P, P, P, P, P, P, P, P, U, P, P, P, P);
            snprintf(path, sizeof path, "%s/main_%s.c", dir, P);
            write_text(path, src);
            cr_expect_eq(sh("cd %s && gcc -std=c99 -O2 -ffp-contract=off -o %s main_%s.c %s.c -lm "
                            "&& ./%s >/dev/null", dir, P, P, P, P), 0,
                         "%s %s: step_n differs from step", ms[k]->name, fl ? "float" : "double");
        }
    family_free(f);
    for (int k = 0; k < 2; k++)
        stab_free(ms[k]);
}

/* The check can fail: one coefficient off by 2^-40 is caught. */
Test(stab_emit, jit_check_catches_a_wrong_coefficient)
{
    rk_stab *bad = rkc1(8);
    bad->factor[3].alpha *= 1 + 0x1p-40;
    expect_check_fails(tmp_dir("stab_wrong"), rkc1(8), bad);
}

/* ... and one weight of the Chebyshev form off by 2^-40. */
Test(stab_emit, jit_check_catches_a_wrong_weight)
{
    rk_stab *bad = cheb(10, 2);
    bad->weight[6] *= 1 + 0x1p-40;
    expect_check_fails(tmp_dir("stab_wrong_w"), cheb(10, 2), bad);
}

/* Refusals: no factor, an unknown kind, a coefficient that is not finite. */
Test(stab_emit, refuses_bad_methods)
{
    rk_family *f = example_family("linear");
    emit_opts o = {"x", 0};
    emit_result r;
    rk_error err = {{0}};
    rk_stab *m = mixed();
    m->factor[1].kind = 7;
    cr_expect_eq(stab_emit_stepper(f, m, &o, &r, &err), -1);
    cr_expect(strstr(err.text, "factor 2") != NULL, "%s", err.text);
    m->factor[1].kind = STAB_QUADRATIC;
    m->factor[2].b2 = NAN;
    cr_expect_eq(stab_emit_stepper(f, m, &o, &r, &err), -1);
    cr_expect(strstr(err.text, "not finite") != NULL, "%s", err.text);
    m->factor[2].b2 = 0.5;
    snprintf(o.prefix, sizeof o.prefix, "9x");
    cr_expect_eq(stab_emit_stepper(f, m, &o, &r, &err), -1);
    stab_free(m);
    family_free(f);
}

static int have(const char *tool)
{
    return sh("command -v %s >/dev/null 2>&1", tool) == 0;
}

/* Zero warnings under gcc, clang and tcc with strict flags, double and
 * float (-Wdouble-promotion), scalar and array families. */
Test(stab_emit, strict_compile, .timeout = 120)
{
    cr_assert(have("gcc") && have("clang") && have("tcc"), "gcc, clang and tcc are required");
    const char *dir = tmp_dir("stab_strict");
    const char *fams[] = {"linear", "heat1d", "vanderpol", "lorenz96",
                          "linear", "heat1d", "vanderpol", "lorenz96"};
    rk_stab *ms[] = {rkc1(16), rkc1(300), mixed(), rkc1(5),
                     cheb(16, 2), cheb(300, 1), cheb(4, 2), cheb(5, 3)};
    for (int k = 0; k < 8; k++)
        for (int fl = 0; fl < 2; fl++) {
            char P[16];
            snprintf(P, sizeof P, "s%d%d", k, fl);
            emit_stab(dir, fams[k], ms[k], P, fl);
            cr_expect_eq(sh("cd %s && gcc " STRICT " -Wdouble-promotion -c %s.c -o /dev/null", dir, P), 0,
                         "gcc: %s %d", fams[k], fl);
            cr_expect_eq(sh("cd %s && clang " STRICT " -Wdouble-promotion -c %s.c -o /dev/null", dir, P), 0,
                         "clang: %s %d", fams[k], fl);
            cr_expect_eq(sh("cd %s && tcc " STRICT " -c %s.c -o /dev/null", dir, P), 0,
                         "tcc: %s %d", fams[k], fl);
        }
    for (int k = 0; k < 8; k++)
        stab_free(ms[k]);
}

static const char driver[] =
    "#include <stdio.h>\n#include \"%s.h\"\n"
    "int main(void) {\n"
    "  %s_params p;\n  %s_real y[%s_DIM];\n  int i;\n  %s\n"
    "  for (i = 0; i < %s_DIM; i++) y[i] = (%s_real)(0.5 + 0.25 * (i %% 7));\n"
    "  %s_integrate(0, y, (%s_real)%s, 20, &p);\n"
    "  for (i = 0; i < %s_DIM; i++) printf(\"%%a\\n\", (double)y[i]);\n"
    "  return 0;\n}\n";

/* gcc -O0, gcc -O2, clang -O2 and tcc give the same bits: a 256-stage
 * RKC1 on y' = -a y near the edge of its interval, and on heat1d. */
Test(stab_emit, bit_identical_across_compilers, .timeout = 120)
{
    const char *dir = tmp_dir("stab_bits");
    const char *fams[] = {"linear", "heat1d", "linear", "heat1d"};
    const char *params[] = {"p.a = 3.0;", "p.D = 0.001; p.A = 1;", "p.a = 3.0;",
                            "p.D = 0.001; p.A = 1;"};
    const char *h[] = {"40000.0", "0.02", "1100.0", "0.008"};
    rk_stab *ms[] = {rkc1(256), rkc1(128), cheb(64, 2), cheb(40, 2)};
    for (int k = 0; k < 4; k++)
        for (int fl = 0; fl < 2; fl++) {
            char P[16], U[16], src[4096], path[1024];
            snprintf(P, sizeof P, "b%d%d", k, fl);
            upper(P, U, sizeof U);
            emit_stab(dir, fams[k], ms[k], P, fl);
            snprintf(src, sizeof src, driver, P, P, P, U, params[k], U, P, P, P, h[k], U);
            snprintf(path, sizeof path, "%s/main_%s.c", dir, P);
            write_text(path, src);
            char label[64];
            snprintf(label, sizeof label, "%s %s", fams[k], fl ? "float" : "double");
            expect_same_bits(dir, P, label);
        }
    for (int k = 0; k < 4; k++)
        stab_free(ms[k]);
}

/* One step of m on heat (N = 100, D = 1) at h = 0.95 beta / rho against
 * R(hL) u0 through L's sine modes in long double: the largest
 * difference relative to the largest component. */
static double heat_step_error(const rk_stab *m)
{
    const int N = 100;
    const long double pi = 3.141592653589793238462643383279503L;
    rk_family *f = family_text("family heat\nconst N = 100\nconst dx = 1/(N + 1)\nstate u[N]\n"
                               "param D ~ uniform(0.5, 1)\ninit u[i] ~ uniform(-1, 1)\n"
                               "step h ~ uniform(0.0001, 0.001)\n"
                               "u[i]' = D/dx^2*(u[i+1] - 2*u[i] + u[i-1])\n"
                               "u[0]' = D/dx^2*(u[1] - 2*u[0])\nu[N-1]' = D/dx^2*(u[N-2] - 2*u[N-1])\n");
    double p[1] = {1}, y[100], y0[100], tape[4096], work[STAB_WORK(100)];
    cr_assert(f->rhs.n < 4096);
    rk_rng rng;
    rng_seed(&rng, 23);
    for (int i = 0; i < N; i++)
        y[i] = y0[i] = rng_uniform(&rng) * 2 - 1;
    double h = 0.95 * m->beta / (4.0 * 101 * 101);
    family_rhs_ctx ctx = {f, p, tape};
    stab_step(m, family_rhs, &ctx, N, 0, y, h, work);
    long double c[100], err = 0, norm = 0;
    for (int k = 1; k <= N; k++) {
        long double sum = 0;
        for (int i = 0; i < N; i++)
            sum += y0[i] * sinl((i + 1) * k * pi / (N + 1));
        long double lam = -4.0L * 101 * 101 * powl(sinl(k * pi / (2 * (N + 1))), 2);
        c[k - 1] = 2 * sum / (N + 1) * stab_R_ld(m, h * lam);
    }
    for (int i = 0; i < N; i++) {
        long double r = 0;
        for (int k = 1; k <= N; k++)
            r += c[k - 1] * sinl((i + 1) * k * pi / (N + 1));
        err = fmaxl(err, fabsl(y[i] - r));
        norm = fmaxl(norm, fabsl(r));
    }
    family_free(f);
    return (double)(err / norm);
}

/* Internal stability, the engine's (and so the emitted stepper's) side:
 * the designed 320-stage RKC1 (stab_design's ordering, internal
 * amplification 1.7e5) agrees with R(hL) u0 to that amplification times
 * the rounding (1.2e-12 measured); the same roots small and large
 * alternately, or ascending, lose every digit (1e64, 1e140): a
 * rounding error in a stiff mode is multiplied by the partial products. */
Test(stab_step, internal_stability_at_320_stages, .timeout = 60)
{
    rk_error err = {{0}};
    rk_stab *m = stab_design(320, 1, 0, &err);
    cr_assert_not_null(m, "%s", err.text);
    rk_stab *alt = rkc1(320), *asc = rkc1(320);
    for (int j = 0; j < 320; j++)
        asc->factor[j].alpha = 1 / (320.0 * 320 * (1 - cos((2 * j + 1) * (4 * atan(1.0)) / 640)));
    rk_stab *p2 = stab_design(64, 2, 0, &err);
    cr_assert_not_null(p2, "%s", err.text);
    double e = heat_step_error(m), ea = heat_step_error(alt), es = heat_step_error(asc);
    double e2 = heat_step_error(p2);
    cr_log_info("s = 320 on heat (N = 100) at h = 0.95 beta/rho: relative error %.3g (designed order), "
                "%.3g (small and large alternately), %.3g (ascending); s = 64, p = 2: %.3g",
                e, ea, es, e2);
    cr_expect(e2 < 1e-12, "designed s = 64, p = 2: %.3g", e2);
    stab_free(p2);
    cr_expect(e < 1e-11, "designed order: %.3g", e);
    cr_expect(!(ea < 1e-3), "alternating order: %.3g", ea);
    cr_expect(!(es < 1e-3), "ascending order: %.3g", es);
    stab_free(m);
    stab_free(alt);
    stab_free(asc);
}

/* The same through the engine's step in the Chebyshev form: the issue's
 * s = 320, p = 2 step agrees with R(hL) u0 to 1e-13 on random data. */
Test(stab_step, internal_stability_of_the_recurrence, .timeout = 60)
{
    rk_error err = {{0}};
    rk_stab *m = stab_read(src_path("tests/stabilized/cheb-s320-p2.json"), &err);
    cr_assert_not_null(m, "%s", err.text);
    double e = heat_step_error(m);
    cr_log_info("s = 320, p = 2, Chebyshev form, engine step on heat: %.3g", e);
    cr_expect(e < 1e-13, "relative error %.3g", e);
    stab_free(m);
}

/* ---- ladders (rkgen emit --ladder) ---- */

static rk_stab *damped(int s, int p, double eps, stab_form form)
{
    rk_error err = {{0}};
    rk_stab *m = form == STAB_CHEBYSHEV ? stab_design_chebyshev(s, p, eps, &err) : stab_design(s, p, eps, &err);
    cr_assert_not_null(m, "%s", err.text);
    return m;
}

static rk_stab_ladder *ladder_of(const rk_stab *m)
{
    rk_error err = {{0}};
    rk_stab_ladder *L = stab_ladder_new(m, &err);
    cr_assert_not_null(L, "%s", err.text);
    return L;
}

static void emit_ladder(const char *dir, const rk_family *f, const rk_stab_ladder *L, const char *prefix,
                        int is_float)
{
    emit_opts o = {{0}, is_float};
    emit_result r;
    rk_error err = {{0}};
    snprintf(o.prefix, sizeof o.prefix, "%s", prefix);
    cr_assert_eq(ladder_emit_stepper(f, L, &o, &r, &err), 0, "%s", err.text);
    write_result(dir, prefix, &r);
}

/* Both forms, double and float, autonomous or not, scalar or array:
 * the libtcc check (every rung, the top and substeps) agrees to 0 ulps
 * and counts the same evaluations. */
Test(ladder_emit, jit_check_bit_for_bit, .timeout = 120)
{
    rk_stab *ms[] = {damped(12, 2, 0.05, STAB_CHEBYSHEV), damped(10, 2, 0.05, STAB_PRODUCT), cheb(16, 1),
                     damped(8, 2, 0, STAB_PRODUCT)};
    const char *fams[] = {"heat1d", "vanderpol", "linear", NULL};
    for (int k = 0; k < 4; k++)
        for (int fl = 0; fl < 2; fl++) {
            rk_family *f = fams[k] ? example_family(fams[k]) : family_text(forced);
            rk_stab_ladder *L = ladder_of(ms[k]);
            emit_opts o = {{0}, fl};
            snprintf(o.prefix, sizeof o.prefix, "l%d%d", k, fl);
            stepper_build b;
            rk_error err = {{0}};
            int st = ladder_stepper_prepare(f, L, &o, tmp_dir("ladder_jit"), &b, &err);
            cr_expect_eq(st, 0, "%s %d: %s", ms[k]->name, fl, err.text);
            if (st == 0) {
                cr_expect_eq(b.check.max_ulps, 0, "%s %d: %g ulps", ms[k]->name, fl, b.check.max_ulps);
                cr_expect_gt(b.check.members, 0);
                cr_expect_eq(stepper_commit(&b, &err), 0, "%s", err.text);
            }
            stab_ladder_free(L);
            family_free(f);
        }
    for (int k = 0; k < 4; k++)
        stab_free(ms[k]);
}

/* The check can fail: a lower rung's weight (or factor) off by 2^-40 in
 * the emitted ladder is caught against the true ladder. */
Test(ladder_emit, jit_check_catches_a_wrong_rung, .timeout = 60)
{
    for (int form = 0; form < 2; form++) {
        rk_stab *m = damped(8, 2, 0.05, form ? STAB_CHEBYSHEV : STAB_PRODUCT);
        rk_stab_ladder *good = ladder_of(m), *bad = ladder_of(m);
        rk_stab *r = bad->rung[4 - bad->smin];
        cr_assert_not_null(r);
        if (form)
            r->weight[2] *= 1 + 0x1p-40;
        else
            r->factor[0].alpha *= 1 + 0x1p-40;
        const char *dir = tmp_dir("ladder_wrong");
        rk_family *f = example_family("linear");
        emit_ladder(dir, f, bad, "w", 0);
        char path[1024];
        rk_error err = {{0}};
        snprintf(path, sizeof path, "%s/w.c", dir);
        rk_jit *j = jit_compile(path, &err);
        cr_assert_not_null(j, "%s", err.text);
        jit_stepper js;
        jitcheck_report rep;
        cr_assert_eq(jit_ladder_get(j, "w", 0, &js, &err), 0);
        cr_expect_eq(jitcheck_run_ladder(f, good, 0, &js, &rep, &err), 1, "form %d", form);
        cr_expect(strstr(err.text, "differs from the engine") != NULL, "%s", err.text);
        jit_free(j);
        stab_ladder_free(good);
        stab_ladder_free(bad);
        stab_free(m);
        family_free(f);
    }
}

/* heat1d's ladder compiled by libtcc, for its _rho and _integrate_auto. */
typedef double (*rho_fn)(double t, const double *y, double *v, const void *p, unsigned long *nfev);
typedef float (*rhof_fn)(float t, const float *y, float *v, const void *p, unsigned long *nfev);
typedef unsigned long (*auto_fn)(double t0, double *y, double h, unsigned long n, double *v, const void *p);

static rk_jit *heat_ladder_jit(const char *prefix, int is_float, rk_family **f)
{
    rk_stab *m = damped(20, 2, 0.05, STAB_CHEBYSHEV);
    rk_stab_ladder *L = ladder_of(m);
    const char *dir = tmp_dir("ladder_rho");
    char path[1024];
    rk_error err = {{0}};
    *f = example_family("heat1d");
    emit_ladder(dir, *f, L, prefix, is_float);
    snprintf(path, sizeof path, "%s/%s.c", dir, prefix);
    rk_jit *j = jit_compile(path, &err);
    cr_assert_not_null(j, "%s", err.text);
    stab_ladder_free(L);
    stab_free(m);
    return j;
}

static void *symbol_of(rk_jit *j, const char *prefix, const char *name)
{
    char full[128];
    rk_error err = {{0}};
    snprintf(full, sizeof full, "%s%s", prefix, name);
    void *sym = jit_symbol(j, full, &err);
    cr_assert_not_null(sym, "%s", err.text);
    return sym;
}

/* Known answer: heat1d's Jacobian (N = 1000) has rho = 4 D (N+1)^2
 * sin^2(N pi / (2 (N+1))), and its max-norm is 4 D (N+1)^2 (the
 * estimate's ceiling before the factor 1.2).  From a zero direction at
 * the sine-mode start (an eigenvector of the smallest eigenvalue, which
 * f(y) would have found) and at y = 0, in double and float, the estimate
 * lies in [rho, 1.2 x the ceiling]; warm, it takes fewer evaluations. */
Test(ladder_emit, rho_known_answer, .timeout = 60)
{
    enum { N = 1000 };
    static double y[N], v[N];
    static float yf[N], vf[N];
    const double pi = 3.141592653589793, D = 0.001, n1 = N + 1;
    const double rho = 4 * D * n1 * n1 * pow(sin(N * pi / (2 * n1)), 2), ceiling = 4 * D * n1 * n1;
    for (int fl = 0; fl < 2; fl++) {
        rk_family *f;
        const char *P = fl ? "rhf" : "rhd";
        rk_jit *j = heat_ladder_jit(P, fl, &f);
        void *sym = symbol_of(j, P, "_rho");
        rho_fn r;
        rhof_fn rf;
        memcpy(&r, &sym, sizeof sym);
        memcpy(&rf, &sym, sizeof sym);
        double p[2] = {D, 1};
        float pf[2] = {(float)D, 1};
        for (int zero = 0; zero < 2; zero++) {
            for (int i = 0; i < N; i++) {
                y[i] = zero ? 0 : sin(pi * (i + 1) / n1);
                yf[i] = (float)y[i];
                v[i] = vf[i] = 0;
            }
            unsigned long cold = 0, warm = 0;
            double e1 = fl ? (double)rf(0, yf, vf, pf, &cold) : r(0, y, v, p, &cold);
            double e2 = fl ? (double)rf(0, yf, vf, pf, &warm) : r(0, y, v, p, &warm);
            cr_expect(e1 >= rho && e1 <= 1.2 * ceiling * (1 + 1e-6), "%s y%s: %.9g against rho %.9g",
                      fl ? "float" : "double", zero ? " = 0" : "", e1, rho);
            cr_expect(e2 >= rho && e2 <= 1.2 * ceiling * (1 + 1e-6), "warm: %.9g against %.9g", e2, rho);
            cr_expect(warm >= 3 && warm <= cold, "evaluations: %lu cold, %lu warm", cold, warm);
        }
        jit_free(j);
        family_free(f);
    }
}

/* _integrate_auto on heat1d's sine mode against the closed form
 * A sin(pi x_i) exp(-lambda_1 t) of the semi-discrete system, and
 * against _rho and _step called by hand: the same bits and evaluations. */
Test(ladder_emit, integrate_auto_closed_form, .timeout = 60)
{
    enum { N = 1000 };
    static double y[N], z[N], v[N], w[N];
    const double pi = 3.141592653589793, D = 0.001, n1 = N + 1, h = 0.004;
    const unsigned long steps = 60; /* rho again at 25 and 50 */
    rk_family *f;
    rk_jit *j = heat_ladder_jit("ra", 0, &f);
    void *sa = symbol_of(j, "ra", "_integrate_auto"), *sr = symbol_of(j, "ra", "_rho"),
         *ss = symbol_of(j, "ra", "_step");
    auto_fn run;
    rho_fn rho;
    unsigned long (*step)(double, double *, double, double, const void *);
    memcpy(&run, &sa, sizeof sa);
    memcpy(&rho, &sr, sizeof sr);
    memcpy(&step, &ss, sizeof ss);
    double p[2] = {D, 1};
    for (int i = 0; i < N; i++) {
        y[i] = z[i] = sin(pi * (i + 1) / n1);
        v[i] = w[i] = 0;
    }
    unsigned long nfev = run(0, y, h, steps, v, p), by_hand = 0;
    double r = 0;
    for (unsigned long k = 0; k < steps; k++) {
        if (k % 25 == 0)
            r = rho((double)k * h, z, w, p, &by_hand);
        by_hand += step((double)k * h, z, h, r, p);
    }
    cr_expect_eq(nfev, by_hand, "%lu evaluations against %lu by hand", nfev, by_hand);
    cr_expect_eq(memcmp(y, z, sizeof y), 0, "the same bits as _rho and _step by hand");
    double lambda = 4 * D * n1 * n1 * pow(sin(pi / (2 * n1)), 2), err = 0;
    for (int i = 0; i < N; i++)
        err = fmax(err, fabs(y[i] - sin(pi * (i + 1) / n1) * exp(-lambda * h * (double)steps)));
    cr_expect(err < 1e-10, "error %.3g against the closed form", err);
    cr_expect(nfev > 0 && nfev < 60 * 20, "%lu evaluations: fewer than the top rung's", nfev);
    jit_free(j);
    family_free(f);
}

static double wrong_rho(double t, const double *y, double *v, const void *p, unsigned long *nfev)
{
    (void)t, (void)y, (void)v, (void)p;
    *nfev += 3;
    return 1;
}

/* The libtcc check compares _rho too, and fails on a wrong one. */
Test(ladder_emit, jit_check_catches_a_wrong_rho, .timeout = 60)
{
    rk_family *f;
    rk_jit *j = heat_ladder_jit("rw", 0, &f);
    rk_stab *m = damped(20, 2, 0.05, STAB_CHEBYSHEV);
    rk_stab_ladder *L = ladder_of(m);
    jit_stepper js;
    jitcheck_report rep;
    rk_error err = {{0}};
    cr_assert_eq(jit_ladder_get(j, "rw", 0, &js, &err), 0, "%s", err.text);
    cr_expect_eq(jitcheck_run_ladder(f, L, 0, &js, &rep, &err), 0, "%s", err.text);
    js.lrho = wrong_rho;
    cr_expect_eq(jitcheck_run_ladder(f, L, 0, &js, &rep, &err), 1);
    cr_expect(strstr(err.text, "rho is 1 ") != NULL, "%s", err.text);
    stab_ladder_free(L);
    stab_free(m);
    jit_free(j);
    family_free(f);
}

/* Zero warnings under gcc, clang and tcc with strict flags, double and
 * float (-Wdouble-promotion), both forms, scalar and array families. */
Test(ladder_emit, strict_compile, .timeout = 120)
{
    cr_assert(have("gcc") && have("clang") && have("tcc"), "gcc, clang and tcc are required");
    const char *dir = tmp_dir("ladder_strict");
    const char *fams[] = {"heat1d", "vanderpol", "lorenz96", "linear"};
    rk_stab *ms[] = {damped(24, 2, 0.05, STAB_CHEBYSHEV), damped(6, 2, 0.05, STAB_PRODUCT), cheb(5, 3),
                     damped(9, 1, 0, STAB_PRODUCT)};
    for (int k = 0; k < 4; k++) {
        rk_family *f = example_family(fams[k]);
        rk_stab_ladder *L = ladder_of(ms[k]);
        for (int fl = 0; fl < 2; fl++) {
            char P[16];
            snprintf(P, sizeof P, "ls%d%d", k, fl);
            emit_ladder(dir, f, L, P, fl);
            cr_expect_eq(sh("cd %s && gcc " STRICT " -Wdouble-promotion -c %s.c -o /dev/null", dir, P), 0,
                         "gcc: %s %d", fams[k], fl);
            cr_expect_eq(sh("cd %s && clang " STRICT " -Wdouble-promotion -c %s.c -o /dev/null", dir, P), 0,
                         "clang: %s %d", fams[k], fl);
            cr_expect_eq(sh("cd %s && tcc " STRICT " -c %s.c -o /dev/null", dir, P), 0, "tcc: %s %d", fams[k], fl);
            cr_expect_neq(sh("grep -q 'malloc' %s/%s.c", dir, P), 0, "malloc in %s", P);
        }
        stab_ladder_free(L);
        family_free(f);
        stab_free(ms[k]);
    }
}

/* The driver steps with rho = 3, 30, 3000 and 10^6 times the stiffness
 * scale (every rung to many substeps), prints the evaluations of each
 * and the state; a negative rho and a NaN one are refused with y left
 * as it was; then 30 steps with rho estimated (_integrate_auto), the
 * evaluations, the state and the direction. */
static const char ladder_driver[] =
    "#include <stdio.h>\n#include \"%s.h\"\n"
    "int main(void) {\n"
    "  %s_params p;\n  %s_real y[%s_DIM], y1[%s_DIM], zero = 0;\n  int i, k;\n  %s\n"
    "  const %s_real rho[4] = {3, 30, 3000, 1000000};\n"
    "  for (i = 0; i < %s_DIM; i++) y[i] = (%s_real)(0.5 + 0.25 * (i %% 7));\n"
    "  for (k = 0; k < 4; k++)\n"
    "    printf(\"%%lu\\n\", %s_integrate(0, y, (%s_real)%s, 5, rho[k], &p));\n"
    "  for (i = 0; i < %s_DIM; i++) { printf(\"%%a\\n\", (double)y[i]); y1[i] = y[i]; }\n"
    "  if (%s_step(0, y, (%s_real)%s, -1, &p) != 0 || %s_step(0, y, (%s_real)%s, zero / zero, &p) != 0)\n"
    "    return 1;\n"
    "  for (i = 0; i < %s_DIM; i++) if (y[i] != y1[i]) return 1;\n"
    "  for (i = 0; i < %s_DIM; i++) y1[i] = 0;\n"
    "  printf(\"%%lu\\n\", %s_integrate_auto(0, y, (%s_real)%s, 30, y1, &p));\n"
    "  for (i = 0; i < %s_DIM; i++) printf(\"%%a %%a\\n\", (double)y[i], (double)y1[i]);\n"
    "  return 0;\n}\n";

/* gcc -O0, gcc -O2, clang -O2 and tcc give the same bits and the same
 * evaluation counts. */
Test(ladder_emit, bit_identical_across_compilers, .timeout = 120)
{
    const char *dir = tmp_dir("ladder_bits");
    const char *fams[] = {"linear", "heat1d"};
    const char *params[] = {"p.a = 3.0;", "p.D = 0.001; p.A = 1;"};
    const char *h[] = {"0.5", "0.002"};
    rk_stab *ms[] = {damped(20, 2, 0.05, STAB_CHEBYSHEV), damped(12, 2, 0.05, STAB_PRODUCT)};
    for (int k = 0; k < 2; k++) {
        rk_family *f = example_family(fams[k]);
        rk_stab_ladder *L = ladder_of(ms[k]);
        for (int fl = 0; fl < 2; fl++) {
            char P[16], U[16], src[8192], path[1024];
            snprintf(P, sizeof P, "lb%d%d", k, fl);
            upper(P, U, sizeof U);
            emit_ladder(dir, f, L, P, fl);
            snprintf(src, sizeof src, ladder_driver, P, P, P, U, U, params[k], P, U, P, P, P, h[k], U, P, P, h[k],
                     P, P, h[k], U, U, P, P, h[k], U);
            snprintf(path, sizeof path, "%s/main_%s.c", dir, P);
            write_text(path, src);
            char label[64];
            snprintf(label, sizeof label, "%s %s", fams[k], fl ? "float" : "double");
            expect_same_bits(dir, P, label);
        }
        stab_ladder_free(L);
        family_free(f);
        stab_free(ms[k]);
    }
}
