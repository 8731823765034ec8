/* cmd_export.c - rkgen export TABLEAU --to TARGET [-o FILE] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "fileio.h"

void help_export(void)
{
    printf("Usage: rkgen export NAME|FILE.json --to scipy|julia|nodepy|arkode|latex [-o FILE]\n"
           "Write a tableau (built-in or file, validated) for another tool, exact where\n"
           "the tableau has exact values:\n"
           "  scipy   a Python module: step(f, t, y, h), one fixed step as rkgen takes it,\n"
           "          and for a pair a scipy.integrate RungeKutta subclass for solve_ivp\n"
           "          (dopri5 is SciPy's RK45, dense output included; other pairs get\n"
           "          cubic Hermite dense output)\n"
           "  julia   a function returning an ExplicitRKTableau for OrdinaryDiffEq (//)\n"
           "  nodepy  NodePy's ExplicitRungeKuttaMethod, or ExplicitRungeKuttaPair (SymPy)\n"
           "  arkode  a C function rkgen_table_NAME(void) returning a SUNDIALS 6\n"
           "          ARKodeButcherTable, coefficients as hex floats\n"
           "  latex   the Butcher array, with \\frac and \\sqrt\n"
           "Orders the tableau does not state are found from the rooted trees in MPFR.\n\n"
           "Options:\n"
           "      --to TARGET   the tool to write for (required)\n"
           "  -o, --out FILE    write FILE, whole or not at all (default: stdout)\n"
           "  -h, --help        this text\n\n"
           "Exit status: 0 written, 1 a stated order does not hold (nothing written),\n"
           "2 bad usage or input (nothing written).  See docs/export.md.\n");
}

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        /* no -t: everywhere else -t is --tableau */
        {"to", required_argument, 0, 't'},
        {"out", required_argument, 0, 'o'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *to = NULL, *out = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 't': to = optarg; break;
        case 'o': out = optarg; break;
        case 'h': help_export(); return EXIT_OK;
        default: return usage_error("export", "unknown option");
        }
    }
    if (optind == argc)
        return usage_error("export", "no tableau given; name a built-in or a JSON file");
    if (optind + 1 < argc)
        return usage_error("export", "expected one tableau, got '%s' too", argv[optind + 1]);
    if (!to)
        return usage_error("export", "--to is required (%s)", export_target_list());
    int target = export_target(to);
    if (target < 0)
        return usage_error("export", "--to takes %s, not '%s'", export_target_list(), to);
    if (out && !*out)
        return usage_error("export", "-o needs a file name");
    rk_tableau *t = load_tableau("export", argv[optind]);
    if (!t)
        return EXIT_USAGE;
    rk_error err = {{0}};
    char *text = NULL;
    int r = export_tableau(t, (rk_export_target)target, &text, &err);
    tableau_free(t);
    if (r != 0)
        return report("export", err.text, r > 0 ? EXIT_CHECK : EXIT_USAGE);
    int status = EXIT_OK;
    if (!out)
        fputs(text, stdout);
    else if (rk_write_file(out, text, strlen(text), &err) != 0)
        status = report("export", err.text, EXIT_USAGE);
    free(text);
    return status;
}
