/* tableau_mp.c - a tableau in MPFR and the precision it is given to. */
#include "tableau_mp.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>

#include "mpvec.h"
#include "parse.h"

/* Significant digits of a text made only of decimal numbers joined by
 * + and - (with optional exponents and parentheses), or -1 if it holds
 * anything else (a division, a function) and so is an exact expression. */
static int decimal_digits(const char *s)
{
    int n = 0, leading = 1;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == 'e' || ch == 'E') {
            /* skip the exponent's sign and digits: they are not significant */
            s++;
            if (*s == '+' || *s == '-')
                s++;
            while (isdigit((unsigned char)*s))
                s++;
            s--;
            leading = 1;
        } else if (isdigit(ch)) {
            leading = leading && ch == '0';
            n += !leading;
        } else if (ch == '+' || ch == '-' || ch == '(' || ch == ')' || ch == ' ') {
            leading = 1;
        } else if (ch != '.') {
            return -1;
        }
    }
    return n;
}

double tabmp_text_eps(const char *text, int *digits)
{
    int n = decimal_digits(text);
    *digits = 0;
    if (n <= RK_EXACT_DIGITS_MAX)
        return 0;
    *digits = n;
    return pow(10.0, 1 - n);
}

/* Coefficient idx of the exact-text layout (A, then b, then c); idx < 0
 * is bhat[-1 - idx]. */
static int load(rk_tabmp *m, const rk_tableau *t, int idx, double v,
                mpfr_t out, rk_error *err)
{
    const char *text = idx < 0 ? (t->bhat_exact ? t->bhat_exact[-1 - idx] : NULL)
                               : t->exact ? t->exact[idx] : NULL;
    double eps = 0;
    int digits = 0;
    if (text) {
        if (ex_const_eval_mp(text, out, err) != 0)
            return -1;
        eps = tabmp_text_eps(text, &digits);
    } else {
        mpfr_set_d(out, v, MPFR_RNDN);
        /* zero and small integers are what they say, however written */
        eps = v == nearbyint(v) && fabs(v) <= 1024 ? 0 : ldexp(1.0, -53);
    }
    if (eps > m->eps) {
        m->eps = eps;
        m->eps_digits = digits;
    }
    return 0;
}

int tabmp_init(rk_tabmp *m, const rk_tableau *t, mpfr_prec_t prec, rk_error *err)
{
    size_t s = (size_t)t->s;
    m->s = t->s;
    m->prec = prec;
    m->eps = 0;
    m->eps_digits = 0;
    m->A = mpvec_new(s * s, prec);
    m->b = mpvec_new(s, prec);
    m->c = mpvec_new(s, prec);
    m->bhat = t->bhat ? mpvec_new(s, prec) : NULL;
    if (!m->A || !m->b || !m->c || (t->bhat && !m->bhat)) {
        tabmp_clear(m);
        rk_error_set(err, "out of memory");
        return -1;
    }
    int n = t->s;
    for (int i = 0; i < n * n; i++)
        if (load(m, t, i, t->A[i], m->A[i], err) != 0)
            goto bad;
    for (int i = 0; i < n; i++)
        if (load(m, t, n * n + i, t->b[i], m->b[i], err) != 0 ||
            load(m, t, n * n + n + i, t->c[i], m->c[i], err) != 0 ||
            (m->bhat && load(m, t, -1 - i, t->bhat[i], m->bhat[i], err) != 0))
            goto bad;
    return 0;
bad:
    tabmp_clear(m);
    return -1;
}

void tabmp_clear(rk_tabmp *m)
{
    size_t s = (size_t)m->s;
    mpvec_free(m->A, s * s);
    mpvec_free(m->b, s);
    mpvec_free(m->c, s);
    mpvec_free(m->bhat, s);
    m->A = m->b = m->c = m->bhat = NULL;
}

rk_tabmp tabmp_embedded(const rk_tabmp *m)
{
    rk_tabmp e = *m;
    e.b = m->bhat;
    e.bhat = NULL;
    return e;
}

const char *tabmp_eps_name(const rk_tabmp *m, char *buf, size_t size)
{
    if (m->eps == 0)
        snprintf(buf, size, "exact");
    else if (m->eps_digits > 0)
        snprintf(buf, size, "decimals of %d digits", m->eps_digits);
    else
        snprintf(buf, size, "doubles");
    return buf;
}
