/* samples.h - members of a family drawn for training, validation and
 * measurement, with their ground truth.
 *
 * Every set is drawn from its own stream of the seed (train, validation,
 * test), so sets from one seed never share a member, and one seed always
 * gives the same sets.  Each member keeps its drawn step h and ends
 * after the whole steps that fit in the horizon: yT is the truth at
 * nsteps*h, at or just before the horizon. */
#ifndef RK_SAMPLES_H
#define RK_SAMPLES_H

#include <stdint.h>
#include "diag.h"
#include "family.h"

typedef enum sample_stream {
    STREAM_TRAIN = 1, STREAM_VALIDATION = 2, STREAM_TEST = 3, STREAM_TRAIN_BELOW = 4
} sample_stream;

typedef struct sample_set {
    int n, dim, nparam;
    double *p;        /* n * nparam */
    double *y0;       /* n * dim */
    double *h;        /* n: step */
    unsigned long *nsteps; /* n */
    double *yT;       /* n * dim: the true solution at nsteps*h */
    double *y1;       /* n * dim: the true solution after `unroll` steps */
    int unroll;       /* 0: global error only, y1 is NaN */
    const char *truth; /* "exact" or "taylor-reference" */
} sample_set;

/* Draws n members; h from the family's step distribution unless
 * h_fixed > 0.  Computes the truth at the horizon and, with unroll > 0,
 * after `unroll` steps (for one-step objectives).
 * Fails (naming the member) if a member's solution is not finite. */
int samples_draw(const rk_family *f, uint64_t seed, sample_stream stream, int n,
                 double h_fixed, int unroll, sample_set *s, rk_error *err);
void samples_free(sample_set *s);

/* The members of s with every step times scale (and as many whole
 * steps as then fit in the horizon), with their truth there. */
int samples_rescale(const rk_family *f, const sample_set *s, double scale, sample_set *out,
                    rk_error *err);

/* A copy of members 0, stride, 2 stride, ... of s; 0, or -1 when out of
 * memory (out is then empty). */
int samples_every(const sample_set *s, int stride, sample_set *out);

/* Members first .. first+n-1 of s, sharing its storage (never freed). */
sample_set samples_view(const sample_set *s, int first, int n);

/* Calls fn(ctx, part, first) on contiguous parts of s (part = members
 * first.. of s) on threads at once, and returns the sum of the results.
 * fn must treat members independently and write only to their slots:
 * then the result is the same bits for any split. */
int samples_parallel(const sample_set *s, int (*fn)(void *ctx, const sample_set *part, int first),
                     void *ctx);

/* Appends b's members to a (same family and unroll); 0, or -1 when out
 * of memory (a is then unchanged). */
int samples_append(sample_set *a, const sample_set *b);

/* The family's step range, for everything that needs it (training's
 * long runs, the sweep, the pictures): the smallest step its step
 * distribution draws, and the largest (for a normal distribution, which
 * family files refuse for steps, three deviations above the mean). */
double family_min_step(const rk_family *f);
double family_max_step(const rk_family *f);

/* The member as "a = 1.5, u(0) = -3, v(0) = 1, h = 0.01" for messages. */
void samples_describe(const rk_family *f, const sample_set *s, int i, char *buf,
                      size_t size);

#endif
