#include "support.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *src_path(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", RK_SOURCE_DIR, rel);
    return buf;
}

const char *tmp_dir(const char *tag)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/testtmp", RK_BINARY_DIR);
    mkdir(buf, 0777);
    snprintf(buf, sizeof buf, "%s/testtmp/%s-%ld-XXXXXX", RK_BINARY_DIR, tag,
             (long)getpid());
    if (!mkdtemp(buf))
        abort();
    return buf;
}

static int64_t ordered(double x)
{
    int64_t i;
    memcpy(&i, &x, sizeof i);
    return i < 0 ? INT64_MIN - i : i;
}

unsigned long long ulp_diff(double a, double b)
{
    int64_t ia = ordered(a), ib = ordered(b);
    return ia > ib ? (unsigned long long)(ia - ib) : (unsigned long long)(ib - ia);
}

double fit_slope(const double *h, const double *err, int n)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        double x = log(h[i]), y = log(err[i]);
        sx += x; sy += y; sxx += x * x; sxy += x * y;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}
