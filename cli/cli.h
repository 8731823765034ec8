/* cli.h - what the subcommands share: exit statuses, loading inputs with
 * user-facing messages, and small option parsers. */
#ifndef RK_CLI_H
#define RK_CLI_H

#include "family.h"
#include "stabilized.h"
#include "tableau.h"

enum { EXIT_OK = 0, EXIT_CHECK = 1, EXIT_USAGE = 2 };

typedef struct command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
    void (*help)(void);
} command;

int cmd_tableaux(int argc, char **argv);
int cmd_emit(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
void help_tableaux(void);
void help_emit(void);
void help_simulate(void);
int cmd_learn(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_polish(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_regress(int argc, char **argv);
void help_learn(void);
void help_check(void);
void help_polish(void);
void help_validate(void);
void help_regress(void);
int cmd_export(int argc, char **argv);
void help_export(void);
int cmd_stability(int argc, char **argv);
void help_stability(void);

/* Prints "rkgen CMD: message" and a hint to stderr; returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Prints an error from the library; returns status. */
int report(const char *cmd, const char *text, int status);

rk_family *load_family(const char *cmd, const char *path);
rk_tableau *load_tableau(const char *cmd, const char *spec);
/* When spec is a "rkgen-stabilized" method file (stab_is_text): *is_stab
 * = 1 and the method, or NULL once the reason is reported.  Otherwise
 * *is_stab = 0 and NULL: spec is for load_tableau. */
rk_stab *load_stab_maybe(const char *cmd, const char *spec, int *is_stab);

/* fn(ctx, name) for each comma-separated name of list, in order; returns
 * the first nonzero result (a list longer than 4095 characters is a
 * usage error of cmd's option opt). */
int each_listed(const char *cmd, const char *opt, const char *list,
                int (*fn)(void *ctx, const char *name), void *ctx);

/* Strict number parsers; 0 on success. */
int parse_double(const char *s, double *out);
int parse_ulong(const char *s, unsigned long *out);
/* --real double|float */
int parse_real(const char *cmd, const char *s, int *is_float);

/* "a=1.5,b=2" into values[] by the names of syms (each at most once). */
int parse_assignments(const char *cmd, const char *opt, const char *s,
                      const fam_sym *syms, int n, double *values, char *set);

#endif
