/* measure.h - how a method is judged (MATH.md section 5): the global
 * error at the family's horizon on members drawn for the purpose, and
 * its ratio to classical methods with the same number of stages. */
#ifndef RK_MEASURE_H
#define RK_MEASURE_H

#include "family.h"
#include "jit.h"
#include "samples.h"
#include "tableau.h"

/* The error of a result y against the truth: |y - truth|_2, but at
 * least the rounding of the truth, DBL_EPSILON |truth|_2 (and never 0):
 * a method cannot be credited for an error double cannot represent, and
 * a zero would break the geometric mean.  inf when y is not finite
 * (or the difference overflows). */
double measure_error(const double *y, const double *truth, int d);

/* err[i] = measure_error(y_N, y(T)) for member i with the engine's step;
 * returns the number of members whose result is not finite (err = inf). */
int measure_engine(const rk_family *f, const rk_tableau *t, const sample_set *s,
                   double *err);
/* The engine's end states: y + i*dim after member i's steps (onestep:
 * s->unroll of them); 0, or -1 when out of memory. */
int measure_engine_states(const rk_family *f, const rk_tableau *t, const sample_set *s,
                          int onestep, double *y);
/* The same through a compiled stepper (double or float). */
int measure_jit(const rk_family *f, const jit_stepper *js, int is_float,
                const sample_set *s, double *err);

/* exp(mean(log(e[i] / ref[i]))): below 1 means better than ref.  Members
 * where both errors are exactly zero, or where either method blew up
 * (infinite error: count those apart), are skipped. */
double geomean_ratio(const double *e, const double *ref, int n);
double geomean(const double *e, int n);


#endif
