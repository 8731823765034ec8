/* learn_pair.h - the --embedded half of rkgen learn: bhat learned for a
 * main method, the pair written with its record, and the summary. */
#ifndef RK_LEARN_PAIR_H
#define RK_LEARN_PAIR_H

#include "family.h"
#include "pairfit.h"
#include "tableau.h"

/* Fits and judges bhat for main (main_record: the learner's JSON record
 * when main was learned, else NULL), writes the result to path and
 * prints the summary.  Returns the exit status; on 0, *written is the
 * tableau written (owned by the caller). */
int learn_pair(const rk_family *f, const rk_tableau *main, const char *main_record,
               const pairfit_config *c, const char *path, rk_tableau **written);

#endif
