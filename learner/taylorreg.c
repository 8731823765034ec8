/* taylorreg.c - the Taylor regularizer: the elementary differentials of
 * each member found once from probe tableaux, then the local error
 * coefficients as polynomials in the elementary weights. */
#include "taylorreg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "objective.h"
#include "series.h"

/* ---- identification of E ---- */

/* Fixed probe tableaux: enough stages that the elementary weights of
 * every tree up to the order are independent, drawn once from a fixed
 * seed so the identification is reproducible. */
#define PROBE_STAGES(q) ((q) + 2)

static void probe_theta(int m, int s, double *theta)
{
    rk_rng rng;
    rng_seed(&rng, 0x7a11u + (uint64_t)m);
    for (int k = 0; k < s * (s - 1) / 2 + s; k++)
        theta[k] = 2 * rng_uniform(&rng) - 0.5;
}

/* [h^q] yhat for q = 1..order of the probe at member y: the stages in
 * series arithmetic, Y_i = y + h sum_j a_ij K_j, K_i = f(t + c_i h, Y_i). */
static int probe_coeffs(const rk_family *f, int s, const double *theta, const double *p,
                        const double *y0, int order, double *work, double *out)
{
    int d = f->dim, deg = order - 1, n = deg + 1;
    double *K = work, *Y = K + (size_t)s * d * n, *T = Y + (size_t)d * n, *sw = T + n;
    ex_senv env = {T, Y, p, NULL};
    for (int i = 0; i < s; i++) {
        double c = 0;
        for (int j = 0; j < i; j++)
            c += theta[theta_a(i, j)];
        memset(T, 0, (size_t)n * sizeof *T);
        if (n > 1)
            T[1] = c;
        for (int k = 0; k < d; k++)
            for (int q = 0; q < n; q++) {
                double acc = q == 0 ? y0[k] : 0;
                for (int j = 0; j < i && q > 0; j++)
                    acc += theta[theta_a(i, j)] * K[((size_t)j * d + k) * n + q - 1];
                Y[k * n + q] = acc;
            }
        if (ex_series(&f->rhs, deg, &env, sw, K + (size_t)i * d * n) >= 0)
            return -1;
    }
    for (int q = 1; q <= order; q++)
        for (int k = 0; k < d; k++) {
            double acc = 0;
            for (int j = 0; j < s; j++)
                acc += theta[theta_b(s, j)] * K[((size_t)j * d + k) * n + q - 1];
            out[(q - 1) * d + k] = acc;
        }
    return 0;
}

/* Dense symmetric positive definite solve by Cholesky, in place on b
 * (n right-hand sides of length m); 0 on success. */
static int spd_solve(int m, double *M, double *b, int n)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j <= i; j++) {
            double s = M[i * m + j];
            for (int k = 0; k < j; k++)
                s -= M[i * m + k] * M[j * m + k];
            if (i == j) {
                if (!(s > 0))
                    return -1;
                M[i * m + i] = sqrt(s);
            } else {
                M[i * m + j] = s / M[j * m + j];
            }
        }
    for (int c = 0; c < n; c++) {
        double *x = b + (size_t)c * m;
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < i; k++)
                x[i] -= M[i * m + k] * x[k];
            x[i] /= M[i * m + i];
        }
        for (int i = m - 1; i >= 0; i--) {
            for (int k = i + 1; k < m; k++)
                x[i] -= M[k * m + i] * x[k];
            x[i] /= M[i * m + i];
        }
    }
    return 0;
}

/* pinv (ntrees x M, rows grouped by order): for each order q the rows of
 * (D_q^T D_q)^-1 D_q^T, D_q the probes' weights of the trees of order q. */
static int probe_pinv(const taylor_reg *r, int M, const double *D, double *pinv)
{
    const rk_forest *fo = &r->forest;
    for (int q = 1; q <= r->order; q++) {
        int a = fo->first[q], T = fo->first[q + 1] - a;
        double *G = malloc((size_t)T * T * sizeof *G), *X = malloc((size_t)T * M * sizeof *X);
        if (!G || !X) {
            free(G);
            free(X);
            return -1;
        }
        for (int i = 0; i < T; i++)
            for (int j = 0; j < T; j++) {
                double g = 0;
                for (int m = 0; m < M; m++)
                    g += D[(size_t)m * fo->n + a + i] * D[(size_t)m * fo->n + a + j];
                G[i * T + j] = g;
            }
        /* columns of D_q^T, one right-hand side per probe */
        for (int m = 0; m < M; m++)
            for (int i = 0; i < T; i++)
                X[(size_t)m * T + i] = D[(size_t)m * fo->n + a + i];
        int bad = spd_solve(T, G, X, M);
        for (int m = 0; m < M && !bad; m++)
            for (int i = 0; i < T; i++)
                pinv[(size_t)(a + i) * M + m] = X[(size_t)m * T + i];
        free(G);
        free(X);
        if (bad)
            return -1;
    }
    return 0;
}

static int alloc_reg(taylor_reg *r)
{
    r->E = malloc((size_t)r->n * (size_t)r->forest.n * (size_t)r->dim * sizeof *r->E);
    r->norm = malloc((size_t)r->n * ((size_t)r->order + 1) * sizeof *r->norm);
    r->row_first = calloc((size_t)r->order + 2, sizeof *r->row_first);
    r->C_first = calloc((size_t)r->order + 2, sizeof *r->C_first);
    return r->E && r->norm && r->row_first && r->C_first &&
           tree_weights_init(&r->tw, &r->forest, r->stages) == 0 ? 0 : -1;
}

/* Householder QR of the m x T column-major W, in place: on return its
 * upper triangle is R, with R^T R = W^T W. */
static void householder_r(double *W, int m, int T)
{
    for (int j = 0; j < T && j < m; j++) {
        double *x = W + (size_t)j * m, norm = 0;
        for (int i = j; i < m; i++)
            norm += x[i] * x[i];
        norm = sqrt(norm);
        if (norm == 0)
            continue;
        double alpha = x[j] > 0 ? -norm : norm, v0 = x[j] - alpha;
        /* v = (v0, x[j+1..]), H = I - 2 v v^T / v^T v */
        double vv = v0 * v0 + (norm * norm - x[j] * x[j]);
        x[j] = v0;
        for (int c = j + 1; c < T; c++) {
            double *y = W + (size_t)c * m, dot = 0;
            for (int i = j; i < m; i++)
                dot += x[i] * y[i];
            double f = vv > 0 ? 2 * dot / vv : 0;
            for (int i = j; i < m; i++)
                y[i] -= f * x[i];
        }
        x[j] = alpha;
    }
}

/* The regularizer's rows for order q are W_q delta, W_q holding E_t of
 * every member and component (scaled by the member's norm) and delta_t =
 * Phi_t - 1/gamma_t.  Only W_q^T W_q matters to Gauss-Newton and to the
 * value, so W_q is replaced by its R factor when that has fewer rows:
 * T_q rows instead of members x dim, which makes every evaluation
 * independent of the number of members. */
static int compress(taylor_reg *r)
{
    const rk_forest *fo = &r->forest;
    int m = r->n * r->dim, d = r->dim;
    size_t total = 0;
    for (int q = 1; q <= r->order; q++) {
        int T = forest_count(fo, q), rows = T < m ? T : m;
        r->row_first[q + 1] = r->row_first[q] + rows;
        r->C_first[q + 1] = r->C_first[q] + (size_t)rows * (size_t)T;
        total = r->C_first[q + 1];
    }
    r->C = calloc(total + 1, sizeof *r->C);
    if (!r->C)
        return -1;
    for (int q = 1; q <= r->order; q++) {
        int a = fo->first[q], T = forest_count(fo, q), rows = r->row_first[q + 1] - r->row_first[q];
        double *W = malloc((size_t)m * (size_t)T * sizeof *W), *C = r->C + r->C_first[q];
        if (!W)
            return -1;
        for (int t = 0; t < T; t++)
            for (int i = 0; i < r->n; i++)
                for (int k = 0; k < d; k++)
                    W[(size_t)t * m + (size_t)i * d + k] =
                        r->E[((size_t)i * fo->n + a + t) * d + k] / r->norm[(size_t)i * (r->order + 1) + q];
        if (rows < m)
            householder_r(W, m, T);
        for (int j = 0; j < rows; j++)
            for (int t = 0; t < T; t++)
                C[(size_t)j * T + t] = rows < m && t < j ? 0 : W[(size_t)t * m + j];
        free(W);
    }
    return 0;
}

/* E of member i from the probes' series coefficients Yp (M x order x d). */
static void identify(taylor_reg *r, int i, int M, const double *pinv, const double *Yp)
{
    const rk_forest *fo = &r->forest;
    int d = r->dim;
    for (int q = 1; q <= r->order; q++) {
        double exact2 = 0;
        for (int k = 0; k < d; k++) {
            double ex = 0;
            for (int t = fo->first[q]; t < fo->first[q + 1]; t++) {
                double e = 0;
                for (int m = 0; m < M; m++)
                    e += pinv[(size_t)t * M + m] * Yp[((size_t)m * r->order + q - 1) * d + k];
                r->E[((size_t)i * fo->n + t) * d + k] = e;
                ex += e / fo->tree[t].gamma;
            }
            exact2 += ex * ex;
        }
        r->norm[(size_t)i * (r->order + 1) + q] = fmax(sqrt(exact2), 1e-12);
    }
}

int taylor_reg_init(taylor_reg *r, const rk_family *f, const sample_set *s, int stages,
                    int order, rk_error *err)
{
    memset(r, 0, sizeof *r);
    r->order = order;
    r->stages = stages;
    r->n = s->n;
    r->dim = f->dim;
    r->P = stages * (stages - 1) / 2 + stages;
    if (forest_init(&r->forest, order) != 0 || alloc_reg(r) != 0) {
        taylor_reg_free(r);
        rk_error_set(err, "out of memory (trees up to order %d)", order);
        return -1;
    }
    const rk_forest *fo = &r->forest;
    int maxT = 0, ps = PROBE_STAGES(order), d = f->dim, deg1 = order;
    for (int q = 1; q <= order; q++)
        maxT = forest_count(fo, q) > maxT ? forest_count(fo, q) : maxT;
    int M = 2 * maxT + 2, Pp = ps * (ps - 1) / 2 + ps;
    size_t sw = ex_series_work(&f->rhs, deg1) + (size_t)(ps + 1) * d * deg1 + (size_t)deg1 + 8;
    double *theta = malloc((size_t)M * Pp * sizeof *theta), *A = calloc((size_t)ps * ps, sizeof *A);
    double *D = malloc((size_t)M * fo->n * sizeof *D), *pinv = malloc((size_t)fo->n * M * sizeof *pinv);
    double *pw = malloc((size_t)2 * ps * fo->n * sizeof *pw), *work = malloc(sw * sizeof *work);
    double *Yp = malloc((size_t)M * order * d * sizeof *Yp);
    int status = theta && A && D && pinv && pw && work && Yp ? 0 : -1;
    for (int m = 0; m < M && status == 0; m++) {
        double *th = theta + (size_t)m * Pp, b[RK_TREES_MAX_ORDER + 2];
        probe_theta(m, ps, th);
        for (int i = 0; i < ps; i++) {
            for (int j = 0; j < i; j++)
                A[i * ps + j] = th[theta_a(i, j)];
            b[i] = th[theta_b(ps, i)];
        }
        forest_phi(fo, ps, A, b, pw, D + (size_t)m * fo->n);
    }
    if (status == 0)
        status = probe_pinv(r, M, D, pinv);
    for (int i = 0; i < s->n && status == 0; i++) {
        for (int m = 0; m < M && status == 0; m++)
            status = probe_coeffs(f, ps, theta + (size_t)m * Pp, s->p + i * f->nparam,
                                  s->y0 + i * d, order, work, Yp + (size_t)m * order * d);
        if (status == 0)
            identify(r, i, M, pinv, Yp);
    }
    free(theta); free(A); free(D); free(pinv); free(pw); free(work); free(Yp);
    if (status == 0 && compress(r) != 0) {
        taylor_reg_free(r);
        rk_error_set(err, "out of memory (trees up to order %d)", order);
        return -1;
    }
    free(r->E);
    free(r->norm);
    r->E = r->norm = NULL;
    if (status != 0) {
        rk_error_set(err, "the vector field has no Taylor series at a training member "
                     "(a singularity at the initial value?)");
        taylor_reg_free(r);
    }
    return status;
}

void taylor_reg_free(taylor_reg *r)
{
    free(r->E);
    free(r->norm);
    free(r->C);
    free(r->row_first);
    free(r->C_first);
    tree_weights_free(&r->tw);
    forest_free(&r->forest);
    memset(r, 0, sizeof *r);
}

int taylor_reg_nres(const taylor_reg *r)
{
    return r->row_first[r->order + 1];
}

int taylor_reg_first_row(const taylor_reg *r, int q)
{
    return r->row_first[q];
}

void taylor_reg_eval(taylor_reg *r, const double *theta, double *res, double *J)
{
    const rk_forest *fo = &r->forest;
    int P = r->P;
    tree_weights_eval(&r->forest, r->stages, theta, J != NULL, &r->tw);
    for (int q = 1; q <= r->order; q++) {
        int a = fo->first[q], T = forest_count(fo, q);
        const double *C = r->C + r->C_first[q];
        for (int j = 0; j < r->row_first[q + 1] - r->row_first[q]; j++) {
            const double *c = C + (size_t)j * T;
            size_t row = (size_t)r->row_first[q] + (size_t)j;
            double acc = 0;
            for (int t = 0; t < T; t++)
                acc += c[t] * (r->tw.phi[a + t] - 1 / fo->tree[a + t].gamma);
            res[row] = acc;
            for (int p = 0; J && p < P; p++) {
                double g = 0;
                for (int t = 0; t < T; t++)
                    g += c[t] * r->tw.dphi[(size_t)(a + t) * P + p];
                J[row * P + p] = g;
            }
        }
    }
}
