/* diag.h - error values carried back to the command line.
 *
 * Library code never prints and never exits: it fills an rk_error and
 * returns failure, and the caller decides how to report it.  Messages
 * that point into a source file carry "file:line:col:", the offending
 * line and a caret under the column.
 */
#ifndef RK_DIAG_H
#define RK_DIAG_H

#include <stddef.h>

#define RK_ERROR_MAX 1024

typedef struct rk_error {
    char text[RK_ERROR_MAX];
} rk_error;

#if defined(__GNUC__)
#define RK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define RK_PRINTF(f, a)
#endif

/* A message with no source location. */
void rk_error_set(rk_error *e, const char *fmt, ...) RK_PRINTF(2, 3);

/* A message at file:line:col (1-based), followed by the source line
 * (given by pointer and length, not NUL-terminated) and a caret. */
void rk_error_at(rk_error *e, const char *file, int line, int col,
                 const char *src, size_t srclen, const char *fmt, ...)
    RK_PRINTF(7, 8);

#endif
