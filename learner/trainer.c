/* trainer.c - the trainer: the free coefficients and the tableau they
 * make, the criterion with its penalty and constraint blocks, the
 * optimiser runs and projections, and validation through the generated
 * C; setting it all up from the family and the configuration. */
#include "trainer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "manifold.h"
#include "measure.h"
#include "optim.h"
#include "pipeline.h"
#include "reference.h"
#include "rk.h"

double trainer_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- the classical reference of the target order ---- */

/* A reference's error on one member, floored: the divisor of its ratio.
 * A reference exact to rounding would make the ratio meaningless; where
 * the reference blows up (steps beyond its stability), the error is
 * measured relative to the solution's size instead. */
static double referr_of(const double *y, const double *truth, int d)
{
    double e = measure_error(y, truth, d), size = 0;
    for (int k = 0; k < d; k++)
        size += truth[k] * truth[k];
    size = fmax(sqrt(size), 1e-300);
    return isfinite(e) ? fmax(e, 1e-14 * (1 + size)) : size;
}

/* The Taylor method of the order, for orders beyond the built-ins. */
typedef struct referr_job {
    const rk_family *f;
    int order, onestep;
    double *out;
} referr_job;

static int referr_part(void *ctx, const sample_set *s, int first)
{
    const referr_job *j = ctx;
    const rk_family *f = j->f;
    int d = f->dim;
    double *out = j->out + first;
    reference ref;
    rk_error err = {{0}};
    double *y = malloc(((size_t)d + 1) * sizeof *y);
    if (!y || reference_init(&ref, f, &err) != 0) {
        free(y);
        return 1;
    }
    for (int i = 0; i < s->n; i++) {
        unsigned long n = j->onestep ? (unsigned long)s->unroll : s->nsteps[i];
        memcpy(y, s->y0 + i * d, (size_t)d * sizeof *y);
        if (reference_taylor_method(&ref, s->p + i * f->nparam, 0.0, s->h[i], n, j->order, y) != 0)
            y[0] = NAN;
        out[i] = referr_of(y, (j->onestep ? s->y1 : s->yT) + i * d, d);
    }
    reference_free(&ref);
    free(y);
    return 0;
}

/* Errors of the reference on a set: what the residuals are divided by.
 * Beyond the built-ins, the Taylor method of the target order. */
static int reference_errors(trainer *tr, const sample_set *s, int onestep, double *out)
{
    const char *name = catalog_reference(tr->c->order);
    rk_tableau *t = name ? tableau_builtin(name) : NULL;
    referr_job j = {tr->f, tr->c->order, onestep, out};
    int d = tr->f->dim, failed;
    if (t) {
        double *y = malloc(((size_t)s->n * (size_t)d + 1) * sizeof *y);
        failed = !y || measure_engine_states(tr->f, t, s, onestep, y) != 0;
        for (int i = 0; !failed && i < s->n; i++)
            out[i] = referr_of(y + (size_t)i * (size_t)d, (onestep ? s->y1 : s->yT) + (size_t)i * (size_t)d, d);
        free(y);
    } else {
        failed = name != NULL || samples_parallel(s, referr_part, &j) != 0;
    }
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

void trainer_q_to_theta(const trainer *tr, const double *q, double *theta, double *G)
{
    int S = tr->S, na = S * (S - 1) / 2;
    if (tr->manifold) {
        /* outside the closed form's domain: no method, refused by the loss */
        if (manifold_theta(S, tr->keep, q, theta, G) != 0)
            for (int k = 0; k < tr->Praw; k++)
                theta[k] = NAN;
        return;
    }
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

rk_tableau *trainer_tableau_at(const trainer *tr, const double *q)
{
    double theta[RK_MAX_STAGES * (RK_MAX_STAGES + 1) / 2 + RK_MAX_STAGES];
    trainer_q_to_theta(tr, q, theta, NULL);
    return to_tableau(tr, theta);
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
/* The members below the range weigh BELOW_WEIGHT each in the criterion:
 * a tenth as many members as in the range stand for the whole decade
 * below, where a method of the kept order must not lose what it wins in
 * range.  A weight costs nothing, where more members would: on the
 * corpus (docs/CORPUS.md), Gompertz with 3 stages went from 0.965
 * [0.874, 1.06] of heun3's error a decade below to 0.956 [0.876, 1.04],
 * at the same cost and the same ratio in range. */
#define BELOW_WEIGHT 3.0

static double member_weight(const trainer *tr, int i)
{
    int k = tr->screening ? i * tr->screen[tr->screening - 1].stride : i;
    return k >= tr->c->samples ? BELOW_WEIGHT : 1.0;
}

static double criterion(trainer *tr, double *gamma)
{
    int d = tr->f->dim, geo = tr->c->loss == LOSS_GEOMEAN;
    int n = tr->screening ? tr->screen[tr->screening - 1].set.n : tr->train.n;
    double sum = 0, logs = 0, logs0 = 0, sum0 = 0, tau2 = tr->tau * tr->tau;
    for (int i = 0; i < n && !tr->projecting; i++) {
        double rho2 = 0, w = member_weight(tr, i);
        for (int k = 0; k < d; k++)
            rho2 += tr->r[i * d + k] * tr->r[i * d + k];
        tr->rho[i] = sqrt(rho2 + tau2);
        sum += w * rho2;
        sum0 += rho2;
        logs += w * 0.5 * log(fmax(rho2 + tau2, 1e-300));
        logs0 += log(fmax(rho2, 1e-300));
    }
    /* a projection sees no members: no ratio, so none can stop it */
    *gamma = tr->projecting ? INFINITY : geo ? exp(logs0 / n) : sum0 / n;
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
            tr->rho[i] = sqrt(member_weight(tr, i)) * (geo ? 1 / fmax(tr->rho[i], 1e-150) : 1);
        for (int i = 0; i < tr->R; i++)
            tr->r[i] *= tr->rho[i / d];
        /* on the closed form the objective's tangents run along G already */
        if (tr->manifold)
            for (size_t i = 0; i < (size_t)tr->R; i++)
                for (int k = 0; k < tr->Pq; k++)
                    tr->Jq[i * (size_t)tr->Pq + (size_t)k] = tr->J[i * (size_t)tr->Pq + (size_t)k] * tr->rho[i / (size_t)d];
        else
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
    /* on the closed form the conditions hold by construction */
    if (tr->keep > 0 && !tr->manifold &&
        (forest_init(&tr->keep_forest, tr->keep) != 0 ||
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
    if (tr->blk[BLK_KEEP].rows) {
        tree_weights_free(&tr->keep_w);
        forest_free(&tr->keep_forest);
    }
    if (tr->blk[BLK_STAB].rows)
        stab_pen_free(&tr->stab);
}

/* The criterion at q; with_jacobian also sets H and g for a step. */
double trainer_loss(trainer *tr, const double *q, int with_jacobian, double *gamma)
{
    trainer_q_to_theta(tr, q, tr->theta, with_jacobian ? tr->G : NULL);
    /* a projection moves on the constraint blocks alone, so the members,
     * which cost nearly all the time, are not integrated */
    if (!tr->projecting)
        objective_eval_dir(tr->screening ? &tr->screen[tr->screening - 1].obj : &tr->obj, tr->theta,
                           tr->manifold && with_jacobian ? tr->G : NULL, tr->r, with_jacobian ? tr->J : NULL);
    blocks_eval(tr, with_jacobian);
    double f = criterion(tr, gamma);
    if (!isfinite(f) || (!tr->projecting && !isfinite(*gamma)))
        return INFINITY;
    if (with_jacobian)
        normal_equations(tr);
    return f;
}

int trainer_validate(trainer *tr, const double *q, double *gamma_val)
{
    trainer_q_to_theta(tr, q, tr->theta, NULL);
    return trainer_validate_tableau(tr, to_tableau(tr, tr->theta), gamma_val);
}

int trainer_validate_tableau(trainer *tr, rk_tableau *t, double *gamma_val)
{
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
    int surv = tr->c->survive > 0 ? survival_count(tr, t, &tr->val, SURVIVAL_VAL) : 0;
    return trainer_judge(tr, t, blown, surv, gamma_val);
}

int trainer_judge(trainer *tr, rk_tableau *t, int blown, int surv, double *gamma_val)
{
    *gamma_val = INFINITY;
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
    int better = tr->best == NULL || surv < tr->best_surv ||
                 (surv == tr->best_surv && *gamma_val < tr->best_val);
    if (isfinite(*gamma_val) && better) {
        tr->best_surv = surv;
        tr->m->survival_blown = surv;
        tr->best_val = *gamma_val;
        tr->m->blown_val = blown;
        tableau_free(tr->best);
        tr->best = t;
        tr->m->gamma_val = *gamma_val;
        memcpy(tr->best_err, tr->err_val, (size_t)tr->val.n * sizeof *tr->best_err);
        return 1;
    }
    tableau_free(t);
    return 0;
}

/* ---- watching ---- */

void trainer_progress(trainer *tr, learn_phase phase, int done, int total, double gamma)
{
    if (!tr->c->progress)
        return;
    learn_progress p = {phase, done, total, tr->start, tr->c->restarts + 1, gamma, tr->best_val,
                        trainer_now() - tr->t0, 0};
    p.eta = done > 0 ? p.seconds / done * (total - done) : 0;
    tr->c->progress(tr->c->progress_ctx, &p);
}

int trainer_stopping(const trainer *tr)
{
    return tr->c->stop && *tr->c->stop;
}

/* ---- the optimiser's view of the trainer ---- */

/* After a refused trial, Levenberg-Marquardt evaluates the point it
 * keeps once more, only to leave the ratios the next model's tau is
 * taken from at that point.  The ratios of the last two evaluations
 * without a model are kept, so that one at the same point with the same
 * tau is given back, the same bits, without integrating the members
 * again (1 of the 6 or 7 member passes of an iteration). */
static struct eval_memo *memo_find(trainer *tr, const double *q)
{
    for (int k = 0; k < 2; k++) {
        struct eval_memo *m = &tr->memo[k];
        if (m->valid && m->tau == tr->tau && memcmp(m->q, q, (size_t)tr->Pq * sizeof *q) == 0)
            return m;
    }
    return NULL;
}

static void memo_clear(trainer *tr)
{
    tr->memo[0].valid = tr->memo[1].valid = 0;
}

/* The criterion, and with the model the normal equations; tau follows
 * the point the model is taken at (the last one evaluated). */
static double problem_eval(void *ctx, const double *q, int with_model, double *gamma)
{
    trainer *tr = ctx;
    size_t n = (size_t)tr->train.n;
    if (tr->projecting)
        return trainer_loss(tr, q, with_model, gamma);
    if (with_model) {
        update_tau(tr);
        return trainer_loss(tr, q, 1, gamma);
    }
    struct eval_memo *m = memo_find(tr, q);
    if (m) {
        memcpy(tr->rho, m->rho, n * sizeof *tr->rho);
        *gamma = m->gamma;
        return m->f;
    }
    double f = trainer_loss(tr, q, 0, gamma);
    m = &tr->memo[tr->memo_next];
    tr->memo_next ^= 1;
    memcpy(m->q, q, (size_t)tr->Pq * sizeof *q);
    memcpy(m->rho, tr->rho, n * sizeof *tr->rho);
    m->f = f;
    m->gamma = *gamma;
    m->tau = tr->tau;
    m->valid = 1;
    return f;
}

/* --survive: a step may not lose more of the long runs */
static int problem_accept(void *ctx, const double *q)
{
    trainer *tr = ctx;
    double surv = survival_score(tr, q);
    if (surv > tr->surv_now)
        return 0;
    tr->surv_now = surv;
    return 1;
}

/* One line of the training curve: the criterion being minimised, the
 * training ratio, the validation ratio when it was measured, seconds;
 * and a validation through the JIT every --val-every iterations. */
static int problem_after(void *ctx, int it, double crit, double gamma, const double *q)
{
    trainer *tr = ctx;
    double gval = NAN;
    if (tr->projecting || tr->silent)
        return 0;
    if (tr->c->val_every > 0 && (it + 1) % tr->c->val_every == 0)
        trainer_validate(tr, q, &gval);
    tr->m->iterations++;
    if (tr->log)
        fprintf(tr->log, "%d,%d,%.9g,%.9g,%.9g,%.4f\n", tr->start, it, crit, gamma, gval,
                trainer_now() - tr->t0);
    int total = tr->c->iters * (tr->c->restarts + 1);
    trainer_progress(tr, LEARN_TRAIN, tr->start * tr->c->iters + it + 1, total, gamma);
    return 0;
}

/* A start has converged when an iteration lowers the criterion by less
 * than FTOL_MEMBER per member: for the geometric criterion, 0.01% of
 * the geometric-mean ratio, a hundredth of the noise in the fresh-member
 * ratios (their 90% intervals are a few percent wide).  Tighter, Duffing
 * took four more iterations per start for a ratio that moved by 1e-4. */
#define FTOL_MEMBER 1e-4

static opt_problem problem(trainer *tr, int iters)
{
    opt_problem p = {tr->Pq, tr, problem_eval, tr->H, tr->g, NULL, problem_after, iters,
                     tr->c->ratio_lim, tr->c->stop, 1e-3, FTOL_MEMBER * tr->train.n, 12, 0,
                     tr->c->lr, tr->train.n, tr->c->lr_decay};
    if (tr->c->survive > 0 && !tr->projecting) {
        p.accept = problem_accept;
        tr->surv_now = survival_score(tr, tr->q);
    }
    if (tr->projecting) {
        /* a projection may start far from the conditions: the damping
         * may grow until a step is short enough to be accepted */
        p.lambda0 = 1e-6;
        p.tries = 40;
        p.ftol = 1e-6;
        p.ftol_relative = 1;
        p.ratio_lim = 0;
    }
    return p;
}

static const opt_type *optimizer(const trainer *tr)
{
    return tr->c->optimizer == OPT_LM ? &opt_lm : tr->c->optimizer == OPT_ADAM ? &opt_adam : &opt_lookahead;
}

void trainer_train(trainer *tr, double *q)
{
    tr->tau = 0;
    memo_clear(tr);
    memcpy(tr->q, q, (size_t)tr->Pq * sizeof *q);
    opt_problem p = problem(tr, tr->c->iters);
    optimizer(tr)->minimise(&p, q);
}

/* The constraints (--family-order, the kept classical order) are made to
 * hold to rounding: Gauss-Newton steps on them alone, nearly undamped so
 * they are minimum-norm, from the trained point.  Where the conditions
 * cannot all hold (too few stages), the residual stops falling and the
 * point stays close to the trained one. */
void trainer_project(trainer *tr, double *q)
{
    /* classical order P implies order P on every family: a family order
     * up to the kept one adds no condition, and on the closed form the
     * classical ones hold already (Gauss-Newton on residuals that are
     * rounding would only wander) */
    int family = tr->c->family_order > tr->keep;
    if (!family && (tr->keep == 0 || tr->manifold))
        return;
    tr->projecting = 1;
    opt_problem p = problem(tr, 30);
    opt_lm.minimise(&p, q);
    tr->projecting = 0;
}

int trainer_theta_to_q(const trainer *tr, const rk_tableau *t, double *q)
{
    int S = tr->S, na = S * (S - 1) / 2;
    if (tr->manifold)
        return manifold_nodes(S, tr->keep, t, q);
    for (int i = 1; i < S; i++)
        for (int j = 0; j < i; j++)
            q[theta_a(i, j)] = t->A[i * S + j];
    for (int j = 0; j < S; j++) {
        if (tr->c->weights == WEIGHTS_FREE && j + 1 < S)
            q[na + j] = t->b[j];
        else if (tr->c->weights == WEIGHTS_SOFTMAX)
            q[na + j] = log(fmax(t->b[j], 1e-3));
    }
    return 0;
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
    tr->rho = malloc(nt * sizeof *tr->rho);
    tr->ref_train = malloc(nt * sizeof *tr->ref_train);
    tr->ref_val = malloc(nv * sizeof *tr->ref_val);
    tr->err_val = malloc(nv * sizeof *tr->err_val);
    tr->best_err = malloc(nv * sizeof *tr->best_err);
    tr->cls_val = malloc(8 * nv * sizeof *tr->cls_val);
    for (int k = 0; k < 2; k++) {
        tr->memo[k].q = malloc(Pq * sizeof *tr->memo[k].q);
        tr->memo[k].rho = malloc(nt * sizeof *tr->memo[k].rho);
    }
    return tr->theta && tr->G && tr->r && tr->J && tr->Jq && tr->H && tr->g && tr->q &&
                   tr->rho && tr->ref_train && tr->ref_val && tr->err_val && tr->best_err &&
                   tr->cls_val && tr->memo[0].q && tr->memo[0].rho && tr->memo[1].q && tr->memo[1].rho
               ? 0 : -1;
}

void trainer_free(trainer *tr)
{
    double *bufs[] = {tr->theta, tr->G, tr->r, tr->J, tr->Jq, tr->H, tr->g, tr->q, tr->rho,
                      tr->ref_train, tr->ref_val, tr->err_val, tr->best_err, tr->cls_val,
                      tr->memo[0].q, tr->memo[0].rho, tr->memo[1].q, tr->memo[1].rho};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        free(bufs[i]);
    objective_free(&tr->obj);
    for (int l = 0; l < 2; l++) {
        struct screen_level *v = &tr->screen[l];
        if (v->stride > 0) {
            objective_free(&v->obj);
            samples_free(&v->set);
        }
        free(v->ref);
    }
    blocks_free(tr);
    samples_free(&tr->train);
    samples_free(&tr->val);
    tableau_free(tr->best);
    if (tr->log)
        fclose(tr->log);
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
 * least SCREEN_MEMBERS of them, for scoring the screened candidates, and
 * a quarter of those for ranking them first (starts.c). */
#define SCREEN_MEMBERS 500

static int screen_level(trainer *tr, struct screen_level *v, int stride, int unroll)
{
    if (stride < 2)
        return 0;
    v->stride = stride;
    if (samples_every(&tr->train, stride, &v->set) != 0)
        return -1;
    v->ref = malloc(((size_t)v->set.n + 1) * sizeof *v->ref);
    if (!v->ref)
        return -1;
    for (int i = 0; i < v->set.n; i++)
        v->ref[i] = tr->ref_train[i * stride];
    return objective_init_dir(&v->obj, tr->f, &v->set, tr->c->objective, unroll, tr->S, v->ref,
                              tr->manifold ? tr->Pq : tr->Praw);
}

static int screen_members(trainer *tr, int unroll)
{
    int stride = tr->train.n / SCREEN_MEMBERS;
    if (stride < 2)
        return 0;
    return screen_level(tr, &tr->screen[0], stride, unroll) != 0 ||
           screen_level(tr, &tr->screen[1], 4 * stride, unroll) != 0 ? -1 : 0;
}

int trainer_setup(trainer *tr, rk_error *err)
{
    const learn_config *c = tr->c;
    int unroll = c->objective == OBJ_GLOBAL ? 0 : c->unroll > 0 ? c->unroll : 1;
    if (samples_draw(tr->f, c->seed, STREAM_TRAIN, c->samples, 0, unroll, &tr->train, err) != 0 ||
        samples_draw(tr->f, c->seed, STREAM_VALIDATION, c->val_samples, 0, unroll, &tr->val, err) != 0 ||
        add_below(tr, unroll, err) != 0)
        return 2;
    tr->S = c->stages;
    tr->keep = learn_kept_order(c);
    tr->manifold = manifold_dim(tr->S, tr->keep) > 0;
    tr->Praw = tr->S * (tr->S - 1) / 2 + tr->S;
    tr->Pq = tr->manifold ? manifold_dim(tr->S, tr->keep) : tr->Praw - (c->weights == WEIGHTS_FREE);
    tr->R = tr->train.n * tr->f->dim;
    tr->m->order_kept = tr->keep;
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
        objective_init_dir(&tr->obj, tr->f, &tr->train, c->objective, unroll, tr->S, tr->ref_train,
                           tr->manifold ? tr->Pq : tr->Praw) != 0 ||
        screen_members(tr, unroll) != 0) {
        rk_error_set(err, "out of memory");
        return 2;
    }
    if (blocks_init(tr, err) != 0 || record_classical(tr) != 0)
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
