/* stamp.h - what a generated stepper says about its own origin.
 *
 * Every emitted header records the rkgen version, the family's name and
 * file hash, the tableau's name, stages and order, its real type, and a
 * picture of the Butcher tableau in shortest round-trip decimals; the .c
 * records each coefficient with its exact text.  From these the tableau
 * the file was generated from can be rebuilt, which is what lets
 * `rkgen regress` tell a stale stepper (a genuine rkgen output for other
 * inputs) from one edited by hand (not an rkgen output at all). */
#ifndef RK_STAMP_H
#define RK_STAMP_H

#include <stdint.h>
#include "diag.h"
#include "tableau.h"

typedef struct stepper_stamp {
    char version[32];
    char family[RK_NAME_MAX];
    uint64_t family_hash;
    int is_float;
    int nevals;          /* evaluations of f per step */
    rk_tableau *tableau; /* rebuilt from the record; owned */
} stepper_stamp;

/* Reads the record from the header text h and the source text c of the
 * stepper with the given prefix.  -1 with err saying which part of the
 * record is missing or unreadable (a sign of a hand edit). */
int stamp_read(const char *h, const char *c, const char *prefix,
               stepper_stamp *st, rk_error *err);
void stamp_free(stepper_stamp *st);

/* "float" or "double" from the header alone, for loading a stepper
 * before anything else is known; -1 if the header does not say. */
int stamp_real(const char *h);

#endif
