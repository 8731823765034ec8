/* plot.c - the gnuplot scripts of plot.h, and gnuplot run on them in the
 * output directory without a shell between, so a directory name from
 * --out is never parsed as a command. */
#include "plot.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "strbuf.h"

static void head(strbuf *b, const char *title, const char *xlabel, const char *ylabel)
{
    sb_printf(b, "# Rendered by rkgen validate; by hand: gnuplot THIS.gp > THIS.svg\n"
                 "set terminal svg size 860,600 dynamic enhanced font \"sans,13\" background \"white\"\n"
                 "set datafile separator \",\"\n"
                 "set title \"%s\" noenhanced\n"
                 "set xlabel \"%s\"\nset ylabel \"%s\"\n"
                 "set grid\nset key inside bottom right opaque box noenhanced\n",
              title, xlabel, ylabel);
}

/* The stepper thick and first, the classical methods after it. */
static void series(strbuf *b, const plot_info *pi, const char *xcol_prefix)
{
    sb_puts(b, "plot ");
    for (int k = 0; k < pi->nm; k++) {
        char x[RK_NAME_MAX + 8];
        if (xcol_prefix)
            snprintf(x, sizeof x, "%s%s", xcol_prefix, pi->m[k].name);
        else
            snprintf(x, sizeof x, "h");
        sb_printf(b, "%s\"sweep.csv\" using \"%s\":\"err_%s\" with linespoints lw %d pt %d title \"%s%s\"",
                  k ? ", \\\n     " : "", x, pi->m[k].name, k ? 1 : 3, k ? 6 + k : 7, pi->m[k].name,
                  k ? "" : " (this stepper)");
    }
    sb_puts(b, "\n");
}

char *plot_error_vs_h(const plot_info *pi)
{
    strbuf b;
    char title[256];
    sb_init(&b);
    snprintf(title, sizeof title, "%s on %s: global error against step size", pi->stepper, pi->family);
    head(&b, title, "step size h", "error at the horizon (geometric mean over members)");
    sb_puts(&b, "set logscale xy\nset format x \"10^{%L}\"\nset format y \"10^{%L}\"\n");
    /* the family's own step range, where a learned tableau was trained */
    sb_printf(&b, "set object 1 rect from %.17g, graph 0 to %.17g, graph 1 fc rgb \"#e8eef8\" fs solid noborder behind\n"
                  "set label 1 \"family's h\" at %.17g, graph 0.04 font \"sans,10\"\n",
              pi->train_lo, pi->train_hi, pi->train_lo);
    series(&b, pi, NULL);
    return sb_take(&b);
}

char *plot_work_precision(const plot_info *pi)
{
    strbuf b;
    char title[256];
    sb_init(&b);
    snprintf(title, sizeof title, "%s on %s: work-precision", pi->stepper, pi->family);
    head(&b, title, "evaluations of f per member", "error at the horizon (geometric mean over members)");
    sb_puts(&b, "set logscale xy\nset format x \"10^{%L}\"\nset format y \"10^{%L}\"\n");
    series(&b, pi, "evals_");
    return sb_take(&b);
}

char *plot_training(const plot_info *pi)
{
    strbuf b;
    char title[256];
    sb_init(&b);
    snprintf(title, sizeof title, "training curve of %s", pi->stepper);
    head(&b, title, pi->log_x, "value");
    sb_puts(&b, "set logscale y\n");
    sb_printf(&b, "plot \"training.csv\" using \"%s\":\"%s\" with points pt 7 ps 0.4 title \"%s\"", pi->log_x,
              pi->log_y1, pi->log_y1);
    if (pi->log_y2)
        sb_printf(&b, ", \\\n     \"training.csv\" using \"%s\":\"%s\" with points pt 9 ps 0.8 title \"%s\"",
                  pi->log_x, pi->log_y2, pi->log_y2);
    sb_puts(&b, "\n");
    return sb_take(&b);
}

char *plot_stability(const plot_info *pi)
{
    strbuf b;
    char title[256];
    sb_init(&b);
    snprintf(title, sizeof title, "stability region of %s (boundary |R(z)| = 1)", pi->stepper);
    head(&b, title, "Re(h lambda)", "Im(h lambda)");
    sb_puts(&b, "set size ratio -1\nset xzeroaxis\nset yzeroaxis\nset key off\n"
                "plot \"stability.csv\" using \"re\":\"im\" with points pt 7 ps 0.25 lc rgb \"#1f4e9c\"\n");
    return sb_take(&b);
}

int plot_have_gnuplot(void)
{
    int st = system("command -v gnuplot >/dev/null 2>&1");
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* gnuplot in dir with its stdout in a pipe, without a shell between. */
static pid_t spawn(const char *dir, const char *script, int *fd)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], STDOUT_FILENO);
        /* a failed render is reported by the caller, once */
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, STDERR_FILENO);
        close(p[0]);
        close(p[1]);
        if (chdir(dir) == 0)
            execlp("gnuplot", "gnuplot", script, (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        return -1;
    }
    *fd = p[0];
    return pid;
}

char *plot_render(const char *dir, const char *script, size_t *len)
{
    int fd, st;
    pid_t pid = spawn(dir, script, &fd);
    if (pid < 0)
        return NULL;
    strbuf b;
    char buf[8192];
    ssize_t n;
    sb_init(&b);
    while ((n = read(fd, buf, sizeof buf)) > 0)
        sb_putn(&b, buf, (size_t)n);
    close(fd);
    waitpid(pid, &st, 0);
    *len = b.len;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || b.len == 0) {
        sb_free(&b);
        return NULL;
    }
    return sb_take(&b);
}
