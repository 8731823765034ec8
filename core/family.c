/* family.c - reads .ode family files (docs/family-format.md).
 *
 * Two passes over the lines: the first takes the declarations (family,
 * state, param, const, step, horizon) so that the second can resolve
 * every name in init, derivative and exact lines whatever their order. */
#include "family.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "parse.h"

#define LINE_MAX_LEN 4096
#define FILE_MAX_LEN (16u << 20)
#define NAME_MAX_LEN 63

typedef struct sym_list {
    fam_sym *v;
    char **names; /* parallel to v, for ex_scope */
    int *roots;   /* parallel to v (const roots), for ex_scope */
    int *line;    /* where each was declared */
    int n;
} sym_list;

typedef struct reader {
    rk_family *f;
    sym_list state, param, konst;
    int family_line, step_line, horizon_line, first_exact_line;
    rk_srcline src;
    size_t pos;
    rk_error *err;
} reader;

static int fail(reader *r, size_t pos, const char *fmt, ...) RK_PRINTF(3, 4);

static int fail(reader *r, size_t pos, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rk_error_at(r->err, r->src.file, r->src.line, (int)pos + 1, r->src.text,
                r->src.len, "%s", msg);
    return -1;
}

uint64_t rk_fnv1a(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

/* ---- lexical helpers on the current line ---- */

static void blanks(reader *r) { rk_skip_blanks(&r->src, &r->pos); }

static int at_end(reader *r)
{
    blanks(r);
    return r->pos >= r->src.len || r->src.text[r->pos] == '#';
}

static size_t word(reader *r, const char **w)
{
    blanks(r);
    size_t start = r->pos;
    const char *s = r->src.text;
    while (r->pos < r->src.len && (isalnum((unsigned char)s[r->pos]) || s[r->pos] == '_'))
        r->pos++;
    *w = s + start;
    return r->pos - start;
}

static int expect_char(reader *r, char c, const char *what)
{
    blanks(r);
    if (r->pos >= r->src.len || r->src.text[r->pos] != c)
        return fail(r, r->pos, "expected '%c' %s", c, what);
    r->pos++;
    return 0;
}

static int expect_end(reader *r)
{
    if (!at_end(r))
        return fail(r, r->pos, "unexpected text at the end of the line");
    return 0;
}

static int word_is(const char *w, size_t n, const char *s)
{
    return strlen(s) == n && memcmp(w, s, n) == 0;
}

/* ---- names ---- */

static const char *const reserved[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do",
    "double", "else", "enum", "extern", "float", "for", "goto", "if",
    "inline", "int", "long", "register", "restrict", "return", "short",
    "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
    "unsigned", "void", "volatile", "while", "t", "h",
    /* macros of <math.h> that a local variable must not meet */
    "HUGE_VAL", "HUGE_VALF", "HUGE_VALL", "INFINITY", "NAN", "FP_NAN",
    "FP_INFINITE", "FP_ZERO", "FP_SUBNORMAL", "FP_NORMAL", "FP_ILOGB0",
    "FP_ILOGBNAN", "MATH_ERRNO", "MATH_ERREXCEPT", "math_errhandling",
    "fpclassify", "isfinite", "isinf", "isnan", "isnormal", "signbit",
    "isgreater", "isgreaterequal", "isless", "islessequal", "islessgreater",
    "isunordered", "errno", "NULL",
};

static int check_name(reader *r, const char *w, size_t n, size_t pos,
                      const char *what)
{
    ex_op op;
    int nargs;
    if (n == 0 && pos < r->src.len && (unsigned char)r->src.text[pos] >= 0x80)
        return fail(r, pos, "non-ASCII character; family files are plain ASCII");
    if (n == 0)
        return fail(r, pos, "expected a %s name", what);
    if (isdigit((unsigned char)w[0]) || w[0] == '_')
        return fail(r, pos, "a %s name starts with a letter", what);
    if (n > NAME_MAX_LEN)
        return fail(r, pos, "%s name longer than %d characters", what, NAME_MAX_LEN);
    if (ex_func_lookup(w, n, &op, &nargs))
        return fail(r, pos, "'%.*s' is a function and cannot name a %s", (int)n, w, what);
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (word_is(w, n, reserved[i]))
            return fail(r, pos, "'%.*s' is reserved and cannot name a %s", (int)n, w, what);
    return 0;
}

static int find(const sym_list *l, const char *w, size_t n)
{
    for (int i = 0; i < l->n; i++)
        if (word_is(w, n, l->names[i]))
            return i;
    return -1;
}

static int check_unique(reader *r, const char *w, size_t n, size_t pos)
{
    static const char *const kinds[] = {"state", "param", "const"};
    const sym_list *lists[] = {&r->state, &r->param, &r->konst};
    for (int k = 0; k < 3; k++) {
        int i = find(lists[k], w, n);
        if (i >= 0)
            return fail(r, pos, "duplicate name '%.*s': already declared as %s on line %d",
                        (int)n, w, kinds[k], lists[k]->line[i]);
    }
    return 0;
}

static int sym_add(sym_list *l, const char *w, size_t n, int line)
{
    int k = l->n;
    fam_sym *v = realloc(l->v, (size_t)(k + 1) * sizeof *v);
    if (v)
        l->v = v;
    char **names = realloc(l->names, (size_t)(k + 1) * sizeof *names);
    if (names)
        l->names = names;
    int *roots = realloc(l->roots, (size_t)(k + 1) * sizeof *roots);
    if (roots)
        l->roots = roots;
    int *lines = realloc(l->line, (size_t)(k + 1) * sizeof *lines);
    if (lines)
        l->line = lines;
    char *copy = malloc(n + 1);
    if (!v || !names || !roots || !lines || !copy) {
        free(copy);
        return -1;
    }
    memcpy(copy, w, n);
    copy[n] = '\0';
    fam_sym s = {copy, {DIST_FIXED, NAN, 0}, -1, -1};
    l->v[k] = s;
    l->names[k] = copy;
    l->roots[k] = -1;
    l->line[k] = line;
    l->n++;
    return k;
}

static int declare(reader *r, sym_list *l, const char *what)
{
    const char *w;
    size_t pos = (blanks(r), r->pos);
    size_t n = word(r, &w);
    if (check_name(r, w, n, pos, what) < 0 || check_unique(r, w, n, pos) < 0)
        return -1;
    int k = sym_add(l, w, n, r->src.line);
    return k < 0 ? fail(r, pos, "out of memory") : k;
}

/* ---- expressions and distributions ---- */

static ex_scope scope_of(const reader *r, int exact)
{
    ex_scope s = {r->state.names, r->state.n, r->param.names, r->param.n,
                  r->konst.names, r->konst.roots, r->konst.n,
                  1, !exact, exact};
    return s;
}

static int parse_expr(reader *r, const ex_scope *scope)
{
    return ex_parse_at(&r->f->pool, scope, &r->src, &r->pos, r->err);
}

/* A constant expression (numbers and functions only) evaluated now. */
static int constant(reader *r, double *v)
{
    static const ex_scope none = {0};
    size_t pos = (blanks(r), r->pos);
    int root = parse_expr(r, &none);
    ex_tape tp = {0};
    if (root < 0)
        return -1;
    if (ex_tape_build(&tp, &r->f->pool, &root, 1) != 0)
        return fail(r, pos, "out of memory");
    double *work = malloc((size_t)tp.n * sizeof *work);
    ex_env env = {0, NULL, NULL, NULL};
    if (work)
        ex_eval(&tp, &env, work, v);
    free(work);
    ex_tape_free(&tp);
    if (!work)
        return fail(r, pos, "out of memory");
    if (!isfinite(*v))
        return fail(r, pos, "this value is not a finite number");
    return 0;
}

static int dist_args(reader *r, int nargs, double *a, double *b)
{
    if (expect_char(r, '(', "after the distribution name") < 0 || constant(r, a) < 0)
        return -1;
    if (nargs == 2 && (expect_char(r, ',', "between the two arguments") < 0 || constant(r, b) < 0))
        return -1;
    return expect_char(r, ')', "to close the distribution");
}

static int distribution(reader *r, rk_dist *d)
{
    static const struct { const char *name; rk_dist_kind kind; } kinds[] = {
        {"uniform", DIST_UNIFORM}, {"loguniform", DIST_LOGUNIFORM}, {"normal", DIST_NORMAL}};
    if (expect_char(r, '~', "before the distribution (e.g. ~ uniform(1, 2))") < 0)
        return -1;
    size_t pos = (blanks(r), r->pos);
    const char *w;
    size_t n = word(r, &w);
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        if (!word_is(w, n, kinds[i].name))
            continue;
        d->kind = kinds[i].kind;
        if (dist_args(r, 2, &d->a, &d->b) < 0)
            return -1;
        if (d->kind == DIST_UNIFORM && !(d->a < d->b))
            return fail(r, pos, "uniform(%g, %g): the lower bound must be below the upper bound", d->a, d->b);
        if (d->kind == DIST_LOGUNIFORM && !(0 < d->a && d->a < d->b))
            return fail(r, pos, "loguniform(%g, %g): the bounds must satisfy 0 < lower < upper", d->a, d->b);
        if (d->kind == DIST_NORMAL && !(d->b > 0))
            return fail(r, pos, "normal(%g, %g): the standard deviation must be positive", d->a, d->b);
        return expect_end(r);
    }
    r->pos = pos;
    d->kind = DIST_FIXED;
    d->b = 0;
    if (n > 0 && isalpha((unsigned char)w[0]) && (r->pos + n >= r->src.len || w[n] == '('))
        if (!ex_func_lookup(w, n, &(ex_op){EX_NUM}, &(int){0}))
            return fail(r, pos, "unknown distribution '%.*s' (use uniform, loguniform, normal or a number)",
                        (int)(n > 40 ? 40 : n), w);
    return constant(r, &d->a) < 0 ? -1 : expect_end(r);
}

/* ---- statements ---- */

static int st_family(reader *r)
{
    const char *w;
    size_t pos = (blanks(r), r->pos);
    size_t n = word(r, &w);
    if (r->family_line)
        return fail(r, pos, "second 'family' line (the first is on line %d)", r->family_line);
    if (check_name(r, w, n, pos, "family") < 0)
        return -1;
    r->f->name = malloc(n + 1);
    if (!r->f->name)
        return fail(r, pos, "out of memory");
    memcpy(r->f->name, w, n);
    r->f->name[n] = '\0';
    r->family_line = r->src.line;
    return expect_end(r);
}

static int st_state(reader *r)
{
    if (r->state.n > 0)
        return fail(r, 0, "second 'state' line: list every state on one line (first on line %d)",
                    r->state.line[0]);
    do {
        if (declare(r, &r->state, "state") < 0)
            return -1;
    } while (!at_end(r));
    return 0;
}

static int st_param(reader *r)
{
    int k = declare(r, &r->param, "parameter");
    return k < 0 ? -1 : distribution(r, &r->param.v[k].dist);
}

static int st_const(reader *r)
{
    int k = declare(r, &r->konst, "constant");
    if (k < 0 || expect_char(r, '=', "after the constant's name") < 0)
        return -1;
    /* A constant sees only the constants before it. */
    ex_scope scope = {0};
    scope.konst = r->konst.names;
    scope.konst_root = r->konst.roots;
    scope.nconst = k;
    int root = parse_expr(r, &scope);
    if (root < 0)
        return -1;
    r->konst.roots[k] = r->konst.v[k].root = root;
    return expect_end(r);
}

static int st_step(reader *r)
{
    const char *w;
    size_t pos = (blanks(r), r->pos);
    size_t n = word(r, &w);
    if (!word_is(w, n, "h"))
        return fail(r, pos, "write the step size as 'step h ~ DIST'");
    if (r->step_line)
        return fail(r, pos, "second 'step' line (the first is on line %d)", r->step_line);
    r->step_line = r->src.line;
    if (distribution(r, &r->f->step) < 0)
        return -1;
    const rk_dist *d = &r->f->step;
    if ((d->kind == DIST_FIXED && !(d->a > 0)) || (d->kind == DIST_UNIFORM && !(d->a > 0)))
        return fail(r, pos, "step sizes must be positive");
    if (d->kind == DIST_NORMAL)
        return fail(r, pos, "a normal distribution can give negative steps: use uniform or loguniform");
    return 0;
}

static int st_horizon(reader *r)
{
    size_t pos = (blanks(r), r->pos);
    if (r->horizon_line)
        return fail(r, pos, "second 'horizon' line (the first is on line %d)", r->horizon_line);
    r->horizon_line = r->src.line;
    if (constant(r, &r->f->horizon) < 0)
        return -1;
    if (!(r->f->horizon > 0))
        return fail(r, pos, "the horizon must be positive");
    return expect_end(r);
}

static int state_ref(reader *r, const char *what)
{
    const char *w;
    size_t pos = (blanks(r), r->pos);
    size_t n = word(r, &w);
    int k = find(&r->state, w, n);
    if (n == 0)
        return fail(r, pos, "expected a state name after '%s'", what);
    if (k < 0)
        return fail(r, pos, "'%.*s' is not a state (states: declare them with 'state')",
                    (int)(n > 40 ? 40 : n), w);
    return k;
}

static int st_init(reader *r)
{
    size_t pos = (blanks(r), r->pos);
    int k = state_ref(r, "init");
    if (k < 0)
        return -1;
    if (!isnan(r->state.v[k].dist.a) || r->state.v[k].dist.kind != DIST_FIXED)
        return fail(r, pos, "second 'init' line for state '%s'", r->state.names[k]);
    rk_dist d;
    if (distribution(r, &d) < 0)
        return -1;
    r->state.v[k].dist = d;
    return 0;
}

static int st_exact(reader *r)
{
    size_t pos = (blanks(r), r->pos);
    int k = state_ref(r, "exact");
    if (k < 0)
        return -1;
    if (r->state.v[k].exact >= 0)
        return fail(r, pos, "second 'exact' line for state '%s'", r->state.names[k]);
    if (expect_char(r, '=', "after the state's name") < 0)
        return -1;
    ex_scope scope = scope_of(r, 1);
    int root = parse_expr(r, &scope);
    if (root < 0)
        return -1;
    if (!r->first_exact_line)
        r->first_exact_line = r->src.line;
    r->state.v[k].exact = root;
    return expect_end(r);
}

static int st_derivative(reader *r, int k, size_t pos)
{
    if (r->state.v[k].root >= 0)
        return fail(r, pos, "second derivative line for state '%s'", r->state.names[k]);
    r->pos++; /* the quote */
    if (expect_char(r, '=', "after the derivative (write X' = EXPR)") < 0)
        return -1;
    ex_scope scope = scope_of(r, 0);
    int root = parse_expr(r, &scope);
    if (root < 0)
        return -1;
    r->state.v[k].root = root;
    return expect_end(r);
}

typedef int (*statement_fn)(reader *r);

static const struct {
    const char *keyword;
    int pass;
    statement_fn fn;
} statements[] = {
    {"family", 1, st_family}, {"state", 1, st_state}, {"param", 1, st_param},
    {"const", 1, st_const},   {"step", 1, st_step},   {"horizon", 1, st_horizon},
    {"init", 2, st_init},     {"exact", 2, st_exact},
};

static int statement(reader *r, int pass)
{
    const char *w;
    size_t pos = (blanks(r), r->pos);
    size_t n = word(r, &w);
    if (r->pos < r->src.len && r->src.text[r->pos] == '\'') {
        if (pass == 1)
            return 0;
        int k = find(&r->state, w, n);
        if (k < 0)
            return fail(r, pos, "'%.*s' is not a state: declare it in the 'state' line",
                        (int)(n > 40 ? 40 : n), w);
        return st_derivative(r, k, pos);
    }
    for (size_t i = 0; i < sizeof statements / sizeof *statements; i++)
        if (word_is(w, n, statements[i].keyword))
            return statements[i].pass == pass ? statements[i].fn(r) : 0;
    if (n == 0) {
        unsigned char c = (unsigned char)r->src.text[pos];
        return fail(r, pos, c >= 0x80 ? "non-ASCII character; family files are plain ASCII"
                                      : "expected a statement (family, state, param, const, init, step, horizon, exact or X' = ...)");
    }
    return fail(r, pos, "unknown statement '%.*s' (expected family, state, param, const, init, step, horizon, exact or X' = ...)",
                (int)(n > 40 ? 40 : n), w);
}

/* ---- the file ---- */

static int each_line(reader *r, const char *text, size_t len, int pass)
{
    size_t start = 0;
    int line = 1;
    while (start < len) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t n = end - start;
        if (n > 0 && text[start + n - 1] == '\r')
            n--;
        rk_srcline src = {r->src.file, line, text + start, n};
        r->src = src;
        r->pos = 0;
        const char *nul = memchr(text + start, '\0', n);
        if (nul)
            return fail(r, (size_t)(nul - (text + start)), "NUL byte: this is not a text file");
        if (n > LINE_MAX_LEN)
            return fail(r, LINE_MAX_LEN, "line longer than %d characters", LINE_MAX_LEN);
        if (!at_end(r) && statement(r, pass) < 0)
            return -1;
        start = end + 1;
        line++;
    }
    return 0;
}

static int fail_file(reader *r, int line, const char *fmt, ...) RK_PRINTF(3, 4);

static int fail_file(reader *r, int line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rk_error_at(r->err, r->src.file, line, 1, NULL, 0, "%s", msg);
    return -1;
}

static int check_complete(reader *r)
{
    if (!r->family_line)
        return fail_file(r, 1, "no 'family NAME' line: every family file starts with one");
    if (r->state.n == 0)
        return fail_file(r, 1, "no 'state' line: declare the state variables, e.g. 'state u v'");
    int sl = r->state.line[0], nexact = 0;
    for (int i = 0; i < r->state.n; i++) {
        const fam_sym *s = &r->state.v[i];
        if (s->root < 0)
            return fail_file(r, sl, "missing derivative: add a line \"%s' = ...\"", s->name);
        if (s->dist.kind == DIST_FIXED && isnan(s->dist.a))
            return fail_file(r, sl, "missing initial value: add a line 'init %s ~ DIST'", s->name);
        nexact += s->exact >= 0;
    }
    if (nexact > 0 && nexact < r->state.n)
        for (int i = 0; i < r->state.n; i++)
            if (r->state.v[i].exact < 0)
                return fail_file(r, r->first_exact_line,
                                 "exact solution given for some states but not for '%s'",
                                 r->state.v[i].name);
    if (!r->step_line)
        return fail_file(r, 1, "no 'step h ~ DIST' line: give the step-size distribution");
    r->f->has_exact = nexact > 0;
    return 0;
}

static int build_tapes(rk_family *f)
{
    int *roots = malloc((size_t)f->dim * 2 * sizeof *roots);
    if (!roots)
        return -1;
    for (int i = 0; i < f->dim; i++) {
        roots[i] = f->state[i].root;
        roots[f->dim + i] = f->state[i].exact;
    }
    int bad = ex_tape_build(&f->rhs, &f->pool, roots, f->dim) != 0 ||
              (f->has_exact && ex_tape_build(&f->exact, &f->pool, roots + f->dim, f->dim) != 0);
    free(roots);
    return bad ? -1 : 0;
}

static void take(fam_sym **dst, int *n, sym_list *l)
{
    *dst = l->v;
    *n = l->n;
    l->v = NULL;
    l->n = 0;
}

rk_family *family_parse(const char *file, const char *text, size_t len,
                        rk_error *err)
{
    rk_family *f = calloc(1, sizeof *f);
    reader r;
    memset(&r, 0, sizeof r);
    r.f = f;
    r.err = err;
    r.src.file = file;
    if (!f) {
        rk_error_set(err, "%s: out of memory", file);
        return NULL;
    }
    ex_pool_init(&f->pool);
    f->horizon = 1.0;
    int ok = each_line(&r, text, len, 1) == 0 && each_line(&r, text, len, 2) == 0 &&
             check_complete(&r) == 0;
    /* The names move into the family; the lists keep only their arrays. */
    free(r.state.names); free(r.param.names); free(r.konst.names);
    free(r.state.roots); free(r.param.roots); free(r.konst.roots);
    free(r.state.line); free(r.param.line); free(r.konst.line);
    take(&f->state, &f->dim, &r.state);
    take(&f->param, &f->nparam, &r.param);
    take(&f->konst, &f->nconst, &r.konst);
    if (ok && build_tapes(f) != 0) {
        rk_error_set(err, "%s: out of memory", file);
        ok = 0;
    }
    if (!ok) {
        family_free(f);
        return NULL;
    }
    f->hash = rk_fnv1a(text, len);
    return f;
}

rk_family *family_load(const char *path, rk_error *err)
{
    size_t len;
    char *text = rk_read_file(path, FILE_MAX_LEN, &len, err);
    if (!text)
        return NULL;
    rk_family *f = NULL;
    if (len == 0)
        rk_error_at(err, path, 1, 1, NULL, 0, "empty file: a family needs at least family, state, init, step and X' = lines");
    else
        f = family_parse(path, text, len, err);
    free(text);
    return f;
}

static void syms_free(fam_sym *v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i].name);
    free(v);
}

void family_free(rk_family *f)
{
    if (!f)
        return;
    free(f->name);
    syms_free(f->state, f->dim);
    syms_free(f->param, f->nparam);
    syms_free(f->konst, f->nconst);
    ex_tape_free(&f->rhs);
    ex_tape_free(&f->exact);
    ex_pool_free(&f->pool);
    free(f);
}

int family_uses_time(const rk_family *f)
{
    return ex_tape_uses(&f->rhs, EX_TIME);
}

int family_needs_libm(const rk_family *f)
{
    for (int i = 0; i < f->rhs.n; i++)
        if (ex_op_is_libm(f->rhs.code[i].op))
            return 1;
    return 0;
}

/* ---- sampling and evaluation ---- */

double dist_sample(const rk_dist *d, rk_rng *rng)
{
    switch (d->kind) {
    case DIST_UNIFORM:
        return d->a + (d->b - d->a) * rng_uniform(rng);
    case DIST_LOGUNIFORM:
        return exp(log(d->a) + (log(d->b) - log(d->a)) * rng_uniform(rng));
    case DIST_NORMAL:
        return d->a + d->b * rng_normal(rng);
    case DIST_FIXED:
    default:
        return d->a;
    }
}

void dist_format(const rk_dist *d, char *buf, size_t size)
{
    switch (d->kind) {
    case DIST_UNIFORM: snprintf(buf, size, "uniform(%.17g, %.17g)", d->a, d->b); break;
    case DIST_LOGUNIFORM: snprintf(buf, size, "loguniform(%.17g, %.17g)", d->a, d->b); break;
    case DIST_NORMAL: snprintf(buf, size, "normal(%.17g, %.17g)", d->a, d->b); break;
    case DIST_FIXED:
    default: snprintf(buf, size, "%.17g", d->a); break;
    }
}

void family_sample(const rk_family *f, rk_rng *rng, double *p, double *y0,
                   double *h)
{
    for (int i = 0; i < f->nparam; i++)
        p[i] = dist_sample(&f->param[i].dist, rng);
    for (int i = 0; i < f->dim; i++)
        y0[i] = dist_sample(&f->state[i].dist, rng);
    *h = dist_sample(&f->step, rng);
}

void family_rhs(void *ctx, double t, const double *y, double *dydt)
{
    const family_rhs_ctx *c = ctx;
    ex_env env = {t, y, c->p, NULL};
    ex_eval(&c->f->rhs, &env, c->work, dydt);
}

void family_rhsf(void *ctx, float t, const float *y, float *dydt)
{
    const family_rhsf_ctx *c = ctx;
    ex_envf env = {t, y, c->p, NULL};
    ex_evalf(&c->f->rhs, &env, c->work, dydt);
}

void family_exact(const rk_family *f, const double *p, const double *y0,
                  double t, double *work, double *y)
{
    ex_env env = {t, NULL, p, y0};
    ex_eval(&f->exact, &env, work, y);
}
