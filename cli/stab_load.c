/* stab_load.c - a method argument (--tableau) that names a
 * "rkgen-stabilized" file: emit and simulate take it in place of a
 * tableau and build the ordered-product stepper instead. */
#include "check_stabilized.h"
#include "cli.h"

rk_stab *load_stab_maybe(const char *cmd, const char *spec, int *is_stab)
{
    rk_error err = {{0}};
    /* not readable here: load_tableau says why */
    *is_stab = check_is_stabilized(spec);
    if (!*is_stab)
        return NULL;
    rk_stab *m = stab_read(spec, &err);
    if (!m)
        report(cmd, err.text, EXIT_USAGE);
    return m;
}
