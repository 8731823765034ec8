/* catalog.c - questions about the built-in methods, answered from the
 * built-in table (tableau.c) and the order barriers (polish.c). */
#include "catalog.h"

#include <stddef.h>

#include "polish.h"
#include "tableau.h"

int catalog_methods(int s, int min_order, const char **names, int max)
{
    int k = 0;
    for (int i = 0; i < tableau_builtin_count() && k < max; i++) {
        if (tableau_builtin_pair_only(i))
            continue;
        rk_tableau *t = tableau_builtin(tableau_builtin_name(i));
        if (t && t->s == s && t->order >= min_order)
            names[k++] = tableau_builtin_name(i);
        tableau_free(t);
    }
    return k;
}

const char *catalog_reference(int p)
{
    static const char *const names[] = {NULL, "euler", "midpoint", "kutta3", "rk4", "dopri5"};
    return p >= 1 && p <= 5 ? names[p] : NULL;
}

int catalog_max_order(int s)
{
    int p = 1;
    while (p < 32 && polish_min_stages(p + 1) <= s)
        p++;
    return p;
}
