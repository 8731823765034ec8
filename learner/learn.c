/* learn.c - learn_run: checks the request, sets up the trainer, chooses
 * the starts, trains and validates each, keeps the best (or the
 * baseline), makes its conditions exact and records it. */
#include "learn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "polish.h"
#include "trainer.h"
#include "trees.h"

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
    c->restarts = 1;
    c->screen = 256;
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
    c->polish = 1;
    c->fresh_samples = 1000;
}

int learn_kept_order(const learn_config *c)
{
    if (c->keep_order > 0)
        return c->keep_order;
    if (c->trade_order)
        return 0;
    int reach = catalog_max_order(c->stages);
    return c->order < reach ? c->order : reach;
}

int learn_check(const learn_config *c, rk_error *err)
{
    int reach = catalog_max_order(c->stages);
    int wanted = c->keep_order > 0 ? c->keep_order : c->trade_order ? 0 : c->order;
    /* a family order is the one exception: on a family, more is possible */
    if (c->keep_order == 0 && c->family_order > 0)
        return 0;
    if (wanted > reach) {
        rk_error_set(err, "no explicit %d-stage method has order %d: the order barrier allows at most "
                     "order %d with %d stage%s (order %d needs %d stages); use --stages %d, or ask for "
                     "order %d on this family alone with --family-order %d",
                     c->stages, wanted, reach, c->stages, c->stages == 1 ? "" : "s", wanted,
                     polish_min_stages(wanted), polish_min_stages(wanted), wanted, wanted);
        return 2;
    }
    if (c->keep_order > c->order) {
        rk_error_set(err, "--keep-order %d is above the target order %d: raise --order", c->keep_order,
                     c->order);
        return 2;
    }
    return 0;
}

/* Trains every start and validates it; the best is kept in tr->best. */
static void train_starts(trainer *tr, const double *starts)
{
    const learn_config *c = tr->c;
    double g;
    /* the baseline as it is: nothing worse is ever kept.  Its errors on
     * the validation members are those record_classical took with the
     * engine, which its generated C reproduces bit for bit (jitcheck), so
     * it is not compiled again here. */
    if (tr->baseline >= 0) {
        int k = tr->baseline;
        memcpy(tr->err_val, tr->cls_val + (size_t)k * (size_t)tr->val.n,
               (size_t)tr->val.n * sizeof *tr->err_val);
        rk_tableau *t = tableau_builtin(tr->m->classical[k]);
        if (t)
            trainer_judge(tr, t, tr->m->blown_classical[k],
                          tr->c->survive > 0 ? tr->m->survival_classical[k] : 0, &g);
    }
    for (int start = 0; start <= c->restarts && !trainer_stopping(tr); start++) {
        tr->start = start;
        memcpy(tr->q, starts + (size_t)start * (size_t)tr->Pq, (size_t)tr->Pq * sizeof *tr->q);
        trainer_train(tr, tr->q);
        trainer_project(tr, tr->q);
        double gval, gamma = INFINITY;
        if (trainer_validate(tr, tr->q, &gval) == 1) {
            tr->m->best_start = start;
            trainer_loss(tr, tr->q, 0, &gamma);
            tr->m->gamma_train = gamma;
        }
        tr->m->starts = start + 1;
        /* --ratio-lim is reached: the run, not only this start, is done */
        if (gamma < c->ratio_lim)
            break;
    }
    /* stopped before any start was validated: the best screened
     * candidate is the best so far */
    if (!tr->best && trainer_stopping(tr)) {
        double gval, gamma;
        memcpy(tr->q, starts, (size_t)tr->Pq * sizeof *tr->q);
        if (trainer_validate(tr, tr->q, &gval) == 1) {
            trainer_loss(tr, tr->q, 0, &gamma);
            tr->m->gamma_train = gamma;
        }
    }
}

/* The classical order the coefficients have to the rounding of double:
 * what polishing a traded method makes exact. */
static int current_order(const rk_tableau *t)
{
    rk_forest fo;
    int order = 0;
    if (forest_init(&fo, 8) != 0)
        return 1;
    double *phi = malloc((size_t)fo.n * sizeof *phi), *work = malloc((size_t)(2 * t->s * fo.n) * sizeof *work);
    if (phi && work) {
        forest_phi(&fo, t->s, t->A, t->b, work, phi);
        for (int q = 1; q <= 8; q++) {
            int holds = 1;
            for (int k = fo.first[q]; k < fo.first[q + 1]; k++)
                holds &= fabs(phi[k] * fo.tree[k].gamma - 1) < 1e-10;
            if (!holds)
                break;
            order = q;
        }
    }
    free(phi);
    free(work);
    forest_free(&fo);
    return order > 0 ? order : 1;
}

/* The kept conditions are made exact at 256 bits (rk_polish): the result
 * replaces the trained tableau, its name kept.  A failure leaves the
 * trained one, and says why in the record. */
static void make_exact(trainer *tr)
{
    const learn_config *c = tr->c;
    rk_polish_opts o;
    rk_polish_result r;
    rk_error err = {{0}};
    if (!c->polish || tr->m->fallback || (tr->keep == 0 && c->family_order == 0 && c->polish < 2))
        return;
    memset(&o, 0, sizeof o);
    o.order = tr->keep > 0 ? tr->keep : current_order(tr->best);
    o.family = c->family_order > o.order ? tr->f : NULL;
    o.family_order = c->family_order > o.order ? c->family_order : 0;
    o.seed = c->seed;
    o.prec = 256;
    tr->m->polish_order = o.order;
    tr->m->polish_family_order = o.family_order;
    if (rk_polish(tr->best, &o, &r, &err) != 0) {
        snprintf(tr->m->polish_error, sizeof tr->m->polish_error, "%s", err.text);
        return;
    }
    snprintf(r.t->name, sizeof r.t->name, "%s", tr->best->name);
    tr->m->polished = 1;
    tr->m->polish_moved = r.max_moved;
    tableau_free(tr->best);
    tr->best = r.t;
    r.t = NULL;
    rk_polish_result_free(&r);
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
    tr.baseline = -1;
    tr.t0 = trainer_now();
    m->gamma_val = INFINITY;
    m->baseline_k = -1;
    int status = learn_check(c, err);
    if (status == 0)
        status = trainer_setup(&tr, err);
    int K = c->restarts + 1, n = starts_searching(&tr) && c->survive_starts > K ? c->survive_starts : K;
    double *starts = status == 0 ? starts_choose(&tr, n) : NULL;
    if (starts && starts_searching(&tr))
        starts_survival_search(&tr, starts, n, K);
    if (status == 0 && !starts) {
        rk_error_set(err, "out of memory");
        status = 2;
    }
    if (status == 0)
        train_starts(&tr, starts);
    free(starts);
    m->interrupted = trainer_stopping(&tr);
    if (status == 0 && !tr.best) {
        rk_error_set(err, "training diverged: no start gave a finite validation error: %s "
                     "(try --optimizer lm, more --restarts, --stability-weight, or narrower distributions)",
                     tr.why[0] ? tr.why : "no start was validated");
        status = 1;
    }
    if (status == 0) {
        record_kept(&tr);
        make_exact(&tr);
        if (record_fresh(&tr, tr.best) != 0)
            status = 2;
    }
    if (status == 0) {
        record_local_errors(&tr, tr.best);
        m->seconds = trainer_now() - tr.t0;
        *out = tr.best;
        tr.best = NULL;
    }
    trainer_free(&tr);
    return status;
}
