/* parse.c - lexer and recursive-descent parser for expressions.
 *
 * Input text reaches evaluators and generated C only as the nodes built
 * here: names are resolved to symbol numbers, numbers to values plus
 * their validated decimal text, so nothing of the text is ever pasted. */
#include "parse.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "series.h"

typedef enum tok_kind {
    TK_END, TK_NUM, TK_NAME, TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_CARET,
    TK_LPAREN, TK_RPAREN, TK_COMMA, TK_LBRACK, TK_RBRACK, TK_OTHER
} tok_kind;

typedef struct token {
    tok_kind kind;
    size_t pos, len;
} token;

typedef struct parser {
    ex_pool *pool;
    const ex_scope *scope;
    const rk_srcline *src;
    size_t pos;   /* first character after the current token */
    token tok;    /* current token */
    int depth;
    rk_error *err;
    int failed;
} parser;

void rk_skip_blanks(const rk_srcline *src, size_t *pos)
{
    while (*pos < src->len && (src->text[*pos] == ' ' || src->text[*pos] == '\t'))
        (*pos)++;
}

static int is_name_start(int c) { return isalpha(c) || c == '_'; }
static int is_name_char(int c) { return isalnum(c) || c == '_'; }

static size_t scan_digits(const char *s, size_t i, size_t n)
{
    while (i < n && isdigit((unsigned char)s[i]))
        i++;
    return i;
}

/* A number is digits [. digits] [(e|E) [+-] digits] or . digits [...]. */
static size_t scan_number(const char *s, size_t i, size_t n)
{
    size_t start = i;
    i = scan_digits(s, i, n);
    if (i < n && s[i] == '.')
        i = scan_digits(s, i + 1, n);
    if (i - start == 1 && s[start] == '.')
        return start;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (s[j] == '+' || s[j] == '-'))
            j++;
        size_t k = scan_digits(s, j, n);
        if (k > j)
            i = k;
    }
    return i;
}

static void next(parser *ps)
{
    const char *s = ps->src->text;
    size_t n = ps->src->len;
    rk_skip_blanks(ps->src, &ps->pos);
    token t = {TK_END, ps->pos, 0};
    if (ps->pos >= n || s[ps->pos] == '#') {
        ps->tok = t;
        return;
    }
    unsigned char c = (unsigned char)s[ps->pos];
    size_t end = ps->pos + 1;
    if (isdigit(c) || (c == '.' && end < n && isdigit((unsigned char)s[end]))) {
        t.kind = TK_NUM;
        end = scan_number(s, ps->pos, n);
    } else if (is_name_start(c)) {
        t.kind = TK_NAME;
        while (end < n && is_name_char((unsigned char)s[end]))
            end++;
    } else {
        static const char ops[] = "+-*/^(),[]";
        const char *p = c ? strchr(ops, c) : NULL;
        t.kind = p ? (tok_kind)(TK_PLUS + (p - ops)) : TK_OTHER;
    }
    t.len = end - ps->pos;
    ps->pos = end;
    ps->tok = t;
}

static int fail_at(parser *ps, size_t pos, const char *fmt, ...) RK_PRINTF(3, 4);

static int fail_at(parser *ps, size_t pos, const char *fmt, ...)
{
    if (!ps->failed) {
        char msg[400];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        rk_error_at(ps->err, ps->src->file, ps->src->line, (int)pos + 1,
                    ps->src->text, ps->src->len, "%s", msg);
        ps->failed = 1;
    }
    return -1;
}

static int fail(parser *ps, const char *msg)
{
    return fail_at(ps, ps->tok.pos, "%s", msg);
}

/* fmt has one %.*s, which receives the current token's text. */
static int fail_tok(parser *ps, const char *fmt)
{
    const char *text = ps->src->text + ps->tok.pos;
    int len = ps->tok.len > 40 ? 40 : (int)ps->tok.len;
    if (ps->tok.kind == TK_OTHER) {
        unsigned char c = (unsigned char)*text;
        return fail(ps, c >= 0x80 ? "non-ASCII character; family files are plain ASCII"
                                  : "unexpected character");
    }
    if (ps->tok.kind == TK_END)
        return fail(ps, "unexpected end of line: the expression is incomplete");
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
    return fail_at(ps, ps->tok.pos, fmt, len, text);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
}

static int add(parser *ps, ex_op op, int a, int b)
{
    if (a < 0 || (b < 0 && op >= EX_ADD && op <= EX_POW))
        return -1;
    ex_node node = {op, a, b, 0, -1, 0.0};
    int i = ex_pool_add(ps->pool, node);
    return i < 0 ? fail(ps, "out of memory") : i;
}

static int expr(parser *ps);
static int unary(parser *ps);

static int number(parser *ps)
{
    char buf[128];
    const char *text = ps->src->text + ps->tok.pos;
    size_t len = ps->tok.len;
    if (len >= sizeof buf)
        return fail(ps, "number has too many digits");
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (ps->pos < ps->src->len && (is_name_char((unsigned char)ps->src->text[ps->pos]) ||
                                   ps->src->text[ps->pos] == '.'))
        return fail(ps, "malformed number");
    double v = strtod(buf, NULL);
    if (!isfinite(v))
        return fail(ps, "number out of range");
    int off = ex_pool_text(ps->pool, buf, len);
    if (off < 0)
        return fail(ps, "out of memory");
    ex_node node = {EX_NUM, -1, -1, 0, off, v};
    int i = ex_pool_add(ps->pool, node);
    next(ps);
    return i < 0 ? fail(ps, "out of memory") : i;
}

static int find(char *const *names, int n, const char *s, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return i;
    return -1;
}

static int expect(parser *ps, tok_kind k, const char *what)
{
    if (ps->tok.kind != k)
        return fail_tok(ps, what);
    next(ps);
    return 0;
}

static int call(parser *ps, ex_op op, int nargs, size_t name_pos)
{
    int args[2] = {-1, -1};
    next(ps); /* ( */
    for (int i = 0; i < nargs; i++) {
        if (i > 0 && expect(ps, TK_COMMA, "expected ',' before '%.*s': this function takes two arguments") < 0)
            return -1;
        if ((args[i] = expr(ps)) < 0)
            return -1;
    }
    if (ps->tok.kind == TK_COMMA)
        return fail_at(ps, name_pos, "%s takes one argument", ex_func_name(op));
    if (expect(ps, TK_RPAREN, "expected ')' to close the call, found '%.*s'") < 0)
        return -1;
    return add(ps, op, args[0], args[1]);
}

static int initial_value(parser *ps, int state, size_t name_pos)
{
    const char *s = ps->src->text;
    if (!ps->scope->allow_init)
        return fail_at(ps, name_pos, "%s(0), an initial value, is only allowed in 'exact' lines",
                       ps->scope->state[state]);
    next(ps);
    if (ps->tok.kind != TK_NUM || ps->tok.len != 1 || s[ps->tok.pos] != '0')
        return fail(ps, "only X(0), the initial value, can be written here");
    next(ps);
    if (expect(ps, TK_RPAREN, "expected ')' after X(0, found '%.*s'") < 0)
        return -1;
    if (ps->scope->array && ps->scope->array[state].rank > 0)
        return fail_at(ps, name_pos, "exact solutions are for scalar states only");
    ex_node node = {EX_INIT, -1, -1, ps->scope->array ? ps->scope->array[state].offset : state, -1, 0.0};
    int i = ex_pool_add(ps->pool, node);
    return i < 0 ? fail(ps, "out of memory") : i;
}

static int leaf(parser *ps, ex_op op, int index)
{
    ex_node node = {op, -1, -1, index, -1, 0.0};
    int i = ex_pool_add(ps->pool, node);
    return i < 0 ? fail(ps, "out of memory") : i;
}

/* The value of the constant expression at root (no states, no t). */
static int const_value(parser *ps, int root, size_t pos, double *v)
{
    ex_tape tp = {0};
    if (ex_tape_build(&tp, ps->pool, &root, 1) != 0)
        return fail_at(ps, pos, "out of memory");
    double *work = malloc(((size_t)tp.n + 1) * sizeof *work);
    ex_env env = {0, NULL, NULL, NULL};
    if (work)
        ex_eval(&tp, &env, work, v);
    free(work);
    ex_tape_free(&tp);
    return work ? 0 : fail_at(ps, pos, "out of memory");
}

/* An integer constant expression in [lo, hi]: numbers, constants and
 * functions of them, nothing that varies. */
static int int_const(parser *ps, long lo, long hi, const char *what, long *out)
{
    const ex_scope *outer = ps->scope;
    ex_scope consts = *outer;
    consts.consts_only = 1;
    size_t pos = ps->tok.pos;
    ps->scope = &consts;
    int root = expr(ps);
    ps->scope = outer;
    double v;
    if (root < 0 || const_value(ps, root, pos, &v) < 0)
        return -1;
    if (!(v == floor(v)) || v < (double)lo || v > (double)hi) {
        if (v == floor(v) && fabs(v) < 1e15)
            return fail_at(ps, pos, "%s must lie in %ld..%ld (this is %.0f)", what, lo, hi, v);
        return fail_at(ps, pos, "%s must be an integer constant (this is %.17g)", what, v);
    }
    *out = (long)v;
    return 0;
}

/* One subscript of array `name` in dimension d: the rule's index plus or
 * minus a constant (wrapped into the array, which is periodic), or a
 * fixed index, which must lie inside it. */
static int subscript(parser *ps, const char *name, int size, int *var, int *off)
{
    const ex_scope *sc = ps->scope;
    const char *s = ps->src->text + ps->tok.pos;
    int k = ps->tok.kind == TK_NAME ? find(sc->ivar, sc->nivar, s, ps->tok.len) : -1;
    if (k < 0) {
        ex_op op;
        int nargs;
        if (ps->tok.kind == TK_NAME && find(sc->konst, sc->nconst, s, ps->tok.len) < 0 &&
            !ex_func_lookup(s, ps->tok.len, &op, &nargs)) {
            if (sc->nivar == 0)
                return fail_tok(ps, "unknown index '%.*s': only a rule's left side binds index names");
            return fail_at(ps, ps->tok.pos, "unknown index '%.*s': this rule binds %s%s%s",
                           ps->tok.len > 40 ? 40 : (int)ps->tok.len, s, sc->ivar[0],
                           sc->nivar > 1 ? " and " : "", sc->nivar > 1 ? sc->ivar[1] : "");
        }
        char what[96];
        snprintf(what, sizeof what, "index of %s", name);
        long v;
        if (int_const(ps, 0, size - 1, what, &v) < 0)
            return -1;
        *var = -1;
        *off = (int)v;
        return 0;
    }
    next(ps);
    *var = k;
    *off = 0;
    if (ps->tok.kind != TK_PLUS && ps->tok.kind != TK_MINUS)
        return 0;
    int sign = ps->tok.kind == TK_PLUS ? 1 : -1;
    next(ps);
    long v;
    if (int_const(ps, 0, 1000000000L, "an index offset", &v) < 0)
        return -1;
    *off = sign * (int)(v % size);
    return 0;
}

/* x[...] or u[...][...]: a component when every index is fixed, else an
 * element of the rule's template (EX_ELEM). */
static int element(parser *ps, int i, size_t pos)
{
    const ex_array *a = &ps->scope->array[i];
    const char *name = ps->scope->state[i];
    ex_sub sub = {{-1, -1}, {0, 0}};
    for (int d = 0; d < a->rank; d++) {
        if (ps->tok.kind != TK_LBRACK)
            return fail_at(ps, pos, "'%s' is an array of %d dimension%s: write %s%s", name, a->rank,
                           a->rank > 1 ? "s" : "", name, a->rank > 1 ? "[i][j]" : "[i]");
        next(ps);
        if (subscript(ps, name, a->size[d], &sub.var[d], &sub.off[d]) < 0)
            return -1;
        if (ps->tok.kind != TK_RBRACK)
            return fail_tok(ps, "expected ']' to close the index, found '%.*s'");
        next(ps);
    }
    if (ps->tok.kind == TK_LBRACK)
        return fail_at(ps, ps->tok.pos, "'%s' has %d ind%s, not more", name, a->rank, a->rank > 1 ? "ices" : "ex");
    if (sub.var[0] < 0 && (a->rank < 2 || sub.var[1] < 0))
        return leaf(ps, EX_STATE, a->offset + sub.off[0] * (a->rank > 1 ? a->size[1] : 1) +
                                      (a->rank > 1 ? sub.off[1] : 0));
    int k = ex_pool_sub(ps->pool, sub);
    if (k < 0)
        return fail(ps, "out of memory");
    ex_node node = {EX_ELEM, -1, -1, i, k, 0.0};
    int n = ex_pool_add(ps->pool, node);
    return n < 0 ? fail(ps, "out of memory") : n;
}

/* A name that a constant expression cannot use: say what it is. */
static int not_constant(parser *ps, const char *s, size_t len, size_t pos)
{
    const ex_scope *sc = ps->scope;
    const char *what = find(sc->ivar, sc->nivar, s, len) >= 0   ? "an index"
                       : find(sc->state, sc->nstate, s, len) >= 0 ? "a state"
                       : find(sc->param, sc->nparam, s, len) >= 0 ? "a parameter"
                                                                  : "time";
    return fail_at(ps, pos, "this must be an integer constant, and '%.*s' is %s (use a literal or a const)",
                   len > 40 ? 40 : (int)len, s, what);
}

static int symbol(parser *ps, const char *s, size_t len, size_t pos)
{
    const ex_scope *sc = ps->scope;
    int i;
    if (sc->consts_only && find(sc->konst, sc->nconst, s, len) < 0 &&
        (find(sc->ivar, sc->nivar, s, len) >= 0 || find(sc->state, sc->nstate, s, len) >= 0 ||
         find(sc->param, sc->nparam, s, len) >= 0 || (len == 1 && *s == 't')))
        return not_constant(ps, s, len, pos);
    if ((i = find(sc->ivar, sc->nivar, s, len)) >= 0)
        return leaf(ps, EX_INDEX, i);
    if ((i = find(sc->state, sc->nstate, s, len)) >= 0) {
        if (ps->tok.kind == TK_LPAREN)
            return initial_value(ps, i, pos);
        if (!sc->allow_state && !sc->allow_init)
            return fail_at(ps, pos, "state '%s' cannot be used here: an initial value depends on the "
                           "parameters, the constants and the indices only", sc->state[i]);
        if (!sc->allow_state)
            return fail_at(ps, pos,
                           "state '%s' cannot be used here (in an exact solution write %s(0) for its initial value)",
                           sc->state[i], sc->state[i]);
        if (sc->array && sc->array[i].rank > 0)
            return element(ps, i, pos);
        if (ps->tok.kind == TK_LBRACK)
            return fail_at(ps, ps->tok.pos, "'%s' is a scalar state: it takes no index", sc->state[i]);
        return leaf(ps, EX_STATE, sc->array ? sc->array[i].offset : i);
    }
    if ((i = find(sc->param, sc->nparam, s, len)) >= 0)
        return leaf(ps, EX_PARAM, i);
    if ((i = find(sc->konst, sc->nconst, s, len)) >= 0) {
        ex_node node = {EX_CONST, sc->konst_root[i], -1, i, -1, 0.0};
        int k = ex_pool_add(ps->pool, node);
        return k < 0 ? fail(ps, "out of memory") : k;
    }
    if (len == 1 && *s == 't') {
        if (!sc->allow_t)
            return fail_at(ps, pos, "'t' (time) cannot be used here");
        return leaf(ps, EX_TIME, 0);
    }
    return fail_at(ps, pos, "unknown name '%.*s' (declare it with state, param or const)",
                   len > 40 ? 40 : (int)len, s);
}

static int name(parser *ps)
{
    size_t pos = ps->tok.pos, len = ps->tok.len;
    const char *s = ps->src->text + pos;
    ex_op op;
    int nargs;
    next(ps);
    if (ex_func_lookup(s, len, &op, &nargs)) {
        if (ps->tok.kind != TK_LPAREN)
            return fail_at(ps, pos, "'%s' is a function: write %s(...)", ex_func_name(op), ex_func_name(op));
        return call(ps, op, nargs, pos);
    }
    if (ps->tok.kind == TK_LPAREN && find(ps->scope->state, ps->scope->nstate, s, len) < 0)
        return fail_at(ps, pos, "unknown function '%.*s' (allowed: sin cos tan asin acos atan sinh cosh tanh exp log sqrt pow)",
                       len > 40 ? 40 : (int)len, s);
    return symbol(ps, s, len, pos);
}

static int primary(parser *ps)
{
    switch (ps->tok.kind) {
    case TK_NUM:
        return number(ps);
    case TK_NAME:
        return name(ps);
    case TK_LPAREN: {
        size_t open = ps->tok.pos;
        next(ps);
        int e = expr(ps);
        if (e < 0)
            return -1;
        if (ps->tok.kind != TK_RPAREN)
            return ps->tok.kind == TK_END
                       ? fail_at(ps, open, "unbalanced '(': no matching ')'")
                       : fail_tok(ps, "expected ')', found '%.*s'");
        next(ps);
        return e;
    }
    case TK_RPAREN:
        return fail(ps, "unbalanced ')': no matching '('");
    default:
        return fail_tok(ps, "expected a number, a name or '(', found '%.*s'");
    }
}

/* x^n for a literal integer n (or -n) becomes a product, as in
 * hand-written C; anything else is pow(). */
static int power_of(parser *ps, int base, int e)
{
    const ex_node *nodes = ps->pool->nodes;
    int neg = nodes[e].op == EX_NEG;
    const ex_node *lit = neg ? &nodes[nodes[e].a] : &nodes[e];
    if (lit->op == EX_NUM && lit->num == floor(lit->num) && lit->num <= EX_POWI_MAX) {
        ex_node node = {EX_POWI, base, -1, (int)lit->num * (neg ? -1 : 1), -1, 0.0};
        int i = ex_pool_add(ps->pool, node);
        return i < 0 ? fail(ps, "out of memory") : i;
    }
    return add(ps, EX_POW, base, e);
}

static int power(parser *ps)
{
    int base = primary(ps);
    if (base < 0 || ps->tok.kind != TK_CARET)
        return base;
    next(ps);
    int e = unary(ps);
    return e < 0 ? -1 : power_of(ps, base, e);
}

/* Nesting is bounded so that no input can exhaust the stack: each
 * parenthesis, call argument or unary minus is one level. */
static int unary(parser *ps)
{
    if (ps->tok.kind == TK_PLUS)
        return fail(ps, "unary '+' is not allowed");
    if (ps->tok.kind != TK_MINUS)
        return power(ps);
    if (++ps->depth > EX_MAX_DEPTH)
        return fail(ps, "expression nested too deeply");
    next(ps);
    int r = add(ps, EX_NEG, unary(ps), -1);
    ps->depth--;
    return r;
}

static int term(parser *ps)
{
    int left = unary(ps);
    while (left >= 0 && (ps->tok.kind == TK_STAR || ps->tok.kind == TK_SLASH)) {
        ex_op op = ps->tok.kind == TK_STAR ? EX_MUL : EX_DIV;
        next(ps);
        left = add(ps, op, left, unary(ps));
    }
    return left;
}

static int expr(parser *ps)
{
    if (++ps->depth > EX_MAX_DEPTH)
        return fail(ps, "expression nested too deeply");
    int left = term(ps);
    while (left >= 0 && (ps->tok.kind == TK_PLUS || ps->tok.kind == TK_MINUS)) {
        ex_op op = ps->tok.kind == TK_PLUS ? EX_ADD : EX_SUB;
        next(ps);
        left = add(ps, op, left, term(ps));
    }
    ps->depth--;
    return left;
}

int ex_parse_at(ex_pool *pool, const ex_scope *scope, const rk_srcline *src,
                size_t *pos, rk_error *err)
{
    parser ps = {pool, scope, src, *pos, {TK_END, 0, 0}, 0, err, 0};
    next(&ps);
    int root = expr(&ps);
    if (root < 0)
        return -1;
    if (ps.tok.kind == TK_NAME || ps.tok.kind == TK_NUM || ps.tok.kind == TK_LPAREN ||
        ps.tok.kind == TK_LBRACK || ps.tok.kind == TK_OTHER)
        return fail_tok(&ps, "expected an operator before '%.*s'");
    *pos = ps.tok.pos;
    return root;
}

int ex_parse_int(ex_pool *pool, const ex_scope *scope, const rk_srcline *src, size_t *pos,
                 long lo, long hi, const char *what, long *v, rk_error *err)
{
    parser ps = {pool, scope, src, *pos, {TK_END, 0, 0}, 0, err, 0};
    next(&ps);
    if (int_const(&ps, lo, hi, what, v) < 0)
        return -1;
    *pos = ps.tok.pos;
    return 0;
}

int ex_parse_string(ex_pool *pool, const ex_scope *scope, const char *text,
                    rk_error *err)
{
    rk_srcline src = {"<expression>", 1, text, strlen(text)};
    size_t pos = 0;
    int root = ex_parse_at(pool, scope, &src, &pos, err);
    if (root >= 0 && pos < src.len) {
        rk_error_at(err, src.file, 1, (int)pos + 1, text, src.len,
                    "unexpected '%c' after the expression", text[pos]);
        return -1;
    }
    return root;
}

int ex_const_eval_mp(const char *text, mpfr_t out, rk_error *err)
{
    static const ex_scope none = {0};
    ex_pool pool;
    ex_tape tape = {0};
    ex_mpwork w = {0};
    int ok = 0;
    ex_pool_init(&pool);
    int root = ex_parse_string(&pool, &none, text, err);
    if (root >= 0 && ex_tape_build(&tape, &pool, &root, 1) == 0 &&
        ex_mpwork_init(&w, &tape, 0, mpfr_get_prec(out)) == 0) {
        ex_senv_mp env = {NULL, NULL, NULL, NULL};
        if (ex_series_mp(&tape, 0, &env, &w, (mpfr_t *)out) < 0)
            ok = 1;
        else
            rk_error_set(err, "'%s' is undefined (division by zero or a function outside its domain)", text);
        ex_mpwork_clear(&w);
    } else if (root >= 0) {
        rk_error_set(err, "out of memory");
    }
    ex_tape_free(&tape);
    ex_pool_free(&pool);
    return ok ? 0 : -1;
}

int ex_const_eval(const char *text, double *out, rk_error *err)
{
    mpfr_t x;
    mpfr_init2(x, 256);
    int r = ex_const_eval_mp(text, x, err);
    if (r == 0) {
        *out = mpfr_get_d(x, MPFR_RNDN);
        if (!isfinite(*out)) {
            rk_error_set(err, "'%s' is not a finite number", text);
            r = -1;
        }
    }
    mpfr_clear(x);
    return r;
}
