/* expr.c - expression pools, tapes, and scalar evaluation.
 *
 * The scalar evaluators define the operation order that the C printer
 * must reproduce: one libm call or one operator per instruction, and
 * integer powers as left-to-right products (x^3 = (x*x)*x, x^-3 =
 * 1/((x*x)*x)), exactly as hand-written C would spell them.
 */
#include "expr.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- pool ---------------------------------------------------------- */

void ex_pool_init(ex_pool *p)
{
    memset(p, 0, sizeof *p);
}

void ex_pool_free(ex_pool *p)
{
    free(p->nodes);
    free(p->hash);
    free(p->text);
    free(p->subs);
    ex_pool_init(p);
}

static int append(ex_pool *p, ex_node node)
{
    if (p->n == p->cap) {
        if (p->cap > INT_MAX / 2)
            return -1;
        int cap = p->cap ? 2 * p->cap : 64;
        ex_node *nodes = realloc(p->nodes, (size_t)cap * sizeof *nodes);
        if (!nodes)
            return -1;
        p->nodes = nodes;
        p->cap = cap;
    }
    p->nodes[p->n] = node;
    return p->n++;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3u;
}

/* A literal is known by its text, which lives at a different offset each
 * time it is written: hash and compare the string, not the offset. */
static const char *literal_text(const ex_pool *p, const ex_node *n)
{
    return n->op == EX_NUM && n->text >= 0 ? p->text + n->text : NULL;
}

static uint64_t node_hash(const ex_pool *p, const ex_node *n)
{
    uint64_t bits, h = 0xcbf29ce484222325u;
    memcpy(&bits, &n->num, sizeof bits);
    h = mix(mix(mix(mix(h, (uint64_t)n->op), (uint64_t)(unsigned)n->a),
                (uint64_t)(unsigned)n->b), (uint64_t)(unsigned)n->index);
    h = mix(h, bits);
    const char *s = literal_text(p, n);
    if (!s)
        h = mix(h, (uint64_t)(unsigned)n->text);
    for (; s && *s; s++)
        h = mix(h, (unsigned char)*s);
    /* the table takes the low bits, and a product carries only upwards:
     * without this finaliser (MurmurHash3's) nodes that differ in their
     * value's high bits (small integers, as the index numbers of a grid)
     * fell into one probe chain */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    return h;
}

static int node_same(const ex_pool *p, const ex_node *x, const ex_node *y)
{
    if (x->op != y->op || x->a != y->a || x->b != y->b || x->index != y->index ||
        memcmp(&x->num, &y->num, sizeof x->num) != 0)
        return 0;
    const char *sx = literal_text(p, x), *sy = literal_text(p, y);
    if (sx && sy)
        return strcmp(sx, sy) == 0;
    return !sx && !sy && x->text == y->text;
}

/* The slot of node `n` in the table: where an equal node is, or the empty
 * slot where it belongs. */
static size_t hash_slot(const ex_pool *p, const ex_node *n)
{
    size_t mask = (size_t)p->caphash - 1, k = (size_t)node_hash(p, n) & mask;
    while (p->hash[k] >= 0 && !node_same(p, &p->nodes[p->hash[k]], n))
        k = (k + 1) & mask;
    return k;
}

/* Keeps the table at most half full, so that probes stay short. */
static int hash_reserve(ex_pool *p)
{
    if ((size_t)p->n + 1 <= (size_t)p->caphash / 2)
        return 0;
    if (p->caphash > INT_MAX / 4)
        return -1;
    int cap = p->caphash ? 2 * p->caphash : 128;
    int *hash = malloc((size_t)cap * sizeof *hash);
    if (!hash)
        return -1;
    free(p->hash);
    p->hash = hash;
    p->caphash = cap;
    for (int k = 0; k < cap; k++)
        hash[k] = -1;
    for (int i = 0; i < p->n; i++)
        hash[hash_slot(p, &p->nodes[i])] = i;
    return 0;
}

int ex_pool_add(ex_pool *p, ex_node node)
{
    if (hash_reserve(p) != 0)
        return -1;
    size_t k = hash_slot(p, &node);
    if (p->hash[k] >= 0)
        return p->hash[k];
    int i = append(p, node);
    if (i >= 0)
        p->hash[k] = i;
    return i;
}

int ex_pool_text(ex_pool *p, const char *s, size_t len)
{
    /* Offsets are ints in ex_node, so the text area stays below INT_MAX. */
    if (len >= (size_t)INT_MAX - p->ntext)
        return -1;
    size_t need = p->ntext + len + 1;
    if (need > p->captext) {
        size_t cap = p->captext ? 2 * p->captext : 256;
        while (cap < need)
            cap *= 2;
        char *text = realloc(p->text, cap);
        if (!text)
            return -1;
        p->text = text;
        p->captext = cap;
    }
    int off = (int)p->ntext;
    if (len > 0)
        memcpy(p->text + off, s, len);
    p->text[off + (int)len] = '\0';
    p->ntext = need;
    return off;
}

int ex_pool_sub(ex_pool *p, ex_sub sub)
{
    /* one number per subscript, so that x[i+1] written twice is one node
     * and its uses are shared like any other subexpression's */
    for (int k = 0; k < p->nsubs; k++)
        if (!memcmp(&p->subs[k], &sub, sizeof sub))
            return k;
    if (p->nsubs == p->capsubs) {
        if (p->capsubs > INT_MAX / 2)
            return -1;
        int cap = p->capsubs ? 2 * p->capsubs : 16;
        ex_sub *subs = realloc(p->subs, (size_t)cap * sizeof *subs);
        if (!subs)
            return -1;
        p->subs = subs;
        p->capsubs = cap;
    }
    p->subs[p->nsubs] = sub;
    return p->nsubs++;
}

char *ex_reach(const ex_pool *p, int root)
{
    char *mark = calloc((size_t)root + 1, 1);
    if (!mark)
        return NULL;
    mark[root] = 1;
    for (int k = root; k >= 0; k--) {
        const ex_node *nd = &p->nodes[k];
        if (!mark[k] || nd->op == EX_CONST)
            continue;
        if (nd->a >= 0)
            mark[nd->a] = 1;
        if (nd->b >= 0)
            mark[nd->b] = 1;
    }
    return mark;
}

/* ---- functions ----------------------------------------------------- */

static const char *const func_names[EX_NOPS] = {
    [EX_POW] = "pow",
    [EX_SIN] = "sin",   [EX_COS] = "cos",   [EX_TAN] = "tan",
    [EX_ASIN] = "asin", [EX_ACOS] = "acos", [EX_ATAN] = "atan",
    [EX_SINH] = "sinh", [EX_COSH] = "cosh", [EX_TANH] = "tanh",
    [EX_EXP] = "exp",   [EX_LOG] = "log",   [EX_SQRT] = "sqrt",
};

const char *ex_func_name(ex_op op)
{
    if ((int)op < 0 || op >= EX_NOPS)
        return NULL;
    return func_names[op];
}

int ex_func_lookup(const char *name, size_t len, ex_op *op, int *nargs)
{
    for (int i = 0; i < EX_NOPS; i++) {
        const char *f = func_names[i];
        if (f && strlen(f) == len && memcmp(f, name, len) == 0) {
            *op = (ex_op)i;
            *nargs = i == EX_POW ? 2 : 1;
            return 1;
        }
    }
    return 0;
}

int ex_op_is_libm(ex_op op)
{
    return ex_func_name(op) != NULL;
}

/* ---- tape ---------------------------------------------------------- */

/* Number of children an op reads (EX_CONST's one is its expression). */
static int ex_arity(ex_op op)
{
    switch (op) {
    case EX_NUM: case EX_TIME: case EX_STATE: case EX_PARAM: case EX_INIT:
    case EX_INDEX: case EX_ELEM:
        return 0;
    case EX_ADD: case EX_SUB: case EX_MUL: case EX_DIV: case EX_POW:
        return 2;
    default:
        return 1;
    }
}

/* The first child of node i not yet on the tape; -1 if none, -2 if a
 * child breaks the pool's invariant (children precede their parent),
 * which is also what guarantees the walk terminates. */
static int pending_child(const ex_pool *pool, const int *slot, int i)
{
    const ex_node *nd = &pool->nodes[i];
    int ar = ex_arity(nd->op);
    int kids[2] = { nd->a, nd->b };
    for (int k = 0; k < ar; k++) {
        if (kids[k] < 0 || kids[k] >= i)
            return -2;
        if (slot[kids[k]] < 0)
            return kids[k];
    }
    return -1;
}

/* Appends node i (its children already placed) to the tape, or aliases
 * it when it is a named constant, which costs nothing at run time. */
static void emit(ex_tape *tp, const ex_pool *pool, int *slot, int i)
{
    ex_node nd = pool->nodes[i];
    if (nd.op == EX_CONST) {
        slot[i] = slot[nd.a];
        return;
    }
    int ar = ex_arity(nd.op);
    nd.a = ar >= 1 ? slot[nd.a] : -1;
    nd.b = ar >= 2 ? slot[nd.b] : -1;
    tp->code[tp->n] = nd;
    slot[i] = tp->n++;
}

/* Iterative post-order walk from one root.  Every node on the stack has
 * a smaller index than the one below it, so the stack never exceeds the
 * pool size and deep left-leaning sums cannot overflow the C stack. */
static int walk(ex_tape *tp, const ex_pool *pool, int *slot, int *stack,
                int root)
{
    int sp = 0;
    stack[sp++] = root;
    while (sp > 0) {
        int i = stack[sp - 1];
        if (slot[i] >= 0) {
            sp--;
            continue;
        }
        int c = pending_child(pool, slot, i);
        if (c == -2)
            return -1;
        if (c >= 0) {
            stack[sp++] = c;
            continue;
        }
        sp--;
        emit(tp, pool, slot, i);
    }
    return 0;
}

static int tape_fill(ex_tape *tp, const ex_pool *pool, const int *roots,
                     int nroots, int *slot, int *stack)
{
    for (int i = 0; i < pool->n; i++)
        slot[i] = -1;
    for (int r = 0; r < nroots; r++) {
        if (roots[r] < 0 || roots[r] >= pool->n)
            return -1;
        if (walk(tp, pool, slot, stack, roots[r]) != 0)
            return -1;
        tp->out[r] = slot[roots[r]];
    }
    return 0;
}

int ex_tape_build(ex_tape *tp, const ex_pool *pool, const int *roots, int nroots)
{
    memset(tp, 0, sizeof *tp);
    if (nroots < 0)
        return -1;
    size_t n = pool->n > 0 ? (size_t)pool->n : 1;
    int *slot = malloc(n * sizeof *slot);
    int *stack = malloc(n * sizeof *stack);
    tp->code = malloc(n * sizeof *tp->code);
    tp->out = malloc((nroots > 0 ? (size_t)nroots : 1) * sizeof *tp->out);
    tp->nout = nroots;
    tp->text = pool->text;
    int rc = -1;
    if (slot && stack && tp->code && tp->out)
        rc = tape_fill(tp, pool, roots, nroots, slot, stack);
    free(slot);
    free(stack);
    if (rc != 0)
        ex_tape_free(tp);
    return rc;
}

void ex_tape_free(ex_tape *tp)
{
    free(tp->code);
    free(tp->out);
    memset(tp, 0, sizeof *tp);
}

int ex_tape_uses(const ex_tape *tp, ex_op op)
{
    for (int i = 0; i < tp->n; i++)
        if (tp->code[i].op == op)
            return 1;
    return 0;
}

/* ---- scalar evaluation --------------------------------------------- */

/* |n| without overflow for n == INT_MIN. */
static unsigned powi_count(int n)
{
    return n < 0 ? 0u - (unsigned)n : (unsigned)n;
}

#define REAL double
#define ENV ex_env
#define LIBM(name) name
#define POWI powi
#define EVAL1 eval1
#define EVAL ex_eval
#include "expr_eval.inc"
#undef REAL
#undef ENV
#undef LIBM
#undef POWI
#undef EVAL1
#undef EVAL

#define REAL float
#define ENV ex_envf
#define LIBM(name) name##f
#define POWI powif
#define EVAL1 eval1f
#define EVAL ex_evalf
#include "expr_eval.inc"
