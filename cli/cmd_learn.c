/* cmd_learn.c - rkgen learn: train a tableau for a family. */
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"
#include "learn.h"
#include "learn_pair.h"
#include "learn_stab.h"
#include "pipeline.h"
#include "tableau.h"

void help_learn(void)
{
    printf("Usage: rkgen learn FAMILY.ode --stages S --order P [options]\n"
           "Train an explicit S-stage Runge-Kutta tableau for the family.  Every classical\n"
           "order condition up to P holds exactly (in MPFR at the end), so the method has\n"
           "order P on every problem; the rest of its freedom is tuned to the family.\n"
           "Training starts from the built-in S-stage methods of order P and from points\n"
           "spread over all S-stage methods of order P; the loss is the error at the\n"
           "horizon divided by that of a classical method of order P.  The result is never\n"
           "worse on the validation members than the best built-in S-stage method of\n"
           "order >= P (the baseline): when nothing beats it by more than the noise, the\n"
           "baseline itself is written, named, and the run still succeeds.  The summary\n"
           "gives the ratios against every S-stage built-in on fresh members, with 90%%\n"
           "confidence intervals, in the step range and a decade below and above it.\n"
           "When the family's steps times the spectral radius of its Jacobian reach more\n"
           "than twice the real stability interval of every classical method with at most\n"
           "S stages (diffusion, stiff linear parts), stability and not accuracy caps them:\n"
           "then the result is an S-stage method of order P <= 2 in a many-stage form,\n"
           "designed for the longest real interval with a damping chosen by its error on\n"
           "the family (docs/stabilized.md); the summary says why.\n\n"
           "  -s, --stages S          stages, 1..16 for a tableau, up to 512 for a many-stage method\n"
           "  -p, --order P           classical order, at most what S stages allow (3 stages:\n"
           "                          3, 5: 4, 6: 5, 7: 6, 9: 7)\n"
           "  -o, --out FILE.json     the tableau (default: FAMILY_sS_pP.json)\n"
           "      --emit DIR          also write its stepper .c/.h into DIR\n"
           "      --seed N            seed for every random draw (default 1)\n"
           "      --samples N         training members (default 3000)\n"
           "      --val-samples N     validation members, disjoint (default 1000)\n"
           "      --fresh-samples N   fresh members the summary is measured on (default 1000)\n"
           "      --trade-order       do not hold the order conditions: the method may give up\n"
           "                          order for accuracy in the range, and then loses below it\n"
           "                          (the summary says from which step on; docs/learn.md)\n"
           "      --keep-order K      hold the classical conditions up to K <= P only\n"
           "      --family-order Q    make the method exactly of order Q on the family:\n"
           "                          the regularizer of order Q, then a projection onto\n"
           "                          its conditions (e.g. 3 with 2 stages on square); P may\n"
           "                          then exceed the barrier, which holds for the classical\n"
           "                          order only\n"
           "      --objective KIND    global (default: the error at the horizon, what users\n"
           "                          measure), onestep (the paper's scaled one-step loss)\n"
           "                          or taylor (the Taylor regularizer alone)\n"
           "      --unroll N          onestep: train on N consecutive steps (default 1)\n"
           "      --mu X              weight of the paper's Taylor regularizer (default 0)\n"
           "      --stability-weight W  penalise |R(z)| > 1 at z = h * eigenvalues of the\n"
           "                          Jacobian at the training members (paper 001)\n");
    printf("      --survive T         the method must stay bounded T time units beyond the\n"
           "                          horizon at each member's step (runs from the true\n"
           "                          end states): starts, steps and the kept method are\n"
           "                          chosen by the fewest blow-ups first\n"
           "      --survive-search N  --survive with --trade-order: before training, the best\n"
           "                          screened candidates are moved by an evolution strategy\n"
           "                          of N scores each towards fewer blow-ups (default 1500;\n"
           "                          0: no search)\n"
           "      --survive-starts M  candidates searched (default 8); the best\n"
           "                          --restarts + 1 of them are trained\n"
           "      --train-below F     F x samples more training members at a step one decade\n"
           "                          below the family's range, each weighing 3 (default 0.1;\n"
           "                          0: the range alone)\n"
           "      --polish            with --trade-order, also make the order the trained\n"
           "                          method has exact (the kept order always is)\n"
           "      --optimizer KIND    lm (Levenberg-Marquardt, default), adam, lookahead\n"
           "      --iters N           iterations per start (default 60)\n"
           "      --screen N          candidates screened for the starts (default 256: a\n"
           "                          16 x 16 grid over the nodes where the methods of order\n"
           "                          P have a closed form, else random tableaux projected\n"
           "                          onto the conditions; scored once each)\n"
           "      --restarts N        starts trained besides the first (default 1; the first is\n"
           "                          the baseline where it lies on the closed form)\n"
           "      --lr X              Adam's learning rate (default 0.1)\n"
           "      --lr-decay N        Adam: lr x0.1 every N iterations (default 300)\n"
           "      --weights KIND      free (default; negative weights allowed) or softmax\n"
           "      --ratio-lim X       stop training when the training ratio falls below X\n"
           "      --val-every K       also validate through the JIT every K iterations\n"
           "      --log FILE.csv      training curve: start, iteration, criterion, gamma_train,\n"
           "                          gamma_val (when measured), seconds\n"
           "      --embedded Q        also learn embedded weights bhat of order Q < P for the\n"
           "                          learned method (an FSAL stage is added when it has\n"
           "                          none) so that the error estimate tracks the true local\n"
           "                          error on the family; the pair is judged by f evaluations\n"
           "                          at equal achieved error against bs3, dopri5, tsit5,\n"
           "                          cashkarp and fehlberg45, and the best of them is the\n"
           "                          result when it needs fewer (docs/learn.md)\n"
           "      --main TABLEAU      with --embedded: learn bhat for this method (a built-in\n"
           "                          such as dopri5, or a JSON file) instead of training one;\n"
           "                          --stages and --order are then its own\n"
           "      --pair-samples N    --embedded: training members for bhat (default 200)\n"
           "      --pair-points N     --embedded: steps fitted per member (default 16)\n"
           "      --pair-fresh N      --embedded: fresh members it is judged on (default 50)\n"
           "      --span T            --embedded: members run over [0, T] (default 10 x the\n"
           "                          family's horizon)\n"
           "      --stabilized        a many-stage method even where classical\n"
           "                          methods are stable\n"
           "      --keep-learned      --embedded: write the learned pair even when a built-in\n"
           "                          pair needs fewer evaluations\n"
           "  -q, --quiet             no progress line\n"
           "  -h, --help              this text\n\n"
           "Ctrl-C stops training and still writes the best tableau so far.\n"
           "Exit status: 0 learned (or the baseline kept), 1 training diverged or polishing\n"
           "failed, 2 bad usage or input (an order beyond the barrier among them).\n");
}

typedef struct learn_args {
    learn_config c;
    pairfit_config pc;
    const char *family, *out, *emit_dir, *main_spec;
    int stabilized;
} learn_args;

enum { O_EMIT = 256, O_SEED, O_SAMPLES, O_VAL, O_OBJ, O_UNROLL, O_OPT, O_ITERS, O_RESTARTS,
       O_LR, O_DECAY, O_WEIGHTS, O_RATIO, O_VALEVERY, O_LOG, O_LOSS, O_MU, O_SCREEN, O_FORDER, O_KEEP, O_STAB, O_POLISH, O_BELOW, O_SURVIVE, O_SSEARCH, O_SSTARTS, O_TRADE, O_FRESH,
       O_EMBEDDED, O_MAIN, O_PSAMPLES, O_PPOINTS, O_PFRESH, O_SPAN, O_KEEPLEARNED, O_STABILIZED };

static int int_arg(const char *opt, const char *s, long lo, long hi, int *out)
{
    unsigned long v;
    if (parse_ulong(s, &v) != 0 || (long)v < lo || (long)v > hi)
        return usage_error("learn", "%s takes a whole number from %ld to %ld, not '%s'", opt, lo, hi, s);
    *out = (int)v;
    return 0;
}

static int pos_arg(const char *opt, const char *s, double *out)
{
    if (parse_double(s, out) != 0 || *out < 0)
        return usage_error("learn", "%s takes a number >= 0, not '%s'", opt, s);
    return 0;
}

static int choice(const char *opt, const char *s, const char *const *names, int n, int *out)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
    return usage_error("learn", "%s: unknown choice '%s'", opt, s);
}

static int option(int ch, const char *arg, learn_args *a)
{
    static const char *const objectives[] = {"global", "onestep", "taylor"};
    static const char *const optimizers[] = {"lm", "adam", "lookahead"};
    static const char *const weights[] = {"free", "softmax"};
    static const char *const losses[] = {"geomean", "scaled"};
    learn_config *c = &a->c;
    unsigned long seed;
    int k = 0, st = 0;
    switch (ch) {
    case 's': return int_arg("--stages", arg, 1, STAB_MAX_STAGES, &c->stages);
    case 'p': return int_arg("--order", arg, 1, 12, &c->order);
    case 'o': a->out = arg; return 0;
    case 'q': c->quiet = 1; return 0;
    case O_EMIT: a->emit_dir = arg; return 0;
    case O_STABILIZED: a->stabilized = 1; return 0;
    case O_SEED:
        if (parse_ulong(arg, &seed) != 0)
            return usage_error("learn", "--seed takes a whole number, not '%s'", arg);
        c->seed = seed;
        return 0;
    case O_SAMPLES: return int_arg("--samples", arg, 1, 1000000, &c->samples);
    case O_VAL: return int_arg("--val-samples", arg, 1, 1000000, &c->val_samples);
    case O_UNROLL: return int_arg("--unroll", arg, 1, 10000, &c->unroll);
    case O_ITERS: return int_arg("--iters", arg, 0, 10000000, &c->iters);
    case O_RESTARTS: return int_arg("--restarts", arg, 0, 1000, &c->restarts);
    case O_FORDER: return int_arg("--family-order", arg, 1, 12, &c->family_order);
    case O_KEEP: return int_arg("--keep-order", arg, 1, 12, &c->keep_order);
    case O_STAB: return pos_arg("--stability-weight", arg, &c->stability_weight);
    case O_POLISH: c->polish = 2; return 0;
    case O_TRADE: c->trade_order = 1; return 0;
    case O_FRESH: return int_arg("--fresh-samples", arg, 0, 1000000, &c->fresh_samples);
    case O_BELOW: return pos_arg("--train-below", arg, &c->train_below);
    case O_SURVIVE: return pos_arg("--survive", arg, &c->survive);
    case O_SSEARCH: return int_arg("--survive-search", arg, 0, 10000000, &c->survive_search);
    case O_SSTARTS: return int_arg("--survive-starts", arg, 1, 1000, &c->survive_starts);
    case O_SCREEN: return int_arg("--screen", arg, 1, 100000, &c->screen);
    case O_DECAY: return int_arg("--lr-decay", arg, 0, 10000000, &c->lr_decay);
    case O_VALEVERY: return int_arg("--val-every", arg, 0, 10000000, &c->val_every);
    case O_LR: return pos_arg("--lr", arg, &c->lr);
    case O_RATIO: return pos_arg("--ratio-lim", arg, &c->ratio_lim);
    case O_MU: return pos_arg("--mu", arg, &c->mu);
    case O_LOG: c->log_path = arg; return 0;
    case O_EMBEDDED: return int_arg("--embedded", arg, 1, 12, &a->pc.embedded);
    case O_MAIN: a->main_spec = arg; return 0;
    case O_KEEPLEARNED: a->pc.keep_learned = 1; return 0;
    case O_PSAMPLES: return int_arg("--pair-samples", arg, 1, 1000000, &a->pc.samples);
    case O_PPOINTS: return int_arg("--pair-points", arg, 1, 100000, &a->pc.points);
    case O_PFRESH: return int_arg("--pair-fresh", arg, 2, 1000000, &a->pc.fresh);
    case O_SPAN:
        if (parse_double(arg, &a->pc.span) != 0 || !(a->pc.span > 0))
            return usage_error("learn", "--span takes a number > 0, not '%s'", arg);
        return 0;
    case O_OBJ: st = choice("--objective", arg, objectives, 3, &k); c->objective = (objective_kind)k; return st;
    case O_OPT: st = choice("--optimizer", arg, optimizers, 3, &k); c->optimizer = (optimizer_kind)k; return st;
    case O_LOSS: st = choice("--loss", arg, losses, 2, &k); c->loss = (loss_kind)k; return st;
    case O_WEIGHTS: st = choice("--weights", arg, weights, 2, &k); c->weights = (weights_kind)k; return st;
    default: return usage_error("learn", "unknown option");
    }
}

static int parse_args(int argc, char **argv, learn_args *a)
{
    static const struct option opts[] = {
        {"stages", required_argument, 0, 's'}, {"order", required_argument, 0, 'p'},
        {"out", required_argument, 0, 'o'}, {"emit", required_argument, 0, O_EMIT},
        {"seed", required_argument, 0, O_SEED}, {"samples", required_argument, 0, O_SAMPLES},
        {"val-samples", required_argument, 0, O_VAL}, {"objective", required_argument, 0, O_OBJ},
        {"unroll", required_argument, 0, O_UNROLL}, {"optimizer", required_argument, 0, O_OPT},
        {"iters", required_argument, 0, O_ITERS}, {"restarts", required_argument, 0, O_RESTARTS},
        {"lr", required_argument, 0, O_LR}, {"lr-decay", required_argument, 0, O_DECAY},
        {"weights", required_argument, 0, O_WEIGHTS}, {"ratio-lim", required_argument, 0, O_RATIO},
        {"val-every", required_argument, 0, O_VALEVERY}, {"loss", required_argument, 0, O_LOSS}, {"mu", required_argument, 0, O_MU}, {"screen", required_argument, 0, O_SCREEN},
        {"family-order", required_argument, 0, O_FORDER},
        {"keep-order", required_argument, 0, O_KEEP}, {"polish", no_argument, 0, O_POLISH},
        {"trade-order", no_argument, 0, O_TRADE}, {"fresh-samples", required_argument, 0, O_FRESH},
        {"train-below", required_argument, 0, O_BELOW}, {"stability-weight", required_argument, 0, O_STAB},
        {"survive", required_argument, 0, O_SURVIVE},
        {"survive-search", required_argument, 0, O_SSEARCH},
        {"survive-starts", required_argument, 0, O_SSTARTS}, {"log", required_argument, 0, O_LOG},
        {"embedded", required_argument, 0, O_EMBEDDED}, {"main", required_argument, 0, O_MAIN},
        {"pair-samples", required_argument, 0, O_PSAMPLES}, {"pair-points", required_argument, 0, O_PPOINTS},
        {"pair-fresh", required_argument, 0, O_PFRESH}, {"span", required_argument, 0, O_SPAN},
        {"keep-learned", no_argument, 0, O_KEEPLEARNED}, {"stabilized", no_argument, 0, O_STABILIZED},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int ch, have_s = 0, have_p = 0;
    memset(a, 0, sizeof *a);
    learn_defaults(&a->c);
    pairfit_defaults(&a->pc);
    while ((ch = getopt_long(argc, argv, "s:p:o:qh", opts, NULL)) != -1) {
        if (ch == 'h') {
            help_learn();
            return -1;
        }
        have_s |= ch == 's';
        have_p |= ch == 'p';
        if (option(ch, optarg, a) != 0)
            return EXIT_USAGE;
    }
    if (optind + 1 != argc)
        return usage_error("learn", optind == argc ? "missing FAMILY.ode" : "expected one family file");
    if (a->main_spec && !a->pc.embedded)
        return usage_error("learn", "--main is the main method of a pair: give --embedded Q");
    if (a->main_spec && (have_s || have_p))
        return usage_error("learn", "--main %s brings its own stages and order: drop --stages and --order",
                           a->main_spec);
    if (!a->main_spec && (!have_s || !have_p))
        return usage_error("learn", "give the number of stages and the target order: --stages S --order P");
    if (a->pc.embedded && a->stabilized)
        return usage_error("learn", "--embedded and --stabilized: a many-stage method has no embedded pair");
    if (a->pc.embedded && !a->main_spec && a->c.stages > RK_MAX_STAGES)
        return usage_error("learn", "--embedded with %d stages: a pair is a tableau of at most %d",
                           a->c.stages, RK_MAX_STAGES);
    if (a->pc.embedded && !a->main_spec && a->pc.embedded >= a->c.order)
        return usage_error("learn", "--embedded %d: the embedded order must be below the main order %d (the "
                           "estimate is the lower-order method's error)", a->pc.embedded, a->c.order);
    a->pc.seed = a->c.seed;
    a->family = argv[optind];
    return 0;
}

static volatile int stop_requested;

/* The first Ctrl-C asks training to stop and keep the best so far; a
 * second one ends the program (temporaries removed by main's handler). */
static void on_interrupt(int sig)
{
    (void)sig;
    stop_requested = 1;
    signal(SIGINT, SIG_DFL);
}

static int write_tableau(const rk_tableau *t, const char *path)
{
    char *json = tableau_to_json(t);
    rk_error err = {{0}};
    if (!json)
        return report("learn", "cannot write the tableau: out of memory", EXIT_USAGE);
    int st = rk_write_file(path, json, strlen(json), &err) == 0 ? EXIT_OK : report("learn", err.text, EXIT_USAGE);
    free(json);
    return st;
}

static int emit_stepper_files(const rk_family *f, const rk_tableau *t, const char *dir, int adaptive)
{
    emit_opts o = {{0}, 0};
    stepper_build b;
    rk_error err = {{0}};
    /* the tableau's name already says the family: square-s2-p3 -> square_s2_p3 */
    if (!emit_prefix_from_name(t->name, o.prefix) && emit_default_prefix(f, t, o.prefix, &err) != 0)
        return report("learn", err.text, EXIT_USAGE);
    int st = adaptive ? solver_prepare(f, t, &o, dir, &b, &err) : stepper_prepare(f, t, &o, dir, &b, &err);
    if (st == 0)
        st = stepper_commit(&b, &err);
    if (st != 0)
        return report("learn", err.text, st);
    printf("wrote %s and %s\n", b.hpath, b.cpath);
    return EXIT_OK;
}

static const char *const band_name[NBANDS] = {"a decade below", "in range", "a decade above"};

/* The fresh-member table: one row per classical method, one column per
 * step band, each a ratio with its 90% interval. */
static void fresh_table(const learn_metrics *m)
{
    printf("  on %d fresh members (%d of them below and above), error ratio [90%% CI] (below 1:\n"
           "  the result is better):\n", m->fresh_members, m->fresh_members / 4 > 0 ? m->fresh_members / 4 : m->fresh_members);
    printf("    %-10s", "vs");
    for (int b = 0; b < NBANDS; b++)
        printf("  %-24s", band_name[b]);
    printf("\n");
    for (int k = 0; k < m->nclassical; k++) {
        printf("    %-10s", m->classical[k]);
        for (int b = 0; b < NBANDS; b++) {
            char cell[64];
            snprintf(cell, sizeof cell, "%.3g [%.3g, %.3g]", m->fresh_ratio[b][k], m->fresh_ci[b][k][0],
                     m->fresh_ci[b][k][1]);
            printf("  %-24s", cell);
        }
        printf("%s\n", k == m->baseline_k ? "  (baseline)" : "");
    }
    if (m->fresh_blown[BAND_ABOVE] > 0 || m->fresh_blown[BAND_RANGE] > 0)
        printf("    the result blows up on %d in range and %d above (left out of the ratios)\n",
               m->fresh_blown[BAND_RANGE], m->fresh_blown[BAND_ABOVE]);
}

static void summary(const rk_tableau *t, const learn_metrics *m, const char *path)
{
    char order[64];
    if (m->order_kept > 0)
        snprintf(order, sizeof order, "classical order %d%s", m->order_kept, m->polished ? " (exact)" : "");
    else
        snprintf(order, sizeof order, "order not held (--trade-order)");
    printf("%s: %d stages, %s; gamma_train %.4g, gamma_val %.4g (vs %s; truth: %s)%s\n",
           t->name, t->s, order,
           m->gamma_train, m->gamma_val, m->reference, m->truth, m->interrupted ? " [interrupted: best so far]" : "");
    if (m->polished)
        printf("  polished onto classical order %d%s: coefficients moved by at most %.3g\n", m->polish_order,
               m->polish_family_order ? " and the family order" : "", m->polish_moved);
    if (m->baseline_k >= 0 && m->fallback)
        printf("  on this family no %d-stage method of order %d beats %s: %.3g [%.3g, %.3g] on validation;\n"
               "  %s itself is the result\n", t->s, m->order_kept, m->baseline, m->baseline_ratio,
               m->baseline_ci[0], m->baseline_ci[1], m->baseline);
    else if (m->baseline_k >= 0)
        printf("  baseline %s (the best %d-stage built-in of order >= %d here): validation ratio %.3g [%.3g, %.3g]\n",
               m->baseline, t->s, m->order_kept, m->baseline_ratio, m->baseline_ci[0], m->baseline_ci[1]);
    if (m->fresh_members > 0) {
        fresh_table(m);
        printf("  observed order %.2f (fresh members, a decade below the range to the range)\n", m->observed_order);
        if (m->baseline_k >= 0)
            printf("  vs %s: %.3g on the training members, %.3g fresh (gap %+.1f%%)\n", m->baseline,
                   m->train_ratio, m->fresh_ratio[BAND_RANGE][m->baseline_k], 100 * m->gap);
    }
    if (m->order_kept == 0 && m->baseline_k >= 0 && !m->fallback && isfinite(m->crossover_h)) {
        if (m->crossover_h > 0)
            printf("  it loses to %s below h = %.3g (traded order; without --trade-order it would not)\n",
                   m->baseline, m->crossover_h);
        else
            printf("  it does not lose to %s down to 30 times below the range\n", m->baseline);
    }
    if (m->blown_val > 0) {
        printf("  blow-ups on the validation members: result %d", m->blown_val);
        for (int k = 0; k < m->nclassical; k++)
            printf(", %s %d", m->classical[k], m->blown_classical[k]);
        printf(" (ratios leave those members out)\n");
    }
    if (m->survival_members > 0) {
        printf("  blow-ups within --survive in %d runs (%d validation members, each at its own\n"
               "  step and the range's smallest and largest): result %d",
               3 * m->survival_members, m->survival_members, m->survival_blown);
        for (int k = 0; k < m->nclassical; k++)
            printf(", %s %d", m->classical[k], m->survival_classical[k]);
        printf("\n");
    }
    if (path)
        printf("  %.1f s; wrote %s\n", m->seconds, path);
    else
        printf("  %.1f s; kept as the main method of the pair\n", m->seconds);
}

/* The progress line, on a terminal only. */
static void show_progress(void *ctx, const learn_progress *p)
{
    (void)ctx;
    if (p->phase == LEARN_SCREEN)
        fprintf(stderr, "\rscreening %d/%d candidates  %.0fs   ", p->done, p->total, p->seconds);
    else if (p->phase == LEARN_SEARCH)
        fprintf(stderr, "\rsurvival search %d/%d  part lost %.3g  %.0fs   ", p->done, p->total, p->gamma_train,
                p->seconds);
    else
        fprintf(stderr, "\rstart %d/%d  iter %4d  gamma_train %.4g  best gamma_val %.4g  ETA %.0fs   ",
                p->start + 1, p->starts, p->done, p->gamma_train, p->best_gamma_val, p->eta);
}

/* --embedded: the main method given or learned (its summary first),
 * then bhat for it; the pair, or the best built-in pair, is written. */
static int learn_embedded(learn_args *a, const rk_family *f, const char *path)
{
    rk_tableau *main = NULL, *pair = NULL;
    char *record = NULL;
    rk_error err = {{0}};
    int status = EXIT_OK;
    if (a->main_spec) {
        main = load_tableau("learn", a->main_spec);
        if (!main)
            return EXIT_USAGE;
    } else {
        learn_metrics m;
        int shown = !a->c.quiet && isatty(2);
        if (shown)
            a->c.progress = show_progress;
        status = learn_run(f, &a->c, &main, &m, &err);
        if (shown)
            fprintf(stderr, "\n");
        if (status != 0) {
            report("learn", err.text, status);
            fprintf(stderr, "rkgen learn: no tableau was written\n");
            return status;
        }
        if (m.polish_error[0]) {
            report("learn", m.polish_error, EXIT_CHECK);
            fprintf(stderr, "rkgen learn: polishing failed, so no pair can check exactly; no tableau was written\n");
            tableau_free(main);
            return EXIT_CHECK;
        }
        record = learn_metadata(f, &a->c, &m);
        summary(main, &m, NULL);
    }
    status = learn_pair(f, main, record, &a->pc, path, &pair);
    if (status == EXIT_OK && a->emit_dir)
        status = emit_stepper_files(f, pair, a->emit_dir, 1);
    tableau_free(pair);
    tableau_free(main);
    free(record);
    return status;
}

int cmd_learn(int argc, char **argv)
{
    learn_args a;
    int status = parse_args(argc, argv, &a);
    if (status != 0)
        return status < 0 ? EXIT_OK : status;
    rk_family *f = load_family("learn", a.family);
    if (!f)
        return EXIT_USAGE;
    char path[4096];
    if (a.out)
        snprintf(path, sizeof path, "%s", a.out);
    else if (a.main_spec) {
        /* dopri5, or tableaux/x.json: x */
        const char *base = strrchr(a.main_spec, '/') ? strrchr(a.main_spec, '/') + 1 : a.main_spec;
        size_t n = strlen(base);
        n -= n > 5 && strcmp(base + n - 5, ".json") == 0 ? 5 : 0;
        snprintf(path, sizeof path, "%s_%.*s_e%d.json", f->name, (int)n, base, a.pc.embedded);
    }
    else if (a.pc.embedded)
        snprintf(path, sizeof path, "%s_s%d_p%d_e%d.json", f->name, a.c.stages, a.c.order, a.pc.embedded);
    else
        snprintf(path, sizeof path, "%s_s%d_p%d.json", f->name, a.c.stages, a.c.order);
    stop_requested = 0;
    a.c.stop = &stop_requested;
    signal(SIGINT, on_interrupt);
    if (a.pc.embedded) {
        status = learn_embedded(&a, f, path);
        family_free(f);
        return status;
    }
    /* steps beyond every classical method's stability: a many-stage
     * method in a many-stage form, not a tableau */
    stabchoice_config sc = {a.c.stages, a.c.order, a.stabilized, a.c.seed, 0, 0, 0};
    int handled;
    status = learn_stab(f, &sc, path, a.emit_dir, a.c.quiet, &handled);
    if (handled) {
        family_free(f);
        return status;
    }
    rk_tableau *t = NULL;
    learn_metrics m;
    rk_error err = {{0}};
    int shown = !a.c.quiet && isatty(2);
    if (shown)
        a.c.progress = show_progress;
    status = learn_run(f, &a.c, &t, &m, &err);
    if (shown)
        fprintf(stderr, "\n");
    if (status != 0) {
        report("learn", err.text, status);
        fprintf(stderr, "rkgen learn: no tableau was written\n");
    } else {
        /* the record replaces what polishing noted */
        free(t->metadata_json);
        t->metadata_json = learn_metadata(f, &a.c, &m);
        int polished = EXIT_OK;
        if (m.polish_error[0]) {
            report("learn", m.polish_error, EXIT_CHECK);
            fprintf(stderr, "rkgen learn: polishing failed; the trained (unpolished) tableau is written\n");
            polished = EXIT_CHECK;
        }
        status = write_tableau(t, path);
        if (status == 0)
            summary(t, &m, path);
        if (status == 0 && a.emit_dir)
            status = emit_stepper_files(f, t, a.emit_dir, 0);
        if (status == 0)
            status = polished;
    }
    tableau_free(t);
    family_free(f);
    return status;
}
