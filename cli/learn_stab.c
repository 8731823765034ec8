/* learn_stab.c - rkgen learn for families that need a many-stage method:
 * the choice (stabchoice.c), the file, the stepper and the summary. */
#include "learn_stab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fileio.h"
#include "pipeline.h"
#include "stab_emit.h"

static void summary(const rk_family *f, const stabchoice_result *r, const char *path)
{
    const rk_stab *m = r->method;
    printf("%s: %d stages, order %d, %s\n", m->name, stab_stages(m), m->order,
           m->form == STAB_CHEBYSHEV ? "in the Chebyshev form (three-term recurrence)"
                                     : "in ordered product form");
    printf("  why: %s\n", r->why);
    printf("  spectrum: rho up to %.6g over %d members (%s%s)\n", r->rho, r->spec.members,
           r->spec.exact ? "eigenvalues, x1.2" : "power method, x1.2",
           r->spec.gersh ? ", capped by Gershgorin" : "");
    printf("  designs for the longest real interval, by form and damping (error: geometric mean "
           "on %d training members):\n", r->samples);
    for (int k = 0; k < r->ncand; k++) {
        char err[32] = "-";
        if (isfinite(r->train_err[k]))
            snprintf(err, sizeof err, "%.4g", r->train_err[k]);
        printf("    %-9s eps %-5.3g beta %-10.6g error %-10s %s\n",
               r->form[k] == STAB_CHEBYSHEV ? "chebyshev" : "product", r->eps[k], r->beta[k], err,
               r->beta[k] < r->hrho ? "(interval too short)"
               : k == r->best   ? (r->tied ? "(kept: as accurate, longer interval)" : "(kept)")
                                : "");
    }
    printf("  on %d fresh members: error %.4g; against the longest-interval design (eps 0): "
           "%.3g [%.3g, %.3g] (90%% CI)\n", r->fresh, r->fresh_err, r->vs_widest.ratio,
           r->vs_widest.lo, r->vs_widest.hi);
    printf("  f evaluations to the horizon: %.4g a member, rk4 at its largest stable step %.4g "
           "(%.3gx)\n", r->nfev, r->nfev_rk4, r->nfev_rk4 / r->nfev);
    printf("  %.1f s; wrote %s\n", r->seconds, path);
    (void)f;
}

static int write_method(const rk_stab *m, const char *path)
{
    rk_error err = {{0}};
    char *json = stab_to_json(m);
    if (!json)
        return report("learn", "cannot write the method: out of memory", EXIT_USAGE);
    int st = rk_write_file(path, json, strlen(json), &err) == 0 ? EXIT_OK : report("learn", err.text, EXIT_USAGE);
    free(json);
    return st;
}

static int emit_method(const rk_family *f, const rk_stab *m, const char *dir)
{
    rk_error err = {{0}};
    emit_opts o = {{0}, 0};
    stepper_build b;
    /* the name already says the family: diffusion1d-s10-p2 -> diffusion1d_s10_p2 */
    if (!emit_prefix_from_name(m->name, o.prefix) && stab_default_prefix(f, m, o.prefix, &err) != 0)
        return report("learn", err.text, EXIT_USAGE);
    int st = stab_stepper_prepare(f, m, &o, dir, &b, &err);
    if (st == 0)
        st = stepper_commit(&b, &err);
    if (st != 0)
        return report("learn", err.text, st);
    printf("  wrote %s and %s (libtcc check: max difference %.3g ulps)\n", b.hpath, b.cpath,
           b.check.max_ulps);
    return EXIT_OK;
}

/* The name says the family; the description says why the form. */
static int name_method(const rk_family *f, const stabchoice_config *c, stabchoice_result *r)
{
    rk_stab *m = r->method;
    char text[1024];
    snprintf(m->name, sizeof m->name, "%.40s-s%d-p%d", f->name, c->stages, c->order);
    char chosen[96] = "the most accurate";
    if (r->tied)
        snprintf(chosen, sizeof chosen, "the longest interval as accurate as the most "
                 "accurate, to %g%% or to rounding", 100 * STABCHOICE_TIE);
    snprintf(text, sizeof text, "rkgen learn for %s: %s form, damping %.3g (%s; %d designs "
             "tried), interval %.6g for h rho up to %.6g; %s", f->name,
             m->form == STAB_CHEBYSHEV ? "Chebyshev" : "product", r->eps[r->best], chosen,
             r->ncand, m->beta, r->hrho, r->why);
    free(m->description);
    m->description = malloc(strlen(text) + 1);
    if (!m->description)
        return -1;
    strcpy(m->description, text);
    return 0;
}

int learn_stab(const rk_family *f, const stabchoice_config *c, const char *path,
               const char *emit_dir, int quiet, int *handled)
{
    stabchoice_result r;
    rk_error err = {{0}};
    int status = stabchoice_run(f, c, &r, &err);
    *handled = status != 0 || r.chosen;
    if (status != 0) {
        report("learn", err.text, status < 0 ? EXIT_USAGE : status);
        fprintf(stderr, "rkgen learn: nothing was written\n");
        stabchoice_free(&r);
        return status < 0 ? EXIT_USAGE : status;
    }
    if (!r.chosen) {
        stabchoice_free(&r);
        return EXIT_OK;
    }
    status = name_method(f, c, &r) == 0 ? write_method(r.method, path)
                                         : report("learn", "out of memory", EXIT_USAGE);
    if (status == EXIT_OK && !quiet)
        summary(f, &r, path);
    if (status == EXIT_OK && emit_dir)
        status = emit_method(f, r.method, emit_dir);
    stabchoice_free(&r);
    return status;
}
