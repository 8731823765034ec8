/* ladder_emit.c - fills templates/ladder*.in for a many-stage method's
 * ladder (ladder_emit.h).  The family's part is emit.c's, the rungs'
 * coefficients are printed as stab_emit.c prints one method's. */
#include "ladder_emit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprint.h"
#include "spectrum.h"
#include "stab_emit.h"
#include "strbuf.h"
#include "template.h"

int ladder_default_prefix(const rk_family *f, const rk_stab *m, char *prefix, rk_error *err)
{
    char base[EMIT_PREFIX_MAX];
    if (stab_default_prefix(f, m, base, err) != 0)
        return -1;
    if (strlen(base) + strlen("_ladder") >= EMIT_PREFIX_MAX) {
        rk_error_set(err, "the stepper's name %s_ladder is too long: give --name", base);
        return -1;
    }
    size_t n = strlen(base); /* copied, not printed: gcc cannot see the length check above */
    memcpy(prefix, base, n);
    memcpy(prefix + n, "_ladder", sizeof "_ladder");
    return 0;
}

static void hex(strbuf *b, double v, int is_float, const char *after)
{
    cp_hex(b, v, is_float);
    sb_puts(b, after);
}

/* The tables of the Chebyshev form: a row per rung, the weights and the
 * stage times of every rung one after the other. */
static void cheb_tables(const rk_stab_ladder *L, int is_float, strbuf *rungs, strbuf *w, strbuf *c,
                        int *nw, int *nc)
{
    char d[40], e[40];
    *nw = *nc = 0;
    for (int s = L->smin; s <= L->smax; s++) {
        const rk_stab *m = L->rung[s - L->smin];
        if (!m)
            continue;
        cp_decimal(d, sizeof d, m->beta, is_float);
        cp_decimal(e, sizeof e, m->mu, is_float);
        sb_printf(rungs, "    {%d, %d, ", m->s, *nw);
        hex(rungs, m->beta, is_float, ", ");
        hex(rungs, m->mu, is_float, "}, ");
        sb_printf(rungs, "/* beta = %s, mu = %s */\n", d, e);
        for (int k = 0; k <= m->s; k++) {
            cp_decimal(d, sizeof d, m->weight[k], is_float);
            sb_puts(w, "        ");
            hex(w, m->weight[k], is_float, ", ");
            sb_printf(w, "/* %d stages: w_%d = %s */\n", m->s, k, d);
        }
        for (int k = 0; k < m->s; k++) {
            double ct = stab_cheb_time(m, k);
            cp_decimal(d, sizeof d, ct, is_float);
            sb_puts(c, "        ");
            hex(c, ct, is_float, ", ");
            sb_printf(c, "/* %d stages: mu k^2 at k = %d: %s */\n", m->s, k, d);
        }
        *nw += m->s + 1;
        *nc += m->s;
    }
}

/* The tables of the product form: a row per rung and the end row, the
 * factors of every rung one after the other. */
static void product_tables(const rk_stab_ladder *L, int is_float, strbuf *rungs, strbuf *kinds, strbuf *tab,
                           int *nf)
{
    char d[3][40];
    *nf = 0;
    for (int s = L->smin; s <= L->smax; s++) {
        const rk_stab *m = L->rung[s - L->smin];
        if (!m)
            continue;
        cp_decimal(d[0], sizeof d[0], m->beta, is_float);
        sb_printf(rungs, "    {%d, %d, ", stab_stages(m), *nf);
        hex(rungs, m->beta, is_float, "}, ");
        sb_printf(rungs, "/* beta = %s */\n", d[0]);
        for (int j = 0; j < m->nfactor; j++, (*nf)++) {
            const stab_factor *fc = &m->factor[j];
            int euler = fc->kind == STAB_EULER;
            double cf[3] = {euler ? fc->alpha : fc->a, euler ? 0 : fc->b1, euler ? 0 : fc->b2};
            for (int k = 0; k < 3; k++)
                cp_decimal(d[k], sizeof d[k], cf[k], is_float);
            sb_printf(kinds, "%s%d,", *nf % 24 ? "" : "\n        ", euler ? 1 : 2);
            sb_puts(tab, "        {");
            hex(tab, cf[0], is_float, ", ");
            hex(tab, cf[1], is_float, ", ");
            hex(tab, cf[2], is_float, "}, ");
            if (euler)
                sb_printf(tab, "/* %d stages, %d: alpha = %s */\n", m->s, j + 1, d[0]);
            else
                sb_printf(tab, "/* %d stages, %d: a = %s, b1 = %s, b2 = %s */\n", m->s, j + 1, d[0], d[1],
                          d[2]);
        }
    }
    sb_printf(rungs, "    {0, %d, 0}, /* the end of the last rung's factors */\n", *nf);
    sb_puts(kinds, "\n    ");
}

static void spaces(char *buf, size_t size, const char *a, const char *prefix, const char *b)
{
    size_t n = strlen(a) + strlen(prefix) + strlen(b);
    if (n >= size)
        n = size - 1;
    memset(buf, ' ', n);
    buf[n] = '\0';
}

typedef struct tables {
    strbuf rungs, w, c, kinds;
    int nw, nc, nrung;
    char nw_s[16], nc_s[16], nrung_s[16], smin[16], beta_min[40];
} tables;

static void tables_free(tables *t)
{
    sb_free(&t->rungs);
    sb_free(&t->w);
    sb_free(&t->c);
    sb_free(&t->kinds);
}

static void tables_make(const rk_stab_ladder *L, int is_float, tables *t)
{
    sb_init(&t->rungs);
    sb_init(&t->w);
    sb_init(&t->c);
    sb_init(&t->kinds);
    t->nrung = 0;
    const rk_stab *low = NULL;
    for (int s = L->smin; s <= L->smax; s++)
        if (L->rung[s - L->smin]) {
            low = low ? low : L->rung[s - L->smin];
            t->nrung++;
        }
    if (L->top->form == STAB_CHEBYSHEV)
        cheb_tables(L, is_float, &t->rungs, &t->w, &t->c, &t->nw, &t->nc);
    else {
        product_tables(L, is_float, &t->rungs, &t->kinds, &t->w, &t->nw);
        t->nc = 0;
    }
    snprintf(t->nw_s, sizeof t->nw_s, "%d", t->nw);
    snprintf(t->nc_s, sizeof t->nc_s, "%d", t->nc);
    snprintf(t->nrung_s, sizeof t->nrung_s, "%d", t->nrung);
    snprintf(t->smin, sizeof t->smin, "%d", stab_stages(low));
    cp_decimal(t->beta_min, sizeof t->beta_min, low->beta, 0);
}

/* The power method's constants, exact in the stepper's type: sqrt(eps)
 * (2^-26; float's 2^-11.5 rounded down to 2^-12), eps, the smallest
 * normal, spectrum.h's tolerance and safety factor, and the scatter's
 * scale and offset. */
typedef struct rho_consts {
    char sqrt_eps[40], eps[40], min[40], tol[40], safety[40], scale[40], half[40];
} rho_consts;

static void hex_text(char *buf, size_t size, double v, int is_float)
{
    strbuf b;
    sb_init(&b);
    cp_hex(&b, v, is_float);
    snprintf(buf, size, "%s", b.s && !sb_failed(&b) ? b.s : "0");
    sb_free(&b);
}

static void rho_consts_make(rho_consts *rc, int is_float)
{
    hex_text(rc->sqrt_eps, sizeof rc->sqrt_eps, is_float ? 0x1p-12 : 0x1p-26, is_float);
    hex_text(rc->eps, sizeof rc->eps, is_float ? 0x1p-23 : 0x1p-52, is_float);
    hex_text(rc->min, sizeof rc->min, is_float ? 0x1p-126 : 0x1p-1022, is_float);
    hex_text(rc->tol, sizeof rc->tol, SPEC_POWER_TOL, is_float);
    hex_text(rc->safety, sizeof rc->safety, SPEC_SAFETY, is_float);
    hex_text(rc->scale, sizeof rc->scale, 0x1p-24, is_float);
    hex_text(rc->half, sizeof rc->half, 0.5, is_float);
}

static int fill_one(const char *name, const tpl_var *vars, int nvars, strbuf *out, rk_error *err)
{
    const char *tpl = tpl_get(name);
    if (!tpl) {
        rk_error_set(err, "internal error: template %s is missing", name);
        return -1;
    }
    return tpl_fill(out, tpl, vars, nvars, err);
}

static int fill(const rk_family *f, const rk_stab_ladder *L, const emit_opts *o, const emit_family_text *ft,
                const tables *t, emit_result *out, rk_error *err)
{
    const rk_stab *m = L->top;
    char hash[24], dim[16], stages[16], order[64], beta[40], damping[128], eps[40];
    char ind_rhs[80], ind_step[80], ind_int[80], ind_f[80], ind_adv[80], ind_fac[80];
    char ind_rho[80], ind_auto[80];
    const char *pre = o->prefix;
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)f->hash);
    snprintf(dim, sizeof dim, "%d", f->dim);
    snprintf(stages, sizeof stages, "%d", stab_stages(m));
    order[0] = damping[0] = '\0';
    if (m->order > 0)
        snprintf(order, sizeof order, ", order %d%s", m->order, m->linear_only ? " on linear problems" : "");
    cp_decimal(beta, sizeof beta, m->beta, 0);
    cp_decimal(eps, sizeof eps, m->damping, 0);
    if (m->damping > 0)
        snprintf(damping, sizeof damping, ",\n *            damped: |R| <= 1 - %s on [-beta, -1]", eps);
    spaces(ind_rhs, sizeof ind_rhs, "void ", pre, "_rhs(");
    spaces(ind_step, sizeof ind_step, "unsigned long ", pre, "_step(");
    spaces(ind_int, sizeof ind_int, "unsigned long ", pre, "_integrate(");
    spaces(ind_f, sizeof ind_f, "static inline void ", pre, "_f(");
    spaces(ind_adv, sizeof ind_adv, "static void ", pre, "_advance(");
    spaces(ind_fac, sizeof ind_fac, "static int ", pre, "_factor(");
    char real_sp[EMIT_PREFIX_MAX + 8];
    snprintf(real_sp, sizeof real_sp, "%s_real ", pre);
    spaces(ind_rho, sizeof ind_rho, real_sp, pre, "_rho(");
    spaces(ind_auto, sizeof ind_auto, "unsigned long ", pre, "_integrate_auto(");
    rho_consts rc;
    rho_consts_make(&rc, o->is_float);
    int libm = family_needs_libm(f), cheb = m->form == STAB_CHEBYSHEV;
    tpl_var vars[] = {
        {"prefix", pre}, {"PREFIX", ft->upper}, {"version", RKGEN_VERSION}, {"family", f->name},
        {"hash", hash}, {"method", m->name[0] ? m->name : "stabilized"}, {"stages", stages},
        {"rungs", t->nrung_s}, {"smin", t->smin}, {"beta_min", t->beta_min},
        {"form", cheb ? "Chebyshev form" : "ordered product form"}, {"order", order}, {"beta", beta},
        {"damping", damping}, {"real", o->is_float ? "float" : "double"}, {"dim", dim},
        {"depends", libm ? "Needs <math.h> and libm (link with -lm); no allocation, no globals."
                         : "Depends on nothing: no libc, no libm, no allocation, no globals."},
        {"includes", libm ? "\n#include <math.h>\n" : ""},
        {"params_struct", ft->params_struct}, {"rhs_body", ft->rhs_body},
        {"arrays", ft->arrays ? ft->arrays : ""}, {"restrict", f->has_arrays ? "restrict " : ""},
        {"y", ft->y}, {"dydt", ft->dydt}, {"p", ft->p},
        {"rung_table", t->rungs.s ? t->rungs.s : ""}, {"weights", t->w.s ? t->w.s : ""},
        {"times", t->c.s ? t->c.s : ""}, {"table", t->w.s ? t->w.s : ""},
        {"kinds", t->kinds.s ? t->kinds.s : ""}, {"nweights", t->nw_s}, {"ntimes", t->nc_s},
        {"nfactors", t->nw_s},
        {"rhs_indent", ind_rhs}, {"step_indent", ind_step}, {"integrate_indent", ind_int},
        {"f_indent", ind_f}, {"advance_indent", ind_adv}, {"factor_indent", ind_fac},
        {"rho_indent", ind_rho}, {"auto_indent", ind_auto},
        {"rho_sqrt_eps", rc.sqrt_eps}, {"rho_eps", rc.eps}, {"rho_min", rc.min}, {"rho_tol", rc.tol},
        {"rho_safety", rc.safety}, {"rho_2m24", rc.scale}, {"rho_half", rc.half},
    };
    int nv = (int)(sizeof vars / sizeof *vars);
    strbuf h, c;
    sb_init(&h);
    sb_init(&c);
    int r = fill_one("ladder.h.in", vars, nv, &h, err) == 0 &&
                    fill_one(cheb ? "ladder_chebyshev.c.in" : "ladder_product.c.in", vars, nv, &c, err) == 0 &&
                    fill_one("ladder.c.in", vars, nv, &c, err) == 0
                ? 0 : -1;
    if (r == 0 && (sb_failed(&h) || sb_failed(&c))) {
        rk_error_set(err, "out of memory");
        r = -1;
    }
    if (r == 0) {
        out->h = sb_take(&h);
        out->c = sb_take(&c);
    }
    sb_free(&h);
    sb_free(&c);
    return r;
}

int ladder_emit_stepper(const rk_family *f, const rk_stab_ladder *L, const emit_opts *o, emit_result *out,
                        rk_error *err)
{
    emit_family_text ft;
    out->h = out->c = NULL;
    if (emit_family_parts(f, o, &ft, err) != 0)
        return -1;
    tables t;
    tables_make(L, o->is_float, &t);
    int r = -1;
    if (sb_failed(&t.rungs) || sb_failed(&t.w) || sb_failed(&t.c) || sb_failed(&t.kinds))
        rk_error_set(err, "out of memory");
    else
        r = fill(f, L, o, &ft, &t, out, err);
    tables_free(&t);
    emit_family_text_free(&ft);
    return r;
}
