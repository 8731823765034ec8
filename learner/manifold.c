/* manifold.c - the closed forms of manifold.h: the weights solve the
 * quadrature conditions on the nodes, and the remaining a_ij the
 * conditions that involve A.  They are written once, in complex
 * arithmetic, so that their exact derivatives come from the complex
 * step (Squire & Trapp 1998): f(u + i e) = f(u) + i e f'(u) + O(e^2),
 * with no difference taken, so no cancellation. */
#include "manifold.h"

#include <complex.h>
#include <math.h>
#include <string.h>

#include "objective.h"

typedef double complex cx;

int manifold_dim(int s, int p)
{
    if (p != s || s < 2 || s > 4)
        return -1;
    return s == 2 ? 1 : 2;
}

static void two_stage(const cx *u, cx *A, cx *b)
{
    cx c2 = u[0];
    A[1 * 2 + 0] = c2;
    b[1] = 1 / (2 * c2);
    b[0] = 1 - b[1];
}

static void three_stage(const cx *u, cx *A, cx *b)
{
    cx c2 = u[0], c3 = u[1];
    b[1] = (3 * c3 - 2) / (6 * c2 * (c3 - c2));
    b[2] = (2 - 3 * c2) / (6 * c3 * (c3 - c2));
    b[0] = 1 - b[1] - b[2];
    cx a32 = c3 * (c3 - c2) / (c2 * (2 - 3 * c2));
    A[1 * 3 + 0] = c2;
    A[2 * 3 + 1] = a32;
    A[2 * 3 + 0] = c3 - a32;
}

/* Hairer, Norsett & Wanner I, (1.17): the case c2, c3 distinct and away
 * from 0, 1/2 and 1, with c4 = 1. */
static void four_stage(const cx *u, cx *A, cx *b)
{
    cx c2 = u[0], c3 = u[1];
    cx D = 6 * c2 * c3 - 4 * (c2 + c3) + 3;
    b[1] = (2 * c3 - 1) / (12 * c2 * (c3 - c2) * (1 - c2));
    b[2] = (1 - 2 * c2) / (12 * c3 * (c3 - c2) * (1 - c3));
    b[3] = D / (12 * (1 - c2) * (1 - c3));
    b[0] = 1 - b[1] - b[2] - b[3];
    cx a32 = c3 * (c3 - c2) / (2 * c2 * (1 - 2 * c2));
    cx a42 = (1 - c2) * (c2 + c3 - 1 - (2 * c3 - 1) * (2 * c3 - 1)) / (2 * c2 * (c3 - c2) * D);
    cx a43 = (1 - 2 * c2) * (1 - c2) * (1 - c3) / (c3 * (c3 - c2) * D);
    A[1 * 4 + 0] = c2;
    A[2 * 4 + 1] = a32;
    A[2 * 4 + 0] = c3 - a32;
    A[3 * 4 + 2] = a43;
    A[3 * 4 + 1] = a42;
    A[3 * 4 + 0] = 1 - a42 - a43;
}

/* A (s x s) and b at u; -1 where a coefficient is not finite or above
 * 50 in size. */
static int point(int s, const cx *u, cx *A, cx *b)
{
    for (int k = 0; k < s * s; k++)
        A[k] = 0;
    if (s == 2)
        two_stage(u, A, b);
    else if (s == 3)
        three_stage(u, A, b);
    else
        four_stage(u, A, b);
    for (int k = 0; k < s * s; k++)
        if (!(fabs(creal(A[k])) <= 50))
            return -1;
    for (int k = 0; k < s; k++)
        if (!(fabs(creal(b[k])) <= 50))
            return -1;
    return 0;
}

int manifold_point(int s, int p, const double *u, rk_tableau *t)
{
    cx uc[2], A[16], b[4];
    int dim = manifold_dim(s, p);
    if (dim < 0 || t->s != s)
        return -1;
    for (int k = 0; k < dim; k++)
        uc[k] = u[k];
    if (point(s, uc, A, b) != 0)
        return -1;
    for (int i = 0; i < s; i++) {
        double c = 0;
        for (int j = 0; j < s; j++) {
            t->A[i * s + j] = creal(A[i * s + j]);
            c += j < i ? t->A[i * s + j] : 0;
        }
        t->b[i] = creal(b[i]);
        t->c[i] = c;
    }
    return 0;
}

int manifold_theta(int s, int p, const double *u, double *theta, double *G)
{
    int dim = manifold_dim(s, p), Praw = s * (s - 1) / 2 + s;
    cx uc[2], A[16], b[4];
    if (dim < 0)
        return -1;
    for (int k = 0; k <= dim && (k == 0 || G); k++) {
        /* k = 0: the point; k > 0: the step along node k - 1 */
        double e = 1e-30;
        for (int j = 0; j < dim; j++)
            uc[j] = u[j] + (k > 0 && j == k - 1 ? e * I : 0);
        if (point(s, uc, A, b) != 0)
            return -1;
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < i; j++) {
                int a = theta_a(i, j);
                if (k == 0)
                    theta[a] = creal(A[i * s + j]);
                else
                    G[a * dim + k - 1] = cimag(A[i * s + j]) / e;
            }
            if (k == 0)
                theta[theta_b(s, i)] = creal(b[i]);
            else
                G[theta_b(s, i) * dim + k - 1] = cimag(b[i]) / e;
        }
    }
    (void)Praw;
    return 0;
}

int manifold_nodes(int s, int p, const rk_tableau *t, double *u)
{
    int dim = manifold_dim(s, p);
    rk_tableau back;
    double A[16], b[4], c[4];
    memset(&back, 0, sizeof back);
    if (dim < 0 || t->s != s)
        return -1;
    for (int k = 0; k < dim; k++)
        u[k] = t->c[k + 1];
    back.s = s;
    back.A = A;
    back.b = b;
    back.c = c;
    if (manifold_point(s, p, u, &back) != 0)
        return -1;
    for (int k = 0; k < s * s; k++)
        if (fabs(A[k] - t->A[k]) > 1e-12)
            return -1;
    for (int k = 0; k < s; k++)
        if (fabs(b[k] - t->b[k]) > 1e-12)
            return -1;
    return 0;
}
