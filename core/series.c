/* series.c - truncated Taylor series in double over an expression tape.
 *
 * Work layout.  With d = deg+1, the main series of slot i lives at
 * work + i*d, so a child's series is found from its slot alone.  After
 * the n main series come the companion series, d doubles each, in tape
 * order, for the instructions whose recurrence needs a second (or third)
 * series (see companions()):
 *   sin/cos: the other of the pair      sinh/cosh: likewise
 *   tan: 1 + tan^2   tanh: 1 - tanh^2   atan: 1 + a^2
 *   asin/acos: sqrt(1 - a^2)            x^-n: the product x^n
 *   pow(a, b): log a, then b * log a
 *
 * Conventions shared with series_mp.c, which must perform the same
 * roundings in the same order (at 53 bits the two agree bitwise on
 * everything but libm calls):
 *   - coefficient 0 is computed by exactly the scalar operation ex_eval
 *     performs, so the series and the scalar evaluator agree at h = 0;
 *   - sums run over j upwards and start from their first term;
 *   - weighted terms are ((j * x[j]) * y[k-j]), divided by k after the
 *     sum.
 */
#include "series.h"

#include <math.h>
#include <string.h>

/* Extra series an instruction needs besides its own. */
static int companions(const ex_node *nd)
{
    switch (nd->op) {
    case EX_SIN: case EX_COS: case EX_TAN: case EX_SINH: case EX_COSH:
    case EX_TANH: case EX_ASIN: case EX_ACOS: case EX_ATAN:
        return 1;
    case EX_POWI:
        return nd->index < 0;
    case EX_POW:
        return 2;
    default:
        return 0;
    }
}

size_t ex_series_work(const ex_tape *tp, int deg)
{
    size_t series = (size_t)tp->n;
    for (int i = 0; i < tp->n; i++)
        series += (size_t)companions(&tp->code[i]);
    return series * ((size_t)deg + 1);
}

/* One instruction's operands: its series c, its companions w (and
 * w + n + 1), its children's series a and b, and the degree n. */
typedef struct sop {
    double *c, *w;
    const double *a, *b;
    int n;
} sop;

/* sum_{j=lo..hi} x[j] * y[k-j]; 0 if empty. */
static double conv(const double *x, const double *y, int k, int lo, int hi)
{
    if (lo > hi)
        return 0;
    double s = x[lo] * y[k - lo];
    for (int j = lo + 1; j <= hi; j++)
        s += x[j] * y[k - j];
    return s;
}

/* sum_{j=lo..hi} j * x[j] * y[k-j]; 0 if empty.  Every transcendental
 * recurrence here comes from an identity z' = x' y, whose coefficient
 * of h^(k-1) reads k z[k] = sum_{j=1..k} j x[j] y[k-j]. */
static double wconv(const double *x, const double *y, int k, int lo, int hi)
{
    if (lo > hi)
        return 0;
    double s = ((double)lo * x[lo]) * y[k - lo];
    for (int j = lo + 1; j <= hi; j++)
        s += ((double)j * x[j]) * y[k - j];
    return s;
}

static void constant(double *c, double v, int n)
{
    c[0] = v;
    for (int k = 1; k <= n; k++)
        c[k] = 0;
}

static int is_constant(const double *x, int n)
{
    for (int k = 1; k <= n; k++)
        if (x[k] != 0)
            return 0;
    return 1;
}

/* Where a recurrence cannot start (sqrt(0), acos(-1), pow(0, 0.5)), the
 * series still exists when the argument is a constant, as in a named
 * constant pi = acos(-1): it is the constant f(a0), if that is a real
 * number.  Returns 0 with c set, or -1. */
static int constant_or_fail(double *c, double v, const double *a, int n)
{
    if (!isfinite(v) || !is_constant(a, n))
        return -1;
    constant(c, v, n);
    return 0;
}

/* ---- rational operations ------------------------------------------- */

static void s_mul(double *c, const double *a, const double *b, int n)
{
    for (int k = 0; k <= n; k++)
        c[k] = conv(a, b, k, 0, k);
}

static int s_div(double *c, const double *a, const double *b, int n)
{
    if (b[0] == 0)
        return -1;
    c[0] = a[0] / b[0];
    for (int k = 1; k <= n; k++)
        c[k] = (a[k] - conv(b, c, k, 1, k)) / b[0];
    return 0;
}

/* c = 1/p; the scalar form is 1 / p. */
static int s_recip(double *c, const double *p, int n)
{
    if (p[0] == 0)
        return -1;
    c[0] = 1 / p[0];
    for (int k = 1; k <= n; k++)
        c[k] = -conv(p, c, k, 1, k) / p[0];
    return 0;
}

/* c = x^m, m >= 1, as r = x; r = r*x; ... like the scalar evaluator.
 * Each product is formed in place from the top coefficient down, which
 * leaves the lower coefficients it still needs untouched. */
static void s_powi_pos(double *c, const double *x, unsigned m, int n)
{
    memcpy(c, x, ((size_t)n + 1) * sizeof *c);
    for (unsigned i = 1; i < m; i++)
        for (int k = n; k >= 0; k--)
            c[k] = conv(c, x, k, 0, k);
}

static int s_powi(const sop *o, int e)
{
    if (e == 0) {
        constant(o->c, 1, o->n);
        return 0;
    }
    unsigned m = e < 0 ? 0u - (unsigned)e : (unsigned)e;
    if (e > 0) {
        s_powi_pos(o->c, o->a, m, o->n);
        return 0;
    }
    s_powi_pos(o->w, o->a, m, o->n);
    return s_recip(o->c, o->w, o->n);
}

/* ---- exp, log, sqrt ------------------------------------------------ */

static void s_exp(double *c, const double *a, int n)
{
    c[0] = exp(a[0]);
    for (int k = 1; k <= n; k++)
        c[k] = wconv(a, c, k, 1, k) / (double)k;
}

/* a c' = a' */
static int s_log(double *c, const double *a, int n)
{
    if (!(a[0] > 0))
        return -1;
    c[0] = log(a[0]);
    for (int k = 1; k <= n; k++)
        c[k] = (a[k] - wconv(c, a, k, 1, k - 1) / (double)k) / a[0];
    return 0;
}

/* c^2 = a; sqrt is not differentiable at 0, so a[0] must be positive
 * (unless a is a constant). */
static int s_sqrt(double *c, const double *a, int n)
{
    if (!(a[0] > 0))
        return constant_or_fail(c, sqrt(a[0]), a, n);
    c[0] = sqrt(a[0]);
    for (int k = 1; k <= n; k++)
        c[k] = (a[k] - conv(c, c, k, 1, k - 1)) / (2 * c[0]);
    return 0;
}

/* ---- trigonometric and hyperbolic ---------------------------------- */

/* s' = co a' and co' = -s a' (sin, cos) or +s a' (sinh, cosh). */
static void s_sincos(double *s, double *co, const double *a, int n, int hyp)
{
    s[0] = hyp ? sinh(a[0]) : sin(a[0]);
    co[0] = hyp ? cosh(a[0]) : cos(a[0]);
    for (int k = 1; k <= n; k++) {
        s[k] = wconv(a, co, k, 1, k) / (double)k;
        double v = wconv(a, s, k, 1, k) / (double)k;
        co[k] = hyp ? v : -v;
    }
}

/* t' = v a' with v = 1 + t^2 (tan) or 1 - t^2 (tanh). */
static void s_tan(double *t, double *v, const double *a, int n, int hyp)
{
    t[0] = hyp ? tanh(a[0]) : tan(a[0]);
    v[0] = hyp ? 1 - t[0] * t[0] : 1 + t[0] * t[0];
    for (int k = 1; k <= n; k++) {
        t[k] = wconv(a, v, k, 1, k) / (double)k;
        double sq = conv(t, t, k, 0, k);
        v[k] = hyp ? -sq : sq;
    }
}

/* c' q = a', q' = -a c' (asin) or c' q = -a', q' = a c' (acos), with
 * q = sqrt(1 - a^2); the recurrence divides by q0, so |a0| < 1. */
static int s_asin(double *c, double *q, const double *a, int n, int acs)
{
    if (!(fabs(a[0]) < 1))
        return constant_or_fail(c, acs ? acos(a[0]) : asin(a[0]), a, n);
    c[0] = acs ? acos(a[0]) : asin(a[0]);
    /* (1-a)(1+a) keeps its accuracy as |a| approaches 1. */
    q[0] = sqrt((1 - a[0]) * (1 + a[0]));
    for (int k = 1; k <= n; k++) {
        double ak = acs ? -a[k] : a[k];
        c[k] = (ak - wconv(c, q, k, 1, k - 1) / (double)k) / q[0];
        double v = wconv(c, a, k, 1, k) / (double)k;
        q[k] = acs ? v : -v;
    }
    return 0;
}

/* c' q = a' with q = 1 + a^2. */
static void s_atan(double *c, double *q, const double *a, int n)
{
    c[0] = atan(a[0]);
    q[0] = 1 + a[0] * a[0];
    for (int k = 1; k <= n; k++)
        q[k] = conv(a, a, k, 0, k);
    for (int k = 1; k <= n; k++)
        c[k] = (a[k] - wconv(c, q, k, 1, k - 1) / (double)k) / q[0];
}

/* ---- pow ------------------------------------------------------------ */

/* c = a^be for a constant be, from a c' = be a' c:
 * c[k] = (sum_{j<k} (be (k-j) - j) a[k-j] c[j]) / k / a[0]. */
static void s_pow_const(double *c, const double *a, double be, int n)
{
    c[0] = pow(a[0], be);
    for (int k = 1; k <= n; k++) {
        double s = (be * (double)k) * a[k] * c[0];
        for (int j = 1; j < k; j++)
            s += (be * (double)(k - j) - (double)j) * a[k - j] * c[j];
        c[k] = s / (double)k / a[0];
    }
}

/* a^be with a[0] == 0 and be a nonnegative integer: a = h^v r(h) with
 * r(0) != 0, so a^be = h^(v be) r^be, whose lowest v*be coefficients
 * vanish and whose others are r^be's by the recurrence above. */
static void s_pow_zero(double *c, const double *a, double be, int n)
{
    if (be == 0) {
        constant(c, 1, n);
        return;
    }
    int v = 1;
    while (v <= n && a[v] == 0)
        v++;
    constant(c, 0, n);
    if (v > n || be > (double)(n / v))
        return;
    int m = v * (int)be;
    s_pow_const(c + m, a + v, be, n - m);
}

/* exp(b log a) through the companions L = log a and u = b L, except
 * that c[0] is pow(a0, b0) like the scalar evaluator. */
static int s_pow_series(const sop *o)
{
    int n = o->n;
    double *lg = o->w, *u = o->w + n + 1;
    if (s_log(lg, o->a, n) != 0)
        return -1;
    s_mul(u, o->b, lg, n);
    o->c[0] = pow(o->a[0], o->b[0]);
    for (int k = 1; k <= n; k++)
        o->c[k] = wconv(u, o->c, k, 1, k) / (double)k;
    return 0;
}

/* A constant exponent (tested on the coefficients, so a state whose
 * derivatives vanish counts) takes the one-recurrence path, which is
 * more accurate than exp(b log a) and allows a0 <= 0 for integer b. */
static int s_pow(const sop *o)
{
    double a0 = o->a[0], be = o->b[0];
    if (!is_constant(o->b, o->n)) {
        if (!(a0 > 0))
            return -1;
        return s_pow_series(o);
    }
    if (a0 > 0) {
        s_pow_const(o->c, o->a, be, o->n);
        return 0;
    }
    /* a0 <= 0: only an integer exponent gives a power series, except
     * for a constant a. */
    if (!isfinite(be) || floor(be) != be || (a0 == 0 && be < 0))
        return constant_or_fail(o->c, pow(a0, be), o->a, o->n);
    if (a0 != 0)
        s_pow_const(o->c, o->a, be, o->n);
    else
        s_pow_zero(o->c, o->a, be, o->n);
    return 0;
}

/* ---- dispatch ------------------------------------------------------- */

/* Loads a leaf's series; returns 0 if nd is not a leaf. */
static int s_leaf(const ex_node *nd, const ex_senv *env, double *c, int n)
{
    size_t d = (size_t)n + 1;
    switch (nd->op) {
    case EX_NUM:   constant(c, nd->num, n); return 1;
    case EX_PARAM: constant(c, env->p[nd->index], n); return 1;
    case EX_INIT:  constant(c, env->y0[nd->index], n); return 1;
    case EX_TIME:  memcpy(c, env->t, d * sizeof *c); return 1;
    case EX_STATE:
        memcpy(c, env->y + (size_t)nd->index * d, d * sizeof *c);
        return 1;
    default:
        return 0;
    }
}

static int s_op(const ex_node *nd, const sop *o)
{
    double *c = o->c, *w = o->w;
    const double *a = o->a, *b = o->b;
    int n = o->n;
    switch (nd->op) {
    case EX_NEG:
        for (int k = 0; k <= n; k++)
            c[k] = -a[k];
        return 0;
    case EX_ADD:
        for (int k = 0; k <= n; k++)
            c[k] = a[k] + b[k];
        return 0;
    case EX_SUB:
        for (int k = 0; k <= n; k++)
            c[k] = a[k] - b[k];
        return 0;
    case EX_MUL:  s_mul(c, a, b, n); return 0;
    case EX_DIV:  return s_div(c, a, b, n);
    case EX_POWI: return s_powi(o, nd->index);
    case EX_POW:  return s_pow(o);
    case EX_SIN:  s_sincos(c, w, a, n, 0); return 0;
    case EX_COS:  s_sincos(w, c, a, n, 0); return 0;
    case EX_SINH: s_sincos(c, w, a, n, 1); return 0;
    case EX_COSH: s_sincos(w, c, a, n, 1); return 0;
    case EX_TAN:  s_tan(c, w, a, n, 0); return 0;
    case EX_TANH: s_tan(c, w, a, n, 1); return 0;
    case EX_ASIN: return s_asin(c, w, a, n, 0);
    case EX_ACOS: return s_asin(c, w, a, n, 1);
    case EX_ATAN: s_atan(c, w, a, n); return 0;
    case EX_EXP:  s_exp(c, a, n); return 0;
    case EX_LOG:  return s_log(c, a, n);
    case EX_SQRT: return s_sqrt(c, a, n);
    default:      return -1; /* EX_CONST never reaches a tape */
    }
}

int ex_series(const ex_tape *tp, int deg, const ex_senv *env, double *work,
              double *out)
{
    size_t d = (size_t)deg + 1;
    double *comp = work + (size_t)tp->n * d;
    for (int i = 0; i < tp->n; i++) {
        const ex_node *nd = &tp->code[i];
        sop o = { work + (size_t)i * d, comp,
                  nd->a >= 0 ? work + (size_t)nd->a * d : NULL,
                  nd->b >= 0 ? work + (size_t)nd->b * d : NULL, deg };
        if (!s_leaf(nd, env, o.c, deg) && s_op(nd, &o) != 0)
            return i;
        comp += (size_t)companions(nd) * d;
    }
    for (int r = 0; r < tp->nout; r++)
        memcpy(out + (size_t)r * d, work + (size_t)tp->out[r] * d,
               d * sizeof *out);
    return -1;
}
