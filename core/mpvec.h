/* mpvec.h - malloc'd arrays of MPFR numbers, and the loops over them
 * that the MPFR modules (orders, polish, localerr, series, ...) share. */
#ifndef RK_MPVEC_H
#define RK_MPVEC_H

#include <mpfr.h>
#include <stddef.h>

/* n numbers of prec bits, each +0, or NULL when out of memory.  n == 0
 * still gives an array, so that an empty vector is not a failure. */
mpfr_t *mpvec_new(size_t n, mpfr_prec_t prec);
/* Clears the n numbers mpvec_new made and frees v; NULL does nothing. */
void mpvec_free(mpfr_t *v, size_t n);
/* dst[i] = src[i] for i < n, rounded to nearest at dst's precision. */
void mpvec_copy(mpfr_t *dst, mpfr_t *src, size_t n);
/* out = max |v[i]| over i < n (0 if n == 0), exactly; returns it as a
 * double. */
double mpvec_max_abs(mpfr_t *v, size_t n, mpfr_t out);

#endif
