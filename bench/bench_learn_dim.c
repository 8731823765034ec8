/* bench_learn_dim.c - the learner's cost against the dimension, for
 * bench_learn.sh: for FAMILY and MEMBERS, the ground truth (samples_draw,
 * Taylor reference) and one objective evaluation with 2 tangents (what a
 * training iteration on the order-3 free nodes costs), each in
 * microseconds per member per component, the median of 5 runs.
 * Usage: bench_learn_dim FAMILY MEMBERS */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "family.h"
#include "objective.h"
#include "samples.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median5(double *v)
{
    qsort(v, 5, sizeof *v, cmp);
    return v[2];
}

int main(int argc, char **argv)
{
    rk_error err = {{0}};
    rk_family *f = argc == 3 ? family_load(argv[1], &err) : NULL;
    int n = argc == 3 ? atoi(argv[2]) : 0;
    if (!f || n < 1) {
        fprintf(stderr, "usage: bench_learn_dim FAMILY MEMBERS %s\n", err.text);
        return 2;
    }
    double truth[5], eval[5], th[6] = {0.5, 0.2, 0.6, 0.2, 0.5, 0.3}, D[12];
    for (int i = 0; i < 12; i++)
        D[i] = 0.1 * (i % 5) - 0.2;
    sample_set s;
    for (int k = 0; k < 5; k++) {
        double a = now();
        if (samples_draw(f, 1, STREAM_TRAIN, n, 0, 1, &s, &err) != 0) {
            fprintf(stderr, "%s\n", err.text);
            return 1;
        }
        truth[k] = now() - a;
        if (k < 4)
            samples_free(&s);
    }
    double *ref = malloc((size_t)n * sizeof *ref);
    double *r = malloc((size_t)n * (size_t)f->dim * sizeof *r), *J = malloc(2 * (size_t)n * (size_t)f->dim * sizeof *J);
    for (int i = 0; i < n; i++)
        ref[i] = 1;
    objective o;
    if (!ref || !r || !J || objective_init_dir(&o, f, &s, OBJ_GLOBAL, 1, 3, ref, 2) != 0)
        return 1;
    for (int k = 0; k < 5; k++) {
        double a = now();
        objective_eval_dir(&o, th, D, r, J);
        eval[k] = now() - a;
    }
    double per = 1e6 / n / f->dim;
    printf("truth %.2f us, evaluation %.3f us per member per component (blocks of %d members)\n",
           median5(truth) * per, median5(eval) * per, o.cap);
    objective_free(&o);
    samples_free(&s);
    free(ref); free(r); free(J);
    family_free(f);
    return 0;
}
