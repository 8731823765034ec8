/* expr.h - the one representation of an expression.
 *
 * The parser adds nodes to a pool; children always precede their
 * parent, so the pool is already in evaluation order.  The pool keeps
 * each distinct node once (hash-consing), so a subexpression written
 * twice, like the r^3 of both components of an orbit, is one node.  For evaluation a
 * set of roots is compiled into a tape: the reachable nodes, each once,
 * in post-order, with child indices remapped to tape slots.  Every
 * evaluator (double, float, power series in double and in MPFR) walks
 * the same tape, and the C printer walks the same tree, so all of them
 * perform the same operations in the same order.
 */
#ifndef RK_EXPR_H
#define RK_EXPR_H

#include <stddef.h>

typedef enum ex_op {
    EX_NUM,   /* literal: num (correctly rounded), text (exact decimal) */
    EX_TIME,  /* t */
    EX_STATE, /* state variable #index */
    EX_PARAM, /* parameter #index */
    EX_CONST, /* named constant #index; a = root of its expression */
    EX_INIT,  /* initial value X(0) of state #index (exact solutions) */
    /* Only in the rules of state arrays, which are instantiated into the
     * nodes above for each component; no tape ever holds these. */
    EX_INDEX, /* the rule's index #index (0: i, 1: j) as a number */
    EX_ELEM,  /* element of state array #index at subscript pool.subs[text] */
    EX_NEG,   /* -a */
    EX_ADD, EX_SUB, EX_MUL, EX_DIV, /* a op b */
    EX_POWI,  /* a ^ index, index an integer in [-EX_POWI_MAX, EX_POWI_MAX] */
    EX_POW,   /* pow(a, b) */
    /* one-argument functions, argument a */
    EX_SIN, EX_COS, EX_TAN, EX_ASIN, EX_ACOS, EX_ATAN,
    EX_SINH, EX_COSH, EX_TANH, EX_EXP, EX_LOG, EX_SQRT,
    EX_NOPS
} ex_op;

/* Integer powers up to this magnitude are products, like hand-written C. */
#define EX_POWI_MAX 16

typedef struct ex_node {
    ex_op op;
    int a, b;    /* children (pool or tape indices), -1 when unused */
    int index;   /* symbol number, or the exponent of EX_POWI */
    int text;    /* EX_NUM: offset of the literal's text in pool.text */
    double num;  /* EX_NUM: value */
} ex_node;

/* A subscript of EX_ELEM: per dimension, the rule's index var[d] plus
 * off[d] (wrapped modulo the size), or with var[d] < 0 the fixed off[d]. */
typedef struct ex_sub {
    int var[2], off[2];
} ex_sub;

typedef struct ex_pool {
    ex_node *nodes;
    int n, cap;
    int *hash;    /* open addressing over nodes: node index or -1 */
    int caphash;  /* a power of two, at least twice n */
    char *text;  /* NUL-separated literal texts */
    size_t ntext, captext;
    ex_sub *subs; /* EX_ELEM subscripts */
    int nsubs, capsubs;
} ex_pool;

void ex_pool_init(ex_pool *p);
void ex_pool_free(ex_pool *p);
/* Returns the index of a node equal to `node` (same op, children, index
 * and text, and the same value bits; a literal's text compared as a
 * string), appending it first if there is none; -1 when out of memory.
 * So an expression written twice is one node, and every tape evaluates
 * it once. */
int ex_pool_add(ex_pool *p, ex_node node);
/* Stores a literal's text; returns its offset or -1. */
int ex_pool_text(ex_pool *p, const char *s, size_t len);
/* Stores a subscript (equal ones share a number); returns it or -1. */
int ex_pool_sub(ex_pool *p, ex_sub sub);

/* mark[0..root]: 1 for the nodes the expression at root reaches, itself
 * included, stopping at EX_CONST (a constant's expression is its own);
 * children precede parents, so one backward sweep finds them.  NULL when
 * out of memory; the caller frees it. */
char *ex_reach(const ex_pool *p, int root);

/* Name of a one-argument function or EX_POW ("sin", "pow"); NULL otherwise. */
const char *ex_func_name(ex_op op);
/* Function by name: its op and argument count; returns 0 if unknown. */
int ex_func_lookup(const char *name, size_t len, ex_op *op, int *nargs);
/* 1 if op is a libm call in C (functions, pow, and nothing else). */
int ex_op_is_libm(ex_op op);

typedef struct ex_tape {
    ex_node *code;  /* instructions; a and b are earlier slots */
    int n;
    int *out;       /* slot of each root */
    int nout;
    const char *text; /* the pool's literal texts (borrowed) */
} ex_tape;

/* Compiles roots[0..nroots) of pool into tape; 0 on success, -1 on OOM. */
int ex_tape_build(ex_tape *tp, const ex_pool *pool, const int *roots, int nroots);
void ex_tape_free(ex_tape *tp);
/* 1 if any instruction has op `op`. */
int ex_tape_uses(const ex_tape *tp, ex_op op);

/* Values the leaves read.  y0 is only read by EX_INIT. */
typedef struct ex_env {
    double t;
    const double *y, *p, *y0;
} ex_env;

typedef struct ex_envf {
    float t;
    const float *y, *p, *y0;
} ex_envf;

/* Scalar evaluation; work has tp->n entries, out has tp->nout. */
void ex_eval(const ex_tape *tp, const ex_env *env, double *work, double *out);
void ex_evalf(const ex_tape *tp, const ex_envf *env, float *work, float *out);

#endif
