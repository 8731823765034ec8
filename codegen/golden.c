/* golden.c - golden trajectories (golden.h): drawn, rendered through the
 * compiled stepper, parsed back, and compared line by line. */
#include "golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static int golden_alloc(golden *g, int n, int dim, int nparam)
{
    g->n = n;
    g->dim = dim;
    g->nparam = nparam;
    g->p = calloc((size_t)n * (size_t)nparam + 1, sizeof *g->p);
    g->y0 = calloc((size_t)n * (size_t)dim + 1, sizeof *g->y0);
    g->h = calloc((size_t)n + 1, sizeof *g->h);
    return g->p && g->y0 && g->h ? 0 : -1;
}

void golden_free(golden *g)
{
    free(g->p);
    free(g->y0);
    free(g->h);
    g->p = g->y0 = g->h = NULL;
}

/* A float stepper takes floats: store the values it will really see. */
static double as_real(double v, int is_float)
{
    return is_float ? (double)(float)v : v;
}

int golden_draw(const rk_family *f, const char *prefix, int is_float,
                const golden_opts *o, golden *g, rk_error *err)
{
    rk_rng rng;
    memset(g, 0, sizeof *g);
    if (f->dim > 64 || f->nparam > 64 || o->members < 1 || o->members > GOLDEN_MAX_MEMBERS ||
        o->steps > GOLDEN_MAX_STEPS) {
        rk_error_set(err, "golden trajectories take 1 to %d members, at most %lu steps, and families "
                     "of up to 64 states and parameters", GOLDEN_MAX_MEMBERS, GOLDEN_MAX_STEPS);
        return -1;
    }
    snprintf(g->prefix, sizeof g->prefix, "%s", prefix);
    g->is_float = is_float;
    g->steps = o->steps;
    g->every = o->every ? o->every : 1;
    if (golden_alloc(g, o->members, f->dim, f->nparam) != 0) {
        golden_free(g);
        rk_error_set(err, "out of memory");
        return -1;
    }
    rng_seed(&rng, o->seed);
    for (int m = 0; m < g->n; m++) {
        double *p = g->p + m * f->nparam, *y0 = g->y0 + m * f->dim;
        family_sample(f, &rng, p, y0, &g->h[m]);
        for (int i = 0; i < f->nparam; i++)
            p[i] = as_real(p[i], is_float);
        for (int i = 0; i < f->dim; i++)
            y0[i] = as_real(y0[i], is_float);
        g->h[m] = as_real(g->h[m], is_float);
    }
    return 0;
}

/* ---- running and writing ---- */

static void put_state(strbuf *b, unsigned long k, const double *y, const float *yf, int dim)
{
    sb_printf(b, "at %lu", k);
    for (int i = 0; i < dim; i++)
        sb_printf(b, " %a", yf ? (double)yf[i] : y[i]);
    sb_puts(b, "\n");
}

/* Step k starts at t = k*h, as prefix_integrate computes it from t0 = 0. */
static void run_member(const golden *g, int m, const jit_stepper *js, strbuf *b)
{
    double y[64], p[64], h = g->h[m];
    float yf[64], pf[64], hf = (float)h;
    int d = g->dim, np = g->nparam;
    for (int i = 0; i < np; i++)
        pf[i] = (float)(p[i] = g->p[m * np + i]);
    for (int i = 0; i < d; i++)
        yf[i] = (float)(y[i] = g->y0[m * d + i]);
    for (unsigned long k = 0;; k++) {
        if (k % g->every == 0 || k == g->steps)
            put_state(b, k, y, g->is_float ? yf : NULL, d);
        if (k == g->steps)
            break;
        if (g->is_float)
            js->stepf((float)k * hf, yf, hf, pf);
        else
            js->step((double)k * h, y, h, p);
    }
}

char *golden_render(const rk_family *f, const golden *g, const jit_stepper *js)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "# rkgen golden trajectories: states of a generated stepper, bit for bit.\n"
                "# Each member starts at t = 0 and takes steps of h; 'at K' is the state\n"
                "# after K steps, as hex floats.  Written by rkgen regress --write-golden.\n");
    sb_printf(&b, "stepper %s %s\nsteps %lu every %lu\n", g->prefix, g->is_float ? "float" : "double",
              g->steps, g->every);
    for (int m = 0; m < g->n; m++) {
        sb_printf(&b, "member %d\n", m + 1);
        for (int i = 0; i < f->nparam; i++)
            sb_printf(&b, "param %s %a\n", f->param[i].name, g->p[m * f->nparam + i]);
        for (int i = 0; i < f->dim; i++)
            sb_printf(&b, "init %s %a\n", f->state[i].name, g->y0[m * f->dim + i]);
        sb_printf(&b, "h %a\n", g->h[m]);
        run_member(g, m, js, &b);
    }
    return sb_take(&b);
}

/* ---- reading ---- */

/* Lines without comments or blanks, one at a time. */
typedef struct line_reader {
    const char *p, *file;
    int no;
    char buf[4096];
} line_reader;

static const char *next_line(line_reader *r)
{
    while (r->p && *r->p) {
        const char *eol = strchr(r->p, '\n');
        size_t n = eol ? (size_t)(eol - r->p) : strlen(r->p);
        r->no++;
        snprintf(r->buf, sizeof r->buf, "%.*s", (int)n, r->p);
        r->p = eol ? eol + 1 : NULL;
        if (r->buf[0] != '#' && r->buf[0] != '\0')
            return r->buf;
    }
    return NULL;
}

static int bad(line_reader *r, rk_error *err, const char *what)
{
    rk_error_set(err, "%s:%d: %s", r->file, r->no, what);
    return -1;
}

/* "KEY NAME VALUE" with NAME as the family calls it. */
static int named_value(line_reader *r, const char *key, const char *name, double *v, rk_error *err)
{
    char k[16], n[128], val[64], *end;
    const char *l = next_line(r);
    if (!l || sscanf(l, "%15s %127s %63s", k, n, val) != 3 || strcmp(k, key) != 0)
        return bad(r, err, key[0] == 'p' ? "expected 'param NAME VALUE'" : "expected 'init NAME VALUE'");
    if (strcmp(n, name) != 0) {
        rk_error_set(err, "%s:%d: '%s' where the family has '%s' (a golden file for another family?)",
                     r->file, r->no, n, name);
        return -1;
    }
    *v = strtod(val, &end);
    return *end ? bad(r, err, "not a number") : 0;
}

static int read_member(const rk_family *f, line_reader *r, golden *g, int m, rk_error *err)
{
    int no;
    char val[64], *end;
    const char *l = next_line(r);
    while (l && strncmp(l, "at ", 3) == 0) /* the states are compared, not read */
        l = next_line(r);
    if (!l || sscanf(l, "member %d", &no) != 1 || no != m + 1)
        return bad(r, err, "expected 'member N', numbered from 1");
    for (int i = 0; i < f->nparam; i++)
        if (named_value(r, "param", f->param[i].name, &g->p[m * f->nparam + i], err) != 0)
            return -1;
    for (int i = 0; i < f->dim; i++)
        if (named_value(r, "init", f->state[i].name, &g->y0[m * f->dim + i], err) != 0)
            return -1;
    l = next_line(r);
    if (!l || sscanf(l, "h %63s", val) != 1 || !((g->h[m] = strtod(val, &end)) > 0) || *end)
        return bad(r, err, "expected 'h STEP' with a positive step");
    return 0;
}

static int count_members(const char *text)
{
    int n = strncmp(text, "member ", 7) == 0;
    for (const char *p = strstr(text, "\nmember "); p; p = strstr(p + 1, "\nmember "))
        n++;
    return n;
}

static int read_head(line_reader *r, golden *g, rk_error *err)
{
    char real[16];
    const char *l = next_line(r);
    if (!l || sscanf(l, "stepper %63s %15s", g->prefix, real) != 2 ||
        (strcmp(real, "float") != 0 && strcmp(real, "double") != 0))
        return bad(r, err, "expected 'stepper PREFIX float|double'");
    g->is_float = strcmp(real, "float") == 0;
    l = next_line(r);
    if (!l || sscanf(l, "steps %lu every %lu", &g->steps, &g->every) != 2 || g->every == 0 ||
        g->steps > GOLDEN_MAX_STEPS)
        return bad(r, err, "expected 'steps N every K' (K > 0, N at most 10^7)");
    return 0;
}

int golden_parse(const rk_family *f, const char *file, const char *text,
                 golden *g, rk_error *err)
{
    line_reader r = {text, file, 0, {0}};
    int n = count_members(text);
    memset(g, 0, sizeof *g);
    if (f->dim > 64 || f->nparam > 64) {
        rk_error_set(err, "golden trajectories support families of up to 64 states and parameters");
        return -1;
    }
    if (n < 1 || n > GOLDEN_MAX_MEMBERS) {
        rk_error_set(err, "%s: expected 1 to %d members, found %d", file, GOLDEN_MAX_MEMBERS, n);
        return -1;
    }
    if (golden_alloc(g, n, f->dim, f->nparam) != 0) {
        golden_free(g);
        rk_error_set(err, "out of memory");
        return -1;
    }
    int status = read_head(&r, g, err);
    for (int m = 0; m < n && status == 0; m++)
        status = read_member(f, &r, g, m, err);
    if (status != 0)
        golden_free(g);
    return status;
}

/* ---- comparing ---- */

/* Copies the next line that is not a comment into buf; NULL at the end. */
static const char *data_line(const char **p, int *no, char *buf, size_t size)
{
    while (*p && **p) {
        const char *eol = strchr(*p, '\n');
        size_t n = eol ? (size_t)(eol - *p) : strlen(*p);
        const char *start = *p;
        ++*no;
        *p = eol ? eol + 1 : NULL;
        if (n && *start != '#') {
            snprintf(buf, size, "%.*s", (int)n, start);
            return buf;
        }
    }
    return NULL;
}

/* Which component of an "at K ..." line differs, for the message. */
static void explain(const rk_family *f, const char *file, int no, int member, const char *want,
                    const char *got, char *reason, size_t size)
{
    char w[40], g[40];
    unsigned long k;
    int off_w = 0, off_g = 0;
    if (sscanf(want, "at %lu%n", &k, &off_w) == 1 && sscanf(got, "at %*u%n", &off_g) >= 0 && off_g)
        for (int i = 0; i < f->dim; i++) {
            int nw = 0, ng = 0;
            if (sscanf(want + off_w, " %39s%n", w, &nw) != 1 || sscanf(got + off_g, " %39s%n", g, &ng) != 1)
                break;
            if (strcmp(w, g) != 0) {
                snprintf(reason, size, "drifted from %s:%d: member %d after %lu steps: %s is %s now, %s in the golden file",
                         file, no, member, k, f->state[i].name, g, w);
                return;
            }
            off_w += nw;
            off_g += ng;
        }
    snprintf(reason, size, "drifted from %s:%d: the golden file has '%.60s', the stepper gives '%.60s'", file, no,
             want, got);
}

int golden_compare(const rk_family *f, const char *file, const char *text,
                   const char *fresh, char *reason, size_t size)
{
    char want[4096], got[4096];
    const char *p = text, *q = fresh;
    int no = 0, qno = 0, member = 0;
    for (;;) {
        const char *a = data_line(&p, &no, want, sizeof want);
        const char *b = data_line(&q, &qno, got, sizeof got);
        if (!a && !b)
            return 0;
        if (a && b && strcmp(a, b) == 0) {
            sscanf(a, "member %d", &member);
            continue;
        }
        if (a && b)
            explain(f, file, no, member, a, b, reason, size);
        else
            snprintf(reason, size, "drifted from %s: the golden file has %s states than the stepper gives", file,
                     a ? "more" : "fewer");
        return 1;
    }
}
