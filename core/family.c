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
    int n, cap;   /* cap: room in each array */
} sym_list;

/* An init rule of an array: as a derivative rule, with its value a
 * distribution (r.root < 0) or an expression template (r.root). */
typedef struct init_rule {
    fam_rule r;
    rk_dist dist;
} init_rule;

typedef struct reader {
    rk_family *f;
    sym_list state, param, konst;  /* state: every component */
    /* the states as declared, their names and shapes for the parser */
    fam_array *arr;
    char **arr_name;
    ex_array *arr_shape;
    int narr;
    fam_rule *rules;
    int nrules;
    init_rule *inits;
    int ninits;
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

static int find_array(const reader *r, const char *w, size_t n)
{
    for (int i = 0; i < r->narr; i++)
        if (word_is(w, n, r->arr_name[i]))
            return i;
    return -1;
}

static int check_unique(reader *r, const char *w, size_t n, size_t pos)
{
    static const char *const kinds[] = {"param", "const"};
    const sym_list *lists[] = {&r->param, &r->konst};
    int a = find_array(r, w, n);
    if (a >= 0)
        return fail(r, pos, "duplicate name '%.*s': already declared as state on line %d", (int)n, w,
                    r->arr[a].line);
    for (int k = 0; k < 2; k++) {
        int i = find(lists[k], w, n);
        if (i >= 0)
            return fail(r, pos, "duplicate name '%.*s': already declared as %s on line %d",
                        (int)n, w, kinds[k], lists[k]->line[i]);
    }
    return 0;
}

/* Room for one more in each of l's arrays.  They grow by doubling: an
 * array of 90000 components added one at a time would otherwise be
 * copied 90000 times (minutes under ASan, whose realloc always moves). */
static int sym_reserve(sym_list *l)
{
    if (l->n < l->cap)
        return 0;
    size_t cap = l->cap ? 2 * (size_t)l->cap : 8;
    fam_sym *v = realloc(l->v, cap * sizeof *v);
    if (v)
        l->v = v;
    char **names = realloc(l->names, cap * sizeof *names);
    if (names)
        l->names = names;
    int *roots = realloc(l->roots, cap * sizeof *roots);
    if (roots)
        l->roots = roots;
    int *lines = realloc(l->line, cap * sizeof *lines);
    if (lines)
        l->line = lines;
    if (!v || !names || !roots || !lines)
        return -1;
    l->cap = (int)cap;
    return 0;
}

static int sym_add(sym_list *l, const char *w, size_t n, int line)
{
    int k = l->n;
    char *copy = sym_reserve(l) == 0 ? malloc(n + 1) : NULL;
    if (!copy)
        return -1;
    memcpy(copy, w, n);
    copy[n] = '\0';
    fam_sym s = {copy, {DIST_FIXED, NAN, 0}, -1, -1, -1};
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
    ex_scope s = {r->arr_name, r->narr, r->param.names, r->param.n,
                  r->konst.names, r->konst.roots, r->konst.n,
                  1, !exact, exact, r->arr_shape, NULL, 0, 0};
    return s;
}

/* The names a size, a fixed index or a distribution's bound may use. */
static ex_scope consts_of(const reader *r)
{
    ex_scope s = scope_of(r, 0);
    s.consts_only = 1;
    return s;
}

static int parse_expr(reader *r, const ex_scope *scope)
{
    return ex_parse_at(&r->f->pool, scope, &r->src, &r->pos, r->err);
}

/* A constant expression (numbers, constants and functions) evaluated now. */
static int constant(reader *r, double *v)
{
    ex_scope consts = consts_of(r);
    size_t pos = (blanks(r), r->pos);
    int root = parse_expr(r, &consts);
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

/* The components of a state: "x", or "x[0]" ... in row-major order. */
static int add_components(reader *r, const char *name, const ex_array *a)
{
    int n = a->rank == 0 ? 1 : a->size[0] * (a->rank > 1 ? a->size[1] : 1);
    char buf[NAME_MAX_LEN + 32];
    for (int c = 0; c < n; c++) {
        int m;
        if (a->rank == 0)
            m = snprintf(buf, sizeof buf, "%s", name);
        else if (a->rank == 1)
            m = snprintf(buf, sizeof buf, "%s[%d]", name, c);
        else
            m = snprintf(buf, sizeof buf, "%s[%d][%d]", name, c / a->size[1], c % a->size[1]);
        if (sym_add(&r->state, buf, (size_t)m, r->src.line) < 0)
            return -1;
    }
    return 0;
}

static int add_array(reader *r, const char *w, size_t n, const ex_array *shape)
{
    int k = r->narr;
    fam_array *arr = realloc(r->arr, (size_t)(k + 1) * sizeof *arr);
    if (arr)
        r->arr = arr;
    char **names = realloc(r->arr_name, (size_t)(k + 1) * sizeof *names);
    if (names)
        r->arr_name = names;
    ex_array *shapes = realloc(r->arr_shape, (size_t)(k + 1) * sizeof *shapes);
    if (shapes)
        r->arr_shape = shapes;
    char *copy = malloc(n + 1);
    if (!arr || !names || !shapes || !copy) {
        free(copy);
        return -1;
    }
    memcpy(copy, w, n);
    copy[n] = '\0';
    fam_array a = {copy, shape->rank, {shape->size[0], shape->size[1]}, shape->offset, r->src.line};
    r->arr[k] = a;
    r->arr_name[k] = copy;
    r->arr_shape[k] = *shape;
    r->narr++;
    return add_components(r, copy, shape);
}

/* At most this many components in all: the engine and the learner hold
 * every member's state, and the parser one instance per component. */
#define FAMILY_MAX_DIM (1 << 22)

/* NAME, NAME[SIZE] or NAME[SIZE][SIZE], a size an integer constant. */
static int declare_state(reader *r)
{
    const char *w;
    size_t pos = (blanks(r), r->pos);
    size_t n = word(r, &w);
    if (check_name(r, w, n, pos, "state") < 0 || check_unique(r, w, n, pos) < 0)
        return -1;
    ex_array shape = {0, {1, 1}, r->state.n};
    ex_scope consts = consts_of(r);
    long total = 1;
    for (blanks(r); r->pos < r->src.len && r->src.text[r->pos] == '['; blanks(r)) {
        if (shape.rank == 2)
            return fail(r, r->pos, "a state array has at most 2 dimensions");
        r->pos++;
        long v;
        if (ex_parse_int(&r->f->pool, &consts, &r->src, &r->pos, 1, FAMILY_MAX_DIM,
                         "the size of an array", &v, r->err) < 0 ||
            expect_char(r, ']', "to close the size") < 0)
            return -1;
        shape.size[shape.rank++] = (int)v;
        total *= v;
    }
    if (r->state.n + total > FAMILY_MAX_DIM)
        return fail(r, pos, "too many state components (more than %d)", FAMILY_MAX_DIM);
    if (add_array(r, w, n, &shape) < 0)
        return fail(r, pos, "out of memory");
    return 0;
}

static int st_state(reader *r)
{
    if (r->narr > 0)
        return fail(r, 0, "second 'state' line: list every state on one line (first on line %d)",
                    r->arr[0].line);
    do {
        if (declare_state(r) < 0)
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
    int k = find_array(r, w, n);
    if (n == 0)
        return fail(r, pos, "expected a state name after '%s'", what);
    if (k < 0)
        return fail(r, pos, "'%.*s' is not a state (states: declare them with 'state')",
                    (int)(n > 40 ? 40 : n), w);
    return k;
}

static int is_index_name(reader *r, const char *w, size_t n)
{
    ex_op op;
    int nargs;
    return n > 0 && isalpha((unsigned char)w[0]) && find(&r->konst, w, n) < 0 &&
           !ex_func_lookup(w, n, &op, &nargs);
}

/* One subscript of a rule's left side: an index name, bound in order,
 * or a fixed index (an integer constant inside the array). */
static int lhs_subscript(reader *r, const fam_array *arr, int d, fam_rule *ru, int *nvar)
{
    const char *w;
    size_t pos = (blanks(r), r->pos);
    size_t n = word(r, &w);
    if (is_index_name(r, w, n)) {
        blanks(r);
        if (r->pos < r->src.len && r->src.text[r->pos] != ']')
            return fail(r, r->pos, "a rule's left side takes index names or fixed indices only "
                                   "(write %s[i]' = ... and i+1 on the right side)", arr->name);
        if (check_name(r, w, n, pos, "index") < 0 || check_unique(r, w, n, pos) < 0)
            return -1;
        if (*nvar == 1 && word_is(w, n, ru->index[0]))
            return fail(r, pos, "index '%.*s' is used twice: name each dimension's index differently",
                        (int)n, w);
        memcpy(ru->index[*nvar], w, n);
        ru->index[*nvar][n] = '\0';
        ru->var[d] = (*nvar)++;
        return 0;
    }
    r->pos = pos;
    ex_scope consts = consts_of(r);
    char what[NAME_MAX_LEN + 16];
    snprintf(what, sizeof what, "index of %s", arr->name);
    long v;
    if (ex_parse_int(&r->f->pool, &consts, &r->src, &r->pos, 0, arr->size[d] - 1, what, &v, r->err) < 0)
        return -1;
    ru->fixed[d] = (int)v;
    ru->nfixed++;
    return 0;
}

/* The subscripts of a left side (x[i], u[0][j], none for a scalar);
 * returns the number of index names bound, or -1. */
static int lhs_subscripts(reader *r, int a, fam_rule *ru)
{
    const fam_array *arr = &r->arr[a];
    int nvar = 0;
    memset(ru, 0, sizeof *ru);
    ru->array = a;
    ru->var[0] = ru->var[1] = -1;
    ru->root = -1;
    ru->line = r->src.line;
    for (int d = 0; d < arr->rank; d++) {
        blanks(r);
        if (r->pos >= r->src.len || r->src.text[r->pos] != '[')
            return fail(r, r->pos, "'%s' is an array of %d dimension%s: write %s%s", arr->name, arr->rank,
                        arr->rank > 1 ? "s" : "", arr->name, arr->rank > 1 ? "[i][j]" : "[i]");
        r->pos++;
        if (lhs_subscript(r, arr, d, ru, &nvar) < 0 || expect_char(r, ']', "to close the index") < 0)
            return -1;
    }
    blanks(r);
    if (r->pos < r->src.len && r->src.text[r->pos] == '[') {
        if (arr->rank == 0)
            return fail(r, r->pos, "'%s' is a scalar state: it takes no index", arr->name);
        return fail(r, r->pos, "'%s' has %d ind%s, not more", arr->name, arr->rank,
                    arr->rank > 1 ? "ices" : "ex");
    }
    return nvar;
}

/* The scope of a rule's right side: its index names bound. */
static ex_scope rule_scope(const reader *r, char **names, fam_rule *ru, int nvar, int with_states)
{
    ex_scope scope = scope_of(r, 0);
    names[0] = ru->index[0];
    names[1] = ru->index[1];
    scope.ivar = names;
    scope.nivar = nvar;
    if (!with_states) {
        scope.allow_state = 0;
        scope.allow_t = 0;
    }
    return scope;
}

static int push_rule(reader *r, const fam_rule *ru)
{
    fam_rule *v = realloc(r->rules, (size_t)(r->nrules + 1) * sizeof *v);
    if (!v)
        return -1;
    r->rules = v;
    r->rules[r->nrules++] = *ru;
    return 0;
}

static int push_init(reader *r, const init_rule *ir)
{
    init_rule *v = realloc(r->inits, (size_t)(r->ninits + 1) * sizeof *v);
    if (!v)
        return -1;
    r->inits = v;
    r->inits[r->ninits++] = *ir;
    return 0;
}

/* init X ~ DIST, init X = EXPR (of the parameters and constants), and
 * for arrays init x[i] ~ DIST (each component drawn on its own) or
 * init u[i] = EXPR (of the index too). */
static int st_init(reader *r)
{
    size_t pos = (blanks(r), r->pos);
    int a = state_ref(r, "init");
    init_rule ir;
    memset(&ir, 0, sizeof ir);
    int nvar = a < 0 ? -1 : lhs_subscripts(r, a, &ir.r);
    if (nvar < 0)
        return -1;
    blanks(r);
    if (r->pos < r->src.len && r->src.text[r->pos] == '=') {
        r->pos++;
        char *names[2];
        ex_scope scope = rule_scope(r, names, &ir.r, nvar, 0);
        if ((ir.r.root = parse_expr(r, &scope)) < 0 || expect_end(r) < 0)
            return -1;
        ir.dist.kind = DIST_FIXED;
        ir.dist.a = NAN;
    } else if (distribution(r, &ir.dist) < 0) {
        return -1;
    }
    if (r->arr[a].rank > 0)
        return push_init(r, &ir) < 0 ? fail(r, pos, "out of memory") : 0;
    fam_sym *st = &r->state.v[r->arr[a].offset];
    if (!isnan(st->dist.a) || st->dist.kind != DIST_FIXED || st->init >= 0)
        return fail(r, pos, "second 'init' line for state '%s'", st->name);
    st->dist = ir.dist;
    st->init = ir.r.root;
    return 0;
}

static int st_exact(reader *r)
{
    size_t pos = (blanks(r), r->pos);
    int a = state_ref(r, "exact");
    if (a < 0)
        return -1;
    if (r->arr[a].rank > 0)
        return fail(r, pos, "exact solutions are for scalar states only ('%s' is an array)", r->arr[a].name);
    int k = r->arr[a].offset;
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

/* X' = EXPR, or for an array x[i]' = EXPR, u[0][j]' = EXPR, ... */
static int st_derivative(reader *r, int a, size_t pos)
{
    fam_rule ru;
    int nvar = lhs_subscripts(r, a, &ru);
    if (nvar < 0)
        return -1;
    blanks(r);
    if (r->pos >= r->src.len || r->src.text[r->pos] != '\'')
        return fail(r, r->pos, "expected ' after the state (write X' = EXPR)");
    r->pos++; /* the quote */
    if (expect_char(r, '=', "after the derivative (write X' = EXPR)") < 0)
        return -1;
    int k = r->arr[a].offset;
    if (r->arr[a].rank == 0 && r->state.v[k].root >= 0)
        return fail(r, pos, "second derivative line for state '%s'", r->state.names[k]);
    char *names[2];
    ex_scope scope = rule_scope(r, names, &ru, nvar, 1);
    int root = parse_expr(r, &scope);
    if (root < 0)
        return -1;
    if (r->arr[a].rank == 0)
        r->state.v[k].root = root;
    else {
        ru.root = root;
        if (push_rule(r, &ru) < 0)
            return fail(r, pos, "out of memory");
    }
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
    if (r->pos < r->src.len && (r->src.text[r->pos] == '\'' || r->src.text[r->pos] == '[')) {
        if (pass == 1)
            return 0;
        int k = find_array(r, w, n);
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

/* ---- the arrays' rules, instantiated for every component ---- */

/* A rule's template: its nodes in pool order (children first), and
 * which of them depend on the component's indices. */
typedef struct template {
    int *node, n;
    char *dep;
} template;

static int template_of(const ex_pool *pool, int root, template *t)
{
    /* a constant's expression never depends on an index: ex_reach stops there */
    char *mark = ex_reach(pool, root);
    t->node = malloc(((size_t)root + 1) * sizeof *t->node);
    t->dep = malloc((size_t)root + 1);
    t->n = 0;
    if (!mark || !t->node || !t->dep) {
        free(mark);
        return -1;
    }
    for (int k = 0; k <= root; k++)
        if (mark[k])
            t->node[t->n++] = k;
    free(mark);
    return 0;
}

static void template_free(template *t)
{
    free(t->node);
    free(t->dep);
}

typedef struct instancer {
    reader *r;
    int *num;    /* EX_NUM node of each index value, or -1 */
    int *leaf;   /* EX_STATE node of each component, or -1 */
    int *map;    /* per pool node of a template: its instance */
} instancer;

static int number_node(instancer *in, int v)
{
    if (in->num[v] >= 0)
        return in->num[v];
    char buf[16];
    int len = snprintf(buf, sizeof buf, "%d", v);
    int off = ex_pool_text(&in->r->f->pool, buf, (size_t)len);
    ex_node nd = {EX_NUM, -1, -1, 0, off, (double)v};
    return off < 0 ? -1 : (in->num[v] = ex_pool_add(&in->r->f->pool, nd));
}

static int state_node(instancer *in, int c)
{
    if (in->leaf[c] >= 0)
        return in->leaf[c];
    ex_node nd = {EX_STATE, -1, -1, c, -1, 0.0};
    return in->leaf[c] = ex_pool_add(&in->r->f->pool, nd);
}

/* The component that EX_ELEM nd reads at the rule's index values iv. */
static int element_of(const reader *r, const ex_node *nd, const int *iv)
{
    const ex_array *a = &r->arr_shape[nd->index];
    const ex_sub *sub = &r->f->pool.subs[nd->text];
    int at[2] = {0, 0};
    for (int d = 0; d < a->rank; d++) {
        long v = sub->var[d] >= 0 ? (long)iv[sub->var[d]] + sub->off[d] : sub->off[d];
        at[d] = (int)(((v % a->size[d]) + a->size[d]) % a->size[d]);
    }
    return a->offset + at[0] * (a->rank > 1 ? a->size[1] : 1) + at[1];
}

/* The template t at index values iv: the nodes that depend on the
 * indices copied, the others shared by every component. */
static int instantiate(instancer *in, const template *t, const int *iv)
{
    ex_pool *pool = &in->r->f->pool;
    int last = -1;
    for (int k = 0; k < t->n; k++) {
        int id = t->node[k];
        ex_node nd = pool->nodes[id];
        if (!t->dep[k])
            last = id;
        else if (nd.op == EX_INDEX)
            last = number_node(in, iv[nd.index]);
        else if (nd.op == EX_ELEM)
            last = state_node(in, element_of(in->r, &nd, iv));
        else {
            if (nd.a >= 0)
                nd.a = in->map[nd.a];
            if (nd.b >= 0)
                nd.b = in->map[nd.b];
            last = ex_pool_add(pool, nd);
        }
        if (last < 0)
            return -1;
        in->map[id] = last;
    }
    return last;
}

static int template_deps(const ex_pool *pool, template *t, int *pos)
{
    for (int k = 0; k < t->n; k++) {
        const ex_node *nd = &pool->nodes[t->node[k]];
        pos[t->node[k]] = k;
        int dep = nd->op == EX_INDEX || nd->op == EX_ELEM;
        if (nd->op != EX_CONST && nd->a >= 0)
            dep |= t->dep[pos[nd->a]];
        if (nd->op != EX_CONST && nd->b >= 0)
            dep |= t->dep[pos[nd->b]];
        t->dep[k] = (char)dep;
    }
    return 0;
}

/* The rule among list[0..n) that gives component at[] of its array: the
 * matching one with the most fixed indices.  -1: none; -2: two of equal
 * standing (err set, naming both lines). */
static int best_rule(reader *r, const fam_rule *const *list, int n, const int *at, int c, const char *what)
{
    int best = -1;
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < n; k++) {
            const fam_rule *ru = list[k];
            int match = 1;
            for (int d = 0; d < r->arr[ru->array].rank; d++)
                match &= ru->var[d] >= 0 || ru->fixed[d] == at[d];
            /* the first pass finds the most fixed indices, the second a
             * second rule with as many */
            if (!match || (best >= 0 && ru->nfixed < list[best]->nfixed) || k == best)
                continue;
            if (pass == 0 && (best < 0 || ru->nfixed > list[best]->nfixed))
                best = k;
            else if (pass == 1 && ru->nfixed == list[best]->nfixed) {
                int a = list[best]->line < ru->line ? list[best]->line : ru->line;
                int b = list[best]->line < ru->line ? ru->line : list[best]->line;
                fail_file(r, b, "%s: the rules on lines %d and %d both give its %s, with as many fixed "
                          "indices (add a rule for %s itself, or fix one of them)",
                          r->state.names[c], a, b, what, r->state.names[c]);
                return -2;
            }
        }
    return best;
}

/* The index values rule ru binds at component position at[]. */
static void index_values(const fam_rule *ru, const int *at, int *iv)
{
    iv[0] = iv[1] = 0;
    for (int d = 0; d < 2; d++)
        if (ru->var[d] >= 0)
            iv[ru->var[d]] = at[d];
}

typedef struct rule_set {
    const fam_rule **list;  /* the rules of one array */
    template *tpl;          /* parallel: their templates (n = 0: none) */
    int n;
} rule_set;

/* Gives component c (at[] in its array) its derivative and initial
 * value from the best rules of d and i. */
static int give(reader *r, instancer *in, const fam_array *arr, const rule_set *d, const rule_set *i,
                int c, const int *at)
{
    int iv[2], k = best_rule(r, d->list, d->n, at, c, "derivative");
    if (k == -2)
        return -1;
    if (k < 0)
        return fail_file(r, arr->line, "%s has no derivative: add a rule for it, or one for every "
                         "component such as \"%s%s' = ...\"", r->state.names[c], arr->name,
                         arr->rank > 1 ? "[i][j]" : "[i]");
    index_values(d->list[k], at, iv);
    if ((r->state.v[c].root = instantiate(in, &d->tpl[k], iv)) < 0)
        return fail_file(r, arr->line, "out of memory");
    if ((k = best_rule(r, i->list, i->n, at, c, "initial value")) == -2)
        return -1;
    if (k < 0)
        return fail_file(r, arr->line, "%s has no initial value: add 'init %s%s ~ DIST' (or = EXPR)",
                         r->state.names[c], arr->name, arr->rank > 1 ? "[i][j]" : "[i]");
    const init_rule *ir = (const init_rule *)i->list[k];
    r->state.v[c].dist = ir->dist;
    index_values(&ir->r, at, iv);
    if (ir->r.root >= 0 && (r->state.v[c].init = instantiate(in, &i->tpl[k], iv)) < 0)
        return fail_file(r, arr->line, "out of memory");
    return 0;
}

/* The rules of array a among rules[0..n) (stride bytes apart) with
 * their templates. */
static int collect(reader *r, int a, const void *rules, int n, size_t stride, rule_set *set, int *pos)
{
    set->n = 0;
    set->list = malloc(((size_t)n + 1) * sizeof *set->list);
    set->tpl = calloc((size_t)n + 1, sizeof *set->tpl);
    if (!set->list || !set->tpl)
        return -1;
    for (int k = 0; k < n; k++) {
        const fam_rule *ru = (const fam_rule *)((const char *)rules + (size_t)k * stride);
        if (ru->array != a)
            continue;
        template *t = &set->tpl[set->n];
        set->list[set->n++] = ru;
        if (ru->root >= 0 && (template_of(&r->f->pool, ru->root, t) != 0 || template_deps(&r->f->pool, t, pos) != 0))
            return -1;
    }
    return 0;
}

static void rule_set_free(rule_set *set)
{
    for (int k = 0; set->tpl && k < set->n; k++)
        template_free(&set->tpl[k]);
    free(set->tpl);
    free(set->list);
}

static int resolve_array(reader *r, instancer *in, int a, int *pos)
{
    const fam_array *arr = &r->arr[a];
    rule_set d = {0}, i = {0};
    int st = collect(r, a, r->rules, r->nrules, sizeof *r->rules, &d, pos) != 0 ||
                     collect(r, a, r->inits, r->ninits, sizeof *r->inits, &i, pos) != 0
                 ? fail_file(r, arr->line, "out of memory")
                 : 0;
    int n = arr->size[0] * (arr->rank > 1 ? arr->size[1] : 1);
    for (int c = 0; st == 0 && c < n; c++) {
        int at[2] = {arr->rank > 1 ? c / arr->size[1] : c, arr->rank > 1 ? c % arr->size[1] : 0};
        st = give(r, in, arr, &d, &i, arr->offset + c, at);
    }
    rule_set_free(&d);
    rule_set_free(&i);
    return st;
}

/* Every array component gets its derivative and initial value from its
 * rules, instantiated at its indices. */
static int resolve_arrays(reader *r)
{
    int maxsize = 1, st = 0;
    for (int a = 0; a < r->narr; a++)
        for (int d = 0; d < r->arr[a].rank; d++)
            maxsize = r->arr[a].size[d] > maxsize ? r->arr[a].size[d] : maxsize;
    instancer in = {r, malloc((size_t)maxsize * sizeof(int)), malloc(((size_t)r->state.n + 1) * sizeof(int)),
                    malloc(((size_t)r->f->pool.n + 1) * sizeof(int))};
    int *pos = malloc(((size_t)r->f->pool.n + 1) * sizeof *pos);
    if (!in.num || !in.leaf || !in.map || !pos)
        st = fail_file(r, 1, "out of memory");
    for (int k = 0; st == 0 && k < maxsize; k++)
        in.num[k] = -1;
    for (int k = 0; st == 0 && k < r->state.n; k++)
        in.leaf[k] = -1;
    for (int a = 0; st == 0 && a < r->narr; a++)
        if (r->arr[a].rank > 0)
            st = resolve_array(r, &in, a, pos);
    free(in.num);
    free(in.leaf);
    free(in.map);
    free(pos);
    return st;
}

static int check_complete(reader *r)
{
    if (!r->family_line)
        return fail_file(r, 1, "no 'family NAME' line: every family file starts with one");
    if (r->state.n == 0)
        return fail_file(r, 1, "no 'state' line: declare the state variables, e.g. 'state u v'");
    if (resolve_arrays(r) != 0)
        return -1;
    int sl = r->state.line[0], nexact = 0;
    for (int i = 0; i < r->state.n; i++) {
        const fam_sym *s = &r->state.v[i];
        if (s->root < 0)
            return fail_file(r, sl, "missing derivative: add a line \"%s' = ...\"", s->name);
        if (s->dist.kind == DIST_FIXED && isnan(s->dist.a) && s->init < 0)
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
    int *roots = malloc((size_t)f->dim * 3 * sizeof *roots), ninit = 0;
    f->init_state = malloc(((size_t)f->dim + 1) * sizeof *f->init_state);
    if (!roots || !f->init_state) {
        free(roots);
        return -1;
    }
    for (int i = 0; i < f->dim; i++) {
        roots[i] = f->state[i].root;
        roots[f->dim + i] = f->state[i].exact;
        if (f->state[i].init >= 0) {
            roots[2 * f->dim + ninit] = f->state[i].init;
            f->init_state[ninit++] = i;
        }
    }
    int bad = ex_tape_build(&f->rhs, &f->pool, roots, f->dim) != 0 ||
              (f->has_exact && ex_tape_build(&f->exact, &f->pool, roots + f->dim, f->dim) != 0) ||
              (ninit > 0 && ex_tape_build(&f->init, &f->pool, roots + 2 * f->dim, ninit) != 0);
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
    f->array = r.arr;
    f->narray = r.narr;
    f->rule = r.rules;
    f->nrule = r.nrules;
    for (int a = 0; a < r.narr; a++)
        f->has_arrays |= r.arr[a].rank > 0;
    free(r.arr_name);
    free(r.arr_shape);
    free(r.inits);
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
    for (int a = 0; a < f->narray; a++)
        free(f->array[a].name);
    free(f->array);
    free(f->rule);
    free(f->init_state);
    ex_tape_free(&f->rhs);
    ex_tape_free(&f->exact);
    ex_tape_free(&f->init);
    ex_pool_free(&f->pool);
    free(f);
}

int family_has_name(const rk_family *f, const char *s)
{
    for (int i = 0; i < f->narray; i++)
        if (strcmp(f->array[i].name, s) == 0)
            return 1;
    for (int i = 0; i < f->nparam; i++)
        if (strcmp(f->param[i].name, s) == 0)
            return 1;
    for (int i = 0; i < f->nconst; i++)
        if (strcmp(f->konst[i].name, s) == 0)
            return 1;
    for (int r = 0; r < f->nrule; r++)
        if (strcmp(f->rule[r].index[0], s) == 0 || strcmp(f->rule[r].index[1], s) == 0)
            return 1;
    return 0;
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
        if (f->state[i].init < 0)
            y0[i] = dist_sample(&f->state[i].dist, rng);
    *h = dist_sample(&f->step, rng);
    if (f->init.nout > 0)
        family_init_values(f, p, y0);
}

void family_init_values(const rk_family *f, const double *p, double *y0)
{
    double *work = malloc(((size_t)f->init.n + (size_t)f->init.nout + 1) * sizeof *work);
    ex_env env = {0, NULL, p, NULL};
    if (!work) {
        /* the member is then not finite, and samples_draw names it */
        for (int k = 0; k < f->init.nout; k++)
            y0[f->init_state[k]] = NAN;
        return;
    }
    double *out = work + f->init.n;
    ex_eval(&f->init, &env, work, out);
    for (int k = 0; k < f->init.nout; k++)
        y0[f->init_state[k]] = out[k];
    free(work);
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
