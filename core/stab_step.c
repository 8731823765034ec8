/* stab_step.c - the engine's step of a many-stage method in either form
 * (stabilized.h), written so that the emitted stepper
 * (templates/stabilized.c.in) performs the same roundings in the same
 * order and the libtcc check can ask for the same bits.
 *
 * The rounding contract, the one rk.h states for tableaux: every
 * coefficient is multiplied by h once per factor (ha = h*alpha,
 * h*a, h*b1, h*b2), a quadratic factor's update is y + (hb1 K1 + hb2 K2)
 * with the sum formed first, and the running time advances by the same
 * products (t_Y + ha, t_Y + (hb1 + hb2)).  Every factor goes through the
 * same operations, whatever its coefficients (no shortcut for 0 or 1),
 * because the emitted stepper is one loop over a table.  The Chebyshev
 * form's contract: hm = h*mu, hm2 = hm + hm, stage k (from 2) is
 * (2Y_{k-1} as Y + Y) - Y_{k-2} + hm2 F, added to the sum as w_k Y_k,
 * and its f is evaluated at t + h*(mu (k-1)^2). */
#include "stabilized.h"

#define CONCAT_(a, b) a##b
#define CONCAT(a, b) CONCAT_(a, b)

#define REAL double
#define FN rk_rhs_fn
#define STEP stab_step
#include "stab_step.inc"
#undef REAL
#undef FN
#undef STEP

#define REAL float
#define FN rk_rhsf_fn
#define STEP stab_stepf
#include "stab_step.inc"
