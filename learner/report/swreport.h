/* swreport.h - the report of `rkgen validate --stabilized`: per accuracy
 * the f evaluations to the horizon of a many-stage method against rk4
 * and ssprk3 at their largest stable steps, dopri5 and RKC2, and the
 * ratios, as a table, stabilized.csv and report.md; the directory gets
 * all of them or nothing. */
#ifndef RK_SWREPORT_H
#define RK_SWREPORT_H

#include "diag.h"
#include "stabwork.h"

typedef struct sw_info {
    const char *method, *method_path, *family, *family_path, *truth;
    unsigned long seed;
    int members, stages;
    double beta, rho, horizon;
    const sw_row *row;
    int n;
} sw_info;

/* The table printed and put on the page (malloc'd). */
char *swreport_table(const sw_info *si);
/* Writes dir; 0, or -1 with err if nothing was written. */
int swreport_write(const sw_info *si, const char *dir, rk_error *err);

#endif
