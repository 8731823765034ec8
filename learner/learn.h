/* learn.h - meta-learning a tableau for a family (paper 000, Algorithm 1,
 * with the global-error objective as the default).
 *
 * The free coefficients are the strictly lower-triangular A and b of an
 * explicit s-stage method, c = A*1, with sum(b) = 1 kept exactly (by
 * eliminating b_s, or by softmax).  The classical order conditions up to
 * the target order hold exactly unless the user trades them away
 * (trade_order).  Training minimises the error against a classical
 * method of the target order, from starts spread over the methods of
 * that order; the tableau kept is the one with the best validation
 * ratio, measured through its generated C compiled with libtcc, and
 * never one worse than the best built-in with as many stages (the
 * baseline): when nothing beats it by more than the noise, the baseline
 * itself is the result.  The record gives the numbers on fresh members,
 * never trained or selected on. */
#ifndef RK_LEARN_H
#define RK_LEARN_H

#include <stdint.h>
#include "diag.h"
#include "family.h"
#include "objective.h"
#include "tableau.h"

typedef enum optimizer_kind { OPT_LM, OPT_ADAM, OPT_LOOKAHEAD } optimizer_kind;
typedef enum weights_kind { WEIGHTS_FREE, WEIGHTS_SOFTMAX } weights_kind;
typedef enum loss_kind { LOSS_GEOMEAN, LOSS_SCALED } loss_kind;

/* What learn_run reports while it runs (the library prints nothing). */
typedef enum learn_phase { LEARN_SCREEN, LEARN_SEARCH, LEARN_TRAIN } learn_phase;
typedef struct learn_progress {
    learn_phase phase;
    int done, total;          /* candidates screened or searched, iterations trained */
    int start, starts;        /* LEARN_TRAIN: the start being trained, of how many */
    double gamma_train, best_gamma_val, seconds, eta;
} learn_progress;
typedef void (*learn_progress_fn)(void *ctx, const learn_progress *p);

typedef struct learn_config {
    int stages, order;
    uint64_t seed;
    int samples, val_samples;
    objective_kind objective;
    loss_kind loss;           /* geomean: sum of log error ratios; scaled: the paper's mean square */
    int unroll;               /* OBJ_ONESTEP: steps per member */
    double mu;                /* weight of the paper's Taylor regularizer */
    int family_order;         /* > 0: make the method exactly of this order on the family */
    int keep_order;           /* classical order held exactly; 0: the target order, or
                                 as far as the barrier allows with family_order */
    int trade_order;          /* the order conditions are not held (unless keep_order):
                                 the method may trade its order for accuracy in range */
    int polish;               /* the kept conditions are made exact in MPFR at the end */
    int fresh_samples;        /* fresh members the record's numbers are measured on */
    double train_below;       /* extra training members one decade below the step range, as a fraction */
    double stability_weight;  /* weight of the stability penalty (paper 001) */
    double survive;           /* > 0: a method must stay bounded this many time units
                                 beyond the horizon (survival.h): starts are screened,
                                 steps kept and the best chosen by that first */
    int survive_search;       /* with survive > 0: scores per candidate in the survival search */
    int survive_starts;       /* ... candidates searched, of which the best restarts+1 are trained */
    optimizer_kind optimizer;
    int iters;                /* per start */
    int restarts;             /* starts besides the best screened one */
    int screen;               /* candidates screened to choose the starts */
    double lr;                /* Adam */
    int lr_decay;             /* Adam: lr x0.1 every lr_decay iterations */
    weights_kind weights;
    double ratio_lim;         /* stop when gamma_train falls below */
    int val_every;            /* validate through the JIT every K iterations; 0: at the end of each start */
    int quiet;
    const char *log_path;     /* training curve CSV, or NULL */
    volatile int *stop;       /* set asynchronously (Ctrl-C): stop and keep the best */
    learn_progress_fn progress;
    void *progress_ctx;
} learn_config;

void learn_defaults(learn_config *c);

/* The classical order the run holds exactly: keep_order, else 0 with
 * trade_order, else the target order as far as the stage count reaches
 * (with family_order; without it a target beyond the barrier is bad
 * input, learn_check). */
int learn_kept_order(const learn_config *c);
/* 0, or 2 with err naming the problem and what to do (the barrier). */
int learn_check(const learn_config *c, rk_error *err);

/* Step bands of the fresh numbers: each member's own step, divided and
 * multiplied by 10. */
enum { BAND_BELOW, BAND_RANGE, BAND_ABOVE, NBANDS };

typedef struct learn_metrics {
    double gamma_train;       /* (e / e_ref)^2 on the training members: the mean for
                                 the scaled loss (the paper's gamma), the geometric
                                 mean for the geometric loss */
    double gamma_val;         /* the same on the validation members, through the JIT */
    char reference[32];       /* the classical method of the target order */
    int nclassical;
    char classical[8][32];    /* built-ins with the same number of stages */
    double ratio_classical[8];/* geometric-mean error ratio on validation, over
                                 the members neither method blows up on */
    int blown_val;            /* validation members the method blows up on */
    int blown_classical[8];   /* ... and each classical method */
    int survival_members;     /* with survive > 0: validation members run on */
    int survival_blown;       /* ... those the method blows up on */
    int survival_classical[8];/* ... and each classical method */
    /* max over validation members of |[h^q](yhat - y)| / |[h^q] y|, in
     * MPFR, q = 1..local_error_orders (the target order + 1) */
    double local_error[16];
    int local_error_orders;
    int iterations, starts, best_start;
    int interrupted;
    const char *truth;
    int order_kept;           /* classical order held exactly (0: none) */
    int polished;             /* ... to 256 bits in MPFR */
    int polish_order, polish_family_order;
    double polish_moved;      /* the largest change polishing made */
    char polish_error[RK_ERROR_MAX]; /* why polishing failed, or empty */
    double seconds;           /* the whole run */
    /* the baseline: the best built-in with the stages and order >= the
     * kept one on the validation members; baseline_k indexes classical[] */
    char baseline[32];
    int baseline_k;
    double baseline_ratio, baseline_ci[2]; /* learned / baseline on validation, 90% CI */
    int fallback;             /* nothing beat the baseline: the result is it */
    /* on fresh members (the test stream), per band: the ratio against
     * every classical method with its 90% bootstrap CI over members */
    int fresh_members;        /* in range; a quarter of them below and above */
    double fresh_ratio[NBANDS][8], fresh_ci[NBANDS][8][2];
    int fresh_blown[NBANDS];  /* fresh members the result blows up on */
    double observed_order;    /* slope of log error over the decade below the range */
    double train_ratio;       /* against the baseline on the training members in range */
    double gap;               /* fresh in-range ratio / train_ratio - 1 */
    double crossover_h;       /* trade_order: below this h it loses to the baseline;
                                 0: not within two decades below the range */
} learn_metrics;

/* 0: tableau learned (*out, metrics filled); 1: training diverged or no
 * start produced a finite method (err says why); 2: bad input. */
int learn_run(const rk_family *f, const learn_config *c, rk_tableau **out,
              learn_metrics *m, rk_error *err);

/* The tableau's metadata: configuration, metrics, family hash (JSON). */
char *learn_metadata(const rk_family *f, const learn_config *c, const learn_metrics *m);

#endif
