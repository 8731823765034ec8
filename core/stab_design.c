/* stab_design.c - the s-stage, order-p method with the longest real
 * stability interval (stabilized.h, docs/stabilized.md).
 *
 * R is sought in the Chebyshev basis of the interval, R(z) = sum c_k
 * T_k(x), x = 1 + 2 z / beta, where |R| <= 1 is a well-scaled linear
 * constraint at each sample x_m and R^(j)(0) = 1 a linear one on c (an
 * LP, solved by GLPK); bisection on beta finds the longest interval on
 * which the least bound t is <= 1.  Samples are refined by exchange:
 * the tops of |R| between samples are added until they obey the bound,
 * so that |R| <= 1 holds everywhere, not just on the samples.
 *
 * R's roots (the eigenvalues of the colleague matrix, LAPACK, refined
 * in MPFR) become factors: a real root r an Euler factor alpha = -1/r, a
 * complex pair a quadratic factor.  The order conditions are then made
 * to hold to the doubles' rounding by Newton on a scale of z and the
 * factors nearest the origin, and the factors are put in an order
 * (Lebedev and Finogenov's, pairing near and far roots) in which neither
 * the state inside the step nor the rest of the product after any stage
 * grows much beyond s^2 (the internal amplification).
 */
#include "stabilized.h"

#include <glpk.h>
#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpvec.h"

#define RN MPFR_RNDN
#define PI 3.14159265358979323846
/* |R| must stay this far below the bound on the LP's final answer, so
 * that the rounding of the factors keeps it <= 1. */
#define MARGIN 1e-8
/* Bisection stops at this relative width of the bracket on beta. */
#define BETA_RTOL 1e-8
#define EXCHANGE_ROUNDS 8
/* |z| below which the bound is 1, not t (1 - eps with damping) */
#define FREE_ZONE 1.0
#define WORK_PREC 192
#define ROOT_PREC 128

/* LAPACK's eigenvalues of a general real matrix. */
void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda,
            double *wr, double *wi, double *vl, const int *ldvl, double *vr,
            const int *ldvr, double *work, const int *lwork, int *info);

/* ---- the LP ---- */

typedef struct design {
    int s, p;
    double eps;     /* damping */
    double beta;    /* the interval of the current LP */
    glp_prob *lp;
    int nsample, cap;
    double *x;      /* sample points, x in [-1, 1) */
    double *c;      /* the last solution, s + 1 coefficients */
    double *best;   /* the solution at the longest feasible beta */
    double *row;    /* scratch: s + 2 */
    int *ind;
    int lps;        /* LPs solved, for the record */
} design;

/* T_k^(j)(1) = prod_{i<j} (k^2 - i^2) / (2i + 1). */
static double cheb_deriv_at_1(int k, int j)
{
    double v = 1;
    for (int i = 0; i < j; i++)
        v *= ((double)k * k - (double)i * i) / (2.0 * i + 1);
    return v;
}

/* sum c_k T_k(x) by Clenshaw. */
static double cheb_eval(const double *c, int s, double x)
{
    double b1 = 0, b2 = 0;
    for (int k = s; k >= 1; k--) {
        double b = c[k] + 2 * x * b1 - b2;
        b2 = b1;
        b1 = b;
    }
    return c[0] + x * b1 - b2;
}

/* Near the origin R is about e^z, below 1 but not by much: there the
 * bound is |R| <= 1 and t plays no part, so that t(beta) is the level
 * of R's oscillation, smooth in beta (and damping applies beyond). */
static int in_free_zone(const design *d, double x)
{
    return 0.5 * d->beta * (x - 1) > -FREE_ZONE;
}

/* Rows 1..p+1: R^(j)(0) = 1, scaled by T_s^(j)(1); then two rows a
 * sample: R(x) - w t <= 0 and R(x) + w t >= 0 with w = 1 - eps, or
 * -1 <= R(x) <= 1 in the free zone.  Columns 1..s+1: c_k,
 * s+2: t. */
static void set_sample_rows(design *d, int m)
{
    int s = d->s, r = d->p + 2 + 2 * m;
    for (int k = 0; k <= s; k++) {
        d->ind[k + 1] = k + 1;
        d->row[k + 1] = cos(k * acos(d->x[m]));
    }
    d->ind[s + 2] = s + 2;
    int free_zone = in_free_zone(d, d->x[m]);
    double w = free_zone ? 0 : 1 - d->eps;
    d->row[s + 2] = -w;
    glp_set_mat_row(d->lp, r, s + 2, d->ind, d->row);
    glp_set_row_bnds(d->lp, r, GLP_UP, free_zone ? 1 : 0, free_zone ? 1 : 0);
    d->row[s + 2] = w;
    glp_set_mat_row(d->lp, r + 1, s + 2, d->ind, d->row);
    glp_set_row_bnds(d->lp, r + 1, GLP_LO, free_zone ? -1 : 0, free_zone ? -1 : 0);
}

static int add_sample(design *d, double x)
{
    if (d->nsample == d->cap) {
        int cap = 2 * d->cap;
        double *nx = realloc(d->x, (size_t)cap * sizeof *nx);
        if (!nx)
            return -1;
        d->x = nx;
        d->cap = cap;
    }
    d->x[d->nsample] = x;
    glp_add_rows(d->lp, 2);
    set_sample_rows(d, d->nsample++);
    return 0;
}

static int design_init(design *d, int s, int p, double eps)
{
    memset(d, 0, sizeof *d);
    d->s = s;
    d->p = p;
    d->eps = eps;
    d->beta = 1;
    d->cap = 8 * s + 64;
    d->x = malloc((size_t)d->cap * sizeof *d->x);
    d->c = calloc((size_t)s + 1, sizeof *d->c);
    d->best = calloc((size_t)s + 1, sizeof *d->best);
    d->row = malloc(((size_t)s + 3) * sizeof *d->row);
    d->ind = malloc(((size_t)s + 3) * sizeof *d->ind);
    if (!d->x || !d->c || !d->best || !d->row || !d->ind)
        return -1;
    glp_term_out(GLP_OFF);
    d->lp = glp_create_prob();
    glp_set_obj_dir(d->lp, GLP_MIN);
    glp_add_cols(d->lp, s + 2);
    for (int k = 1; k <= s + 1; k++)
        glp_set_col_bnds(d->lp, k, GLP_FR, 0, 0);
    glp_set_col_bnds(d->lp, s + 2, GLP_LO, 0, 0);
    glp_set_obj_coef(d->lp, s + 2, 1);
    glp_add_rows(d->lp, p + 1);
    for (int j = 0; j <= p; j++) {
        double scale = cheb_deriv_at_1(s, j);
        for (int k = 0; k <= s; k++) {
            d->ind[k + 1] = k + 1;
            d->row[k + 1] = cheb_deriv_at_1(k, j) / scale;
        }
        glp_set_mat_row(d->lp, j + 1, s + 1, d->ind, d->row);
    }
    /* the Chebyshev extrema but x = 1, where R = 1 is forced */
    int m0 = 4 * s + 20;
    for (int m = 1; m <= m0; m++)
        if (add_sample(d, cos(PI * m / m0)))
            return -1;
    return 0;
}

static void design_free(design *d)
{
    if (d->lp)
        glp_delete_prob(d->lp);
    free(d->x);
    free(d->c);
    free(d->best);
    free(d->row);
    free(d->ind);
}

/* The equality right-hand sides and the bounds' weights for beta. */
static void set_beta(design *d, double beta)
{
    d->beta = beta;
    for (int j = 0; j <= d->p; j++) {
        double v = pow(beta / 2, j) / cheb_deriv_at_1(d->s, j);
        glp_set_row_bnds(d->lp, j + 1, GLP_FX, v, v);
    }
    for (int m = 0; m < d->nsample; m++)
        set_sample_rows(d, m);
}

/* min t; 0, or -1 when GLPK fails. */
static int solve(design *d)
{
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.meth = GLP_DUALP;
    parm.tol_bnd = 1e-10;
    parm.tol_dj = 1e-10;
    d->lps++;
    int rc = glp_simplex(d->lp, &parm);
    if (rc != 0 || glp_get_status(d->lp) != GLP_OPT) {
        /* a stale basis can stall the dual simplex: start afresh */
        glp_std_basis(d->lp);
        parm.meth = GLP_PRIMAL;
        rc = glp_simplex(d->lp, &parm);
        if (rc != 0 || glp_get_status(d->lp) != GLP_OPT)
            return -1;
    }
    for (int k = 0; k <= d->s; k++)
        d->c[k] = glp_get_col_prim(d->lp, k + 1);
    return 0;
}

/* |R|/w at theta (x = cos theta). */
/* |R|/(1 - eps) at theta (x = cos theta); in the free zone 0 where
 * |R| <= 1 and more than 1 where not. */
static double ratio_at(const design *d, double theta)
{
    double x = cos(theta), r = fabs(cheb_eval(d->c, d->s, x));
    if (in_free_zone(d, x))
        return r <= 1 ? 0 : 1 + r;
    return r / (1 - d->eps);
}

/* Successive parabolas through (th - h, th, th + h) with h shrinking:
 * one parabola on the grid misses the top of a sharp extremum by 1e-8,
 * more than the margin. */
static double refine_top(const design *d, double th, double h, double vm, double v0,
                         double vp)
{
    for (int it = 0; it < 4; it++) {
        double den = vm - 2 * v0 + vp, off = 0;
        if (den < 0)
            off = 0.5 * (vm - vp) / den;
        if (!(off > -1 && off < 1))
            break;
        th += off * h;
        h /= 8;
        if (th - h <= 0 || th + h > PI)
            break;
        vm = ratio_at(d, th - h);
        v0 = ratio_at(d, th);
        vp = ratio_at(d, th + h);
    }
    return th > PI ? PI : th;
}

/* The largest |R|/w over [-1, 1) from a fine grid in theta with each
 * discrete maximum refined by a parabola; the tops above `above` are
 * added as samples.  Returns the largest, or -1 out of memory. */
static double true_max(design *d, double above)
{
    int n = 32 * d->s + 64;
    double h = PI / n, worst = 0, prev2 = 0, prev = ratio_at(d, h);
    for (int i = 2; i <= n + 1; i++) {
        double cur = i <= n ? ratio_at(d, i * h) : 0;
        if (prev > worst)
            worst = prev;
        if (prev >= prev2 && prev >= cur) {
            double th = refine_top(d, (i - 1) * h, h, prev2, prev, cur);
            double top = ratio_at(d, th);
            if (top > worst)
                worst = top;
            if (top > above && add_sample(d, cos(th)))
                return -1;
        }
        prev2 = prev;
        prev = cur;
    }
    return worst;
}

/* The least bound on the whole interval at beta, less 1 - MARGIN (the
 * design is possible where it is <= 0) into *g; -1 on failure. */
static int feasible(design *d, double beta, double *g)
{
    set_beta(d, beta);
    double worst = 0;
    for (int round = 0; round < EXCHANGE_ROUNDS; round++) {
        if (solve(d))
            return -1;
        double t = glp_get_obj_val(d->lp);
        worst = t;
        if (t > 1 - MARGIN)
            break;
        int before = d->nsample;
        worst = true_max(d, t + 0.1 * MARGIN);
        if (worst < 0)
            return -1;
        if (d->nsample == before)
            break;
    }
    *g = worst - (1 - MARGIN);
    return 0;
}

/* The longest feasible beta: a bracket grown or shrunk from the known
 * growth c_p s^2, then regula falsi (Illinois) on the bound, which is
 * smooth in beta; its R's coefficients in best. */
static int longest(design *d, double *beta_out, rk_error *err)
{
    static const double guess[] = {0, 2.0, 0.8, 0.49, 0.34};
    int s = d->s, p = d->p;
    double lo = 0, hi = 0, glo = 0, ghi = 0, b = guess[p] * s * s, g;
    if (b < 2)
        b = 2;
    int side = 0;
    for (int tries = 0; tries < 200; tries++) {
        if (feasible(d, b, &g)) {
            rk_error_set(err, "the LP for %d stages, order %d failed in GLPK", s, p);
            return -1;
        }
        if (g <= 0) {
            lo = b;
            glo = g;
            memcpy(d->best, d->c, ((size_t)s + 1) * sizeof *d->c);
            if (side == -1 && hi > 0)
                ghi *= 0.5;
            side = -1;
        } else {
            hi = b;
            ghi = g;
            if (side == 1 && lo > 0)
                glo *= 0.5;
            side = 1;
        }
        if (lo > 0 && hi > 0 && (hi - lo <= BETA_RTOL * hi || glo > -1e-13))
            break;
        if (lo > 0 && hi > 0)
            b = lo + (hi - lo) * (-glo) / (ghi - glo);
        else if (lo > 0)
            b = lo * 1.1 < 2.0 * s * s + 1 ? lo * 1.1 : 2.0 * s * s + 1;
        else
            b = hi * 0.9;
        if (b < 1e-3)
            break;
    }
    if (lo == 0) {
        rk_error_set(err, "no %d-stage polynomial of order %d with damping %g is "
                     "bounded on any interval tried", s, p, d->eps);
        return -1;
    }
    *beta_out = lo;
    d->beta = lo;
    return 0;
}

/* ---- roots ---- */

/* The roots x of sum c_k T_k (degree s, c_s != 0): eigenvalues of the
 * colleague matrix. */
static int colleague_roots(const double *c, int s, double *wr, double *wi)
{
    if (s == 1) {
        wr[0] = -c[0] / c[1];
        wi[0] = 0;
        return 0;
    }
    double *a = calloc((size_t)s * s, sizeof *a);
    int n = s, lwork = 8 * s, info = 0, one = 1;
    double *work = malloc((size_t)lwork * sizeof *work), dummy = 0;
    if (!a || !work) {
        free(a);
        free(work);
        return -1;
    }
    /* column-major: a[i + j n]; x T_0 = T_1, x T_k = (T_k-1 + T_k+1)/2 */
#define A(i, j) a[(i) + (size_t)(j) * n]
    A(0, 1) = 1;
    for (int k = 1; k < s - 1; k++) {
        A(k, k - 1) = 0.5;
        A(k, k + 1) = 0.5;
    }
    A(s - 1, s - 2) += 0.5;
    for (int j = 0; j < s; j++)
        A(s - 1, j) -= c[j] / (2 * c[s]);
#undef A
    dgeev_("N", "N", &n, a, &n, wr, wi, &dummy, &one, &dummy, &one, work, &lwork, &info);
    free(a);
    free(work);
    return info == 0 ? 0 : -1;
}

/* Newton in MPFR on sum c_k T_k at the complex x = (re, im); im = 0
 * stays real.  Clenshaw carries the value and the derivative. */
typedef struct cplx {
    mpfr_t re, im;
} cplx;

static void cmul(cplx *out, const cplx *a, const cplx *b, mpfr_t t1, mpfr_t t2)
{
    mpfr_mul(t1, a->re, b->re, RN);
    mpfr_mul(t2, a->im, b->im, RN);
    mpfr_sub(t1, t1, t2, RN);
    mpfr_mul(t2, a->re, b->im, RN);
    mpfr_fma(out->im, a->im, b->re, t2, RN);
    mpfr_set(out->re, t1, RN);
}

/* The root refined from (re, im), returned as z = beta (x - 1) / 2 in
 * (zr, zi), which MPFR gives without the cancellation of x - 1 near 1. */
static void refine_root(const double *c, int s, double beta, double re, double im,
                        int real, double *zr, double *zi)
{
    cplx x, b1, b2, d1, d2, t, u, v;
    mpfr_t t1, t2;
    cplx *all[] = {&x, &b1, &b2, &d1, &d2, &t, &u, &v};
    for (int i = 0; i < 8; i++)
        mpfr_inits2(ROOT_PREC, all[i]->re, all[i]->im, (mpfr_ptr)0);
    mpfr_inits2(ROOT_PREC, t1, t2, (mpfr_ptr)0);
    mpfr_set_d(x.re, re, RN);
    mpfr_set_d(x.im, real ? 0 : im, RN);
    for (int it = 0; it < 12; it++) {
        /* b_k = c_k + 2x b_k+1 - b_k+2 and its derivative
         * d_k = 2 b_k+1 + 2x d_k+1 - d_k+2 */
        for (int i = 1; i < 5; i++) {
            mpfr_set_zero(all[i]->re, 1);
            mpfr_set_zero(all[i]->im, 1);
        }
        for (int k = s; k >= 1; k--) {
            cmul(&t, &x, &d1, t1, t2);
            mpfr_add(u.re, t.re, b1.re, RN);
            mpfr_mul_2ui(u.re, u.re, 1, RN);
            mpfr_sub(u.re, u.re, d2.re, RN);
            mpfr_add(u.im, t.im, b1.im, RN);
            mpfr_mul_2ui(u.im, u.im, 1, RN);
            mpfr_sub(u.im, u.im, d2.im, RN);
            cmul(&t, &x, &b1, t1, t2);
            mpfr_mul_2ui(v.re, t.re, 1, RN);
            mpfr_add_d(v.re, v.re, c[k], RN);
            mpfr_sub(v.re, v.re, b2.re, RN);
            mpfr_mul_2ui(v.im, t.im, 1, RN);
            mpfr_sub(v.im, v.im, b2.im, RN);
            mpfr_swap(d2.re, d1.re);
            mpfr_swap(d2.im, d1.im);
            mpfr_swap(d1.re, u.re);
            mpfr_swap(d1.im, u.im);
            mpfr_swap(b2.re, b1.re);
            mpfr_swap(b2.im, b1.im);
            mpfr_swap(b1.re, v.re);
            mpfr_swap(b1.im, v.im);
        }
        /* p = c_0 + x b1 - b2 into t, p' = b1 + x d1 - d2 into u */
        cmul(&t, &x, &b1, t1, t2);
        mpfr_add_d(t.re, t.re, c[0], RN);
        mpfr_sub(t.re, t.re, b2.re, RN);
        mpfr_sub(t.im, t.im, b2.im, RN);
        cmul(&u, &x, &d1, t1, t2);
        mpfr_add(u.re, u.re, b1.re, RN);
        mpfr_sub(u.re, u.re, d2.re, RN);
        mpfr_add(u.im, u.im, b1.im, RN);
        mpfr_sub(u.im, u.im, d2.im, RN);
        /* x -= p / p' */
        mpfr_sqr(t1, u.re, RN);
        mpfr_fma(t1, u.im, u.im, t1, RN);
        if (mpfr_zero_p(t1))
            break;
        mpfr_mul(t2, t.re, u.re, RN);
        mpfr_fma(t2, t.im, u.im, t2, RN);
        mpfr_div(t2, t2, t1, RN);
        mpfr_sub(x.re, x.re, t2, RN);
        double step = fabs(mpfr_get_d(t2, RN));
        mpfr_mul(t2, t.im, u.re, RN);
        mpfr_fms(t2, t.re, u.im, t2, RN);
        mpfr_div(t2, t2, t1, RN);
        mpfr_add(x.im, x.im, t2, RN);
        step += fabs(mpfr_get_d(t2, RN));
        if (real)
            mpfr_set_zero(x.im, 1);
        if (step < 1e-34)
            break;
    }
    double nr = mpfr_get_d(x.re, RN), ni = mpfr_get_d(x.im, RN);
    /* keep the eigenvalue when Newton wandered off (a cluster) */
    if (!(isfinite(nr) && isfinite(ni) && hypot(nr - re, ni - im) < 1e-3)) {
        mpfr_set_d(x.re, re, RN);
        mpfr_set_d(x.im, real ? 0 : im, RN);
    }
    mpfr_sub_ui(x.re, x.re, 1, RN);
    mpfr_mul_d(x.re, x.re, 0.5 * beta, RN);
    mpfr_mul_d(x.im, x.im, 0.5 * beta, RN);
    *zr = mpfr_get_d(x.re, RN);
    *zi = mpfr_get_d(x.im, RN);
    for (int i = 0; i < 8; i++)
        mpfr_clears(all[i]->re, all[i]->im, (mpfr_ptr)0);
    mpfr_clears(t1, t2, (mpfr_ptr)0);
}

/* ---- factors, order conditions ---- */

/* A factor before rounding: Euler (p1 = alpha) or quadratic (p1 = B,
 * p2 = C: 1 + B z + C z^2), and how near the origin its root is. */
typedef struct rawfac {
    stab_kind kind;
    double p1, p2, near;
    int idx; /* where stab_order_factors found it */
} rawfac;

/* J x = g for the p x p J (row-major), by Gaussian elimination with
 * partial pivoting; x replaces g.  -1 if J is singular. */
static int solve_small(mpfr_t *J, mpfr_t *g, int p, mpfr_t t1, mpfr_t t2)
{
    for (int col = 0; col < p; col++) {
        int piv = col;
        for (int r = col + 1; r < p; r++)
            if (mpfr_cmpabs(J[r * p + col], J[piv * p + col]) > 0)
                piv = r;
        if (mpfr_zero_p(J[piv * p + col]))
            return -1;
        for (int q = 0; q < p; q++)
            mpfr_swap(J[col * p + q], J[piv * p + q]);
        mpfr_swap(g[col], g[piv]);
        for (int r = col + 1; r < p; r++) {
            mpfr_div(t1, J[r * p + col], J[col * p + col], RN);
            for (int q = col; q < p; q++) {
                mpfr_mul(t2, t1, J[col * p + q], RN);
                mpfr_sub(J[r * p + q], J[r * p + q], t2, RN);
            }
            mpfr_mul(t2, t1, g[col], RN);
            mpfr_sub(g[r], g[r], t2, RN);
        }
    }
    for (int r = p - 1; r >= 0; r--) {
        for (int q = r + 1; q < p; q++) {
            mpfr_mul(t2, J[r * p + q], g[q], RN);
            mpfr_sub(g[r], g[r], t2, RN);
        }
        mpfr_div(g[r], g[r], J[r * p + r], RN);
    }
    return 0;
}

/* A knob of the order fix: factor k's p1 (which == 1) or p2 (2) times
 * (1 + th); knob 0 scales z itself (every p1 by 1 + th, p2 by its
 * square). */
typedef struct knob {
    int k, which;
} knob;

/* The coefficients 0..p of the product, in MPFR, with the knobs at th. */
static void low_coefs(const rawfac *f, int n, int p, const knob *kn, mpfr_t *th, mpfr_t *c,
                      mpfr_t a1, mpfr_t a2, mpfr_t g)
{
    for (int j = 0; j <= p; j++)
        mpfr_set_ui(c[j], j == 0, RN);
    for (int k = 0; k < n; k++) {
        mpfr_add_ui(g, th[0], 1, RN);
        mpfr_mul_d(a1, g, f[k].p1, RN);
        mpfr_sqr(a2, g, RN);
        mpfr_mul_d(a2, a2, f[k].kind == STAB_QUADRATIC ? f[k].p2 : 0, RN);
        for (int i = 1; i < p; i++)
            if (kn[i].k == k) {
                mpfr_add_ui(g, th[i], 1, RN);
                mpfr_mul(kn[i].which == 1 ? a1 : a2, kn[i].which == 1 ? a1 : a2, g, RN);
            }
        for (int j = p; j >= 1; j--) {
            mpfr_fma(c[j], a1, c[j - 1], c[j], RN);
            if (j >= 2)
                mpfr_fma(c[j], a2, c[j - 2], c[j], RN);
        }
    }
}

/* Knobs 1..p-1: the parameters of the factors nearest the origin, which
 * weigh most in R's low coefficients. */
static void choose_knobs(const rawfac *f, int n, int p, knob *kn)
{
    int *used = calloc((size_t)n, sizeof *used), nk = 1;
    kn[0] = (knob){-1, 0};
    while (nk < p && used) {
        int bestk = -1;
        for (int k = 0; k < n; k++)
            if (!used[k] && (bestk < 0 || f[k].near > f[bestk].near))
                bestk = k;
        if (bestk < 0)
            break;
        used[bestk] = 1;
        kn[nk++] = (knob){bestk, 1};
        if (f[bestk].kind == STAB_QUADRATIC && nk < p)
            kn[nk++] = (knob){bestk, 2};
    }
    for (; nk < p; nk++)
        kn[nk] = (knob){-1, 0};
    free(used);
}

/* Newton on the knobs so that the coefficients 1..p are 1/j!; then they
 * are folded into the factors.  0, or -1 when it does not converge. */
static int fix_order(rawfac *f, int n, int p)
{
    knob kn[4];
    choose_knobs(f, n, p, kn);
    mpfr_t th[4], c[5], c2[5], J[16], gvec[4], a1, a2, g, fact, h;
    for (int i = 0; i < 4; i++) {
        mpfr_init2(th[i], WORK_PREC);
        mpfr_set_zero(th[i], 1);
        mpfr_init2(gvec[i], WORK_PREC);
    }
    for (int j = 0; j < 5; j++) {
        mpfr_init2(c[j], WORK_PREC);
        mpfr_init2(c2[j], WORK_PREC);
    }
    for (int i = 0; i < 16; i++)
        mpfr_init2(J[i], WORK_PREC);
    mpfr_inits2(WORK_PREC, a1, a2, g, fact, h, (mpfr_ptr)0);
    mpfr_set_ui_2exp(h, 1, -70, RN);
    int ok = 0;
    for (int it = 0; it < 30 && !ok; it++) {
        low_coefs(f, n, p, kn, th, c, a1, a2, g);
        double res = 0;
        mpfr_set_ui(fact, 1, RN);
        for (int j = 1; j <= p; j++) {
            mpfr_mul_ui(fact, fact, (unsigned long)j, RN);
            mpfr_ui_div(a1, 1, fact, RN);
            mpfr_sub(gvec[j - 1], c[j], a1, RN);
            double r = fabs(mpfr_get_d(gvec[j - 1], RN)) * mpfr_get_d(fact, RN);
            res = r > res ? r : res;
        }
        if (res < 1e-45) {
            ok = 1;
            break;
        }
        for (int q = 0; q < p; q++) {
            mpfr_add(th[q], th[q], h, RN);
            low_coefs(f, n, p, kn, th, c2, a1, a2, g);
            mpfr_sub(th[q], th[q], h, RN);
            for (int j = 1; j <= p; j++) {
                mpfr_sub(J[(j - 1) * p + q], c2[j], c[j], RN);
                mpfr_div(J[(j - 1) * p + q], J[(j - 1) * p + q], h, RN);
            }
        }
        if (solve_small(J, gvec, p, a1, a2))
            break;
        for (int q = 0; q < p; q++)
            mpfr_sub(th[q], th[q], gvec[q], RN);
    }
    for (int k = 0; ok && k < n; k++) {
        double g0 = 1 + mpfr_get_d(th[0], RN);
        f[k].p1 *= g0;
        f[k].p2 *= g0 * g0;
        for (int i = 1; i < p; i++)
            if (kn[i].k == k) {
                /* (1 + th) in MPFR first: th is far below a double's ulp of 1 */
                mpfr_add_ui(g, th[i], 1, RN);
                mpfr_mul_d(g, g, kn[i].which == 1 ? f[k].p1 : f[k].p2, RN);
                *(kn[i].which == 1 ? &f[k].p1 : &f[k].p2) = mpfr_get_d(g, RN);
            }
    }
    for (int i = 0; i < 4; i++)
        mpfr_clears(th[i], gvec[i], (mpfr_ptr)0);
    for (int j = 0; j < 5; j++)
        mpfr_clears(c[j], c2[j], (mpfr_ptr)0);
    for (int i = 0; i < 16; i++)
        mpfr_clear(J[i]);
    mpfr_clears(a1, a2, g, fact, h, (mpfr_ptr)0);
    return ok ? 0 : -1;
}

/* The roots of R as factors in z. */
static int roots_to_factors(const double *cc, int s, double beta, rawfac *f, int *nf)
{
    double *wr = malloc((size_t)s * sizeof *wr), *wi = malloc((size_t)s * sizeof *wi);
    if (!wr || !wi || colleague_roots(cc, s, wr, wi)) {
        free(wr);
        free(wi);
        return -1;
    }
    int n = 0;
    for (int i = 0; i < s; i++) {
        if (wi[i] < 0)
            continue; /* the conjugate of a pair taken with its partner */
        double zr, zi;
        refine_root(cc, s, beta, wr[i], wi[i], wi[i] == 0, &zr, &zi);
        if (wi[i] == 0) {
            f[n] = (rawfac){STAB_EULER, -1 / zr, 0, fabs(1 / zr), n};
        } else {
            double m2 = zr * zr + zi * zi;
            f[n] = (rawfac){STAB_QUADRATIC, -2 * zr / m2, 1 / m2, 1 / sqrt(m2), n};
        }
        n++;
    }
    free(wr);
    free(wi);
    *nf = n;
    return 0;
}

/* ---- ordering ---- */

/* Lebedev and Finogenov's order of the Chebyshev roots, generalised to
 * any n: perm(1) = (1); perm(2m) pairs each j of perm(m) with 2m + 1 - j
 * (a root near the origin with one far from it); an odd n puts the
 * median root last and orders the others as perm(n - 1).  Indices from
 * 1, root 1 nearest the origin; out has n entries. */
static void lf_perm(int n, int *out)
{
    if (n == 1) {
        out[0] = 1;
        return;
    }
    if (n % 2 == 0) {
        lf_perm(n / 2, out);
        for (int i = n / 2 - 1; i >= 0; i--) {
            int j = out[i];
            out[2 * i] = j;
            out[2 * i + 1] = n + 1 - j;
        }
        return;
    }
    int med = (n + 1) / 2;
    lf_perm(n - 1, out);
    for (int i = 0; i < n - 1; i++)
        out[i] += out[i] >= med;
    out[n - 1] = med;
}

/* The same order over neighbours taken two at a time (n/2 units of
 * adjacent roots, an odd one last): damped polynomials such as RKC's have
 * their roots in close pairs, which the order must not split.  Indices
 * from 0, reversed as order_factors uses them; -1 out of memory. */
static int lf_pairs(int n, int *out)
{
    int m = n / 2, *u = malloc((size_t)m * sizeof *u), k = 0;
    if (!u)
        return -1;
    lf_perm(m, u);
    if (n % 2)
        out[k++] = n - 1;
    for (int i = m - 1; i >= 0; i--) {
        out[k++] = 2 * (u[i] - 1);
        out[k++] = 2 * (u[i] - 1) + 1;
    }
    free(u);
    return 0;
}

/* The roots taken as two interleaved families (every other one, nearest
 * the origin first), each in Lebedev and Finogenov's order, the first
 * family applied first: RKC's damped roots cos((+-phi + 2 pi k)/s) are
 * two Chebyshev-like sets of s/2.  Indices from 0; -1 out of memory. */
static int lf_families(int n, int *out)
{
    int m1 = (n + 1) / 2, m2 = n / 2, *u = malloc((size_t)m1 * sizeof *u);
    if (!u)
        return -1;
    lf_perm(m1, u);
    for (int i = 0; i < m1; i++)
        out[i] = 2 * (u[i] - 1);
    if (m2 > 0) {
        lf_perm(m2, u);
        for (int i = 0; i < m2; i++)
            out[m1 + i] = 2 * (u[i] - 1) + 1;
    }
    free(u);
    return 0;
}

static int by_nearness(const void *a, const void *b)
{
    double x = ((const rawfac *)a)->near, y = ((const rawfac *)b)->near;
    return x > y ? -1 : x < y;
}

/* log |factor k| at z. */
static double log_factor(const rawfac *f, double z)
{
    double v = 1 + f->p1 * z + (f->kind == STAB_QUADRATIC ? f->p2 * z * z : 0);
    return log(fabs(v) + 1e-300);
}

/* The grid of z in [-beta, 0] the orders are judged on (cosine-spaced,
 * as R's extrema are) and the table L[k g + i] = log |factor k (z_i)|. */
static double *log_table(const rawfac *f, int n, double beta, int g)
{
    double *L = malloc((size_t)n * g * sizeof *L);
    for (int k = 0; L && k < n; k++)
        for (int i = 0; i < g; i++)
            L[(size_t)k * g + i] = log_factor(&f[k], -beta * 0.5 * (1 - cos(PI * (i + 1) / g)));
    return L;
}

/* How bad an order is: the expected size of the rounding errors of a
 * step, relative to the rounding unit.  An error made at stage j is about
 * the state there: 1 for smooth data (its low modes), the mean square of
 * |prefix_j| over the modes for data with every mode present; the product
 * of the factors after it multiplies each mode, the mean square of
 * |suffix_j| (the grid is cosine-spaced as a Laplacian's eigenvalues
 * are).  The log of sum_j (1 + mean|prefix_j|^2) mean|suffix_j|^2; the
 * largest values alone (NodePy's max) mislead: orders that minimise them
 * lose to these on heat by 100x.  perm indexes L's rows. */
static double order_score(const double *V, const int *perm, int n, int g, double *acc)
{
    for (int k = 0; k < 2 * n; k++)
        acc[k] = 0;
    for (int i = 0; i < g; i++) {
        double pre = 1, suf = 1;
        for (int k = 0; k < n; k++) {
            pre *= V[(size_t)perm[k] * g + i];
            suf *= V[(size_t)perm[n - 1 - k] * g + i];
            /* 1e100 is hopeless already; clipping keeps the squares finite */
            pre = fmin(fmax(pre, -1e100), 1e100);
            suf = fmin(fmax(suf, -1e100), 1e100);
            acc[k] += pre * pre;
            acc[n + n - 1 - k] += suf * suf;
        }
    }
    /* stage k: the state after factor k, carried by the factors after it */
    double sum = 0;
    for (int k = 0; k < n; k++)
        sum += (1 + acc[k] / g) * (k + 1 < n ? acc[n + k + 1] / g : 1);
    return log(sum);
}

/* Greedy: each next factor is the one that keeps both the state so far
 * (less shift) and the product of the factors still to come smallest
 * over the grid. */
static int greedy_perm(const double *L, int n, int g, double shift, int *perm)
{
    double *pre = calloc((size_t)g, sizeof *pre), *rest = calloc((size_t)g, sizeof *rest);
    int *used = calloc((size_t)n, sizeof *used);
    if (!pre || !rest || !used) {
        free(pre), free(rest), free(used);
        return -1;
    }
    for (int k = 0; k < n; k++)
        for (int i = 0; i < g; i++)
            rest[i] += L[(size_t)k * g + i];
    for (int step = 0; step < n; step++) {
        int bestk = -1;
        double bestv = INFINITY;
        for (int k = 0; k < n; k++) {
            const double *lk = L + (size_t)k * g;
            double worst = -INFINITY;
            for (int i = 0; !used[k] && i < g && worst < bestv; i++) {
                double a = pre[i] + lk[i] - shift, b = rest[i] - lk[i];
                worst = a > worst ? a : worst;
                worst = b > worst ? b : worst;
            }
            if (!used[k] && worst < bestv) {
                bestv = worst;
                bestk = k;
            }
        }
        used[bestk] = 1;
        perm[step] = bestk;
        for (int i = 0; i < g; i++) {
            pre[i] += L[(size_t)bestk * g + i];
            rest[i] -= L[(size_t)bestk * g + i];
        }
    }
    free(pre), free(rest), free(used);
    return 0;
}

/* Hill climbing from the best candidate: swaps of two factors (a fixed
 * pseudo-random sequence, so that a design is reproducible) kept when
 * they do not make the score worse. */
static void improve(const double *V, int *perm, int n, int g, double score, double *acc)
{
    unsigned long long x = 0x9e3779b97f4a7c15ULL;
    /* 30 swaps a factor (s = 320: about 20 s, which buys 10x to 100x in
     * the heat error there), but at most ~1e10 products in all */
    long tries = 30L * n, cap = (long)(1e10 / ((double)n * g));
    if (tries > cap)
        tries = cap;
    for (long t = 0; t < tries && n > 2; t++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        int i = (int)((x >> 33) % (unsigned long long)n);
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        int j = (int)((x >> 33) % (unsigned long long)n);
        if (i == j)
            continue;
        int tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
        double sc = order_score(V, perm, n, g, acc);
        if (sc <= score) {
            score = sc;
        } else {
            perm[j] = perm[i];
            perm[i] = tmp;
        }
    }
}

static void reverse(int *v, int n)
{
    for (int i = 0; i < n / 2; i++) {
        int t = v[i];
        v[i] = v[n - 1 - i];
        v[n - 1 - i] = t;
    }
}

/* Several orders, the best kept by order_score.  Lebedev and
 * Finogenov's order keeps, for Chebyshev roots, the product of the
 * factors after any stage <= 1 and the state within about 1.6 s^2 (its
 * reverse swaps the two); against
 * 10^129 at s = 256 for the roots in ascending order.  For other root
 * sets (the LP's near the origin, RKC's in close pairs) a greedy order or
 * the same order over pairs or families of roots may do better. */
static int order_factors(rawfac *f, int n, double beta, int climb)
{
    enum { NCAND = 7 };
    double shift = 2 * log((double)n);
    int g = 4 * n + 64, nc = 0;
    int *cand[NCAND] = {0};
    rawfac *sorted = malloc((size_t)n * sizeof *sorted);
    double *L = NULL, *V = NULL, *acc = malloc(2 * (size_t)n * sizeof *acc);
    int rc = -1, ok = sorted != NULL && acc != NULL;
    for (int c = 0; c < NCAND; c++)
        ok &= (cand[c] = malloc((size_t)n * sizeof *cand[c])) != NULL;
    if (!ok)
        goto done;
    memcpy(sorted, f, (size_t)n * sizeof *f);
    qsort(sorted, (size_t)n, sizeof *sorted, by_nearness);
    if (!(L = log_table(sorted, n, beta, g)) || !(V = malloc((size_t)n * g * sizeof *V)))
        goto done;
    for (size_t k = 0; k < (size_t)n * g; k++)
        V[k] = exp(L[k]);
    /* 0, 1: Lebedev and Finogenov's and its reverse */
    lf_perm(n, cand[nc]);
    for (int i = 0; i < n; i++)
        cand[nc][i]--;
    memcpy(cand[nc + 1], cand[nc], (size_t)n * sizeof *cand[nc]);
    reverse(cand[nc + 1], n);
    nc += 2;
    /* 2, 3: greedy, with and without the state's allowance */
    if (greedy_perm(L, n, g, shift, cand[nc++]) || greedy_perm(L, n, g, 0, cand[nc++]))
        goto done;
    /* 4: two interleaved families; 5, 6: pairs of neighbours */
    if (lf_families(n, cand[nc++]))
        goto done;
    if (n >= 4) {
        if (lf_pairs(n, cand[nc]))
            goto done;
        memcpy(cand[nc + 1], cand[nc], (size_t)n * sizeof *cand[nc]);
        reverse(cand[nc + 1], n);
        nc += 2;
    }
    int best = 0;
    double best_score = INFINITY;
    for (int c = 0; c < nc; c++) {
        double sc = order_score(V, cand[c], n, g, acc);
        if (sc < best_score) {
            best_score = sc;
            best = c;
        }
    }
    if (climb)
        improve(V, cand[best], n, g, best_score, acc);
    for (int i = 0; i < n; i++)
        f[i] = sorted[cand[best][i]];
    rc = 0;
done:
    for (int c = 0; c < NCAND; c++)
        free(cand[c]);
    free(sorted);
    free(L);
    free(V);
    free(acc);
    return rc;
}

/* ---- the method ---- */

/* The closed form of p = 1 without damping: T_s(1 + z/s^2), whose roots
 * are z_k = -2 s^2 sin^2((2k - 1) pi / (4s)). */
static void chebyshev_factors(int s, rawfac *f)
{
    for (int k = 1; k <= s; k++) {
        double sn = sin((2.0 * k - 1) * PI / (4.0 * s));
        double alpha = 1 / (2.0 * s * s * sn * sn);
        f[k - 1] = (rawfac){STAB_EULER, alpha, 0, alpha, k - 1};
    }
}

static rk_stab *make_method(const rawfac *f, int n, int s, int p, double eps)
{
    rk_stab *m = stab_new(n);
    if (!m)
        return NULL;
    for (int k = 0; k < n; k++) {
        stab_factor *x = &m->factor[k];
        x->kind = f[k].kind;
        if (f[k].kind == STAB_EULER) {
            x->alpha = f[k].p1;
        } else {
            /* the inner stage's weight a = b2 = sqrt(C), the rest in b1 */
            x->a = x->b2 = sqrt(f[k].p2);
            x->b1 = f[k].p1 - x->b2;
        }
    }
    stab_set_design(m, "stab", s, p, eps);
    return m;
}

static rk_stab *design_method(int s, int p, double eps, int closed_form, rk_error *err)
{
    if (!stab_design_args_ok(s, p, eps, err))
        return NULL;
    rawfac *f = malloc((size_t)s * sizeof *f);
    if (!f) {
        rk_error_set(err, "out of memory");
        return NULL;
    }
    design d;
    memset(&d, 0, sizeof d);
    double beta_lp = 2.0 * s * s;
    int n = s;
    if (closed_form && p == 1 && eps == 0) {
        chebyshev_factors(s, f);
    } else {
        if (design_init(&d, s, p, eps)) {
            rk_error_set(err, "out of memory");
            goto fail;
        }
        if (longest(&d, &beta_lp, err))
            goto fail;
        if (roots_to_factors(d.best, s, beta_lp, f, &n)) {
            rk_error_set(err, "the roots of the %d-stage polynomial were not found", s);
            goto fail;
        }
        if (fix_order(f, n, p)) {
            rk_error_set(err, "the order conditions of the %d-stage polynomial could "
                         "not be made to hold", s);
            goto fail;
        }
    }
    /* Chebyshev roots have their structured orders; climbing buys little */
    if (order_factors(f, n, beta_lp, !(closed_form && p == 1 && eps == 0))) {
        rk_error_set(err, "out of memory");
        goto fail;
    }
    rk_stab *m = make_method(f, n, s, p, eps);
    if (!m) {
        rk_error_set(err, "out of memory");
        goto fail;
    }
    m = stab_design_checked(m, beta_lp, d.lps, err);
    if (!m)
        goto fail;
    design_free(&d);
    free(f);
    return m;
fail:
    design_free(&d);
    free(f);
    return NULL;
}

rk_stab *stab_design_checked(rk_stab *m, double beta_lp, int lps, rk_error *err)
{
    stab_analysis a;
    if (stab_analyse(m, 128, &a, err)) {
        stab_free(m);
        return NULL;
    }
    m->beta = a.beta;
    int order = a.order, cheb = m->form == STAB_CHEBYSHEV;
    stab_analysis_free(&a);
    if (order < m->order) {
        rk_error_set(err, "the %d-stage design has order %d, not %d, after rounding",
                     m->s, order, m->order);
        stab_free(m);
        return NULL;
    }
    char desc[256];
    snprintf(desc, sizeof desc, "%d stages, order %d%s, damping %g%s: the longest real "
             "interval from rkgen stability (LP optimum beta = %.10g, %d LPs)", m->s,
             m->order, m->order >= 3 ? " on linear problems" : "", m->damping,
             cheb ? ", Chebyshev form" : "", beta_lp, lps);
    m->description = strdup(desc);
    return m;
}

int stab_design_args_ok(int s, int p, double eps, rk_error *err)
{
    if (s < 1 || s > STAB_DESIGN_MAX_STAGES || p < 1 || p > 4 || p > s) {
        rk_error_set(err, "a design takes 1 <= p <= 4 and p <= s <= %d (got s = %d, "
                     "p = %d)", STAB_DESIGN_MAX_STAGES, s, p);
        return 0;
    }
    if (!(eps >= 0 && eps < 0.5)) {
        rk_error_set(err, "the damping must be from 0 up to 0.5, not %g", eps);
        return 0;
    }
    return 1;
}

int stab_design_weights(int s, int p, double eps, double *w, double *beta, int *lps,
                        rk_error *err)
{
    design d;
    memset(&d, 0, sizeof d);
    int rc = -1;
    if (design_init(&d, s, p, eps))
        rk_error_set(err, "out of memory");
    else if (longest(&d, beta, err) == 0) {
        memcpy(w, d.best, ((size_t)s + 1) * sizeof *w);
        *lps = d.lps;
        rc = 0;
    }
    design_free(&d);
    return rc;
}

rk_stab *stab_design(int s, int p, double eps, rk_error *err)
{
    return design_method(s, p, eps, 1, err);
}

rk_stab *stab_design_lp(int s, int p, double eps, rk_error *err)
{
    return design_method(s, p, eps, 0, err);
}

int stab_order_factors(rk_stab *m, double beta)
{
    int n = m->nfactor;
    rawfac *f = malloc((size_t)n * sizeof *f);
    stab_factor *copy = malloc((size_t)n * sizeof *copy);
    if (!f || !copy) {
        free(f);
        free(copy);
        return -1;
    }
    for (int k = 0; k < n; k++) {
        const stab_factor *x = &m->factor[k];
        double p1 = x->kind == STAB_EULER ? x->alpha : x->b1 + x->b2,
               p2 = x->kind == STAB_EULER ? 0 : x->a * x->b2;
        /* the size of the factor's root(s) in 1/z */
        double near = x->kind == STAB_EULER ? fabs(p1) : sqrt(fabs(p2));
        f[k] = (rawfac){x->kind, p1, p2, near, k};
    }
    memcpy(copy, m->factor, (size_t)n * sizeof *copy);
    int rc = order_factors(f, n, beta, 1);
    for (int k = 0; rc == 0 && k < n; k++)
        m->factor[k] = copy[f[k].idx];
    free(f);
    free(copy);
    return rc;
}
