/* spectrum.c - the spectral radius of a family's Jacobian at a point:
 * eigenvalues for small systems, RKC's nonlinear power method for any,
 * Gershgorin's bound where the Jacobian is sparse (spectrum.h). */
#include "spectrum.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "series.h"

/* ---- eigenvalues of a small real matrix ---- */

/* Characteristic polynomial by Faddeev-LeVerrier: p(x) = sum c[k] x^k,
 * c[n] = 1.  Exact in principle, and well enough conditioned for the
 * dimensions allowed here. */
static void charpoly(int n, const double *A, double *c)
{
    double M[SPEC_EIG_MAX_DIM * SPEC_EIG_MAX_DIM] = {0}, AM[SPEC_EIG_MAX_DIM * SPEC_EIG_MAX_DIM];
    c[n] = 1;
    for (int k = 1; k <= n; k++) {
        for (int i = 0; i < n; i++)
            M[i * n + i] += c[n - k + 1];
        double tr = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int l = 0; l < n; l++)
                    s += A[i * n + l] * M[l * n + j];
                AM[i * n + j] = s;
            }
        for (int i = 0; i < n; i++)
            tr += AM[i * n + i];
        c[n - k] = -tr / k;
        memcpy(M, AM, sizeof(double) * (size_t)(n * n));
    }
}

/* Roots of the monic polynomial by Durand-Kerner. */
static void roots(int n, const double *c, double complex *z)
{
    for (int i = 0; i < n; i++)
        z[i] = cpow(0.4 + 0.9 * I, i);
    for (int it = 0; it < 500; it++) {
        double moved = 0;
        for (int i = 0; i < n; i++) {
            double complex p = 1, q = 1;
            for (int k = n - 1; k >= 0; k--)
                p = p * z[i] + c[k];
            for (int j = 0; j < n; j++)
                if (j != i)
                    q *= z[i] - z[j];
            double complex step = q != 0 ? p / q : 0;
            z[i] -= step;
            moved = fmax(moved, cabs(step) / fmax(1, cabs(z[i])));
        }
        if (moved < 1e-14)
            break;
    }
}

void spec_eigenvalues(int n, const double *A, double complex *z)
{
    double c[SPEC_EIG_MAX_DIM + 1];
    charpoly(n, A, c);
    roots(n, c, z);
}

size_t spec_jacobian_work(const rk_family *f)
{
    return ex_series_work(&f->rhs, 1) + 4 * (size_t)f->dim;
}

/* Column k from the degree-1 series of f(y + h e_k). */
int spec_jacobian(const rk_family *f, const double *p, double t, const double *y,
                  double *work, double *J)
{
    int d = f->dim;
    double *ys = work, *out = ys + 2 * d, *sw = out + 2 * d, ts[2] = {t, 0};
    for (int k = 0; k < d; k++) {
        for (int i = 0; i < d; i++) {
            ys[2 * i] = y[i];
            ys[2 * i + 1] = i == k;
        }
        ex_senv env = {ts, ys, p, NULL};
        if (ex_series(&f->rhs, 1, &env, sw, out) >= 0)
            return -1;
        for (int i = 0; i < d; i++)
            J[i * d + k] = out[2 * i + 1];
    }
    return 0;
}

double spec_rho_exact(const rk_family *f, const double *p, double t, const double *y,
                      double *work)
{
    return spec_rho_exact_re(f, p, t, y, work, NULL);
}

double spec_rho_exact_re(const rk_family *f, const double *p, double t, const double *y,
                         double *work, double *re_min)
{
    int d = f->dim;
    double J[SPEC_EIG_MAX_DIM * SPEC_EIG_MAX_DIM];
    double complex z[SPEC_EIG_MAX_DIM];
    if (d > SPEC_EIG_MAX_DIM || spec_jacobian(f, p, t, y, work, J) != 0)
        return -1;
    spec_eigenvalues(d, J, z);
    double rho = 0, re = INFINITY;
    for (int i = 0; i < d; i++) {
        rho = fmax(rho, cabs(z[i]));
        re = fmin(re, creal(z[i]));
    }
    if (re_min)
        *re_min = re;
    return rho;
}

/* ---- the power method ---- */

int spec_power_init(spec_power *pw, const rk_family *f)
{
    size_t d = (size_t)f->dim;
    memset(pw, 0, sizeof *pw);
    pw->f = f;
    pw->v = malloc((4 * d + (size_t)f->rhs.n + 1) * sizeof *pw->v);
    if (!pw->v)
        return -1;
    pw->fy = pw->v + d;
    pw->fv = pw->fy + d;
    pw->dir = pw->fv + d;
    pw->tape = pw->dir + d;
    return 0;
}

void spec_power_free(spec_power *pw)
{
    free(pw->v);
    memset(pw, 0, sizeof *pw);
}

static double norm2(const double *x, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += x[i] * x[i];
    return sqrt(s);
}

static double norm_max(const double *x, int n)
{
    double m = 0;
    for (int i = 0; i < n; i++)
        m = fabs(x[i]) > m ? fabs(x[i]) : m;
    return m;
}

void spec_scatter(double *v, int d)
{
    unsigned long x = 2463534242UL;
    for (int i = 0; i < d; i++) {
        x = (x ^ (x << 13)) & 0xffffffffUL;
        x ^= x >> 17;
        x = (x ^ (x << 5)) & 0xffffffffUL;
        v[i] = (double)(long)(x >> 8) * 0x1p-24 - 0.5;
    }
}

/* rkcrho: v - y is kept at length |y| sqrt(eps) (or eps at y = 0), so
 * f(v) - f(y) is J (v - y) to first order; its growth is rho's estimate
 * once the direction has turned to the dominant eigenvector.  The
 * direction of the last call starts the next, which along a trajectory
 * is nearly converged already. */
double spec_power_rho(spec_power *pw, const double *p, double t, const double *y)
{
    const rk_family *f = pw->f;
    int d = f->dim;
    const double sqrtu = sqrt(DBL_EPSILON);
    family_rhs_ctx ctx = {f, p, pw->tape};
    double *v = pw->v, *fy = pw->fy, *fv = pw->fv;
    family_rhs(&ctx, t, y, fy);
    if (!pw->have_dir) {
        /* rkcrho starts from f(y); but a smooth member's f(y) is a smooth
         * mode (heat's start is an eigenvector: the first iterate would be
         * the smallest eigenvalue), so the first start is random, with a
         * fixed seed so that a report is the same every time */
        rk_rng rng;
        rng_seed(&rng, 0x5bd1e995U);
        for (int i = 0; i < d; i++)
            pw->dir[i] = rng_uniform(&rng) - 0.5;
    }
    const double *start = pw->dir;
    double (*norm)(const double *, int) = pw->maxnorm ? norm_max : norm2;
    double ynrm = norm(y, d), vnrm = norm(start, d), dynrm;
    if (ynrm != 0 && vnrm != 0) {
        dynrm = ynrm * sqrtu;
        for (int i = 0; i < d; i++)
            v[i] = y[i] + start[i] * (dynrm / vnrm);
    } else if (ynrm != 0) {
        dynrm = ynrm * sqrtu;
        for (int i = 0; i < d; i++)
            v[i] = y[i] + y[i] * sqrtu;
    } else if (vnrm != 0) {
        dynrm = DBL_EPSILON;
        for (int i = 0; i < d; i++)
            v[i] = start[i] * (dynrm / vnrm);
    } else {
        dynrm = DBL_EPSILON;
        for (int i = 0; i < d; i++)
            v[i] = dynrm;
    }
    double sigma = 0;
    pw->converged = 0;
    for (pw->iters = 1; pw->iters <= SPEC_POWER_MAX_ITER; pw->iters++) {
        family_rhs(&ctx, t, v, fv);
        for (int i = 0; i < d; i++)
            fv[i] -= fy[i];
        double dfnrm = norm(fv, d), last = sigma;
        sigma = dfnrm / dynrm;
        if (pw->iters >= 2 && fabs(sigma - last) <= fmax(sigma, DBL_MIN) * SPEC_POWER_TOL) {
            pw->converged = 1;
            break;
        }
        if (dfnrm != 0) {
            for (int i = 0; i < d; i++)
                v[i] = y[i] + fv[i] * (dynrm / dfnrm);
        } else {
            /* no response in this direction: turn it (rkcrho's way) */
            int k = pw->iters % d;
            v[k] = y[k] - (v[k] - y[k]);
        }
    }
    if (pw->iters > SPEC_POWER_MAX_ITER)
        pw->iters = SPEC_POWER_MAX_ITER;
    for (int i = 0; i < d; i++)
        pw->dir[i] = v[i] - y[i];
    pw->have_dir = isfinite(sigma);
    return SPEC_SAFETY * sigma;
}

/* ---- Gershgorin ---- */

/* The states each tape slot depends on, as sorted runs in one pool; a
 * unary node shares its argument's run.  len < 0: more than SPEC_ROW_MAX. */
typedef struct deps {
    int *off, *len, *pool;
    size_t npool, cap;
} deps;

static int deps_push(deps *ds, int v)
{
    if (ds->npool == ds->cap) {
        size_t cap = ds->cap ? 2 * ds->cap : 1024;
        int *p = realloc(ds->pool, cap * sizeof *p);
        if (!p)
            return -1;
        ds->pool = p;
        ds->cap = cap;
    }
    ds->pool[ds->npool++] = v;
    return 0;
}

/* Sorted union of slots a and b as slot k's run. */
static int deps_union(deps *ds, int k, int a, int b)
{
    if (ds->len[a] < 0 || ds->len[b] < 0) {
        ds->len[k] = -1;
        return 0;
    }
    if (ds->len[a] == 0 || ds->len[b] == 0 || (ds->off[a] == ds->off[b] && ds->len[a] == ds->len[b])) {
        int s = ds->len[a] ? a : b;
        ds->off[k] = ds->off[s];
        ds->len[k] = ds->len[s];
        return 0;
    }
    size_t start = ds->npool;
    int i = 0, j = 0, na = ds->len[a], nb = ds->len[b];
    while (i < na || j < nb) {
        /* the pool may move while it grows: index it afresh each time */
        int x = i < na ? ds->pool[ds->off[a] + i] : 0, y = j < nb ? ds->pool[ds->off[b] + j] : 0;
        int take = j >= nb || (i < na && x <= y) ? x : y;
        if (i < na && x == take)
            i++;
        if (j < nb && y == take)
            j++;
        if ((int)(ds->npool - start) >= SPEC_ROW_MAX) {
            ds->npool = start;
            ds->len[k] = -1;
            return 0;
        }
        if (deps_push(ds, take) != 0)
            return -1;
    }
    ds->off[k] = (int)start;
    ds->len[k] = (int)(ds->npool - start);
    return 0;
}

static int deps_build(deps *ds, const ex_tape *tp)
{
    memset(ds, 0, sizeof *ds);
    ds->off = calloc((size_t)tp->n + 1, sizeof *ds->off);
    ds->len = calloc((size_t)tp->n + 1, sizeof *ds->len);
    if (!ds->off || !ds->len)
        return -1;
    for (int k = 0; k < tp->n; k++) {
        const ex_node *c = &tp->code[k];
        if (c->op == EX_STATE) {
            ds->off[k] = (int)ds->npool;
            ds->len[k] = 1;
            if (deps_push(ds, c->index) != 0)
                return -1;
        } else if (c->a >= 0 && c->b >= 0) {
            if (deps_union(ds, k, c->a, c->b) != 0)
                return -1;
        } else if (c->a >= 0) {
            ds->off[k] = ds->off[c->a];
            ds->len[k] = ds->len[c->a];
        }
    }
    return 0;
}

static void deps_free(deps *ds)
{
    free(ds->off);
    free(ds->len);
    free(ds->pool);
}

/* Greedy grouping of the columns: a column takes the first group that
 * no column sharing a row with it has taken. */
static int group_columns(spec_gersh *g, const deps *ds, const ex_tape *tp, rk_error *err)
{
    int d = g->f->dim;
    int *cstart = calloc((size_t)d + 1, sizeof *cstart), *crow = NULL, *fill = NULL;
    int stamp[SPEC_GROUPS_MAX];
    size_t nnz = 0;
    for (int i = 0; i < d; i++)
        nnz += (size_t)ds->len[tp->out[i]];
    crow = malloc((nnz + 1) * sizeof *crow);
    fill = calloc((size_t)d + 1, sizeof *fill);
    if (!cstart || !crow || !fill) {
        free(cstart); free(crow); free(fill);
        return -1;
    }
    for (int i = 0; i < d; i++)
        for (int k = 0; k < ds->len[tp->out[i]]; k++)
            cstart[ds->pool[ds->off[tp->out[i]] + k] + 1]++;
    for (int j = 0; j < d; j++)
        cstart[j + 1] += cstart[j];
    for (int i = 0; i < d; i++)
        for (int k = 0; k < ds->len[tp->out[i]]; k++) {
            int j = ds->pool[ds->off[tp->out[i]] + k];
            crow[cstart[j] + fill[j]++] = i;
        }
    for (int c = 0; c < SPEC_GROUPS_MAX; c++)
        stamp[c] = -1;
    int r = 0;
    g->ngroup = 0;
    for (int j = 0; j < d && r == 0; j++) {
        for (int q = cstart[j]; q < cstart[j + 1]; q++) {
            int i = crow[q], o = tp->out[i];
            for (int k = 0; k < ds->len[o]; k++) {
                int other = ds->pool[ds->off[o] + k];
                if (other < j)
                    stamp[g->group[other]] = j;
            }
        }
        int c = 0;
        while (c < SPEC_GROUPS_MAX && stamp[c] == j)
            c++;
        if (c == SPEC_GROUPS_MAX) {
            rk_error_set(err, "the Jacobian's columns need more than %d groups: "
                         "Gershgorin's bound is not cheap here", SPEC_GROUPS_MAX);
            r = 1;
        } else {
            g->group[j] = c;
            if (c + 1 > g->ngroup)
                g->ngroup = c + 1;
        }
    }
    free(cstart);
    free(crow);
    free(fill);
    return r;
}

int spec_gersh_init(spec_gersh *g, const rk_family *f, rk_error *err)
{
    int d = f->dim;
    const ex_tape *tp = &f->rhs;
    deps ds;
    memset(g, 0, sizeof *g);
    g->f = f;
    int r = deps_build(&ds, tp) == 0 ? 0 : -1;
    for (int i = 0; r == 0 && i < d; i++)
        if (ds.len[tp->out[i]] < 0) {
            rk_error_set(err, "component %d reads more than %d states: Gershgorin's bound is "
                         "not cheap here", i + 1, SPEC_ROW_MAX);
            r = 1;
        }
    if (r == 0) {
        g->group = malloc((size_t)d * sizeof *g->group);
        g->self = calloc((size_t)d + 1, 1);
        for (int i = 0; g->self && i < d; i++)
            for (int k = 0; k < ds.len[tp->out[i]]; k++)
                g->self[i] |= ds.pool[ds.off[tp->out[i]] + k] == i;
        size_t nw = ex_series_work(tp, 1) + 6 * (size_t)d + 1;
        g->work = malloc(nw * sizeof *g->work);
        r = g->group && g->self && g->work ? group_columns(g, &ds, tp, err) : -1;
    }
    deps_free(&ds);
    if (r != 0) {
        spec_gersh_free(g);
        if (r < 0)
            rk_error_set(err, "out of memory");
        return r;
    }
    g->ys = g->work + ex_series_work(tp, 1);
    g->out = g->ys + 2 * (size_t)d;
    g->rowsum = g->out + 2 * (size_t)d;
    g->diag = g->rowsum + d;
    return 0;
}

void spec_gersh_free(spec_gersh *g)
{
    free(g->group);
    free(g->self);
    free(g->work);
    memset(g, 0, sizeof *g);
}

double spec_gersh_bound(spec_gersh *g, const double *p, double t, const double *y,
                        double *left)
{
    const rk_family *f = g->f;
    int d = f->dim;
    double ts[2] = {t, 0};
    for (int i = 0; i < d; i++)
        g->rowsum[i] = g->diag[i] = 0;
    /* a group holds at most one column of each row, so the series in the
     * direction of the group's columns gives J_ij for that column */
    for (int c = 0; c < g->ngroup; c++) {
        for (int i = 0; i < d; i++) {
            g->ys[2 * i] = y[i];
            g->ys[2 * i + 1] = g->group[i] == c;
        }
        ex_senv env = {ts, g->ys, p, NULL};
        if (ex_series(&f->rhs, 1, &env, g->work, g->out) >= 0)
            return -1;
        for (int i = 0; i < d; i++) {
            double v = g->out[2 * i + 1];
            g->rowsum[i] += fabs(v);
            if (g->group[i] == c && g->self[i])
                g->diag[i] = v;
        }
    }
    double bound = 0, lo = INFINITY;
    for (int i = 0; i < d; i++) {
        bound = fmax(bound, g->rowsum[i]);
        lo = fmin(lo, g->diag[i] - (g->rowsum[i] - fabs(g->diag[i])));
    }
    if (left)
        *left = lo;
    return bound;
}
