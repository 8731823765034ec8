/* rk.c - the engine's explicit Runge-Kutta step, in double and in float. */
#include "rk.h"

#include <stddef.h>

#define REAL double
#define FN rk_rhs_fn
#define STEP rk_step
#define INTEGRATE rk_integrate
#define STEP_WITH step_with
#define STAGE_SUM stage_sum
#include "rk_step.inc"
#undef REAL
#undef FN
#undef STEP
#undef INTEGRATE
#undef STEP_WITH
#undef STAGE_SUM

#define REAL float
#define FN rk_rhsf_fn
#define STEP rk_stepf
#define INTEGRATE rk_integratef
#define STEP_WITH step_withf
#define STAGE_SUM stage_sumf
#include "rk_step.inc"
