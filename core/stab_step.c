/* stab_step.c - the engine's step of a method in ordered product form
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
 * because the emitted stepper is one loop over a table. */
#include "stabilized.h"

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
