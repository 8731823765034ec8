/* weights.c - elementary weights of the trees and their derivatives,
 * by forward mode through the trees' recursion. */
#include "weights.h"

#include <stdlib.h>
#include <string.h>

#include "objective.h"

int tree_weights_init(tree_weights *tw, const rk_forest *f, int stages)
{
    size_t nt = (size_t)f->n, s = (size_t)stages;
    memset(tw, 0, sizeof *tw);
    tw->stages = stages;
    tw->P = stages * (stages - 1) / 2 + stages;
    tw->ntrees = f->n;
    size_t P = (size_t)tw->P;
    tw->phi = malloc(nt * sizeof *tw->phi);
    tw->dphi = malloc(nt * P * sizeof *tw->dphi);
    tw->v = malloc(nt * s * sizeof *tw->v);
    tw->w = malloc(nt * s * sizeof *tw->w);
    tw->dv = malloc(nt * s * P * sizeof *tw->dv);
    tw->dw = malloc(nt * s * P * sizeof *tw->dw);
    if (!tw->phi || !tw->dphi || !tw->v || !tw->w || !tw->dv || !tw->dw) {
        tree_weights_free(tw);
        return -1;
    }
    return 0;
}

void tree_weights_free(tree_weights *tw)
{
    free(tw->phi); free(tw->dphi); free(tw->v); free(tw->w); free(tw->dv); free(tw->dw);
    memset(tw, 0, sizeof *tw);
}

/* Stage vector v = Phi_.(t) and its tangents, from the tree's split. */
static void stage_vector(const rk_forest *f, tree_weights *tw, int k, int with_grad)
{
    const rk_tree *t = &f->tree[k];
    int s = tw->stages, P = tw->P;
    double *v = tw->v + (size_t)k * s, *dv = tw->dv + (size_t)k * s * P;
    for (int i = 0; i < s; i++) {
        if (t->left < 0) {
            v[i] = 1;
            for (int p = 0; with_grad && p < P; p++)
                dv[i * P + p] = 0;
            continue;
        }
        double vl = tw->v[(size_t)t->left * s + i], wr = tw->w[(size_t)t->right * s + i];
        const double *dvl = tw->dv + ((size_t)t->left * s + i) * P;
        const double *dwr = tw->dw + ((size_t)t->right * s + i) * P;
        v[i] = vl * wr;
        for (int p = 0; with_grad && p < P; p++)
            dv[i * P + p] = dvl[p] * wr + vl * dwr[p];
    }
}

void tree_weights_eval(const rk_forest *f, int stages, const double *theta, int with_grad,
                  tree_weights *tw)
{
    int s = stages, P = tw->P;
    for (int k = 0; k < f->n; k++) {
        stage_vector(f, tw, k, with_grad);
        const double *v = tw->v + (size_t)k * s, *dv = tw->dv + (size_t)k * s * P;
        double *w = tw->w + (size_t)k * s, *dw = tw->dw + (size_t)k * s * P;
        double phi = 0;
        for (int i = 0; i < s; i++) {
            double wi = 0;
            for (int j = 0; j < i; j++)
                wi += theta[theta_a(i, j)] * v[j];
            w[i] = wi;
            phi += theta[theta_b(s, i)] * v[i];
            for (int p = 0; with_grad && p < P; p++) {
                double d = 0;
                for (int j = 0; j < i; j++)
                    d += theta[theta_a(i, j)] * dv[j * P + p] + (p == theta_a(i, j)) * v[j];
                dw[i * P + p] = d;
            }
        }
        tw->phi[k] = phi;
        for (int p = 0; with_grad && p < P; p++) {
            double d = 0;
            for (int i = 0; i < s; i++)
                d += theta[theta_b(s, i)] * dv[i * P + p] + (p == theta_b(s, i)) * v[i];
            tw->dphi[(size_t)k * P + p] = d;
        }
    }
}
