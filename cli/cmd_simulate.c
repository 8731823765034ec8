/* cmd_simulate.c - rkgen simulate: one member of a family through the
 * JIT-compiled stepper, as CSV on stdout. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pipeline.h"

void help_simulate(void)
{
    printf("Usage: rkgen simulate FAMILY.ode --tableau NAME|FILE.json [options]\n"
           "Generate the family's stepper, compile it in memory with libtcc, and\n"
           "integrate one member of the family with it.  Prints CSV on stdout:\n"
           "a header 't,STATE...' and one row per step, with 17 significant digits.\n"
           "Whatever is not given is drawn from the family's distributions.\n\n"
           "  -t, --tableau T       a built-in name, a JSON tableau file or a many-stage\n"
           "                        \"rkgen-stabilized\" method file\n"
           "      --h H             step size (default: drawn from 'step h ~ ...')\n"
           "      --steps N         number of steps (default: horizon / h, rounded)\n"
           "      --param A=V,...   parameter values\n"
           "      --init X=V,...    initial values\n"
           "      --seed S          seed for the values drawn (default 1)\n"
           "  -r, --real TYPE       double (default) or float\n"
           "  -q, --quiet           no summary of the member on stderr\n"
           "  -h, --help            this text\n");
}

typedef struct sim_args {
    const char *family, *tableau, *params, *inits;
    double h;
    unsigned long steps, seed;
    int have_h, have_steps, is_float, quiet;
} sim_args;

enum { OPT_H = 256, OPT_STEPS, OPT_PARAM, OPT_INIT, OPT_SEED };

static int option(int c, const char *arg, sim_args *a)
{
    switch (c) {
    case 't': a->tableau = arg; return 0;
    case OPT_PARAM: a->params = arg; return 0;
    case OPT_INIT: a->inits = arg; return 0;
    case 'q': a->quiet = 1; return 0;
    case 'r': return parse_real("simulate", arg, &a->is_float);
    case OPT_H:
        a->have_h = 1;
        if (parse_double(arg, &a->h) != 0 || !(a->h > 0))
            return usage_error("simulate", "--h takes a positive number, not '%s'", arg);
        return 0;
    case OPT_STEPS:
        a->have_steps = 1;
        if (parse_ulong(arg, &a->steps) != 0 || a->steps > 100000000UL)
            return usage_error("simulate", "--steps takes a whole number up to 1e8, not '%s'", arg);
        return 0;
    case OPT_SEED:
        if (parse_ulong(arg, &a->seed) != 0)
            return usage_error("simulate", "--seed takes a whole number, not '%s'", arg);
        return 0;
    default:
        return usage_error("simulate", "unknown option");
    }
}

static int parse_args(int argc, char **argv, sim_args *a)
{
    static const struct option opts[] = {
        {"tableau", required_argument, 0, 't'}, {"h", required_argument, 0, OPT_H},
        {"steps", required_argument, 0, OPT_STEPS}, {"param", required_argument, 0, OPT_PARAM},
        {"init", required_argument, 0, OPT_INIT}, {"seed", required_argument, 0, OPT_SEED},
        {"real", required_argument, 0, 'r'}, {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    memset(a, 0, sizeof *a);
    a->seed = 1;
    while ((c = getopt_long(argc, argv, "t:r:qh", opts, NULL)) != -1) {
        if (c == 'h') {
            help_simulate();
            return -1;
        }
        if (option(c, optarg, a) != 0)
            return EXIT_USAGE;
    }
    if (optind + 1 != argc)
        return usage_error("simulate", optind == argc ? "missing FAMILY.ode" : "expected one family file");
    a->family = argv[optind];
    if (!a->tableau)
        return usage_error("simulate", "missing --tableau (a built-in name or a JSON file)");
    return 0;
}

/* The member: given values first, the rest drawn in the family's order. */
static int choose_member(const rk_family *f, sim_args *a, double *p, double *y0)
{
    char *set = calloc((size_t)(f->dim + f->nparam) + 1, 1);
    double h;
    rk_rng rng;
    if (!set)
        return report("simulate", "out of memory", EXIT_USAGE);
    rng_seed(&rng, a->seed);
    family_sample(f, &rng, p, y0, &h);
    int st = 0;
    if (a->params)
        st = parse_assignments("simulate", "--param", a->params, f->param, f->nparam, p, set);
    if (st == 0 && a->inits)
        st = parse_assignments("simulate", "--init", a->inits, f->state, f->dim, y0, set + f->nparam);
    free(set);
    if (!a->have_h)
        a->h = h;
    if (!a->have_steps)
        a->steps = (unsigned long)fmax(1.0, round(f->horizon / a->h));
    return st;
}

static void print_row(const rk_family *f, double t, const double *y)
{
    printf("%.17g", t);
    for (int i = 0; i < f->dim; i++)
        printf(",%.17g", y[i]);
    printf("\n");
}

/* Step k starts at k*h, as in the generated _integrate. */
static void run_double(const rk_family *f, const sim_args *a, const jit_stepper *js,
                       const double *p, double *y)
{
    print_row(f, 0.0, y);
    for (unsigned long k = 0; k < a->steps; k++) {
        js->step((double)k * a->h, y, a->h, p);
        print_row(f, (double)(k + 1) * a->h, y);
    }
}

static int run_float(const rk_family *f, const sim_args *a, const jit_stepper *js,
                     const double *p, double *y)
{
    float *pf = malloc(((size_t)f->nparam + 1 + (size_t)f->dim) * sizeof *pf);
    if (!pf)
        return report("simulate", "out of memory", EXIT_USAGE);
    float *yf = pf + f->nparam + 1, h = (float)a->h;
    for (int i = 0; i < f->nparam; i++)
        pf[i] = (float)p[i];
    for (int i = 0; i < f->dim; i++)
        y[i] = yf[i] = (float)y[i];
    print_row(f, 0.0, y);
    for (unsigned long k = 0; k < a->steps; k++) {
        js->stepf((float)k * h, yf, h, pf);
        for (int i = 0; i < f->dim; i++)
            y[i] = yf[i];
        print_row(f, (double)((float)(k + 1) * h), y);
    }
    free(pf);
    return EXIT_OK;
}

static void describe(const rk_family *f, const sim_args *a, const double *p, const double *y0)
{
    fprintf(stderr, "# %s, h = %.17g, %lu steps", f->name, a->h, a->steps);
    for (int i = 0; i < f->nparam; i++)
        fprintf(stderr, ", %s = %.17g", f->param[i].name, p[i]);
    /* a large system's initial state is the first row of the CSV */
    int shown = f->dim > 16 ? 4 : f->dim;
    for (int i = 0; i < shown; i++)
        fprintf(stderr, ", %s(0) = %.17g", f->state[i].name, y0[i]);
    if (shown < f->dim)
        fprintf(stderr, " and %d more (the first row)", f->dim - shown);
    fprintf(stderr, "\n");
}

/* The stepper is built in a private directory that is gone afterwards. */
static int simulate(const rk_family *f, const rk_tableau *t, const rk_stab *m, sim_args *a,
                    double *p, double *y)
{
    const char *tmp = getenv("TMPDIR"), *dir = tmp && *tmp ? tmp : "/tmp";
    rk_error err = {{0}};
    emit_opts o = {"rkgen_sim", a->is_float};
    stepper_build b;
    int status = m ? stab_stepper_prepare(f, m, &o, dir, &b, &err)
                   : stepper_prepare(f, t, &o, dir, &b, &err);
    if (status != 0)
        return report("simulate", err.text, status);
    if (!a->quiet)
        describe(f, a, p, y);
    printf("t");
    for (int i = 0; i < f->dim; i++)
        printf(",%s", f->state[i].name);
    printf("\n");
    if (a->is_float)
        status = run_float(f, a, &b.fns, p, y);
    else
        run_double(f, a, &b.fns, p, y);
    stepper_abort(&b);
    return status;
}

int cmd_simulate(int argc, char **argv)
{
    sim_args a;
    int status = parse_args(argc, argv, &a);
    if (status != 0)
        return status < 0 ? EXIT_OK : status;
    rk_family *f = load_family("simulate", a.family);
    int is_stab = 0;
    rk_stab *m = f ? load_stab_maybe("simulate", a.tableau, &is_stab) : NULL;
    rk_tableau *t = f && !is_stab ? load_tableau("simulate", a.tableau) : NULL;
    double *p = f ? calloc((size_t)(f->nparam + 2 * f->dim) + 1, sizeof *p) : NULL;
    status = EXIT_USAGE;
    if ((t || m) && !p)
        report("simulate", "out of memory", EXIT_USAGE);
    if ((t || m) && p && choose_member(f, &a, p, p + f->nparam) == 0)
        status = simulate(f, t, m, &a, p, p + f->nparam);
    free(p);
    stab_free(m);
    tableau_free(t);
    family_free(f);
    return status;
}
