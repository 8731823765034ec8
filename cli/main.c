/* main.c - rkgen: learns Runge-Kutta tableaux for families of ODEs and
 * emits them as standalone C.  Dispatches to one subcommand. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"

static const command commands[] = {
    {"tableaux", "list the built-in Butcher tableaux, or print one as JSON", cmd_tableaux, help_tableaux},
    {"emit", "write a family's stepper as a standalone .c/.h, checked through libtcc", cmd_emit, help_emit},
    {"simulate", "integrate one member of a family with its JIT-compiled stepper (CSV)", cmd_simulate, help_simulate},
    {"learn", "train a tableau for a family, validated through its generated C", cmd_learn, help_learn},
    {"check", "order conditions in MPFR, family-specific order, stability", cmd_check, help_check},
    {"polish", "Gauss-Newton in MPFR onto the order conditions", cmd_polish, help_polish},
    {"validate", "measure a generated stepper on fresh samples: orders, ratios, plots", cmd_validate, help_validate},
    {"regress", "check a generated stepper against its tableau, family and golden trajectories", cmd_regress, help_regress},
    {"export", "write a tableau for SciPy, Julia, NodePy, ARKODE or LaTeX", cmd_export, help_export},
    {"stability", "design a many-stage method with the longest real stability interval", cmd_stability, help_stability},
};
enum { NCOMMANDS = sizeof commands / sizeof *commands };

static void help(FILE *out)
{
    fprintf(out,
            "Usage: rkgen COMMAND [ARGS]...\n"
            "Learn Runge-Kutta integrators tuned to a family of ODEs and emit them as C.\n\n"
            "Commands:\n");
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n'rkgen COMMAND --help' describes one command; 'rkgen --version' prints the version.\n"
            "Exit status: 0 ok, 1 a check failed, 2 bad usage or input.\n"
            "Family files: docs/family-format.md; tableau files: docs/tableau-format.md.\n");
}

/* Nothing half-written survives Ctrl-C: temporaries go, then we leave. */
static void on_signal(int sig)
{
    rk_outset_cleanup_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

int main(int argc, char **argv)
{
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    if (argc < 2) {
        help(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        help(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("rkgen %s\n", RKGEN_VERSION);
        return EXIT_OK;
    }
    int want_help = strcmp(name, "help") == 0;
    if (want_help && argc < 3) {
        help(stdout);
        return EXIT_OK;
    }
    if (want_help)
        name = argv[2];
    for (int i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, commands[i].name) == 0) {
            if (want_help) {
                commands[i].help();
                return EXIT_OK;
            }
            return commands[i].run(argc - 1, argv + 1);
        }
    fprintf(stderr, "rkgen: unknown command '%s'\n\n", name);
    help(stderr);
    return EXIT_USAGE;
}
