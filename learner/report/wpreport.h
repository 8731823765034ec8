/* wpreport.h - the report of `rkgen validate --adaptive`: the pairs'
 * work-precision over the tolerances as a table, adaptive.csv (one row
 * per rtol), adaptive_summary.csv (per pair: slope of log error against
 * log rtol, rejected steps, failed runs), a gnuplot picture of error
 * against f evaluations and report.md showing it all; the directory
 * gets all of them or nothing. */
#ifndef RK_WPREPORT_H
#define RK_WPREPORT_H

#include "diag.h"
#include "fileio.h"
#include "workprec.h"

typedef struct wp_info {
    const char *family, *family_path, *truth;
    unsigned long seed;
    int members;
    const wp_curve *c; /* c[0]: the pair validated, then the built-in pairs */
    int n;
} wp_info;

/* The table printed and put on the page (malloc'd). */
char *wpreport_table(const wp_info *wi);
/* Writes dir; 1 if the picture was rendered, 0 if not (gnuplot missing or
 * failed: the page says how to render it), -1 with err if nothing was written. */
int wpreport_write(const wp_info *wi, const char *dir, rk_error *err);

/* Adds text (malloc'd, freed here; NULL is out of memory) as dir/name to
 * the output set: the reports' files go in one at a time this way. */
int report_add_owned(rk_outset *o, const char *dir, const char *name, char *text, rk_error *err);

#endif
