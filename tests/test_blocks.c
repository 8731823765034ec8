/* The objective runs its members in blocks shared among threads: no
 * block size and no number of threads changes a bit of the residuals
 * or of the Jacobian, on an array family (Lorenz-96, 50 states) and on
 * a time-dependent one.  That it gives the engine's errors on the array
 * family is in test_objective.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objective.h"
#include "samples.h"
#include "support.h"

static const char *lorenz96 = "family l96\nconst N = 50\nstate x[N]\nparam F ~ uniform(7.5, 8.5)\n"
                              "init x[i] ~ uniform(-1, 1)\nstep h ~ loguniform(0.005, 0.02)\nhorizon 0.2\n"
                              "x[i]' = (x[i+1] - x[i-2])*x[i-1] - x[i] + F\n";

/* r and J (nres x T) at a fixed theta with blocks of cap members. */
static void eval_with(objective *o, int cap, double *r, double *J)
{
    static const double th[6] = {0.5, 0.2, 0.6, 0.2, 0.5, 0.3};
    static const double D[12] = {0.3, -0.2, 0.1, 0.4, -0.5, 0.2, 0.6, 0.1, -0.3, 0.2, 0.1, -0.4};
    cr_assert_eq(objective_reblock(o, cap), 0);
    cr_assert_eq(objective_eval_dir(o, th, D, r, J), 0);
}

static void check_blocks(const char *text, objective_kind kind, int members)
{
    rk_family *f = family_text(text);
    sample_set s;
    rk_error err = {{0}};
    cr_assert_eq(samples_draw(f, 3, STREAM_TRAIN, members, 0, 1, &s, &err), 0, "%s", err.text);
    double *ref = malloc((size_t)members * sizeof *ref);
    for (int i = 0; i < members; i++)
        ref[i] = 1e-3 * (1 + i % 3);
    objective o;
    cr_assert_eq(objective_init_dir(&o, f, &s, kind, 1, 3, ref, 2), 0);
    size_t R = (size_t)objective_nres(&o);
    double *r0 = malloc(R * sizeof *r0), *J0 = malloc(2 * R * sizeof *J0);
    double *r = malloc(R * sizeof *r), *J = malloc(2 * R * sizeof *J);
    setenv("RKGEN_THREADS", "1", 1);
    eval_with(&o, members, r0, J0);
    cr_assert_eq(o.nblocks, 1);
    const char *threads[] = {"1", "2", "3"};
    const int caps[] = {1, 7, 0, members};
    for (int t = 0; t < 3; t++)
        for (int c = 0; c < 4; c++) {
            setenv("RKGEN_THREADS", threads[t], 1);
            memset(r, 0, R * sizeof *r);
            memset(J, 0, 2 * R * sizeof *J);
            eval_with(&o, caps[c], r, J);
            cr_expect(memcmp(r, r0, R * sizeof *r) == 0, "%s: residuals differ with blocks of %d on %s threads",
                      f->name, caps[c], threads[t]);
            cr_expect(memcmp(J, J0, 2 * R * sizeof *J) == 0, "%s: Jacobian differs with blocks of %d on %s threads",
                      f->name, caps[c], threads[t]);
        }
    unsetenv("RKGEN_THREADS");
    free(r0); free(J0); free(r); free(J); free(ref);
    objective_free(&o);
    samples_free(&s);
    family_free(f);
}

Test(blocks, split_changes_no_bit_on_an_array_family)
{
    /* 130 members: enough for two threads to take blocks */
    check_blocks(lorenz96, OBJ_GLOBAL, 130);
    check_blocks(lorenz96, OBJ_ONESTEP, 130);
}

Test(blocks, split_changes_no_bit_on_a_time_dependent_family)
{
    check_blocks("family w\nstate x y\nparam k ~ uniform(0.5, 1)\ninit x ~ uniform(0.5, 1)\n"
                 "init y ~ uniform(0.5, 1)\nstep h ~ loguniform(0.01, 0.1)\nhorizon 0.4\n"
                 "x' = sin(t)*y - k*exp(-x)/(1 + y^2)\ny' = sqrt(x + 2)*cos(3*t) - pow(y, 1.5)\n",
                 OBJ_GLOBAL, 150);
}
