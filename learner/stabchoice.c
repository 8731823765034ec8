/* stabchoice.c - whether a family needs a many-stage method, and which
 * one (stabchoice.h).
 *
 * The requirement is h rho <= beta over the step range, rho from
 * spectrum_rho_bound (the power method's estimate with its safety
 * factor, capped by Gershgorin's bound).  The candidates are the
 * longest-interval designs for a few dampings eps; a larger eps gives a
 * shorter interval but damps the stiff components more, which changes
 * the error on the family, so the most accurate stable candidate on the
 * training members is kept.  Each is designed in both forms (stabchoice.h
 * says which is preferred). */
#include "stabchoice.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "measure.h"
#include "samples.h"
#include "stability.h"
#include "stabmeasure.h"
#include "tableau.h"

static const double dampings[STABCHOICE_NEPS] = {0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.49};

static double real_interval(const char *name)
{
    rk_tableau *t = tableau_builtin(name);
    double beta = stability_real_interval(t);
    tableau_free(t);
    return beta;
}

/* The longest real interval among the classical built-ins with at most
 * `stages` stages (and at most a tableau's). */
static double classical_interval(int stages, char *name, size_t size)
{
    double best = 0;
    int top = stages < STABCHOICE_TABLEAU_MAX ? stages : STABCHOICE_TABLEAU_MAX;
    snprintf(name, size, "none");
    for (int s = 1; s <= top; s++) {
        const char *names[8];
        int n = catalog_methods(s, 1, names, 8);
        for (int k = 0; k < n; k++) {
            double beta = real_interval(names[k]);
            if (beta > best) {
                best = beta;
                snprintf(name, size, "%s", names[k]);
            }
        }
    }
    return best;
}

/* The fewest stages of order p whose longest interval covers hrho. */
static int fewest_stages(int from, int p, double hrho)
{
    double per = p == 1 ? 2.0 : 0.8; /* beta / s^2, about */
    int s = (int)ceil(sqrt(hrho / per));
    s = s > from ? s : from;
    for (; s <= STAB_MAX_STAGES; s++) {
        rk_error err = {{0}};
        rk_stab *m = stab_design_chebyshev(s, p, 0, &err);
        int ok = m && m->beta >= hrho;
        stab_free(m);
        if (ok)
            return s;
    }
    return -1;
}

static double geomean_finite(const double *e, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(e[i]))
            return INFINITY;
        sum += log(e[i]);
    }
    return n > 0 ? exp(sum / n) : INFINITY;
}

/* Each member's truth is a Taylor run of all d unknowns over about
 * T rho / 2 steps, and rho grows with the grid: on a grid of thousands
 * of unknowns half as many members keep learn's time in minutes. */
#define STABCHOICE_HUGE_DIM 4096

static int members_by_size(const rk_family *f, int given, int small, int large)
{
    return given > 0 ? given : f->dim <= 64 ? small : f->dim <= STABCHOICE_HUGE_DIM ? large : large / 2;
}

static int decide(const rk_family *f, const stabchoice_config *c, stabchoice_result *r,
                  rk_error *err)
{
    int nm = members_by_size(f, c->spectrum_members, 16, 16);
    if (spectrum_measure(f, nm, c->seed, &r->spec, err) != 0)
        return -1;
    r->rho = spectrum_rho_bound(&r->spec);
    r->h_max = family_max_step(f);
    r->hrho = r->h_max * r->rho;
    r->beta_classical = classical_interval(c->stages, r->classical, sizeof r->classical);
    /* growth (y' = y^2 near its blow-up) or rotation is no case for a
     * real interval: only how far the spectrum reaches left counts */
    double left = r->h_max * spectrum_left_bound(&r->spec);
    int beyond = left > STABCHOICE_BEYOND * r->beta_classical;
    r->chosen = c->force || c->stages > STABCHOICE_TABLEAU_MAX || beyond;
    if (c->force && !beyond)
        snprintf(r->why, sizeof r->why, "asked for (--stabilized): h rho reaches %.4g, inside %s's "
                 "real interval %.4g", r->hrho, r->classical, r->beta_classical);
    else if (beyond)
        snprintf(r->why, sizeof r->why, "h rho reaches %.4g (rho up to %.4g at h up to %.4g), %.3g times "
                 "the longest real interval of a classical method with at most %d stages (%s, %.4g)",
                 r->hrho, r->rho, r->h_max, r->hrho / r->beta_classical, c->stages, r->classical,
                 r->beta_classical);
    else
        snprintf(r->why, sizeof r->why, "%d stages: more than a tableau holds (%d)", c->stages,
                 STABCHOICE_TABLEAU_MAX);
    return 0;
}

/* Designs the candidates; 0, or 2 with err when none is stable. */
static int design(const rk_family *f, const stabchoice_config *c, stabchoice_result *r,
                  rk_stab **cand, rk_error *err)
{
    int any = 0;
    for (int k = 0; k < STABCHOICE_NCAND; k++) {
        rk_error e = {{0}};
        double eps = dampings[k % STABCHOICE_NEPS];
        r->eps[k] = eps;
        r->form[k] = k < STABCHOICE_NEPS ? STAB_CHEBYSHEV : STAB_PRODUCT;
        cand[k] = r->form[k] == STAB_CHEBYSHEV
                      ? stab_design_chebyshev(c->stages, c->order, eps, &e)
                      : stab_design(c->stages, c->order, eps, &e);
        r->beta[k] = cand[k] ? cand[k]->beta : 0;
        any |= r->beta[k] >= r->hrho;
    }
    r->ncand = STABCHOICE_NCAND;
    if (any)
        return 0;
    if (!cand[0]) {
        rk_error_set(err, "no %d-stage method of order %d could be designed", c->stages, c->order);
        return -1;
    }
    r->min_stages = fewest_stages(c->stages + 1, c->order, r->hrho);
    rk_error_set(err, "%s: no %d-stage method of order %d is stable over it: h rho reaches %.4g "
                 "(rho up to %.4g at h up to %.4g), and the longest real interval with %d stages is "
                 "%.4g; ask for --stages %d or more, or narrow the step range",
                 f->name, c->stages, c->order, r->hrho, r->rho, r->h_max, c->stages, r->beta[0],
                 r->min_stages);
    return 2;
}

/* Among the candidates of best's form as accurate as it, the longest
 * interval with at least STABCHOICE_TIE_MIN_EPS of damping: a ladder of
 * it takes fewer stages for a step, and accuracy cannot tell them apart.
 * Errors tie within STABCHOICE_TIE of each other, or when both are at
 * the rounding of n steps (a smooth start that the stiff modes never
 * reach leaves nothing else: diffusion1d's sine mode, 1.3-1.6e-12 over
 * 50 steps for every design at S = 8). */
static int longest_tied(stabchoice_result *r, int best, const sample_set *s)
{
    unsigned long nmax = 1;
    for (int i = 0; i < s->n; i++)
        nmax = s->nsteps[i] > nmax ? s->nsteps[i] : nmax;
    double rounding = STABCHOICE_ROUNDING * DBL_EPSILON * (double)nmax;
    double tie = fmax((1 + STABCHOICE_TIE) * r->train_err[best], rounding);
    int pick = best;
    for (int k = 0; k < r->ncand; k++)
        if (r->form[k] == r->form[best] && r->eps[k] >= STABCHOICE_TIE_MIN_EPS &&
            r->train_err[k] <= tie && r->beta[k] > r->beta[pick])
            pick = k;
    r->tied = pick != best;
    return pick;
}

/* The most accurate stable candidate on the training members. */
static int train(const rk_family *f, stabchoice_result *r, rk_stab **cand,
                 const sample_set *s, double *e)
{
    int best = -1;
    for (int k = 0; k < r->ncand; k++) {
        r->train_err[k] = INFINITY;
        if (!cand[k] || r->beta[k] < r->hrho || measure_stab(f, cand[k], s, e) < 0)
            continue;
        r->train_err[k] = geomean_finite(e, s->n);
        double gain = r->form[k] == STAB_PRODUCT && best >= 0 && r->form[best] == STAB_CHEBYSHEV
                          ? STABCHOICE_PRODUCT_GAIN : 1;
        if (isfinite(r->train_err[k]) && (best < 0 || r->train_err[k] < gain * r->train_err[best]))
            best = k;
    }
    return best < 0 ? best : longest_tied(r, best, s);
}

static void judge(const rk_family *f, stabchoice_result *r, rk_stab **cand,
                  const sample_set *s, double *e, double *e0, uint64_t seed)
{
    measure_stab(f, r->method, s, e);
    r->fresh_err = geomean_finite(e, s->n);
    if (cand[0] && measure_stab(f, cand[0], s, e0) >= 0)
        r->vs_widest = stats_ratio_ci(e, e0, s->n, 0.9, seed);
    double steps = 0, steps_rk4 = 0, beta4 = real_interval("rk4");
    for (int i = 0; i < s->n; i++) {
        double t = s->h[i] * (double)s->nsteps[i];
        steps += (double)s->nsteps[i];
        steps_rk4 += beta4 > 0 ? ceil(t * r->rho / beta4) : NAN;
    }
    r->nfev = (double)stab_stages(r->method) * steps / s->n;
    r->nfev_rk4 = 4 * steps_rk4 / s->n;
}

static int choose(const rk_family *f, const stabchoice_config *c, stabchoice_result *r,
                  rk_stab **cand, rk_error *err)
{
    sample_set tr, fr;
    memset(&tr, 0, sizeof tr);
    memset(&fr, 0, sizeof fr);
    r->samples = members_by_size(f, c->samples, 64, 8);
    r->fresh = members_by_size(f, c->fresh, 256, 16);
    if (samples_draw(f, c->seed, STREAM_TRAIN, r->samples, 0, 0, &tr, err) != 0)
        return -1;
    if (samples_draw(f, c->seed, STREAM_TEST, r->fresh, 0, 0, &fr, err) != 0) {
        samples_free(&tr);
        return -1;
    }
    int n = tr.n > fr.n ? tr.n : fr.n, status = 0;
    double *e = malloc(2 * (size_t)n * sizeof *e);
    r->best = e ? train(f, r, cand, &tr, e) : -1;
    if (!e) {
        rk_error_set(err, "out of memory");
        status = -1;
    } else if (r->best < 0) {
        rk_error_set(err, "%s: every stable %d-stage design blows up on the training members (the "
                     "spectrum may be far from the negative real axis)", f->name, c->stages);
        status = 1;
    } else {
        r->method = cand[r->best];
        cand[r->best] = NULL;
        judge(f, r, cand, &fr, e, e + n, c->seed);
    }
    free(e);
    samples_free(&tr);
    samples_free(&fr);
    return status;
}

int stabchoice_run(const rk_family *f, const stabchoice_config *c, stabchoice_result *r,
                   rk_error *err)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(r, 0, sizeof *r);
    if (decide(f, c, r, err) != 0)
        return -1;
    if (!r->chosen)
        return 0;
    if (c->order > 2) {
        rk_error_set(err, "%s: %s; but a many-stage method of order %d has that order on linear "
                     "problems only (docs/stabilized.md): ask for --order 2 or 1", f->name, r->why,
                     c->order);
        return 2;
    }
    rk_stab *cand[STABCHOICE_NCAND] = {0};
    int status = design(f, c, r, cand, err);
    if (status == 0)
        status = choose(f, c, r, cand, err);
    for (int k = 0; k < STABCHOICE_NCAND; k++)
        stab_free(cand[k]);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    return status;
}

void stabchoice_free(stabchoice_result *r)
{
    stab_free(r->method);
    r->method = NULL;
}
