/* stabpen.c - the stability penalty of paper 001 and its gradient, at
 * z = h times the Jacobian eigenvalues along the training members. */
#include "stabpen.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objective.h"
#include "reference.h"
#include "series.h"
#include "spectrum.h"

static int add_modes(stab_pen *sp, const rk_family *f, const double *p, const double *y,
                     double h, double *work)
{
    int d = f->dim;
    double J[STABPEN_MAX_DIM * STABPEN_MAX_DIM];
    double complex z[STABPEN_MAX_DIM];
    /* the modes of y' = f(y) at time 0, as the penalty was defined */
    if (spec_jacobian(f, p, 0, y, work, J) != 0)
        return 0;
    spec_eigenvalues(d, J, z);
    for (int i = 0; i < d; i++)
        if (isfinite(creal(z[i])) && isfinite(cimag(z[i]))) {
            sp->zr[sp->nz] = h * creal(z[i]);
            sp->zi[sp->nz++] = h * cimag(z[i]);
        }
    return 0;
}

/* Modes at STABPEN_STATES + 1 points of member i's true trajectory: the
 * Jacobian changes along the way (Lorenz's varies fivefold), and a mode
 * missed is a step that blows up. */
static int along_trajectory(stab_pen *sp, const rk_family *f, reference *ref,
                            const sample_set *s, int i, double *work)
{
    int d = f->dim;
    const double *p = s->p + i * f->nparam;
    double *y = work + ex_series_work(&f->rhs, 1) + 4 * (size_t)d + 2;
    rk_error err = {{0}};
    memcpy(y, s->y0 + i * d, (size_t)d * sizeof *y);
    add_modes(sp, f, p, y, s->h[i], work);
    for (int k = 0; k < STABPEN_STATES; k++) {
        double t0 = f->horizon * k / STABPEN_STATES, t1 = f->horizon * (k + 1) / STABPEN_STATES;
        if (reference_solve(ref, p, t0, t1, y, &err) != 0)
            return 0; /* the truth was finite at the horizon; keep what we have */
        add_modes(sp, f, p, y, s->h[i], work);
    }
    return 0;
}

int stab_pen_init(stab_pen *sp, const rk_family *f, const sample_set *s, int stages,
                  rk_error *err)
{
    size_t S = (size_t)stages;
    memset(sp, 0, sizeof *sp);
    if (f->dim > STABPEN_MAX_DIM) {
        rk_error_set(err, "--stability-weight: systems above %d dimensions are not supported",
                     STABPEN_MAX_DIM);
        return -1;
    }
    sp->stages = stages;
    sp->P = stages * (stages - 1) / 2 + stages;
    size_t P = (size_t)sp->P, nz = (STABPEN_STATES + 1) * (size_t)s->n * (size_t)f->dim;
    sp->zr = malloc(nz * sizeof *sp->zr);
    sp->zi = malloc(nz * sizeof *sp->zi);
    sp->g = malloc(S * sizeof *sp->g);
    sp->dg = malloc(S * P * sizeof *sp->dg);
    sp->v = malloc(S * sizeof *sp->v);
    sp->u = malloc(S * sizeof *sp->u);
    sp->dv = malloc(S * P * sizeof *sp->dv);
    sp->du = malloc(S * P * sizeof *sp->du);
    double *work = malloc((ex_series_work(&f->rhs, 1) + 5 * (size_t)f->dim + 4) * sizeof *work);
    reference ref;
    int ok = sp->zr && sp->zi && sp->g && sp->dg && sp->v && sp->u && sp->dv && sp->du && work &&
             reference_init(&ref, f, err) == 0;
    for (int i = 0; ok && i < s->n; i++)
        ok = along_trajectory(sp, f, &ref, s, i, work) == 0;
    if (work)
        reference_free(&ref);
    free(work);
    if (!ok) {
        stab_pen_free(sp);
        rk_error_set(err, "out of memory");
        return -1;
    }
    return 0;
}

void stab_pen_free(stab_pen *sp)
{
    free(sp->zr); free(sp->zi); free(sp->g); free(sp->dg);
    free(sp->v); free(sp->u); free(sp->dv); free(sp->du);
    memset(sp, 0, sizeof *sp);
}

int stab_pen_nres(const stab_pen *sp)
{
    return sp->nz;
}

/* g_k = b . A^(k-1) 1 and its derivatives: v_1 = 1, v_k = A v_(k-1). */
static void coefficients(stab_pen *sp, const double *theta)
{
    int s = sp->stages, P = sp->P;
    for (int i = 0; i < s; i++) {
        sp->v[i] = 1;
        for (int p = 0; p < P; p++)
            sp->dv[i * P + p] = 0;
    }
    for (int k = 0; k < s; k++) {
        double g = 0;
        for (int i = 0; i < s; i++)
            g += theta[theta_b(s, i)] * sp->v[i];
        sp->g[k] = g;
        for (int p = 0; p < P; p++) {
            double dg = 0;
            for (int i = 0; i < s; i++)
                dg += theta[theta_b(s, i)] * sp->dv[i * P + p] + (p == theta_b(s, i)) * sp->v[i];
            sp->dg[k * P + p] = dg;
        }
        for (int i = 0; i < s; i++) {
            double u = 0;
            for (int j = 0; j < i; j++)
                u += theta[theta_a(i, j)] * sp->v[j];
            sp->u[i] = u;
            for (int p = 0; p < P; p++) {
                double du = 0;
                for (int j = 0; j < i; j++)
                    du += theta[theta_a(i, j)] * sp->dv[j * P + p] + (p == theta_a(i, j)) * sp->v[j];
                sp->du[i * P + p] = du;
            }
        }
        memcpy(sp->v, sp->u, (size_t)s * sizeof *sp->v);
        memcpy(sp->dv, sp->du, (size_t)s * (size_t)P * sizeof *sp->dv);
    }
}

/* A decaying mode may not grow; a growing one (Re z > 0, e.g. near
 * Lorenz's unstable equilibria, whose oscillation the attractor is made
 * of) may grow no faster than the true solution, e^(Re z). */
static double bound(double re)
{
    return re > 0 ? exp(re) : 1;
}

void stab_pen_eval(stab_pen *sp, const double *theta, double *res, double *J)
{
    int s = sp->stages, P = sp->P;
    coefficients(sp, theta);
    for (int n = 0; n < sp->nz; n++) {
        double complex z = sp->zr[n] + I * sp->zi[n], zk = 1, R = 1;
        for (int k = 0; k < s; k++) {
            zk *= z;
            R += sp->g[k] * zk;
        }
        double a = cabs(R), lim = bound(sp->zr[n]);
        res[n] = a > lim ? a - lim : 0;
        for (int p = 0; J && p < P; p++) {
            double complex dR = 0;
            zk = 1;
            for (int k = 0; k < s; k++) {
                zk *= z;
                dR += sp->dg[k * P + p] * zk;
            }
            J[(size_t)n * P + p] = a > lim ? (creal(R) * creal(dR) + cimag(R) * cimag(dR)) / a : 0;
        }
    }
}

double stab_pen_max_amplification(stab_pen *sp, const double *theta)
{
    double worst = 0;
    coefficients(sp, theta);
    for (int n = 0; n < sp->nz; n++) {
        double complex z = sp->zr[n] + I * sp->zi[n], zk = 1, R = 1;
        for (int k = 0; k < sp->stages; k++) {
            zk *= z;
            R += sp->g[k] * zk;
        }
        worst = fmax(worst, cabs(R));
    }
    return worst;
}
