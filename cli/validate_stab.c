/* validate_stab.c - rkgen validate --stabilized: the f evaluations a
 * many-stage method (either form) needs to reach its family's horizon at
 * each accuracy, on fresh members, against rk4 and ssprk3 at their
 * largest stable steps, dopri5 and RKC2 (learner/measure/stabwork.h),
 * printed and, with --out, written as a report (learner/report/swreport.h). */
#include "validate_stab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "swreport.h"

#define MAX_TOLS 16
#define DEFAULT_TOLS "1e-2,1e-3,1e-4,1e-5,1e-6"

typedef struct tol_list {
    double v[MAX_TOLS];
    int n;
} tol_list;

static int add_tol(void *ctx, const char *s)
{
    tol_list *t = ctx;
    double v;
    if (t->n == MAX_TOLS)
        return usage_error("validate", "--tol: at most %d accuracies", MAX_TOLS);
    /* below 1e-12 the rounding floor of a many-stage step is near, and
     * the search for a step count would run to 2^24 steps */
    if (parse_double(s, &v) != 0 || !(v >= 1e-12 && v <= 0.5))
        return usage_error("validate", "--tol takes accuracies from 1e-12 to 0.5, not '%s'", s);
    t->v[t->n++] = v;
    return 0;
}

/* A method file that is not "rkgen-stabilized" is refused with what to
 * give instead. */
static rk_stab *load_method(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        usage_error("validate", "cannot read %s", path);
        return NULL;
    }
    fclose(fp);
    int is_stab;
    rk_stab *m = load_stab_maybe("validate", path, &is_stab);
    if (!is_stab)
        usage_error("validate", "%s is not a \"rkgen-stabilized\" method file: --stabilized takes one written "
                    "by 'rkgen stability' or 'rkgen learn' (a many-stage method); to validate a tableau, "
                    "emit its stepper and run 'rkgen validate GENERATED.c --family F'", path);
    return m;
}

static void print_table(const sw_info *si)
{
    char *table = swreport_table(si);
    printf("%s on %s: %d fresh members (seed %lu, %s), horizon %g, rho %.6g;\n"
           "f evaluations to the horizon at each relative max-norm accuracy\n%s",
           si->method, si->family, si->members, si->seed, si->truth, si->horizon, si->rho, table ? table : "");
    free(table);
}

static int finish(const vstab_args *a, const sw_info *si)
{
    rk_error err = {{0}};
    if (!a->quiet)
        print_table(si);
    if (a->out) {
        if (swreport_write(si, a->out, &err) != 0)
            return report("validate", err.text, EXIT_USAGE);
        if (!a->quiet)
            printf("wrote %s/report.md\n", a->out);
    }
    for (int k = 0; k < si->n; k++)
        if (!si->row[k].nfev[SW_METHOD]) {
            fprintf(stderr, "rkgen validate: %s reaches the accuracy %.0e at no number of steps up to 2^24\n",
                    si->method, si->row[k].tol);
            return EXIT_CHECK;
        }
    return EXIT_OK;
}

static int run(const vstab_args *a, const rk_family *f, const rk_stab *m, const tol_list *tl)
{
    rk_error err = {{0}};
    sw_problem pb = {0};
    sw_row row[MAX_TOLS];
    int status = EXIT_OK;
    rk_stab_ladder *L = stab_ladder_new(m, &err);
    if (!L || stabwork_setup(&pb, f, a->seed, (int)a->samples, &err) != 0)
        status = report("validate", err.text, EXIT_USAGE);
    for (int k = 0; status == EXIT_OK && k < tl->n; k++)
        if (stabwork_row(&pb, m, L, tl->v[k], &row[k]) != 0)
            status = report("validate", "out of memory", EXIT_USAGE);
    if (status == EXIT_OK) {
        sw_info si = {m->name, a->method, f->name, a->family, pb.s.truth, a->seed, pb.s.n, stab_stages(m),
                      m->beta, pb.rho, pb.T, row, tl->n};
        status = finish(a, &si);
    }
    stabwork_free(&pb);
    stab_ladder_free(L);
    return status;
}

int validate_stab(const vstab_args *a)
{
    tol_list tl = {{0}, 0};
    int status = each_listed("validate", "--tol", a->tols ? a->tols : DEFAULT_TOLS, add_tol, &tl);
    if (status != 0)
        return EXIT_USAGE;
    if (tl.n == 0)
        return usage_error("validate", "--tol: give at least one accuracy");
    rk_family *f = load_family("validate", a->family);
    if (!f)
        return EXIT_USAGE;
    rk_stab *m = load_method(a->method);
    status = m ? run(a, f, m, &tl) : EXIT_USAGE;
    stab_free(m);
    family_free(f);
    return status;
}
