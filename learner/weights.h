/* weights.h - elementary weights Phi(t) of every tree up to an order,
 * and their exact derivatives with respect to the raw coefficients theta
 * (objective.h's layout), by forward mode through the trees' recursion
 * Phi_i(l o r) = Phi_i(l) (A Phi(r))_i, Phi(t) = b . Phi_.(t). */
#ifndef RK_WEIGHTS_H
#define RK_WEIGHTS_H

#include "trees.h"

typedef struct tree_weights {
    int stages, P, ntrees;
    double *phi;   /* ntrees */
    double *dphi;  /* ntrees x P */
    double *v, *dv, *w, *dw;
} tree_weights;

int tree_weights_init(tree_weights *tw, const rk_forest *f, int stages);
void tree_weights_free(tree_weights *tw);
void tree_weights_eval(const rk_forest *f, int stages, const double *theta, int with_grad,
                       tree_weights *tw);

#endif
