/* jit.h - compiles a generated stepper in memory with libtcc.
 *
 * The JIT compiles the file as written to disk (the exact text the user
 * will ship), and hands back its entry points. */
#ifndef RK_JIT_H
#define RK_JIT_H

#include "diag.h"

typedef struct rk_jit rk_jit;

/* The entry points of one generated stepper; which pair is set follows
 * the stepper's real type. */
typedef struct jit_stepper {
    void (*step)(double t, double *y, double h, const void *p);
    void (*integrate)(double t0, double *y, double h, unsigned long n, const void *p);
    void (*stepf)(float t, float *y, float h, const void *p);
    void (*integratef)(float t0, float *y, float h, unsigned long n, const void *p);
    /* a ladder stepper's step (ladder_emit.h), which takes rho */
    unsigned long (*lstep)(double t, double *y, double h, double rho, const void *p);
    unsigned long (*lstepf)(float t, float *y, float h, float rho, const void *p);
    /* and its estimate of rho, v the power method's direction */
    double (*lrho)(double t, const double *y, double *v, const void *p, unsigned long *nfev);
    float (*lrhof)(float t, const float *y, float *v, const void *p, unsigned long *nfev);
} jit_stepper;

/* Compiles the C file at cpath (its header beside it); NULL with err. */
rk_jit *jit_compile(const char *cpath, rk_error *err);
void jit_free(rk_jit *j);

/* Looks up prefix_step and prefix_integrate. */
int jit_stepper_get(rk_jit *j, const char *prefix, int is_float,
                    jit_stepper *out, rk_error *err);

/* Looks up a ladder stepper's prefix_step and prefix_rho (ladder_emit.h)
 * into lstep and lrho, or lstepf and lrhof. */
int jit_ladder_get(rk_jit *j, const char *prefix, int is_float, jit_stepper *out, rk_error *err);

/* Any function of the compiled file by its full name, as a data
 * pointer for the caller to copy into its own function type; NULL
 * with err set if there is none. */
void *jit_symbol(rk_jit *j, const char *name, rk_error *err);

#endif
