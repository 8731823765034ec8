/* tableau.c - Butcher tableaux: allocation, validation, the built-ins.
 *
 * The built-in coefficients are stored twice: as the exact expression
 * (which arbitrary-precision analysis reads) and as the correctly rounded
 * double, written as a hex-float literal so the compiler cannot round it
 * differently.  The literals were computed once, offline, with MPFR at 256
 * bits; tests/test_tableau.c re-derives every one of them from its text.
 */
#include "tableau.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rk_coef {
    const char *exact;
    double value; /* the correctly rounded value of exact */
} rk_coef;

typedef struct rk_builtin {
    const char *name;
    int s, order;
    const rk_coef *a; /* the strictly lower part of A, row by row */
    const rk_coef *b, *c;
    const char *description;
} rk_builtin;

static const rk_coef euler_b[] = {
    {"1", 0x1p+0},
};
static const rk_coef euler_c[] = {
    {"0", 0x0p+0},
};

static const rk_coef midpoint_a[] = {
    {"1/2", 0x1p-1},
};
static const rk_coef midpoint_b[] = {
    {"0", 0x0p+0}, {"1", 0x1p+0},
};
static const rk_coef midpoint_c[] = {
    {"0", 0x0p+0}, {"1/2", 0x1p-1},
};

static const rk_coef heun_a[] = {
    {"1", 0x1p+0},
};
static const rk_coef heun_b[] = {
    {"1/2", 0x1p-1}, {"1/2", 0x1p-1},
};
static const rk_coef heun_c[] = {
    {"0", 0x0p+0}, {"1", 0x1p+0},
};

static const rk_coef ralston_a[] = {
    {"2/3", 0x1.5555555555555p-1},
};
static const rk_coef ralston_b[] = {
    {"1/4", 0x1p-2}, {"3/4", 0x1.8p-1},
};
static const rk_coef ralston_c[] = {
    {"0", 0x0p+0}, {"2/3", 0x1.5555555555555p-1},
};

static const rk_coef kutta3_a[] = {
    {"1/2", 0x1p-1},
    {"-1", -0x1p+0}, {"2", 0x1p+1},
};
static const rk_coef kutta3_b[] = {
    {"1/6", 0x1.5555555555555p-3}, {"2/3", 0x1.5555555555555p-1},
    {"1/6", 0x1.5555555555555p-3},
};
static const rk_coef kutta3_c[] = {
    {"0", 0x0p+0}, {"1/2", 0x1p-1}, {"1", 0x1p+0},
};

static const rk_coef heun3_a[] = {
    {"1/3", 0x1.5555555555555p-2},
    {"0", 0x0p+0}, {"2/3", 0x1.5555555555555p-1},
};
static const rk_coef heun3_b[] = {
    {"1/4", 0x1p-2}, {"0", 0x0p+0}, {"3/4", 0x1.8p-1},
};
static const rk_coef heun3_c[] = {
    {"0", 0x0p+0}, {"1/3", 0x1.5555555555555p-2},
    {"2/3", 0x1.5555555555555p-1},
};

static const rk_coef ralston3_a[] = {
    {"1/2", 0x1p-1},
    {"0", 0x0p+0}, {"3/4", 0x1.8p-1},
};
static const rk_coef ralston3_b[] = {
    {"2/9", 0x1.c71c71c71c71cp-3}, {"1/3", 0x1.5555555555555p-2},
    {"4/9", 0x1.c71c71c71c71cp-2},
};
static const rk_coef ralston3_c[] = {
    {"0", 0x0p+0}, {"1/2", 0x1p-1}, {"3/4", 0x1.8p-1},
};

static const rk_coef ssprk3_a[] = {
    {"1", 0x1p+0},
    {"1/4", 0x1p-2}, {"1/4", 0x1p-2},
};
static const rk_coef ssprk3_b[] = {
    {"1/6", 0x1.5555555555555p-3}, {"1/6", 0x1.5555555555555p-3},
    {"2/3", 0x1.5555555555555p-1},
};
static const rk_coef ssprk3_c[] = {
    {"0", 0x0p+0}, {"1", 0x1p+0}, {"1/2", 0x1p-1},
};

static const rk_coef rk4_a[] = {
    {"1/2", 0x1p-1},
    {"0", 0x0p+0}, {"1/2", 0x1p-1},
    {"0", 0x0p+0}, {"0", 0x0p+0}, {"1", 0x1p+0},
};
static const rk_coef rk4_b[] = {
    {"1/6", 0x1.5555555555555p-3}, {"1/3", 0x1.5555555555555p-2},
    {"1/3", 0x1.5555555555555p-2}, {"1/6", 0x1.5555555555555p-3},
};
static const rk_coef rk4_c[] = {
    {"0", 0x0p+0}, {"1/2", 0x1p-1}, {"1/2", 0x1p-1}, {"1", 0x1p+0},
};

static const rk_coef rk38_a[] = {
    {"1/3", 0x1.5555555555555p-2},
    {"-1/3", -0x1.5555555555555p-2}, {"1", 0x1p+0},
    {"1", 0x1p+0}, {"-1", -0x1p+0}, {"1", 0x1p+0},
};
static const rk_coef rk38_b[] = {
    {"1/8", 0x1p-3}, {"3/8", 0x1.8p-2}, {"3/8", 0x1.8p-2}, {"1/8", 0x1p-3},
};
static const rk_coef rk38_c[] = {
    {"0", 0x0p+0}, {"1/3", 0x1.5555555555555p-2},
    {"2/3", 0x1.5555555555555p-1}, {"1", 0x1p+0},
};

static const rk_coef ralston4_a[] = {
    {"2/5", 0x1.999999999999ap-2},
    {"(-2889+1428*sqrt(5))/1024", 0x1.301ae5fd7417p-2},
    {"(3785-1620*sqrt(5))/1024", 0x1.4523c6d899f2ap-3},
    {"(-3365+2094*sqrt(5))/6040", 0x1.beab6a9566dffp-3},
    {"(-975-3046*sqrt(5))/2552", -0x1.868606a76f9afp+1},
    {"(467040+203968*sqrt(5))/240845", 0x1.ea9b4ffe192cfp+1},
};
static const rk_coef ralston4_b[] = {
    {"(263+24*sqrt(5))/1812", 0x1.65e8b807a9f38p-3},
    {"(125-1000*sqrt(5))/3828", -0x1.1a5bac66e191p-1},
    {"(3426304+1661952*sqrt(5))/5924787", 0x1.349dfb2592633p+0},
    {"(30-4*sqrt(5))/123", 0x1.5e9620674936ep-3},
};
static const rk_coef ralston4_c[] = {
    {"0", 0x0p+0}, {"2/5", 0x1.999999999999ap-2},
    {"(14-3*sqrt(5))/16", 0x1.d2acc969c1104p-2}, {"1", 0x1p+0},
};

static const rk_coef dopri5_a[] = {
    {"1/5", 0x1.999999999999ap-3},
    {"3/40", 0x1.3333333333333p-4}, {"9/40", 0x1.ccccccccccccdp-3},
    {"44/45", 0x1.f49f49f49f49fp-1}, {"-56/15", -0x1.ddddddddddddep+1},
    {"32/9", 0x1.c71c71c71c71cp+1},
    {"19372/6561", 0x1.79eec0fc37181p+1},
    {"-25360/2187", -0x1.7310bd29520e4p+3},
    {"64448/6561", 0x1.3a552363c529p+3}, {"-212/729", -0x1.29c9eba1e3345p-2},
    {"9017/3168", 0x1.6c52bf5a814bp+1}, {"-355/33", -0x1.583e0f83e0f84p+3},
    {"46732/5247", 0x1.1d016a3721e8bp+3}, {"49/176", 0x1.1d1745d1745d1p-2},
    {"-5103/18656", -0x1.1818970d9cc2fp-2},
    {"35/384", 0x1.7555555555555p-4}, {"0", 0x0p+0},
    {"500/1113", 0x1.cc0499a5605fbp-2}, {"125/192", 0x1.4d55555555555p-1},
    {"-2187/6784", -0x1.4a1cfb2b78c13p-2}, {"11/84", 0x1.0c30c30c30c31p-3},
};
static const rk_coef dopri5_b[] = {
    {"35/384", 0x1.7555555555555p-4}, {"0", 0x0p+0},
    {"500/1113", 0x1.cc0499a5605fbp-2}, {"125/192", 0x1.4d55555555555p-1},
    {"-2187/6784", -0x1.4a1cfb2b78c13p-2}, {"11/84", 0x1.0c30c30c30c31p-3},
    {"0", 0x0p+0},
};
static const rk_coef dopri5_c[] = {
    {"0", 0x0p+0}, {"1/5", 0x1.999999999999ap-3},
    {"3/10", 0x1.3333333333333p-2}, {"4/5", 0x1.999999999999ap-1},
    {"8/9", 0x1.c71c71c71c71cp-1}, {"1", 0x1p+0}, {"1", 0x1p+0},
};

static const rk_builtin builtins[] = {
    {"euler", 1, 1, NULL, euler_b, euler_c,
     "Forward Euler method "
     "(Euler 1768, Institutionum calculi integralis I)"},
    {"midpoint", 2, 2, midpoint_a, midpoint_b, midpoint_c,
     "Explicit midpoint rule "
     "(Runge 1895, Math. Ann. 46:167-178)"},
    {"heun", 2, 2, heun_a, heun_b, heun_c,
     "Heun's method, the explicit trapezoidal rule "
     "(Heun 1900, Z. Math. Phys. 45:23-38)"},
    {"ralston", 2, 2, ralston_a, ralston_b, ralston_c,
     "Ralston's second-order method with minimum error bound "
     "(Ralston 1962, Math. Comp. 16:431-437)"},
    {"kutta3", 3, 3, kutta3_a, kutta3_b, kutta3_c,
     "Kutta's third-order method "
     "(Kutta 1901, Z. Math. Phys. 46:435-453)"},
    {"heun3", 3, 3, heun3_a, heun3_b, heun3_c,
     "Heun's third-order method "
     "(Heun 1900, Z. Math. Phys. 45:23-38)"},
    {"ralston3", 3, 3, ralston3_a, ralston3_b, ralston3_c,
     "Ralston's third-order method with minimum error bound "
     "(Ralston 1962, Math. Comp. 16:431-437)"},
    {"ssprk3", 3, 3, ssprk3_a, ssprk3_b, ssprk3_c,
     "Third-order strong-stability-preserving method "
     "(Shu & Osher 1988, J. Comput. Phys. 77:439-471)"},
    {"rk4", 4, 4, rk4_a, rk4_b, rk4_c,
     "Classical fourth-order Runge-Kutta method "
     "(Kutta 1901, Z. Math. Phys. 46:435-453)"},
    {"rk38", 4, 4, rk38_a, rk38_b, rk38_c,
     "Kutta's fourth-order 3/8 rule "
     "(Kutta 1901, Z. Math. Phys. 46:435-453)"},
    {"ralston4", 4, 4, ralston4_a, ralston4_b, ralston4_c,
     "Ralston's fourth-order method with minimum error bound "
     "(Ralston 1962, Math. Comp. 16:431-437)"},
    {"dopri5", 7, 5, dopri5_a, dopri5_b, dopri5_c,
     "Dormand-Prince 5(4), fifth-order weights "
     "(Dormand & Prince 1980, J. Comput. Appl. Math. 6:19-26)"},
};

enum { NBUILTIN = (int)(sizeof builtins / sizeof builtins[0]) };

/* Longest description and exact text validate accepts; both are copied
 * into comments of generated C. */
#define DESCRIPTION_MAX 1024
#define EXACT_MAX 4096

rk_tableau *tableau_new(int s)
{
    if (s < 1 || s > RK_MAX_STAGES)
        return NULL;
    rk_tableau *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->s = s;
    t->A = calloc((size_t)s * (size_t)s, sizeof *t->A);
    t->b = calloc((size_t)s, sizeof *t->b);
    t->c = calloc((size_t)s, sizeof *t->c);
    if (!t->A || !t->b || !t->c) {
        tableau_free(t);
        return NULL;
    }
    return t;
}

static int n_exact(int s)
{
    return s * s + 2 * s;
}

void tableau_free(rk_tableau *t)
{
    if (!t)
        return;
    if (t->exact)
        for (int k = 0; k < n_exact(t->s); k++)
            free(t->exact[k]);
    free(t->exact);
    free(t->description);
    free(t->metadata_json);
    free(t->A);
    free(t->b);
    free(t->c);
    free(t);
}

/* strdup that maps NULL to NULL; *oom is set when a copy fails. */
static char *dup_or_null(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *oom = 1;
    return d;
}

rk_tableau *tableau_copy(const rk_tableau *t)
{
    if (!t)
        return NULL;
    rk_tableau *u = tableau_new(t->s);
    if (!u)
        return NULL;
    int s = t->s, oom = 0;
    memcpy(u->name, t->name, sizeof u->name);
    u->name[RK_NAME_MAX - 1] = '\0';
    u->order = t->order;
    memcpy(u->A, t->A, (size_t)s * (size_t)s * sizeof *u->A);
    memcpy(u->b, t->b, (size_t)s * sizeof *u->b);
    memcpy(u->c, t->c, (size_t)s * sizeof *u->c);
    u->description = dup_or_null(t->description, &oom);
    u->metadata_json = dup_or_null(t->metadata_json, &oom);
    if (t->exact) {
        u->exact = calloc((size_t)n_exact(s), sizeof *u->exact);
        oom |= !u->exact;
        for (int k = 0; u->exact && k < n_exact(s); k++)
            u->exact[k] = dup_or_null(t->exact[k], &oom);
    }
    if (oom) {
        tableau_free(u);
        return NULL;
    }
    return u;
}

int tableau_name_ok(const char *name)
{
    if (!name)
        return 0;
    size_t n = strnlen(name, RK_NAME_MAX);
    if (n == 0 || n >= RK_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                 (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
                 ch == '+' || ch == '-';
        if (!ok)
            return 0;
    }
    return 1;
}

/* ---- validation ---- */

/* Label of coefficient k of the exact array, counting stages from 1 as
 * Butcher's a_ij does. */
static void coef_label(const rk_tableau *t, int k, char *buf, size_t size)
{
    int s = t->s;
    if (k < s * s)
        snprintf(buf, size, "a[%d][%d]", k / s + 1, k % s + 1);
    else if (k < s * s + s)
        snprintf(buf, size, "b[%d]", k - s * s + 1);
    else
        snprintf(buf, size, "c[%d]", k - s * s - s + 1);
}

static double coef_value(const rk_tableau *t, int k)
{
    int s = t->s;
    if (k < s * s)
        return t->A[k];
    if (k < s * s + s)
        return t->b[k - s * s];
    return t->c[k - s * s - s];
}

static int check_finite(const rk_tableau *t, rk_error *err)
{
    for (int k = 0; k < n_exact(t->s); k++) {
        double v = coef_value(t, k);
        if (!isfinite(v)) {
            char label[32];
            coef_label(t, k, label, sizeof label);
            rk_error_set(err, "%s = %g is not finite; every coefficient "
                         "must be a finite number", label, v);
            return -1;
        }
    }
    return 0;
}

static int check_explicit(const rk_tableau *t, rk_error *err)
{
    int s = t->s;
    for (int i = 0; i < s; i++)
        for (int j = i; j < s; j++)
            if (t->A[i * s + j] != 0) {
                rk_error_set(err, "not explicit: a[%d][%d] = %.17g is %s "
                             "the diagonal; A must be zero on and above it",
                             i + 1, j + 1, t->A[i * s + j],
                             i == j ? "on" : "above");
                return -1;
            }
    return 0;
}

/* Distance to the next double above |x| (finite x). */
static double ulp(double x)
{
    x = fabs(x);
    double up = nextafter(x, INFINITY);
    return isinf(up) ? x - nextafter(x, 0) : up - x;
}

/* Compensated (Neumaier) sum, so the only error left to tolerate is the
 * rounding of the coefficients themselves. */
static double sum_exactish(const double *x, int n, double *maxabs)
{
    double sum = 0, comp = 0, m = 0;
    for (int k = 0; k < n; k++) {
        double t = sum + x[k];
        if (fabs(sum) >= fabs(x[k]))
            comp += (sum - t) + x[k];
        else
            comp += (x[k] - t) + sum;
        sum = t;
        m = fmax(m, fabs(x[k]));
    }
    *maxabs = m;
    return sum + comp;
}

/* Each of n rounded terms and the rounded target contribute half an ulp
 * of the largest of them; allow twice that. */
static int close_enough(double got, double want, double maxabs, int n)
{
    double scale = fmax(maxabs, fabs(want));
    return fabs(got - want) <= (double)(n + 1) * ulp(scale);
}

/* "x[1] + x[2]" or "x[1] + ... + x[n]"; row > 0 names a row of A. */
static const char *sum_text(char x, int row, int n, char *buf, size_t size)
{
    char first[40], last[40];
    if (row > 0) {
        snprintf(first, sizeof first, "%c[%d][1]", x, row);
        snprintf(last, sizeof last, "%c[%d][%d]", x, row, n);
    } else {
        snprintf(first, sizeof first, "%c[1]", x);
        snprintf(last, sizeof last, "%c[%d]", x, n);
    }
    snprintf(buf, size, "%s%s%s", first,
             n == 1 ? "" : n == 2 ? " + " : " + ... + ", n == 1 ? "" : last);
    return buf;
}

static int check_row_sums(const rk_tableau *t, rk_error *err)
{
    char buf[96];
    int s = t->s;
    for (int i = 0; i < s; i++) {
        double m, sum = sum_exactish(t->A + i * s, i, &m);
        if (i == 0 ? t->c[0] == 0 : close_enough(sum, t->c[i], m, i))
            continue;
        if (i == 0)
            rk_error_set(err, "c[1] = %.17g but row 1 of A is empty; the "
                         "first stage of an explicit method has c[1] = 0",
                         t->c[0]);
        else
            rk_error_set(err, "c[%d] = %.17g but row %d of A sums to %.17g; "
                         "c[%d] must equal %s", i + 1, t->c[i], i + 1, sum,
                         i + 1, sum_text('a', i + 1, i, buf, sizeof buf));
        return -1;
    }
    return 0;
}

static int check_weights(const rk_tableau *t, rk_error *err)
{
    char buf[96];
    double m, sum = sum_exactish(t->b, t->s, &m);
    if (close_enough(sum, 1.0, m, t->s))
        return 0;
    rk_error_set(err, "the weights b sum to %.17g, not 1; a consistent "
                 "method needs %s = 1", sum, sum_text('b', 0, t->s, buf,
                                                      sizeof buf));
    return -1;
}

static int check_order(const rk_tableau *t, rk_error *err)
{
    if (t->order < 0) {
        rk_error_set(err, "order %d is negative; use 0 when it is unknown",
                     t->order);
        return -1;
    }
    if (t->order > t->s) {
        rk_error_set(err, "order %d is impossible: an explicit method with "
                     "%d stages has order at most %d", t->order, t->s, t->s);
        return -1;
    }
    return 0;
}

/* Why text may not be copied into a C comment, or NULL if it may. */
static const char *text_problem(const char *text, size_t max, int empty_ok)
{
    size_t n = strlen(text);
    if (n == 0 && !empty_ok)
        return "is empty";
    if (n > max)
        return "is too long";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] > 0x7e)
            return "has a character that is not printable ASCII";
    if (strstr(text, "*/") || strstr(text, "/*"))
        return "contains \"*/\" or \"/*\"";
    if (strchr(text, '\\'))
        return "contains a backslash";
    return NULL;
}

/* Names, descriptions and exact texts end up in generated C comments. */
static int check_texts(const rk_tableau *t, rk_error *err)
{
    if (t->name[0] && !tableau_name_ok(t->name)) {
        char shown[RK_NAME_MAX];
        size_t n = strnlen(t->name, RK_NAME_MAX - 1);
        for (size_t i = 0; i < n; i++)
            shown[i] = t->name[i] >= 0x20 && t->name[i] < 0x7f ? t->name[i]
                                                               : '?';
        shown[n] = '\0';
        rk_error_set(err, "invalid name \"%s\"; a name is 1 to %d of the "
                     "characters A-Z a-z 0-9 _ . + -", shown, RK_NAME_MAX - 1);
        return -1;
    }
    const char *why;
    if (t->description &&
        (why = text_problem(t->description, DESCRIPTION_MAX, 1))) {
        rk_error_set(err, "the description %s; it is copied into C comments, "
                     "so it must be one line of printable ASCII (at most %d "
                     "characters) without \"*/\", \"/*\" or backslashes",
                     why, DESCRIPTION_MAX);
        return -1;
    }
    for (int k = 0; t->exact && k < n_exact(t->s); k++) {
        if (!t->exact[k] || !(why = text_problem(t->exact[k], EXACT_MAX, 0)))
            continue;
        char label[32];
        coef_label(t, k, label, sizeof label);
        rk_error_set(err, "the exact text of %s %s; it must be a constant "
                     "expression such as \"1/6\" or \"(6-sqrt(6))/10\"",
                     label, why);
        return -1;
    }
    return 0;
}

int tableau_validate(const rk_tableau *t, rk_error *err)
{
    if (!t || t->s < 1 || t->s > RK_MAX_STAGES) {
        rk_error_set(err, "a tableau has 1 to %d stages, not %d",
                     RK_MAX_STAGES, t ? t->s : 0);
        return -1;
    }
    if (!t->A || !t->b || !t->c) {
        rk_error_set(err, "tableau has no coefficients (A, b or c missing)");
        return -1;
    }
    if (check_texts(t, err) || check_finite(t, err) ||
        check_explicit(t, err) || check_row_sums(t, err) ||
        check_weights(t, err) || check_order(t, err))
        return -1;
    return 0;
}

int tableau_stages_used(const rk_tableau *t, int *used)
{
    int n = 0;
    for (int j = 0; j < t->s; j++) {
        used[j] = t->b[j] != 0;
        for (int i = j + 1; i < t->s && !used[j]; i++)
            used[j] = t->A[i * t->s + j] != 0;
        n += used[j];
    }
    return n;
}

/* ---- built-ins ---- */

int tableau_builtin_count(void)
{
    return NBUILTIN;
}

const char *tableau_builtin_name(int i)
{
    return i >= 0 && i < NBUILTIN ? builtins[i].name : NULL;
}

/* Sets coefficient k (index into the exact array) of t. */
static int set_coef(rk_tableau *t, int k, double *slot, const rk_coef *co)
{
    *slot = co->value;
    t->exact[k] = strdup(co->exact);
    return t->exact[k] ? 0 : -1;
}

static rk_tableau *from_builtin(const rk_builtin *bt)
{
    int s = bt->s, rc = 0;
    rk_tableau *t = tableau_new(s);
    if (!t)
        return NULL;
    snprintf(t->name, sizeof t->name, "%s", bt->name);
    t->order = bt->order;
    t->description = strdup(bt->description);
    t->exact = calloc((size_t)n_exact(s), sizeof *t->exact);
    if (!t->description || !t->exact) {
        tableau_free(t);
        return NULL;
    }
    const rk_coef *a = bt->a;
    for (int i = 1; i < s; i++)
        for (int j = 0; j < i; j++)
            rc |= set_coef(t, i * s + j, &t->A[i * s + j], a++);
    for (int i = 0; i < s; i++) {
        rc |= set_coef(t, s * s + i, &t->b[i], &bt->b[i]);
        rc |= set_coef(t, s * s + s + i, &t->c[i], &bt->c[i]);
    }
    if (rc) {
        tableau_free(t);
        return NULL;
    }
    return t;
}

rk_tableau *tableau_builtin(const char *name)
{
    for (int i = 0; name && i < NBUILTIN; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return from_builtin(&builtins[i]);
    return NULL;
}
