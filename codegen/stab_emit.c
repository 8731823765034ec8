/* stab_emit.c - fills templates/stabilized.*.in for a method in ordered
 * product form, templates/chebyshev.*.in for one in the Chebyshev form
 * (stab_emit.h).  The family's part (names, params, the vector field) is
 * emit.c's, so every kind of stepper prints f alike. */
#include "stab_emit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprint.h"
#include "strbuf.h"
#include "template.h"

int stab_default_prefix(const rk_family *f, const rk_stab *m, char *prefix, rk_error *err)
{
    /* emit_default_prefix reads only the tableau's name */
    rk_tableau named;
    memset(&named, 0, sizeof named);
    snprintf(named.name, sizeof named.name, "%s", m->name[0] ? m->name : "stabilized");
    return emit_default_prefix(f, &named, prefix, err);
}

static int weights_ok(const rk_stab *m, rk_error *err)
{
    int ok = m->s >= 1 && m->weight && isfinite(m->mu) && m->mu > 0;
    for (int k = 0; ok && k <= m->s; k++)
        ok = isfinite(m->weight[k]);
    if (!ok)
        rk_error_set(err, "method %s: its mu or a weight is not finite", m->name);
    return ok ? 0 : -1;
}

static int method_ok(const rk_stab *m, rk_error *err)
{
    if (m->form == STAB_CHEBYSHEV)
        return weights_ok(m, err);
    if (m->nfactor < 1 || !m->factor) {
        rk_error_set(err, "method %s has no factors", m->name);
        return -1;
    }
    for (int j = 0; j < m->nfactor; j++) {
        const stab_factor *fc = &m->factor[j];
        int ok = fc->kind == STAB_EULER ? isfinite(fc->alpha)
               : fc->kind == STAB_QUADRATIC && isfinite(fc->a) && isfinite(fc->b1) && isfinite(fc->b2);
        if (!ok) {
            rk_error_set(err, "method %s: factor %d is %s", m->name, j + 1,
                         fc->kind == STAB_EULER || fc->kind == STAB_QUADRATIC
                             ? "not finite" : "neither Euler nor quadratic");
            return -1;
        }
    }
    return 0;
}

static void hex_cell(strbuf *b, double v, int is_float, int last)
{
    cp_hex(b, v, is_float);
    if (!last)
        sb_puts(b, ", ");
}

/* One row of the table per factor, its decimals in a comment. */
static void factor_table(const rk_stab *m, int is_float, strbuf *kinds, strbuf *tab)
{
    for (int j = 0; j < m->nfactor; j++) {
        const stab_factor *fc = &m->factor[j];
        int euler = fc->kind == STAB_EULER;
        double c[3] = {euler ? fc->alpha : fc->a, euler ? 0 : fc->b1, euler ? 0 : fc->b2};
        char d[3][40];
        for (int k = 0; k < 3; k++)
            cp_decimal(d[k], sizeof d[k], c[k], is_float);
        sb_printf(kinds, "%s%d%s", j % 24 ? "" : "\n        ", euler ? 1 : 2,
                  j + 1 < m->nfactor ? "," : "\n    ");
        sb_puts(tab, "        {");
        for (int k = 0; k < 3; k++)
            hex_cell(tab, c[k], is_float, k == 2);
        if (euler)
            sb_printf(tab, "}, /* %d: alpha = %s */\n", j + 1, d[0]);
        else
            sb_printf(tab, "}, /* %d: a = %s, b1 = %s, b2 = %s */\n", j + 1, d[0], d[1], d[2]);
    }
}

/* The weights w_0..w_s and the stage times mu k^2, k < s, a row each
 * with its decimal. */
static void cheb_tables(const rk_stab *m, int is_float, strbuf *w, strbuf *c)
{
    char d[40];
    for (int k = 0; k <= m->s; k++) {
        cp_decimal(d, sizeof d, m->weight[k], is_float);
        sb_puts(w, "        ");
        hex_cell(w, m->weight[k], is_float, 0);
        sb_printf(w, "/* w_%d = %s */\n", k, d);
    }
    for (int k = 0; k < m->s; k++) {
        double ct = stab_cheb_time(m, k);
        cp_decimal(d, sizeof d, ct, is_float);
        sb_puts(c, "        ");
        hex_cell(c, ct, is_float, 0);
        sb_printf(c, "/* %d: %s */\n", k, d);
    }
}

static void spaces(char *buf, size_t size, size_t n)
{
    if (n >= size)
        n = size - 1;
    memset(buf, ' ', n);
    buf[n] = '\0';
}

static int fill(const rk_family *f, const rk_stab *m, const emit_opts *o,
                const emit_family_text *ft, const char *tpl_name, char **out, rk_error *err)
{
    char hash[24], dim[16], stages[16], factors[16], neuler[16], nquad[16];
    char order[64], beta[40], damping[128], eps[40];
    char ind_rhs[80], ind_step[80], ind_int[80], ind_fn[80], ind_n[80], ind_f[80];
    char ind_adv[80], ind_fac[80], mu[48], mu_dec[40];
    size_t np = strlen(o->prefix);
    int ne = 0;
    for (int j = 0; j < m->nfactor; j++)
        ne += m->factor[j].kind == STAB_EULER;
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)f->hash);
    snprintf(dim, sizeof dim, "%d", f->dim);
    snprintf(stages, sizeof stages, "%d", stab_stages(m));
    snprintf(factors, sizeof factors, "%d", m->nfactor);
    snprintf(neuler, sizeof neuler, "%d", ne);
    snprintf(nquad, sizeof nquad, "%d", m->nfactor - ne);
    order[0] = '\0';
    if (m->order > 0)
        snprintf(order, sizeof order, ", order %d%s", m->order,
                 m->linear_only ? " on linear problems" : "");
    cp_decimal(beta, sizeof beta, m->beta, 0);
    cp_decimal(eps, sizeof eps, m->damping, 0);
    damping[0] = '\0';
    if (m->damping > 0)
        snprintf(damping, sizeof damping, ",\n *            damped: |R| <= 1 - %s on [-beta, -1]", eps);
    spaces(ind_rhs, sizeof ind_rhs, strlen("void ") + np + strlen("_rhs("));
    spaces(ind_step, sizeof ind_step, strlen("void ") + np + strlen("_step("));
    spaces(ind_int, sizeof ind_int, strlen("void ") + np + strlen("_integrate("));
    spaces(ind_n, sizeof ind_n, strlen("void ") + np + strlen("_step_n("));
    spaces(ind_fn, sizeof ind_fn, strlen("typedef void (*") + np + strlen("_rhs_fn)("));
    spaces(ind_f, sizeof ind_f, strlen("static inline void ") + np + strlen("_f("));
    spaces(ind_adv, sizeof ind_adv, strlen("static void ") + np + strlen("_advance("));
    spaces(ind_fac, sizeof ind_fac, strlen("static int ") + np + strlen("_factor("));
    strbuf kinds, tab, text, ct;
    sb_init(&kinds);
    sb_init(&tab);
    sb_init(&text);
    sb_init(&ct);
    mu[0] = mu_dec[0] = '\0';
    if (m->form == STAB_CHEBYSHEV) {
        strbuf b;
        sb_init(&b);
        cp_hex(&b, m->mu, o->is_float);
        snprintf(mu, sizeof mu, "%s", !sb_failed(&b) && b.s ? b.s : "");
        sb_free(&b);
        cp_decimal(mu_dec, sizeof mu_dec, m->mu, o->is_float);
        cheb_tables(m, o->is_float, &tab, &ct);
    } else {
        factor_table(m, o->is_float, &kinds, &tab);
    }
    int libm = family_needs_libm(f);
    tpl_var vars[] = {
        {"prefix", o->prefix}, {"PREFIX", ft->upper}, {"version", RKGEN_VERSION},
        {"family", f->name}, {"hash", hash}, {"method", m->name[0] ? m->name : "stabilized"},
        {"stages", stages}, {"factors", factors}, {"neuler", neuler}, {"nquad", nquad},
        {"order", order}, {"beta", beta}, {"damping", damping},
        {"real", o->is_float ? "float" : "double"}, {"dim", dim},
        {"depends", libm ? "Needs <math.h> and libm (link with -lm); no allocation, no globals."
                         : "Depends on nothing: no libc, no libm, no allocation, no globals."},
        {"includes", libm ? "\n#include <math.h>\n" : ""},
        {"params_struct", ft->params_struct}, {"rhs_body", ft->rhs_body},
        {"arrays", ft->arrays ? ft->arrays : ""},
        {"restrict", f->has_arrays ? "restrict " : ""},
        {"y", ft->y}, {"dydt", ft->dydt}, {"p", ft->p},
        {"kinds", kinds.s ? kinds.s : ""}, {"table", tab.s ? tab.s : ""},
        {"weights", tab.s ? tab.s : ""}, {"times", ct.s ? ct.s : ""},
        {"mu", mu}, {"mu_decimal", mu_dec},
        {"rhs_indent", ind_rhs}, {"step_indent", ind_step}, {"integrate_indent", ind_int},
        {"fn_indent", ind_fn}, {"stepn_indent", ind_n}, {"f_indent", ind_f},
        {"advance_indent", ind_adv}, {"factor_indent", ind_fac},
    };
    const char *tpl = tpl_get(tpl_name);
    int r = -1;
    if (!tpl)
        rk_error_set(err, "internal error: template %s is missing", tpl_name);
    else if (sb_failed(&kinds) || sb_failed(&tab) || sb_failed(&ct) ||
             (m->form == STAB_CHEBYSHEV && !mu[0]))
        rk_error_set(err, "out of memory");
    else if (tpl_fill(&text, tpl, vars, (int)(sizeof vars / sizeof *vars), err) != 0)
        r = -1; /* err says which key */
    else if ((*out = sb_take(&text)) == NULL)
        rk_error_set(err, "out of memory");
    else
        r = 0;
    sb_free(&kinds);
    sb_free(&tab);
    sb_free(&ct);
    sb_free(&text);
    return r;
}

int stab_emit_stepper(const rk_family *f, const rk_stab *m, const emit_opts *o,
                      emit_result *out, rk_error *err)
{
    emit_family_text ft;
    out->h = out->c = NULL;
    if (method_ok(m, err) != 0 || emit_family_parts(f, o, &ft, err) != 0)
        return -1;
    int r = 0, cheb = m->form == STAB_CHEBYSHEV;
    if (fill(f, m, o, &ft, cheb ? "chebyshev.h.in" : "stabilized.h.in", &out->h, err) != 0 ||
        fill(f, m, o, &ft, cheb ? "chebyshev.c.in" : "stabilized.c.in", &out->c, err) != 0) {
        emit_result_free(out);
        r = -1;
    }
    emit_family_text_free(&ft);
    return r;
}
