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

typedef struct printer {
    strbuf *out;
    const ex_pool *pool;
    const cprint_names *names;
    int is_float;
    const int *temp;       /* per pool node: its temporary's number, or 0 */
    const char *temp_name; /* with temp */
} printer;

static int is_temp(const printer *p, int i)
{
    return p->temp && p->temp[i] > 0;
}

static int prec_of(const printer *p, int i)
{
    const ex_node *n = &p->pool->nodes[i];
    if (is_temp(p, i))
        return P_ATOM;
    switch (n->op) {
    case EX_ADD: case EX_SUB:
        return P_ADD;
    case EX_MUL: case EX_DIV:
        return P_MUL;
    case EX_POWI:
        if (n->index == 1)
            return prec_of(p, n->a);
        return n->index == 0 ? P_ATOM : P_MUL;
    case EX_NEG:
        return P_NEG;
    default:
        return P_ATOM;
    }
}

static void expr(const printer *p, int i);

/* A left operand keeps its parentheses only below the parent's level; a
 * right operand also at the parent's level, since C is left-associative
 * and floating point is not associative. */
static void operand(const printer *p, int i, int parent, int right)
{
    int c = prec_of(p, i);
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

/* Node i spelt out, its temporaries read by name. */
static void node(const printer *p, int i)
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
        operand(p, n->a, P_NEG + (p->pool->nodes[n->a].op == EX_NEG && !is_temp(p, n->a)), 0);
        break;
    case EX_ADD: case EX_SUB: case EX_MUL: case EX_DIV: {
        int level = n->op <= EX_SUB ? P_ADD : P_MUL;
        operand(p, n->a, level, 0);
        sb_puts(p->out, binop[n->op - EX_ADD]);
        operand(p, n->b, level, 1);
        break;
    }
    case EX_POWI: power(p, n); break;
    case EX_ELEM: p->names->elem(p->names->ctx, p->out, n); break;
    case EX_INDEX: p->names->index(p->names->ctx, p->out, n->index); break;
    case EX_INIT: /* exact solutions are never printed as C */
    default: call(p, n); break;
    }
}

static void expr(const printer *p, int i)
{
    if (is_temp(p, i))
        sb_printf(p->out, "%s%d", p->temp_name, p->temp[i]);
    else
        node(p, i);
}

void cp_expr(strbuf *out, const ex_pool *pool, const cprint_names *names,
             int is_float, int root)
{
    printer p = {out, pool, names, is_float, NULL, NULL};
    expr(&p, root);
}

/* ---- blocks with temporaries ---- */

/* Nodes printed by name, which a temporary would not shorten. */
static int is_leaf(const ex_node *n)
{
    return n->a < 0 || n->op == EX_CONST;
}

/* How many times node i's printing spells child a (x^3 is x * x * x). */
static int child_spellings(const ex_node *n)
{
    if (n->op != EX_POWI)
        return 1;
    return abs(n->index) > 1 ? 2 : abs(n->index);
}

/* uses[i]: how often node i would be spelt out if only the nodes used
 * more than once became temporaries.  Children precede their parents in
 * the pool, so one sweep down from the largest root sees every parent's
 * count before its children's. */
static int *count_uses(const ex_pool *pool, const int *roots, int n, int *top)
{
    *top = -1;
    for (int r = 0; r < n; r++)
        *top = roots[r] > *top ? roots[r] : *top;
    int *uses = calloc((size_t)*top + 2, sizeof *uses);
    if (!uses)
        return NULL;
    for (int r = 0; r < n; r++)
        uses[roots[r]]++;
    for (int i = *top; i >= 0; i--) {
        const ex_node *nd = &pool->nodes[i];
        if (!uses[i] || is_leaf(nd))
            continue;
        uses[nd->a] += child_spellings(nd);
        if (nd->b >= 0)
            uses[nd->b]++;
    }
    return uses;
}

int cp_block_print(strbuf *out, const ex_pool *pool, const cprint_names *names,
                   cp_block *b, const int *roots, const char *const *lhs, int n)
{
    int top;
    int *temp = count_uses(pool, roots, n, &top);
    if (!temp)
        return -1;
    printer p = {out, pool, names, b->is_float, temp, b->temp};
    /* ascending pool order is an evaluation order: children come first */
    for (int i = 0; i <= top; i++) {
        int shared = temp[i] > 1 && !is_leaf(&pool->nodes[i]);
        temp[i] = 0;
        if (!shared)
            continue;
        sb_printf(out, "%sconst %s %s%d = ", b->indent, b->real, b->temp, b->ntemps + 1);
        node(&p, i);
        sb_puts(out, ";\n");
        temp[i] = ++b->ntemps;
    }
    for (int r = 0; r < n; r++) {
        sb_printf(out, "%s%s = ", b->indent, lhs[r]);
        expr(&p, roots[r]);
        sb_puts(out, ";\n");
    }
    free(temp);
    return 0;
}
