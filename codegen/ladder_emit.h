/* ladder_emit.h - a family and a many-stage method's ladder
 * (stab_ladder.h) in, a stepper's .h and .c text out
 * (templates/ladder.h.in, ladder_chebyshev.c.in or ladder_product.c.in,
 * then ladder.c.in): every rung's coefficients in static const tables,
 * and the step that picks the fewest stages whose interval covers h rho,
 * with stab_ladder_step's operations in its order. */
#ifndef RK_LADDER_EMIT_H
#define RK_LADDER_EMIT_H

#include "emit.h"
#include "stab_ladder.h"

/* The method's default prefix with "_ladder" after it. */
int ladder_default_prefix(const rk_family *f, const rk_stab *m, char *prefix, rk_error *err);
int ladder_emit_stepper(const rk_family *f, const rk_stab_ladder *L, const emit_opts *o,
                        emit_result *out, rk_error *err);

#endif
