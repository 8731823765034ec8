/* loops.c - the right-hand side of a family with state arrays (loops.h):
 * each array's index space cut into boxes where one rule applies and no
 * shifted index wraps inside, each box a peeled statement or a loop. */
#include "loops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CUTS 256

/* One box of an array's index space: [lo[d], hi[d]) in each dimension,
 * and the rule that gives its components. */
typedef struct box {
    const rk_family *f;
    const fam_rule *rule;
    int lo[2], hi[2];
    const loops_names *ln;
    const char *out; /* the derivative's pointer */
} box;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int floor_div(long a, long b)
{
    long q = a / b;
    return (int)(q - ((a % b != 0) && ((a < 0) != (b < 0))));
}

/* ---- where to cut ---- */

static void add_cut(int *cut, int *n, int v, int size)
{
    if (v > 0 && v < size && *n < MAX_CUTS)
        cut[(*n)++] = v;
}

/* The indices i of dimension d at which the rule's template, read at
 * i + off in an array of size S, changes how often it wraps. */
static void wrap_cuts(const rk_family *f, const fam_rule *ru, int d, int size, int *cut, int *n)
{
    int k = ru->var[d];
    char *seen = ex_reach(&f->pool, ru->root);
    if (!seen)
        return;
    for (int id = 0; id <= ru->root; id++) {
        const ex_node *nd = &f->pool.nodes[id];
        if (!seen[id] || nd->op != EX_ELEM)
            continue;
        const fam_array *ref = &f->array[nd->index];
        const ex_sub *sub = &f->pool.subs[nd->text];
        for (int e = 0; e < ref->rank; e++) {
            if (sub->var[e] != k)
                continue;
            int S = ref->size[e], o = sub->off[e];
            for (int m = floor_div(o, S) + 1; m * (long)S - o < size && *n < MAX_CUTS; m++)
                add_cut(cut, n, m * S - o, size);
        }
    }
    free(seen);
}

/* The cuts of dimension d of array a: 0, its size, every fixed index
 * (alone in its piece) and every wrap. */
static int cuts_of(const rk_family *f, int a, int d, int *cut)
{
    int size = f->array[a].size[d], n = 0;
    cut[n++] = 0;
    cut[n++] = size;
    for (int r = 0; r < f->nrule; r++) {
        const fam_rule *ru = &f->rule[r];
        if (ru->array != a)
            continue;
        if (ru->var[d] < 0) {
            add_cut(cut, &n, ru->fixed[d], size);
            add_cut(cut, &n, ru->fixed[d] + 1, size);
        } else {
            wrap_cuts(f, ru, d, size, cut, &n);
        }
    }
    qsort(cut, (size_t)n, sizeof *cut, cmp_int);
    int m = 0;
    for (int k = 0; k < n; k++)
        if (m == 0 || cut[k] != cut[m - 1])
            cut[m++] = cut[k];
    return m;
}

/* The rule with the most fixed indices that matches at[] (the parser
 * has made sure there is one, and only one). */
static const fam_rule *owner(const rk_family *f, int a, const int *at)
{
    const fam_rule *best = NULL;
    for (int r = 0; r < f->nrule; r++) {
        const fam_rule *ru = &f->rule[r];
        int match = ru->array == a;
        for (int d = 0; match && d < f->array[a].rank; d++)
            match = ru->var[d] >= 0 || ru->fixed[d] == at[d];
        if (match && (!best || ru->nfixed > best->nfixed))
            best = ru;
    }
    return best;
}

/* ---- printing a box ---- */

/* The dimension of the box's array that index k of its rule runs over. */
static int dim_of(const fam_rule *ru, int k)
{
    return ru->var[0] == k ? 0 : 1;
}

static int single(const box *bx, int d)
{
    return bx->hi[d] - bx->lo[d] == 1;
}

static void print_index(strbuf *out, const box *bx, int k, long off, int S)
{
    int d = dim_of(bx->rule, k);
    if (single(bx, d)) {
        long v = bx->lo[d] + off;
        sb_printf(out, "%ld", ((v % S) + S) % S);
        return;
    }
    /* constant over the box: no modulo */
    long o = off - (long)S * floor_div(bx->lo[d] + off, S);
    sb_puts(out, bx->rule->index[k]);
    if (o > 0)
        sb_printf(out, " + %ld", o);
    else if (o < 0)
        sb_printf(out, " - %ld", -o);
}

static void elem(void *ctx, strbuf *out, const ex_node *n)
{
    const box *bx = ctx;
    const fam_array *ref = &bx->f->array[n->index];
    const ex_sub *sub = &bx->f->pool.subs[n->text];
    sb_puts(out, ref->name);
    for (int e = 0; e < ref->rank; e++) {
        sb_puts(out, "[");
        if (sub->var[e] < 0)
            sb_printf(out, "%d", sub->off[e]);
        else
            print_index(out, bx, sub->var[e], sub->off[e], ref->size[e]);
        sb_puts(out, "]");
    }
}

static void index_value(void *ctx, strbuf *out, int k)
{
    const box *bx = ctx;
    int d = dim_of(bx->rule, k);
    if (single(bx, d))
        cp_literal(out, (double)bx->lo[d], bx->ln->is_float);
    else
        sb_printf(out, "(%s_real)%s", bx->ln->prefix, bx->rule->index[k]);
}

/* A box: its loops, then the rule's statement, with a temporary for a
 * subexpression used twice (the braces then hold the temporaries). */
static void print_box(strbuf *b, const box *bx, const cprint_names *names, int *ntemps)
{
    const fam_array *arr = &bx->f->array[bx->rule->array];
    cprint_names nm = *names;
    nm.elem = elem;
    nm.index = index_value;
    nm.ctx = (void *)bx;
    int depth = 1, loops = 0;
    for (int d = 0; d < arr->rank; d++)
        loops += !single(bx, d);
    strbuf lhs, body;
    sb_init(&lhs);
    sb_init(&body);
    sb_puts(&lhs, bx->out);
    for (int d = 0; d < arr->rank; d++) {
        if (single(bx, d) || bx->rule->var[d] < 0)
            sb_printf(&lhs, "[%d]", bx->lo[d]);
        else
            sb_printf(&lhs, "[%s]", bx->rule->index[bx->rule->var[d]]);
    }
    char indent[64], real[80];
    snprintf(indent, sizeof indent, "%*s", 4 * (1 + loops), "");
    snprintf(real, sizeof real, "%s_real", bx->ln->prefix);
    cp_block blk = {real, indent, bx->ln->temp, *ntemps, bx->ln->is_float};
    const char *lhs_text = lhs.s ? lhs.s : "";
    cp_block_print(&body, &bx->f->pool, &nm, &blk, &bx->rule->root, &lhs_text, 1);
    int braces = loops && blk.ntemps > *ntemps;
    for (int d = 0, k = 0; d < arr->rank; d++) {
        if (single(bx, d))
            continue;
        const char *i = bx->rule->index[bx->rule->var[d]];
        sb_printf(b, "%*sfor (int %s = %d; %s < %d; %s++)%s\n", 4 * depth, "", i, bx->lo[d], i, bx->hi[d], i,
                  braces && ++k == loops ? " {" : "");
        depth++;
    }
    sb_puts(b, body.s ? body.s : "");
    if (braces)
        sb_printf(b, "%*s}\n", 4 * (depth - 1), "");
    *ntemps = blk.ntemps;
    sb_free(&lhs);
    sb_free(&body);
}

static void array_rhs(strbuf *b, const rk_family *f, int a, const char *out, const loops_names *ln,
                      const cprint_names *names, int *ntemps)
{
    const fam_array *arr = &f->array[a];
    int cut[2][MAX_CUTS + 2], n[2] = {2, 2};
    cut[1][0] = 0;
    cut[1][1] = 1;
    for (int d = 0; d < arr->rank; d++)
        n[d] = cuts_of(f, a, d, cut[d]);
    for (int p = 0; p + 1 < n[0]; p++)
        for (int q = 0; q + 1 < n[1]; q++) {
            box bx = {f, NULL, {cut[0][p], cut[1][q]}, {cut[0][p + 1], cut[1][q + 1]}, ln, out};
            bx.rule = owner(f, a, bx.lo);
            if (bx.rule)
                print_box(b, &bx, names, ntemps);
        }
}

/* ---- declarations ---- */

static int name_taken(const rk_family *f, const loops_names *ln, const char *s)
{
    return strcmp(s, ln->y) == 0 || strcmp(s, ln->dydt) == 0 || strcmp(s, "t") == 0 ||
           strcmp(s, "p") == 0 || family_has_name(f, s);
}

/* d<name>, or with underscores until no name of the family is it */
static void out_name(const rk_family *f, const loops_names *ln, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "d%s", name);
    while (name_taken(f, ln, buf) && strlen(buf) + 1 < size)
        strcat(buf, "_");
}

/* reads[c]: the right-hand side reads component c (a scalar then needs
 * a local, an array a pointer). */
static char *loops_reads(const rk_family *f)
{
    char *reads = calloc((size_t)f->dim + 1, 1);
    for (int i = 0; reads && i < f->rhs.n; i++)
        if (f->rhs.code[i].op == EX_STATE)
            reads[f->rhs.code[i].index] = 1;
    return reads;
}

static int array_read(const fam_array *arr, const char *reads)
{
    int n = arr->size[0] * (arr->rank > 1 ? arr->size[1] : 1);
    for (int c = 0; c < n; c++)
        if (reads[arr->offset + c])
            return 1;
    return 0;
}

static void declare(strbuf *b, const fam_array *arr, const loops_names *ln, const char *qual,
                    const char *name, const char *base)
{
    if (arr->rank == 1)
        sb_printf(b, "    %s%s_real *%s = %s + %d;\n", qual, ln->prefix, name, base, arr->offset);
    else
        sb_printf(b, "    %s%s_real (*%s)[%d] = (%s%s_real (*)[%d])(%s + %d);\n", qual, ln->prefix, name,
                  arr->size[1], qual, ln->prefix, arr->size[1], base, arr->offset);
}

void loops_rhs(strbuf *b, const rk_family *f, const loops_names *ln, const cprint_names *names)
{
    char *reads = loops_reads(f);
    char (*out)[80] = calloc((size_t)f->narray + 1, sizeof *out);
    if (!reads || !out) {
        free(reads);
        free(out);
        return;
    }
    for (int a = 0; a < f->narray; a++) {
        const fam_array *arr = &f->array[a];
        if (arr->rank == 0) {
            if (reads[arr->offset])
                sb_printf(b, "    const %s_real %s = %s[%d];\n", ln->prefix, arr->name, ln->y, arr->offset);
            continue;
        }
        if (array_read(arr, reads))
            declare(b, arr, ln, "const ", arr->name, ln->y);
        out_name(f, ln, arr->name, out[a], sizeof out[a]);
        declare(b, arr, ln, "", out[a], ln->dydt);
    }
    sb_puts(b, "\n");
    int ntemps = 0;
    for (int a = 0; a < f->narray; a++) {
        const fam_array *arr = &f->array[a];
        if (arr->rank > 0) {
            array_rhs(b, f, a, out[a], ln, names, &ntemps);
            continue;
        }
        sb_printf(b, "    %s[%d] = ", ln->dydt, arr->offset);
        cp_expr(b, &f->pool, names, ln->is_float, f->state[arr->offset].root);
        sb_puts(b, ";\n");
    }
    free(reads);
    free(out);
}

static void upper(char *out, size_t size, const char *s)
{
    size_t k = 0;
    for (; s[k] && k + 1 < size; k++)
        out[k] = (char)(s[k] >= 'a' && s[k] <= 'z' ? s[k] - 'a' + 'A' : s[k]);
    out[k] = '\0';
}

void loops_macros(strbuf *b, const rk_family *f, const char *upper_prefix)
{
    sb_puts(b, "\n/* Where each state lies in y[] (arrays row-major).  The loops of the\n"
               " * right-hand side read y while they write dydt: the two of _rhs must\n"
               " * not overlap. */\n");
    for (int a = 0; a < f->narray; a++) {
        const fam_array *arr = &f->array[a];
        char name[80];
        upper(name, sizeof name, arr->name);
        sb_printf(b, "#define %s_%s_OFFSET %d\n", upper_prefix, name, arr->offset);
        if (arr->rank == 1)
            sb_printf(b, "#define %s_%s_N %d\n", upper_prefix, name, arr->size[0]);
        if (arr->rank == 2)
            sb_printf(b, "#define %s_%s_ROWS %d\n#define %s_%s_COLS %d\n", upper_prefix, name, arr->size[0],
                      upper_prefix, name, arr->size[1]);
    }
}
