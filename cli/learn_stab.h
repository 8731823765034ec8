/* learn_stab.h - the many-stage half of rkgen learn: when the family's
 * steps are beyond every classical method's stability (stabchoice.h),
 * the many-stage method is written with its summary instead of a
 * trained tableau. */
#ifndef RK_LEARN_STAB_H
#define RK_LEARN_STAB_H

#include "family.h"
#include "stabchoice.h"

/* Decides and, where a many-stage method is the answer, writes it to path
 * (and its stepper into emit_dir, if not NULL) and prints the summary:
 * *handled = 1 and the exit status.  *handled = 0 (status 0) when a
 * tableau is the answer. */
int learn_stab(const rk_family *f, const stabchoice_config *c, const char *path,
               const char *emit_dir, int quiet, int *handled);

#endif
