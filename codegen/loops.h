/* loops.h - the right-hand side of a family with state arrays, as loops.
 *
 * Each array's index range is cut where a rule's fixed index sits and
 * where one of its shifted indices (x[i+1], x[i-2]) wraps around, so that
 * in every piece one rule applies and no index needs a modulo.  A piece
 * of one index is a peeled statement, a longer one a loop: the code size
 * does not depend on the sizes.  The printed operations are those of the
 * rule's template, which the parser instantiated for the engine, so the
 * C and the engine agree to the bit. */
#ifndef RK_LOOPS_H
#define RK_LOOPS_H

#include "cprint.h"
#include "family.h"
#include "strbuf.h"

typedef struct loops_names {
    const char *prefix; /* the C prefix: PREFIX_real */
    const char *y, *dydt;
    const char *temp;   /* common subexpressions: TEMP1, TEMP2, ... */
    int is_float;
} loops_names;

/* Declarations of the states (pointers into y for arrays, locals for
 * scalars), then every component's derivative. */
void loops_rhs(strbuf *b, const rk_family *f, const loops_names *ln, const cprint_names *names);

/* The header's macros: where each state lies in y and an array's sizes,
 * so that a caller can address u[i][j] as y[PREFIX_U_OFFSET + i*PREFIX_U_COLS + j]. */
void loops_macros(strbuf *b, const rk_family *f, const char *upper_prefix);

#endif
