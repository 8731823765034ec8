/* test_arrays.c - state arrays in family files: the rules give every
 * component the derivative mathematics says (wrap-around, boundaries,
 * edges and corners, indices as numbers, mixed scalar and array states),
 * and the generated loops compile cleanly everywhere and agree with the
 * engine and across compilers to the bit, at a size-independent length. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "family.h"
#include "rng.h"
#include "support.h"

#define STRICT "-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror"

/* dydt = f(t, y; p) through the engine */
static void rhs(const rk_family *f, const double *p, double t, const double *y, double *dy)
{
    double *work = malloc(((size_t)f->rhs.n + 1) * sizeof *work);
    cr_assert_not_null(work);
    family_rhs_ctx ctx = {f, p, work};
    family_rhs(&ctx, t, y, dy);
    free(work);
}

static double *random_state(int n, uint64_t seed)
{
    rk_rng rng;
    rng_seed(&rng, seed);
    double *y = malloc((size_t)n * sizeof *y);
    for (int i = 0; i < n; i++)
        y[i] = 2 * rng_uniform(&rng) - 1;
    return y;
}

/* Lorenz-96 as the issue writes it: N = 1000 components on a circle. */
Test(arrays, lorenz96_wraps_around)
{
    rk_family *f = example_family("lorenz96");
    cr_assert_eq(f->dim, 1000);
    cr_assert_eq(f->narray, 1);
    cr_expect_str_eq(f->state[999].name, "x[999]");
    double p[] = {8.0}, *y = random_state(1000, 7), dy[1000];
    rhs(f, p, 0, y, dy);
    for (int i = 0; i < 1000; i++) {
        double want = (y[(i + 1) % 1000] - y[(i + 998) % 1000]) * y[(i + 999) % 1000] - y[i] + 8.0;
        cr_assert_eq(dy[i], want, "x[%d]' = %.17g, want %.17g", i, dy[i], want);
    }
    free(y);
    family_free(f);
}

/* The discrete sine is an eigenvector of the Dirichlet Laplacian:
 * D (u[i+1] - 2u[i] + u[i-1]) / dx^2 = -4 D / dx^2 sin^2(pi dx / 2) u[i],
 * the boundary rules included; and the init expression is that sine. */
Test(arrays, heat1d_boundaries_and_init)
{
    rk_family *f = example_family("heat1d");
    int N = f->dim;
    cr_assert_eq(N, 1000);
    double p[2] = {0.00075, 1.25}, y0[1000], h, dy[1000];
    cr_assert_str_eq(f->param[0].name, "D");
    rk_rng rng;
    rng_seed(&rng, 3);
    family_sample(f, &rng, p, y0, &h);
    double pi = 4 * atan(1.0), dx = 1.0 / (N + 1);
    for (int i = 0; i < N; i++)
        cr_assert_float_eq(y0[i], p[1] * sin(pi * (i + 1) / (N + 1)), 1e-15);
    rhs(f, p, 0, y0, dy);
    double lambda = -4 * p[0] / (dx * dx) * pow(sin(pi * dx / 2), 2);
    for (int i = 0; i < N; i++)
        cr_assert(fabs(dy[i] - lambda * y0[i]) <= 1e-6 * fabs(lambda) * p[1], "u[%d]' = %.17g, want %.17g", i,
                  dy[i], lambda * y0[i]);
    family_free(f);
}

/* On a constant grid the five-point stencil with zero boundary leaves
 * the interior at rest, and takes one missing neighbour from an edge
 * and two from a corner. */
Test(arrays, grid_edges_and_corners)
{
    char text[4096];
    snprintf(text, sizeof text,
             "family g\nconst N = 5\nconst M = 7\nstate u[N][M]\ninit u[i][j] ~ 1\nstep h ~ 0.1\n"
             "u[i][j]' = u[i+1][j] + u[i-1][j] + u[i][j+1] + u[i][j-1] - 4*u[i][j]\n"
             "u[0][j]' = u[1][j] + u[0][j+1] + u[0][j-1] - 4*u[0][j]\n"
             "u[N-1][j]' = u[N-2][j] + u[N-1][j+1] + u[N-1][j-1] - 4*u[N-1][j]\n"
             "u[i][0]' = u[i+1][0] + u[i-1][0] + u[i][1] - 4*u[i][0]\n"
             "u[i][M-1]' = u[i+1][M-1] + u[i-1][M-1] + u[i][M-2] - 4*u[i][M-1]\n"
             "u[0][0]' = u[1][0] + u[0][1] - 4*u[0][0]\n"
             "u[0][M-1]' = u[1][M-1] + u[0][M-2] - 4*u[0][M-1]\n"
             "u[N-1][0]' = u[N-2][0] + u[N-1][1] - 4*u[N-1][0]\n"
             "u[N-1][M-1]' = u[N-2][M-1] + u[N-1][M-2] - 4*u[N-1][M-1]\n");
    rk_family *f = family_text(text);
    cr_assert_eq(f->dim, 35);
    double y[35], dy[35];
    for (int i = 0; i < 35; i++)
        y[i] = 1;
    rhs(f, NULL, 0, y, dy);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 7; j++) {
            int edges = (i == 0 || i == 4) + (j == 0 || j == 6);
            cr_expect_eq(dy[i * 7 + j], -(double)edges, "u[%d][%d]", i, j);
        }
    family_free(f);
}

/* An index is also a number, and a fixed rule overrides the general one. */
Test(arrays, index_as_number)
{
    rk_family *f = family_text("family g\nconst N = 3\nstate u[N][4] w[N]\ninit u[i][j] = 10*i + j\ninit w[i] ~ 0\n"
                         "step h ~ 0.1\nu[i][j]' = 100*i + j\nw[k]' = k^2\nw[1]' = -1\n");
    double y0[15], p[1], h, dy[15];
    rk_rng rng;
    rng_seed(&rng, 1);
    family_sample(f, &rng, p, y0, &h);
    rhs(f, p, 0, y0, dy);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) {
            cr_expect_eq(y0[i * 4 + j], 10.0 * i + j);
            cr_expect_eq(dy[i * 4 + j], 100.0 * i + j);
        }
    cr_expect_eq(dy[12], 0.0);
    cr_expect_eq(dy[13], -1.0);
    cr_expect_eq(dy[14], 4.0);
    family_free(f);
}

/* Scalars and arrays on one state line: the layout is declaration
 * order, a scalar reads fixed elements and the arrays read the scalar. */
Test(arrays, mixed_scalar_and_arrays)
{
    rk_family *f = example_family("vdp_ring");
    cr_assert_eq(f->dim, 65);
    cr_expect_str_eq(f->state[0].name, "e");
    cr_expect_str_eq(f->state[1].name, "x[0]");
    cr_expect_str_eq(f->state[33].name, "v[0]");
    cr_expect_eq(f->array[2].offset, 33);
    double p[] = {1.0, 0.1}, *y = random_state(65, 11), dy[65];
    rhs(f, p, 0, y, dy);
    cr_expect_eq(dy[0], 0.5 * (y[1] * y[1] + y[33] * y[33]) - y[0]);
    for (int i = 0; i < 32; i++) {
        double x = y[1 + i], v = y[33 + i], xr = y[1 + (i + 1) % 32], xl = y[1 + (i + 31) % 32];
        cr_expect_eq(dy[1 + i], v);
        cr_expect_eq(dy[33 + i], 1.0 * (1 - x * x) * v - x + 0.1 * (xr - 2 * x + xl) - 0.01 * y[0] * v, "v[%d]", i);
    }
    free(y);
    family_free(f);
}

static void emit_example(const char *dir, const char *fam, const char *prefix, int is_float)
{
    rk_family *f = example_family(fam);
    rk_tableau *t = tableau_builtin("rk4");
    char err[RK_ERROR_MAX];
    cr_assert_eq(emit_files(f, t, dir, prefix, is_float, err), 0, "%s: %s", fam, err);
    tableau_free(t);
    family_free(f);
}

/* Loops, not written-out components: no warning under gcc, clang or tcc
 * with strict flags, double and float. */
Test(arrays, strict_compile, .timeout = 120)
{
    const char *dir = tmp_dir("arrays_strict");
    const char *fams[] = {"lorenz96", "heat1d", "heat2d", "vdp_ring"};
    for (int k = 0; k < 4; k++)
        for (int fl = 0; fl < 2; fl++) {
            char prefix[32];
            snprintf(prefix, sizeof prefix, "a%d%d", k, fl);
            emit_example(dir, fams[k], prefix, fl);
            cr_expect_eq(sh("cd %s && gcc " STRICT " -Wdouble-promotion -c %s.c -o /dev/null", dir, prefix), 0,
                         "gcc: %s %d", fams[k], fl);
            cr_expect_eq(sh("cd %s && clang " STRICT " -Wdouble-promotion -c %s.c -o /dev/null", dir, prefix), 0,
                         "clang: %s %d", fams[k], fl);
            cr_expect_eq(sh("cd %s && tcc " STRICT " -c %s.c -o /dev/null", dir, prefix), 0, "tcc: %s %d",
                         fams[k], fl);
        }
}

/* The code's length does not depend on N: Lorenz-96 with 1000 and with
 * 100000 components differ only in the digits of the sizes. */
Test(arrays, size_independent_code, .timeout = 60)
{
    const char *dir = tmp_dir("arrays_size");
    long bytes[2];
    for (int k = 0; k < 2; k++) {
        char text[512], path[1024];
        snprintf(text, sizeof text,
                 "family l\nconst N = %d\nstate x[N]\nparam F ~ uniform(7.5, 8.5)\ninit x[i] ~ uniform(-1, 1)\n"
                 "step h ~ loguniform(0.005, 0.02)\nx[i]' = (x[i+1] - x[i-2])*x[i-1] - x[i] + F\n",
                 k ? 100000 : 1000);
        rk_family *f = family_text(text);
        rk_tableau *t = tableau_builtin("rk4");
        char err[RK_ERROR_MAX], prefix[8];
        snprintf(prefix, sizeof prefix, "l%d", k);
        cr_assert_eq(emit_files(f, t, dir, prefix, 0, err), 0, "%s", err);
        snprintf(path, sizeof path, "%s/%s.c", dir, prefix);
        FILE *fp = fopen(path, "rb");
        cr_assert_not_null(fp);
        fseek(fp, 0, SEEK_END);
        bytes[k] = ftell(fp);
        fclose(fp);
        tableau_free(t);
        family_free(f);
    }
    /* 999 -> 99999 and the like: a few digits per size */
    cr_expect(labs(bytes[1] - bytes[0]) < 40, "%ld and %ld bytes", bytes[0], bytes[1]);
}

static const char driver[] =
    "#include <stdio.h>\n#include \"%s.h\"\n"
    "static %s_real y[%s_DIM];\n"
    "int main(void) {\n"
    "  %s_params p;\n  int i;\n  %s\n"
    "  for (i = 0; i < %s_DIM; i++) y[i] = (%s_real)(0.5 + 0.001 * (i %% 97));\n"
    "  %s_integrate(0, y, (%s_real)%s, 50, &p);\n"
    "  for (i = 0; i < %s_DIM; i++) printf(\"%%a\\n\", (double)y[i]);\n"
    "  return 0;\n}\n";

/* gcc -O0, gcc -O2, clang and tcc give the same bits on the loops. */
Test(arrays, bit_identical_across_compilers, .timeout = 120)
{
    const char *fams[] = {"lorenz96", "heat2d", "vdp_ring"};
    const char *params[] = {"p.F = 8;", "p.D = 0.00075; p.A = 1;", "p.a = 1; p.k = 0.1;"};
    const char *steps[] = {"0.01", "0.001", "0.02"};
    const char *dir = tmp_dir("arrays_bits");
    for (int k = 0; k < 3; k++) {
        char P[8], U[8], src[4096], path[1024];
        snprintf(P, sizeof P, "c%d", k);
        snprintf(U, sizeof U, "C%d", k);
        emit_example(dir, fams[k], P, 0);
        snprintf(src, sizeof src, driver, P, P, U, P, params[k], U, P, P, P, steps[k], U);
        snprintf(path, sizeof path, "%s/main_%s.c", dir, P);
        write_text(path, src);
        const char *builds[] = {"gcc -O0 -ffp-contract=off", "gcc -O2 -ffp-contract=off",
                                "clang -O2 -ffp-contract=off", "tcc"};
        for (int c = 0; c < 4; c++)
            cr_assert_eq(sh("cd %s && %s -o run_%s_%d main_%s.c %s.c -lm && ./run_%s_%d > out_%s_%d.txt", dir,
                            builds[c], P, c, P, P, P, c, P, c), 0, "%s", builds[c]);
        for (int c = 1; c < 4; c++)
            cr_expect_eq(sh("cd %s && cmp -s out_%s_0.txt out_%s_%d.txt", dir, P, P, c), 0,
                         "%s: %s differs from gcc -O0", fams[k], builds[c]);
    }
}

/* A subexpression written twice in a rule is one temporary in every
 * box (inside braces in a loop), and the C still matches the engine. */
Test(arrays, shared_subexpressions_in_loops)
{
    const char *dir = tmp_dir("arrays_cse");
    rk_family *f = family_text("family ring\nconst N = 8\nstate x[N]\nparam k ~ uniform(1, 2)\n"
                         "init x[i] ~ uniform(-1, 1)\nstep h ~ 0.01\n"
                         "x[i]' = k*(x[i+1] - x[i])/((x[i+1] - x[i])^2 + 1)^1.5"
                         " - (x[i] - x[i-1])/((x[i] - x[i-1])^2 + 1)^1.5\n");
    rk_tableau *t = tableau_builtin("rk4");
    char err[RK_ERROR_MAX];
    cr_assert_eq(emit_files(f, t, dir, "ring", 0, err), 0, "%s", err);
    /* three boxes (i = 0, 1..6, 7), two pows each, two temporaries each */
    cr_expect_eq(sh("cd %s && test $(grep -o 'pow(' ring.c | wc -l) -eq 6", dir), 0);
    cr_expect_eq(sh("cd %s && grep -q 'for (int i = 1; i < 7; i++) {' ring.c", dir), 0);
    cr_expect_eq(sh("cd %s && test $(grep -c 'const ring_real s[0-9]* = ' ring.c) -eq 6", dir), 0);
    cr_expect_eq(sh("cd %s && gcc " STRICT " -c ring.c -o /dev/null", dir), 0);
    tableau_free(t);
    family_free(f);
}
