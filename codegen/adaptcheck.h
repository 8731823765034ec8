/* adaptcheck.h - does the compiled adaptive solver do what the engine's
 * rk_adapt_solve does?
 *
 * Sampled members of the family (a fixed seed) are integrated over 40 of
 * their sampled steps at two tolerances by the JIT-compiled
 * PREFIX_solve_dense, PREFIX_solve and by the engine.  Status, counts of
 * evaluations, accepted and rejected steps, the final state and the
 * dense outputs must agree bit for bit; a member that fails (too many
 * steps, a non-finite state) must fail the same way. */
#ifndef RK_ADAPTCHECK_H
#define RK_ADAPTCHECK_H

#include "diag.h"
#include "family.h"
#include "jit.h"
#include "jitcheck.h"
#include "tableau.h"

#define ADAPTCHECK_OUTPUTS 5

/* 0: agree (rep->members runs compared, rep->steps the accepted steps
 * of all of them, rep->max_ulps 0); 1: they differ (err says where);
 * 2: an entry point is missing or out of memory. */
int adaptcheck_run(const rk_family *f, const rk_tableau *t, int is_float, rk_jit *jit,
                   const char *prefix, jitcheck_report *rep, rk_error *err);

#endif
