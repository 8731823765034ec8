/* validate_stab.h - rkgen validate --stabilized METHOD.json --family F.ode. */
#ifndef RK_VALIDATE_STAB_H
#define RK_VALIDATE_STAB_H

typedef struct vstab_args {
    const char *method, *family, *tols, *out; /* tols: comma-separated, or NULL */
    unsigned long samples, seed;
    int quiet;
} vstab_args;

/* Exit status: 0 measured, 1 the method reaches an accuracy at no step
 * count, 2 bad usage or input (METHOD not a rkgen-stabilized file). */
int validate_stab(const vstab_args *a);

#endif
