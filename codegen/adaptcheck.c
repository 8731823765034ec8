/* adaptcheck.c - runs sampled members through the JIT-compiled adaptive
 * solver and through the engine's rk_adapt_solve and demands the same
 * bits (adaptcheck.h). */
#include "adaptcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adaptive.h"

typedef int (*dense_fn)(double t0, double *y, double rtol, double atol, const void *p,
                        const void *o, unsigned long nout, const double *tout, double *yout,
                        rk_adapt_stats *st);
typedef int (*densef_fn)(float t0, float *y, float rtol, float atol, const void *p,
                         const void *o, unsigned long nout, const float *tout, float *yout,
                         rk_adapt_stats *st);
typedef int (*solve_fn)(double t0, double t1, double *y, double rtol, double atol,
                        const void *p, rk_adapt_stats *st);
typedef int (*solvef_fn)(float t0, float t1, float *y, float rtol, float atol,
                         const void *p, rk_adapt_stats *st);

/* Tolerances per real type: loose and tight enough to reject steps. */
static const double RTOL[2][2] = {{1e-3, 1e-8}, {1e-2, 1e-5}};

typedef struct run {
    int status;
    rk_adapt_stats st;
} run;

static int same_run(const run *a, const run *b)
{
    return a->status == b->status && a->st.nfev == b->st.nfev &&
           a->st.naccept == b->st.naccept && a->st.nreject == b->st.nreject;
}

/* e the engine's run, j the compiled solve_dense's, j2 its solve's;
 * state: their final states, dense: the engine's and solve_dense's
 * outputs.  0 when every bit agrees, else 1 with err. */
static int compare(const run *e, const run *j, const run *j2, const void *const *state,
                   const void *const *dense, size_t state_bytes, size_t dense_bytes, rk_error *err)
{
    if (!same_run(e, j) || !same_run(e, j2)) {
        const run *x = same_run(e, j) ? j2 : j;
        rk_error_set(err, "the compiled solver's status/nfev/naccept/nreject %d/%lu/%lu/%lu differ "
                     "from the engine's %d/%lu/%lu/%lu", x->status, x->st.nfev, x->st.naccept,
                     x->st.nreject, e->status, e->st.nfev, e->st.naccept, e->st.nreject);
        return 1;
    }
    if (memcmp(state[0], state[1], state_bytes) != 0 || memcmp(state[0], state[2], state_bytes) != 0 ||
        memcmp(dense[0], dense[1], dense_bytes) != 0) {
        rk_error_set(err, "the compiled solver's state or dense output differs from the engine's");
        return 1;
    }
    return 0;
}

typedef struct bench {
    const rk_family *f;
    const rk_tableau *t;
    void *dense, *solve;
    size_t d;
    double *p, *y0, *work;  /* and the float copies below */
} bench;

/* One member in double: 0 agree, 1 differ (why in err). */
static int member_double(bench *b, double t1, double rtol, run *out, rk_error *err)
{
    size_t d = b->d, no = ADAPTCHECK_OUTPUTS;
    double *eng = b->work, *jit = eng + d, *eo = jit + d, *jo = eo + no * d, *y2 = jo + no * d;
    double *w = y2 + d, tout[ADAPTCHECK_OUTPUTS];
    for (size_t k = 0; k < no; k++)
        tout[k] = k + 1 < no ? t1 * (double)(k + 1) / (double)no : t1;
    family_rhs_ctx ctx = {b->f, b->p, w + RK_ADAPT_WORK(b->t->s, d)};
    rk_adapt_dense dn = {no, tout, eo};
    run e, j, j2;
    dense_fn dense;
    solve_fn solve;
    memcpy(&dense, &b->dense, sizeof dense);
    memcpy(&solve, &b->solve, sizeof solve);
    memcpy(eng, b->y0, d * sizeof *eng);
    memcpy(jit, b->y0, d * sizeof *jit);
    memcpy(y2, b->y0, d * sizeof *y2);
    memset(eo, 0, no * d * sizeof *eo);
    memset(jo, 0, no * d * sizeof *jo);
    e.status = rk_adapt_solve(b->t, family_rhs, &ctx, (int)d, 0, t1, eng, rtol, rtol * 1e-3,
                              NULL, &dn, &e.st, w);
    j.status = dense(0, jit, rtol, rtol * 1e-3, b->p, NULL, no, tout, jo, &j.st);
    j2.status = solve(0, t1, y2, rtol, rtol * 1e-3, b->p, &j2.st);
    *out = e;
    const void *state[3] = {eng, jit, y2}, *dense_out[2] = {eo, jo};
    return compare(&e, &j, &j2, state, dense_out, d * sizeof *eng, no * d * sizeof *eo, err);
}

/* The same in float, every input rounded from its double. */
static int member_float(bench *b, double t1d, double rtold, run *out, rk_error *err)
{
    size_t d = b->d, no = ADAPTCHECK_OUTPUTS;
    float *pf = (float *)b->work, *eng = pf + b->f->nparam + 1, *jit = eng + d, *eo = jit + d;
    float *jo = eo + no * d, *y2 = jo + no * d, *w = y2 + d, tout[ADAPTCHECK_OUTPUTS];
    float t1 = (float)t1d, rtol = (float)rtold, atol = (float)(rtold * 1e-3);
    for (int i = 0; i < b->f->nparam; i++)
        pf[i] = (float)b->p[i];
    for (size_t k = 0; k < no; k++)
        tout[k] = k + 1 < no ? t1 * (float)(k + 1) / (float)no : t1;
    family_rhsf_ctx ctx = {b->f, pf, w + RK_ADAPT_WORK(b->t->s, d)};
    rk_adapt_densef dn = {no, tout, eo};
    run e, j, j2;
    densef_fn dense;
    solvef_fn solve;
    memcpy(&dense, &b->dense, sizeof dense);
    memcpy(&solve, &b->solve, sizeof solve);
    for (size_t i = 0; i < d; i++)
        eng[i] = jit[i] = y2[i] = (float)b->y0[i];
    memset(eo, 0, no * d * sizeof *eo);
    memset(jo, 0, no * d * sizeof *jo);
    e.status = rk_adapt_solvef(b->t, family_rhsf, &ctx, (int)d, 0, t1, eng, rtol, atol,
                               NULL, &dn, &e.st, w);
    j.status = dense(0, jit, rtol, atol, pf, NULL, no, tout, jo, &j.st);
    j2.status = solve(0, t1, y2, rtol, atol, pf, &j2.st);
    *out = e;
    const void *state[3] = {eng, jit, y2}, *dense_out[2] = {eo, jo};
    return compare(&e, &j, &j2, state, dense_out, d * sizeof *eng, no * d * sizeof *eo, err);
}

static int lookup(rk_jit *jit, const char *prefix, bench *b, rk_error *err)
{
    char name[128];
    snprintf(name, sizeof name, "%s_solve_dense", prefix);
    b->dense = jit_symbol(jit, name, err);
    snprintf(name, sizeof name, "%s_solve", prefix);
    b->solve = b->dense ? jit_symbol(jit, name, err) : NULL;
    return b->solve ? 0 : -1;
}

static int members(bench *b, int is_float, jitcheck_report *rep, rk_error *err)
{
    double h;
    rk_rng rng;
    rng_seed(&rng, 0x6a17c8ecU);
    for (int m = 0; m < JITCHECK_MEMBERS; m++) {
        family_sample(b->f, &rng, b->p, b->y0, &h);
        for (int k = 0; k < 2; k++) {
            run r;
            double rtol = RTOL[is_float][k];
            int bad = is_float ? member_float(b, JITCHECK_STEPS * h, rtol, &r, err)
                               : member_double(b, JITCHECK_STEPS * h, rtol, &r, err);
            if (bad)
                return 1;
            rep->members++;
            rep->steps += (int)r.st.naccept;
        }
    }
    return 0;
}

int adaptcheck_run(const rk_family *f, const rk_tableau *t, int is_float, rk_jit *jit,
                   const char *prefix, jitcheck_report *rep, rk_error *err)
{
    bench b = {f, t, NULL, NULL, (size_t)f->dim, NULL, NULL, NULL};
    size_t d = b.d, no = ADAPTCHECK_OUTPUTS;
    size_t nwork = 2 * (f->nparam + 1 + (2 * no + 3) * d + RK_ADAPT_WORK(t->s, d) + f->rhs.n + 1);
    memset(rep, 0, sizeof *rep);
    if (lookup(jit, prefix, &b, err) != 0)
        return 2;
    b.p = calloc((size_t)f->nparam + 1 + d + nwork, sizeof *b.p);
    if (!b.p) {
        rk_error_set(err, "out of memory");
        return 2;
    }
    b.y0 = b.p + f->nparam + 1;
    b.work = b.y0 + d;
    int status = members(&b, is_float, rep, err);
    free(b.p);
    return status;
}
