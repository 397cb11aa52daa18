#include "eio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "xmalloc.h"

#define EIO_B64		sodium_base64_VARIANT_ORIGINAL

int
eio_decode_frame(const char *buf, size_t len, int binary,
    struct eio_packet *p)
{
	if (binary) {
		p->type = EIO_MESSAGE;
		p->binary = 1;
		p->data = buf;
		p->len = len;
		return 0;
	}
	if (len == 0 || buf[0] < '0' || buf[0] >= '0' + EIO__COUNT)
		return -1;
	p->type = (enum eio_type)(buf[0] - '0');
	p->binary = 0;
	p->data = buf + 1;
	p->len = len - 1;
	return 0;
}

int
eio_payload_next(const char *buf, size_t len, size_t *off,
    unsigned char *scratch, size_t scratch_len, struct eio_packet *p)
{
	const char	*seg, *sep;
	size_t		 seglen, bin_len;

	if (*off > len)
		return -1;
	if (*off == len)
		return *off == 0 ? -1 : 0;	/* an empty payload is an error */
	seg = buf + *off;
	sep = memchr(seg, EIO_SEPARATOR, len - *off);
	seglen = sep != NULL ? (size_t)(sep - seg) : len - *off;
	/* A trailing separator would leave an empty last packet: refuse. */
	*off += seglen + (sep != NULL ? 1 : 0);
	if (sep != NULL && *off == len)
		return -1;
	if (seglen == 0)
		return -1;
	if (seg[0] != 'b')
		return eio_decode_frame(seg, seglen, 0, p) == -1 ? -1 : 1;
	if (sodium_base642bin(scratch, scratch_len, seg + 1, seglen - 1, NULL,
	    &bin_len, NULL, EIO_B64) != 0)
		return -1;
	p->type = EIO_MESSAGE;
	p->binary = 1;
	p->data = (const char *)scratch;
	p->len = bin_len;
	return 1;
}

struct eio_frame *
eio_frame_alloc(enum eio_type type, size_t len)
{
	struct eio_frame	*f;

	if (len > SIZE_MAX - sizeof *f - EIO_FRAME_PRE - 2)
		fatal("eio: frame of %zu bytes", len);
	f = xmalloc(sizeof *f + EIO_FRAME_PRE + len + 2);
	f->refs = 1;
	f->binary = 0;
	f->len = len + 1;
	f->data[EIO_FRAME_PRE] = (unsigned char)('0' + type);
	f->data[EIO_FRAME_PRE + len + 1] = '\0';	/* for debugging only */
	return f;
}

struct eio_frame *
eio_frame_text(enum eio_type type, const char *data, size_t len)
{
	struct eio_frame	*f = eio_frame_alloc(type, len);

	if (len > 0)
		memcpy(f->data + EIO_FRAME_PRE + 1, data, len);
	return f;
}

struct eio_frame *
eio_frame_binary(const void *data, size_t len)
{
	struct eio_frame	*f;

	if (len > SIZE_MAX - sizeof *f - EIO_FRAME_PRE - 1)
		fatal("eio: frame of %zu bytes", len);
	f = xmalloc(sizeof *f + EIO_FRAME_PRE + len + 1);
	f->refs = 1;
	f->binary = 1;
	f->len = len;
	if (len > 0)
		memcpy(f->data + EIO_FRAME_PRE, data, len);
	return f;
}

struct eio_frame *
eio_frame_ref(struct eio_frame *f)
{
	f->refs++;
	return f;
}

void
eio_frame_unref(struct eio_frame *f)
{
	if (f != NULL && --f->refs == 0)
		free(f);
}

size_t
eio_payload_size(const struct eio_frame *f)
{
	if (!f->binary)
		return f->len;
	/* sodium's size includes the NUL */
	return 1 + sodium_base64_ENCODED_LEN(f->len, EIO_B64) - 1;
}

size_t
eio_payload_put(const struct eio_frame *f, char *out)
{
	size_t	n = eio_payload_size(f);

	if (!f->binary) {
		memcpy(out, f->data + EIO_FRAME_PRE, f->len);
		return n;
	}
	out[0] = 'b';
	/* sodium writes the NUL too: the caller's buffer has a byte spare */
	sodium_bin2base64(out + 1, n, f->data + EIO_FRAME_PRE, f->len,
	    EIO_B64);
	return n;
}

int
eio_open_json(char *out, size_t outlen, const char *sid, int can_upgrade,
    long ping_interval, long ping_timeout, long max_payload)
{
	int	n;

	n = snprintf(out, outlen, "{\"sid\":\"%s\",\"upgrades\":[%s],"
	    "\"pingInterval\":%ld,\"pingTimeout\":%ld,\"maxPayload\":%ld}",
	    sid, can_upgrade ? "\"websocket\"" : "", ping_interval,
	    ping_timeout, max_payload);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

void
eio_sid_new(char *sid)
{
	unsigned char	raw[15];
	char		b64[sodium_base64_ENCODED_LEN(sizeof raw,
			    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	memcpy(sid, b64, EIO_SID_LEN);
	sid[EIO_SID_LEN] = '\0';
}
