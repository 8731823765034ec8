/* cmd_stability.c - rkgen stability --stages S --order P [--damping EPS]
 * [--form product|chebyshev] -o METHOD.json: designs the many-stage
 * method with the longest real stability interval and writes it in the
 * form asked for (docs/stabilized.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "fileio.h"
#include "stabilized.h"

void help_stability(void)
{
    printf("Usage: rkgen stability --stages S --order P [--damping EPS] [--form FORM]\n"
           "                       -o METHOD.json\n"
           "Design the explicit S-stage method of order P whose real stability interval\n"
           "[-beta, 0] is the longest: an LP over its stability polynomial R in the\n"
           "Chebyshev basis (GLPK), bisection on beta.  The method is never written as\n"
           "an S x S tableau, whose rounding errors grow like S^3, but in a round-off-\n"
           "safe form (docs/stabilized.md): 'product', an ordered product of Euler and\n"
           "quadratic factors (errors near S^2), or 'chebyshev', R's Chebyshev\n"
           "expansion run as the three-term recurrence RKC uses (errors near S, and\n"
           "no roots to find: faster to design).\n"
           "beta grows like S^2: 2 S^2 for P = 1, about 0.82 S^2 for P = 2.  For P >= 3\n"
           "the order holds on linear problems only (the file says linear_only).\n\n"
           "Options:\n"
           "  -s, --stages S     evaluations of f per step, P..%d\n"
           "  -p, --order P      order, 1..4\n"
           "  -d, --damping EPS  |R| <= 1 - EPS on [-beta, -1] (default 0; below 0.5)\n"
           "  -f, --form FORM    product (default) or chebyshev\n"
           "  -o, --out FILE     the method file, written whole or not at all (required)\n"
           "  -h, --help         this text\n\n"
           "Prints beta, beta/S^2, the internal amplification (NodePy's\n"
           "maximum_internal_amplification, in MPFR) and the design time.  Check the\n"
           "file with 'rkgen check METHOD.json'.\n"
           "Exit status: 0 written, 1 the design failed (nothing written), 2 bad usage.\n",
           STAB_DESIGN_MAX_STAGES);
}

static int parse_args(int argc, char **argv, unsigned long *s, unsigned long *p,
                      double *eps, stab_form *form, const char **out)
{
    static const struct option opts[] = {
        {"stages", required_argument, 0, 's'}, {"order", required_argument, 0, 'p'},
        {"damping", required_argument, 0, 'd'}, {"form", required_argument, 0, 'f'},
        {"out", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'},
        /* the spelling of earlier releases */
        {"output", required_argument, 0, 'o'},
        {0, 0, 0, 0}};
    int c, have_s = 0, have_p = 0;
    while ((c = getopt_long(argc, argv, "s:p:d:f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (parse_ulong(optarg, s) != 0 || *s < 1 || *s > STAB_DESIGN_MAX_STAGES)
                return usage_error("stability", "--stages takes a whole number from 1 to "
                                   "%d, not '%s'", STAB_DESIGN_MAX_STAGES, optarg);
            have_s = 1;
            break;
        case 'p':
            if (parse_ulong(optarg, p) != 0 || *p < 1 || *p > 4)
                return usage_error("stability", "--order takes 1, 2, 3 or 4, not '%s'",
                                   optarg);
            have_p = 1;
            break;
        case 'd':
            if (parse_double(optarg, eps) != 0 || !(*eps >= 0 && *eps < 0.5))
                return usage_error("stability", "--damping takes a number from 0 up to "
                                   "0.5, not '%s'", optarg);
            break;
        case 'f':
            if (strcmp(optarg, "product") != 0 && strcmp(optarg, "chebyshev") != 0)
                return usage_error("stability", "--form takes product or chebyshev, not "
                                   "'%s'", optarg);
            *form = strcmp(optarg, "chebyshev") == 0 ? STAB_CHEBYSHEV : STAB_PRODUCT;
            break;
        case 'o': *out = optarg; break;
        case 'h': help_stability(); return -1;
        default: return usage_error("stability", "unknown option");
        }
    }
    if (optind < argc)
        return usage_error("stability", "unexpected argument '%s'", argv[optind]);
    if (!have_s || !have_p)
        return usage_error("stability", "--stages and --order are required");
    if (*p > *s)
        return usage_error("stability", "order %lu needs at least %lu stages", *p, *p);
    if (!*out || !**out)
        return usage_error("stability", "-o METHOD.json is required");
    return 0;
}

int cmd_stability(int argc, char **argv)
{
    unsigned long s = 0, p = 0;
    double eps = 0;
    const char *out = NULL;
    stab_form form = STAB_PRODUCT;
    int status = parse_args(argc, argv, &s, &p, &eps, &form, &out);
    if (status != 0)
        return status < 0 ? EXIT_OK : status;
    rk_error err = {{0}};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rk_stab *m = form == STAB_CHEBYSHEV ? stab_design_chebyshev((int)s, (int)p, eps, &err)
                                        : stab_design((int)s, (int)p, eps, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!m)
        return report("stability", err.text, EXIT_CHECK);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    stab_analysis a;
    char *text = NULL;
    status = EXIT_OK;
    if (stab_analyse(m, 256, &a, &err) != 0) {
        status = report("stability", err.text, EXIT_CHECK);
    } else {
        text = stab_to_json(m);
        if (!text)
            status = report("stability", "out of memory", EXIT_CHECK);
        else if (rk_write_file(out, text, strlen(text), &err) != 0)
            status = report("stability", err.text, EXIT_USAGE);
        else
            printf("%s: %lu stages, order %d%s, damping %g\n"
                   "  beta = %.10g (beta/s^2 = %.6f)\n"
                   "  internal amplification %.4g (%.3g s^2), state growth %.4g (%.3g s^2)\n"
                   "  designed in %.3f s; written to %s\n",
                   m->name, s, a.order, m->linear_only ? " (linear problems only)" : "",
                   eps, m->beta, m->beta / ((double)s * (double)s), a.amplification,
                   a.amplification / ((double)s * (double)s), a.growth,
                   a.growth / ((double)s * (double)s), secs, out);
        stab_analysis_free(&a);
    }
    free(text);
    stab_free(m);
    return status;
}
