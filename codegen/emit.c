/* emit.c - fills the stepper templates.
 *
 * The stage code follows the operation order of core/rk_step.inc exactly
 * (see rk.h): that is what lets `rkgen emit` check the compiled result
 * against the engine bit for bit. */
#include "emit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprint.h"
#include "loops.h"
#include "strbuf.h"
#include "template.h"
#include "adaptive.h"

/* Systems up to this dimension are integrated in a local copy of y. */
#define EMIT_LOCAL_MAX 32

typedef struct emitter {
    const rk_family *f;
    const rk_tableau *t;
    int is_float;
    int adaptive; /* emit_adaptive: the pair's solver, not the stepper */
    const char *prefix;
    int used[RK_MAX_STAGES], nused; /* tableau_stages_used: what the step evaluates */
    char upper[EMIT_PREFIX_MAX];
    char y[EMIT_PREFIX_MAX + 4], dydt[EMIT_PREFIX_MAX + 4], p[EMIT_PREFIX_MAX + 4];
    char temp[EMIT_PREFIX_MAX + 4]; /* common subexpressions: temp1, temp2, ... */
} emitter;

int emit_prefix_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= EMIT_PREFIX_MAX || !isalpha((unsigned char)s[0]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return 0;
    return 1;
}

int emit_prefix_from_name(const char *name, char *prefix)
{
    size_t n = strlen(name) < EMIT_PREFIX_MAX - 1 ? strlen(name) : EMIT_PREFIX_MAX - 1;
    memcpy(prefix, name, n);
    prefix[n] = '\0';
    for (char *c = prefix; *c; c++)
        if (!isalnum((unsigned char)*c))
            *c = '_';
    return emit_prefix_ok(prefix);
}

int emit_default_prefix(const rk_family *f, const rk_tableau *t, char *prefix,
                        rk_error *err)
{
    char buf[2 * RK_NAME_MAX];
    snprintf(buf, sizeof buf, "%s_%s", f->name, t->name);
    for (char *c = buf; *c; c++)
        *c = isalnum((unsigned char)*c) ? (char)tolower((unsigned char)*c) : '_';
    if (!emit_prefix_ok(buf)) {
        rk_error_set(err, "cannot make a C prefix from '%s' and '%s': give one with --name",
                     f->name, t->name);
        return -1;
    }
    strcpy(prefix, buf);
    return 0;
}

/* ---- names ---- */

/* 1 if some name of the family is base followed by digits only. */
static int numbered(const char *s, const char *base, size_t n)
{
    return strncmp(s, base, n) == 0 && s[n] && strspn(s + n, "0123456789") == strlen(s + n);
}

static int user_numbered(const rk_family *f, const char *base)
{
    size_t n = strlen(base);
    for (int i = 0; i < f->narray; i++)
        if (numbered(f->array[i].name, base, n))
            return 1;
    for (int i = 0; i < f->nparam; i++)
        if (numbered(f->param[i].name, base, n))
            return 1;
    for (int i = 0; i < f->nconst; i++)
        if (numbered(f->konst[i].name, base, n))
            return 1;
    for (int r = 0; r < f->nrule; r++)
        if (numbered(f->rule[r].index[0], base, n) || numbered(f->rule[r].index[1], base, n))
            return 1;
    return 0;
}

/* The temporaries take the first of s, s_, s__ ... that numbered does
 * not make a family name. */
static void free_temp(const rk_family *f, const char *base, char *out, size_t size)
{
    snprintf(out, size, "%s", base);
    while (user_numbered(f, out) && strlen(out) + 1 < size)
        strcat(out, "_");
}

/* The rhs's own parameters take the first of y, y_, y__ ... that no
 * state, parameter or constant of the family is called. */
static void free_name(const rk_family *f, const char *base, char *out, size_t size)
{
    snprintf(out, size, "%s", base);
    while (family_has_name(f, out) && strlen(out) + 1 < size)
        strcat(out, "_");
}

static int check_names(const emitter *e, rk_error *err)
{
    size_t n = strlen(e->prefix);
    const fam_sym *lists[] = {e->f->state, e->f->param, e->f->konst};
    int counts[] = {e->f->dim, e->f->nparam, e->f->nconst};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < counts[k]; i++) {
            const char *s = lists[k][i].name;
            if ((strncmp(s, e->prefix, n) == 0 || strncmp(s, e->upper, n) == 0) && s[n] == '_') {
                rk_error_set(err, "the family's name '%s' would clash with the generated names %s_*: choose another --name",
                             s, e->prefix);
                return -1;
            }
        }
    return 0;
}

static void names_of(const fam_sym *v, int n, char **out)
{
    for (int i = 0; i < n; i++)
        out[i] = v[i].name;
}

/* ---- coefficients ---- */

static void coef_name(const emitter *e, char *buf, size_t size, char kind, int i, int j)
{
    if (kind == 'D') /* stage i's coefficient of th^(j+1) in the dense output */
        snprintf(buf, size, "%s_D%d_%d", e->upper, i + 1, j + 1);
    else if (kind != 'A')
        snprintf(buf, size, "%s_%c%d", e->upper, kind, i + 1);
    else if (e->t->s >= 10)
        snprintf(buf, size, "%s_A%d_%d", e->upper, i + 1, j + 1);
    else
        snprintf(buf, size, "%s_A%d%d", e->upper, i + 1, j + 1);
}

static int needs_macro(double v)
{
    return v != 0 && v != 1 && v != -1;
}

static const char *exact_text(const rk_tableau *t, int idx)
{
    const char *s = t->exact && idx >= 0 ? t->exact[idx] : NULL;
    /* exact texts passed the expression parser; refuse anything that
     * could still end a comment. */
    return s && !strstr(s, "*/") && !strstr(s, "/*") && strlen(s) < 60 ? s : NULL;
}

static void define_coef(const emitter *e, strbuf *b, char kind, int i, int j, double v, int idx)
{
    char name[96], dec[40], line[200];
    strbuf hex;
    sb_init(&hex);
    coef_name(e, name, sizeof name, kind, i, j);
    if (v < 0)
        sb_puts(&hex, "(");
    cp_hex(&hex, v, e->is_float);
    if (v < 0)
        sb_puts(&hex, ")");
    cp_decimal(dec, sizeof dec, v, e->is_float);
    snprintf(line, sizeof line, "#define %s %s", name, hex.s ? hex.s : "");
    const char *ex = exact_text(e->t, idx);
    if (ex && strcmp(ex, dec) != 0)
        sb_printf(b, "%-40s /* %s = %s */\n", line, ex, dec);
    else
        sb_printf(b, "%-40s /* %s */\n", line, dec);
    sb_free(&hex);
}

static void coefficients(const emitter *e, strbuf *b)
{
    const rk_tableau *t = e->t;
    int s = t->s;
    for (int i = 1; i < s; i++)
        if (needs_macro(t->c[i]))
            define_coef(e, b, 'C', i, 0, t->c[i], s * s + s + i);
    for (int i = 1; i < s; i++)
        for (int j = 0; j < i; j++)
            if (needs_macro(t->A[i * s + j]))
                define_coef(e, b, 'A', i, j, t->A[i * s + j], i * s + j);
    for (int i = 0; i < s; i++)
        if (needs_macro(t->b[i]))
            define_coef(e, b, 'B', i, 0, t->b[i], s * s + i);
    for (int i = 0; e->adaptive && i < s; i++)
        if (needs_macro(t->b[i] - t->bhat[i]))
            define_coef(e, b, 'E', i, 0, t->b[i] - t->bhat[i], -1);
    for (int i = 0; e->adaptive && t->dense && i < s; i++)
        for (int r = 0; r < t->dense_degree; r++)
            if (needs_macro(t->dense[i * t->dense_degree + r]))
                define_coef(e, b, 'D', i, r, t->dense[i * t->dense_degree + r], -1);
}

/* ---- the header's picture of the tableau ---- */

static void cell(strbuf *b, double v, int w, int last)
{
    char text[40];
    cp_decimal(text, sizeof text, v, 0);
    if (last)
        sb_printf(b, " %s", text);
    else
        sb_printf(b, " %-*s", w, text);
}

static void tableau_comment(const emitter *e, strbuf *b)
{
    const rk_tableau *t = e->t;
    int s = t->s, w = 1;
    char text[40];
    for (int k = 0; k < s * s + 2 * s; k++) {
        double v = k < s * s ? t->A[k] : k < s * s + s ? t->b[k - s * s] : t->c[k - s * s - s];
        cp_decimal(text, sizeof text, v, 0);
        if ((int)strlen(text) > w)
            w = (int)strlen(text);
    }
    for (int i = 0; i < s; i++) {
        cp_decimal(text, sizeof text, t->c[i], 0);
        sb_printf(b, " *   %-*s |", w, text);
        for (int j = 0; j < i; j++)
            cell(b, t->A[i * s + j], w, j == i - 1);
        sb_puts(b, "\n");
    }
    sb_puts(b, " *   ");
    for (int k = 0; k < w + 1; k++)
        sb_puts(b, "-");
    sb_puts(b, "+");
    for (int k = 0; k < s * (w + 1); k++)
        sb_puts(b, "-");
    sb_printf(b, "\n *   %*s |", w, "");
    for (int j = 0; j < s; j++)
        cell(b, t->b[j], w, j == s - 1);
    sb_puts(b, e->adaptive ? "   (b)\n" : "\n");
    if (!e->adaptive)
        return;
    sb_printf(b, " *   %*s |", w, "");
    for (int j = 0; j < s; j++)
        cell(b, t->bhat[j], w, 0);
    sb_puts(b, "(bhat)\n");
}

/* ---- rhs ---- */

static void params_struct(const emitter *e, strbuf *b)
{
    if (e->f->nparam == 0) {
        sb_printf(b, "/* The family has no parameters; C forbids an empty struct. */\n"
                     "typedef struct {\n    char unused;\n} %s_params;", e->prefix);
        return;
    }
    sb_puts(b, "/* The family's parameters, in declaration order. */\ntypedef struct {\n");
    for (int i = 0; i < e->f->nparam; i++) {
        char dist[128];
        dist_format(&e->f->param[i].dist, dist, sizeof dist);
        sb_printf(b, "    %s_real %s; /* ~ %s */\n", e->prefix, e->f->param[i].name, dist);
    }
    sb_printf(b, "} %s_params;", e->prefix);
}

/* Which symbols of kind op the vector field reads. */
static int tape_reads(const ex_tape *tp, ex_op op, int index)
{
    for (int i = 0; i < tp->n; i++)
        if (tp->code[i].op == op && tp->code[i].index == index)
            return 1;
    return 0;
}

/* Constants the vector field reaches, directly or through another
 * constant: children precede parents in the pool, so one backward sweep
 * from the derivatives marks everything reachable. */
static char *consts_reached(const rk_family *f)
{
    const ex_pool *pool = &f->pool;
    char *mark = calloc((size_t)pool->n + 1, 1);
    char *used = calloc((size_t)f->nconst + 1, 1);
    if (!mark || !used) {
        free(mark);
        free(used);
        return NULL;
    }
    for (int i = 0; i < f->dim; i++)
        mark[f->state[i].root] = 1;
    for (int i = pool->n - 1; i >= 0; i--) {
        const ex_node *n = &pool->nodes[i];
        if (!mark[i])
            continue;
        if (n->a >= 0)
            mark[n->a] = 1;
        if (n->b >= 0)
            mark[n->b] = 1;
        if (n->op == EX_CONST)
            used[n->index] = 1;
    }
    free(mark);
    return used;
}

/* With state arrays: the states as pointers into y, and loops. */
static void array_rhs_body(const emitter *e, strbuf *b, const cprint_names *names, int params)
{
    loops_names ln = {e->prefix, e->y, e->dydt, e->temp, e->is_float};
    if (!family_uses_time(e->f))
        sb_puts(b, "    (void)t;\n");
    if (!params)
        sb_printf(b, "    (void)%s;\n", e->p);
    if (!ex_tape_uses(&e->f->rhs, EX_STATE))
        sb_printf(b, "    (void)%s;\n", e->y);
    loops_rhs(b, e->f, &ln, names);
}

/* dydt[i] = f_i for every state, each shared subexpression a
 * temporary computed once, as the engine's tape computes it once. */
static void derivatives(const emitter *e, strbuf *b, const cprint_names *names)
{
    typedef char lhs_text[EMIT_PREFIX_MAX + 16];
    const rk_family *f = e->f;
    int *roots = malloc((size_t)f->dim * sizeof *roots);
    lhs_text *text = malloc((size_t)f->dim * sizeof *text);
    const char **lhs = malloc((size_t)f->dim * sizeof *lhs);
    char real[EMIT_PREFIX_MAX + 8];
    snprintf(real, sizeof real, "%s_real", e->prefix);
    cp_block blk = {real, "    ", e->temp, 0, e->is_float};
    int ok = roots && text && lhs;
    for (int i = 0; ok && i < f->dim; i++) {
        roots[i] = f->state[i].root;
        snprintf(text[i], sizeof text[i], "%s[%d]", e->dydt, i);
        lhs[i] = text[i];
    }
    if (!ok || cp_block_print(b, &f->pool, names, &blk, roots, lhs, f->dim) != 0)
        b->oom = 1; /* reported as out of memory with the buffer */
    free(roots);
    free(text);
    free(lhs);
}

static void rhs_body(const emitter *e, strbuf *b, const cprint_names *names)
{
    const rk_family *f = e->f;
    char *used = consts_reached(f);
    int any = 0;
    for (int k = 0; k < f->nconst; k++) {
        if (used && !used[k])
            continue;
        sb_printf(b, "    const %s_real %s = ", e->prefix, f->konst[k].name);
        cp_expr(b, &f->pool, names, e->is_float, f->konst[k].root);
        sb_puts(b, ";\n");
        any = 1;
    }
    free(used);
    int params = 0;
    for (int i = 0; i < f->nparam; i++)
        if (tape_reads(&f->rhs, EX_PARAM, i)) {
            sb_printf(b, "    const %s_real %s = %s->%s;\n", e->prefix, f->param[i].name, e->p,
                      f->param[i].name);
            any = params = 1;
        }
    if (f->has_arrays) {
        array_rhs_body(e, b, names, params);
        return;
    }
    for (int i = 0; i < f->dim; i++)
        if (tape_reads(&f->rhs, EX_STATE, i)) {
            sb_printf(b, "    const %s_real %s = %s[%d];\n", e->prefix, f->state[i].name, e->y, i);
            any = 1;
        }
    int unused_y = !ex_tape_uses(&f->rhs, EX_STATE);
    if (any)
        sb_puts(b, "\n");
    if (!family_uses_time(f))
        sb_puts(b, "    (void)t;\n");
    if (!params)
        sb_printf(b, "    (void)%s;\n", e->p);
    if (unused_y)
        sb_printf(b, "    (void)%s;\n", e->y);
    derivatives(e, b, names);
}

/* ---- stages ---- */

static int row_nonzero(const rk_tableau *t, int i)
{
    for (int j = 0; j < i; j++)
        if (t->A[i * t->s + j] != 0)
            return 1;
    return 0;
}

/* The step's own name for h times a coefficient: ha21, hb3 (ha10_2 for
 * ten stages or more). */
static void h_name(const emitter *e, char *buf, size_t size, char kind, int i, int j)
{
    if (kind == 'd') /* h times stage j's coefficient of th^(i+1) */
        snprintf(buf, size, "hd%d_%d", j + 1, i + 1);
    else if (kind == 'b' || kind == 'e')
        snprintf(buf, size, "h%c%d", kind, j + 1);
    else if (e->t->s >= 10)
        snprintf(buf, size, "ha%d_%d", i + 1, j + 1);
    else
        snprintf(buf, size, "ha%d%d", i + 1, j + 1);
}

/* The weighted sum of slopes, sum_j (h w_j) k_j left to right over the
 * nonzero weights: h*1 is h and h*(-1) is -h exactly, so those need no
 * product of their own.  `single` tells the caller whether it is one term
 * that needs no parentheses.  Three terms to a line keep lines short. */
static void slope_sum(const emitter *e, strbuf *b, char kind, int row,
                      const double *w, int nw, const char *indent, int *single)
{
    int terms = 0, k = 0;
    for (int j = 0; j < nw; j++)
        terms += w[j] != 0;
    *single = terms == 1;
    for (int j = 0; j < nw; j++) {
        double v = w[j];
        if (v == 0)
            continue;
        if (k > 0 && k % 3 == 0)
            sb_printf(b, "\n%s%s ", indent, v == -1 ? "-" : "+");
        else if (k > 0)
            sb_printf(b, " %s ", v == -1 ? "-" : "+");
        else if (v == -1)
            sb_puts(b, "-");
        if (needs_macro(v)) {
            char name[64];
            h_name(e, name, sizeof name, kind, row, j);
            sb_printf(b, "%s * k%d[i]", name, j + 1);
        } else {
            sb_printf(b, "h * k%d[i]", j + 1);
        }
        k++;
    }
}

static void hsum(const emitter *e, strbuf *b, const char *lhs, char kind, int row,
                 const double *w, int nw, const char *indent)
{
    strbuf sum;
    int single;
    sb_init(&sum);
    slope_sum(e, &sum, kind, row, w, nw, indent, &single);
    size_t n = strlen(lhs);
    (void)kind;
    /* after "y[i] + " a sum needs parentheses to be added last, as the
     * engine adds it; after "+=" or "=" it is whole anyway */
    if (single || n < 3 || strcmp(lhs + n - 3, " + ") != 0)
        sb_printf(b, "%s%s;\n", lhs, sum.s ? sum.s : "");
    else
        sb_printf(b, "%s(%s);\n", lhs, sum.s ? sum.s : "");
    sb_free(&sum);
}

/* const h * coefficient products, once per step, for every coefficient
 * the step multiplies by: what a careful hand-written stepper hoists. */
static void h_products(const emitter *e, strbuf *b)
{
    const rk_tableau *t = e->t;
    int s = t->s, any = 0;
    for (int i = 1; i < s; i++) {
        if (!e->used[i])
            continue;
        for (int j = 0; j < i; j++)
            if (needs_macro(t->A[i * s + j])) {
                char name[64], coef[96];
                h_name(e, name, sizeof name, 'a', i, j);
                coef_name(e, coef, sizeof coef, 'A', i, j);
                sb_printf(b, "    const %s_real %s = h * %s;\n", e->prefix, name, coef);
                any = 1;
            }
    }
    for (int j = 0; j < s; j++)
        if (needs_macro(t->b[j])) {
            char name[64], coef[96];
            h_name(e, name, sizeof name, 'b', 0, j);
            coef_name(e, coef, sizeof coef, 'B', j, 0);
            sb_printf(b, "    const %s_real %s = h * %s;\n", e->prefix, name, coef);
            any = 1;
        }
    if (any)
        sb_puts(b, "\n");
}

static void stage_time(const emitter *e, strbuf *b, int i)
{
    double c = e->t->c[i];
    if (c == 0)
        sb_puts(b, "t");
    else if (c == 1)
        sb_puts(b, "t + h");
    else
        sb_printf(b, "t + %s_C%d * h", e->upper, i + 1);
}

/* The body of _step (generic = 0) or _step_n (generic = 1). */
static void stages(const emitter *e, strbuf *b, int generic)
{
    const rk_tableau *t = e->t;
    int s = t->s, need_ys = 0, last = 0;
    const char *bound = generic ? "n" : NULL;
    char dim[EMIT_PREFIX_MAX + 8];
    snprintf(dim, sizeof dim, "%s_DIM", e->upper);
    if (!bound)
        bound = dim;
    for (int i = 1; i < s; i++)
        need_ys |= e->used[i] && row_nonzero(t, i);
    for (int j = 0; j < s; j++) {
        if (!e->used[j])
            continue;
        if (generic)
            sb_printf(b, "    %s_real *k%d = work%s", e->prefix, j + 1, j ? "" : ";\n");
        if (generic && j)
            sb_printf(b, " + %d * n;\n", j);
        else if (!generic)
            sb_printf(b, "    %s_real k%d[%s];\n", e->prefix, j + 1, dim);
        last = j;
    }
    if (need_ys && generic)
        sb_printf(b, "    %s_real *ys = work + %d * n;\n", e->prefix, s);
    else if (need_ys)
        sb_printf(b, "    %s_real ys[%s];\n", e->prefix, dim);
    sb_printf(b, "    %s i;\n", generic ? "unsigned long" : "int");
    h_products(e, b);
    if (b->len && b->s[b->len - 2] != '\n')
        sb_puts(b, "\n");
    for (int i = 0; i < s; i++) {
        if (!e->used[i])
            continue;
        int moved = row_nonzero(t, i);
        if (moved) {
            sb_printf(b, "    for (i = 0; i < %s; i++)\n", bound);
            hsum(e, b, "        ys[i] = y[i] + ", 'a', i, t->A + i * s, i, "                          ");
        }
        sb_puts(b, generic ? "    f(" : "    ");
        if (!generic)
            sb_printf(b, "%s_f(", e->prefix);
        stage_time(e, b, i);
        sb_printf(b, ", %s, k%d, %s);\n", moved ? "ys" : "y", i + 1, generic ? "ctx" : "p");
    }
    (void)last;
    sb_printf(b, "    for (i = 0; i < %s; i++)\n", bound);
    hsum(e, b, "        y[i] += ", 'b', 0, t->b, s, "                 ");
}

/* The loop of _integrate.  A small state is copied into a local, which
 * nothing else can alias: it stays in registers from step to step, and
 * the parameters are read once, not after every store to y. */
static void integrate_body(const emitter *e, strbuf *b)
{
    int copy = e->f->dim <= EMIT_LOCAL_MAX;
    const char *state = copy ? "ylocal" : "y";
    if (copy)
        sb_printf(b, "    %s_real ylocal[%s_DIM];\n", e->prefix, e->upper);
    sb_puts(b, copy ? "    unsigned long i;\n    int k;\n\n" : "    unsigned long i;\n\n");
    if (copy)
        sb_printf(b, "    for (k = 0; k < %s_DIM; k++)\n        ylocal[k] = y[k];\n", e->upper);
    sb_printf(b, "    for (i = 0; i < nsteps; i++)\n        %s_advance(t0 + (%s_real)i * h, %s, h, p);\n",
              e->prefix, e->prefix, state);
    if (copy)
        sb_printf(b, "    for (k = 0; k < %s_DIM; k++)\n        y[k] = ylocal[k];\n", e->upper);
}

/* Spaces that align continued parameters under the first one. */
static void indent(char *buf, size_t size, const char *lead, const char *prefix, const char *fn)
{
    size_t n = strlen(lead) + strlen(prefix) + strlen(fn) + 1;
    if (n >= size)
        n = size - 1;
    memset(buf, ' ', n);
    buf[n] = '\0';
}

/* ---- the adaptive solver ---- */

/* The h * coefficient products of one attempt: every row's a_ij (but a
 * FSAL pair's last row, which is b), b and E = b - bhat. */
static void adaptive_products(const emitter *e, strbuf *b)
{
    const rk_tableau *t = e->t;
    int s = t->s;
    char name[64], coef[96];
    for (int i = 1; i < s - t->fsal; i++)
        for (int j = 0; j < i; j++)
            if (needs_macro(t->A[i * s + j])) {
                h_name(e, name, sizeof name, 'a', i, j);
                coef_name(e, coef, sizeof coef, 'A', i, j);
                sb_printf(b, "    const %s_real %s = h * %s;\n", e->prefix, name, coef);
            }
    for (int k = 0; k < 2; k++)
        for (int j = 0; j < s; j++) {
            double v = k ? t->b[j] - t->bhat[j] : t->b[j];
            if (!needs_macro(v))
                continue;
            h_name(e, name, sizeof name, k ? 'e' : 'b', 0, j);
            coef_name(e, coef, sizeof coef, k ? 'E' : 'B', j, 0);
            sb_printf(b, "    const %s_real %s = h * %s;\n", e->prefix, name, coef);
        }
    sb_puts(b, "\n");
}

/* Stage i (0-based, i >= 1) of an attempt, into k<i+1>. */
static void adaptive_stage(const emitter *e, strbuf *b, int i)
{
    const rk_tableau *t = e->t;
    int moved = row_nonzero(t, i);
    if (moved) {
        sb_printf(b, "    for (i = 0; i < %s_DIM; i++)\n", e->upper);
        hsum(e, b, "        ys[i] = y[i] + ", 'a', i, t->A + i * t->s, i, "                          ");
    }
    sb_printf(b, "    %s_f(", e->prefix);
    stage_time(e, b, i);
    sb_printf(b, ", %s, k%d, p);\n", moved ? "ys" : "y", i + 1);
}

/* dq[r] = sum_j (h P_jr) k_j, the step's coefficients of th^(r+1) in
 * the continuous extension, when the caller wants dense output. */
static void adaptive_dense(const emitter *e, strbuf *b)
{
    const rk_tableau *t = e->t;
    int s = t->s, deg = t->dense_degree;
    char name[64], coef[96], lhs[64];
    double col[RK_MAX_STAGES];
    sb_puts(b, "    if (dq) {\n");
    for (int r = 0; r < deg; r++)
        for (int j = 0; j < s; j++)
            if (needs_macro(t->dense[j * deg + r])) {
                h_name(e, name, sizeof name, 'd', r, j);
                coef_name(e, coef, sizeof coef, 'D', j, r);
                sb_printf(b, "        const %s_real %s = h * %s;\n", e->prefix, name, coef);
            }
    sb_printf(b, "\n        for (i = 0; i < %s_DIM; i++) {\n", e->upper);
    for (int r = 0; r < deg; r++) {
        int any = 0;
        for (int j = 0; j < s; j++)
            any |= (col[j] = t->dense[j * deg + r]) != 0;
        snprintf(lhs, sizeof lhs, "            dq[%d][i] = ", r);
        if (any)
            hsum(e, b, lhs, 'd', r, col, s, "                       ");
        else
            sb_printf(b, "%s0;\n", lhs);
    }
    sb_puts(b, "        }\n    }\n");
}

static void adaptive_attempt(const emitter *e, strbuf *b)
{
    const rk_tableau *t = e->t;
    int s = t->s, fsal = t->fsal;
    char ind[80];
    double ew[RK_MAX_STAGES];
    indent(ind, sizeof ind, "static void ", e->prefix, "_attempt");
    sb_printf(b, "static void %s_attempt(%s_real t, const %s_real y[%s_DIM], %s_real h, const %s_real k1[%s_DIM],\n"
                 "%s%s_real ynew[%s_DIM], %s_real yerr[%s_DIM], ",
              e->prefix, e->prefix, e->prefix, e->upper, e->prefix, e->prefix, e->upper,
              ind, e->prefix, e->upper, e->prefix, e->upper);
    if (fsal)
        sb_printf(b, "%s_real k%d[%s_DIM],\n%s", e->prefix, s, e->upper, ind);
    if (t->dense)
        sb_printf(b, "%s_real (*dq)[%s_DIM], ", e->prefix, e->upper);
    sb_printf(b, "const %s_params *p)\n{\n", e->prefix);
    for (int j = 1; j < s - fsal; j++)
        sb_printf(b, "    %s_real k%d[%s_DIM];\n", e->prefix, j + 1, e->upper);
    sb_printf(b, "    %s_real ys[%s_DIM];\n    int i;\n\n", e->prefix, e->upper);
    adaptive_products(e, b);
    for (int i = 1; i < s - fsal; i++)
        adaptive_stage(e, b, i);
    for (int j = 0; j < s; j++)
        ew[j] = t->b[j] - t->bhat[j];
    sb_printf(b, "    for (i = 0; i < %s_DIM; i++)%s\n", e->upper, fsal ? "" : " {");
    hsum(e, b, fsal ? "        ynew[i] = y[i] + " : "        ynew[i] = y[i] + ", 'b', 0, t->b, s,
         "                            ");
    if (fsal) {
        sb_printf(b, "    /* the last stage is the next step's first (FSAL) */\n    %s_f(t + h, ynew, k%d, p);\n",
                  e->prefix, s);
        sb_printf(b, "    for (i = 0; i < %s_DIM; i++)\n", e->upper);
    }
    hsum(e, b, "        yerr[i] = ", 'e', 0, ew, s, "                  ");
    if (!fsal)
        sb_puts(b, "    }\n");
    if (t->dense)
        adaptive_dense(e, b);
    sb_puts(b, "}\n");
}

static void define_const(const emitter *e, strbuf *b, const char *name, double v, const char *why)
{
    char dec[40], line[200];
    strbuf hex;
    sb_init(&hex);
    cp_hex(&hex, v, e->is_float);
    cp_decimal(dec, sizeof dec, v, e->is_float);
    snprintf(line, sizeof line, "#define %s_%s %s", e->upper, name, hex.s ? hex.s : "");
    sb_printf(b, "%-40s /* %s%s%s */\n", line, dec, why[0] ? ": " : "", why);
    sb_free(&hex);
}

static void adaptive_constants(const emitter *e, strbuf *b)
{
    int q = rk_adapt_order(e->t);
    define_const(e, b, "SAFETY", RK_ADAPT_SAFETY, "");
    define_const(e, b, "FACMIN", RK_ADAPT_FACMIN, "the step shrinks at most 5-fold");
    define_const(e, b, "FACMAX", RK_ADAPT_FACMAX, "and grows at most 10-fold");
    define_const(e, b, "BETA", RK_ADAPT_BETA, "the PI controller's beta");
    define_const(e, b, "EXPO", 1.0 / (q + 1) - 0.75 * RK_ADAPT_BETA, "1/(q+1) - 0.75 beta");
    define_const(e, b, "ERR_OLD_MIN", RK_ADAPT_ERR_OLD_MIN, "");
    /* the solver works with err^2, the mean square, and never takes its root */
    define_const(e, b, "HALF_EXPO", 0.5 * (1.0 / (q + 1) - 0.75 * RK_ADAPT_BETA), "EXPO/2");
    define_const(e, b, "HALF_BETA", 0.5 * RK_ADAPT_BETA, "BETA/2");
    define_const(e, b, "MS_OLD_MIN", RK_ADAPT_ERR_OLD_MIN * RK_ADAPT_ERR_OLD_MIN, "ERR_OLD_MIN^2");
    define_const(e, b, "INV_Q1", 1.0 / (q + 1), "1/(q+1)");
    define_const(e, b, "INIT_SMALL", RK_ADAPT_INIT_SMALL, "");
    define_const(e, b, "INIT_H", RK_ADAPT_INIT_H, "");
    define_const(e, b, "INIT_FRAC", RK_ADAPT_INIT_FRAC, "");
    define_const(e, b, "INIT_FLAT", RK_ADAPT_INIT_FLAT, "");
    define_const(e, b, "INIT_SHRINK", RK_ADAPT_INIT_SHRINK, "");
    define_const(e, b, "INIT_GROW", RK_ADAPT_INIT_GROW, "");
    define_const(e, b, "LN2_HI", RK_ADAPT_LN2_HI, "the controller's ln and exp: ln 2 in two parts");
    define_const(e, b, "LN2_LO", RK_ADAPT_LN2_LO, "");
    define_const(e, b, "LN2_32_HI", RK_ADAPT_LN2_32_HI, "ln(2)/32 in two parts");
    define_const(e, b, "LN2_32_LO", RK_ADAPT_LN2_32_LO, "");
    define_const(e, b, "INV_LN2_32", RK_ADAPT_INV_LN2_32, "32/ln 2");
    define_const(e, b, "SHIFTER", e->is_float ? RK_ADAPT_SHIFTERF : RK_ADAPT_SHIFTER,
                 "(x + SHIFTER) - SHIFTER rounds x to an integer");
    define_const(e, b, "TWO_64", 0x1p64, "2^64");
    define_const(e, b, "TWO_M64", 0x1p-64, "2^-64");
}

/* v[0..n) as hex literals of the real type: an initialiser's lines. */
static void hex_list(const emitter *e, strbuf *b, const double *v, int n)
{
    for (int i = 0; i < n; i++) {
        sb_puts(b, i % 4 ? " " : "\n        ");
        cp_hex(b, v[i], e->is_float);
        sb_puts(b, ",");
    }
    sb_puts(b, "\n    ");
}

/* The tables of the controller's ln and exp (adaptive.h), as many
 * terms as the real type needs. */
static void adaptive_tables(const emitter *e, strbuf *tab)
{
    hex_list(e, &tab[0], rk_adapt_ln_coef, e->is_float ? RK_ADAPT_LN_TERMSF : RK_ADAPT_LN_TERMS);
    hex_list(e, &tab[1], rk_adapt_exp_coef, 1 + (e->is_float ? RK_ADAPT_EXP_DEGREEF : RK_ADAPT_EXP_DEGREE));
    hex_list(e, &tab[2], rk_adapt_coarse, 3);
    hex_list(e, &tab[3], rk_adapt_coarse_inv, 3);
    hex_list(e, &tab[4], rk_adapt_two, 9);
    hex_list(e, &tab[5], rk_adapt_half, 9);
    hex_list(e, &tab[6], rk_adapt_pow2, 15);
    hex_list(e, &tab[7], rk_adapt_ln_inv, 64);
    hex_list(e, &tab[8], rk_adapt_ln_tab, 64);
    hex_list(e, &tab[9], rk_adapt_exp_tab, 32);
}

static void adaptive_calls(const emitter *e, strbuf *call, strbuf *slope)
{
    sb_printf(call, "%s_attempt(t, y, hc, k1, ynew, yerr, %s%sp);", e->prefix, e->t->fsal ? "knew, " : "",
              e->t->dense ? "out ? out->dq : 0, " : "");
    if (!e->t->fsal)
        sb_printf(slope, "        /* no FSAL: the slope at the new point costs an evaluation */\n"
                         "        %s_f(tnew, ynew, knew, p);\n        nfev++;\n", e->prefix);
}

/* The pieces of PREFIX_write and its calls: the pair's continuous
 * extension by Horner in th, or the Hermite cubic of y and f at both ends
 * (what the engine's OUTPUTS computes, term for term). */
static void adaptive_write(const emitter *e, const char *ind, strbuf *member, strbuf *params,
                           strbuf *point)
{
    const char *P = e->prefix, *U = e->upper;
    int deg = e->t->dense ? e->t->dense_degree : 0;
    if (!deg) {
        sb_printf(params, "%sconst %s_real y0[%s_DIM], const %s_real f0[%s_DIM],\n"
                          "%sconst %s_real y1[%s_DIM], const %s_real f1[%s_DIM]",
                  ind, P, U, P, U, ind, P, U, P, U);
        sb_printf(point, "            %s_real d = y1[i] - y0[i];\n"
                         "            yo[i] = h == 0 ? y0[i]\n"
                         "                  : (1 - th) * y0[i] + th * y1[i]\n"
                         "                    + th * (th - 1) * ((1 - 2 * th) * d + (th - 1) * h * f0[i] + th * h * f1[i]);\n",
                  P);
        return;
    }
    sb_printf(member, "    %s_real dq[%d][%s_DIM]; /* the step's th^1..th^%d coefficients */\n",
              P, deg, U, deg);
    sb_printf(params, "%sconst %s_real y0[%s_DIM], const %s_real y1[%s_DIM]", ind, P, U, P, U);
    /* at the step's end, the step's own state, as Hermite's gives */
    sb_puts(point, "            yo[i] = h == 0 ? y0[i] : out->tout[out->next] == tnew ? y1[i]\n"
                   "                  : y0[i] + th * ");
    for (int r = 0; r < deg; r++)
        sb_printf(point, r + 1 < deg ? "(out->dq[%d][i] + th * " : "out->dq[%d][i]", r);
    for (int r = 0; r + 1 < deg; r++)
        sb_puts(point, ")");
    sb_puts(point, ";\n");
}

/* ---- putting it together ---- */

static int fill(const emitter *e, const char *tpl_name, char **out, rk_error *err)
{
    char hash[24], dim[16], stages_s[16], nevals[16], order[32];
    char ind_rhs[80], ind_step[80], ind_int[80], ind_fn[80], ind_n[80], ind_f[80], ind_adv[80];
    char ind_solve[80], ind_opts[80], ind_dense[80], ind_norm[80], ind_rms[80], ind_init[80];
    char ind_write[80], ind_bad[80], ind_run[80], orders[32], q[8];
    strbuf coef, tab, params, rhs, step, stepn, integ, arrays, consts, attempt, call, slope;
    strbuf tabs[10], wmember, wparams, wpoint, text;
    char dense_note[128];
    snprintf(dense_note, sizeof dense_note, "the pair's own continuous extension, a polynomial\n"
             " * of degree %d in th, at no extra evaluation", e->t->dense_degree);
    int nsym = e->f->dim + e->f->nparam + e->f->nconst;
    char **sym = malloc(((size_t)nsym + 1) * sizeof *sym);
    if (!sym) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    cprint_names names = {sym, sym + e->f->dim, sym + e->f->dim + e->f->nparam, NULL, NULL, NULL};
    names_of(e->f->state, e->f->dim, sym);
    names_of(e->f->param, e->f->nparam, sym + e->f->dim);
    names_of(e->f->konst, e->f->nconst, sym + e->f->dim + e->f->nparam);
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)e->f->hash);
    snprintf(dim, sizeof dim, "%d", e->f->dim);
    snprintf(stages_s, sizeof stages_s, "%d", e->t->s);
    snprintf(nevals, sizeof nevals, "%d", e->nused);
    order[0] = '\0';
    if (e->t->order > 0)
        snprintf(order, sizeof order, ", classical order %d", e->t->order);
    indent(ind_rhs, sizeof ind_rhs, "void ", e->prefix, "_rhs");
    indent(ind_step, sizeof ind_step, "void ", e->prefix, "_step");
    indent(ind_int, sizeof ind_int, "void ", e->prefix, "_integrate");
    indent(ind_n, sizeof ind_n, "void ", e->prefix, "_step_n");
    indent(ind_f, sizeof ind_f, "static inline void ", e->prefix, "_f");
    indent(ind_adv, sizeof ind_adv, "static inline void ", e->prefix, "_advance");
    snprintf(ind_fn, sizeof ind_fn, "%*s", (int)(strlen("typedef void (*") + strlen(e->prefix) + strlen("_rhs_fn)(")), "");
    indent(ind_solve, sizeof ind_solve, "int ", e->prefix, "_solve");
    indent(ind_opts, sizeof ind_opts, "int ", e->prefix, "_solve_opts");
    indent(ind_dense, sizeof ind_dense, "int ", e->prefix, "_solve_dense");
    char lead[EMIT_PREFIX_MAX + 16];
    snprintf(lead, sizeof lead, "static %s_real ", e->prefix);
    indent(ind_norm, sizeof ind_norm, lead, e->prefix, "_norm");
    indent(ind_rms, sizeof ind_rms, lead, e->prefix, "_rms_scaled");
    indent(ind_init, sizeof ind_init, lead, e->prefix, "_initial_step");
    indent(ind_write, sizeof ind_write, "static void ", e->prefix, "_write");
    indent(ind_bad, sizeof ind_bad, "static int ", e->prefix, "_bad_args");
    indent(ind_run, sizeof ind_run, "static int ", e->prefix, "_run");
    snprintf(orders, sizeof orders, "%d(%d)", e->t->order, e->t->embedded_order);
    snprintf(q, sizeof q, "%d", e->adaptive ? rk_adapt_order(e->t) : 0);
    strbuf *bufs[] = {&coef, &tab, &params, &rhs, &step, &stepn, &integ, &arrays,
                      &consts, &attempt, &call, &slope, &tabs[0], &tabs[1], &tabs[2],
                      &tabs[3], &tabs[4], &tabs[5], &tabs[6], &tabs[7], &tabs[8], &tabs[9],
                      &wmember, &wparams, &wpoint, &text};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        sb_init(bufs[i]);
    coefficients(e, &coef);
    tableau_comment(e, &tab);
    params_struct(e, &params);
    rhs_body(e, &rhs, &names);
    if (e->adaptive) {
        adaptive_constants(e, &consts);
        adaptive_attempt(e, &attempt);
        adaptive_calls(e, &call, &slope);
        adaptive_tables(e, tabs);
        adaptive_write(e, ind_write, &wmember, &wparams, &wpoint);
    } else {
        stages(e, &step, 0);
        stages(e, &stepn, 1);
        integrate_body(e, &integ);
    }
    if (e->f->has_arrays)
        loops_macros(&arrays, e->f, e->upper);
    int libm = family_needs_libm(e->f);
    tpl_var vars[] = {
        {"prefix", e->prefix}, {"PREFIX", e->upper}, {"version", RKGEN_VERSION},
        {"family", e->f->name}, {"hash", hash}, {"tableau", e->t->name},
        {"stages", stages_s}, {"nevals", nevals}, {"order", order},
        {"real", e->is_float ? "float" : "double"}, {"dim", dim},
        {"tableau_comment", tab.s ? tab.s : ""},
        {"depends", libm ? "Needs <math.h> and libm (link with -lm); no allocation, no globals."
                         : "Depends on nothing: no libc, no libm, no allocation, no globals."},
        {"params_struct", params.s ? params.s : ""},
        {"includes", libm ? "\n#include <math.h>\n" : ""},
        {"coefficients", coef.s ? coef.s : ""},
        {"rhs_body", rhs.s ? rhs.s : ""}, {"step_body", step.s ? step.s : ""},
        {"stepn_body", stepn.s ? stepn.s : ""}, {"integrate_body", integ.s ? integ.s : ""},
        {"y", e->y}, {"dydt", e->dydt}, {"p", e->p},
        {"rhs_indent", ind_rhs}, {"step_indent", ind_step}, {"integrate_indent", ind_int},
        {"fn_indent", ind_fn}, {"stepn_indent", ind_n},
        {"f_indent", ind_f}, {"advance_indent", ind_adv},
        /* the loops of an array family read y[i + 1] while writing dydt[i]:
         * they never overlap there, and saying so lets the loops vectorise
         * without checks (heat2d: 1.15x -> 0.77x the hand-written loops) */
        {"restrict", e->f->has_arrays ? "restrict " : ""},
        {"arrays", arrays.s ? arrays.s : ""},
        {"constants", consts.s ? consts.s : ""}, {"attempt", attempt.s ? attempt.s : ""},
        {"attempt_call", call.s ? call.s : ""}, {"new_slope", slope.s ? slope.s : ""},
        {"orders", orders}, {"q", q},
        {"fsal_note", e->t->fsal ? ", first same as last" : ""},
        {"fabs", e->is_float ? "fabsf" : "fabs"}, {"sqrt", e->is_float ? "sqrtf" : "sqrt"},
        {"ln_coef", tabs[0].s ? tabs[0].s : ""}, {"exp_coef", tabs[1].s ? tabs[1].s : ""},
        {"ln_coarse", tabs[2].s ? tabs[2].s : ""}, {"ln_coarse_inv", tabs[3].s ? tabs[3].s : ""},
        {"ln_two", tabs[4].s ? tabs[4].s : ""}, {"ln_half", tabs[5].s ? tabs[5].s : ""},
        {"exp_pow2", tabs[6].s ? tabs[6].s : ""}, {"ln_inv", tabs[7].s ? tabs[7].s : ""},
        {"ln_tab", tabs[8].s ? tabs[8].s : ""}, {"exp_tab", tabs[9].s ? tabs[9].s : ""},
        {"exp_range", e->is_float ? "50" : "400"},
        {"dense_member", wmember.s ? wmember.s : ""}, {"write_params", wparams.s ? wparams.s : ""},
        {"write_point", wpoint.s ? wpoint.s : ""},
        {"write_first", e->t->dense ? ", y, y" : ", y, k1, y, k1"},
        {"write_step", e->t->dense ? ", y, ynew" : ", y, k1, ynew, knew"},
        {"dense_what", e->t->dense ? "the pair's continuous extension" : "the cubic Hermite interpolant"},
        {"dense_note", e->t->dense ? dense_note
                                   : "the cubic Hermite interpolant of y and f at both ends of each\n"
                                     " * step (the pair has no continuous extension of its own)"},
        {"nextafter", e->is_float ? "nextafterf" : "nextafter"},
        {"solve_indent", ind_solve}, {"opts_indent", ind_opts}, {"dense_indent", ind_dense},
        {"norm_indent", ind_norm}, {"rms_indent", ind_rms}, {"init_indent", ind_init},
        {"write_indent", ind_write}, {"bad_indent", ind_bad}, {"run_indent", ind_run},
    };
    const char *tpl = tpl_get(tpl_name);
    int r = -1;
    int oom = 0;
    for (size_t i = 0; i + 1 < sizeof bufs / sizeof *bufs; i++)
        oom |= sb_failed(bufs[i]);
    if (!tpl)
        rk_error_set(err, "internal error: template %s is missing", tpl_name);
    else if (oom)
        rk_error_set(err, "out of memory");
    else if (tpl_fill(&text, tpl, vars, (int)(sizeof vars / sizeof *vars), err) == 0 &&
             (*out = sb_take(&text)) != NULL)
        r = 0;
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        sb_free(bufs[i]);
    free(sym);
    return r;
}

static int emit_any(const rk_family *f, const rk_tableau *t, const emit_opts *o, int adaptive,
                    emit_result *out, rk_error *err);

int emit_stepper(const rk_family *f, const rk_tableau *t, const emit_opts *o,
                 emit_result *out, rk_error *err)
{
    return emit_any(f, t, o, 0, out, err);
}

/* What the solver relies on and tableau_validate does not demand. */
static int adaptive_ok(const rk_tableau *t, rk_error *err)
{
    int differ = 0;
    if (!t->bhat) {
        rk_error_set(err, "tableau %s has no embedded weights (bhat): --adaptive needs a pair "
                     "such as bs3, dopri5, tsit5, cashkarp or fehlberg45", t->name);
        return -1;
    }
    for (int j = 0; j < t->s; j++) {
        differ |= t->b[j] != t->bhat[j];
        if (!(t->c[j] >= 0 && t->c[j] <= 1)) {
            rk_error_set(err, "pair %s: c[%d] = %.17g is outside [0, 1], so a stage could "
                         "lie beyond the end time", t->name, j + 1, t->c[j]);
            return -1;
        }
    }
    if (!differ || rk_adapt_order(t) <= 0) {
        rk_error_set(err, "pair %s: %s", t->name, differ ? "neither order is stated"
                     : "bhat equals b, so the error estimate is zero");
        return -1;
    }
    return 0;
}

int emit_adaptive(const rk_family *f, const rk_tableau *t, const emit_opts *o,
                  emit_result *out, rk_error *err)
{
    out->h = out->c = NULL;
    if (adaptive_ok(t, err) != 0)
        return -1;
    return emit_any(f, t, o, 1, out, err);
}

/* The names every stepper of f uses, and whether they clash. */
static int emitter_names(emitter *e, const rk_family *f, const emit_opts *o, rk_error *err)
{
    e->f = f;
    e->is_float = o->is_float;
    e->prefix = o->prefix;
    if (!emit_prefix_ok(o->prefix)) {
        rk_error_set(err, "'%s' is not a valid C prefix: use a letter, then letters, digits or '_'", o->prefix);
        return -1;
    }
    for (size_t i = 0; o->prefix[i]; i++)
        e->upper[i] = (char)toupper((unsigned char)o->prefix[i]);
    free_name(f, "y", e->y, sizeof e->y);
    free_name(f, "dydt", e->dydt, sizeof e->dydt);
    free_name(f, "p", e->p, sizeof e->p);
    free_temp(f, "s", e->temp, sizeof e->temp);
    return check_names(e, err);
}

static int emit_any(const rk_family *f, const rk_tableau *t, const emit_opts *o, int adaptive,
                    emit_result *out, rk_error *err)
{
    emitter e;
    memset(&e, 0, sizeof e);
    e.t = t;
    e.adaptive = adaptive;
    e.nused = tableau_stages_used(t, e.used);
    out->h = out->c = NULL;
    if (emitter_names(&e, f, o, err) != 0)
        return -1;
    if (fill(&e, adaptive ? "adaptive.h.in" : "stepper.h.in", &out->h, err) != 0 ||
        fill(&e, adaptive ? "adaptive.c.in" : "stepper.c.in", &out->c, err) != 0) {
        emit_result_free(out);
        return -1;
    }
    return 0;
}

void emit_result_free(emit_result *r)
{
    free(r->h);
    free(r->c);
    r->h = r->c = NULL;
}

/* ---- the family's part, for steppers of another form ---- */

int emit_family_parts(const rk_family *f, const emit_opts *o, emit_family_text *out,
                      rk_error *err)
{
    emitter e;
    memset(&e, 0, sizeof e);
    memset(out, 0, sizeof *out);
    if (emitter_names(&e, f, o, err) != 0)
        return -1;
    int nsym = f->dim + f->nparam + f->nconst;
    char **sym = malloc(((size_t)nsym + 1) * sizeof *sym);
    strbuf params, rhs, arrays;
    sb_init(&params);
    sb_init(&rhs);
    sb_init(&arrays);
    if (sym) {
        cprint_names names = {sym, sym + f->dim, sym + f->dim + f->nparam, NULL, NULL, NULL};
        names_of(f->state, f->dim, sym);
        names_of(f->param, f->nparam, sym + f->dim);
        names_of(f->konst, f->nconst, sym + f->dim + f->nparam);
        params_struct(&e, &params);
        rhs_body(&e, &rhs, &names);
        if (f->has_arrays)
            loops_macros(&arrays, f, e.upper);
    }
    free(sym);
    memcpy(out->upper, e.upper, sizeof out->upper);
    memcpy(out->y, e.y, sizeof out->y);
    memcpy(out->dydt, e.dydt, sizeof out->dydt);
    memcpy(out->p, e.p, sizeof out->p);
    out->params_struct = sb_take(&params);
    out->rhs_body = sb_take(&rhs);
    out->arrays = f->has_arrays ? sb_take(&arrays) : NULL;
    sb_free(&arrays);
    if (!sym || !out->params_struct || !out->rhs_body || (f->has_arrays && !out->arrays)) {
        emit_family_text_free(out);
        rk_error_set(err, "out of memory");
        return -1;
    }
    return 0;
}

void emit_family_text_free(emit_family_text *t)
{
    free(t->params_struct);
    free(t->rhs_body);
    free(t->arrays);
    t->params_struct = t->rhs_body = t->arrays = NULL;
}
