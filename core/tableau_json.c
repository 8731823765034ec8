/* tableau_json.c - tableau files (docs/tableau-format.md), in and out.
 *
 * cJSON parses; the output is laid out here by hand so that one tableau
 * always gives the same bytes: fixed key order, one row of A per line,
 * coefficients as %.17g, which reads back to the same double.
 */
#include "tableau.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "jsonread.h"
#include "parse.h"

#define FORMAT_NAME "rkgen-tableau"
#define FORMAT_VERSION 1
#define FILE_LIMIT ((size_t)1 << 20)

static int n_exact(int s)
{
    return s * s + 2 * s;
}

/* ---- writing ---- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
    int oom;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_int(sbuf *b, int v)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d", v);
    sb_puts(b, buf);
}

/* 17 significant digits identify every double, so strtod gets it back. */
static void sb_number(sbuf *b, double v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.17g", v);
    sb_puts(b, buf);
}

static void sb_string(sbuf *b, const char *s)
{
    sb_put(b, "\"", 1);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        char esc[8];
        if (ch == '"' || ch == '\\') {
            esc[0] = '\\';
            esc[1] = (char)ch;
            sb_put(b, esc, 2);
        } else if (ch < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", ch);
            sb_puts(b, esc);
        } else {
            sb_put(b, s, 1);
        }
    }
    sb_put(b, "\"", 1);
}

static void sb_numbers(sbuf *b, const double *x, int n)
{
    sb_puts(b, "[");
    for (int i = 0; i < n; i++) {
        if (i)
            sb_puts(b, ", ");
        sb_number(b, x[i]);
    }
    sb_puts(b, "]");
}

static void sb_texts(sbuf *b, char *const *x, int n)
{
    sb_puts(b, "[");
    for (int i = 0; i < n; i++) {
        if (i)
            sb_puts(b, ", ");
        if (x[i])
            sb_string(b, x[i]);
        else
            sb_puts(b, "null");
    }
    sb_puts(b, "]");
}

/* One row per line; rows at indent + 2 spaces. */
static void sb_matrix(sbuf *b, const double *A, char *const *texts, int s,
                      const char *indent)
{
    sb_puts(b, "[\n");
    for (int i = 0; i < s; i++) {
        sb_puts(b, indent);
        sb_puts(b, "  ");
        if (texts)
            sb_texts(b, texts + i * s, s);
        else
            sb_numbers(b, A + i * s, s);
        sb_puts(b, i + 1 < s ? ",\n" : "\n");
    }
    sb_puts(b, indent);
    sb_puts(b, "]");
}

/* The shortest decimal that reads back to v, so metadata written by other
 * tools (0.1, 42) comes back as it was. */
static void shortest(double v, char *buf, size_t size)
{
    /* whole numbers as whole numbers: 3000, not 3e+03 */
    if (fabs(v) < 1e15 && v == (double)(long long)v && !signbit(v)) {
        snprintf(buf, size, "%lld", (long long)v);
        return;
    }
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* Turns every number of a metadata tree into a raw token printed by
 * shortest(): cJSON's own printer may drop the last bits of a double.
 * Returns 0, 1 if a number is not finite, -1 when out of memory. */
static int canonical_numbers(cJSON *node)
{
    cJSON *item = node->child;
    while (item) {
        cJSON *next = item->next;
        if (cJSON_IsNumber(item)) {
            char buf[32];
            if (!isfinite(item->valuedouble))
                return 1;
            shortest(item->valuedouble, buf, sizeof buf);
            cJSON *raw = cJSON_CreateRaw(buf);
            if (!raw)
                return -1;
            /* replacing by pointer leaves the key behind; move it over */
            raw->string = item->string;
            raw->type |= item->type & cJSON_StringIsConst;
            item->string = NULL;
            cJSON_ReplaceItemViaPointer(node, item, raw);
        } else if (cJSON_IsArray(item) || cJSON_IsObject(item)) {
            int rc = canonical_numbers(item);
            if (rc)
                return rc;
        }
        item = next;
    }
    return 0;
}

/* The compact text of a metadata object, malloc'd; NULL if it is not an
 * object, holds a non-finite number, or memory runs out. */
static char *metadata_text(cJSON *obj)
{
    if (!cJSON_IsObject(obj) || canonical_numbers(obj))
        return NULL;
    char *printed = cJSON_PrintUnformatted(obj);
    char *text = printed ? strdup(printed) : NULL;
    cJSON_free(printed);
    return text;
}

static char *metadata_from_text(const char *json)
{
    cJSON *obj = cJSON_Parse(json);
    char *text = obj ? metadata_text(obj) : NULL;
    cJSON_Delete(obj);
    return text;
}

static int all_finite(const rk_tableau *t)
{
    int s = t->s;
    for (int k = 0; k < s * s; k++)
        if (!isfinite(t->A[k]))
            return 0;
    for (int i = 0; i < s; i++)
        if (!isfinite(t->b[i]) || !isfinite(t->c[i]) ||
            (t->bhat && !isfinite(t->bhat[i])))
            return 0;
    return 1;
}

static int any_text(char *const *texts, int n)
{
    for (int k = 0; texts && k < n; k++)
        if (texts[k])
            return 1;
    return 0;
}

static int any_exact(const rk_tableau *t)
{
    return any_text(t->exact, n_exact(t->s)) ||
           (t->bhat && any_text(t->bhat_exact, t->s));
}

static void sb_exact(sbuf *b, const rk_tableau *t)
{
    int s = t->s;
    char **ex = t->exact;
    sb_puts(b, ",\n  \"exact\": {\n    ");
    if (ex) {
        sb_puts(b, "\"A\": ");
        sb_matrix(b, NULL, ex, s, "    ");
        sb_puts(b, ",\n    \"b\": ");
        sb_texts(b, ex + s * s, s);
        sb_puts(b, ",\n    \"c\": ");
        sb_texts(b, ex + s * s + s, s);
    }
    if (t->bhat && t->bhat_exact) {
        sb_puts(b, ex ? ",\n    \"bhat\": " : "\"bhat\": ");
        sb_texts(b, t->bhat_exact, s);
    }
    sb_puts(b, "\n  }");
}

/* The pair's scalars, after "order". */
static void sb_pair_header(sbuf *b, const rk_tableau *t)
{
    if (t->embedded_order > 0) {
        sb_puts(b, ",\n  \"embedded_order\": ");
        sb_int(b, t->embedded_order);
    }
    if (t->fsal)
        sb_puts(b, ",\n  \"fsal\": true");
}

char *tableau_to_json(const rk_tableau *t)
{
    if (!t || t->s < 1 || t->s > RK_MAX_STAGES || !t->A || !t->b || !t->c ||
        !all_finite(t))
        return NULL;
    char *meta = NULL, name[RK_NAME_MAX];
    if (t->metadata_json && !(meta = metadata_from_text(t->metadata_json)))
        return NULL;
    snprintf(name, sizeof name, "%s", t->name);
    sbuf b = {0};
    sb_puts(&b, "{\n  \"format\": \"" FORMAT_NAME "\",\n  \"version\": ");
    sb_int(&b, FORMAT_VERSION);
    sb_puts(&b, ",\n  \"name\": ");
    sb_string(&b, name);
    sb_puts(&b, ",\n  \"stages\": ");
    sb_int(&b, t->s);
    if (t->order > 0) {
        sb_puts(&b, ",\n  \"order\": ");
        sb_int(&b, t->order);
    }
    sb_pair_header(&b, t);
    if (t->description) {
        sb_puts(&b, ",\n  \"description\": ");
        sb_string(&b, t->description);
    }
    sb_puts(&b, ",\n  \"A\": ");
    sb_matrix(&b, t->A, NULL, t->s, "  ");
    sb_puts(&b, ",\n  \"b\": ");
    sb_numbers(&b, t->b, t->s);
    sb_puts(&b, ",\n  \"c\": ");
    sb_numbers(&b, t->c, t->s);
    if (t->bhat) {
        sb_puts(&b, ",\n  \"bhat\": ");
        sb_numbers(&b, t->bhat, t->s);
    }
    if (any_exact(t))
        sb_exact(&b, t);
    if (meta) {
        sb_puts(&b, ",\n  \"metadata\": ");
        sb_puts(&b, meta);
    }
    sb_puts(&b, "\n}\n");
    free(meta);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* ---- reading ---- */

typedef struct jctx {
    const char *file;
    rk_error *err;
    int plain; /* no "format"/"version": a plain Butcher tableau */
} jctx;

static int fail(const jctx *cx, const char *fmt, ...) RK_PRINTF(2, 3);

/* Sets the error to "file: message"; returns -1. */
static int fail(const jctx *cx, const char *fmt, ...)
{
    char msg[RK_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rk_error_set(cx->err, "%s: %s", cx->file, msg);
    return -1;
}

static void fail_at(const jctx *cx, const char *text, size_t len,
                    size_t offset, const char *msg)
{
    int line = 1;
    size_t start = 0;
    for (size_t i = 0; i < offset && i < len; i++)
        if (text[i] == '\n') {
            line++;
            start = i + 1;
        }
    size_t end = start;
    while (end < len && text[end] != '\n' && text[end] != '\r')
        end++;
    rk_error_at(cx->err, cx->file, line, (int)(offset - start) + 1,
                text + start, end - start, "%s", msg);
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* The document's root object, or NULL with the error set. */
static cJSON *parse_document(const jctx *cx, const char *text, size_t len)
{
    size_t pos = 0;
    while (pos < len && is_blank(text[pos]))
        pos++;
    if (pos == len) {
        fail(cx, "the file is empty; a tableau file is a JSON object "
             "{\"format\": \"" FORMAT_NAME "\", ...}");
        return NULL;
    }
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        fail_at(cx, text, len, (size_t)(nul - text),
                "a NUL byte; a tableau file is JSON text");
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    pos = end && end >= text ? (size_t)(end - text) : 0;
    if (!root) {
        fail_at(cx, text, len, pos, "malformed JSON: look for a missing or "
                "extra comma, quote or bracket here or just before");
        return NULL;
    }
    while (pos < len && is_blank(text[pos]))
        pos++;
    if (pos < len) {
        fail_at(cx, text, len, pos, "unexpected text after the JSON object");
        cJSON_Delete(root);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        fail(cx, "a tableau file is a JSON object {\"format\": \""
             FORMAT_NAME "\", ...}, not a single value or list");
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* Rejects keys outside `allowed` (a NULL-terminated list) and repeated
 * keys, which cJSON would otherwise resolve silently to the first. */
static int check_keys(const jctx *cx, const cJSON *obj,
                      const char *const *allowed, const char *where)
{
    char buf[64], list[256];
    int repeated, nth;
    const cJSON *item = json_bad_key(obj, allowed, &repeated, &nth);
    if (!item)
        return 0;
    const char *key = json_shown(item->string ? item->string : "", buf, sizeof buf);
    if (repeated)
        return fail(cx, "key \"%s\" appears twice in %s", key, where);
    return fail(cx, "unknown key \"%s\" in %s; the keys are: %s", key, where,
                json_key_list(allowed, list, sizeof list));
}

static const char *const top_keys[] = {
    "format", "version", "name", "stages", "order", "embedded_order", "fsal",
    "description", "A", "b", "c", "bhat", "exact", "metadata", NULL};
static const char *const exact_keys[] = {"A", "b", "c", "bhat", NULL};

/* What a plain file may hold: the format's keys but the header. */
static const char *const plain_keys[] = {
    "name", "stages", "order", "embedded_order", "fsal", "description", "A",
    "b", "c", "bhat", "exact", "metadata", NULL};

/* Files kept by hand or written by other tools carry no header at all;
 * one with half a header is a damaged rkgen file and gets today's errors. */
static int read_header(jctx *cx, const cJSON *root)
{
    char buf[64];
    const cJSON *f = json_member(root, "format"), *v = json_member(root, "version");
    if (!f && !v) {
        cx->plain = 1;
        return check_keys(cx, root, plain_keys, "the tableau");
    }
    if (!f)
        return fail(cx, "missing key \"format\"; a tableau file begins "
                    "{\"format\": \"" FORMAT_NAME "\", \"version\": %d",
                    FORMAT_VERSION);
    if (!cJSON_IsString(f) || strcmp(f->valuestring, FORMAT_NAME) != 0)
        return fail(cx, "\"format\" is %s%s%s, not \"" FORMAT_NAME "\"; this "
                    "is not an rkgen tableau file",
                    cJSON_IsString(f) ? "\"" : "",
                    cJSON_IsString(f) ? json_shown(f->valuestring, buf, sizeof buf)
                                      : json_type_name(f),
                    cJSON_IsString(f) ? "\"" : "");
    if (check_keys(cx, root, top_keys, "the tableau"))
        return -1;
    if (!v)
        return fail(cx, "missing key \"version\" (this rkgen reads version "
                    "%d)", FORMAT_VERSION);
    if (!json_is_whole(v, FORMAT_VERSION, FORMAT_VERSION))
        return fail(cx, "unsupported \"version\"; this rkgen reads version %d",
                    FORMAT_VERSION);
    return 0;
}

/* A plain file's stage count is its number of weights. */
static int plain_stages(const jctx *cx, const cJSON *root, int *s)
{
    const cJSON *b = json_member(root, "b");
    if (!cJSON_IsArray(b))
        return fail(cx, "%s; a file without \"format\"/\"version\" is read as "
                    "a plain Butcher tableau {\"A\": ..., \"b\": ..., \"c\": ...}",
                    b ? "\"b\" is not a list" : "missing key \"b\"");
    int n = cJSON_GetArraySize(b);
    if (n < 1 || n > RK_MAX_STAGES)
        return fail(cx, "\"b\" has %d entries; rkgen supports 1 to %d stages",
                    n, RK_MAX_STAGES);
    *s = n;
    return 0;
}

static int read_stages(const jctx *cx, const cJSON *root, int *s)
{
    const cJSON *x = json_member(root, "stages");
    if (!x && cx->plain)
        return plain_stages(cx, root, s);
    if (!x)
        return fail(cx, "missing key \"stages\" (the number of stages, 1 to "
                    "%d)", RK_MAX_STAGES);
    if (json_is_whole(x, RK_MAX_STAGES + 1, INFINITY))
        return fail(cx, "%g stages is too many; rkgen supports at most %d",
                    x->valuedouble, RK_MAX_STAGES);
    if (!json_is_whole(x, 1, RK_MAX_STAGES))
        return fail(cx, "\"stages\" must be a whole number from 1 to %d",
                    RK_MAX_STAGES);
    *s = (int)x->valuedouble;
    return 0;
}

/* A plain file's name is its file name without directory and extension,
 * with the characters a name may not hold made '_'. */
static void plain_name(const char *file, char *name)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    if (n >= RK_NAME_MAX)
        n = RK_NAME_MAX - 1;
    for (size_t i = 0; i < n; i++) {
        char ch[2] = {base[i], '\0'};
        name[i] = tableau_name_ok(ch) ? base[i] : '_';
    }
    name[n] = '\0';
    if (n == 0 || strcmp(file, "<tableau>") == 0)
        strcpy(name, "tableau");
}

static int read_name(const jctx *cx, const cJSON *root, rk_tableau *t)
{
    char buf[80];
    const cJSON *x = json_member(root, "name");
    if (!x && cx->plain) {
        plain_name(cx->file, t->name);
        return 0;
    }
    if (!x)
        return fail(cx, "missing key \"name\"");
    if (!cJSON_IsString(x))
        return fail(cx, "\"name\" must be a string, not %s", json_type_name(x));
    if (!tableau_name_ok(x->valuestring))
        return fail(cx, "invalid name \"%s\": a name is 1 to %d of the "
                    "characters A-Z a-z 0-9 _ . + - (it is copied into "
                    "generated C and file names)",
                    json_shown(x->valuestring, buf, sizeof buf), RK_NAME_MAX - 1);
    snprintf(t->name, sizeof t->name, "%s", x->valuestring);
    return 0;
}

static int read_order(const jctx *cx, const cJSON *root, rk_tableau *t)
{
    const cJSON *x = json_member(root, "order");
    if (!x)
        return 0;
    if (!json_is_whole(x, 0, t->s))
        return fail(cx, "\"order\" must be a whole number from 0 (unknown) to "
                    "%d, the number of stages", t->s);
    t->order = (int)x->valuedouble;
    return 0;
}

static int read_pair_header(const jctx *cx, const cJSON *root, rk_tableau *t)
{
    const cJSON *q = json_member(root, "embedded_order"), *f = json_member(root, "fsal");
    if (q && !json_is_whole(q, 0, t->s))
        return fail(cx, "\"embedded_order\" must be a whole number from 0 "
                    "(unknown) to %d, the number of stages", t->s);
    if (f && !cJSON_IsBool(f))
        return fail(cx, "\"fsal\" must be true or false, not %s",
                    json_type_name(f));
    t->embedded_order = q ? (int)q->valuedouble : 0;
    t->fsal = f && cJSON_IsTrue(f);
    return 0;
}

static int read_description(const jctx *cx, const cJSON *root, rk_tableau *t)
{
    const cJSON *x = json_member(root, "description");
    if (!x || cJSON_IsNull(x))
        return 0;
    if (!cJSON_IsString(x))
        return fail(cx, "\"description\" must be a string, not %s",
                    json_type_name(x));
    t->description = strdup(x->valuestring);
    return t->description ? 0 : fail(cx, "out of memory");
}

/* Evaluates the constant expression of a string entry. */
static int eval_text(const jctx *cx, const char *label, const char *text,
                     double *v)
{
    char buf[80];
    rk_error e;
    if (ex_const_eval(text, v, &e) != 0) {
        /* The parser's first line says what is wrong; the rest repeats
         * the text with a caret, too much for a one-line message. */
        e.text[strcspn(e.text, "\n")] = '\0';
        return fail(cx, "%s = \"%s\": %s", label,
                    json_shown(text, buf, sizeof buf), e.text);
    }
    if (!isfinite(*v))
        return fail(cx, "%s = \"%s\" is not a finite number", label,
                    json_shown(text, buf, sizeof buf));
    return 0;
}

/* One coefficient: a number, or a string holding its exact expression. */
static int read_coef(const jctx *cx, const cJSON *x, const char *label,
                     double *v, char **text)
{
    if (cJSON_IsNumber(x)) {
        if (!isfinite(x->valuedouble))
            return fail(cx, "%s is not a finite number (too large for a "
                        "double)", label);
        *v = x->valuedouble;
        return 0;
    }
    if (!cJSON_IsString(x))
        return fail(cx, "%s must be a number or a string holding an exact "
                    "value such as \"1/6\", not %s", label, json_type_name(x));
    if (eval_text(cx, label, x->valuestring, v))
        return -1;
    *text = strdup(x->valuestring);
    return *text ? 0 : fail(cx, "out of memory");
}

static const cJSON *list_member(const jctx *cx, const cJSON *obj,
                                const char *key, const char *what)
{
    const cJSON *x = json_member(obj, key);
    if (!x)
        fail(cx, "missing key \"%s\" (%s)", key, what);
    else if (!cJSON_IsArray(x)) {
        fail(cx, "\"%s\" must be a list (%s), not %s", key, what,
             json_type_name(x));
        x = NULL;
    }
    return x;
}

static int read_vector(const jctx *cx, const cJSON *root, const char *key,
                       rk_tableau *t, double *v, char **texts)
{
    const cJSON *x = list_member(cx, root, key, "one number per stage");
    if (!x)
        return -1;
    int n = cJSON_GetArraySize(x), i = 0;
    if (n != t->s)
        return fail(cx, "\"%s\" has %d %s; expected %d, one per stage", key,
                    n, n == 1 ? "entry" : "entries", t->s);
    const cJSON *e;
    cJSON_ArrayForEach(e, x) {
        char label[32];
        snprintf(label, sizeof label, "%s[%d]", key, i + 1);
        if (read_coef(cx, e, label, &v[i], &texts[i]))
            return -1;
        i++;
    }
    return 0;
}

/* Row i (from 0) of A holds either its i entries left of the diagonal or
 * all s entries. */
static int row_size_ok(const jctx *cx, const char *key, const cJSON *row,
                       int i, int s)
{
    if (!cJSON_IsArray(row))
        return fail(cx, "row %d of \"%s\" must be a list, not %s", i + 1, key,
                    json_type_name(row));
    int n = cJSON_GetArraySize(row);
    if (n != i && n != s)
        return fail(cx, "row %d of \"%s\" has %d %s; expected %d (the "
                    "entries left of the diagonal) or %d (the whole row)",
                    i + 1, key, n, n == 1 ? "entry" : "entries", i, s);
    return 0;
}

static int read_matrix(const jctx *cx, const cJSON *root, rk_tableau *t)
{
    const cJSON *x = list_member(cx, root, "A", "one list per stage");
    if (!x)
        return -1;
    int s = t->s, n = cJSON_GetArraySize(x), i = 0;
    if (n != s)
        return fail(cx, "\"A\" has %d %s; expected %d, one per stage", n,
                    n == 1 ? "row" : "rows", s);
    const cJSON *row;
    cJSON_ArrayForEach(row, x) {
        if (row_size_ok(cx, "A", row, i, s))
            return -1;
        int j = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, row) {
            char label[32];
            snprintf(label, sizeof label, "a[%d][%d]", i + 1, j + 1);
            if (read_coef(cx, e, label, &t->A[i * s + j], &t->exact[i * s + j]))
                return -1;
            j++;
        }
        i++;
    }
    return 0;
}

/* An entry of "exact": its text must round to the coefficient already
 * read, so that the two never disagree. */
static int read_exact_entry(const jctx *cx, const cJSON *x, const char *label,
                            double v, char **text)
{
    if (cJSON_IsNull(x))
        return 0;
    if (!cJSON_IsString(x))
        return fail(cx, "the exact value of %s must be a string or null, not "
                    "%s", label, json_type_name(x));
    char buf[80];
    double ex;
    if (eval_text(cx, label, x->valuestring, &ex))
        return -1;
    if (ex != v)
        return fail(cx, "the exact value of %s, \"%s\" = %.17g, differs from "
                    "the number given, %.17g; fix one or give only one", label,
                    json_shown(x->valuestring, buf, sizeof buf), ex, v);
    free(*text);
    *text = strdup(x->valuestring);
    return *text ? 0 : fail(cx, "out of memory");
}

static int read_exact_vector(const jctx *cx, const cJSON *obj,
                             const char *key, rk_tableau *t, const double *v,
                             char **texts)
{
    const cJSON *x = json_member(obj, key);
    if (!x)
        return 0;
    if (!cJSON_IsArray(x) || cJSON_GetArraySize(x) != t->s)
        return fail(cx, "\"exact\": \"%s\" must be a list of %d strings or "
                    "nulls, one per stage", key, t->s);
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, x) {
        char label[32];
        snprintf(label, sizeof label, "%s[%d]", key, i + 1);
        if (read_exact_entry(cx, e, label, v[i], &texts[i]))
            return -1;
        i++;
    }
    return 0;
}

static int read_exact_matrix(const jctx *cx, const cJSON *obj, rk_tableau *t)
{
    const cJSON *x = json_member(obj, "A");
    int s = t->s, i = 0;
    if (!x)
        return 0;
    if (!cJSON_IsArray(x) || cJSON_GetArraySize(x) != s)
        return fail(cx, "\"exact\": \"A\" must be a list of %d rows, one per "
                    "stage", s);
    const cJSON *row;
    cJSON_ArrayForEach(row, x) {
        if (row_size_ok(cx, "exact\": \"A", row, i, s))
            return -1;
        int j = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, row) {
            char label[32];
            snprintf(label, sizeof label, "a[%d][%d]", i + 1, j + 1);
            if (read_exact_entry(cx, e, label, t->A[i * s + j],
                                 &t->exact[i * s + j]))
                return -1;
            j++;
        }
        i++;
    }
    return 0;
}

/* The embedded weights, when the file gives them. */
static int read_bhat(const jctx *cx, const cJSON *root, rk_tableau *t)
{
    if (!json_member(root, "bhat"))
        return 0;
    t->bhat_exact = calloc((size_t)t->s, sizeof *t->bhat_exact);
    if (tableau_add_bhat(t) || !t->bhat_exact)
        return fail(cx, "out of memory");
    return read_vector(cx, root, "bhat", t, t->bhat, t->bhat_exact);
}

static int read_exact_bhat(const jctx *cx, const cJSON *obj, rk_tableau *t)
{
    if (!json_member(obj, "bhat"))
        return 0;
    if (!t->bhat)
        return fail(cx, "\"exact\" gives \"bhat\" but the tableau has no "
                    "\"bhat\"; give the embedded weights first");
    return read_exact_vector(cx, obj, "bhat", t, t->bhat, t->bhat_exact);
}

static int read_exact(const jctx *cx, const cJSON *root, rk_tableau *t)
{
    const cJSON *x = json_member(root, "exact");
    int s = t->s;
    if (!x || cJSON_IsNull(x))
        return 0;
    if (!cJSON_IsObject(x))
        return fail(cx, "\"exact\" must be an object {\"A\": ..., \"b\": ..., "
                    "\"c\": ...}, not %s", json_type_name(x));
    if (check_keys(cx, x, exact_keys, "\"exact\"") ||
        read_exact_matrix(cx, x, t) ||
        read_exact_vector(cx, x, "b", t, t->b, t->exact + s * s) ||
        read_exact_vector(cx, x, "c", t, t->c, t->exact + s * s + s) ||
        read_exact_bhat(cx, x, t))
        return -1;
    return 0;
}

static int read_metadata(const jctx *cx, cJSON *root, rk_tableau *t)
{
    cJSON *x = cJSON_GetObjectItemCaseSensitive(root, "metadata");
    if (!x)
        return 0;
    if (!cJSON_IsObject(x))
        return fail(cx, "\"metadata\" must be an object, not %s",
                    json_type_name(x));
    int rc = canonical_numbers(x);
    if (rc > 0)
        return fail(cx, "\"metadata\" holds a number too large for a double");
    t->metadata_json = rc ? NULL : metadata_text(x);
    return t->metadata_json ? 0 : fail(cx, "out of memory");
}

/* Texts are kept only where some coefficient has one. */
static void drop_empty_exact(rk_tableau *t)
{
    if (t->bhat_exact && !any_text(t->bhat_exact, t->s)) {
        free(t->bhat_exact);
        t->bhat_exact = NULL;
    }
    if (any_text(t->exact, n_exact(t->s)))
        return;
    free(t->exact);
    t->exact = NULL;
}

static rk_tableau *from_json(jctx *cx, cJSON *root)
{
    int s;
    s = 0;
    if (read_header(cx, root) || read_stages(cx, root, &s))
        return NULL;
    rk_tableau *t = tableau_new(s);
    if (t)
        t->exact = calloc((size_t)n_exact(s), sizeof *t->exact);
    if (!t || !t->exact) {
        tableau_free(t);
        fail(cx, "out of memory");
        return NULL;
    }
    if (read_name(cx, root, t) || read_order(cx, root, t) ||
        read_pair_header(cx, root, t) || read_description(cx, root, t) ||
        read_matrix(cx, root, t) ||
        read_vector(cx, root, "b", t, t->b, t->exact + s * s) ||
        read_vector(cx, root, "c", t, t->c, t->exact + s * s + s) ||
        read_bhat(cx, root, t) || read_exact(cx, root, t) ||
        read_metadata(cx, root, t)) {
        tableau_free(t);
        return NULL;
    }
    rk_error verr;
    if (tableau_validate(t, &verr)) {
        fail(cx, "%s", verr.text);
        tableau_free(t);
        return NULL;
    }
    drop_empty_exact(t);
    return t;
}

static rk_tableau *parse_noted(const char *file, const char *text,
                               size_t len, int *plain, rk_error *err)
{
    jctx cx = {file ? file : "<tableau>", err, 0};
    if (!text) {
        fail(&cx, "no text");
        return NULL;
    }
    cJSON *root = parse_document(&cx, text, len);
    if (!root)
        return NULL;
    rk_tableau *t = from_json(&cx, root);
    cJSON_Delete(root);
    if (plain)
        *plain = t && cx.plain;
    return t;
}

rk_tableau *tableau_parse_json(const char *file, const char *text,
                               size_t len, rk_error *err)
{
    return parse_noted(file, text, len, NULL, err);
}

static rk_tableau *read_noted(const char *path, int *plain, rk_error *err)
{
    size_t len;
    char *text = rk_read_file(path, FILE_LIMIT, &len, err);
    if (!text)
        return NULL;
    rk_tableau *t = parse_noted(path, text, len, plain, err);
    free(text);
    return t;
}

rk_tableau *tableau_read_json(const char *path, rk_error *err)
{
    return read_noted(path, NULL, err);
}

static void builtin_list(char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < tableau_builtin_count() && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
                              tableau_builtin_name(i));
}

static int is_builtin(const char *name)
{
    for (int i = 0; i < tableau_builtin_count(); i++)
        if (strcmp(tableau_builtin_name(i), name) == 0)
            return 1;
    return 0;
}

rk_tableau *tableau_resolve(const char *spec, rk_error *err)
{
    return tableau_resolve_noted(spec, NULL, err);
}

rk_tableau *tableau_resolve_noted(const char *spec, int *plain, rk_error *err)
{
    char list[512], buf[128];
    if (plain)
        *plain = 0;
    builtin_list(list, sizeof list);
    if (!spec || !*spec) {
        rk_error_set(err, "no tableau given; name a built-in (%s) or a JSON "
                     "file", list);
        return NULL;
    }
    if (is_builtin(spec)) {
        rk_tableau *t = tableau_builtin(spec);
        if (!t)
            rk_error_set(err, "out of memory");
        return t;
    }
    struct stat st;
    if (stat(spec, &st) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
        rk_error_set(err, "unknown tableau \"%s\": no built-in has that name "
                     "and there is no such file; the built-ins are %s",
                     json_shown(spec, buf, sizeof buf), list);
        return NULL;
    }
    return read_noted(spec, plain, err);
}
