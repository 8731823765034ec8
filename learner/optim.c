/* optim.c - the optimisers: Levenberg-Marquardt, Adam, Lookahead, and
 * an evolution strategy for scores without a gradient. */
#include "optim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* Cholesky of the damped matrix; the damping keeps it definite. */
int lm_solve(int n, const double *H, const double *g, double lambda, double *x)
{
    size_t N = (size_t)n;
    double *L = malloc(N * N * sizeof *L + 1);
    if (!L)
        return -1;
    double scale = 0;
    for (int i = 0; i < n; i++)
        scale = fmax(scale, H[i * n + i]);
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            double s = H[i * n + j];
            if (i == j)
                s += lambda * H[i * n + i] + 1e-14 * scale + 1e-300;
            for (int k = 0; k < j; k++)
                s -= L[i * n + k] * L[j * n + k];
            if (i == j) {
                if (!(s > 0)) {
                    free(L);
                    return -1;
                }
                L[i * n + i] = sqrt(s);
            } else {
                L[i * n + j] = s / L[j * n + j];
            }
        }
    for (int i = 0; i < n; i++) {
        double s = -g[i];
        for (int k = 0; k < i; k++)
            s -= L[i * n + k] * x[k];
        x[i] = s / L[i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = x[i];
        for (int k = i + 1; k < n; k++)
            s -= L[k * n + i] * x[k];
        x[i] = s / L[i * n + i];
    }
    free(L);
    return 0;
}

int adam_init(adam *a, int n, double lr)
{
    a->n = n;
    a->t = 0;
    a->lr = lr;
    a->beta1 = 0.9;
    a->beta2 = 0.999;
    a->eps = 1e-8;
    a->m = calloc((size_t)n + 1, sizeof *a->m);
    a->v = calloc((size_t)n + 1, sizeof *a->v);
    return a->m && a->v ? 0 : -1;
}

void adam_free(adam *a)
{
    free(a->m);
    free(a->v);
    a->m = a->v = NULL;
}

void adam_step(adam *a, double *q, const double *g)
{
    a->t++;
    double c1 = 1 - pow(a->beta1, a->t), c2 = 1 - pow(a->beta2, a->t);
    for (int i = 0; i < a->n; i++) {
        a->m[i] = a->beta1 * a->m[i] + (1 - a->beta1) * g[i];
        a->v[i] = a->beta2 * a->v[i] + (1 - a->beta2) * g[i] * g[i];
        q[i] -= a->lr * (a->m[i] / c1) / (sqrt(a->v[i] / c2) + a->eps);
    }
}

int lookahead_init(lookahead *l, int n, const double *q, int k, double alpha)
{
    l->n = n;
    l->k = k;
    l->count = 0;
    l->alpha = alpha;
    l->slow = malloc(((size_t)n + 1) * sizeof *l->slow);
    if (!l->slow)
        return -1;
    memcpy(l->slow, q, (size_t)n * sizeof *q);
    return 0;
}

void lookahead_free(lookahead *l)
{
    free(l->slow);
    l->slow = NULL;
}

int lookahead_after_step(lookahead *l, double *q)
{
    if (++l->count < l->k)
        return 0;
    l->count = 0;
    for (int i = 0; i < l->n; i++) {
        l->slow[i] += l->alpha * (q[i] - l->slow[i]);
        q[i] = l->slow[i];
    }
    return 1;
}

/* lambda = 10 and the step rule (x1.2 on success, x0.8 on failure) were
 * chosen on Lorenz-63 (docs/learn.md): on a rugged score a population
 * that large finds the next improvement often enough to keep sigma up. */
#define ES_LAMBDA 10
#define ES_SIGMA0 0.15
#define ES_SIGMA_MIN 2e-3

double es_minimise(int n, double *q, es_score score, void *ctx, int evals, uint64_t seed,
                   const volatile int *stop)
{
    double *x = malloc(2 * ((size_t)n + 1) * sizeof *x), *best = x + n + 1;
    double f = score(ctx, q), sigma = ES_SIGMA0;
    rk_rng rng;
    if (!x)
        return f;
    rng_seed(&rng, seed);
    for (int used = 1; used < evals && f > 0 && !(stop && *stop);) {
        /* collapsed on a plateau: jump again from the best point, so the
         * whole budget is spent looking */
        if (sigma < ES_SIGMA_MIN)
            sigma = ES_SIGMA0;
        double fbest = INFINITY;
        for (int l = 0; l < ES_LAMBDA && used < evals; l++, used++) {
            for (int k = 0; k < n; k++)
                x[k] = q[k] + sigma * rng_normal(&rng);
            double fx = score(ctx, x);
            if (fx < fbest) {
                fbest = fx;
                memcpy(best, x, (size_t)n * sizeof *x);
            }
        }
        if (fbest < f) {
            f = fbest;
            memcpy(q, best, (size_t)n * sizeof *q);
            sigma *= 1.2;
        } else {
            sigma *= 0.8;
        }
    }
    free(x);
    return f;
}

/* After an accepted step, the same step again while it keeps lowering
 * the criterion: the model of a criterion that is minimised by
 * majorisation (the geometric mean) undershoots, often by far, and a
 * trial without the model costs a fraction of one with it.  q ends at
 * the last point evaluated that was kept; returns its criterion. */
static double extend(const opt_problem *p, double *q, const double *delta, double *qtry, double f,
                     double *gamma)
{
    for (int k = 0; k < 8; k++) {
        double g;
        for (int i = 0; i < p->n; i++)
            qtry[i] = q[i] + delta[i];
        double ft = p->eval(p->ctx, qtry, 0, &g);
        if (!(ft < f) || (p->accept && !p->accept(p->ctx, qtry))) {
            /* leave the problem's state at q, where the next model is taken */
            p->eval(p->ctx, q, 0, gamma);
            return f;
        }
        memcpy(q, qtry, (size_t)p->n * sizeof *q);
        f = ft;
        *gamma = g;
    }
    return f;
}

/* A trial is kept only if it lowers the criterion (and passes accept),
 * so the criterion never increases and a NaN trial is simply refused.
 * An accepted trial was the last point evaluated, which leaves the
 * problem's state at q for the next model. */
static void lm_minimise(const opt_problem *p, double *q)
{
    int n = p->n;
    double gamma, lambda = p->lambda0;
    double *qtry = malloc(((size_t)n + 1) * sizeof *qtry), *delta = malloc(((size_t)n + 1) * sizeof *delta);
    double f = qtry && delta ? p->eval(p->ctx, q, 0, &gamma) : INFINITY;
    for (int it = 0; it < p->iters && isfinite(f) && !(p->stop && *p->stop); it++) {
        f = p->eval(p->ctx, q, 1, &gamma);
        int accepted = 0;
        double fprev = f;
        for (int tries = 0; tries < p->tries && !accepted; tries++) {
            if (lm_solve(n, p->H, p->g, lambda, delta) != 0) {
                lambda *= 10;
                continue;
            }
            for (int k = 0; k < n; k++)
                qtry[k] = q[k] + delta[k];
            double gtry, ftry = p->eval(p->ctx, qtry, 0, &gtry);
            if (ftry < f && (!p->accept || p->accept(p->ctx, qtry))) {
                memcpy(q, qtry, (size_t)n * sizeof *q);
                lambda = fmax(lambda / 3, 1e-12);
                accepted = 1;
                f = ftry;
                gamma = gtry;
                f = extend(p, q, delta, qtry, f, &gamma);
            } else {
                lambda *= 4;
            }
        }
        int stop = p->after ? p->after(p->ctx, it, f, gamma, q) : 0;
        if (stop || !accepted || fabs(fprev - f) <= p->ftol * (p->ftol_relative ? fabs(fprev) : 1) ||
            gamma < p->ratio_lim)
            break;
    }
    free(qtry);
    free(delta);
}

static void adam_run(const opt_problem *p, double *q, int with_lookahead)
{
    adam a;
    lookahead la = {0};
    if (adam_init(&a, p->n, p->lr) != 0)
        return;
    if (with_lookahead && lookahead_init(&la, p->n, q, 5, 0.5) != 0) {
        adam_free(&a);
        return;
    }
    for (int it = 0; it < p->iters && !(p->stop && *p->stop); it++) {
        double gamma, crit = p->eval(p->ctx, q, 1, &gamma);
        if (!isfinite(crit))
            break;
        for (int k = 0; k < p->n; k++)
            p->g[k] /= p->gscale;
        if (p->lr_decay > 0 && it > 0 && it % p->lr_decay == 0)
            a.lr *= 0.1;
        adam_step(&a, q, p->g);
        if (with_lookahead)
            lookahead_after_step(&la, q);
        int stop = p->after ? p->after(p->ctx, it, crit, gamma, q) : 0;
        if (stop || gamma < p->ratio_lim)
            break;
    }
    if (with_lookahead)
        lookahead_free(&la);
    adam_free(&a);
}

static void adam_minimise(const opt_problem *p, double *q) { adam_run(p, q, 0); }
static void lookahead_minimise(const opt_problem *p, double *q) { adam_run(p, q, 1); }

const opt_type opt_lm = {"lm", lm_minimise};
const opt_type opt_adam = {"adam", adam_minimise};
const opt_type opt_lookahead = {"lookahead", lookahead_minimise};
