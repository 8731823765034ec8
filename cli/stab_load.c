/* stab_load.c - a method argument (--tableau) that names a
 * "rkgen-stabilized" file: emit and simulate take it in place of a
 * tableau and build the ordered-product stepper instead. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "cli.h"
#include "fileio.h"

/* Method files are small: a 1024-factor method is about 200 kB. */
#define STAB_FILE_LIMIT (16u << 20)

rk_stab *load_stab_maybe(const char *cmd, const char *spec, int *is_stab)
{
    struct stat st;
    rk_error err = {{0}};
    size_t len;
    *is_stab = 0;
    if (stat(spec, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    /* not readable here: load_tableau says why */
    char *text = rk_read_file(spec, STAB_FILE_LIMIT, &len, &err);
    *is_stab = text && stab_is_text(text);
    free(text);
    if (!*is_stab)
        return NULL;
    rk_stab *m = stab_read(spec, &err);
    if (!m)
        report(cmd, err.text, EXIT_USAGE);
    return m;
}
