/* trainer.h - the learner's state and the jobs that share it (private to
 * learner/): the trainer (trainer.c: the parametrisation, the criterion,
 * the penalty blocks, validation through the generated C), the starts
 * (starts.c: the manifold starts, screening, the survival search) and
 * the record (record.c: the classical comparison, the fresh-member
 * numbers, the local errors, the JSON).  learn.c drives them. */
#ifndef RK_TRAINER_H
#define RK_TRAINER_H

#include <stdio.h>

#include "learn.h"
#include "samples.h"
#include "stabpen.h"
#include "taylorreg.h"
#include "weights.h"

enum { BLK_FAMILY, BLK_KEEP, BLK_STAB, NBLOCKS };

/* Terms besides the error: residual rows with their Jacobian, each
 * adding weight/2 * |rows|^2 to the criterion.  The constraint blocks
 * (family order, classical order) are also what projection solves. */
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
    double *ref_train, *ref_val, *err_val;
    objective obj;
    /* screening scores on every k-th training member only: ranking the
     * candidates needs far fewer members than training does.  Level 0 is
     * the finer; level 1 ranks all candidates, level 0 the best of them. */
    struct screen_level {
        sample_set set;
        double *ref;
        objective obj;
        int stride;         /* every stride-th training member; 0: no level */
    } screen[2];
    int screening;          /* loss() on screen[screening - 1] (0: on all members) */
    int S, Praw, Pq, R, keep;
    int manifold;           /* q are the free nodes of the closed form (manifold.h) */
    double *theta, *G, *r, *J, *Jq, *H, *g, *q, *rho;
    double tau;
    /* the optimiser's last two evaluations without a model (eval_memo) */
    struct eval_memo {
        double *q, *rho, f, gamma, tau;
        int valid;
    } memo[2];
    int memo_next;
    char why[RK_ERROR_MAX];  /* why the last validation failed */
    block blk[NBLOCKS];
    taylor_reg reg;         /* BLK_FAMILY: the Taylor regularizer */
    rk_forest keep_forest;  /* BLK_KEEP: classical order conditions */
    tree_weights keep_w;
    stab_pen stab;          /* BLK_STAB: the stability penalty */
    int projecting;         /* the constraints alone: projection onto them */
    int silent;             /* screening: no progress, no log, not counted */
    int start;              /* the start being trained */
    double surv_now;        /* --survive: survival_score of the current point */
    /* the baseline: the best built-in with S stages and order >= keep on
     * the validation members (baseline < 0: there is none) */
    int baseline;
    double *cls_val;        /* nclassical x val.n: their errors */
    double *best_err;       /* val.n: the errors of the best method so far */
    rk_tableau *best;
    double best_val;
    int best_surv;          /* --survive: the kept method's blow-ups on validation members */
    FILE *log;
    double t0;
    rk_error *err;
} trainer;

/* trainer.c */
double trainer_now(void);
int trainer_setup(trainer *tr, rk_error *err);
void trainer_free(trainer *tr);
void trainer_q_to_theta(const trainer *tr, const double *q, double *theta, double *G);
/* q of a tableau with S stages; -1 when it has none (off the closed form) */
int trainer_theta_to_q(const trainer *tr, const rk_tableau *t, double *q);
rk_tableau *trainer_tableau_at(const trainer *tr, const double *q);
double trainer_loss(trainer *tr, const double *q, int with_jacobian, double *gamma);
void trainer_train(trainer *tr, double *q);
void trainer_project(trainer *tr, double *q);
/* 1: q's method, validated through its generated C, is the best so far
 * and kept; 0: validated, not better; -1: refused (tr->why says why) */
int trainer_validate(trainer *tr, const double *q, double *gamma_val);
/* the same for a tableau (taken over) */
int trainer_validate_tableau(trainer *tr, rk_tableau *t, double *gamma_val);
/* the same for a tableau (taken over) whose errors on the validation
 * members are in tr->err_val already, blown of them not finite and surv
 * blown up on the long runs */
int trainer_judge(trainer *tr, rk_tableau *t, int blown, int surv, double *gamma_val);
int trainer_stopping(const trainer *tr);
void trainer_progress(trainer *tr, learn_phase phase, int done, int total, double gamma);

/* starts.c: K starts (K x Pq), best first; NULL when out of memory */
double *starts_choose(trainer *tr, int K);
int starts_searching(const trainer *tr);
void starts_survival_search(trainer *tr, double *q, int n, int k);
double survival_score(void *ctx, const double *q);
int survival_count(const trainer *tr, const rk_tableau *t, const sample_set *s, int n);
#define SURVIVAL_VAL 300

/* record.c */
int record_classical(trainer *tr);
void record_kept(trainer *tr);
int record_fresh(trainer *tr, const rk_tableau *t);
void record_local_errors(trainer *tr, const rk_tableau *t);

#endif
