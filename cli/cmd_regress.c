/* cmd_regress.c - rkgen regress GENERATED.c --family F.ode --tableau T
 * [--golden FILE] [--write-golden]: a CI check that a committed stepper
 * is still what rkgen makes of its inputs and still computes the same
 * bits.  Every failure is one line and exit status 1. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fileio.h"
#include "golden.h"
#include "jit.h"
#include "regress.h"

void help_regress(void)
{
    printf("Usage: rkgen regress GENERATED.c --family FAMILY.ode --tableau T [options]\n"
           "Check a generated stepper (GENERATED.c and the .h beside it) for CI:\n"
           "  - regenerated from FAMILY.ode and T it must give the same bytes; if not,\n"
           "    say whether it is out of date (rkgen version, family or tableau) or\n"
           "    was edited by hand;\n"
           "  - with --golden, its trajectories, compiled from the file itself with\n"
           "    libtcc, must reproduce the golden file bit for bit.\n\n"
           "  -f, --family FILE     the family file the stepper was generated from\n"
           "  -t, --tableau T       a built-in name or a tableau JSON file\n"
           "  -g, --golden FILE     golden trajectories (default with --write-golden:\n"
           "                        GENERATED.golden)\n"
           "  -w, --write-golden    write the golden file (atomically) instead of\n"
           "                        comparing; only for an up-to-date stepper\n"
           "      --members N       members drawn for --write-golden (default 4)\n"
           "      --steps N         steps per member (default 100)\n"
           "      --every K         record the state every K steps (default 10)\n"
           "      --seed S          seed of the draw (default 1; recorded in the file\n"
           "                        when the family has more than 64 states)\n"
           "  -q, --quiet           print nothing on success\n"
           "  -h, --help            this text\n\n"
           "Exit status: 0 all checks pass, 1 a check failed (one line says why),\n"
           "2 bad usage or input.\n");
}

typedef struct regress_args {
    const char *stepper, *family, *tableau, *golden;
    int write, quiet;
    golden_opts g;
} regress_args;

static int parse_count(const char *opt, const char *s, unsigned long max, unsigned long *out)
{
    if (parse_ulong(s, out) != 0 || *out < 1 || *out > max)
        return usage_error("regress", "%s takes a whole number from 1 to %lu, not '%s'", opt, max, s);
    return 0;
}

static int parse_option(int c, regress_args *a)
{
    unsigned long v = 0;
    switch (c) {
    case 'f': a->family = optarg; return 0;
    case 't': a->tableau = optarg; return 0;
    case 'g': a->golden = optarg; return 0;
    case 'w': a->write = 1; return 0;
    case 'q': a->quiet = 1; return 0;
    case 'M':
        if (parse_count("--members", optarg, GOLDEN_MAX_MEMBERS, &v) != 0)
            return EXIT_USAGE;
        a->g.members = (int)v;
        return 0;
    case 'S': return parse_count("--steps", optarg, GOLDEN_MAX_STEPS, &a->g.steps);
    case 'E': return parse_count("--every", optarg, GOLDEN_MAX_STEPS, &a->g.every);
    case 'D':
        if (parse_ulong(optarg, &v) != 0)
            return usage_error("regress", "--seed takes a whole number, not '%s'", optarg);
        a->g.seed = v;
        return 0;
    case 'h': help_regress(); return -1;
    default: return usage_error("regress", "unknown option");
    }
}

static int parse_args(int argc, char **argv, regress_args *a)
{
    static const struct option opts[] = {
        {"family", required_argument, 0, 'f'}, {"tableau", required_argument, 0, 't'},
        {"golden", required_argument, 0, 'g'}, {"write-golden", no_argument, 0, 'w'},
        {"members", required_argument, 0, 'M'}, {"steps", required_argument, 0, 'S'},
        {"every", required_argument, 0, 'E'},  {"seed", required_argument, 0, 'D'},
        {"quiet", no_argument, 0, 'q'},        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c, status;
    memset(a, 0, sizeof *a);
    a->g = (golden_opts){4, 100, 10, 1};
    while ((c = getopt_long(argc, argv, "f:t:g:wqh", opts, NULL)) != -1)
        if ((status = parse_option(c, a)) != 0)
            return status;
    if (optind + 1 != argc)
        return usage_error("regress", optind == argc ? "missing GENERATED.c" : "expected one generated .c file");
    a->stepper = argv[optind];
    if (!a->family || !a->tableau)
        return usage_error("regress", "missing --%s", a->family ? "tableau" : "family");
    return 0;
}

/* The one line CI shows for a failed check. */
static int check_failed(const char *what, const char *reason)
{
    fprintf(stderr, "rkgen regress: %s: %s\n", what, reason);
    return EXIT_CHECK;
}

static int write_golden(const regress_args *a, const rk_family *f, const stepper_files *sf,
                        const jit_stepper *js, const char *path)
{
    golden g;
    rk_error err = {{0}};
    if (golden_draw(f, sf->prefix, sf->is_float, &a->g, &g, &err) != 0)
        return report("regress", err.text, EXIT_USAGE);
    char *text = golden_render(f, &g, js);
    int status = !text ? report("regress", "out of memory", EXIT_USAGE)
                 : rk_write_file(path, text, strlen(text), &err) != 0 ? report("regress", err.text, EXIT_USAGE)
                                                       : EXIT_OK;
    if (status == EXIT_OK && !a->quiet)
        printf("wrote %s: %d members, %lu steps each, a state every %lu\n", path, g.n, g.steps, g.every);
    free(text);
    golden_free(&g);
    return status;
}

static int check_golden(const regress_args *a, const rk_family *f, const stepper_files *sf,
                        const jit_stepper *js)
{
    golden g;
    size_t len;
    rk_error err = {{0}};
    char reason[1024];
    char *text = rk_read_file(a->golden, 256u << 20, &len, &err);
    if (!text || golden_parse(f, a->golden, text, &g, &err) != 0) {
        free(text);
        return report("regress", err.text, EXIT_USAGE);
    }
    int status = EXIT_OK;
    if (strcmp(g.prefix, sf->prefix) != 0 || g.is_float != sf->is_float) {
        fprintf(stderr, "rkgen regress: %s: the golden file is for stepper %s (%s), not %s (%s)\n", a->golden,
                g.prefix, g.is_float ? "float" : "double", sf->prefix, sf->is_float ? "float" : "double");
        status = EXIT_CHECK;
    } else {
        char *fresh = golden_render(f, &g, js);
        if (!fresh)
            status = report("regress", "out of memory", EXIT_USAGE);
        else if (golden_compare(f, a->golden, text, fresh, reason, sizeof reason) != 0)
            status = check_failed(sf->cpath, reason);
        else if (!a->quiet)
            printf("%s: %d golden trajectories of %lu steps reproduced bit for bit\n", a->golden, g.n, g.steps);
        free(fresh);
    }
    free(text);
    golden_free(&g);
    return status;
}

/* The trajectories of the file as written, compiled by libtcc. */
static int trajectories(const regress_args *a, const rk_family *f, const stepper_files *sf)
{
    rk_error err = {{0}};
    jit_stepper js;
    char path[4096];
    rk_jit *j = jit_compile(sf->cpath, &err);
    if (!j || jit_stepper_get(j, sf->prefix, sf->is_float, &js, &err) != 0) {
        jit_free(j);
        return report("regress", err.text, EXIT_USAGE);
    }
    snprintf(path, sizeof path, "%.*s.golden", (int)strlen(sf->cpath) - 2, sf->cpath);
    int status = a->write ? write_golden(a, f, sf, &js, a->golden ? a->golden : path)
                          : check_golden(a, f, sf, &js);
    jit_free(j);
    return status;
}

static int run(const regress_args *a, const rk_family *f, const rk_tableau *t)
{
    stepper_files sf;
    rk_error err = {{0}};
    regress_verdict v;
    char reason[1024];
    if (stepper_files_read(a->stepper, &sf, &err) != 0)
        return report("regress", err.text, EXIT_USAGE);
    int status = EXIT_OK;
    if (regress_source(&sf, f, t, &v, reason, sizeof reason, &err) != 0)
        status = report("regress", err.text, EXIT_USAGE);
    else if (v != REGRESS_OK)
        status = check_failed(sf.cpath, reason);
    else if (!a->quiet)
        printf("%s: up to date with %s and %s\n", sf.cpath, a->family, a->tableau);
    if (status == EXIT_OK && (a->golden || a->write))
        status = trajectories(a, f, &sf);
    stepper_files_free(&sf);
    return status;
}

int cmd_regress(int argc, char **argv)
{
    regress_args a;
    int status = parse_args(argc, argv, &a);
    if (status != 0)
        return status < 0 ? EXIT_OK : status;
    rk_family *f = load_family("regress", a.family);
    rk_tableau *t = f ? load_tableau("regress", a.tableau) : NULL;
    status = t ? run(&a, f, t) : EXIT_USAGE;
    tableau_free(t);
    family_free(f);
    return status;
}
