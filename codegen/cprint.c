/* cprint.c - expressions and numbers as C source (cprint.h), printed so
 * that a C compiler repeats the expression engine's operations exactly. */
#include "cprint.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cp_decimal(char *buf, size_t size, double v, int is_float)
{
    /* whole numbers as whole numbers: 10, not 1e+01 */
    if (fabs(v) < 1e15 && v == (double)(long long)v) {
        snprintf(buf, size, "%lld", (long long)v);
        if (is_float ? strtof(buf, NULL) == (float)v : 1)
            return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, is_float ? (double)(float)v : v);
        if (is_float ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v)
            return;
    }
}

void cp_literal(strbuf *out, double v, int is_float)
{
    char buf[40];
    cp_decimal(buf, sizeof buf, v, is_float);
    sb_puts(out, buf);
    if (!strpbrk(buf, ".e"))
        sb_puts(out, ".0");
    if (is_float)
        sb_puts(out, "f");
}

void cp_hex(strbuf *out, double v, int is_float)
{
    sb_printf(out, "%a%s", is_float ? (double)(float)v : v, is_float ? "f" : "");
}

enum { P_ADD = 1, P_MUL = 2, P_NEG = 3, P_ATOM = 4 };

static int prec_of(const ex_pool *pool, int i)
{
    const ex_node *n = &pool->nodes[i];
    switch (n->op) {
    case EX_ADD: case EX_SUB:
        return P_ADD;
    case EX_MUL: case EX_DIV:
        return P_MUL;
    case EX_POWI:
        if (n->index == 1)
            return prec_of(pool, n->a);
        return n->index == 0 ? P_ATOM : P_MUL;
    case EX_NEG:
        return P_NEG;
    default:
        return P_ATOM;
    }
}

typedef struct printer {
    strbuf *out;
    const ex_pool *pool;
    const cprint_names *names;
    int is_float;
} printer;

static void expr(const printer *p, int i);

/* A left operand keeps its parentheses only below the parent's level; a
 * right operand also at the parent's level, since C is left-associative
 * and floating point is not associative. */
static void operand(const printer *p, int i, int parent, int right)
{
    int c = prec_of(p->pool, i);
    int paren = c < parent || (right && c == parent);
    if (paren)
        sb_puts(p->out, "(");
    expr(p, i);
    if (paren)
        sb_puts(p->out, ")");
}

/* x^n as the product x * x * ... * x, evaluated left to right. */
static void power(const printer *p, const ex_node *n)
{
    int k = abs(n->index);
    if (k == 0) {
        cp_literal(p->out, 1.0, p->is_float);
        return;
    }
    if (n->index < 0) {
        cp_literal(p->out, 1.0, p->is_float);
        sb_puts(p->out, k > 1 ? " / (" : " / ");
    }
    for (int j = 0; j < k; j++) {
        if (j > 0)
            sb_puts(p->out, " * ");
        operand(p, n->a, P_MUL, j > 0 || n->index < 0 || k > 1);
    }
    if (n->index < 0 && k > 1)
        sb_puts(p->out, ")");
}

static void call(const printer *p, const ex_node *n)
{
    sb_puts(p->out, ex_func_name(n->op));
    sb_puts(p->out, p->is_float ? "f(" : "(");
    expr(p, n->a);
    if (n->op == EX_POW) {
        sb_puts(p->out, ", ");
        expr(p, n->b);
    }
    sb_puts(p->out, ")");
}

static void expr(const printer *p, int i)
{
    const ex_node *n = &p->pool->nodes[i];
    static const char *const binop[] = {" + ", " - ", " * ", " / "};
    switch (n->op) {
    case EX_NUM: cp_literal(p->out, n->num, p->is_float); break;
    case EX_TIME: sb_puts(p->out, "t"); break;
    case EX_STATE: sb_puts(p->out, p->names->state[n->index]); break;
    case EX_PARAM: sb_puts(p->out, p->names->param[n->index]); break;
    case EX_CONST: sb_puts(p->out, p->names->konst[n->index]); break;
    case EX_NEG:
        sb_puts(p->out, "-");
        /* -(-x), never --x */
        operand(p, n->a, P_NEG + (p->pool->nodes[n->a].op == EX_NEG), 0);
        break;
    case EX_ADD: case EX_SUB: case EX_MUL: case EX_DIV: {
        int level = n->op <= EX_SUB ? P_ADD : P_MUL;
        operand(p, n->a, level, 0);
        sb_puts(p->out, binop[n->op - EX_ADD]);
        operand(p, n->b, level, 1);
        break;
    }
    case EX_POWI: power(p, n); break;
    case EX_INIT: /* exact solutions are never printed as C */
    default: call(p, n); break;
    }
}

void cp_expr(strbuf *out, const ex_pool *pool, const cprint_names *names,
             int is_float, int root)
{
    printer p = {out, pool, names, is_float};
    expr(&p, root);
}
