/* catalog.h - the built-in methods as the learner and the measurements
 * see them: which have a given stage count and order, which one a loss
 * is divided by, and which orders a stage count can reach at all.
 * Every such question is answered here, from the built-in table. */
#ifndef RK_CATALOG_H
#define RK_CATALOG_H

/* The built-ins with s stages and classical order >= min_order (up to
 * max of them), in built-in order; returns how many.  The pairs added for
 * adaptive stepping (tableau_builtin_pair_only) are left out, so learned
 * records and validate's comparisons stay what they were. */
int catalog_methods(int s, int min_order, const char **names, int max);

/* The classical method of order p that losses are divided by (paper
 * 000's reference): euler, midpoint, kutta3, rk4, dopri5; NULL beyond 5
 * (the learner then uses the Taylor method of order p). */
const char *catalog_reference(int p);

/* The highest classical order an explicit s-stage method can have, as
 * far as the Butcher barriers go: s for s <= 4, then 4, 5, 6, 6, 7, 7,
 * 8 ... (order 5 needs 6 stages, 6 needs 7, 7 needs 9, p >= 8 needs
 * p + 3 at least; polish_min_stages in polish.h is its inverse). */
int catalog_max_order(int s);

#endif
