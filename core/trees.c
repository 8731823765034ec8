/* trees.c - enumeration of rooted trees by the split t = l o r (trees.h). */
#include "trees.h"

#include <stdlib.h>
#include <string.h>

/* Room for tree k and its nodes; 0 on success. */
static int reserve(rk_forest *f, int k, size_t nodes, int *cap, size_t *ncap)
{
    if (k >= *cap) {
        int c = *cap * 2;
        rk_tree *t = realloc(f->tree, (size_t)c * sizeof *t);
        if (!t)
            return -1;
        f->tree = t;
        *cap = c;
    }
    if (nodes > *ncap) {
        size_t c = *ncap * 2 > nodes ? *ncap * 2 : nodes;
        int *p = realloc(f->parent, c * sizeof *p);
        if (!p)
            return -1;
        f->parent = p;
        *ncap = c;
    }
    return 0;
}

/* Appends l o r as tree number k; its parent array is l's followed by
 * r's, shifted, with r's root hung under the root. */
static void graft(rk_forest *f, int k, int l, int r, size_t *next_node)
{
    const rk_tree *tl = &f->tree[l], *tr = &f->tree[r];
    rk_tree *t = &f->tree[k];
    t->order = tl->order + tr->order;
    t->left = l;
    t->right = r;
    t->mult = tl->right == r ? tl->mult + 1 : 1;
    t->sigma = tl->sigma * tr->sigma * t->mult;
    t->gamma = t->order * (tl->gamma / tl->order) * tr->gamma;
    t->nodes = *next_node;
    int *p = f->parent + t->nodes;
    memcpy(p, f->parent + tl->nodes, (size_t)tl->order * sizeof *p);
    const int *pr = f->parent + tr->nodes;
    p[tl->order] = 0;
    for (int v = 1; v < tr->order; v++)
        p[tl->order + v] = pr[v] + tl->order;
    *next_node += (size_t)t->order;
}

typedef struct growth {
    int cap;
    size_t ncap, next_node;
} growth;

/* Every tree of order q from the trees of lower orders; returns the new
 * number of trees, or -1 when out of memory. */
static int grow(rk_forest *f, int q, int k, growth *g)
{
    for (int rq = 1; rq < q; rq++) {
        int lq = q - rq;
        for (int l = f->first[lq]; l < f->first[lq + 1]; l++)
            for (int r = f->first[rq]; r < f->first[rq + 1]; r++) {
                /* r must be the largest child: not below l's largest */
                if (r < f->tree[l].right)
                    continue;
                if (reserve(f, k, g->next_node + (size_t)q, &g->cap, &g->ncap))
                    return -1;
                graft(f, k++, l, r, &g->next_node);
            }
    }
    return k;
}

int forest_init(rk_forest *f, int max_order)
{
    memset(f, 0, sizeof *f);
    if (max_order < 1 || max_order > RK_TREES_MAX_ORDER)
        return -1;
    growth g = {64, 256, 1};
    f->tree = malloc((size_t)g.cap * sizeof *f->tree);
    f->first = calloc((size_t)max_order + 2, sizeof *f->first);
    f->parent = malloc(g.ncap * sizeof *f->parent);
    if (!f->tree || !f->first || !f->parent) {
        forest_free(f);
        return -1;
    }
    f->max_order = max_order;
    f->tree[0] = (rk_tree){1, -1, -1, 0, 1.0, 1.0, 0};
    f->parent[0] = -1;
    f->first[1] = 0;
    f->first[2] = 1;
    int k = 1;
    for (int q = 2; q <= max_order; q++) {
        k = grow(f, q, k, &g);
        if (k < 0) {
            forest_free(f);
            return -1;
        }
        f->first[q + 1] = k;
    }
    f->n = k;
    return 0;
}

void forest_free(rk_forest *f)
{
    free(f->tree);
    free(f->first);
    free(f->parent);
    memset(f, 0, sizeof *f);
}

double rooted_tree_count(int q)
{
    /* a(n+1) = (1/n) sum_{k=1..n} (sum_{d | k} d a(d)) a(n-k+1) */
    double a[41] = {0, 1};
    if (q < 1 || q > 40)
        return 0;
    for (int n = 1; n < q; n++) {
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            double dsum = 0;
            for (int d = 1; d <= k; d++)
                if (k % d == 0)
                    dsum += d * a[d];
            sum += dsum * a[n - k + 1];
        }
        a[n + 1] = sum / n;
    }
    return a[q];
}

int forest_count(const rk_forest *f, int q)
{
    if (q < 1 || q > f->max_order)
        return 0;
    return f->first[q + 1] - f->first[q];
}

const int *forest_parent(const rk_forest *f, int k)
{
    return f->parent + f->tree[k].nodes;
}

void forest_phi(const rk_forest *f, int s, const double *A, const double *b,
                double *work, double *phi)
{
    for (int k = 0; k < f->n; k++) {
        double *u = work + (size_t)2 * s * k, *g = u + s;
        const rk_tree *t = &f->tree[k];
        for (int i = 0; i < s; i++)
            u[i] = t->left < 0 ? 1.0
                               : work[(size_t)2 * s * t->left + i] *
                                     work[(size_t)2 * s * t->right + s + i];
        double sum = 0;
        for (int i = 0; i < s; i++) {
            double gi = 0;
            for (int j = 0; j < i; j++)
                gi += A[i * s + j] * u[j];
            g[i] = gi;
            sum += b[i] * u[i];
        }
        phi[k] = sum;
    }
}
