/* rng.h - the one random number generator: xoshiro256** seeded through
 * splitmix64, so that a seed gives the same samples on every machine. */
#ifndef RK_RNG_H
#define RK_RNG_H

#include <stdint.h>

typedef struct rk_rng {
    uint64_t s[4];
} rk_rng;

void rng_seed(rk_rng *r, uint64_t seed);
uint64_t rng_next(rk_rng *r);
/* Uniform on [0, 1) with 53 random bits. */
double rng_uniform(rk_rng *r);
/* Standard normal (Box-Muller, one value per call). */
double rng_normal(rk_rng *r);

#endif
