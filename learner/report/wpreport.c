/* wpreport.c - the table, CSV files, picture and page of rkgen validate
 * --adaptive (wpreport.h). */
#include "wpreport.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "plot.h"
#include "strbuf.h"

char *wpreport_table(const wp_info *wi)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "| pair | rtol | nfev | accepted | rejected | error |\n|---|---|---|---|---|---|\n");
    for (int m = 0; m < wi->n; m++)
        for (int k = 0; k < wi->c[m].n; k++) {
            const wp_point *p = &wi->c[m].pt[k];
            sb_printf(&b, "| %s | %.0e | %.1f | %.1f | %lu | %.3e%s |\n", wi->c[m].name, p->rtol, p->nfev,
                      p->naccept, p->nreject, p->err, p->failed ? " (runs failed)" : "");
        }
    sb_puts(&b, "\n| pair | slope of log error on log rtol | rejected steps | failed runs |\n"
                "|---|---|---|---|\n");
    for (int m = 0; m < wi->n; m++) {
        int failed = 0;
        for (int k = 0; k < wi->c[m].n; k++)
            failed += wi->c[m].pt[k].failed;
        sb_printf(&b, "| %s%s | %.3f | %lu | %d |\n", wi->c[m].name, m ? "" : " (validated)",
                  wi->c[m].slope, wi->c[m].nreject, failed);
    }
    return sb_take(&b);
}

/* One row per rtol, columns per pair, as sweep.csv has per method. */
static char *points_csv(const wp_info *wi)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "rtol");
    for (int m = 0; m < wi->n; m++)
        sb_printf(&b, ",nfev_%s,naccept_%s,nreject_%s,err_%s", wi->c[m].name, wi->c[m].name,
                  wi->c[m].name, wi->c[m].name);
    sb_puts(&b, "\n");
    for (int k = 0; k < wi->c[0].n; k++) {
        sb_printf(&b, "%.17g", wi->c[0].pt[k].rtol);
        for (int m = 0; m < wi->n; m++) {
            const wp_point *p = &wi->c[m].pt[k];
            sb_printf(&b, ",%.17g,%.17g,%lu,%.17g", p->nfev, p->naccept, p->nreject, p->err);
        }
        sb_puts(&b, "\n");
    }
    return sb_take(&b);
}

static char *summary_csv(const wp_info *wi)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "pair,slope,nreject,failed\n");
    for (int m = 0; m < wi->n; m++) {
        int failed = 0;
        for (int k = 0; k < wi->c[m].n; k++)
            failed += wi->c[m].pt[k].failed;
        sb_printf(&b, "%s,%.17g,%lu,%d\n", wi->c[m].name, wi->c[m].slope, wi->c[m].nreject, failed);
    }
    return sb_take(&b);
}

static char *script(const wp_info *wi)
{
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "# Rendered by rkgen validate --adaptive; by hand: gnuplot THIS.gp > THIS.svg\n"
                  "set terminal svg size 860,600 dynamic enhanced font \"sans,13\" background \"white\"\n"
                  "set datafile separator \",\"\n"
                  "set title \"%s: work-precision of the pairs, rtol = atol = %.0e .. %.0e\" noenhanced\n"
                  "set xlabel \"evaluations of f per member\"\n"
                  "set ylabel \"error at the end (geometric mean over members)\"\n"
                  "set grid\nset key inside top right opaque box noenhanced\n"
                  "set logscale xy\nset format x \"10^{%%L}\"\nset format y \"10^{%%L}\"\nplot ",
              wi->family, wi->c[0].pt[0].rtol, wi->c[0].pt[wi->c[0].n - 1].rtol);
    for (int m = 0; m < wi->n; m++)
        sb_printf(&b, "%s\"adaptive.csv\" using \"nfev_%s\":\"err_%s\" with linespoints lw %d pt %d title \"%s%s\"",
                  m ? ", \\\n     " : "", wi->c[m].name, wi->c[m].name, m ? 1 : 3, m ? 6 + m : 7,
                  wi->c[m].name, m ? "" : " (validated)");
    sb_puts(&b, "\n");
    return sb_take(&b);
}

static char *page(const wp_info *wi, int rendered)
{
    strbuf b;
    char *table = wpreport_table(wi);
    sb_init(&b);
    sb_printf(&b, "# rkgen validate --adaptive: %s on %s\n\n"
                  "%d fresh members of `%s` (seed %lu, truth: %s), each integrated from t = 0 to\n"
                  "its end by the adaptive solver of each pair (core/adaptive.h: the operations of\n"
                  "`rkgen emit --adaptive`, Hairer's PI controller) with rtol = atol.  The error\n"
                  "is the 2-norm distance from the truth at the end, its geometric mean over the\n"
                  "members; nfev and accepted steps are means per member, rejected steps sums.\n"
                  "The slope is the least-squares slope of log10 error on log10 rtol: 1 is\n"
                  "proportional to the tolerance.\n\n",
              wi->c[0].name, wi->family, wi->members, wi->family_path, wi->seed, wi->truth);
    if (rendered)
        sb_puts(&b, "![Work-precision](adaptive_work_precision.svg)\n\n");
    else
        sb_puts(&b, "The picture is not rendered (gnuplot is not installed, Debian: gnuplot-nox):\n"
                    "`gnuplot adaptive_work_precision.gp > adaptive_work_precision.svg` here.\n\n");
    sb_puts(&b, table ? table : "");
    sb_puts(&b, "\nData: adaptive.csv, adaptive_summary.csv; picture: adaptive_work_precision.gp.\n");
    free(table);
    return sb_take(&b);
}

int report_add_owned(rk_outset *o, const char *dir, const char *name, char *text, rk_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int r = text ? rk_outset_add(o, path, text, strlen(text), NULL, err) : -1;
    if (!text)
        rk_error_set(err, "out of memory");
    free(text);
    return r;
}

int wpreport_write(const wp_info *wi, const char *dir, rk_error *err)
{
    rk_outset o;
    int rendered = 0;
    if (rk_outset_open(&o, dir, err) != 0)
        return -1;
    int r = report_add_owned(&o, dir, "adaptive.csv", points_csv(wi), err) |
            report_add_owned(&o, dir, "adaptive_summary.csv", summary_csv(wi), err) |
            report_add_owned(&o, dir, "adaptive_work_precision.gp", script(wi), err);
    if (r == 0 && plot_have_gnuplot()) {
        size_t len;
        char *svg = plot_render(o.dir, "adaptive_work_precision.gp", &len);
        if (svg) {
            char path[4096];
            snprintf(path, sizeof path, "%s/adaptive_work_precision.svg", dir);
            r = rk_outset_add(&o, path, svg, len, NULL, err);
            rendered = r == 0;
            free(svg);
        }
    }
    if (r == 0)
        r = report_add_owned(&o, dir, "report.md", page(wi, rendered), err);
    if (r == 0)
        r = rk_outset_commit(&o, err);
    if (r != 0) {
        rk_outset_abort(&o);
        return -1;
    }
    return rendered;
}
