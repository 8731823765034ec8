/* record.c - what the learner reports: the classical methods on the
 * validation members (the baseline among them), the numbers on fresh
 * members with their confidence intervals, the local errors in MPFR,
 * and the JSON record kept with the tableau. */
#include "trainer.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "localerr.h"
#include "measure.h"
#include "stats.h"
#include "sweep.h"
#include "tableau_mp.h"

/* ---- the local errors ---- */

/* The family's local-error Taylor coefficients of the kept tableau, at
 * the validation members (the first LERR_MEMBERS), in MPFR: for each
 * order q up to the target order + 1, the largest |[h^q](yhat - y)|
 * relative to |[h^q] y|.  Zeros up to q show the family order. */
#define LERR_MEMBERS 50

void record_local_errors(trainer *tr, const rk_tableau *t)
{
    int Q = tr->c->order + 1, d = tr->f->dim, n = tr->val.n < LERR_MEMBERS ? tr->val.n : LERR_MEMBERS;
    rk_tabmp m;
    rk_lerr L;
    rk_error err = {{0}};
    if (Q > RK_TREES_MAX_ORDER || tabmp_init(&m, t, 128, &err) != 0)
        return;
    if (lerr_init(&L, tr->f, t->s, Q, 128) != 0) {
        tabmp_clear(&m);
        return;
    }
    size_t ne = (size_t)Q * (size_t)d;
    mpfr_t *e = malloc(2 * ne * sizeof *e);
    for (size_t k = 0; e && k < 2 * ne; k++)
        mpfr_init2(e[k], 128);
    for (int i = 0; e && i < n; i++) {
        if (lerr_member(&L, tr->val.p + i * tr->f->nparam, tr->val.y0 + i * d) != 0 ||
            lerr_eval(&L, m.A, m.b, m.c, e, e + ne) != 0)
            continue;
        for (int q = 1; q <= Q; q++) {
            double num = 0, den = 0;
            for (int k = 0; k < d; k++) {
                double a = mpfr_get_d(e[(q - 1) * d + k], MPFR_RNDN);
                double b = mpfr_get_d(e[ne + (size_t)(q - 1) * d + k], MPFR_RNDN);
                num += a * a;
                den += b * b;
            }
            double r = den > 0 ? sqrt(num / den) : sqrt(num);
            if (r > tr->m->local_error[q])
                tr->m->local_error[q] = r;
        }
    }
    tr->m->local_error_orders = e ? Q : 0;
    for (size_t k = 0; e && k < 2 * ne; k++)
        mpfr_clear(e[k]);
    free(e);
    lerr_clear(&L);
    tabmp_clear(&m);
}

/* ---- the classical methods and the baseline ---- */

/* Every built-in with S stages on the validation members, before
 * training: the yardsticks of the record, and among those of the kept
 * order or higher the baseline, the one with the fewest blow-ups and
 * then the smallest geometric-mean error. */
int record_classical(trainer *tr)
{
    const char *names[8];
    learn_metrics *m = tr->m;
    int nv = tr->val.n;
    double best = INFINITY;
    m->nclassical = catalog_methods(tr->S, 1, names, 8);
    for (int k = 0; k < m->nclassical; k++) {
        rk_tableau *t = tableau_builtin(names[k]);
        double *e = tr->cls_val + (size_t)k * (size_t)nv;
        if (!t) {
            rk_error_set(tr->err, "out of memory");
            return -1;
        }
        snprintf(m->classical[k], sizeof m->classical[k], "%s", names[k]);
        m->blown_classical[k] = measure_engine(tr->f, t, &tr->val, e);
        if (tr->c->survive > 0)
            m->survival_classical[k] = survival_count(tr, t, &tr->val, SURVIVAL_VAL);
        double logs = 0;
        for (int i = 0; i < nv; i++)
            logs += isfinite(e[i]) ? log(fmax(e[i], 1e-300)) : 0;
        double score = 1e6 * m->blown_classical[k] + logs / nv;
        if (t->order >= tr->keep && score < best) {
            best = score;
            tr->baseline = k;
        }
        tableau_free(t);
    }
    m->baseline_k = tr->baseline;
    if (tr->baseline >= 0)
        snprintf(m->baseline, sizeof m->baseline, "%s", m->classical[tr->baseline]);
    return 0;
}

/* gamma_val of errors e on the validation members: the loss's own
 * measure, as trainer_validate takes it. */
static double gamma_of(const trainer *tr, const double *e)
{
    double sum = 0;
    for (int i = 0; i < tr->val.n; i++) {
        double rho = isfinite(e[i]) ? e[i] / tr->ref_val[i] : OBJECTIVE_SATURATE;
        sum += tr->c->loss == LOSS_GEOMEAN ? log(fmax(rho * rho, 1e-300)) : rho * rho;
    }
    return tr->c->loss == LOSS_GEOMEAN ? exp(sum / tr->val.n) : sum / tr->val.n;
}

/* The kept method against the classical ones on the validation members;
 * when it does not beat the baseline by more than the noise (the 90%
 * interval reaches 1, or so close that only rounding tells them apart:
 * on y' = -a y every 3-stage order-3 method gives the same numbers but
 * for it), the baseline is the result.  Not with a family
 * order above the kept one, which no built-in has, nor when the baseline
 * blows up more often on the long runs of --survive. */
#define FALLBACK_ABOVE 0.995

void record_kept(trainer *tr)
{
    learn_metrics *m = tr->m;
    int nv = tr->val.n, b = tr->baseline;
    if (b >= 0) {
        const double *eb = tr->cls_val + (size_t)b * (size_t)nv;
        ratio_ci ci = stats_ratio_ci(tr->best_err, eb, nv, 0.9, tr->c->seed);
        m->baseline_ratio = ci.ratio;
        m->baseline_ci[0] = ci.lo;
        m->baseline_ci[1] = ci.hi;
        int may = tr->c->family_order <= tr->keep &&
                  (tr->c->survive == 0 || m->survival_classical[b] <= m->survival_blown);
        rk_tableau *t = may && ci.hi >= FALLBACK_ABOVE ? tableau_builtin(m->baseline) : NULL;
        if (t) {
            tableau_free(tr->best);
            tr->best = t;
            m->fallback = 1;
            memcpy(tr->best_err, eb, (size_t)nv * sizeof *eb);
            m->gamma_val = gamma_of(tr, eb);
            m->blown_val = m->blown_classical[b];
            if (tr->c->survive > 0)
                m->survival_blown = m->survival_classical[b];
        }
    }
    for (int k = 0; k < m->nclassical; k++)
        m->ratio_classical[k] = geomean_ratio(tr->best_err, tr->cls_val + (size_t)k * (size_t)nv, nv);
}

/* ---- on fresh members ---- */

/* The crossover of --trade-order: the step below which t loses to the
 * baseline, on fixed steps from 30 times below the range to its top. */
#define CROSS_MEMBERS 100
#define CROSS_POINTS 13

static int crossover(trainer *tr, const rk_tableau *t, rk_error *err)
{
    double h[SWEEP_MAX_POINTS];
    unsigned long steps[SWEEP_MAX_POINTS];
    double top = family_max_step(tr->f);
    int np = sweep_grid(tr->f, family_min_step(tr->f) / 30, top, CROSS_POINTS, h, steps);
    rk_tableau *base = tableau_builtin(tr->m->baseline);
    sweep_method ms[2] = {{"learned", NULL, t, 0, t->s, t->s}, {"baseline", NULL, base, 0, t->s, t->s}};
    sweep_result r;
    if (!base || sweep_run(tr->f, tr->c->seed, CROSS_MEMBERS, ms, 2, h, steps, np, 0, &r, err) != 0) {
        tableau_free(base);
        return -1;
    }
    tr->m->crossover_h = sweep_losing_below(&r, 1, top);
    sweep_free(&r);
    tableau_free(base);
    return 0;
}

/* Errors of t and of every classical method on one band's members; the
 * ratios with their intervals go to the record. */
static int band(trainer *tr, const rk_tableau *t, const sample_set *s, int b, double *et, double *ek)
{
    learn_metrics *m = tr->m;
    m->fresh_blown[b] = measure_engine(tr->f, t, s, et);
    for (int k = 0; k < m->nclassical; k++) {
        rk_tableau *c = tableau_builtin(m->classical[k]);
        if (!c)
            return -1;
        measure_engine(tr->f, c, s, ek);
        tableau_free(c);
        ratio_ci ci = stats_ratio_ci(et, ek, s->n, 0.9, tr->c->seed + (uint64_t)b);
        m->fresh_ratio[b][k] = ci.ratio;
        m->fresh_ci[b][k][0] = ci.lo;
        m->fresh_ci[b][k][1] = ci.hi;
    }
    return 0;
}

/* The geometric-mean error of the members finite in every one of n sets */
static void common_geomeans(const double *const *e, int n, int members, double *out)
{
    double sum[4] = {0};
    int k = 0;
    for (int i = 0; i < members; i++) {
        int ok = 1;
        for (int j = 0; j < n; j++)
            ok &= isfinite(e[j][i]) && e[j][i] > 0;
        for (int j = 0; ok && j < n; j++)
            sum[j] += log(e[j][i]);
        k += ok;
    }
    for (int j = 0; j < n; j++)
        out[j] = k ? exp(sum[j] / k) : NAN;
}

/* The gap: the ratio against the baseline on the training members in
 * range (not those below it), against the same on fresh ones. */
static int train_ratio(trainer *tr, const rk_tableau *t)
{
    sample_set in = samples_view(&tr->train, 0, tr->c->samples);
    double *e = malloc(2 * ((size_t)in.n + 1) * sizeof *e);
    rk_tableau *base = tableau_builtin(tr->m->baseline);
    if (!e || !base) {
        free(e);
        tableau_free(base);
        return -1;
    }
    measure_engine(tr->f, t, &in, e);
    measure_engine(tr->f, base, &in, e + in.n);
    tr->m->train_ratio = geomean_ratio(e, e + in.n, in.n);
    free(e);
    tableau_free(base);
    return 0;
}

/* The numbers users can trust: on members of the test stream, which
 * neither training nor any choice saw, at each member's own step and (on
 * a quarter of them) at a tenth and ten times of it; the observed order
 * from a tenth, a sqrt(10)th and the whole step. */
int record_fresh(trainer *tr, const rk_tableau *t)
{
    learn_metrics *m = tr->m;
    int n = tr->c->fresh_samples, st = -1;
    static const double scale[NBANDS + 1] = {0.1, 1, 10, 0.31622776601683794};
    sample_set s[NBANDS + 1];
    memset(s, 0, sizeof s);
    m->observed_order = NAN;
    m->crossover_h = NAN;
    if (n <= 0)
        return 0;
    double *e = malloc(((size_t)NBANDS + 2) * (size_t)n * sizeof *e);
    if (!e || samples_draw(tr->f, tr->c->seed, STREAM_TEST, n, 0, 0, &s[BAND_RANGE], tr->err) != 0)
        goto out;
    /* the bands off the range take ten times the steps below it: a
     * quarter of the members there keeps the cost near the range's */
    int nb = n / 4 > 0 ? n / 4 : n;
    sample_set part = samples_view(&s[BAND_RANGE], 0, nb);
    for (int b = 0; b <= NBANDS; b++)
        if (b != BAND_RANGE && samples_rescale(tr->f, &part, scale[b], &s[b], tr->err) != 0)
            goto out;
    double *ek = e + (size_t)(NBANDS + 1) * (size_t)n;
    for (int b = 0; b < NBANDS; b++)
        if (band(tr, t, &s[b], b, e + (size_t)b * (size_t)n, ek) != 0)
            goto out;
    m->fresh_members = n;
    double *mid = e + (size_t)NBANDS * (size_t)n, gm[3];
    measure_engine(tr->f, t, &s[NBANDS], mid);
    const double *pts[3] = {e + (size_t)BAND_BELOW * (size_t)n, mid, e + (size_t)BAND_RANGE * (size_t)n};
    const double x[3] = {scale[BAND_BELOW], scale[NBANDS], 1};
    common_geomeans(pts, 3, nb, gm);
    m->observed_order = stats_loglog_slope(x, gm, 3);
    if (m->baseline_k >= 0) {
        if (train_ratio(tr, t) != 0)
            goto out;
        m->gap = m->fresh_ratio[BAND_RANGE][m->baseline_k] / m->train_ratio - 1;
        if (tr->keep == 0 && !m->fallback && crossover(tr, t, tr->err) != 0)
            goto out;
    }
    st = 0;
out:
    if (st != 0 && !tr->err->text[0])
        rk_error_set(tr->err, "out of memory");
    for (int b = 0; b <= NBANDS; b++)
        samples_free(&s[b]);
    free(e);
    return st;
}

/* ---- the record kept with the tableau ---- */

static cJSON *interval(double r, double lo, double hi)
{
    cJSON *a = cJSON_CreateArray();
    cJSON_AddItemToArray(a, cJSON_CreateNumber(r));
    cJSON_AddItemToArray(a, cJSON_CreateNumber(lo));
    cJSON_AddItemToArray(a, cJSON_CreateNumber(hi));
    return a;
}

/* What the run promised and what fresh members say of it. */
static void add_outcome(cJSON *met, const learn_metrics *m)
{
    static const char *const bands[NBANDS] = {"below", "range", "above"};
    cJSON_AddNumberToObject(met, "order_kept", m->order_kept);
    cJSON_AddBoolToObject(met, "polished", m->polished);
    if (m->baseline_k >= 0) {
        cJSON_AddStringToObject(met, "baseline", m->baseline);
        cJSON_AddItemToObject(met, "validation_ratio_vs_baseline",
                              interval(m->baseline_ratio, m->baseline_ci[0], m->baseline_ci[1]));
    }
    cJSON_AddBoolToObject(met, "fallback", m->fallback);
    cJSON *fr = cJSON_CreateObject();
    cJSON_AddNumberToObject(fr, "members", m->fresh_members);
    for (int b = 0; b < NBANDS && m->fresh_members > 0; b++) {
        cJSON *bo = cJSON_CreateObject();
        for (int k = 0; k < m->nclassical; k++)
            cJSON_AddItemToObject(bo, m->classical[k],
                                  interval(m->fresh_ratio[b][k], m->fresh_ci[b][k][0], m->fresh_ci[b][k][1]));
        cJSON_AddNumberToObject(bo, "blowups", m->fresh_blown[b]);
        cJSON_AddItemToObject(fr, bands[b], bo);
    }
    if (isfinite(m->observed_order))
        cJSON_AddNumberToObject(fr, "observed_order", m->observed_order);
    if (m->baseline_k >= 0 && m->fresh_members > 0) {
        cJSON_AddNumberToObject(fr, "train_ratio_vs_baseline", m->train_ratio);
        cJSON_AddNumberToObject(fr, "gap", m->gap);
    }
    if (isfinite(m->crossover_h))
        cJSON_AddNumberToObject(fr, "loses_below_h", m->crossover_h);
    cJSON_AddItemToObject(met, "fresh", fr);
}

static const char *optimizer_name(optimizer_kind k)
{
    return k == OPT_LM ? "lm" : k == OPT_ADAM ? "adam" : "lookahead";
}

char *learn_metadata(const rk_family *f, const learn_config *c, const learn_metrics *m)
{
    char hash[24];
    cJSON *root = cJSON_CreateObject(), *cfg = cJSON_CreateObject(), *met = cJSON_CreateObject();
    cJSON *cls = cJSON_CreateObject();
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)f->hash);
    cJSON_AddStringToObject(root, "family", f->name);
    cJSON_AddStringToObject(root, "family_hash", hash);
    cJSON_AddStringToObject(root, "truth", m->truth ? m->truth : "");
    cJSON_AddNumberToObject(cfg, "stages", c->stages);
    cJSON_AddNumberToObject(cfg, "order", c->order);
    cJSON_AddNumberToObject(cfg, "seed", (double)c->seed);
    cJSON_AddNumberToObject(cfg, "samples", c->samples);
    cJSON_AddNumberToObject(cfg, "val_samples", c->val_samples);
    cJSON_AddStringToObject(cfg, "objective", c->objective == OBJ_GLOBAL    ? "global"
                                              : c->objective == OBJ_ONESTEP ? "onestep"
                                                                            : "taylor");
    cJSON_AddStringToObject(cfg, "loss", c->loss == LOSS_GEOMEAN ? "geomean" : "scaled");
    cJSON_AddNumberToObject(cfg, "unroll", c->unroll);
    cJSON_AddNumberToObject(cfg, "mu", c->mu);
    cJSON_AddNumberToObject(cfg, "family_order", c->family_order);
    cJSON_AddNumberToObject(cfg, "keep_order", c->keep_order);
    cJSON_AddBoolToObject(cfg, "trade_order", c->trade_order);
    cJSON_AddNumberToObject(cfg, "polish", c->polish);
    cJSON_AddNumberToObject(cfg, "fresh_samples", c->fresh_samples);
    cJSON_AddNumberToObject(cfg, "train_below", c->train_below);
    cJSON_AddNumberToObject(cfg, "stability_weight", c->stability_weight);
    cJSON_AddNumberToObject(cfg, "survive", c->survive);
    cJSON_AddNumberToObject(cfg, "survive_search", c->survive_search);
    cJSON_AddNumberToObject(cfg, "survive_starts", c->survive_starts);
    cJSON_AddStringToObject(cfg, "optimizer", optimizer_name(c->optimizer));
    cJSON_AddNumberToObject(cfg, "iters", c->iters);
    cJSON_AddNumberToObject(cfg, "restarts", c->restarts);
    cJSON_AddNumberToObject(cfg, "screen", c->screen);
    cJSON_AddNumberToObject(cfg, "lr", c->lr);
    cJSON_AddNumberToObject(cfg, "lr_decay", c->lr_decay);
    cJSON_AddStringToObject(cfg, "weights", c->weights == WEIGHTS_FREE ? "free" : "softmax");
    cJSON_AddNumberToObject(cfg, "ratio_lim", c->ratio_lim);
    cJSON_AddNumberToObject(cfg, "val_every", c->val_every);
    cJSON_AddItemToObject(root, "config", cfg);
    cJSON_AddNumberToObject(met, "gamma_train", m->gamma_train);
    cJSON_AddNumberToObject(met, "gamma_val", m->gamma_val);
    cJSON_AddStringToObject(met, "gamma_reference", m->reference);
    for (int k = 0; k < m->nclassical; k++)
        cJSON_AddNumberToObject(cls, m->classical[k], m->ratio_classical[k]);
    cJSON_AddItemToObject(met, "error_ratio_vs_classical", cls);
    cJSON *blow = cJSON_CreateObject();
    cJSON_AddNumberToObject(blow, "learned", m->blown_val);
    for (int k = 0; k < m->nclassical; k++)
        cJSON_AddNumberToObject(blow, m->classical[k], m->blown_classical[k]);
    cJSON_AddItemToObject(met, "validation_blowups", blow);
    if (c->survive > 0) {
        cJSON *sv = cJSON_CreateObject();
        cJSON_AddNumberToObject(sv, "span", c->survive);
        cJSON_AddNumberToObject(sv, "members", m->survival_members);
        cJSON_AddNumberToObject(sv, "runs", 3 * m->survival_members);
        cJSON_AddNumberToObject(sv, "learned", m->survival_blown);
        for (int k = 0; k < m->nclassical; k++)
            cJSON_AddNumberToObject(sv, m->classical[k], m->survival_classical[k]);
        cJSON_AddItemToObject(met, "survival_blowups", sv);
    }
    add_outcome(met, m);
    cJSON *le = cJSON_CreateArray();
    for (int q = 1; q <= m->local_error_orders; q++)
        cJSON_AddItemToArray(le, cJSON_CreateNumber(m->local_error[q]));
    cJSON_AddItemToObject(met, "local_error_per_order", le);
    cJSON_AddNumberToObject(met, "iterations", m->iterations);
    cJSON_AddNumberToObject(met, "starts", m->starts);
    cJSON_AddNumberToObject(met, "best_start", m->best_start);
    cJSON_AddBoolToObject(met, "interrupted", m->interrupted);
    cJSON_AddItemToObject(root, "metrics", met);
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}

