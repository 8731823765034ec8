/* series.h - truncated power-series (Taylor) arithmetic on an expression tape.
 *
 * A series of degree d is d+1 coefficients x[0..d] of x(h) = sum x[k] h^k.
 * Each tape instruction becomes one series, computed from its children's
 * by the classical O(d^2) recurrences (Moore; Jorba & Zou), so that
 * running the stages of a Runge-Kutta method in this arithmetic gives the
 * h-derivatives of the step exactly (MATH.md section 2).  The same
 * operations exist in double and in MPFR.
 *
 * Evaluation fails (returns the failing tape slot, >= 0) where a series
 * does not exist at h = 0: division by a series with zero constant term,
 * log, sqrt or pow of a series whose constant term is zero or negative
 * where that matters, asin/acos at +-1.  It returns -1 on success.
 */
#ifndef RK_SERIES_H
#define RK_SERIES_H

#include <mpfr.h>
#include "expr.h"

typedef struct ex_senv {
    const double *t;  /* series of t: deg+1 coefficients */
    const double *y;  /* state i's series starts at y + i*(deg+1) */
    const double *p;  /* parameter values */
    const double *y0; /* initial values (EX_INIT) */
} ex_senv;

/* Number of doubles `work` must hold for ex_series at degree deg. */
size_t ex_series_work(const ex_tape *tp, int deg);
/* Root r's series goes to out + r*(deg+1). */
int ex_series(const ex_tape *tp, int deg, const ex_senv *env, double *work,
              double *out);
/* Coefficient k of every instruction, for k = 0, 1, ..., deg in turn on
 * the same work: the inputs' coefficients up to k must be in env.  This
 * is how a Taylor integrator gets y's series in O(deg^2) operations, not
 * O(deg^3).  Returns -1, or the slot of an instruction that this order
 * cannot form (the cases ex_series forms from the whole argument, but
 * for an argument constant by its form, and pow with an exponent not
 * constant by its form): use ex_series then.
 * Where it succeeds it agrees bitwise with ex_series. */
int ex_series_coeff(const ex_tape *tp, int deg, int k, const ex_senv *env, double *work);
/* Output r's series in work after ex_series_coeff. */
const double *ex_series_output(const ex_tape *tp, int deg, const double *work, int r);

/* ex_series_coeff with the tape resolved once, for a Taylor integrator
 * that forms thousands of series on the same tape: the same bits, with
 * the plans kept from k = 0 to deg.  work (ex_series_work doubles) is
 * borrowed and must outlive the program.  With bind, states and t are
 * read in place from bind->y and bind->t, which every env passed to
 * ex_sprog_coeff must then point to as well. */
struct ex_sinstr;
typedef struct ex_sprog {
    const ex_tape *tp;
    int deg;
    double *work;
    ex_senv bind;       /* bind->t and bind->y, when bound */
    int bound;
    struct ex_sinstr *ins;
    int *live, nlive;   /* the instructions formed above k = 0 */
    const double **out; /* each output's series */
} ex_sprog;

int ex_sprog_init(ex_sprog *p, const ex_tape *tp, int deg, double *work, const ex_senv *bind);
void ex_sprog_free(ex_sprog *p);
/* Coefficient k of every instruction, k = 0, 1, ... in turn, as
 * ex_series_coeff. */
int ex_sprog_coeff(ex_sprog *p, int k, const ex_senv *env);
const double *ex_sprog_output(const ex_sprog *p, int r);

typedef struct ex_senv_mp {
    mpfr_t *t;   /* deg+1 coefficients */
    mpfr_t *y;   /* state i's series starts at y + i*(deg+1) */
    mpfr_t *p;
    mpfr_t *y0;
} ex_senv_mp;

/* Scratch for ex_series_mp: allocated once, reused across calls. */
typedef struct ex_mpwork {
    mpfr_t *v;
    size_t n;
    int deg;
    mpfr_prec_t prec;
} ex_mpwork;

int ex_mpwork_init(ex_mpwork *w, const ex_tape *tp, int deg, mpfr_prec_t prec);
void ex_mpwork_clear(ex_mpwork *w);
/* out: nout*(deg+1) initialised mpfr_t; same layout as ex_series. */
int ex_series_mp(const ex_tape *tp, int deg, const ex_senv_mp *env,
                 ex_mpwork *w, mpfr_t *out);

#endif
