/* stabmeasure.h - the global error at the horizon of a method in ordered
 * product form (stabilized.h), member by member, judged as measure.h
 * judges tableaux (measure_error), so that the two can be compared. */
#ifndef RK_STABMEASURE_H
#define RK_STABMEASURE_H

#include "samples.h"
#include "stabilized.h"

/* err[i] = measure_error(y_N, y(T)) for member i with stab_step; returns
 * the number of members whose result is not finite (err = inf), or -1
 * when out of memory. */
int measure_stab(const rk_family *f, const rk_stab *m, const sample_set *s, double *err);

#endif
