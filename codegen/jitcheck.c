/* jitcheck.c - integrates sampled members with the JIT-compiled stepper
 * and with the engine, and measures how far apart they are (jitcheck.h). */
#include "jitcheck.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rk.h"
#include "spectrum.h"
#include "stabilized.h"

/* The members' draws: fixed, so that the check itself is reproducible. */
#define JITCHECK_SEED 0x6a17c8ecU

/* The engine's step of whichever form the stepper was emitted from. */
typedef struct engine {
    const rk_tableau *t;
    const rk_stab *m;
    size_t work;   /* reals of step workspace for the family's dimension */
    const rk_stab_ladder *L;
} engine;

/* Step j's rho for a ladder: just inside rung j's interval, rung after
 * rung, then 2.5 times the top's (substeps), and round again. */
static double ladder_rho(const engine *en, int j, double h)
{
    const rk_stab_ladder *L = en->L;
    int nr = 0;
    for (int s = L->smin; s <= L->smax; s++)
        nr += L->rung[s - L->smin] != NULL;
    int want = j % (nr + 1);
    if (want == nr)
        return 2.5 * L->top->beta / h;
    for (int s = L->smin; s <= L->smax; s++)
        if (L->rung[s - L->smin] && want-- == 0)
            return JITCHECK_INSIDE * L->rung[s - L->smin]->beta / h;
    return L->top->beta / h;
}

static void engine_step(const engine *en, family_rhs_ctx *ctx, int d, double t, double *y,
                        double h, double *work)
{
    if (en->m)
        stab_step(en->m, family_rhs, ctx, d, t, y, h, work);
    else
        rk_step(en->t, family_rhs, ctx, d, t, y, h, work);
}

static void engine_stepf(const engine *en, family_rhsf_ctx *ctx, int d, float t, float *y,
                         float h, float *work)
{
    if (en->m)
        stab_stepf(en->m, family_rhsf, ctx, d, t, y, h, work);
    else
        rk_stepf(en->t, family_rhsf, ctx, d, t, y, h, work);
}

typedef struct member {
    double *p, *y0, *jit, *eng;
    float *pf, *jitf, *engf;
    double h;
    int steps;
    int index; /* of the members compared so far: a ladder's rungs go on from the last */
} member;

/* The largest difference so far, in ulps of the state's largest
 * component; -1 once the engine has left the finite numbers. */
static double difference(const double *eng, const double *jit, int d, double eps, double tiny)
{
    double scale = 0, diff = 0;
    for (int i = 0; i < d; i++) {
        if (!isfinite(eng[i]))
            return -1;
        scale = fmax(scale, fabs(eng[i]));
        diff = fmax(diff, fabs(eng[i] - jit[i]));
    }
    if (diff != diff)
        return INFINITY;
    return scale > 0 ? diff / (scale * eps) : diff / tiny;
}

/* Step by step in double, compared after every step up to
 * JITCHECK_STEPS or until the engine's solution stops being finite (a
 * step beyond the method's stability is still a fair comparison up to
 * there).  Returns the largest difference, or -1 if not one step was
 * finite. */
static double compare_double(const rk_family *f, const engine *en,
                             const jit_stepper *js, member *m, double *work)
{
    int d = f->dim;
    family_rhs_ctx ctx = {f, m->p, work + en->work};
    memcpy(m->jit, m->y0, (size_t)d * sizeof *m->jit);
    memcpy(m->eng, m->y0, (size_t)d * sizeof *m->eng);
    double worst = -1;
    for (int k = 0; k < m->steps; k++) {
        double tk = (double)k * m->h, u;
        if (en->L) {
            double rho = ladder_rho(en, m->index * m->steps + k, m->h);
            unsigned long ne = stab_ladder_step(en->L, family_rhs, &ctx, d, tk, m->eng, m->h, rho, work);
            unsigned long nj = js->lstep(tk, m->jit, m->h, rho, m->p);
            u = ne == nj ? difference(m->eng, m->jit, d, DBL_EPSILON, DBL_MIN) : INFINITY;
        } else {
            engine_step(en, &ctx, d, tk, m->eng, m->h, work);
            js->step(tk, m->jit, m->h, m->p);
            u = difference(m->eng, m->jit, d, DBL_EPSILON, DBL_MIN);
        }
        if (u < 0)
            break;
        worst = fmax(worst, u);
    }
    return worst;
}

/* The same in float, the float states widened into jit and eng. */
static double compare_float(const rk_family *f, const engine *en,
                            const jit_stepper *js, member *m, float *work)
{
    int d = f->dim;
    for (int i = 0; i < f->nparam; i++)
        m->pf[i] = (float)m->p[i];
    family_rhsf_ctx ctx = {f, m->pf, work + en->work};
    for (int i = 0; i < d; i++)
        m->jitf[i] = m->engf[i] = (float)m->y0[i];
    float h = (float)m->h;
    double worst = -1;
    for (int k = 0; k < m->steps; k++) {
        float tk = (float)k * h;
        int same = 1;
        if (en->L) {
            float rho = (float)ladder_rho(en, m->index * m->steps + k, m->h);
            same = stab_ladder_stepf(en->L, family_rhsf, &ctx, d, tk, m->engf, h, rho, work) ==
                   js->lstepf(tk, m->jitf, h, rho, m->pf);
        } else {
            engine_stepf(en, &ctx, d, tk, m->engf, h, work);
            js->stepf(tk, m->jitf, h, m->pf);
        }
        if (!same)
            return INFINITY;
        for (int i = 0; i < d; i++) {
            m->eng[i] = m->engf[i];
            m->jit[i] = m->jitf[i];
        }
        double u = difference(m->eng, m->jit, d, FLT_EPSILON, FLT_MIN);
        if (u < 0)
            break;
        worst = fmax(worst, u);
    }
    return worst;
}

static void describe(const rk_family *f, const member *m, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "h = %.17g", m->h);
    for (int i = 0; i < f->nparam && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, ", %s = %.17g", f->param[i].name, m->p[i]);
    for (int i = 0; i < f->dim && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, ", %s(0) = %.17g", f->state[i].name, m->y0[i]);
}

static int run(const rk_family *f, const engine *en, int is_float,
               const jit_stepper *js, jitcheck_report *rep, rk_error *err)
{
    size_t d = (size_t)f->dim, np = (size_t)f->nparam + 1;
    size_t nwork = en->work + (size_t)f->rhs.n + 1;
    double *buf = calloc(np + 3 * d + nwork, sizeof *buf);
    float *fbuf = calloc(np + 2 * d + nwork, sizeof *fbuf);
    rep->members = 0;
    rep->max_ulps = 0;
    if (!buf || !fbuf) {
        free(buf);
        free(fbuf);
        rk_error_set(err, "out of memory");
        return 2;
    }
    member m = {buf, buf + np, buf + np + d, buf + np + 2 * d, fbuf, fbuf + np, fbuf + np + d, 0, 0, 0};
    long per = JITCHECK_BUDGET / (long)d;
    int steps = per / JITCHECK_MEMBERS > JITCHECK_STEPS ? JITCHECK_STEPS : (int)(per / JITCHECK_MEMBERS);
    steps = steps < JITCHECK_MIN_STEPS ? JITCHECK_MIN_STEPS : steps;
    int members = per / steps > JITCHECK_MEMBERS ? JITCHECK_MEMBERS : per / steps < 1 ? 1 : (int)(per / steps);
    m.steps = rep->steps = steps;
    rk_rng rng;
    rng_seed(&rng, JITCHECK_SEED);
    int status = 0;
    for (int tries = 0; tries < 8 * members && rep->members < members; tries++) {
        family_sample(f, &rng, m.p, m.y0, &m.h);
        m.index = rep->members;
        double ulps = is_float ? compare_float(f, en, js, &m, fbuf + np + 2 * d)
                               : compare_double(f, en, js, &m, buf + np + 3 * d);
        if (ulps < 0)
            continue;
        rep->members++;
        if (ulps > rep->max_ulps)
            rep->max_ulps = ulps;
        if (ulps > JITCHECK_ULPS) {
            char who[512];
            describe(f, &m, who, sizeof who);
            rk_error_set(err, "the compiled stepper differs from the engine by %.3g ulps after %d steps at %s",
                         ulps, steps, who);
            status = 1;
            break;
        }
    }
    if (status == 0 && rep->members == 0) {
        rk_error_set(err, "no sampled member of family %s stays finite for %d steps: check its distributions",
                     f->name, steps);
        status = 2;
    }
    free(buf);
    free(fbuf);
    return status;
}

int jitcheck_run(const rk_family *f, const rk_tableau *t, int is_float,
                 const jit_stepper *js, jitcheck_report *rep, rk_error *err)
{
    engine en = {t, NULL, RK_WORK(t->s, f->dim), NULL};
    return run(f, &en, is_float, js, rep, err);
}

int jitcheck_run_stab(const rk_family *f, const rk_stab *m, int is_float,
                      const jit_stepper *js, jitcheck_report *rep, rk_error *err)
{
    engine en = {NULL, m, STAB_WORK(f->dim), NULL};
    return run(f, &en, is_float, js, rep, err);
}

/* A member for the check of _rho: its parameters, state and the
 * stepper's direction, in double and in float. */
typedef struct rho_case {
    int is_float;
    double *p, *y, *v, h;
    float *pf, *yf, *vf;
} rho_case;

/* One member's estimates, cold and then warm (the direction of the first
 * call starts the second, at a state one damped Euler step on): the
 * engine's power method in max-norms from spec_scatter's start against
 * the stepper's _rho from a zero direction.  In double the same bits and
 * evaluations; in float, within JITCHECK_RHO_FLOAT of the double
 * estimate.  Returns 0, or 1 with err. */
static int rho_member(const rk_family *f, spec_power *pw, const jit_stepper *js, rho_case *c,
                      rk_error *err)
{
    int d = f->dim;
    family_rhs_ctx ctx = {f, c->p, pw->tape};
    spec_scatter(pw->dir, d);
    pw->have_dir = 1;
    for (int i = 0; i < d; i++) {
        c->v[i] = 0;
        c->vf[i] = 0;
        c->yf[i] = (float)c->y[i];
    }
    for (int call = 0; call < 2; call++) {
        double t = call * c->h, want = spec_power_rho(pw, c->p, t, c->y), got;
        unsigned long n = 0, want_n = (unsigned long)pw->iters + 1;
        if (c->is_float)
            got = (double)js->lrhof((float)t, c->yf, c->vf, c->pf, &n);
        else
            got = js->lrho(t, c->y, c->v, c->p, &n);
        int ok = c->is_float ? fabs(got - want) <= JITCHECK_RHO_FLOAT * want
                             : fabs(got - want) <= JITCHECK_ULPS * DBL_EPSILON * want && n == want_n;
        if (!ok) {
            rk_error_set(err, "the compiled stepper's rho is %.17g (%lu evaluations) at t = %g where the "
                         "engine's is %.17g (%lu)", got, n, t, want, want_n);
            return 1;
        }
        double *fy = pw->fy;
        family_rhs(&ctx, t, c->y, fy);
        for (int i = 0; i < d; i++) {
            c->y[i] += c->h * fy[i] / fmax(1.0, c->h * want);
            c->yf[i] = (float)c->y[i];
        }
    }
    return 0;
}

static int check_rho(const rk_family *f, int is_float, const jit_stepper *js, rk_error *err)
{
    size_t d = (size_t)f->dim, np = (size_t)f->nparam + 1;
    double *buf = calloc(np + 2 * d, sizeof *buf);
    float *fbuf = calloc(np + 2 * d, sizeof *fbuf);
    spec_power pw;
    int status = !buf || !fbuf || spec_power_init(&pw, f) != 0 ? -1 : 0;
    if (status == 0) {
        rho_case c = {is_float, buf, buf + np, buf + np + d, 0, fbuf, fbuf + np, fbuf + np + d};
        rk_rng rng;
        rng_seed(&rng, JITCHECK_SEED);
        pw.maxnorm = 1;
        for (int k = 0; k < JITCHECK_RHO_MEMBERS && status == 0; k++) {
            family_sample(f, &rng, c.p, c.y, &c.h);
            for (int i = 0; i < f->nparam; i++)
                c.pf[i] = (float)c.p[i];
            status = rho_member(f, &pw, js, &c, err);
        }
        spec_power_free(&pw);
    }
    if (status < 0)
        rk_error_set(err, "out of memory");
    free(buf);
    free(fbuf);
    return status < 0 ? 2 : status;
}

int jitcheck_run_ladder(const rk_family *f, const rk_stab_ladder *L, int is_float,
                        const jit_stepper *js, jitcheck_report *rep, rk_error *err)
{
    engine en = {NULL, L->top, STAB_WORK(f->dim), L};
    int status = run(f, &en, is_float, js, rep, err);
    int have_rho = is_float ? js->lrhof != NULL : js->lrho != NULL;
    return status == 0 && have_rho ? check_rho(f, is_float, js, err) : status;
}
