/* batch.c - the tape walked once per batch of members, each instruction
 * looping over them, with tangents for the exact Jacobian. */
#include "batch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int batch_init(batch_eval *b, const ex_tape *tp, int dim, int n, int P)
{
    size_t N = (size_t)n, T = (size_t)tp->n;
    memset(b, 0, sizeof *b);
    b->tp = tp;
    b->n = n;
    b->P = P;
    b->dim = dim;
    b->v = malloc(T * N * sizeof *b->v + 1);
    b->dv = malloc(T * (size_t)P * N * sizeof *b->dv + 1);
    b->live = calloc(T + 1, 1);
    b->zero = calloc(N + 1, sizeof *b->zero);
    if (!b->v || !b->dv || !b->live || !b->zero) {
        batch_free(b);
        return -1;
    }
    for (int i = 0; i < tp->n; i++) {
        const ex_node *c = &tp->code[i];
        b->live[i] = c->op == EX_STATE || c->op == EX_TIME ||
                     (c->a >= 0 && b->live[c->a]) || (c->b >= 0 && b->live[c->b]);
    }
    return 0;
}

void batch_free(batch_eval *b)
{
    free(b->v);
    free(b->dv);
    free(b->live);
    free(b->zero);
    memset(b, 0, sizeof *b);
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
static void values(const ex_node *c, const double *x, const double *z, const double *t,
                   const double *y, const double *p, size_t n, int m, double *v)
{
    int i;
    switch (c->op) {
    case EX_NUM: for (i = 0; i < m; i++) v[i] = c->num; break;
    case EX_TIME: for (i = 0; i < m; i++) v[i] = t[i]; break;
    case EX_STATE: memcpy(v, y + (size_t)c->index * n, (size_t)m * sizeof *v); break;
    case EX_PARAM: memcpy(v, p + (size_t)c->index * n, (size_t)m * sizeof *v); break;
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
    size_t n = (size_t)b->n, P = (size_t)b->P;
    const double *x = b->v + (size_t)c->a * n, *z = b->v + (size_t)c->b * n, *v = b->v + (size_t)k * n;
    int la = b->live[c->a], lb = b->live[c->b];
    for (size_t j = 0; j < P; j++) {
        double *d = b->dv + ((size_t)k * P + j) * n;
        /* a child that is constant has the zero tangent */
        const double *da = la ? b->dv + ((size_t)c->a * P + j) * n : b->zero;
        const double *db = lb ? b->dv + ((size_t)c->b * P + j) * n : b->zero;
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

static void tangents(const batch_eval *b, int k, int m, const double *dt, const double *dy)
{
    const ex_node *c = &b->tp->code[k];
    size_t n = (size_t)b->n, P = (size_t)b->P;
    if (c->op == EX_STATE || c->op == EX_TIME) {
        for (size_t j = 0; j < P; j++) {
            double *d = b->dv + ((size_t)k * P + j) * n;
            const double *src = c->op == EX_STATE ? dy + ((size_t)c->index * P + j) * n
                                                  : (dt ? dt + j * n : NULL);
            for (int i = 0; i < m; i++)
                d[i] = src ? src[i] : 0;
        }
        return;
    }
    if (c->b >= 0) {
        tangents_binary(b, k, m);
        return;
    }
    const double *x = b->v + (size_t)c->a * n, *v = b->v + (size_t)k * n;
    double *g = b->dv + (size_t)k * P * n; /* first tangent row holds the slope */
    for (int i = 0; i < m; i++)
        g[i] = slope(c, x[i], v[i]);
    for (size_t j = P; j-- > 0;) {
        double *d = b->dv + ((size_t)k * P + j) * n;
        const double *da = b->dv + ((size_t)c->a * P + j) * n;
        for (int i = 0; i < m; i++)
            d[i] = g[i] * da[i];
    }
}

void batch_rhs(batch_eval *b, int m, const double *t, const double *dt,
               const double *y, const double *dy, const double *p, double *F,
               double *dF)
{
    const ex_tape *tp = b->tp;
    size_t n = (size_t)b->n, P = (size_t)b->P;
    int want = dy && dF && P > 0;
    for (int k = 0; k < tp->n; k++) {
        const ex_node *c = &tp->code[k];
        const double *a = c->a >= 0 ? b->v + (size_t)c->a * n : NULL;
        const double *bb = c->b >= 0 ? b->v + (size_t)c->b * n : NULL;
        values(c, a, bb, t, y, p, n, m, b->v + (size_t)k * n);
        if (want && b->live[k])
            tangents(b, k, m, dt, dy);
    }
    for (int r = 0; r < tp->nout; r++) {
        int s = tp->out[r];
        memcpy(F + (size_t)r * n, b->v + (size_t)s * n, (size_t)m * sizeof *F);
        for (size_t j = 0; want && j < P; j++) {
            double *d = dF + ((size_t)r * P + j) * n;
            if (b->live[s])
                memcpy(d, b->dv + ((size_t)s * P + j) * n, (size_t)m * sizeof *d);
            else
                memset(d, 0, (size_t)m * sizeof *d);
        }
    }
}
