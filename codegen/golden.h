/* golden.h - golden trajectories of a generated stepper.
 *
 * A golden file fixes a few members of the family (parameters, initial
 * values, step, all as hex floats already rounded to the stepper's real
 * type) and the state after every `every` steps, also as hex floats.
 * Without floating-point contraction every conforming compiler computes
 * these bits exactly (rk.h), so any difference is a change of behaviour.
 *
 * Listing every value of a 90000-state grid would take ~100 MB, so above
 * GOLDEN_FULL_DIM states a state is written as the FNV-1a hash of its
 * values' bits and its first GOLDEN_HEAD components, and the file records
 * the seed from which the members are drawn again.  The format is in
 * docs/validate.md; the text is deterministic. */
#ifndef RK_GOLDEN_H
#define RK_GOLDEN_H

#include <stdint.h>
#include "diag.h"
#include "family.h"
#include "jit.h"

#define GOLDEN_MAX_MEMBERS 1000
#define GOLDEN_MAX_STEPS 10000000ul
/* Families of up to this many states list every value, as they always
 * have (so their golden files keep their bytes); larger ones hash. */
#define GOLDEN_FULL_DIM 64
/* Components shown beside a hash, so that a drift can often be named. */
#define GOLDEN_HEAD 4
/* Values a golden file may record in all: keeps it well under the
 * 256 MB `rkgen regress` reads. */
#define GOLDEN_MAX_VALUES (8ul << 20)

typedef struct golden_opts {
    int members;          /* drawn from the family */
    unsigned long steps;  /* steps per member */
    unsigned long every;  /* a state every this many steps (and the last) */
    uint64_t seed;        /* of the draw */
} golden_opts;

/* The members of a golden file and how far they run. */
typedef struct golden {
    char prefix[64];
    int is_float, n, dim, nparam;
    int hashed;    /* dim > GOLDEN_FULL_DIM: states hashed, members re-drawn */
    uint64_t seed; /* of the draw; recorded only when hashed */
    unsigned long steps, every;
    double *p, *y0, *h; /* n*nparam, n*dim, n */
} golden;

/* FNV-1a 64 over the IEEE-754 binary64 bits of y[0..dim), each value's
 * eight bytes least significant first: the same on every host. */
uint64_t golden_hash(const double *y, int dim);

/* Draws o->members members (inputs rounded to float for a float stepper). */
int golden_draw(const rk_family *f, const char *prefix, int is_float,
                const golden_opts *o, golden *g, rk_error *err);
/* Parses a golden file's text (file names it in messages) for family f.
 * A hashed file's members are drawn again from f and must match it. */
int golden_parse(const rk_family *f, const char *file, const char *text,
                 golden *g, rk_error *err);
void golden_free(golden *g);

/* Runs the members through the compiled stepper: the file's text, or
 * NULL when out of memory. */
char *golden_render(const rk_family *f, const golden *g, const jit_stepper *js);

/* 0 if text (a golden file) matches fresh, else 1 with one line in
 * reason naming the first state that differs and, when one of the
 * values written there differs, the component. */
int golden_compare(const rk_family *f, const char *file, const char *text,
                   const char *fresh, char *reason, size_t size);

#endif
