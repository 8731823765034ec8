/* vreport.h - the results of `rkgen validate` as text: the summary
 * table (stdout and the page), the CSV files, and the Markdown page that
 * shows everything in one place. */
#ifndef RK_VREPORT_H
#define RK_VREPORT_H

#include "sweep.h"

typedef struct vreport_info {
    const char *stepper_path, *stepper, *family, *family_path;
    const char *truth;
    unsigned long seed;
    double horizon;
    double train_lo, train_hi;   /* the family's own step range */
    const sweep_method *m;
    int nm;
    /* the pictures on the page (vreport_write sets them) */
    const char *const *pictures; /* base names (no .svg) in page order */
    const char *const *captions;
    int npictures;
    int rendered;                /* the SVGs exist */
} vreport_info;

/* sweep.csv: h, steps, then err_NAME and evals_NAME (f evaluations per
 * member) for each method; ratio_NAME = stepper / NAME per member. */
char *vreport_sweep_csv(const vreport_info *vi, const sweep_result *r);
/* summary.csv: one row per method. */
char *vreport_summary_csv(const vreport_info *vi, const sweep_result *r);
/* The summary table as aligned plain text. */
char *vreport_table(const vreport_info *vi, const sweep_result *r);
/* report.md. */
char *vreport_page(const vreport_info *vi, const sweep_result *r);

#endif
