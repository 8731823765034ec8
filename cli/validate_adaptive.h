/* validate_adaptive.h - rkgen validate --adaptive PAIR --family F.ode. */
#ifndef RK_VALIDATE_ADAPTIVE_H
#define RK_VALIDATE_ADAPTIVE_H

typedef struct vadapt_args {
    const char *pair, *family, *against, *out;
    unsigned long samples, seed;
    int quiet;
} vadapt_args;

/* Exit status: 0 measured, 1 a run of the pair failed (a nonzero status
 * of its solver), 2 bad usage or input. */
int validate_adaptive(const vadapt_args *a);

#endif
