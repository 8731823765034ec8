/* fuzz_family.c - libFuzzer harness for the .ode family parser, and for
 * the samplers and evaluators a parsed family feeds.
 *
 * libFuzzer passes each input in an exact-size heap copy, so AddressSanitizer
 * reports any read past `size`: family_parse must honour its length. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "family.h"
#include "rng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static double *zeros(int n)
{
    double *v = calloc((size_t)n + 1, sizeof *v); /* +1: n may be 0 */
    if (!v)
        abort();
    return v;
}

static float *to_float(const double *v, int n)
{
    float *w = calloc((size_t)n + 1, sizeof *w);
    if (!w)
        abort();
    for (int i = 0; i < n; i++)
        w[i] = (float)v[i];
    return w;
}

static void evaluate(const rk_family *f)
{
    int nwork = f->rhs.n > f->exact.n ? f->rhs.n : f->exact.n;
    double *p = zeros(f->nparam), *y0 = zeros(f->dim), *dy = zeros(f->dim);
    double *work = zeros(nwork), h;
    rk_rng rng;
    rng_seed(&rng, 1);
    family_sample(f, &rng, p, y0, &h);

    family_rhs_ctx cx = {f, p, work};
    family_rhs(&cx, h, y0, dy);
    if (f->has_exact)
        family_exact(f, p, y0, f->horizon, work, dy);

    float *pf = to_float(p, f->nparam), *y0f = to_float(y0, f->dim);
    float *dyf = to_float(dy, f->dim), *workf = calloc((size_t)nwork + 1, sizeof *workf);
    if (!workf)
        abort();
    family_rhsf_ctx cxf = {f, pf, workf};
    family_rhsf(&cxf, (float)h, y0f, dyf);

    (void)family_uses_time(f);
    (void)family_needs_libm(f);
    free(p); free(y0); free(dy); free(work);
    free(pf); free(y0f); free(dyf); free(workf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rk_error err;
    err.text[0] = '\0';
    rk_family *f = family_parse("fuzz.ode", (const char *)data, size, &err);
    if (!f) {
        /* The CLI prints err as the only explanation of a rejection. */
        if (!err.text[0]) {
            fprintf(stderr, "family_parse failed without a message\n");
            abort();
        }
        return 0;
    }
    evaluate(f);
    family_free(f);
    return 0;
}
