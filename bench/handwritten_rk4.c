/* handwritten_rk4.c - what a careful engineer would write by hand for
 * Van der Pol RK4: scalars instead of arrays, the right-hand side written
 * out inline, and the textbook update y + h/6 (k1 + 2 k2 + 2 k3 + k4).
 *
 * That update is NOT the generated stepper's operation order (which
 * computes y + h (b1 k1 + b2 k2 + b3 k3 + b4 k4) with b = 1/6, 1/3
 * rounded), so results agree to rounding, not bit for bit; it is also
 * two multiplications per component cheaper, i.e. a slightly stricter
 * baseline.  The stage updates y + (h/2) k are bit-identical to the
 * generated h (0.5 k), since scaling by 0.5 is exact. */
#include "handwritten_rk4.h"

void handwritten_rk4_step(double t, double y[2], double h, double a)
{
    const double u = y[0], v = y[1];
    const double h2 = 0.5 * h;
    double uu, vv;

    (void)t; /* autonomous system */

    const double k1u = v;
    const double k1v = a * (1.0 - u * u) * v - u;

    uu = u + h2 * k1u;
    vv = v + h2 * k1v;
    const double k2u = vv;
    const double k2v = a * (1.0 - uu * uu) * vv - uu;

    uu = u + h2 * k2u;
    vv = v + h2 * k2v;
    const double k3u = vv;
    const double k3v = a * (1.0 - uu * uu) * vv - uu;

    uu = u + h * k3u;
    vv = v + h * k3v;
    const double k4u = vv;
    const double k4v = a * (1.0 - uu * uu) * vv - uu;

    const double h6 = h / 6.0;
    y[0] = u + h6 * (k1u + 2.0 * k2u + 2.0 * k3u + k4u);
    y[1] = v + h6 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v);
}

void handwritten_rk4_integrate(double t0, double y[2], double h,
                               unsigned long nsteps, double a)
{
    for (unsigned long i = 0; i < nsteps; i++)
        handwritten_rk4_step(t0 + (double)i * h, y, h, a);
}

/* The generated stepper's weights, rounded to double (1/6 and 1/3). */
#define B16 0x1.5555555555555p-3
#define B13 0x1.5555555555555p-2

/* Identical to handwritten_rk4_step up to the last update, which is
 * summed in the generated stepper's order: y + ((h b1) k1 + ... + (h b4) k4)
 * with the products h b_j formed once per step.  The stage updates
 * y + (h/2) k are the generated y + ha21 k with ha21 = h * 0.5.  So this
 * step is bit-identical to vanderpol_rk4_step, and the time difference
 * between the two is what the generated code's arrays, loops and calls
 * cost, not its arithmetic. */
void handwritten_rk4_bsum_step(double t, double y[2], double h, double a)
{
    const double u = y[0], v = y[1];
    const double h2 = 0.5 * h;
    double uu, vv;

    (void)t;

    const double k1u = v;
    const double k1v = a * (1.0 - u * u) * v - u;

    uu = u + h2 * k1u;
    vv = v + h2 * k1v;
    const double k2u = vv;
    const double k2v = a * (1.0 - uu * uu) * vv - uu;

    uu = u + h2 * k2u;
    vv = v + h2 * k2v;
    const double k3u = vv;
    const double k3v = a * (1.0 - uu * uu) * vv - uu;

    uu = u + h * k3u;
    vv = v + h * k3v;
    const double k4u = vv;
    const double k4v = a * (1.0 - uu * uu) * vv - uu;

    const double hb16 = h * B16, hb13 = h * B13;
    y[0] = u + (hb16 * k1u + hb13 * k2u + hb13 * k3u + hb16 * k4u);
    y[1] = v + (hb16 * k1v + hb13 * k2v + hb13 * k3v + hb16 * k4v);
}

void handwritten_rk4_bsum_integrate(double t0, double y[2], double h,
                                    unsigned long nsteps, double a)
{
    for (unsigned long i = 0; i < nsteps; i++)
        handwritten_rk4_bsum_step(t0 + (double)i * h, y, h, a);
}
