/* cmd_emit.c - rkgen emit FAMILY.ode --tableau T [-o DIR] [--name P] [--real R] [--adaptive | --ladder] */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pipeline.h"
#include "ladder_emit.h"
#include "stab_emit.h"

void help_emit(void)
{
    printf("Usage: rkgen emit FAMILY.ode --tableau NAME|FILE.json [options]\n"
           "Write PREFIX.h and PREFIX.c: a standalone, dependency-free stepper for\n"
           "the family with the tableau's fixed coefficients.  Before anything is\n"
           "written the C is compiled in memory with libtcc and compared with the\n"
           "engine on random members of the family; the files appear whole or not\n"
           "at all.\n\n"
           "  -t, --tableau T     a built-in name (see 'rkgen tableaux') or a JSON file;\n"
           "                      a \"rkgen-stabilized\" many-stage method file gives a\n"
           "                      loop over its factors or stages (docs/stabilized.md)\n"
           "  -o, --out DIR       output directory (default: .)\n"
           "  -n, --name PREFIX   C prefix and file name (default: FAMILY_TABLEAU)\n"
           "  -r, --real TYPE     double (default) or float (no double promotion)\n"
           "  -a, --adaptive      an adaptive solver (error control, dense output) for\n"
           "                      a pair with bhat whose stated orders hold; the check\n"
           "                      compares whole runs with the engine bit for bit\n"
           "  -l, --ladder        for a many-stage method: a stepper that takes, each\n"
           "                      step, the fewest stages whose interval covers h rho\n"
           "                      (rho passed to it, or estimated by its _rho as RKC\n"
           "                      does), from the same design at every stage count\n"
           "                      up to the method's (docs/stabilized.md)\n"
           "  -q, --quiet         print nothing on success\n"
           "  -h, --help          this text\n\n"
           "Exit status: 0 written, 1 the compiled code disagreed with the engine,\n"
           "2 bad usage or input (nothing written).\n");
}

typedef struct emit_args {
    const char *family, *tableau, *outdir, *name;
    int is_float, quiet, adaptive, ladder;
} emit_args;

static int parse_args(int argc, char **argv, emit_args *a)
{
    static const struct option opts[] = {
        {"tableau", required_argument, 0, 't'}, {"out", required_argument, 0, 'o'},
        {"name", required_argument, 0, 'n'},    {"real", required_argument, 0, 'r'},
        {"quiet", no_argument, 0, 'q'},         {"help", no_argument, 0, 'h'},
        {"adaptive", no_argument, 0, 'a'},      {"ladder", no_argument, 0, 'l'},
        {0, 0, 0, 0}};
    int c;
    memset(a, 0, sizeof *a);
    a->outdir = ".";
    while ((c = getopt_long(argc, argv, "t:o:n:r:qhal", opts, NULL)) != -1) {
        switch (c) {
        case 't': a->tableau = optarg; break;
        case 'o': a->outdir = optarg; break;
        case 'n': a->name = optarg; break;
        case 'r':
            if (parse_real("emit", optarg, &a->is_float) != 0)
                return EXIT_USAGE;
            break;
        case 'q': a->quiet = 1; break;
        case 'l': a->ladder = 1; break;
        case 'a': a->adaptive = 1; break;
        case 'h': help_emit(); return -1;
        default: return usage_error("emit", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return usage_error("emit", optind == argc ? "missing FAMILY.ode" : "expected one family file");
    a->family = argv[optind];
    if (!a->tableau)
        return usage_error("emit", "missing --tableau (a built-in name or a JSON file)");
    return 0;
}

/* A many-stage method file: the ordered-product stepper (stab_emit.h). */
static int emit_stab(const rk_family *f, const rk_stab *m, const emit_args *a)
{
    rk_error err = {{0}};
    emit_opts o = {{0}, a->is_float};
    if (a->adaptive)
        return usage_error("emit", "--adaptive needs a pair with bhat; %s is a many-stage method "
                           "without an error estimate", a->tableau);
    if (a->name && !emit_prefix_ok(a->name))
        return usage_error("emit", "--name '%s' is not a C identifier (a letter, then letters, digits or '_', under %d characters)",
                           a->name, EMIT_PREFIX_MAX);
    if (a->name)
        strcpy(o.prefix, a->name);
    else if ((a->ladder ? ladder_default_prefix(f, m, o.prefix, &err) : stab_default_prefix(f, m, o.prefix, &err)) != 0)
        return report("emit", err.text, EXIT_USAGE);
    stepper_build b;
    rk_stab_ladder *L = NULL;
    int status;
    if (a->ladder) {
        L = stab_ladder_new(m, &err);
        status = L ? ladder_stepper_prepare(f, L, &o, a->outdir, &b, &err) : EXIT_USAGE;
    } else
        status = stab_stepper_prepare(f, m, &o, a->outdir, &b, &err);
    if (status == 0)
        status = stepper_commit(&b, &err);
    if (status != 0) {
        report("emit", err.text, status);
        fprintf(stderr, "rkgen emit: nothing was written\n");
    } else if (!a->quiet) {
        char what[96];
        stab_describe(m, what, sizeof what);
        if (L)
            snprintf(what + strlen(what), sizeof what - strlen(what), ", its ladder from %d stages",
                     stab_stages(stab_ladder_pick(L, 0)));
        printf("wrote %s and %s (%s, %s, %s; libtcc check: %d member%s of %d steps, "
               "max difference %.3g ulps%s)\n", b.hpath, b.cpath, m->name, what,
               a->is_float ? "float" : "double", b.check.members, b.check.members == 1 ? "" : "s",
               b.check.steps, b.check.max_ulps, L ? "; rho estimated as the engine does" : "");
    }
    stab_ladder_free(L);
    return status;
}

int cmd_emit(int argc, char **argv)
{
    emit_args a;
    int status = parse_args(argc, argv, &a);
    if (status != 0)
        return status < 0 ? EXIT_OK : status;
    rk_family *f = load_family("emit", a.family);
    int is_stab = 0;
    rk_stab *m = f ? load_stab_maybe("emit", a.tableau, &is_stab) : NULL;
    if (is_stab) {
        status = m ? emit_stab(f, m, &a) : EXIT_USAGE;
        stab_free(m);
        family_free(f);
        return status;
    }
    if (f && a.ladder) {
        family_free(f);
        return usage_error("emit", "--ladder needs a many-stage method file (from rkgen stability, or "
                           "rkgen learn --stabilized); %s is a tableau", a.tableau);
    }
    rk_tableau *t = f ? load_tableau("emit", a.tableau) : NULL;
    rk_error err = {{0}};
    emit_opts o = {{0}, a.is_float};
    status = EXIT_USAGE;
    if (!t)
        goto done;
    if (a.name) {
        if (!emit_prefix_ok(a.name)) {
            status = usage_error("emit", "--name '%s' is not a C identifier (a letter, then letters, digits or '_', under %d characters)",
                                 a.name, EMIT_PREFIX_MAX);
            goto done;
        }
        strcpy(o.prefix, a.name);
    } else if (emit_default_prefix(f, t, o.prefix, &err) != 0) {
        report("emit", err.text, EXIT_USAGE);
        goto done;
    }
    stepper_build b;
    status = a.adaptive ? solver_prepare(f, t, &o, a.outdir, &b, &err)
                        : stepper_prepare(f, t, &o, a.outdir, &b, &err);
    if (status == 0)
        status = stepper_commit(&b, &err);
    if (status != 0) {
        report("emit", err.text, status);
        fprintf(stderr, "rkgen emit: nothing was written\n");
    } else if (!a.quiet && a.adaptive) {
        printf("wrote %s and %s (adaptive %s, %d stages, %s; libtcc check: %d runs, %d accepted steps, "
               "bit for bit)\n", b.hpath, b.cpath, t->name, t->s, a.is_float ? "float" : "double",
               b.check.members, b.check.steps);
    } else if (!a.quiet) {
        printf("wrote %s and %s (%s, %d stage%s, %s; libtcc check: %d member%s of %d steps, max difference "
               "%.3g ulps)\n",
               b.hpath, b.cpath, t->name, t->s, t->s == 1 ? "" : "s", a.is_float ? "float" : "double",
               b.check.members, b.check.members == 1 ? "" : "s", b.check.steps, b.check.max_ulps);
    }
done:
    tableau_free(t);
    family_free(f);
    return status;
}
