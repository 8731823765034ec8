/* bench_compile.c - how long it takes to compile a generated stepper:
 * rkgen's in-memory libtcc path (jit_compile, as `rkgen emit` uses it to
 * check what it wrote) against an external `gcc -O2 -c` of the same file.
 *
 *   bench_compile [--jit-runs N] [--gcc-runs M] [FILE.c]
 *
 * FILE.c defaults to generated/vanderpol_rk4.c.  Each timing is wall
 * clock around the whole call: for jit_compile that is tcc_new, compiling
 * the file, adding libm and relocating into executable memory (jit_free
 * is outside the clock); for gcc it is posix_spawnp + waitpid of the
 * driver, i.e. including process start-up, cc1 and as, which is what an
 * external compile costs.  The first call of each kind is timed and shown
 * separately (cold) and left out of the median.  For scale, `tcc -c` as
 * an external process is timed the same way if tcc is on PATH. */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jit.h"

#ifndef BENCH_GENERATED_C
#define BENCH_GENERATED_C "generated/vanderpol_rk4.c"
#endif

extern char **environ;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct stats {
    double cold, median, min, max;
} stats;

static stats summarise(double cold, double *v, int n)
{
    stats s = {cold, 0, 0, 0};
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    s.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    s.min = v[0];
    s.max = v[n - 1];
    return s;
}

/* One jit_compile; its time in ms, or exit on failure. */
static double time_jit(const char *path, int check)
{
    rk_error err = {{0}};
    double t0 = now_ms();
    rk_jit *j = jit_compile(path, &err);
    double t1 = now_ms();
    if (!j) {
        fprintf(stderr, "bench_compile: %s\n", err.text);
        exit(1);
    }
    if (check) {
        /* The stepper must really be there. */
        jit_stepper st;
        if (jit_stepper_get(j, "vanderpol_rk4", 0, &st, &err) != 0) {
            fprintf(stderr, "bench_compile: %s\n", err.text);
            exit(1);
        }
    }
    jit_free(j);
    return t1 - t0;
}

/* One external compile; its time in ms, or a negative value if the
 * program could not be started (exits if it ran and failed). */
static double time_spawn(char *const argv[])
{
    pid_t pid;
    int status;
    double t0 = now_ms();
    int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
    if (rc != 0)
        return -1.0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("bench_compile: waitpid");
            exit(1);
        }
    }
    double t1 = now_ms();
    if (!WIFEXITED(status) || WEXITSTATUS(status) == 127)
        return -1.0;
    if (WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_compile: %s failed (exit %d)\n", argv[0], WEXITSTATUS(status));
        exit(1);
    }
    return t1 - t0;
}

/* cold + n timed runs of argv; returns 0 if the program is missing. */
static int bench_spawn(char *const argv[], int n, stats *out)
{
    double *v = malloc((size_t)n * sizeof *v);
    if (!v)
        abort();
    double cold = time_spawn(argv);
    if (cold < 0) {
        free(v);
        return 0;
    }
    for (int i = 0; i < n; i++)
        if ((v[i] = time_spawn(argv)) < 0) {
            fprintf(stderr, "bench_compile: %s stopped working\n", argv[0]);
            exit(1);
        }
    *out = summarise(cold, v, n);
    free(v);
    return 1;
}

static int parse_int(const char *s, const char *opt)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v <= 0 || v > 100000) {
        fprintf(stderr, "bench_compile: %s needs a positive integer, not '%s'\n", opt, s);
        exit(2);
    }
    return (int)v;
}

static void row(const char *name, const stats *s, int n)
{
    printf("  %-34s %9.3f %9.3f %9.3f %9.3f %5d\n", name, s->median, s->min, s->max, s->cold, n);
}

int main(int argc, char **argv)
{
    int jit_runs = 50, gcc_runs = 10;
    const char *path = BENCH_GENERATED_C;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--jit-runs") && i + 1 < argc)
            jit_runs = parse_int(argv[++i], "--jit-runs");
        else if (!strcmp(argv[i], "--gcc-runs") && i + 1 < argc)
            gcc_runs = parse_int(argv[++i], "--gcc-runs");
        else if (argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, "usage: bench_compile [--jit-runs N] [--gcc-runs M] [FILE.c]\n");
            return 2;
        }
    }

    char dir[] = "/tmp/rkgen-bench-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench_compile: mkdtemp");
        return 1;
    }
    char obj[sizeof dir + 16];
    snprintf(obj, sizeof obj, "%s/stepper.o", dir);

    printf("bench_compile: %s\n", path);

    /* libtcc in memory. */
    double *v = malloc((size_t)jit_runs * sizeof *v);
    if (!v)
        abort();
    double cold = time_jit(path, 1);
    for (int i = 0; i < jit_runs; i++)
        v[i] = time_jit(path, 0);
    stats jit = summarise(cold, v, jit_runs);
    free(v);

    /* gcc -O2 -c, and tcc -c, as external processes. */
    char *gcc_argv[] = {"gcc", "-O2", "-c", (char *)path, "-o", obj, NULL};
    char *tcc_argv[] = {"tcc", "-c", (char *)path, "-o", obj, NULL};
    stats gcc, tcc;
    if (!bench_spawn(gcc_argv, gcc_runs, &gcc)) {
        fprintf(stderr, "bench_compile: cannot run gcc\n");
        return 1;
    }
    int have_tcc = bench_spawn(tcc_argv, gcc_runs, &tcc);
    unlink(obj);
    rmdir(dir);

    printf("\n  %-34s %9s %9s %9s %9s %5s\n", "compile (ms)", "median", "min", "max", "cold", "runs");
    row("jit_compile (libtcc, in memory)", &jit, jit_runs);
    row("gcc -O2 -c (external process)", &gcc, gcc_runs);
    if (have_tcc)
        row("tcc -c (external process)", &tcc, gcc_runs);
    printf("\n  ratio gcc / jit_compile (medians): %.1fx\n", gcc.median / jit.median);
    printf("  jit_compile median under 5 ms: %s\n", jit.median < 5.0 ? "yes" : "NO");

    printf("\nRESULT ms_jit_compile %.4f\n", jit.median);
    printf("RESULT ms_jit_compile_cold %.4f\n", jit.cold);
    printf("RESULT ms_gcc_O2 %.4f\n", gcc.median);
    if (have_tcc)
        printf("RESULT ms_tcc_process %.4f\n", tcc.median);
    printf("RESULT ratio_gcc_jit %.2f\n", gcc.median / jit.median);
    return 0;
}
