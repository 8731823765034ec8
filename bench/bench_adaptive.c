/* bench_adaptive.c - time per f evaluation of the emitted adaptive dopri5
 * solver of Van der Pol against GSL's gsl_odeiv2_driver with rkf45 and
 * with rkck (issue 12's target: <= 1.0x).  Both integrate the same member
 * (a = 1.5, y0 = (-3.5, 1)) over t in [0, 10] at rtol = atol, and count
 * their own evaluations; the rounds are interleaved and the starting
 * variant rotates, as in bench_stepper. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "vdp_dopri5.h"

#define T1 10.0
#define MAX_TRIALS 101
#define VARIANTS 3

static const double A = 1.5;
static unsigned long gsl_nfev;

static int vdp_gsl(double t, const double y[], double dydt[], void *params)
{
    double a = *(const double *)params;
    (void)t;
    gsl_nfev++;
    dydt[0] = y[1];
    dydt[1] = a * (1.0 - y[0] * y[0]) * y[1] - y[0];
    return GSL_SUCCESS;
}

typedef struct variant {
    const char *name;
    const gsl_odeiv2_step_type *type; /* NULL: the emitted solver */
    double ns_per_fev[MAX_TRIALS];
    unsigned long nfev;
    double y0;                        /* u(10), to show they agree */
} variant;

/* reps integrations; returns ns per evaluation. */
static double run(variant *v, double tol, int reps)
{
    double t0 = now_ns();
    unsigned long nfev = 0;
    for (int r = 0; r < reps; r++) {
        double y[2] = {-3.5, 1.0};
        if (!v->type) {
            vdp_dopri5_params p = {A};
            vdp_dopri5_stats st;
            if (vdp_dopri5_solve(0, T1, y, tol, tol, &p, &st) != 0) {
                fprintf(stderr, "bench_adaptive: the emitted solver failed\n");
                exit(1);
            }
            nfev += st.nfev;
        } else {
            gsl_odeiv2_system sys = {vdp_gsl, NULL, 2, (void *)&A};
            gsl_odeiv2_driver *d = gsl_odeiv2_driver_alloc_y_new(&sys, v->type, 1e-6, tol, tol);
            double t = 0;
            gsl_nfev = 0;
            if (!d || gsl_odeiv2_driver_apply(d, &t, T1, y) != GSL_SUCCESS) {
                fprintf(stderr, "bench_adaptive: gsl_odeiv2_driver_apply failed\n");
                exit(1);
            }
            gsl_odeiv2_driver_free(d);
            nfev += gsl_nfev;
        }
        v->y0 = y[0];
    }
    v->nfev = nfev / (unsigned long)reps;
    return (now_ns() - t0) / (double)nfev;
}

static void report(variant *v, int trials, double tol)
{
    double m0 = median(v[0].ns_per_fev, trials);
    for (int k = 0; k < VARIANTS; k++)
        printf("  rtol %.0e  %-22s nfev %6lu  u(10) %+.10f  %.2f ns/f-eval (min %.2f, max %.2f)\n",
               tol, v[k].name, v[k].nfev, v[k].y0, median(v[k].ns_per_fev, trials),
               min_of(v[k].ns_per_fev, trials), max_of(v[k].ns_per_fev, trials));
    for (int k = 1; k < VARIANTS; k++)
        printf("RESULT adaptive_vs_%s_rtol%.0e %.3f\n", v[k].name + 4, tol,
               m0 / median(v[k].ns_per_fev, trials));
}

int main(int argc, char **argv)
{
    int trials = argc > 1 ? (int)parse_count("bench_adaptive", argv[1], "trials") : 11;
    const double tols[2] = {1e-6, 1e-9};
    trials = trials > MAX_TRIALS ? MAX_TRIALS : trials;
    gsl_set_error_handler_off();
    printf("ns per evaluation of f over whole integrations, Van der Pol on [0, 10], %d trials\n", trials);
    for (int i = 0; i < 2; i++) {
        variant v[VARIANTS] = {{"emitted dopri5", NULL, {0}, 0, 0},
                               {"gsl_rkf45", gsl_odeiv2_step_rkf45, {0}, 0, 0},
                               {"gsl_rkck", gsl_odeiv2_step_rkck, {0}, 0, 0}};
        int reps = i == 0 ? 2000 : 400;
        for (int k = 0; k < VARIANTS; k++)
            run(&v[k], tols[i], reps / 10); /* warm-up */
        for (int r = 0; r < trials; r++)
            for (int j = 0; j < VARIANTS; j++) {
                int k = (r + j) % VARIANTS;
                v[k].ns_per_fev[r] = run(&v[k], tols[i], reps);
            }
        report(v, trials, tols[i]);
    }
    return 0;
}
