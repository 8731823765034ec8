/* manifold.h - the explicit methods of order s with s = 2, 3, 4 stages,
 * in closed form over their free nodes (Butcher 2016, sec. 32; Hairer,
 * Norsett & Wanner I, sec. II.1): one node c2 for s = 2, the nodes c2
 * and c3 for s = 3 and 4 (c4 = 1).  Every other coefficient follows from
 * the order conditions, so a grid over the nodes covers these methods
 * (but for the special branches where the formulas are singular, such
 * as rk4's c2 = c3 = 1/2, which the built-ins cover). */
#ifndef RK_MANIFOLD_H
#define RK_MANIFOLD_H

#include "tableau.h"

/* The number of free nodes of the closed form for s stages and order p,
 * or -1 where there is none here (p != s, or s outside 2..4). */
int manifold_dim(int s, int p);

/* Fills t (s stages) with the method of nodes u[0..dim): 0, or -1 where
 * the closed form is singular there or gives a coefficient above 50 in
 * size (no method worth starting from). */
int manifold_point(int s, int p, const double *u, rk_tableau *t);

/* theta (objective.h's layout: A below the diagonal, then b) at u, and
 * with G (theta x dim, row-major) its exact derivatives; 0 or -1 as
 * manifold_point. */
int manifold_theta(int s, int p, const double *u, double *theta, double *G);

/* The nodes u of t when t is on the closed form (c2 and c3 give back its
 * coefficients to 1e-12); -1 when t lies on a special branch (rk4). */
int manifold_nodes(int s, int p, const rk_tableau *t, double *u);

#endif
