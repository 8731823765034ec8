/* measure.h - how a method is judged (MATH.md section 5): the global
 * error at the family's horizon on members drawn for the purpose, and
 * its ratio to classical methods with the same number of stages. */
#ifndef RK_MEASURE_H
#define RK_MEASURE_H

#include "family.h"
#include "jit.h"
#include "samples.h"
#include "tableau.h"

/* err[i] = |y_N - y(T)|_2 for member i with the engine's step (at least
 * the rounding of |y(T)|: DBL_EPSILON |y(T)|); returns
 * the number of members whose result is not finite (err = inf). */
int measure_engine(const rk_family *f, const rk_tableau *t, const sample_set *s,
                   double *err);
/* The same through a compiled stepper (double or float). */
int measure_jit(const rk_family *f, const jit_stepper *js, int is_float,
                const sample_set *s, double *err);

/* exp(mean(log(e[i] / ref[i]))): below 1 means better than ref.  Members
 * where both errors are exactly zero, or where either method blew up
 * (infinite error: count those apart), are skipped. */
double geomean_ratio(const double *e, const double *ref, int n);
double geomean(const double *e, int n);

/* The built-in tableaux with s stages (up to max), in built-in order. */
int classical_with_stages(int s, const char **names, int max);

#endif
