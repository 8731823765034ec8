/* golden.c - golden trajectories (golden.h): drawn, rendered through the
 * compiled stepper, parsed back, and compared line by line. */
#include "golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

uint64_t golden_hash(const double *y, int dim)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (int i = 0; i < dim; i++) {
        uint64_t bits;
        memcpy(&bits, &y[i], sizeof bits);
        for (int k = 0; k < 8; k++) {
            h ^= (bits >> (8 * k)) & 0xffu;
            h *= 0x100000001b3u;
        }
    }
    return h;
}

/* Bit for bit, so that -0 and 0 (or two NaNs) are told apart. */
static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static int head_of(const golden *g)
{
    return g->dim < GOLDEN_HEAD ? g->dim : GOLDEN_HEAD;
}

static int golden_alloc(golden *g, int n, int dim, int nparam)
{
    g->n = n;
    g->dim = dim;
    g->nparam = nparam;
    g->hashed = dim > GOLDEN_FULL_DIM;
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

/* Whether the file would record more values than GOLDEN_MAX_VALUES: the
 * states of every member, each all of dim or a hash and its head. */
static int too_many_values(const golden *g)
{
    double states = (double)(g->steps / g->every) + 1 + (g->steps % g->every != 0);
    double per = g->hashed ? GOLDEN_HEAD + 1 : g->dim;
    return (double)g->n * states * per > (double)GOLDEN_MAX_VALUES;
}

/* A float stepper takes floats: store the values it will really see. */
static double as_real(double v, int is_float)
{
    return is_float ? (double)(float)v : v;
}

/* The members of g->seed, as golden_draw writes them and golden_parse
 * draws them again for a hashed file. */
static void draw_members(const rk_family *f, golden *g)
{
    rk_rng rng;
    rng_seed(&rng, g->seed);
    for (int m = 0; m < g->n; m++) {
        double *p = g->p + (size_t)m * (size_t)f->nparam, *y0 = g->y0 + (size_t)m * (size_t)f->dim;
        family_sample(f, &rng, p, y0, &g->h[m]);
        for (int i = 0; i < f->nparam; i++)
            p[i] = as_real(p[i], g->is_float);
        for (int i = 0; i < f->dim; i++)
            y0[i] = as_real(y0[i], g->is_float);
        g->h[m] = as_real(g->h[m], g->is_float);
    }
}

int golden_draw(const rk_family *f, const char *prefix, int is_float,
                const golden_opts *o, golden *g, rk_error *err)
{
    memset(g, 0, sizeof *g);
    if (o->members < 1 || o->members > GOLDEN_MAX_MEMBERS || o->steps > GOLDEN_MAX_STEPS) {
        rk_error_set(err, "golden trajectories take 1 to %d members and at most %lu steps", GOLDEN_MAX_MEMBERS,
                     GOLDEN_MAX_STEPS);
        return -1;
    }
    snprintf(g->prefix, sizeof g->prefix, "%s", prefix);
    g->is_float = is_float;
    g->steps = o->steps;
    g->every = o->every ? o->every : 1;
    g->seed = o->seed;
    if (golden_alloc(g, o->members, f->dim, f->nparam) != 0) {
        golden_free(g);
        rk_error_set(err, "out of memory");
        return -1;
    }
    if (too_many_values(g)) {
        golden_free(g);
        rk_error_set(err, "a golden file records at most %lu values: take fewer members, fewer steps or a "
                     "larger --every", GOLDEN_MAX_VALUES);
        return -1;
    }
    draw_members(f, g);
    return 0;
}

/* ---- running and writing ---- */

static void put_hash(strbuf *b, const double *y, int dim)
{
    sb_printf(b, " hash %016llx", (unsigned long long)golden_hash(y, dim));
}

/* "at K" and the state: every value, or the hash and the head. */
static void put_state(strbuf *b, const golden *g, unsigned long k, const double *y)
{
    int n = g->hashed ? head_of(g) : g->dim;
    sb_printf(b, "at %lu", k);
    if (g->hashed)
        put_hash(b, y, g->dim);
    for (int i = 0; i < n; i++)
        sb_printf(b, " %a", y[i]);
    sb_puts(b, "\n");
}

/* The stepper's state and parameters in its own real type: buffers on
 * the heap, as a grid's state does not fit a stack frame of fixed size. */
typedef struct member_run {
    double *y, *p;
    float *yf, *pf;
} member_run;

static int run_alloc(member_run *r, size_t d, size_t np)
{
    r->y = malloc((d + np + 1) * sizeof *r->y);
    r->yf = malloc((d + np + 1) * sizeof *r->yf);
    r->p = r->y ? r->y + d : NULL;
    r->pf = r->yf ? r->yf + d : NULL;
    return r->y && r->yf ? 0 : -1;
}

/* Step k starts at t = k*h, as prefix_integrate computes it from t0 = 0. */
static int run_member(const golden *g, int m, const jit_stepper *js, strbuf *b)
{
    size_t d = (size_t)g->dim, np = (size_t)g->nparam;
    double h = g->h[m];
    float hf = (float)h;
    member_run r;
    int status = run_alloc(&r, d, np);
    for (size_t i = 0; status == 0 && i < np; i++)
        r.pf[i] = (float)(r.p[i] = g->p[(size_t)m * np + i]);
    for (size_t i = 0; status == 0 && i < d; i++)
        r.yf[i] = (float)(r.y[i] = g->y0[(size_t)m * d + i]);
    for (unsigned long k = 0; status == 0; k++) {
        if (k % g->every == 0 || k == g->steps) {
            for (size_t i = 0; g->is_float && i < d; i++)
                r.y[i] = (double)r.yf[i];
            put_state(b, g, k, r.y);
        }
        if (k == g->steps)
            break;
        if (g->is_float)
            js->stepf((float)k * hf, r.yf, hf, r.pf);
        else
            js->step((double)k * h, r.y, h, r.p);
    }
    free(r.y);
    free(r.yf);
    return status;
}

static void put_member(strbuf *b, const rk_family *f, const golden *g, int m)
{
    const double *y0 = g->y0 + (size_t)m * (size_t)f->dim;
    int n = g->hashed ? head_of(g) : f->dim;
    sb_printf(b, "member %d\n", m + 1);
    for (int i = 0; i < f->nparam; i++)
        sb_printf(b, "param %s %a\n", f->param[i].name, g->p[(size_t)m * (size_t)f->nparam + (size_t)i]);
    if (g->hashed) {
        sb_puts(b, "init");
        put_hash(b, y0, f->dim);
        sb_puts(b, "\n");
    }
    for (int i = 0; i < n; i++)
        sb_printf(b, "init %s %a\n", f->state[i].name, y0[i]);
    sb_printf(b, "h %a\n", g->h[m]);
}

static void put_head(strbuf *b, const golden *g)
{
    sb_puts(b, "# rkgen golden trajectories: states of a generated stepper, bit for bit.\n"
               "# Each member starts at t = 0 and takes steps of h; 'at K' is the state\n"
               "# after K steps, as hex floats.  Written by rkgen regress --write-golden.\n");
    if (g->hashed)
        sb_printf(b, "# The %d components of a state are too many to list: 'hash' is the FNV-1a 64\n"
                     "# of their values' bits, then come the first %d (docs/validate.md).  The\n"
                     "# members are drawn again from the family with the seed of 'draw'.\n",
                  g->dim, head_of(g));
    sb_printf(b, "stepper %s %s\nsteps %lu every %lu\n", g->prefix, g->is_float ? "float" : "double", g->steps,
              g->every);
    if (g->hashed)
        sb_printf(b, "draw seed %llu\n", (unsigned long long)g->seed);
}

char *golden_render(const rk_family *f, const golden *g, const jit_stepper *js)
{
    strbuf b;
    sb_init(&b);
    put_head(&b, g);
    for (int m = 0; m < g->n; m++) {
        put_member(&b, f, g, m);
        if (run_member(g, m, js, &b) != 0) {
            sb_free(&b);
            return NULL;
        }
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

/* Exactly 16 hex digits, as put_hash writes them. */
static int parse_hash(const char *s, uint64_t *out)
{
    if (strlen(s) != 16 || strspn(s, "0123456789abcdef") != 16)
        return -1;
    *out = (uint64_t)strtoull(s, NULL, 16);
    return 0;
}

/* A value read from a hashed file must be the one drawn again: else the
 * file is not of this family and seed. */
static int drawn(line_reader *r, const golden *g, int m, const char *what, double v, double want, rk_error *err)
{
    if (same_bits(v, want))
        return 0;
    rk_error_set(err, "%s:%d: member %d's %s is %a, but the family draws %a with seed %llu (a golden file "
                 "of another family or seed?)", r->file, r->no, m + 1, what, v, want, (unsigned long long)g->seed);
    return -1;
}

/* "KEY NAME VALUE" with NAME as the family calls it: stored in *slot,
 * or for a hashed file checked against it. */
static int named_value(line_reader *r, const golden *g, int m, const char *key, const char *name, double *slot,
                       rk_error *err)
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
    double v = strtod(val, &end);
    if (*end)
        return bad(r, err, "not a number");
    if (!g->hashed)
        *slot = v;
    return g->hashed ? drawn(r, g, m, name, v, *slot, err) : 0;
}

static int init_hash(line_reader *r, const golden *g, int m, rk_error *err)
{
    char hex[32];
    uint64_t h, want = golden_hash(g->y0 + (size_t)m * (size_t)g->dim, g->dim);
    const char *l = next_line(r);
    if (!l || sscanf(l, "init hash %31s", hex) != 1 || parse_hash(hex, &h) != 0)
        return bad(r, err, "expected 'init hash H' with H 16 hex digits");
    if (h == want)
        return 0;
    rk_error_set(err, "%s:%d: member %d's initial state hashes to %016llx, but the family draws one hashing to "
                 "%016llx with seed %llu (a golden file of another family or seed?)", r->file, r->no, m + 1,
                 (unsigned long long)h, (unsigned long long)want, (unsigned long long)g->seed);
    return -1;
}

/* "at K hash H V1 .. VHEAD": the line of a hashed state, checked here so
 * that a mangled one is named; its bits are compared later. */
static int hashed_state(line_reader *r, const golden *g, const char *l, rk_error *err)
{
    char hex[32], val[64], *end;
    unsigned long k;
    int off = 0;
    uint64_t h;
    if (sscanf(l, "at %lu hash %31s%n", &k, hex, &off) != 2 || parse_hash(hex, &h) != 0)
        return bad(r, err, "expected 'at K hash H' with H 16 hex digits");
    for (int i = 0; i < head_of(g); i++) {
        int n = 0;
        if (sscanf(l + off, " %63s%n", val, &n) != 1)
            return bad(r, err, "expected the first components of the state after its hash");
        strtod(val, &end);
        if (*end)
            return bad(r, err, "not a number");
        off += n;
    }
    return 0;
}

/* Skips the states (compared, not read) up to the next line. */
static const char *past_states(line_reader *r, const golden *g, rk_error *err, int *status)
{
    const char *l = next_line(r);
    while (l && strncmp(l, "at ", 3) == 0) {
        if (g->hashed && hashed_state(r, g, l, err) != 0) {
            *status = -1;
            return NULL;
        }
        l = next_line(r);
    }
    return l;
}

static int read_member(const rk_family *f, line_reader *r, golden *g, int m, rk_error *err)
{
    int no, status = 0;
    char val[64], *end;
    const char *l = past_states(r, g, err, &status);
    if (status != 0)
        return -1;
    if (!l || sscanf(l, "member %d", &no) != 1 || no != m + 1)
        return bad(r, err, "expected 'member N', numbered from 1");
    double *p = g->p + (size_t)m * (size_t)f->nparam, *y0 = g->y0 + (size_t)m * (size_t)f->dim;
    for (int i = 0; i < f->nparam; i++)
        if (named_value(r, g, m, "param", f->param[i].name, &p[i], err) != 0)
            return -1;
    if (g->hashed && init_hash(r, g, m, err) != 0)
        return -1;
    for (int i = 0; i < (g->hashed ? head_of(g) : f->dim); i++)
        if (named_value(r, g, m, "init", f->state[i].name, &y0[i], err) != 0)
            return -1;
    l = next_line(r);
    double h;
    if (!l || sscanf(l, "h %63s", val) != 1 || !((h = strtod(val, &end)) > 0) || *end)
        return bad(r, err, "expected 'h STEP' with a positive step");
    if (!g->hashed)
        g->h[m] = h;
    return g->hashed ? drawn(r, g, m, "h", h, g->h[m], err) : 0;
}

/* After the last member: its states, and nothing else. */
static int read_tail(line_reader *r, golden *g, rk_error *err)
{
    int status = 0;
    const char *l = past_states(r, g, err, &status);
    return status != 0 ? -1 : l ? bad(r, err, "expected 'at K ...' or the end of the file") : 0;
}

static int count_members(const char *text)
{
    int n = strncmp(text, "member ", 7) == 0;
    for (const char *p = strstr(text, "\nmember "); p; p = strstr(p + 1, "\nmember "))
        n++;
    return n;
}

/* "draw seed S": how a hashed file's members are drawn again. */
static int read_seed(line_reader *r, golden *g, rk_error *err)
{
    char digits[32];
    const char *l = next_line(r);
    if (!l || sscanf(l, "draw seed %31s", digits) != 1 || strspn(digits, "0123456789") != strlen(digits))
        return bad(r, err, "expected 'draw seed S': a family of more than 64 states has its members drawn again");
    g->seed = (uint64_t)strtoull(digits, NULL, 10);
    return 0;
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
    if (too_many_values(g))
        return bad(r, err, "more states than a golden file may record (docs/validate.md)");
    return g->hashed ? read_seed(r, g, err) : 0;
}

int golden_parse(const rk_family *f, const char *file, const char *text,
                 golden *g, rk_error *err)
{
    line_reader r = {text, file, 0, {0}};
    int n = count_members(text);
    memset(g, 0, sizeof *g);
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
    if (status == 0 && g->hashed)
        draw_members(f, g);
    for (int m = 0; m < n && status == 0; m++)
        status = read_member(f, &r, g, m, err);
    if (status == 0 && g->hashed)
        status = read_tail(&r, g, err);
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

enum { WORDS_MAX = GOLDEN_FULL_DIM + 8 };

/* Splits line in place at spaces into at most WORDS_MAX words. */
static int split(char *line, char **w)
{
    int n = 0;
    for (char *s = line; *s && n < WORDS_MAX;) {
        w[n++] = s;
        s += strcspn(s, " ");
        if (*s)
            *s++ = '\0';
        s += strspn(s, " ");
    }
    return n;
}

/* The words of a state line "at K [hash H] V...", and where its values start. */
typedef struct state_words {
    char line[4096], *w[WORDS_MAX];
    int n, first;
} state_words;

static int state_split(const char *line, state_words *s)
{
    snprintf(s->line, sizeof s->line, "%s", line);
    s->n = split(s->line, s->w);
    s->first = s->n > 3 && strcmp(s->w[2], "hash") == 0 ? 4 : 2;
    return s->n >= 2 && strcmp(s->w[0], "at") == 0;
}

/* Which component of two "at K ..." lines differs, for the message; 0
 * if the lines are not two states after the same steps in one form. */
static int explain_state(const rk_family *f, const state_words *a, const state_words *b, char *what, size_t size)
{
    if (strcmp(a->w[1], b->w[1]) != 0 || a->first != b->first)
        return 0;
    for (int i = a->first; i < a->n && i < b->n && i - a->first < f->dim; i++)
        if (strcmp(a->w[i], b->w[i]) != 0) {
            snprintf(what, size, "%s is %s now, %s in the golden file", f->state[i - a->first].name, b->w[i],
                     a->w[i]);
            return 1;
        }
    if (a->first == 2 || a->n != b->n || a->n == a->first || strcmp(a->w[3], b->w[3]) == 0)
        return 0;
    snprintf(what, size, "the state hashes to %s now, %s in the golden file (%s to %s agree: a later component "
             "differs)", b->w[3], a->w[3], f->state[0].name, f->state[a->n - a->first - 1].name);
    return 1;
}

static void explain(const rk_family *f, const char *file, int no, int member, const char *want,
                    const char *got, char *reason, size_t size)
{
    state_words a, b;
    char what[512];
    if (state_split(want, &a) && state_split(got, &b) && explain_state(f, &a, &b, what, sizeof what)) {
        snprintf(reason, size, "drifted from %s:%d: member %d after %s steps: %s", file, no, member, a.w[1], what);
        return;
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
