/* famspectrum.c - the spectrum of a family: rho of the Jacobian at a few
 * points of each sampled member's true trajectory (spectrum.h), and the
 * largest h rho its step range reaches.  rkgen check --family reports it;
 * the learner reads from it whether classical methods are stable. */
#include "famspectrum.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "reference.h"
#include "samples.h"
#include "rng.h"
#include "spectrum.h"

typedef struct probe {
    const rk_family *f;
    spec_power pw;
    spec_gersh g;
    double *work;
    long iters;
} probe;

/* One point: what each way gives, folded into s.  Returns its rho. */
static double measure_point(probe *pr, spectrum_summary *s, const double *p, double t,
                            const double *y)
{
    double power = spec_power_rho(&pr->pw, p, t, y);
    double rho = power;
    if (s->exact) {
        double re;
        rho = spec_rho_exact_re(pr->f, p, t, y, pr->work, &re);
        if (rho > 0)
            s->power_ratio_max = fmax(s->power_ratio_max, power / rho);
        if (rho >= 0)
            s->re_min = fmin(s->re_min, re);
    }
    if (s->gersh) {
        double left, b = spec_gersh_bound(&pr->g, p, t, y, &left);
        if (b >= 0) {
            s->gersh_max = fmax(s->gersh_max, b);
            s->gersh_left = fmin(s->gersh_left, left);
        }
    }
    s->power_max = fmax(s->power_max, power);
    s->power_unconverged += !pr->pw.converged;
    s->power_iters_max = pr->pw.iters > s->power_iters_max ? pr->pw.iters : s->power_iters_max;
    pr->iters += pr->pw.iters;
    if (rho >= 0 && isfinite(rho)) {
        s->rho_min = fmin(s->rho_min, rho);
        s->rho_max = fmax(s->rho_max, rho);
    }
    s->points++;
    return rho;
}

/* The members and their true runs: member m's parameters at p + m np,
 * its step h[m], and its state at the start and at SPECTRUM_POINTS
 * points of the horizon at y + (m (SPECTRUM_POINTS + 1) + k) d, the
 * first got[m] of them (the reference solver may give up on the way). */
typedef struct runs {
    const rk_family *f;
    int members;
    double *p, *h, *y;
    int *got;
} runs;

#define RUN_STATES (SPECTRUM_POINTS + 1)

static double *run_state(const runs *r, int m, int k)
{
    return r->y + ((size_t)m * RUN_STATES + (size_t)k) * (size_t)r->f->dim;
}

/* One member's run, on a thread of its own: its reference is its own. */
static void run_member(void *ctx, int m, int worker)
{
    runs *r = ctx;
    const rk_family *f = r->f;
    const double *p = r->p + (size_t)m * (size_t)f->nparam;
    size_t d = (size_t)f->dim;
    reference ref;
    rk_error err = {{0}};
    (void)worker;
    r->got[m] = 1;
    if (reference_init(&ref, f, &err) != 0)
        return;
    for (int k = 0; k < SPECTRUM_POINTS; k++) {
        double t0 = f->horizon * k / SPECTRUM_POINTS, t1 = f->horizon * (k + 1) / SPECTRUM_POINTS;
        double *y = run_state(r, m, k + 1);
        memcpy(y, run_state(r, m, k), d * sizeof *y);
        if (reference_solve(&ref, p, t0, t1, y, &err) != 0)
            break;
        r->got[m] = k + 2;
    }
    reference_free(&ref);
}

static void runs_free(runs *r)
{
    free(r->p);
    free(r->h);
    free(r->y);
    free(r->got);
}

/* Draws the members in turn and takes their runs on threads. */
static int runs_take(runs *r, const rk_family *f, int members, unsigned long seed)
{
    size_t m = (size_t)members, d = (size_t)f->dim;
    memset(r, 0, sizeof *r);
    r->f = f;
    r->members = members;
    r->p = malloc((m * (size_t)f->nparam + 1) * sizeof *r->p);
    r->h = malloc((m + 1) * sizeof *r->h);
    r->y = malloc((m * RUN_STATES * d + 1) * sizeof *r->y);
    r->got = calloc(m + 1, sizeof *r->got);
    if (!r->p || !r->h || !r->y || !r->got) {
        runs_free(r);
        return -1;
    }
    rk_rng rng;
    rng_seed(&rng, (uint64_t)seed);
    for (int k = 0; k < members; k++)
        family_sample(f, &rng, r->p + (size_t)k * (size_t)f->nparam, run_state(r, k, 0), &r->h[k]);
    rk_parallel_pool(members, rk_threads(), run_member, r);
    return 0;
}

/* A member's points in order, so that the power method's warm start runs
 * through them as it would on one thread. */
static void measure_member(probe *pr, spectrum_summary *s, const runs *r, int m)
{
    const double *p = r->p + (size_t)m * (size_t)pr->f->nparam;
    double rho = 0;
    for (int k = 0; k < r->got[m]; k++)
        rho = fmax(rho, measure_point(pr, s, p, pr->f->horizon * k / SPECTRUM_POINTS,
                                      run_state(r, m, k)));
    s->hrho_member_max = fmax(s->hrho_member_max, r->h[m] * rho);
    s->members++;
}

int spectrum_measure(const rk_family *f, int members, unsigned long seed,
                     spectrum_summary *s, rk_error *err)
{
    probe pr;
    runs r;
    memset(&pr, 0, sizeof pr);
    memset(s, 0, sizeof *s);
    pr.f = f;
    s->exact = f->dim <= SPEC_EIG_MAX_DIM;
    s->rho_min = INFINITY;
    s->gersh_left = INFINITY;
    s->re_min = INFINITY;
    s->h_max = family_max_step(f);
    rk_error why = {{0}};
    int g = spec_gersh_init(&pr.g, f, &why);
    s->gersh = g == 0;
    snprintf(s->gersh_why, sizeof s->gersh_why, "%s", g == 0 ? "" : why.text);
    pr.work = malloc((spec_jacobian_work(f) + 1) * sizeof *pr.work);
    int ok = g >= 0 && pr.work && spec_power_init(&pr.pw, f) == 0;
    int have_runs = ok && runs_take(&r, f, members, seed) == 0;
    for (int m = 0; have_runs && m < members; m++)
        measure_member(&pr, s, &r, m);
    if (have_runs)
        runs_free(&r);
    s->power_iters_mean = s->points ? (double)pr.iters / s->points : 0;
    s->hrho_max = s->h_max * s->rho_max;
    free(pr.work);
    spec_power_free(&pr.pw);
    spec_gersh_free(&pr.g);
    if (!have_runs) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    return 0;
}

double spectrum_left_bound(const spectrum_summary *s)
{
    double left = s->exact ? -SPEC_SAFETY * s->re_min : s->gersh ? -s->gersh_left : s->power_max;
    return fmax(0, fmin(left, spectrum_rho_bound(s)));
}

double spectrum_rho_bound(const spectrum_summary *s)
{
    /* eigenvalues are exact: the same margin the power method carries */
    double rho = s->exact ? SPEC_SAFETY * s->rho_max : s->power_max;
    return s->gersh ? fmin(rho, s->gersh_max) : rho;
}
