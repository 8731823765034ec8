/* mpvec.c - arrays of MPFR numbers (mpvec.h). */
#include "mpvec.h"

#include <stdlib.h>

#define R MPFR_RNDN

mpfr_t *mpvec_new(size_t n, mpfr_prec_t prec)
{
    mpfr_t *v = malloc((n ? n : 1) * sizeof *v);
    for (size_t i = 0; v && i < n; i++) {
        mpfr_init2(v[i], prec);
        mpfr_set_zero(v[i], 1);
    }
    return v;
}

void mpvec_free(mpfr_t *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        mpfr_clear(v[i]);
    free(v);
}

void mpvec_copy(mpfr_t *dst, mpfr_t *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mpfr_set(dst[i], src[i], R);
}

double mpvec_max_abs(mpfr_t *v, size_t n, mpfr_t out)
{
    mpfr_set_zero(out, 1);
    for (size_t i = 0; i < n; i++)
        if (mpfr_cmpabs(v[i], out) > 0)
            mpfr_abs(out, v[i], R);
    return mpfr_get_d(out, R);
}
