/* The training objective's Jacobian is exact: it matches the derivative
 * of the residuals measured by central differences (used here only to
 * check, never in training), on autonomous and time-dependent families,
 * for one step and for the global error; tangents along directions
 * give the Jacobian times those directions; and the residuals are the
 * engine's errors, also on an array family. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"
#include "objective.h"
#include "samples.h"
#include "support.h"

static rk_family *parse(const char *text)
{
    rk_error err = {{0}};
    rk_family *f = family_parse("t.ode", text, strlen(text), &err);
    cr_assert_not_null(f, "%s", err.text);
    return f;
}

static void check_jacobian(rk_family *f, objective_kind kind, int stages)
{
    sample_set s;
    rk_error err = {{0}};
    cr_assert_eq(samples_draw(f, 11, STREAM_TRAIN, 7, 0, 1, &s, &err), 0, "%s", err.text);
    double *ref = malloc((size_t)s.n * sizeof *ref);
    for (int i = 0; i < s.n; i++)
        ref[i] = 1e-3;
    objective o;
    cr_assert_eq(objective_init(&o, f, &s, kind, 1, stages, ref), 0);
    int R = objective_nres(&o), P = o.P;
    double *th = malloc((size_t)P * sizeof *th), *r = malloc((size_t)R * sizeof *r);
    double *rp = malloc((size_t)R * sizeof *rp), *rm = malloc((size_t)R * sizeof *rm);
    double *J = malloc((size_t)R * (size_t)P * sizeof *J);
    rk_rng rng;
    rng_seed(&rng, 5);
    for (int j = 0; j < P; j++)
        th[j] = 0.2 + 0.6 * rng_uniform(&rng);
    cr_assert_eq(objective_eval(&o, th, r, J), 0);
    double worst = 0;
    for (int j = 0; j < P; j++) {
        double keep = th[j], e = 1e-6;
        th[j] = keep + e;
        objective_eval(&o, th, rp, NULL);
        th[j] = keep - e;
        objective_eval(&o, th, rm, NULL);
        th[j] = keep;
        for (int i = 0; i < R; i++) {
            double fd = (rp[i] - rm[i]) / (2 * e);
            double rel = fabs(fd - J[(size_t)i * (size_t)P + (size_t)j]) / fmax(1.0, fabs(fd));
            worst = fmax(worst, rel);
        }
    }
    cr_expect_lt(worst, 1e-5, "%s: Jacobian differs from central differences by %g", f->name, worst);
    /* two tangents along directions D (P x 2) give J D, to rounding */
    objective od;
    cr_assert_eq(objective_init_dir(&od, f, &s, kind, 1, stages, ref, 2), 0);
    double *D = malloc((size_t)P * 2 * sizeof *D), *JD = malloc((size_t)R * 2 * sizeof *JD), dworst = 0;
    for (int j = 0; j < 2 * P; j++)
        D[j] = rng_uniform(&rng) - 0.5;
    cr_assert_eq(objective_eval_dir(&od, th, D, rp, JD), 0);
    for (int i = 0; i < R; i++)
        for (int k = 0; k < 2; k++) {
            double want = 0;
            for (int j = 0; j < P; j++)
                want += J[(size_t)i * (size_t)P + (size_t)j] * D[j * 2 + k];
            dworst = fmax(dworst, fabs(JD[i * 2 + k] - want) / fmax(1.0, fabs(want)));
        }
    cr_expect_lt(dworst, 1e-12, "%s: directional tangents differ from J D by %g", f->name, dworst);
    free(D); free(JD);
    objective_free(&od);
    free(th); free(r); free(rp); free(rm); free(J); free(ref);
    objective_free(&o);
    samples_free(&s);
}

Test(objective, jacobian_vanderpol_global)
{
    char *text = "family v\nstate u v\nparam a ~ uniform(1, 2)\ninit u ~ uniform(-2, -1)\n"
                 "init v ~ uniform(0, 1)\nstep h ~ uniform(0.1, 0.3)\nhorizon 0.6\n"
                 "u' = v\nv' = a*(1 - u^2)*v - u\n";
    rk_family *f = parse(text);
    check_jacobian(f, OBJ_GLOBAL, 3);
    check_jacobian(f, OBJ_ONESTEP, 4);
    family_free(f);
}

Test(objective, jacobian_time_dependent_and_functions)
{
    char *text = "family w\nstate x y\nparam k ~ uniform(0.5, 1)\ninit x ~ uniform(0.5, 1)\n"
                 "init y ~ uniform(0.5, 1)\nstep h ~ uniform(0.1, 0.2)\nhorizon 0.4\n"
                 "x' = sin(t)*y - k*exp(-x)/(1 + y^2)\ny' = sqrt(x + 2)*cos(3*t) + atan(y)*tanh(x) - pow(y, 1.5)\n";
    rk_family *f = parse(text);
    check_jacobian(f, OBJ_GLOBAL, 3);
    check_jacobian(f, OBJ_ONESTEP, 2);
    family_free(f);
}

/* The residuals are those of the engine's own integration: per member,
 * their norm is the engine's error. */
static void check_engine(rk_family *f, uint64_t seed)
{
    rk_error err = {{0}};
    sample_set s;
    cr_assert_eq(samples_draw(f, seed, STREAM_VALIDATION, 20, 0, 1, &s, &err), 0, "%s", err.text);
    rk_tableau *t = tableau_builtin("ralston3");
    double e[20], ones[20], th[6];
    measure_engine(f, t, &s, e);
    for (int i = 0; i < 20; i++)
        ones[i] = 1;
    objective o;
    cr_assert_eq(objective_init(&o, f, &s, OBJ_GLOBAL, 1, 3, ones), 0);
    for (int i = 1; i < 3; i++)
        for (int j = 0; j < i; j++)
            th[theta_a(i, j)] = t->A[i * 3 + j];
    for (int j = 0; j < 3; j++)
        th[theta_b(3, j)] = t->b[j];
    double *r = malloc((size_t)objective_nres(&o) * sizeof *r);
    objective_eval(&o, th, r, NULL);
    for (int i = 0; i < 20; i++) {
        double sq = 0;
        for (int q = 0; q < f->dim; q++)
            sq += r[i * f->dim + q] * r[i * f->dim + q];
        cr_expect_gt(e[i], 0);
        cr_expect_float_eq(sqrt(sq), e[i], 1e-12 * fmax(1, e[i]) + 1e-15, "%s member %d: %g, the engine %g",
                           f->name, i, sqrt(sq), e[i]);
    }
    free(r);
    objective_free(&o);
    samples_free(&s);
    tableau_free(t);
}

Test(objective, residuals_match_the_engine)
{
    rk_error err = {{0}};
    rk_family *f = family_load(src_path("examples/brusselator.ode"), &err);
    cr_assert_not_null(f);
    check_engine(f, 3);
    family_free(f);
}

/* An array family (Lorenz-96, 50 states) through the same objective. */
Test(objective, array_family_matches_the_engine)
{
    rk_family *f = parse("family l96\nconst N = 50\nstate x[N]\nparam F ~ uniform(7.5, 8.5)\n"
                         "init x[i] ~ uniform(-1, 1)\nstep h ~ loguniform(0.005, 0.02)\nhorizon 0.2\n"
                         "x[i]' = (x[i+1] - x[i-2])*x[i-1] - x[i] + F\n");
    check_engine(f, 5);
    family_free(f);
}
