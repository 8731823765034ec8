/* optim.h - the optimisers over the free coefficients q.
 *
 * Levenberg-Marquardt works on residuals and their Jacobian (a small
 * nonlinear least-squares problem, tens of unknowns); Adam (the paper's,
 * with its step-decay schedule) and Lookahead around Adam (paper 004) work
 * on the gradient J^T r. */
#ifndef RK_OPTIM_H
#define RK_OPTIM_H

#include <stdint.h>

/* What an optimiser sees of the problem it minimises: a criterion of n
 * unknowns and, on request, its Gauss-Newton model (H = J^T J, g = J^T r
 * of the weighted residuals, so that g is also the gradient). */
typedef struct opt_problem {
    int n;
    void *ctx;
    /* the criterion at q; with_model also fills *H (n x n) and *g (n);
     * *gamma is the training ratio that ratio_lim stops on */
    double (*eval)(void *ctx, const double *q, int with_model, double *gamma);
    double *H, *g;
    /* NULL, or a further test a lower criterion must pass (--survive) */
    int (*accept)(void *ctx, const double *q);
    /* after each iteration: progress, validation; nonzero stops */
    int (*after)(void *ctx, int it, double crit, double gamma, const double *q);
    int iters;
    double ratio_lim;        /* stop when gamma falls below */
    const volatile int *stop;
    /* Levenberg-Marquardt: the first damping, the trials per iteration,
     * and the change of the criterion below which it has converged */
    double lambda0, ftol;
    int tries, ftol_relative; /* ftol_relative: ftol is relative to the criterion */
    /* Adam: the learning rate, x0.1 every lr_decay iterations; g is
     * divided by gscale (the number of members) */
    double lr, gscale;
    int lr_decay;
} opt_problem;

/* An optimiser, the way GSL's gsl_odeiv2_step_type is a stepper: a name
 * and what it does.  minimise leaves the best point it accepted in q. */
typedef struct opt_type {
    const char *name;
    void (*minimise)(const opt_problem *p, double *q);
} opt_type;

extern const opt_type opt_lm;        /* Levenberg-Marquardt: a step only if it lowers the criterion */
extern const opt_type opt_adam;      /* the paper's Adam with step decay */
extern const opt_type opt_lookahead; /* Lookahead around Adam (paper 004): k = 5, alpha = 0.5 */

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

/* A (1+lambda) evolution strategy, for a score with no gradient (the
 * blow-ups of --survive): each generation scores lambda Gaussian
 * perturbations of q of scale sigma and moves to the best one if it
 * scores lower; sigma grows after a success and shrinks after a failure.
 * Stops after `evals` scores, when sigma is negligible, or when the score
 * reaches 0 or *stop is set.  q holds the best point; returns its score.
 * The same seed gives the same path. */
typedef double (*es_score)(void *ctx, const double *q);
double es_minimise(int n, double *q, es_score score, void *ctx, int evals, uint64_t seed,
                   const volatile int *stop);

#endif
