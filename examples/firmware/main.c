/* main.c - a generated single-precision stepper running on bare metal:
 * the Van der Pol members of generated/vanderpol_rk4f.golden, integrated
 * with generated/vanderpol_rk4f.c and printed in the golden file's own
 * format.  The same file built for the host prints the same text; both
 * must match the golden file bit for bit (tests/firmware_test.sh). */
#include <stdio.h>

#include "hexfloat.h"
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

int main(void)
{
    int m;

#ifdef __arm__
    initialise_monitor_handles(); /* semihosting stdout, before printf */
#endif
    for (m = 0; m < MEMBERS; m++)
        run(m);
    return 0;
}
