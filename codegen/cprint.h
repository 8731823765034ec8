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
} cprint_names;

/* Appends the expression rooted at pool node `root`. */
void cp_expr(strbuf *out, const ex_pool *pool, const cprint_names *names,
             int is_float, int root);
/* The shortest decimal that reads back as v (as (float)v with is_float),
 * always a floating literal ("2.0", "0.1", "1e-05"), with 'f' if is_float. */
void cp_literal(strbuf *out, double v, int is_float);
/* The same without the suffix and without forcing a ".0" (for comments). */
void cp_decimal(char *buf, size_t size, double v, int is_float);
/* An exact hexadecimal floating literal ("0x1p-1", "-0x1.8p+1f"). */
void cp_hex(strbuf *out, double v, int is_float);

#endif
