/* handwritten_large.c - textbook RK4 for Lorenz-96, heat1d and heat2d
 * (handwritten_large.h): one right-hand side per system, boundaries
 * peeled, interior loops without a modulo, y + h/6 (k1 + 2 k2 + 2 k3 + k4),
 * restrict where arrays do not overlap so that the loops vectorise. */
#include "handwritten_large.h"

typedef void (*rhs_fn)(const double *restrict y, double *restrict dy, double c);

/* One RK4 step of n unknowns; work holds k1..k4 and the stage state.
 * Always inlined, so that f is a direct call the compiler can inline:
 * what a careful engineer gets writing one stepper per system. */
static inline __attribute__((always_inline)) void rk4(rhs_fn f, int n, double *restrict y, double h, double c, double *restrict work)
{
    double *restrict k1 = work, *restrict k2 = work + n, *restrict k3 = work + 2 * n;
    double *restrict k4 = work + 3 * n, *restrict ys = work + 4 * n;
    double h2 = 0.5 * h, h6 = h / 6.0;
    f(y, k1, c);
    for (int i = 0; i < n; i++)
        ys[i] = y[i] + h2 * k1[i];
    f(ys, k2, c);
    for (int i = 0; i < n; i++)
        ys[i] = y[i] + h2 * k2[i];
    f(ys, k3, c);
    for (int i = 0; i < n; i++)
        ys[i] = y[i] + h * k3[i];
    f(ys, k4, c);
    for (int i = 0; i < n; i++)
        y[i] += h6 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
}

static void l96_rhs(const double *restrict x, double *restrict dx, double F)
{
    const int N = L96_N;
    dx[0] = (x[1] - x[N - 2]) * x[N - 1] - x[0] + F;
    dx[1] = (x[2] - x[N - 1]) * x[0] - x[1] + F;
    for (int i = 2; i < N - 1; i++)
        dx[i] = (x[i + 1] - x[i - 2]) * x[i - 1] - x[i] + F;
    dx[N - 1] = (x[0] - x[N - 3]) * x[N - 2] - x[N - 1] + F;
}

static void heat1d_rhs(const double *restrict u, double *restrict du, double D)
{
    const int N = HEAT1D_N;
    const double dx = 1.0 / (N + 1.0), c = D / (dx * dx);
    du[0] = c * (u[1] - 2.0 * u[0]);
    for (int i = 1; i < N - 1; i++)
        du[i] = c * (u[i + 1] - 2.0 * u[i] + u[i - 1]);
    du[N - 1] = c * (u[N - 2] - 2.0 * u[N - 1]);
}

/* One row of the five-point stencil, its ends peeled; up or dn is NULL
 * on the first and last rows, where that neighbour is the boundary's 0.
 * The sums run in the family file's order. */
static void heat2d_row(const double *up, const double *mid, const double *dn, double *restrict out, double c)
{
    const int M = HEAT2D_N;
    if (up && dn) {
        out[0] = c * (dn[0] + up[0] + mid[1] - 4.0 * mid[0]);
        for (int j = 1; j < M - 1; j++)
            out[j] = c * (dn[j] + up[j] + mid[j + 1] + mid[j - 1] - 4.0 * mid[j]);
        out[M - 1] = c * (dn[M - 1] + up[M - 1] + mid[M - 2] - 4.0 * mid[M - 1]);
        return;
    }
    const double *nb = up ? up : dn;
    out[0] = c * (nb[0] + mid[1] - 4.0 * mid[0]);
    for (int j = 1; j < M - 1; j++)
        out[j] = c * (nb[j] + mid[j + 1] + mid[j - 1] - 4.0 * mid[j]);
    out[M - 1] = c * (nb[M - 1] + mid[M - 2] - 4.0 * mid[M - 1]);
}

static void heat2d_rhs(const double *restrict y, double *restrict dy, double D)
{
    const int N = HEAT2D_N;
    const double dx = 1.0 / (N + 1.0), c = D / (dx * dx);
    const double (*u)[HEAT2D_N] = (const double (*)[HEAT2D_N])y;
    double (*du)[HEAT2D_N] = (double (*)[HEAT2D_N])dy;
    heat2d_row(0, u[0], u[1], du[0], c);
    for (int i = 1; i < N - 1; i++)
        heat2d_row(u[i - 1], u[i], u[i + 1], du[i], c);
    heat2d_row(u[N - 2], u[N - 1], 0, du[N - 1], c);
}

void hand_lorenz96(double *x, double h, unsigned long nsteps, double F, double *work)
{
    for (unsigned long k = 0; k < nsteps; k++)
        rk4(l96_rhs, L96_N, x, h, F, work);
}

void hand_heat1d(double *u, double h, unsigned long nsteps, double D, double *work)
{
    for (unsigned long k = 0; k < nsteps; k++)
        rk4(heat1d_rhs, HEAT1D_N, u, h, D, work);
}

void hand_heat2d(double *u, double h, unsigned long nsteps, double D, double *work)
{
    for (unsigned long k = 0; k < nsteps; k++)
        rk4(heat2d_rhs, HEAT2D_N * HEAT2D_N, u, h, D, work);
}
