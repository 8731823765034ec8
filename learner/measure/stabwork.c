/* stabwork.c - f evaluations to the horizon at an accuracy (stabwork.h). */
#include "stabwork.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adaptive.h"
#include "famspectrum.h"
#include "rkc2.h"
#include "spectrum.h"
#include "stability.h"

#define SW_MAX_STEPS (1UL << 24)

static double rel_error(const sw_problem *pb, const double *y, const double *truth)
{
    double e = 0, size = 0;
    for (int i = 0; i < pb->f->dim; i++) {
        e = fmax(e, fabs(y[i] - truth[i]));
        size = fmax(size, fabs(truth[i]));
    }
    return isfinite(e) ? e / fmax(size, 1e-300) : INFINITY;
}

static family_rhs_ctx member_ctx(const sw_problem *pb, int i)
{
    family_rhs_ctx ctx = {pb->f, pb->s.p + (size_t)i * (size_t)pb->f->nparam, pb->tape};
    memcpy(pb->y, pb->s.y0 + (size_t)i * (size_t)pb->f->dim, (size_t)pb->f->dim * sizeof *pb->y);
    return ctx;
}

double stabwork_error(sw_problem *pb, const sw_method *m, unsigned long n)
{
    int d = pb->f->dim;
    double worst = 0, h = pb->T / (double)n;
    for (int i = 0; i < pb->s.n; i++) {
        family_rhs_ctx ctx = member_ctx(pb, i);
        if (m->stab)
            for (unsigned long k = 0; k < n; k++)
                stab_step(m->stab, family_rhs, &ctx, d, (double)k * h, pb->y, h, pb->work);
        else
            rk_integrate(m->tb, family_rhs, &ctx, d, 0.0, pb->y, h, n, pb->work);
        worst = fmax(worst, rel_error(pb, pb->y, pb->s.yT + (size_t)i * (size_t)d));
    }
    return worst;
}

/* Doubling, then bisection: once the steps are stable the error falls
 * with n. */
unsigned long stabwork_fewest_steps(sw_problem *pb, const sw_method *m, double tol, double *err)
{
    unsigned long lo = (unsigned long)ceil(pb->T * pb->rho / m->beta), hi;
    lo = lo > 0 ? lo : 1;
    *err = stabwork_error(pb, m, lo);
    if (*err <= tol)
        return lo;
    for (hi = lo * 2; (*err = stabwork_error(pb, m, hi)) > tol; hi *= 2)
        if (hi > SW_MAX_STEPS)
            return 0;
    while (hi - lo > 1) {
        unsigned long mid = lo + (hi - lo) / 2;
        if (stabwork_error(pb, m, mid) <= tol)
            hi = mid;
        else
            lo = mid;
    }
    *err = stabwork_error(pb, m, hi);
    return hi;
}

/* The error after n equal steps with rung r of a ladder. */
typedef double (*rung_error_fn)(sw_problem *pb, const void *ladder, int r, unsigned long n);

typedef struct rungs {
    int n;
    const int *stages;  /* ascending */
    const double *beta; /* ascending */
    rung_error_fn error;
    const void *ladder;
} rungs;

/* The step counts at which rung r is the fewest stable stages:
 * [ceil(T rho / beta_r), ceil(T rho / beta_{r-1}) - 1], the lowest
 * rung's unbounded. */
static void rung_range(const sw_problem *pb, const rungs *R, int r, unsigned long *lo, unsigned long *hi)
{
    double tr = pb->T * pb->rho;
    *lo = (unsigned long)fmax(1, ceil(tr / R->beta[r]));
    *hi = r == 0 ? SW_MAX_STEPS : (unsigned long)fmin((double)SW_MAX_STEPS, ceil(tr / R->beta[r - 1]) - 1);
}

/* Each rung in its range: the error falls with n there, so doubling
 * (the lowest rung) and bisection find its fewest steps. */
static sw_fewest fewest_over_rungs(sw_problem *pb, const rungs *R, double tol)
{
    sw_fewest best = {0, 0, 0, 0};
    for (int r = 0; r < R->n; r++) {
        unsigned long lo, hi;
        rung_range(pb, R, r, &lo, &hi);
        if (lo > hi || (best.nfev && lo * (unsigned long)R->stages[r] >= best.nfev))
            continue;
        double e = R->error(pb, R->ladder, r, lo);
        if (e > tol) {
            if (r == 0)
                for (hi = lo * 2; hi <= SW_MAX_STEPS && R->error(pb, R->ladder, r, hi) > tol; hi *= 2)
                    lo = hi;
            if (hi > SW_MAX_STEPS || R->error(pb, R->ladder, r, hi) > tol)
                continue;
            while (hi - lo > 1) {
                unsigned long mid = lo + (hi - lo) / 2;
                if (R->error(pb, R->ladder, r, mid) <= tol)
                    hi = mid;
                else
                    lo = mid;
            }
            lo = hi;
            e = R->error(pb, R->ladder, r, lo);
        }
        unsigned long nfev = lo * (unsigned long)R->stages[r];
        if (!best.nfev || nfev < best.nfev)
            best = (sw_fewest){nfev, lo, R->stages[r], e};
    }
    return best;
}

static double ladder_error(sw_problem *pb, const void *ladder, int r, unsigned long n)
{
    const rk_stab_ladder *L = ladder;
    int k = 0;
    for (int s = L->smin; s <= L->smax; s++)
        if (L->rung[s - L->smin] && k++ == r) {
            sw_method m = stabwork_stab(L->rung[s - L->smin]);
            return stabwork_error(pb, &m, n);
        }
    return INFINITY;
}

sw_fewest stabwork_fewest_ladder(sw_problem *pb, const rk_stab_ladder *L, double tol)
{
    int nr = 0, stages[STAB_MAX_STAGES + 1];
    double beta[STAB_MAX_STAGES + 1];
    for (int s = L->smin; s <= L->smax && nr <= STAB_MAX_STAGES; s++)
        if (L->rung[s - L->smin]) {
            stages[nr] = s;
            beta[nr++] = L->rung[s - L->smin]->beta;
        }
    rungs R = {nr, stages, beta, ladder_error, L};
    return fewest_over_rungs(pb, &R, tol);
}

/* RKC2's stages from 2 to RKC2_EQUAL_MAX: enough for h rho up to 0.65
 * 256^2, far past any step these searches take. */
#define RKC2_EQUAL_MAX 256

static double rkc2_error(sw_problem *pb, const void *ladder, int r, unsigned long n)
{
    int d = pb->f->dim, s = r + 2;
    double worst = 0, h = pb->T / (double)n, *fy = pb->work, *ynew = fy + d, *w = ynew + d;
    (void)ladder;
    for (int i = 0; i < pb->s.n; i++) {
        family_rhs_ctx ctx = member_ctx(pb, i);
        for (unsigned long k = 0; k < n; k++) {
            family_rhs(&ctx, (double)k * h, pb->y, fy);
            rkc2_step(family_rhs, &ctx, d, (double)k * h, pb->y, fy, h, s, ynew, w);
            memcpy(pb->y, ynew, (size_t)d * sizeof *ynew);
        }
        worst = fmax(worst, rel_error(pb, pb->y, pb->s.yT + (size_t)i * (size_t)d));
    }
    return worst;
}

sw_fewest stabwork_fewest_rkc2(sw_problem *pb, double tol)
{
    int stages[RKC2_EQUAL_MAX - 1];
    double beta[RKC2_EQUAL_MAX - 1];
    for (int s = 2; s <= RKC2_EQUAL_MAX; s++) {
        stages[s - 2] = s;
        beta[s - 2] = rkc2_beta(s);
    }
    rungs R = {RKC2_EQUAL_MAX - 1, stages, beta, rkc2_error, NULL};
    return fewest_over_rungs(pb, &R, tol);
}

/* One adaptive run of member i from its start to T at rtol; its nfev. */
typedef unsigned long (*adaptive_fn)(sw_problem *pb, int i, double rtol, const void *arg);

static unsigned long run_dopri5(sw_problem *pb, int i, double rtol, const void *arg)
{
    family_rhs_ctx ctx = member_ctx(pb, i);
    rk_adapt_stats st;
    rk_adapt_solve(arg, family_rhs, &ctx, pb->f->dim, 0, pb->T, pb->y, rtol, rtol * 1e-3, NULL, NULL, &st,
                   pb->work);
    return st.nfev;
}

static unsigned long run_rkc2(sw_problem *pb, int i, double rtol, const void *arg)
{
    family_rhs_ctx ctx = member_ctx(pb, i);
    rkc2_stats st;
    (void)arg;
    rkc2_solve(family_rhs, &ctx, pb->f->dim, 0, pb->T, pb->y, rtol, rtol * 1e-3, pb->rho, &st, pb->work);
    return st.nfev;
}

/* The tolerance lowered by halves until the error is met. */
static unsigned long adaptive_nfev(sw_problem *pb, adaptive_fn run, const void *arg, double tol, double *err,
                                   double *rtol_out)
{
    int d = pb->f->dim;
    for (double rtol = 1e-2; rtol > 1e-13; rtol *= 0.5) {
        unsigned long nfev = 0;
        double worst = 0;
        for (int i = 0; i < pb->s.n; i++) {
            unsigned long k = run(pb, i, rtol, arg);
            nfev = k > nfev ? k : nfev;
            worst = fmax(worst, rel_error(pb, pb->y, pb->s.yT + (size_t)i * (size_t)d));
        }
        if (worst <= tol) {
            *err = worst;
            *rtol_out = rtol;
            return nfev;
        }
    }
    return 0;
}

unsigned long stabwork_dopri5(sw_problem *pb, double tol, double *err, double *rtol)
{
    rk_tableau *t = tableau_builtin("dopri5");
    unsigned long nfev = t ? adaptive_nfev(pb, run_dopri5, t, tol, err, rtol) : 0;
    tableau_free(t);
    return nfev;
}

unsigned long stabwork_rkc2(sw_problem *pb, double tol, double *err, double *rtol)
{
    return adaptive_nfev(pb, run_rkc2, NULL, tol, err, rtol);
}

sw_method stabwork_tableau(const rk_tableau *t)
{
    sw_method m = {t->name, t, NULL, t->s, stability_real_interval(t)};
    return m;
}

sw_method stabwork_stab(const rk_stab *s)
{
    sw_method m = {s->name, NULL, s, stab_stages(s), s->beta};
    return m;
}

const char *const SW_COLUMN[SW_NCOL] = {"method", "ladder", "rk4", "ssprk3", "rkc2_equal", "dopri5", "rkc2"};

static void fixed_column(sw_problem *pb, const sw_method *m, double tol, sw_row *row, int col)
{
    unsigned long n = stabwork_fewest_steps(pb, m, tol, &row->err[col]);
    row->nfev[col] = n * (unsigned long)m->stages;
    row->how[col] = (double)n;
}

static void fewest_column(sw_fewest fw, sw_row *row, int col)
{
    row->nfev[col] = fw.nfev;
    row->err[col] = fw.err;
    row->how[col] = (double)fw.steps;
}

int stabwork_row(sw_problem *pb, const rk_stab *m, const rk_stab_ladder *L, double tol, sw_row *row)
{
    rk_tableau *rk4 = tableau_builtin("rk4"), *ssp = tableau_builtin("ssprk3");
    memset(row, 0, sizeof *row);
    row->tol = tol;
    if (rk4 && ssp) {
        sw_method ms = stabwork_stab(m), m4 = stabwork_tableau(rk4), m3 = stabwork_tableau(ssp);
        fixed_column(pb, &ms, tol, row, SW_METHOD);
        fixed_column(pb, &m4, tol, row, SW_RK4);
        fixed_column(pb, &m3, tol, row, SW_SSPRK3);
        fewest_column(stabwork_fewest_ladder(pb, L, tol), row, SW_LADDER);
        fewest_column(stabwork_fewest_rkc2(pb, tol), row, SW_RKC2_EQUAL);
        row->nfev[SW_DOPRI5] = stabwork_dopri5(pb, tol, &row->err[SW_DOPRI5], &row->how[SW_DOPRI5]);
        row->nfev[SW_RKC2] = stabwork_rkc2(pb, tol, &row->err[SW_RKC2], &row->how[SW_RKC2]);
    }
    int status = rk4 && ssp ? 0 : -1;
    tableau_free(rk4);
    tableau_free(ssp);
    return status;
}

static size_t work_size(size_t d)
{
    size_t w = RK_WORK(16, d) + STAB_WORK(d);
    w = w > RK_ADAPT_WORK(16, d) ? w : RK_ADAPT_WORK(16, d);
    return w > RKC2_WORK(d) ? w : RKC2_WORK(d);
}

int stabwork_setup(sw_problem *pb, const rk_family *f, unsigned long seed, int members, rk_error *err)
{
    memset(pb, 0, sizeof *pb);
    pb->f = f;
    pb->T = f->horizon;
    spectrum_summary sp;
    if (spectrum_measure(f, members, seed, &sp, err) != 0 ||
        samples_draw(f, seed, STREAM_TEST, members, pb->T, 0, &pb->s, err) != 0)
        return -1;
    /* the estimate itself: a classical method gets its real interval whole */
    pb->rho = sp.exact ? sp.rho_max : sp.power_max / SPEC_SAFETY;
    if (sp.gersh)
        pb->rho = fmin(pb->rho, sp.gersh_max);
    size_t d = (size_t)f->dim;
    pb->y = malloc(d * sizeof *pb->y);
    pb->work = malloc(work_size(d) * sizeof *pb->work);
    pb->tape = malloc(((size_t)f->rhs.n + 1) * sizeof *pb->tape);
    if (pb->y && pb->work && pb->tape)
        return 0;
    rk_error_set(err, "out of memory");
    return -1;
}

void stabwork_free(sw_problem *pb)
{
    samples_free(&pb->s);
    free(pb->y);
    free(pb->work);
    free(pb->tape);
    memset(pb, 0, sizeof *pb);
}
