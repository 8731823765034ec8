/* test_tableau.c - built-in tableaux, validation and the JSON format. */
#include <criterion/criterion.h>

#include <ctype.h>
#include <dirent.h>
#include <float.h>
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "support.h"
#include "tableau.h"

/* The built-ins and what each claims: stages, order, and for a pair the
 * embedded order and FSAL. */
static const struct {
    const char *name;
    int s, order, embedded, fsal;
} known[] = {
    {"euler", 1, 1, 0, 0},     {"midpoint", 2, 2, 0, 0}, {"heun", 2, 2, 0, 0},
    {"ralston", 2, 2, 0, 0},   {"kutta3", 3, 3, 0, 0},   {"heun3", 3, 3, 0, 0},
    {"ralston3", 3, 3, 0, 0},  {"ssprk3", 3, 3, 0, 0},   {"rk4", 4, 4, 0, 0},
    {"rk38", 4, 4, 0, 0},      {"ralston4", 4, 4, 0, 0}, {"dopri5", 7, 5, 4, 1},
    {"bs3", 4, 3, 2, 1},       {"tsit5", 7, 5, 4, 1},    {"cashkarp", 6, 5, 4, 0},
    {"fehlberg45", 6, 4, 5, 0},
};
#define NKNOWN ((int)(sizeof known / sizeof known[0]))

static rk_tableau *builtin(int i)
{
    rk_tableau *t = tableau_builtin(tableau_builtin_name(i));
    cr_assert_not_null(t, "built-in %d", i);
    return t;
}

static int contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

Test(tableau, builtins_are_the_known_list)
{
    cr_assert_eq(tableau_builtin_count(), NKNOWN);
    for (int i = 0; i < NKNOWN; i++) {
        cr_assert_str_eq(tableau_builtin_name(i), known[i].name);
        rk_tableau *t = builtin(i);
        cr_expect_str_eq(t->name, known[i].name);
        cr_expect_eq(t->s, known[i].s, "%s stages", t->name);
        cr_expect_eq(t->order, known[i].order, "%s order", t->name);
        cr_expect_eq(t->embedded_order, known[i].embedded, "%s embedded", t->name);
        cr_expect_eq(t->fsal, known[i].fsal, "%s fsal", t->name);
        cr_expect_eq(t->bhat != NULL, known[i].embedded > 0, "%s bhat", t->name);
        cr_expect(t->description && strlen(t->description) > 10,
                  "%s has a description", t->name);
        cr_expect(tableau_name_ok(t->name));
        tableau_free(t);
    }
    cr_expect_null(tableau_builtin_name(-1));
    cr_expect_null(tableau_builtin_name(NKNOWN));
    cr_expect_null(tableau_builtin("nope"));
    cr_expect_null(tableau_builtin(NULL));
}

Test(tableau, builtins_validate)
{
    for (int i = 0; i < NKNOWN; i++) {
        rk_tableau *t = builtin(i);
        rk_error e = {""};
        cr_expect_eq(tableau_validate(t, &e), 0, "%s: %s", t->name, e.text);
        tableau_free(t);
    }
}

/* Each double is its exact text evaluated in MPFR and rounded to nearest;
 * A is zero on and above the diagonal, with no text there. */
Test(tableau, builtins_exact_to_the_last_bit)
{
    mpfr_t x;
    mpfr_init2(x, 256);
    for (int i = 0; i < NKNOWN; i++) {
        rk_tableau *t = builtin(i);
        int s = t->s;
        cr_assert_not_null(t->exact);
        for (int k = 0; k < s * s + 2 * s; k++) {
            double v = k < s * s ? t->A[k]
                     : k < s * s + s ? t->b[k - s * s] : t->c[k - s * s - s];
            int upper = k < s * s && k % s >= k / s;
            if (upper) {
                cr_expect(v == 0 && !t->exact[k], "%s A[%d]", t->name, k);
                continue;
            }
            cr_assert_not_null(t->exact[k], "%s coefficient %d", t->name, k);
            rk_error e;
            cr_assert_eq(ex_const_eval_mp(t->exact[k], x, &e), 0, "%s", e.text);
            double want = mpfr_get_d(x, MPFR_RNDN);
            cr_expect(same_bits(v, want), "%s coefficient %d \"%s\": %a, not %a",
                      t->name, k, t->exact[k], v, want);
        }
        for (int k = 0; t->bhat && k < s; k++) {
            rk_error e;
            cr_assert_not_null(t->bhat_exact, "%s", t->name);
            cr_assert_eq(ex_const_eval_mp(t->bhat_exact[k], x, &e), 0, "%s", e.text);
            double want = mpfr_get_d(x, MPFR_RNDN);
            cr_expect(same_bits(t->bhat[k], want), "%s bhat[%d] \"%s\": %a, not %a",
                      t->name, k, t->bhat_exact[k], t->bhat[k], want);
        }
        for (int k = 0; t->dense && k < s * t->dense_degree; k++) {
            rk_error e;
            cr_assert_not_null(t->dense_exact, "%s", t->name);
            cr_assert_eq(ex_const_eval_mp(t->dense_exact[k], x, &e), 0, "%s", e.text);
            double want = mpfr_get_d(x, MPFR_RNDN);
            cr_expect(same_bits(t->dense[k], want), "%s dense[%d] \"%s\": %a, not %a",
                      t->name, k, t->dense_exact[k], t->dense[k], want);
        }
        tableau_free(t);
    }
    mpfr_clear(x);
}

/* c = A*1 and sum(b) = 1 hold exactly for the exact texts (to 2^-200). */
Test(tableau, builtins_exact_sums)
{
    mpfr_t x, sum;
    mpfr_inits2(256, x, sum, (mpfr_ptr)0);
    for (int i = 0; i < NKNOWN; i++) {
        rk_tableau *t = builtin(i);
        int s = t->s;
        rk_error e;
        for (int r = 0; r <= s + (t->bhat != NULL); r++) {
            /* rows of A against c, then b, then bhat against 1 */
            char **terms = r < s ? t->exact + r * s : r == s ? t->exact + s * s : t->bhat_exact;
            int n = r < s ? r : s;
            const char *target = r < s ? t->exact[s * s + s + r] : "1";
            cr_assert_eq(ex_const_eval_mp(target, sum, &e), 0, "%s", e.text);
            mpfr_neg(sum, sum, MPFR_RNDN);
            for (int j = 0; j < n; j++) {
                cr_assert_eq(ex_const_eval_mp(terms[j], x, &e), 0, "%s", e.text);
                mpfr_add(sum, sum, x, MPFR_RNDN);
            }
            cr_expect(mpfr_zero_p(sum) || mpfr_get_exp(sum) < -200,
                      "%s row %d: residual %g", t->name, r + 1,
                      mpfr_get_d(sum, MPFR_RNDN));
        }
        tableau_free(t);
    }
    mpfr_clears(x, sum, (mpfr_ptr)0);
}

/* ---- order conditions, over rooted trees up to order 5 ----
 * A tree is written "(" children ")"; its condition is
 * b . Phi(t) = 1/gamma(t) with Phi(leaf) = 1 and, for children t_k,
 * Phi(t)_i = prod_k (A Phi(t_k))_i. */
static const char *const trees[6][9] = {
    {0},
    {"()"},
    {"(())"},
    {"(()())", "((()))"},
    {"(()()())", "((())())", "((()()))", "(((())))"},
    {"(()()()())", "((())()())", "((())(()))", "((()())())", "(((()))())",
     "((()()()))", "(((())()))", "(((()())))", "((((()))))"},
};

/* Parses the tree at *p, fills phi (s entries); returns gamma. */
static double tree_weights(const rk_tableau *t, const char **p, double *phi)
{
    int s = t->s;
    double gamma = 1;
    int size = 1;
    for (int i = 0; i < s; i++)
        phi[i] = 1;
    cr_assert_eq(**p, '(');
    (*p)++;
    while (**p == '(') {
        const char *start = *p;
        double child[RK_MAX_STAGES];
        gamma *= tree_weights(t, p, child);
        int csize = (int)(*p - start) / 2;
        size += csize;
        for (int i = 0; i < s; i++) {
            double ac = 0;
            for (int j = 0; j < s; j++)
                ac += t->A[i * s + j] * child[j];
            phi[i] *= ac;
        }
    }
    cr_assert_eq(**p, ')');
    (*p)++;
    return gamma * size;
}

static double residual(const rk_tableau *t, const char *tree)
{
    double phi[RK_MAX_STAGES], bphi = 0;
    double gamma = tree_weights(t, &tree, phi);
    for (int i = 0; i < t->s; i++)
        bphi += t->b[i] * phi[i];
    return bphi - 1 / gamma;
}

Test(tableau, builtins_satisfy_their_order_conditions)
{
    for (int i = 0; i < NKNOWN; i++) {
        rk_tableau *t = builtin(i);
        /* rounding in double grows with the coefficients (tsit5's reach 13) */
        double big = 1;
        for (int k = 0; k < t->s * t->s; k++)
            big = fmax(big, fabs(t->A[k]));
        for (int p = 1; p <= t->order; p++)
            for (int k = 0; k < 9 && trees[p][k]; k++) {
                double r = residual(t, trees[p][k]);
                cr_expect(fabs(r) < 4e-15 * big, "%s tree %s: residual %g", t->name,
                          trees[p][k], r);
            }
        /* and the claimed order is the true one */
        if (t->order < 5) {
            double worst = 0;
            for (int k = 0; k < 9 && trees[t->order + 1][k]; k++)
                worst = fmax(worst, fabs(residual(t, trees[t->order + 1][k])));
            cr_expect(worst > 1e-6, "%s has order above %d", t->name, t->order);
        }
        tableau_free(t);
    }
}

/* The simplest conditions, by hand: b.c^(k-1) = 1/k, b A^(k-1) 1 = 1/k!. */
Test(tableau, builtins_tall_and_bushy_trees)
{
    for (int i = 0; i < NKNOWN; i++) {
        rk_tableau *t = builtin(i);
        int s = t->s;
        double v[RK_MAX_STAGES], w[RK_MAX_STAGES], fact = 1;
        for (int j = 0; j < s; j++)
            v[j] = 1;
        for (int k = 1; k <= t->order; k++) {
            double tall = 0, bushy = 0;
            fact *= k;
            for (int j = 0; j < s; j++) {
                tall += t->b[j] * v[j];
                bushy += t->b[j] * pow(t->c[j], k - 1);
            }
            cr_expect(fabs(tall - 1 / fact) < 4e-15, "%s tall %d", t->name, k);
            cr_expect(fabs(bushy - 1.0 / k) < 4e-15, "%s bushy %d", t->name, k);
            for (int r = 0; r < s; r++) {
                w[r] = 0;
                for (int j = 0; j < s; j++)
                    w[r] += t->A[r * s + j] * v[j];
            }
            memcpy(v, w, sizeof v);
        }
        tableau_free(t);
    }
}

/* ---- copies ---- */

static void expect_same_pair(const rk_tableau *a, const rk_tableau *b)
{
    cr_expect_eq(a->embedded_order, b->embedded_order, "%s embedded order", a->name);
    cr_expect_eq(a->fsal, b->fsal, "%s fsal", a->name);
    cr_assert_eq(a->bhat == NULL, b->bhat == NULL, "%s bhat", a->name);
    cr_expect_eq(a->bhat_exact == NULL, b->bhat_exact == NULL, "%s bhat texts", a->name);
    for (int i = 0; a->bhat && i < a->s; i++) {
        cr_expect(same_bits(a->bhat[i], b->bhat[i]), "%s bhat[%d]", a->name, i);
        const char *x = a->bhat_exact ? a->bhat_exact[i] : NULL;
        const char *y = b->bhat_exact ? b->bhat_exact[i] : NULL;
        cr_expect((x == NULL) == (y == NULL), "%s bhat text %d", a->name, i);
        if (x && y)
            cr_expect_str_eq(x, y);
    }
}

static void expect_same(const rk_tableau *a, const rk_tableau *b)
{
    int s = a->s;
    cr_assert_eq(a->s, b->s);
    cr_expect_str_eq(a->name, b->name);
    cr_expect_eq(a->order, b->order, "%s order", a->name);
    cr_expect((a->description == NULL) == (b->description == NULL));
    if (a->description && b->description)
        cr_expect_str_eq(a->description, b->description);
    cr_expect((a->metadata_json == NULL) == (b->metadata_json == NULL));
    if (a->metadata_json && b->metadata_json)
        cr_expect_str_eq(a->metadata_json, b->metadata_json);
    for (int k = 0; k < s * s; k++)
        cr_expect(same_bits(a->A[k], b->A[k]), "%s A[%d]: %a vs %a", a->name,
                  k, a->A[k], b->A[k]);
    for (int i = 0; i < s; i++) {
        cr_expect(same_bits(a->b[i], b->b[i]), "%s b[%d]", a->name, i);
        cr_expect(same_bits(a->c[i], b->c[i]), "%s c[%d]", a->name, i);
    }
    expect_same_pair(a, b);
    cr_expect((a->exact == NULL) == (b->exact == NULL), "%s exact", a->name);
    for (int k = 0; a->exact && b->exact && k < s * s + 2 * s; k++) {
        cr_expect((a->exact[k] == NULL) == (b->exact[k] == NULL));
        if (a->exact[k] && b->exact[k])
            cr_expect_str_eq(a->exact[k], b->exact[k]);
    }
}

Test(tableau, copy_is_deep)
{
    rk_tableau *t = tableau_builtin("ralston4");
    t->metadata_json = strdup("{\"k\":1}");
    rk_tableau *u = tableau_copy(t);
    cr_assert_not_null(u);
    expect_same(t, u);
    cr_expect_neq(t->A, u->A);
    cr_expect_neq(t->exact, u->exact);
    cr_expect_neq(t->exact[4], u->exact[4]);
    cr_expect_neq(t->description, u->description);
    cr_expect_neq(t->metadata_json, u->metadata_json);
    tableau_free(t);
    tableau_free(u);
    tableau_free(NULL);
    cr_expect_null(tableau_copy(NULL));
}

Test(tableau, copy_of_a_pair_is_deep)
{
    rk_tableau *t = tableau_builtin("dopri5");
    rk_tableau *u = tableau_copy(t);
    cr_assert_not_null(u);
    expect_same(t, u);
    cr_expect_neq(t->bhat, u->bhat);
    cr_expect_neq(t->bhat_exact, u->bhat_exact);
    cr_expect_neq(t->bhat_exact[0], u->bhat_exact[0]);
    cr_expect_str_eq(u->bhat_exact[6], "1/40");
    tableau_free(t);
    tableau_free(u);
}

Test(tableau, new_rejects_bad_sizes)
{
    cr_expect_null(tableau_new(0));
    cr_expect_null(tableau_new(-1));
    cr_expect_null(tableau_new(RK_MAX_STAGES + 1));
    rk_tableau *t = tableau_new(RK_MAX_STAGES);
    cr_assert_not_null(t);
    cr_expect_eq(t->s, RK_MAX_STAGES);
    cr_expect_null(t->exact);
    cr_expect_eq(t->A[RK_MAX_STAGES * RK_MAX_STAGES - 1], 0);
    tableau_free(t);
}

/* ---- names ---- */

Test(tableau, name_ok)
{
    cr_expect(tableau_name_ok("rk4"));
    cr_expect(tableau_name_ok("A-b_c.d+e9"));
    cr_expect(tableau_name_ok("x"));
    char long_name[80];
    memset(long_name, 'x', sizeof long_name);
    long_name[63] = '\0';
    cr_expect(tableau_name_ok(long_name));
    long_name[63] = 'x';
    long_name[64] = '\0';
    cr_expect_not(tableau_name_ok(long_name));
    cr_expect_not(tableau_name_ok(""));
    cr_expect_not(tableau_name_ok(NULL));
    cr_expect_not(tableau_name_ok("a b"));
    cr_expect_not(tableau_name_ok("a*/b"));
    cr_expect_not(tableau_name_ok("a/b"));
    cr_expect_not(tableau_name_ok("a\nb"));
    cr_expect_not(tableau_name_ok("caf\xc3\xa9"));
}

/* ---- validation ---- */

static void expect_invalid(rk_tableau *t, const char *fragment)
{
    rk_error e = {""};
    cr_expect_neq(tableau_validate(t, &e), 0, "accepted; wanted \"%s\"",
                  fragment);
    cr_expect(contains(e.text, fragment), "\"%s\" lacks \"%s\"", e.text,
              fragment);
    cr_expect_null(strchr(e.text, '\n'), "not one line: %s", e.text);
}

Test(tableau, validate_explicitness)
{
    rk_tableau *t = tableau_builtin("rk4");
    t->A[1 * 4 + 1] = 0.5;
    expect_invalid(t, "not explicit: a[2][2] = 0.5 is on the diagonal");
    t->A[1 * 4 + 1] = 0;
    t->A[0 * 4 + 3] = -2;
    expect_invalid(t, "not explicit: a[1][4] = -2 is above the diagonal");
    tableau_free(t);
}

Test(tableau, validate_row_sums)
{
    rk_tableau *t = tableau_builtin("dopri5");
    rk_error e;
    /* a few ulps are rounding, not a mistake */
    t->c[5] = nextafter(nextafter(1.0, 2.0), 2.0);
    cr_expect_eq(tableau_validate(t, &e), 0, "%s", e.text);
    t->c[5] = 1 + 1e-12;
    expect_invalid(t, "c[6] = 1.0000000000010001 but row 6 of A sums to 1;");
    expect_invalid(t, "c[6] must equal a[6][1] + ... + a[6][5]");
    t->c[5] = 1;
    t->c[0] = 1e-300;
    expect_invalid(t, "c[1] = 1e-300 but row 1 of A is empty");
    tableau_free(t);
}

Test(tableau, validate_pairs)
{
    rk_tableau *t = tableau_builtin("bs3");
    rk_error e;
    cr_expect_eq(tableau_validate(t, &e), 0, "%s", e.text);
    t->A[3 * 4 + 1] = nextafter(t->A[3 * 4 + 1], 1.0);
    t->b[1] = t->A[3 * 4 + 1];
    t->b[2] = nextafter(t->b[2], 0.0);
    expect_invalid(t, "\"fsal\" is set but a[4][3] = 0.44444444444444442 differs from "
                      "b[3] = 0.44444444444444436");
    t->fsal = 0;
    cr_expect_eq(tableau_validate(t, &e), 0, "%s", e.text);
    t->bhat[3] = NAN;
    expect_invalid(t, "bhat[4] = nan is not finite");
    t->bhat[3] = 0.25;
    expect_invalid(t, "the embedded weights bhat sum to 1.125, not 1");
    t->bhat[3] = 0.125;
    t->embedded_order = -1;
    expect_invalid(t, "embedded order -1 is impossible");
    t->embedded_order = 2;
    free(t->bhat_exact[0]);
    t->bhat_exact[0] = strdup("7/24 /* c */");
    expect_invalid(t, "the exact text of bhat[1] contains");
    tableau_free(t);
    /* FSAL with a last abscissa other than 1 cannot pass the row sums:
     * a last row equal to b sums to 1 */
    t = tableau_builtin("rk4");
    t->fsal = 1;
    expect_invalid(t, "\"fsal\" is set but a[4][1] = 0 differs from b[1]");
    tableau_free(t);
}

Test(tableau, validate_weights)
{
    rk_tableau *t = tableau_builtin("ralston4");
    rk_error e;
    t->b[3] = nextafter(t->b[3], 1.0);
    cr_expect_eq(tableau_validate(t, &e), 0, "%s", e.text);
    t->b[3] += 1e-9;
    expect_invalid(t, "the weights b sum to 1.000000001");
    tableau_free(t);
}

Test(tableau, validate_finite)
{
    rk_tableau *t = tableau_builtin("heun");
    t->b[1] = NAN;
    expect_invalid(t, "b[2] = nan is not finite");
    t->b[1] = 0.5;
    t->A[2] = INFINITY;
    expect_invalid(t, "a[2][1] = inf is not finite");
    tableau_free(t);
}

Test(tableau, validate_sizes_and_order)
{
    rk_tableau *t = tableau_builtin("heun");
    t->order = 3;
    expect_invalid(t, "order 3 is impossible: an explicit method with 2 "
                      "stages has order at most 2");
    t->order = -1;
    expect_invalid(t, "order -1 is negative");
    t->order = 2;
    t->s = 0;
    expect_invalid(t, "a tableau has 1 to 16 stages, not 0");
    t->s = 17;
    expect_invalid(t, "a tableau has 1 to 16 stages, not 17");
    t->s = 2;
    rk_error e;
    cr_expect_eq(tableau_validate(NULL, &e), -1);
    tableau_free(t);
}

Test(tableau, validate_texts)
{
    rk_tableau *t = tableau_builtin("heun");
    free(t->description);
    t->description = strdup("closes */ a comment");
    expect_invalid(t, "the description contains \"*/\"");
    free(t->description);
    t->description = strdup("two\nlines");
    expect_invalid(t, "the description has a character that is not printable");
    free(t->description);
    t->description = NULL;
    free(t->exact[2]);
    t->exact[2] = strdup("1 /* one */");
    expect_invalid(t, "the exact text of a[2][1] contains");
    free(t->exact[2]);
    t->exact[2] = strdup("");
    expect_invalid(t, "the exact text of a[2][1] is empty");
    free(t->exact[2]);
    t->exact[2] = NULL;
    strcpy(t->name, "bad name");
    expect_invalid(t, "invalid name \"bad name\"");
    t->name[0] = '\0';
    rk_error e;
    cr_expect_eq(tableau_validate(t, &e), 0, "unnamed is fine: %s", e.text);
    tableau_free(t);
}

/* ---- JSON ---- */

static rk_tableau *parse_text(const char *text, rk_error *e)
{
    return tableau_parse_json("mem.json", text, strlen(text), e);
}

static void expect_round_trip(const rk_tableau *t)
{
    char *json = tableau_to_json(t);
    cr_assert_not_null(json, "%s", t->name);
    rk_error e = {""};
    rk_tableau *u = parse_text(json, &e);
    cr_assert_not_null(u, "%s: %s\n%s", t->name, e.text, json);
    expect_same(t, u);
    char *again = tableau_to_json(u);
    cr_assert_not_null(again);
    cr_expect_str_eq(again, json, "not deterministic");
    free(again);
    free(json);
    tableau_free(u);
}

Test(tableau, json_round_trip_builtins)
{
    for (int i = 0; i < NKNOWN; i++) {
        rk_tableau *t = builtin(i);
        expect_round_trip(t);
        tableau_free(t);
    }
}

/* A pair of doubles only, and one whose only texts are bhat's. */
Test(tableau, json_round_trip_pairs_without_texts)
{
    rk_tableau *t = tableau_builtin("cashkarp");
    for (int k = 0; k < t->s * t->s + 2 * t->s; k++) {
        free(t->exact[k]);
        t->exact[k] = NULL;
    }
    free(t->exact);
    t->exact = NULL;
    expect_round_trip(t);
    char *json = tableau_to_json(t);
    cr_assert_not_null(json);
    cr_expect(contains(json, "\"exact\": {\n    \"bhat\": [\"2825/27648\""), "%s", json);
    free(json);
    for (int k = 0; k < t->s; k++) {
        free(t->bhat_exact[k]);
        t->bhat_exact[k] = NULL;
    }
    free(t->bhat_exact);
    t->bhat_exact = NULL;
    expect_round_trip(t);
    json = tableau_to_json(t);
    cr_expect(!contains(json, "\"exact\""), "%s", json);
    cr_expect(contains(json, "\"embedded_order\": 4,\n"), "%s", json);
    cr_expect(!contains(json, "\"fsal\""), "cashkarp is not FSAL: %s", json);
    free(json);
    tableau_free(t);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Doubles whose shortest decimal is long, awkward or extreme. */
static double awkward(void)
{
    static const double special[] = {0.0, -0.0, 5e-324, DBL_MIN,
                                     0x1.fffffffffffffp-1, 0.1, 1e-300,
                                     -0x1.0000000000001p+0};
    uint64_t r = next_u64();
    if (r % 5 == 0)
        return special[(r >> 8) % (sizeof special / sizeof special[0])];
    double m = (double)(next_u64() >> 11) * 0x1p-53; /* [0, 1) */
    double v = ldexp(0.5 + m / 2, (int)(r >> 8) % 80 - 40);
    return (r >> 20) & 1 ? -v : v;
}

/* A random tableau that validates: c from exact row sums, b closed to 1. */
static rk_tableau *random_tableau(int s)
{
    rk_tableau *t = tableau_new(s);
    long double bsum = 0;
    for (int i = 0; i < s; i++) {
        long double row = 0;
        for (int j = 0; j < i; j++)
            row += t->A[i * s + j] = awkward();
        t->c[i] = (double)row;
        t->b[i] = i + 1 < s ? fabs(awkward()) / s : (double)(1 - bsum);
        bsum += t->b[i];
    }
    snprintf(t->name, sizeof t->name, "random-%d", s);
    return t;
}

Test(tableau, json_round_trip_is_bit_exact)
{
    for (int n = 0; n < 300; n++) {
        rk_tableau *t = random_tableau(1 + n % RK_MAX_STAGES);
        rk_error e;
        if (tableau_validate(t, &e) != 0) { /* b closing can lose bits */
            tableau_free(t);
            continue;
        }
        expect_round_trip(t);
        tableau_free(t);
    }
}

Test(tableau, json_17_digits_round_trip)
{
    for (int n = 0; n < 100000; n++) {
        uint64_t bits = next_u64();
        double v, back;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        char buf[32];
        snprintf(buf, sizeof buf, "%.17g", v);
        back = strtod(buf, NULL);
        cr_assert(same_bits(v, back), "%a -> %s -> %a", v, buf, back);
    }
}

static const char rk4_json[] =
    "{\n"
    "  \"format\": \"rkgen-tableau\",\n"
    "  \"version\": 1,\n"
    "  \"name\": \"rk4\",\n"
    "  \"stages\": 4,\n"
    "  \"order\": 4,\n"
    "  \"description\": \"Classical fourth-order Runge-Kutta method "
    "(Kutta 1901, Z. Math. Phys. 46:435-453)\",\n"
    "  \"A\": [\n"
    "    [0, 0, 0, 0],\n"
    "    [0.5, 0, 0, 0],\n"
    "    [0, 0.5, 0, 0],\n"
    "    [0, 0, 1, 0]\n"
    "  ],\n"
    "  \"b\": [0.16666666666666666, 0.33333333333333331, "
    "0.33333333333333331, 0.16666666666666666],\n"
    "  \"c\": [0, 0.5, 0.5, 1],\n"
    "  \"exact\": {\n"
    "    \"A\": [\n"
    "      [null, null, null, null],\n"
    "      [\"1/2\", null, null, null],\n"
    "      [\"0\", \"1/2\", null, null],\n"
    "      [\"0\", \"0\", \"1\", null]\n"
    "    ],\n"
    "    \"b\": [\"1/6\", \"1/3\", \"1/3\", \"1/6\"],\n"
    "    \"c\": [\"0\", \"1/2\", \"1/2\", \"1\"]\n"
    "  }\n"
    "}\n";

Test(tableau, json_layout_is_fixed)
{
    rk_tableau *t = tableau_builtin("rk4");
    char *json = tableau_to_json(t);
    cr_expect_str_eq(json, rk4_json);
    free(json);
    tableau_free(t);
}

Test(tableau, json_accepts_lower_rows_and_expressions)
{
    const char *text =
        "{\"format\": \"rkgen-tableau\", \"version\": 1, \"name\": \"k3\",\n"
        " \"stages\": 3, \"order\": 3,\n"
        " \"A\": [[], [\"1/2\"], [-1, 2]],\n"
        " \"b\": [\"1/6\", \"2/3\", \"1/6\"],\n"
        " \"c\": [0, 0.5, 1]}";
    rk_error e = {""};
    rk_tableau *t = parse_text(text, &e);
    cr_assert_not_null(t, "%s", e.text);
    rk_tableau *k = tableau_builtin("kutta3");
    for (int i = 0; i < 9; i++)
        cr_expect(same_bits(t->A[i], k->A[i]), "A[%d]", i);
    for (int i = 0; i < 3; i++)
        cr_expect(same_bits(t->b[i], k->b[i]) && same_bits(t->c[i], k->c[i]));
    cr_assert_not_null(t->exact);
    cr_expect_str_eq(t->exact[3], "1/2");
    cr_expect_null(t->exact[6], "a number has no text");
    cr_expect_str_eq(t->exact[9 + 1], "2/3");
    cr_expect_null(t->description);
    char *json = tableau_to_json(t);
    cr_expect(contains(json, "    [-1, 2, 0]\n"), "%s", json);
    cr_expect(contains(json, "      [null, null, null],\n"
                             "      [\"1/2\", null, null],\n"), "%s", json);
    free(json);
    tableau_free(k);
    tableau_free(t);
}

Test(tableau, json_all_numbers_has_no_exact)
{
    const char *text =
        "{\"format\": \"rkgen-tableau\", \"version\": 1, \"name\": \"e\","
        " \"stages\": 1, \"A\": [[0]], \"b\": [1], \"c\": [0]}";
    rk_error e = {""};
    rk_tableau *t = parse_text(text, &e);
    cr_assert_not_null(t, "%s", e.text);
    cr_expect_null(t->exact);
    cr_expect_eq(t->order, 0);
    char *json = tableau_to_json(t);
    cr_expect_not(contains(json, "exact"));
    cr_expect_not(contains(json, "order"));
    free(json);
    tableau_free(t);
}

Test(tableau, json_exact_section_must_agree)
{
    const char *fmt =
        "{\"format\": \"rkgen-tableau\", \"version\": 1, \"name\": \"r\","
        " \"stages\": 2, \"A\": [[], [%s]], \"b\": [0.25, 0.75],"
        " \"c\": [0, %s], \"exact\": {\"A\": [[], [\"2/3\"]],"
        " \"c\": [null, \"2/3\"]}}";
    char text[512];
    rk_error e = {""};
    snprintf(text, sizeof text, fmt, "0.66666666666666663",
             "0.66666666666666663");
    rk_tableau *t = parse_text(text, &e);
    cr_assert_not_null(t, "%s", e.text);
    cr_expect_str_eq(t->exact[2], "2/3");
    cr_expect_str_eq(t->exact[4 + 2 + 1], "2/3");
    cr_expect_null(t->exact[4 + 2]);
    tableau_free(t);
    snprintf(text, sizeof text, fmt, "0.6666666666666665", "0.66666666666666663");
    cr_expect_null(parse_text(text, &e));
    cr_expect(contains(e.text, "mem.json: the exact value of a[2][1], \"2/3\" "
                               "= 0.66666666666666663, differs from the "
                               "number given, 0.66666666666666652"), "%s",
              e.text);
}

Test(tableau, json_metadata_passes_through)
{
    const char *text =
        "{\"format\": \"rkgen-tableau\", \"version\": 1, \"name\": \"m\",\n"
        " \"stages\": 1, \"A\": [[0]], \"b\": [1], \"c\": [0],\n"
        " \"metadata\": {\"seed\": 42, \"lr\": 0.1, \"x\": 0.30000000000000004,"
        " \"tiny\": 5e-324, \"neg0\": -0.0,\n"
        "   \"nested\": {\"v\": [1, 2.5, \"q\\\"uote\", true, null]},"
        " \"u\": \"caf\\u00e9\"}}";
    const char *compact =
        "{\"seed\":42,\"lr\":0.1,\"x\":0.30000000000000004,\"tiny\":5e-324,"
        "\"neg0\":-0,\"nested\":{\"v\":[1,2.5,\"q\\\"uote\",true,null]},"
        "\"u\":\"caf\xc3\xa9\"}";
    rk_error e = {""};
    rk_tableau *t = parse_text(text, &e);
    cr_assert_not_null(t, "%s", e.text);
    cr_assert_not_null(t->metadata_json);
    cr_expect_str_eq(t->metadata_json, compact);
    char *json = tableau_to_json(t);
    cr_expect(contains(json, ",\n  \"metadata\": "), "%s", json);
    cr_expect(contains(json, compact), "%s", json);
    expect_round_trip(t);
    free(json);
    /* metadata set by a program is normalised the same way */
    free(t->metadata_json);
    t->metadata_json = strdup("{ \"a\" : [ 1 , 0.1 ] }");
    json = tableau_to_json(t);
    cr_expect(contains(json, "\"metadata\": {\"a\":[1,0.1]}\n}"), "%s", json);
    free(json);
    free(t->metadata_json);
    t->metadata_json = strdup("[1]");
    cr_expect_null(tableau_to_json(t), "metadata must be an object");
    tableau_free(t);
}

Test(tableau, json_escapes_strings)
{
    rk_tableau *t = tableau_builtin("heun");
    free(t->description);
    t->description = strdup("say \"hi\" / bye");
    char *json = tableau_to_json(t);
    cr_expect(contains(json, "\"description\": \"say \\\"hi\\\" / bye\""),
              "%s", json);
    free(json);
    expect_round_trip(t);
    tableau_free(t);
}

Test(tableau, json_refuses_non_finite_output)
{
    rk_tableau *t = tableau_builtin("heun");
    t->c[1] = NAN;
    cr_expect_null(tableau_to_json(t));
    tableau_free(t);
    cr_expect_null(tableau_to_json(NULL));
}

Test(tableau, json_rejects_nul_and_reports_position)
{
    const char text[] = "{\n  \"format\": \0 }";
    rk_error e = {""};
    cr_expect_null(tableau_parse_json("z.json", text, sizeof text - 1, &e));
    cr_expect(contains(e.text, "z.json:2:13: a NUL byte"), "%s", e.text);
    cr_expect_null(tableau_parse_json("z.json", NULL, 0, &e));
}

/* ---- files ---- */

Test(tableau, read_json_file_and_resolve)
{
    const char *dir = tmp_dir("tableau");
    char path[4200];
    snprintf(path, sizeof path, "%s/r4.json", dir);
    rk_tableau *t = tableau_builtin("ralston4");
    char *json = tableau_to_json(t);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(json, f);
    fclose(f);
    rk_error e = {""};
    rk_tableau *u = tableau_resolve(path, &e);
    cr_assert_not_null(u, "%s", e.text);
    expect_same(t, u);
    tableau_free(u);
    u = tableau_resolve("ralston4", &e);
    cr_assert_not_null(u, "%s", e.text);
    expect_same(t, u);
    tableau_free(u);
    free(json);
    tableau_free(t);
}

Test(tableau, resolve_unknown_lists_builtins)
{
    rk_error e = {""};
    cr_expect_null(tableau_resolve("rk5", &e));
    cr_expect(contains(e.text, "unknown tableau \"rk5\""), "%s", e.text);
    for (int i = 0; i < NKNOWN; i++)
        cr_expect(contains(e.text, known[i].name), "%s", e.text);
    cr_expect_null(tableau_resolve("", &e));
    cr_expect(contains(e.text, "no tableau given"), "%s", e.text);
    cr_expect_null(tableau_resolve("no/such/dir/x.json", &e));
    cr_expect(contains(e.text, "unknown tableau"), "%s", e.text);
}

Test(tableau, read_json_limits_size)
{
    const char *dir = tmp_dir("tableau-big");
    char path[4200];
    snprintf(path, sizeof path, "%s/big.json", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("{\"metadata\": \"", f);
    for (int i = 0; i < (1 << 20); i++)
        fputc('x', f);
    fputs("\"}", f);
    fclose(f);
    rk_error e = {""};
    cr_expect_null(tableau_read_json(path, &e));
    cr_expect_neq(e.text[0], '\0');
}

/* Every tests/bad-tableau/NAME.json is rejected with a message holding
 * each line of NAME.expect. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void check_bad(const char *dir, const char *name)
{
    char path[4200], expect[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(expect, sizeof expect, "%s/%.*s.expect", dir,
             (int)(strlen(name) - 5), name);
    rk_error e = {""};
    rk_tableau *t = tableau_read_json(path, &e);
    cr_expect_null(t, "%s was accepted", name);
    tableau_free(t);
    char *want = slurp(expect);
    cr_assert_not_null(want, "%s has no .expect", name);
    for (char *line = strtok(want, "\n"); line; line = strtok(NULL, "\n"))
        cr_expect(contains(e.text, line), "%s: \"%s\" lacks \"%s\"", name,
                  e.text, line);
    /* one line, except syntax errors (file:line:col:) which show the line
     * and a caret under the column */
    const char *at = strstr(e.text, ".json:");
    if (!at || !isdigit((unsigned char)at[6]))
        cr_expect_null(strchr(e.text, '\n'), "%s: not one line: %s", name,
                       e.text);
}

Test(tableau, bad_tableau_corpus)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", src_path("tests/bad-tableau"));
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    int n = 0;
    for (struct dirent *de; (de = readdir(d));) {
        size_t len = strlen(de->d_name);
        if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0) {
            check_bad(dir, de->d_name);
            n++;
        }
    }
    closedir(d);
    cr_expect_geq(n, 30, "only %d bad tableaux", n);
}

/* Files as people keep them, without "format"/"version": read as plain
 * Butcher tableaux, the stage count from b, the name from the file. */
Test(tableau, plain_files)
{
    rk_error e = {""};
    int plain = 0;
    rk_tableau *t = tableau_resolve_noted(src_path("tests/export/plain_kutta3.json"), &plain, &e);
    cr_assert_not_null(t, "%s", e.text);
    cr_expect_eq(plain, 1);
    cr_expect_str_eq(t->name, "plain_kutta3");
    cr_expect_eq(t->s, 3);
    cr_expect_eq(t->order, 0, "an order nobody stated stays unknown");
    rk_tableau *k = tableau_builtin("kutta3");
    for (int i = 0; i < 9; i++)
        cr_expect(same_bits(t->A[i], k->A[i]), "a[%d]", i);
    for (int i = 0; i < 3; i++)
        cr_expect(same_bits(t->b[i], k->b[i]) && same_bits(t->c[i], k->c[i]));
    cr_expect_str_eq(t->exact[9], "1/6");
    tableau_free(k);
    tableau_free(t);

    t = tableau_resolve_noted(src_path("tests/export/plain_bs3.json"), &plain, &e);
    cr_assert_not_null(t, "%s", e.text);
    cr_expect_eq(plain, 1);
    cr_expect_not_null(t->bhat);
    cr_expect_eq(t->embedded_order, 0);
    cr_expect_eq(t->fsal, 0, "fsal is a claim, never inferred");
    rk_tableau *b = tableau_builtin("bs3");
    for (int i = 0; i < 4; i++)
        cr_expect(same_bits(t->bhat[i], b->bhat[i]), "bhat[%d]", i);
    tableau_free(b);
    tableau_free(t);

    /* a file rkgen wrote is not plain, nor is a built-in */
    t = tableau_resolve_noted("rk4", &plain, &e);
    cr_expect_eq(plain, 0);
    char *json = tableau_to_json(t);
    tableau_free(t);
    plain = 1;
    t = tableau_parse_json("w.json", json, strlen(json), &e);
    cr_expect_not_null(t);
    tableau_free(t);
    free(json);

    /* no name and no file: a name still */
    const char *text = "{\"A\": [[]], \"b\": [1], \"c\": [0]}";
    t = tableau_parse_json(NULL, text, strlen(text), &e);
    cr_assert_not_null(t, "%s", e.text);
    cr_expect_str_eq(t->name, "tableau");
    tableau_free(t);
    text = "{\"name\": \"mine\", \"order\": 1, \"A\": [[]], \"b\": [1], \"c\": [0]}";
    t = tableau_parse_json("odd name!.json", text, strlen(text), &e);
    cr_assert_not_null(t, "%s", e.text);
    cr_expect_str_eq(t->name, "mine");
    cr_expect_eq(t->order, 1);
    tableau_free(t);
    text = "{\"A\": [[]], \"b\": [1], \"c\": [0]}";
    t = tableau_parse_json("dir/odd name!.v2.json", text, strlen(text), &e);
    cr_assert_not_null(t, "%s", e.text);
    cr_expect_str_eq(t->name, "odd_name_.v2");
    tableau_free(t);
}
