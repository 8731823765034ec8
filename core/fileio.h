/* fileio.h - whole-file reads and all-or-nothing writes.
 *
 * Outputs are written to a temporary file beside the target and renamed
 * over it, so a reader sees the old file or the new one, never half. */
#ifndef RK_FILEIO_H
#define RK_FILEIO_H

#include <stddef.h>
#include "diag.h"

/* Reads a file into a NUL-terminated malloc'd buffer (max bytes: limit). */
char *rk_read_file(const char *path, size_t limit, size_t *len, rk_error *err);

/* A set of files that appear together.  They are written into a fresh
 * hidden directory inside the output directory (so each can be compiled
 * or checked under its final name there) and renamed into place only by
 * rk_outset_commit; rk_outset_abort removes them all.  All files of one
 * set go to paths in that output directory. */
typedef struct rk_outset {
    char *dir;
    char *made;   /* the output directory, when the set created it */
    char **tmp, **final;
    int n;
} rk_outset;

/* Creates outdir (not its parents) when it does not exist; an aborted
 * set removes it again. */
int rk_outset_open(rk_outset *o, const char *outdir, rk_error *err);
/* Writes data to the set's temporary copy of path (returned in tmp_path). */
int rk_outset_add(rk_outset *o, const char *path, const char *data, size_t len,
                  const char **tmp_path, rk_error *err);
int rk_outset_commit(rk_outset *o, rk_error *err);
void rk_outset_abort(rk_outset *o);

/* One file, whole or not at all: an output set of one, in the file's
 * own directory. */
int rk_write_file(const char *path, const char *data, size_t len, rk_error *err);

/* Removes every pending temporary of every open set; async-signal-safe,
 * for SIGINT/SIGTERM handlers. */
void rk_outset_cleanup_all(void);

#endif
