/* pairrecord.c - the JSON record of a learned pair (rkgen learn
 * --embedded): the configuration, the pair's estimate ratios, its work
 * against every built-in pair and, for a learned main method, the
 * learner's own record. */
#include "pairfit.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static cJSON *num_or_null(double x)
{
    return isfinite(x) ? cJSON_CreateNumber(x) : cJSON_CreateNull();
}

static cJSON *ratio_object(const pairfit_ratio *q)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "geomean", num_or_null(q->gmean));
    cJSON_AddItemToObject(o, "mean", num_or_null(q->mean));
    cJSON_AddItemToObject(o, "sd", num_or_null(q->sd));
    cJSON_AddItemToObject(o, "member_sd", num_or_null(q->member_sd));
    cJSON_AddItemToObject(o, "p05", num_or_null(q->lo));
    cJSON_AddItemToObject(o, "p95", num_or_null(q->hi));
    cJSON_AddNumberToObject(o, "points", q->n);
    return o;
}

char *pairfit_metadata(const rk_family *f, const rk_tableau *main, const pairfit_config *c,
                       const pairfit_result *r, const char *main_record)
{
    char hash[24];
    cJSON *root = cJSON_CreateObject(), *cfg = cJSON_CreateObject(), *met = cJSON_CreateObject();
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)f->hash);
    cJSON_AddStringToObject(root, "family", f->name);
    cJSON_AddStringToObject(root, "family_hash", hash);
    cJSON_AddStringToObject(root, "truth", r->truth ? r->truth : "");
    cJSON_AddStringToObject(root, "main", main->name);
    cJSON *learned = main_record ? cJSON_Parse(main_record) : NULL;
    if (learned)
        cJSON_AddItemToObject(root, "main_record", learned);
    cJSON_AddNumberToObject(cfg, "embedded", c->embedded);
    cJSON_AddNumberToObject(cfg, "seed", (double)c->seed);
    cJSON_AddNumberToObject(cfg, "samples", c->samples);
    cJSON_AddNumberToObject(cfg, "points", c->points);
    cJSON_AddNumberToObject(cfg, "fresh_samples", c->fresh);
    cJSON_AddNumberToObject(cfg, "span", r->span);
    cJSON_AddNumberToObject(cfg, "rtol_loose", c->rtol_loose);
    cJSON_AddNumberToObject(cfg, "rtol_tight", c->rtol_tight);
    cJSON_AddBoolToObject(cfg, "keep_learned", c->keep_learned);
    cJSON_AddItemToObject(root, "config", cfg);

    cJSON_AddStringToObject(met, "learned_pair", r->learned ? r->learned->name : "");
    cJSON_AddNumberToObject(met, "embedded_order", c->embedded);
    cJSON_AddBoolToObject(met, "fsal", r->learned && r->learned->fsal);
    cJSON_AddBoolToObject(met, "fsal_stage_added", r->fsal_added);
    cJSON_AddNumberToObject(met, "estimator_dimension", r->nfree);
    cJSON_AddNumberToObject(met, "training_members", r->samples);
    /* after a fallback the learned weights are kept here, not in the tableau */
    if (r->learned && r->learned->bhat_exact) {
        cJSON *bh = cJSON_CreateArray();
        for (int j = 0; j < r->learned->s; j++)
            cJSON_AddItemToArray(bh, cJSON_CreateString(r->learned->bhat_exact[j] ? r->learned->bhat_exact[j] : "0"));
        cJSON_AddItemToObject(met, "learned_bhat", bh);
    }
    cJSON_AddItemToObject(met, "fit_residual", num_or_null(r->fit_resid));
    cJSON *ratio = cJSON_CreateObject();
    cJSON_AddItemToObject(ratio, "train", ratio_object(&r->train));
    cJSON_AddItemToObject(ratio, "fresh", ratio_object(&r->fresh));
    for (int b = 0; b < PAIRFIT_BUILTINS; b++)
        cJSON_AddItemToObject(ratio, r->builtin[b], ratio_object(&r->fresh_builtin[b]));
    cJSON_AddItemToObject(met, "estimate_over_true", ratio);
    cJSON *work = cJSON_CreateObject();
    for (int b = 0; b < PAIRFIT_BUILTINS; b++) {
        cJSON *a = cJSON_CreateArray();
        for (int k = 0; k < 3; k++)
            cJSON_AddItemToArray(a, num_or_null(r->work[b][k]));
        cJSON_AddItemToObject(work, r->builtin[b], a);
    }
    cJSON_AddItemToObject(met, "work_ratio_vs_builtin", work);
    cJSON_AddStringToObject(met, "best_builtin", r->best >= 0 ? r->builtin[r->best] : "");
    cJSON *per = cJSON_CreateArray();
    for (int k = 0; k < r->ntol; k++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "rtol", r->rtol[k]);
        cJSON_AddItemToObject(o, "nfev", num_or_null(r->nfev_tol[k]));
        cJSON_AddItemToObject(o, "error", num_or_null(r->err_tol[k]));
        cJSON_AddItemToObject(o, "work_ratio_vs_best", num_or_null(r->work_tol[k]));
        cJSON_AddItemToArray(per, o);
    }
    cJSON_AddItemToObject(met, "per_rtol", per);
    cJSON_AddNumberToObject(met, "fresh_members", r->fresh_members);
    cJSON_AddNumberToObject(met, "failed_runs", r->failed);
    cJSON_AddBoolToObject(met, "loses_to_best_builtin", r->loses);
    cJSON_AddBoolToObject(met, "fallback", r->fallback);
    cJSON_AddItemToObject(root, "metrics", met);
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}
