/* test_family.c - family files: the examples parse, every bad file is
 * rejected with the right place and reason, and sampling is
 * reproducible. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"
#include "fileio.h"
#include "support.h"

static rk_family *load(const char *rel)
{
    rk_error err = {{0}};
    rk_family *f = family_load(src_path(rel), &err);
    cr_assert_not_null(f, "%s: %s", rel, err.text);
    return f;
}

Test(family, examples_parse)
{
    const char *names[] = {"linear", "square", "vanderpol", "brusselator", "lorenz63"};
    const int dims[] = {1, 1, 2, 2, 3};
    const int exact[] = {1, 1, 0, 0, 0};
    for (int i = 0; i < 5; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "examples/%s.ode", names[i]);
        rk_family *f = load(rel);
        cr_expect_str_eq(f->name, names[i]);
        cr_expect_eq(f->dim, dims[i], "%s", names[i]);
        cr_expect_eq(f->has_exact, exact[i], "%s", names[i]);
        family_free(f);
    }
}

Test(family, vanderpol_as_in_the_issue)
{
    rk_family *f = load("examples/vanderpol.ode");
    cr_expect_eq(f->nparam, 1);
    cr_expect_str_eq(f->param[0].name, "a");
    cr_expect_eq(f->param[0].dist.kind, DIST_UNIFORM);
    cr_expect_eq(f->state[0].dist.a, -4.0);
    cr_expect_eq(f->state[0].dist.b, -3.0);
    cr_expect_eq(f->step.kind, DIST_LOGUNIFORM);
    cr_expect_eq(f->horizon, 1.0);
    /* f(u, v) = (v, a(1 - u^2) v - u) at u = 2, v = 3, a = 1.5 */
    double p[] = {1.5}, y[] = {2, 3}, dy[2], work[64];
    cr_assert(f->rhs.n <= 64);
    family_rhs_ctx ctx = {f, p, work};
    family_rhs(&ctx, 0.0, y, dy);
    cr_expect_eq(dy[0], 3.0);
    cr_expect_eq(dy[1], 1.5 * (1 - 4.0) * 3 - 2);
    family_free(f);
}

Test(family, exact_solutions)
{
    rk_family *f = load("examples/square.ode");
    double p[] = {0.3}, y0[] = {2.0}, y[1], work[64];
    family_exact(f, p, y0, 1.5, work, y);
    cr_expect_float_eq(y[0], 1 / (0.3 * 1.5 + 0.5), 1e-15);
    family_free(f);
    f = load("examples/linear.ode");
    double q[] = {2.0}, z0[] = {3.0};
    family_exact(f, q, z0, 0.25, work, y);
    cr_expect_float_eq(y[0], 3.0 * exp(-0.5), 1e-15);
    family_free(f);
}

Test(family, constants_and_horizon)
{
    rk_family *f = load("examples/brusselator.ode");
    cr_expect_eq(f->nconst, 1);
    cr_expect_eq(f->horizon, 2.0);
    family_free(f);
    f = load("examples/lorenz63.ode");
    double y[] = {1, 2, 3}, dy[3], work[64];
    family_rhs_ctx ctx = {f, NULL, work};
    family_rhs(&ctx, 0.0, y, dy);
    cr_expect_eq(dy[0], 10.0 * (2 - 1));
    cr_expect_eq(dy[1], 1 * (28.0 - 3) - 2);
    cr_expect_eq(dy[2], 1.0 * 2 - 8.0 / 3 * 3);
    family_free(f);
}

Test(family, sampling_is_reproducible_and_in_range)
{
    rk_family *f = load("examples/vanderpol.ode");
    rk_rng a, b;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    for (int i = 0; i < 1000; i++) {
        double p1[1], y1[2], h1, p2[1], y2[2], h2;
        family_sample(f, &a, p1, y1, &h1);
        family_sample(f, &b, p2, y2, &h2);
        cr_assert(p1[0] == p2[0] && y1[0] == y2[0] && y1[1] == y2[1] && h1 == h2);
        cr_assert(p1[0] >= 1 && p1[0] < 2 && y1[0] >= -4 && y1[0] < -3);
        cr_assert(y1[1] >= 0 && y1[1] < 2 && h1 >= 0.01 && h1 <= 0.1);
    }
    family_free(f);
}

static char *read_expect(const char *path)
{
    rk_error err = {{0}};
    size_t len;
    char *s = rk_read_file(path, 4096, &len, &err);
    cr_assert_not_null(s, "%s", err.text);
    if (len && s[len - 1] == '\n')
        s[len - 1] = '\0';
    return s;
}

Test(family, bad_corpus)
{
    DIR *d = opendir(src_path("tests/bad"));
    struct dirent *e;
    int count = 0;
    cr_assert_not_null(d);
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".ode") != 0)
            continue;
        char path[1024], expect_path[1024], want[1200];
        snprintf(path, sizeof path, "%s/%s", src_path("tests/bad"), e->d_name);
        snprintf(expect_path, sizeof expect_path, "%.*s.expect", (int)strlen(path) - 4, path);
        char *expect = read_expect(expect_path);
        rk_error err = {{0}};
        rk_family *f = family_load(path, &err);
        cr_expect_null(f, "%s was accepted", e->d_name);
        family_free(f);
        snprintf(want, sizeof want, "%s:%s", path, expect);
        cr_expect(strstr(err.text, want) != NULL, "%s:\n  want: %s\n  got:  %s", e->d_name, want, err.text);
        free(expect);
        count++;
    }
    closedir(d);
    cr_expect_geq(count, 30);
}

Test(family, megabyte_line)
{
    size_t n = 1u << 20;
    char *text = malloc(n + 64);
    strcpy(text, "family f\nstate u\nu' = ");
    size_t k = strlen(text);
    for (; k < n; k += 2)
        memcpy(text + k, "u+", 2);
    strcpy(text + k, "u\n");
    rk_error err = {{0}};
    rk_family *f = family_parse("big.ode", text, strlen(text), &err);
    cr_expect_null(f);
    cr_expect(strstr(err.text, "big.ode:3:4097: line longer than 4096 characters") != NULL, "%s", err.text);
    /* the message shows a window of the line, not a megabyte */
    cr_expect_lt(strlen(err.text), 400);
    free(text);
}

Test(family, caret_points_at_column)
{
    const char *text = "family f\nstate u\ninit u ~ 1\nstep h ~ 0.1\nu' = 2*foo\n";
    rk_error err = {{0}};
    cr_assert_null(family_parse("x.ode", text, strlen(text), &err));
    cr_expect_str_eq(err.text, "x.ode:5:8: unknown name 'foo' (declare it with state, param or const)\n"
                               "    u' = 2*foo\n"
                               "           ^");
}

Test(family, declaration_order_is_free)
{
    const char *text = "u' = -a*u\ninit u ~ 1\nparam a ~ 2\nstep h ~ 0.1\nstate u\nfamily f\n";
    rk_error err = {{0}};
    rk_family *f = family_parse("x.ode", text, strlen(text), &err);
    cr_assert_not_null(f, "%s", err.text);
    family_free(f);
}

Test(family, hash_follows_bytes)
{
    const char *a = "family f\nstate u\ninit u ~ 1\nstep h ~ 0.1\nu' = -u\n";
    const char *b = "family f\nstate u\ninit u ~ 1\nstep h ~ 0.1\nu' = -u \n";
    rk_error err = {{0}};
    rk_family *fa = family_parse("a", a, strlen(a), &err);
    rk_family *fb = family_parse("b", b, strlen(b), &err);
    cr_assert(fa && fb);
    cr_expect_neq(fa->hash, fb->hash);
    cr_expect_eq(fa->hash, rk_fnv1a(a, strlen(a)));
    family_free(fa);
    family_free(fb);
}
