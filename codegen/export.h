/* export.h - a tableau written for the tools where people test methods:
 * a SciPy module, a Julia ExplicitRKTableau, a NodePy method, an ARKODE
 * Butcher table in C and a LaTeX Butcher array (docs/export.md).
 *
 * Where the tableau knows a coefficient exactly, the export does too:
 * rationals as fractions, radicals as expressions (LaTeX, Julia, NodePy);
 * where the target computes in doubles (SciPy, ARKODE) every number is
 * the double rkgen itself uses.  The same tableau always gives the same
 * bytes. */
#ifndef RK_EXPORT_H
#define RK_EXPORT_H

#include "diag.h"
#include "tableau.h"

typedef enum rk_export_target {
    RK_EXPORT_SCIPY,
    RK_EXPORT_JULIA,
    RK_EXPORT_NODEPY,
    RK_EXPORT_ARKODE,
    RK_EXPORT_LATEX,
    RK_EXPORT_NTARGETS
} rk_export_target;

/* The target named "scipy", "julia", ...; -1 for any other name. */
int export_target(const char *name);
/* "scipy|julia|nodepy|arkode|latex", for messages. */
const char *export_target_list(void);

/* The exported text, malloc'd, into *text.  The orders are found from
 * the rooted trees in MPFR, as rkgen check finds them; an order the
 * tableau states is declared, one it does not state (0) is the one
 * found.  Returns 0; 1 when a stated order does not hold (err says
 * which; nothing is exported); -1 with err set otherwise. */
int export_tableau(const rk_tableau *t, rk_export_target to, char **text, rk_error *err);

#endif
