/* parallel.c - runs independent chunks of work on threads (parallel.h),
 * chunk 0 on the calling thread. */
#include "parallel.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_THREADS 64

int rk_threads(void)
{
    const char *env = getenv("RKGEN_THREADS");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v >= 1 && v <= MAX_THREADS)
            return (int)v;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

typedef struct job {
    void (*fn)(void *ctx, int chunk);
    void *ctx;
    int chunk;
} job;

static void *run_job(void *arg)
{
    const job *j = arg;
    j->fn(j->ctx, j->chunk);
    return NULL;
}

void rk_parallel(int nchunks, void (*fn)(void *ctx, int chunk), void *ctx)
{
    int threaded = nchunks < MAX_THREADS ? nchunks : MAX_THREADS;
    pthread_t th[MAX_THREADS];
    job jobs[MAX_THREADS];
    int started[MAX_THREADS] = {0};
    for (int c = 1; c < threaded; c++) {
        jobs[c] = (job){fn, ctx, c};
        started[c] = pthread_create(&th[c], NULL, run_job, &jobs[c]) == 0;
    }
    if (nchunks > 0)
        fn(ctx, 0);
    for (int c = threaded; c < nchunks; c++)
        fn(ctx, c);
    for (int c = 1; c < threaded; c++) {
        if (started[c])
            pthread_join(th[c], NULL);
        else
            fn(ctx, c);
    }
}

void rk_chunk(int n, int k, int c, int *first, int *count)
{
    int base = n / k, extra = n % k;
    *first = c * base + (c < extra ? c : extra);
    *count = base + (c < extra);
}

/* Start of chunk c: the first item at which the running cost reaches
 * c/k of the whole, each start at least one past the one before and
 * leaving an item for every chunk after it. */
static int weighted_start(const unsigned long *w, int n, int k, int c)
{
    if (c <= 0)
        return 0;
    if (c >= k)
        return n;
    unsigned long long total = 0, run = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    int i = 0, start = 0;
    for (int j = 1; j <= c; j++) {
        for (; i < n && run * (unsigned long long)k < total * (unsigned long long)j; i++)
            run += w[i];
        start = i > start + 1 ? i : start + 1;
        if (start > n - (k - j))
            start = n - (k - j);
    }
    return start;
}

void rk_chunk_weighted(const unsigned long *w, int n, int k, int c, int *first, int *count)
{
    int a = weighted_start(w, n, k, c);
    *first = a;
    *count = weighted_start(w, n, k, c + 1) - a;
}
