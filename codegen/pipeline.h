/* pipeline.h - from family and tableau to checked files on disk:
 * emit the text, write it to a private temporary directory under the
 * final names, compile that exact text with libtcc, compare it with the
 * engine, and only then move the files into place.  A failure at any
 * point leaves nothing behind. */
#ifndef RK_PIPELINE_H
#define RK_PIPELINE_H

#include "emit.h"
#include "fileio.h"
#include "jit.h"
#include "jitcheck.h"
#include "stabilized.h"

typedef struct stepper_build {
    rk_outset files;       /* the .h and .c, not yet in place */
    rk_jit *jit;
    jit_stepper fns;
    jitcheck_report check;
    char hpath[4096], cpath[4096];
} stepper_build;

/* Status as for the command line: 0 ok, 1 the JIT check failed, 2 bad
 * input or an I/O error.  On 0 the caller commits or aborts. */
int stepper_prepare(const rk_family *f, const rk_tableau *t, const emit_opts *o,
                    const char *outdir, stepper_build *b, rk_error *err);
/* The same for the adaptive solver of a pair (emit_adaptive), refused
 * (2) when the pair's stated orders do not hold; the check compares
 * whole runs (adaptcheck.h), b->check.steps counting accepted steps. */
int solver_prepare(const rk_family *f, const rk_tableau *t, const emit_opts *o,
                   const char *outdir, stepper_build *b, rk_error *err);
/* The same for a many-stage method in ordered product form
 * (stab_emit.h), checked against stab_step (jitcheck_run_stab). */
int stab_stepper_prepare(const rk_family *f, const rk_stab *m, const emit_opts *o,
                         const char *outdir, stepper_build *b, rk_error *err);
/* The same for a method's ladder (ladder_emit.h), checked against
 * stab_ladder_step (jitcheck_run_ladder). */
int ladder_stepper_prepare(const rk_family *f, const rk_stab_ladder *L, const emit_opts *o,
                           const char *outdir, stepper_build *b, rk_error *err);
/* Moves the files into place (status 2 on failure) or drops them. */
int stepper_commit(stepper_build *b, rk_error *err);
void stepper_abort(stepper_build *b);

#endif
