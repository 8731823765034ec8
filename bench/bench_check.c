/* bench_check.c - speed of rkgen check's two heavy parts.
 *
 *   1. every tree to order 10 (1205 trees) for a 16-stage tableau at 256
 *      bits: target under 0.5 s;
 *   2. the family order to 8 on 100 members of Van der Pol: target under
 *      1 s (for rk4, and for the 11-stage Cooper-Verner method).
 *
 * Usage: bench_check [SOURCE_DIR]  (default ".", for examples/ and tests/)
 * Exit status 1 if a target is missed. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "family.h"
#include "localerr.h"
#include "orders.h"
#include "rng.h"
#include "tableau.h"
#include "tableau_mp.h"
#include "trees.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A dense explicit 16-stage tableau with reproducible random entries. */
static rk_tableau *dense16(void)
{
    rk_tableau *t = tableau_new(16);
    rk_rng rng;
    rng_seed(&rng, 42);
    double sum = 0;
    for (int i = 0; i < 16; i++) {
        t->c[i] = 0;
        for (int j = 0; j < i; j++) {
            t->A[i * 16 + j] = rng_uniform(&rng) / i;
            t->c[i] += t->A[i * 16 + j];
        }
        t->b[i] = rng_uniform(&rng);
        sum += t->b[i];
    }
    for (int i = 0; i < 16; i++)
        t->b[i] /= sum;
    snprintf(t->name, sizeof t->name, "dense16");
    return t;
}

static int bench_trees(void)
{
    rk_error err = {{0}};
    rk_tableau *t = dense16();
    double t0 = now();
    rk_forest f;
    rk_tabmp m;
    rk_order_check c;
    if (!t || forest_init(&f, 10) || tabmp_init(&m, t, 256, &err) ||
        orders_check(&f, &m, &c, &err)) {
        fprintf(stderr, "bench_check: %s\n", err.text);
        return 1;
    }
    double dt = now() - t0;
    printf("trees: %d trees to order 10, 16 stages, 256 bits: %.3f s (target < 0.5 s)\n",
           f.n, dt);
    orders_free(&c);
    tabmp_clear(&m);
    forest_free(&f);
    tableau_free(t);
    return dt < 0.5 ? 0 : 1;
}

static int bench_family(const char *dir, const char *spec)
{
    char path[4096];
    rk_error err = {{0}};
    snprintf(path, sizeof path, "%s/examples/vanderpol.ode", dir);
    rk_family *fam = family_load(path, &err);
    rk_tableau *t = fam ? tableau_resolve(spec, &err) : NULL;
    if (!t) {
        fprintf(stderr, "bench_check: %s\n", err.text);
        family_free(fam);
        return 1;
    }
    double t0 = now();
    rk_forest f = {0};
    rk_tabmp m = {0};
    rk_order_check c = {0};
    rk_family_check fc;
    int rc = forest_init(&f, 8) || tabmp_init(&m, t, 256, &err) ||
             orders_check(&f, &m, &c, &err) || family_check(fam, &m, &c, 100, 1, &fc, &err);
    double dt = now() - t0;
    if (rc)
        fprintf(stderr, "bench_check: %s\n", err.text[0] ? err.text : "out of memory");
    else
        printf("family: %s on vanderpol, orders 1..8, 100 members, 256 bits (with the "
               "classical check): %.3f s, family order %d (target < 1 s)\n",
               t->name, dt, fc.order);
    orders_free(&c);
    if (m.A)
        tabmp_clear(&m);
    forest_free(&f);
    tableau_free(t);
    family_free(fam);
    return rc || dt >= 1.0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    char cv8[4096];
    snprintf(cv8, sizeof cv8, "%s/tests/tableaux/cooper_verner8.json", dir);
    int missed = bench_trees();
    missed |= bench_family(dir, "rk4");
    missed |= bench_family(dir, cv8);
    return missed ? 1 : 0;
}
