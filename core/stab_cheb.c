/* stab_cheb.c - the design realised in the Chebyshev form (stabilized.h):
 * the LP's coefficients become the weights as they are, with x = 1 + mu z
 * and mu = 2/beta, so no roots are found and no order of factors chosen.
 *
 * The LP meets R^(j)(0) = 1 to GLPK's tolerance and mu is rounded to a
 * double, so the weights are corrected in MPFR by the least-norm change
 * that makes the order conditions hold for that mu exactly; only the
 * final rounding of each weight to a double remains.
 */
#include "stabilized.h"

#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>

#include "mp_lsq.h"
#include "mpvec.h"

#define RN MPFR_RNDN
#define POLISH_PREC 256

/* J[j][k] = mu^j T_k^(j)(1) = d^j/dz^j T_k(1 + mu z) at 0. */
static void order_rows(int s, int p, double mu, mpfr_t *J, mpfr_t t)
{
    for (int k = 0; k <= s; k++) {
        mpfr_set_ui(t, 1, RN);
        for (int j = 0; j <= p; j++) {
            mpfr_set(J[j * (s + 1) + k], t, RN);
            /* T_k^(j+1)(1) = T_k^(j)(1) (k^2 - j^2)/(2j + 1) */
            mpfr_mul_d(t, t, mu, RN);
            mpfr_mul_si(t, t, (long)k * k - (long)j * j, RN);
            mpfr_div_ui(t, t, 2UL * (unsigned long)j + 1, RN);
        }
    }
}

/* w += the least-norm change making R^(j)(0) = 1 for j <= p. */
static int polish(int s, int p, double mu, double *w)
{
    int m = p + 1, n = s + 1, rc = -1;
    mpfr_t *J = mpvec_new((size_t)m * (size_t)n, POLISH_PREC),
           *J2 = mpvec_new((size_t)m * (size_t)n, POLISH_PREC),
           *r = mpvec_new((size_t)m, POLISH_PREC), *dx = mpvec_new((size_t)n, POLISH_PREC);
    mpfr_t t;
    mpfr_init2(t, POLISH_PREC);
    if (!J || !J2 || !r || !dx)
        goto done;
    order_rows(s, p, mu, J, t);
    mpvec_copy(J2, J, (size_t)m * (size_t)n);
    for (int j = 0; j < m; j++) {
        mpfr_set_ui(r[j], 1, RN);
        for (int k = 0; k < n; k++) {
            mpfr_mul_d(t, J[j * n + k], w[k], RN);
            mpfr_sub(r[j], r[j], t, RN);
        }
    }
    if (mp_minnorm(m, n, J2, r, dx, 1e-40, POLISH_PREC) == m) {
        for (int k = 0; k < n; k++) {
            mpfr_add_d(t, dx[k], w[k], RN);
            w[k] = mpfr_get_d(t, RN);
        }
        rc = 0;
    }
done:
    mpfr_clear(t);
    mpvec_free(J, (size_t)m * (size_t)n);
    mpvec_free(J2, (size_t)m * (size_t)n);
    mpvec_free(r, (size_t)m);
    mpvec_free(dx, (size_t)n);
    return rc;
}

rk_stab *stab_design_chebyshev(int s, int p, double eps, rk_error *err)
{
    if (!stab_design_args_ok(s, p, eps, err))
        return NULL;
    rk_stab *m = stab_new_chebyshev(s);
    if (!m) {
        rk_error_set(err, "out of memory");
        return NULL;
    }
    double beta_lp = 2.0 * s * s;
    int lps = 0;
    if (p == 1 && eps == 0)
        m->weight[s] = 1; /* T_s(1 + z/s^2), beta = 2 s^2 */
    else if (stab_design_weights(s, p, eps, m->weight, &beta_lp, &lps, err)) {
        stab_free(m);
        return NULL;
    }
    m->mu = 2 / beta_lp;
    stab_set_design(m, "cheb", s, p, eps);
    if (polish(s, p, m->mu, m->weight)) {
        rk_error_set(err, "the order conditions of the %d-stage design could not be "
                     "made to hold", s);
        stab_free(m);
        return NULL;
    }
    return stab_design_checked(m, beta_lp, lps, err);
}
