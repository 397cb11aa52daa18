/* multipart (form-data) bodies, RFC 7578: parts found without copying. */
#ifndef WAQTOR_MULTIPART_H
#define WAQTOR_MULTIPART_H

#include <stddef.h>

#define MULTIPART_MAX_PARTS	16

struct mpart {
	char		 name[64];	/* form field name */
	char		 filename[256];	/* "" when not a file */
	char		 type[128];	/* its Content-Type, "" when none */
	const char	*data;		/* points into the body */
	size_t		 len;
};

/*
 * Splits body[0..len) by the boundary that content_type names, into at most
 * max parts. The number of parts, or -1 when the body is not well-formed
 * multipart (or has more parts, or over-long headers).
 */
int multipart_parse(const char *content_type, const char *body, size_t len,
    struct mpart *parts, int max) __attribute__((warn_unused_result));
/* The part called name, or NULL. */
const struct mpart *multipart_find(const struct mpart *parts, int n,
    const char *name);
/* The first part that is a file, or NULL. */
const struct mpart *multipart_file(const struct mpart *parts, int n);

/*
 * The same, for a body too big to hold (CSV imports): bytes go in as they
 * arrive, and each part's data comes out through cb in pieces, with its
 * headers (part->data is NULL, part->len the bytes so far). Memory is
 * bounded: a part's headers may take 4 kB.
 */
struct mpstream;
/* Called with each piece of a part's data, and once more with len 0 and
 * last set when the part ends; non-zero stops (feed returns it). */
typedef int mpstream_cb(void *arg, const struct mpart *part,
    const char *data, size_t len, int last);
/* NULL when content_type names no usable boundary. */
struct mpstream *mpstream_new(const char *content_type, mpstream_cb *,
    void *arg);
/* 0, -1 when the body is not well-formed multipart, or cb's return. */
int mpstream_feed(struct mpstream *, const char *data, size_t len)
    __attribute__((warn_unused_result));
/* 0 when the closing delimiter was seen, else -1. */
int mpstream_finish(struct mpstream *) __attribute__((warn_unused_result));
void mpstream_free(struct mpstream *);

#endif
