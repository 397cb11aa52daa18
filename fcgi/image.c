#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "http.h"
#include "multipart.h"

const char *
image_type(const unsigned char *d, size_t len)
{
	if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (len >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
		return "image/jpeg";
	if (len >= 6 && (memcmp(d, "GIF87a", 6) == 0 ||
	    memcmp(d, "GIF89a", 6) == 0))
		return "image/gif";
	if (len >= 12 && memcmp(d, "RIFF", 4) == 0 &&
	    memcmp(d + 8, "WEBP", 4) == 0)
		return "image/webp";
	return NULL;
}

int
image_read(struct req *r, const char *what, struct image *img)
{
	const char		*ct = http_param(r, "CONTENT_TYPE");
	const char		*data = r->body;
	size_t			 len = r->body_len, b64len;
	struct mpart		 parts[MULTIPART_MAX_PARTS];
	const struct mpart	*file;
	char			 msg[64];
	int			 n;

	img->type = NULL;
	img->b64 = NULL;
	if (ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0) {
		n = multipart_parse(ct, r->body, r->body_len, parts,
		    MULTIPART_MAX_PARTS);
		if (n == -1 || (file = multipart_file(parts, n)) == NULL) {
			http_respond_error(r, 400, "bad_request",
			    "no file in the multipart body", NULL);
			return -1;
		}
		data = file->data;
		len = file->len;
	} else if (ct == NULL || strncasecmp(ct, "image/", 6) != 0) {
		http_respond_error(r, 415, "unsupported_media_type",
		    "send the image as multipart/form-data or image/*", NULL);
		return -1;
	}
	if (len == 0) {
		http_respond_error(r, 400, "bad_request", "the file is empty",
		    NULL);
		return -1;
	}
	if (len > IMAGE_MAX) {
		snprintf(msg, sizeof msg, "%s is at most 2 MB", what);
		http_respond_error(r, 413, "payload_too_large", msg, NULL);
		return -1;
	}
	if ((img->type = image_type((const unsigned char *)data, len)) ==
	    NULL) {
		http_respond_error(r, 415, "unsupported_media_type",
		    "the file is not a PNG, JPEG, GIF or WebP image", NULL);
		return -1;
	}
	b64len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	if ((img->b64 = malloc(b64len)) == NULL) {
		http_respond_error(r, 503, "service_unavailable",
		    "out of memory, retry shortly", NULL);
		return -1;
	}
	sodium_bin2base64(img->b64, b64len, (const unsigned char *)data, len,
	    sodium_base64_VARIANT_ORIGINAL);
	return 0;
}

void
image_free(struct image *img)
{
	free(img->b64);
	img->b64 = NULL;
}

void
image_respond(struct req *r, const char *b64, size_t len, const char *cache)
{
	unsigned char	*img;
	const char	*type = NULL;
	size_t		 n = 0;

	img = malloc(len / 4 * 3 + 3);
	if (img != NULL && sodium_base642bin(img, len / 4 * 3 + 3, b64, len,
	    "\n", &n, NULL, sodium_base64_VARIANT_ORIGINAL) == 0)
		type = image_type(img, n);
	/* the stored bytes passed image_read: their type is one of ours */
	if (type == NULL)
		http_respond_error(r, 500, "internal", "internal error", NULL);
	else {
		if (cache != NULL)
			http_set_cache(r, cache);
		http_respond_raw(r, 200, type, img, n);
	}
	free(img);
}
