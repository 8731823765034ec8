/* cmd_polish.c - rkgen polish TABLEAU --order P [--family F.ode
 * --family-order Q] [--prec BITS] -o OUT.json: Gauss-Newton in MPFR onto
 * the order conditions (polish.h, docs/check.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fileio.h"
#include "polish.h"
#include "trees.h"

#define PREC_MIN 53
#define PREC_MAX 100000

void help_polish(void)
{
    printf("Usage: rkgen polish TABLEAU --order P -o OUT.json [options]\n"
           "Move a tableau's coefficients onto the conditions of classical order P\n"
           "(and of order Q on a family) by Gauss-Newton in MPFR, with minimum-norm\n"
           "steps, starting from the coefficients given.  The nodes follow as\n"
           "c = A 1.  OUT.json keeps each coefficient as a decimal text of the\n"
           "working precision and as its correctly rounded double; 'rkgen check'\n"
           "reports the conditions as exact on it.  If the conditions cannot be\n"
           "met from this tableau, nothing is written.\n\n"
           "  -p, --order P          classical order, 1..%d\n"
           "  -f, --family F.ode     a family for --family-order\n"
           "  -q, --family-order Q   order Q >= P on the family's sampled members\n"
           "  -b, --prec BITS        working precision, 53..100000 (default 256)\n"
           "  -n, --samples N        family members sampled (default 16)\n"
           "  -s, --seed S           seed of the samples (default 1)\n"
           "  -z, --free-zeros       let coefficients that are exactly 0 move too\n"
           "  -i, --max-iter N       Gauss-Newton iterations (default 60)\n"
           "  -o, --out OUT.json     the polished tableau (required)\n"
           "      --quiet            print nothing on success\n"
           "  -h, --help             this text\n\n"
           "Exit status: 0 written, 1 the conditions cannot be met (nothing written),\n"
           "2 bad usage or input (nothing written).\n",
           RK_TREES_MAX_ORDER);
}

typedef struct polish_args {
    const char *tableau, *family, *out;
    unsigned long order, family_order, prec, samples, seed, max_iter;
    int free_zeros, quiet;
} polish_args;

static int ranged(const char *opt, const char *s, unsigned long lo,
                  unsigned long hi, unsigned long *out)
{
    if (parse_ulong(s, out) != 0 || *out < lo || *out > hi)
        return usage_error("polish", "%s takes a whole number from %lu to %lu, not '%s'",
                           opt, lo, hi, s);
    return 0;
}

static int parse_option(int c, polish_args *a)
{
    switch (c) {
    case 'p': return ranged("--order", optarg, 1, RK_TREES_MAX_ORDER, &a->order);
    case 'f': a->family = optarg; return 0;
    case 'q': return ranged("--family-order", optarg, 1, RK_TREES_MAX_ORDER, &a->family_order);
    case 'b': return ranged("--prec", optarg, PREC_MIN, PREC_MAX, &a->prec);
    case 'n': return ranged("--samples", optarg, 1, 10000, &a->samples);
    case 's': return ranged("--seed", optarg, 0, (unsigned long)-1, &a->seed);
    case 'i': return ranged("--max-iter", optarg, 1, 10000, &a->max_iter);
    case 'z': a->free_zeros = 1; return 0;
    case 'o': a->out = optarg; return 0;
    case 'Q': a->quiet = 1; return 0;
    default: return usage_error("polish", "unknown option");
    }
}

static int check_consistency(const polish_args *a)
{
    if (!a->order)
        return usage_error("polish", "missing --order");
    if (!a->out)
        return usage_error("polish", "missing -o OUT.json");
    if (!!a->family != !!a->family_order)
        return usage_error("polish", "--family and --family-order go together");
    if (a->family_order && a->family_order < a->order)
        return usage_error("polish", "--family-order %lu is below --order %lu; the "
                           "classical order already implies it", a->family_order, a->order);
    return 0;
}

static int parse_args(int argc, char **argv, polish_args *a)
{
    static const struct option opts[] = {
        {"order", required_argument, 0, 'p'},    {"family", required_argument, 0, 'f'},
        {"family-order", required_argument, 0, 'q'}, {"prec", required_argument, 0, 'b'},
        {"samples", required_argument, 0, 'n'},  {"seed", required_argument, 0, 's'},
        {"max-iter", required_argument, 0, 'i'}, {"free-zeros", no_argument, 0, 'z'},
        {"out", required_argument, 0, 'o'},      {"quiet", no_argument, 0, 'Q'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    int c;
    memset(a, 0, sizeof *a);
    a->prec = 256;
    a->seed = 1;
    while ((c = getopt_long(argc, argv, "p:f:q:b:n:s:i:zo:h", opts, NULL)) != -1) {
        if (c == 'h') {
            help_polish();
            return -1;
        }
        int rc = parse_option(c, a);
        if (rc != 0)
            return rc;
    }
    if (optind + 1 != argc)
        return usage_error("polish", optind == argc ? "missing TABLEAU" : "expected one tableau");
    a->tableau = argv[optind];
    return check_consistency(a);
}

/* The JSON into path, whole or not at all. */
static int write_atomic(const char *path, const char *text)
{
    rk_error err = {{0}};
    return rk_write_file(path, text, strlen(text), &err) == 0 ? 0 : report("polish", err.text, EXIT_USAGE);
}

static void print_moves(const rk_tableau *t, const rk_polish_result *r)
{
    int s = t->s;
    printf("polished %s to classical order %d: %d iteration%s, %d conditions, %d free "
           "coefficients (rank %d), largest residual %.3g\n",
           t->name, r->t->order, r->iterations, r->iterations == 1 ? "" : "s",
           r->nconditions, r->nfree, r->rank, r->residual);
    printf("largest move %.3g; moves above 0:\n", r->max_moved);
    for (int i = 0; i < s; i++)
        for (int j = 0; j < i; j++)
            if (r->moved[i * s + j] > 0)
                printf("  a[%d][%d] %-24.17g moved %.3g\n", i + 1, j + 1,
                       r->t->A[i * s + j], r->moved[i * s + j]);
    const char *names[2] = {"b", "c"};
    for (int part = 0; part < 2; part++)
        for (int i = 0; i < s; i++) {
            double mv = r->moved[s * s + part * s + i];
            if (mv > 0)
                printf("  %s[%d]    %-24.17g moved %.3g\n", names[part], i + 1,
                       part ? r->t->c[i] : r->t->b[i], mv);
        }
}

static int polish_and_write(const rk_tableau *t, const rk_family *fam, const polish_args *a)
{
    rk_polish_opts o = {(int)a->order, fam, (int)a->family_order, (int)a->samples,
                        a->seed, (mpfr_prec_t)a->prec, a->free_zeros, (int)a->max_iter};
    rk_polish_result r;
    rk_error err = {{0}};
    if (rk_polish(t, &o, &r, &err) != 0) {
        report("polish", err.text, EXIT_CHECK);
        fprintf(stderr, "rkgen polish: nothing was written\n");
        return EXIT_CHECK;
    }
    char *json = tableau_to_json(r.t);
    int status = json ? write_atomic(a->out, json)
                      : report("polish", "out of memory", EXIT_USAGE);
    if (status == 0 && !a->quiet) {
        print_moves(t, &r);
        printf("wrote %s\n", a->out);
    }
    free(json);
    rk_polish_result_free(&r);
    return status;
}

int cmd_polish(int argc, char **argv)
{
    polish_args a;
    int status = parse_args(argc, argv, &a);
    if (status != 0)
        return status < 0 ? EXIT_OK : status;
    rk_tableau *t = load_tableau("polish", a.tableau);
    rk_family *fam = t && a.family ? load_family("polish", a.family) : NULL;
    status = EXIT_USAGE;
    if (t && (!a.family || fam))
        status = polish_and_write(t, fam, &a);
    family_free(fam);
    tableau_free(t);
    return status;
}
