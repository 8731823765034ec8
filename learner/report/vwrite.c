/* vwrite.c - rkgen validate's output directory put together: every text,
 * script, picture and copied input goes into one output set, so a run
 * that fails anywhere (a bad --log, a full disk) leaves nothing behind. */
#include "vwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "plot.h"

/* Columns of the training log to plot: the iteration, then the training
 * and validation ratios if the log has them, else its first measure. */
static int log_columns(const char *text, plot_info *pi, char *names, size_t size)
{
    size_t n = strcspn(text, "\r\n");
    if (n == 0 || n >= size)
        return -1;
    memcpy(names, text, n);
    names[n] = '\0';
    const char *cols[32];
    int nc = 0;
    for (char *save = NULL, *c = strtok_r(names, ",", &save); c && nc < 32; c = strtok_r(NULL, ",", &save))
        cols[nc++] = c;
    if (nc < 2)
        return -1;
    pi->log_x = cols[0];
    pi->log_y1 = cols[1];
    pi->log_y2 = NULL;
    for (int i = 0; i < nc; i++) {
        if (strcmp(cols[i], "iteration") == 0)
            pi->log_x = cols[i];
        else if (strcmp(cols[i], "gamma_train") == 0)
            pi->log_y1 = cols[i];
        else if (strcmp(cols[i], "gamma_val") == 0)
            pi->log_y2 = cols[i];
    }
    return 0;
}

typedef struct page {
    const char *name[4], *caption[4];
    char *script[4];
    int n;
} page;

static int add_picture(page *pg, const char *name, const char *caption, char *script)
{
    pg->name[pg->n] = name;
    pg->caption[pg->n] = caption;
    pg->script[pg->n++] = script;
    return script ? 0 : -1;
}

/* An input copied into the output set, so the page stands alone. */
static int copy_in(rk_outset *o, const char *dir, const char *src, const char *name, char **text, rk_error *err)
{
    size_t len;
    char path[4096];
    *text = rk_read_file(src, 256u << 20, &len, err);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return *text && rk_outset_add(o, path, *text, len, NULL, err) == 0 ? 0 : -1;
}

static int add_text(rk_outset *o, const char *dir, const char *name, const char *text, rk_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!text) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    return rk_outset_add(o, path, text, strlen(text), NULL, err);
}

/* Runs gnuplot on every script in the set's directory; 1 if all rendered. */
static int render(rk_outset *o, const char *dir, const page *pg, const char **unrendered, rk_error *err)
{
    if (!plot_have_gnuplot())
        return 0;
    for (int i = 0; i < pg->n; i++) {
        char gp[128], svg[128];
        size_t len;
        snprintf(gp, sizeof gp, "%s.gp", pg->name[i]);
        snprintf(svg, sizeof svg, "%s.svg", pg->name[i]);
        char *text = plot_render(o->dir, gp, &len);
        if (!text) {
            *unrendered = pg->name[i];
            return 0;
        }
        int r = add_text(o, dir, svg, text, err);
        free(text);
        if (r != 0)
            return -1;
    }
    return 1;
}

static int build_page(const vreport_files *io, rk_outset *o, plot_info *pi, page *pg, char **inputs, char *cols,
                      rk_error *err)
{
    const char *dir = io->dir;
    int r = add_picture(pg, "error_vs_h", "Error against step size", plot_error_vs_h(pi));
    r |= add_picture(pg, "work_precision", "Work-precision", plot_work_precision(pi));
    if (r == 0 && io->log) {
        if (copy_in(o, dir, io->log, "training.csv", &inputs[0], err) != 0)
            return -1;
        if (log_columns(inputs[0], pi, cols, 4096) != 0) {
            rk_error_set(err, "%s: expected a CSV file with a header line of at least two columns", io->log);
            return -1;
        }
        r |= add_picture(pg, "training", "Training curve", plot_training(pi));
    }
    if (r == 0 && io->stability) {
        if (copy_in(o, dir, io->stability, "stability.csv", &inputs[1], err) != 0)
            return -1;
        r |= add_picture(pg, "stability", "Stability region", plot_stability(pi));
    }
    for (int i = 0; r == 0 && i < pg->n; i++) {
        char name[128];
        snprintf(name, sizeof name, "%s.gp", pg->name[i]);
        r = add_text(o, dir, name, pg->script[i], err);
    }
    if (r != 0 && !err->text[0])
        rk_error_set(err, "out of memory");
    return r;
}

int vreport_write(const vreport_info *info, const sweep_result *r, const vreport_files *io,
                  const char **unrendered, rk_error *err)
{
    rk_outset o;
    vreport_info vi = *info;
    plot_info pi = {.stepper = vi.stepper, .family = vi.family, .m = vi.m, .nm = vi.nm,
                    .train_lo = vi.train_lo, .train_hi = vi.train_hi};
    page pg = {{0}, {0}, {0}, 0};
    char *inputs[2] = {NULL, NULL}, cols[4096];
    char *texts[3] = {NULL, NULL, NULL};
    const char *dir = io->dir;
    *unrendered = NULL;
    vi.rendered = 0;
    if (rk_outset_open(&o, dir, err) != 0)
        return -1;
    texts[0] = vreport_sweep_csv(&vi, r);
    texts[1] = vreport_summary_csv(&vi, r);
    int status = add_text(&o, dir, "sweep.csv", texts[0], err) != 0 ||
                 add_text(&o, dir, "summary.csv", texts[1], err) != 0 ||
                 build_page(io, &o, &pi, &pg, inputs, cols, err) != 0 ? -1 : 0;
    if (status == 0 && (vi.rendered = render(&o, dir, &pg, unrendered, err)) < 0)
        status = -1;
    vi.pictures = pg.name;
    vi.captions = pg.caption;
    vi.npictures = pg.n;
    if (status == 0 && (add_text(&o, dir, "report.md", texts[2] = vreport_page(&vi, r), err) != 0 ||
                        rk_outset_commit(&o, err) != 0))
        status = -1;
    if (status != 0)
        rk_outset_abort(&o);
    for (int i = 0; i < pg.n; i++)
        free(pg.script[i]);
    for (int i = 0; i < 3; i++)
        free(texts[i]);
    free(inputs[0]);
    free(inputs[1]);
    return status != 0 ? -1 : vi.rendered;
}
