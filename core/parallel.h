/* parallel.h - independent chunks of work on threads.
 *
 * The learner's costs are sums over members whose computations do not
 * touch each other, so splitting the members into contiguous chunks and
 * running the chunks at once gives the same bits as running them in
 * turn: results stay byte-identical for any number of threads.
 */
#ifndef RK_PARALLEL_H
#define RK_PARALLEL_H

/* Threads to use: RKGEN_THREADS when set to 1..64, else the online
 * processors, at most 8. */
int rk_threads(void);

/* Calls fn(ctx, c) for c = 0..nchunks-1, each chunk on a thread of its
 * own (at most 64 at once; the caller is one of them, and takes the
 * chunks of threads that cannot be started).  Returns when all are done. */
void rk_parallel(int nchunks, void (*fn)(void *ctx, int chunk), void *ctx);

/* The same on nworkers threads (the caller is worker 0; at most 64):
 * each takes the next chunk not yet taken, so many small chunks share
 * few threads and balance their load.  worker < nworkers names the
 * thread running the chunk, for a workspace of its own; which worker
 * gets which chunk varies from run to run, which changes no result
 * when each chunk's result depends on that chunk alone. */
void rk_parallel_pool(int nchunks, int nworkers, void (*fn)(void *ctx, int chunk, int worker),
                      void *ctx);

/* Chunk c of n items split into k: [*first, *first + *count). */
void rk_chunk(int n, int k, int c, int *first, int *count);

/* The same with item i costing w[i] > 0: the chunks have about equal
 * total cost, and each at least one item (k <= n).  Members a decade
 * below the step range take ten times the steps, so equal counts would
 * leave one thread doing most of the work. */
void rk_chunk_weighted(const unsigned long *w, int n, int k, int c, int *first, int *count);

#endif
