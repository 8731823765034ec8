/* learn.c - the training loop: starts, optimiser steps, validation
 * through the generated C, and the best tableau kept. */
#include "learn.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "localerr.h"
#include "measure.h"
#include "optim.h"
#include "pipeline.h"
#include "reference.h"
#include "rk.h"
#include "tableau_mp.h"
#include "stabpen.h"
#include "survival.h"
#include "taylorreg.h"
#include "weights.h"

void learn_defaults(learn_config *c)
{
    memset(c, 0, sizeof *c);
    c->stages = 3;
    c->order = 3;
    c->seed = 1;
    c->samples = 3000;
    c->val_samples = 1000;
    c->objective = OBJ_GLOBAL;
    c->loss = LOSS_GEOMEAN;
    c->unroll = 1;
    c->optimizer = OPT_LM;
    c->iters = 60;
    c->restarts = 2;
    c->screen = 48;
    c->lr = 0.1;
    c->lr_decay = 300;
    c->weights = WEIGHTS_FREE;
    c->ratio_lim = 0;
    c->mu = 0;
    c->family_order = 0;
    /* tuned in range, a method may give up its order below it: a tenth
     * more members a decade below keeps it (docs/learn.md) */
    c->train_below = 0.1;
    c->survive_search = 1500;
    c->survive_starts = 8;
}

enum { BLK_FAMILY, BLK_KEEP, BLK_STAB, NBLOCKS };

typedef struct block {
    int rows, constraint;
    double weight;
    double *r, *J, *Jq;
} block;

typedef struct trainer {
    const rk_family *f;
    const learn_config *c;
    learn_metrics *m;
    sample_set train, val;
    double *ref_train, *ref_val, *err_val, *cls_val;
    objective obj;
    /* screening scores on every k-th training member only: ranking the
     * candidates needs far fewer members than training does */
    sample_set screen_set;
    double *ref_screen;
    objective obj_screen;
    int screening;          /* loss() on the screening members (only when there are) */
    int S, Praw, Pq, R;
    double *theta, *G, *r, *J, *Jq, *H, *g, *q, *qtry, *qbest, *delta, *rho;
    double tau;
    char why[RK_ERROR_MAX];  /* why the last validation failed */
    /* Terms besides the error: residual rows with their Jacobian, each
     * adding weight/2 * |rows|^2 to the criterion.  The constraint blocks
     * (family order, classical order) are also what projection solves. */
    block blk[NBLOCKS];
    taylor_reg reg;         /* BLK_FAMILY: the Taylor regularizer */
    rk_forest keep_forest;  /* BLK_KEEP: classical order conditions */
    tree_weights keep_w;
    stab_pen stab;          /* BLK_STAB: the stability penalty */
    int projecting;         /* the regularizer alone: projection onto the family's conditions */
    int silent;             /* screening: no progress, no log, not counted */
    double surv_now;        /* --survive: survival_score of the current point */
    rk_tableau *best;
    double best_val;
    int best_surv;          /* --survive: the kept method's blow-ups on validation members */
    FILE *log;
    double t0;
    rk_error *err;
} trainer;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- the classical reference of the target order ---- */

static const char *reference_name(int order)
{
    static const char *const names[] = {NULL, "euler", "midpoint", "kutta3", "rk4", "dopri5"};
    return order >= 1 && order <= 5 ? names[order] : NULL;
}

typedef struct referr_job {
    const rk_family *f;
    const rk_tableau *t; /* NULL: the Taylor method of the order */
    int order, onestep;
    double *out;
} referr_job;

static int referr_part(void *ctx, const sample_set *s, int first)
{
    const referr_job *j = ctx;
    const rk_family *f = j->f;
    const rk_tableau *t = j->t;
    int d = f->dim;
    double *out = j->out + first;
    reference ref;
    rk_error err = {{0}};
    double *y = malloc(((size_t)d + RK_WORK(t ? t->s : 1, d) + (size_t)f->rhs.n + 1) * sizeof *y);
    if (!y || (!t && reference_init(&ref, f, &err) != 0)) {
        free(y);
        return 1;
    }
    double *work = y + d;
    for (int i = 0; i < s->n; i++) {
        const double *p = s->p + i * f->nparam;
        unsigned long n = j->onestep ? (unsigned long)s->unroll : s->nsteps[i];
        memcpy(y, s->y0 + i * d, (size_t)d * sizeof *y);
        if (t) {
            family_rhs_ctx ctx2 = {f, p, work + RK_WORK(t->s, d)};
            rk_integrate(t, family_rhs, &ctx2, d, 0.0, y, s->h[i], n, work);
        } else if (reference_taylor_method(&ref, p, 0.0, s->h[i], n, j->order, y) != 0) {
            y[0] = NAN;
        }
        const double *truth = (j->onestep ? s->y1 : s->yT) + i * d;
        double e = 0;
        for (int k = 0; k < d; k++)
            e += (y[k] - truth[k]) * (y[k] - truth[k]);
        /* a reference exact to rounding would make the ratio meaningless;
         * where the reference blows up (steps beyond its stability), the
         * error is measured relative to the solution's size instead */
        double size = 0;
        for (int k = 0; k < d; k++)
            size += truth[k] * truth[k];
        size = fmax(sqrt(size), 1e-300);
        out[i] = isfinite(e) ? fmax(sqrt(e), 1e-14 * (1 + size)) : size;
    }
    if (!t)
        reference_free(&ref);
    free(y);
    return 0;
}

/* Errors of the reference on a set: what the residuals are divided by.
 * Beyond the built-ins, the Taylor method of the target order. */
static int reference_errors(trainer *tr, const sample_set *s, int onestep, double *out)
{
    const char *name = reference_name(tr->c->order);
    rk_tableau *t = name ? tableau_builtin(name) : NULL;
    referr_job j = {tr->f, t, tr->c->order, onestep, out};
    int failed = samples_parallel(s, referr_part, &j);
    tableau_free(t);
    if (failed) {
        rk_error_set(tr->err, "out of memory");
        return -1;
    }
    snprintf(tr->m->reference, sizeof tr->m->reference, "%s", name ? name : "taylor");
    if (tr->m->reference[0] == 't')
        snprintf(tr->m->reference, sizeof tr->m->reference, "taylor%d", tr->c->order);
    return 0;
}

/* ---- coefficients: q (free) -> theta (A below the diagonal, b) ---- */

static void q_to_theta(const trainer *tr, const double *q, double *theta, double *G)
{
    int S = tr->S, na = S * (S - 1) / 2;
    if (G)
        memset(G, 0, (size_t)tr->Praw * (size_t)tr->Pq * sizeof *G);
    for (int k = 0; k < na; k++) {
        theta[k] = q[k];
        if (G)
            G[k * tr->Pq + k] = 1;
    }
    if (tr->c->weights == WEIGHTS_FREE) {
        double rest = 1;
        for (int j = 0; j + 1 < S; j++) {
            theta[na + j] = q[na + j];
            rest -= q[na + j];
            if (G) {
                G[(na + j) * tr->Pq + na + j] = 1;
                G[(na + S - 1) * tr->Pq + na + j] = -1;
            }
        }
        theta[na + S - 1] = rest;
        return;
    }
    double mx = -INFINITY, sum = 0;
    for (int j = 0; j < S; j++)
        mx = fmax(mx, q[na + j]);
    for (int j = 0; j < S; j++)
        sum += exp(q[na + j] - mx);
    for (int j = 0; j < S; j++)
        theta[na + j] = exp(q[na + j] - mx) / sum;
    for (int j = 0; G && j < S; j++)
        for (int k = 0; k < S; k++)
            G[(na + j) * tr->Pq + na + k] = theta[na + j] * ((j == k) - theta[na + k]);
}

static rk_tableau *to_tableau(const trainer *tr, const double *theta)
{
    int S = tr->S;
    rk_tableau *t = tableau_new(S);
    if (!t)
        return NULL;
    snprintf(t->name, sizeof t->name, "%s-s%d-p%d", tr->f->name, S, tr->c->order);
    for (int i = 0; i < S; i++) {
        double c = 0;
        for (int j = 0; j < i; j++) {
            t->A[i * S + j] = theta[theta_a(i, j)];
            c += t->A[i * S + j];
        }
        t->c[i] = c;
        t->b[i] = theta[theta_b(S, i)];
    }
    return t;
}

/* ---- starts ---- */

static const char *classical_start(int S)
{
    static const char *const names[] = {NULL, "euler", "ralston", "kutta3", "rk4"};
    return S >= 1 && S <= 4 ? names[S] : NULL;
}

/* Start 0 is a classical method with S stages where there is one; the
 * others are drawn from the start's own seed. */
static void initial_q(const trainer *tr, int start, double *q)
{
    int S = tr->S, na = S * (S - 1) / 2;
    rk_tableau *t = start == 0 && classical_start(S) ? tableau_builtin(classical_start(S)) : NULL;
    rk_rng rng;
    rng_seed(&rng, tr->c->seed * 1000003u + (uint64_t)start);
    for (int i = 1; i < S; i++)
        for (int j = 0; j < i; j++)
            q[theta_a(i, j)] = t ? t->A[i * S + j] : 1.5 * rng_uniform(&rng) - 0.25;
    double b[RK_MAX_STAGES], sum = 0;
    for (int j = 0; j < S; j++)
        sum += b[j] = t ? t->b[j] : 0.1 + rng_uniform(&rng);
    for (int j = 0; j < S; j++) {
        b[j] = t ? b[j] : b[j] / sum;
        if (tr->c->weights == WEIGHTS_FREE && j + 1 < S)
            q[na + j] = b[j];
        else if (tr->c->weights == WEIGHTS_SOFTMAX)
            q[na + j] = log(fmax(b[j], 1e-3));
    }
    tableau_free(t);
}

/* ---- survival (--survive) ---- */

static int stopping(const trainer *tr);

/* Each survival member is run three times: at its own step, and at the
 * smallest and largest steps of the family's range, where blow-ups
 * gather and where a uniform draw puts few members.  Members: enough to
 * tell methods apart (blow-ups are rare events), few enough for
 * screening many candidates. */
#define SURVIVAL_SCREEN 100
#define SURVIVAL_TRAIN 300
#define SURVIVAL_VAL 300

/* The search and the training score with a fifth of the span: on
 * Lorenz-63 every blow-up of four methods over 100 time units at
 * h = 0.18 (of 2000 starts each) came within the first 20, as the
 * method's solution settles on its own attractor.  The kept method is
 * chosen on the whole span. */
#define SURVIVAL_SCORE_SPAN 0.2

static rk_tableau *tableau_at(const trainer *tr, const double *q)
{
    double theta[RK_MAX_STAGES * (RK_MAX_STAGES + 1) / 2 + RK_MAX_STAGES];
    q_to_theta(tr, q, theta, NULL);
    return to_tableau(tr, theta);
}

/* What --survive minimises first, in the screening, the search and
 * Levenberg-Marquardt: the part of the span the method loses to blow-ups
 * on the first n training members, at the three steps. */
static double survival_loss(const trainer *tr, const double *q, int n)
{
    rk_tableau *t = tableau_at(tr, q);
    double span = SURVIVAL_SCORE_SPAN * tr->c->survive, lost = 3.0 * n;
    if (t)
        lost = survival_lost(tr->f, t, &tr->train, n, span, 0) +
               survival_lost(tr->f, t, &tr->train, n, span, family_min_step(tr->f)) +
               survival_lost(tr->f, t, &tr->train, n, span, family_max_step(tr->f));
    tableau_free(t);
    return lost;
}

static double survival_score(void *ctx, const double *q)
{
    return survival_loss(ctx, q, SURVIVAL_TRAIN);
}

/* Blow-ups over the whole span on the first n members of s, at the
 * three steps: what the searched starts are ranked by, what the kept
 * method is chosen by first, and what the record reports. */
static int survival_count(const trainer *tr, const rk_tableau *t, const sample_set *s, int n)
{
    double span = tr->c->survive;
    return survival_blowups(tr->f, t, s, n, span, 0) +
           survival_blowups(tr->f, t, s, n, span, family_min_step(tr->f)) +
           survival_blowups(tr->f, t, s, n, span, family_max_step(tr->f));
}

/* The survival search: blow-ups have no gradient, and the score is
 * rugged (a method's fate on a chaotic attractor turns on its whole
 * nonlinear map), so an evolution strategy moves each of the best
 * --survive-starts screened candidates to where it loses less of the
 * span; where each ends depends much on where it began.  The best of
 * them are the starts that are then trained.  The search would break
 * equality constraints (--family-order, --keep-order), so it runs only
 * without them. */
static int searching(const trainer *tr)
{
    return tr->c->survive > 0 && tr->c->survive_search > 0 && tr->c->family_order == 0 &&
           tr->c->keep_order == 0;
}

typedef struct ranked {
    double score;
    int index;
} ranked;

/* by score, ties in screening order */
static int by_score(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Searches from the n candidates in q (n x Pq) and puts the best k of
 * the results first, best first. */
static void survival_search(trainer *tr, double *q, int n, int k)
{
    size_t Pq = (size_t)tr->Pq;
    ranked *r = malloc((size_t)n * sizeof *r);
    double *sorted = malloc((size_t)n * Pq * sizeof *sorted);
    for (int i = 0; r && sorted && i < n; i++) {
        double *qi = q + (size_t)i * Pq;
        r[i] = (ranked){INFINITY, i};
        if (stopping(tr))
            continue;
        double lost = es_minimise(tr->Pq, qi, survival_score, tr, tr->c->survive_search,
                                  tr->c->seed * 7919u + (uint64_t)i, tr->c->stop);
        /* ranked on the whole span: some blow-ups come late (on Lorenz-63,
         * at the smallest step), and the score's shorter span misses them */
        rk_tableau *t = tableau_at(tr, qi);
        if (t)
            r[i].score = survival_count(tr, t, &tr->train, SURVIVAL_TRAIN) + lost / (3.0 * SURVIVAL_TRAIN + 1);
        tableau_free(t);
        if (!tr->c->quiet && isatty(2))
            fprintf(stderr, "\rsurvival search %d/%d  blow-ups %.0f (of %d runs)  %.0fs   ", i + 1, n,
                    floor(r[i].score), 3 * SURVIVAL_TRAIN, now() - tr->t0);
    }
    if (r && sorted) {
        qsort(r, (size_t)n, sizeof *r, by_score);
        for (int i = 0; i < k && i < n; i++)
            memcpy(sorted + (size_t)i * Pq, q + (size_t)r[i].index * Pq, Pq * sizeof *q);
        memcpy(q, sorted, (size_t)(k < n ? k : n) * Pq * sizeof *q);
    }
    free(r);
    free(sorted);
}

/* ---- loss, gradient, validation ---- */

/* Each member's error ratio rho_i = |e_i| / |e_ref,i| is the norm of its
 * residual rows.  The criterion is sum(log(rho_i^2 + tau^2))/2 (the
 * geometric-mean ratio users measure) or 0.5*sum(rho_i^2) (the paper's
 * scaled loss).  tau, a tenth of the current geometric mean, keeps a
 * member whose error happens to cross zero from dominating: without it,
 * the log rewards such accidents without bound.  The geometric criterion
 * is minimised by majorisation: rows weighted by 1/sqrt(rho_i^2 + tau^2)
 * at the current point, since log u <= log u_k + u/u_k - 1.
 * gamma, the training ratio that --ratio-lim stops on, is the mean of
 * rho_i^2 (the paper's gamma) for the scaled loss and its geometric
 * mean for the geometric one: each loss's own measure. */
static double criterion(trainer *tr, double *gamma)
{
    int d = tr->f->dim, geo = tr->c->loss == LOSS_GEOMEAN;
    int n = tr->screening ? tr->screen_set.n : tr->train.n;
    double sum = 0, logs = 0, logs0 = 0, tau2 = tr->tau * tr->tau;
    for (int i = 0; i < n && !tr->projecting; i++) {
        double rho2 = 0;
        for (int k = 0; k < d; k++)
            rho2 += tr->r[i * d + k] * tr->r[i * d + k];
        tr->rho[i] = sqrt(rho2 + tau2);
        sum += rho2;
        logs += 0.5 * log(fmax(rho2 + tau2, 1e-300));
        logs0 += log(fmax(rho2, 1e-300));
    }
    /* a projection sees no members: no ratio, so none can stop it */
    *gamma = tr->projecting ? INFINITY : geo ? exp(logs0 / n) : sum / n;
    double extra = 0;
    for (int b = 0; b < NBLOCKS; b++) {
        const block *bk = &tr->blk[b];
        if (tr->projecting && !bk->constraint)
            continue;
        double q = 0;
        for (int i = 0; i < bk->rows; i++)
            q += bk->r[i] * bk->r[i];
        extra += 0.5 * (tr->projecting ? 1 : bk->weight) * q;
    }
    double main = tr->c->objective == OBJ_TAYLOR || tr->projecting ? 0 : geo ? logs : 0.5 * sum;
    return main + extra;
}

/* tau for the next step: a tenth of the geometric-mean ratio at q. */
static void update_tau(trainer *tr)
{
    double logs = 0;
    for (int i = 0; i < tr->train.n; i++)
        logs += log(fmax(tr->rho[i], 1e-300));
    tr->tau = 0.1 * exp(logs / tr->train.n);
}

/* X (rows x Pq) = Y (rows x Praw) G, each row times w (or 1). */
static void reparam_rows(const trainer *tr, const double *Y, int rows, const double *w, int wdim,
                         double *X)
{
    int Pr = tr->Praw, Pq = tr->Pq;
    for (int i = 0; i < rows; i++)
        for (int k = 0; k < Pq; k++) {
            double s = 0;
            for (int j = 0; j < Pr; j++)
                s += Y[(size_t)i * (size_t)Pr + (size_t)j] * tr->G[j * Pq + k];
            X[(size_t)i * (size_t)Pq + (size_t)k] = w ? s * w[i / wdim] : s;
        }
}

/* H += c X^T X, g += c X^T r for rows x Pq X. */
static void accumulate(trainer *tr, const double *X, const double *r, int rows, double c)
{
    int Pq = tr->Pq;
    for (int a = 0; a < Pq; a++) {
        double s = 0;
        for (int i = 0; i < rows; i++)
            s += X[(size_t)i * (size_t)Pq + (size_t)a] * r[i];
        tr->g[a] += c * s;
        for (int b = 0; b <= a; b++) {
            double h = 0;
            for (int i = 0; i < rows; i++)
                h += X[(size_t)i * (size_t)Pq + (size_t)a] * X[(size_t)i * (size_t)Pq + (size_t)b];
            tr->H[a * Pq + b] += c * h;
            if (b != a)
                tr->H[b * Pq + a] += c * h;
        }
    }
}

/* The Gauss-Newton model of the criterion at the current point: rows
 * weighted for the geometric criterion, plus mu times the regularizer. */
static void normal_equations(trainer *tr)
{
    int d = tr->f->dim, geo = tr->c->loss == LOSS_GEOMEAN;
    memset(tr->H, 0, (size_t)tr->Pq * (size_t)tr->Pq * sizeof *tr->H);
    memset(tr->g, 0, (size_t)tr->Pq * sizeof *tr->g);
    if (tr->c->objective != OBJ_TAYLOR && !tr->projecting) {
        for (int i = 0; i < tr->train.n; i++)
            tr->rho[i] = geo ? 1 / fmax(tr->rho[i], 1e-150) : 1;
        for (int i = 0; i < tr->R; i++)
            tr->r[i] *= tr->rho[i / d];
        reparam_rows(tr, tr->J, tr->R, tr->rho, d, tr->Jq);
        accumulate(tr, tr->Jq, tr->r, tr->R, 1.0);
    }
    for (int b = 0; b < NBLOCKS; b++) {
        block *bk = &tr->blk[b];
        if (bk->rows == 0 || (tr->projecting && !bk->constraint))
            continue;
        reparam_rows(tr, bk->J, bk->rows, NULL, 1, bk->Jq);
        accumulate(tr, bk->Jq, bk->r, bk->rows, tr->projecting ? 1 : bk->weight);
    }
}

/* ---- terms besides the error ---- */

/* gamma_t Phi_t - 1 for the trees of orders 1..keep_order: zero exactly
 * when the method has that classical order. */
static void keep_eval(trainer *tr, block *bk, int with_jacobian)
{
    const rk_forest *fo = &tr->keep_forest;
    int P = tr->Praw;
    tree_weights_eval(fo, tr->S, tr->theta, with_jacobian, &tr->keep_w);
    for (int t = 0; t < fo->n; t++) {
        double g = fo->tree[t].gamma;
        bk->r[t] = g * tr->keep_w.phi[t] - 1;
        for (int p = 0; with_jacobian && p < P; p++)
            bk->J[(size_t)t * P + p] = g * tr->keep_w.dphi[(size_t)t * P + p];
    }
}

static void blocks_eval(trainer *tr, int with_jacobian)
{
    block *b = tr->blk;
    if (b[BLK_FAMILY].rows)
        taylor_reg_eval(&tr->reg, tr->theta, b[BLK_FAMILY].r, with_jacobian ? b[BLK_FAMILY].J : NULL);
    if (b[BLK_KEEP].rows)
        keep_eval(tr, &b[BLK_KEEP], with_jacobian);
    if (b[BLK_STAB].rows)
        stab_pen_eval(&tr->stab, tr->theta, b[BLK_STAB].r, with_jacobian ? b[BLK_STAB].J : NULL);
}

static int block_alloc(trainer *tr, block *bk, int rows, double weight, int constraint)
{
    bk->rows = rows;
    bk->weight = weight;
    bk->constraint = constraint;
    bk->r = malloc(((size_t)rows + 1) * sizeof *bk->r);
    bk->J = malloc(((size_t)rows * (size_t)tr->Praw + 1) * sizeof *bk->J);
    bk->Jq = malloc(((size_t)rows * (size_t)tr->Pq + 1) * sizeof *bk->Jq);
    return bk->r && bk->J && bk->Jq ? 0 : -1;
}

/* The Taylor regularizer is of the family order when one must hold
 * exactly, else of the target order (the paper's); it is on with --mu,
 * --family-order or the taylor objective.  Constraint blocks weigh 1 at
 * least while training; projection then makes them hold. */
static int blocks_init(trainer *tr, rk_error *err)
{
    const learn_config *c = tr->c;
    int reg_order = c->family_order > 0 ? c->family_order : c->order;
    double mu = c->mu == 0 && (c->family_order > 0 || c->objective == OBJ_TAYLOR) ? 1 : c->mu;
    if (mu > 0 && (taylor_reg_init(&tr->reg, tr->f, &tr->train, tr->S, reg_order, err) != 0 ||
                   block_alloc(tr, &tr->blk[BLK_FAMILY], taylor_reg_nres(&tr->reg), mu,
                               c->family_order > 0) != 0))
        return -1;
    if (c->keep_order > 0 &&
        (forest_init(&tr->keep_forest, c->keep_order) != 0 ||
         tree_weights_init(&tr->keep_w, &tr->keep_forest, tr->S) != 0 ||
         block_alloc(tr, &tr->blk[BLK_KEEP], tr->keep_forest.n, 1e3 * tr->train.n, 1) != 0)) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    if (c->stability_weight > 0 &&
        (stab_pen_init(&tr->stab, tr->f, &tr->train, tr->S, err) != 0 ||
         block_alloc(tr, &tr->blk[BLK_STAB], stab_pen_nres(&tr->stab), c->stability_weight, 0) != 0))
        return -1;
    return 0;
}

static void blocks_free(trainer *tr)
{
    for (int b = 0; b < NBLOCKS; b++) {
        free(tr->blk[b].r);
        free(tr->blk[b].J);
        free(tr->blk[b].Jq);
    }
    if (tr->blk[BLK_FAMILY].rows)
        taylor_reg_free(&tr->reg);
    if (tr->c->keep_order > 0) {
        tree_weights_free(&tr->keep_w);
        forest_free(&tr->keep_forest);
    }
    if (tr->blk[BLK_STAB].rows)
        stab_pen_free(&tr->stab);
}

/* The criterion at q; with_jacobian also sets H and g for a step. */
static double loss(trainer *tr, const double *q, int with_jacobian, double *gamma)
{
    q_to_theta(tr, q, tr->theta, with_jacobian ? tr->G : NULL);
    /* a projection moves on the constraint blocks alone, so the members,
     * which cost nearly all the time, are not integrated */
    if (!tr->projecting)
        objective_eval(tr->screening ? &tr->obj_screen : &tr->obj, tr->theta, tr->r, with_jacobian ? tr->J : NULL);
    blocks_eval(tr, with_jacobian);
    double f = criterion(tr, gamma);
    if (!isfinite(f) || (!tr->projecting && !isfinite(*gamma)))
        return INFINITY;
    if (with_jacobian)
        normal_equations(tr);
    return f;
}

static void classical_errors(trainer *tr);

/* The validation ratio through the generated C: emit, compile with
 * libtcc, check against the engine, run on the validation members. */
static int validate(trainer *tr, const double *q, double *gamma_val)
{
    q_to_theta(tr, q, tr->theta, NULL);
    rk_tableau *t = to_tableau(tr, tr->theta);
    const char *tmp = getenv("TMPDIR");
    emit_opts o = {"rkgen_learn", 0};
    stepper_build b;
    rk_error e = {{0}};
    *gamma_val = INFINITY;
    if (!t || tableau_validate(t, &e) != 0 ||
        stepper_prepare(tr->f, t, &o, tmp && *tmp ? tmp : "/tmp", &b, &e) != 0) {
        snprintf(tr->why, sizeof tr->why, "%s", t ? e.text : "out of memory");
        tableau_free(t);
        return -1;
    }
    int blown = measure_jit(tr->f, &b.fns, 0, &tr->val, tr->err_val);
    stepper_abort(&b);
    /* a method that blows up on some members (where classical ones may
     * too: steps beyond their stability) is judged with those members
     * saturated, as in training; one that blows up on all is no method */
    if (blown == tr->val.n) {
        char who[512];
        for (int i = 0; i < tr->val.n; i++)
            if (!isfinite(tr->err_val[i])) {
                samples_describe(tr->f, &tr->val, i, who, sizeof who);
                break;
            }
        snprintf(tr->why, sizeof tr->why, "the best method found blows up on all %d validation members, e.g. at %s",
                 tr->val.n, who);
        tableau_free(t);
        return -1;
    }
    /* the same measure as gamma_train: the loss's own */
    double sum = 0;
    for (int i = 0; i < tr->val.n; i++) {
        double rho = isfinite(tr->err_val[i]) ? tr->err_val[i] / tr->ref_val[i] : OBJECTIVE_SATURATE;
        double rho2 = rho * rho;
        sum += tr->c->loss == LOSS_GEOMEAN ? log(fmax(rho2, 1e-300)) : rho2;
    }
    *gamma_val = tr->c->loss == LOSS_GEOMEAN ? exp(sum / tr->val.n) : sum / tr->val.n;
    /* with --survive, fewer blow-ups on the long runs come first */
    int surv = tr->c->survive > 0 ? survival_count(tr, t, &tr->val, SURVIVAL_VAL) : 0;
    int better = tr->best == NULL || surv < tr->best_surv ||
                 (surv == tr->best_surv && *gamma_val < tr->best_val);
    if (isfinite(*gamma_val) && better) {
        tr->best_surv = surv;
        tr->m->survival_blown = surv;
        /* only for the record: measured when the first method is kept,
         * so that training starts sooner */
        if (!tr->best)
            classical_errors(tr);
        tr->best_val = *gamma_val;
        tr->m->blown_val = blown;
        tableau_free(tr->best);
        tr->best = t;
        tr->m->gamma_val = *gamma_val;
        for (int k = 0; k < tr->m->nclassical; k++)
            tr->m->ratio_classical[k] = geomean_ratio(tr->err_val, tr->cls_val + (size_t)k * (size_t)tr->val.n, tr->val.n);
        return 1;
    }
    tableau_free(t);
    return 0;
}

/* ---- watching ---- */

/* One line of the training curve: the criterion being minimised, the
 * training ratio, the validation ratio when it was measured, seconds. */
static void progress(trainer *tr, int start, int it, double crit, double gamma, double gval)
{
    if (tr->silent || tr->projecting)
        return;
    tr->m->iterations++;
    double t = now() - tr->t0;
    int total = tr->c->iters * (tr->c->restarts + 1);
    int done = start * tr->c->iters + it + 1;
    if (tr->log)
        fprintf(tr->log, "%d,%d,%.9g,%.9g,%.9g,%.4f\n", start, it, crit, gamma, gval, t);
    if (tr->c->quiet || !isatty(2))
        return;
    double eta = done > 0 ? t / done * (total - done) : 0;
    fprintf(stderr, "\rstart %d/%d  iter %4d  gamma_train %.4g  best gamma_val %.4g  ETA %.0fs   ",
            start + 1, tr->c->restarts + 1, it + 1, gamma, tr->best_val, eta);
}

static int stopping(const trainer *tr)
{
    return tr->c->stop && *tr->c->stop;
}

/* ---- optimisers ---- */

static int due(const trainer *tr, int it)
{
    return tr->c->val_every > 0 && (it + 1) % tr->c->val_every == 0;
}

/* Levenberg-Marquardt: a step is kept only if it lowers the loss, so the
 * loss never increases and a NaN trial is simply refused. */
static void run_lm(trainer *tr, int start, double *q, int iters)
{
    double gamma, lambda = tr->projecting ? 1e-6 : 1e-3;
    int survive = tr->c->survive > 0 && !tr->projecting;
    tr->tau = 0;
    double f = loss(tr, q, 0, &gamma);
    if (survive)
        tr->surv_now = survival_score(tr, q);
    for (int it = 0; it < iters && isfinite(f) && !stopping(tr); it++) {
        if (!tr->projecting)
            update_tau(tr);
        f = loss(tr, q, 1, &gamma);
        int accepted = 0;
        double fprev = f;
        /* a projection may start far from the conditions: let the damping
         * grow until a step is short enough to be accepted */
        for (int tries = 0; tries < (tr->projecting ? 40 : 12) && !accepted; tries++) {
            if (lm_solve(tr->Pq, tr->H, tr->g, lambda, tr->delta) != 0) {
                lambda *= 10;
                continue;
            }
            for (int k = 0; k < tr->Pq; k++)
                tr->qtry[k] = q[k] + tr->delta[k];
            double gtry, ftry = loss(tr, tr->qtry, 0, &gtry);
            int better = ftry < f;
            /* --survive: a step may not lose more of the long runs */
            if (better && survive) {
                double surv = survival_score(tr, tr->qtry);
                better = surv <= tr->surv_now;
                if (better)
                    tr->surv_now = surv;
            }
            /* an accepted trial leaves the trainer's state (rho) at q */
            if (better) {
                memcpy(q, tr->qtry, (size_t)tr->Pq * sizeof *q);
                lambda = fmax(lambda / 3, 1e-12);
                accepted = 1;
                f = ftry;
                gamma = gtry;
            } else {
                lambda *= 4;
            }
        }
        double gval = NAN;
        if (due(tr, it))
            validate(tr, q, &gval);
        progress(tr, start, it, f, gamma, gval);
        /* converged: the geometric mean moves by less than 1e-6 */
        int flat = fabs(fprev - f) <= 1e-6 * (tr->projecting ? fabs(fprev) : tr->train.n);
        if (!accepted || flat || gamma < tr->c->ratio_lim)
            break;
    }
}

/* With --family-order Q or --keep-order P, those conditions are made to
 * hold to rounding: Gauss-Newton steps on the regularizer alone,
 * nearly undamped so they are minimum-norm, from the trained point.
 * Where the conditions cannot all hold (too few stages), the residual
 * stops falling and the point stays close to the trained one. */
static void project(trainer *tr, int start, double *q)
{
    if (tr->c->family_order == 0 && tr->c->keep_order == 0)
        return;
    tr->projecting = 1;
    run_lm(tr, start, q, 30);
    tr->projecting = 0;
}

/* Adam with the paper's schedule (lr x0.1 every lr_decay steps), or
 * Lookahead around it (paper 004: k = 5, alpha = 0.5). */
static void run_adam(trainer *tr, int start, double *q, int with_lookahead)
{
    adam a;
    lookahead la;
    if (adam_init(&a, tr->Pq, tr->c->lr) != 0)
        return;
    if (with_lookahead && lookahead_init(&la, tr->Pq, q, 5, 0.5) != 0) {
        adam_free(&a);
        return;
    }
    for (int it = 0; it < tr->c->iters && !stopping(tr); it++) {
        double gamma, crit = loss(tr, q, 1, &gamma);
        if (!isfinite(crit))
            break;
        for (int k = 0; k < tr->Pq; k++)
            tr->g[k] /= tr->train.n;
        if (tr->c->lr_decay > 0 && it > 0 && it % tr->c->lr_decay == 0)
            a.lr *= 0.1;
        adam_step(&a, q, tr->g);
        if (with_lookahead)
            lookahead_after_step(&la, q);
        double gval = NAN;
        if (due(tr, it))
            validate(tr, q, &gval);
        progress(tr, start, it, crit, gamma, gval);
        if (gamma < tr->c->ratio_lim)
            break;
    }
    if (with_lookahead)
        lookahead_free(&la);
    adam_free(&a);
}

/* ---- starts ---- */

/* The landscape has many local minima (for Van der Pol, order-3 methods
 * with c2 near 0.26 and near 0.06 differ fourfold).  So many cheap
 * candidates are screened first: each is projected onto the family's
 * conditions and scored with one evaluation; the best restarts+1 are the
 * starts optimised in full.  Candidate 0 is the classical method. */
static double *choose_starts(trainer *tr, int K)
{
    int N = tr->c->screen > K ? tr->c->screen : K;
    int Pq = tr->Pq;
    double *cand = malloc((size_t)N * (size_t)Pq * sizeof *cand);
    double *score = malloc((size_t)N * sizeof *score);
    double *out = malloc((size_t)K * (size_t)Pq * sizeof *out);
    int *taken = calloc((size_t)N, sizeof *taken);
    if (!cand || !score || !out || !taken) {
        free(cand); free(score); free(out); free(taken);
        return NULL;
    }
    tr->silent = 1;
    /* a stop ends the screening, but not before there are K candidates */
    int m = 0;
    for (; m < N && (m < K || !stopping(tr)); m++) {
        double *q = cand + (size_t)m * (size_t)Pq, gamma;
        initial_q(tr, m, q);
        project(tr, 0, q);
        tr->tau = 0;
        tr->screening = tr->screen_set.n > 0;
        score[m] = loss(tr, q, 0, &gamma);
        tr->screening = 0;
        if (!(score[m] == score[m]))
            score[m] = INFINITY;
        /* --survive: a start that loses less of the long runs comes first */
        if (tr->c->survive > 0)
            score[m] += 1e12 * survival_loss(tr, q, SURVIVAL_SCREEN);
    }
    int done = m;
    tr->silent = 0;
    for (int k = 0; k < K; k++) {
        int best = -1;
        for (int i = 0; i < done; i++)
            if (!taken[i] && (best < 0 || score[i] < score[best]))
                best = i;
        taken[best] = 1;
        memcpy(out + (size_t)k * (size_t)Pq, cand + (size_t)best * (size_t)Pq, (size_t)Pq * sizeof *out);
    }
    free(cand); free(score); free(taken);
    return out;
}

/* ---- the record ---- */

/* The family's local-error Taylor coefficients of the kept tableau, at
 * the validation members (the first LERR_MEMBERS), in MPFR: for each
 * order q up to the target order + 1, the largest |[h^q](yhat - y)|
 * relative to |[h^q] y|.  Zeros up to q show the family order. */
#define LERR_MEMBERS 50

static void local_errors(trainer *tr, const rk_tableau *t)
{
    int Q = tr->c->order + 1, d = tr->f->dim, n = tr->val.n < LERR_MEMBERS ? tr->val.n : LERR_MEMBERS;
    rk_tabmp m;
    rk_lerr L;
    rk_error err = {{0}};
    if (Q > RK_TREES_MAX_ORDER || tabmp_init(&m, t, 128, &err) != 0)
        return;
    if (lerr_init(&L, tr->f, t->s, Q, 128) != 0) {
        tabmp_clear(&m);
        return;
    }
    size_t ne = (size_t)Q * (size_t)d;
    mpfr_t *e = malloc(2 * ne * sizeof *e);
    for (size_t k = 0; e && k < 2 * ne; k++)
        mpfr_init2(e[k], 128);
    for (int i = 0; e && i < n; i++) {
        if (lerr_member(&L, tr->val.p + i * tr->f->nparam, tr->val.y0 + i * d) != 0 ||
            lerr_eval(&L, m.A, m.b, m.c, e, e + ne) != 0)
            continue;
        for (int q = 1; q <= Q; q++) {
            double num = 0, den = 0;
            for (int k = 0; k < d; k++) {
                double a = mpfr_get_d(e[(q - 1) * d + k], MPFR_RNDN);
                double b = mpfr_get_d(e[ne + (size_t)(q - 1) * d + k], MPFR_RNDN);
                num += a * a;
                den += b * b;
            }
            double r = den > 0 ? sqrt(num / den) : sqrt(num);
            if (r > tr->m->local_error[q])
                tr->m->local_error[q] = r;
        }
    }
    tr->m->local_error_orders = e ? Q : 0;
    for (size_t k = 0; e && k < 2 * ne; k++)
        mpfr_clear(e[k]);
    free(e);
    lerr_clear(&L);
    tabmp_clear(&m);
}

/* ---- setting up ---- */

static int alloc_trainer(trainer *tr)
{
    size_t R = (size_t)tr->R, Pr = (size_t)tr->Praw, Pq = (size_t)tr->Pq;
    size_t nv = (size_t)tr->val.n, nt = (size_t)tr->train.n;
    tr->theta = malloc(Pr * sizeof *tr->theta);
    tr->G = malloc(Pr * Pq * sizeof *tr->G);
    tr->r = malloc(R * sizeof *tr->r);
    tr->J = malloc(R * Pr * sizeof *tr->J);
    tr->Jq = malloc(R * Pq * sizeof *tr->Jq);
    tr->H = malloc(Pq * Pq * sizeof *tr->H);
    tr->g = malloc(Pq * sizeof *tr->g);
    tr->q = malloc(Pq * sizeof *tr->q);
    tr->qtry = malloc(Pq * sizeof *tr->qtry);
    tr->qbest = malloc(Pq * sizeof *tr->qbest);
    tr->delta = malloc(Pq * sizeof *tr->delta);
    tr->rho = malloc(nt * sizeof *tr->rho);
    tr->ref_train = malloc(nt * sizeof *tr->ref_train);
    tr->ref_val = malloc(nv * sizeof *tr->ref_val);
    tr->err_val = malloc(nv * sizeof *tr->err_val);
    tr->cls_val = malloc(8 * nv * sizeof *tr->cls_val);
    return tr->theta && tr->G && tr->r && tr->J && tr->Jq && tr->H && tr->g && tr->q &&
                   tr->qtry && tr->qbest && tr->delta && tr->rho && tr->ref_train && tr->ref_val &&
                   tr->err_val && tr->cls_val ? 0 : -1;
}

static void free_trainer(trainer *tr)
{
    double *bufs[] = {tr->theta, tr->G, tr->r, tr->J, tr->Jq, tr->H, tr->g, tr->q, tr->qtry,
                      tr->qbest, tr->delta, tr->rho, tr->ref_train, tr->ref_val, tr->err_val, tr->cls_val};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        free(bufs[i]);
    objective_free(&tr->obj);
    if (tr->screen_set.n > 0) {
        objective_free(&tr->obj_screen);
        samples_free(&tr->screen_set);
    }
    free(tr->ref_screen);
    blocks_free(tr);
    samples_free(&tr->train);
    samples_free(&tr->val);
    tableau_free(tr->best);
    if (tr->log)
        fclose(tr->log);
}

/* Classical methods with the same number of stages, on the validation
 * members: the yardstick the learned method is reported against. */
static void classical_errors(trainer *tr)
{
    const char *names[8];
    tr->m->nclassical = classical_with_stages(tr->S, names, 8);
    for (int k = 0; k < tr->m->nclassical; k++) {
        rk_tableau *t = tableau_builtin(names[k]);
        snprintf(tr->m->classical[k], sizeof tr->m->classical[k], "%s", names[k]);
        if (t)
            tr->m->blown_classical[k] = measure_engine(tr->f, t, &tr->val, tr->cls_val + (size_t)k * (size_t)tr->val.n);
        if (t && tr->c->survive > 0)
            tr->m->survival_classical[k] = survival_count(tr, t, &tr->val, SURVIVAL_VAL);
        tableau_free(t);
    }
}

/* --train-below F: F times as many members again, at the step one
 * decade below the family's smallest, sqrt(10) below it (the decade's
 * geometric middle), so that the order the method has at small steps
 * weighs in training as much as its error constant in range does. */
static int add_below(trainer *tr, int unroll, rk_error *err)
{
    int nb = (int)(tr->c->train_below * tr->c->samples + 0.5);
    sample_set b;
    if (nb <= 0)
        return 0;
    double h = family_min_step(tr->f) / sqrt(10.0);
    if (samples_draw(tr->f, tr->c->seed, STREAM_TRAIN_BELOW, nb, h, unroll, &b, err) != 0)
        return -1;
    int r = samples_append(&tr->train, &b);
    samples_free(&b);
    if (r != 0)
        rk_error_set(err, "out of memory");
    return r;
}

/* Every k-th training member (the ones below the range included), at
 * least SCREEN_MEMBERS of them, for scoring the screened candidates. */
#define SCREEN_MEMBERS 500

static int screen_members(trainer *tr, int unroll)
{
    int n = tr->train.n, stride = n / SCREEN_MEMBERS;
    if (stride < 2)
        return 0;
    if (samples_every(&tr->train, stride, &tr->screen_set) != 0)
        return -1;
    tr->ref_screen = malloc(((size_t)tr->screen_set.n + 1) * sizeof *tr->ref_screen);
    if (!tr->ref_screen)
        return -1;
    for (int i = 0; i < tr->screen_set.n; i++)
        tr->ref_screen[i] = tr->ref_train[i * stride];
    return objective_init(&tr->obj_screen, tr->f, &tr->screen_set, tr->c->objective, unroll, tr->S,
                          tr->ref_screen);
}

static int setup(trainer *tr, rk_error *err)
{
    const learn_config *c = tr->c;
    int unroll = c->objective == OBJ_GLOBAL ? 0 : c->unroll > 0 ? c->unroll : 1;
    if (samples_draw(tr->f, c->seed, STREAM_TRAIN, c->samples, 0, unroll, &tr->train, err) != 0 ||
        samples_draw(tr->f, c->seed, STREAM_VALIDATION, c->val_samples, 0, unroll, &tr->val, err) != 0 ||
        add_below(tr, unroll, err) != 0)
        return 2;
    tr->S = c->stages;
    tr->Praw = tr->S * (tr->S - 1) / 2 + tr->S;
    tr->Pq = tr->Praw - (c->weights == WEIGHTS_FREE);
    tr->R = tr->train.n * tr->f->dim;
    tr->m->truth = tr->train.truth;
    if (c->survive > 0)
        tr->m->survival_members = tr->val.n < SURVIVAL_VAL ? tr->val.n : SURVIVAL_VAL;
    if (alloc_trainer(tr) != 0) {
        rk_error_set(err, "out of memory");
        return 2;
    }
    /* validation is measured on the global error, whatever the objective */
    if (reference_errors(tr, &tr->val, 0, tr->ref_val) != 0 ||
        reference_errors(tr, &tr->train, c->objective == OBJ_ONESTEP, tr->ref_train) != 0 ||
        objective_init(&tr->obj, tr->f, &tr->train, c->objective, unroll, tr->S, tr->ref_train) != 0 ||
        screen_members(tr, unroll) != 0) {
        rk_error_set(err, "out of memory");
        return 2;
    }
    if (blocks_init(tr, err) != 0)
        return 2;
    if (c->log_path) {
        tr->log = fopen(c->log_path, "w");
        if (!tr->log) {
            rk_error_set(err, "%s: cannot write the training log", c->log_path);
            return 2;
        }
        fprintf(tr->log, "start,iteration,criterion,gamma_train,gamma_val,seconds\n");
    }
    return 0;
}

int learn_run(const rk_family *f, const learn_config *c, rk_tableau **out,
              learn_metrics *m, rk_error *err)
{
    trainer tr;
    memset(&tr, 0, sizeof tr);
    memset(m, 0, sizeof *m);
    tr.f = f;
    tr.c = c;
    tr.m = m;
    tr.err = err;
    tr.best_val = INFINITY;
    tr.t0 = now();
    m->gamma_val = INFINITY;
    int status = setup(&tr, err);
    int K = c->restarts + 1, n = searching(&tr) && c->survive_starts > K ? c->survive_starts : K;
    double *starts = status == 0 ? choose_starts(&tr, n) : NULL;
    if (starts && searching(&tr))
        survival_search(&tr, starts, n, K);
    if (status == 0 && !starts) {
        rk_error_set(err, "out of memory");
        status = 2;
    }
    for (int start = 0; status == 0 && start <= c->restarts && !stopping(&tr); start++) {
        memcpy(tr.q, starts + (size_t)start * (size_t)tr.Pq, (size_t)tr.Pq * sizeof *tr.q);
        if (c->optimizer == OPT_LM)
            run_lm(&tr, start, tr.q, c->iters);
        else
            run_adam(&tr, start, tr.q, c->optimizer == OPT_LOOKAHEAD);
        project(&tr, start, tr.q);
        double gval, gamma = INFINITY;
        if (validate(&tr, tr.q, &gval) == 1) {
            m->best_start = start;
            loss(&tr, tr.q, 0, &gamma);
            m->gamma_train = gamma;
        }
        m->starts = start + 1;
        /* --ratio-lim is reached: the run, not only this start, is done */
        if (gamma < c->ratio_lim)
            break;
    }
    /* stopped before any start was validated: the best screened
     * candidate is the best so far */
    if (status == 0 && !tr.best && stopping(&tr)) {
        double gval, gamma;
        memcpy(tr.q, starts, (size_t)tr.Pq * sizeof *tr.q);
        if (validate(&tr, tr.q, &gval) == 1) {
            loss(&tr, tr.q, 0, &gamma);
            m->gamma_train = gamma;
        }
    }
    free(starts);
    if (!c->quiet && isatty(2))
        fprintf(stderr, "\n");
    m->interrupted = stopping(&tr);
    if (status == 0 && !tr.best) {
        rk_error_set(err, "training diverged: no start gave a finite validation error: %s "
                     "(try --optimizer lm, more --restarts, --stability-weight, or narrower distributions)",
                     tr.why[0] ? tr.why : "no start was validated");
        status = 1;
    }
    if (status == 0) {
        local_errors(&tr, tr.best);
        *out = tr.best;
        tr.best = NULL;
    }
    free_trainer(&tr);
    return status;
}

/* ---- the record kept with the tableau ---- */

static const char *optimizer_name(optimizer_kind k)
{
    return k == OPT_LM ? "lm" : k == OPT_ADAM ? "adam" : "lookahead";
}

char *learn_metadata(const rk_family *f, const learn_config *c, const learn_metrics *m)
{
    char hash[24];
    cJSON *root = cJSON_CreateObject(), *cfg = cJSON_CreateObject(), *met = cJSON_CreateObject();
    cJSON *cls = cJSON_CreateObject();
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)f->hash);
    cJSON_AddStringToObject(root, "family", f->name);
    cJSON_AddStringToObject(root, "family_hash", hash);
    cJSON_AddStringToObject(root, "truth", m->truth ? m->truth : "");
    cJSON_AddNumberToObject(cfg, "stages", c->stages);
    cJSON_AddNumberToObject(cfg, "order", c->order);
    cJSON_AddNumberToObject(cfg, "seed", (double)c->seed);
    cJSON_AddNumberToObject(cfg, "samples", c->samples);
    cJSON_AddNumberToObject(cfg, "val_samples", c->val_samples);
    cJSON_AddStringToObject(cfg, "objective", c->objective == OBJ_GLOBAL    ? "global"
                                              : c->objective == OBJ_ONESTEP ? "onestep"
                                                                            : "taylor");
    cJSON_AddStringToObject(cfg, "loss", c->loss == LOSS_GEOMEAN ? "geomean" : "scaled");
    cJSON_AddNumberToObject(cfg, "unroll", c->unroll);
    cJSON_AddNumberToObject(cfg, "mu", c->mu);
    cJSON_AddNumberToObject(cfg, "family_order", c->family_order);
    cJSON_AddNumberToObject(cfg, "keep_order", c->keep_order);
    cJSON_AddNumberToObject(cfg, "train_below", c->train_below);
    cJSON_AddNumberToObject(cfg, "stability_weight", c->stability_weight);
    cJSON_AddNumberToObject(cfg, "survive", c->survive);
    cJSON_AddNumberToObject(cfg, "survive_search", c->survive_search);
    cJSON_AddNumberToObject(cfg, "survive_starts", c->survive_starts);
    cJSON_AddStringToObject(cfg, "optimizer", optimizer_name(c->optimizer));
    cJSON_AddNumberToObject(cfg, "iters", c->iters);
    cJSON_AddNumberToObject(cfg, "restarts", c->restarts);
    cJSON_AddNumberToObject(cfg, "screen", c->screen);
    cJSON_AddNumberToObject(cfg, "lr", c->lr);
    cJSON_AddNumberToObject(cfg, "lr_decay", c->lr_decay);
    cJSON_AddStringToObject(cfg, "weights", c->weights == WEIGHTS_FREE ? "free" : "softmax");
    cJSON_AddNumberToObject(cfg, "ratio_lim", c->ratio_lim);
    cJSON_AddNumberToObject(cfg, "val_every", c->val_every);
    cJSON_AddItemToObject(root, "config", cfg);
    cJSON_AddNumberToObject(met, "gamma_train", m->gamma_train);
    cJSON_AddNumberToObject(met, "gamma_val", m->gamma_val);
    cJSON_AddStringToObject(met, "gamma_reference", m->reference);
    for (int k = 0; k < m->nclassical; k++)
        cJSON_AddNumberToObject(cls, m->classical[k], m->ratio_classical[k]);
    cJSON_AddItemToObject(met, "error_ratio_vs_classical", cls);
    cJSON *blow = cJSON_CreateObject();
    cJSON_AddNumberToObject(blow, "learned", m->blown_val);
    for (int k = 0; k < m->nclassical; k++)
        cJSON_AddNumberToObject(blow, m->classical[k], m->blown_classical[k]);
    cJSON_AddItemToObject(met, "validation_blowups", blow);
    if (c->survive > 0) {
        cJSON *sv = cJSON_CreateObject();
        cJSON_AddNumberToObject(sv, "span", c->survive);
        cJSON_AddNumberToObject(sv, "members", m->survival_members);
        cJSON_AddNumberToObject(sv, "runs", 3 * m->survival_members);
        cJSON_AddNumberToObject(sv, "learned", m->survival_blown);
        for (int k = 0; k < m->nclassical; k++)
            cJSON_AddNumberToObject(sv, m->classical[k], m->survival_classical[k]);
        cJSON_AddItemToObject(met, "survival_blowups", sv);
    }
    cJSON *le = cJSON_CreateArray();
    for (int q = 1; q <= m->local_error_orders; q++)
        cJSON_AddItemToArray(le, cJSON_CreateNumber(m->local_error[q]));
    cJSON_AddItemToObject(met, "local_error_per_order", le);
    cJSON_AddNumberToObject(met, "iterations", m->iterations);
    cJSON_AddNumberToObject(met, "starts", m->starts);
    cJSON_AddNumberToObject(met, "best_start", m->best_start);
    cJSON_AddBoolToObject(met, "interrupted", m->interrupted);
    cJSON_AddItemToObject(root, "metrics", met);
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}
