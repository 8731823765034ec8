/* diag.c - error values for the command line to report (diag.h), with
 * the source line shown safely under file:line:col messages. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void rk_error_set(rk_error *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
}

/* The source line is shown as printable ASCII only, and clipped to a
 * window around the column: a 1 MB line or binary junk must not flood the
 * terminal, and the caret must still land under the right character. */
static size_t show_line(char *out, size_t size, const char *src, size_t len,
                        int col)
{
    enum { WINDOW = 72 };
    size_t c = col > 0 ? (size_t)col - 1 : 0;
    size_t start = c > WINDOW / 2 ? c - WINDOW / 2 : 0;
    size_t end = start + WINDOW < len ? start + WINDOW : len;
    size_t n = 0;
    if (start > 0 && n + 3 < size) {
        memcpy(out, "...", 3);
        n = 3;
    }
    for (size_t i = start; i < end && n + 1 < size; i++) {
        unsigned char ch = (unsigned char)src[i];
        out[n++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : (ch == '\t' ? ' ' : '?');
    }
    out[n] = '\0';
    return (start > 0 ? 3 : 0) + (c - start);
}

void rk_error_at(rk_error *e, const char *file, int line, int col,
                 const char *src, size_t srclen, const char *fmt, ...)
{
    char msg[512], shown[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!src) {
        snprintf(e->text, sizeof e->text, "%s:%d:%d: %s", file, line, col, msg);
        return;
    }
    size_t caret = show_line(shown, sizeof shown, src, srclen, col);
    snprintf(e->text, sizeof e->text, "%s:%d:%d: %s\n    %s\n    %*s^", file,
             line, col, msg, shown, (int)caret, "");
}
