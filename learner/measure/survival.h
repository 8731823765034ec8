/* survival.h - whether a method stays bounded over a long run.
 *
 * A method trained for large steps (--stability-weight) must above all
 * not blow up.  Each member is continued from its true state at the
 * horizon, which for a family with an attractor lies on or near it,
 * for `span` more time units at the member's own step; the members on
 * which the method's solution leaves every bound are counted.  No truth
 * is needed: for a chaotic system none would be meaningful that long.
 */
#ifndef RK_SURVIVAL_H
#define RK_SURVIVAL_H

#include <stddef.h>

#include "family.h"
#include "samples.h"
#include "tableau.h"

/* Members among the first n of s (all if n <= 0 or n > s->n) on which t
 * blows up: a state not finite, or larger than SURVIVAL_BOUND times the
 * member's true state at the horizon (plus 1).  With h > 0 every member
 * steps with h instead of its own step. */
#define SURVIVAL_BOUND 1e6
int survival_blowups(const rk_family *f, const rk_tableau *t, const sample_set *s, int n,
                     double span, double h);

/* A finer measure for searching: the part of the span each member loses
 * to a blow-up, summed (0 when every member survives; a member that
 * blows up at once loses 1), h as for survival_blowups.  The sum is the same bits for any number of
 * threads. */
double survival_lost(const rk_family *f, const rk_tableau *t, const sample_set *s, int n,
                     double span, double h);

/* The same for any stepper: advance(ctx, scratch, t, y, h, n, p) takes n
 * steps of h from (t, y) in place, p the member's parameters, with
 * `scratch_bytes` of scratch (suitably aligned for double) that is the
 * calling thread's own.  It must be safe to call from several threads
 * at once. */
typedef void (*survival_advance)(void *ctx, void *scratch, double t, double *y, double h,
                                 unsigned long n, const double *p);
int survival_blowups_with(const rk_family *f, survival_advance advance, void *ctx,
                          size_t scratch_bytes, const sample_set *s, int n, double span);

#endif
