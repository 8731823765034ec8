/* objective.c - training residuals and their exact Jacobian: every
 * member integrated with one tangent per coefficient, in parallel parts. */
#include "objective.h"

#include "parallel.h"
#include "tableau.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

int theta_a(int i, int j) { return i * (i - 1) / 2 + j; }
int theta_b(int s, int j) { return s * (s - 1) / 2 + j; }

static unsigned long steps_of(const objective *o, int i)
{
    return o->kind == OBJ_GLOBAL ? o->s->nsteps[i] : (unsigned long)o->unroll;
}

/* Members by number of steps, most first (stable: ties keep their
 * order), so that the members still stepping are always a prefix. */
static void sort_by_steps(objective *o)
{
    for (int i = 1; i < o->s->n; i++) {
        int x = o->order[i], j = i;
        for (; j > 0 && steps_of(o, o->order[j - 1]) < steps_of(o, x); j--)
            o->order[j] = o->order[j - 1];
        o->order[j] = x;
    }
}

static void part_free(objective *o);

static int part_init(objective *o, const rk_family *f, const sample_set *s,
                     objective_kind kind, int unroll, int stages, const double *ref_err, int T)
{
    size_t n = (size_t)s->n, d = (size_t)f->dim, S = (size_t)stages;
    memset(o, 0, sizeof *o);
    o->f = f;
    o->s = s;
    o->kind = kind;
    o->unroll = unroll > 0 ? unroll : 1;
    o->stages = stages;
    o->P = stages * (stages - 1) / 2 + stages;
    o->T = T;
    size_t P = (size_t)T;
    o->scale = malloc(n * sizeof *o->scale);
    o->order = malloc(n * sizeof *o->order);
    o->t = malloc(n * sizeof *o->t);
    o->dt = malloc(P * n * sizeof *o->dt);
    o->y = malloc(d * n * sizeof *o->y);
    o->ys = malloc(d * n * sizeof *o->ys);
    o->dy = malloc(d * P * n * sizeof *o->dy);
    o->dys = malloc(d * P * n * sizeof *o->dys);
    o->K = malloc(S * d * n * sizeof *o->K);
    o->dK = malloc(S * d * P * n * sizeof *o->dK);
    o->p = malloc(((size_t)f->nparam * n + 1) * sizeof *o->p);
    if (!o->scale || !o->order || !o->t || !o->dt || !o->y || !o->ys || !o->dy || !o->dys ||
        !o->K || !o->dK || !o->p || batch_init(&o->be, &f->rhs, f->dim, s->n, T) != 0) {
        part_free(o);
        return -1;
    }
    for (int i = 0; i < s->n; i++) {
        o->order[i] = i;
        o->scale[i] = 1 / ref_err[i];
    }
    sort_by_steps(o);
    /* parameters in batch layout, in the sorted order */
    for (int q = 0; q < f->nparam; q++)
        for (int k = 0; k < s->n; k++)
            o->p[(size_t)q * n + (size_t)k] = s->p[o->order[k] * f->nparam + q];
    return 0;
}

static void part_free(objective *o)
{
    free(o->scale); free(o->order); free(o->t); free(o->dt); free(o->y); free(o->ys);
    free(o->dy); free(o->dys); free(o->K); free(o->dK); free(o->p);
    batch_free(&o->be);
    memset(o, 0, sizeof *o);
}

int objective_nres(const objective *o)
{
    return o->s->n * o->f->dim;
}

/* Members still stepping at step k: a prefix, since they are sorted. */
static int active(const objective *o, unsigned long k)
{
    int m = o->s->n;
    while (m > 0 && steps_of(o, o->order[m - 1]) <= k)
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
    objective *o;
    const double *th;
    const double *h; /* per member, batch order */
    int m, tangents;
    double *acc;     /* n scratch */
} step_ctx;

static const double *K_at(const objective *o, int j, int q)
{
    return o->K + ((size_t)j * (size_t)o->f->dim + (size_t)q) * (size_t)o->s->n;
}

static const double *dK_at(const objective *o, int j, int q, int r)
{
    size_t P = (size_t)o->T;
    return o->dK + (((size_t)j * (size_t)o->f->dim + (size_t)q) * P + (size_t)r) * (size_t)o->s->n;
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
    objective *o = c->o;
    size_t n = (size_t)o->s->n, T = (size_t)o->T;
    const double *X[RK_MAX_STAGES], *Y[RK_MAX_STAGES];
    double v[RK_MAX_STAGES];
    for (int q = 0; q < o->f->dim; q++) {
        for (int j = 0; j < nw; j++)
            Y[j] = K_at(o, j, q);
        weighted_sum(c->m, c->h, base + (size_t)q * n, w, nw, Y, NULL, NULL, c->acc, out + (size_t)q * n);
        for (size_t r = 0; c->tangents && r < T; r++) {
            for (int j = 0; j < nw; j++) {
                X[j] = dK_at(o, j, q, (int)r);
                v[j] = seed(o, first + j, (int)r);
            }
            weighted_sum(c->m, c->h, dbase + ((size_t)q * T + r) * n, w, nw, X, v, Y, c->acc,
                         dout + ((size_t)q * T + r) * n);
        }
    }
}

static void step(const step_ctx *c, const double *t0)
{
    objective *o = c->o;
    size_t n = (size_t)o->s->n, P = (size_t)o->T;
    int d = o->f->dim, S = o->stages, m = c->m;
    double w[RK_MAX_STAGES];
    for (int i = 0; i < S; i++) {
        double ci = 0;
        for (int j = 0; j < i; j++)
            ci += w[j] = c->th[theta_a(i, j)];
        for (int k = 0; k < m; k++)
            o->t[k] = t0[k] + ci * c->h[k];
        for (size_t r = 0; c->tangents && r < P; r++) {
            /* t = t0 + c_i h with c_i the sum of row i of A */
            double dc = 0;
            for (int j = 0; j < i; j++)
                dc += seed(o, theta_a(i, j), (int)r);
            for (int k = 0; k < m; k++)
                o->dt[r * n + (size_t)k] = dc != 0 ? dc * c->h[k] : 0;
        }
        combine(c, w, i, theta_a(i, 0), o->y, o->dy, o->ys, o->dys);
        batch_rhs(&o->be, m, o->t, c->tangents ? o->dt : NULL, o->ys, c->tangents ? o->dys : NULL, o->p,
                  o->K + (size_t)i * (size_t)d * n, c->tangents ? o->dK + (size_t)i * (size_t)d * P * n : NULL);
    }
    for (int j = 0; j < S; j++)
        w[j] = c->th[theta_b(S, j)];
    /* in place: y and dy are read before each element is written */
    combine(c, w, S, theta_b(S, 0), o->y, o->dy, o->y, o->dy);
}

static int part_eval(objective *o, const double *theta, double *r, double *J)
{
    const sample_set *s = o->s;
    size_t n = (size_t)s->n, P = (size_t)o->T;
    int d = o->f->dim;
    double *h = malloc(2 * n * sizeof *h);
    if (!h)
        return s->n;
    double *t0 = h + n;
    for (int k = 0; k < s->n; k++) {
        int i = o->order[k];
        h[k] = s->h[i];
        for (int q = 0; q < d; q++)
            o->y[(size_t)q * n + (size_t)k] = s->y0[i * d + q];
    }
    if (J)
        memset(o->dy, 0, (size_t)d * P * n * sizeof *o->dy);
    double *acc = malloc(n * sizeof *acc);
    if (!acc) {
        free(h);
        return s->n;
    }
    step_ctx c = {o, theta, h, s->n, J != NULL, acc};
    unsigned long total = steps_of(o, o->order[0]);
    for (unsigned long st = 0; st < total; st++) {
        c.m = active(o, st);
        for (int k = 0; k < c.m; k++)
            t0[k] = (double)st * h[k];
        step(&c, t0);
    }
    int bad = 0;
    for (int k = 0; k < s->n; k++) {
        int i = o->order[k];
        const double *truth = o->kind == OBJ_GLOBAL ? s->yT : s->y1;
        for (int q = 0; q < d; q++) {
            size_t row = (size_t)i * (size_t)d + (size_t)q;
            r[row] = (o->y[(size_t)q * n + (size_t)k] - truth[i * d + q]) * o->scale[i];
            int blown = !isfinite(r[row]) || fabs(r[row]) > OBJECTIVE_SATURATE;
            bad += blown;
            /* a member the method blows up on costs a fixed large amount and
             * pulls on nothing: the loss stays finite, so a stabilising term
             * (or a neighbouring start) can still make progress */
            if (blown)
                r[row] = OBJECTIVE_SATURATE;
            for (size_t j = 0; J && j < P; j++)
                J[row * P + j] = blown ? 0 : o->dy[((size_t)q * P + j) * n + (size_t)k] * o->scale[i];
        }
    }
    free(h);
    free(acc);
    return bad;
}

/* ---- the members split over threads ---- */

/* Parts of fewer members than this are not worth a thread (starting
 * one costs about what 10 members of a short family do). */
#define MIN_PART 64

int objective_init(objective *o, const rk_family *f, const sample_set *s,
                   objective_kind kind, int unroll, int stages, const double *ref_err)
{
    return objective_init_dir(o, f, s, kind, unroll, stages, ref_err, stages * (stages - 1) / 2 + stages);
}

int objective_init_dir(objective *o, const rk_family *f, const sample_set *s, objective_kind kind,
                       int unroll, int stages, const double *ref_err, int T)
{
    int k = rk_threads(), n = s->n;
    if (k > n / MIN_PART)
        k = n / MIN_PART;
    if (k <= 1)
        return part_init(o, f, s, kind, unroll, stages, ref_err, T);
    memset(o, 0, sizeof *o);
    o->f = f;
    o->s = s;
    o->kind = kind;
    o->stages = stages;
    o->P = stages * (stages - 1) / 2 + stages;
    o->T = T;
    o->part = calloc((size_t)k, sizeof *o->part);
    o->view = calloc((size_t)k, sizeof *o->view);
    if (!o->part || !o->view) {
        objective_free(o);
        return -1;
    }
    for (int c = 0; c < k; c++) {
        int first, count;
        if (kind == OBJ_GLOBAL)
            rk_chunk_weighted(s->nsteps, n, k, c, &first, &count);
        else
            rk_chunk(n, k, c, &first, &count);
        o->view[c] = samples_view(s, first, count);
        o->nparts = c + 1;
        if (part_init(&o->part[c], f, &o->view[c], kind, unroll, stages, ref_err + first, T) != 0) {
            objective_free(o);
            return -1;
        }
    }
    return 0;
}

void objective_free(objective *o)
{
    if (!o->part) {
        part_free(o);
        return;
    }
    for (int c = 0; c < o->nparts; c++)
        part_free(&o->part[c]);
    free(o->part);
    free(o->view);
    memset(o, 0, sizeof *o);
}

typedef struct eval_job {
    objective *o;
    const double *theta;
    double *r, *J;
    int bad[64];
} eval_job;

static void eval_part(void *ctx, int c)
{
    eval_job *j = ctx;
    objective *o = j->o;
    /* a part's members begin where its view does */
    size_t first = (size_t)(o->view[c].h - o->s->h);
    size_t row = first * (size_t)o->f->dim;
    o->part[c].D = o->D;
    j->bad[c] = part_eval(&o->part[c], j->theta, j->r + row, j->J ? j->J + row * (size_t)o->T : NULL);
}

int objective_eval(objective *o, const double *theta, double *r, double *J)
{
    return objective_eval_dir(o, theta, NULL, r, J);
}

int objective_eval_dir(objective *o, const double *theta, const double *D, double *r, double *J)
{
    o->D = D;
    if (!o->part)
        return part_eval(o, theta, r, J);
    eval_job j = {o, theta, r, J, {0}};
    /* each member's residual depends on that member alone, so the split
     * changes no bit of the result */
    rk_parallel(o->nparts, eval_part, &j);
    int bad = 0;
    for (int c = 0; c < o->nparts; c++)
        bad += j.bad[c];
    return bad;
}
