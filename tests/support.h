/* support.h - small helpers shared by the test programs. */
#ifndef RK_TEST_SUPPORT_H
#define RK_TEST_SUPPORT_H

#include <stddef.h>

/* Path of a file in the source tree: RK_SOURCE_DIR "/" rel (static buffer). */
const char *src_path(const char *rel);
/* A fresh empty directory under the build tree (static buffer). */
const char *tmp_dir(const char *tag);
/* Distance in units in the last place between two doubles (0 if equal). */
unsigned long long ulp_diff(double a, double b);
/* Least-squares slope of log(err) against log(h). */
double fit_slope(const double *h, const double *err, int n);

#endif
