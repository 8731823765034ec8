/* stab_mp.c - what a many-stage method is, measured in MPFR
 * (stabilized.h): R's coefficients and order, the real interval where
 * |R| <= 1, and the internal amplification of rounding errors made
 * inside a step.
 *
 * R is evaluated as the product of its factors, or by the Chebyshev
 * recurrence, never from its coefficients: at z = -beta the monomial sum
 * of a degree-256 R cancels hundreds of digits, either form loses none.
 */
#include "stabilized.h"

#include <math.h>
#include <mpfr.h>
#include <stdlib.h>

#include "mpvec.h"

#define RN MPFR_RNDN
/* |R| may exceed 1 by this much and still count as bounded: the factors
 * are rounded to doubles, which moves the extrema of R by about
 * s^2 * 2^-53 (1e-11 at s = 256). */
#define BOUND_SLACK 1e-9
/* Grid points per stage when looking for the end of the interval and
 * for the largest internal amplification; cosine-spaced, as R's
 * extrema are. */
#define SCAN_PER_STAGE 32
#define AMP_PER_STAGE 16
#define UNIT_ROUNDOFF 0x1p-53
#define PI 3.14159265358979323846

/* The factors as MPFR numbers: Euler alpha in p1; quadratic B = b1 + b2
 * in p1, C = a b2 in p2, b2 in p3 (the internal stage's weight). */
typedef struct mpfac {
    int n;
    stab_kind *kind;
    mpfr_t *p1, *p2, *p3;
    mpfr_t t, u, v, w, q, q1, q2;
    /* the Chebyshev form: s, mu, the weights; T_k, T_k', T_k'' of two
     * stages back in a[], of one stage back in b[] */
    int cheb, s;
    mpfr_t mu, x, a[3], b[3], c[3];
    mpfr_t *wt;
} mpfac;

static void mpfac_clear(mpfac *f)
{
    mpvec_free(f->p1, (size_t)f->n);
    mpvec_free(f->p2, (size_t)f->n);
    mpvec_free(f->p3, (size_t)f->n);
    free(f->kind);
    mpfr_clears(f->t, f->u, f->v, f->w, f->q, f->q1, f->q2, f->mu, f->x, (mpfr_ptr)0);
    for (int i = 0; i < 3; i++)
        mpfr_clears(f->a[i], f->b[i], f->c[i], (mpfr_ptr)0);
    mpvec_free(f->wt, f->cheb ? (size_t)f->s + 1 : 0);
}

static int mpfac_init(mpfac *f, const rk_stab *m, mpfr_prec_t prec)
{
    size_t n = (size_t)m->nfactor;
    f->n = m->nfactor;
    f->cheb = m->form == STAB_CHEBYSHEV;
    f->s = m->s;
    f->kind = malloc((n ? n : 1) * sizeof *f->kind);
    f->p1 = mpvec_new(n, prec);
    f->p2 = mpvec_new(n, prec);
    f->p3 = mpvec_new(n, prec);
    f->wt = f->cheb ? mpvec_new((size_t)m->s + 1, prec) : NULL;
    mpfr_inits2(prec, f->t, f->u, f->v, f->w, f->q, f->q1, f->q2, f->mu, f->x, (mpfr_ptr)0);
    for (int i = 0; i < 3; i++)
        mpfr_inits2(prec, f->a[i], f->b[i], f->c[i], (mpfr_ptr)0);
    if (!f->kind || (n && (!f->p1 || !f->p2 || !f->p3)) || (f->cheb && !f->wt))
        return -1;
    if (f->cheb) {
        mpfr_set_d(f->mu, m->mu, RN);
        for (int k = 0; k <= m->s; k++)
            mpfr_set_d(f->wt[k], m->weight[k], RN);
    }
    for (size_t k = 0; k < n; k++) {
        const stab_factor *x = &m->factor[k];
        f->kind[k] = x->kind;
        if (x->kind == STAB_EULER) {
            mpfr_set_d(f->p1[k], x->alpha, RN);
            continue;
        }
        mpfr_set_d(f->p1[k], x->b1, RN);
        mpfr_add_d(f->p1[k], f->p1[k], x->b2, RN);
        mpfr_set_d(f->p2[k], x->a, RN);
        mpfr_mul_d(f->p2[k], f->p2[k], x->b2, RN);
        mpfr_set_d(f->p3[k], x->b2, RN);
    }
    return 0;
}

/* ---- the Chebyshev form ---- */

/* R(z) = sum w_k T_k(x), x = 1 + mu z, with R'(z) and R''(z) when d1 and
 * d2 are given: T_k, T_k' and T_k'' by their forward recurrences,
 *   T_k = 2x T_{k-1} - T_{k-2},  T_k' = 2 T_{k-1} + 2x T_k-1' - T_{k-2}',
 *   T_k'' = 4 T_{k-1}' + 2x T_{k-1}'' - T_{k-2}'',
 * which lose nothing at MPFR's precision for |x| <= 1 and beyond. */
static void cheb_r_at(mpfac *f, mpfr_t z, mpfr_t r, mpfr_t d1, mpfr_t d2)
{
    int nd = d1 && d2 ? 3 : 1;
    mpfr_fma(f->x, f->mu, z, f->t, RN); /* t holds 1 */
    mpfr_set_ui(f->a[0], 1, RN);
    mpfr_set(f->b[0], f->x, RN);
    mpfr_set_zero(f->a[1], 1);
    mpfr_set_ui(f->b[1], 1, RN);
    mpfr_set_zero(f->a[2], 1);
    mpfr_set_zero(f->b[2], 1);
    mpfr_ptr acc[3] = {r, d1, d2};
    for (int i = 0; i < nd; i++) {
        mpfr_mul(acc[i], f->wt[1], f->b[i], RN);
        if (i == 0)
            mpfr_add(r, r, f->wt[0], RN);
    }
    for (int k = 2; k <= f->s; k++) {
        for (int i = 0; i < nd; i++) {
            mpfr_mul(f->c[i], f->x, f->b[i], RN);
            mpfr_mul_2ui(f->c[i], f->c[i], 1, RN);
            mpfr_sub(f->c[i], f->c[i], f->a[i], RN);
            if (i > 0) { /* 2 T_{k-1} into T_k', 4 T_{k-1}' into T_k'' */
                mpfr_mul_2ui(f->u, f->b[i - 1], (unsigned long)i, RN);
                mpfr_add(f->c[i], f->c[i], f->u, RN);
            }
        }
        for (int i = nd - 1; i >= 0; i--) {
            mpfr_swap(f->a[i], f->b[i]);
            mpfr_swap(f->b[i], f->c[i]);
            mpfr_fma(acc[i], f->wt[k], f->b[i], acc[i], RN);
        }
    }
    if (nd == 3) {
        mpfr_mul(d1, d1, f->mu, RN);
        mpfr_mul(d2, d2, f->mu, RN);
        mpfr_mul(d2, d2, f->mu, RN);
    }
}

/* R's monomial coefficients (or those of sum |w_k| T_k(1 + mu z)):
 * T_k(1 + mu z) = sum_j mu^j T_k^(j)(1)/j! z^j with
 * T_k^(j)(1) = prod_{i<j} (k^2 - i^2)/(2i + 1), all terms positive. */
static void cheb_coefs(mpfac *f, mpfr_t *c, int degree, int absolute)
{
    for (int j = 0; j <= degree; j++)
        mpfr_set_zero(c[j], 1);
    for (int k = 0; k <= f->s; k++) {
        if (absolute)
            mpfr_abs(f->v, f->wt[k], RN);
        else
            mpfr_set(f->v, f->wt[k], RN);
        for (int j = 0; j <= k && j <= degree; j++) {
            mpfr_add(c[j], c[j], f->v, RN);
            mpfr_mul(f->v, f->v, f->mu, RN);
            mpfr_mul_ui(f->v, f->v, (unsigned long)k * (unsigned long)k -
                                        (unsigned long)j * (unsigned long)j, RN);
            mpfr_div_ui(f->v, f->v, (2UL * (unsigned long)j + 1) * ((unsigned long)j + 1), RN);
        }
    }
}

/* The adjoint of the recurrence: lambda_j, what an error in Y_j
 * becomes in the result, by lambda_j = w_j + 2x lambda_{j+1} -
 * lambda_{j+2} (Y_j enters Y_{j+1} times 2x and Y_{j+2} times -1). */
static void cheb_thetas(mpfac *f, mpfr_t z, double *mx, double *sum)
{
    mpfr_set_ui(f->t, 1, RN);
    mpfr_fma(f->x, f->mu, z, f->t, RN);
    mpfr_set_zero(f->a[0], 1); /* lambda_{j+2} */
    mpfr_set_zero(f->b[0], 1); /* lambda_{j+1} */
    *mx = 1;
    *sum = 1;
    for (int j = f->s; j >= 1; j--) {
        mpfr_mul(f->c[0], f->x, f->b[0], RN);
        mpfr_mul_2ui(f->c[0], f->c[0], 1, RN);
        mpfr_sub(f->c[0], f->c[0], f->a[0], RN);
        mpfr_add(f->c[0], f->c[0], f->wt[j], RN);
        mpfr_swap(f->a[0], f->b[0]);
        mpfr_swap(f->b[0], f->c[0]);
        double a = fabs(mpfr_get_d(f->b[0], RN));
        *mx = a > *mx ? a : *mx;
        *sum += a;
    }
}

/* The largest |Y_k| = |T_k(x)| and |partial sum of w_k Y_k|, y = 1. */
static double cheb_growth(mpfac *f, mpfr_t z)
{
    mpfr_set_ui(f->t, 1, RN);
    mpfr_fma(f->x, f->mu, z, f->t, RN);
    mpfr_set_ui(f->a[0], 1, RN);
    mpfr_set(f->b[0], f->x, RN);
    mpfr_mul(f->v, f->wt[1], f->x, RN);
    mpfr_add(f->v, f->v, f->wt[0], RN);
    double mx = fmax(1, fmax(fabs(mpfr_get_d(f->x, RN)), fabs(mpfr_get_d(f->v, RN))));
    for (int k = 2; k <= f->s; k++) {
        mpfr_mul(f->c[0], f->x, f->b[0], RN);
        mpfr_mul_2ui(f->c[0], f->c[0], 1, RN);
        mpfr_sub(f->c[0], f->c[0], f->a[0], RN);
        mpfr_swap(f->a[0], f->b[0]);
        mpfr_swap(f->b[0], f->c[0]);
        mpfr_fma(f->v, f->wt[k], f->b[0], f->v, RN);
        mx = fmax(mx, fmax(fabs(mpfr_get_d(f->b[0], RN)), fabs(mpfr_get_d(f->v, RN))));
    }
    return mx;
}

/* Factor k's polynomial at z into f->q, its derivatives into q1, q2. */
static void factor_at(mpfac *f, int k, mpfr_t z)
{
    if (f->kind[k] == STAB_EULER) {
        mpfr_fma(f->q, f->p1[k], z, f->t, RN); /* t holds 1 */
        mpfr_set(f->q1, f->p1[k], RN);
        mpfr_set_zero(f->q2, 1);
        return;
    }
    /* 1 + B z + C z^2, 2C z + B, 2C */
    mpfr_fma(f->q, f->p2[k], z, f->p1[k], RN);
    mpfr_fma(f->q, f->q, z, f->t, RN);
    mpfr_mul_2ui(f->q2, f->p2[k], 1, RN);
    mpfr_fma(f->q1, f->q2, z, f->p1[k], RN);
}

/* R(z), and R'(z), R''(z) when d1 and d2 are given (product rule). */
static void r_at(mpfac *f, mpfr_t z, mpfr_t r, mpfr_t d1, mpfr_t d2)
{
    mpfr_set_ui(f->t, 1, RN);
    if (f->cheb) {
        cheb_r_at(f, z, r, d1, d2);
        return;
    }
    mpfr_set_ui(r, 1, RN);
    if (d1) {
        mpfr_set_zero(d1, 1);
        mpfr_set_zero(d2, 1);
    }
    for (int k = 0; k < f->n; k++) {
        factor_at(f, k, z);
        if (d1) {
            /* (P f)'' = P'' f + 2 P' f' + P f'' */
            mpfr_mul(d2, d2, f->q, RN);
            mpfr_mul(f->u, d1, f->q1, RN);
            mpfr_mul_2ui(f->u, f->u, 1, RN);
            mpfr_add(d2, d2, f->u, RN);
            mpfr_mul(f->u, r, f->q2, RN);
            mpfr_add(d2, d2, f->u, RN);
            /* (P f)' = P' f + P f' */
            mpfr_mul(d1, d1, f->q, RN);
            mpfr_mul(f->u, r, f->q1, RN);
            mpfr_add(d1, d1, f->u, RN);
        }
        mpfr_mul(r, r, f->q, RN);
    }
}

static double abs_r(mpfac *f, mpfr_t z, mpfr_t r)
{
    r_at(f, z, r, NULL, NULL);
    return fabs(mpfr_get_d(r, RN));
}

/* ---- coefficients and order ---- */

/* Multiplies the polynomial c[0..deg] by factor k (|factor| when
 * absolute), in place; returns the new degree. */
static int times_factor(mpfac *f, int k, mpfr_t *c, int deg, int absolute)
{
    int add = f->kind[k] == STAB_EULER ? 1 : 2;
    for (int j = deg + add; j >= 1; j--) {
        /* c_j += p1 c_{j-1} + p2 c_{j-2} */
        if (j - 1 <= deg) {
            mpfr_abs(f->u, f->p1[k], RN);
            mpfr_fma(c[j], absolute ? f->u : f->p1[k], c[j - 1], c[j], RN);
        }
        if (add == 2 && j >= 2 && j - 2 <= deg) {
            mpfr_abs(f->u, f->p2[k], RN);
            mpfr_fma(c[j], absolute ? f->u : f->p2[k], c[j - 2], c[j], RN);
        }
    }
    return deg + add;
}

static void product(mpfac *f, mpfr_t *c, int degree, int absolute)
{
    if (f->cheb) {
        cheb_coefs(f, c, degree, absolute);
        return;
    }
    for (int j = 0; j <= degree; j++)
        mpfr_set_ui(c[j], j == 0, RN);
    int deg = 0;
    for (int k = 0; k < f->n; k++)
        deg = times_factor(f, k, c, deg, absolute);
}

/* The largest p with |c_j - 1/j!| <= tol(j) for all j <= p, where tol
 * is `rel` times the size of the sum behind c_j (scale). */
static int order_within(mpfr_t *c, mpfr_t *scale, int degree, double rel, mpfr_t fact,
                        mpfr_t tmp)
{
    int p = 0;
    mpfr_set_ui(fact, 1, RN);
    for (int j = 1; j <= degree; j++) {
        mpfr_mul_ui(fact, fact, (unsigned long)j, RN);
        mpfr_ui_div(tmp, 1, fact, RN);
        mpfr_sub(tmp, c[j], tmp, RN);
        mpfr_abs(tmp, tmp, RN);
        if (mpfr_get_d(tmp, MPFR_RNDU) > rel * (j + 1) * mpfr_get_d(scale[j], RN))
            break;
        p = j;
    }
    return p;
}

/* ---- the interval ---- */

/* The z in [lo, hi] (lo < hi <= 0) where |R| - 1 - slack changes sign,
 * |R| bounded at hi and not at lo; by bisection to the double. */
static void crossing(mpfac *f, mpfr_t lo, mpfr_t hi, mpfr_t r)
{
    mpfr_t mid;
    mpfr_init2(mid, mpfr_get_prec(lo));
    for (int it = 0; it < 200; it++) {
        mpfr_add(mid, lo, hi, RN);
        mpfr_div_2ui(mid, mid, 1, RN);
        if (mpfr_get_d(mid, RN) == mpfr_get_d(lo, RN) ||
            mpfr_get_d(mid, RN) == mpfr_get_d(hi, RN))
            break;
        if (abs_r(f, mid, r) > 1 + BOUND_SLACK)
            mpfr_set(lo, mid, RN);
        else
            mpfr_set(hi, mid, RN);
    }
    mpfr_clear(mid);
}

/* Refines a local maximum of |R| near z (inside [lo, hi]) by Newton on
 * R' = 0; z is left at the best point found. */
static void refine_max(mpfac *f, mpfr_t z, double lo, double hi, mpfr_t r, mpfr_t d1,
                       mpfr_t d2)
{
    mpfr_t x;
    mpfr_init2(x, mpfr_get_prec(z));
    mpfr_set(x, z, RN);
    double best = abs_r(f, z, r);
    for (int it = 0; it < 30; it++) {
        r_at(f, x, r, d1, d2);
        if (mpfr_zero_p(d2))
            break;
        mpfr_div(d1, d1, d2, RN);
        mpfr_sub(x, x, d1, RN);
        double xd = mpfr_get_d(x, RN);
        if (!(xd >= lo && xd <= hi))
            break;
        double v = abs_r(f, x, r);
        if (v > best) {
            best = v;
            mpfr_set(z, x, RN);
        }
        if (fabs(mpfr_get_d(d1, RN)) <= 1e-15 * (fabs(xd) + 1))
            break;
    }
    mpfr_clear(x);
}

/* The largest b with |R| <= 1 (+ BOUND_SLACK) on [-b, 0], looked for up
 * to `limit`: a grid, and the top of each local maximum of |R| on it,
 * since a top can rise above 1 between grid points. */
static double measure_interval(mpfac *f, int s, double limit, mpfr_prec_t prec)
{
    int n = SCAN_PER_STAGE * s + 64;
    mpfr_t bad, good, r, d1, d2;
    mpfr_inits2(prec, bad, good, r, d1, d2, (mpfr_ptr)0);
    double beta = limit, zprev = 0, zpp = 0, vprev = 1, vpp = 1;
    for (int i = 1; i <= n; i++) {
        double zc = -limit * 0.5 * (1 - cos(PI * i / n));
        mpfr_set_d(bad, zc, RN);
        double v = abs_r(f, bad, r);
        int found = v > 1 + BOUND_SLACK;
        if (found) {
            mpfr_set_d(good, zprev, RN);
        } else if (i >= 2 && vprev >= vpp && vprev >= v) {
            mpfr_set_d(bad, zprev, RN);
            refine_max(f, bad, zc, zpp, r, d1, d2);
            found = abs_r(f, bad, r) > 1 + BOUND_SLACK;
            mpfr_set_d(good, mpfr_cmp_d(bad, zprev) < 0 ? zprev : zpp, RN);
        }
        if (found) {
            crossing(f, bad, good, r);
            beta = -mpfr_get_d(good, RN);
            break;
        }
        zpp = zprev;
        vpp = vprev;
        zprev = zc;
        vprev = v;
    }
    mpfr_clears(bad, good, r, d1, d2, (mpfr_ptr)0);
    return beta;
}

/* ---- internal amplification ---- */

/* max_j |theta_j(z)| and sum_j |theta_j(z)| at one z: theta of the
 * state entering factor k (k >= 1) is the product of factors k..n-1,
 * of a quadratic factor's inner stage b2 z times the factors after it,
 * and of the result 1. */
static void thetas(mpfac *f, mpfr_t z, double *mx, double *sum)
{
    if (f->cheb) {
        cheb_thetas(f, z, mx, sum);
        return;
    }
    mpfr_set_ui(f->t, 1, RN);
    mpfr_set_ui(f->v, 1, RN); /* the product of the factors after k */
    *mx = 1;
    *sum = 1;
    for (int k = f->n - 1; k >= 0; k--) {
        if (f->kind[k] == STAB_QUADRATIC) {
            mpfr_mul(f->w, f->p3[k], z, RN);
            mpfr_mul(f->w, f->w, f->v, RN);
            double a = fabs(mpfr_get_d(f->w, RN));
            *mx = a > *mx ? a : *mx;
            *sum += a;
        }
        factor_at(f, k, z);
        mpfr_mul(f->v, f->v, f->q, RN);
        if (k >= 1) {
            double a = fabs(mpfr_get_d(f->v, RN));
            *mx = a > *mx ? a : *mx;
            *sum += a;
        }
    }
}

/* The largest |state| inside the step at z, y = 1: the product of the
 * factors applied so far, and a quadratic factor's inner stage. */
static double state_growth(mpfac *f, mpfr_t z)
{
    if (f->cheb)
        return cheb_growth(f, z);
    double mx = 1;
    mpfr_set_ui(f->t, 1, RN);
    mpfr_set_ui(f->v, 1, RN);
    for (int k = 0; k < f->n; k++) {
        if (f->kind[k] == STAB_QUADRATIC) {
            /* Z = Y (1 + a z), a = C / b2 */
            mpfr_div(f->w, f->p2[k], f->p3[k], RN);
            mpfr_fma(f->w, f->w, z, f->t, RN);
            mpfr_mul(f->w, f->w, f->v, RN);
            double a = fabs(mpfr_get_d(f->w, RN));
            mx = a > mx ? a : mx;
        }
        factor_at(f, k, z);
        mpfr_mul(f->v, f->v, f->q, RN);
        double a = fabs(mpfr_get_d(f->v, RN));
        mx = a > mx ? a : mx;
    }
    return mx;
}

static void amplification(mpfac *f, int s, double beta, mpfr_prec_t prec,
                          stab_analysis *out)
{
    int n = AMP_PER_STAGE * s + 64;
    mpfr_t z;
    mpfr_init2(z, prec);
    out->amplification = 1;
    out->amplification_sum = 1;
    out->growth = 1;
    for (int i = 0; i <= n; i++) {
        double mx, sum;
        mpfr_set_d(z, -beta * 0.5 * (1 - cos(PI * i / n)), RN);
        thetas(f, z, &mx, &sum);
        if (mx > out->amplification)
            out->amplification = mx;
        if (sum > out->amplification_sum)
            out->amplification_sum = sum;
        double g = state_growth(f, z);
        if (g > out->growth)
            out->growth = g;
    }
    mpfr_clear(z);
}

/* ---- the whole analysis ---- */

static int valid_chebyshev(const rk_stab *m, rk_error *err)
{
    if (m->s < 1 || m->s > STAB_MAX_STAGES || !m->weight || !isfinite(m->mu) ||
        !(m->mu > 0)) {
        rk_error_set(err, "a Chebyshev-form method needs 1 to %d stages and mu > 0",
                     STAB_MAX_STAGES);
        return -1;
    }
    for (int k = 0; k <= m->s; k++)
        if (!isfinite(m->weight[k])) {
            rk_error_set(err, "weight %d of %s is not finite", k, m->name);
            return -1;
        }
    return 0;
}

static int valid(const rk_stab *m, rk_error *err)
{
    if (m && m->form == STAB_CHEBYSHEV)
        return valid_chebyshev(m, err);
    if (!m || m->nfactor < 1 || m->nfactor > STAB_MAX_STAGES || !m->factor) {
        rk_error_set(err, "a stabilized method needs 1 to %d factors", STAB_MAX_STAGES);
        return -1;
    }
    for (int k = 0; k < m->nfactor; k++) {
        const stab_factor *x = &m->factor[k];
        int ok = x->kind == STAB_EULER ? isfinite(x->alpha) && x->alpha != 0
                 : x->kind == STAB_QUADRATIC && isfinite(x->a) && isfinite(x->b1) &&
                       isfinite(x->b2) && x->a * x->b2 != 0;
        if (!ok) {
            rk_error_set(err, "factor %d of %s is not a valid Euler or quadratic factor",
                         k + 1, m->name);
            return -1;
        }
    }
    if (stab_stages(m) > STAB_MAX_STAGES) {
        rk_error_set(err, "%s costs %d stages; at most %d are supported", m->name,
                     stab_stages(m), STAB_MAX_STAGES);
        return -1;
    }
    return 0;
}

int stab_analyse(const rk_stab *m, int prec, stab_analysis *out, rk_error *err)
{
    out->coef = NULL;
    if (valid(m, err))
        return -1;
    if (prec < 64)
        prec = 64;
    int s = stab_stages(m);
    mpfac f;
    mpfr_t fact, tmp;
    mpfr_t *c = mpvec_new((size_t)s + 1, prec), *scale = mpvec_new((size_t)s + 1, prec);
    mpfr_inits2(prec, fact, tmp, (mpfr_ptr)0);
    int rc = mpfac_init(&f, m, prec);
    out->coef = malloc(((size_t)s + 1) * sizeof *out->coef);
    if (rc || !c || !scale || !out->coef) {
        rk_error_set(err, "out of memory");
        rc = -1;
        free(out->coef);
        out->coef = NULL;
        goto done;
    }
    out->degree = s;
    product(&f, c, s, 0);
    product(&f, scale, s, 1);
    for (int j = 0; j <= s; j++)
        out->coef[j] = mpfr_get_d(c[j], RN);
    /* every factor is a double, rounded from the design: its coefficients
     * hold to that rounding at best */
    out->order = order_within(c, scale, s, 16 * UNIT_ROUNDOFF, fact, tmp);
    out->exact_order = order_within(c, scale, s, ldexp(1, -(prec - 10)), fact, tmp);
    /* no R with R(0) = R'(0) = 1 of degree s is bounded beyond 2 s^2 */
    /* R(z) = P(c_1 z) with P'(0) = 1, and no such P of degree s is
     * bounded beyond 2 s^2 */
    out->beta = out->coef[1] > 0
                    ? measure_interval(&f, s, (2.0 * s * s * (1 + 1e-6) + 1) / out->coef[1],
                                       prec)
                    : 0;
    amplification(&f, s, out->beta, prec, out);
done:
    mpfac_clear(&f);
    mpvec_free(c, (size_t)s + 1);
    mpvec_free(scale, (size_t)s + 1);
    mpfr_clears(fact, tmp, (mpfr_ptr)0);
    return rc;
}

void stab_analysis_free(stab_analysis *a)
{
    if (!a)
        return;
    free(a->coef);
    a->coef = NULL;
}
