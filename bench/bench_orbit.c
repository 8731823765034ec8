/* bench_orbit.c - ns per step of the generated RK4 stepper for the orbit
 * family (bench/orbit.ode, emitted at build time) against a plain hand
 * transcription of its equations, which computes (x^2 + y^2)^1.5 twice
 * per evaluation where the generated code computes it once.
 *
 * Every variant integrates the same member (mu = 1, (x, y) = (1, 0),
 * (vx, vy) = (0, 1.2), h = 0.01) from the start in each trial; trials
 * are interleaved round by round with the starting variant rotating, and
 * the report gives medians and the ratios of medians from this one run.
 * All three variants are bit-identical (handwritten_orbit.c), which is
 * checked.
 *
 *   bench_orbit [--steps N] [--trials T] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handwritten_orbit.h"
#include "orbit_rk4.h"
#include "stats.h"

#define ORBIT_MU 1.0
#define ORBIT_H 0.01

static const double y0[4] = {1.0, 0.0, 0.0, 1.2};

static void run_generated(double y[4], unsigned long n)
{
    const orbit_rk4_params p = {ORBIT_MU};
    orbit_rk4_integrate(0.0, y, ORBIT_H, n, &p);
}

static void run_plain(double y[4], unsigned long n)
{
    handwritten_orbit_integrate(y, ORBIT_H, n, ORBIT_MU);
}

static void run_cse(double y[4], unsigned long n)
{
    handwritten_orbit_cse_integrate(y, ORBIT_H, n, ORBIT_MU);
}

typedef struct variant {
    const char *name, *what;
    void (*run)(double y[4], unsigned long n);
    double *ns;
    double end[4];
} variant;

static variant variants[] = {
    {"orbit_generated", "rkgen emit bench/orbit.ode --tableau rk4: one pow", run_generated, NULL, {0}},
    {"orbit_plain", "hand transcription: two pows", run_plain, NULL, {0}},
    {"orbit_cse", "hand-written with one pow (diagnostic)", run_cse, NULL, {0}},
};
#define NVARIANTS (sizeof variants / sizeof variants[0])
enum { GEN, PLAIN, CSE };

/* Round -1 warms up and is not recorded. */
static void run_rounds(unsigned long nsteps, int trials)
{
    for (int r = -1; r < trials; r++)
        for (size_t k = 0; k < NVARIANTS; k++) {
            variant *v = &variants[(k + (size_t)(r < 0 ? 0 : r)) % NVARIANTS];
            double y[4];
            memcpy(y, y0, sizeof y);
            double t0 = now_ns();
            v->run(y, nsteps);
            double t1 = now_ns();
            if (r < 0)
                continue;
            v->ns[r] = (t1 - t0) / (double)nsteps;
            memcpy(v->end, y, sizeof y);
        }
}

int main(int argc, char **argv)
{
    unsigned long nsteps = 1000000UL;
    int trials = 11;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--steps") && i + 1 < argc)
            nsteps = parse_count("bench_orbit", argv[++i], "--steps");
        else if (!strcmp(argv[i], "--trials") && i + 1 < argc)
            trials = (int)parse_count("bench_orbit", argv[++i], "--trials");
        else {
            fprintf(stderr, "usage: bench_orbit [--steps N] [--trials T]\n");
            return 2;
        }
    }
    for (size_t v = 0; v < NVARIANTS; v++)
        if (!(variants[v].ns = calloc((size_t)trials, sizeof(double))))
            abort();
    printf("bench_orbit: orbit RK4, mu=%g, y0=(%g, %g, %g, %g), h=%g, %lu steps per trial, "
           "%d interleaved trials (+1 warm-up round)\n",
           ORBIT_MU, y0[0], y0[1], y0[2], y0[3], ORBIT_H, nsteps, trials);
    run_rounds(nsteps, trials);

    double med[NVARIANTS];
    printf("\n  %-16s %9s %9s %9s %7s\n", "variant", "median", "min", "max", "IQR");
    for (size_t v = 0; v < NVARIANTS; v++) {
        const variant *x = &variants[v];
        med[v] = median(x->ns, trials);
        printf("  %-16s %9.3f %9.3f %9.3f %6.1f%%  %s\n", x->name, med[v], min_of(x->ns, trials),
               max_of(x->ns, trials), 100.0 * iqr_rel(x->ns, trials), x->what);
    }
    int same = !memcmp(variants[GEN].end, variants[PLAIN].end, sizeof variants[GEN].end) &&
               !memcmp(variants[GEN].end, variants[CSE].end, sizeof variants[GEN].end);
    printf("\n  end states: %s\n", same ? "bit-identical" : "DIFFER");
    printf("\nRESULT ns_per_step_orbit_generated %.4f\n", med[GEN]);
    printf("RESULT ns_per_step_orbit_plain %.4f\n", med[PLAIN]);
    printf("RESULT ratio_orbit_generated_plain %.4f\n", med[GEN] / med[PLAIN]);
    printf("RESULT ratio_orbit_generated_cse %.4f\n", med[GEN] / med[CSE]);
    printf("RESULT orbit_end_states %s\n", same ? "PASS" : "FAIL");
    for (size_t v = 0; v < NVARIANTS; v++)
        free(variants[v].ns);
    return same ? 0 : 1;
}
