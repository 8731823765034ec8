/* check_stabilized.c - rkgen check on a "rkgen-stabilized" method file:
 * the stability polynomial, the order (with its linear-only caveat), the
 * interval and the internal amplification, all in MPFR
 * (docs/stabilized.md).  cmd_check.c hands such files over here. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "check_stabilized.h"
#include "cli.h"
#include "fileio.h"
#include "stabilized.h"

#define FILE_LIMIT ((size_t)16 << 20)
#define SHOWN_COEFS 8

int check_is_stabilized(const char *path)
{
    rk_error err;
    size_t len;
    char *text = rk_read_file(path, FILE_LIMIT, &len, &err);
    int yes = text && stab_is_text(text);
    free(text);
    return yes;
}

static void print_human(const rk_stab *m, const stab_analysis *a, int prec)
{
    int nq = 0, cheb = m->form == STAB_CHEBYSHEV;
    for (int k = 0; k < m->nfactor; k++)
        nq += m->factor[k].kind == STAB_QUADRATIC;
    if (cheb)
        printf("stabilized method %s: %d stages in the Chebyshev form, R(z) = sum_k w_k "
               "T_k(1 + mu z) with mu = %.10g; %d bits\n\n", m->name, m->s, m->mu, prec);
    else
        printf("stabilized method %s: %d stages as %d factors (%d Euler, %d quadratic); "
               "%d bits\n\n", m->name, m->s, m->nfactor, m->nfactor - nq, nq, prec);
    printf("stability polynomial (%s)\n  R(z) = 1",
           cheb ? "from the weights" : "product of the factors");
    for (int k = 1; k <= a->degree && k < SHOWN_COEFS; k++)
        printf(" %+.10g z^%d", a->coef[k], k);
    if (a->degree >= SHOWN_COEFS)
        printf(" + ... (degree %d)", a->degree);
    printf("\norder\n  R(z) - e^z = O(z^%d): order %d on linear problems", a->order + 1,
           a->order);
    if (a->exact_order < a->order)
        printf(" (to the rounding of the %s; exactly %d)", cheb ? "weights" : "factors",
               a->exact_order);
    printf("\n");
    if (a->order >= 3 || m->linear_only)
        printf("  %s\n  (stated order %d, linear_only %s)\n",
               cheb ? "only R is designed: the order-3 tree sum b c^2 = 1/3 is not imposed, "
                      "so expect order 2 on nonlinear problems"
                    : "a product of Euler and quadratic factors has order at most 2 on "
                      "nonlinear problems", m->order,
               m->linear_only ? "true" : "false");
    else
        printf("  order %d on every problem: the trees of order <= 2 are linear "
               "(stated %d)\n", a->order, m->order);
    printf("real stability interval\n  [-%.10f, 0] (stated %.10g, beta/s^2 = %.6f)\n",
           a->beta, m->beta, a->beta / ((double)m->s * m->s));
    printf("internal amplification (NodePy's maximum_internal_amplification)\n"
           "  max |theta_j(z)| over z in [-beta, 0] and stages j: %.4g (%.3g s^2)\n"
           "  max sum_j |theta_j(z)|: %.4g\n"
           "  largest state inside the step (|y| = 1): %.4g (%.3g s^2)\n", a->amplification,
           a->amplification / ((double)m->s * m->s), a->amplification_sum, a->growth,
           a->growth / ((double)m->s * m->s));
}

static int print_json(const rk_stab *m, const stab_analysis *a, int prec)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "method", m->name);
    cJSON_AddStringToObject(o, "form", "stabilized");
    cJSON_AddNumberToObject(o, "stages", m->s);
    cJSON_AddStringToObject(o, "realisation",
                            m->form == STAB_CHEBYSHEV ? "chebyshev" : "product");
    cJSON_AddNumberToObject(o, "factors", m->nfactor);
    cJSON_AddNumberToObject(o, "precision", prec);
    cJSON_AddItemToObject(o, "coefficients", cJSON_CreateDoubleArray(a->coef, a->degree + 1));
    cJSON_AddNumberToObject(o, "order", a->order);
    cJSON_AddNumberToObject(o, "exact_order", a->exact_order);
    cJSON_AddNumberToObject(o, "stated_order", m->order);
    cJSON_AddBoolToObject(o, "linear_only", m->linear_only || a->order >= 3);
    cJSON_AddNumberToObject(o, "real", a->beta);
    cJSON_AddNumberToObject(o, "stated_beta", m->beta);
    cJSON_AddNumberToObject(o, "internal_amplification", a->amplification);
    cJSON_AddNumberToObject(o, "internal_amplification_sum", a->amplification_sum);
    cJSON_AddNumberToObject(o, "state_growth", a->growth);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (!text)
        return report("check", "out of memory", EXIT_USAGE);
    printf("%s\n", text);
    cJSON_free(text);
    return EXIT_OK;
}

int check_stabilized(const char *path, int prec, int json, int expect)
{
    rk_error err = {{0}};
    rk_stab *m = stab_read(path, &err);
    if (!m)
        return report("check", err.text, EXIT_USAGE);
    stab_analysis a;
    if (stab_analyse(m, prec, &a, &err) != 0) {
        stab_free(m);
        return report("check", err.text, EXIT_USAGE);
    }
    int status = EXIT_OK;
    if (json)
        status = print_json(m, &a, prec);
    else
        print_human(m, &a, prec);
    const char *why = NULL;
    char buf[256];
    if (status == EXIT_OK && a.order < m->order) {
        snprintf(buf, sizeof buf, "%s states order %d but R has order %d", m->name,
                 m->order, a.order);
        why = buf;
    } else if (status == EXIT_OK && a.beta < m->beta * (1 - 1e-6)) {
        snprintf(buf, sizeof buf, "%s states beta = %.10g but |R| <= 1 holds only on "
                 "[-%.10g, 0]", m->name, m->beta, a.beta);
        why = buf;
    } else if (status == EXIT_OK && expect > 0 && a.order < expect) {
        snprintf(buf, sizeof buf, "%s has order %d, below the expected %d", m->name,
                 a.order, expect);
        why = buf;
    }
    if (why) {
        fflush(stdout);
        fprintf(stderr, "rkgen check: %s\n", why);
        status = EXIT_CHECK;
    }
    stab_analysis_free(&a);
    stab_free(m);
    return status;
}
