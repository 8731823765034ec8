/* series.c - truncated Taylor series in double over an expression tape.
 *
 * Work layout.  With d = deg+1, the main series of slot i lives at
 * work + i*d, so a child's series is found from its slot alone.  After
 * the n main series come the companion series, d doubles each, in tape
 * order, for the instructions whose recurrence needs a second (or third)
 * series (see companions()):
 *   sin/cos: the other of the pair      sinh/cosh: likewise
 *   tan: 1 + tan^2   tanh: 1 - tanh^2   atan: 1 + a^2
 *   asin/acos: sqrt(1 - a^2)            pow(a, b): log a, then b * log a
 *   x^n, |n| >= 2: the powers x^2 .. x^(n-1), and x^|n| itself for n < 0
 *
 * Conventions shared with series_mp.c, which must perform the same
 * roundings in the same order (at 53 bits the two agree bitwise on
 * everything but libm calls):
 *   - coefficient 0 is computed by exactly the scalar operation ex_eval
 *     performs, so the series and the scalar evaluator agree at h = 0;
 *   - sums run over j upwards and start from their first term;
 *   - weighted terms are ((j * x[j]) * y[k-j]), divided by k after the
 *     sum.
 *
 * Every recurrence gives coefficient k from coefficients below k, so each
 * operation is written for one coefficient (the k_* functions), and the
 * series is built either instruction by instruction (ex_series) or
 * coefficient by coefficient (ex_series_coeff, for a Taylor integrator
 * whose inputs' coefficient k+1 depends on the outputs' coefficient k).
 * Both perform the same operations, so they agree bitwise.
 */
#include "series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Extra series an instruction needs besides its own. */
static int companions(const ex_node *nd)
{
    switch (nd->op) {
    case EX_SIN: case EX_COS: case EX_TAN: case EX_SINH: case EX_COSH:
    case EX_TANH: case EX_ASIN: case EX_ACOS: case EX_ATAN:
        return 1;
    case EX_POWI: {
        int m = nd->index < 0 ? -nd->index : nd->index;
        return m < 2 ? 0 : nd->index < 0 ? m - 1 : m - 2;
    }
    case EX_POW:
        return 2;
    default:
        return 0;
    }
}

static size_t series_count(const ex_tape *tp)
{
    size_t series = (size_t)tp->n;
    for (int i = 0; i < tp->n; i++)
        series += (size_t)companions(&tp->code[i]);
    return series;
}

/* After the series, one byte per slot for fixed_slots(). */
size_t ex_series_work(const ex_tape *tp, int deg)
{
    return series_count(tp) * ((size_t)deg + 1) + ((size_t)tp->n + sizeof(double) - 1) / sizeof(double);
}

static unsigned char *fixed_flags(const ex_tape *tp, int deg, double *work)
{
    return (unsigned char *)(work + series_count(tp) * ((size_t)deg + 1));
}

/* Which slots are constant by their form (built from literals,
 * parameters and initial values only): their coefficients above 0 are
 * zero, so they are formed once, at k = 0, and a product with one is a
 * scalar product.  Either skips only terms that are zeros, so the value
 * is the full recurrence's but for the sign of an exact zero. */
static void fixed_slots(const ex_tape *tp, unsigned char *fx)
{
    for (int i = 0; i < tp->n; i++) {
        const ex_node *nd = &tp->code[i];
        fx[i] = nd->op != EX_TIME && nd->op != EX_STATE && (nd->a < 0 || fx[nd->a]) &&
                (nd->b < 0 || fx[nd->b]);
    }
}

/* One instruction's operands: its series c, its companions w (and
 * w + n + 1), its children's series a and b, the degree n, and whether
 * a and b are fixed. */
typedef struct sop {
    double *c, *w;
    const double *a, *b;
    int n;
    unsigned char fa, fb;
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

/* ---- one coefficient of each operation ------------------------------ */

/* c = 1/p; the scalar form is 1 / p. */
static void k_recip(double *c, const double *p, int k)
{
    c[k] = k == 0 ? 1 / p[0] : -conv(p, c, k, 1, k) / p[0];
}

/* Powers x^2..x^m of x^m formed as r = x; r = r*x; ..., like the scalar
 * evaluator: power i (2 <= i <= m) is at out(i). */
static const double *powi_series(const sop *o, int i, int m, int neg)
{
    if (i == 1)
        return o->a;
    if (i == m && !neg)
        return o->c;
    return o->w + (size_t)(i - 2) * ((size_t)o->n + 1);
}

static void k_powi(const sop *o, int e, int k)
{
    if (e == 0) {
        o->c[k] = k == 0 ? 1 : 0;
        return;
    }
    int neg = e < 0, m = neg ? -e : e;
    if (m == 1 && !neg) {
        o->c[k] = o->a[k];
        return;
    }
    for (int i = 2; i <= m; i++) {
        double *pi = (double *)powi_series(o, i, m, neg);
        pi[k] = conv(powi_series(o, i - 1, m, neg), o->a, k, 0, k);
    }
    if (neg)
        k_recip(o->c, powi_series(o, m, m, neg), k);
}

static void k_exp(double *c, const double *a, int k)
{
    c[k] = k == 0 ? exp(a[0]) : wconv(a, c, k, 1, k) / (double)k;
}

/* a c' = a' */
static void k_log(double *c, const double *a, int k)
{
    c[k] = k == 0 ? log(a[0]) : (a[k] - wconv(c, a, k, 1, k - 1) / (double)k) / a[0];
}

/* c^2 = a */
static void k_sqrt(double *c, const double *a, int k)
{
    c[k] = k == 0 ? sqrt(a[0]) : (a[k] - conv(c, c, k, 1, k - 1)) / (2 * c[0]);
}

/* s' = co a' and co' = -s a' (sin, cos) or +s a' (sinh, cosh). */
static void k_sincos(double *s, double *co, const double *a, int k, int hyp)
{
    if (k == 0) {
        s[0] = hyp ? sinh(a[0]) : sin(a[0]);
        co[0] = hyp ? cosh(a[0]) : cos(a[0]);
        return;
    }
    s[k] = wconv(a, co, k, 1, k) / (double)k;
    double v = wconv(a, s, k, 1, k) / (double)k;
    co[k] = hyp ? v : -v;
}

/* t' = v a' with v = 1 + t^2 (tan) or 1 - t^2 (tanh). */
static void k_tan(double *t, double *v, const double *a, int k, int hyp)
{
    if (k == 0) {
        t[0] = hyp ? tanh(a[0]) : tan(a[0]);
        v[0] = hyp ? 1 - t[0] * t[0] : 1 + t[0] * t[0];
        return;
    }
    t[k] = wconv(a, v, k, 1, k) / (double)k;
    double sq = conv(t, t, k, 0, k);
    v[k] = hyp ? -sq : sq;
}

/* c' q = a', q' = -a c' (asin) or c' q = -a', q' = a c' (acos), with
 * q = sqrt(1 - a^2); the recurrence divides by q0, so |a0| < 1. */
static void k_asin(double *c, double *q, const double *a, int k, int acs)
{
    if (k == 0) {
        c[0] = acs ? acos(a[0]) : asin(a[0]);
        /* (1-a)(1+a) keeps its accuracy as |a| approaches 1. */
        q[0] = sqrt((1 - a[0]) * (1 + a[0]));
        return;
    }
    double ak = acs ? -a[k] : a[k];
    c[k] = (ak - wconv(c, q, k, 1, k - 1) / (double)k) / q[0];
    double v = wconv(c, a, k, 1, k) / (double)k;
    q[k] = acs ? v : -v;
}

/* c' q = a' with q = 1 + a^2. */
static void k_atan(double *c, double *q, const double *a, int k)
{
    if (k == 0) {
        c[0] = atan(a[0]);
        q[0] = 1 + a[0] * a[0];
        return;
    }
    q[k] = conv(a, a, k, 0, k);
    c[k] = (a[k] - wconv(c, q, k, 1, k - 1) / (double)k) / q[0];
}

/* c = a^be for a constant be, from a c' = be a' c:
 * c[k] = (sum_{j<k} (be (k-j) - j) a[k-j] c[j]) / k / a[0]. */
static void k_pow_const(double *c, const double *a, double be, int k)
{
    if (k == 0) {
        c[0] = pow(a[0], be);
        return;
    }
    double s = (be * (double)k) * a[k] * c[0];
    for (int j = 1; j < k; j++)
        s += (be * (double)(k - j) - (double)j) * a[k - j] * c[j];
    c[k] = s / (double)k / a[0];
}

/* exp(b log a) through the companions L = log a and u = b L, except
 * that c[0] is pow(a0, b0) like the scalar evaluator. */
static void k_pow_series(const sop *o, int k)
{
    double *lg = o->w, *u = o->w + o->n + 1;
    k_log(lg, o->a, k);
    u[k] = conv(o->b, lg, k, 0, k);
    o->c[k] = k == 0 ? pow(o->a[0], o->b[0]) : wconv(u, o->c, k, 1, k) / (double)k;
}

/* ---- whole series where a recurrence cannot start ------------------- */

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
    for (int k = 0; k <= n - m; k++)
        k_pow_const(c + m, a + v, be, k);
}

/* ---- planning ------------------------------------------------------- */

/* How an instruction's series is formed: by its recurrence (REC; pow
 * says which one), or as a whole (WHOLE: the exceptional cases, which
 * need every coefficient of the argument), or not at all (FAIL). */
enum { REC, REC_POW_CONST, REC_POW_SERIES, WHOLE, FAIL };

/* The plan from the arguments' constant terms; b_const says whether
 * pow's exponent is a constant series. */
static int plan(const ex_node *nd, const sop *o, int b_const)
{
    double a0 = o->a ? o->a[0] : 0;
    switch (nd->op) {
    case EX_DIV:
        return o->b[0] == 0 ? FAIL : REC;
    case EX_POWI: {
        if (nd->index >= 0)
            return REC;
        /* 1/x^m needs x^m's constant term, formed as the evaluator does */
        double p0 = a0;
        for (int i = 1; i < -nd->index; i++)
            p0 = p0 * a0;
        return p0 == 0 ? FAIL : REC;
    }
    case EX_LOG:
        return a0 > 0 ? REC : FAIL;
    case EX_SQRT:
        return a0 > 0 ? REC : WHOLE;
    case EX_ASIN: case EX_ACOS:
        return fabs(a0) < 1 ? REC : WHOLE;
    case EX_POW: {
        double be = o->b[0];
        if (!b_const)
            return a0 > 0 ? REC_POW_SERIES : FAIL;
        if (a0 > 0)
            return REC_POW_CONST;
        /* a0 <= 0: only an integer exponent gives a power series,
         * except for a constant a */
        if (!isfinite(be) || floor(be) != be || (a0 == 0 && be < 0) || a0 == 0)
            return WHOLE;
        return REC_POW_CONST;
    }
    default:
        return REC;
    }
}

/* The exceptional cases, on the whole series. */
static int s_whole(const ex_node *nd, const sop *o)
{
    double a0 = o->a[0];
    switch (nd->op) {
    case EX_SQRT:
        return constant_or_fail(o->c, sqrt(a0), o->a, o->n);
    case EX_ASIN: case EX_ACOS:
        return constant_or_fail(o->c, nd->op == EX_ACOS ? acos(a0) : asin(a0), o->a, o->n);
    default: { /* EX_POW with a0 <= 0 and a constant exponent */
        double be = o->b[0];
        if (!isfinite(be) || floor(be) != be || (a0 == 0 && be < 0))
            return constant_or_fail(o->c, pow(a0, be), o->a, o->n);
        s_pow_zero(o->c, o->a, be, o->n);
        return 0;
    }
    }
}

/* ---- dispatch ------------------------------------------------------- */

/* Coefficient k of a leaf; returns 0 if nd is not a leaf. */
static int k_leaf(const ex_node *nd, const ex_senv *env, double *c, int n, int k)
{
    switch (nd->op) {
    case EX_NUM:   c[k] = k == 0 ? nd->num : 0; return 1;
    case EX_PARAM: c[k] = k == 0 ? env->p[nd->index] : 0; return 1;
    case EX_INIT:  c[k] = k == 0 ? env->y0[nd->index] : 0; return 1;
    case EX_TIME:  c[k] = env->t[k]; return 1;
    case EX_STATE: c[k] = env->y[(size_t)nd->index * ((size_t)n + 1) + (size_t)k]; return 1;
    default:       return 0;
    }
}

/* Coefficient k of an instruction by its recurrence. */
static void k_op(const ex_node *nd, const sop *o, int how, int k)
{
    double *c = o->c, *w = o->w;
    const double *a = o->a, *b = o->b;
    switch (nd->op) {
    case EX_DIV:  c[k] = k == 0 ? a[0] / b[0] : (a[k] - conv(b, c, k, 1, k)) / b[0]; return;
    case EX_POWI: k_powi(o, nd->index, k); return;
    case EX_POW:
        if (how == REC_POW_CONST)
            k_pow_const(c, a, b[0], k);
        else
            k_pow_series(o, k);
        return;
    case EX_SIN:  k_sincos(c, w, a, k, 0); return;
    case EX_COS:  k_sincos(w, c, a, k, 0); return;
    case EX_SINH: k_sincos(c, w, a, k, 1); return;
    case EX_COSH: k_sincos(w, c, a, k, 1); return;
    case EX_TAN:  k_tan(c, w, a, k, 0); return;
    case EX_TANH: k_tan(c, w, a, k, 1); return;
    case EX_ASIN: k_asin(c, w, a, k, 0); return;
    case EX_ACOS: k_asin(c, w, a, k, 1); return;
    case EX_ATAN: k_atan(c, w, a, k); return;
    case EX_EXP:  k_exp(c, a, k); return;
    case EX_LOG:  k_log(c, a, k); return;
    case EX_SQRT: k_sqrt(c, a, k); return;
    default:      return; /* EX_CONST never reaches a tape */
    }
}

static sop operands(const ex_tape *tp, int i, int deg, double *work, double *comp,
                    const unsigned char *fx)
{
    const ex_node *nd = &tp->code[i];
    size_t d = (size_t)deg + 1;
    sop o = { work + (size_t)i * d, comp,
              nd->a >= 0 ? work + (size_t)nd->a * d : NULL,
              nd->b >= 0 ? work + (size_t)nd->b * d : NULL, deg,
              nd->a >= 0 && fx[nd->a], nd->b >= 0 && fx[nd->b] };
    return o;
}

/* ---- one instruction resolved --------------------------------------- */

/* The operations a pass forms without k_op's dispatch: most of a vector
 * field's instructions. */
enum { K_OP, K_NEG, K_ADD, K_SUB, K_MUL, K_MUL_FA, K_MUL_FB, K_SQR, K_DIV_FB };

/* An instruction resolved: where its series and its operands' are, its
 * kind, and its plan, taken from the constant terms at k = 0. */
struct ex_sinstr {
    const ex_node *nd;
    sop o;
    int how;
    unsigned char fixed, leaf, kind;
};

static void resolve(const ex_tape *tp, int i, int deg, double *work, double *comp,
                    const unsigned char *fx, struct ex_sinstr *s)
{
    const ex_node *nd = &tp->code[i];
    s->nd = nd;
    s->o = operands(tp, i, deg, work, comp, fx);
    s->how = REC;
    s->fixed = fx[i];
    s->leaf = nd->a < 0;
    switch (nd->op) {
    case EX_NEG: s->kind = K_NEG; break;
    case EX_ADD: s->kind = K_ADD; break;
    case EX_SUB: s->kind = K_SUB; break;
    case EX_MUL: s->kind = s->o.fa ? K_MUL_FA : s->o.fb ? K_MUL_FB : K_MUL; break;
    case EX_POWI: s->kind = nd->index == 2 ? K_SQR : K_OP; break;
    case EX_DIV: s->kind = s->o.fb ? K_DIV_FB : K_OP; break;
    default: s->kind = K_OP; break;
    }
}

/* The instructions of a tape resolved in turn, with the fixed slots
 * found first. */
typedef struct walk {
    const ex_tape *tp;
    int deg, i;
    double *work, *comp;
    unsigned char *fx;
} walk;

static walk walk_start(const ex_tape *tp, int deg, double *work)
{
    walk w = {tp, deg, 0, work, work + (size_t)tp->n * ((size_t)deg + 1), fixed_flags(tp, deg, work)};
    fixed_slots(tp, w.fx);
    return w;
}

static int walk_next(walk *w, struct ex_sinstr *s)
{
    if (w->i >= w->tp->n)
        return 0;
    resolve(w->tp, w->i, w->deg, w->work, w->comp, w->fx, s);
    w->comp += (size_t)companions(s->nd) * ((size_t)w->deg + 1);
    w->i++;
    return 1;
}

/* Coefficient k of a resolved instruction by its recurrence. */
static void coeff_rec(const struct ex_sinstr *s, int k)
{
    double *c = s->o.c;
    const double *a = s->o.a, *b = s->o.b;
    switch (s->kind) {
    case K_NEG:    c[k] = -a[k]; return;
    case K_ADD:    c[k] = a[k] + b[k]; return;
    case K_SUB:    c[k] = a[k] - b[k]; return;
    case K_MUL:    c[k] = conv(a, b, k, 0, k); return;
    case K_MUL_FA: c[k] = a[0] * b[k]; return;
    case K_MUL_FB: c[k] = a[k] * b[0]; return;
    case K_SQR:    c[k] = conv(a, a, k, 0, k); return;
    case K_DIV_FB: c[k] = a[k] / b[0]; return;
    default:       k_op(s->nd, &s->o, s->how, k); return;
    }
}

int ex_series(const ex_tape *tp, int deg, const ex_senv *env, double *work,
              double *out)
{
    size_t d = (size_t)deg + 1;
    struct ex_sinstr s;
    for (walk w = walk_start(tp, deg, work); walk_next(&w, &s);) {
        int i = w.i - 1;
        if (k_leaf(s.nd, env, s.o.c, deg, 0)) {
            for (int k = 1; k <= deg; k++)
                k_leaf(s.nd, env, s.o.c, deg, k);
            continue;
        }
        s.how = plan(s.nd, &s.o, s.nd->op == EX_POW && is_constant(s.o.b, deg));
        if (s.how == FAIL || (s.how == WHOLE && s_whole(s.nd, &s.o) != 0))
            return i;
        if (s.how != WHOLE && s.fixed) {
            coeff_rec(&s, 0);
            constant(s.o.c, s.o.c[0], deg);
            continue;
        }
        for (int k = 0; s.how != WHOLE && k <= deg; k++)
            coeff_rec(&s, k);
    }
    for (int r = 0; r < tp->nout; r++)
        memcpy(out + (size_t)r * d, work + (size_t)tp->out[r] * d,
               d * sizeof *out);
    return -1;
}

/* ---- coefficient by coefficient ------------------------------------- */

/* Coefficient k of one instruction; replan takes its plan again (else
 * it is kept from k = 0).  Returns 0, or -1 where this order cannot form
 * it.  ex_series tells a constant exponent by its coefficients, which
 * are not all known here: only a fixed one (whose higher coefficients
 * are zero) is sure to get the same plan. */
static int coeff_one(struct ex_sinstr *s, int k, int replan, const ex_senv *env)
{
    const ex_node *nd = s->nd;
    if (s->fixed && k > 0)
        return 0;
    if (s->leaf) {
        k_leaf(nd, env, s->o.c, s->o.n, k);
        if (s->fixed)
            constant(s->o.c, s->o.c[0], s->o.n);
        return 0;
    }
    if (nd->op == EX_POW && !s->o.fb)
        return -1;
    if (replan) {
        s->how = plan(nd, &s->o, 1);
        /* a fixed argument is a constant: the series is f(a0)'s */
        if (s->how == FAIL || (s->how == WHOLE && (!s->fixed || s_whole(nd, &s->o) != 0)))
            return -1;
    }
    if (s->how == WHOLE)
        return 0;
    coeff_rec(s, k);
    if (s->fixed)
        constant(s->o.c, s->o.c[0], s->o.n);
    return 0;
}

int ex_series_coeff(const ex_tape *tp, int deg, int k, const ex_senv *env, double *work)
{
    struct ex_sinstr s;
    for (walk w = walk_start(tp, deg, work); walk_next(&w, &s);)
        if (coeff_one(&s, k, 1, env) != 0)
            return w.i - 1;
    return -1;
}

/* ---- the resolved program ------------------------------------------- */

/* Where slot i's series is read: in place for a bound state or t. */
static const double *bound_series(const ex_sprog *p, int i)
{
    const ex_node *nd = &p->tp->code[i];
    size_t d = (size_t)p->deg + 1;
    if (p->bound && nd->op == EX_STATE)
        return p->bind.y + (size_t)nd->index * d;
    if (p->bound && nd->op == EX_TIME)
        return p->bind.t;
    return p->work + (size_t)i * d;
}

int ex_sprog_init(ex_sprog *p, const ex_tape *tp, int deg, double *work, const ex_senv *bind)
{
    size_t n = (size_t)tp->n;
    memset(p, 0, sizeof *p);
    p->tp = tp;
    p->deg = -1;
    p->work = work;
    if (bind) {
        p->bind = *bind;
        p->bound = 1;
    }
    p->ins = malloc((n + 1) * sizeof *p->ins);
    p->live = malloc((n + 1) * sizeof *p->live);
    p->out = malloc(((size_t)tp->nout + 1) * sizeof *p->out);
    if (!p->ins || !p->live || !p->out) {
        ex_sprog_free(p);
        return -1;
    }
    p->deg = deg;
    walk w = walk_start(tp, deg, work);
    for (int i = 0; walk_next(&w, &p->ins[i]); i++) {
        struct ex_sinstr *s = &p->ins[i];
        const ex_node *nd = s->nd;
        if (nd->a >= 0)
            s->o.a = bound_series(p, nd->a);
        if (nd->b >= 0)
            s->o.b = bound_series(p, nd->b);
        /* above k = 0 a pass forms only what varies and is not read in place */
        int in_place = bound_series(p, i) != s->o.c;
        if (!s->fixed && !in_place)
            p->live[p->nlive++] = i;
        if (in_place)
            s->leaf = 2;
    }
    for (int r = 0; r < tp->nout; r++)
        p->out[r] = bound_series(p, tp->out[r]);
    return 0;
}

void ex_sprog_free(ex_sprog *p)
{
    free(p->ins);
    free(p->live);
    free(p->out);
    p->ins = NULL;
    p->live = NULL;
    p->out = NULL;
}

int ex_sprog_coeff(ex_sprog *p, int k, const ex_senv *env)
{
    if (k == 0) {
        for (int i = 0; i < p->tp->n; i++)
            if (p->ins[i].leaf != 2 && coeff_one(&p->ins[i], 0, 1, env) != 0)
                return i;
        return -1;
    }
    /* k = 0 checked every plan: the rest is the recurrences */
    for (int j = 0; j < p->nlive; j++) {
        const struct ex_sinstr *s = &p->ins[p->live[j]];
        if (s->leaf)
            k_leaf(s->nd, env, s->o.c, s->o.n, k);
        else if (s->how != WHOLE)
            coeff_rec(s, k);
    }
    return -1;
}

const double *ex_sprog_output(const ex_sprog *p, int r)
{
    return p->out[r];
}

const double *ex_series_output(const ex_tape *tp, int deg, const double *work, int r)
{
    return work + (size_t)tp->out[r] * ((size_t)deg + 1);
}
