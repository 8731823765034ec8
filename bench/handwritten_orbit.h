/* handwritten_orbit.h - hand-written RK4 steppers for the orbit family of
 * bench/orbit.ode,
 *
 *     x' = vx,  y' = vy,  vx' = -mu x / (x^2 + y^2)^1.5,  vy' likewise,
 *
 * the baselines the generated orbit stepper is timed against in
 * bench_orbit.c.  The state is (x, y, vx, vy). */
#ifndef HANDWRITTEN_ORBIT_H
#define HANDWRITTEN_ORBIT_H

/* The plain transcription: each acceleration computes its own pow. */
void handwritten_orbit_integrate(double y[4], double h, unsigned long nsteps, double mu);

/* A diagnostic: the same with the pow computed once per evaluation, as a
 * careful engineer (and the generator) would write it. */
void handwritten_orbit_cse_integrate(double y[4], double h, unsigned long nsteps, double mu);

#endif
