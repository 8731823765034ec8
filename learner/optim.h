/* optim.h - the optimisers over the free coefficients q.
 *
 * Levenberg-Marquardt works on residuals and their Jacobian (a small
 * nonlinear least-squares problem, tens of unknowns); Adam (the paper's,
 * with its step-decay schedule) and Lookahead around Adam (paper 004) work
 * on the gradient J^T r. */
#ifndef RK_OPTIM_H
#define RK_OPTIM_H

/* Solves (H + lambda*diag(H) + tiny*I) x = -g for symmetric positive
 * semidefinite H (n x n); 0 on success. */
int lm_solve(int n, const double *H, const double *g, double lambda, double *x);

typedef struct adam {
    int n, t;
    double lr, beta1, beta2, eps;
    double *m, *v;
} adam;

int adam_init(adam *a, int n, double lr);
void adam_free(adam *a);
/* One Adam step on q with gradient g. */
void adam_step(adam *a, double *q, const double *g);

/* Lookahead: every k fast steps, slow += alpha*(fast - slow), fast = slow. */
typedef struct lookahead {
    int n, k, count;
    double alpha;
    double *slow;
} lookahead;

int lookahead_init(lookahead *l, int n, const double *q, int k, double alpha);
void lookahead_free(lookahead *l);
/* Call after each fast step; returns 1 when q was pulled back. */
int lookahead_after_step(lookahead *l, double *q);

#endif
