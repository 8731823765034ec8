/* check_stabilized.h - rkgen check's report on a many-stage product
 * method file (check_stabilized.c). */
#ifndef RK_CHECK_STABILIZED_H
#define RK_CHECK_STABILIZED_H

/* 1 if the file at path is a "rkgen-stabilized" method file. */
int check_is_stabilized(const char *path);
/* The report on stdout (JSON with json); expect > 0: exit 1 unless the
 * order is at least expect.  Returns the exit status. */
int check_stabilized(const char *path, int prec, int json, int expect);

#endif
