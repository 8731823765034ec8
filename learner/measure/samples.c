/* samples.c - drawing members and their truth.  The truths are taken on
 * threads, each with a Taylor reference of its own.  A member whose truth
 * is not finite fails the whole draw (naming it) rather than being
 * dropped: a set always holds exactly the members its seed gives. */
#include "samples.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "reference.h"

static int alloc_set(sample_set *s, const rk_family *f, int n)
{
    size_t N = (size_t)n, d = (size_t)f->dim;
    memset(s, 0, sizeof *s);
    s->n = n;
    s->dim = f->dim;
    s->nparam = f->nparam;
    s->p = calloc(N * (size_t)f->nparam + 1, sizeof *s->p);
    s->y0 = calloc(N * d, sizeof *s->y0);
    s->h = calloc(N, sizeof *s->h);
    s->nsteps = calloc(N, sizeof *s->nsteps);
    s->yT = calloc(N * d, sizeof *s->yT);
    s->y1 = calloc(N * d, sizeof *s->y1);
    return s->p && s->y0 && s->h && s->nsteps && s->yT && s->y1 ? 0 : -1;
}

void samples_free(sample_set *s)
{
    free(s->p);
    free(s->y0);
    free(s->h);
    free(s->nsteps);
    free(s->yT);
    free(s->y1);
    memset(s, 0, sizeof *s);
}

void samples_describe(const rk_family *f, const sample_set *s, int i, char *buf,
                      size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int j = 0; j < f->nparam && k < size; j++)
        k += (size_t)snprintf(buf + k, size - k, "%s = %.17g, ", f->param[j].name,
                              s->p[i * f->nparam + j]);
    for (int j = 0; j < f->dim && k < size; j++)
        k += (size_t)snprintf(buf + k, size - k, "%s(0) = %.17g, ", f->state[j].name,
                              s->y0[i * f->dim + j]);
    if (k < size)
        snprintf(buf + k, size - k, "h = %.17g", s->h[i]);
}

static int finite(const double *y, int d)
{
    for (int i = 0; i < d; i++)
        if (!isfinite(y[i]))
            return 0;
    return 1;
}

/* The truth at t = h and at the horizon, from the closed form or from
 * the Taylor reference. */
static int truth(const rk_family *f, reference *ref, double *work, sample_set *s, int i,
                 rk_error *err)
{
    int d = f->dim;
    const double *p = s->p + i * f->nparam, *y0 = s->y0 + i * d;
    double *y1 = s->y1 + i * d, *yT = s->yT + i * d;
    double t1 = s->h[i] * s->unroll, t_end = s->h[i] * (double)s->nsteps[i];
    for (int k = 0; k < d && s->unroll == 0; k++)
        y1[k] = NAN;
    if (f->has_exact) {
        if (s->unroll > 0)
            family_exact(f, p, y0, t1, work, y1);
        family_exact(f, p, y0, t_end, work, yT);
    } else {
        memcpy(y1, y0, (size_t)d * sizeof *y1);
        if (s->unroll > 0 && reference_solve(ref, p, 0.0, t1, y1, err) != 0)
            return -1;
        memcpy(yT, y0, (size_t)d * sizeof *yT);
        if (reference_solve(ref, p, 0.0, t_end, yT, err) != 0)
            return -1;
    }
    return (s->unroll == 0 || finite(y1, d)) && finite(yT, d) ? 0 : -1;
}

/* The truths of a part of the members, with a reference of its own;
 * failed marks the members whose truth is not finite. */
typedef struct truth_job {
    const rk_family *f;
    char *failed;
} truth_job;

static int truth_part(void *ctx, const sample_set *part, int first)
{
    const truth_job *j = ctx;
    const rk_family *f = j->f;
    sample_set v = *part; /* the same storage: truth() writes y1 and yT */
    reference ref;
    rk_error err = {{0}};
    double *work = malloc(((size_t)f->exact.n + (size_t)f->rhs.n + 1) * sizeof *work);
    int ok = work && reference_init(&ref, f, &err) == 0;
    for (int i = 0; i < v.n; i++)
        j->failed[first + i] = !ok || truth(f, &ref, work, &v, i, &err) != 0;
    if (ok)
        reference_free(&ref);
    free(work);
    return 0;
}

/* The truth of every member, on threads; frees failed, and s when a
 * truth is not finite (naming the member). */
static int parallel_parts(const sample_set *s, int by_steps,
                          int (*fn)(void *ctx, const sample_set *part, int first), void *ctx);

static int truths(const rk_family *f, sample_set *s, char *failed, rk_error *err)
{
    truth_job job = {f, failed};
    parallel_parts(s, 0, truth_part, &job);
    int status = 0;
    for (int i = 0; i < s->n && status == 0; i++)
        if (failed[i]) {
            char who[512];
            samples_describe(f, s, i, who, sizeof who);
            rk_error_set(err, "family %s: the true solution is not finite up to the horizon %g at %s "
                         "(narrow the distributions or shorten the horizon)", f->name, f->horizon, who);
            status = -1;
        }
    free(failed);
    if (status != 0)
        samples_free(s);
    return status;
}

/* The member ends after the whole steps that fit, at or just before the
 * horizon (rounding the step to divide the horizon would move it off
 * the family's range). */
static unsigned long whole_steps(const rk_family *f, double h)
{
    return (unsigned long)fmax(1.0, floor(f->horizon / h * (1 + 1e-12)));
}

int samples_draw(const rk_family *f, uint64_t seed, sample_stream stream, int n,
                 double h_fixed, int unroll, sample_set *s, rk_error *err)
{
    rk_rng rng;
    char *failed = calloc((size_t)n + 1, 1);
    /* distinct streams of one seed: the stream number enters the seed */
    rng_seed(&rng, seed * 0x9e3779b97f4a7c15u + (uint64_t)stream);
    if (!failed || alloc_set(s, f, n) != 0) {
        free(failed);
        samples_free(s);
        rk_error_set(err, "out of memory");
        return -1;
    }
    s->truth = f->has_exact ? "exact" : "taylor-reference";
    s->unroll = unroll > 0 ? unroll : 0;
    for (int i = 0; i < n; i++) {
        double h;
        family_sample(f, &rng, s->p + i * f->nparam, s->y0 + i * f->dim, &h);
        if (h_fixed > 0)
            h = h_fixed;
        s->nsteps[i] = whole_steps(f, h);
        s->h[i] = h;
    }
    return truths(f, s, failed, err);
}

int samples_rescale(const rk_family *f, const sample_set *s, double scale, sample_set *out,
                    rk_error *err)
{
    char *failed = calloc((size_t)s->n + 1, 1);
    if (!failed || alloc_set(out, f, s->n) != 0) {
        free(failed);
        samples_free(out);
        rk_error_set(err, "out of memory");
        return -1;
    }
    out->truth = s->truth;
    memcpy(out->p, s->p, (size_t)s->n * (size_t)f->nparam * sizeof *out->p);
    memcpy(out->y0, s->y0, (size_t)s->n * (size_t)f->dim * sizeof *out->y0);
    for (int i = 0; i < s->n; i++) {
        out->h[i] = s->h[i] * scale;
        out->nsteps[i] = whole_steps(f, out->h[i]);
    }
    return truths(f, out, failed, err);
}

#define PARTS_PER_THREAD 4
/* members x dimension a part must hold to be worth a thread */
#define PART_MIN_WORK 2048

typedef struct part_job {
    const sample_set *s;
    int (*fn)(void *ctx, const sample_set *part, int first);
    void *ctx;
    int nchunks, by_steps, result[64];
} part_job;

static void run_part(void *ctx, int c, int worker)
{
    part_job *j = ctx;
    (void)worker;
    int first, count;
    if (j->by_steps)
        rk_chunk_weighted(j->s->nsteps, j->s->n, j->nchunks, c, &first, &count);
    else
        rk_chunk(j->s->n, j->nchunks, c, &first, &count);
    sample_set v = samples_view(j->s, first, count);
    j->result[c] = j->fn(j->ctx, &v, first);
}

static int parallel_parts(const sample_set *s, int by_steps,
                          int (*fn)(void *ctx, const sample_set *part, int first), void *ctx)
{
    int threads = rk_threads();
    /* a few parts a thread, taken in turn: on a shared machine a thread
     * that falls behind leaves the rest of its share to the others; and
     * a part of too little work is not worth starting (32 members of a
     * small system; one member of a grid of a few thousand unknowns) */
    int k = threads > 1 ? PARTS_PER_THREAD * threads : 1;
    long per = (PART_MIN_WORK + s->dim - 1) / (s->dim > 0 ? s->dim : 1);
    per = per > 32 ? 32 : per;
    if (k > s->n / per)
        k = (int)(s->n / per);
    if (k > 64)
        k = 64;
    if (k <= 1)
        return fn(ctx, s, 0);
    part_job j = {s, fn, ctx, k, by_steps, {0}};
    rk_parallel_pool(k, threads, run_part, &j);
    int sum = 0;
    for (int c = 0; c < k; c++)
        sum += j.result[c];
    return sum;
}

/* Stepping costs a member its number of steps, so the parts are split
 * by steps; the truth's cost does not follow them. */
int samples_parallel(const sample_set *s, int (*fn)(void *ctx, const sample_set *part, int first),
                     void *ctx)
{
    return parallel_parts(s, 1, fn, ctx);
}

int samples_every(const sample_set *s, int stride, sample_set *out)
{
    memset(out, 0, sizeof *out);
    out->dim = s->dim;
    out->nparam = s->nparam;
    out->unroll = s->unroll;
    out->truth = s->truth;
    for (int i = 0; i < s->n; i += stride) {
        sample_set one = samples_view(s, i, 1);
        if (samples_append(out, &one) != 0) {
            samples_free(out);
            return -1;
        }
    }
    return 0;
}

sample_set samples_view(const sample_set *s, int first, int n)
{
    sample_set v = *s;
    size_t d = (size_t)s->dim, np = (size_t)s->nparam, k = (size_t)first;
    v.n = n;
    v.p = s->p + k * np;
    v.y0 = s->y0 + k * d;
    v.h = s->h + k;
    v.nsteps = s->nsteps + k;
    v.yT = s->yT + k * d;
    v.y1 = s->y1 + k * d;
    return v;
}

static int grow(double **p, size_t old, size_t extra)
{
    double *q = realloc(*p, (old + extra + 1) * sizeof *q);
    if (!q)
        return -1;
    *p = q;
    return 0;
}

int samples_append(sample_set *a, const sample_set *b)
{
    size_t n = (size_t)a->n, m = (size_t)b->n, d = (size_t)a->dim, np = (size_t)a->nparam;
    unsigned long *ns = realloc(a->nsteps, (n + m + 1) * sizeof *ns);
    if (!ns)
        return -1;
    a->nsteps = ns;
    if (grow(&a->p, n * np, m * np) || grow(&a->y0, n * d, m * d) || grow(&a->h, n, m) ||
        grow(&a->yT, n * d, m * d) || grow(&a->y1, n * d, m * d))
        return -1;
    memcpy(a->p + n * np, b->p, m * np * sizeof *a->p);
    memcpy(a->y0 + n * d, b->y0, m * d * sizeof *a->y0);
    memcpy(a->h + n, b->h, m * sizeof *a->h);
    memcpy(a->nsteps + n, b->nsteps, m * sizeof *a->nsteps);
    memcpy(a->yT + n * d, b->yT, m * d * sizeof *a->yT);
    memcpy(a->y1 + n * d, b->y1, m * d * sizeof *a->y1);
    a->n += b->n;
    return 0;
}

double family_min_step(const rk_family *f)
{
    return f->step.a;
}

double family_max_step(const rk_family *f)
{
    switch (f->step.kind) {
    case DIST_UNIFORM:
    case DIST_LOGUNIFORM: return f->step.b;
    case DIST_NORMAL: return f->step.a + 3 * f->step.b;
    case DIST_FIXED:
    default: return f->step.a;
    }
}
