/* series_mp.c - truncated Taylor series in MPFR over an expression tape.
 *
 * The same recurrences as series.c, rounding to nearest at w->prec bits
 * after every operation, in the same order: at 53 bits every coefficient
 * agrees bitwise with the double version wherever that one calls no libm
 * function (MPFR rounds + - * / sqrt correctly, like IEEE double).  Only
 * literals differ by design: they are read from their decimal text, so
 * 0.1 is 0.1 to the working precision, not the double nearest to it.
 *
 * Work layout (w->v): as in series.c, the tape's main series, then the
 * companion series in tape order, then two scratch numbers.
 */
#include "series.h"

#include <assert.h>

#include "mpvec.h"

#define R MPFR_RNDN

/* Extra series an instruction needs besides its own (as in series.c). */
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

#define SCRATCH 2

int ex_mpwork_init(ex_mpwork *w, const ex_tape *tp, int deg, mpfr_prec_t prec)
{
    size_t series = (size_t)tp->n;
    for (int i = 0; i < tp->n; i++)
        series += (size_t)companions(&tp->code[i]);
    w->n = series * ((size_t)deg + 1) + SCRATCH;
    w->deg = deg;
    w->prec = prec;
    w->v = mpvec_new(w->n, prec);
    if (!w->v) {
        w->n = 0;
        return -1;
    }
    return 0;
}

void ex_mpwork_clear(ex_mpwork *w)
{
    mpvec_free(w->v, w->n);
    w->v = NULL;
    w->n = 0;
}

/* One instruction's operands (see sop in series.c) and two scratch
 * numbers: s receives sums, t holds their terms. */
typedef struct mop {
    mpfr_t *c, *w, *a, *b;
    int n;
    mpfr_ptr s, t;
} mop;

/* s = sum_{j=lo..hi} x[j] * y[k-j]; 0 if empty. */
static void conv(const mop *o, mpfr_t *x, mpfr_t *y, int k, int lo, int hi)
{
    if (lo > hi) {
        mpfr_set_ui(o->s, 0, R);
        return;
    }
    mpfr_mul(o->s, x[lo], y[k - lo], R);
    for (int j = lo + 1; j <= hi; j++) {
        mpfr_mul(o->t, x[j], y[k - j], R);
        mpfr_add(o->s, o->s, o->t, R);
    }
}

/* s = sum_{j=lo..hi} j * x[j] * y[k-j]; 0 if empty. */
static void wconv(const mop *o, mpfr_t *x, mpfr_t *y, int k, int lo, int hi)
{
    if (lo > hi) {
        mpfr_set_ui(o->s, 0, R);
        return;
    }
    mpfr_mul_ui(o->s, x[lo], (unsigned long)lo, R);
    mpfr_mul(o->s, o->s, y[k - lo], R);
    for (int j = lo + 1; j <= hi; j++) {
        mpfr_mul_ui(o->t, x[j], (unsigned long)j, R);
        mpfr_mul(o->t, o->t, y[k - j], R);
        mpfr_add(o->s, o->s, o->t, R);
    }
}

/* s = wconv(...) / k */
static void wconv_k(const mop *o, mpfr_t *x, mpfr_t *y, int k, int lo, int hi)
{
    wconv(o, x, y, k, lo, hi);
    mpfr_div_ui(o->s, o->s, (unsigned long)k, R);
}

static void constant_zero(mpfr_t *c, int n)
{
    for (int k = 1; k <= n; k++)
        mpfr_set_ui(c[k], 0, R);
}

static int is_constant(mpfr_t *x, int n)
{
    for (int k = 1; k <= n; k++)
        if (!mpfr_zero_p(x[k]))
            return 0;
    return 1;
}

/* c[0] holds f(a0), where the recurrence cannot start: the series is
 * that constant if a is constant and f(a0) is a real number (see
 * constant_or_fail in series.c). */
static int constant_or_fail(mpfr_t *c, mpfr_t *a, int n)
{
    if (!mpfr_number_p(c[0]) || !is_constant(a, n))
        return -1;
    constant_zero(c, n);
    return 0;
}

static int positive(mpfr_srcptr x)
{
    return !mpfr_nan_p(x) && mpfr_sgn(x) > 0;
}

/* ---- rational operations ------------------------------------------- */

static void m_mul(const mop *o, mpfr_t *c, mpfr_t *a, mpfr_t *b)
{
    for (int k = 0; k <= o->n; k++) {
        conv(o, a, b, k, 0, k);
        mpfr_set(c[k], o->s, R);
    }
}

static int m_div(const mop *o)
{
    mpfr_t *c = o->c, *a = o->a, *b = o->b;
    if (mpfr_zero_p(b[0]))
        return -1;
    mpfr_div(c[0], a[0], b[0], R);
    for (int k = 1; k <= o->n; k++) {
        conv(o, b, c, k, 1, k);
        mpfr_sub(c[k], a[k], o->s, R);
        mpfr_div(c[k], c[k], b[0], R);
    }
    return 0;
}

static int m_recip(const mop *o, mpfr_t *c, mpfr_t *p)
{
    if (mpfr_zero_p(p[0]))
        return -1;
    mpfr_ui_div(c[0], 1, p[0], R);
    for (int k = 1; k <= o->n; k++) {
        conv(o, p, c, k, 1, k);
        mpfr_neg(c[k], o->s, R);
        mpfr_div(c[k], c[k], p[0], R);
    }
    return 0;
}

/* c = x^m, m >= 1, by repeated products formed in place from the top. */
static void m_powi_pos(const mop *o, mpfr_t *c, mpfr_t *x, unsigned m)
{
    for (int k = 0; k <= o->n; k++)
        mpfr_set(c[k], x[k], R);
    for (unsigned i = 1; i < m; i++)
        for (int k = o->n; k >= 0; k--) {
            conv(o, c, x, k, 0, k);
            mpfr_set(c[k], o->s, R);
        }
}

static int m_powi(const mop *o, int e)
{
    if (e == 0) {
        mpfr_set_ui(o->c[0], 1, R);
        constant_zero(o->c, o->n);
        return 0;
    }
    unsigned m = e < 0 ? 0u - (unsigned)e : (unsigned)e;
    if (e > 0) {
        m_powi_pos(o, o->c, o->a, m);
        return 0;
    }
    m_powi_pos(o, o->w, o->a, m);
    return m_recip(o, o->c, o->w);
}

/* ---- exp, log, sqrt ------------------------------------------------ */

static void m_exp(const mop *o, mpfr_t *c, mpfr_t *a)
{
    mpfr_exp(c[0], a[0], R);
    for (int k = 1; k <= o->n; k++) {
        wconv_k(o, a, c, k, 1, k);
        mpfr_set(c[k], o->s, R);
    }
}

/* a c' = a' */
static int m_log(const mop *o, mpfr_t *c, mpfr_t *a)
{
    if (!positive(a[0]))
        return -1;
    mpfr_log(c[0], a[0], R);
    for (int k = 1; k <= o->n; k++) {
        wconv_k(o, c, a, k, 1, k - 1);
        mpfr_sub(c[k], a[k], o->s, R);
        mpfr_div(c[k], c[k], a[0], R);
    }
    return 0;
}

static int m_sqrt(const mop *o)
{
    mpfr_t *c = o->c, *a = o->a;
    if (!positive(a[0])) {
        mpfr_sqrt(c[0], a[0], R);
        return constant_or_fail(c, a, o->n);
    }
    mpfr_sqrt(c[0], a[0], R);
    for (int k = 1; k <= o->n; k++) {
        conv(o, c, c, k, 1, k - 1);
        mpfr_sub(c[k], a[k], o->s, R);
        mpfr_mul_2ui(o->s, c[0], 1, R);
        mpfr_div(c[k], c[k], o->s, R);
    }
    return 0;
}

/* ---- trigonometric and hyperbolic ---------------------------------- */

/* s' = co a', co' = -+ s a' */
static void m_sincos(const mop *o, mpfr_t *s, mpfr_t *co, int hyp)
{
    mpfr_t *a = o->a;
    if (hyp)
        mpfr_sinh_cosh(s[0], co[0], a[0], R);
    else
        mpfr_sin_cos(s[0], co[0], a[0], R);
    for (int k = 1; k <= o->n; k++) {
        wconv_k(o, a, co, k, 1, k);
        mpfr_set(s[k], o->s, R);
        wconv_k(o, a, s, k, 1, k);
        if (hyp)
            mpfr_set(co[k], o->s, R);
        else
            mpfr_neg(co[k], o->s, R);
    }
}

/* t' = v a' with v = 1 +- t^2 */
static void m_tan(const mop *o, int hyp)
{
    mpfr_t *t = o->c, *v = o->w, *a = o->a;
    if (hyp)
        mpfr_tanh(t[0], a[0], R);
    else
        mpfr_tan(t[0], a[0], R);
    mpfr_mul(v[0], t[0], t[0], R);
    if (hyp)
        mpfr_ui_sub(v[0], 1, v[0], R);
    else
        mpfr_add_ui(v[0], v[0], 1, R);
    for (int k = 1; k <= o->n; k++) {
        wconv_k(o, a, v, k, 1, k);
        mpfr_set(t[k], o->s, R);
        conv(o, t, t, k, 0, k);
        if (hyp)
            mpfr_neg(v[k], o->s, R);
        else
            mpfr_set(v[k], o->s, R);
    }
}

/* c' q = +-a' with q = sqrt(1 - a^2), q' = -+ a c' (asin / acos) */
static int m_asin(const mop *o, int acs)
{
    mpfr_t *c = o->c, *q = o->w, *a = o->a;
    if (acs)
        mpfr_acos(c[0], a[0], R);
    else
        mpfr_asin(c[0], a[0], R);
    if (mpfr_nan_p(a[0]) || mpfr_cmpabs_ui(a[0], 1) >= 0)
        return constant_or_fail(c, a, o->n);
    mpfr_ui_sub(o->t, 1, a[0], R);
    mpfr_add_ui(o->s, a[0], 1, R);
    mpfr_mul(q[0], o->t, o->s, R);
    mpfr_sqrt(q[0], q[0], R);
    for (int k = 1; k <= o->n; k++) {
        wconv_k(o, c, q, k, 1, k - 1);
        if (acs) {
            mpfr_neg(c[k], a[k], R);
            mpfr_sub(c[k], c[k], o->s, R);
        } else {
            mpfr_sub(c[k], a[k], o->s, R);
        }
        mpfr_div(c[k], c[k], q[0], R);
        wconv_k(o, c, a, k, 1, k);
        if (acs)
            mpfr_set(q[k], o->s, R);
        else
            mpfr_neg(q[k], o->s, R);
    }
    return 0;
}

/* c' q = a' with q = 1 + a^2 */
static void m_atan(const mop *o)
{
    mpfr_t *c = o->c, *q = o->w, *a = o->a;
    mpfr_atan(c[0], a[0], R);
    mpfr_mul(q[0], a[0], a[0], R);
    mpfr_add_ui(q[0], q[0], 1, R);
    for (int k = 1; k <= o->n; k++) {
        conv(o, a, a, k, 0, k);
        mpfr_set(q[k], o->s, R);
    }
    for (int k = 1; k <= o->n; k++) {
        wconv_k(o, c, q, k, 1, k - 1);
        mpfr_sub(c[k], a[k], o->s, R);
        mpfr_div(c[k], c[k], q[0], R);
    }
}

/* ---- pow ------------------------------------------------------------ */

/* c = a^be for constant be, to degree n (see s_pow_const). */
static void m_pow_const(const mop *o, mpfr_t *c, mpfr_t *a, mpfr_srcptr be,
                        int n)
{
    mpfr_pow(c[0], a[0], be, R);
    for (int k = 1; k <= n; k++) {
        mpfr_mul_ui(o->s, be, (unsigned long)k, R);
        mpfr_mul(o->s, o->s, a[k], R);
        mpfr_mul(o->s, o->s, c[0], R);
        for (int j = 1; j < k; j++) {
            mpfr_mul_ui(o->t, be, (unsigned long)(k - j), R);
            mpfr_sub_ui(o->t, o->t, (unsigned long)j, R);
            mpfr_mul(o->t, o->t, a[k - j], R);
            mpfr_mul(o->t, o->t, c[j], R);
            mpfr_add(o->s, o->s, o->t, R);
        }
        mpfr_div_ui(c[k], o->s, (unsigned long)k, R);
        mpfr_div(c[k], c[k], a[0], R);
    }
}

/* a^be with a[0] == 0 and be a nonnegative integer (see s_pow_zero). */
static void m_pow_zero(const mop *o, mpfr_srcptr be)
{
    mpfr_t *c = o->c, *a = o->a;
    int n = o->n;
    mpfr_set_ui(c[0], mpfr_zero_p(be) ? 1 : 0, R);
    constant_zero(c, n);
    if (mpfr_zero_p(be))
        return;
    int v = 1;
    while (v <= n && mpfr_zero_p(a[v]))
        v++;
    if (v > n || mpfr_cmp_ui(be, (unsigned long)(n / v)) > 0)
        return;
    int m = v * (int)mpfr_get_ui(be, R);
    m_pow_const(o, c + m, a + v, be, n - m);
}

/* exp(b log a) through the companions log a and b log a. */
static int m_pow_series(const mop *o)
{
    int n = o->n;
    mpfr_t *c = o->c, *lg = o->w, *u = o->w + n + 1;
    if (m_log(o, lg, o->a) != 0)
        return -1;
    m_mul(o, u, o->b, lg);
    mpfr_pow(c[0], o->a[0], o->b[0], R);
    for (int k = 1; k <= n; k++) {
        wconv_k(o, u, c, k, 1, k);
        mpfr_set(c[k], o->s, R);
    }
    return 0;
}

static int m_pow(const mop *o)
{
    mpfr_srcptr a0 = o->a[0], be = o->b[0];
    if (!is_constant(o->b, o->n))
        return positive(a0) ? m_pow_series(o) : -1;
    if (positive(a0) || (mpfr_integer_p(be) && !mpfr_zero_p(a0))) {
        m_pow_const(o, o->c, o->a, be, o->n);
        return 0;
    }
    if (!mpfr_integer_p(be) || mpfr_sgn(be) < 0) {
        mpfr_pow(o->c[0], a0, be, R);
        return constant_or_fail(o->c, o->a, o->n);
    }
    m_pow_zero(o, be);
    return 0;
}

/* ---- dispatch ------------------------------------------------------- */

/* A literal from its exact decimal text; the double only when the text
 * is missing or is not a base-10 number. */
static void m_literal(mpfr_ptr x, const ex_tape *tp, const ex_node *nd)
{
    if (tp->text && nd->text >= 0 &&
        mpfr_set_str(x, tp->text + nd->text, 10, R) == 0)
        return;
    mpfr_set_d(x, nd->num, R);
}

/* Loads a leaf's series; returns 0 if nd is not a leaf. */
static int m_leaf(const ex_tape *tp, const ex_node *nd,
                  const ex_senv_mp *env, mpfr_t *c, int n)
{
    switch (nd->op) {
    case EX_NUM:   m_literal(c[0], tp, nd); break;
    case EX_PARAM: mpfr_set(c[0], env->p[nd->index], R); break;
    case EX_INIT:  mpfr_set(c[0], env->y0[nd->index], R); break;
    case EX_TIME:  mpvec_copy(c, env->t, (size_t)n + 1); return 1;
    case EX_STATE: mpvec_copy(c, env->y + (size_t)nd->index * ((size_t)n + 1), (size_t)n + 1); return 1;
    default:       return 0;
    }
    constant_zero(c, n);
    return 1;
}

static void m_lin(const mop *o, ex_op op)
{
    for (int k = 0; k <= o->n; k++) {
        if (op == EX_NEG)
            mpfr_neg(o->c[k], o->a[k], R);
        else if (op == EX_ADD)
            mpfr_add(o->c[k], o->a[k], o->b[k], R);
        else
            mpfr_sub(o->c[k], o->a[k], o->b[k], R);
    }
}

static int m_op(const ex_node *nd, const mop *o)
{
    switch (nd->op) {
    case EX_NEG: case EX_ADD: case EX_SUB:
        m_lin(o, nd->op);
        return 0;
    case EX_MUL:  m_mul(o, o->c, o->a, o->b); return 0;
    case EX_DIV:  return m_div(o);
    case EX_POWI: return m_powi(o, nd->index);
    case EX_POW:  return m_pow(o);
    case EX_SIN:  m_sincos(o, o->c, o->w, 0); return 0;
    case EX_COS:  m_sincos(o, o->w, o->c, 0); return 0;
    case EX_SINH: m_sincos(o, o->c, o->w, 1); return 0;
    case EX_COSH: m_sincos(o, o->w, o->c, 1); return 0;
    case EX_TAN:  m_tan(o, 0); return 0;
    case EX_TANH: m_tan(o, 1); return 0;
    case EX_ASIN: return m_asin(o, 0);
    case EX_ACOS: return m_asin(o, 1);
    case EX_ATAN: m_atan(o); return 0;
    case EX_EXP:  m_exp(o, o->c, o->a); return 0;
    case EX_LOG:  return m_log(o, o->c, o->a);
    case EX_SQRT: return m_sqrt(o);
    default:      return -1; /* EX_CONST never reaches a tape */
    }
}

int ex_series_mp(const ex_tape *tp, int deg, const ex_senv_mp *env,
                 ex_mpwork *w, mpfr_t *out)
{
    /* The work was sized for w->deg; a lower degree fits in it. */
    assert(deg <= w->deg);
    size_t d = (size_t)deg + 1;
    mpfr_t *v = w->v, *comp = w->v + (size_t)tp->n * d;
    for (int i = 0; i < tp->n; i++) {
        const ex_node *nd = &tp->code[i];
        mop o = { v + (size_t)i * d, comp,
                  nd->a >= 0 ? v + (size_t)nd->a * d : NULL,
                  nd->b >= 0 ? v + (size_t)nd->b * d : NULL, deg,
                  w->v[w->n - 2], w->v[w->n - 1] };
        if (!m_leaf(tp, nd, env, o.c, deg) && m_op(nd, &o) != 0)
            return i;
        comp += (size_t)companions(nd) * d;
    }
    for (int r = 0; r < tp->nout; r++)
        mpvec_copy(out + (size_t)r * d, v + (size_t)tp->out[r] * d, d);
    return -1;
}
