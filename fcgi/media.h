/* Uploaded media (fcgi/h_media.c), shared with send-media. */
#ifndef WAQTOR_MEDIA_H
#define WAQTOR_MEDIA_H

#include <stddef.h>

struct req;

/* The content type data[0..len) has for a message of msgtype (image,
 * audio, ...) by its first bytes and size, or NULL; *max is the type's
 * size limit. */
const char *media_check(const char *msgtype, const char *data, size_t len,
    size_t *max);
/* The static string for a content type media_check returned. */
const char *media_type_name(const char *content_type);
/* Stores the file for the tenant and writes its public URL; -1 answered. */
int media_store(struct req *r, const char *content_type, const char *filename,
    const char *data, size_t len, char *url, size_t urllen)
    __attribute__((warn_unused_result));

#endif
