/* polish.c - Gauss-Newton in MPFR onto order conditions (polish.h). */
#include "polish.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localerr.h"
#include "mp_lsq.h"
#include "mpvec.h"
#include "orders.h"
#include "parse.h"
#include "rng.h"
#include "tableau_mp.h"
#include "trees.h"

#define R MPFR_RNDN
#define DEFAULT_SAMPLES 16
#define DEFAULT_ITER 60
#define HALVINGS 40
/* Longest mantissa written as one literal (the parser takes 127 chars). */
#define PART_DIGITS 90
/* Bits the iteration carries beyond the requested precision, so that the
 * conditions hold far below the rounding of the texts written out: then
 * a check at a higher precision sees only that rounding. */
#define GUARD_BITS 32

int polish_min_stages(int p)
{
    if (p <= 4)
        return p;
    if (p <= 6)
        return p + 1;
    if (p == 7)
        return 9;
    return p + 3;
}

/* ---- decimal texts ----------------------------------------------------- */

/* 0.digits times 10^e, as a plain decimal where that is short, else
 * with an exponent. */
static void format_part(char *out, size_t size, const char *digits, long e)
{
    long n = (long)strlen(digits);
    size_t len;
    if (e >= n && e <= 30) {
        len = (size_t)snprintf(out, size, "%s", digits);
        for (long k = n; k < e && len + 1 < size; k++)
            out[len++] = '0';
        out[len] = '\0';
    } else if (e > 0 && e < n) {
        snprintf(out, size, "%.*s.%s", (int)e, digits, digits + e);
    } else if (e <= 0 && e > -6) {
        len = (size_t)snprintf(out, size, "0.");
        for (long k = e; k < 0 && len + 1 < size; k++)
            out[len++] = '0';
        snprintf(out + len, size - len, "%s", digits);
    } else {
        snprintf(out, size, "0.%se%ld", digits, e);
    }
}

char *polish_decimal(mpfr_srcptr x, mpfr_prec_t prec)
{
    if (mpfr_zero_p(x))
        return strdup("0");
    mpfr_exp_t e;
    size_t nd = mpfr_get_str_ndigits(10, prec);
    char *str = mpfr_get_str(NULL, &e, 10, nd, x, R);
    if (!str)
        return NULL;
    int neg = str[0] == '-';
    char *digits = str + neg;
    size_t n = strlen(digits);
    while (n > 1 && digits[n - 1] == '0')
        digits[--n] = '\0';
    size_t parts = (n + PART_DIGITS - 1) / PART_DIGITS, cap = n + parts * 40 + 8;
    char *out = malloc(cap);
    if (out) {
        size_t len = 0;
        if (neg)
            len += (size_t)snprintf(out, cap, parts > 1 ? "-(" : "-");
        out[len] = '\0';
        for (size_t k = 0; k < parts; k++) {
            char chunk[PART_DIGITS + 1], part[PART_DIGITS + 48];
            snprintf(chunk, sizeof chunk, "%.*s", PART_DIGITS, digits + k * PART_DIGITS);
            format_part(part, sizeof part, chunk, (long)e - (long)(k * PART_DIGITS));
            len += (size_t)snprintf(out + len, cap - len, "%s%s", k ? " + " : "", part);
        }
        if (neg && parts > 1)
            snprintf(out + len, cap - len, ")");
    }
    mpfr_free_str(str);
    return out;
}

/* ---- the Gauss-Newton system -------------------------------------------- */

typedef struct gn {
    const rk_polish_opts *o;
    int s, P, Q, dim, samples, ntree, m, nfree;
    rk_forest forest;
    rk_phimp phi;
    rk_lerr L;
    int have_L;
    int *prow, *pcol;        /* free coefficient k: a[prow][pcol], or b[prow] if pcol < 0 */
    double *sp, *sy0;        /* sampled members */
    mpfr_t *A, *b, *c;       /* current point */
    mpfr_t *r, *rt, *J, *dx, *e, *fscale, *fplus;
    mpfr_t tmp, h;
    mpfr_prec_t prec;
} gn;

static mpfr_ptr coef(gn *g, mpfr_t *A, mpfr_t *b, int k)
{
    return g->pcol[k] < 0 ? b[g->prow[k]] : A[g->prow[k] * g->s + g->pcol[k]];
}

static void row_sums(gn *g, mpfr_t *A, mpfr_t *c)
{
    for (int i = 0; i < g->s; i++) {
        mpfr_set_zero(c[i], 1);
        for (int j = 0; j < i; j++)
            mpfr_add(c[i], c[i], A[i * g->s + j], R);
    }
}

/* Family rows of the residual: e_q / scale for q = P+1..Q at each member. */
static int family_rows(gn *g, mpfr_t *A, mpfr_t *b, mpfr_t *c, mpfr_t *out)
{
    int d = g->dim, row = 0;
    for (int j = 0; j < g->samples; j++) {
        if (lerr_member(&g->L, g->sp + (size_t)j * (g->L.f->nparam + 1),
                        g->sy0 + (size_t)j * d) != 0 ||
            lerr_eval(&g->L, A, b, c, g->e, NULL) != 0)
            return -1;
        for (int q = g->P + 1; q <= g->Q; q++)
            for (int i = 0; i < d; i++, row++)
                mpfr_div(out[row], g->e[(size_t)(q - 1) * d + i],
                         g->fscale[(size_t)j * g->Q + q - 1], R);
    }
    return 0;
}

/* All residuals at (A, b), nodes c = A 1; 0, or -1 if the family's
 * vector field has no series at a member. */
static int residuals(gn *g, mpfr_t *A, mpfr_t *b, mpfr_t *out)
{
    row_sums(g, A, g->c);
    phimp_eval(&g->phi, A, b);
    for (int k = 0; k < g->ntree; k++) {
        mpfr_set_d(g->tmp, g->forest.tree[k].gamma, R);
        mpfr_ui_div(g->tmp, 1, g->tmp, R);
        mpfr_sub(out[k], g->phi.phi[k], g->tmp, R);
    }
    return g->have_L ? family_rows(g, A, b, g->c, out + g->ntree) : 0;
}

/* Central differences of the family rows along free coefficient k. */
static int family_column(gn *g, int k)
{
    mpfr_ptr x = coef(g, g->A, g->b, k);
    int rows = g->m - g->ntree;
    mpfr_set_ui(g->h, 1, R);
    if (mpfr_cmpabs(x, g->h) > 0)
        mpfr_abs(g->h, x, R);
    mpfr_mul_2si(g->h, g->h, -(long)g->prec / 3, R);
    mpfr_set(g->tmp, x, R);
    mpfr_add(x, g->tmp, g->h, R);
    row_sums(g, g->A, g->c);
    int rc = family_rows(g, g->A, g->b, g->c, g->fplus);
    mpfr_sub(x, g->tmp, g->h, R);
    row_sums(g, g->A, g->c);
    rc |= family_rows(g, g->A, g->b, g->c, g->rt);
    mpfr_set(x, g->tmp, R);
    mpfr_mul_2ui(g->h, g->h, 1, R);
    for (int i = 0; i < rows; i++) {
        mpfr_ptr Jik = g->J[(size_t)(g->ntree + i) * g->nfree + k];
        mpfr_sub(Jik, g->fplus[i], g->rt[i], R);
        mpfr_div(Jik, Jik, g->h, R);
    }
    return rc;
}

static int jacobian(gn *g)
{
    phimp_eval(&g->phi, g->A, g->b);
    for (int k = 0; k < g->nfree; k++) {
        phimp_partial(&g->phi, g->A, g->b, g->prow[k], g->pcol[k], g->rt);
        for (int t = 0; t < g->ntree; t++)
            mpfr_set(g->J[(size_t)t * g->nfree + k], g->rt[t], R);
        if (g->have_L && family_column(g, k) != 0)
            return -1;
    }
    return 0;
}

/* One damped step: cur + lambda dx with the first lambda = 1, 1/2, ...
 * that lowers the largest residual.  1 if taken, 0 if none does. */
static int damped_step(gn *g, mpfr_t norm, mpfr_t *trial)
{
    mpfr_t lambda, nt;
    mpfr_inits2(g->prec, lambda, nt, (mpfr_ptr)0);
    mpfr_set_ui(lambda, 1, R);
    int taken = 0;
    for (int it = 0; it < HALVINGS && !taken; it++) {
        mpvec_copy(trial, g->A, (size_t)g->s * g->s);
        mpvec_copy(trial + g->s * g->s, g->b, (size_t)g->s);
        for (int k = 0; k < g->nfree; k++) {
            mpfr_ptr x = coef(g, trial, trial + g->s * g->s, k);
            mpfr_fma(x, lambda, g->dx[k], x, R);
        }
        if (residuals(g, trial, trial + g->s * g->s, g->rt) == 0) {
            mpvec_max_abs(g->rt, (size_t)g->m, nt);
            taken = mpfr_less_p(nt, norm);
        }
        mpfr_div_2ui(lambda, lambda, 1, R);
    }
    if (taken) {
        mpvec_copy(g->A, trial, (size_t)g->s * g->s);
        mpvec_copy(g->b, trial + g->s * g->s, (size_t)g->s);
        mpvec_copy(g->r, g->rt, (size_t)g->m);
        mpfr_set(norm, nt, R);
    }
    mpfr_clears(lambda, nt, (mpfr_ptr)0);
    return taken;
}

/* Gauss-Newton until the residual reaches the rounding floor or stops
 * falling; the final largest residual in norm. */
static int iterate(gn *g, mpfr_t norm, rk_polish_result *res, rk_error *err)
{
    mpfr_t *trial = mpvec_new((size_t)g->s * g->s + g->s, g->prec), floor_;
    mpfr_init2(floor_, g->prec);
    mpfr_set_ui(floor_, 1, R);
    mpfr_mul_2si(floor_, floor_, 8 - (long)g->prec, R);
    int rc = residuals(g, g->A, g->b, g->r);
    mpvec_max_abs(g->r, (size_t)g->m, norm);
    int maxit = g->o->max_iter > 0 ? g->o->max_iter : DEFAULT_ITER;
    for (res->iterations = 0; rc == 0 && res->iterations < maxit; res->iterations++) {
        if (mpfr_lessequal_p(norm, floor_))
            break;
        if (jacobian(g) != 0) {
            rc = -1;
            break;
        }
        for (int i = 0; i < g->m; i++)
            mpfr_neg(g->rt[i], g->r[i], R);
        res->rank = mp_minnorm(g->m, g->nfree, g->J, g->rt, g->dx,
                               ldexp(1.0, -(int)(g->prec / 4 < 1000 ? g->prec / 4 : 1000)),
                               g->prec);
        if (res->rank < 0) {
            rk_error_set(err, "out of memory");
            rc = -2;
        } else if (!damped_step(g, norm, trial)) {
            break;
        }
    }
    if (rc == -1)
        rk_error_set(err, "the family's vector field has no Taylor series at a sampled "
                     "member during the iteration");
    mpvec_free(trial, (size_t)g->s * g->s + g->s);
    mpfr_clear(floor_);
    return rc;
}

/* ---- setting up --------------------------------------------------------- */

static int choose_free(gn *g, const rk_tabmp *m0)
{
    int s = g->s, n = 0;
    g->prow = malloc((size_t)(s * s + s) * sizeof *g->prow);
    g->pcol = malloc((size_t)(s * s + s) * sizeof *g->pcol);
    if (!g->prow || !g->pcol)
        return -1;
    for (int i = 0; i < s; i++)
        for (int j = 0; j < i; j++)
            if (g->o->free_zeros || !mpfr_zero_p(m0->A[i * s + j])) {
                g->prow[n] = i;
                g->pcol[n++] = j;
            }
    for (int i = 0; i < s; i++)
        if (g->o->free_zeros || !mpfr_zero_p(m0->b[i])) {
            g->prow[n] = i;
            g->pcol[n++] = -1;
        }
    g->nfree = n;
    return 0;
}

/* Members for the family rows, and each e_q's scale |y_q| at them. */
static int sample_family(gn *g, rk_error *err)
{
    const rk_family *f = g->o->family;
    int np = f->nparam + 1, d = f->dim;
    g->sp = calloc((size_t)g->samples * np, sizeof *g->sp);
    g->sy0 = calloc((size_t)g->samples * d, sizeof *g->sy0);
    g->fscale = mpvec_new((size_t)g->samples * g->Q, g->prec);
    mpfr_t *yq = mpvec_new((size_t)g->Q * d, g->prec);
    if (!g->sp || !g->sy0 || !g->fscale || !yq || lerr_init(&g->L, f, g->s, g->Q, g->prec)) {
        mpvec_free(yq, (size_t)g->Q * d);
        rk_error_set(err, "out of memory");
        return -1;
    }
    g->have_L = 1;
    rk_rng rng;
    rng_seed(&rng, g->o->seed);
    row_sums(g, g->A, g->c);
    int rc = 0;
    for (int j = 0; j < g->samples && rc == 0; j++) {
        double h;
        family_sample(f, &rng, g->sp + (size_t)j * np, g->sy0 + (size_t)j * d, &h);
        rc = lerr_member(&g->L, g->sp + (size_t)j * np, g->sy0 + (size_t)j * d) ||
             lerr_eval(&g->L, g->A, g->b, g->c, g->e, yq);
        for (int q = 1; q <= g->Q && rc == 0; q++) {
            mpfr_ptr sc = g->fscale[(size_t)j * g->Q + q - 1];
            mpvec_max_abs(yq + (size_t)(q - 1) * d, (size_t)d, sc);
            if (mpfr_zero_p(sc))
                mpfr_set_ui(sc, 1, R);
        }
    }
    mpvec_free(yq, (size_t)g->Q * d);
    if (rc)
        rk_error_set(err, "family %s: the vector field has no Taylor series at a sampled "
                     "member", f->name);
    return rc ? -1 : 0;
}

static int gn_init(gn *g, const rk_polish_opts *o, const rk_tabmp *m0, rk_error *err)
{
    int s = m0->s;
    g->o = o;
    g->s = s;
    g->prec = o->prec + GUARD_BITS;
    g->P = o->order;
    g->Q = o->family && o->family_order > o->order ? o->family_order : o->order;
    g->dim = o->family ? o->family->dim : 0;
    g->samples = o->family && g->Q > g->P ? (o->samples > 0 ? o->samples : DEFAULT_SAMPLES) : 0;
    mpfr_inits2(g->prec, g->tmp, g->h, (mpfr_ptr)0);
    if (forest_init(&g->forest, g->P) != 0 || phimp_init(&g->phi, &g->forest, s, g->prec, 1) != 0) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    g->ntree = g->forest.n;
    g->m = g->ntree + g->samples * (g->Q - g->P) * g->dim;
    g->A = mpvec_new((size_t)s * s, g->prec);
    g->b = mpvec_new((size_t)s, g->prec);
    g->c = mpvec_new((size_t)s, g->prec);
    g->e = mpvec_new((size_t)g->Q * (g->dim ? g->dim : 1), g->prec);
    if (!g->A || !g->b || !g->c || !g->e || choose_free(g, m0) != 0) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    mpvec_copy(g->A, m0->A, (size_t)s * s);
    mpvec_copy(g->b, m0->b, (size_t)s);
    g->r = mpvec_new((size_t)g->m, g->prec);
    g->rt = mpvec_new((size_t)(g->m > g->ntree ? g->m : g->ntree), g->prec);
    g->fplus = mpvec_new((size_t)g->m, g->prec);
    g->J = mpvec_new((size_t)g->m * (size_t)(g->nfree ? g->nfree : 1), g->prec);
    g->dx = mpvec_new((size_t)(g->nfree ? g->nfree : 1), g->prec);
    if (!g->r || !g->rt || !g->fplus || !g->J || !g->dx) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    return g->samples ? sample_family(g, err) : 0;
}

static void gn_free(gn *g)
{
    int s = g->s;
    if (g->phi.f)
        phimp_clear(&g->phi);
    forest_free(&g->forest);
    if (g->have_L)
        lerr_clear(&g->L);
    mpvec_free(g->A, (size_t)s * s);
    mpvec_free(g->b, (size_t)s);
    mpvec_free(g->c, (size_t)s);
    mpvec_free(g->e, (size_t)g->Q * (g->dim ? g->dim : 1));
    mpvec_free(g->r, (size_t)g->m);
    mpvec_free(g->rt, (size_t)(g->m > g->ntree ? g->m : g->ntree));
    mpvec_free(g->fplus, (size_t)g->m);
    mpvec_free(g->J, (size_t)g->m * (size_t)(g->nfree ? g->nfree : 1));
    mpvec_free(g->dx, (size_t)(g->nfree ? g->nfree : 1));
    mpvec_free(g->fscale, (size_t)g->samples * g->Q);
    free(g->prow);
    free(g->pcol);
    free(g->sp);
    free(g->sy0);
    if (g->prec)
        mpfr_clears(g->tmp, g->h, (mpfr_ptr)0);
}

/* ---- the result --------------------------------------------------------- */

/* Sets coefficient idx's text and double from x. */
static int set_coef(rk_tableau *t, int idx, double *slot, mpfr_srcptr x,
                    mpfr_prec_t prec, rk_error *err)
{
    char *text = polish_decimal(x, prec);
    if (!text) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    free(t->exact[idx]);
    t->exact[idx] = text;
    return ex_const_eval(text, slot, err);
}

static char *polish_metadata(const rk_tableau *t0, const rk_polish_opts *o,
                             const rk_polish_result *r)
{
    cJSON *meta = t0->metadata_json ? cJSON_Parse(t0->metadata_json) : cJSON_CreateObject();
    if (!meta)
        return NULL;
    cJSON_DeleteItemFromObjectCaseSensitive(meta, "polish");
    cJSON *p = cJSON_AddObjectToObject(meta, "polish");
    cJSON_AddStringToObject(p, "from", t0->name);
    cJSON_AddNumberToObject(p, "order", o->order);
    if (o->family && o->family_order > 0) {
        cJSON_AddStringToObject(p, "family", o->family->name);
        cJSON_AddNumberToObject(p, "family_order", o->family_order);
    }
    cJSON_AddNumberToObject(p, "precision", (double)o->prec);
    cJSON_AddNumberToObject(p, "iterations", r->iterations);
    cJSON_AddNumberToObject(p, "residual", r->residual);
    cJSON_AddNumberToObject(p, "max_moved", r->max_moved);
    char *printed = cJSON_PrintUnformatted(meta);
    char *text = printed ? strdup(printed) : NULL;
    cJSON_free(printed);
    cJSON_Delete(meta);
    return text;
}

static int build_result(gn *g, const rk_tableau *t0, const rk_tabmp *m0,
                        rk_polish_result *r, rk_error *err)
{
    int s = g->s, nex = s * s + 2 * s;
    rk_tableau *t = tableau_copy(t0);
    r->t = t;
    r->moved = calloc((size_t)nex, sizeof *r->moved);
    if (!t || !r->moved || (!t->exact && !(t->exact = calloc((size_t)nex, sizeof *t->exact)))) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    row_sums(g, g->A, g->c);
    for (int i = 0; i < s; i++)
        for (int j = 0; j < i; j++)
            if (set_coef(t, i * s + j, &t->A[i * s + j], g->A[i * s + j], g->o->prec, err))
                return -1;
    for (int i = 0; i < s; i++)
        if (set_coef(t, s * s + i, &t->b[i], g->b[i], g->o->prec, err) ||
            set_coef(t, s * s + s + i, &t->c[i], g->c[i], g->o->prec, err))
            return -1;
    mpfr_t *now[3] = {g->A, g->b, g->c}, *was[3] = {m0->A, m0->b, m0->c};
    int len[3] = {s * s, s, s}, off = 0;
    for (int part = 0; part < 3; off += len[part], part++)
        for (int i = 0; i < len[part]; i++) {
            mpfr_sub(g->tmp, now[part][i], was[part][i], R);
            r->moved[off + i] = fabs(mpfr_get_d(g->tmp, R));
            r->max_moved = fmax(r->max_moved, r->moved[off + i]);
        }
    t->order = g->P;
    char name[RK_NAME_MAX];
    snprintf(name, sizeof name, "%.*s-polished", RK_NAME_MAX - 10, t0->name);
    snprintf(t->name, sizeof t->name, "%s", name);
    free(t->metadata_json);
    t->metadata_json = polish_metadata(t0, g->o, r);
    if (!t->metadata_json) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    return 0;
}

/* Re-reads the texts and checks them as rkgen check would, on fresh
 * family members: every requested condition must hold exactly. */
static int verify(const rk_tableau *t, const rk_polish_opts *o, int Q, rk_error *err)
{
    rk_tabmp m;
    rk_forest f;
    rk_order_check oc;
    rk_family_check fc;
    int ok = 0;
    if (tabmp_init(&m, t, o->prec, err) != 0)
        return -1;
    if (forest_init(&f, Q) != 0)
        rk_error_set(err, "out of memory");
    else if (orders_check(&f, &m, &oc, err) == 0) {
        ok = oc.exact_order >= o->order && oc.rowsum == RK_EXACT;
        if (oc.exact_order < o->order)
            rk_error_set(err, "after rounding to decimal texts the conditions of order %d no "
                         "longer hold exactly (largest residual %.3g)",
                         oc.exact_order + 1, oc.max_resid[oc.exact_order + 1]);
        else if (!ok)
            rk_error_set(err, "after rounding to decimal texts c = A 1 no longer holds "
                         "exactly");
        if (ok && Q > o->order) {
            int samples = o->samples > 0 ? o->samples : DEFAULT_SAMPLES;
            ok = family_check(o->family, &m, &oc, samples, o->seed + 1, &fc, err) == 0 &&
                 fc.exact_order >= Q;
            if (ok == 0 && fc.exact_order < Q)
                rk_error_set(err, "order %d holds at the %d sampled members of %s but not "
                             "at fresh ones; use more --samples", Q, samples,
                             o->family->name);
        }
        orders_free(&oc);
    }
    forest_free(&f);
    tabmp_clear(&m);
    return ok ? 0 : -1;
}

static int check_request(const rk_tableau *t, const rk_polish_opts *o, rk_error *err)
{
    if (o->order < 1 || o->order > RK_TREES_MAX_ORDER) {
        rk_error_set(err, "the order must be from 1 to %d", RK_TREES_MAX_ORDER);
        return -1;
    }
    if (o->family_order && (!o->family || o->family_order < o->order ||
                            o->family_order > RK_TREES_MAX_ORDER)) {
        rk_error_set(err, "the family order needs a family and must be from the classical "
                     "order %d to %d", o->order, RK_TREES_MAX_ORDER);
        return -1;
    }
    if (t->s < polish_min_stages(o->order)) {
        rk_error_set(err, "classical order %d cannot be met with %d stage%s: an explicit "
                     "method of order %d needs at least %d (Butcher's order barriers)",
                     o->order, t->s, t->s == 1 ? "" : "s", o->order,
                     polish_min_stages(o->order));
        return -1;
    }
    return 0;
}

static int finish(gn *g, const rk_tableau *t, const rk_tabmp *m0, mpfr_t norm,
                  rk_polish_result *r, rk_error *err)
{
    mpfr_t target;
    mpfr_init2(target, g->prec);
    mpfr_set_ui(target, 1, R);
    mpfr_mul_2si(target, target, 20 - (long)g->o->prec, R);
    int met = mpfr_lessequal_p(norm, target);
    mpfr_clear(target);
    if (!met) {
        rk_error_set(err, "the conditions cannot be met from this tableau: Gauss-Newton "
                     "stalls with largest residual %.3g after %d iterations (%d conditions, "
                     "%d free coefficients, rank %d)", r->residual, r->iterations,
                     r->nconditions, r->nfree, r->rank);
        return -1;
    }
    if (build_result(g, t, m0, r, err) != 0)
        return -1;
    return verify(r->t, g->o, g->Q, err);
}

int rk_polish(const rk_tableau *t, const rk_polish_opts *o, rk_polish_result *r,
              rk_error *err)
{
    memset(r, 0, sizeof *r);
    if (check_request(t, o, err) != 0)
        return -1;
    rk_tabmp m0;
    if (tabmp_init(&m0, t, o->prec + GUARD_BITS, err) != 0)
        return -1;
    gn g;
    memset(&g, 0, sizeof g);
    mpfr_t norm;
    mpfr_init2(norm, o->prec + GUARD_BITS);
    int rc = gn_init(&g, o, &m0, err);
    if (rc == 0 && g.nfree == 0) {
        rk_error_set(err, "no coefficient is free to move (all are zero; try --free-zeros)");
        rc = -1;
    }
    r->nconditions = g.m;
    r->nfree = g.nfree;
    if (rc == 0)
        rc = iterate(&g, norm, r, err);
    if (rc == 0) {
        r->residual = mpfr_get_d(norm, R);
        rc = finish(&g, t, &m0, norm, r, err);
    }
    mpfr_clear(norm);
    gn_free(&g);
    tabmp_clear(&m0);
    if (rc != 0)
        rk_polish_result_free(r);
    return rc ? -1 : 0;
}

void rk_polish_result_free(rk_polish_result *r)
{
    tableau_free(r->t);
    free(r->moved);
    r->t = NULL;
    r->moved = NULL;
}
