/* export.c - a tableau written for other tools (export.h, docs/export.md).
 *
 * Every coefficient is classified once (xnum): a rational whose exact
 * value is known (an exact text built of decimals with + - * / and
 * integer powers, or a bare double whose shortest decimal is its exact
 * value, like 0.5), an irrational exact text (radicals, functions), or a
 * bare double.  Each target then spells the three kinds its own way. */
#include "export.h"

#include <ctype.h>
#include <gmp.h>
#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprint.h"
#include "expr.h"
#include "orders.h"
#include "pair.h"
#include "parse.h"
#include "strbuf.h"
#include "tableau_mp.h"
#include "trees.h"

#define ALPHA "\xce\xb1" /* Julia's name of b */

static const char *const target_names[RK_EXPORT_NTARGETS] = {
    "scipy", "julia", "nodepy", "arkode", "latex"};

int export_target(const char *name)
{
    for (int i = 0; name && i < RK_EXPORT_NTARGETS; i++)
        if (strcmp(name, target_names[i]) == 0)
            return i;
    return -1;
}

const char *export_target_list(void)
{
    return "scipy|julia|nodepy|arkode|latex";
}

/* ---- exact values ---- */

/* Rationals beyond this many bits are not worth printing as fractions. */
#define RAT_BITS_MAX 20000
#define DEC_EXP_MAX 4000

typedef struct xnum {
    double v;
    const char *text; /* the exact text, or NULL */
    int rat;          /* 1: q is the exact value */
    mpq_t q;
} xnum;

static int too_big(const mpq_t q)
{
    return mpz_sizeinbase(mpq_numref(q), 2) + mpz_sizeinbase(mpq_denref(q), 2) >
           RAT_BITS_MAX;
}

/* A number as the parser reads it, digits [. digits] [e [+-] digits]:
 * 0, or -1 when the exponent is too large to be worth it. */
static int decimal_q(const char *s, mpq_t out)
{
    size_t n = strlen(s);
    char *digits = malloc(n + 2);
    if (!digits)
        return -1;
    size_t nd = 0;
    long frac = 0, ex = 0;
    const char *p = s;
    for (; isdigit((unsigned char)*p); p++)
        digits[nd++] = *p;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++, frac++)
            digits[nd++] = *p;
    if (*p == 'e' || *p == 'E') {
        int sign = 1;
        p++;
        if (*p == '+' || *p == '-')
            sign = *p++ == '-' ? -1 : 1;
        for (; isdigit((unsigned char)*p); p++)
            ex = ex < 100000 ? ex * 10 + (*p - '0') : ex;
        ex *= sign;
    }
    long e10 = ex - frac;
    if (*p || nd == 0 || e10 > DEC_EXP_MAX || e10 < -DEC_EXP_MAX) {
        free(digits);
        return -1;
    }
    digits[nd] = '\0';
    mpz_t m, p10;
    mpz_init_set_str(m, digits, 10);
    mpz_init(p10);
    mpz_ui_pow_ui(p10, 10, (unsigned long)labs(e10));
    if (e10 >= 0) {
        mpz_mul(m, m, p10);
        mpq_set_z(out, m);
    } else {
        mpq_set_num(out, m);
        mpq_set_den(out, p10);
        mpq_canonicalize(out);
    }
    mpz_clear(m);
    mpz_clear(p10);
    free(digits);
    return 0;
}

/* The exact value of the subtree at k when it is rational: 0, else -1. */
static int node_q(const ex_pool *p, int k, mpq_t out)
{
    const ex_node *n = &p->nodes[k];
    int r = -1;
    mpq_t y;
    switch (n->op) {
    case EX_NUM:
        return decimal_q(p->text + n->text, out);
    case EX_NEG:
        if (node_q(p, n->a, out))
            return -1;
        mpq_neg(out, out);
        return 0;
    case EX_ADD:
    case EX_SUB:
    case EX_MUL:
    case EX_DIV:
        mpq_init(y);
        if (node_q(p, n->a, out) == 0 && node_q(p, n->b, y) == 0 &&
            !(n->op == EX_DIV && mpq_sgn(y) == 0)) {
            if (n->op == EX_ADD)
                mpq_add(out, out, y);
            else if (n->op == EX_SUB)
                mpq_sub(out, out, y);
            else if (n->op == EX_MUL)
                mpq_mul(out, out, y);
            else
                mpq_div(out, out, y);
            r = too_big(out) ? -1 : 0;
        }
        mpq_clear(y);
        return r;
    case EX_POWI:
        if (node_q(p, n->a, out) || (n->index < 0 && mpq_sgn(out) == 0))
            return -1;
        mpz_pow_ui(mpq_numref(out), mpq_numref(out), (unsigned long)abs(n->index));
        mpz_pow_ui(mpq_denref(out), mpq_denref(out), (unsigned long)abs(n->index));
        if (n->index < 0)
            mpq_inv(out, out);
        return too_big(out) ? -1 : 0;
    default:
        return -1;
    }
}

static const ex_scope no_names = {0};

static int text_q(const char *text, mpq_t out)
{
    ex_pool pool;
    rk_error err;
    ex_pool_init(&pool);
    int root = ex_parse_string(&pool, &no_names, text, &err);
    int r = root >= 0 ? node_q(&pool, root, out) : -1;
    ex_pool_free(&pool);
    return r;
}

/* Digits with an optional sign and point: such a text is shown as
 * written (tsit5's 85-digit decimals), not as a fraction. */
static int is_decimal_text(const char *s)
{
    if (!s)
        return 0;
    if (*s == '-')
        s++;
    int digits = 0, point = 0;
    for (; *s; s++) {
        if (isdigit((unsigned char)*s))
            digits++;
        else if (*s == '.' && !point)
            point = 1;
        else
            return 0;
    }
    return digits > 0 && point;
}

static void xnum_set(xnum *x, double v, const char *text)
{
    x->v = v;
    x->text = text;
    mpq_init(x->q);
    if (text) {
        x->rat = text_q(text, x->q) == 0;
        return;
    }
    /* a bare double is exactly itself; it reads as a fraction only when
     * its shortest decimal says so (0.5 is 1/2, 0.1 is not 1/10) */
    char buf[40];
    mpq_t d;
    cp_decimal(buf, sizeof buf, v, 0);
    mpq_init(d);
    mpq_set_d(x->q, v);
    int neg = buf[0] == '-';
    if (decimal_q(buf + neg, d) == 0) {
        if (neg)
            mpq_neg(d, d);
        x->rat = mpq_equal(d, x->q);
    } else {
        x->rat = 0;
    }
    mpq_clear(d);
}

static void xnum_clear(xnum *x)
{
    mpq_clear(x->q);
}

/* The correctly rounded double of a rational. */
static double q_double(const mpq_t q)
{
    mpfr_t f;
    mpfr_init2(f, 53);
    mpfr_set_q(f, q, MPFR_RNDN);
    double v = mpfr_get_d(f, MPFR_RNDN);
    mpfr_clear(f);
    return v;
}

/* out = c + sum w[i] x[i]: exact when every x is rational, else
 * computed from the exact texts (or the doubles) in MPFR and rounded
 * once.  out has no text. */
static void xnum_lin(xnum *out, const xnum *const *x, const long *w, int n, long c)
{
    int rat = 1;
    for (int i = 0; i < n; i++)
        rat &= x[i]->rat;
    out->text = NULL;
    mpq_init(out->q);
    out->rat = rat;
    if (rat) {
        mpq_t t;
        mpq_init(t);
        mpq_set_si(out->q, c, 1);
        for (int i = 0; i < n; i++) {
            mpq_set_si(t, w[i], 1);
            mpq_mul(t, t, x[i]->q);
            mpq_add(out->q, out->q, t);
        }
        mpq_clear(t);
        out->v = q_double(out->q);
        return;
    }
    mpfr_t acc, t;
    mpfr_init2(acc, 256);
    mpfr_init2(t, 256);
    mpfr_set_si(acc, c, MPFR_RNDN);
    for (int i = 0; i < n; i++) {
        rk_error err;
        if (!x[i]->text || ex_const_eval_mp(x[i]->text, t, &err) != 0)
            mpfr_set_d(t, x[i]->v, MPFR_RNDN);
        mpfr_mul_si(t, t, w[i], MPFR_RNDN);
        mpfr_add(acc, acc, t, MPFR_RNDN);
    }
    out->v = mpfr_get_d(acc, MPFR_RNDN);
    mpfr_clear(acc);
    mpfr_clear(t);
}

/* ---- the tableau, classified ---- */

typedef struct xtab {
    const rk_tableau *t;
    int s;
    xnum *A, *b, *c, *bhat; /* bhat NULL unless a pair */
    int order, emb;         /* stated, or found from the trees */
    char ident[RK_NAME_MAX]; /* the name as an identifier */
} xtab;

static const char *exact_of(char **texts, int k)
{
    return texts ? texts[k] : NULL;
}

/* The orders found from the rooted trees in MPFR, as rkgen check finds
 * them; an explicit method of at most 16 stages has order at most 10. */
static int find_orders(xtab *x, rk_error *err)
{
    const rk_tableau *t = x->t;
    int top = t->s + 1 < 11 ? t->s + 1 : 11;
    rk_forest forest = {0};
    rk_tabmp m;
    rk_order_check oc;
    rk_pair_check pc;
    int r = -1;
    memset(&oc, 0, sizeof oc);
    memset(&pc, 0, sizeof pc);
    if (forest_init(&forest, top) != 0) {
        rk_error_set(err, "out of memory enumerating the trees");
        return -1;
    }
    if (tabmp_init(&m, t, 256, err) == 0) {
        if (orders_check(&forest, &m, &oc, err) == 0 &&
            (!t->bhat || pair_check(&forest, &m, &oc, &pc, err) == 0)) {
            x->order = oc.order;
            x->emb = t->bhat ? pc.emb.order : 0;
            r = 0;
        }
        tabmp_clear(&m);
    }
    orders_free(&oc);
    if (t->bhat)
        pair_free(&pc);
    forest_free(&forest);
    return r;
}

/* The stated orders are what the export declares (an order nobody
 * stated is the one found); a claim above what holds is refused, since
 * ARKODE's CheckOrder or SciPy's step control would act on it.  0, 1 (a
 * claim fails, err says which) or -1. */
static int settle_orders(xtab *x, rk_error *err)
{
    const rk_tableau *t = x->t;
    if (find_orders(x, err) != 0)
        return -1;
    if (t->order > x->order) {
        rk_error_set(err, "%s states order %d, but its order conditions hold only to "
                     "order %d (rkgen check shows which fail)", t->name, t->order, x->order);
        return 1;
    }
    if (t->bhat && t->embedded_order > x->emb) {
        rk_error_set(err, "%s states embedded order %d, but bhat's order conditions "
                     "hold only to order %d (rkgen check shows which fail)", t->name,
                     t->embedded_order, x->emb);
        return 1;
    }
    if (t->order > 0)
        x->order = t->order;
    if (t->bhat && t->embedded_order > 0)
        x->emb = t->embedded_order;
    return 0;
}

static int xtab_init(xtab *x, const rk_tableau *t, rk_error *err)
{
    int s = t->s;
    memset(x, 0, sizeof *x);
    x->t = t;
    x->s = s;
    x->A = calloc((size_t)(s * s + 3 * s), sizeof *x->A);
    if (!x->A) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    x->b = x->A + s * s;
    x->c = x->b + s;
    for (int k = 0; k < s * s; k++)
        xnum_set(&x->A[k], t->A[k], exact_of(t->exact, k));
    for (int i = 0; i < s; i++) {
        xnum_set(&x->b[i], t->b[i], exact_of(t->exact, s * s + i));
        xnum_set(&x->c[i], t->c[i], exact_of(t->exact, s * s + s + i));
    }
    if (t->bhat) {
        x->bhat = x->c + s;
        for (int i = 0; i < s; i++)
            xnum_set(&x->bhat[i], t->bhat[i], exact_of(t->bhat_exact, i));
    }
    size_t n = strlen(t->name);
    for (size_t i = 0; i < n; i++)
        x->ident[i] = isalnum((unsigned char)t->name[i]) ? t->name[i] : '_';
    x->ident[n] = '\0';
    return settle_orders(x, err);
}

static void xtab_free(xtab *x)
{
    if (!x->A)
        return;
    for (int k = 0; k < x->s * x->s + (x->bhat ? 3 : 2) * x->s; k++)
        xnum_clear(&x->A[k]);
    free(x->A);
}

/* ---- spelling numbers ---- */

typedef enum lang { L_PY, L_SYMPY, L_JULIA, L_LATEX } lang;

/* Precedence of what was printed, low to high. */
enum { P_ADD = 1, P_MUL = 2, P_NEG = 3, P_POW = 4, P_ATOM = 5 };

static void put_z(strbuf *o, const mpz_t z)
{
    void (*freefunc)(void *, size_t);
    char *s = mpz_get_str(NULL, 10, z);
    mp_get_memory_functions(NULL, NULL, &freefunc);
    sb_puts(o, s);
    freefunc(s, strlen(s) + 1);
}

/* A rational; big: Julia's arbitrary precision, for a function's
 * argument (sqrt(5) would be a Float64).  Returns its precedence. */
static int put_q(strbuf *o, const mpq_t q, lang l, int big)
{
    int whole = mpz_cmp_ui(mpq_denref(q), 1) == 0, neg = mpq_sgn(q) < 0;
    if (l == L_JULIA && big) {
        sb_puts(o, "big(");
        put_z(o, mpq_numref(q));
        sb_puts(o, ")");
        if (!whole) {
            sb_puts(o, "//");
            put_z(o, mpq_denref(q));
        }
        return whole ? P_ATOM : P_MUL;
    }
    if (whole) {
        put_z(o, mpq_numref(q));
        return neg ? P_NEG : P_ATOM;
    }
    switch (l) {
    case L_PY:
    case L_SYMPY:
        sb_puts(o, l == L_PY ? "F(" : "Rational(");
        put_z(o, mpq_numref(q));
        sb_puts(o, ", ");
        put_z(o, mpq_denref(q));
        sb_puts(o, ")");
        return P_ATOM;
    case L_JULIA:
        put_z(o, mpq_numref(q));
        sb_puts(o, "//");
        put_z(o, mpq_denref(q));
        return P_MUL;
    case L_LATEX: {
        mpz_t a;
        mpz_init(a);
        mpz_abs(a, mpq_numref(q));
        sb_puts(o, neg ? "-\\frac{" : "\\frac{");
        put_z(o, a);
        sb_puts(o, "}{");
        put_z(o, mpq_denref(q));
        sb_puts(o, "}");
        mpz_clear(a);
        return neg ? P_NEG : P_POW; /* a power of it needs parentheses */
    }
    }
    return P_ATOM;
}

static const char *latex_func(ex_op op)
{
    switch (op) {
    case EX_SIN: return "\\sin";
    case EX_COS: return "\\cos";
    case EX_TAN: return "\\tan";
    case EX_ASIN: return "\\arcsin";
    case EX_ACOS: return "\\arccos";
    case EX_ATAN: return "\\arctan";
    case EX_SINH: return "\\sinh";
    case EX_COSH: return "\\cosh";
    case EX_TANH: return "\\tanh";
    case EX_LOG: return "\\ln";
    default: return NULL;
    }
}

typedef struct printer {
    strbuf *o;
    const ex_pool *p;
    lang l;
    unsigned funcs; /* bit op: functions used, for SymPy's import line */
} printer;

static void expr_at(printer *pr, int k, int need, int no_neg, int big);

static int expr_raw(printer *pr, int k, int big)
{
    const ex_node *n = &pr->p->nodes[k];
    strbuf *o = pr->o;
    int prec = P_ATOM;
    mpq_t q;
    mpq_init(q);
    if (node_q(pr->p, k, q) == 0) {
        prec = put_q(o, q, pr->l, big);
        mpq_clear(q);
        return prec;
    }
    mpq_clear(q);
    const char *op = NULL;
    switch (n->op) {
    case EX_ADD:
    case EX_SUB:
        expr_at(pr, n->a, P_ADD, 0, 0);
        sb_puts(o, n->op == EX_ADD ? "+" : "-");
        expr_at(pr, n->b, P_MUL, 1, 0);
        return P_ADD;
    case EX_MUL:
        expr_at(pr, n->a, P_MUL, 0, 0);
        if (pr->l != L_LATEX)
            sb_puts(o, "*");
        else if (pr->p->nodes[n->b].op == EX_NUM)
            sb_puts(o, "\\cdot ");
        expr_at(pr, n->b, P_NEG, 1, 0);
        return P_MUL;
    case EX_DIV:
        if (pr->l == L_LATEX) {
            sb_puts(o, "\\frac{");
            expr_at(pr, n->a, 0, 0, 0);
            sb_puts(o, "}{");
            expr_at(pr, n->b, 0, 0, 0);
            sb_puts(o, "}");
            return P_POW;
        }
        expr_at(pr, n->a, P_MUL, 0, 0);
        sb_puts(o, "/");
        expr_at(pr, n->b, P_NEG, 1, 0);
        return P_MUL;
    case EX_NEG:
        sb_puts(o, "-");
        expr_at(pr, n->a, P_MUL, 1, 0);
        return P_NEG;
    case EX_POWI:
    case EX_POW:
        expr_at(pr, n->a, P_ATOM, 0, 1);
        sb_puts(o, pr->l == L_JULIA ? "^(" : pr->l == L_LATEX ? "^{" : "**(");
        if (n->op == EX_POWI)
            sb_printf(o, "%d", n->index);
        else
            expr_at(pr, n->b, 0, 0, 0);
        sb_puts(o, pr->l == L_LATEX ? "}" : ")");
        return P_POW;
    case EX_NUM:
        sb_puts(o, pr->p->text + n->text);
        return P_ATOM;
    default:
        break;
    }
    if (n->op < EX_SIN || n->op > EX_SQRT)
        return P_ATOM; /* no other node is in a constant expression */
    pr->funcs |= 1u << (n->op - EX_SIN);
    if (pr->l == L_LATEX && n->op == EX_SQRT) {
        sb_puts(o, "\\sqrt{");
        expr_at(pr, n->a, 0, 0, 0);
        sb_puts(o, "}");
        return P_ATOM;
    }
    if (pr->l == L_LATEX && n->op == EX_EXP && pr->p->nodes[n->a].op == EX_NUM &&
        strcmp(pr->p->text + pr->p->nodes[n->a].text, "1") == 0) {
        sb_puts(o, "e");
        return P_ATOM;
    }
    if (pr->l == L_LATEX && n->op == EX_EXP) {
        sb_puts(o, "e^{");
        expr_at(pr, n->a, 0, 0, 0);
        sb_puts(o, "}");
        return P_POW;
    }
    op = pr->l == L_LATEX ? latex_func(n->op) : ex_func_name(n->op);
    sb_puts(o, op);
    sb_puts(o, pr->l == L_LATEX ? "\\left(" : "(");
    expr_at(pr, n->a, 0, 0, 1);
    sb_puts(o, pr->l == L_LATEX ? "\\right)" : ")");
    return P_ATOM;
}

/* Prints into a scratch buffer first, to learn the precedence and wrap
 * it in parentheses when the context binds tighter (need) or would read
 * a leading minus as an operator (no_neg). */
static void expr_at(printer *pr, int k, int need, int no_neg, int big)
{
    strbuf tmp;
    sb_init(&tmp);
    strbuf *outer = pr->o;
    pr->o = &tmp;
    int prec = expr_raw(pr, k, big);
    pr->o = outer;
    int paren = prec < need || (no_neg && prec == P_NEG);
    if (paren)
        sb_puts(outer, pr->l == L_LATEX ? "\\left(" : "(");
    if (tmp.s)
        sb_puts(outer, tmp.s);
    if (tmp.oom)
        outer->oom = 1;
    if (paren)
        sb_puts(outer, pr->l == L_LATEX ? "\\right)" : ")");
    sb_free(&tmp);
}

/* An irrational exact text as an expression of the language. */
static void put_expr(strbuf *o, const char *text, lang l, unsigned *funcs)
{
    ex_pool pool;
    rk_error err;
    ex_pool_init(&pool);
    int root = ex_parse_string(&pool, &no_names, text, &err);
    if (root >= 0) {
        printer pr = {o, &pool, l, 0};
        expr_at(&pr, root, 0, 0, 0);
        if (funcs)
            *funcs |= pr.funcs;
    } else {
        sb_puts(o, text); /* the loader parsed it; never reached */
    }
    ex_pool_free(&pool);
}

/* A bare double for LaTeX: 1e-05 as 1\times 10^{-5}. */
static void put_latex_double(strbuf *o, double v)
{
    char buf[40];
    cp_decimal(buf, sizeof buf, v, 0);
    char *e = strchr(buf, 'e');
    if (!e) {
        sb_puts(o, buf);
        return;
    }
    *e = '\0';
    sb_printf(o, "%s\\times 10^{%d}", buf, atoi(e + 1));
}

/* One coefficient in language l: exact where known. */
static void put_num(strbuf *o, const xnum *x, lang l, unsigned *funcs)
{
    if (x->rat && is_decimal_text(x->text) && l != L_JULIA) {
        if (l == L_LATEX)
            sb_puts(o, x->text);
        else
            sb_printf(o, "%s('%s')", l == L_PY ? "F" : "Rational", x->text);
    } else if (x->rat) {
        put_q(o, x->q, l, 0);
    } else if (x->text && l != L_PY) {
        put_expr(o, x->text, l, funcs);
    } else if (l == L_LATEX) {
        put_latex_double(o, x->v);
    } else {
        cp_literal(o, x->v, 0);
    }
}

/* The coefficients given as doubles because the language has no exact
 * type for them, named with their exact texts, as comment lines. */
static void irrational_note(strbuf *o, const xtab *x, const char *lead)
{
    int s = x->s, any = 0;
    for (int k = 0; k < s * s + (x->bhat ? 3 : 2) * s; k++) {
        const xnum *n = &x->A[k];
        if (n->rat || !n->text)
            continue;
        if (!any)
            sb_printf(o, "%sNot rational, so given as the correctly rounded double:\n", lead);
        any = 1;
        if (k < s * s)
            sb_printf(o, "%s  a[%d][%d] = %s\n", lead, k / s + 1, k % s + 1, n->text);
        else
            sb_printf(o, "%s  %s[%d] = %s\n", lead,
                      k < s * s + s ? "b" : k < s * s + 2 * s ? "c" : "bhat",
                      (k - s * s) % s + 1, n->text);
    }
}

static void put_row(strbuf *o, const xnum *x, int n, lang l, unsigned *funcs,
                    const char *sep)
{
    for (int j = 0; j < n; j++) {
        if (j)
            sb_puts(o, sep);
        put_num(o, &x[j], l, funcs);
    }
}

/* Python lists: "[\n    [..],\n    [..],\n]" of whole rows. */
static void py_matrix(strbuf *o, const xnum *A, int s, int rows, int cols, lang l,
                      unsigned *funcs, const char *indent)
{
    sb_puts(o, "[\n");
    for (int i = 0; i < rows; i++) {
        sb_printf(o, "%s    [", indent);
        put_row(o, A + i * s, cols, l, funcs, ", ");
        sb_puts(o, "],\n");
    }
    sb_printf(o, "%s]", indent);
}

static void py_vector(strbuf *o, const xnum *v, int n, lang l, unsigned *funcs)
{
    sb_puts(o, "[");
    put_row(o, v, n, l, funcs, ", ");
    sb_puts(o, "]");
}

static void header_lines(strbuf *o, const xtab *x, const char *lead, const char *to)
{
    const rk_tableau *t = x->t;
    sb_printf(o, "%s%s: %d stages, order %d", lead, t->name, t->s, x->order);
    if (t->bhat)
        sb_printf(o, "(%d), an embedded pair%s", x->emb, t->fsal ? ", FSAL" : "");
    sb_puts(o, "\n");
    if (t->description)
        sb_printf(o, "%s%s\n", lead, t->description);
    sb_printf(o, "%sExported by rkgen %s (rkgen export %s --to %s).\n", lead,
              RKGEN_VERSION, t->name, to);
}

/* ---- SciPy ---- */

/* The last stage is f(t + h, y + h sum b_j k_j), which SciPy's
 * RungeKutta evaluates anyway as the next step's first: it then has
 * s - 1 stages of its own. */
static int fsal_layout(const rk_tableau *t)
{
    int s = t->s;
    if (s < 2 || t->c[s - 1] != 1 || t->b[s - 1] != 0)
        return 0;
    for (int j = 0; j < s - 1; j++)
        if (t->A[(s - 1) * s + j] != t->b[j])
            return 0;
    return 1;
}

/* SciPy's RK45.P (Shampine's dense output of Dormand-Prince, Hairer's
 * dopri5), by rows of the 7 stages. */
static const char *const dopri5_p[7][4] = {
    {"1", "-8048581381/2820520608", "8663915743/2820520608", "-12715105075/11282082432"},
    {"0", "0", "0", "0"},
    {"0", "131558114200/32700410799", "-68118460800/10900136933", "87487479700/32700410799"},
    {"0", "-1754552775/470086768", "14199869525/1410260304", "-10690763975/1880347072"},
    {"0", "127303824393/49829197408", "-318862633887/49829197408", "701980252875/199316789632"},
    {"0", "-282668133/205662961", "2019193451/616988883", "-1453857185/822651844"},
    {"0", "40617522/29380423", "-110615467/29380423", "69997945/29380423"},
};

static int same_doubles(const double *x, const double *y, int n)
{
    for (int i = 0; i < n; i++)
        if (x[i] != y[i])
            return 0;
    return 1;
}

static int is_dopri5(const rk_tableau *t)
{
    rk_tableau *d = tableau_builtin("dopri5");
    int s = t->s, same = d && s == d->s && t->bhat &&
                         same_doubles(t->A, d->A, s * s) && same_doubles(t->b, d->b, s) &&
                         same_doubles(t->c, d->c, s) && same_doubles(t->bhat, d->bhat, s);
    tableau_free(d);
    return same;
}

static void py_step(strbuf *o, const xtab *x)
{
    int used[RK_MAX_STAGES];
    tableau_stages_used(x->t, used);
    sb_puts(o, "_A = RK_A.tolist()\n_B = RK_B.tolist()\n_C = RK_C.tolist()\n_USED = [");
    for (int i = 0; i < x->s; i++)
        sb_printf(o, "%s%s", i ? ", " : "", used[i] ? "True" : "False");
    sb_printf(o,
        "]\n\n\n"
        "def _weighted(w, k, h, n):\n"
        "    acc = None\n"
        "    for j in range(n):\n"
        "        if w[j] != 0:\n"
        "            term = (h * w[j]) * k[j]\n"
        "            acc = term if acc is None else acc + term\n"
        "    return acc\n\n\n"
        "def step(f, t, y, h):\n"
        "    \"\"\"One step of %s with b from (t, y): the new y, an array.\n\n"
        "    The operations are rkgen's, in its order (zero coefficients\n"
        "    skipped, unused stages not evaluated), so with an f that rounds\n"
        "    as the generated C does the result agrees with rkgen simulate\n"
        "    and emit bit for bit.\n"
        "    \"\"\"\n"
        "    y = np.asarray(y, dtype=float)\n"
        "    k = [None] * STAGES\n"
        "    for i in range(STAGES):\n"
        "        if not _USED[i]:\n"
        "            continue\n"
        "        acc = _weighted(_A[i], k, h, i)\n"
        "        ti = t if _C[i] == 0 else t + _C[i] * h\n"
        "        k[i] = np.asarray(f(ti, y if acc is None else y + acc), dtype=float)\n"
        "    acc = _weighted(_B, k, h, STAGES)\n"
        "    return y.copy() if acc is None else y + acc\n",
        x->t->name);
}

static void py_class_name(char *buf, size_t size, const char *name)
{
    size_t n = 0;
    int up = 1;
    if (isdigit((unsigned char)name[0]))
        n = (size_t)snprintf(buf, size, "RK");
    for (const char *p = name; *p && n + 1 < size; p++) {
        if (!isalnum((unsigned char)*p)) {
            up = 1;
            continue;
        }
        buf[n++] = up ? (char)toupper((unsigned char)*p) : *p;
        up = 0;
    }
    buf[n] = '\0';
}

/* The dense output: SciPy's own for Dormand-Prince, else the cubic
 * Hermite interpolant of y, f at both ends (what SciPy's RK23 uses). */
static void py_dense(strbuf *o, const xtab *x, int ns)
{
    const rk_tableau *t = x->t;
    if (is_dopri5(t)) {
        sb_puts(o, "    # Shampine's fourth-order interpolant, SciPy's RK45.P\n    P = np.array([\n");
        for (int i = 0; i < 7; i++) {
            sb_puts(o, "        [");
            for (int j = 0; j < 4; j++) {
                xnum v;
                xnum_set(&v, 0, dopri5_p[i][j]);
                if (j)
                    sb_puts(o, ", ");
                put_q(o, v.q, L_PY, 0);
                xnum_clear(&v);
            }
            sb_puts(o, "],\n");
        }
        sb_puts(o, "    ], dtype=float)\n");
        return;
    }
    sb_puts(o, "    # cubic Hermite interpolation of y and f at both ends of the step\n"
               "    P = np.array([\n");
    xnum zero;
    xnum_set(&zero, 0, NULL);
    for (int i = 0; i <= ns; i++) {
        const xnum *bi = i < ns ? &x->b[i] : &zero;
        const xnum *in[1] = {bi};
        long e0 = i == 0, e1 = i == ns;
        long w1[1] = {3}, w2[1] = {-2};
        xnum col[3];
        xnum_set(&col[0], (double)e0, NULL);
        xnum_lin(&col[1], in, w1, 1, -2 * e0 - e1);
        xnum_lin(&col[2], in, w2, 1, e0 + e1);
        sb_puts(o, "        [");
        put_row(o, col, 3, L_PY, NULL, ", ");
        sb_puts(o, "],\n");
        for (int j = 0; j < 3; j++)
            xnum_clear(&col[j]);
    }
    xnum_clear(&zero);
    sb_puts(o, "    ], dtype=float)\n");
}

static void py_class(strbuf *o, const xtab *x, const char *cls)
{
    const rk_tableau *t = x->t;
    int s = x->s, fsal = fsal_layout(t), ns = fsal ? s - 1 : s;
    int lo = x->order < x->emb ? x->order : x->emb;
    sb_printf(o,
        "\n\nclass %s(RungeKutta):\n"
        "    \"\"\"%s for scipy.integrate.solve_ivp(..., method=%s).\n\n"
        "    Advances with b (order %d); the error estimate is the difference\n"
        "    from bhat (order %d), so steps are controlled for order %d.\n"
        "    \"\"\"\n\n"
        "    order = %d\n"
        "    error_estimator_order = %d\n"
        "    n_stages = %d\n",
        cls, t->name, cls, x->order, x->emb, lo, x->order, lo, ns);
    if (fsal)
        sb_puts(o, "    # the last stage is f(t + h, y_new), SciPy's K[-1]\n");
    sb_printf(o, "    C = RK_C[:%d]\n    A = RK_A[:%d, :%d]\n    B = RK_B[:%d]\n", ns, ns, ns, ns);
    sb_puts(o, "    # bhat - b, as SciPy's E; the last entry weighs f(t + h, y_new)\n"
               "    E = np.array([");
    for (int i = 0; i <= ns; i++) {
        xnum e;
        if (i < s) {
            const xnum *in[2] = {&x->bhat[i], &x->b[i]};
            long w[2] = {1, -1};
            xnum_lin(&e, in, w, 2, 0);
        } else {
            xnum_set(&e, 0, NULL);
        }
        if (i)
            sb_puts(o, ", ");
        put_num(o, &e, L_PY, NULL);
        xnum_clear(&e);
    }
    sb_puts(o, "], dtype=float)\n");
    py_dense(o, x, ns);
    sb_printf(o, "\n\nMethod = %s\n", cls);
}

static void export_scipy(strbuf *o, const xtab *x)
{
    const rk_tableau *t = x->t;
    int s = x->s;
    char cls[RK_NAME_MAX + 4];
    py_class_name(cls, sizeof cls, t->name);
    header_lines(o, x, "# ", "scipy");
    sb_puts(o, "#\n");
    if (t->bhat)
        sb_printf(o, "# %s: a scipy.integrate RungeKutta subclass (solve_ivp's method=%s),\n"
                     "#   also as Method; dense output %s.\n",
                  cls, cls, is_dopri5(t) ? "as SciPy's RK45" : "by cubic Hermite interpolation");
    sb_puts(o, "# step(f, t, y, h): one fixed step, as rkgen's engine takes it.\n"
               "# Coefficients are fractions.Fraction where rkgen knows them as rationals;\n"
               "# the arrays hold the doubles rkgen uses.\n");
    irrational_note(o, x, "# ");
    sb_puts(o, "from fractions import Fraction as F\n\nimport numpy as np\n");
    if (t->bhat)
        sb_puts(o, "\ntry:\n    from scipy.integrate import RungeKutta\n"
                   "except ImportError:  # SciPy before 1.11 keeps it private\n"
                   "    from scipy.integrate._ivp.rk import RungeKutta\n");
    sb_printf(o, "\nNAME = \"%s\"\nSTAGES = %d\nORDER = %d\n", t->name, s, x->order);
    if (t->bhat)
        sb_printf(o, "EMBEDDED_ORDER = %d\n", x->emb);
    sb_puts(o, "\nRK_A = np.array(");
    py_matrix(o, x->A, s, s, s, L_PY, NULL, "");
    sb_puts(o, ", dtype=float)\nRK_B = np.array(");
    py_vector(o, x->b, s, L_PY, NULL);
    sb_puts(o, ", dtype=float)\nRK_C = np.array(");
    py_vector(o, x->c, s, L_PY, NULL);
    sb_puts(o, ", dtype=float)\n");
    if (t->bhat) {
        sb_puts(o, "RK_BHAT = np.array(");
        py_vector(o, x->bhat, s, L_PY, NULL);
        sb_puts(o, ", dtype=float)\n");
        py_class(o, x, cls);
    }
    sb_puts(o, "\n");
    py_step(o, x);
}

/* ---- NodePy ---- */

static void export_nodepy(strbuf *o, const xtab *x)
{
    const rk_tableau *t = x->t;
    int s = x->s;
    unsigned funcs = 0;
    strbuf body;
    sb_init(&body);
    sb_puts(&body, "A = np.array(");
    py_matrix(&body, x->A, s, s, s, L_SYMPY, &funcs, "");
    sb_puts(&body, ")\nb = np.array(");
    py_vector(&body, x->b, s, L_SYMPY, &funcs);
    sb_puts(&body, ")\n");
    if (t->bhat) {
        sb_puts(&body, "bhat = np.array(");
        py_vector(&body, x->bhat, s, L_SYMPY, &funcs);
        sb_puts(&body, ")\n");
        sb_printf(&body, "method = rk.ExplicitRungeKuttaPair(A, b, bhat, name=\"%s\", shortname=\"%s\")\n",
                  t->name, t->name);
    } else {
        sb_printf(&body, "method = rk.ExplicitRungeKuttaMethod(A, b, name=\"%s\", shortname=\"%s\")\n",
                  t->name, t->name);
    }
    header_lines(o, x, "# ", "nodepy");
    sb_puts(o, "# Exact: SymPy rationals and radicals where rkgen knows the values, floats\n"
               "# elsewhere; NodePy computes c as the row sums of A.\n"
               "import numpy as np\nfrom sympy import Rational");
    for (int op = EX_SIN; op <= EX_SQRT; op++)
        if (funcs & (1u << (op - EX_SIN)))
            sb_printf(o, ", %s", ex_func_name((ex_op)op));
    sb_puts(o, "\nfrom nodepy import runge_kutta_method as rk\n\n");
    sb_puts(o, body.s ? body.s : "");
    if (body.oom)
        o->oom = 1;
    sb_free(&body);
}

/* ---- Julia ---- */

static void jl_vector(strbuf *o, const xnum *v, int n)
{
    sb_puts(o, "[");
    put_row(o, v, n, L_JULIA, NULL, ", ");
    sb_puts(o, "]");
}

static void export_julia(strbuf *o, const xtab *x)
{
    const rk_tableau *t = x->t;
    int s = x->s;
    header_lines(o, x, "# ", "julia");
    sb_printf(o, "# An ExplicitRKTableau (DiffEqBase's, as DiffEqDevTools builds them) for\n"
                 "# OrdinaryDiffEq, e.g.\n"
                 "#   solve(prob, ExplicitRK(tableau = rkgen_tableau_%s()), dt = 0.01)\n"
                 "# Exact: rationals as //, radicals in BigFloat; floats where rkgen has only\n"
                 "# the double.\n"
                 "using DiffEqBase: ExplicitRKTableau\n\n"
                 "function rkgen_tableau_%s()\n",
              x->ident, x->ident);
    if (s == 1) {
        sb_puts(o, "    A = reshape([");
        put_num(o, &x->A[0], L_JULIA, NULL);
        sb_puts(o, "], 1, 1)\n");
    } else {
        sb_puts(o, "    A = [");
        for (int i = 0; i < s; i++) {
            if (i)
                sb_puts(o, "\n         ");
            put_row(o, x->A + i * s, s, L_JULIA, NULL, " ");
        }
        sb_puts(o, "]\n");
    }
    sb_puts(o, "    c = ");
    jl_vector(o, x->c, s);
    sb_puts(o, "\n    " ALPHA " = ");
    jl_vector(o, x->b, s);
    sb_puts(o, "\n");
    if (t->bhat) {
        int lo = x->order < x->emb ? x->order : x->emb;
        sb_puts(o, "    " ALPHA "EEst = ");
        jl_vector(o, x->bhat, s);
        sb_printf(o, "\n    return ExplicitRKTableau(A, c, " ALPHA ", %d; adaptiveorder = %d, "
                     ALPHA "EEst = " ALPHA "EEst, fsal = %s)\n",
                  x->order, lo, fsal_layout(t) ? "true" : "false");
    } else {
        sb_printf(o, "    return ExplicitRKTableau(A, c, " ALPHA ", %d)\n", x->order);
    }
    sb_puts(o, "end\n");
}

/* ---- ARKODE ---- */

static void put_comment_num(strbuf *o, const xnum *x)
{
    if (x->text) {
        sb_puts(o, x->text);
    } else {
        char buf[40];
        cp_decimal(buf, sizeof buf, x->v, 0);
        sb_puts(o, buf);
    }
}

static void c_vector(strbuf *o, const char *name, const xnum *v, int n)
{
    sb_printf(o, "    realtype %s[%d] = {\n", name, n);
    for (int i = 0; i < n; i++) {
        sb_puts(o, "        ");
        cp_hex(o, v[i].v, 0);
        sb_puts(o, ", /* ");
        put_comment_num(o, &v[i]);
        sb_puts(o, " */\n");
    }
    sb_puts(o, "    };\n");
}

static void export_arkode(strbuf *o, const xtab *x)
{
    const rk_tableau *t = x->t;
    int s = x->s;
    sb_puts(o, "/*\n");
    header_lines(o, x, " * ", "arkode");
    sb_printf(o, " *\n * rkgen_table_%s() returns a new SUNDIALS ARKODE Butcher table (6.x)\n"
                 " * for ERKStepSetTable; free it with ARKodeButcherTable_Free.  Order q = %d,\n"
                 " * embedded order p = %d (0: no embedding).  The coefficients are the\n"
                 " * doubles rkgen uses, as exact hex floats, with their exact values in\n"
                 " * the comments. */\n"
                 "#include <stdio.h> /* arkode_butcher.h names FILE without it (6.4) */\n"
                 "#include <arkode/arkode_butcher.h>\n"
                 "#include <sundials/sundials_types.h>\n\n"
                 "#if !defined(SUNDIALS_DOUBLE_PRECISION)\n"
                 "#error \"rkgen_table_%s: the coefficients are doubles; SUNDIALS must use double realtype\"\n"
                 "#endif\n\n"
                 "ARKodeButcherTable rkgen_table_%s(void);\n\n"
                 "ARKodeButcherTable rkgen_table_%s(void)\n{\n",
              x->ident, x->order, t->bhat ? x->emb : 0, x->ident, x->ident, x->ident);
    c_vector(o, "c", x->c, s);
    sb_printf(o, "    realtype A[%d] = {\n", s * s);
    for (int i = 0; i < s; i++) {
        sb_printf(o, "        /* row %d", i + 1);
        for (int j = 0; j < i; j++) {
            sb_puts(o, j ? ", " : ": ");
            put_comment_num(o, &x->A[i * s + j]);
        }
        sb_puts(o, " */\n        ");
        for (int j = 0; j < s; j++) {
            cp_hex(o, x->A[i * s + j].v, 0);
            sb_puts(o, j + 1 < s ? ", " : ",\n");
        }
    }
    sb_puts(o, "    };\n");
    c_vector(o, "b", x->b, s);
    if (t->bhat)
        c_vector(o, "d", x->bhat, s);
    sb_printf(o, "    return ARKodeButcherTable_Create(%d, %d, %d, c, A, b, %s);\n}\n", s,
              x->order, t->bhat ? x->emb : 0, t->bhat ? "d" : "NULL");
}

/* ---- LaTeX ---- */

static void export_latex(strbuf *o, const xtab *x)
{
    const rk_tableau *t = x->t;
    int s = x->s;
    header_lines(o, x, "% ", "latex");
    sb_puts(o, "% The Butcher array, exact where rkgen knows the values (amsmath for \\hat).\n"
               "\\[\n\\renewcommand{\\arraystretch}{1.3}\n\\begin{array}{c|");
    for (int j = 0; j < s; j++)
        sb_puts(o, "c");
    sb_puts(o, "}\n");
    for (int i = 0; i < s; i++) {
        put_num(o, &x->c[i], L_LATEX, NULL);
        for (int j = 0; j < i; j++) {
            sb_puts(o, " & ");
            put_num(o, &x->A[i * s + j], L_LATEX, NULL);
        }
        sb_puts(o, " \\\\\n");
    }
    sb_puts(o, "\\hline\n");
    sb_puts(o, t->bhat ? "y_1" : "");
    for (int j = 0; j < s; j++) {
        sb_puts(o, " & ");
        put_num(o, &x->b[j], L_LATEX, NULL);
    }
    if (t->bhat) {
        sb_puts(o, " \\\\\n\\hat{y}_1");
        for (int j = 0; j < s; j++) {
            sb_puts(o, " & ");
            put_num(o, &x->bhat[j], L_LATEX, NULL);
        }
    }
    sb_puts(o, "\n\\end{array}\n\\]\n");
}

int export_tableau(const rk_tableau *t, rk_export_target to, char **text, rk_error *err)
{
    xtab x;
    *text = NULL;
    if (!t || to < 0 || to >= RK_EXPORT_NTARGETS) {
        rk_error_set(err, "no tableau or no such target");
        return -1;
    }
    int r = xtab_init(&x, t, err);
    if (r != 0) {
        xtab_free(&x);
        return r;
    }
    strbuf o;
    sb_init(&o);
    switch (to) {
    case RK_EXPORT_SCIPY: export_scipy(&o, &x); break;
    case RK_EXPORT_JULIA: export_julia(&o, &x); break;
    case RK_EXPORT_NODEPY: export_nodepy(&o, &x); break;
    case RK_EXPORT_ARKODE: export_arkode(&o, &x); break;
    case RK_EXPORT_LATEX: export_latex(&o, &x); break;
    default: break;
    }
    xtab_free(&x);
    *text = sb_take(&o);
    if (!*text) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    return 0;
}
