/* swreport.c - the table, CSV file and page of rkgen validate
 * --stabilized (swreport.h). */
#include "swreport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "strbuf.h"
#include "wpreport.h"

static void nfev_cell(strbuf *b, unsigned long nfev)
{
    if (nfev)
        sb_printf(b, " %lu |", nfev);
    else
        sb_puts(b, " not reached |");
}

/* How many times the evaluations of column base a comparison needs. */
static void ratio_cell(strbuf *b, const sw_row *r, int col, int base)
{
    if (r->nfev[col] && r->nfev[base])
        sb_printf(b, " %.3g |", (double)r->nfev[col] / (double)r->nfev[base]);
    else
        sb_puts(b, " - |");
}

char *swreport_table(const sw_info *si)
{
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "| accuracy | %s | its ladder | rk4 | ssprk3 | RKC2 equal steps | dopri5 | RKC2 | rk4 / it | "
                  "RKC2 / it | rk4 / ladder | RKC2 equal / ladder | RKC2 / ladder |\n"
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n", si->method);
    for (int k = 0; k < si->n; k++) {
        const sw_row *r = &si->row[k];
        sb_printf(&b, "| %.0e |", r->tol);
        for (int c = 0; c < SW_NCOL; c++)
            nfev_cell(&b, r->nfev[c]);
        ratio_cell(&b, r, SW_RK4, SW_METHOD);
        ratio_cell(&b, r, SW_RKC2, SW_METHOD);
        ratio_cell(&b, r, SW_RK4, SW_LADDER);
        ratio_cell(&b, r, SW_RKC2_EQUAL, SW_LADDER);
        ratio_cell(&b, r, SW_RKC2, SW_LADDER);
        sb_puts(&b, "\n");
    }
    return sb_take(&b);
}

static char *rows_csv(const sw_info *si)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "tol");
    for (int c = 0; c < SW_NCOL; c++)
        sb_printf(&b, ",nfev_%s,err_%s,%s_%s", SW_COLUMN[c], SW_COLUMN[c], c < SW_DOPRI5 ? "steps" : "rtol",
                  SW_COLUMN[c]);
    sb_puts(&b, "\n");
    for (int k = 0; k < si->n; k++) {
        const sw_row *r = &si->row[k];
        sb_printf(&b, "%.17g", r->tol);
        for (int c = 0; c < SW_NCOL; c++)
            sb_printf(&b, ",%lu,%.17g,%.17g", r->nfev[c], r->err[c], r->how[c]);
        sb_puts(&b, "\n");
    }
    return sb_take(&b);
}

static char *page(const sw_info *si)
{
    strbuf b;
    char *table = swreport_table(si);
    sb_init(&b);
    sb_printf(&b, "# rkgen validate --stabilized: %s on %s\n\n"
                  "`%s` (%d stages a step, real stability interval %.6g) on %d fresh members of\n"
                  "`%s` (seed %lu, the test stream; truth: %s), from t = 0 to the horizon\n"
                  "T = %g.  Each column gives the f evaluations to reach T with a relative\n"
                  "max-norm error max_i |y_i - y_i(T)| / max_i |y_i(T)| within the accuracy, the\n"
                  "largest over the members.  The many-stage method, rk4 and ssprk3 take the\n"
                  "fewest equal steps that are stable (h rho within their real interval, rho =\n"
                  "%.6g the spectral radius measured on the family) and accurate enough: rk4 at\n"
                  "its largest stable step where stability caps it.  Its ladder is the same design\n"
                  "at every stage count up to its own, each step taking the fewest stages whose\n"
                  "interval covers h rho (core/stab_ladder.h), at the equal steps that need the\n"
                  "fewest evaluations; RKC2 equal steps is the same search with RKC2's stages.\n"
                  "dopri5 (core/adaptive.h) and\n"
                  "RKC2 (Sommeijer, Shampine and Verwer's second-order Runge-Kutta-Chebyshev\n"
                  "method, damping 2/13, its stages chosen per step from h rho, its own error\n"
                  "estimate and step control; learner/measure/rkc2.c) take the loosest rtol =\n"
                  "1e-2, 5e-3, ... (atol = rtol/1000) that reaches the accuracy.  The ratios are\n"
                  "each method's evaluations over the validated method's (\"it\") or its\n"
                  "ladder's: above 1 it needs fewer.\n\n",
              si->method, si->family, si->method_path, si->stages, si->beta, si->members, si->family_path,
              si->seed, si->truth, si->horizon, si->rho);
    sb_puts(&b, table ? table : "");
    sb_puts(&b, "\nData: stabilized.csv (per accuracy and method: evaluations, error reached, and\n"
                "the steps or the rtol).\n");
    free(table);
    return sb_take(&b);
}

int swreport_write(const sw_info *si, const char *dir, rk_error *err)
{
    rk_outset o;
    if (rk_outset_open(&o, dir, err) != 0)
        return -1;
    int r = report_add_owned(&o, dir, "stabilized.csv", rows_csv(si), err);
    if (r == 0)
        r = report_add_owned(&o, dir, "report.md", page(si), err);
    if (r == 0)
        r = rk_outset_commit(&o, err);
    if (r != 0) {
        rk_outset_abort(&o);
        return -1;
    }
    return 0;
}
