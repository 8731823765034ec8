/* mp_lsq.c - minimum-norm solutions by pivoted QR of J^T (mp_lsq.h). */
#include "mp_lsq.h"

#include <stdlib.h>

#include "mpvec.h"

#define R MPFR_RNDN

typedef struct qr {
    int n, m;        /* M = J^T is n x m; column j of M is row j of J */
    mpfr_t *J;       /* M(i, j) = J[j * n + i] */
    int *perm;       /* column j of M P is column perm[j] of M */
    mpfr_t *diag;    /* R_kk */
    mpfr_t t1, t2;
} qr;

static mpfr_ptr at(const qr *q, int i, int j)
{
    return q->J[(size_t)q->perm[j] * q->n + i];
}

/* Squared norm of column j of M below row k. */
static void col_norm2(const qr *q, int j, int k, mpfr_t out)
{
    mpfr_set_zero(out, 1);
    for (int i = k; i < q->n; i++)
        mpfr_fma(out, at(q, i, j), at(q, i, j), out, R);
}

static int pick_pivot(qr *q, int k)
{
    int best = k;
    mpfr_set_zero(q->t2, 1);
    for (int j = k; j < q->m; j++) {
        col_norm2(q, j, k, q->t1);
        if (mpfr_greater_p(q->t1, q->t2)) {
            mpfr_set(q->t2, q->t1, R);
            best = j;
        }
    }
    int tmp = q->perm[k];
    q->perm[k] = q->perm[best];
    q->perm[best] = tmp;
    return 0;
}

/* Householder reflector for column k (the vector stays in place below the
 * diagonal, v_k kept in v0); applies it to the columns after k. */
static void reflect(qr *q, int k, mpfr_t v0)
{
    mpfr_sqrt(q->t2, q->t2, R); /* the pivot column's norm */
    mpfr_ptr x0 = at(q, k, k);
    mpfr_set(q->diag[k], q->t2, R);
    if (mpfr_sgn(x0) > 0)
        mpfr_neg(q->diag[k], q->diag[k], R);
    mpfr_sub(v0, x0, q->diag[k], R);
    mpfr_set(x0, v0, R);
    /* v^T v = 2 (norm^2 - alpha x0) = -2 alpha v0 */
    mpfr_t vv;
    mpfr_init2(vv, mpfr_get_prec(v0));
    mpfr_mul(vv, q->diag[k], v0, R);
    mpfr_mul_si(vv, vv, -2, R);
    for (int j = k + 1; j < q->m; j++) {
        mpfr_set_zero(q->t1, 1);
        for (int i = k; i < q->n; i++)
            mpfr_fma(q->t1, at(q, i, k), at(q, i, j), q->t1, R);
        mpfr_div(q->t1, q->t1, vv, R);
        mpfr_mul_2ui(q->t1, q->t1, 1, R);
        for (int i = k; i < q->n; i++) {
            mpfr_mul(q->t2, q->t1, at(q, i, k), R);
            mpfr_sub(at(q, i, j), at(q, i, j), q->t2, R);
        }
    }
    mpfr_clear(vv);
}

/* x = H_0 ... H_{k-1} z: reflectors applied last-first. */
static void apply_q(qr *q, int rank, mpfr_t *x)
{
    mpfr_t vv;
    mpfr_init2(vv, mpfr_get_prec(q->t1));
    for (int k = rank - 1; k >= 0; k--) {
        mpfr_set_zero(vv, 1);
        mpfr_set_zero(q->t1, 1);
        for (int i = k; i < q->n; i++) {
            mpfr_fma(vv, at(q, i, k), at(q, i, k), vv, R);
            mpfr_fma(q->t1, at(q, i, k), x[i], q->t1, R);
        }
        if (mpfr_zero_p(vv))
            continue;
        mpfr_div(q->t1, q->t1, vv, R);
        mpfr_mul_2ui(q->t1, q->t1, 1, R);
        for (int i = k; i < q->n; i++) {
            mpfr_mul(q->t2, q->t1, at(q, i, k), R);
            mpfr_sub(x[i], x[i], q->t2, R);
        }
    }
    mpfr_clear(vv);
}

/* R11^T z = (P^T rhs)[0..rank): R^T is lower triangular; R_ji = M(j, i). */
static void forward_solve(qr *q, int rank, mpfr_t *rhs, mpfr_t *x)
{
    for (int i = 0; i < q->n; i++)
        mpfr_set_zero(x[i], 1);
    for (int i = 0; i < rank; i++) {
        mpfr_set(q->t1, rhs[q->perm[i]], R);
        for (int j = 0; j < i; j++) {
            mpfr_mul(q->t2, at(q, j, i), x[j], R);
            mpfr_sub(q->t1, q->t1, q->t2, R);
        }
        mpfr_div(x[i], q->t1, q->diag[i], R);
    }
}

int mp_minnorm(int m, int n, mpfr_t *J, mpfr_t *rhs, mpfr_t *x, double rtol,
               mpfr_prec_t prec)
{
    int kmax = m < n ? m : n, rank = 0;
    qr q = {n, m, J, malloc((size_t)(m ? m : 1) * sizeof(int)),
            mpvec_new((size_t)kmax, prec), {{0}}, {{0}}};
    if (!q.perm || !q.diag) {
        free(q.perm);
        mpvec_free(q.diag, (size_t)kmax);
        return -1;
    }
    for (int j = 0; j < m; j++)
        q.perm[j] = j;
    mpfr_inits2(prec, q.t1, q.t2, (mpfr_ptr)0);
    mpfr_t first, v0;
    mpfr_inits2(prec, first, v0, (mpfr_ptr)0);
    for (; rank < kmax; rank++) {
        pick_pivot(&q, rank);
        mpfr_sqrt(q.t1, q.t2, R);
        if (rank == 0)
            mpfr_set(first, q.t1, R);
        mpfr_mul_d(v0, first, rtol, R);
        if (mpfr_zero_p(q.t1) || mpfr_lessequal_p(q.t1, v0))
            break;
        reflect(&q, rank, v0);
    }
    forward_solve(&q, rank, rhs, x);
    apply_q(&q, rank, x);
    mpvec_free(q.diag, (size_t)kmax);
    mpfr_clears(q.t1, q.t2, first, v0, (mpfr_ptr)0);
    free(q.perm);
    return rank;
}
