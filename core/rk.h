/* rk.h - the engine's own explicit Runge-Kutta step.
 *
 * It performs exactly the operations of the generated C (see
 * codegen/emit.c): each coefficient is multiplied by h once per step
 * (h*1 = h and h*(-1) = -h exactly), the stage sums
 * sum_j (h a_ij) k_j accumulate left to right over the nonzero
 * coefficients and are then added to y, and the step time of stage i is
 * t + c_i*h.  So a generated stepper compiled without
 * floating-point contraction reproduces this one bit for bit, which is
 * what `rkgen emit` checks through libtcc.
 */
#ifndef RK_RK_H
#define RK_RK_H

#include "tableau.h"

typedef void (*rk_rhs_fn)(void *ctx, double t, const double *y, double *dydt);
typedef void (*rk_rhsf_fn)(void *ctx, float t, const float *y, float *dydt);

/* Doubles (or floats) of workspace a step of an n-dimensional system needs. */
#define RK_WORK(s, n) (((size_t)(s) + 1) * (size_t)(n))

void rk_step(const rk_tableau *tb, rk_rhs_fn f, void *ctx, int n, double t,
             double *y, double h, double *work);
/* nsteps steps from t0; step k starts at t0 + k*h. */
void rk_integrate(const rk_tableau *tb, rk_rhs_fn f, void *ctx, int n,
                  double t0, double *y, double h, unsigned long nsteps,
                  double *work);

/* The same in float, with the tableau rounded to float, for --real float. */
void rk_stepf(const rk_tableau *tb, rk_rhsf_fn f, void *ctx, int n, float t,
              float *y, float h, float *work);
void rk_integratef(const rk_tableau *tb, rk_rhsf_fn f, void *ctx, int n,
                   float t0, float *y, float h, unsigned long nsteps,
                   float *work);

#endif
