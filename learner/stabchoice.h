/* stabchoice.h - the learner's answer for a family whose step range lies
 * beyond the real stability interval of every classical method with the
 * stages asked for (issue 14): a many-stage method in ordered product
 * form (stabilized.h), designed for the family's spectrum with a damping
 * margin and chosen by its accuracy on training members, then judged on
 * fresh ones against the method with the longest interval.
 *
 * Why: for diffusion-like families stability, not accuracy, caps the
 * step of every classical method, while an s-stage method tuned to a
 * real negative spectrum is stable for steps that grow like s^2. */
#ifndef RK_STABCHOICE_H
#define RK_STABCHOICE_H

#include <stdint.h>

#include "famspectrum.h"
#include "stabilized.h"
#include "stats.h"

/* Dampings tried: |R| <= 1 - eps on the interval away from the origin. */
#define STABCHOICE_NEPS 7
/* Each damping's design in both forms, the Chebyshev form first: on a
 * linear problem the two give the same R, and the recurrence keeps
 * rounding errors near s where the product's grow like s^2, so a
 * product-form candidate is kept only when it is clearly more accurate
 * (by 10%) on the training members: on nonlinear terms it can be, as
 * its stages stay inside [t, t + h] where the recurrence's reach 2.4 h. */
#define STABCHOICE_NCAND (2 * STABCHOICE_NEPS)
#define STABCHOICE_PRODUCT_GAIN 0.9
/* Candidates whose training errors are within this fraction of the most
 * accurate one's tie (and so do errors at rounding, below); the tie goes to the longest interval among those
 * damped by at least STABCHOICE_TIE_MIN_EPS (an undamped design has no
 * margin at its interval's interior extrema). */
#define STABCHOICE_TIE 0.01
#define STABCHOICE_TIE_MIN_EPS 0.05
/* ... and errors below this many n eps (n steps) are rounding, the
 * method's and the reference's on a state of thousands of unknowns in
 * the max-norm: they tie whatever their ratio, and any of them is
 * accurate enough for whatever a user asks of an order-2 method. */
#define STABCHOICE_ROUNDING 1000
/* A many-stage method is the answer when h rho exceeds the classical
 * interval by this factor: nearer, a classical method meets instability
 * only at a few points of a few runs (Van der Pol's fast phase, Lorenz's
 * start), which the tableau learner's stability penalty handles. */
#define STABCHOICE_BEYOND 2.0
/* The tableau learner's limit: above it only many-stage methods exist. */
#define STABCHOICE_TABLEAU_MAX 16

typedef struct stabchoice_config {
    int stages, order;
    int force;           /* a many-stage method even where classical methods are stable */
    uint64_t seed;
    int samples, fresh;  /* training and fresh members; 0: by the family's size */
    int spectrum_members; /* 0: 16 */
} stabchoice_config;

typedef struct stabchoice_result {
    int chosen;               /* 1: a many-stage method is the answer */
    spectrum_summary spec;
    double rho;               /* spectrum_rho_bound: what stability must cover */
    double h_max, hrho;       /* the step range's top, and h_max * rho */
    double beta_classical;    /* the longest real interval of a classical method */
    char classical[32];       /* with at most as many stages as asked for */
    int ncand;
    double eps[STABCHOICE_NCAND], beta[STABCHOICE_NCAND];
    stab_form form[STABCHOICE_NCAND];
    double train_err[STABCHOICE_NCAND]; /* geometric mean; inf where not stable */
    int best;                 /* the candidate kept */
    int tied;                 /* 1: kept for its interval, as accurate as the most accurate */
    rk_stab *method;          /* owned */
    int samples, fresh;
    double fresh_err;         /* geometric mean on the fresh members */
    ratio_ci vs_widest;       /* kept / the eps = 0 design, fresh members */
    double nfev, nfev_rk4;    /* f evaluations to the horizon: the kept method at the
                                 family's largest step; rk4 at its largest stable step */
    int min_stages;           /* when no candidate is stable: the fewest that are */
    char why[512];            /* why the product form (or why not) */
    double seconds;
} stabchoice_result;

/* Measures the family's spectrum and decides; with the product form
 * chosen, designs, trains and judges it.  0 with r filled (r->chosen
 * says whether the product form is the answer), 2 with err set when no
 * method of the stages asked for is stable over the family (err names
 * the stages that would be) or the order cannot be had in this form,
 * -1 with err set on other failures. */
int stabchoice_run(const rk_family *f, const stabchoice_config *c, stabchoice_result *r,
                   rk_error *err);
void stabchoice_free(stabchoice_result *r);

#endif
