/* famspectrum.c - the spectrum of a family: rho of the Jacobian at a few
 * points of each sampled member's true trajectory (spectrum.h), and the
 * largest h rho its step range reaches.  rkgen check --family reports it;
 * the learner reads from it whether classical methods are stable. */
#include "famspectrum.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The member's start and SPECTRUM_POINTS points of its true run, up to
 * where the reference solver gives up. */
static void measure_member(probe *pr, reference *ref, spectrum_summary *s, const double *p,
                           double *y, double h)
{
    const rk_family *f = pr->f;
    rk_error err = {{0}};
    double rho = measure_point(pr, s, p, 0, y);
    for (int k = 0; k < SPECTRUM_POINTS; k++) {
        double t0 = f->horizon * k / SPECTRUM_POINTS, t1 = f->horizon * (k + 1) / SPECTRUM_POINTS;
        if (reference_solve(ref, p, t0, t1, y, &err) != 0)
            break;
        rho = fmax(rho, measure_point(pr, s, p, t1, y));
    }
    s->hrho_member_max = fmax(s->hrho_member_max, h * rho);
    s->members++;
}

int spectrum_measure(const rk_family *f, int members, unsigned long seed,
                     spectrum_summary *s, rk_error *err)
{
    probe pr;
    reference ref;
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
    double *buf = malloc(((size_t)f->nparam + 2 * (size_t)f->dim + 1) * sizeof *buf);
    pr.work = malloc((spec_jacobian_work(f) + 1) * sizeof *pr.work);
    int ok = g >= 0 && buf && pr.work && spec_power_init(&pr.pw, f) == 0;
    int have_ref = ok && reference_init(&ref, f, err) == 0;
    if (ok && !have_ref) {
        free(buf);
        free(pr.work);
        spec_power_free(&pr.pw);
        spec_gersh_free(&pr.g);
        return -1;
    }
    rk_rng rng;
    rng_seed(&rng, (uint64_t)seed);
    for (int m = 0; have_ref && m < members; m++) {
        double h, *p = buf, *y = buf + f->nparam;
        family_sample(f, &rng, p, y, &h);
        measure_member(&pr, &ref, s, p, y, h);
    }
    if (have_ref)
        reference_free(&ref);
    s->power_iters_mean = s->points ? (double)pr.iters / s->points : 0;
    s->hrho_max = s->h_max * s->rho_max;
    free(buf);
    free(pr.work);
    spec_power_free(&pr.pw);
    spec_gersh_free(&pr.g);
    if (!ok) {
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
