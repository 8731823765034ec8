/* vreport.c - the texts of vreport.h.  The table rounds for people; the
 * CSV files keep seven digits and write inf or nan where a method blew
 * up, so nothing plotted or read back hides a failure. */
#include "vreport.h"

#include <math.h>
#include <stdio.h>

#include "strbuf.h"

/* Numbers for people: 'f' fixed with 2 decimals, 'g' 2 digits, 'e'
 * scientific with 3 decimals; "-" where there is none. */
static void num(char *buf, size_t size, double v, char style)
{
    if (!isfinite(v))
        snprintf(buf, size, "-");
    else if (style == 'f')
        snprintf(buf, size, "%.2f", v);
    else if (style == 'g')
        snprintf(buf, size, "%.2g", v);
    else if (style == 'r')
        snprintf(buf, size, "%.3f", v);
    else
        snprintf(buf, size, "%.3e", v);
}

static void csv_num(strbuf *b, double v)
{
    if (isfinite(v))
        sb_printf(b, ",%.6e", v);
    else
        sb_puts(b, v > 0 ? ",inf" : ",nan");
}

char *vreport_sweep_csv(const vreport_info *vi, const sweep_result *r)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "h,steps");
    for (int k = 0; k < vi->nm; k++)
        sb_printf(&b, ",err_%s,evals_%s,ratio_%s", vi->m[k].name, vi->m[k].name, vi->m[k].name);
    for (int k = 0; k < vi->nm && r->survive > 0; k++)
        sb_printf(&b, ",blowups_%s", vi->m[k].name);
    sb_puts(&b, "\n");
    for (int j = 0; j < r->npts; j++) {
        sb_printf(&b, "%.9e,%lu", r->h[j], r->steps[j]);
        for (int k = 0; k < vi->nm; k++) {
            csv_num(&b, r->row[k].err[j]);
            sb_printf(&b, ",%lu", r->steps[j] * (unsigned long)vi->m[k].evals);
            csv_num(&b, r->row[k].ratio[j]);
        }
        for (int k = 0; k < vi->nm && r->survive > 0; k++)
            sb_printf(&b, ",%d", r->row[k].blown[j]);
        sb_puts(&b, "\n");
    }
    return sb_take(&b);
}

char *vreport_summary_csv(const vreport_info *vi, const sweep_result *r)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "method,stages,evals_per_step,observed_order,fit_points,fit_h_min,fit_h_max,floor_below_h,"
                "error_family_h,ratio_family_h,unstable_members\n");
    for (int k = 0; k < vi->nm; k++) {
        const sweep_row *w = &r->row[k];
        sb_printf(&b, "%s,%d,%d", vi->m[k].name, vi->m[k].stages, vi->m[k].evals);
        csv_num(&b, w->fit.used ? w->fit.order : NAN);
        sb_printf(&b, ",%d", w->fit.used);
        csv_num(&b, w->fit.used ? w->fit.h_lo : NAN);
        csv_num(&b, w->fit.used ? w->fit.h_hi : NAN);
        csv_num(&b, w->fit.floor_h > 0 ? w->fit.floor_h : NAN);
        csv_num(&b, w->err_family);
        csv_num(&b, w->ratio_family);
        sb_printf(&b, ",%d\n", w->unstable);
    }
    return sb_take(&b);
}

/* One row of the table, plain (md = 0) or as Markdown. */
static void table_row(strbuf *b, const vreport_info *vi, const sweep_result *r, int k, int md)
{
    const sweep_row *w = &r->row[k];
    char order[32], range[64], floor_h[32], err[32], ratio[32], lo[16], hi[16];
    num(order, sizeof order, w->fit.used ? w->fit.order : NAN, 'f');
    num(lo, sizeof lo, w->fit.h_lo, 'g');
    num(hi, sizeof hi, w->fit.h_hi, 'g');
    if (w->fit.used)
        snprintf(range, sizeof range, "%s..%s (%d)", lo, hi, w->fit.used);
    else
        snprintf(range, sizeof range, "-");
    num(floor_h, sizeof floor_h, w->fit.floor_h > 0 ? w->fit.floor_h : NAN, 'g');
    num(err, sizeof err, w->err_family, 'e');
    num(ratio, sizeof ratio, k ? w->ratio_family : NAN, 'r');
    if (md)
        sb_printf(b, "| %s%s | %d | %d | %s | %s | %s | %s | %s |\n", vi->m[k].name, k ? "" : " (this stepper)",
                  vi->m[k].stages, vi->m[k].evals, order, range, floor_h, err, ratio);
    else
        sb_printf(b, "%-22s%-2s %6d %6d %7s  %-22s %9s  %12s  %8s\n", vi->m[k].name, k ? "" : " *",
                  vi->m[k].stages, vi->m[k].evals, order, range, floor_h, err, ratio);
}

/* The long runs (validate --survive): blow-ups per step size, on the
 * rows where some method blows up. */
static void survival_rows(strbuf *b, const vreport_info *vi, const sweep_result *r, int md)
{
    if (!(r->survive > 0))
        return;
    int any = 0;
    for (int j = 0; j < r->npts; j++)
        for (int k = 0; k < vi->nm; k++)
            any |= r->row[k].blown[j] > 0;
    sb_printf(b, md ? "\n## Long runs\n\nMembers (of %d) that blow up within %g time units beyond the horizon, "
                      "run from the true state there at each step size"
                    : "\nmembers (of %d) blowing up within %g time units beyond the horizon",
              r->members, r->survive);
    sb_puts(b, any ? (md ? " (step sizes where none does are left out):\n\n" : ", by h:\n")
                   : (md ? ": none, at any step size.\n\n" : ": none, at any h\n"));
    if (!any)
        return;
    sb_puts(b, md ? "| h |" : "       h");
    for (int k = 0; k < vi->nm; k++)
        sb_printf(b, md ? " %s |" : " %12.12s", vi->m[k].name);
    if (md) {
        sb_puts(b, "\n|---|");
        for (int k = 0; k < vi->nm; k++)
            sb_puts(b, "---|");
    }
    sb_puts(b, "\n");
    for (int j = 0; j < r->npts; j++) {
        int some = 0;
        for (int k = 0; k < vi->nm; k++)
            some |= r->row[k].blown[j] > 0;
        if (!some)
            continue;
        sb_printf(b, md ? "| %.3g |" : "%8.3g", r->h[j]);
        for (int k = 0; k < vi->nm; k++)
            sb_printf(b, md ? " %d |" : " %12d", r->row[k].blown[j]);
        sb_puts(b, "\n");
    }
    if (md)
        sb_puts(b, "\n");
}

char *vreport_table(const vreport_info *vi, const sweep_result *r)
{
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "%-24s %6s %6s %7s  %-22s %9s  %12s  %8s\n", "method", "stages", "f/step", "order",
              "fitted h (points)", "floor <h", "err family h", "ratio");
    for (int k = 0; k < vi->nm; k++)
        table_row(&b, vi, r, k, 0);
    sb_puts(&b, "* this stepper.  ratio = geometric mean over members of its error / the method's\n"
                "  at the family's own step sizes: below 1 it is more accurate.\n");
    survival_rows(&b, vi, r, 0);
    return sb_take(&b);
}

static void intro(strbuf *b, const vreport_info *vi, const sweep_result *r)
{
    sb_printf(b, "# Validation of `%s`\n\n", vi->stepper_path);
    sb_printf(b, "The stepper `%s` was compiled from the file itself (libtcc) and run on %d fresh members of "
                 "the family `%s` (`%s`; seed %lu, test stream; truth: %s) up to the horizon %g, over %d step "
                 "sizes from %.3g to %.3g.  The classical methods ran on the same members in the same real "
                 "type.\n\n",
              vi->stepper, r->members, vi->family, vi->family_path, vi->seed, vi->truth, vi->horizon, r->npts,
              r->h[0], r->h[r->npts - 1]);
}

static void table_md(strbuf *b, const vreport_info *vi, const sweep_result *r)
{
    sb_puts(b, "| method | stages | f/step | observed order | fitted h (points) | round-off floor below h | "
               "error at the family's h | ratio |\n|---|---|---|---|---|---|---|---|\n");
    for (int k = 0; k < vi->nm; k++)
        table_row(b, vi, r, k, 1);
    sb_puts(b, "\n*Ratio*: the geometric mean over members of this stepper's error divided by the method's, at "
               "the family's own step sizes; below 1 the stepper is more accurate.  *Observed order*: "
               "least-squares slope of log error against log h over the asymptotic part of the sweep, without "
               "the round-off floor.\n\n");
}

char *vreport_page(const vreport_info *vi, const sweep_result *r)
{
    strbuf b;
    sb_init(&b);
    intro(&b, vi, r);
    table_md(&b, vi, r);
    survival_rows(&b, vi, r, 1);
    for (int i = 0; i < vi->npictures; i++) {
        sb_printf(&b, "## %s\n\n", vi->captions[i]);
        if (vi->rendered)
            sb_printf(&b, "![%s](%s.svg)\n\n", vi->captions[i], vi->pictures[i]);
        else
            sb_printf(&b, "Not rendered (gnuplot was not found): run `gnuplot %s.gp > %s.svg` in this "
                          "directory.\n\n",
                      vi->pictures[i], vi->pictures[i]);
    }
    sb_puts(&b, "## Files\n\n- `sweep.csv`: error, f evaluations and ratio per method and step size\n"
                "- `summary.csv`: the table above\n- `*.gp`: the gnuplot scripts of the pictures\n");
    return sb_take(&b);
}
