/*
 * Allocation wrappers that abort the process on out-of-memory and check
 * n * size for overflow, so call sites need no NULL checks (tmux xmalloc.c).
 */
#ifndef WAQTOR_XMALLOC_H
#define WAQTOR_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *ptr, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Formats into a new string; aborts on error. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Logs one line and exits: for states that must be impossible. */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
