/* vwrite.h - the output directory of `rkgen validate`: sweep.csv,
 * summary.csv, a gnuplot script per picture (and its SVG when gnuplot is
 * installed), copies of the plotted inputs so the page stands alone, and
 * report.md showing it all.  The directory gets all of them or nothing. */
#ifndef RK_VWRITE_H
#define RK_VWRITE_H

#include "diag.h"
#include "vreport.h"

typedef struct vreport_files {
    const char *dir;       /* the output directory */
    const char *log;       /* training curve from 'rkgen learn --log', or NULL */
    const char *stability; /* boundary from 'rkgen check --plot-data', or NULL */
} vreport_files;

/* Writes the directory; 1 if the pictures were rendered, 0 if not (the
 * page then says how to render them by hand): gnuplot is missing, or
 * it failed on the picture *unrendered names (else NULL).  -1 with err
 * when nothing was written. */
int vreport_write(const vreport_info *vi, const sweep_result *r, const vreport_files *io,
                  const char **unrendered, rk_error *err);

#endif
