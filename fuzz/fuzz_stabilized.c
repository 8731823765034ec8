/* fuzz_stabilized.c - libFuzzer harness for the "rkgen-stabilized" reader
 * and writer (core/stab_json.c), both forms: whatever the reader accepts
 * must be written, read back with the same doubles, and written again as
 * the same bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stabilized.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_stabilized: %s\n%s\n", what, detail ? detail : "");
    abort();
}

/* Bitwise: -0 and NaN payloads count. */
static int same(const rk_stab *a, const rk_stab *b)
{
    if (a->form != b->form || a->s != b->s || a->nfactor != b->nfactor ||
        memcmp(&a->beta, &b->beta, sizeof a->beta) != 0)
        return 0;
    if (a->form == STAB_CHEBYSHEV)
        return memcmp(&a->mu, &b->mu, sizeof a->mu) == 0 &&
               memcmp(a->weight, b->weight, ((size_t)a->s + 1) * sizeof *a->weight) == 0;
    return memcmp(a->factor, b->factor, (size_t)a->nfactor * sizeof *a->factor) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the reader takes NUL-terminated text; a NUL inside is refused */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    rk_error err;
    err.text[0] = '\0';
    rk_stab *m = stab_parse(text, "fuzz.json", &err);
    free(text);
    if (!m) {
        if (!err.text[0])
            die("rejected without a message", NULL);
        return 0;
    }
    if (stab_stages(m) != m->s)
        die("accepted a method whose stages do not add up", m->name);
    char *json = stab_to_json(m);
    if (!json)
        die("stab_to_json failed on an accepted method", m->name);
    rk_stab *u = stab_parse(json, "roundtrip.json", &err);
    if (!u)
        die("the written JSON does not read back", err.text);
    if (!same(m, u))
        die("coefficients changed in the round trip", json);
    char *again = stab_to_json(u);
    if (!again || strcmp(json, again) != 0)
        die("the round trip is not a fixed point", json);
    free(again);
    free(json);
    stab_free(u);
    stab_free(m);
    return 0;
}
