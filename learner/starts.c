/* starts.c - where training starts: the methods of the kept order
 * (the built-ins and points spread over that order's methods), random
 * tableaux projected onto the conditions, screened cheaply; and, with
 * --survive, the search for starts that do not blow up. */
#include "trainer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "manifold.h"
#include "optim.h"
#include "rk.h"
#include "survival.h"

/* A random tableau from the candidate's own seed: nodes and weights of
 * the usual sizes, projected onto the conditions afterwards. */
static void random_q(const trainer *tr, int k, double *q)
{
    int S = tr->S, na = S * (S - 1) / 2;
    rk_rng rng;
    rng_seed(&rng, tr->c->seed * 1000003u + (uint64_t)k);
    for (int i = 1; i < S; i++)
        for (int j = 0; j < i; j++)
            q[theta_a(i, j)] = 1.5 * rng_uniform(&rng) - 0.25;
    double b[RK_MAX_STAGES], sum = 0;
    for (int j = 0; j < S; j++)
        sum += b[j] = 0.1 + rng_uniform(&rng);
    for (int j = 0; j < S; j++) {
        b[j] /= sum;
        if (tr->c->weights == WEIGHTS_FREE && j + 1 < S)
            q[na + j] = b[j];
        else if (tr->c->weights == WEIGHTS_SOFTMAX)
            q[na + j] = log(fmax(b[j], 1e-3));
    }
}

/* The candidates: the built-ins with S stages of the kept order or
 * higher (the baseline first), then, where the methods of the kept order
 * have a closed form over their nodes, a grid over the nodes (n points
 * on (0, 1] per node, n^dim about `budget`), else random tableaux
 * (to be projected onto the conditions).  Returns how many were written
 * to cand (room for `budget` + 8); the first *exact of them satisfy the
 * kept classical conditions already. */
static int candidates(trainer *tr, int budget, double *cand, int *exact, int *base_first)
{
    int Pq = tr->Pq, n = 0, dim = tr->manifold ? Pq : 0;
    const char *names[8];
    int nc = catalog_methods(tr->S, tr->keep, names, 8);
    for (int k = -1; k < nc; k++) {
        /* the baseline comes first, then the others in built-in order */
        const char *name = k < 0 ? (tr->baseline >= 0 ? tr->m->classical[tr->baseline] : NULL) : names[k];
        rk_tableau *t = name && (k < 0 || tr->baseline < 0 || strcmp(name, tr->m->classical[tr->baseline]) != 0)
                            ? tableau_builtin(name) : NULL;
        if (t && trainer_theta_to_q(tr, t, cand + (size_t)n * (size_t)Pq) == 0) {
            *base_first |= k < 0 && n == 0;
            n++;
        }
        tableau_free(t);
    }
    if (dim > 0) {
        int per = (int)floor(pow(budget, 1.0 / dim) + 1e-9), total = 1;
        for (int d = 0; d < dim; d++)
            total *= per;
        rk_tableau *t = tableau_new(tr->S);
        for (int g = 0; t && g < total; g++) {
            double *u = cand + (size_t)n * (size_t)Pq;
            for (int d = 0, rest = g; d < dim; d++, rest /= per)
                u[d] = (double)(rest % per + 1) / per;
            n += manifold_point(tr->S, tr->keep, u, t) == 0;
        }
        tableau_free(t);
        *exact = n;
        return n;
    }
    *exact = n;
    for (int k = 0; k < budget; k++)
        random_q(tr, k, cand + (size_t)n++ * (size_t)Pq);
    return n;
}

/* ---- survival (--survive) ---- */

/* Each survival member is run three times: at its own step, and at the
 * smallest and largest steps of the family's range, where blow-ups
 * gather and where a uniform draw puts few members.  Members: enough to
 * tell methods apart (blow-ups are rare events), few enough for
 * screening many candidates. */
#define SURVIVAL_SCREEN 100
#define SURVIVAL_TRAIN 300

/* The search and the training score with a fifth of the span: on
 * Lorenz-63 every blow-up of four methods over 100 time units at
 * h = 0.18 (of 2000 starts each) came within the first 20, as the
 * method's solution settles on its own attractor.  The kept method is
 * chosen on the whole span. */
#define SURVIVAL_SCORE_SPAN 0.2

/* What --survive minimises first, in the screening, the search and
 * Levenberg-Marquardt: the part of the span the method loses to blow-ups
 * on the first n training members, at the three steps. */
static double survival_loss(const trainer *tr, const double *q, int n)
{
    rk_tableau *t = trainer_tableau_at(tr, q);
    double span = SURVIVAL_SCORE_SPAN * tr->c->survive, lost = 3.0 * n;
    if (t)
        lost = survival_lost(tr->f, t, &tr->train, n, span, 0) +
               survival_lost(tr->f, t, &tr->train, n, span, family_min_step(tr->f)) +
               survival_lost(tr->f, t, &tr->train, n, span, family_max_step(tr->f));
    tableau_free(t);
    return lost;
}

double survival_score(void *ctx, const double *q)
{
    return survival_loss(ctx, q, SURVIVAL_TRAIN);
}

/* Blow-ups over the whole span on the first n members of s, at the
 * three steps: what the searched starts are ranked by, what the kept
 * method is chosen by first, and what the record reports. */
int survival_count(const trainer *tr, const rk_tableau *t, const sample_set *s, int n)
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
int starts_searching(const trainer *tr)
{
    return tr->c->survive > 0 && tr->c->survive_search > 0 && tr->c->family_order == 0 &&
           tr->keep == 0;
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
void starts_survival_search(trainer *tr, double *q, int n, int k)
{
    size_t Pq = (size_t)tr->Pq;
    ranked *r = malloc((size_t)n * sizeof *r);
    double *sorted = malloc((size_t)n * Pq * sizeof *sorted);
    for (int i = 0; r && sorted && i < n; i++) {
        double *qi = q + (size_t)i * Pq;
        r[i] = (ranked){INFINITY, i};
        if (trainer_stopping(tr))
            continue;
        double lost = es_minimise(tr->Pq, qi, survival_score, tr, tr->c->survive_search,
                                  tr->c->seed * 7919u + (uint64_t)i, tr->c->stop);
        /* ranked on the whole span: some blow-ups come late (on Lorenz-63,
         * at the smallest step), and the score's shorter span misses them */
        rk_tableau *t = trainer_tableau_at(tr, qi);
        if (t)
            r[i].score = survival_count(tr, t, &tr->train, SURVIVAL_TRAIN) + lost / (3.0 * SURVIVAL_TRAIN + 1);
        tableau_free(t);
        trainer_progress(tr, LEARN_SEARCH, i + 1, n, floor(r[i].score) / (3 * SURVIVAL_TRAIN));
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

/* ---- choosing ---- */

/* The landscape has many local minima (for Van der Pol, order-3 methods
 * with c2 near 0.26 and near 0.06 differ fourfold).  So many cheap
 * candidates are screened first: all of them ranked with one evaluation
 * on the coarser screening members, the best RESCORE of those scored
 * again on the finer ones; the best K are the starts optimised in full.
 * Minima that far apart rank the same on either; the finer score only
 * orders the good candidates. */
#define RESCORE 32

static double screen_score(trainer *tr, const double *q, int level)
{
    double gamma;
    tr->tau = 0;
    tr->screening = tr->screen[level].stride > 0 ? level + 1 : 0;
    double f = trainer_loss(tr, q, 0, &gamma);
    tr->screening = 0;
    return f == f ? f : INFINITY;
}

/* Scores candidates 0..m-1 on the finer level where the coarser ranked
 * them among the best RESCORE; the others rank after all of those. */
static void rescore(trainer *tr, const double *cand, int m, double *score, const double *surv)
{
    int *idx = malloc(((size_t)m + 1) * sizeof *idx);
    if (!idx)
        return;
    for (int i = 0; i < m; i++)
        idx[i] = i;
    /* by coarse score, ties in screening order (insertion sort: stable) */
    for (int i = 1; i < m; i++) {
        int x = idx[i], j = i;
        for (; j > 0 && score[idx[j - 1]] > score[x]; j--)
            idx[j] = idx[j - 1];
        idx[j] = x;
    }
    for (int r = 0; r < m; r++) {
        int i = idx[r];
        score[i] = r < RESCORE ? screen_score(tr, cand + (size_t)i * (size_t)tr->Pq, 0) + surv[i] : INFINITY;
    }
    free(idx);
}

double *starts_choose(trainer *tr, int K)
{
    int budget = tr->c->screen > K ? tr->c->screen : K, Pq = tr->Pq;
    size_t room = (size_t)budget + 8;
    double *cand = malloc(room * (size_t)Pq * sizeof *cand);
    double *score = malloc(room * sizeof *score), *surv = calloc(room, sizeof *surv);
    double *out = malloc((size_t)K * (size_t)Pq * sizeof *out);
    int *taken = calloc(room, sizeof *taken);
    if (!cand || !score || !surv || !out || !taken) {
        free(cand); free(score); free(surv); free(out); free(taken);
        return NULL;
    }
    tr->silent = 1;
    int exact, base_first = 0, N = candidates(tr, budget, cand, &exact, &base_first);
    int coarse = tr->screen[1].stride > 0 ? 1 : 0;
    /* a stop ends the screening, but not before there are K candidates */
    int m = 0;
    for (; m < N && (m < K || !trainer_stopping(tr)); m++) {
        double *q = cand + (size_t)m * (size_t)Pq;
        if (m >= exact || tr->c->family_order > tr->keep)
            trainer_project(tr, q);
        /* --survive: a start that loses less of the long runs comes first */
        if (tr->c->survive > 0)
            surv[m] = 1e12 * survival_loss(tr, q, SURVIVAL_SCREEN);
        score[m] = screen_score(tr, q, coarse) + surv[m];
        if ((m & 31) == 31)
            trainer_progress(tr, LEARN_SCREEN, m + 1, N, NAN);
    }
    if (coarse && m > RESCORE && !trainer_stopping(tr))
        rescore(tr, cand, m, score, surv);
    int done = m > 0 ? m : 1;
    tr->silent = 0;
    /* the baseline is trained from when it has coordinates here (it is
     * validated as it is in any case) */
    if (base_first && K > 1)
        score[0] = -INFINITY;
    for (int k = 0; k < K; k++) {
        int best = -1;
        for (int i = 0; i < done; i++)
            if (!taken[i] && (best < 0 || score[i] < score[best]))
                best = i;
        if (best < 0)
            best = 0;
        taken[best] = 1;
        memcpy(out + (size_t)k * (size_t)Pq, cand + (size_t)best * (size_t)Pq, (size_t)Pq * sizeof *out);
    }
    free(cand); free(score); free(surv); free(taken);
    return out;
}
