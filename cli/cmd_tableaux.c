/* cmd_tableaux.c - rkgen tableaux [NAME|FILE.json] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void help_tableaux(void)
{
    printf("Usage: rkgen tableaux [NAME|FILE.json]\n"
           "Without an argument, list the built-in tableaux: name, stages,\n"
           "classical order, for a pair the embedded order and FSAL, and source.  With one, print that tableau (built-in\n"
           "or read from a file, validated) as tableau JSON on stdout.\n");
}

static int list(void)
{
    printf("%-10s %6s %5s %8s %4s  %s\n", "name", "stages", "order", "embedded", "fsal",
           "description");
    for (int i = 0; i < tableau_builtin_count(); i++) {
        rk_tableau *t = tableau_builtin(tableau_builtin_name(i));
        if (!t)
            return report("tableaux", "out of memory", EXIT_USAGE);
        char emb[16] = "-";
        if (t->bhat)
            snprintf(emb, sizeof emb, "%d", t->embedded_order);
        printf("%-10s %6d %5d %8s %4s  %s\n", t->name, t->s, t->order, emb,
               t->fsal ? "yes" : "no", t->description ? t->description : "");
        tableau_free(t);
    }
    return EXIT_OK;
}

int cmd_tableaux(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            help_tableaux();
            return EXIT_OK;
        }
        return usage_error("tableaux", "unknown option");
    }
    if (optind == argc)
        return list();
    if (optind + 1 < argc)
        return usage_error("tableaux", "expected at most one tableau");
    rk_tableau *t = load_tableau("tableaux", argv[optind]);
    if (!t)
        return EXIT_USAGE;
    char *json = tableau_to_json(t);
    tableau_free(t);
    if (!json)
        return report("tableaux", "out of memory", EXIT_USAGE);
    fputs(json, stdout);
    free(json);
    return EXIT_OK;
}
