/* polish.h - Gauss-Newton in MPFR onto order conditions (MATH.md section 4).
 *
 * Starting from a tableau's coefficients (its exact texts where it has
 * them), minimum-norm Gauss-Newton steps move the free coefficients --
 * the a_ij below the diagonal and the b_i; the nodes follow as c = A 1 --
 * onto the conditions of classical order P and, optionally, of order Q on
 * a family (the local-error coefficients e_q, q = P+1..Q, at sampled
 * members, localerr.h).  The Jacobian of the classical conditions is exact
 * (forward mode through the trees); that of the family conditions is a
 * central difference at the working precision, with a step of about
 * 2^(-prec/3), which is accurate to about 2^(-2 prec/3) -- ample for
 * Gauss-Newton, whose convergence it slows by a negligible factor.
 *
 * The iteration runs 32 bits beyond the working precision, so that the
 * conditions hold far below the rounding of the output.  The result keeps
 * each coefficient as a decimal text with enough digits to give back the
 * same value at the working precision, and as its
 * correctly rounded double; before returning, the result is re-read from
 * those texts and checked (orders.h, localerr.h on fresh samples): it is
 * returned only if every requested condition then holds exactly.
 */
#ifndef RK_POLISH_H
#define RK_POLISH_H

#include <mpfr.h>
#include <stdint.h>
#include "diag.h"
#include "family.h"
#include "tableau.h"

typedef struct rk_polish_opts {
    int order;                 /* classical order P >= 1 */
    const rk_family *family;   /* NULL, or the family for family_order */
    int family_order;          /* Q >= P, or 0 */
    int samples;               /* family members (default 16 when 0) */
    uint64_t seed;             /* their seed */
    mpfr_prec_t prec;          /* working precision, >= 53 */
    int free_zeros;            /* let coefficients that are exactly 0 move */
    int max_iter;              /* Gauss-Newton iterations (default 60 when 0) */
} rk_polish_opts;

typedef struct rk_polish_result {
    rk_tableau *t;       /* the polished tableau (owned) */
    int iterations;
    int nconditions;     /* rows of the Gauss-Newton system */
    int nfree;           /* coefficients that could move */
    int rank;            /* rank of the last Jacobian */
    double residual;     /* largest |condition| at the end */
    double *moved;       /* |new - old| per coefficient: A (s*s), then b (s), then c (s) */
    double max_moved;
} rk_polish_result;

/* 0 on success; -1 with err set when the conditions cannot be met from
 * here (a known order barrier, or Gauss-Newton stalls) or on bad input. */
int rk_polish(const rk_tableau *t, const rk_polish_opts *o, rk_polish_result *r,
              rk_error *err);
void rk_polish_result_free(rk_polish_result *r);

/* The decimal text of x rounded to enough digits to read back to the
 * same value at prec bits (malloc'd): "0.5", "-1.2345...e-3", or for very long
 * mantissas a sum of parts, each short enough for the expression parser. */
char *polish_decimal(mpfr_srcptr x, mpfr_prec_t prec);

/* Lowest stage count an explicit method of classical order p can have, as
 * far as the Butcher barriers go (p for p <= 4, p+1 for 5 and 6, p+2 for
 * 7, p+3 beyond). */
int polish_min_stages(int p);

#endif
