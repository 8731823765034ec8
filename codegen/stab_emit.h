/* stab_emit.h - a family and a many-stage method in ordered product form
 * (stabilized.h) in, a stepper's .h and .c text out
 * (templates/stabilized.*.in): a loop over the factors with their
 * coefficients in a static const table, the public interface of the
 * tableau steppers, and the operations of stab_step in its order. */
#ifndef RK_STAB_EMIT_H
#define RK_STAB_EMIT_H

#include "emit.h"
#include "stabilized.h"

/* prefix = family + "_" + method, as emit_default_prefix makes it. */
int stab_default_prefix(const rk_family *f, const rk_stab *m, char *prefix, rk_error *err);
/* Refuses a method with no factor, an unknown kind or a non-finite
 * coefficient (err says which). */
int stab_emit_stepper(const rk_family *f, const rk_stab *m, const emit_opts *o,
                      emit_result *out, rk_error *err);

#endif
