/* test_expr.c - expression pools, function names, tapes, and the scalar
 * evaluators' operation order. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "support.h"

/* ---- builders (no parser) ----------------------------------------- */

static int node(ex_pool *p, ex_op op, int a, int b, int index)
{
    ex_node nd = { op, a, b, index, -1, 0 };
    int i = ex_pool_add(p, nd);
    cr_assert_geq(i, 0);
    return i;
}

static int lit(ex_pool *p, const char *text)
{
    ex_node nd = { EX_NUM, -1, -1, 0, ex_pool_text(p, text, strlen(text)),
                   strtod(text, NULL) };
    cr_assert_geq(nd.text, 0);
    int i = ex_pool_add(p, nd);
    cr_assert_geq(i, 0);
    return i;
}

static int leaf(ex_pool *p, ex_op op, int index) { return node(p, op, -1, -1, index); }
static int un(ex_pool *p, ex_op op, int a) { return node(p, op, a, -1, 0); }
static int bin(ex_pool *p, ex_op op, int a, int b) { return node(p, op, a, b, 0); }

static int count_op(const ex_tape *tp, ex_op op)
{
    int n = 0;
    for (int i = 0; i < tp->n; i++)
        n += tp->code[i].op == op;
    return n;
}

/* Children are earlier slots and leaves have none: the tape invariant. */
static void check_topological(const ex_tape *tp)
{
    for (int i = 0; i < tp->n; i++) {
        cr_assert_lt(tp->code[i].a, i);
        cr_assert_lt(tp->code[i].b, i);
        cr_assert_neq(tp->code[i].op, EX_CONST);
    }
    for (int r = 0; r < tp->nout; r++)
        cr_assert(tp->out[r] >= 0 && tp->out[r] < tp->n);
}

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }
static int same_bitsf(float a, float b) { return memcmp(&a, &b, sizeof a) == 0; }

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 11;
}

static double uniform(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * ((double)lcg(s) * 0x1p-53);
}

/* ---- pool ---------------------------------------------------------- */

Test(pool, grows_and_keeps_nodes)
{
    ex_pool p;
    ex_pool_init(&p);
    for (int i = 0; i < 10000; i++)
        cr_assert_eq(node(&p, EX_STATE, -1, -1, i), i);
    cr_assert_eq(p.n, 10000);
    cr_assert_geq(p.cap, p.n);
    for (int i = 0; i < 10000; i++)
        cr_assert_eq(p.nodes[i].index, i);
    ex_pool_free(&p);
    cr_assert_eq(p.n, 0);
    cr_assert_null(p.nodes);
}

Test(pool, text_is_nul_separated_and_survives_growth)
{
    ex_pool p;
    ex_pool_init(&p);
    int first = ex_pool_text(&p, "0.25xyz", 4);
    cr_assert_eq(first, 0);
    int offs[2000];
    char buf[32];
    for (int i = 0; i < 2000; i++) {
        int len = snprintf(buf, sizeof buf, "%d.5e-3", i);
        offs[i] = ex_pool_text(&p, buf, (size_t)len);
        cr_assert_geq(offs[i], 0);
    }
    cr_assert_str_eq(p.text + first, "0.25");
    for (int i = 0; i < 2000; i++) {
        snprintf(buf, sizeof buf, "%d.5e-3", i);
        cr_assert_str_eq(p.text + offs[i], buf);
    }
    cr_assert_eq(ex_pool_text(&p, "", 0) >= 0, 1);
    ex_pool_free(&p);
}

/* Hash-consing: a node equal to one in the pool is that node. */
Test(pool, identical_nodes_are_one)
{
    ex_pool p;
    ex_pool_init(&p);
    int x = leaf(&p, EX_STATE, 0), y = leaf(&p, EX_STATE, 1);
    cr_assert_eq(leaf(&p, EX_STATE, 0), x);
    int r2 = bin(&p, EX_ADD, node(&p, EX_POWI, x, -1, 2), node(&p, EX_POWI, y, -1, 2));
    int again = bin(&p, EX_ADD, node(&p, EX_POWI, x, -1, 2), node(&p, EX_POWI, y, -1, 2));
    cr_assert_eq(again, r2);
    int n = p.n;
    cr_assert_eq(bin(&p, EX_POW, r2, lit(&p, "1.5")), bin(&p, EX_POW, again, lit(&p, "1.5")));
    cr_assert_eq(p.n, n + 2); /* one literal, one pow */
    /* order matters, and so does the exponent of an integer power */
    cr_assert_neq(bin(&p, EX_ADD, y, x), bin(&p, EX_ADD, x, y));
    cr_assert_neq(node(&p, EX_POWI, x, -1, 3), node(&p, EX_POWI, x, -1, 2));
    ex_pool_free(&p);
}

/* A literal is its value and its text: 0.5 and 0.50 print differently. */
Test(pool, literals_by_value_and_text)
{
    ex_pool p;
    ex_pool_init(&p);
    int a = lit(&p, "0.5");
    cr_assert_eq(lit(&p, "0.5"), a);
    cr_assert_neq(lit(&p, "0.50"), a);
    cr_assert_neq(lit(&p, "0.25"), a);
    ex_node neg0 = { EX_NUM, -1, -1, 0, -1, -0.0 }, pos0 = { EX_NUM, -1, -1, 0, -1, 0.0 };
    cr_assert_neq(ex_pool_add(&p, neg0), ex_pool_add(&p, pos0));
    ex_pool_free(&p);
}

/* Sharing survives the table's growth, and the tape computes a shared
 * subexpression once however many roots use it. */
Test(pool, shared_across_roots_and_growth)
{
    ex_pool p;
    ex_pool_init(&p);
    int x = leaf(&p, EX_STATE, 0), y = leaf(&p, EX_STATE, 1), roots[2];
    for (int i = 0; i < 5000; i++)
        leaf(&p, EX_PARAM, i);
    for (int r = 0; r < 2; r++) {
        int den = bin(&p, EX_POW, bin(&p, EX_ADD, bin(&p, EX_MUL, x, x), bin(&p, EX_MUL, y, y)),
                      lit(&p, "1.5"));
        roots[r] = bin(&p, EX_DIV, r ? y : x, den);
    }
    cr_assert_eq(leaf(&p, EX_PARAM, 17), 19);
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, &p, roots, 2), 0);
    check_topological(&tp);
    cr_assert_eq(count_op(&tp, EX_POW), 1);
    cr_assert_eq(count_op(&tp, EX_MUL), 2);
    double w[16], out[2], st[2] = { 3, 4 };
    ex_env env = { 0, st, NULL, NULL };
    cr_assert_leq(tp.n, 16);
    ex_eval(&tp, &env, w, out);
    cr_assert(same_bits(out[0], 3 / pow(25, 1.5)) && same_bits(out[1], 4 / pow(25, 1.5)));
    ex_tape_free(&tp);
    ex_pool_free(&p);
}

/* ---- functions ----------------------------------------------------- */

Test(func, names_round_trip)
{
    static const char *names[] = { "sin", "cos", "tan", "asin", "acos",
        "atan", "sinh", "cosh", "tanh", "exp", "log", "sqrt", "pow" };
    int named = 0;
    for (int op = 0; op < EX_NOPS; op++)
        named += ex_func_name((ex_op)op) != NULL;
    cr_assert_eq(named, 13);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        ex_op op;
        int nargs = -1;
        cr_assert(ex_func_lookup(names[i], strlen(names[i]), &op, &nargs),
                  "%s", names[i]);
        cr_assert_str_eq(ex_func_name(op), names[i]);
        cr_assert_eq(nargs, op == EX_POW ? 2 : 1);
    }
    ex_op op;
    int nargs;
    cr_assert(ex_func_lookup("pow", 3, &op, &nargs));
    cr_assert_eq(op, EX_POW);
    cr_assert_eq(nargs, 2);
}

Test(func, lookup_uses_exact_length)
{
    ex_op op = EX_NUM;
    int nargs = 0;
    cr_assert_not(ex_func_lookup("foo", 3, &op, &nargs));
    cr_assert_not(ex_func_lookup("si", 2, &op, &nargs));
    cr_assert_not(ex_func_lookup("sinhx", 5, &op, &nargs));
    cr_assert_not(ex_func_lookup("SIN", 3, &op, &nargs));
    cr_assert_not(ex_func_lookup("", 0, &op, &nargs));
    cr_assert(ex_func_lookup("sinh(x)", 3, &op, &nargs));
    cr_assert_eq(op, EX_SIN);
    cr_assert(ex_func_lookup("sinh(x)", 4, &op, &nargs));
    cr_assert_eq(op, EX_SINH);
}

Test(func, libm_ops)
{
    for (int op = 0; op < EX_NOPS; op++) {
        int expect = op == EX_POW || (op >= EX_SIN && op <= EX_SQRT);
        cr_assert_eq(ex_op_is_libm((ex_op)op), expect, "op %d", op);
        cr_assert_eq(ex_func_name((ex_op)op) != NULL, expect);
    }
    cr_assert_not(ex_op_is_libm(EX_POWI));
    cr_assert_null(ex_func_name(EX_NOPS));
}

/* ---- tapes --------------------------------------------------------- */

Test(tape, shared_node_compiled_once)
{
    ex_pool p;
    ex_pool_init(&p);
    int x = leaf(&p, EX_STATE, 0);
    int s = un(&p, EX_SIN, x);
    int e = bin(&p, EX_ADD, bin(&p, EX_MUL, s, s), s);
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, &p, &e, 1), 0);
    check_topological(&tp);
    cr_assert_eq(tp.n, 4); /* x, sin, mul, add */
    cr_assert_eq(count_op(&tp, EX_SIN), 1);
    cr_assert_eq(count_op(&tp, EX_STATE), 1);
    cr_assert_eq(tp.out[0], tp.n - 1);
    const ex_node *mul = &tp.code[tp.code[tp.out[0]].a];
    cr_assert_eq(mul->op, EX_MUL);
    cr_assert_eq(mul->a, mul->b);
    double y = 0.7, w[4], out;
    ex_env env = { 0, &y, NULL, NULL };
    ex_eval(&tp, &env, w, &out);
    cr_assert(same_bits(out, sin(0.7) * sin(0.7) + sin(0.7)));
    ex_tape_free(&tp);
    ex_pool_free(&p);
}

Test(tape, post_order_over_several_roots)
{
    ex_pool p;
    ex_pool_init(&p);
    int x = leaf(&p, EX_STATE, 0), y = leaf(&p, EX_STATE, 1);
    int unused = un(&p, EX_EXP, x);
    int xy = bin(&p, EX_MUL, x, y);
    int r0 = bin(&p, EX_SUB, xy, y);
    int r1 = bin(&p, EX_DIV, x, xy);
    int roots[] = { r0, r1, r0, x };
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, &p, roots, 4), 0);
    (void)unused;
    check_topological(&tp);
    cr_assert_eq(tp.nout, 4);
    cr_assert_eq(tp.n, 5); /* x, y, x*y, -, /: exp(x) is unreachable */
    cr_assert_not(ex_tape_uses(&tp, EX_EXP));
    cr_assert_eq(tp.out[0], tp.out[2]);
    cr_assert_eq(tp.code[tp.out[3]].op, EX_STATE);
    /* Post-order: a root's subtree precedes it, the first root first. */
    cr_assert_eq(tp.code[0].op, EX_STATE);
    cr_assert_eq(tp.code[0].index, 0);
    cr_assert_eq(tp.code[2].op, EX_MUL);
    cr_assert_eq(tp.out[0], 3);
    cr_assert_eq(tp.out[1], 4);
    cr_assert_eq(tp.text, p.text);
    ex_tape_free(&tp);
    ex_pool_free(&p);
}

Test(tape, const_is_an_alias_not_an_instruction)
{
    ex_pool p;
    ex_pool_init(&p);
    int two = lit(&p, "2");
    int k = bin(&p, EX_MUL, two, leaf(&p, EX_PARAM, 0));
    int c = node(&p, EX_CONST, k, -1, 0);      /* c = 2*p0 */
    int c2 = node(&p, EX_CONST, c, -1, 1);     /* c2 = c */
    int x = leaf(&p, EX_STATE, 0);
    int r0 = bin(&p, EX_MUL, c, x);
    int r1 = bin(&p, EX_ADD, c2, c);
    int roots[] = { r0, c2, r1 };
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, &p, roots, 3), 0);
    check_topological(&tp);
    cr_assert_not(ex_tape_uses(&tp, EX_CONST));
    cr_assert_eq(tp.n, 6); /* 2, p0, *, x, *, + */
    cr_assert_eq(tp.code[tp.out[1]].op, EX_MUL);
    cr_assert_eq(tp.code[tp.out[0]].a, tp.out[1]);
    cr_assert_eq(tp.code[tp.out[2]].a, tp.out[1]);
    cr_assert_eq(tp.code[tp.out[2]].b, tp.out[1]);
    cr_assert_str_eq(tp.text + tp.code[0].text, "2");
    double y = 3, par = 1.25, w[6], out[3];
    ex_env env = { 0, &y, &par, NULL };
    ex_eval(&tp, &env, w, out);
    cr_assert_eq(out[0], 7.5);
    cr_assert_eq(out[1], 2.5);
    cr_assert_eq(out[2], 5.0);
    ex_tape_free(&tp);
    ex_pool_free(&p);
}

Test(tape, rejects_malformed_pools)
{
    ex_pool p;
    ex_pool_init(&p);
    int x = leaf(&p, EX_STATE, 0);
    int bad = node(&p, EX_ADD, x, 5, 0);       /* child after its parent */
    int self = node(&p, EX_NEG, 2, -1, 0);     /* its own child */
    int nochild = node(&p, EX_SIN, -1, -1, 0);
    int roots[][1] = { { bad }, { self }, { nochild }, { 99 }, { -1 } };
    for (size_t i = 0; i < sizeof roots / sizeof *roots; i++) {
        ex_tape tp;
        cr_assert_eq(ex_tape_build(&tp, &p, roots[i], 1), -1, "case %zu", i);
        cr_assert_null(tp.code);
        cr_assert_eq(tp.n, 0);
    }
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, &p, NULL, 0), 0);
    cr_assert_eq(tp.n, 0);
    ex_tape_free(&tp);
    ex_pool_free(&p);
}

/* A sum of 200000 terms nests that deep; building must not recurse. */
Test(tape, deep_chain_does_not_recurse)
{
    ex_pool p;
    ex_pool_init(&p);
    int x = leaf(&p, EX_STATE, 0), e = x;
    for (int i = 0; i < 200000; i++)
        e = bin(&p, EX_ADD, e, x);
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, &p, &e, 1), 0);
    cr_assert_eq(tp.n, 200001);
    double *w = malloc((size_t)tp.n * sizeof *w), y = 0.5, out;
    ex_env env = { 0, &y, NULL, NULL };
    ex_eval(&tp, &env, w, &out);
    cr_assert_eq(out, 100000.5);
    free(w);
    ex_tape_free(&tp);
    ex_pool_free(&p);
}

Test(tape, uses)
{
    ex_pool p;
    ex_pool_init(&p);
    int e = node(&p, EX_POWI, leaf(&p, EX_TIME, 0), -1, 3);
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, &p, &e, 1), 0);
    cr_assert(ex_tape_uses(&tp, EX_POWI));
    cr_assert(ex_tape_uses(&tp, EX_TIME));
    cr_assert_not(ex_tape_uses(&tp, EX_STATE));
    cr_assert_not(ex_tape_uses(&tp, EX_POW));
    ex_tape_free(&tp);
    ex_pool_free(&p);
}

/* ---- scalar evaluation --------------------------------------------- */

/* One tape with a root per operation, so that each can be checked
 * against the single C operation it stands for. */
typedef struct optape {
    ex_pool p;
    ex_tape tp;
    int n;
} optape;

static const ex_op unary_ops[] = { EX_NEG, EX_SIN, EX_COS, EX_TAN, EX_ASIN,
    EX_ACOS, EX_ATAN, EX_SINH, EX_COSH, EX_TANH, EX_EXP, EX_LOG, EX_SQRT };
static const ex_op binary_ops[] = { EX_ADD, EX_SUB, EX_MUL, EX_DIV, EX_POW };
#define NUN (int)(sizeof unary_ops / sizeof *unary_ops)
#define NBIN (int)(sizeof binary_ops / sizeof *binary_ops)
#define NLEAF 5

/* roots: t, y0, p0, x0(0), 0.1, then unary ops of y0, then binary ops of
 * (y0, y1). */
static void optape_build(optape *o)
{
    ex_pool_init(&o->p);
    int roots[NLEAF + NUN + NBIN];
    int y0 = leaf(&o->p, EX_STATE, 0), y1 = leaf(&o->p, EX_STATE, 1);
    roots[0] = leaf(&o->p, EX_TIME, 0);
    roots[1] = y0;
    roots[2] = leaf(&o->p, EX_PARAM, 0);
    roots[3] = leaf(&o->p, EX_INIT, 0);
    roots[4] = lit(&o->p, "0.1");
    for (int i = 0; i < NUN; i++)
        roots[NLEAF + i] = un(&o->p, unary_ops[i], y0);
    for (int i = 0; i < NBIN; i++)
        roots[NLEAF + NUN + i] = bin(&o->p, binary_ops[i], y0, y1);
    o->n = NLEAF + NUN + NBIN;
    cr_assert_eq(ex_tape_build(&o->tp, &o->p, roots, o->n), 0);
}

static void optape_free(optape *o)
{
    ex_tape_free(&o->tp);
    ex_pool_free(&o->p);
}

static double ref1(ex_op op, double a)
{
    switch (op) {
    case EX_NEG: return -a;
    case EX_SIN: return sin(a);
    case EX_COS: return cos(a);
    case EX_TAN: return tan(a);
    case EX_ASIN: return asin(a);
    case EX_ACOS: return acos(a);
    case EX_ATAN: return atan(a);
    case EX_SINH: return sinh(a);
    case EX_COSH: return cosh(a);
    case EX_TANH: return tanh(a);
    case EX_EXP: return exp(a);
    case EX_LOG: return log(a);
    case EX_SQRT: return sqrt(a);
    default: cr_assert_fail("op %d", op);
    }
    return 0;
}

static double ref2(ex_op op, double a, double b)
{
    switch (op) {
    case EX_ADD: return a + b;
    case EX_SUB: return a - b;
    case EX_MUL: return a * b;
    case EX_DIV: return a / b;
    case EX_POW: return pow(a, b);
    default: cr_assert_fail("op %d", op);
    }
    return 0;
}

static float ref1f(ex_op op, float a)
{
    switch (op) {
    case EX_NEG: return -a;
    case EX_SIN: return sinf(a);
    case EX_COS: return cosf(a);
    case EX_TAN: return tanf(a);
    case EX_ASIN: return asinf(a);
    case EX_ACOS: return acosf(a);
    case EX_ATAN: return atanf(a);
    case EX_SINH: return sinhf(a);
    case EX_COSH: return coshf(a);
    case EX_TANH: return tanhf(a);
    case EX_EXP: return expf(a);
    case EX_LOG: return logf(a);
    case EX_SQRT: return sqrtf(a);
    default: cr_assert_fail("op %d", op);
    }
    return 0;
}

static float ref2f(ex_op op, float a, float b)
{
    switch (op) {
    case EX_ADD: return a + b;
    case EX_SUB: return a - b;
    case EX_MUL: return a * b;
    case EX_DIV: return a / b;
    case EX_POW: return powf(a, b);
    default: cr_assert_fail("op %d", op);
    }
    return 0;
}

Test(eval, each_op_is_its_libm_call)
{
    optape o;
    optape_build(&o);
    uint64_t seed = 1;
    double w[64], out[64];
    cr_assert_leq(o.tp.n, 64);
    for (int trial = 0; trial < 1000; trial++) {
        double y[2] = { uniform(&seed, -0.99, 0.99), uniform(&seed, -3, 3) };
        double par = uniform(&seed, -5, 5), init = uniform(&seed, -5, 5);
        double t = uniform(&seed, 0, 10);
        if (trial % 2)
            y[0] = uniform(&seed, 0.01, 4); /* log, sqrt, pow domain */
        ex_env env = { t, y, &par, &init };
        ex_eval(&o.tp, &env, w, out);
        cr_assert(same_bits(out[0], t));
        cr_assert(same_bits(out[1], y[0]));
        cr_assert(same_bits(out[2], par));
        cr_assert(same_bits(out[3], init));
        cr_assert(same_bits(out[4], 0.1));
        for (int i = 0; i < NUN; i++)
            cr_assert(same_bits(out[NLEAF + i], ref1(unary_ops[i], y[0])),
                      "op %d at %a", unary_ops[i], y[0]);
        for (int i = 0; i < NBIN; i++)
            cr_assert(same_bits(out[NLEAF + NUN + i],
                                ref2(binary_ops[i], y[0], y[1])));
    }
    optape_free(&o);
}

Test(evalf, each_op_is_its_float_libm_call)
{
    optape o;
    optape_build(&o);
    uint64_t seed = 2;
    float w[64], out[64];
    for (int trial = 0; trial < 1000; trial++) {
        float y[2] = { (float)uniform(&seed, -0.99, 0.99),
                       (float)uniform(&seed, -3, 3) };
        float par = (float)uniform(&seed, -5, 5), init = 0.5f, t = 2.0f;
        if (trial % 2)
            y[0] = (float)uniform(&seed, 0.01, 4);
        ex_envf env = { t, y, &par, &init };
        ex_evalf(&o.tp, &env, w, out);
        cr_assert(same_bitsf(out[0], t));
        cr_assert(same_bitsf(out[1], y[0]));
        cr_assert(same_bitsf(out[2], par));
        cr_assert(same_bitsf(out[3], init));
        cr_assert(same_bitsf(out[4], (float)0.1));
        for (int i = 0; i < NUN; i++)
            cr_assert(same_bitsf(out[NLEAF + i], ref1f(unary_ops[i], y[0])),
                      "op %d at %a", unary_ops[i], (double)y[0]);
        for (int i = 0; i < NBIN; i++)
            cr_assert(same_bitsf(out[NLEAF + NUN + i],
                                 ref2f(binary_ops[i], y[0], y[1])));
    }
    optape_free(&o);
}

/* x*y + z in float, not (float)((double)x*y + z): the double-rounded
 * result differs for some inputs, and evalf must never produce it. */
Test(evalf, no_double_intermediates)
{
    ex_pool p;
    ex_pool_init(&p);
    int e = bin(&p, EX_ADD, bin(&p, EX_MUL, leaf(&p, EX_STATE, 0),
                                leaf(&p, EX_STATE, 1)), leaf(&p, EX_STATE, 2));
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, &p, &e, 1), 0);
    uint64_t seed = 3;
    int differs = 0;
    for (int trial = 0; trial < 10000; trial++) {
        float y[3], w[8], out;
        for (int i = 0; i < 3; i++)
            y[i] = (float)uniform(&seed, -1, 1);
        ex_envf env = { 0, y, NULL, NULL };
        ex_evalf(&tp, &env, w, &out);
        float prod = y[0] * y[1];
        float want = prod + y[2];
        float wide = (float)((double)y[0] * (double)y[1] + (double)y[2]);
        cr_assert(same_bitsf(out, want));
        differs += !same_bitsf(want, wide);
    }
    cr_assert_gt(differs, 0, "the test cannot tell float from double");
    ex_tape_free(&tp);
    ex_pool_free(&p);
}

static int powi_root(ex_pool *p, int n)
{
    return node(p, EX_POWI, leaf(p, EX_STATE, 0), -1, n);
}

/* x^n is r = x; r = r*x; ... and 1/that for n < 0, bit for bit. */
Test(eval, powi_is_a_left_to_right_product)
{
    ex_pool p;
    ex_pool_init(&p);
    int roots[2 * EX_POWI_MAX + 1];
    for (int n = -EX_POWI_MAX; n <= EX_POWI_MAX; n++)
        roots[n + EX_POWI_MAX] = powi_root(&p, n);
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, &p, roots, 2 * EX_POWI_MAX + 1), 0);
    uint64_t seed = 4;
    int order_matters = 0;
    for (int trial = 0; trial < 5000; trial++) {
        double x = uniform(&seed, -3, 3), w[128], out[2 * EX_POWI_MAX + 1];
        float xf = (float)x, wf[128], outf[2 * EX_POWI_MAX + 1];
        ex_env env = { 0, &x, NULL, NULL };
        ex_envf envf = { 0, &xf, NULL, NULL };
        ex_eval(&tp, &env, w, out);
        ex_evalf(&tp, &envf, wf, outf);
        for (int n = -EX_POWI_MAX; n <= EX_POWI_MAX; n++) {
            int m = abs(n);
            double r = 1;
            float rf = 1;
            if (m > 0) {
                r = x;
                rf = xf;
                for (int k = 1; k < m; k++) {
                    r = r * x;
                    rf = rf * xf;
                }
            }
            if (n < 0) {
                r = 1 / r;
                rf = 1 / rf;
            }
            cr_assert(same_bits(out[n + EX_POWI_MAX], r), "x=%a n=%d", x, n);
            cr_assert(same_bitsf(outf[n + EX_POWI_MAX], rf));
        }
        double x3 = (x * x) * x;
        cr_assert(same_bits(out[EX_POWI_MAX + 3], x3));
        order_matters += !same_bits(x3, x * (x * x)) ||
                         !same_bits(out[EX_POWI_MAX + 3], pow(x, 3));
    }
    cr_assert_gt(order_matters, 0, "no input shows the order");
    ex_tape_free(&tp);
    ex_pool_free(&p);
}

Test(eval, powi_zero_is_one_everywhere)
{
    ex_pool p;
    ex_pool_init(&p);
    int r = powi_root(&p, 0);
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, &p, &r, 1), 0);
    double xs[] = { 0, -0.0, INFINITY, NAN, -2 };
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        double w[2], out;
        float xf = (float)xs[i], wf[2], outf;
        ex_env env = { 0, &xs[i], NULL, NULL };
        ex_envf envf = { 0, &xf, NULL, NULL };
        ex_eval(&tp, &env, w, &out);
        ex_evalf(&tp, &envf, wf, &outf);
        cr_assert_eq(out, 1.0);
        cr_assert_eq(outf, 1.0f);
    }
    ex_tape_free(&tp);
    ex_pool_free(&p);
}

/* Literals in float are (float)num, the double literal rounded again. */
Test(evalf, literal_is_rounded_double)
{
    ex_pool p;
    ex_pool_init(&p);
    const char *texts[] = { "0.1", "3.14159265358979323846", "1e-40", "2" };
    int roots[4];
    for (int i = 0; i < 4; i++)
        roots[i] = lit(&p, texts[i]);
    ex_tape tp;
    cr_assert_eq(ex_tape_build(&tp, &p, roots, 4), 0);
    float wf[4], outf[4];
    ex_envf env = { 0, NULL, NULL, NULL };
    ex_evalf(&tp, &env, wf, outf);
    for (int i = 0; i < 4; i++)
        cr_assert(same_bitsf(outf[i], (float)strtod(texts[i], NULL)));
    ex_tape_free(&tp);
    ex_pool_free(&p);
}
