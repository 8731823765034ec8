/* rk_mp.h - an explicit Runge-Kutta integration in MPFR, for measuring
 * orders and errors below the rounding floor of double: the tableau's
 * exact texts are read where it has them, the vector field is evaluated
 * on the expression tape at the working precision. */
#ifndef RK_RK_MP_H
#define RK_RK_MP_H

#include <mpfr.h>
#include "diag.h"
#include "family.h"
#include "series.h"
#include "tableau.h"

typedef struct rk_mp {
    const rk_family *f;
    const rk_tableau *t;
    mpfr_t *A, *b, *c;   /* the tableau */
    mpfr_t *p, *y, *ys, *k, *y0, *tmp; /* p: nparam; y, ys, y0: dim; k: s*dim */
    ex_mpwork rhs, exact;
    mpfr_t time, acc;
} rk_mp;

int rk_mp_init(rk_mp *m, const rk_family *f, const rk_tableau *t, mpfr_prec_t prec,
               rk_error *err);
void rk_mp_clear(rk_mp *m);

/* nsteps steps of size T/nsteps from (0, y0) with parameters p; returns
 * the largest component of |y(T) - exact(T)| (requires has_exact), or a
 * negative number if the vector field has no value somewhere. */
double rk_mp_global_error(rk_mp *m, const double *p, const double *y0, double T,
                          unsigned long nsteps);

#endif
