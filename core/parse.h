/* parse.h - the expression parser, the one gate between input text and
 * every evaluator or generated C.
 *
 * Grammar (precedence low to high; ^ is right-associative and binds
 * tighter than unary minus, so -u^2 is -(u^2)):
 *   expr    = term { ("+" | "-") term }
 *   term    = unary { ("*" | "/") unary }
 *   unary   = "-" unary | power
 *   power   = primary [ "^" unary ]
 *   primary = number | name | name "(" expr { "," expr } ")" | "(" expr ")"
 *           | name "[" index "]" [ "[" index "]" ]      (state arrays)
 *   index   = ivar [ ("+" | "-") expr ] | expr        (expr: an integer constant)
 * A name is a symbol of the scope, t (when allowed), or a function of
 * ex_func_lookup; X(0) is state X's initial value (when allowed).
 * x^n with n an integer literal (optionally negated) of magnitude at most
 * EX_POWI_MAX is EX_POWI; every other exponent is EX_POW.
 */
#ifndef RK_PARSE_H
#define RK_PARSE_H

#include <mpfr.h>
#include "diag.h"
#include "expr.h"

/* One line of a source file, for parsing and for error messages. */
typedef struct rk_srcline {
    const char *file;
    int line;          /* 1-based */
    const char *text;  /* the line, without its newline */
    size_t len;
} rk_srcline;

/* A state as the parser sees it: a scalar (rank 0) or an array of
 * rank 1 or 2, whose components are offset, offset + 1, ... (row-major). */
typedef struct ex_array {
    int rank, size[2], offset;
} ex_array;

/* The names an expression may use. */
typedef struct ex_scope {
    char *const *state;    int nstate;  /* EX_STATE, and X(0) */
    char *const *param;    int nparam;  /* EX_PARAM */
    char *const *konst;    const int *konst_root; int nconst; /* EX_CONST */
    int allow_t;           /* t */
    int allow_state;       /* plain state names */
    int allow_init;        /* X(0) */
    /* NULL: every state a scalar whose component is its number; else per
     * state its shape, and an array's elements are written x[i+1], u[0][j] */
    const ex_array *array;
    char *const *ivar;     int nivar;   /* the rule's index names: EX_INDEX */
    int consts_only;       /* every name but a constant's is an error */
} ex_scope;

#define EX_MAX_DEPTH 64    /* nesting of parentheses and calls */

/* Parses one expression of src starting at *pos; stops before the first
 * token that cannot continue it (end of line, ',' or an unmatched ')'),
 * leaves *pos there and returns the root, or returns -1 with err set. */
int ex_parse_at(ex_pool *pool, const ex_scope *scope, const rk_srcline *src,
                size_t *pos, rk_error *err);

/* Parses all of text (one line, NUL-terminated) as one expression. */
int ex_parse_string(ex_pool *pool, const ex_scope *scope, const char *text,
                    rk_error *err);

/* Parses an integer constant expression (numbers, constants and
 * functions of them) of src at *pos, as in a size or a fixed index, into
 * *v; stops as ex_parse_at does.  Returns 0, or -1 with err set (also
 * when the value is not an integer in [lo, hi]; what names it there). */
int ex_parse_int(ex_pool *pool, const ex_scope *scope, const rk_srcline *src, size_t *pos,
                 long lo, long hi, const char *what, long *v, rk_error *err);

/* Skips blanks (spaces and tabs) from *pos. */
void rk_skip_blanks(const rk_srcline *src, size_t *pos);

/* Evaluates a constant expression text ("1/6", "(6-sqrt(6))/10") in MPFR
 * at out's precision, rounding to nearest; 0 on success. */
int ex_const_eval_mp(const char *text, mpfr_t out, rk_error *err);
/* The same, correctly rounded to double. */
int ex_const_eval(const char *text, double *out, rk_error *err);

#endif
