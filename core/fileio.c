/* fileio.c - whole-file reads and all-or-nothing writes (fileio.h):
 * outputs go to a hidden directory and are renamed into place, and a
 * signal handler can remove the temporaries not yet committed. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *rk_read_file(const char *path, size_t limit, size_t *len, rk_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        rk_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (!buf) {
            rk_error_set(err, "%s: out of memory", path);
            break;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n > limit) {
            rk_error_set(err, "%s: file is larger than %zu bytes", path, limit);
            break;
        }
        if (got == 0) {
            if (ferror(fp)) {
                rk_error_set(err, "%s: read error", path);
                break;
            }
            fclose(fp);
            buf[n] = '\0';
            *len = n;
            return buf;
        }
        if (n == cap) {
            char *grown = realloc(buf, 2 * cap + 1);
            if (!grown)
                free(buf);
            buf = grown;
            cap *= 2;
        }
    }
    free(buf);
    fclose(fp);
    return NULL;
}

/* Temporaries not yet committed, for the signal handler.  A fixed table
 * of fixed-size names, because a handler may neither allocate nor lock. */
enum { PENDING_MAX = 32, PENDING_PATH = 4096 };
static char pending[PENDING_MAX][PENDING_PATH];
static volatile sig_atomic_t pending_used[PENDING_MAX];

static void pending_add(const char *path)
{
    for (int i = 0; i < PENDING_MAX; i++)
        if (!pending_used[i] && strlen(path) < PENDING_PATH) {
            strcpy(pending[i], path);
            pending_used[i] = 1;
            return;
        }
}

static void pending_remove(const char *path)
{
    for (int i = 0; i < PENDING_MAX; i++)
        if (pending_used[i] && strcmp(pending[i], path) == 0)
            pending_used[i] = 0;
}

/* Files first, then the directories (rmdir fails while they hold any). */
void rk_outset_cleanup_all(void)
{
    for (int i = 0; i < PENDING_MAX; i++)
        if (pending_used[i])
            unlink(pending[i]);
    /* twice: a created output directory empties once its temporary
     * directory is gone */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < PENDING_MAX; i++)
            if (pending_used[i])
                rmdir(pending[i]);
}

/* Forgets the created output directory; remove says whether to remove
 * it (it goes only if empty). */
static void forget_made(rk_outset *o, int remove)
{
    if (!o->made)
        return;
    if (remove)
        rmdir(o->made);
    pending_remove(o->made);
    free(o->made);
    o->made = NULL;
}

static void drop_made(rk_outset *o)
{
    forget_made(o, 1);
}

int rk_outset_open(rk_outset *o, const char *outdir, rk_error *err)
{
    size_t n = strlen(outdir) + 32;
    o->tmp = o->final = NULL;
    o->made = NULL;
    o->n = 0;
    o->dir = malloc(n);
    if (!o->dir) {
        rk_error_set(err, "out of memory");
        return -1;
    }
    snprintf(o->dir, n, "%s/.rkgen-XXXXXX", outdir);
    int ok = mkdtemp(o->dir) != NULL;
    if (!ok && errno == ENOENT && mkdir(outdir, 0777) == 0) {
        o->made = strdup(outdir);
        if (o->made)
            pending_add(o->made);
        snprintf(o->dir, n, "%s/.rkgen-XXXXXX", outdir);
        ok = mkdtemp(o->dir) != NULL;
    }
    if (!ok) {
        rk_error_set(err, "%s: cannot create a file there: %s%s", outdir, strerror(errno),
                     errno == ENOENT ? " (create its parent directory first)" : "");
        drop_made(o);
        free(o->dir);
        o->dir = NULL;
        return -1;
    }
    pending_add(o->dir);
    return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

static int grow(rk_outset *o)
{
    char **t = realloc(o->tmp, (size_t)(o->n + 1) * sizeof *t);
    if (t)
        o->tmp = t;
    char **f = realloc(o->final, (size_t)(o->n + 1) * sizeof *f);
    if (f)
        o->final = f;
    return t && f ? 0 : -1;
}

static int write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0)
        return -1;
    int bad = write_all(fd, data, len) != 0 || fsync(fd) != 0;
    return close(fd) != 0 || bad ? -1 : 0;
}

int rk_outset_add(rk_outset *o, const char *path, const char *data, size_t len,
                  const char **tmp_path, rk_error *err)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(o->dir) + strlen(base) + 2;
    char *tmp = malloc(n);
    char *fin = strdup(path);
    if (!tmp || !fin || grow(o) != 0) {
        free(tmp);
        free(fin);
        rk_error_set(err, "%s: out of memory", path);
        return -1;
    }
    snprintf(tmp, n, "%s/%s", o->dir, base);
    o->tmp[o->n] = tmp;
    o->final[o->n] = fin;
    o->n++;
    pending_add(tmp);
    if (write_file(tmp, data, len) != 0) {
        rk_error_set(err, "%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    if (tmp_path)
        *tmp_path = tmp;
    return 0;
}

static void outset_close(rk_outset *o)
{
    for (int i = 0; i < o->n; i++) {
        unlink(o->tmp[i]);
        pending_remove(o->tmp[i]);
        free(o->tmp[i]);
        free(o->final[i]);
    }
    if (o->dir) {
        rmdir(o->dir);
        pending_remove(o->dir);
    }
    free(o->tmp);
    free(o->final);
    free(o->dir);
    o->tmp = o->final = NULL;
    o->dir = NULL;
    o->n = 0;
}

void rk_outset_abort(rk_outset *o)
{
    outset_close(o);
    drop_made(o);
}

int rk_outset_commit(rk_outset *o, rk_error *err)
{
    int r = 0;
    for (int i = 0; i < o->n && r == 0; i++)
        if (rename(o->tmp[i], o->final[i]) != 0) {
            rk_error_set(err, "%s: cannot move into place: %s", o->final[i], strerror(errno));
            r = -1;
        }
    outset_close(o);
    forget_made(o, r != 0);
    return r;
}

int rk_write_file(const char *path, const char *data, size_t len, rk_error *err)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    rk_outset o;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    if (rk_outset_open(&o, dir, err) != 0)
        return -1;
    if (rk_outset_add(&o, path, data, len, NULL, err) != 0) {
        rk_outset_abort(&o);
        return -1;
    }
    return rk_outset_commit(&o, err);
}
