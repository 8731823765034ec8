/* handwritten_orbit.c - what an engineer would write for the orbit
 * family by transcribing its equations, and the same with the common
 * factor computed once (handwritten_orbit.h).
 *
 * Both steps use the generated stepper's operation order (stage states
 * y + (h a_ij) k, final update y + sum (h b_j) k_j with b rounded 1/6
 * and 1/3), and -mu * x / pow(...) is the generated expression, so all
 * three are bit-identical and the timings differ only by the code. */
#include "handwritten_orbit.h"

#include <math.h>

/* The rounded RK4 weights 1/6 and 1/3. */
#define B16 0x1.5555555555555p-3
#define B13 0x1.5555555555555p-2

typedef void (*orbit_rhs)(const double s[4], double d[4], double mu);

/* Each pow is a call that -fmath-errno keeps the compiler from merging. */
static inline void plain_rhs(const double s[4], double d[4], double mu)
{
    d[0] = s[2];
    d[1] = s[3];
    d[2] = -mu * s[0] / pow(s[0] * s[0] + s[1] * s[1], 1.5);
    d[3] = -mu * s[1] / pow(s[0] * s[0] + s[1] * s[1], 1.5);
}

static inline void cse_rhs(const double s[4], double d[4], double mu)
{
    const double r3 = pow(s[0] * s[0] + s[1] * s[1], 1.5);
    d[0] = s[2];
    d[1] = s[3];
    d[2] = -mu * s[0] / r3;
    d[3] = -mu * s[1] / r3;
}

/* n RK4 steps in place; inlined into each caller with its f. */
static inline void integrate_with(orbit_rhs f, double y[4], double h, unsigned long n,
                                  double mu)
{
    const double ha = h * 0.5, hb16 = h * B16, hb13 = h * B13;
    double k1[4], k2[4], k3[4], k4[4], ys[4];
    int i;

    for (unsigned long step = 0; step < n; step++) {
        f(y, k1, mu);
        for (i = 0; i < 4; i++)
            ys[i] = y[i] + ha * k1[i];
        f(ys, k2, mu);
        for (i = 0; i < 4; i++)
            ys[i] = y[i] + ha * k2[i];
        f(ys, k3, mu);
        for (i = 0; i < 4; i++)
            ys[i] = y[i] + h * k3[i];
        f(ys, k4, mu);
        for (i = 0; i < 4; i++)
            y[i] += hb16 * k1[i] + hb13 * k2[i] + hb13 * k3[i] + hb16 * k4[i];
    }
}

void handwritten_orbit_integrate(double y[4], double h, unsigned long nsteps, double mu)
{
    integrate_with(plain_rhs, y, h, nsteps, mu);
}

void handwritten_orbit_cse_integrate(double y[4], double h, unsigned long nsteps, double mu)
{
    integrate_with(cse_rhs, y, h, nsteps, mu);
}
