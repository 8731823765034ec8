/* bench_large.c - ns per RK4 step of the generated steppers for three
 * large systems (Lorenz-96 with N = 1000, heat1d with N = 1000, heat2d
 * on a 300 x 300 grid; emitted from examples/ at build time) against the
 * hand-written loops of handwritten_large.c.
 *
 * For each system the two variants run in interleaved trials (the first
 * variant alternating from round to round, one warm-up round not
 * recorded), each trial from the same initial state; the report gives
 * medians, the ratio of the medians from this one run, and how far the
 * two are apart after 100 steps (the textbook final sum rounds
 * differently, so they agree to rounding, not to the bit).
 *
 *   bench_large [--trials T] [--scale S]   (S multiplies the steps of a trial) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handwritten_large.h"
#include "heat1d_rk4.h"
#include "heat2d_rk4.h"
#include "lorenz96_rk4.h"
#include "stats.h"

#define PI 3.141592653589793

typedef struct system {
    const char *name;
    int n;
    double h;
    unsigned long steps;
    void (*init)(double *y, int n);
    void (*generated)(double *y, double h, unsigned long steps);
    void (*hand)(double *y, double h, unsigned long steps, double *work);
} system_t;

static void init_l96(double *y, int n)
{
    for (int i = 0; i < n; i++)
        y[i] = 0.5 + 0.001 * (i % 97);
}

static void init_heat1d(double *y, int n)
{
    for (int i = 0; i < n; i++)
        y[i] = sin(PI * (i + 1) / (n + 1.0));
}

static void init_heat2d(double *y, int n)
{
    int m = HEAT2D_N;
    (void)n;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++)
            y[i * m + j] = sin(PI * (i + 1) / (m + 1.0)) * sin(2 * PI * (j + 1) / (m + 1.0));
}

static void gen_l96(double *y, double h, unsigned long steps)
{
    const lorenz96_rk4_params p = {8.0};
    lorenz96_rk4_integrate(0.0, y, h, steps, &p);
}

static void gen_heat1d(double *y, double h, unsigned long steps)
{
    const heat1d_rk4_params p = {0.00075, 1.0};
    heat1d_rk4_integrate(0.0, y, h, steps, &p);
}

static void gen_heat2d(double *y, double h, unsigned long steps)
{
    const heat2d_rk4_params p = {0.00075, 1.0};
    heat2d_rk4_integrate(0.0, y, h, steps, &p);
}

static void hand_l96(double *y, double h, unsigned long steps, double *w) { hand_lorenz96(y, h, steps, 8.0, w); }
static void hand_h1(double *y, double h, unsigned long steps, double *w) { hand_heat1d(y, h, steps, 0.00075, w); }
static void hand_h2(double *y, double h, unsigned long steps, double *w) { hand_heat2d(y, h, steps, 0.00075, w); }

static const system_t systems[] = {
    /* chaotic: a short run, so that rounding differences stay small */
    {"lorenz96", L96_N, 0.005, 400, init_l96, gen_l96, hand_l96},
    {"heat1d", HEAT1D_N, 0.0003, 1000, init_heat1d, gen_heat1d, hand_h1},
    {"heat2d", HEAT2D_N * HEAT2D_N, 0.001, 10, init_heat2d, gen_heat2d, hand_h2},
};

static double max_rel_diff(const double *a, const double *b, int n)
{
    double d = 0, s = 0;
    for (int i = 0; i < n; i++) {
        d = fmax(d, fabs(a[i] - b[i]));
        s = fmax(s, fabs(a[i]));
    }
    return s > 0 ? d / s : d;
}

/* Returns the ratio of medians, generated over hand-written. */
static double run_system(const system_t *s, int trials, unsigned long scale)
{
    unsigned long steps = s->steps * scale;
    double *y[2], *work = malloc(5 * (size_t)s->n * sizeof *work), *ns[2];
    for (int v = 0; v < 2; v++) {
        y[v] = malloc((size_t)s->n * sizeof *y[v]);
        ns[v] = calloc((size_t)trials, sizeof *ns[v]);
        if (!y[v] || !ns[v] || !work)
            abort();
    }
    for (int r = -1; r < trials; r++)
        for (int k = 0; k < 2; k++) {
            int v = (k + (r < 0 ? 0 : r)) % 2;
            s->init(y[v], s->n);
            double t0 = now_ns();
            if (v == 0)
                s->generated(y[v], s->h, steps);
            else
                s->hand(y[v], s->h, steps, work);
            if (r >= 0)
                ns[v][r] = (now_ns() - t0) / (double)steps;
        }
    double med[2] = {median(ns[0], trials), median(ns[1], trials)};
    const char *what[2] = {"generated", "hand-written"};
    for (int v = 0; v < 2; v++)
        printf("  %-9s %-13s %11.1f ns/step (%.2f ns per component; min %.1f, max %.1f, IQR %.1f%%)\n", s->name,
               what[v], med[v], med[v] / s->n, min_of(ns[v], trials), max_of(ns[v], trials),
               100.0 * iqr_rel(ns[v], trials));
    /* the same method in two roundings: compared over a short run, where
     * Lorenz-96's chaos has not yet amplified them */
    unsigned long check = steps < 100 ? steps : 100;
    s->init(y[0], s->n);
    s->init(y[1], s->n);
    s->generated(y[0], s->h, check);
    s->hand(y[1], s->h, check, work);
    double diff = max_rel_diff(y[0], y[1], s->n);
    printf("  %-9s after %lu steps of h = %g the states are %.2g apart (relative)\n\n", s->name, check, s->h,
           diff);
    printf("RESULT ratio_%s_generated_hand %.4f\n", s->name, med[0] / med[1]);
    printf("RESULT %s_states_agree %s\n\n", s->name, diff < 1e-12 ? "PASS" : "FAIL");
    for (int v = 0; v < 2; v++) {
        free(y[v]);
        free(ns[v]);
    }
    free(work);
    return diff < 1e-12 ? med[0] / med[1] : -1;
}

int main(int argc, char **argv)
{
    int trials = 11;
    unsigned long scale = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--trials") && i + 1 < argc)
            trials = (int)parse_count("bench_large", argv[++i], "--trials");
        else if (!strcmp(argv[i], "--scale") && i + 1 < argc)
            scale = parse_count("bench_large", argv[++i], "--scale");
        else {
            fprintf(stderr, "usage: bench_large [--trials T] [--scale S]\n");
            return 2;
        }
    }
    printf("bench_large: RK4 on large systems, generated vs hand-written loops, %d interleaved trials\n\n", trials);
    int bad = 0;
    for (size_t k = 0; k < sizeof systems / sizeof *systems; k++)
        bad |= run_system(&systems[k], trials, scale) < 0;
    return bad;
}
