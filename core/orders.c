/* orders.c - classical order conditions in MPFR (orders.h). */
#include "orders.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mpvec.h"

#define R MPFR_RNDN
/* Bits of the working precision a residual may lose and still count as
 * exact: the sums behind Phi(t) have at most a few hundred terms. */
#define EXACT_SLACK 24

const char *verdict_name(rk_verdict v)
{
    static const char *const names[] = {"exact", "to rounding", "fails"};
    return v >= RK_EXACT && v <= RK_FAILS ? names[v] : "?";
}

int phimp_init(rk_phimp *p, const rk_forest *f, int s, mpfr_prec_t prec,
               int with_tangent)
{
    memset(p, 0, sizeof *p);
    p->f = f;
    p->s = s;
    p->nstore = f->first[f->max_order];
    size_t n = (size_t)p->nstore * (size_t)s;
    p->u = mpvec_new(n, prec);
    p->g = mpvec_new(n, prec);
    p->phi = mpvec_new((size_t)f->n, prec);
    if (with_tangent) {
        p->du = mpvec_new(n, prec);
        p->dg = mpvec_new(n, prec);
    }
    mpfr_inits2(prec, p->acc, p->tmp, (mpfr_ptr)0);
    if (!p->u || !p->g || !p->phi || (with_tangent && (!p->du || !p->dg))) {
        phimp_clear(p);
        return -1;
    }
    return 0;
}

void phimp_clear(rk_phimp *p)
{
    size_t n = (size_t)p->nstore * (size_t)p->s;
    mpvec_free(p->u, n);
    mpvec_free(p->g, n);
    mpvec_free(p->du, n);
    mpvec_free(p->dg, n);
    mpvec_free(p->phi, p->f ? (size_t)p->f->n : 0);
    if (p->f)
        mpfr_clears(p->acc, p->tmp, (mpfr_ptr)0);
    memset(p, 0, sizeof *p);
}

/* g = A u for a strictly lower triangular A. */
static void lower_matvec(rk_phimp *p, mpfr_t *A, mpfr_t *u, mpfr_t *g)
{
    int s = p->s;
    for (int i = 0; i < s; i++) {
        mpfr_set_zero(g[i], 1);
        for (int j = 0; j < i; j++) {
            mpfr_mul(p->tmp, A[i * s + j], u[j], R);
            mpfr_add(g[i], g[i], p->tmp, R);
        }
    }
}

void phimp_eval(rk_phimp *p, mpfr_t *A, mpfr_t *b)
{
    const rk_forest *f = p->f;
    int s = p->s;
    for (int k = 0; k < f->n; k++) {
        const rk_tree *t = &f->tree[k];
        int keep = k < p->nstore;
        mpfr_set_zero(p->acc, 1);
        for (int i = 0; i < s; i++) {
            /* Phi_i(l o r) = Phi_i(l) (A Phi(r))_i; trees of the top order
             * are never a part of another, so only their sum is needed */
            mpfr_ptr ui = keep ? p->u[(size_t)k * s + i] : p->tmp;
            if (t->left < 0)
                mpfr_set_ui(ui, 1, R);
            else
                mpfr_mul(ui, p->u[(size_t)t->left * s + i],
                         p->g[(size_t)t->right * s + i], R);
            mpfr_fma(p->acc, b[i], ui, p->acc, R);
        }
        mpfr_set(p->phi[k], p->acc, R);
        if (keep)
            lower_matvec(p, A, p->u + (size_t)k * s, p->g + (size_t)k * s);
    }
}

/* d(A u) = dA u + A du, with dA the unit matrix at (row, col) or zero. */
static void tangent_matvec(rk_phimp *p, mpfr_t *A, int k, int row, int col)
{
    int s = p->s;
    mpfr_t *du = p->du + (size_t)k * s, *dg = p->dg + (size_t)k * s;
    lower_matvec(p, A, du, dg);
    if (col >= 0)
        mpfr_add(dg[row], dg[row], p->u[(size_t)k * s + col], R);
}

/* d Phi_i(l o r) = dPhi_i(l) g_i(r) + Phi_i(l) dg_i(r), into out. */
static void tangent_stage(rk_phimp *p, const rk_tree *t, int i, mpfr_ptr out)
{
    int s = p->s;
    size_t l = (size_t)t->left * s + i, r = (size_t)t->right * s + i;
    mpfr_mul(out, p->du[l], p->g[r], R);
    mpfr_mul(p->tmp, p->u[l], p->dg[r], R);
    mpfr_add(out, out, p->tmp, R);
}

void phimp_partial(rk_phimp *p, mpfr_t *A, mpfr_t *b, int row, int col,
                   mpfr_t *dphi)
{
    const rk_forest *f = p->f;
    int s = p->s;
    for (int k = 0; k < f->n; k++) {
        const rk_tree *t = &f->tree[k];
        int keep = k < p->nstore;
        mpfr_set_zero(dphi[k], 1);
        for (int i = 0; i < s; i++) {
            mpfr_ptr dui = keep ? p->du[(size_t)k * s + i] : p->acc;
            if (t->left < 0)
                mpfr_set_zero(dui, 1);
            else
                tangent_stage(p, t, i, dui);
            mpfr_fma(dphi[k], b[i], dui, dphi[k], R);
        }
        if (col < 0) {
            /* d/db_row adds Phi_row(t) */
            if (keep)
                mpfr_add(dphi[k], dphi[k], p->u[(size_t)k * s + row], R);
            else if (t->left < 0)
                mpfr_add_ui(dphi[k], dphi[k], 1, R);
            else {
                mpfr_mul(p->tmp, p->u[(size_t)t->left * s + row],
                         p->g[(size_t)t->right * s + row], R);
                mpfr_add(dphi[k], dphi[k], p->tmp, R);
            }
        }
        if (keep)
            tangent_matvec(p, A, k, row, col);
    }
}

/* ---- the check ------------------------------------------------------ */

double orders_memory(int max_order, int s, mpfr_prec_t prec)
{
    double trees = 0;
    for (int q = 1; q < max_order; q++)
        trees += rooted_tree_count(q);
    double limb_bytes = (double)((prec + 63) / 64) * 8.0;
    return trees * 2.0 * s * ((double)sizeof(mpfr_t) + limb_bytes);
}

/* |Phi|(t) for every tree, in double: the scale of each sum. */
static int phi_abs(const rk_forest *f, const rk_tabmp *m, double *out)
{
    int s = m->s;
    double *A = malloc((size_t)s * s * sizeof *A), *b = malloc((size_t)s * sizeof *b);
    double *work = malloc((size_t)2 * s * f->n * sizeof *work);
    int ok = A && b && work;
    for (int i = 0; ok && i < s * s; i++)
        A[i] = fabs(mpfr_get_d(m->A[i], R));
    for (int i = 0; ok && i < s; i++)
        b[i] = fabs(mpfr_get_d(m->b[i], R));
    if (ok)
        forest_phi(f, s, A, b, work, out);
    free(A);
    free(b);
    free(work);
    return ok ? 0 : -1;
}

/* Sets tol = scale * 2^(EXACT_SLACK - prec) + extra. */
static void tolerance(mpfr_t tol, double scale, mpfr_prec_t prec, double extra)
{
    mpfr_set_d(tol, scale, R);
    mpfr_mul_2si(tol, tol, EXACT_SLACK - (long)prec, R);
    mpfr_add_d(tol, tol, extra, R);
}

static rk_verdict judge(mpfr_t absr, mpfr_t tol, double scale, double round_extra,
                        mpfr_prec_t prec)
{
    tolerance(tol, scale, prec, 0);
    if (mpfr_lessequal_p(absr, tol))
        return RK_EXACT;
    tolerance(tol, scale, prec, round_extra);
    return mpfr_lessequal_p(absr, tol) ? RK_ROUNDING : RK_FAILS;
}

rk_verdict orders_judge(mpfr_t absr, double scale, double round_extra,
                        mpfr_prec_t prec)
{
    mpfr_t tol;
    mpfr_init2(tol, prec);
    rk_verdict v = judge(absr, tol, scale > 1 ? scale : 1, round_extra, prec);
    mpfr_clear(tol);
    return v;
}

typedef struct scratch {
    mpfr_t r, tol, sum;
} scratch;

/* Residual of tree k and its verdict. */
static void judge_tree(rk_order_check *c, const rk_forest *f, rk_phimp *p,
                       int k, scratch *w)
{
    const rk_tree *t = &f->tree[k];
    mpfr_set_d(w->r, t->gamma, R);
    mpfr_ui_div(w->r, 1, w->r, R);
    mpfr_sub(w->r, p->phi[k], w->r, R);
    c->resid[k] = mpfr_get_d(w->r, R);
    mpfr_abs(w->r, w->r, R);
    double scale = c->phi_abs[k] > 1 ? c->phi_abs[k] : 1;
    double extra = 4.0 * t->order * c->eps * c->phi_abs[k];
    c->verdict[k] = (unsigned char)judge(w->r, w->tol, scale, extra, c->prec);
    int q = t->order;
    double a = fabs(c->resid[k]);
    if (a > c->max_resid[q])
        c->max_resid[q] = a;
    if (c->verdict[k] > c->order_verdict[q])
        c->order_verdict[q] = (rk_verdict)c->verdict[k];
    double wgt = c->phi_abs[k] * t->gamma;
    if (wgt > c->weight[q])
        c->weight[q] = wgt;
}

static void orders_summary(rk_order_check *c)
{
    c->order = c->exact_order = 0;
    while (c->order < c->max_order && c->order_verdict[c->order + 1] != RK_FAILS)
        c->order++;
    while (c->exact_order < c->max_order &&
           c->order_verdict[c->exact_order + 1] == RK_EXACT)
        c->exact_order++;
}

/* Error coefficients (Phi - 1/gamma)/sigma of order q, their norms. */
static void error_norms(rk_order_check *c, const rk_forest *f, int q)
{
    c->pen = c->pen_max = NAN;
    if (q > c->max_order)
        return;
    double sum = 0, mx = 0;
    for (int k = f->first[q]; k < f->first[q + 1]; k++) {
        double e = fabs(c->resid[k]) / f->tree[k].sigma;
        sum += e * e;
        mx = e > mx ? e : mx;
    }
    c->pen = sqrt(sum);
    c->pen_max = mx;
}

/* c = A 1 and the largest coefficient. */
static void rowsums(rk_order_check *c, const rk_tabmp *m, scratch *w)
{
    int s = m->s;
    c->rowsum = RK_EXACT;
    c->rowsum_resid = 0;
    c->max_coef = 0;
    for (int i = 0; i < s; i++) {
        double scale = fabs(mpfr_get_d(m->c[i], R));
        mpfr_set(w->sum, m->c[i], R);
        for (int j = 0; j < s; j++) {
            double a = fabs(mpfr_get_d(m->A[i * s + j], R));
            scale += a;
            c->max_coef = a > c->max_coef ? a : c->max_coef;
            mpfr_sub(w->sum, w->sum, m->A[i * s + j], R);
        }
        double bc[2] = {fabs(mpfr_get_d(m->b[i], R)), fabs(mpfr_get_d(m->c[i], R))};
        for (int k = 0; k < 2; k++)
            c->max_coef = bc[k] > c->max_coef ? bc[k] : c->max_coef;
        mpfr_abs(w->sum, w->sum, R);
        double r = mpfr_get_d(w->sum, R);
        c->rowsum_resid = r > c->rowsum_resid ? r : c->rowsum_resid;
        rk_verdict v = judge(w->sum, w->tol, scale > 1 ? scale : 1,
                             4.0 * s * c->eps * scale, c->prec);
        c->rowsum = v > c->rowsum ? v : c->rowsum;
    }
}

int orders_check(const rk_forest *f, const rk_tabmp *m, rk_order_check *out,
                 rk_error *err)
{
    rk_order_check *c = out;
    memset(c, 0, sizeof *c);
    c->max_order = f->max_order;
    c->ntrees = f->n;
    c->prec = m->prec;
    c->eps = m->eps;
    c->resid = calloc((size_t)f->n, sizeof *c->resid);
    c->phi_abs = calloc((size_t)f->n, sizeof *c->phi_abs);
    c->verdict = calloc((size_t)f->n, sizeof *c->verdict);
    rk_phimp p;
    if (!c->resid || !c->phi_abs || !c->verdict || phi_abs(f, m, c->phi_abs) ||
        phimp_init(&p, f, m->s, m->prec, 0)) {
        orders_free(c);
        rk_error_set(err, "out of memory");
        return -1;
    }
    phimp_eval(&p, m->A, m->b);
    scratch w;
    mpfr_inits2(m->prec, w.r, w.tol, w.sum, (mpfr_ptr)0);
    for (int k = 0; k < f->n; k++)
        judge_tree(c, f, &p, k, &w);
    orders_summary(c);
    error_norms(c, f, c->order + 1);
    rowsums(c, m, &w);
    mpfr_clears(w.r, w.tol, w.sum, (mpfr_ptr)0);
    phimp_clear(&p);
    return 0;
}

void orders_free(rk_order_check *c)
{
    free(c->resid);
    free(c->phi_abs);
    free(c->verdict);
    c->resid = c->phi_abs = NULL;
    c->verdict = NULL;
}
