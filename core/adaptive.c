/* adaptive.c - the engine's adaptive integrator for embedded pairs, in
 * double and in float (adaptive.h). */
#include "adaptive.h"

#include <math.h>
#include <string.h>

int rk_adapt_order(const rk_tableau *tb)
{
    int p = tb->order, q = tb->embedded_order;
    if (p <= 0)
        return q;
    return q > 0 && q < p ? q : p;
}

#define REAL double
#define FN rk_rhs_fn
#define DENSE rk_adapt_dense
#define FABS fabs
#define SQRT sqrt
#define POW pow
#define NEXTAFTER nextafter
#define FINITE finite_d
#define NORM norm_d
#define CLIP clip_d
#define RMS_SCALED rms_scaled_d
#define INITIAL initial_d
#define WSUM wsum_d
#define ATTEMPT attempt_d
#define FACTOR factor_d
#define SHRINK shrink_d
#define HERMITE hermite_d
#define LOOP loop_d
#define OUTPUTS outputs_d
#define STEPS steps_d
#define BAD_ARGS bad_args_d
#define SOLVE rk_adapt_solve
#include "adaptive.inc"
#undef REAL
#undef FN
#undef DENSE
#undef FABS
#undef SQRT
#undef POW
#undef NEXTAFTER
#undef FINITE
#undef NORM
#undef CLIP
#undef RMS_SCALED
#undef INITIAL
#undef WSUM
#undef ATTEMPT
#undef FACTOR
#undef SHRINK
#undef HERMITE
#undef LOOP
#undef OUTPUTS
#undef STEPS
#undef BAD_ARGS
#undef SOLVE

#define REAL float
#define FN rk_rhsf_fn
#define DENSE rk_adapt_densef
#define FABS fabsf
#define SQRT sqrtf
#define POW powf
#define NEXTAFTER nextafterf
#define FINITE finite_f
#define NORM norm_f
#define CLIP clip_f
#define RMS_SCALED rms_scaled_f
#define INITIAL initial_f
#define WSUM wsum_f
#define ATTEMPT attempt_f
#define FACTOR factor_f
#define SHRINK shrink_f
#define HERMITE hermite_f
#define LOOP loop_f
#define OUTPUTS outputs_f
#define STEPS steps_f
#define BAD_ARGS bad_args_f
#define SOLVE rk_adapt_solvef
#include "adaptive.inc"
