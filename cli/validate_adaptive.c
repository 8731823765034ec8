/* validate_adaptive.c - rkgen validate --adaptive: an embedded pair's
 * work-precision on fresh members of a family against the built-in
 * pairs with the same controller (learner/measure/workprec.h), printed
 * and, with --out, written as a report (learner/report/wpreport.h). */
#include "validate_adaptive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "samples.h"
#include "wpreport.h"

#define MAX_PAIRS 16

static const char *const BUILTIN_PAIRS[] = {"bs3", "dopri5", "tsit5", "cashkarp", "fehlberg45"};

typedef struct pairs {
    rk_tableau *t[MAX_PAIRS];
    int n;
} pairs;

static int add_pair(pairs *ps, const char *spec)
{
    if (ps->n == MAX_PAIRS)
        return usage_error("validate", "--against: at most %d pairs", MAX_PAIRS - 1);
    rk_tableau *t = load_tableau("validate", spec);
    if (!t)
        return EXIT_USAGE;
    if (!t->bhat) {
        tableau_free(t);
        return usage_error("validate", "%s has no embedded weights (bhat): --adaptive measures pairs such "
                           "as bs3, dopri5, tsit5, cashkarp or fehlberg45", spec);
    }
    for (int i = 0; i < ps->n; i++)
        if (strcmp(ps->t[i]->name, t->name) == 0) { /* the validated pair is a built-in */
            tableau_free(t);
            return 0;
        }
    ps->t[ps->n++] = t;
    return 0;
}

static int add_listed(void *ctx, const char *spec)
{
    return add_pair(ctx, spec);
}

static int add_against(pairs *ps, const char *against)
{
    if (!against) {
        for (size_t i = 0; i < sizeof BUILTIN_PAIRS / sizeof *BUILTIN_PAIRS; i++)
            if (add_pair(ps, BUILTIN_PAIRS[i]) != 0)
                return EXIT_USAGE;
        return 0;
    }
    return each_listed("validate", "--against", against, add_listed, ps);
}

static int run(const vadapt_args *a, const rk_family *f, const pairs *ps)
{
    rk_error err = {{0}};
    sample_set s;
    wp_curve c[MAX_PAIRS];
    double rtol[WP_MAX_TOLS];
    int ntol = workprec_tolerances(rtol, 8);
    if (samples_draw(f, a->seed, STREAM_TEST, (int)a->samples, 0, 0, &s, &err) != 0)
        return report("validate", err.text, EXIT_USAGE);
    int status = EXIT_OK;
    for (int i = 0; i < ps->n && status == EXIT_OK; i++)
        if (workprec_run(f, &s, ps->t[i], rtol, ntol, &c[i], &err) != 0)
            status = report("validate", err.text, EXIT_USAGE);
    wp_info wi = {f->name, a->family, s.truth, a->seed, s.n, c, ps->n};
    if (status == EXIT_OK && !a->quiet) {
        char *table = wpreport_table(&wi);
        printf("%s on %s: %d fresh members (seed %lu, %s), rtol = atol = %.0e .. %.0e\n%s", c[0].name,
               f->name, s.n, a->seed, s.truth, rtol[0], rtol[ntol - 1], table ? table : "");
        free(table);
    }
    if (status == EXIT_OK && a->out) {
        int rendered = wpreport_write(&wi, a->out, &err);
        if (rendered < 0)
            status = report("validate", err.text, EXIT_USAGE);
        else if (!a->quiet)
            printf("wrote %s/report.md%s\n", a->out,
                   rendered ? "" : " without the picture: gnuplot is not installed or failed");
    }
    for (int k = 0; status == EXIT_OK && k < c[0].n; k++)
        if (c[0].pt[k].failed) {
            fprintf(stderr, "rkgen validate: %s failed on %d of %d members at rtol %.0e\n", c[0].name,
                    c[0].pt[k].failed, s.n, c[0].pt[k].rtol);
            status = EXIT_CHECK;
        }
    samples_free(&s);
    return status;
}

int validate_adaptive(const vadapt_args *a)
{
    pairs ps;
    memset(&ps, 0, sizeof ps);
    rk_family *f = load_family("validate", a->family);
    if (!f)
        return EXIT_USAGE;
    int status = add_pair(&ps, a->pair);
    if (status == 0)
        status = add_against(&ps, a->against);
    if (status == 0)
        status = run(a, f, &ps);
    for (int i = 0; i < ps.n; i++)
        tableau_free(ps.t[i]);
    family_free(f);
    return status;
}
