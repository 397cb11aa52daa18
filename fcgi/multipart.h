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

#endif
