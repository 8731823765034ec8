/* orderfit.c - the observed order: the round-off floor and the
 * pre-asymptotic end are found from the local slopes against their
 * median (robust to a few bad points), and the order is the
 * least-squares slope over what is left. */
#include "orderfit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A local slope this far below the typical one means round-off has
 * taken over; this far from it at large h means not yet asymptotic. */
#define FLOOR_FRACTION 0.6
#define ASYMPTOTIC_TOLERANCE 0.3

static double slope(const double *h, const double *e, int i, int j)
{
    return (log(e[j]) - log(e[i])) / (log(h[j]) - log(h[i]));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median local slope over lo..hi: robust to a few bad points. */
static double typical_slope(const double *h, const double *e, int lo, int hi)
{
    int n = hi - lo;
    double *s = malloc((size_t)(n > 0 ? n : 1) * sizeof *s);
    if (!s || n <= 0) {
        free(s);
        return 0;
    }
    for (int i = 0; i < n; i++)
        s[i] = slope(h, e, lo + i, lo + i + 1);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    double m = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    free(s);
    return m;
}

static int usable(double e)
{
    return isfinite(e) && e > 0;
}

static double least_squares(const double *h, const double *e, int lo, int hi)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = hi - lo + 1;
    for (int i = lo; i <= hi; i++) {
        double x = log(h[i]), y = log(e[i]);
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

/* The longest run of usable points, from the small-h end. */
static void usable_run(const double *e, int n, int *lo, int *hi)
{
    int best = 0, start = 0;
    *lo = 0;
    *hi = -1;
    for (int i = 0; i <= n; i++) {
        if (i < n && usable(e[i]))
            continue;
        if (i - start > best) {
            best = i - start;
            *lo = start;
            *hi = i - 1;
        }
        start = i + 1;
    }
}

void order_fit_run(const double *h, const double *e, int n, order_fit *r)
{
    int lo, hi;
    memset(r, 0, sizeof *r);
    usable_run(e, n, &lo, &hi);
    /* below the smallest error, errors grow as h shrinks: round-off */
    int imin = lo;
    for (int i = lo; i <= hi; i++)
        if (e[i] < e[imin])
            imin = i;
    if (imin > lo)
        r->floor_h = h[imin - 1];
    lo = imin;
    if (hi - lo < 2)
        return;
    double ref = typical_slope(h, e, lo, hi);
    /* the knee into the floor: slopes well below the typical one */
    while (hi - lo >= 2 && slope(h, e, lo, lo + 1) < FLOOR_FRACTION * ref) {
        r->floor_h = h[lo];
        lo++;
    }
    /* large h: not yet asymptotic */
    while (hi - lo >= 2 && fabs(slope(h, e, hi - 1, hi) - ref) > ASYMPTOTIC_TOLERANCE * fabs(ref))
        hi--;
    r->lo = lo;
    r->hi = hi;
    r->used = hi - lo + 1;
    r->h_lo = h[lo];
    r->h_hi = h[hi];
    r->order = least_squares(h, e, lo, hi);
}
