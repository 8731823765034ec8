/* pairfit.c - bhat of order Q for a main method, by least squares over
 * the estimator space (pairfit.h): the nullspace of the order
 * conditions, the fit, the exact weights in MPFR, and pairfit_run, which
 * fits, checks and has the pair judged. */
#include "pairfit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp_lsq.h"
#include "orders.h"
#include "pair.h"
#include "pairdata.h"
#include "pairjudge.h"
#include "polish.h"
#include "samples.h"
#include "tableau_mp.h"
#include "trees.h"

#define RANK_TOL 1e-10

void pairfit_defaults(pairfit_config *c)
{
    memset(c, 0, sizeof *c);
    c->seed = 1;
    c->samples = 200;
    c->points = 16;
    c->fresh = 50;
    c->rtol_loose = 1e-4;
    c->rtol_tight = 1e-8;
}

/* Rows k of M (s columns) are the stage weights Phi_j(t) of the trees of
 * orders 1..q: the order conditions on bhat are M bhat = 1/gamma. */
static int stage_weights(const rk_tableau *tb, int q, double **M, int *rows)
{
    rk_forest fo;
    int s = tb->s;
    if (forest_init(&fo, q) != 0)
        return -1;
    double *unit = calloc((size_t)s, sizeof *unit), *phi = malloc((size_t)fo.n * sizeof *phi);
    double *work = malloc((size_t)(2 * s * fo.n) * sizeof *work);
    *M = malloc((size_t)fo.n * (size_t)s * sizeof **M);
    *rows = fo.n;
    int st = unit && phi && work && *M ? 0 : -1;
    for (int j = 0; st == 0 && j < s; j++) {
        unit[j] = 1;
        forest_phi(&fo, s, tb->A, unit, work, phi);
        unit[j] = 0;
        for (int k = 0; k < fo.n; k++)
            (*M)[k * s + j] = phi[k];
    }
    free(unit);
    free(phi);
    free(work);
    forest_free(&fo);
    if (st != 0) {
        free(*M);
        *M = NULL;
    }
    return st;
}

/* v minus its projection on the k orthonormal rows of U (twice, for
 * orthogonality to rounding); returns its norm. */
static double orthogonalize(const double *U, int k, int s, double *v)
{
    for (int pass = 0; pass < 2; pass++)
        for (int b = 0; b < k; b++) {
            double dot = 0;
            for (int j = 0; j < s; j++)
                dot += U[b * s + j] * v[j];
            for (int j = 0; j < s; j++)
                v[j] -= dot * U[b * s + j];
        }
    double nrm = 0;
    for (int j = 0; j < s; j++)
        nrm += v[j] * v[j];
    return sqrt(nrm);
}

/* Candidate c of a phase: row c of M, then the unit vector e_c. */
static void candidate(const double *M, int s, int phase, int c, double *v)
{
    for (int j = 0; j < s; j++)
        v[j] = phase == 0 ? M[c * s + j] : (j == c);
}

/* An orthonormal basis (columns of N, s x dim) of the nullspace of M
 * (rows x s): Gram-Schmidt with pivoting over the rows, then over the
 * unit vectors against them; returns dim, or -1. */
static int nullspace(const double *M, int rows, int s, double *N)
{
    double *U = malloc((size_t)s * (size_t)s * sizeof *U), *v = malloc((size_t)s * sizeof *v);
    int *used = calloc((size_t)(rows + s), sizeof *used);
    int k = 0, dim = 0;
    if (!U || !v || !used) {
        free(U);
        free(v);
        free(used);
        return -1;
    }
    double scale = 0;
    for (int r = 0; r < rows * s; r++)
        scale = fmax(scale, fabs(M[r]));
    /* each round takes the candidate with the largest part outside the
     * span so far */
    for (int phase = 0; phase < 2; phase++) {
        int ncand = phase == 0 ? rows : s;
        double tol = phase == 0 ? RANK_TOL * (scale > 0 ? scale : 1) : 1e-8;
        for (;;) {
            int best = -1;
            double bestn = tol;
            for (int c = 0; c < ncand && k < s; c++) {
                if (used[phase * rows + c])
                    continue;
                candidate(M, s, phase, c, v);
                double nrm = orthogonalize(U, k, s, v);
                if (nrm > bestn) {
                    bestn = nrm;
                    best = c;
                }
            }
            if (best < 0)
                break;
            used[phase * rows + best] = 1;
            candidate(M, s, phase, best, v);
            double nrm = orthogonalize(U, k, s, v);
            for (int j = 0; j < s; j++)
                U[k * s + j] = v[j] / nrm;
            if (phase == 1) {
                for (int j = 0; j < s; j++)
                    N[j * s + dim] = U[k * s + j];
                dim++;
            }
            k++;
        }
    }
    /* N was filled with stride s; compact it to stride dim */
    for (int j = 0; j < s; j++)
        for (int c = 0; c < dim; c++)
            N[j * dim + c] = N[j * s + c];
    free(U);
    free(v);
    free(used);
    return dim;
}

/* Dimension of the nullspace of the conditions of orders 1..q. */
static int null_dim(const rk_tableau *tb, int q, double *N)
{
    double *M;
    int rows;
    if (stage_weights(tb, q, &M, &rows) != 0)
        return -1;
    int dim = nullspace(M, rows, tb->s, N);
    free(M);
    return dim;
}

/* One row (g, y) into the triangular factor R (m x m, and its right-hand
 * side d) by Givens rotations: a least-squares fit in one pass over the
 * data, as stable as a QR of the whole matrix. */
static void givens_add(double *R, double *d, int m, double *g, double y, double *ss)
{
    for (int k = 0; k < m; k++) {
        if (g[k] == 0)
            continue;
        double a = R[k * m + k], b = g[k], r = hypot(a, b), c = a / r, s = b / r;
        R[k * m + k] = r;
        for (int j = k + 1; j < m; j++) {
            double u = R[k * m + j], w = g[j];
            R[k * m + j] = c * u + s * w;
            g[j] = -s * u + c * w;
        }
        double u = d[k];
        d[k] = c * u + s * y;
        y = -s * u + c * y;
    }
    *ss += y * y;
}

/* The solution z of the triangular system R z = d, a direction the
 * data do not see left at 0; the residual of those directions is added
 * to *ss. */
static void back_substitute(const double *R, const double *d, int m, double *z, double *ss)
{
    double rmax = 0;
    for (int k = 0; k < m; k++)
        rmax = fmax(rmax, fabs(R[k * m + k]));
    for (int k = m - 1; k >= 0; k--) {
        z[k] = 0;
        if (fabs(R[k * m + k]) <= 1e-12 * rmax) {
            if (ss)
                *ss += d[k] * d[k];
            continue;
        }
        double acc = d[k];
        for (int j = k + 1; j < m; j++)
            acc -= R[k * m + j] * z[j];
        z[k] = acc / R[k * m + k];
    }
}

/* Sum over points of (log |est| - log |le|)^2 at z, the norms RMS over
 * components; with J, also the Gauss-Newton rows into R, d. */
static double log_misfit(const double *N, int m, int s, int dim, int npts, const double *G, const double *le,
                         const double *z, double *R, double *d, double *g, double *a)
{
    double sum = 0, ss = 0;
    for (int p = 0; p < npts; p++) {
        double ea = 0, et = 0;
        for (int k = 0; k < m; k++)
            g[k] = 0;
        for (int c = 0; c < dim; c++) {
            const double *row = G + ((size_t)p * (size_t)dim + (size_t)c) * (size_t)s;
            double est = 0;
            for (int k = 0; k < m; k++) {
                double acc = 0;
                for (int j = 0; j < s; j++)
                    acc += row[j] * N[j * m + k];
                a[c * m + k] = acc;
                est += acc * z[k];
            }
            double t = le[(size_t)p * (size_t)dim + (size_t)c];
            ea += est * est;
            et += t * t;
            for (int k = 0; R && k < m; k++)
                g[k] += est * a[c * m + k];
        }
        double r = 0.5 * log(ea / et);
        if (!isfinite(r) || !(et > 0))
            continue;
        sum += r * r;
        if (R) {
            for (int k = 0; k < m; k++)
                g[k] /= ea;
            givens_add(R, d, m, g, -r, &ss);
        }
    }
    return sum;
}

/* The controller reads the estimate only through its norm: from the
 * linear fit, Levenberg-Marquardt on the log of the norm ratio makes
 * the ratio's geometric mean 1 and its spread over the points least. */
#define REFINE_ITERS 30

static void refine_log(const double *N, int m, int s, int dim, int npts, const double *G, const double *le,
                       double *z)
{
    double *R = malloc((size_t)m * (size_t)m * sizeof *R), *d = malloc((size_t)m * sizeof *d);
    double *g = malloc((size_t)m * sizeof *g), *a = malloc((size_t)dim * (size_t)m * sizeof *a);
    double *zt = malloc((size_t)m * sizeof *zt), *dz = malloc((size_t)m * sizeof *dz), lambda = 1e-3;
    if (!R || !d || !g || !a || !zt || !dz)
        goto out;
    double f0 = log_misfit(N, m, s, dim, npts, G, le, z, NULL, NULL, g, a);
    for (int it = 0; it < REFINE_ITERS && isfinite(f0); it++) {
        memset(R, 0, (size_t)m * (size_t)m * sizeof *R);
        memset(d, 0, (size_t)m * sizeof *d);
        log_misfit(N, m, s, dim, npts, G, le, z, R, d, g, a);
        double rmax = 0;
        for (int k = 0; k < m; k++)
            rmax = fmax(rmax, fabs(R[k * m + k]));
        int better = 0;
        for (int tries = 0; tries < 8 && !better; tries++) {
            /* damping rows sqrt(lambda) max|R_kk| I, appended to a copy */
            double *Rl = malloc((size_t)m * (size_t)m * sizeof *Rl), *dl = malloc((size_t)m * sizeof *dl), ss = 0;
            if (!Rl || !dl) {
                free(Rl);
                free(dl);
                goto out;
            }
            memcpy(Rl, R, (size_t)m * (size_t)m * sizeof *R);
            memcpy(dl, d, (size_t)m * sizeof *d);
            for (int k = 0; k < m; k++) {
                for (int j = 0; j < m; j++)
                    g[j] = j == k ? sqrt(lambda) * rmax : 0;
                givens_add(Rl, dl, m, g, 0, &ss);
            }
            back_substitute(Rl, dl, m, dz, NULL);
            free(Rl);
            free(dl);
            for (int k = 0; k < m; k++)
                zt[k] = z[k] + dz[k];
            double f1 = log_misfit(N, m, s, dim, npts, G, le, zt, NULL, NULL, g, a);
            if (isfinite(f1) && f1 < f0) {
                better = 1;
                memcpy(z, zt, (size_t)m * sizeof *z);
                lambda = fmax(1e-12, lambda / 10);
                if (f0 - f1 <= 1e-12 * f0)
                    it = REFINE_ITERS;
                f0 = f1;
            } else {
                lambda *= 10;
            }
        }
        if (!better)
            break;
    }
out:
    free(R);
    free(d);
    free(g);
    free(a);
    free(zt);
    free(dz);
}

int pairfit_solve(const rk_tableau *tb, int Q, int dim, int npts, const double *G,
                  const double *le, int refine, double *bhat, double *resid)
{
    int s = tb->s;
    double *N = malloc((size_t)s * (size_t)s * sizeof *N), *N1 = malloc((size_t)s * (size_t)s * sizeof *N1);
    if (!N || !N1) {
        free(N);
        free(N1);
        return -1;
    }
    int m = null_dim(tb, Q, N), m1 = null_dim(tb, Q + 1, N1);
    free(N1);
    if (m < 0 || m1 < 0) {
        free(N);
        return -1;
    }
    /* every e of order Q would also be of order Q + 1: no estimator of
     * order exactly Q on these stages */
    if (m <= m1) {
        free(N);
        return 0;
    }
    double *R = calloc((size_t)m * (size_t)m, sizeof *R), *d = calloc((size_t)m, sizeof *d);
    double *g = malloc((size_t)m * sizeof *g), *z = calloc((size_t)m, sizeof *z), ss = 0, tt = 0;
    if (!R || !d || !g || !z) {
        free(N);
        free(R);
        free(d);
        free(g);
        free(z);
        return -1;
    }
    for (int p = 0; p < npts; p++) {
        double size = 0;
        for (int c = 0; c < dim; c++)
            size += le[(size_t)p * (size_t)dim + (size_t)c] * le[(size_t)p * (size_t)dim + (size_t)c];
        /* each point weighs as its relative error: the ratio, not the size, is fitted */
        double w = 1 / sqrt(size / dim);
        if (!isfinite(w) || size <= 0)
            continue;
        for (int c = 0; c < dim; c++) {
            const double *row = G + ((size_t)p * (size_t)dim + (size_t)c) * (size_t)s;
            for (int k = 0; k < m; k++) {
                double acc = 0;
                for (int j = 0; j < s; j++)
                    acc += row[j] * N[j * m + k];
                g[k] = w * acc;
            }
            double y = w * le[(size_t)p * (size_t)dim + (size_t)c];
            tt += y * y;
            givens_add(R, d, m, g, y, &ss);
        }
    }
    back_substitute(R, d, m, z, &ss);
    if (resid)
        *resid = tt > 0 ? sqrt(ss / tt) : NAN;
    if (refine)
        refine_log(N, m, s, dim, npts, G, le, z);
    for (int j = 0; j < s; j++) {
        double e = 0;
        for (int k = 0; k < m; k++)
            e += N[j * m + k] * z[k];
        bhat[j] = tb->b[j] - e;
    }
    free(N);
    free(R);
    free(d);
    free(g);
    free(z);
    return m;
}

int pairfit_exact(rk_tableau *tb, int Q, rk_error *err)
{
    const mpfr_prec_t prec = 256;
    rk_forest fo;
    rk_tabmp m;
    rk_phimp ph;
    int s = tb->s, st = -1;
    if (forest_init(&fo, Q) != 0) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    if (tabmp_init(&m, tb, prec, err) != 0) {
        forest_free(&fo);
        return -1;
    }
    if (phimp_init(&ph, &fo, s, prec, 0) != 0) {
        tabmp_clear(&m);
        forest_free(&fo);
        rk_error_set(err, "out of memory");
        return -1;
    }
    int rows = fo.n;
    mpfr_t *J = malloc((size_t)rows * (size_t)s * sizeof *J), *rhs = malloc((size_t)rows * sizeof *rhs);
    mpfr_t *x = malloc((size_t)s * sizeof *x), *unit = malloc((size_t)s * sizeof *unit), acc;
    if (!J || !rhs || !x || !unit)
        goto out;
    mpfr_init2(acc, prec);
    for (int k = 0; k < rows * s; k++)
        mpfr_init2(J[k], prec);
    for (int k = 0; k < rows; k++)
        mpfr_init2(rhs[k], prec);
    for (int j = 0; j < s; j++) {
        mpfr_init2(x[j], prec);
        mpfr_init2(unit[j], prec);
        mpfr_set_zero(unit[j], 1);
    }
    for (int j = 0; j < s; j++) {
        mpfr_set_ui(unit[j], 1, MPFR_RNDN);
        phimp_eval(&ph, m.A, unit);
        mpfr_set_zero(unit[j], 1);
        for (int k = 0; k < rows; k++)
            mpfr_set(J[k * s + j], ph.phi[k], MPFR_RNDN);
    }
    /* the residual 1/gamma - M bhat, and the smallest correction to it */
    for (int k = 0; k < rows; k++) {
        mpfr_set_ui(rhs[k], 1, MPFR_RNDN);
        mpfr_div_d(rhs[k], rhs[k], fo.tree[k].gamma, MPFR_RNDN);
        for (int j = 0; j < s; j++) {
            mpfr_mul(acc, J[k * s + j], m.bhat[j], MPFR_RNDN);
            mpfr_sub(rhs[k], rhs[k], acc, MPFR_RNDN);
        }
    }
    if (mp_minnorm(rows, s, J, rhs, x, 1e-30, prec) >= 0) {
        char **texts = calloc((size_t)s, sizeof *texts);
        st = texts ? 0 : -1;
        for (int j = 0; st == 0 && j < s; j++) {
            mpfr_add(x[j], x[j], m.bhat[j], MPFR_RNDN);
            texts[j] = polish_decimal(x[j], prec);
            if (!texts[j])
                st = -1;
        }
        if (st == 0) {
            for (int j = 0; j < s; j++) {
                tb->bhat[j] = mpfr_get_d(x[j], MPFR_RNDN);
                if (tb->bhat_exact)
                    free(tb->bhat_exact[j]);
            }
            free(tb->bhat_exact);
            tb->bhat_exact = texts;
            texts = NULL;
        }
        for (int j = 0; texts && j < s; j++)
            free(texts[j]);
        free(texts);
    }
    for (int k = 0; k < rows * s; k++)
        mpfr_clear(J[k]);
    for (int k = 0; k < rows; k++)
        mpfr_clear(rhs[k]);
    for (int j = 0; j < s; j++) {
        mpfr_clear(x[j]);
        mpfr_clear(unit[j]);
    }
    mpfr_clear(acc);
out:
    free(J);
    free(rhs);
    free(x);
    free(unit);
    phimp_clear(&ph);
    tabmp_clear(&m);
    forest_free(&fo);
    if (st != 0 && !err->text[0])
        rk_error_set(err, "out of memory making bhat exact");
    return st;
}

/* A copy of a pair keeps only its stages and b: its old bhat's texts
 * would be read instead of the fitted doubles. */
static void forget_pair(rk_tableau *t)
{
    for (int j = 0; t->bhat_exact && j < t->s; j++)
        free(t->bhat_exact[j]);
    free(t->bhat_exact);
    t->bhat_exact = NULL;
    free(t->description);
    t->description = NULL;
    free(t->metadata_json);
    t->metadata_json = NULL;
    t->embedded_order = 0;
    t->fsal = 1;
}

/* The main method as the pair's stages: a copy with bhat, and with the
 * FSAL stage (row b, node 1) added when its last stage is not f at the
 * new point already. */
static rk_tableau *pair_stages(const rk_tableau *main, int *added)
{
    int s = main->s, fsal = main->c[s - 1] == 1;
    for (int j = 0; j < s && fsal; j++)
        fsal = main->A[(s - 1) * s + j] == main->b[j];
    *added = !fsal;
    if (fsal) {
        rk_tableau *t = tableau_copy(main);
        if (t && !t->bhat && tableau_add_bhat(t) != 0) {
            tableau_free(t);
            return NULL;
        }
        if (t)
            forget_pair(t);
        return t;
    }
    int S = s + 1;
    rk_tableau *t = tableau_new(S);
    if (!t || tableau_add_bhat(t) != 0) {
        tableau_free(t);
        return NULL;
    }
    snprintf(t->name, sizeof t->name, "%s", main->name);
    t->order = main->order;
    t->fsal = 1;
    if (main->exact)
        t->exact = calloc((size_t)(S * S + 2 * S), sizeof *t->exact);
    int fail = main->exact && !t->exact;
    for (int i = 0; i < S && !fail; i++)
        for (int j = 0; j < S; j++) {
            double v = i < s && j < s ? main->A[i * s + j] : i == s && j < s ? main->b[j] : 0;
            const char *x = !main->exact ? NULL
                            : i < s && j < s ? main->exact[i * s + j]
                            : i == s && j < s ? main->exact[s * s + j]
                                              : NULL;
            t->A[i * S + j] = v;
            if (x && !(t->exact[i * S + j] = strdup(x)))
                fail = 1;
        }
    for (int j = 0; j < S && !fail; j++) {
        t->b[j] = j < s ? main->b[j] : 0;
        t->c[j] = j < s ? main->c[j] : 1;
        const char *xb = main->exact && j < s ? main->exact[s * s + j] : NULL;
        const char *xc = main->exact && j < s ? main->exact[s * s + s + j] : NULL;
        if ((xb && !(t->exact[S * S + j] = strdup(xb))) || (xc && !(t->exact[S * S + S + j] = strdup(xc))))
            fail = 1;
    }
    if (fail) {
        tableau_free(t);
        return NULL;
    }
    return t;
}

static void pair_name(rk_tableau *t, const rk_family *f, const rk_tableau *main, int Q)
{
    char buf[3 * RK_NAME_MAX];
    if (strncmp(main->name, f->name, strlen(f->name)) == 0)
        snprintf(buf, sizeof buf, "%s-e%d", main->name, Q);
    else
        snprintf(buf, sizeof buf, "%s-%s-e%d", f->name, main->name, Q);
    size_t n = strlen(buf) < sizeof t->name - 1 ? strlen(buf) : sizeof t->name - 1;
    memcpy(t->name, buf, n);
    t->name[n] = '\0';
}

int pairfit_run(const rk_family *f, const rk_tableau *main, const pairfit_config *c,
                pairfit_result *r, rk_error *err)
{
    memset(r, 0, sizeof *r);
    int P = main->order, Q = c->embedded;
    if (P <= 0) {
        rk_error_set(err, "--embedded: the main method %s states no order", main->name);
        return 2;
    }
    if (Q < 1 || Q >= P) {
        rk_error_set(err, "--embedded %d: the embedded order must be from 1 to %d, below the order %d of the "
                     "main method %s (the estimate is the lower method's error, which the higher one's "
                     "steps are controlled by)", Q, P - 1, P, main->name);
        return 2;
    }
    rk_tableau *t = pair_stages(main, &r->fsal_added);
    if (!t) {
        rk_error_set(err, "out of memory");
        return 2;
    }
    r->span = c->span > 0 ? c->span : 10 * f->horizon;
    sample_set train;
    pair_points pts;
    int st = 2;
    memset(&pts, 0, sizeof pts);
    r->samples = pair_points_members(c->samples, c->points, f->dim, t->s);
    if (samples_draw(f, c->seed, STREAM_TRAIN, r->samples, 0, 0, &train, err) != 0) {
        tableau_free(t);
        return 2;
    }
    r->truth = train.truth;
    if (pair_points_make(f, t, &train, c->points, r->span, c->rtol_loose, c->rtol_tight, c->seed, &pts, err) != 0)
        goto out;
    r->nfree = pairfit_solve(t, Q, pts.dim, pts.n, pts.G, pts.le, 1, t->bhat, &r->fit_resid);
    if (r->nfree < 0) {
        rk_error_set(err, "out of memory");
        goto out;
    }
    if (r->nfree == 0) {
        rk_error_set(err, "--embedded %d: Q is too high for the stages: no weights of order exactly %d exist on "
                     "the %d stages of %s%s (every bhat of order %d, b itself among them, also has order %d, so "
                     "b - bhat estimates nothing of order %d); ask for a lower --embedded", Q, Q, t->s,
                     main->name, r->fsal_added ? " with its FSAL stage" : "", Q, Q + 1, Q + 1);
        goto out;
    }
    t->embedded_order = Q;
    pair_name(t, f, main, Q);
    char desc[160];
    snprintf(desc, sizeof desc, "%s with embedded weights of order %d learned for the family %s (rkgen learn --embedded)",
             main->name, Q, f->name);
    free(t->description);
    t->description = strdup(desc);
    st = 1;
    if (pairfit_exact(t, Q, err) != 0 || pair_verify(t, err) != 0 || tableau_validate(t, err) != 0)
        goto out;
    double *e = malloc((size_t)t->s * sizeof *e);
    if (!e) {
        rk_error_set(err, "out of memory");
        goto out;
    }
    for (int j = 0; j < t->s; j++)
        e[j] = t->b[j] - t->bhat[j];
    r->train = pair_points_ratio(&pts, e);
    free(e);
    r->learned = t;
    t = NULL;
    st = pairjudge_run(f, r->learned, c, r, err) == 0 ? 0 : 2;
    if (st == 0 && r->fallback)
        r->pair = tableau_builtin(pairfit_builtins[r->best]);
    else
        r->pair = r->learned;
    if (st == 0 && !r->pair) {
        rk_error_set(err, "out of memory");
        st = 2;
    }
out:
    tableau_free(t);
    pair_points_free(&pts);
    samples_free(&train);
    return st;
}

void pairfit_free(pairfit_result *r)
{
    if (r->pair != r->learned)
        tableau_free(r->pair);
    tableau_free(r->learned);
    r->pair = r->learned = NULL;
}
