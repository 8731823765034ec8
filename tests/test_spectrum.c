/* test_spectrum.c - the spectral radius of a family's Jacobian
 * (spectrum.h) against closed forms: y' = -a y, the Dirichlet Laplacian
 * of heat1d and heat2d, and Lorenz-96's bounds; the power method against
 * the eigenvalues and Gershgorin's bound. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "family.h"
#include "spectrum.h"
#include "support.h"

static double sq(double x)
{
    return x * x;
}

/* 4 D / dx^2 sin^2(N pi / (2 (N + 1))): the largest eigenvalue of the
 * central-difference Laplacian on N interior points, in magnitude. */
static double laplace1d(double D, int N)
{
    double dx = 1.0 / (N + 1), pi = 4 * atan(1.0);
    return 4 * D / (dx * dx) * sq(sin(N * pi / (2.0 * (N + 1))));
}

static rk_family *heat1d(int N)
{
    char text[2048];
    snprintf(text, sizeof text,
             "family heat\nconst N = %d\nconst dx = 1/(N + 1)\nstate u[N]\n"
             "param D ~ uniform(0.5, 1)\ninit u[i] ~ uniform(-1, 1)\nstep h ~ uniform(0.0001, 0.001)\n"
             "u[i]' = D/dx^2*(u[i+1] - 2*u[i] + u[i-1])\n"
             "u[0]' = D/dx^2*(u[1] - 2*u[0])\nu[N-1]' = D/dx^2*(u[N-2] - 2*u[N-1])\n", N);
    return family_text(text);
}

static rk_family *heat2d(int N)
{
    char text[4096];
    snprintf(text, sizeof text,
             "family heat2\nconst N = %d\nconst dx = 1/(N + 1)\nstate u[N][N]\n"
             "param D ~ uniform(0.5, 1)\ninit u[i][j] ~ uniform(-1, 1)\nstep h ~ uniform(0.0001, 0.001)\n"
             "u[i][j]' = D/dx^2*(u[i+1][j] + u[i-1][j] + u[i][j+1] + u[i][j-1] - 4*u[i][j])\n"
             "u[0][j]' = D/dx^2*(u[1][j] + u[0][j+1] + u[0][j-1] - 4*u[0][j])\n"
             "u[N-1][j]' = D/dx^2*(u[N-2][j] + u[N-1][j+1] + u[N-1][j-1] - 4*u[N-1][j])\n"
             "u[i][0]' = D/dx^2*(u[i+1][0] + u[i-1][0] + u[i][1] - 4*u[i][0])\n"
             "u[i][N-1]' = D/dx^2*(u[i+1][N-1] + u[i-1][N-1] + u[i][N-2] - 4*u[i][N-1])\n"
             "u[0][0]' = D/dx^2*(u[1][0] + u[0][1] - 4*u[0][0])\n"
             "u[0][N-1]' = D/dx^2*(u[1][N-1] + u[0][N-2] - 4*u[0][N-1])\n"
             "u[N-1][0]' = D/dx^2*(u[N-2][0] + u[N-1][1] - 4*u[N-1][0])\n"
             "u[N-1][N-1]' = D/dx^2*(u[N-2][N-1] + u[N-1][N-2] - 4*u[N-1][N-1])\n", N);
    return family_text(text);
}

static double *state(int d, unsigned seed)
{
    double *y = malloc((size_t)d * sizeof *y);
    cr_assert_not_null(y);
    rk_rng rng;
    rng_seed(&rng, seed);
    for (int i = 0; i < d; i++)
        y[i] = rng_uniform(&rng) * 2 - 1;
    return y;
}

static double *jacwork(const rk_family *f)
{
    double *w = malloc((spec_jacobian_work(f) + 1) * sizeof *w);
    cr_assert_not_null(w);
    return w;
}

Test(spectrum, eigenvalues_of_small_matrices)
{
    double rot[4] = {0, 1, -1, 0}, tri[9] = {-2, 1, 0, 1, -2, 1, 0, 1, -2};
    double complex z[3];
    spec_eigenvalues(2, rot, z);
    cr_expect(fabs(cabs(z[0]) - 1) < 1e-12 && fabs(creal(z[0])) < 1e-12);
    cr_expect(fabs(cimag(z[0]) + cimag(z[1])) < 1e-12);
    spec_eigenvalues(3, tri, z);
    double rho = 0;
    for (int i = 0; i < 3; i++)
        rho = fmax(rho, cabs(z[i]));
    cr_expect(fabs(rho - (2 + sqrt(2.0))) < 1e-12, "%.17g", rho);
}

/* y' = -a y: rho = a exactly by every way, the power method's x 1.2. */
Test(spectrum, linear_decay)
{
    rk_family *f = example_family("linear");
    double p[1] = {3.25}, y[1] = {0.75};
    double *w = jacwork(f);
    cr_expect_eq(spec_rho_exact(f, p, 0, y, w), 3.25);
    spec_power pw;
    cr_assert_eq(spec_power_init(&pw, f), 0);
    double est = spec_power_rho(&pw, p, 0, y);
    cr_expect(fabs(est / (SPEC_SAFETY * 3.25) - 1) < 1e-6, "%.17g", est);
    cr_expect(pw.converged);
    spec_gersh g;
    rk_error err = {{0}};
    cr_assert_eq(spec_gersh_init(&g, f, &err), 0, "%s", err.text);
    double left;
    cr_expect_eq(spec_gersh_bound(&g, p, 0, y, &left), 3.25);
    cr_expect_eq(left, -3.25);
    spec_gersh_free(&g);
    spec_power_free(&pw);
    free(w);
    family_free(f);
}

/* heat1d with N = 10: the eigenvalues give the closed form to rounding;
 * Gershgorin's 4 D / dx^2 bounds it; the power method, warm-started
 * along a few calls, lands within its safety factor. */
Test(spectrum, heat1d_small_exact)
{
    rk_family *f = heat1d(10);
    double p[1] = {0.75}, *y = state(10, 7), *w = jacwork(f);
    double exact = laplace1d(0.75, 10), rho = spec_rho_exact(f, p, 0, y, w);
    cr_expect(fabs(rho / exact - 1) < 1e-10, "%.17g vs %.17g", rho, exact);
    spec_gersh g;
    rk_error err = {{0}};
    cr_assert_eq(spec_gersh_init(&g, f, &err), 0, "%s", err.text);
    cr_expect_eq(g.ngroup, 3);
    double b = spec_gersh_bound(&g, p, 0, y, NULL);
    cr_expect(fabs(b / (4 * 0.75 * 121) - 1) < 1e-12, "%.17g", b);
    spec_power pw;
    cr_assert_eq(spec_power_init(&pw, f), 0);
    double est = 0;
    for (int k = 0; k < 4; k++)
        est = spec_power_rho(&pw, p, 0, y);
    cr_expect(est >= exact && est <= SPEC_SAFETY * exact * (1 + 1e-6), "%.17g vs %.17g", est, exact);
    spec_power_free(&pw);
    spec_gersh_free(&g);
    free(y);
    free(w);
    family_free(f);
}

/* heat1d with N = 1000 (as examples/heat1d.ode): the power method from
 * a random start within its factor of the closed form, and below
 * 1.2 x Gershgorin. */
Test(spectrum, heat1d_large_power_method)
{
    rk_family *f = heat1d(1000);
    double p[1] = {0.001}, *y = state(1000, 11);
    double exact = laplace1d(0.001, 1000);
    spec_power pw;
    cr_assert_eq(spec_power_init(&pw, f), 0);
    double est = spec_power_rho(&pw, p, 0, y);
    cr_expect(est >= 0.9 * exact && est <= SPEC_SAFETY * exact * (1 + 1e-6),
              "%.17g vs %.17g (%d iterations)", est, exact, pw.iters);
    cr_expect_leq(pw.iters, 20);
    spec_gersh g;
    rk_error err = {{0}};
    cr_assert_eq(spec_gersh_init(&g, f, &err), 0, "%s", err.text);
    double b = spec_gersh_bound(&g, p, 0, y, NULL);
    cr_expect(b >= exact && b <= 4 * 0.001 * sq(1001) * (1 + 1e-12), "%.17g", b);
    spec_gersh_free(&g);
    spec_power_free(&pw);
    free(y);
    family_free(f);
}

/* heat2d on a 40 x 40 grid: rho = 2 x the 1-D one; Gershgorin's 8 D / dx^2
 * from five column groups (the five-point stencil). */
Test(spectrum, heat2d_power_gershgorin_exact)
{
    rk_family *f = heat2d(40);
    double p[1] = {0.5}, *y = state(1600, 13);
    double exact = 2 * laplace1d(0.5, 40);
    spec_gersh g;
    rk_error err = {{0}};
    cr_assert_eq(spec_gersh_init(&g, f, &err), 0, "%s", err.text);
    cr_expect_leq(g.ngroup, 9);
    double left, b = spec_gersh_bound(&g, p, 0, y, &left);
    cr_expect(fabs(b / (8 * 0.5 * sq(41)) - 1) < 1e-12, "%.17g", b);
    cr_expect(fabs(left / -b - 1) < 1e-12, "%.17g", left);
    spec_power pw;
    cr_assert_eq(spec_power_init(&pw, f), 0);
    double est = 0;
    for (int k = 0; k < 3; k++)
        est = spec_power_rho(&pw, p, 0, y);
    cr_expect(est >= exact && est <= SPEC_SAFETY * exact * (1 + 1e-6), "%.17g vs %.17g", est, exact);
    spec_power_free(&pw);
    spec_gersh_free(&g);
    free(y);
    family_free(f);
}

/* Lorenz-96 (nonnormal, complex spectrum): at N = 10 the eigenvalues lie
 * under Gershgorin's bound and the power method's estimate lies between
 * a fraction of rho and 1.2 x the bound; at N = 1000 Gershgorin is cheap
 * (seven or fewer column groups for the four neighbours). */
Test(spectrum, lorenz96_bounds)
{
    rk_family *f = family_text("family l96\nconst N = 10\nstate x[N]\nparam F ~ uniform(7.5, 8.5)\n"
                               "init x[i] ~ uniform(-1, 1)\nstep h ~ uniform(0.005, 0.02)\n"
                               "x[i]' = (x[i+1] - x[i-2])*x[i-1] - x[i] + F\n");
    double p[1] = {8}, *y = state(10, 17), *w = jacwork(f);
    for (int i = 0; i < 10; i++)
        y[i] = 8 + 3 * y[i];
    double rho = spec_rho_exact(f, p, 0, y, w);
    spec_gersh g;
    rk_error err = {{0}};
    cr_assert_eq(spec_gersh_init(&g, f, &err), 0, "%s", err.text);
    double b = spec_gersh_bound(&g, p, 0, y, NULL);
    cr_expect(rho > 0 && rho <= b * (1 + 1e-12), "rho %g, Gershgorin %g", rho, b);
    spec_power pw;
    cr_assert_eq(spec_power_init(&pw, f), 0);
    double est = spec_power_rho(&pw, p, 0, y);
    cr_expect(est >= 0.5 * rho && est <= SPEC_SAFETY * b, "power %g, rho %g, bound %g", est, rho, b);
    spec_power_free(&pw);
    spec_gersh_free(&g);
    free(y);
    free(w);
    family_free(f);

    f = example_family("lorenz96");
    cr_assert_eq(spec_gersh_init(&g, f, &err), 0, "%s", err.text);
    cr_expect_leq(g.ngroup, 7);
    y = state(1000, 19);
    b = spec_gersh_bound(&g, p, 0, y, NULL);
    cr_expect(b > 1 && isfinite(b), "%g", b);
    cr_expect_eq(spec_rho_exact(f, p, 0, y, NULL), -1);
    spec_gersh_free(&g);
    free(y);
    family_free(f);
}
