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
/* Euler on y' = -a y grows by |1 - h a| per step: among a[0..n), those
 * that must blow up on a long run (growth above 1.02 per step) and those
 * that may (1 to 1.02, slow enough to stay under a bound). */
void euler_unstable(const double *a, int n, double h, int *must, int *may);

struct rk_family;
struct rk_tableau;
struct rk_stab;

/* examples/NAME.ode, parsed (the test fails where it does not parse). */
struct rk_family *example_family(const char *name);
/* A family file's text, parsed as "t.ode" (the test fails where it does not parse). */
struct rk_family *family_text(const char *text);

/* A many-stage method's R(z) in long double, from its factors (in any
 * order) or by Clenshaw on its Chebyshev weights: the tests' reference. */
long double stab_R_ld(const struct rk_stab *m, long double z);

/* Runs a shell command built like printf; returns its exit status. */
int sh(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* Writes text to path (aborts if it cannot: tests have no use for a
 * half-prepared directory). */
void write_text(const char *path, const char *text);
/* Builds dir/main_PREFIX.c with dir/PREFIX.c by gcc -O0, gcc -O2 and
 * clang -O2 (all -ffp-contract=off) and tcc, runs each, and expects
 * every output to be gcc -O0's byte for byte (label names the case in
 * failures). */
void expect_same_bits(const char *dir, const char *prefix, const char *label);
/* Emits the stepper of f and t as dir/prefix.h and dir/prefix.c with
 * emit_stepper; returns 0, or -1 with the reason in err (RK_ERROR_MAX). */
int emit_files(const struct rk_family *f, const struct rk_tableau *t, const char *dir,
               const char *prefix, int is_float, char *err);

#endif
