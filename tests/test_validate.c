/* rkgen validate's numerics: the order fit leaves out the round-off
 * floor and the pre-asymptotic end, the sweep measures the classical
 * orders through generated code, and the command's outputs are whole,
 * deterministic and name their pictures. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "orderfit.h"
#include "samples.h"
#include "support.h"
#include "sweep.h"

/* e = C h^p + a floor that grows like 1/h (round-off per step). */
static void synthetic(double p, double floor, double *h, double *e, int n)
{
    for (int i = 0; i < n; i++) {
        h[i] = 1e-4 * pow(10.0, 3.0 * i / (n - 1));
        e[i] = 50 * pow(h[i], p) + floor * 1e-4 / h[i];
    }
}

Test(orderfit, clean_power_law)
{
    double h[12], e[12];
    order_fit r;
    synthetic(4, 0, h, e, 12);
    order_fit_run(h, e, 12, &r);
    cr_expect_float_eq(r.order, 4.0, 1e-9);
    cr_expect_eq(r.used, 12);
    cr_expect_eq(r.floor_h, 0.0);
}

Test(orderfit, floor_is_left_out)
{
    double h[16], e[16];
    order_fit r;
    synthetic(4, 1e-9, h, e, 16);
    order_fit_run(h, e, 16, &r);
    cr_expect(fabs(r.order - 4.0) < 0.1, "order %g", r.order);
    cr_expect_gt(r.floor_h, 0.0);
    cr_expect_gt(r.h_lo, r.floor_h);
    /* a naive fit over everything is far off */
    cr_expect_lt(fit_slope(h, e, 16), 3.0);
}

Test(orderfit, unstable_and_pre_asymptotic_end)
{
    double h[14], e[14];
    order_fit r;
    synthetic(3, 0, h, e, 14);
    e[13] = INFINITY;                 /* unstable */
    e[12] = e[11] * 40;               /* blowing up: far steeper than h^3 */
    order_fit_run(h, e, 14, &r);
    cr_expect(fabs(r.order - 3.0) < 1e-6, "order %g", r.order);
    cr_expect_eq(r.hi, 11);
}

Test(orderfit, too_few_points)
{
    double h[3] = {1e-3, 1e-2, 1e-1}, e[3] = {1, INFINITY, 1};
    order_fit r;
    order_fit_run(h, e, 3, &r);
    cr_expect_eq(r.used, 0);
}

/* Through the engine: the classical methods show their orders on a
 * family with a closed-form solution. */
Test(sweep, classical_orders)
{
    rk_error err = {{0}};
    rk_family *f = family_load(src_path("examples/square.ode"), &err);
    cr_assert_not_null(f, "%s", err.text);
    const char *names[] = {"heun", "kutta3", "rk4"};
    sweep_method m[3];
    rk_tableau *t[3];
    for (int k = 0; k < 3; k++) {
        t[k] = tableau_builtin(names[k]);
        memset(&m[k], 0, sizeof m[k]);
        snprintf(m[k].name, sizeof m[k].name, "%s", names[k]);
        m[k].t = t[k];
        m[k].stages = m[k].evals = t[k]->s;
    }
    double h[SWEEP_MAX_POINTS], lo, hi;
    unsigned long steps[SWEEP_MAX_POINTS];
    sweep_range(f, SWEEP_BELOW, SWEEP_ABOVE, &lo, &hi);
    int n = sweep_grid(f, lo, hi, 21, h, steps);
    for (int j = 1; j < n; j++)
        cr_assert_gt(h[j], h[j - 1], "ascending h");
    sweep_result r;
    cr_assert_eq(sweep_run(f, 1, 8, m, 3, h, steps, n, 0, &r, &err), 0, "%s", err.text);
    for (int k = 0; k < 3; k++)
        cr_expect(fabs(r.row[k].fit.order - t[k]->order) < 0.3, "%s: observed order %g over %d points", names[k],
                  r.row[k].fit.order, r.row[k].fit.used);
    cr_expect_float_eq(r.row[0].ratio_family, 1.0, 1e-12);
    cr_expect_lt(r.row[2].err_family, r.row[0].err_family);
    sweep_free(&r);
    for (int k = 0; k < 3; k++)
        tableau_free(t[k]);
    family_free(f);
}

/* Long runs on a known answer: Euler on y' = -a y, a in [1, 5], grows by
 * |1 - h a| per step, so over 1000 time units it blows up on no member
 * at h = 1/4 and on those with a > 4 at h = 1/2 (up to the borderline
 * ones just above, whose growth may stay under the bound), in double
 * and in float alike. */
Test(sweep, survival_known_answer)
{
    rk_error err = {{0}};
    rk_family *f = family_load(src_path("examples/linear.ode"), &err);
    cr_assert_not_null(f, "%s", err.text);
    rk_tableau *euler = tableau_builtin("euler");
    sweep_method m[2];
    for (int k = 0; k < 2; k++) {
        memset(&m[k], 0, sizeof m[k]);
        snprintf(m[k].name, sizeof m[k].name, "euler%s", k ? "f" : "");
        m[k].t = euler;
        m[k].is_float = k;
        m[k].stages = m[k].evals = 1;
    }
    double h[2] = {0.25, 0.5};
    unsigned long steps[2] = {4, 2};
    sweep_result r;
    cr_assert_eq(sweep_run(f, 1, 100, m, 2, h, steps, 2, 1000, &r, &err), 0, "%s", err.text);
    sample_set s;
    cr_assert_eq(samples_draw(f, 1, STREAM_TEST, 100, 0.5, 0, &s, &err), 0, "%s", err.text);
    int must, may;
    euler_unstable(s.p, s.n, 0.5, &must, &may);
    cr_assert_gt(must, 5);
    for (int k = 0; k < 2; k++) {
        cr_expect_eq(r.row[k].blown[0], 0, "%s at h = 1/4", m[k].name);
        cr_expect(r.row[k].blown[1] >= must && r.row[k].blown[1] <= must + may, "%s at h = 1/2: %d, %d must, %d may",
                  m[k].name, r.row[k].blown[1], must, may);
    }
    samples_free(&s);
    sweep_free(&r);
    tableau_free(euler);
    family_free(f);
}

/* The command end to end: its files, all of them, twice the same bytes;
 * a learned-looking tableau JSON works as well as a built-in. */
Test(validate, outputs_whole_and_deterministic, .timeout = 120)
{
    const char *dir = tmp_dir("validate");
    const char *rkgen = RK_BINARY_DIR "/rkgen";
    cr_assert_eq(sh("cd %s && %s tableaux ralston4 > r4.json && %s emit %s/examples/vanderpol.ode -t r4.json "
                    "--name vdp_r4 -o . -q",
                    dir, rkgen, rkgen, RK_SOURCE_DIR), 0);
    cr_assert_eq(sh("cd %s && printf 'start,iteration,loss,gamma_train,gamma_val,seconds\\n0,1,2,0.9,,0.1\\n"
                    "0,2,1,0.8,0.85,0.2\\n' > log.csv && printf 'theta,branch,re,im\\n0,0,-2.7,0\\n1,0,-2,1.5\\n'"
                    " > stab.csv",
                    dir), 0);
    for (int run = 0; run < 2; run++)
        cr_assert_eq(sh("cd %s && mkdir -p out%d && %s validate vdp_r4.c --family %s/examples/vanderpol.ode "
                        "--samples 6 --points 9 --log log.csv --stability stab.csv -o out%d > stdout%d.txt",
                        dir, run, rkgen, RK_SOURCE_DIR, run, run), 0, "run %d", run);
    cr_expect_eq(sh("cd %s && diff -r out0 out1 >/dev/null", dir), 0, "two runs differ");
    const char *files[] = {"sweep.csv", "summary.csv", "report.md", "error_vs_h.gp", "work_precision.gp",
                           "training.gp", "stability.gp", "training.csv", "stability.csv"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        cr_expect_eq(sh("test -s %s/out0/%s", dir, files[i]), 0, "%s missing", files[i]);
    cr_expect_eq(sh("cd %s/out0 && test -z \"$(ls -A | grep '^\\.')\"", dir), 0, "a temporary was left");
    cr_expect_eq(sh("grep -q 'rk4' %s/stdout0.txt && grep -q 'rk38' %s/stdout0.txt", dir, dir), 0,
                 "classical 4-stage methods in the table");
    if (sh("command -v gnuplot >/dev/null") == 0) {
        for (size_t i = 0; i < 4; i++)
            cr_expect_eq(sh("cd %s/out0 && base=$(basename %s .gp) && grep -q '<svg' $base.svg && "
                            "grep -q \"($base.svg)\" report.md",
                            dir, files[3 + i]), 0, "%s not rendered or not on the page", files[3 + i]);
    }
    /* --survive: blow-up columns, the stepper counted through its compiled
     * code agreeing with the engine on the same tableau */
    cr_assert_eq(sh("cd %s && %s emit %s/examples/linear.ode -t euler --name lin_euler -o . -q && "
                    "%s validate lin_euler.c --family %s/examples/linear.ode --against euler --samples 60 "
                    "--h-range 0.25,0.5 --points 3 --survive 1000 -o surv > surv.txt",
                    dir, rkgen, RK_SOURCE_DIR, rkgen, RK_SOURCE_DIR), 0);
    cr_expect_eq(sh("cd %s && head -1 surv/sweep.csv | grep -q 'blowups_lin_euler,blowups_euler' && "
                    "awk -F, 'NR > 1 { if ($9 != $10) bad = 1; if ($1 > 0.49 && $9 > 0) some = 1 } "
                    "END { exit bad || !some }' surv/sweep.csv",
                    dir), 0, "blow-up columns wrong");
    cr_expect_eq(sh("cd %s && grep -q 'Long runs' surv/report.md && grep -q 'blowing up within 1000' surv.txt", dir),
                 0, "the long runs are not reported");
    cr_expect_eq(sh("cd %s && %s validate lin_euler.c --family %s/examples/linear.ode --survive 0 2>/dev/null; "
                    "test $? -eq 2", dir, rkgen, RK_SOURCE_DIR), 0, "--survive 0 accepted");
    /* bad input writes nothing */
    cr_expect_eq(sh("cd %s && mkdir -p bad && %s validate vdp_r4.c --family %s/examples/vanderpol.ode "
                    "--log nonexistent.csv -o bad 2>/dev/null; test $? -eq 2 && test -z \"$(ls -A bad)\"",
                    dir, rkgen, RK_SOURCE_DIR), 0);
}
