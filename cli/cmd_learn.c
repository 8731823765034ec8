/* cmd_learn.c - rkgen learn: train a tableau for a family. */
#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fileio.h"
#include "learn.h"
#include "pipeline.h"
#include "polish.h"
#include "trees.h"

void help_learn(void)
{
    printf("Usage: rkgen learn FAMILY.ode --stages S --order P [options]\n"
           "Train an explicit S-stage Runge-Kutta tableau for the family: the strictly\n"
           "lower-triangular A and b (c = A*1, sum(b) = 1 exactly).  The loss is the\n"
           "error divided by that of a classical method of order P (kutta3 for P = 3,\n"
           "rk4 for 4, dopri5 for 5, the Taylor method beyond), on members drawn from\n"
           "the family.  The tableau kept is the one with the best validation ratio,\n"
           "measured on fresh members through its generated C compiled with libtcc.\n\n"
           "  -s, --stages S          stages, 1..16\n"
           "  -p, --order P           target order, 1..12\n"
           "  -o, --out FILE.json     the tableau (default: FAMILY_sS_pP.json)\n"
           "      --emit DIR          also write its stepper .c/.h into DIR\n"
           "      --seed N            seed for every random draw (default 1)\n"
           "      --samples N         training members (default 3000)\n"
           "      --val-samples N     validation members, disjoint (default 1000)\n"
           "      --objective KIND    global (default: the error at the horizon, what users\n"
           "                          measure) or onestep (the paper's scaled one-step loss)\n"
           "      --unroll N          onestep: train on N consecutive steps (default 1)\n"
           "                          taylor: the Taylor regularizer alone\n"
           "      --mu X              weight of the paper's Taylor regularizer (default 0)\n"
           "      --family-order Q    make the method exactly of order Q on the family:\n"
           "                          the regularizer of order Q, then a projection onto\n"
           "                          its conditions (e.g. 3 with 2 stages on square)\n"
           "      --keep-order P      the classical order-P conditions hold exactly\n"
           "                          (equality constraints); the rest is optimised\n"
           "      --stability-weight W  penalise |R(z)| > 1 at z = h * eigenvalues of the\n"
           "                          Jacobian at the training members (paper 001)\n");
    printf("      --survive T         the method must stay bounded T time units beyond the\n"
           "                          horizon at each member's step (runs from the true\n"
           "                          end states): starts, steps and the kept method are\n"
           "                          chosen by the fewest blow-ups first\n"
           "      --survive-search N  --survive: before training, the best screened\n"
           "                          candidates are moved by an evolution strategy of N\n"
           "                          scores each towards fewer blow-ups (default 1500;\n"
           "                          0: no search)\n"
           "      --survive-starts M  candidates searched (default 8); the best\n"
           "                          --restarts + 1 of them are trained\n"
           "      --train-below F     F x samples more training members at a step one decade\n"
           "                          below the family's range, so the method keeps its\n"
           "                          order there (default 0.1; 0: the range alone)\n"
           "      --polish            afterwards, Gauss-Newton in MPFR (rkgen polish) onto the\n"
           "                          classical order the method has (or --keep-order) and\n"
           "                          --family-order, so they hold exactly\n"
           "      --optimizer KIND    lm (Levenberg-Marquardt, default), adam, lookahead\n"
           "      --iters N           iterations per start (default 60)\n"
           "      --screen N          candidates screened for the starts (default 48; the\n"
           "                          classical method and random tableaux, each projected\n"
           "                          onto the family's conditions and scored once)\n"
           "      --restarts N        starts optimised besides the best one (default 2)\n"
           "      --lr X              Adam's learning rate (default 0.1)\n"
           "      --lr-decay N        Adam: lr x0.1 every N iterations (default 300)\n"
           "      --weights KIND      free (default; negative weights allowed) or softmax\n"
           "      --ratio-lim X       stop training when the training ratio falls below X\n"
           "      --val-every K       also validate through the JIT every K iterations\n"
           "      --log FILE.csv      training curve: start, iteration, criterion, gamma_train,\n"
           "                          gamma_val (when measured), seconds\n"
           "  -q, --quiet             no progress line\n"
           "  -h, --help              this text\n\n"
           "Ctrl-C stops training and still writes the best tableau so far.\n"
           "Exit status: 0 learned, 1 training diverged, 2 bad usage or input.\n");
}

typedef struct learn_args {
    learn_config c;
    const char *family, *out, *emit_dir;
    int polish;
} learn_args;

enum { O_EMIT = 256, O_SEED, O_SAMPLES, O_VAL, O_OBJ, O_UNROLL, O_OPT, O_ITERS, O_RESTARTS,
       O_LR, O_DECAY, O_WEIGHTS, O_RATIO, O_VALEVERY, O_LOG, O_LOSS, O_MU, O_SCREEN, O_FORDER, O_KEEP, O_STAB, O_POLISH, O_BELOW, O_SURVIVE, O_SSEARCH, O_SSTARTS };

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
    case 's': return int_arg("--stages", arg, 1, RK_MAX_STAGES, &c->stages);
    case 'p': return int_arg("--order", arg, 1, 12, &c->order);
    case 'o': a->out = arg; return 0;
    case 'q': c->quiet = 1; return 0;
    case O_EMIT: a->emit_dir = arg; return 0;
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
    case O_POLISH: a->polish = 1; return 0;
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
        {"train-below", required_argument, 0, O_BELOW}, {"stability-weight", required_argument, 0, O_STAB},
        {"survive", required_argument, 0, O_SURVIVE},
        {"survive-search", required_argument, 0, O_SSEARCH},
        {"survive-starts", required_argument, 0, O_SSTARTS}, {"log", required_argument, 0, O_LOG},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int ch, have_s = 0, have_p = 0;
    memset(a, 0, sizeof *a);
    learn_defaults(&a->c);
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
    if (!have_s || !have_p)
        return usage_error("learn", "give the number of stages and the target order: --stages S --order P");
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

/* The classical order the trained coefficients already have, to the
 * rounding of double: what polishing should make exact. */
static int current_order(const rk_tableau *t)
{
    rk_forest fo;
    int order = 0;
    if (forest_init(&fo, 8) != 0)
        return 1;
    double *phi = malloc((size_t)fo.n * sizeof *phi), *work = malloc((size_t)(2 * t->s * fo.n) * sizeof *work);
    if (phi && work) {
        forest_phi(&fo, t->s, t->A, t->b, work, phi);
        for (int q = 1; q <= 8; q++) {
            int holds = 1;
            for (int k = fo.first[q]; k < fo.first[q + 1]; k++)
                holds &= fabs(phi[k] * fo.tree[k].gamma - 1) < 1e-10;
            if (!holds)
                break;
            order = q;
        }
    }
    free(phi);
    free(work);
    forest_free(&fo);
    return order > 0 ? order : 1;
}

/* --polish: the trained tableau is replaced by its polished version, the
 * training record kept. */
static int polish(const rk_family *f, const learn_args *a, rk_tableau **t)
{
    rk_polish_opts o;
    rk_polish_result r;
    rk_error err = {{0}};
    memset(&o, 0, sizeof o);
    o.order = a->c.keep_order > 0 ? a->c.keep_order : current_order(*t);
    o.family = a->c.family_order > o.order ? f : NULL;
    o.family_order = a->c.family_order > o.order ? a->c.family_order : 0;
    o.seed = a->c.seed;
    o.prec = 256;
    if (rk_polish(*t, &o, &r, &err) != 0) {
        report("learn", err.text, EXIT_CHECK);
        fprintf(stderr, "rkgen learn: --polish failed; the trained (unpolished) tableau is written\n");
        return EXIT_CHECK;
    }
    r.t->metadata_json = (*t)->metadata_json;
    (*t)->metadata_json = NULL;
    snprintf(r.t->name, sizeof r.t->name, "%s", (*t)->name);
    if (o.family_order)
        printf("polished onto classical order %d and family order %d: coefficients moved by at most %.3g\n",
               o.order, o.family_order, r.max_moved);
    else
        printf("polished onto classical order %d: coefficients moved by at most %.3g\n", o.order, r.max_moved);
    tableau_free(*t);
    *t = r.t;
    r.t = NULL;
    rk_polish_result_free(&r);
    return EXIT_OK;
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

static int emit_stepper_files(const rk_family *f, const rk_tableau *t, const char *dir)
{
    emit_opts o = {{0}, 0};
    stepper_build b;
    rk_error err = {{0}};
    /* the tableau's name already says the family: square-s2-p3 -> square_s2_p3 */
    size_t n = strlen(t->name) < sizeof o.prefix - 1 ? strlen(t->name) : sizeof o.prefix - 1;
    memcpy(o.prefix, t->name, n);
    o.prefix[n] = '\0';
    for (char *c = o.prefix; *c; c++)
        if (!isalnum((unsigned char)*c))
            *c = '_';
    if (!emit_prefix_ok(o.prefix) && emit_default_prefix(f, t, o.prefix, &err) != 0)
        return report("learn", err.text, EXIT_USAGE);
    int st = stepper_prepare(f, t, &o, dir, &b, &err);
    if (st == 0)
        st = stepper_commit(&b, &err);
    if (st != 0)
        return report("learn", err.text, st);
    printf("wrote %s and %s\n", b.hpath, b.cpath);
    return EXIT_OK;
}

static void summary(const rk_tableau *t, const learn_metrics *m, const char *path)
{
    printf("%s: %d stages; gamma_train %.4g, gamma_val %.4g (vs %s; truth: %s)%s\n", t->name, t->s,
           m->gamma_train, m->gamma_val, m->reference, m->truth,
           m->interrupted ? " [interrupted: best so far]" : "");
    for (int k = 0; k < m->nclassical; k++)
        printf("  validation error ratio vs %-9s %.4g\n", m->classical[k], m->ratio_classical[k]);
    int blown = m->blown_val;
    for (int k = 0; k < m->nclassical; k++)
        blown += m->blown_classical[k];
    if (blown > 0) {
        printf("  blow-ups on the validation members: learned %d", m->blown_val);
        for (int k = 0; k < m->nclassical; k++)
            printf(", %s %d", m->classical[k], m->blown_classical[k]);
        printf(" (ratios above leave those members out)\n");
    }
    if (m->survival_members > 0) {
        printf("  blow-ups within --survive in %d runs (%d validation members, each at its own\n"
               "  step and the range's smallest and largest): learned %d",
               3 * m->survival_members, m->survival_members, m->survival_blown);
        for (int k = 0; k < m->nclassical; k++)
            printf(", %s %d", m->classical[k], m->survival_classical[k]);
        printf("\n");
    }
    printf("wrote %s\n", path);
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
    if (!a.out)
        snprintf(path, sizeof path, "%s_s%d_p%d.json", f->name, a.c.stages, a.c.order);
    else
        snprintf(path, sizeof path, "%s", a.out);
    stop_requested = 0;
    a.c.stop = &stop_requested;
    signal(SIGINT, on_interrupt);
    rk_tableau *t = NULL;
    learn_metrics m;
    rk_error err = {{0}};
    status = learn_run(f, &a.c, &t, &m, &err);
    if (status != 0) {
        report("learn", err.text, status);
        fprintf(stderr, "rkgen learn: no tableau was written\n");
    } else {
        t->metadata_json = learn_metadata(f, &a.c, &m);
        int polished = a.polish ? polish(f, &a, &t) : EXIT_OK;
        status = write_tableau(t, path);
        if (status == 0)
            summary(t, &m, path);
        if (status == 0 && a.emit_dir)
            status = emit_stepper_files(f, t, a.emit_dir);
        if (status == 0)
            status = polished;
    }
    tableau_free(t);
    family_free(f);
    return status;
}
