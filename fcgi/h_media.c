/*
 * Media uploaded with send-media (multipart). The type is decided by the
 * file's first bytes, never by what the client says, and each type has
 * WhatsApp's size limit. The stored file gets an unguessable token: the
 * Cloud API fetches it from {WAQTOR_PUBLIC_URL}/api/v1/media/{token}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api.h"
#include "config.h"
#include "handlers.h"
#include "jsonx.h"
#include "quota.h"
#include "media.h"
#include "util.h"

static int
sniff_webp(const unsigned char *d, size_t n)
{
	return n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0;
}

static int
sniff_mp4(const unsigned char *d, size_t n)
{
	return n >= 12 && memcmp(d + 4, "ftyp", 4) == 0;
}

/* What each message type accepts: the sniffed types and the size limit. */
static const struct {
	const char	*msgtype;
	const char	*content_type;
	const char	*magic;		/* prefix, or NULL: see sniff */
	size_t		 magiclen;
	int		(*sniff)(const unsigned char *, size_t);
	size_t		 max;
} media_types[] = {
	{ "image",	"image/jpeg",	"\xff\xd8\xff", 3, NULL, 5 << 20 },
	{ "image",	"image/png",	"\x89PNG\r\n\x1a\n", 8, NULL, 5 << 20 },
	{ "sticker",	"image/webp",	NULL, 0, sniff_webp, 500 << 10 },
	{ "audio",	"audio/ogg",	"OggS", 4, NULL, 16 << 20 },
	{ "audio",	"audio/mpeg",	"ID3", 3, NULL, 16 << 20 },
	{ "audio",	"audio/mp4",	NULL, 0, sniff_mp4, 16 << 20 },
	{ "video",	"video/mp4",	NULL, 0, sniff_mp4, 16 << 20 },
	{ "document",	"application/pdf", "%PDF-", 5, NULL, 16 << 20 },
	{ "document",	"application/zip", "PK\x03\x04", 4, NULL, 16 << 20 },
	{ "document",	"application/x-ole-storage", "\xd0\xcf\x11\xe0", 4, NULL, 16 << 20 },
};

const char *
media_check(const char *msgtype, const char *data, size_t len, size_t *max)
{
	const unsigned char	*d = (const unsigned char *)data;
	size_t			 i;

	*max = 0;
	for (i = 0; i < sizeof media_types / sizeof media_types[0]; i++) {
		if (strcmp(media_types[i].msgtype, msgtype) != 0)
			continue;
		if (media_types[i].max > *max)
			*max = media_types[i].max;
		if (len > media_types[i].max)
			continue;
		if (media_types[i].magic != NULL ? len >= media_types[i].magiclen &&
		    memcmp(d, media_types[i].magic, media_types[i].magiclen) == 0 :
		    media_types[i].sniff(d, len))
			return media_types[i].content_type;
	}
	return NULL;
}

const char *
media_type_name(const char *content_type)
{
	size_t	i;

	for (i = 0; i < sizeof media_types / sizeof media_types[0]; i++) {
		if (strcmp(media_types[i].content_type, content_type) == 0)
			return media_types[i].content_type;
	}
	return "application/octet-stream";
}

int
media_store(struct req *r, const char *content_type, const char *filename,
    const char *data, size_t len, char *url, size_t urllen)
{
	char		 token[65], size[24], *b64;
	const char	*params[5];
	PGresult	*res;
	size_t		 b64len = sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_ORIGINAL);

	if (quota_check(r, QUOTA_MEDIA_BYTES, (long long)len) == -1)
		return -1;
	if ((b64 = malloc(b64len)) == NULL) {
		http_respond_error(r, 503, "service_unavailable",
		    "out of memory, retry shortly", NULL);
		return -1;
	}
	sodium_bin2base64(b64, b64len, (const unsigned char *)data, len,
	    sodium_base64_VARIANT_ORIGINAL);
	util_random_hex(token, 32);
	snprintf(size, sizeof size, "%zu", len);
	params[0] = token;
	params[1] = content_type;
	params[2] = filename;
	params[3] = size;
	params[4] = b64;
	res = api_query(r, "INSERT INTO media (tenant_id, token, content_type, "
	    "filename, size, data) VALUES (current_setting('waqtor.tenant_id')"
	    "::uuid, $1, $2, $3, $4::int, decode($5, 'base64'))", 5, params);
	free(b64);
	if (res == NULL)
		return -1;
	PQclear(res);
	snprintf(url, urllen, "%s/api/v1/media/%s", config_str(CFG_PUBLIC_URL),
	    token);
	return 0;
}

void
h_media_get(struct req *r)
{
	const char	*token = route_param(&r->match, "token"), *params[1];
	unsigned char	*data = NULL;
	size_t		 len, b64len;
	PGresult	*res;

	if (strlen(token) != 64 || strspn(token, "0123456789abcdef") != 64) {
		http_respond_error(r, 404, "not_found", "no such media", NULL);
		return;
	}
	params[0] = token;
	if ((res = api_query(r, "SELECT content_type, filename, data_b64 "
	    "FROM media_by_token($1)", 1, params)) == NULL)
		return;
	if (PQntuples(res) != 1) {
		http_respond_error(r, 404, "not_found", "no such media", NULL);
		goto out;
	}
	b64len = (size_t)PQgetlength(res, 0, 2);
	if ((data = malloc(b64len / 4 * 3 + 3)) == NULL ||
	    sodium_base642bin(data, b64len / 4 * 3 + 3, PQgetvalue(res, 0, 2),
	    b64len, "\n", &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		http_respond_error(r, 500, "internal", "internal error", NULL);
		goto out;
	}
	if (http_add_header(r, "Content-Disposition", "attachment") == -1 ||
	    http_add_header(r, "Content-Security-Policy", "sandbox") == -1) {
		http_respond_error(r, 500, "internal", "internal error", NULL);
		goto out;
	}
	/* the stored type came from media_check: answer its static string */
	http_respond_raw(r, 200, media_type_name(PQgetvalue(res, 0, 0)), data,
	    len);
out:
	free(data);
	PQclear(res);
}
