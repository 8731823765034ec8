/* cli.c - what the subcommands share (cli.h): usage errors, loading
 * families and tableaux with user-facing messages, option parsers. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "rkgen %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'rkgen %s --help'.\n", cmd);
    return EXIT_USAGE;
}

int report(const char *cmd, const char *text, int status)
{
    fprintf(stderr, "rkgen %s: %s\n", cmd, text);
    return status;
}

rk_family *load_family(const char *cmd, const char *path)
{
    rk_error err = {{0}};
    rk_family *f = family_load(path, &err);
    if (!f)
        report(cmd, err.text, EXIT_USAGE);
    return f;
}

rk_tableau *load_tableau(const char *cmd, const char *spec)
{
    rk_error err = {{0}};
    int plain = 0;
    rk_tableau *t = tableau_resolve_noted(spec, &plain, &err);
    if (!t)
        report(cmd, err.text, EXIT_USAGE);
    if (plain)
        fprintf(stderr, "rkgen %s: note: %s has no \"format\"/\"version\"; "
                "read as a plain Butcher tableau\n", cmd, spec);
    return t;
}

int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int parse_ulong(const char *s, unsigned long *out)
{
    char *end;
    errno = 0;
    if (*s == '-' || *s == '\0')
        return -1;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

int parse_real(const char *cmd, const char *s, int *is_float)
{
    if (strcmp(s, "double") == 0)
        *is_float = 0;
    else if (strcmp(s, "float") == 0)
        *is_float = 1;
    else
        return usage_error(cmd, "--real takes double or float, not '%s'", s);
    return 0;
}

static int find_sym(const fam_sym *syms, int n, const char *name, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(syms[i].name) == len && strncmp(syms[i].name, name, len) == 0)
            return i;
    return -1;
}

int each_listed(const char *cmd, const char *opt, const char *list,
                int (*fn)(void *ctx, const char *name), void *ctx)
{
    char buf[4096];
    int r = 0;
    if (strlen(list) >= sizeof buf)
        return usage_error(cmd, "%s: too long", opt);
    strcpy(buf, list);
    for (char *save = NULL, *s = strtok_r(buf, ",", &save); s && r == 0; s = strtok_r(NULL, ",", &save))
        r = fn(ctx, s);
    return r;
}

int parse_assignments(const char *cmd, const char *opt, const char *s,
                      const fam_sym *syms, int n, double *values, char *set)
{
    char buf[4096];
    if (strlen(s) >= sizeof buf)
        return usage_error(cmd, "%s: argument too long", opt);
    strcpy(buf, s);
    for (char *save = NULL, *item = strtok_r(buf, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq)
            return usage_error(cmd, "%s: expected NAME=VALUE, got '%s'", opt, item);
        int k = find_sym(syms, n, item, (size_t)(eq - item));
        if (k < 0)
            return usage_error(cmd, "%s: the family has no '%.*s'", opt, (int)(eq - item), item);
        if (set[k])
            return usage_error(cmd, "%s: '%s' given twice", opt, syms[k].name);
        if (parse_double(eq + 1, &values[k]) != 0)
            return usage_error(cmd, "%s: '%s' is not a finite number", opt, eq + 1);
        set[k] = 1;
    }
    return 0;
}
