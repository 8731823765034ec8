/* strbuf.h - a growable string for building generated text.  Out of
 * memory is sticky: later appends do nothing and sb_failed reports it. */
#ifndef RK_STRBUF_H
#define RK_STRBUF_H

#include <stddef.h>
#include "diag.h"

typedef struct strbuf {
    char *s;
    size_t len, cap;
    int oom;
} strbuf;

void sb_init(strbuf *b);
void sb_free(strbuf *b);
void sb_putn(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_printf(strbuf *b, const char *fmt, ...) RK_PRINTF(2, 3);
int sb_failed(const strbuf *b);
/* Hands the NUL-terminated text over to the caller (NULL after OOM). */
char *sb_take(strbuf *b);

#endif
