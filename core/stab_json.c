/* stab_json.c - the "rkgen-stabilized" method files (docs/stabilized.md),
 * in and out.
 *
 * cJSON parses; the text is laid out here by hand so that one method
 * always gives the same bytes.  Factor coefficients are written as hex
 * floats (exact) with the decimal beside for people; on input either a
 * string (hex or decimal, read by strtod) or a JSON number is taken.
 * cJSON keeps no positions, so errors about a key or a factor are placed
 * by a small scan of the (already well-formed) text: file:line:column.
 */
#include "stabilized.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "jsonread.h"
#include "strbuf.h"
#include "tableau.h"

#define FORMAT_NAME "rkgen-stabilized"
#define FORMAT_VERSION 1
#define FILE_LIMIT ((size_t)16 << 20)
#define NOWHERE ((size_t)-1)

/* ---- writing ---- */

static void put_string(strbuf *b, const char *s)
{
    sb_puts(b, "\"");
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            sb_printf(b, "\\%c", ch);
        else if (ch < 0x20)
            sb_printf(b, "\\u%04x", ch);
        else
            sb_printf(b, "%c", ch);
    }
    sb_puts(b, "\"");
}

static int factors_ok(const rk_stab *m)
{
    for (int k = 0; k < m->nfactor; k++) {
        const stab_factor *f = &m->factor[k];
        if (f->kind == STAB_EULER ? !isfinite(f->alpha)
            : f->kind != STAB_QUADRATIC || !isfinite(f->a) ||
                  !isfinite(f->b1) || !isfinite(f->b2))
            return 0;
    }
    return 1;
}

static int weights_ok(const rk_stab *m)
{
    if (!m->weight || m->s < 1 || !isfinite(m->mu) || !(m->mu > 0))
        return 0;
    for (int k = 0; k <= m->s; k++)
        if (!isfinite(m->weight[k]))
            return 0;
    return 1;
}

static void put_factors(strbuf *b, const rk_stab *m)
{
    sb_puts(b, ",\n  \"factors\": [\n");
    for (int k = 0; k < m->nfactor; k++) {
        const stab_factor *f = &m->factor[k];
        if (f->kind == STAB_EULER)
            sb_printf(b, "    {\"euler\": \"%a\", \"decimal\": %.17g}", f->alpha,
                      f->alpha);
        else
            sb_printf(b, "    {\"quadratic\": [\"%a\", \"%a\", \"%a\"], "
                      "\"decimal\": [%.17g, %.17g, %.17g]}", f->a, f->b1, f->b2,
                      f->a, f->b1, f->b2);
        sb_puts(b, k + 1 < m->nfactor ? ",\n" : "\n");
    }
    sb_puts(b, "  ]\n}\n");
}

static void put_weights(strbuf *b, const rk_stab *m)
{
    sb_printf(b, ",\n  \"mu\": {\"value\": \"%a\", \"decimal\": %.17g},\n"
              "  \"weights\": [\n", m->mu, m->mu);
    for (int k = 0; k <= m->s; k++)
        sb_printf(b, "    {\"w\": \"%a\", \"decimal\": %.17g}%s\n", m->weight[k],
                  m->weight[k], k < m->s ? "," : "");
    sb_puts(b, "  ]\n}\n");
}

char *stab_to_json(const rk_stab *m)
{
    if (!m || !isfinite(m->beta) || !isfinite(m->damping))
        return NULL;
    int cheb = m->form == STAB_CHEBYSHEV;
    if (cheb ? !weights_ok(m) : m->nfactor < 1 || !m->factor || !factors_ok(m))
        return NULL;
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "{\n  \"format\": \"" FORMAT_NAME "\",\n  \"version\": %d,\n"
              "  \"name\": ", FORMAT_VERSION);
    put_string(&b, m->name);
    sb_printf(&b, ",\n  \"stages\": %d,\n  \"order\": %d,\n  \"linear_only\": %s,\n"
              "  \"beta\": %.17g,\n  \"damping\": %.17g", stab_stages(m), m->order,
              m->linear_only ? "true" : "false", m->beta, m->damping);
    if (m->description) {
        sb_puts(&b, ",\n  \"description\": ");
        put_string(&b, m->description);
    }
    if (cheb) {
        sb_puts(&b, ",\n  \"form\": \"chebyshev\"");
        put_weights(&b, m);
    } else {
        put_factors(&b, m);
    }
    return sb_take(&b);
}

/* ---- where things are in the text ---- */

typedef struct jctx {
    const char *file, *text;
    size_t len;
    rk_error *err;
} jctx;

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static size_t skip_blank(const jctx *cx, size_t p)
{
    while (p < cx->len && is_blank(cx->text[p]))
        p++;
    return p;
}

/* p at an opening quote; returns the offset after the closing one. */
static size_t skip_string(const jctx *cx, size_t p)
{
    for (p++; p < cx->len && cx->text[p] != '"'; p++)
        if (cx->text[p] == '\\')
            p++;
    return p < cx->len ? p + 1 : p;
}

static size_t skip_value(const jctx *cx, size_t p)
{
    const char *t = cx->text;
    if (p < cx->len && t[p] == '"')
        return skip_string(cx, p);
    if (p < cx->len && (t[p] == '{' || t[p] == '[')) {
        int depth = 0;
        while (p < cx->len) {
            if (t[p] == '"') {
                p = skip_string(cx, p);
                continue;
            }
            if (t[p] == '{' || t[p] == '[')
                depth++;
            else if ((t[p] == '}' || t[p] == ']') && --depth == 0)
                return p + 1;
            p++;
        }
        return p;
    }
    while (p < cx->len && !strchr(",}] \t\r\n", t[p]))
        p++;
    return p;
}

/* The offset of the nth (from 0) key `key` of the root object, or of its
 * value (at_value); NOWHERE if it is not there. */
static size_t key_offset(const jctx *cx, const char *key, int nth, int at_value)
{
    size_t p = skip_blank(cx, 0), klen = strlen(key);
    if (p >= cx->len || cx->text[p] != '{')
        return NOWHERE;
    p = skip_blank(cx, p + 1);
    while (p < cx->len && cx->text[p] == '"') {
        size_t ks = p, ke = skip_string(cx, p);
        int match = ke - ks == klen + 2 && memcmp(cx->text + ks + 1, key, klen) == 0;
        p = skip_blank(cx, ke);
        if (p >= cx->len || cx->text[p] != ':')
            return NOWHERE;
        p = skip_blank(cx, p + 1);
        if (match && nth-- == 0)
            return at_value ? p : ks;
        p = skip_blank(cx, skip_value(cx, p));
        if (p >= cx->len || cx->text[p] != ',')
            return NOWHERE;
        p = skip_blank(cx, p + 1);
    }
    return NOWHERE;
}

/* The offset of item k (from 0) of the root's list `key`, or of the
 * list when it has fewer. */
static size_t item_offset(const jctx *cx, const char *key, int k)
{
    size_t start = key_offset(cx, key, 0, 1), p = start;
    if (p == NOWHERE || cx->text[p] != '[')
        return p;
    p = skip_blank(cx, p + 1);
    for (int i = 0; p < cx->len && cx->text[p] != ']'; i++) {
        if (i == k)
            return p;
        p = skip_blank(cx, skip_value(cx, p));
        if (p < cx->len && cx->text[p] == ',')
            p = skip_blank(cx, p + 1);
    }
    return start;
}

static size_t factor_offset(const jctx *cx, int k)
{
    return item_offset(cx, "factors", k);
}

/* ---- errors ---- */

static int fail_at(const jctx *cx, size_t offset, const char *fmt, ...)
    RK_PRINTF(3, 4);

/* "file:line:col: message" with the line and a caret where the offset
 * is known, "file: message" otherwise; returns -1. */
static int fail_at(const jctx *cx, size_t offset, const char *fmt, ...)
{
    char msg[RK_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (offset == NOWHERE || offset > cx->len) {
        rk_error_set(cx->err, "%s: %s", cx->file, msg);
        return -1;
    }
    int line = 1;
    size_t start = 0;
    for (size_t i = 0; i < offset; i++)
        if (cx->text[i] == '\n') {
            line++;
            start = i + 1;
        }
    size_t end = start;
    while (end < cx->len && cx->text[end] != '\n' && cx->text[end] != '\r')
        end++;
    rk_error_at(cx->err, cx->file, line, (int)(offset - start) + 1,
                cx->text + start, end - start, "%s", msg);
    return -1;
}

static size_t at_key(const jctx *cx, const char *key)
{
    return key_offset(cx, key, 0, 1);
}

/* ---- reading ---- */

/* Unknown and repeated keys of the root (factor < 0) or of factor k. */
static int check_keys(const jctx *cx, const cJSON *obj, const char *const *allowed,
                      int factor)
{
    char buf[64], list[256];
    int repeated, nth;
    const cJSON *item = json_bad_key(obj, allowed, &repeated, &nth);
    if (!item)
        return 0;
    const char *key = json_shown(item->string ? item->string : "", buf, sizeof buf);
    size_t where = factor < 0 ? key_offset(cx, item->string ? item->string : "", nth, 0)
                              : factor_offset(cx, factor);
    if (!repeated && factor < 0)
        return fail_at(cx, where, "unknown key \"%s\"; the keys of a stabilized "
                       "method are: %s", key, json_key_list(allowed, list, sizeof list));
    if (!repeated)
        return fail_at(cx, where, "factor %d: unknown key \"%s\"; a factor is "
                       "{\"euler\": ALPHA} or {\"quadratic\": [A, B1, B2]}, with an "
                       "optional \"decimal\" beside", factor + 1, key);
    if (factor < 0)
        return fail_at(cx, where, "key \"%s\" appears twice", key);
    return fail_at(cx, where, "factor %d: key \"%s\" appears twice", factor + 1, key);
}

static const char *const top_keys[] = {
    "format", "version", "name", "stages", "order", "linear_only", "beta",
    "damping", "description", "form", "factors", "mu", "weights", NULL};
static const char *const factor_keys[] = {"euler", "quadratic", "decimal", NULL};

/* A real given as a JSON number or as a string strtod reads whole (hex
 * floats are exact); 0, 1 when it is neither, 2 when not finite. */
static int real_value(const cJSON *x, double *v)
{
    if (cJSON_IsNumber(x)) {
        *v = x->valuedouble;
        return isfinite(*v) ? 0 : 2;
    }
    if (!cJSON_IsString(x) || !*x->valuestring || is_blank(x->valuestring[0]))
        return 1;
    char *end;
    errno = 0;
    *v = strtod(x->valuestring, &end);
    if (*end || end == x->valuestring)
        return 1;
    return isfinite(*v) ? 0 : 2;
}

static int read_header(const jctx *cx, const cJSON *root)
{
    char buf[64];
    const cJSON *f = json_member(root, "format"), *v = json_member(root, "version");
    if (!f)
        return fail_at(cx, NOWHERE, "missing key \"format\"; a stabilized method file "
                       "begins {\"format\": \"" FORMAT_NAME "\", \"version\": %d",
                       FORMAT_VERSION);
    if (!cJSON_IsString(f) || strcmp(f->valuestring, FORMAT_NAME) != 0)
        return fail_at(cx, at_key(cx, "format"), "\"format\" is %s%s%s, not \""
                       FORMAT_NAME "\"", cJSON_IsString(f) ? "\"" : "",
                       cJSON_IsString(f) ? json_shown(f->valuestring, buf, sizeof buf)
                                         : json_type_name(f),
                       cJSON_IsString(f) ? "\"" : "");
    if (check_keys(cx, root, top_keys, -1))
        return -1;
    if (!v)
        return fail_at(cx, NOWHERE, "missing key \"version\" (this rkgen reads "
                       "version %d)", FORMAT_VERSION);
    if (!json_is_whole(v, FORMAT_VERSION, FORMAT_VERSION))
        return fail_at(cx, at_key(cx, "version"), "unsupported \"version\"; this "
                       "rkgen reads version %d", FORMAT_VERSION);
    return 0;
}

static int read_name(const jctx *cx, const cJSON *root, rk_stab *m)
{
    char buf[80];
    const cJSON *x = json_member(root, "name");
    if (!x)
        return fail_at(cx, NOWHERE, "missing key \"name\"");
    if (!cJSON_IsString(x) || !tableau_name_ok(x->valuestring) ||
        strlen(x->valuestring) >= STAB_NAME_MAX)
        return fail_at(cx, at_key(cx, "name"), "invalid name %s%s%s: a name is 1 to "
                       "%d of the characters A-Z a-z 0-9 _ . + - (it is copied into "
                       "generated C and file names)", cJSON_IsString(x) ? "\"" : "",
                       cJSON_IsString(x) ? json_shown(x->valuestring, buf, sizeof buf)
                                         : json_type_name(x),
                       cJSON_IsString(x) ? "\"" : "", STAB_NAME_MAX - 1);
    snprintf(m->name, sizeof m->name, "%s", x->valuestring);
    return 0;
}

static int read_description(const jctx *cx, const cJSON *root, rk_stab *m)
{
    const cJSON *x = json_member(root, "description");
    if (!x || cJSON_IsNull(x))
        return 0;
    if (!cJSON_IsString(x))
        return fail_at(cx, at_key(cx, "description"), "\"description\" must be a "
                       "string, not %s", json_type_name(x));
    m->description = strdup(x->valuestring);
    return m->description ? 0 : fail_at(cx, NOWHERE, "out of memory");
}

/* order, linear_only, beta and damping: what the method claims. */
static int read_claims(const jctx *cx, const cJSON *root, rk_stab *m)
{
    const cJSON *o = json_member(root, "order"), *lo = json_member(root, "linear_only"),
                *b = json_member(root, "beta"), *d = json_member(root, "damping");
    if (!o)
        return fail_at(cx, NOWHERE, "missing key \"order\" (the order claimed, 1 to 4)");
    if (!json_is_whole(o, 1, 4) || o->valuedouble > m->s)
        return fail_at(cx, at_key(cx, "order"), "\"order\" must be a whole number from "
                       "1 to 4 and at most the stages (%d)", m->s);
    m->order = (int)o->valuedouble;
    if (lo && !cJSON_IsBool(lo))
        return fail_at(cx, at_key(cx, "linear_only"), "\"linear_only\" must be true or "
                       "false, not %s", json_type_name(lo));
    m->linear_only = lo && cJSON_IsTrue(lo);
    if (m->order >= 3 && !m->linear_only)
        return fail_at(cx, at_key(cx, "order"), "order %d needs \"linear_only\": true; "
                       "a many-stage method of either form has order 3 or more on "
                       "linear problems only", m->order);
    if (!b)
        return fail_at(cx, NOWHERE, "missing key \"beta\" (the real stability "
                       "interval [-beta, 0] claimed)");
    if (real_value(b, &m->beta) || !(m->beta > 0))
        return fail_at(cx, at_key(cx, "beta"), "\"beta\" must be a positive finite "
                       "number (the interval [-beta, 0]), not %s",
                       cJSON_IsNumber(b) ? "that" : json_type_name(b));
    m->damping = 0;
    if (d && (real_value(d, &m->damping) || !(m->damping >= 0 && m->damping < 1)))
        return fail_at(cx, at_key(cx, "damping"), "\"damping\" must be a number from "
                       "0 up to (not including) 1");
    return 0;
}

/* A coefficient from `x` and its decimal `dec` (or NULL); `what` and
 * `label` name it in messages ("factor 3", "alpha"). */
static int read_coef(const jctx *cx, size_t where, const char *what, const char *label,
                     const cJSON *x, const cJSON *dec, double *v)
{
    int rc = real_value(x, v);
    if (rc == 1)
        return fail_at(cx, where, "%s: %s must be a number or a string holding "
                       "one, such as \"0x1.8p-3\" (exact) or \"0.1875\", not %s",
                       what, label, cJSON_IsString(x) ? "that string" : json_type_name(x));
    if (rc == 2)
        return fail_at(cx, where, "%s: %s is not a finite number", what, label);
    double d;
    if (dec && (real_value(dec, &d) != 0 || !cJSON_IsNumber(dec)))
        return fail_at(cx, where, "%s: the \"decimal\" of %s must be a number",
                       what, label);
    if (dec && d != *v)
        return fail_at(cx, where, "%s: the \"decimal\" of %s, %.17g, differs "
                       "from its value %a = %.17g; fix one or drop \"decimal\"",
                       what, label, d, *v, *v);
    return 0;
}

static int read_factor_coef(const jctx *cx, int k, const char *label, const cJSON *x,
                            const cJSON *dec, double *v)
{
    char what[32];
    snprintf(what, sizeof what, "factor %d", k + 1);
    return read_coef(cx, factor_offset(cx, k), what, label, x, dec, v);
}

static int read_euler(const jctx *cx, int k, const cJSON *x, const cJSON *dec,
                      stab_factor *f)
{
    f->kind = STAB_EULER;
    if (dec && cJSON_IsArray(dec))
        return fail_at(cx, factor_offset(cx, k), "factor %d: the \"decimal\" of an "
                       "Euler factor is one number", k + 1);
    if (read_factor_coef(cx, k, "alpha", x, dec, &f->alpha))
        return -1;
    if (f->alpha == 0)
        return fail_at(cx, factor_offset(cx, k), "factor %d: alpha = 0 spends an "
                       "evaluation of f on nothing", k + 1);
    return 0;
}

static int read_quadratic(const jctx *cx, int k, const cJSON *x, const cJSON *dec,
                          stab_factor *f)
{
    static const char *const names[] = {"a", "b1", "b2"};
    double *dst[] = {&f->a, &f->b1, &f->b2};
    f->kind = STAB_QUADRATIC;
    if (!cJSON_IsArray(x) || cJSON_GetArraySize(x) != 3)
        return fail_at(cx, factor_offset(cx, k), "factor %d: \"quadratic\" must be a "
                       "list of three numbers [a, b1, b2]", k + 1);
    if (dec && (!cJSON_IsArray(dec) || cJSON_GetArraySize(dec) != 3))
        return fail_at(cx, factor_offset(cx, k), "factor %d: the \"decimal\" of a "
                       "quadratic factor is a list of three numbers", k + 1);
    for (int i = 0; i < 3; i++)
        if (read_factor_coef(cx, k, names[i], cJSON_GetArrayItem(x, i),
                      dec ? cJSON_GetArrayItem(dec, i) : NULL, dst[i]))
            return -1;
    if (f->a * f->b2 == 0)
        return fail_at(cx, factor_offset(cx, k), "factor %d: a b2 = 0 makes the factor "
                       "linear in z; write it as an Euler factor (one evaluation, "
                       "not two)", k + 1);
    return 0;
}

static int read_factor(const jctx *cx, int k, const cJSON *x, stab_factor *f)
{
    if (!cJSON_IsObject(x))
        return fail_at(cx, factor_offset(cx, k), "factor %d must be an object "
                       "{\"euler\": ALPHA} or {\"quadratic\": [A, B1, B2]}, not %s",
                       k + 1, json_type_name(x));
    if (check_keys(cx, x, factor_keys, k))
        return -1;
    const cJSON *e = json_member(x, "euler"), *q = json_member(x, "quadratic"),
                *dec = json_member(x, "decimal");
    if (!e == !q)
        return fail_at(cx, factor_offset(cx, k), "factor %d has %s; give exactly one of "
                       "\"euler\" and \"quadratic\"", k + 1, e ? "both" : "neither");
    return e ? read_euler(cx, k, e, dec, f) : read_quadratic(cx, k, q, dec, f);
}

static rk_stab *read_factors(const jctx *cx, const cJSON *root)
{
    const cJSON *x = json_member(root, "factors");
    if (!x) {
        fail_at(cx, NOWHERE, "missing key \"factors\" (the list of Euler and "
                "quadratic factors, in the order they are applied)");
        return NULL;
    }
    int n = cJSON_IsArray(x) ? cJSON_GetArraySize(x) : 0;
    if (n < 1 || n > STAB_MAX_STAGES) {
        fail_at(cx, at_key(cx, "factors"), "\"factors\" must be a list of 1 to %d "
                "factors", STAB_MAX_STAGES);
        return NULL;
    }
    rk_stab *m = stab_new(n);
    if (!m) {
        fail_at(cx, NOWHERE, "out of memory");
        return NULL;
    }
    int k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, x) {
        if (read_factor(cx, k, e, &m->factor[k])) {
            stab_free(m);
            return NULL;
        }
        k++;
    }
    m->s = stab_stages(m);
    return m;
}

static const char *const weight_keys[] = {"w", "decimal", NULL};

/* {"value": X, "decimal": D} or {"w": X, "decimal": D}: the object's
 * number, with `key` its value's key. */
static int read_entry(const jctx *cx, size_t where, const char *what, const cJSON *x,
                      const char *key, double *v)
{
    static const char *const mu_keys[] = {"value", "decimal", NULL};
    int repeated, nth;
    if (!cJSON_IsObject(x) || !json_member(x, key) ||
        json_bad_key(x, strcmp(key, "w") == 0 ? weight_keys : mu_keys, &repeated, &nth))
        return fail_at(cx, where, "%s must be an object {\"%s\": X} with an optional "
                       "\"decimal\" beside, X a number or a string such as "
                       "\"0x1.8p-3\"", what, key);
    return read_coef(cx, where, what, key, json_member(x, key),
                     json_member(x, "decimal"), v);
}

static rk_stab *read_weights(const jctx *cx, const cJSON *root)
{
    const cJSON *x = json_member(root, "weights"), *mu = json_member(root, "mu");
    if (!x || !mu) {
        fail_at(cx, NOWHERE, "missing key \"%s\"; a Chebyshev-form method has \"mu\" "
                "(x = 1 + mu z) and \"weights\" (w_0 .. w_s of T_0 .. T_s)",
                x ? "mu" : "weights");
        return NULL;
    }
    int n = cJSON_IsArray(x) ? cJSON_GetArraySize(x) : 0;
    if (n < 2 || n > STAB_MAX_STAGES + 1) {
        fail_at(cx, at_key(cx, "weights"), "\"weights\" must be a list of 2 to %d "
                "weights (stages + 1)", STAB_MAX_STAGES + 1);
        return NULL;
    }
    rk_stab *m = stab_new_chebyshev(n - 1);
    if (!m) {
        fail_at(cx, NOWHERE, "out of memory");
        return NULL;
    }
    if (read_entry(cx, at_key(cx, "mu"), "\"mu\"", mu, "value", &m->mu))
        goto fail;
    if (!(m->mu > 0)) {
        fail_at(cx, at_key(cx, "mu"), "\"mu\" must be positive: x = 1 + mu z maps "
                "[-2/mu, 0] onto [-1, 1]");
        goto fail;
    }
    int k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, x) {
        char what[32];
        snprintf(what, sizeof what, "weight %d", k);
        if (read_entry(cx, item_offset(cx, "weights", k), what, e, "w", &m->weight[k]))
            goto fail;
        k++;
    }
    return m;
fail:
    stab_free(m);
    return NULL;
}

/* The factors or, with "form": "chebyshev", mu and the weights. */
static rk_stab *read_body(const jctx *cx, const cJSON *root)
{
    char buf[64];
    const cJSON *form = json_member(root, "form");
    int cheb = 0;
    if (form) {
        int ok = cJSON_IsString(form) && (strcmp(form->valuestring, "chebyshev") == 0 ||
                                          strcmp(form->valuestring, "product") == 0);
        if (!ok) {
            fail_at(cx, at_key(cx, "form"), "\"form\" is %s%s%s; it is \"chebyshev\" "
                    "(mu and weights) or \"product\" (factors, the default)",
                    cJSON_IsString(form) ? "\"" : "",
                    cJSON_IsString(form) ? json_shown(form->valuestring, buf, sizeof buf)
                                         : json_type_name(form),
                    cJSON_IsString(form) ? "\"" : "");
            return NULL;
        }
        cheb = strcmp(form->valuestring, "chebyshev") == 0;
    }
    const char *stray = cheb ? (json_member(root, "factors") ? "factors" : NULL)
                        : json_member(root, "mu")    ? "mu"
                        : json_member(root, "weights") ? "weights" : NULL;
    if (stray) {
        fail_at(cx, key_offset(cx, stray, 0, 0), cheb
                ? "\"factors\" belongs to the product form; a \"form\": \"chebyshev\" "
                  "method has \"mu\" and \"weights\""
                : "\"%s\" belongs to the Chebyshev form; add \"form\": \"chebyshev\" "
                  "or give \"factors\"", stray);
        return NULL;
    }
    return cheb ? read_weights(cx, root) : read_factors(cx, root);
}

static int read_stages(const jctx *cx, const cJSON *root, rk_stab *m)
{
    const cJSON *x = json_member(root, "stages");
    if (!x)
        return fail_at(cx, NOWHERE, "missing key \"stages\" (evaluations of f per "
                       "step, 1 to %d)", STAB_MAX_STAGES);
    if (!json_is_whole(x, 1, STAB_MAX_STAGES))
        return fail_at(cx, at_key(cx, "stages"), "\"stages\" must be a whole number "
                       "from 1 to %d", STAB_MAX_STAGES);
    if ((int)x->valuedouble != m->s)
        return m->form == STAB_CHEBYSHEV
               ? fail_at(cx, at_key(cx, "stages"), "\"stages\" is %d but the %d weights "
                         "make %d stages (one weight more than stages)",
                         (int)x->valuedouble, m->s + 1, m->s)
               : fail_at(cx, at_key(cx, "stages"), "\"stages\" is %d but the factors "
                         "cost %d evaluations of f (an Euler factor 1, a quadratic 2)",
                         (int)x->valuedouble, m->s);
    return 0;
}

/* The root object of well-formed JSON text, or NULL with the error set. */
static cJSON *parse_document(const jctx *cx)
{
    size_t pos = skip_blank(cx, 0);
    if (pos == cx->len) {
        fail_at(cx, NOWHERE, "the file is empty; a stabilized method file is a JSON "
                "object {\"format\": \"" FORMAT_NAME "\", ...}");
        return NULL;
    }
    const char *nul = memchr(cx->text, '\0', cx->len);
    if (nul) {
        fail_at(cx, (size_t)(nul - cx->text), "a NUL byte; a method file is JSON text");
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(cx->text, cx->len, &end, 0);
    pos = end && end >= cx->text ? (size_t)(end - cx->text) : 0;
    if (!root) {
        fail_at(cx, pos, "malformed JSON: look for a missing or extra comma, quote or "
                "bracket here or just before");
        return NULL;
    }
    pos = skip_blank(cx, pos);
    if (pos < cx->len) {
        fail_at(cx, pos, "unexpected text after the JSON object");
        cJSON_Delete(root);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        fail_at(cx, NOWHERE, "a stabilized method file is a JSON object {\"format\": \""
                FORMAT_NAME "\", ...}, not a single value or list");
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

static rk_stab *parse_len(const char *json, size_t len, const char *where,
                          rk_error *err)
{
    jctx cx = {where ? where : "<stabilized>", json, len, err};
    if (!json) {
        fail_at(&cx, NOWHERE, "no text");
        return NULL;
    }
    cJSON *root = parse_document(&cx);
    if (!root)
        return NULL;
    rk_stab *m = NULL;
    if (read_header(&cx, root) == 0)
        m = read_body(&cx, root);
    if (m && (read_stages(&cx, root, m) || read_name(&cx, root, m) ||
              read_claims(&cx, root, m) || read_description(&cx, root, m))) {
        stab_free(m);
        m = NULL;
    }
    cJSON_Delete(root);
    return m;
}

rk_stab *stab_parse(const char *json, const char *where, rk_error *err)
{
    return parse_len(json, json ? strlen(json) : 0, where, err);
}

rk_stab *stab_read(const char *path, rk_error *err)
{
    size_t len;
    char *text = rk_read_file(path, FILE_LIMIT, &len, err);
    if (!text)
        return NULL;
    rk_stab *m = parse_len(text, len, path, err);
    free(text);
    return m;
}

int stab_is_text(const char *json)
{
    if (!json)
        return 0;
    cJSON *root = cJSON_Parse(json);
    const cJSON *f = cJSON_IsObject(root) ? json_member(root, "format") : NULL;
    int yes = cJSON_IsString(f) && strcmp(f->valuestring, FORMAT_NAME) == 0;
    cJSON_Delete(root);
    return yes;
}
