/* check_spectrum.h - rkgen check --family: the spectral radius of the
 * family's Jacobian over its members, along their trajectories, and the
 * largest h rho its step range reaches (docs/check.md, "Spectrum"). */
#ifndef RK_CHECK_SPECTRUM_H
#define RK_CHECK_SPECTRUM_H

#include <cjson/cJSON.h>

#include "famspectrum.h"

/* The text section; beta > 0 is the method's real stability interval
 * (name: the method), compared with h rho. */
void spectrum_print(const rk_family *f, const spectrum_summary *s, const char *name,
                    double beta);
cJSON *spectrum_json(const spectrum_summary *s, double beta);

#endif
