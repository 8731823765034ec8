/* jit.c - compiles a generated stepper in memory with libtcc and finds
 * its entry points (jit.h). */
#include "jit.h"

#include <libtcc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rk_jit {
    TCCState *tcc;
};

/* tcc reports errors through a callback; keep the first one. */
static void on_error(void *opaque, const char *msg)
{
    rk_error *err = opaque;
    if (!err->text[0])
        rk_error_set(err, "libtcc: %s", msg);
}

rk_jit *jit_compile(const char *cpath, rk_error *err)
{
    rk_jit *j = calloc(1, sizeof *j);
    if (!j || !(j->tcc = tcc_new())) {
        free(j);
        rk_error_set(err, "libtcc: cannot create a compiler state");
        return NULL;
    }
    err->text[0] = '\0';
    tcc_set_error_func(j->tcc, err, on_error);
    tcc_set_lib_path(j->tcc, RKGEN_TCC_LIBDIR);
    tcc_set_output_type(j->tcc, TCC_OUTPUT_MEMORY);
    if (tcc_add_file(j->tcc, cpath) != 0 || tcc_add_library(j->tcc, "m") != 0 ||
        tcc_relocate(j->tcc, TCC_RELOCATE_AUTO) < 0) {
        if (!err->text[0])
            rk_error_set(err, "libtcc: cannot compile %s", cpath);
        jit_free(j);
        return NULL;
    }
    return j;
}

void jit_free(rk_jit *j)
{
    if (!j)
        return;
    if (j->tcc)
        tcc_delete(j->tcc);
    free(j);
}

void *jit_symbol(rk_jit *j, const char *name, rk_error *err)
{
    void *p = tcc_get_symbol(j->tcc, name);
    if (!p)
        rk_error_set(err, "libtcc: the compiled code has no function %s", name);
    return p;
}

/* ISO C has no conversion from void * to a function pointer; copying the
 * representation is what POSIX dlsym users do. */
static void *symbol(rk_jit *j, const char *prefix, const char *fn, rk_error *err)
{
    char name[128];
    snprintf(name, sizeof name, "%s%s", prefix, fn);
    return jit_symbol(j, name, err);
}

int jit_ladder_get(rk_jit *j, const char *prefix, int is_float, jit_stepper *out, rk_error *err)
{
    void *step = symbol(j, prefix, "_step", err);
    void *rho = step ? symbol(j, prefix, "_rho", err) : NULL;
    memset(out, 0, sizeof *out);
    if (!rho)
        return -1;
    if (is_float) {
        memcpy(&out->lstepf, &step, sizeof step);
        memcpy(&out->lrhof, &rho, sizeof rho);
    } else {
        memcpy(&out->lstep, &step, sizeof step);
        memcpy(&out->lrho, &rho, sizeof rho);
    }
    return 0;
}

int jit_stepper_get(rk_jit *j, const char *prefix, int is_float,
                    jit_stepper *out, rk_error *err)
{
    void *step = symbol(j, prefix, "_step", err);
    void *integrate = step ? symbol(j, prefix, "_integrate", err) : NULL;
    memset(out, 0, sizeof *out);
    if (!integrate)
        return -1;
    if (is_float) {
        memcpy(&out->stepf, &step, sizeof step);
        memcpy(&out->integratef, &integrate, sizeof integrate);
    } else {
        memcpy(&out->step, &step, sizeof step);
        memcpy(&out->integrate, &integrate, sizeof integrate);
    }
    return 0;
}
