/* batch.c - the tape walked once per batch of members, each instruction
 * looping over them, with tangents for the exact Jacobian. */
#include "batch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int is_leaf(const ex_node *c)
{
    return c->op == EX_STATE || c->op == EX_PARAM || c->op == EX_TIME;
}

/* Rows for the instructions: an instruction's row is free again after
 * its last reader, but not for that reader itself, whose tangents still
 * read the children's values after its value is written. */
static int assign_rows(batch_eval *b)
{
    const ex_tape *tp = b->tp;
    int n = tp->n, top = 0, nfree = 0;
    int *last = malloc(((size_t)n + 1) * sizeof *last), *spare = malloc(((size_t)n + 1) * sizeof *spare);
    if (!last || !spare) {
        free(last);
        free(spare);
        return -1;
    }
    for (int k = 0; k < n; k++) {
        const ex_node *c = &tp->code[k];
        last[k] = k;
        if (c->a >= 0)
            last[c->a] = k;
        if (c->b >= 0)
            last[c->b] = k;
    }
    for (int k = 0; k < n; k++) {
        const ex_node *c = &tp->code[k];
        b->row[k] = is_leaf(c) ? -1 : nfree > 0 ? spare[--nfree] : top++;
        /* children read here for the last time: their rows are free from the next */
        int kids[2] = {c->a, c->b};
        for (int j = 0; j < 2; j++)
            if (kids[j] >= 0 && last[kids[j]] == k && b->row[kids[j]] >= 0 && (j == 0 || kids[1] != kids[0]))
                spare[nfree++] = b->row[kids[j]];
        /* unread (an output is copied out at once) */
        if (last[k] == k && b->row[k] >= 0)
            spare[nfree++] = b->row[k];
    }
    b->nrow = top;
    free(last);
    free(spare);
    return 0;
}

static int plan(batch_eval *b)
{
    const ex_tape *tp = b->tp;
    for (int k = 0; k < tp->n; k++)
        b->out_first[k] = -1;
    for (int r = tp->nout - 1; r >= 0; r--) {
        b->out_next[r] = b->out_first[tp->out[r]];
        b->out_first[tp->out[r]] = r;
    }
    for (int i = 0; i < tp->n; i++) {
        const ex_node *c = &tp->code[i];
        b->live[i] = c->op == EX_STATE || c->op == EX_TIME ||
                     (c->a >= 0 && b->live[c->a]) || (c->b >= 0 && b->live[c->b]);
    }
    return assign_rows(b);
}

int batch_init(batch_eval *b, const ex_tape *tp, int dim, int n, int P)
{
    size_t N = (size_t)n, T = (size_t)tp->n;
    memset(b, 0, sizeof *b);
    b->tp = tp;
    b->n = n;
    b->P = P;
    b->dim = dim;
    b->row = malloc((T + 1) * sizeof *b->row);
    b->out_first = malloc((T + 1) * sizeof *b->out_first);
    b->out_next = malloc(((size_t)tp->nout + 1) * sizeof *b->out_next);
    b->live = calloc(T + 1, 1);
    b->zero = calloc(N + 1, sizeof *b->zero);
    if (!b->row || !b->out_first || !b->out_next || !b->live || !b->zero || plan(b) != 0) {
        batch_free(b);
        return -1;
    }
    b->v = malloc((size_t)b->nrow * N * sizeof *b->v + 1);
    b->dv = malloc((size_t)b->nrow * (size_t)P * N * sizeof *b->dv + 1);
    if (!b->v || !b->dv) {
        batch_free(b);
        return -1;
    }
    return 0;
}

void batch_free(batch_eval *b)
{
    free(b->v);
    free(b->dv);
    free(b->row);
    free(b->out_first);
    free(b->out_next);
    free(b->live);
    free(b->zero);
    memset(b, 0, sizeof *b);
}

/* The values of instruction k, where they are. */
static const double *val(const batch_eval *b, int k)
{
    const ex_node *c = &b->tp->code[k];
    size_t n = (size_t)b->n;
    switch (c->op) {
    case EX_STATE: return b->y + (size_t)c->index * n;
    case EX_PARAM: return b->p + (size_t)c->index * n;
    case EX_TIME: return b->t;
    default: return b->v + (size_t)b->row[k] * n;
    }
}

/* Its tangent j: zero for a constant. */
static const double *dval(const batch_eval *b, int k, size_t j)
{
    const ex_node *c = &b->tp->code[k];
    size_t n = (size_t)b->n, P = (size_t)b->P;
    if (!b->live[k])
        return b->zero;
    if (c->op == EX_STATE)
        return b->dy + ((size_t)c->index * P + j) * n;
    if (c->op == EX_TIME)
        return b->dt ? b->dt + j * n : b->zero;
    return b->dv + ((size_t)b->row[k] * P + j) * n;
}

static double *dout(const batch_eval *b, int k, size_t j)
{
    return b->dv + ((size_t)b->row[k] * (size_t)b->P + j) * (size_t)b->n;
}

static double powi(double x, int k)
{
    unsigned n = k < 0 ? 0u - (unsigned)k : (unsigned)k;
    if (n == 0)
        return 1;
    double r = x;
    for (unsigned j = 1; j < n; j++)
        r = r * x;
    return k < 0 ? 1 / r : r;
}

/* One instruction's values over the first m samples; the switch is
 * outside the loop so that each case is a plain vector loop. */
static void values(const ex_node *c, const double *x, const double *z, int m, double *v)
{
    int i;
    switch (c->op) {
    case EX_NUM: for (i = 0; i < m; i++) v[i] = c->num; break;
    case EX_NEG: for (i = 0; i < m; i++) v[i] = -x[i]; break;
    case EX_ADD: for (i = 0; i < m; i++) v[i] = x[i] + z[i]; break;
    case EX_SUB: for (i = 0; i < m; i++) v[i] = x[i] - z[i]; break;
    case EX_MUL: for (i = 0; i < m; i++) v[i] = x[i] * z[i]; break;
    case EX_DIV: for (i = 0; i < m; i++) v[i] = x[i] / z[i]; break;
    case EX_POWI: for (i = 0; i < m; i++) v[i] = powi(x[i], c->index); break;
    case EX_POW: for (i = 0; i < m; i++) v[i] = pow(x[i], z[i]); break;
    case EX_SIN: for (i = 0; i < m; i++) v[i] = sin(x[i]); break;
    case EX_COS: for (i = 0; i < m; i++) v[i] = cos(x[i]); break;
    case EX_TAN: for (i = 0; i < m; i++) v[i] = tan(x[i]); break;
    case EX_ASIN: for (i = 0; i < m; i++) v[i] = asin(x[i]); break;
    case EX_ACOS: for (i = 0; i < m; i++) v[i] = acos(x[i]); break;
    case EX_ATAN: for (i = 0; i < m; i++) v[i] = atan(x[i]); break;
    case EX_SINH: for (i = 0; i < m; i++) v[i] = sinh(x[i]); break;
    case EX_COSH: for (i = 0; i < m; i++) v[i] = cosh(x[i]); break;
    case EX_TANH: for (i = 0; i < m; i++) v[i] = tanh(x[i]); break;
    case EX_EXP: for (i = 0; i < m; i++) v[i] = exp(x[i]); break;
    case EX_LOG: for (i = 0; i < m; i++) v[i] = log(x[i]); break;
    case EX_SQRT: for (i = 0; i < m; i++) v[i] = sqrt(x[i]); break;
    default: for (i = 0; i < m; i++) v[i] = NAN; break;
    }
}

/* d(value)/d(a) for one-argument operations, from the argument x and
 * the value v. */
static double slope(const ex_node *c, double x, double v)
{
    switch (c->op) {
    case EX_NEG: return -1;
    case EX_POWI: return c->index == 0 ? 0 : c->index * powi(x, c->index - 1);
    case EX_SIN: return cos(x);
    case EX_COS: return -sin(x);
    case EX_TAN: return 1 + v * v;
    case EX_ASIN: return 1 / sqrt(1 - x * x);
    case EX_ACOS: return -1 / sqrt(1 - x * x);
    case EX_ATAN: return 1 / (1 + x * x);
    case EX_SINH: return cosh(x);
    case EX_COSH: return sinh(x);
    case EX_TANH: return 1 - v * v;
    case EX_EXP: return v;
    case EX_LOG: return 1 / x;
    case EX_SQRT: return 0.5 / v;
    default: return NAN;
    }
}

static void tangents_binary(const batch_eval *b, int k, int m)
{
    const ex_node *c = &b->tp->code[k];
    const double *x = val(b, c->a), *z = val(b, c->b), *v = val(b, k);
    for (size_t j = 0; j < (size_t)b->P; j++) {
        double *d = dout(b, k, j);
        const double *da = dval(b, c->a, j), *db = dval(b, c->b, j);
        int i;
        /* the switch outside the loop: each case is a plain vector loop */
        switch (c->op) {
        case EX_ADD: for (i = 0; i < m; i++) d[i] = da[i] + db[i]; break;
        case EX_SUB: for (i = 0; i < m; i++) d[i] = da[i] - db[i]; break;
        case EX_MUL: for (i = 0; i < m; i++) d[i] = da[i] * z[i] + x[i] * db[i]; break;
        case EX_DIV: for (i = 0; i < m; i++) d[i] = (da[i] - v[i] * db[i]) / z[i]; break;
        default: /* EX_POW */
            for (i = 0; i < m; i++)
                d[i] = (da[i] != 0 ? z[i] * pow(x[i], z[i] - 1) * da[i] : 0) +
                       (db[i] != 0 ? v[i] * log(x[i]) * db[i] : 0);
            break;
        }
    }
}

static void tangents(const batch_eval *b, int k, int m)
{
    const ex_node *c = &b->tp->code[k];
    if (c->b >= 0) {
        tangents_binary(b, k, m);
        return;
    }
    const double *x = val(b, c->a), *v = val(b, k);
    double *g = dout(b, k, 0); /* first tangent row holds the slope */
    for (int i = 0; i < m; i++)
        g[i] = slope(c, x[i], v[i]);
    for (size_t j = (size_t)b->P; j-- > 0;) {
        double *d = dout(b, k, j);
        const double *da = dval(b, c->a, j);
        for (int i = 0; i < m; i++)
            d[i] = g[i] * da[i];
    }
}

/* Output r (instruction k) into F and dF. */
static void emit(const batch_eval *b, int k, int r, int m, double *F, double *dF)
{
    size_t n = (size_t)b->n, P = (size_t)b->P;
    memcpy(F + (size_t)r * n, val(b, k), (size_t)m * sizeof *F);
    for (size_t j = 0; dF && j < P; j++)
        memcpy(dF + ((size_t)r * P + j) * n, dval(b, k, j), (size_t)m * sizeof *dF);
}

void batch_rhs(batch_eval *b, int m, const double *t, const double *dt,
               const double *y, const double *dy, const double *p, double *F,
               double *dF)
{
    const ex_tape *tp = b->tp;
    int want = dy && dF && b->P > 0;
    b->t = t;
    b->dt = dt;
    b->y = y;
    b->dy = dy;
    b->p = p;
    for (int k = 0; k < tp->n; k++) {
        const ex_node *c = &tp->code[k];
        if (!is_leaf(c)) {
            values(c, c->a >= 0 ? val(b, c->a) : NULL, c->b >= 0 ? val(b, c->b) : NULL, m,
                   b->v + (size_t)b->row[k] * (size_t)b->n);
            if (want && b->live[k])
                tangents(b, k, m);
        }
        /* at once, while its row is in the cache and before it is reused */
        for (int r = b->out_first[k]; r >= 0; r = b->out_next[r])
            emit(b, k, r, m, F, want ? dF : NULL);
    }
}
