/*
 * A growing byte buffer for output built piece by piece (CSV exports,
 * rendered messages). It aborts on out of memory (xmalloc.h); the caller
 * bounds what it appends.
 */
#ifndef WAQTOR_STRBUF_H
#define WAQTOR_STRBUF_H

#include <stddef.h>

struct strbuf {
	char	*data;		/* NUL-terminated once anything was added */
	size_t	 len;
	size_t	 cap;
};

#define STRBUF_INIT	{ NULL, 0, 0 }

void strbuf_add(struct strbuf *, const char *data, size_t len);
void strbuf_addstr(struct strbuf *, const char *s);
void strbuf_addch(struct strbuf *, char c);
void strbuf_addf(struct strbuf *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Empties it, keeping the memory. */
void strbuf_reset(struct strbuf *);
/* Gives the data away (the buffer is empty after); never NULL. */
char *strbuf_detach(struct strbuf *);
void strbuf_free(struct strbuf *);

#endif
