/* objective.h - residuals and their exact Jacobian for training.
 *
 * The tableau's raw coefficients are theta = (a_21, a_31, a_32, ...,
 * b_1, ..., b_s), with c = A*1.  For each training member the method is
 * run in batch (batch.h) with one tangent per coefficient, either for
 * one step (the paper's scaled one-step loss) or for all the steps to
 * the horizon (the global error users measure).  Residuals are the error
 * components divided by the reference method's error for that member,
 * so their mean square is the paper's scaled loss (eq. 19).
 *
 * The members run in blocks small enough for their stages and tape to
 * stay in the cache (a block's working set grows with the dimension),
 * the blocks shared among threads that each reuse one workspace: memory
 * is threads x block x dim x stages x tangents, not members x that.
 * Each member's residuals depend on that member alone, so neither the
 * blocks nor the threads change a bit of the result. */
#ifndef RK_OBJECTIVE_H
#define RK_OBJECTIVE_H

#include "batch.h"
#include "family.h"
#include "samples.h"

/* OBJ_TAYLOR: the Taylor regularizer alone (the residuals below are
 * still computed, for reporting, but carry no weight). */
typedef enum objective_kind { OBJ_GLOBAL, OBJ_ONESTEP, OBJ_TAYLOR } objective_kind;

typedef struct objective {
    const rk_family *f;
    const sample_set *s;
    objective_kind kind;
    int stages, P;         /* P = s(s-1)/2 + s raw coefficients */
    int T;                 /* tangents carried (P, or fewer along directions) */
    const double *D;       /* NULL: tangent r along coefficient r; else D (P x T) */
    int unroll;            /* OBJ_ONESTEP: steps per member (the paper's step) */
    double *scale;         /* per member: 1 / reference error */
    int *order;            /* members by number of steps, most first */
    int nblocks, *start;   /* block b is order[start[b] .. start[b+1]) */
    int cap;               /* members in the largest block */
    int nwork;             /* threads, each with a workspace */
    struct obj_work *work;
    int *bad;              /* per block: residuals that blew up */
} objective;

int objective_init(objective *o, const rk_family *f, const sample_set *s,
                   objective_kind kind, int unroll, int stages, const double *ref_err);
void objective_free(objective *o);

/* Blocks of at most cap members (0: as many as the cache holds, the
 * default), for tests and measurements; 0, or -1 when out of memory
 * (o is then freed). */
int objective_reblock(objective *o, int cap);

/* Number of residuals: members * dim. */
int objective_nres(const objective *o);

/* Residuals r (nres) and, if J is not NULL, J (nres x P, row-major) at
 * raw coefficients theta.  Returns the number of residuals that blew up
 * (not finite or above OBJECTIVE_SATURATE): those are set to
 * OBJECTIVE_SATURATE with zero gradient. */
#define OBJECTIVE_SATURATE 1e8
int objective_eval(objective *o, const double *theta, double *r, double *J);

/* The same with T tangents along the columns of D (P x T, row-major):
 * J (nres x T) is then the Jacobian times D, at a T/P part of the cost.
 * For training on a parametrisation of few unknowns (manifold.h). */
int objective_init_dir(objective *o, const rk_family *f, const sample_set *s, objective_kind kind,
                       int unroll, int stages, const double *ref_err, int T);
int objective_eval_dir(objective *o, const double *theta, const double *D, double *r, double *J);

/* Index of a_ij (0-based, j < i) and of b_j in theta. */
int theta_a(int i, int j);
int theta_b(int s, int j);

#endif
