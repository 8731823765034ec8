/* main.c - integrates one plant over t in [0, 10] with the three
 * steppers rkgen_add_stepper generated, and fails when they disagree
 * by more than their accuracy allows. */
#include <math.h>
#include <stdio.h>

#include "plant_dopri5.h"
#include "plant_rk4.h"
#include "plant_rk4f.h"

int main(void)
{
    const double t1 = 10.0, h = 0.01;
    const unsigned long n = 1000; /* n * h == t1 */
    double y[PLANT_RK4_DIM] = {0.5, 0.0};
    double yref[PLANT_DOPRI5_DIM] = {0.5, 0.0};
    float yf[PLANT_RK4F_DIM] = {0.5f, 0.0f};
    plant_rk4_params p = {2.0, 0.3};
    plant_dopri5_params pa = {2.0, 0.3};
    plant_rk4f_params pf = {2.0f, 0.3f};
    plant_dopri5_stats st;

    plant_rk4_integrate(0.0, y, h, n, &p);
    plant_rk4f_integrate(0.0f, yf, (float)h, n, &pf);
    if (plant_dopri5_solve(0.0, t1, yref, 1e-10, 1e-12, &pa, &st) != PLANT_DOPRI5_OK) {
        fprintf(stderr, "plant_dopri5_solve failed\n");
        return 1;
    }
    double e = fabs(y[0] - yref[0]) + fabs(y[1] - yref[1]);
    double ef = fabs(yf[0] - yref[0]) + fabs(yf[1] - yref[1]);
    printf("x(10) = %.12f (rk4), %.12f (dopri5, %lu f evaluations), %.6f (rk4, float)\n",
           y[0], yref[0], st.nfev, (double)yf[0]);
    printf("rk4 differs by %.2e, its float twin by %.2e\n", e, ef);
    return e < 1e-7 && ef < 1e-4 ? 0 : 1;
}
