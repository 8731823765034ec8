/* cmd_check.c - rkgen check TABLEAU [--family F.ode] [--prec BITS]
 * [--max-order P] [--expect-order P] [--expect-family-order Q] [--json]
 * [--plot-data FILE]: order conditions in MPFR, family order, error
 * constants and stability, and for an embedded pair the same of its
 * embedded method and the estimator's quality (docs/check.md). */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_spectrum.h"
#include "check_stabilized.h"
#include "cli.h"
#include "fileio.h"
#include "localerr.h"
#include "orders.h"
#include "pair.h"
#include "stability.h"
#include "tableau_mp.h"
#include "trees.h"

#define PREC_MIN 53
#define PREC_MAX 100000
#define MEMORY_MAX (2.0 * 1024 * 1024 * 1024)
#define PLOT_POINTS 720

void help_check(void)
{
    printf("Usage: rkgen check TABLEAU [options]\n"
           "       rkgen check --family F.ode [--samples N] [--seed S] [--json]\n"
           "Check a tableau's order conditions in arbitrary precision (MPFR): every\n"
           "rooted tree up to --max-order, the classical order, the principal error\n"
           "norm, the linear stability intervals and, with --family, the order on\n"
           "that family of ODEs.  Each order's conditions are reported as holding\n"
           "exactly, to the rounding of the coefficients as given, or not at all\n"
           "(docs/check.md).  TABLEAU is a built-in name or a JSON file.  For an\n"
           "embedded pair (bhat) the embedded method's order and stability, the FSAL\n"
           "claim and the error-estimator measures A, Ahat, B, C, E are added.\n"
           "With --family the spectral radius of the family's Jacobian along its\n"
           "members' runs is reported too, and the largest h*rho of its step range\n"
           "against the method's real stability interval; --family without a\n"
           "TABLEAU reports the spectrum alone.\n\n"
           "  -f, --family F.ode           also find the family-specific order\n"
           "  -p, --prec BITS              working precision, 53..100000 (default 256)\n"
           "  -m, --max-order P            highest tree order, 1..%d (default 8)\n"
           "  -e, --expect-order P         exit 1 unless the classical order is >= P\n"
           "  -E, --expect-family-order Q  exit 1 unless the family order is >= Q\n"
           "  -n, --samples N              family members sampled (default 16, fewer for a\n"
           "                               large system: 16384 components in all)\n"
           "  -s, --seed S                 seed of the samples (default 1)\n"
           "  -P, --plot-data FILE         write the stability boundary as CSV\n"
           "  -t, --trees                  list every tree, not just each order\n"
           "  -j, --json                   a JSON report on stdout\n"
           "  -h, --help                   this text\n\n"
           "Exit status: 0 checked (and every --expect-* met), 1 an expectation\n"
           "failed or a pair's stated order or FSAL claim does not hold (one line\n"
           "on stderr says which), 2 bad usage or input.\n",
           RK_TREES_MAX_ORDER);
}

typedef struct check_args {
    const char *tableau, *family, *plot;
    unsigned long prec, max_order, expect, expect_family, samples, seed;
    int json, trees;
} check_args;

/* A whole number in [lo, hi] for option opt; 0 or EXIT_USAGE. */
static int ranged(const char *opt, const char *s, unsigned long lo,
                  unsigned long hi, unsigned long *out)
{
    if (parse_ulong(s, out) != 0 || *out < lo || *out > hi)
        return usage_error("check", "%s takes a whole number from %lu to %lu, not '%s'",
                           opt, lo, hi, s);
    return 0;
}

static int parse_option(int c, check_args *a)
{
    switch (c) {
    case 'f': a->family = optarg; return 0;
    case 'p': return ranged("--prec", optarg, PREC_MIN, PREC_MAX, &a->prec);
    case 'm': return ranged("--max-order", optarg, 1, RK_TREES_MAX_ORDER, &a->max_order);
    case 'e': return ranged("--expect-order", optarg, 1, RK_TREES_MAX_ORDER, &a->expect);
    case 'E': return ranged("--expect-family-order", optarg, 1, RK_TREES_MAX_ORDER,
                            &a->expect_family);
    case 'n': return ranged("--samples", optarg, 1, 100000, &a->samples);
    case 's': return ranged("--seed", optarg, 0, (unsigned long)-1, &a->seed);
    case 'P': a->plot = optarg; return 0;
    case 't': a->trees = 1; return 0;
    case 'j': a->json = 1; return 0;
    default: return usage_error("check", "unknown option");
    }
}

static int check_consistency(const check_args *a)
{
    if (a->expect > a->max_order)
        return usage_error("check", "--expect-order %lu is above --max-order %lu; "
                           "raise --max-order", a->expect, a->max_order);
    if (a->expect_family && !a->family)
        return usage_error("check", "--expect-family-order needs --family");
    if (a->expect_family > a->max_order)
        return usage_error("check", "--expect-family-order %lu is above --max-order "
                           "%lu; raise --max-order", a->expect_family, a->max_order);
    return 0;
}

static int parse_args(int argc, char **argv, check_args *a)
{
    static const struct option opts[] = {
        {"family", required_argument, 0, 'f'},    {"prec", required_argument, 0, 'p'},
        {"max-order", required_argument, 0, 'm'}, {"expect-order", required_argument, 0, 'e'},
        {"expect-family-order", required_argument, 0, 'E'},
        {"samples", required_argument, 0, 'n'},   {"seed", required_argument, 0, 's'},
        {"plot-data", required_argument, 0, 'P'}, {"trees", no_argument, 0, 't'},
        {"json", no_argument, 0, 'j'},            {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    memset(a, 0, sizeof *a);
    a->prec = 256;
    a->max_order = 8;
    a->samples = 0; /* 0: the default, which depends on the family's size */
    a->seed = 1;
    while ((c = getopt_long(argc, argv, "f:p:m:e:E:n:s:P:tjh", opts, NULL)) != -1) {
        if (c == 'h') {
            help_check();
            return -1;
        }
        int rc = parse_option(c, a);
        if (rc != 0)
            return rc;
    }
    /* --family alone: the family's spectrum, no method to check */
    if (optind == argc && a->family)
        return 0;
    if (optind + 1 != argc)
        return usage_error("check", optind == argc ? "missing TABLEAU" : "expected one tableau");
    a->tableau = argv[optind];
    return check_consistency(a);
}

/* Everything the reports print. */
typedef struct check_result {
    const rk_tableau *t;
    const rk_family *fam;
    const rk_forest *forest;
    rk_tabmp m;
    rk_order_check oc;
    rk_family_check fc;
    spectrum_summary spec;
    rk_stability st;
    rk_pair_check pc;   /* when t is a pair */
} check_result;

/* ---- human-readable report --------------------------------------------- */

static void print_orders(const check_result *r)
{
    const rk_order_check *c = &r->oc;
    printf("classical order conditions (Phi(t) = 1/gamma(t))\n"
           "  order  trees  largest |Phi - 1/gamma|  holds\n");
    for (int q = 1; q <= c->max_order; q++)
        printf("  %5d  %5d  %-23.3e  %s\n", q, forest_count(r->forest, q),
               c->max_resid[q], verdict_name(c->order_verdict[q]));
    printf("  c = A 1: %s (largest |c_i - sum_j a_ij| = %.3g)\n",
           verdict_name(c->rowsum), c->rowsum_resid);
    printf("  classical order: %d%s", c->order,
           c->order == c->max_order ? " (at least; raise --max-order)" : "");
    if (c->exact_order < c->order)
        printf(", exactly %d, to the rounding of the coefficients %d", c->exact_order,
               c->order);
    printf("\n\n");
}

static void print_trees(const check_result *r)
{
    const rk_forest *f = r->forest;
    printf("trees (parent arrays, preorder; the root's parent is -1)\n");
    for (int k = 0; k < f->n; k++) {
        const rk_tree *t = &f->tree[k];
        printf("  #%-5d order %2d  sigma %-6g gamma %-9g residual %-11.3e %-12s [",
               k, t->order, t->sigma, t->gamma, r->oc.resid[k],
               verdict_name((rk_verdict)r->oc.verdict[k]));
        const int *p = forest_parent(f, k);
        for (int v = 0; v < t->order; v++)
            printf("%s%d", v ? " " : "", p[v]);
        printf("]\n");
    }
    printf("\n");
}

static void print_errors(const check_result *r)
{
    const rk_order_check *c = &r->oc;
    printf("error constants\n");
    if (isnan(c->pen))
        printf("  principal error norm: needs trees of order %d (raise --max-order)\n",
               c->order + 1);
    else
        printf("  principal error norm A(%d) = %.6e (largest error coefficient %.6e)\n",
               c->order + 1, c->pen, c->pen_max);
    printf("  largest coefficient magnitude D = %.6g\n\n", c->max_coef);
}

static void print_family(const check_result *r)
{
    const rk_family_check *fc = &r->fc;
    printf("family order on %s (%d member%s, seed %llu)\n"
           "  q  largest |e_q| / |y_q|  vanishes\n",
           r->fam->name, fc->samples, fc->samples == 1 ? "" : "s", (unsigned long long)fc->seed);
    for (int q = 1; q <= fc->max_order; q++)
        printf("  %-2d %-22.3e %s\n", q, fc->rel[q],
               fc->verdict[q] == RK_FAILS ? "no" : verdict_name(fc->verdict[q]));
    printf("  family order: %d%s\n\n", fc->order,
           fc->order == fc->max_order ? " (at least; raise --max-order)" : "");
}

static void print_stability(const check_result *r)
{
    const rk_stability *st = &r->st;
    printf("linear stability\n  R(z) = 1");
    for (int k = 1; k <= st->degree; k++)
        printf(" %+.10g z^%d", st->coef[k], k);
    printf("\n  real interval      [-%.10f, 0]\n", st->real);
    printf("  imaginary interval [-%.10fi, %.10fi]\n", st->imag, st->imag);
}

static void print_pair(const check_result *r)
{
    const rk_pair_check *pc = &r->pc;
    const rk_order_check *e = &pc->emb;
    printf("\nembedded method (A, bhat)\n  order  largest |Phi - 1/gamma|  holds\n");
    for (int q = 1; q <= e->max_order; q++)
        printf("  %5d  %-23.3e  %s\n", q, e->max_resid[q], verdict_name(e->order_verdict[q]));
    printf("  embedded order: %d%s (stated %d)\n", e->order,
           e->order == e->max_order ? " (at least; raise --max-order)" : "",
           r->t->embedded_order);
    printf("  real interval      [-%.10f, 0]\n", pc->st.real);
    printf("  imaginary interval [-%.10fi, %.10fi]\n", pc->st.imag, pc->st.imag);
    if (r->t->fsal)
        printf("  FSAL (last row of A = b, c_s = 1): %s (largest difference %.3g)\n",
               verdict_name(pc->fsal), pc->fsal_resid);
    printf("error estimator (Kennedy, Carpenter & Lewis; NodePy's error_metrics)\n"
           "  orders P = %d (%s), Q = %d (%s)\n", pc->P, pc->swapped ? "bhat" : "b",
           pc->Q, pc->swapped ? "b" : "bhat");
    printf("  A = %.4e  Ahat = %.4e  B = %.4f  C = %.4f  E = %.4f\n", pc->A, pc->Ahat,
           pc->B, pc->C, pc->E);
}

static void print_human(const check_result *r, int trees)
{
    char eps[64];
    printf("tableau %s: %d stage%s, coefficients %s; %ld bits, trees to order %d (%d)\n\n",
           r->t->name, r->t->s, r->t->s == 1 ? "" : "s", tabmp_eps_name(&r->m, eps, sizeof eps),
           (long)r->m.prec, r->oc.max_order, r->oc.ntrees);
    print_orders(r);
    if (trees)
        print_trees(r);
    print_errors(r);
    if (r->fam)
        print_family(r);
    print_stability(r);
    if (r->t->bhat)
        print_pair(r);
    if (r->fam) {
        printf("\n");
        spectrum_print(r->fam, &r->spec, r->t->name, r->st.real);
    }
}

/* ---- JSON report -------------------------------------------------------- */

static cJSON *json_trees(const check_result *r)
{
    const rk_forest *f = r->forest;
    cJSON *arr = cJSON_CreateArray();
    for (int k = 0; arr && k < f->n; k++) {
        const rk_tree *t = &f->tree[k];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddNumberToObject(o, "order", t->order);
        cJSON_AddNumberToObject(o, "sigma", t->sigma);
        cJSON_AddNumberToObject(o, "gamma", t->gamma);
        cJSON_AddItemToObject(o, "parent", cJSON_CreateIntArray(forest_parent(f, k), t->order));
        cJSON_AddNumberToObject(o, "residual", r->oc.resid[k]);
        cJSON_AddStringToObject(o, "holds", verdict_name((rk_verdict)r->oc.verdict[k]));
    }
    return arr;
}

static cJSON *json_classical(const check_result *r, int trees)
{
    const rk_order_check *c = &r->oc;
    cJSON *o = cJSON_CreateObject(), *orders = cJSON_AddArrayToObject(o, "orders");
    cJSON_AddNumberToObject(o, "order", c->order);
    cJSON_AddNumberToObject(o, "exact_order", c->exact_order);
    cJSON_AddBoolToObject(o, "order_is_lower_bound", c->order == c->max_order);
    for (int q = 1; q <= c->max_order; q++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToArray(orders, e);
        cJSON_AddNumberToObject(e, "order", q);
        cJSON_AddNumberToObject(e, "trees", forest_count(r->forest, q));
        cJSON_AddNumberToObject(e, "max_residual", c->max_resid[q]);
        cJSON_AddStringToObject(e, "holds", verdict_name(c->order_verdict[q]));
    }
    cJSON *rs = cJSON_AddObjectToObject(o, "row_sums");
    cJSON_AddNumberToObject(rs, "max_residual", c->rowsum_resid);
    cJSON_AddStringToObject(rs, "holds", verdict_name(c->rowsum));
    if (trees)
        cJSON_AddItemToObject(o, "trees", json_trees(r));
    return o;
}

static cJSON *json_errors(const check_result *r)
{
    cJSON *o = cJSON_CreateObject();
    if (isnan(r->oc.pen)) {
        cJSON_AddNullToObject(o, "principal_error_norm");
        cJSON_AddNullToObject(o, "principal_error_max");
    } else {
        cJSON_AddNumberToObject(o, "principal_error_norm", r->oc.pen);
        cJSON_AddNumberToObject(o, "principal_error_max", r->oc.pen_max);
    }
    cJSON_AddNumberToObject(o, "max_coefficient", r->oc.max_coef);
    return o;
}

static cJSON *json_family(const check_result *r)
{
    const rk_family_check *fc = &r->fc;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "family", r->fam->name);
    cJSON_AddNumberToObject(o, "samples", fc->samples);
    cJSON_AddNumberToObject(o, "seed", (double)fc->seed);
    cJSON_AddNumberToObject(o, "order", fc->order);
    cJSON_AddNumberToObject(o, "exact_order", fc->exact_order);
    cJSON_AddBoolToObject(o, "order_is_lower_bound", fc->order == fc->max_order);
    cJSON *orders = cJSON_AddArrayToObject(o, "orders");
    for (int q = 1; q <= fc->max_order; q++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToArray(orders, e);
        cJSON_AddNumberToObject(e, "order", q);
        cJSON_AddNumberToObject(e, "max_relative", fc->rel[q]);
        cJSON_AddStringToObject(e, "vanishes", verdict_name(fc->verdict[q]));
    }
    return o;
}

static cJSON *json_stability(const check_result *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "coefficients",
                          cJSON_CreateDoubleArray(r->st.coef, r->st.degree + 1));
    cJSON_AddNumberToObject(o, "real", r->st.real);
    cJSON_AddNumberToObject(o, "imaginary", r->st.imag);
    return o;
}

/* NAN, which JSON lacks, as null. */
static void add_number(cJSON *o, const char *key, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *json_pair(const check_result *r)
{
    const rk_pair_check *pc = &r->pc;
    cJSON *o = cJSON_CreateObject(), *orders = cJSON_AddArrayToObject(o, "orders");
    cJSON_AddNumberToObject(o, "embedded_order", pc->emb.order);
    cJSON_AddNumberToObject(o, "stated_embedded_order", r->t->embedded_order);
    cJSON_AddBoolToObject(o, "order_is_lower_bound", pc->emb.order == pc->emb.max_order);
    for (int q = 1; q <= pc->emb.max_order; q++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToArray(orders, e);
        cJSON_AddNumberToObject(e, "order", q);
        cJSON_AddNumberToObject(e, "max_residual", pc->emb.max_resid[q]);
        cJSON_AddStringToObject(e, "holds", verdict_name(pc->emb.order_verdict[q]));
    }
    cJSON_AddBoolToObject(o, "fsal", r->t->fsal);
    if (r->t->fsal)
        cJSON_AddStringToObject(o, "fsal_holds", verdict_name(pc->fsal));
    cJSON *st = cJSON_AddObjectToObject(o, "stability");
    cJSON_AddNumberToObject(st, "real", pc->st.real);
    cJSON_AddNumberToObject(st, "imaginary", pc->st.imag);
    cJSON *m = cJSON_AddObjectToObject(o, "error_metrics");
    cJSON_AddNumberToObject(m, "P", pc->P);
    cJSON_AddNumberToObject(m, "Q", pc->Q);
    cJSON_AddStringToObject(m, "higher", pc->swapped ? "bhat" : "b");
    add_number(m, "A", pc->A);
    add_number(m, "Ahat", pc->Ahat);
    add_number(m, "B", pc->B);
    add_number(m, "C", pc->C);
    add_number(m, "E", pc->E);
    return o;
}

static int print_json(const check_result *r, int trees, const char *failure)
{
    char eps[64];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "tableau", r->t->name);
    cJSON_AddNumberToObject(o, "stages", r->t->s);
    cJSON_AddNumberToObject(o, "precision", (double)r->m.prec);
    cJSON_AddNumberToObject(o, "max_order", r->oc.max_order);
    cJSON_AddNumberToObject(o, "trees", r->oc.ntrees);
    cJSON_AddStringToObject(o, "coefficients", tabmp_eps_name(&r->m, eps, sizeof eps));
    cJSON_AddNumberToObject(o, "coefficient_precision", r->m.eps);
    cJSON_AddItemToObject(o, "classical", json_classical(r, trees));
    cJSON_AddItemToObject(o, "error", json_errors(r));
    if (r->fam)
        cJSON_AddItemToObject(o, "family", json_family(r));
    cJSON_AddItemToObject(o, "stability", json_stability(r));
    if (r->t->bhat)
        cJSON_AddItemToObject(o, "pair", json_pair(r));
    if (r->fam)
        cJSON_AddItemToObject(o, "spectrum", spectrum_json(&r->spec, r->st.real));
    cJSON_AddBoolToObject(o, "expectations_met", failure == NULL);
    if (failure)
        cJSON_AddStringToObject(o, "failure", failure);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (!text)
        return report("check", "out of memory", EXIT_USAGE);
    printf("%s\n", text);
    cJSON_free(text);
    return 0;
}

/* ---- running the checks ------------------------------------------------- */

/* The stability boundary into a file, whole or not at all. */
static int write_plot(const char *path, const rk_stability *st)
{
    rk_error err = {{0}};
    char *csv = stability_boundary_csv(st, PLOT_POINTS);
    if (!csv)
        return report("check", "out of memory", EXIT_USAGE);
    int rc = rk_write_file(path, csv, strlen(csv), &err);
    free(csv);
    return rc == 0 ? 0 : report("check", err.text, EXIT_USAGE);
}

/* The members a family's checks sample: a budget of components keeps
 * check of a 300 x 300 grid at seconds. */
static int family_members(const check_args *a, const rk_family *f)
{
    if (a->samples)
        return (int)a->samples;
    return 16384 / f->dim < 1 ? 1 : 16384 / f->dim > 16 ? 16 : 16384 / f->dim;
}

static int run_checks(check_result *r, const check_args *a)
{
    rk_error err = {{0}};
    double need = orders_memory((int)a->max_order, r->t->s, (mpfr_prec_t)a->prec);
    if (need > MEMORY_MAX)
        return usage_error("check", "--max-order %lu at %lu bits for %d stages needs "
                           "%.1f GiB for the trees' stage vectors; lower --max-order or --prec",
                           a->max_order, a->prec, r->t->s, need / (1024.0 * 1024 * 1024));
    if (tabmp_init(&r->m, r->t, (mpfr_prec_t)a->prec, &err) != 0)
        return report("check", err.text, EXIT_USAGE);
    int members = r->fam ? family_members(a, r->fam) : 0;
    if (orders_check(r->forest, &r->m, &r->oc, &err) != 0 ||
        (r->fam && family_check(r->fam, &r->m, &r->oc, members, a->seed,
                                &r->fc, &err) != 0) ||
        stability_analyse(&r->m, &r->st) != 0 ||
        (r->t->bhat && pair_check(r->forest, &r->m, &r->oc, &r->pc, &err) != 0) ||
        (r->fam && spectrum_measure(r->fam, members, a->seed, &r->spec, &err) != 0))
        return report("check", err.text[0] ? err.text : "out of memory", EXIT_USAGE);
    return 0;
}

/* The first unmet expectation, in words (buf), or NULL. */
static const char *expectations(const check_result *r, const check_args *a,
                                char *buf, size_t size)
{
    if (r->t->bhat && pair_claims(r->t, &r->oc, &r->pc, buf, size))
        return buf;
    if (a->expect && r->oc.order < (int)a->expect) {
        snprintf(buf, size, "%s has classical order %d, below the expected %lu",
                 r->t->name, r->oc.order, a->expect);
        return buf;
    }
    if (a->expect_family && r->fc.order < (int)a->expect_family) {
        snprintf(buf, size, "%s has order %d on family %s, below the expected %lu",
                 r->t->name, r->fc.order, r->fam->name, a->expect_family);
        return buf;
    }
    return NULL;
}

static int check_and_report(check_result *r, const check_args *a)
{
    int status = run_checks(r, a);
    if (status != 0)
        return status;
    if (a->plot && (status = write_plot(a->plot, &r->st)) != 0)
        return status;
    char why[512];
    const char *failure = expectations(r, a, why, sizeof why);
    if (a->json)
        status = print_json(r, a->trees, failure);
    else
        print_human(r, a->trees);
    if (status == 0 && failure) {
        fflush(stdout);
        fprintf(stderr, "rkgen check: %s\n", failure);
        status = EXIT_CHECK;
    }
    return status;
}

static int spectrum_only(const check_args *a)
{
    rk_family *f = load_family("check", a->family);
    rk_error err = {{0}};
    spectrum_summary s;
    int status = EXIT_USAGE;
    if (f && spectrum_measure(f, family_members(a, f), a->seed, &s, &err) != 0)
        report("check", err.text, EXIT_USAGE);
    else if (f && a->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "family", f->name);
        cJSON_AddItemToObject(o, "spectrum", spectrum_json(&s, 0));
        char *text = cJSON_Print(o);
        cJSON_Delete(o);
        if (text)
            printf("%s\n", text);
        status = text ? EXIT_OK : report("check", "out of memory", EXIT_USAGE);
        cJSON_free(text);
    } else if (f) {
        spectrum_print(f, &s, NULL, 0);
        status = EXIT_OK;
    }
    family_free(f);
    return status;
}

int cmd_check(int argc, char **argv)
{
    check_args a;
    int status = parse_args(argc, argv, &a);
    if (status != 0)
        return status < 0 ? EXIT_OK : status;
    if (a.tableau && check_is_stabilized(a.tableau))
        return check_stabilized(a.tableau, (int)a.prec, a.json, (int)a.expect);
    if (!a.tableau)
        return spectrum_only(&a);
    check_result r;
    memset(&r, 0, sizeof r);
    rk_forest forest = {0};
    rk_tableau *t = load_tableau("check", a.tableau);
    rk_family *fam = t && a.family ? load_family("check", a.family) : NULL;
    status = EXIT_USAGE;
    if (!t || (a.family && !fam))
        goto done;
    if (forest_init(&forest, (int)a.max_order) != 0) {
        report("check", "out of memory enumerating the trees", EXIT_USAGE);
        goto done;
    }
    r.t = t;
    r.fam = fam;
    r.forest = &forest;
    status = check_and_report(&r, &a);
done:
    if (r.m.A)
        tabmp_clear(&r.m);
    orders_free(&r.oc);
    pair_free(&r.pc);
    forest_free(&forest);
    family_free(fam);
    tableau_free(t);
    return status;
}
