/* plot.h - the pictures of `rkgen validate` as gnuplot scripts, and
 * rendering them to SVG when gnuplot is installed.
 *
 * A script reads its CSV by name from its own directory and writes SVG
 * to standard output, so `gnuplot NAME.gp > NAME.svg` in the output
 * directory renders it by hand too.  SVG is text without timestamps,
 * which keeps the outputs deterministic. */
#ifndef RK_PLOT_H
#define RK_PLOT_H

#include "sweep.h"

typedef struct plot_info {
    const char *stepper, *family;
    const sweep_method *m; /* the methods of the sweep */
    int nm;
    double train_lo, train_hi; /* the family's own step range, shaded */
    const char *log_x, *log_y1, *log_y2; /* training CSV columns, or NULL */
} plot_info;

/* Scripts (malloc'd text): the data files are sweep.csv, training.csv
 * and stability.csv. */
char *plot_error_vs_h(const plot_info *pi);
char *plot_work_precision(const plot_info *pi);
char *plot_training(const plot_info *pi);
char *plot_stability(const plot_info *pi);

/* 1 if gnuplot can be run. */
int plot_have_gnuplot(void);
/* Runs gnuplot on dir/script; the SVG text (malloc'd, *len bytes), or
 * NULL if gnuplot failed or wrote nothing. */
char *plot_render(const char *dir, const char *script, size_t *len);

#endif
