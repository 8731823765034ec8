/* support.c - helpers the test programs share (support.h): paths in the
 * tree, scratch directories, ulp distances, shell commands. */
#include "support.h"

#include "emit.h"
#include "family.h"
#include "stabilized.h"

#include <criterion/criterion.h>

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

void euler_unstable(const double *a, int n, double h, int *must, int *may)
{
    *must = *may = 0;
    for (int i = 0; i < n; i++) {
        double g = fabs(1 - h * a[i]);
        *must += g > 1.02;
        *may += g >= 1 && g <= 1.02;
    }
}

int sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (!fp || fputs(text, fp) < 0 || fclose(fp) != 0)
        abort();
}

int emit_files(const struct rk_family *f, const struct rk_tableau *t, const char *dir,
               const char *prefix, int is_float, char *err)
{
    emit_opts o = {{0}, is_float};
    emit_result r;
    rk_error e = {{0}};
    char path[4096];
    snprintf(o.prefix, sizeof o.prefix, "%s", prefix);
    if (emit_stepper(f, t, &o, &r, &e) != 0) {
        snprintf(err, RK_ERROR_MAX, "%s", e.text);
        return -1;
    }
    snprintf(path, sizeof path, "%s/%s.h", dir, prefix);
    write_text(path, r.h);
    snprintf(path, sizeof path, "%s/%s.c", dir, prefix);
    write_text(path, r.c);
    emit_result_free(&r);
    return 0;
}

struct rk_family *example_family(const char *name)
{
    char rel[128];
    rk_error err = {{0}};
    snprintf(rel, sizeof rel, "examples/%s.ode", name);
    rk_family *f = family_load(src_path(rel), &err);
    cr_assert_not_null(f, "%s", err.text);
    return f;
}

struct rk_family *family_text(const char *text)
{
    rk_error err = {{0}};
    rk_family *f = family_parse("t.ode", text, strlen(text), &err);
    cr_assert_not_null(f, "%s", err.text);
    return f;
}

void expect_same_bits(const char *dir, const char *prefix, const char *label)
{
    const char *builds[] = {"gcc -O0 -ffp-contract=off", "gcc -O2 -ffp-contract=off",
                            "clang -O2 -ffp-contract=off", "tcc"};
    const char *P = prefix;
    for (int c = 0; c < 4; c++)
        cr_assert_eq(sh("cd %s && %s -o run_%s_%d main_%s.c %s.c -lm && ./run_%s_%d > out_%s_%d.txt",
                        dir, builds[c], P, c, P, P, P, c, P, c), 0, "%s: %s", label, builds[c]);
    for (int c = 1; c < 4; c++)
        cr_expect_eq(sh("cd %s && cmp -s out_%s_0.txt out_%s_%d.txt", dir, P, P, c), 0,
                     "%s: %s differs from gcc -O0", label, builds[c]);
}

long double stab_R_ld(const rk_stab *m, long double z)
{
    if (m->form == STAB_CHEBYSHEV) {
        long double x = 1 + (long double)m->mu * z, b1 = 0, b2 = 0;
        for (int k = m->s; k >= 1; k--) {
            long double b = m->weight[k] + 2 * x * b1 - b2;
            b2 = b1;
            b1 = b;
        }
        return m->weight[0] + x * b1 - b2;
    }
    long double r = 1;
    for (int j = 0; j < m->nfactor; j++) {
        const stab_factor *fc = &m->factor[j];
        r *= fc->kind == STAB_EULER
                 ? 1 + fc->alpha * z
                 : 1 + (fc->b1 + (long double)fc->b2) * z + fc->a * (long double)fc->b2 * z * z;
    }
    return r;
}
