/* test_adaptive.c - the solvers of `rkgen emit --adaptive`, compiled with
 * gcc and run: error that follows the tolerance on closed forms, FSAL
 * counted in evaluations, every status code, no evaluation past t1,
 * dense output, strict compiles, and the pairs emit refuses. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adaptive.h"
#include "family.h"
#include "samples.h"
#include "support.h"
#include "tableau.h"
#include "workprec.h"

#define RKGEN RK_BINARY_DIR "/rkgen"
#define STRICT "-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror"

/* The solver of family (a path) and pair in dir, as s.h and s.c. */
static void emit(const char *dir, const char *family, const char *pair, const char *real)
{
    cr_assert_eq(sh("%s emit %s --tableau %s --adaptive --real %s -n s -o %s -q", RKGEN, family,
                    pair, real, dir), 0, "emit %s %s %s", family, pair, real);
}

/* Compiles dir/main.c (text) with the solver and runs it, its output to dir/out. */
static void run(const char *dir, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/main.c", dir);
    write_text(path, text);
    cr_assert_eq(sh("cd %s && gcc -std=c99 -O2 -Wall -Werror main.c s.c -lm -o main && ./main >out", dir), 0,
                 "driver in %s", dir);
}

static FILE *output(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/out", dir);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp);
    return fp;
}

static void write_family(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.ode", dir, name);
    write_text(path, text);
}

/* err(rtol) for rtol = 1e-3 .. 1e-10 at t = 2 against the exact line. */
static const char *tolerance_driver =
    "#include <math.h>\n#include <stdio.h>\n#include \"s.h\"\n"
    "int main(void)\n{\n"
    "    for (int k = 3; k <= 10; k++) {\n"
    "        s_params p = {A};\n"
    "        double y[1] = {Y0}, rtol = pow(10, -k);\n"
    "        s_stats st;\n"
    "        int r = s_solve(0, 2, y, rtol, rtol, &p, &st);\n"
    "        printf(\"%d %.17g %.17g\\n\", r, rtol, fabs(y[0] - (EXACT)));\n"
    "    }\n    return 0;\n}\n";

static void proportional(const char *family, const char *a, const char *y0, const char *exact)
{
    const char *dir = tmp_dir(family);
    char path[256], text[2048], defs[512];
    snprintf(path, sizeof path, "examples/%s.ode", family);
    emit(dir, src_path(path), "dopri5", "double");
    snprintf(defs, sizeof defs, "#define A %s\n#define Y0 %s\n#define EXACT %s\n", a, y0, exact);
    snprintf(text, sizeof text, "%s%s", defs, tolerance_driver);
    run(dir, text);
    FILE *fp = output(dir);
    double rtol[8], err[8];
    for (int k = 0; k < 8; k++) {
        int r;
        cr_assert_eq(fscanf(fp, "%d %lf %lf", &r, &rtol[k], &err[k]), 3);
        cr_expect_eq(r, 0);
        cr_expect(err[k] < 10 * rtol[k], "%s: error %g at rtol %g", family, err[k], rtol[k]);
        if (k > 0)
            cr_expect(err[k] < err[k - 1], "%s: error %g at rtol %g not below %g", family, err[k],
                      rtol[k], err[k - 1]);
    }
    fclose(fp);
    double slope = fit_slope(rtol, err, 8);
    cr_expect(slope > 0.7 && slope < 1.3, "%s: error ~ rtol^%.3f", family, slope);
}

Test(adaptive, error_follows_tolerance_linear, .timeout = 120)
{
    proportional("linear", "3.0", "2.0", "2.0 * exp(-6.0)");
}

Test(adaptive, error_follows_tolerance_square, .timeout = 120)
{
    proportional("square", "0.4", "2.5", "1.0 / (0.4 * 2.0 + 1.0 / 2.5)");
}

/* nfev = f(t0) + the initial probe + (s - 1) per attempt (+1 per
 * accepted step without FSAL), at four tolerances. */
static const char *count_driver =
    "#include <stdio.h>\n#include \"s.h\"\n"
    "int main(void)\n{\n"
    "    const double tol[4] = {1e-2, 1e-4, 1e-6, 1e-9};\n"
    "    for (int k = 0; k < 4; k++) {\n"
    "        s_params p = {1.5};\n"
    "        double y[2] = {-3.5, 1.0};\n"
    "        s_stats st;\n"
    "        int r = s_solve(0, 10, y, tol[k], tol[k], &p, &st);\n"
    "        printf(\"%d %lu %lu %lu\\n\", r, st.nfev, st.naccept, st.nreject);\n"
    "    }\n    return 0;\n}\n";

static void counts(const char *pair, unsigned long s, int fsal)
{
    const char *dir = tmp_dir(pair);
    unsigned long rejects = 0;
    emit(dir, src_path("examples/vanderpol.ode"), pair, "double");
    run(dir, count_driver);
    FILE *fp = output(dir);
    for (int k = 0; k < 4; k++) {
        int r;
        unsigned long nfev, nacc, nrej;
        cr_assert_eq(fscanf(fp, "%d %lu %lu %lu", &r, &nfev, &nacc, &nrej), 4);
        cr_expect_eq(r, 0);
        cr_expect_eq(nfev, 2 + (s - 1) * (nacc + nrej) + (fsal ? 0 : nacc),
                     "%s: %lu evaluations for %lu accepted and %lu rejected steps", pair, nfev, nacc, nrej);
        rejects += nrej;
    }
    fclose(fp);
    cr_expect(rejects > 0, "%s: no rejected step, so their cost went untested", pair);
}

Test(adaptive, fsal_dopri5_six_per_step, .timeout = 120)
{
    counts("dopri5", 7, 1);
}

Test(adaptive, fsal_bs3_and_tsit5, .timeout = 120)
{
    counts("bs3", 4, 1);
    counts("tsit5", 7, 1);
}

Test(adaptive, no_fsal_cashkarp, .timeout = 120)
{
    counts("cashkarp", 6, 0);
}

/* y' = -y + sqrt(T - t): any evaluation past T gives NaN, which the
 * solver reports as ENONFINITE. */
static const char *trap_family =
    "family trap\nstate y\nparam T ~ uniform(1, 2)\ninit y ~ uniform(1, 2)\n"
    "step h ~ uniform(0.01, 0.1)\ny' = -y + sqrt(T - t)\n";

static const char *trap_driver =
    "#include <stdio.h>\n#include \"s.h\"\n"
    "int main(void)\n{\n"
    "    const double T[4] = {1.0, 1.7, 1e-9, 3.0000000000000004};\n"
    "    const double t0[4] = {0.0, 0.3, 0.0, 2.9999999999999996};\n"
    "    const double tol[3] = {1e-2, 1e-6, 1e-10};\n"
    "    for (int i = 0; i < 4; i++)\n"
    "        for (int k = 0; k < 3; k++) {\n"
    "            s_params p = {T[i]};\n"
    "            double y[1] = {1.0}, tout[3] = {t0[i], T[i] / 2 > t0[i] ? T[i] / 2 : t0[i], T[i]}, yout[3];\n"
    "            printf(\"%d \", s_solve(t0[i], T[i], y, tol[k], tol[k], &p, 0));\n"
    "            y[0] = 1.0;\n"
    "            printf(\"%d\\n\", s_solve_dense(t0[i], y, tol[k], tol[k], &p, 0, 3, tout, yout, 0));\n"
    "        }\n"
    "    {\n"
    "        s_params p = {1.0};\n"
    "        double y[1] = {1.0};\n"
    "        printf(\"%d\\n\", s_solve(0, 2, y, 1e-6, 1e-6, &p, 0));\n"
    "    }\n    return 0;\n}\n";

Test(adaptive, never_evaluates_past_t1, .timeout = 120)
{
    const char *dir = tmp_dir("trap");
    char fam[4096];
    write_family(dir, "trap", trap_family);
    snprintf(fam, sizeof fam, "%s/trap.ode", dir);
    emit(dir, fam, "dopri5", "double");
    run(dir, trap_driver);
    FILE *fp = output(dir);
    for (int k = 0; k < 12; k++) {
        int a, b;
        cr_assert_eq(fscanf(fp, "%d %d", &a, &b), 2);
        cr_expect(a == 0 && b == 0, "run %d: status %d (solve), %d (dense): f was evaluated past t1", k, a, b);
    }
    int past;
    cr_assert_eq(fscanf(fp, "%d", &past), 1);
    cr_expect_eq(past, 3, "integrating past T: status %d, not ENONFINITE", past);
    fclose(fp);
}

/* y' = y^2 from y(0) = 1 blows up at t = 1: the step shrinks below 10
 * ulps of t (EUNDERFLOW); max_steps 3 stops it (ETOOMANY); bad
 * arguments give EINVAL. */
static const char *status_driver =
    "#include <stdio.h>\n#include \"s.h\"\n"
    "int main(void)\n{\n"
    "    s_params p = {1.0};\n"
    "    s_options o = {0, 0, 3};\n"
    "    s_stats st;\n"
    "    double y[1] = {1.0}, tout[2] = {0.5, 0.25};\n"
    "    int r = s_solve(0, 2, y, 1e-8, 1e-8, &p, &st);\n"
    "    printf(\"%d %s %lu\\n\", r, y[0] > 1e6 && y[0] - y[0] == 0 ? \"big\" : \"small\", st.naccept);\n"
    "    y[0] = 1.0;\n"
    "    r = s_solve_opts(0, 0.5, y, 1e-8, 1e-8, &p, &o, &st);\n"
    "    printf(\"%d %lu\\n\", r, st.naccept + st.nreject);\n"
    "    printf(\"%d\", s_solve(1, 0, y, 1e-6, 1e-6, &p, 0));\n"
    "    printf(\" %d\", s_solve(0, 1, y, 0, 0, &p, 0));\n"
    "    printf(\" %d\", s_solve_dense(0, y, 1e-6, 1e-6, &p, 0, 0, tout, y, 0));\n"
    "    printf(\" %d\\n\", s_solve_dense(0, y, 1e-6, 1e-6, &p, 0, 2, tout, y, 0));\n"
    "    return 0;\n}\n";

Test(adaptive, status_codes, .timeout = 120)
{
    const char *dir = tmp_dir("status");
    char fam[4096], big[16];
    write_family(dir, "blowup", "family blowup\nstate y\nparam a ~ uniform(1, 2)\ninit y ~ uniform(0.1, 0.2)\n"
                                "step h ~ uniform(0.01, 0.1)\ny' = a*y^2\n");
    snprintf(fam, sizeof fam, "%s/blowup.ode", dir);
    emit(dir, fam, "dopri5", "double");
    run(dir, status_driver);
    FILE *fp = output(dir);
    int r, e1, e2, e3, e4;
    unsigned long n;
    cr_assert_eq(fscanf(fp, "%d %15s %lu", &r, big, &n), 3);
    cr_expect_eq(r, 1, "the blow-up gave status %d, not EUNDERFLOW", r);
    cr_expect_str_eq(big, "big", "the state at the last accepted step should be large and finite");
    cr_assert_eq(fscanf(fp, "%d %lu", &r, &n), 2);
    cr_expect_eq(r, 2, "max_steps 3 gave status %d, not ETOOMANY", r);
    cr_expect_eq(n, 3);
    cr_assert_eq(fscanf(fp, "%d %d %d %d", &e1, &e2, &e3, &e4), 4);
    cr_expect(e1 == 4 && e2 == 4 && e3 == 4 && e4 == 4, "EINVAL expected: %d %d %d %d", e1, e2, e3, e4);
    fclose(fp);
}

/* Dense output on y' = -a y: the Hermite cubic is within the tolerance
 * of the exact solution between the steps, and exact at t1. */
static const char *dense_driver =
    "#include <math.h>\n#include <stdio.h>\n#include \"s.h\"\n"
    "int main(void)\n{\n"
    "    s_params p = {3.0};\n"
    "    double y[1] = {2.0}, tout[41], yout[41], y1[1] = {2.0}, worst = 0;\n"
    "    for (int k = 0; k <= 40; k++)\n"
    "        tout[k] = 0.05 * k;\n"
    "    tout[40] = 2;\n"
    "    int r = s_solve_dense(0, y, 1e-7, 1e-9, &p, 0, 41, tout, yout, 0);\n"
    "    int r1 = s_solve(0, 2, y1, 1e-7, 1e-9, &p, 0);\n"
    "    for (int k = 0; k <= 40; k++)\n"
    "        worst = fmax(worst, fabs(yout[k] - 2.0 * exp(-3.0 * tout[k])));\n"
    "    printf(\"%d %d %.17g %d %d\\n\", r, r1, worst, yout[40] == y[0], y[0] == y1[0]);\n"
    "    return 0;\n}\n";

Test(adaptive, dense_output, .timeout = 120)
{
    const char *dir = tmp_dir("dense");
    emit(dir, src_path("examples/linear.ode"), "dopri5", "double");
    run(dir, dense_driver);
    FILE *fp = output(dir);
    int r, r1, at_end, same;
    double worst;
    cr_assert_eq(fscanf(fp, "%d %d %lf %d %d", &r, &r1, &worst, &at_end, &same), 5);
    cr_expect(r == 0 && r1 == 0);
    cr_expect(worst < 1e-5, "dense output off by %g", worst);
    cr_expect(at_end && same, "the last output and solve's state should be the final state");
    fclose(fp);
}

static int have(const char *tool)
{
    return sh("command -v %s >/dev/null 2>&1", tool) == 0;
}

Test(adaptive, strict_compiles, .timeout = 300)
{
    const char *pairs[] = {"dopri5", "bs3", "tsit5", "cashkarp", "fehlberg45"};
    const char *fams[] = {"examples/vanderpol.ode", "examples/heat1d.ode"};
    cr_assert(have("gcc") && have("clang") && have("tcc"), "gcc, clang and tcc are required");
    for (int f = 0; f < 2; f++)
        for (int k = 0; k < 5; k++)
            for (int fl = 0; fl < 2; fl++) {
                const char *dir = tmp_dir("adaptive_strict");
                if (f == 1 && k > 0)
                    continue;
                emit(dir, src_path(fams[f]), pairs[k], fl ? "float" : "double");
                cr_expect_eq(sh("cd %s && gcc " STRICT " -Wdouble-promotion -c s.c -o /dev/null", dir), 0,
                             "gcc: %s %s %s", fams[f], pairs[k], fl ? "float" : "double");
                cr_expect_eq(sh("cd %s && clang " STRICT " -Wdouble-promotion -c s.c -o /dev/null", dir), 0,
                             "clang: %s %s %s", fams[f], pairs[k], fl ? "float" : "double");
                cr_expect_eq(sh("cd %s && tcc " STRICT " -c s.c -o /dev/null", dir), 0,
                             "tcc: %s %s %s", fams[f], pairs[k], fl ? "float" : "double");
            }
}

/* Exit 2 and a reason, and nothing written. */
static void refused(const char *spec, const char *why)
{
    char tableau[4096]; /* src_path's buffer is reused below */
    snprintf(tableau, sizeof tableau, "%s", spec);
    const char *dir = tmp_dir("refused");
    cr_expect_eq(sh("%s emit %s --tableau %s --adaptive -n s -o %s 2>%s/err", RKGEN,
                    src_path("examples/vanderpol.ode"), tableau, dir, dir), 2, "%s", tableau);
    cr_expect_eq(sh("grep -q '%s' %s/err", why, dir), 0, "%s: the message should say '%s'", tableau, why);
    cr_expect_neq(sh("test -e %s/s.c", dir), 0, "%s: a file was written", tableau);
}

/* cashkarp with one weight vector mistyped (its sum kept at 1). */
static const char *typo(const char *field)
{
    static char path[4096];
    const char *dir = tmp_dir(field);
    snprintf(path, sizeof path, "%s/typo.json", dir);
    cr_assert_eq(sh("%s tableaux cashkarp | python3 -c \"import json, sys\n"
                    "d = json.load(sys.stdin); d['name'] = 'ck-typo'\n"
                    "d['%s'][0] += 1e-3; d['%s'][5] -= 1e-3; d['exact']['%s'] = [None] * 6\n"
                    "json.dump(d, sys.stdout)\" >%s", RKGEN, field, field, field, path), 0);
    return path;
}

Test(adaptive, refuses_what_it_cannot_control, .timeout = 60)
{
    refused("rk4", "no embedded weights");
    refused(typo("b"), "stated order 5 of b does not hold");
    refused(typo("bhat"), "stated embedded order 4 of bhat does not hold");
    /* its a53 typo moves c_5 out of the step */
    refused(src_path("tests/tableaux/rkf45_a53_typo.json"), "outside \\[0, 1\\]");
}

/* The controller's own ln and exp (adaptive.h) against libm's, over the
 * ranges it uses them in: wrong bits would only move step sizes, but a
 * wrong value would make the controller choose badly. */
Test(adaptive, controller_ln_exp)
{
    double worst_ln = 0, worst_exp = 0, worst_lnf = 0, worst_expf = 0;
    for (double x = 0x1p-1060; x < 1e300; x *= 1.0137) {
        double d = fabs(rk_adapt_ln(x) - log(x));
        worst_ln = d > worst_ln ? d : worst_ln;
    }
    for (double y = -400; y <= 400; y += 0.00731) {
        double d = fabs(rk_adapt_exp(y) - exp(y)) / exp(y);
        worst_exp = d > worst_exp ? d : worst_exp;
    }
    for (float x = 0x1p-140f; x < 1e38f; x *= 1.0137f) {
        double d = fabs((double)rk_adapt_lnf(x) - log((double)x));
        worst_lnf = d > worst_lnf ? d : worst_lnf;
    }
    for (float y = -50; y <= 50; y += 0.00731f) {
        double d = fabs((double)rk_adapt_expf(y) - exp((double)y)) / exp((double)y);
        worst_expf = d > worst_expf ? d : worst_expf;
    }
    /* ln: absolute, ~1 ulp of |ln x| <= 745 (double) or 104 (float) */
    cr_expect(worst_ln < 4e-13, "ln off by %g", worst_ln);
    cr_expect(worst_exp < 5e-15, "exp off by %g (relative)", worst_exp); /* ~20 ulps at |y| = 400 */
    cr_expect(worst_lnf < 2e-5, "lnf off by %g", worst_lnf);
    cr_expect(worst_expf < 1e-6, "expf off by %g (relative)", worst_expf);
    cr_expect(fabs(rk_adapt_ln(1)) < 1e-15 && rk_adapt_exp(0) == 1);
    cr_expect(rk_adapt_ln(0) == 0 && rk_adapt_ln(-1) == 0 && rk_adapt_ln(INFINITY) != rk_adapt_ln(INFINITY),
              "outside its domain ln returns, with a meaningless value");
}

/* The emitted solvers call no pow (its bits differ between libms), and
 * the float solver examples/firmware builds is what emit writes today. */
Test(adaptive, no_pow_and_firmware_solver_current, .timeout = 120)
{
    const char *pairs[] = {"dopri5", "bs3", "tsit5", "cashkarp", "fehlberg45"};
    for (int k = 0; k < 5; k++)
        for (int fl = 0; fl < 2; fl++) {
            const char *dir = tmp_dir("no_pow");
            emit(dir, src_path("examples/vanderpol.ode"), pairs[k], fl ? "float" : "double");
            cr_expect_neq(sh("grep -Eq '\\<powf?\\(' %s/s.c", dir), 0, "%s calls pow", pairs[k]);
        }
    const char *dir = tmp_dir("firmware_solver");
    char gen[4096];
    snprintf(gen, sizeof gen, "%s", src_path("generated"));
    cr_assert_eq(sh("%s emit %s/vanderpol.ode --tableau dopri5 --adaptive --real float "
                    "-n vanderpol_dopri5f -o %s -q", RKGEN, gen, dir), 0);
    cr_expect_eq(sh("cmp -s %s/vanderpol_dopri5f.c %s/vanderpol_dopri5f.c && "
                    "cmp -s %s/vanderpol_dopri5f.h %s/vanderpol_dopri5f.h", dir, gen, dir, gen), 0,
                 "generated/vanderpol_dopri5f.[ch] are stale: run generated/regenerate.sh");
}

/* Midpoint errors of solve_dense with fixed steps h (h0 = hmax = h, a
 * tolerance no step fails) on y' = -3y, y(0) = 1, t in [0, 2]. */
static const char *midpoint_driver =
    "#include <math.h>\n#include <stdio.h>\n#include \"s.h\"\n"
    "int main(void)\n{\n"
    "    for (int k = 0; k < 4; k++) {\n"
    "        s_real h = 0.2 / (1 << k), tout[80], yout[80], y[1] = {1}, worst = 0;\n"
    "        int n = (int)(2 / h + 0.5);\n"
    "        s_params p = {3};\n"
    "        s_options o = {0, 0, 0};\n"
    "        o.h0 = o.hmax = h;\n"
    "        for (int i = 0; i < n; i++)\n"
    "            tout[i] = (i + 0.5) * h;\n"
    "        int r = s_solve_dense(0, y, 1, 1, &p, &o, (unsigned long)n, tout, yout, 0);\n"
    "        for (int i = 0; i < n; i++)\n"
    "            worst = fmax(worst, fabs(yout[i] - exp(-3 * tout[i])));\n"
    "        printf(\"%d %.17g %.17g\\n\", r, h, worst);\n"
    "    }\n    return 0;\n}\n";

/* The slope of the midpoint error against h and the error at the
 * smallest h, for pair (a built-in name or a file). */
static void midpoint_order(const char *pair, double *slope, double *last)
{
    char tag[64];
    snprintf(tag, sizeof tag, "mid_%s", strrchr(pair, '/') ? "file" : pair);
    const char *dir = tmp_dir(tag);
    emit(dir, src_path("examples/linear.ode"), pair, "double");
    run(dir, midpoint_driver);
    FILE *fp = output(dir);
    double h[4], err[4];
    for (int k = 0; k < 4; k++) {
        int r;
        cr_assert_eq(fscanf(fp, "%d %lf %lf", &r, &h[k], &err[k]), 3);
        cr_expect_eq(r, 0);
    }
    fclose(fp);
    *slope = fit_slope(h, err, 4);
    *last = err[3];
}

/* dopri5's and tsit5's interpolants are of order 4: the error between
 * the steps falls as h^5, like the steps' own; the Hermite cubic the
 * same dopri5 steps get without it (from a file, which carries no
 * interpolant) falls as h^4 and is far larger. */
Test(adaptive, dense_interpolants_order, .timeout = 120)
{
    double s_dp, e_dp, s_ts, e_ts, s_he, e_he;
    midpoint_order("dopri5", &s_dp, &e_dp);
    midpoint_order("tsit5", &s_ts, &e_ts);
    const char *dir = tmp_dir("hermite_pair");
    static char file[4096];
    snprintf(file, sizeof file, "%s/dopri5-hermite.json", dir);
    cr_assert_eq(sh("%s tableaux dopri5 | python3 -c \"import json, sys\n"
                    "d = json.load(sys.stdin); d.pop('dense', None); d['name'] = 'dopri5-hermite'\n"
                    "json.dump(d, sys.stdout)\" >%s", RKGEN, file), 0);
    midpoint_order(file, &s_he, &e_he);
    cr_expect(s_dp > 4.6 && s_dp < 6.0, "dopri5's dense output: slope %.2f, not 5", s_dp);
    cr_expect(s_ts > 4.6 && s_ts < 6.0, "tsit5's dense output: slope %.2f, not 5", s_ts);
    cr_expect(s_he > 3.6 && s_he < 4.5, "the Hermite cubic: slope %.2f, not 4", s_he);
    cr_expect(e_dp < e_he / 20 && e_ts < e_he / 20,
              "at h = 0.025 the interpolants' errors %g, %g should be far below Hermite's %g",
              e_dp, e_ts, e_he);
    fprintf(stderr, "midpoint error slopes: dopri5 %.2f (%.2e), tsit5 %.2f (%.2e), hermite %.2f (%.2e)\n",
            s_dp, e_dp, s_ts, e_ts, s_he, e_he);
}

/* Known answers of validate --adaptive's measurement: on closed forms
 * the error of dopri5 at the end follows the tolerance, slope of log
 * error on log rtol in [0.8, 1.1] (measured: 0.93 on linear, 0.87 on
 * square, 16 members of seed 1), falling and costing more at every step
 * of rtol, without failures. */
static void follows(const char *name, double *slope)
{
    rk_family *f = example_family(name);
    rk_tableau *t = tableau_builtin("dopri5");
    sample_set s;
    rk_error err = {{0}};
    wp_curve c;
    double rtol[WP_MAX_TOLS];
    int n = workprec_tolerances(rtol, 8);
    cr_assert_eq(n, 8);
    cr_assert_eq(samples_draw(f, 1, STREAM_TEST, 16, 0, 0, &s, &err), 0, "%s", err.text);
    cr_assert_eq(workprec_run(f, &s, t, rtol, n, &c, &err), 0, "%s", err.text);
    for (int k = 0; k < n; k++) {
        cr_expect_eq(c.pt[k].failed, 0, "%s: runs failed at rtol %g", name, rtol[k]);
        if (k > 0) {
            cr_expect(c.pt[k].err < c.pt[k - 1].err, "%s: error does not fall at rtol %g", name, rtol[k]);
            cr_expect(c.pt[k].nfev > c.pt[k - 1].nfev, "%s: no more work at rtol %g", name, rtol[k]);
        }
    }
    *slope = c.slope;
    samples_free(&s);
    tableau_free(t);
    family_free(f);
}

Test(adaptive, workprec_slope_on_closed_forms, .timeout = 120)
{
    double lin, sq;
    follows("linear", &lin);
    follows("square", &sq);
    cr_expect(lin > 0.8 && lin < 1.1, "linear: slope %.3f", lin);
    cr_expect(sq > 0.8 && sq < 1.1, "square: slope %.3f", sq);
}
