/* handwritten_large.h - RK4 for three large systems as a careful engineer
 * writes them by hand: the right-hand side a loop with its boundaries
 * peeled, the stages in caller-owned arrays, and the same arithmetic as
 * the family files (examples/lorenz96.ode, heat1d.ode, heat2d.ode), so
 * that the end states can be compared with the generated code's bits. */
#ifndef HANDWRITTEN_LARGE_H
#define HANDWRITTEN_LARGE_H

#define L96_N 1000
#define HEAT1D_N 1000
#define HEAT2D_N 300

/* work: 5 * n doubles (k1..k4 and the stage state) */
void hand_lorenz96(double *x, double h, unsigned long nsteps, double F, double *work);
void hand_heat1d(double *u, double h, unsigned long nsteps, double D, double *work);
void hand_heat2d(double *u, double h, unsigned long nsteps, double D, double *work);

#endif
