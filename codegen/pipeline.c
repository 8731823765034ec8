/* pipeline.c - from family and tableau to checked stepper files on disk,
 * leaving nothing behind on failure (pipeline.h). */
#include "pipeline.h"

#include <stdio.h>
#include <string.h>

#include "adaptcheck.h"
#include "ladder_emit.h"
#include "pair.h"
#include "stab_emit.h"

static int write_texts(stepper_build *b, const emit_result *r, rk_error *err)
{
    const char *tmp_c;
    if (rk_outset_add(&b->files, b->hpath, r->h, strlen(r->h), NULL, err) != 0 ||
        rk_outset_add(&b->files, b->cpath, r->c, strlen(r->c), &tmp_c, err) != 0)
        return -1;
    /* The temporary copy has the final name in a directory of its own,
     * so its #include of the header finds the temporary header. */
    b->jit = jit_compile(tmp_c, err);
    return b->jit ? 0 : -1;
}

static int paths(const emit_opts *o, const char *outdir, stepper_build *b, rk_error *err)
{
    memset(b, 0, sizeof *b);
    if ((size_t)snprintf(b->hpath, sizeof b->hpath, "%s/%s.h", outdir, o->prefix) >= sizeof b->hpath ||
        (size_t)snprintf(b->cpath, sizeof b->cpath, "%s/%s.c", outdir, o->prefix) >= sizeof b->cpath) {
        rk_error_set(err, "%s: output path too long", outdir);
        return -1;
    }
    return 0;
}

static int prepare(const rk_family *f, const rk_tableau *t, const emit_opts *o, int adaptive,
                   const char *outdir, stepper_build *b, rk_error *err)
{
    emit_result r;
    if (paths(o, outdir, b, err) != 0)
        return 2;
    /* a pair whose stated orders do not hold would control the wrong error */
    if (adaptive ? emit_adaptive(f, t, o, &r, err) != 0 || pair_verify(t, err) != 0
                 : emit_stepper(f, t, o, &r, err) != 0) {
        emit_result_free(&r);
        return 2;
    }
    int status = 2;
    if (rk_outset_open(&b->files, outdir, err) != 0 || write_texts(b, &r, err) != 0)
        status = 2;
    else if (adaptive)
        status = adaptcheck_run(f, t, o->is_float, b->jit, o->prefix, &b->check, err);
    else if (jit_stepper_get(b->jit, o->prefix, o->is_float, &b->fns, err) == 0)
        status = jitcheck_run(f, t, o->is_float, &b->fns, &b->check, err);
    emit_result_free(&r);
    if (status != 0)
        stepper_abort(b);
    return status;
}

int stepper_prepare(const rk_family *f, const rk_tableau *t, const emit_opts *o,
                    const char *outdir, stepper_build *b, rk_error *err)
{
    return prepare(f, t, o, 0, outdir, b, err);
}

int solver_prepare(const rk_family *f, const rk_tableau *t, const emit_opts *o,
                   const char *outdir, stepper_build *b, rk_error *err)
{
    return prepare(f, t, o, 1, outdir, b, err);
}

int stab_stepper_prepare(const rk_family *f, const rk_stab *m, const emit_opts *o,
                         const char *outdir, stepper_build *b, rk_error *err)
{
    emit_result r;
    if (paths(o, outdir, b, err) != 0)
        return 2;
    if (stab_emit_stepper(f, m, o, &r, err) != 0)
        return 2;
    int status = 2;
    if (rk_outset_open(&b->files, outdir, err) == 0 && write_texts(b, &r, err) == 0 &&
        jit_stepper_get(b->jit, o->prefix, o->is_float, &b->fns, err) == 0)
        status = jitcheck_run_stab(f, m, o->is_float, &b->fns, &b->check, err);
    emit_result_free(&r);
    if (status != 0)
        stepper_abort(b);
    return status;
}

int ladder_stepper_prepare(const rk_family *f, const rk_stab_ladder *L, const emit_opts *o,
                           const char *outdir, stepper_build *b, rk_error *err)
{
    emit_result r;
    if (paths(o, outdir, b, err) != 0)
        return 2;
    if (ladder_emit_stepper(f, L, o, &r, err) != 0)
        return 2;
    int status = 2;
    if (rk_outset_open(&b->files, outdir, err) == 0 && write_texts(b, &r, err) == 0 &&
        jit_ladder_get(b->jit, o->prefix, o->is_float, &b->fns, err) == 0)
        status = jitcheck_run_ladder(f, L, o->is_float, &b->fns, &b->check, err);
    emit_result_free(&r);
    if (status != 0)
        stepper_abort(b);
    return status;
}

int stepper_commit(stepper_build *b, rk_error *err)
{
    jit_free(b->jit);
    b->jit = NULL;
    return rk_outset_commit(&b->files, err) == 0 ? 0 : 2;
}

void stepper_abort(stepper_build *b)
{
    jit_free(b->jit);
    b->jit = NULL;
    rk_outset_abort(&b->files);
}
