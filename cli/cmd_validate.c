/* cmd_validate.c - rkgen validate GENERATED.c --family F.ode [options]:
 * measure the stepper as it will ship (its file compiled by libtcc) on
 * fresh members of the family against classical methods, print the
 * table and, with --out, write the report (CSV files, gnuplot pictures
 * and one page showing all of it: learner/report/). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "jit.h"
#include "measure.h"
#include "regress.h"
#include "stamp.h"
#include "sweep.h"
#include "validate_adaptive.h"
#include "validate_stab.h"
#include "vwrite.h"

#define MAX_METHODS 16

void help_validate(void)
{
    printf("Usage: rkgen validate GENERATED.c --family FAMILY.ode [options]\n"
           "       rkgen validate --adaptive PAIR --family FAMILY.ode [-a LIST] [-n N] [-s S] [-o DIR] [-q]\n"
           "       rkgen validate --stabilized METHOD.json --family FAMILY.ode [-T LIST] [-n N] [-s S]\n"
           "                      [-o DIR] [-q]\n"
           "Measure a generated stepper on fresh members of its family: the global\n"
           "error at the horizon over a log-spaced sweep of h reaching beyond the\n"
           "family's step range on both sides, the observed order (fitted without\n"
           "the round-off floor), the error ratio against classical methods with the\n"
           "same number of stages, and work-precision.  The stepper is compiled\n"
           "from the file itself with libtcc: what is measured is what ships.\n\n"
           "  -f, --family FILE     the stepper's family file\n"
           "  -a, --against LIST    methods to compare with, comma-separated built-in\n"
           "                        names or tableau JSON files (default: every\n"
           "                        built-in with the stepper's number of stages)\n"
           "  -n, --samples N       fresh members (default 16)\n"
           "  -H, --h-range A,B     the sweep's step sizes (default: the family's\n"
           "                        step range, /%g below and x%g above)\n"
           "  -p, --points N        step sizes in the sweep (default 21, at most 64)\n"
           "  -s, --seed S          seed of the members (test stream; default 1)\n"
           "  -o, --out DIR         write sweep.csv, summary.csv, gnuplot scripts,\n"
           "                        SVG pictures (if gnuplot is installed) and\n"
           "                        report.md there, all or nothing\n"
           "  -l, --log FILE.csv    training curve from 'rkgen learn --log' to plot\n"
           "  -S, --stability FILE  stability boundary from 'rkgen check --plot-data'\n"
           "  -L, --survive T       also count, at every step size, the members each\n"
           "                        method blows up on when run T time units beyond\n"
           "                        the horizon (from the true state there)\n"
           "  -A, --adaptive PAIR   instead of a stepper, an embedded pair (built-in name\n"
           "                        or tableau JSON) as rkgen emit --adaptive runs it:\n"
           "                        work-precision for rtol = atol = 1e-3 .. 1e-10 against\n"
           "                        the built-in pairs (or --against LIST), the slope of\n"
           "                        log error on log rtol and the rejected steps;\n"
           "                        --out writes adaptive.csv, adaptive_summary.csv, the\n"
           "                        picture and report.md\n"
           "  -z, --stabilized FILE instead of a stepper, a many-stage method file\n"
           "                        (\"rkgen-stabilized\", from rkgen stability or learn):\n"
           "                        the f evaluations to the horizon at each accuracy of\n"
           "                        --tol on fresh members (default 4), against rk4 and\n"
           "                        ssprk3 at their largest stable steps, dopri5 and\n"
           "                        RKC2, with the ratios; --out writes stabilized.csv\n"
           "                        and report.md\n"
           "  -T, --tol LIST        with --stabilized: relative max-norm errors at the\n"
           "                        horizon, comma-separated (default\n"
           "                        1e-2,1e-3,1e-4,1e-5,1e-6; each 1e-12 to 0.5)\n"
           "  -q, --quiet           no table on stdout\n"
           "  -h, --help            this text\n\n"
           "Exit status: 0 measured, 1 the stepper is unstable on a member at the\n"
           "family's own step sizes (--stabilized: the method reaches an accuracy at\n"
           "no step count), 2 bad usage or input.\n",
           SWEEP_BELOW, SWEEP_ABOVE);
}

typedef struct validate_args {
    const char *stepper, *family, *against, *out, *log, *stability, *adaptive, *stabilized, *tols;
    unsigned long samples, points, seed;
    int samples_given;
    double h_lo, h_hi, survive;
    int quiet;
} validate_args;

static int parse_range(const char *s, double *a, double *b)
{
    char buf[256];
    char *comma;
    if (strlen(s) >= sizeof buf || !(comma = strchr(strcpy(buf, s), ',')))
        return -1;
    *comma = '\0';
    return parse_double(buf, a) != 0 || parse_double(comma + 1, b) != 0 || !(*a > 0) || !(*b > *a) ? -1 : 0;
}

static int parse_option(int c, validate_args *a)
{
    switch (c) {
    case 'f': a->family = optarg; return 0;
    case 'a': a->against = optarg; return 0;
    case 'o': a->out = optarg; return 0;
    case 'l': a->log = optarg; return 0;
    case 'S': a->stability = optarg; return 0;
    case 'A': a->adaptive = optarg; return 0;
    case 'z': a->stabilized = optarg; return 0;
    case 'T': a->tols = optarg; return 0;
    case 'q': a->quiet = 1; return 0;
    case 'n':
        if (parse_ulong(optarg, &a->samples) != 0 || a->samples < 1 || a->samples > 100000)
            return usage_error("validate", "--samples takes a whole number from 1 to 100000");
        a->samples_given = 1;
        return 0;
    case 'p':
        if (parse_ulong(optarg, &a->points) != 0 || a->points < 3 || a->points > SWEEP_MAX_POINTS)
            return usage_error("validate", "--points takes a whole number from 3 to %d", SWEEP_MAX_POINTS);
        return 0;
    case 's':
        if (parse_ulong(optarg, &a->seed) != 0)
            return usage_error("validate", "--seed takes a whole number");
        return 0;
    case 'H':
        if (parse_range(optarg, &a->h_lo, &a->h_hi) != 0)
            return usage_error("validate", "--h-range takes A,B with 0 < A < B, not '%s'", optarg);
        return 0;
    case 'L':
        if (parse_double(optarg, &a->survive) != 0 || !(a->survive > 0) || a->survive > 1e6)
            return usage_error("validate", "--survive takes a time span in (0, 1e6], not '%s'", optarg);
        return 0;
    case 'h': help_validate(); return -1;
    default: return usage_error("validate", "unknown option");
    }
}

/* --stabilized measures the method file it names, with its own options. */
static int check_stabilized_args(int argc, const validate_args *a)
{
    if (optind != argc)
        return usage_error("validate", "--stabilized measures the method file it names: no GENERATED.c");
    if (a->adaptive || a->against || a->log || a->stability || a->h_lo > 0 || a->survive > 0 || a->points != 21)
        return usage_error("validate", "--stabilized takes only --family, --tol, --samples, --seed, --out "
                           "and --quiet");
    return a->family ? 0 : usage_error("validate", "missing --family");
}

static int parse_args(int argc, char **argv, validate_args *a)
{
    static const struct option opts[] = {
        {"family", required_argument, 0, 'f'},  {"against", required_argument, 0, 'a'},
        {"samples", required_argument, 0, 'n'}, {"h-range", required_argument, 0, 'H'},
        {"points", required_argument, 0, 'p'},  {"seed", required_argument, 0, 's'},
        {"out", required_argument, 0, 'o'},     {"log", required_argument, 0, 'l'},
        {"stability", required_argument, 0, 'S'}, {"quiet", no_argument, 0, 'q'},
        {"survive", required_argument, 0, 'L'}, {"adaptive", required_argument, 0, 'A'},
        {"stabilized", required_argument, 0, 'z'}, {"tol", required_argument, 0, 'T'},
        {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
    int c, status;
    memset(a, 0, sizeof *a);
    a->samples = 16;
    a->points = 21;
    a->seed = 1;
    while ((c = getopt_long(argc, argv, "f:a:n:H:p:s:o:l:S:L:A:z:T:qh", opts, NULL)) != -1)
        if ((status = parse_option(c, a)) != 0)
            return status;
    if (a->stabilized)
        return check_stabilized_args(argc, a);
    if (a->tols)
        return usage_error("validate", "--tol goes with --stabilized");
    if (a->adaptive) {
        if (optind != argc)
            return usage_error("validate", "--adaptive measures the pair it names: no GENERATED.c");
        if (a->log || a->stability || a->h_lo > 0 || a->survive > 0)
            return usage_error("validate", "--adaptive takes only --family, --against, --samples, --seed, "
                               "--out and --quiet");
        return a->family ? 0 : usage_error("validate", "missing --family");
    }
    if (optind + 1 != argc)
        return usage_error("validate", optind == argc ? "missing GENERATED.c" : "expected one generated .c file");
    a->stepper = argv[optind];
    if (!a->family)
        return usage_error("validate", "missing --family");
    return 0;
}

/* ---- the methods ---- */

typedef struct methods {
    sweep_method m[MAX_METHODS];
    rk_tableau *owned[MAX_METHODS];
    int n;
} methods;

/* Stages a tableau really evaluates: one whose slope nothing reads is
 * skipped by the generated code, so it costs nothing. */
static int evals_of(const rk_tableau *t)
{
    int used[RK_MAX_STAGES];
    return tableau_stages_used(t, used);
}

static int add_tableau(methods *ms, const char *spec, int is_float)
{
    if (ms->n == MAX_METHODS)
        return usage_error("validate", "--against: at most %d methods", MAX_METHODS - 1);
    rk_tableau *t = load_tableau("validate", spec);
    if (!t)
        return EXIT_USAGE;
    sweep_method *m = &ms->m[ms->n];
    ms->owned[ms->n++] = t;
    snprintf(m->name, sizeof m->name, "%s", t->name);
    m->t = t;
    m->is_float = is_float;
    m->stages = t->s;
    m->evals = evals_of(t);
    return 0;
}

typedef struct listed {
    methods *ms;
    int is_float;
} listed;

static int add_listed(void *ctx, const char *spec)
{
    listed *l = ctx;
    return add_tableau(l->ms, spec, l->is_float) != 0 ? EXIT_USAGE : 0;
}

static int add_classical(methods *ms, const char *against, int stages, int is_float)
{
    const char *names[MAX_METHODS];
    listed l = {ms, is_float};
    if (!against) {
        int n = catalog_methods(stages, 1, names, MAX_METHODS - 1);
        if (n == 0)
            fprintf(stderr, "rkgen validate: no built-in tableau has %d stages; give some with --against\n", stages);
        for (int i = 0; i < n; i++)
            if (add_tableau(ms, names[i], is_float) != 0)
                return EXIT_USAGE;
        return 0;
    }
    return each_listed("validate", "--against", against, add_listed, &l);
}

static void methods_free(methods *ms)
{
    for (int i = 0; i < ms->n; i++)
        tableau_free(ms->owned[i]);
}

/* ---- the stepper ---- */

typedef struct target {
    stepper_files sf;
    stepper_stamp st;
    rk_jit *jit;
    jit_stepper js;
} target;

static int load_target(const char *path, const rk_family *f, target *tg)
{
    rk_error err = {{0}};
    memset(tg, 0, sizeof *tg);
    if (stepper_files_read(path, &tg->sf, &err) != 0)
        return report("validate", err.text, EXIT_USAGE);
    if (stamp_read(tg->sf.h, tg->sf.c, tg->sf.prefix, &tg->st, &err) != 0) {
        fprintf(stderr, "rkgen validate: %s: not a stepper as rkgen writes it: %s\n", path, err.text);
        return EXIT_USAGE;
    }
    if (tg->st.family_hash != f->hash)
        fprintf(stderr, "rkgen validate: warning: %s was generated from another version of family %s "
                        "(FNV-1a %016llx, the family file has %016llx)\n",
                path, tg->st.family, (unsigned long long)tg->st.family_hash, (unsigned long long)f->hash);
    tg->jit = jit_compile(tg->sf.cpath, &err);
    if (!tg->jit || jit_stepper_get(tg->jit, tg->sf.prefix, tg->sf.is_float, &tg->js, &err) != 0)
        return report("validate", err.text, EXIT_USAGE);
    return 0;
}

static void target_free(target *tg)
{
    jit_free(tg->jit);
    stamp_free(&tg->st);
    stepper_files_free(&tg->sf);
}

/* ---- the report ---- */

static void fill_info(const validate_args *a, const rk_family *f, const target *tg, const methods *ms,
                      const sweep_result *r, vreport_info *vi)
{
    memset(vi, 0, sizeof *vi);
    vi->stepper_path = a->stepper;
    vi->stepper = tg->sf.prefix;
    vi->family = f->name;
    vi->family_path = a->family;
    vi->truth = r->truth;
    vi->seed = a->seed;
    vi->horizon = f->horizon;
    vi->train_lo = family_min_step(f);
    vi->train_hi = family_max_step(f);
    vi->m = ms->m;
    vi->nm = ms->n;
}

static int write_report(const validate_args *a, const vreport_info *vi, const sweep_result *r)
{
    rk_error err = {{0}};
    const char *unrendered;
    vreport_files io = {a->out, a->log, a->stability};
    int rendered = vreport_write(vi, r, &io, &unrendered, &err);
    if (unrendered)
        fprintf(stderr, "rkgen validate: gnuplot could not render %s.gp\n", unrendered);
    if (rendered < 0)
        return report("validate", err.text, EXIT_USAGE);
    if (!a->quiet)
        printf("wrote %s/report.md%s\n", a->out,
               rendered ? "" : " without pictures: gnuplot is not installed (Debian: gnuplot-nox); "
                               "render each NAME.gp there with 'gnuplot NAME.gp > NAME.svg'");
    return EXIT_OK;
}

/* ---- measuring ---- */

/* Where the stepper starts to lose to the best comparison method at the
 * family's own steps: what a method that traded order away (rkgen learn
 * --trade-order) costs below its range. */
static void print_crossover(const rk_family *f, const sweep_result *r, const methods *ms)
{
    int best = -1;
    for (int k = 1; k < ms->n; k++)
        if (best < 0 || r->row[k].err_family < r->row[best].err_family)
            best = k;
    if (best < 0)
        return;
    double top = family_max_step(f), h = sweep_losing_below(r, best, top);
    if (h >= top)
        printf("it loses to %s, the best method at the family's steps, at every step up to %.3g\n",
               ms->m[best].name, top);
    else if (h > 0)
        printf("it loses to %s, the best method at the family's steps, below h = %.3g\n", ms->m[best].name, h);
    else
        printf("it does not lose to %s, the best method at the family's steps, down to h = %.3g\n",
               ms->m[best].name, r->h[0]);
}

static int measure(const validate_args *a, const rk_family *f, const target *tg, const methods *ms)
{
    sweep_result r;
    rk_error err = {{0}};
    double h[SWEEP_MAX_POINTS], lo = a->h_lo, hi = a->h_hi;
    unsigned long steps[SWEEP_MAX_POINTS];
    if (!(lo > 0))
        sweep_range(f, SWEEP_BELOW, SWEEP_ABOVE, &lo, &hi);
    int npts = sweep_grid(f, lo, hi, (int)a->points, h, steps);
    if (sweep_run(f, a->seed, (int)a->samples, ms->m, ms->n, h, steps, npts, a->survive, &r, &err) != 0)
        return report("validate", err.text, EXIT_USAGE);
    vreport_info vi;
    fill_info(a, f, tg, ms, &r, &vi);
    char *table = vreport_table(&vi, &r);
    if (!a->quiet && table)
        printf("%s on %s: %d fresh members (seed %lu, %s), horizon %g, %d step sizes %.3g..%.3g\n%s",
               tg->sf.prefix, f->name, r.members, a->seed, r.truth, f->horizon, npts, h[0], h[npts - 1], table);
    free(table);
    if (!a->quiet)
        print_crossover(f, &r, ms);
    int status = a->out ? write_report(a, &vi, &r) : EXIT_OK;
    if (status == EXIT_OK && r.row[0].unstable > 0) {
        fprintf(stderr, "rkgen validate: %s is unstable on %d of %d members at the family's own step sizes\n",
                tg->sf.prefix, r.row[0].unstable, r.members);
        status = EXIT_CHECK;
    }
    sweep_free(&r);
    return status;
}

/* Refuses unreadable --log and --stability files before the measuring. */
static int inputs_readable(const validate_args *a)
{
    const char *paths[] = {a->log, a->stability};
    for (int i = 0; i < 2; i++) {
        FILE *fp = paths[i] ? fopen(paths[i], "r") : NULL;
        if (paths[i] && !fp)
            return usage_error("validate", "cannot read %s", paths[i]);
        if (fp)
            fclose(fp);
    }
    if ((a->log || a->stability) && !a->out)
        return usage_error("validate", "--log and --stability are plotted into --out DIR: give one");
    return 0;
}

int cmd_validate(int argc, char **argv)
{
    validate_args a;
    target tg;
    methods ms;
    int status = parse_args(argc, argv, &a);
    if (status != 0)
        return status < 0 ? EXIT_OK : status;
    if (a.stabilized) {
        /* each member costs a search over step counts: fewer by default */
        vstab_args vs = {a.stabilized, a.family, a.tols, a.out, a.samples_given ? a.samples : 4, a.seed, a.quiet};
        return validate_stab(&vs);
    }
    if (a.adaptive) {
        vadapt_args va = {a.adaptive, a.family, a.against, a.out, a.samples, a.seed, a.quiet};
        return validate_adaptive(&va);
    }
    rk_family *f = load_family("validate", a.family);
    if (!f)
        return EXIT_USAGE;
    memset(&ms, 0, sizeof ms);
    status = load_target(a.stepper, f, &tg);
    if (status == 0) {
        sweep_method *m = &ms.m[ms.n++];
        snprintf(m->name, sizeof m->name, "%s", tg.sf.prefix);
        m->js = &tg.js;
        m->is_float = tg.sf.is_float;
        m->stages = tg.st.tableau->s;
        m->evals = tg.st.nevals;
        status = add_classical(&ms, a.against, m->stages, tg.sf.is_float);
    }
    if (status == 0)
        status = inputs_readable(&a);
    if (status == 0)
        status = measure(&a, f, &tg, &ms);
    methods_free(&ms);
    target_free(&tg);
    family_free(f);
    return status;
}
