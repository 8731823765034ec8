/* batch.h - the vector field over many samples at once, with tangents.
 *
 * Training evaluates f at thousands of states per stage.  One tape walk
 * per batch, each instruction looping over the samples, keeps the
 * interpreter's overhead per instruction instead of per sample.  Forward
 * mode carries P tangents (directional derivatives with respect to the
 * tableau's coefficients) beside each value: exact derivatives, no
 * finite differences.
 *
 * Layouts are "structure of arrays" with stride n (the batch capacity):
 * value of state k of sample i at y[k*n + i]; tangent j of it at
 * dy[(k*P + j)*n + i]; parameter q of sample i at p[q*n + i]. */
#ifndef RK_BATCH_H
#define RK_BATCH_H

#include "expr.h"

/* The instructions' values live in rows that are reused once their last
 * reader is past, and the leaves (states, parameters, t) are read where
 * they are: a long tape (a system of many states) needs rows for its
 * values in flight only, which keeps a batch's working set in the cache. */
typedef struct batch_eval {
    const ex_tape *tp;
    int n, P, dim;
    int nrow;      /* rows in v */
    int *row;      /* per instruction: its row in v, -1 for a leaf read in place */
    int *out_first, *out_next; /* the outputs an instruction gives, -1 ended */
    double *v;     /* nrow * n values */
    double *dv;    /* nrow * P * n tangents */
    char *live;    /* instruction depends on the state or on t */
    double *zero;  /* n zeros: the tangent of a constant */
    /* during batch_rhs: the leaves */
    const double *t, *dt, *y, *dy, *p;
} batch_eval;

int batch_init(batch_eval *b, const ex_tape *tp, int dim, int n, int P);
void batch_free(batch_eval *b);

/* f at the first m samples.  dt may be NULL (t does not vary with the
 * coefficients); dy, dF may be NULL when P is 0 or tangents are not
 * wanted (then only values are computed). */
void batch_rhs(batch_eval *b, int m, const double *t, const double *dt,
               const double *y, const double *dy, const double *p, double *F,
               double *dF);

#endif
