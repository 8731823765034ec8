/* bench_stabilized.c - issue 14's target: the f evaluations a method
 * needs to reach the family's horizon T at a given accuracy, for a
 * many-stage product-form method (rkgen learn's, or rkgen stability's)
 * against rk4 and ssprk3 at their largest stable steps and the adaptive
 * dopri5, on members of the family (the engine's steps; what is counted
 * is evaluations, not time).
 *
 *   bench_stabilized FAMILY.ode METHOD.json [TOL [MEMBERS]]
 *
 * The accuracy is the relative max-norm error at T, the largest over the
 * members: max_i |y_i - y_i(T)| / max_i |y_i(T)| <= TOL (default 1e-4),
 * against the Taylor reference.  A fixed-step method takes the fewest
 * equal steps that are stable (h rho <= its real interval, rho the
 * spectrum's estimate without the safety factor) and reach TOL.  Prints
 * a line per method and RESULT lines for bench/run.sh. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adaptive.h"
#include "famspectrum.h"
#include "family.h"
#include "samples.h"
#include "spectrum.h"
#include "stability.h"
#include "stabilized.h"
#include "tableau.h"

typedef struct problem {
    const rk_family *f;
    sample_set s; /* each member's truth at T (one step of h = T) */
    double T, rho, tol;
    double *y, *work, *tape;
} problem;

typedef struct method {
    const char *name;
    const rk_tableau *tb; /* or */
    const rk_stab *stab;
    int stages;
    double beta;
} method;

static double rel_error(const problem *pb, const double *y, const double *truth)
{
    double e = 0, size = 0;
    for (int i = 0; i < pb->f->dim; i++) {
        e = fmax(e, fabs(y[i] - truth[i]));
        size = fmax(size, fabs(truth[i]));
    }
    return isfinite(e) ? e / fmax(size, 1e-300) : INFINITY;
}

/* The largest error over the members with n equal steps. */
static double error_at(problem *pb, const method *m, unsigned long n)
{
    const rk_family *f = pb->f;
    int d = f->dim;
    double worst = 0, h = pb->T / (double)n;
    for (int i = 0; i < pb->s.n; i++) {
        family_rhs_ctx ctx = {f, pb->s.p + i * f->nparam, pb->tape};
        memcpy(pb->y, pb->s.y0 + i * d, (size_t)d * sizeof *pb->y);
        if (m->stab)
            for (unsigned long k = 0; k < n; k++)
                stab_step(m->stab, family_rhs, &ctx, d, (double)k * h, pb->y, h, pb->work);
        else
            rk_integrate(m->tb, family_rhs, &ctx, d, 0.0, pb->y, h, n, pb->work);
        worst = fmax(worst, rel_error(pb, pb->y, pb->s.yT + i * d));
    }
    return worst;
}

/* The fewest stable steps reaching the tolerance: doubling, then
 * bisection (the error falls with n once the steps are stable). */
static unsigned long fewest_steps(problem *pb, const method *m, double *err)
{
    unsigned long lo = (unsigned long)ceil(pb->T * pb->rho / m->beta), hi;
    lo = lo > 0 ? lo : 1;
    *err = error_at(pb, m, lo);
    if (*err <= pb->tol)
        return lo;
    for (hi = lo * 2; (*err = error_at(pb, m, hi)) > pb->tol; hi *= 2)
        if (hi > (1UL << 24))
            return 0;
    while (hi - lo > 1) {
        unsigned long mid = lo + (hi - lo) / 2;
        if (error_at(pb, m, mid) <= pb->tol)
            hi = mid;
        else
            lo = mid;
    }
    *err = error_at(pb, m, hi);
    return hi;
}


/* dopri5 with the tolerance lowered by halves until the error is met. */
static unsigned long adaptive_nfev(problem *pb, double *err, double *rtol_out)
{
    const rk_family *f = pb->f;
    int d = f->dim;
    rk_tableau *t = tableau_builtin("dopri5");
    double *work = malloc(RK_ADAPT_WORK(t->s, d) * sizeof *work);
    unsigned long best = 0;
    for (double rtol = 1e-2; rtol > 1e-13 && work; rtol *= 0.5) {
        unsigned long nfev = 0;
        double worst = 0;
        for (int i = 0; i < pb->s.n; i++) {
            family_rhs_ctx ctx = {f, pb->s.p + i * f->nparam, pb->tape};
            rk_adapt_stats st;
            memcpy(pb->y, pb->s.y0 + i * d, (size_t)d * sizeof *pb->y);
            rk_adapt_solve(t, family_rhs, &ctx, d, 0, pb->T, pb->y, rtol, rtol * 1e-3, NULL, NULL, &st, work);
            nfev = st.nfev > nfev ? st.nfev : nfev;
            worst = fmax(worst, rel_error(pb, pb->y, pb->s.yT + i * d));
        }
        if (worst <= pb->tol) {
            best = nfev;
            *err = worst;
            *rtol_out = rtol;
            break;
        }
    }
    free(work);
    tableau_free(t);
    return best;
}

static void report(problem *pb, const method *m, unsigned long learned_fev)
{
    double err;
    unsigned long n = fewest_steps(pb, m, &err);
    unsigned long fev = n * (unsigned long)m->stages;
    printf("  %-22s %3d stages, interval %-9.4g %6lu steps, %7lu evaluations, error %.3g",
           m->name, m->stages, m->beta, n, fev, err);
    if (learned_fev && n)
        printf("  (%.3gx the product method's)", (double)fev / (double)learned_fev);
    printf("\n");
    printf("RESULT stabilized %s %s nfev %lu\n", pb->f->name, m->name, fev);
}

static int setup(problem *pb, const char *fam, double tol, int members, rk_error *err)
{
    memset(pb, 0, sizeof *pb);
    rk_family *f = family_load(fam, err);
    if (!f)
        return -1;
    pb->f = f;
    pb->T = f->horizon;
    pb->tol = tol;
    spectrum_summary sp;
    if (spectrum_measure(f, members, 7, &sp, err) != 0 ||
        samples_draw(f, 7, STREAM_TEST, members, pb->T, 0, &pb->s, err) != 0)
        return -1;
    /* the estimate itself: a classical method gets its real interval whole */
    pb->rho = sp.exact ? sp.rho_max : sp.power_max / SPEC_SAFETY;
    if (sp.gersh)
        pb->rho = fmin(pb->rho, sp.gersh_max);
    size_t d = (size_t)f->dim;
    pb->y = malloc(d * sizeof *pb->y);
    pb->work = malloc((RK_WORK(16, d) + STAB_WORK(d)) * sizeof *pb->work);
    pb->tape = malloc(((size_t)f->rhs.n + 1) * sizeof *pb->tape);
    return pb->y && pb->work && pb->tape ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_stabilized FAMILY.ode METHOD.json [TOL [MEMBERS]]\n");
        return 2;
    }
    double tol = argc > 3 ? atof(argv[3]) : 1e-4;
    int members = argc > 4 ? atoi(argv[4]) : 4;
    rk_error err = {{0}};
    problem pb;
    rk_stab *sm = stab_read(argv[2], &err);
    if (!sm || setup(&pb, argv[1], tol, members, &err) != 0) {
        fprintf(stderr, "bench_stabilized: %s\n", err.text[0] ? err.text : "out of memory");
        return 2;
    }
    rk_tableau *rk4 = tableau_builtin("rk4"), *ssp = tableau_builtin("ssprk3");
    method ms = {sm->name, NULL, sm, stab_stages(sm), sm->beta};
    method m4 = {"rk4", rk4, NULL, 4, stability_real_interval(rk4)};
    method m3 = {"ssprk3", ssp, NULL, 3, stability_real_interval(ssp)};
    printf("== %s: to T = %g at relative max-norm error <= %g on %d members (rho %.6g)\n",
           pb.f->name, pb.T, tol, pb.s.n, pb.rho);
    for (int i = 0; i < pb.s.n; i++) {
        printf("MEMBER");
        for (int k = 0; k < pb.f->nparam; k++)
            printf(" %s=%.17g", pb.f->param[k].name, pb.s.p[i * pb.f->nparam + k]);
        printf("\n");
    }
    double e;
    unsigned long n = fewest_steps(&pb, &ms, &e), fev = n * (unsigned long)ms.stages;
    report(&pb, &ms, 0);
    report(&pb, &m4, fev);
    report(&pb, &m3, fev);
    double rtol = 0;
    unsigned long ad = adaptive_nfev(&pb, &e, &rtol);
    printf("  %-22s adaptive, rtol %-9.3g %7lu evaluations, error %.3g  (%.3gx the product method's)\n",
           "dopri5", rtol, ad, e, (double)ad / (double)fev);
    printf("RESULT stabilized %s dopri5 nfev %lu\n", pb.f->name, ad);
    stab_free(sm);
    tableau_free(rk4);
    tableau_free(ssp);
    samples_free(&pb.s);
    family_free((rk_family *)pb.f);
    free(pb.y);
    free(pb.work);
    free(pb.tape);
    return 0;
}
