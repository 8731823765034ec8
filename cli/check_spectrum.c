/* check_spectrum.c - rkgen check --family's spectrum section: what
 * famspectrum.h measured, as text and JSON, with h rho against the
 * method's real interval. */
#include "check_spectrum.h"

#include <stdio.h>

#include "spectrum.h"

void spectrum_print(const rk_family *f, const spectrum_summary *s, const char *name,
                    double beta)
{
    printf("spectrum of %s (%d member%s, %d points of their runs)\n", f->name, s->members,
           s->members == 1 ? "" : "s", s->points);
    printf("  rho (%s): %.6g to %.6g\n",
           s->exact ? "eigenvalues of the Jacobian" : "power method, x1.2", s->rho_min, s->rho_max);
    if (s->exact)
        printf("  power method (x1.2): up to %.6g, at most %.3g x the eigenvalues'\n",
               s->power_max, s->power_ratio_max);
    printf("  power method: %.1f iterations a point on average, at most %d%s\n",
           s->power_iters_mean, s->power_iters_max,
           s->power_unconverged ? " (some did not converge: the estimate is a lower bound)" : "");
    if (s->gersh)
        printf("  Gershgorin: rho <= %.6g; real parts from %.6g\n", s->gersh_max, s->gersh_left);
    else
        printf("  Gershgorin: not computed (%s)\n", s->gersh_why);
    printf("  step range up to h = %.6g: h rho up to %.6g (each member's own h: %.6g)\n",
           s->h_max, s->hrho_max, s->hrho_member_max);
    if (beta > 0)
        printf("  %s: real interval %.6g, %s; h <= %.6g keeps every point inside\n", name, beta,
               s->hrho_max <= beta ? "the whole step range is inside"
                                   : "the step range goes beyond it",
               beta / s->rho_max);
    printf("\n");
}

cJSON *spectrum_json(const spectrum_summary *s, double beta)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "members", s->members);
    cJSON_AddNumberToObject(o, "points", s->points);
    cJSON_AddStringToObject(o, "rho_by", s->exact ? "eigenvalues" : "power");
    cJSON_AddNumberToObject(o, "rho_min", s->rho_min);
    cJSON_AddNumberToObject(o, "rho_max", s->rho_max);
    cJSON_AddNumberToObject(o, "power_max", s->power_max);
    if (s->exact)
        cJSON_AddNumberToObject(o, "power_over_exact_max", s->power_ratio_max);
    cJSON_AddNumberToObject(o, "power_iterations_mean", s->power_iters_mean);
    cJSON_AddNumberToObject(o, "power_iterations_max", s->power_iters_max);
    cJSON_AddNumberToObject(o, "power_unconverged", s->power_unconverged);
    if (s->gersh) {
        cJSON_AddNumberToObject(o, "gershgorin_max", s->gersh_max);
        cJSON_AddNumberToObject(o, "gershgorin_left", s->gersh_left);
    } else {
        cJSON_AddNullToObject(o, "gershgorin_max");
    }
    cJSON_AddNumberToObject(o, "h_max", s->h_max);
    cJSON_AddNumberToObject(o, "h_rho_max", s->hrho_max);
    cJSON_AddNumberToObject(o, "h_rho_member_max", s->hrho_member_max);
    if (beta > 0) {
        cJSON_AddNumberToObject(o, "real_interval", beta);
        cJSON_AddBoolToObject(o, "step_range_stable", s->hrho_max <= beta);
        cJSON_AddNumberToObject(o, "h_stable_max", beta / s->rho_max);
    }
    return o;
}
