/* test_rkc2.c - learner/measure/rkc2.c, RKC2 from Sommeijer, Shampine
 * and Verwer's formulas, against bench/rkc2.py, an independent NumPy
 * version: the same stability intervals, and on the heat member the
 * same f evaluations (to a few percent: the two round differently, so a
 * step-size decision may fall the other way) at the loosest tolerance
 * that reaches each accuracy, both within it.  Skipped without
 * /usr/bin/python3's numpy. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "family.h"
#include "rkc2.h"
#include "stabwork.h"
#include "support.h"

#define PY "/usr/bin/python3"
#define PI 3.14159265358979323846

static int have_numpy(void)
{
    return sh(PY " -c 'import numpy' >/dev/null 2>&1") == 0;
}

/* The first line python3 bench/rkc2.py ARGS prints. */
static void rkc2_py(const char *args, char *line, size_t size)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, PY " %s %s", src_path("bench/rkc2.py"), args);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    cr_assert_not_null(fgets(line, (int)size, p), "no output from %s", cmd);
    cr_assert_eq(pclose(p), 0, "%s failed", cmd);
}

Test(rkc2, beta_as_numpy)
{
    if (!have_numpy())
        cr_skip_test("no numpy for " PY);
    int s[] = {2, 3, 10, 100, 1000};
    for (int i = 0; i < 5; i++) {
        char args[64], line[128];
        snprintf(args, sizeof args, "beta %d", s[i]);
        rkc2_py(args, line, sizeof line);
        double py = strtod(line, NULL), c = rkc2_beta(s[i]);
        cr_expect(fabs(c - py) <= 1e-10 * py, "s = %d: beta %.17g, rkc2.py %.17g", s[i], c, py);
        /* the paper's beta ~ 0.653 s^2 for eps = 2/13 (here 0.6534 (s^2 - 1)) */
        cr_expect(fabs(c / ((double)s[i] * s[i] - 1) - 0.6534) < 0.001, "s = %d: %g", s[i], c);
    }
}

/* tests/stabwork/heat100.ode's right-hand side with D and rkc2.py's
 * start, A sin(pi x) (A = 1), whose truth at T is closed-form, and
 * rho = 4 D/dx^2 sin^2(N pi dx / 2) as rkc2.py has it. */
static void heat_problem(sw_problem *pb, rk_family *f, double D)
{
    int n = f->dim;
    double dx = 1.0 / (n + 1), k = D / (dx * dx), lam = 4 * k * pow(sin(PI * dx / 2), 2);
    memset(pb, 0, sizeof *pb);
    pb->f = f;
    pb->T = f->horizon;
    pb->rho = 4 * k * pow(sin(PI * n * dx / 2), 2);
    pb->s.n = 1;
    pb->s.dim = n;
    pb->s.nparam = 2;
    pb->s.p = malloc(2 * sizeof(double));
    pb->s.y0 = malloc((size_t)n * sizeof(double));
    pb->s.yT = malloc((size_t)n * sizeof(double));
    pb->y = malloc((size_t)n * sizeof(double));
    pb->work = malloc(RKC2_WORK(n) * sizeof(double));
    pb->tape = malloc(((size_t)f->rhs.n + 1) * sizeof(double));
    pb->s.p[0] = D;
    pb->s.p[1] = 1;
    for (int i = 0; i < n; i++) {
        pb->s.y0[i] = sin(PI * (i + 1) * dx);
        pb->s.yT[i] = pb->s.y0[i] * exp(-lam * pb->T);
    }
}

Test(rkc2, heat_nfev_as_numpy, .timeout = 300)
{
    if (!have_numpy())
        cr_skip_test("no numpy for " PY);
    char path[1024];
    snprintf(path, sizeof path, "%s", src_path("tests/stabwork/heat100.ode"));
    rk_error err = {{0}};
    rk_family *f = family_load(path, &err);
    cr_assert_not_null(f, "%s", err.text);
    double tols[] = {1e-3, 1e-5, 1e-6, 1e-7, 1e-8}, D[] = {0.05, 0.0753, 0.1};
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < 5; i++) {
            sw_problem pb;
            heat_problem(&pb, f, D[j]);
            double e, rtol;
            unsigned long nfev = stabwork_rkc2(&pb, tols[i], &e, &rtol);
            char args[256], line[256];
            snprintf(args, sizeof args, "heat1d-rkc 100 %.17g 1 %.17g %g %.17g", D[j], pb.T, tols[i], pb.rho);
            rkc2_py(args, line, sizeof line);
            unsigned long py_nfev;
            double py_rtol, py_err;
            cr_assert_eq(sscanf(line, "%lu %*u %*u %lf %lf", &py_nfev, &py_rtol, &py_err), 3, "%s", line);
            cr_expect(nfev > 0 && e <= tols[i], "D %g tol %g: C RKC2 error %g", D[j], tols[i], e);
            cr_expect(py_err <= tols[i], "D %g tol %g: rkc2.py error %g", D[j], tols[i], py_err);
            cr_expect(fabs((double)nfev - (double)py_nfev) <= 0.05 * (double)py_nfev + 2,
                      "D %g tol %g: nfev %lu (rtol %g), rkc2.py %lu (rtol %g)", D[j], tols[i], nfev, rtol,
                      py_nfev, py_rtol);
            cr_log_info("D %g tol %g: nfev %lu, rkc2.py %lu", D[j], tols[i], nfev, py_nfev);
            stabwork_free(&pb);
        }
    family_free(f);
}
