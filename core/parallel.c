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
