/* main.c - generated single-precision solvers running on bare metal:
 * the Van der Pol members of generated/vanderpol_rk4f.golden, integrated
 * with generated/vanderpol_rk4f.c and printed in the golden file's own
 * format, then with the adaptive dopri5 solver generated/vanderpol_dopri5f.c
 * (its counts and dense output).  The same file built for the host
 * prints the same text; both must agree bit for bit, and the fixed-step
 * part must match the golden file (tests/firmware_test.sh). */
#include <stdio.h>

#include "hexfloat.h"
#include "vanderpol_dopri5f.h"
#include "vanderpol_rk4f.h"
#include "members.h" /* made from the golden file by members.awk */

#ifdef __arm__
extern void initialise_monitor_handles(void);
#endif

static void print_state(unsigned long k, const vanderpol_rk4f_real *y)
{
    char buf[32];
    int i;

    printf("at %lu", k);
    for (i = 0; i < VANDERPOL_RK4F_DIM; i++)
        printf(" %s", hexfloat(y[i], buf));
    printf("\n");
}

/* Step k starts at t = k*h, exactly as vanderpol_rk4f_integrate does. */
static void run(int m)
{
    vanderpol_rk4f_real y[VANDERPOL_RK4F_DIM];
    vanderpol_rk4f_real h = member_h[m];
    unsigned long k;
    int i;

    for (i = 0; i < VANDERPOL_RK4F_DIM; i++)
        y[i] = member_y0[m][i];
    printf("member %d\n", m + 1);
    for (k = 0;; k++) {
        if (k % EVERY == 0 || k == STEPS)
            print_state(k, y);
        if (k == STEPS)
            break;
        vanderpol_rk4f_step((vanderpol_rk4f_real)k * h, y, h, &member_p[m]);
    }
}

/* The adaptive run: every step size comes from the controller's own
 * ln and exp (no powf), so the steps, and hence every bit printed, are
 * the host's.  Tolerances loose enough for float, tight enough to make
 * the controller reject steps. */
#define ADAPT_OUT 10
static void run_adaptive(int m)
{
    vanderpol_dopri5f_real y[VANDERPOL_DOPRI5F_DIM], tout[ADAPT_OUT];
    vanderpol_dopri5f_real yout[ADAPT_OUT * VANDERPOL_DOPRI5F_DIM];
    vanderpol_dopri5f_params p;
    vanderpol_dopri5f_stats st;
    char buf[32];
    int i, k, status;

    p.a = member_p[m].a;
    for (i = 0; i < VANDERPOL_DOPRI5F_DIM; i++)
        y[i] = member_y0[m][i];
    for (k = 0; k < ADAPT_OUT; k++)
        tout[k] = (vanderpol_dopri5f_real)(k + 1);
    status = vanderpol_dopri5f_solve_dense(0, y, 1e-4f, 1e-6f, &p, 0, ADAPT_OUT, tout, yout, &st);
    printf("adaptive %d status %d nfev %lu naccept %lu nreject %lu\n", m + 1, status, st.nfev,
           st.naccept, st.nreject);
    for (k = 0; k < ADAPT_OUT; k++) {
        printf("dense %s", hexfloat(tout[k], buf));
        for (i = 0; i < VANDERPOL_DOPRI5F_DIM; i++)
            printf(" %s", hexfloat(yout[k * VANDERPOL_DOPRI5F_DIM + i], buf));
        printf("\n");
    }
}

int main(void)
{
    int m;

#ifdef __arm__
    initialise_monitor_handles(); /* semihosting stdout, before printf */
#endif
    for (m = 0; m < MEMBERS; m++)
        run(m);
    for (m = 0; m < MEMBERS; m++)
        run_adaptive(m);
    return 0;
}
