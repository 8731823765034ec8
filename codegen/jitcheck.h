/* jitcheck.h - does the compiled stepper compute what the engine does?
 *
 * Random members of the family (a fixed seed, so the check itself is
 * reproducible) are integrated for a few dozen steps, one step at a time,
 * by the JIT-compiled stepper and by rk_step (stab_step for a method in
 * ordered product form) on the expression engine, which performs the
 * same operations in the same order.  After every
 * step, up to the first that leaves the finite numbers, they must agree
 * to a few units in the last place. */
#ifndef RK_JITCHECK_H
#define RK_JITCHECK_H

#include "diag.h"
#include "family.h"
#include "jit.h"
#include "stab_ladder.h"
#include "stabilized.h"
#include "tableau.h"

#define JITCHECK_MEMBERS 8
#define JITCHECK_STEPS 40
#define JITCHECK_ULPS 4.0
/* Large systems get fewer members and steps, down to one member of
 * JITCHECK_MIN_STEPS steps: members x steps x dimension stays within
 * this, so that the check of 10^5 unknowns takes a fraction of a second.
 * Every component is still compared after every step. */
#define JITCHECK_BUDGET 200000
#define JITCHECK_MIN_STEPS 4

typedef struct jitcheck_report {
    int members;      /* members compared */
    int steps;        /* steps each */
    double max_ulps;  /* largest difference, in ulps of the state's size */
} jitcheck_report;

/* 0: agree; 1: disagree (err says where); 2: no member of the family
 * stayed finite long enough to compare (err says so). */
int jitcheck_run(const rk_family *f, const rk_tableau *t, int is_float,
                 const jit_stepper *js, jitcheck_report *rep, rk_error *err);
/* The same for a stepper emitted from a method in ordered product form
 * (stab_emit.h), against stab_step. */
int jitcheck_run_stab(const rk_family *f, const rk_stab *m, int is_float,
                      const jit_stepper *js, jitcheck_report *rep, rk_error *err);
/* The same for a ladder stepper (ladder_emit.h, js->lstep or lstepf),
 * against stab_ladder_step: the steps take rho = JITCHECK_INSIDE beta_r
 * / h for each rung r in turn, then 2.5 beta_top / h (substeps), going
 * on from member to member, so that every rung is compared on a small
 * family; both must count the same evaluations. */
#define JITCHECK_INSIDE 0.999
/* Its _rho is compared on this many members, cold and warm, with the
 * engine's power method (spectrum.h, in max-norms): the same bits in
 * double, within this fraction in float (whose perturbation is
 * 2^-12 |y| against double's 2^-26). */
#define JITCHECK_RHO_MEMBERS 3
#define JITCHECK_RHO_FLOAT 0.05
int jitcheck_run_ladder(const rk_family *f, const rk_stab_ladder *L, int is_float,
                        const jit_stepper *js, jitcheck_report *rep, rk_error *err);

#endif
