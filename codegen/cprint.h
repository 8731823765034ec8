/* cprint.h - expressions and numbers as C source.
 *
 * The tree is printed with exactly the parentheses its shape needs, so a
 * C compiler evaluates the same operations in the same order as the
 * expression engine (ex_eval/ex_evalf): a + (b + c) keeps its
 * parentheses because floating-point addition does not associate. */
#ifndef RK_CPRINT_H
#define RK_CPRINT_H

#include "expr.h"
#include "strbuf.h"

typedef struct cprint_names {
    char *const *state, *const *param, *const *konst;
    /* a state array's rule (loops.h): how its template's EX_ELEM and
     * EX_INDEX print where they are met; NULL elsewhere */
    void (*elem)(void *ctx, strbuf *out, const ex_node *n);
    void (*index)(void *ctx, strbuf *out, int k);
    void *ctx;
} cprint_names;

/* Appends the expression rooted at pool node `root`, as a tree. */
void cp_expr(strbuf *out, const ex_pool *pool, const cprint_names *names,
             int is_float, int root);

/* How cp_block spells its statements. */
typedef struct cp_block {
    const char *real;   /* type of the temporaries ("vdp_real") */
    const char *indent; /* before every statement */
    const char *temp;   /* temporaries are TEMP1, TEMP2, ...: no family name */
    int ntemps;         /* temporaries so far; numbering continues from it */
    int is_float;
} cp_block;

/* Appends statements that compute roots[0..n) into lhs[0..n) ("dydt[0]",
 * "const vdp_real w"): first `const REAL TEMPk = ...;` for every non-leaf
 * node that the roots reach more than once, children before parents,
 * then `lhs[r] = ...;` for each root, reading the temporaries.  So each
 * node is computed once with the same operations as on the engine's
 * tape, and the C agrees with the engine bit for bit.  Returns 0, or -1
 * when out of memory. */
int cp_block_print(strbuf *out, const ex_pool *pool, const cprint_names *names,
                   cp_block *b, const int *roots, const char *const *lhs, int n);
/* The shortest decimal that reads back as v (as (float)v with is_float),
 * always a floating literal ("2.0", "0.1", "1e-05"), with 'f' if is_float. */
void cp_literal(strbuf *out, double v, int is_float);
/* The same without the suffix and without forcing a ".0" (for comments). */
void cp_decimal(char *buf, size_t size, double v, int is_float);
/* An exact hexadecimal floating literal ("0x1p-1", "-0x1.8p+1f"). */
void cp_hex(strbuf *out, double v, int is_float);

#endif
