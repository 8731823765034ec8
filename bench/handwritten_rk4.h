/* handwritten_rk4.h - a hand-written classical RK4 for Van der Pol,
 *
 *     u' = v,   v' = a (1 - u^2) v - u,
 *
 * the baseline the generated stepper (generated/vanderpol_rk4.c) is
 * timed against in bench_stepper.c.  Same API shape as the generated
 * one: one step in place, and a loop of n steps in this file. */
#ifndef HANDWRITTEN_RK4_H
#define HANDWRITTEN_RK4_H

void handwritten_rk4_step(double t, double y[2], double h, double a);
void handwritten_rk4_integrate(double t0, double y[2], double h,
                               unsigned long nsteps, double a);

/* The same, except that the last update is summed the generated way,
 * y + h (b1 k1 + b2 k2 + b3 k3 + b4 k4) with b rounded 1/6 and 1/3: a
 * diagnostic variant, bit-identical to the generated stepper. */
void handwritten_rk4_bsum_step(double t, double y[2], double h, double a);
void handwritten_rk4_bsum_integrate(double t0, double y[2], double h,
                                    unsigned long nsteps, double a);

#endif
