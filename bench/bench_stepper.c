/* bench_stepper.c - ns per step of the generated Van der Pol RK4 stepper
 * against a hand-written RK4 and against GSL's gsl_odeiv2_step_rk4.
 *
 * All variants integrate the same member (a = 1.5, y0 = (-3, 1),
 * h = 0.01, t0 = 0) for the same number of steps, starting afresh from
 * y0 in every trial.  Trials are interleaved round by round (A B C ...,
 * the starting variant rotating each round so no variant always runs
 * right after another), and each variant's median ns/step is reported,
 * together with the ratios generated/hand-written and generated/GSL, all
 * from this one run.
 *
 * Variants: generated (vanderpol_rk4_integrate), handwritten (textbook
 * RK4, bench/handwritten_rk4.c), gsl (gsl_odeiv2_step_apply with
 * gsl_odeiv2_step_rk4), generated_step and handwritten_step (the _step
 * entry points called once per step from here), and handwritten_bsum (the
 * hand-written step with the generated final summation: bit-identical to
 * the generated stepper, a diagnostic of what its operation order costs).
 *
 * The generated stepper (generated/vanderpol_rk4.c) and the hand-written
 * one (bench/handwritten_rk4.c) are separate translation units built with
 * the same flags (BENCH_CFLAGS below; no LTO), so neither can be inlined
 * into the timing loop and neither result can be optimised away; the end
 * states are printed and checked as well.
 *
 *   bench_stepper [--steps N] [--trials T] [--only VARIANT]
 *
 * --only runs a single trial of one variant and prints its end state and
 * nothing else timed; bench/run.sh uses it under callgrind to count
 * instructions per step, which wall-clock noise does not affect. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_version.h>

#include "handwritten_rk4.h"
#include "stats.h"
#include "vanderpol_rk4.h"

#ifndef BENCH_CFLAGS
#define BENCH_CFLAGS "(unknown)"
#endif

/* The member every variant integrates. */
#define VDP_A 1.5
#define VDP_U0 (-3.0)
#define VDP_V0 1.0
#define VDP_H 0.01
#define VDP_T0 0.0

/* ------------------------------------------------------------------ */
/* GSL: the same system through gsl_odeiv2_system.                      */

static int vdp_gsl_rhs(double t, const double y[], double dydt[], void *params)
{
    const double a = *(const double *)params;
    const double u = y[0], v = y[1];
    (void)t;
    dydt[0] = v;
    dydt[1] = a * (1.0 - u * u) * v - u;
    return GSL_SUCCESS;
}

static gsl_odeiv2_step *gsl_step;
static double gsl_a = VDP_A;
static gsl_odeiv2_system gsl_sys = {vdp_gsl_rhs, NULL, 2, &gsl_a};

/* ------------------------------------------------------------------ */
/* The variants.  Each integrates nsteps from (t0, y) in place.        */

static void run_generated(double y[2], unsigned long n)
{
    const vanderpol_rk4_params p = {VDP_A};
    vanderpol_rk4_integrate(VDP_T0, y, VDP_H, n, &p);
}

static void run_handwritten(double y[2], unsigned long n)
{
    handwritten_rk4_integrate(VDP_T0, y, VDP_H, n, VDP_A);
}

static void run_handwritten_bsum(double y[2], unsigned long n)
{
    handwritten_rk4_bsum_integrate(VDP_T0, y, VDP_H, n, VDP_A);
}

/* The same two steppers called once per step from this file, i.e. the
 * cost of the _step entry point including the call. */
static void run_generated_step(double y[2], unsigned long n)
{
    const vanderpol_rk4_params p = {VDP_A};
    for (unsigned long i = 0; i < n; i++)
        vanderpol_rk4_step(VDP_T0 + (double)i * VDP_H, y, VDP_H, &p);
}

static void run_handwritten_step(double y[2], unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        handwritten_rk4_step(VDP_T0 + (double)i * VDP_H, y, VDP_H, VDP_A);
}

/* dydt_in = dydt_out = NULL: GSL then evaluates f at the start of the
 * step itself.  Feeding dydt_out back as the next dydt_in would not save
 * anything: rk4 then skips that evaluation but spends one on dydt_out,
 * 11 evaluations of f per step either way (one full step of h plus two
 * half steps for the step-doubling error estimate), plus copies. */
static void run_gsl(double y[2], unsigned long n)
{
    double yerr[2];
    gsl_odeiv2_step_reset(gsl_step);
    for (unsigned long i = 0; i < n; i++) {
        int s = gsl_odeiv2_step_apply(gsl_step, VDP_T0 + (double)i * VDP_H, VDP_H,
                                      y, yerr, NULL, NULL, &gsl_sys);
        if (s != GSL_SUCCESS) {
            fprintf(stderr, "bench_stepper: gsl_odeiv2_step_apply failed: %s\n",
                    gsl_strerror(s));
            exit(1);
        }
    }
}

typedef struct variant {
    const char *name;
    const char *what;
    void (*run)(double y[2], unsigned long n);
    double *ns;          /* ns/step of each trial */
    double end[2];       /* end state of the first trial */
    int end_differs;     /* a later trial ended elsewhere */
} variant;

static variant variants[] = {
    {"generated", "generated/vanderpol_rk4.c, vanderpol_rk4_integrate", run_generated, NULL, {0, 0}, 0},
    {"handwritten", "bench/handwritten_rk4.c, handwritten_rk4_integrate", run_handwritten, NULL, {0, 0}, 0},
    {"gsl", "gsl_odeiv2_step_apply(rk4), dydt_in/out NULL", run_gsl, NULL, {0, 0}, 0},
    {"generated_step", "vanderpol_rk4_step called per step", run_generated_step, NULL, {0, 0}, 0},
    {"handwritten_step", "handwritten_rk4_step called per step", run_handwritten_step, NULL, {0, 0}, 0},
    {"handwritten_bsum", "hand-written, generated's final summation", run_handwritten_bsum, NULL, {0, 0}, 0},
};
#define NVARIANTS (sizeof variants / sizeof variants[0])
enum { GEN, HAND, GSL, GEN_STEP, HAND_STEP, HAND_BSUM };

/* ------------------------------------------------------------------ */

/* Distance in units in the last place between two finite doubles. */
static uint64_t ulps(double x, double y)
{
    int64_t ix, iy;
    memcpy(&ix, &x, sizeof ix);
    memcpy(&iy, &y, sizeof iy);
    if (ix < 0)
        ix = INT64_MIN - ix;
    if (iy < 0)
        iy = INT64_MIN - iy;
    return ix > iy ? (uint64_t)ix - (uint64_t)iy : (uint64_t)iy - (uint64_t)ix;
}

static double rel_diff(const double x[2], const double y[2])
{
    double d = fmax(fabs(x[0] - y[0]), fabs(x[1] - y[1]));
    double s = fmax(fabs(y[0]), fabs(y[1]));
    return d / s;
}

static int same_bits(const double x[2], const double y[2])
{
    return memcmp(x, y, 2 * sizeof *x) == 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_stepper [--steps N] [--trials T] [--only VARIANT]\n"
                    "variants:");
    for (size_t i = 0; i < NVARIANTS; i++)
        fprintf(stderr, " %s", variants[i].name);
    fprintf(stderr, "\n");
    exit(2);
}

int main(int argc, char **argv)
{
    unsigned long nsteps = 10000000UL;
    int trials = 11;
    const char *only = NULL;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--steps") && i + 1 < argc)
            nsteps = parse_count("bench_stepper", argv[++i], "--steps");
        else if (!strcmp(argv[i], "--trials") && i + 1 < argc)
            trials = (int)parse_count("bench_stepper", argv[++i], "--trials");
        else if (!strcmp(argv[i], "--only") && i + 1 < argc)
            only = argv[++i];
        else
            usage();
    }

    gsl_set_error_handler_off();
    gsl_step = gsl_odeiv2_step_alloc(gsl_odeiv2_step_rk4, 2);
    if (!gsl_step) {
        fprintf(stderr, "bench_stepper: gsl_odeiv2_step_alloc failed\n");
        return 1;
    }

    if (only) {
        for (size_t v = 0; v < NVARIANTS; v++) {
            if (strcmp(only, variants[v].name))
                continue;
            double y[2] = {VDP_U0, VDP_V0};
            variants[v].run(y, nsteps);
            printf("%s %lu steps: end state %.17g %.17g\n", only, nsteps, y[0], y[1]);
            gsl_odeiv2_step_free(gsl_step);
            return 0;
        }
        usage();
    }

    for (size_t v = 0; v < NVARIANTS; v++)
        if (!(variants[v].ns = calloc((size_t)trials, sizeof(double))))
            abort();

    printf("bench_stepper: Van der Pol RK4, a=%g, y0=(%g, %g), h=%g, %lu steps per trial, "
           "%d interleaved trials (+1 warm-up round)\n",
           VDP_A, VDP_U0, VDP_V0, VDP_H, nsteps, trials);
    printf("  flags of generated and hand-written TUs: %s\n", BENCH_CFLAGS);
    printf("  compiler %s, GSL %s\n", __VERSION__, GSL_VERSION);
    fflush(stdout);

    /* Round -1 is a warm-up (page faults, frequency ramp), not recorded. */
    for (int r = -1; r < trials; r++) {
        for (size_t k = 0; k < NVARIANTS; k++) {
            size_t v = (k + (size_t)(r < 0 ? 0 : r)) % NVARIANTS;
            double y[2] = {VDP_U0, VDP_V0};
            double t0 = now_ns();
            variants[v].run(y, nsteps);
            double t1 = now_ns();
            if (r < 0)
                continue;
            variants[v].ns[r] = (t1 - t0) / (double)nsteps;
            if (r == 0) {
                variants[v].end[0] = y[0];
                variants[v].end[1] = y[1];
            } else if (!same_bits(y, variants[v].end)) {
                variants[v].end_differs = 1;
            }
        }
    }

    printf("\n  %-17s %9s %9s %9s %7s  %s\n", "variant", "median", "min", "max", "IQR",
           "(ns/step; IQR = interquartile range / median)");
    double med[NVARIANTS];
    for (size_t v = 0; v < NVARIANTS; v++) {
        med[v] = median(variants[v].ns, trials);
        double lo = min_of(variants[v].ns, trials), hi = max_of(variants[v].ns, trials);
        printf("  %-17s %9.3f %9.3f %9.3f %6.1f%%  %s\n", variants[v].name, med[v], lo, hi,
               100.0 * iqr_rel(variants[v].ns, trials), variants[v].what);
    }

    /* Paired per-round ratios: both members of a pair ran in the same
     * round, seconds apart, so slow phases of the machine mostly cancel. */
    double *pair = malloc((size_t)trials * sizeof *pair);
    if (!pair)
        abort();
    struct {
        const char *key;
        size_t num, den;
    } ratios[] = {
        {"generated/handwritten", GEN, HAND},
        {"generated/gsl", GEN, GSL},
        {"generated_step/handwritten_step", GEN_STEP, HAND_STEP},
        {"generated/handwritten_bsum", GEN, HAND_BSUM},
    };
    printf("\n  %-32s %10s %20s\n", "ratio", "medians", "paired: median [min, max]");
    for (size_t i = 0; i < sizeof ratios / sizeof ratios[0]; i++) {
        for (int r = 0; r < trials; r++)
            pair[r] = variants[ratios[i].num].ns[r] / variants[ratios[i].den].ns[r];
        printf("  %-32s %10.4f %10.4f [%.4f, %.4f]\n", ratios[i].key,
               med[ratios[i].num] / med[ratios[i].den], median(pair, trials),
               min_of(pair, trials), max_of(pair, trials));
    }
    free(pair);

    /* ---- End states. -------------------------------------------------- */
    int ok = 1;
    printf("\n  end states after %lu steps (t = %g):\n", nsteps, VDP_T0 + (double)nsteps * VDP_H);
    for (size_t v = 0; v < NVARIANTS; v++) {
        printf("  %-17s %+.17e %+.17e%s\n", variants[v].name, variants[v].end[0],
               variants[v].end[1], variants[v].end_differs ? "  (NOT the same in every trial)" : "");
        ok &= !variants[v].end_differs;
    }

    /* The generated stepper through _integrate and through _step must be
     * the same computation, bit for bit; likewise the hand-written one. */
    int gen_self = same_bits(variants[GEN].end, variants[GEN_STEP].end);
    int hand_self = same_bits(variants[HAND].end, variants[HAND_STEP].end);
    int bsum_bits = same_bits(variants[HAND_BSUM].end, variants[GEN].end);
    printf("  generated _integrate vs _step:     %s\n", gen_self ? "bit-identical" : "DIFFER");
    printf("  handwritten _integrate vs _step:   %s\n", hand_self ? "bit-identical" : "DIFFER");
    printf("  generated vs handwritten_bsum:     %s\n", bsum_bits ? "bit-identical" : "DIFFER");
    ok &= gen_self && hand_self && bsum_bits;

    /* Generated vs hand-written: same method, different rounding (the
     * final update is summed in a different order), so expect a few ulps
     * after one step and a drift of rounding size after many. */
    {
        double g[2] = {VDP_U0, VDP_V0}, w[2] = {VDP_U0, VDP_V0};
        run_generated(g, 1);
        run_handwritten(w, 1);
        uint64_t u1 = ulps(g[0], w[0]), u2 = ulps(g[1], w[1]);
        double rd = rel_diff(variants[HAND].end, variants[GEN].end);
        int bits = same_bits(variants[HAND].end, variants[GEN].end);
        printf("  generated vs handwritten:          %s; after 1 step %llu and %llu ulps apart; "
               "after %lu steps relative difference %.3g\n",
               bits ? "bit-identical" : "not bit-identical (different summation order)",
               (unsigned long long)u1, (unsigned long long)u2, nsteps, rd);
        ok &= u1 <= 4 && u2 <= 4 && rd < 1e-6;
    }

    /* GSL's rk4 returns the result of two half steps (its step-doubling
     * error estimate takes one full step too, and discards it), so its
     * trajectory is RK4 with h/2: compare it with the generated stepper
     * run (untimed) for 2n steps of h/2, which must agree to rounding, and
     * show the difference from the generated h trajectory (truncation
     * error, h^4 smaller for h/2, accumulated over t). */
    {
        double g2[2] = {VDP_U0, VDP_V0};
        const vanderpol_rk4_params p = {VDP_A};
        vanderpol_rk4_integrate(VDP_T0, g2, 0.5 * VDP_H, 2 * nsteps, &p);
        double rd_half = rel_diff(variants[GSL].end, g2);
        double rd_full = rel_diff(variants[GSL].end, variants[GEN].end);
        printf("  gsl vs generated with h/2 (2n steps): relative difference %.3g\n", rd_half);
        printf("  gsl vs generated with h:           relative difference %.3g "
               "(RK4 truncation error at h vs h/2)\n", rd_full);
        ok &= rd_half < 1e-6;
    }
    printf("  end-state checks: %s\n", ok ? "PASS" : "FAIL");

    /* Machine-readable lines for bench/run.sh. */
    printf("\n");
    for (size_t v = 0; v < NVARIANTS; v++)
        printf("RESULT ns_per_step_%s %.4f\n", variants[v].name, med[v]);
    printf("RESULT ratio_generated_handwritten %.4f\n", med[GEN] / med[HAND]);
    printf("RESULT ratio_generated_gsl %.4f\n", med[GEN] / med[GSL]);
    printf("RESULT ratio_generated_step_handwritten_step %.4f\n", med[GEN_STEP] / med[HAND_STEP]);
    printf("RESULT ratio_generated_handwritten_bsum %.4f\n", med[GEN] / med[HAND_BSUM]);
    printf("RESULT iqr_generated %.4f\n", iqr_rel(variants[GEN].ns, trials));
    printf("RESULT iqr_handwritten %.4f\n", iqr_rel(variants[HAND].ns, trials));
    printf("RESULT end_state_checks %s\n", ok ? "PASS" : "FAIL");

    for (size_t v = 0; v < NVARIANTS; v++)
        free(variants[v].ns);
    gsl_odeiv2_step_free(gsl_step);
    return ok ? 0 : 1;
}
