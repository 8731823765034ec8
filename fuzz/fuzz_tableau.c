/* fuzz_tableau.c - libFuzzer harness for the tableau JSON reader and
 * writer: whatever the reader accepts must validate, and must survive
 * tableau_to_json and a second read bit for bit. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tableau.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_tableau: %s\n%s\n", what, detail ? detail : "");
    abort();
}

static int same_doubles(const double *x, const double *y, size_t n)
{
    return memcmp(x, y, n * sizeof *x) == 0; /* bitwise: -0 and NaN payloads count */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rk_error err;
    err.text[0] = '\0';
    rk_tableau *t = tableau_parse_json("fuzz.json", (const char *)data, size, &err);
    if (!t) {
        if (!err.text[0])
            die("rejected without a message", NULL);
        return 0;
    }
    if (tableau_validate(t, &err))
        die("accepted a tableau that does not validate", err.text);

    char *json = tableau_to_json(t);
    if (!json)
        die("tableau_to_json failed on an accepted tableau", t->name);
    rk_tableau *u = tableau_parse_json("roundtrip.json", json, strlen(json), &err);
    if (!u)
        die("the written JSON does not read back", err.text);
    size_t s = (size_t)t->s;
    if (u->s != t->s || !same_doubles(t->A, u->A, s * s) ||
        !same_doubles(t->b, u->b, s) || !same_doubles(t->c, u->c, s))
        die("coefficients changed in the round trip", json);

    /* The writer is deterministic, so everything else (name, order,
     * exact texts, metadata) is checked by writing both again. */
    char *again = tableau_to_json(u);
    rk_tableau *copy = tableau_copy(t);
    char *copied = copy ? tableau_to_json(copy) : NULL;
    if (!again || strcmp(json, again) != 0)
        die("the round trip is not a fixed point", json);
    if (!copied || strcmp(json, copied) != 0)
        die("tableau_copy differs from the original", json);

    free(copied);
    free(again);
    free(json);
    tableau_free(copy);
    tableau_free(u);
    tableau_free(t);
    return 0;
}
