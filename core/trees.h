/* trees.h - rooted trees for Runge-Kutta order conditions (Butcher).
 *
 * Every tree of order n > 1 is written uniquely as t = l o r, the tree l
 * with one more subtree r grafted onto its root, where r is the root's
 * child with the largest index (trees are numbered by order, then in
 * generation order).  Generating the pairs (l, r) with
 * index(r) >= index(largest child of l) lists every tree exactly once,
 * so the counts 1, 1, 2, 4, 9, 20, 48, 115, ... come out of the
 * construction, not out of a table.  The same split gives the elementary
 * weights in O(s^2) per tree:
 *
 *     Phi_i(bullet) = 1,   Phi_i(l o r) = Phi_i(l) * (A Phi(r))_i,
 *     Phi(t) = b . Phi(t).
 *
 * Each tree is also stored as a parent array (nodes in preorder, node 0
 * the root, parent[0] = -1), the form for code that walks a tree's nodes,
 * e.g. reverse-mode gradients of Phi in the learner.
 */
#ifndef RK_TREES_H
#define RK_TREES_H

#include <stddef.h>

/* Orders above this are refused: 14 already means 53272 trees. */
#define RK_TREES_MAX_ORDER 14

typedef struct rk_tree {
    int order;      /* |t|, number of nodes */
    int left;       /* l of t = l o r; -1 for the single node */
    int right;      /* r; -1 for the single node */
    int mult;       /* how many children of the root equal r (0 for bullet) */
    double sigma;   /* symmetry: order of the automorphism group */
    double gamma;   /* density: prod over nodes of the subtree's order */
    size_t nodes;   /* offset of this tree's parent array in rk_forest.parent */
} rk_tree;

typedef struct rk_forest {
    int max_order;
    int n;            /* trees of orders 1..max_order */
    rk_tree *tree;    /* tree[0] is the single node; sorted by order */
    int *first;       /* trees of order q are [first[q], first[q+1]); q = 1..max_order */
    int *parent;      /* all parent arrays, concatenated */
} rk_forest;

/* All trees of orders 1..max_order (1 <= max_order <= RK_TREES_MAX_ORDER);
 * 0 on success, -1 if max_order is out of range or memory runs out. */
int forest_init(rk_forest *f, int max_order);
void forest_free(rk_forest *f);

/* Number of rooted trees of order q by the classical recurrence (Cayley;
 * OEIS A000081), without enumerating them; 0 outside 1..40. */
double rooted_tree_count(int q);

/* Number of trees of order q (from the forest). */
int forest_count(const rk_forest *f, int q);
/* Parent array of tree k: tree[k].order entries. */
const int *forest_parent(const rk_forest *f, int k);

/* Elementary weights in double for an explicit s-stage tableau (A
 * row-major s*s, b of s): phi[k] = Phi(tree k) for every tree.  work
 * holds 2*s*f->n doubles (stage vectors Phi_i(t) and (A Phi(t))_i). */
void forest_phi(const rk_forest *f, int s, const double *A, const double *b,
                double *work, double *phi);

#endif
