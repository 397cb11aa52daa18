/* The first file of a multipart (form-data) body, RFC 7578, without copying. */
#ifndef WAQTOR_MULTIPART_H
#define WAQTOR_MULTIPART_H

#include <stddef.h>

/*
 * Finds the first part that carries a filename in body[0..len), given the
 * request's Content-Type (which names the boundary). Points *data and *datalen
 * into body. -1 when the body is not well-formed multipart or has no file.
 */
int multipart_first_file(const char *content_type, const char *body,
    size_t len, const char **data, size_t *datalen)
    __attribute__((warn_unused_result));

#endif
