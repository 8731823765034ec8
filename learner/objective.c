/* objective.c - training residuals and their exact Jacobian: every
 * member integrated with its tangents, in cache-sized blocks of members
 * shared among a few threads, each with a workspace of its own. */
#include "objective.h"

#include "parallel.h"
#include "tableau.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

int theta_a(int i, int j) { return i * (i - 1) / 2 + j; }
int theta_b(int s, int j) { return s * (s - 1) / 2 + j; }

/* One thread's storage for a block of up to o->cap members, in batch
 * layout with stride o->cap. */
typedef struct obj_work {
    batch_eval be;
    double *t, *dt, *y, *dy, *ys, *dys, *K, *dK, *p, *h, *t0, *acc;
} obj_work;

static unsigned long steps_of(const objective *o, int i)
{
    return o->kind == OBJ_GLOBAL ? o->s->nsteps[i] : (unsigned long)o->unroll;
}

static void merge(const objective *o, int lo, int mid, int hi, int *out)
{
    int a = lo, b = mid, k = lo;
    while (a < mid && b < hi)
        out[k++] = steps_of(o, o->order[b]) > steps_of(o, o->order[a]) ? o->order[b++] : o->order[a++];
    while (a < mid)
        out[k++] = o->order[a++];
    while (b < hi)
        out[k++] = o->order[b++];
}

/* Members by number of steps, most first, ties in their order (a stable
 * merge sort), so that the members still stepping are a prefix of every
 * block, and a block's members take about the same steps. */
static int sort_by_steps(objective *o)
{
    int n = o->s->n;
    int *tmp = malloc((size_t)n * sizeof *tmp + 1);
    if (!tmp)
        return -1;
    for (int i = 0; i < n; i++)
        o->order[i] = i;
    for (int w = 1; w < n; w *= 2) {
        for (int lo = 0; lo < n; lo += 2 * w) {
            int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            merge(o, lo, mid, hi, tmp);
        }
        memcpy(o->order, tmp, (size_t)n * sizeof *tmp);
    }
    free(tmp);
    return 0;
}

/* Members still stepping at step k: a prefix of the block, since they
 * are sorted. */
static int active(const objective *o, int first, int m, unsigned long k)
{
    while (m > 0 && steps_of(o, o->order[first + m - 1]) <= k)
        m--;
    return m;
}

/* out[k] = base[k] + h[k] * (sum_j v[j] * Y_j[k] + sum_j w[j] * X_j[k]),
 * v and Y over nw terms too (v NULL: none): the one kernel of a stage
 * sum, over the first m members, vectorisable.  Zero weights are passed
 * over, so a unit v adds its one term exactly. */
static void weighted_sum(int m, const double *h, const double *base, const double *w, int nw,
                         const double *const *X, const double *v, const double *const *Y, double *acc,
                         double *out)
{
    for (int k = 0; k < m; k++)
        acc[k] = 0;
    for (int j = 0; v && j < nw; j++) {
        double a = v[j];
        if (a == 0)
            continue;
        const double *y = Y[j];
        for (int k = 0; k < m; k++)
            acc[k] += a * y[k];
    }
    for (int j = 0; j < nw; j++) {
        double a = w[j];
        if (a == 0)
            continue;
        const double *x = X[j];
        for (int k = 0; k < m; k++)
            acc[k] += a * x[k];
    }
    for (int k = 0; k < m; k++)
        out[k] = base[k] + h[k] * acc[k];
}

typedef struct step_ctx {
    const objective *o;
    obj_work *w;
    const double *th;
    int m, tangents; /* members still stepping; tangents wanted */
    size_t n;        /* the workspace's stride */
} step_ctx;

static const double *K_at(const step_ctx *c, int j, int q)
{
    return c->w->K + ((size_t)j * (size_t)c->o->f->dim + (size_t)q) * c->n;
}

static const double *dK_at(const step_ctx *c, int j, int q, int r)
{
    size_t T = (size_t)c->o->T;
    return c->w->dK + (((size_t)j * (size_t)c->o->f->dim + (size_t)q) * T + (size_t)r) * c->n;
}

/* The seed of tangent r along coefficient p: its direction (D, P x T)
 * or, without D, the unit vector of coefficient r. */
static double seed(const objective *o, int p, int r)
{
    return o->D ? o->D[(size_t)p * (size_t)o->T + (size_t)r] : p == r;
}

/* sum_j w_j K_j (and tangents: sum_j w_j dK_j plus sum_j dw_j K_j, dw_j
 * the seed of the coefficient w_j, index first + j) into out/dout. */
static void combine(const step_ctx *c, const double *w, int nw, int first, const double *base,
                    const double *dbase, double *out, double *dout)
{
    const objective *o = c->o;
    size_t n = c->n, T = (size_t)o->T;
    const double *X[RK_MAX_STAGES], *Y[RK_MAX_STAGES];
    double v[RK_MAX_STAGES];
    const double *h = c->w->h;
    for (int q = 0; q < o->f->dim; q++) {
        for (int j = 0; j < nw; j++)
            Y[j] = K_at(c, j, q);
        weighted_sum(c->m, h, base + (size_t)q * n, w, nw, Y, NULL, NULL, c->w->acc, out + (size_t)q * n);
        for (size_t r = 0; c->tangents && r < T; r++) {
            for (int j = 0; j < nw; j++) {
                X[j] = dK_at(c, j, q, (int)r);
                v[j] = seed(o, first + j, (int)r);
            }
            weighted_sum(c->m, h, dbase + ((size_t)q * T + r) * n, w, nw, X, v, Y, c->w->acc,
                         dout + ((size_t)q * T + r) * n);
        }
    }
}

/* t = t0 + c_i h at stage i, c_i the sum of row i of A, and its tangents. */
static void stage_time(const step_ctx *c, int i, double ci)
{
    const objective *o = c->o;
    obj_work *w = c->w;
    for (int k = 0; k < c->m; k++)
        w->t[k] = w->t0[k] + ci * w->h[k];
    for (size_t r = 0; c->tangents && r < (size_t)o->T; r++) {
        double dc = 0;
        for (int j = 0; j < i; j++)
            dc += seed(o, theta_a(i, j), (int)r);
        for (int k = 0; k < c->m; k++)
            w->dt[r * c->n + (size_t)k] = dc != 0 ? dc * w->h[k] : 0;
    }
}

static void step(const step_ctx *c)
{
    const objective *o = c->o;
    obj_work *wk = c->w;
    size_t n = c->n, T = (size_t)o->T, d = (size_t)o->f->dim;
    int S = o->stages, tg = c->tangents;
    double w[RK_MAX_STAGES];
    for (int i = 0; i < S; i++) {
        double ci = 0;
        for (int j = 0; j < i; j++)
            ci += w[j] = c->th[theta_a(i, j)];
        stage_time(c, i, ci);
        combine(c, w, i, theta_a(i, 0), wk->y, wk->dy, wk->ys, wk->dys);
        batch_rhs(&wk->be, c->m, wk->t, tg ? wk->dt : NULL, wk->ys, tg ? wk->dys : NULL, wk->p,
                  wk->K + (size_t)i * d * n, tg ? wk->dK + (size_t)i * d * T * n : NULL);
    }
    for (int j = 0; j < S; j++)
        w[j] = c->th[theta_b(S, j)];
    /* in place: y and dy are read before each element is written */
    combine(c, w, S, theta_b(S, 0), wk->y, wk->dy, wk->y, wk->dy);
}

/* The block's members (order[first ..], m of them) into the workspace. */
static void gather(const objective *o, obj_work *w, int first, int m, int tangents)
{
    const sample_set *s = o->s;
    size_t n = (size_t)o->cap;
    int d = o->f->dim, np = o->f->nparam;
    for (int k = 0; k < m; k++) {
        int i = o->order[first + k];
        w->h[k] = s->h[i];
        for (int q = 0; q < d; q++)
            w->y[(size_t)q * n + (size_t)k] = s->y0[(size_t)i * (size_t)d + (size_t)q];
        for (int q = 0; q < np; q++)
            w->p[(size_t)q * n + (size_t)k] = s->p[(size_t)i * (size_t)np + (size_t)q];
    }
    if (tangents)
        memset(w->dy, 0, (size_t)d * (size_t)o->T * n * sizeof *w->dy);
}

/* The block's residuals and Jacobian rows from its end states; returns
 * the number that blew up. */
static int scatter(const objective *o, const obj_work *w, int first, int m, double *r, double *J)
{
    const sample_set *s = o->s;
    size_t n = (size_t)o->cap, T = (size_t)o->T;
    int d = o->f->dim, bad = 0;
    const double *truth = o->kind == OBJ_GLOBAL ? s->yT : s->y1;
    for (int k = 0; k < m; k++) {
        int i = o->order[first + k];
        for (int q = 0; q < d; q++) {
            size_t row = (size_t)i * (size_t)d + (size_t)q;
            r[row] = (w->y[(size_t)q * n + (size_t)k] - truth[row]) * o->scale[i];
            int blown = !isfinite(r[row]) || fabs(r[row]) > OBJECTIVE_SATURATE;
            bad += blown;
            /* a member the method blows up on costs a fixed large amount and
             * pulls on nothing: the loss stays finite, so a stabilising term
             * (or a neighbouring start) can still make progress */
            if (blown)
                r[row] = OBJECTIVE_SATURATE;
            for (size_t j = 0; J && j < T; j++)
                J[row * T + j] = blown ? 0 : w->dy[((size_t)q * T + j) * n + (size_t)k] * o->scale[i];
        }
    }
    return bad;
}

static int block_eval(const objective *o, obj_work *w, int b, const double *theta, double *r, double *J)
{
    int first = o->start[b], m = o->start[b + 1] - first;
    gather(o, w, first, m, J != NULL);
    step_ctx c = {o, w, theta, m, J != NULL, (size_t)o->cap};
    unsigned long total = steps_of(o, o->order[first]);
    for (unsigned long st = 0; st < total; st++) {
        c.m = active(o, first, m, st);
        for (int k = 0; k < c.m; k++)
            w->t0[k] = (double)st * w->h[k];
        step(&c);
    }
    return scatter(o, w, first, m, r, J);
}

/* ---- blocks and workspaces ---- */

/* Blocks whose working set (the stages of a block of members and the
 * tape's rows in flight, with their tangents) is at most this many
 * bytes.  Measured on Lorenz-96 with d = 1000, 2 tangents: blocks of 64
 * members (9 MB) ran at 24 ns per member, component and step, blocks of
 * 110 (16 MB) at 38, falling out of the cache; and blocks under 32
 * members pay for the interpreter's loops (cap 8: 63 ns), so the budget
 * is the largest that stays fast, not the 1 MB of L2. */
#define BLOCK_BYTES (8.0 * 1024 * 1024)
/* ... but at least this many members (d = 10^5: 58 MB a thread) */
#define MIN_BLOCK 4

/* Parts of fewer members than this are not worth a thread (starting
 * one costs about what 10 members of a short family do). */
#define MIN_PART 64

/* Blocks split for the threads' balance hold at least this many members:
 * on Lorenz-96 d = 10, one thread, blocks of 32 members cost 30 ns per
 * member, component and step, of 64 24 ns, of 200 20 ns. */
#define SPLIT_MIN 48

static int auto_cap(const objective *o)
{
    batch_eval probe; /* for the rows the tape keeps in flight */
    double rows = o->f->rhs.n;
    if (batch_init(&probe, &o->f->rhs, o->f->dim, 1, 0) == 0) {
        rows = probe.nrow;
        batch_free(&probe);
    }
    /* per member: y, its stage input, the stages and the tape's rows,
     * each value with its tangents */
    double lane = 8.0 * (1 + o->T) * ((o->stages + 3.0) * o->f->dim + rows);
    double cap = BLOCK_BYTES / lane;
    return cap < MIN_BLOCK ? MIN_BLOCK : cap > o->s->n ? o->s->n : (int)cap;
}

/* Consecutive sorted members in blocks of at most cap members and, on
 * several threads, about a quarter of a thread's share of the steps:
 * the members a decade below the range take ten times the steps, and
 * the threads taking the next block free must end together. */
static int plan_blocks(objective *o, int cap)
{
    int n = o->s->n, first = 0;
    unsigned long long total = 0, run = 0;
    for (int i = 0; i < n; i++)
        total += steps_of(o, i);
    unsigned long long share = o->nwork > 1 ? total / (4ull * (unsigned)o->nwork) + 1 : total + 1;
    o->start = malloc(((size_t)n + 2) * sizeof *o->start);
    if (!o->start)
        return -1;
    o->nblocks = 0;
    o->cap = 1;
    for (int k = 0; k < n; k++) {
        run += steps_of(o, o->order[k]);
        int size = k + 1 - first;
        if (size < cap && (run < share || size < SPLIT_MIN) && k + 1 < n)
            continue;
        o->start[o->nblocks++] = first;
        o->cap = k + 1 - first > o->cap ? k + 1 - first : o->cap;
        first = k + 1;
        run = 0;
    }
    o->start[o->nblocks] = n;
    return 0;
}

static double *doubles(size_t count)
{
    return malloc((count + 1) * sizeof(double));
}

static void work_free(obj_work *w)
{
    free(w->t); free(w->dt); free(w->y); free(w->dy); free(w->ys); free(w->dys);
    free(w->K); free(w->dK); free(w->p); free(w->h); free(w->t0); free(w->acc);
    batch_free(&w->be);
    memset(w, 0, sizeof *w);
}

static int work_init(obj_work *w, const objective *o)
{
    size_t n = (size_t)o->cap, d = (size_t)o->f->dim, S = (size_t)o->stages, T = (size_t)o->T;
    memset(w, 0, sizeof *w);
    w->t = doubles(n); w->h = doubles(n); w->t0 = doubles(n); w->acc = doubles(n);
    w->dt = doubles(T * n);
    w->y = doubles(d * n); w->ys = doubles(d * n);
    w->dy = doubles(d * T * n); w->dys = doubles(d * T * n);
    w->K = doubles(S * d * n); w->dK = doubles(S * d * T * n);
    w->p = doubles((size_t)o->f->nparam * n);
    if (!w->t || !w->h || !w->t0 || !w->acc || !w->dt || !w->y || !w->ys || !w->dy || !w->dys ||
        !w->K || !w->dK || !w->p || batch_init(&w->be, &o->f->rhs, o->f->dim, o->cap, o->T) != 0) {
        work_free(w);
        return -1;
    }
    return 0;
}

static void blocks_free(objective *o)
{
    for (int w = 0; o->work && w < o->nwork; w++)
        work_free(&o->work[w]);
    free(o->work);
    free(o->start);
    free(o->bad);
    o->work = NULL;
    o->start = NULL;
    o->bad = NULL;
    o->nblocks = o->nwork = 0;
}

int objective_reblock(objective *o, int cap)
{
    blocks_free(o);
    int n = o->s->n, k = rk_threads();
    if (k > n / MIN_PART)
        k = n / MIN_PART;
    o->nwork = k < 1 ? 1 : k;
    if (plan_blocks(o, cap > 0 ? cap : auto_cap(o)) != 0)
        goto fail;
    if (o->nwork > o->nblocks)
        o->nwork = o->nblocks < 1 ? 1 : o->nblocks;
    o->bad = calloc((size_t)o->nblocks + 1, sizeof *o->bad);
    o->work = calloc((size_t)o->nwork, sizeof *o->work);
    if (!o->bad || !o->work)
        goto fail;
    for (int w = 0; w < o->nwork; w++)
        if (work_init(&o->work[w], o) != 0)
            goto fail;
    return 0;
fail:
    objective_free(o);
    return -1;
}

int objective_init(objective *o, const rk_family *f, const sample_set *s,
                   objective_kind kind, int unroll, int stages, const double *ref_err)
{
    return objective_init_dir(o, f, s, kind, unroll, stages, ref_err, stages * (stages - 1) / 2 + stages);
}

int objective_init_dir(objective *o, const rk_family *f, const sample_set *s, objective_kind kind,
                       int unroll, int stages, const double *ref_err, int T)
{
    memset(o, 0, sizeof *o);
    o->f = f;
    o->s = s;
    o->kind = kind;
    o->unroll = unroll > 0 ? unroll : 1;
    o->stages = stages;
    o->P = stages * (stages - 1) / 2 + stages;
    o->T = T;
    o->scale = malloc(((size_t)s->n + 1) * sizeof *o->scale);
    o->order = malloc(((size_t)s->n + 1) * sizeof *o->order);
    if (!o->scale || !o->order || sort_by_steps(o) != 0) {
        objective_free(o);
        return -1;
    }
    for (int i = 0; i < s->n; i++)
        o->scale[i] = 1 / ref_err[i];
    return objective_reblock(o, 0);
}

void objective_free(objective *o)
{
    blocks_free(o);
    free(o->scale);
    free(o->order);
    memset(o, 0, sizeof *o);
}

int objective_nres(const objective *o)
{
    return o->s->n * o->f->dim;
}

typedef struct eval_job {
    objective *o;
    const double *theta;
    double *r, *J;
} eval_job;

static void eval_block(void *ctx, int b, int worker)
{
    eval_job *j = ctx;
    objective *o = j->o;
    o->bad[b] = block_eval(o, &o->work[worker], b, j->theta, j->r, j->J);
}

int objective_eval(objective *o, const double *theta, double *r, double *J)
{
    return objective_eval_dir(o, theta, NULL, r, J);
}

int objective_eval_dir(objective *o, const double *theta, const double *D, double *r, double *J)
{
    o->D = D;
    eval_job j = {o, theta, r, J};
    /* each member's residual depends on that member alone, so neither the
     * blocks nor the worker a block lands on change a bit of the result */
    rk_parallel_pool(o->nblocks, o->nwork, eval_block, &j);
    int bad = 0;
    for (int b = 0; b < o->nblocks; b++)
        bad += o->bad[b];
    return bad;
}
