/* test_trees.c - rooted-tree enumeration, symmetry, density, parent arrays
 * and the elementary weights in double. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tableau.h"
#include "trees.h"

/* Rooted trees with n nodes (OEIS A000081), from the literature. */
static const int known_counts[] = {0, 1, 1, 2, 4, 9, 20, 48, 115, 286, 719, 1842, 4766};

Test(trees, counts_match_the_literature_to_order_12)
{
    rk_forest f;
    cr_assert_eq(forest_init(&f, 12), 0);
    int total = 0;
    for (int q = 1; q <= 12; q++) {
        cr_expect_eq(forest_count(&f, q), known_counts[q], "order %d", q);
        cr_expect_eq(rooted_tree_count(q), (double)known_counts[q], "recurrence, order %d", q);
        total += known_counts[q];
    }
    cr_expect_eq(f.n, total);
    forest_free(&f);
}

Test(trees, order_10_has_1205_trees)
{
    rk_forest f;
    cr_assert_eq(forest_init(&f, 10), 0);
    cr_expect_eq(f.n, 1205);
    forest_free(&f);
}

Test(trees, out_of_range_orders_are_refused)
{
    rk_forest f;
    cr_expect_eq(forest_init(&f, 0), -1);
    cr_expect_eq(forest_init(&f, RK_TREES_MAX_ORDER + 1), -1);
    cr_expect_eq(rooted_tree_count(0), 0);
}

/* gamma from the parent array: product of subtree sizes. */
static double gamma_of(const int *parent, int n)
{
    int size[64];
    double g = 1;
    for (int v = 0; v < n; v++)
        size[v] = 1;
    for (int v = n - 1; v > 0; v--)
        size[parent[v]] += size[v];
    for (int v = 0; v < n; v++)
        g *= size[v];
    return g;
}

Test(trees, parent_arrays_are_preorder_and_give_gamma)
{
    rk_forest f;
    cr_assert_eq(forest_init(&f, 9), 0);
    for (int k = 0; k < f.n; k++) {
        const int *p = forest_parent(&f, k);
        int n = f.tree[k].order;
        cr_assert_eq(p[0], -1);
        for (int v = 1; v < n; v++)
            cr_assert(p[v] >= 0 && p[v] < v, "tree %d node %d", k, v);
        cr_expect_eq(gamma_of(p, n), f.tree[k].gamma, "tree %d", k);
    }
    forest_free(&f);
}

/* Canonical string of the subtree at v: "(" children sorted ")". */
static char *canon(const int *p, int n, int v)
{
    char *kids[64];
    int m = 0;
    size_t len = 3;
    for (int w = v + 1; w < n; w++)
        if (p[w] == v) {
            kids[m] = canon(p, n, w);
            len += strlen(kids[m++]);
        }
    for (int i = 1; i < m; i++)
        for (int j = i; j > 0 && strcmp(kids[j - 1], kids[j]) > 0; j--) {
            char *t = kids[j];
            kids[j] = kids[j - 1];
            kids[j - 1] = t;
        }
    char *s = malloc(len);
    strcpy(s, "(");
    for (int i = 0; i < m; i++) {
        strcat(s, kids[i]);
        free(kids[i]);
    }
    strcat(s, ")");
    return s;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

Test(trees, every_tree_is_listed_once)
{
    rk_forest f;
    cr_assert_eq(forest_init(&f, 10), 0);
    char **c = malloc((size_t)f.n * sizeof *c);
    for (int k = 0; k < f.n; k++)
        c[k] = canon(forest_parent(&f, k), f.tree[k].order, 0);
    qsort(c, (size_t)f.n, sizeof *c, cmp_str);
    for (int k = 1; k < f.n; k++)
        cr_expect(strcmp(c[k - 1], c[k]) != 0, "duplicate %s", c[k]);
    for (int k = 0; k < f.n; k++)
        free(c[k]);
    free(c);
    forest_free(&f);
}

Test(trees, symmetry_and_density_identities)
{
    /* sum_{|t|=n} n!/sigma(t) = n^(n-1) (labelled rooted trees, Cayley) and
     * sum_{|t|=n} n!/(sigma(t) gamma(t)) = (n-1)! (monotone labellings) */
    rk_forest f;
    cr_assert_eq(forest_init(&f, 10), 0);
    double fact = 1;
    for (int n = 1; n <= 10; n++) {
        fact *= n;
        double labelled = 0, monotone = 0;
        for (int k = f.first[n]; k < f.first[n + 1]; k++) {
            labelled += fact / f.tree[k].sigma;
            monotone += fact / (f.tree[k].sigma * f.tree[k].gamma);
        }
        cr_expect_float_eq(labelled, pow(n, n - 1), 1e-9 * pow(n, n - 1), "n = %d", n);
        cr_expect_float_eq(monotone, fact / n, 1e-9 * fact, "n = %d", n);
    }
    forest_free(&f);
}

Test(trees, phi_in_double_meets_rk4s_conditions)
{
    rk_tableau *t = tableau_builtin("rk4");
    rk_forest f;
    cr_assert_eq(forest_init(&f, 5), 0);
    double *work = malloc((size_t)2 * t->s * f.n * sizeof *work);
    double *phi = malloc((size_t)f.n * sizeof *phi);
    forest_phi(&f, t->s, t->A, t->b, work, phi);
    for (int k = 0; k < f.first[5]; k++)
        cr_expect_float_eq(phi[k], 1.0 / f.tree[k].gamma, 1e-15, "tree %d", k);
    int failing = 0;
    for (int k = f.first[5]; k < f.n; k++)
        failing += fabs(phi[k] - 1.0 / f.tree[k].gamma) > 1e-6;
    cr_expect_gt(failing, 0, "rk4 is not of order 5");
    free(work);
    free(phi);
    forest_free(&f);
    tableau_free(t);
}
