/* tableau_mp.h - a tableau's coefficients in MPFR, and how precisely the
 * tableau gives them.
 *
 * A coefficient is read from its exact text where it has one and from its
 * double otherwise.  Its "given precision" is the relative error it may
 * carry as written: 0 for an exact text, 2^-53 for a bare double, and
 * 10^(1-n) for a text that is a plain decimal of n > 20 significant
 * digits (nobody types that many digits of a value that is exact; such
 * texts are rounded values, e.g. from literature tables or from
 * rkgen polish at a lower precision).  docs/check.md states the rule.
 */
#ifndef RK_TABLEAU_MP_H
#define RK_TABLEAU_MP_H

#include <mpfr.h>
#include "diag.h"
#include "tableau.h"

/* Decimal texts with more significant digits than this are rounded values. */
#define RK_EXACT_DIGITS_MAX 20

typedef struct rk_tabmp {
    int s;
    mpfr_prec_t prec;
    mpfr_t *A, *b, *c;   /* s*s row-major, s, s */
    mpfr_t *bhat;        /* s embedded weights, or NULL: not a pair */
    double eps;          /* largest given precision of any coefficient */
    int eps_digits;      /* > 0: eps comes from a decimal of that many digits */
} rk_tabmp;

/* 0 on success; -1 with err set (a bad exact text, out of memory). */
int tabmp_init(rk_tabmp *m, const rk_tableau *t, mpfr_prec_t prec, rk_error *err);
void tabmp_clear(rk_tabmp *m);

/* The embedded method of a pair as a tableau of its own: m's A and c
 * with bhat as its weights.  It shares m's numbers, so it is valid while
 * m is and is never cleared itself. */
rk_tabmp tabmp_embedded(const rk_tabmp *m);

/* Given precision of one text (see above); sets *digits for decimals. */
double tabmp_text_eps(const char *text, int *digits);

/* Words for a given precision: "exact", "double", "decimal (25 digits)". */
const char *tabmp_eps_name(const rk_tabmp *m, char *buf, size_t size);

#endif
