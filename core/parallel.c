/* parallel.c - runs independent chunks of work on threads (parallel.h),
 * the calling thread among them, each thread taking the next chunk. */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
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

typedef struct pool {
    void (*fn)(void *ctx, int chunk, int worker);
    void *ctx;
    int nchunks;
    atomic_int next;
} pool;

typedef struct pool_worker {
    pool *p;
    int id;
} pool_worker;

static void *work(void *arg)
{
    const pool_worker *w = arg;
    pool *p = w->p;
    for (int c; (c = atomic_fetch_add(&p->next, 1)) < p->nchunks;)
        p->fn(p->ctx, c, w->id);
    return NULL;
}

void rk_parallel_pool(int nchunks, int nworkers, void (*fn)(void *ctx, int chunk, int worker),
                      void *ctx)
{
    int k = nworkers < nchunks ? nworkers : nchunks;
    k = k < 1 ? 1 : k > MAX_THREADS ? MAX_THREADS : k;
    pool p = {.fn = fn, .ctx = ctx, .nchunks = nchunks};
    atomic_init(&p.next, 0);
    pthread_t th[MAX_THREADS];
    pool_worker ws[MAX_THREADS];
    int started[MAX_THREADS] = {0};
    for (int w = 0; w < k; w++)
        ws[w] = (pool_worker){&p, w};
    /* a worker that cannot be started leaves its chunks to the others */
    for (int w = 1; w < k; w++)
        started[w] = pthread_create(&th[w], NULL, work, &ws[w]) == 0;
    work(&ws[0]);
    for (int w = 1; w < k; w++)
        if (started[w])
            pthread_join(th[w], NULL);
}

typedef struct plain {
    void (*fn)(void *ctx, int chunk);
    void *ctx;
} plain;

static void run_plain(void *ctx, int chunk, int worker)
{
    const plain *p = ctx;
    (void)worker;
    p->fn(p->ctx, chunk);
}

void rk_parallel(int nchunks, void (*fn)(void *ctx, int chunk), void *ctx)
{
    plain p = {fn, ctx};
    rk_parallel_pool(nchunks, nchunks, run_plain, &p);
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
