/* learn_pair.c - rkgen learn --embedded: runs pairfit, writes the pair
 * and says plainly how it does against the built-in pairs. */
#include "learn_pair.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fileio.h"

static void ratio_line(const char *who, const pairfit_ratio *q)
{
    printf("    %-12s %6.3g  %6.3g  %-7.3g  [%.3g, %.3g]  %.3g\n", who, q->gmean, q->mean, q->sd, q->lo, q->hi,
           q->member_sd);
}

static void summary(const pairfit_result *r, const pairfit_config *c, const char *path)
{
    const rk_tableau *t = r->learned;
    printf("%s: bhat of order %d on %d stages%s, %d free coefficient%s after the order conditions;\n"
           "  fitted on %d training members x %d steps (relative residual %.3g)\n",
           t->name, c->embedded, t->s, r->fsal_added ? " (the main method's and an FSAL stage)" : " (FSAL)",
           r->nfree, r->nfree == 1 ? "" : "s", r->samples, c->points, r->fit_resid);
    printf("  estimate / true local error in the controller's norm on %d steps of fresh members:\n"
           "    %-12s %6s  %6s  %-7s  %-16s  %s\n", r->fresh.n, "pair", "geomean", "mean", "sd",
           "90% of steps", "sd of member means");
    ratio_line("learned", &r->fresh);
    for (int b = 0; b < PAIRFIT_BUILTINS; b++)
        ratio_line(r->builtin[b], &r->fresh_builtin[b]);
    printf("  f evaluations of each built-in pair / of the learned one at the learned pair's achieved\n"
           "  global error, rtol %.0e..%.0e (atol = rtol), t in [0, %g], %d fresh members [90%% CI]\n"
           "  (above 1: the learned pair needs fewer):\n",
           c->rtol_loose, c->rtol_tight, r->span, r->fresh_members);
    for (int b = 0; b < PAIRFIT_BUILTINS; b++)
        printf("    %-12s %.3g [%.3g, %.3g]%s\n", r->builtin[b], r->work[b][0], r->work[b][1], r->work[b][2],
               b == r->best ? "  (the best built-in)" : "");
    printf("  per rtol, against %s:", r->builtin[r->best]);
    for (int k = 0; k < r->ntol; k++)
        printf(" %.0e: %.3g%s", r->rtol[k], r->work_tol[k], k + 1 < r->ntol ? "," : "\n");
    if (r->failed > 0)
        printf("  %d runs of the learned pair failed (left out)\n", r->failed);
    if (r->fallback)
        printf("  the learned pair loses to %s (it needs 1/%.3g = %.3gx its evaluations): %s itself is the result\n",
               r->builtin[r->best], r->work[r->best][0], 1 / r->work[r->best][0], r->builtin[r->best]);
    else if (r->loses)
        printf("  the learned pair loses to %s (it needs %.3gx its evaluations); kept as asked (--keep-learned)\n",
               r->builtin[r->best], 1 / r->work[r->best][0]);
    else
        printf("  the learned pair needs %.3gx fewer f evaluations than %s, the best built-in\n",
               r->work[r->best][0], r->builtin[r->best]);
    printf("  wrote %s\n", path);
}

int learn_pair(const rk_family *f, const rk_tableau *main, const char *main_record,
               const pairfit_config *c, const char *path, rk_tableau **written)
{
    pairfit_result r;
    rk_error err = {{0}};
    *written = NULL;
    int st = pairfit_run(f, main, c, &r, &err);
    if (st != 0) {
        report("learn", err.text, st);
        fprintf(stderr, "rkgen learn: no tableau was written\n");
        pairfit_free(&r);
        return st;
    }
    rk_tableau *t = tableau_copy(r.pair);
    char *json = NULL;
    if (t) {
        free(t->metadata_json);
        t->metadata_json = pairfit_metadata(f, main, c, &r, main_record);
        json = t->metadata_json ? tableau_to_json(t) : NULL;
    }
    if (!json) {
        tableau_free(t);
        pairfit_free(&r);
        return report("learn", "out of memory", EXIT_USAGE);
    }
    st = rk_write_file(path, json, strlen(json), &err) == 0 ? EXIT_OK : report("learn", err.text, EXIT_USAGE);
    free(json);
    if (st == EXIT_OK)
        summary(&r, c, path);
    pairfit_free(&r);
    if (st == EXIT_OK)
        *written = t;
    else
        tableau_free(t);
    return st;
}
