/*
 * Uploaded images (a user's avatar, the tenant's logo): read from a
 * request and served back. An upload is the raw body (Content-Type
 * image/...) or the first file of a multipart/form-data body, at most
 * IMAGE_MAX bytes; its type is decided by its first bytes (PNG, JPEG, GIF
 * or WebP), never by what the client says, so an SVG (which can carry
 * script) is refused whatever it is called. Images live in bytea columns
 * and travel to and from PostgreSQL as base64 text.
 */
#ifndef WAQTOR_IMAGE_H
#define WAQTOR_IMAGE_H

#include <stddef.h>

#define IMAGE_MAX	(2 * 1024 * 1024)
#define IMAGE_BODY_MAX	(IMAGE_MAX + 64 * 1024)	/* + multipart framing */

struct req;

struct image {
	const char	*type;	/* static: "image/png", ... */
	char		*b64;	/* the bytes in base64, NUL-terminated; owned */
};

/*
 * The request's image into *img (image_free it): 0; or -1 answered: 400
 * bad_request (no file in a multipart body, an empty file), 413
 * payload_too_large ("<what> is at most 2 MB"), 415 unsupported_media_type
 * (neither image/... nor multipart, or not one of the four types), 503
 * (out of memory).
 */
int image_read(struct req *r, const char *what, struct image *img)
    __attribute__((warn_unused_result));
void image_free(struct image *img);
/*
 * Answers 200 with a stored image, b64[0..len) (its base64 text), typed
 * from its bytes and, when cache is not NULL, with that Cache-Control
 * instead of no-store (X-Content-Type-Options: nosniff is nginx's, on
 * every answer). 500 when the text is no base64 of an image.
 */
void image_respond(struct req *r, const char *b64, size_t len,
    const char *cache);
/* The type of d[0..len) by its first bytes, or NULL for none of the four. */
const char *image_type(const unsigned char *d, size_t len);

#endif
