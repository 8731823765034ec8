/* stats.c - the clock, order statistics and counts of bench/ (stats.h). */
#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double quantile(const double *v, int n, double q)
{
    double *s = malloc((size_t)n * sizeof *s);
    if (!s)
        abort();
    memcpy(s, v, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    double pos = q * (double)(n - 1);
    int i = (int)pos;
    double m = i + 1 < n ? s[i] + (pos - (double)i) * (s[i + 1] - s[i]) : s[i];
    free(s);
    return m;
}

double median(const double *v, int n)
{
    return quantile(v, n, 0.5);
}

double iqr_rel(const double *v, int n)
{
    return (quantile(v, n, 0.75) - quantile(v, n, 0.25)) / median(v, n);
}

double min_of(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++)
        m = v[i] < m ? v[i] : m;
    return m;
}

double max_of(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++)
        m = v[i] > m ? v[i] : m;
    return m;
}

unsigned long parse_count(const char *prog, const char *s, const char *opt)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v == 0) {
        fprintf(stderr, "%s: %s needs a positive integer, not '%s'\n", prog, opt, s);
        exit(2);
    }
    return v;
}
