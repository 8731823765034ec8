/* stats.c - the bootstrap interval and the log-log slope of stats.h. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

#include "rng.h"

#define RESAMPLES 2000

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

ratio_ci stats_ratio_ci(const double *e, const double *ref, int n, double level, uint64_t seed)
{
    ratio_ci r = {1, 1, 1, 0};
    double *l = malloc(((size_t)n + 1) * sizeof *l), *means = malloc(RESAMPLES * sizeof *means);
    double sum = 0;
    for (int i = 0; l && i < n; i++) {
        if ((e[i] == 0 && ref[i] == 0) || !isfinite(e[i]) || !isfinite(ref[i]))
            continue;
        l[r.n] = log(fmax(e[i], 1e-300)) - log(fmax(ref[i], 1e-300));
        sum += l[r.n++];
    }
    if (r.n > 0 && means) {
        rk_rng rng;
        rng_seed(&rng, seed ^ 0xb007u);
        for (int b = 0; b < RESAMPLES; b++) {
            double s = 0;
            for (int i = 0; i < r.n; i++)
                s += l[(size_t)(rng_uniform(&rng) * r.n)];
            means[b] = s / r.n;
        }
        qsort(means, RESAMPLES, sizeof *means, by_value);
        double tail = 0.5 * (1 - level) * (RESAMPLES - 1);
        r.ratio = exp(sum / r.n);
        r.lo = exp(means[(int)floor(tail)]);
        r.hi = exp(means[(int)ceil(RESAMPLES - 1 - tail)]);
    }
    free(l);
    free(means);
    return r;
}

double stats_loglog_slope(const double *x, const double *y, int n)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        if (!(x[i] > 0) || !(y[i] > 0) || !isfinite(y[i]))
            return NAN;
        double u = log(x[i]), v = log(y[i]);
        sx += u;
        sy += v;
        sxx += u * u;
        sxy += u * v;
    }
    double den = n * sxx - sx * sx;
    return n >= 2 && den > 0 ? (n * sxy - sx * sy) / den : NAN;
}
