/* bench_stabilized.c - issue 14's target: the f evaluations a method
 * needs to reach the family's horizon T at a given accuracy, for a
 * many-stage product-form method (rkgen learn's, or rkgen stability's)
 * against rk4 and ssprk3 at their largest stable steps and the adaptive
 * dopri5, on members of the family (the engine's steps; what is counted
 * is evaluations, not time); and the method's ladder (core/stab_ladder.h:
 * the same design at every stage count up to S, the fewest stable stages
 * for each h) at the equal steps that need the fewest evaluations.
 *
 *   bench_stabilized FAMILY.ode METHOD.json [TOL [MEMBERS]]
 *
 * The accuracy is the relative max-norm error at T, the largest over the
 * members: max_i |y_i - y_i(T)| / max_i |y_i(T)| <= TOL (default 1e-4),
 * against the Taylor reference.  A fixed-step method takes the fewest
 * equal steps that are stable (h rho <= its real interval, rho the
 * spectrum's estimate without the safety factor) and reach TOL.  Prints
 * a line per method and RESULT lines for bench/run.sh. */
#include <stdio.h>
#include <stdlib.h>

#include "family.h"
#include "stabwork.h"

static void report(sw_problem *pb, const sw_method *m, double tol, unsigned long learned_fev)
{
    double err;
    unsigned long n = stabwork_fewest_steps(pb, m, tol, &err);
    unsigned long fev = n * (unsigned long)m->stages;
    printf("  %-22s %3d stages, interval %-9.4g %6lu steps, %7lu evaluations, error %.3g",
           m->name, m->stages, m->beta, n, fev, err);
    if (learned_fev && n)
        printf("  (%.3gx the many-stage method's)", (double)fev / (double)learned_fev);
    printf("\n");
    printf("RESULT stabilized %s %s nfev %lu\n", pb->f->name, m->name, fev);
}

static void print_members(const sw_problem *pb)
{
    for (int i = 0; i < pb->s.n; i++) {
        printf("MEMBER");
        for (int k = 0; k < pb->f->nparam; k++)
            printf(" %s=%.17g", pb->f->param[k].name, pb->s.p[i * pb->f->nparam + k]);
        printf("\n");
    }
}

static void measure(sw_problem *pb, const rk_stab *sm, double tol)
{
    rk_tableau *rk4 = tableau_builtin("rk4"), *ssp = tableau_builtin("ssprk3");
    sw_method ms = stabwork_stab(sm), m4 = stabwork_tableau(rk4), m3 = stabwork_tableau(ssp);
    printf("== %s: to T = %g at relative max-norm error <= %g on %d members (rho %.6g)\n",
           pb->f->name, pb->T, tol, pb->s.n, pb->rho);
    print_members(pb);
    double e;
    unsigned long n = stabwork_fewest_steps(pb, &ms, tol, &e), fev = n * (unsigned long)ms.stages;
    report(pb, &ms, tol, 0);
    report(pb, &m4, tol, fev);
    report(pb, &m3, tol, fev);
    rk_error err = {{0}};
    rk_stab_ladder *L = stab_ladder_new(sm, &err);
    sw_fewest lw = L ? stabwork_fewest_ladder(pb, L, tol) : (sw_fewest){0, 0, 0, 0};
    printf("  %-22s %3d stages at most, %3d taken, %6lu steps, %7lu evaluations, error %.3g\n", "its ladder",
           stab_stages(sm), lw.stages, lw.steps, lw.nfev, lw.err);
    printf("RESULT stabilized %s ladder nfev %lu\n", pb->f->name, lw.nfev);
    stab_ladder_free(L);
    double rtol = 0;
    unsigned long ad = stabwork_dopri5(pb, tol, &e, &rtol);
    printf("  %-22s adaptive, rtol %-9.3g %7lu evaluations, error %.3g  (%.3gx the many-stage method's)\n",
           "dopri5", rtol, ad, e, (double)ad / (double)fev);
    printf("RESULT stabilized %s dopri5 nfev %lu\n", pb->f->name, ad);
    tableau_free(rk4);
    tableau_free(ssp);
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
    sw_problem pb = {0};
    rk_stab *sm = stab_read(argv[2], &err);
    rk_family *f = sm ? family_load(argv[1], &err) : NULL;
    if (!f || stabwork_setup(&pb, f, 7, members, &err) != 0) {
        fprintf(stderr, "bench_stabilized: %s\n", err.text[0] ? err.text : "out of memory");
        return 2;
    }
    measure(&pb, sm, tol);
    stab_free(sm);
    stabwork_free(&pb);
    family_free(f);
    return 0;
}
