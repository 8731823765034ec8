/* pairjudge.h - an embedded pair judged by what users pay: the f
 * evaluations rk_adapt_solve needs for the global error it achieves,
 * on fresh members, against the built-in pairs under the same
 * controller. */
#ifndef RK_PAIRJUDGE_H
#define RK_PAIRJUDGE_H

#include "diag.h"
#include "family.h"
#include "pairfit.h"
#include "tableau.h"

/* Fills r's work ratios, per-rtol numbers, the fresh estimate ratios
 * (of the learned pair and of every built-in), best and fallback.
 * 0, or -1 with err set. */
int pairjudge_run(const rk_family *f, const rk_tableau *learned, const pairfit_config *c,
                  pairfit_result *r, rk_error *err);

/* log y at log x on the piecewise-linear curve through n points (lx,
 * ly), taken in order of lx; NAN outside [min lx, max lx]. */
double pairjudge_interp(const double *lx, const double *ly, int n, double x);

#endif
