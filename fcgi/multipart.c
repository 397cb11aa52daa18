#include "multipart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmalloc.h"

#define MULTIPART_BOUNDARY_MAX	70	/* RFC 2046 */

static int
multipart_boundary(const char *ct, char *out, size_t outlen)
{
	const char	*b;
	size_t		 len;

	if (ct == NULL || strncasecmp(ct, "multipart/form-data", 19) != 0 ||
	    (b = strstr(ct, "boundary=")) == NULL)
		return -1;
	b += strlen("boundary=");
	if (*b == '"') {
		b++;
		len = strcspn(b, "\"");
	} else
		len = strcspn(b, "; ");
	if (len == 0 || len > MULTIPART_BOUNDARY_MAX || len + 3 > outlen)
		return -1;
	snprintf(out, outlen, "--%.*s", (int)len, b);
	return 0;
}

/* Copies the quoted value of key="..." within h[0..len) into out. */
static void
multipart_param(const char *h, size_t len, const char *key, char *out,
    size_t outlen)
{
	const char	*p = h, *end = h + len, *q;
	size_t		 klen = strlen(key);

	out[0] = '\0';
	while ((p = memmem(p, (size_t)(end - p), key, klen)) != NULL) {
		/* name= must not match inside filename= */
		if (p == h || p[-1] == ' ' || p[-1] == ';') {
			p += klen;
			if (p < end && *p == '"' &&
			    (q = memchr(p + 1, '"', (size_t)(end - p - 1))) != NULL) {
				snprintf(out, outlen, "%.*s", (int)(q - p - 1),
				    p + 1);
				return;
			}
		} else
			p += klen;
	}
}

/* Fills part from its header block h[0..len): one header a line. */
static void
multipart_headers(const char *h, size_t len, struct mpart *part)
{
	const char	*line = h, *end = h + len;

	while (line < end) {
		const char	*eol = memmem(line, (size_t)(end - line), "\r\n", 2);
		size_t		 n = eol != NULL ? (size_t)(eol - line) :
		    (size_t)(end - line);

		if (n > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
			multipart_param(line, n, "name=", part->name,
			    sizeof part->name);
			multipart_param(line, n, "filename=", part->filename,
			    sizeof part->filename);
		} else if (n > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
			const char *v = line + 13;

			while (v < line + n && *v == ' ')
				v++;
			snprintf(part->type, sizeof part->type, "%.*s",
			    (int)(line + n - v), v);
		}
		line += n + 2;
	}
}

int
multipart_parse(const char *content_type, const char *body, size_t len,
    struct mpart *parts, int max)
{
	char		 delim[MULTIPART_BOUNDARY_MAX + 8];
	const char	*p, *end = body + len, *next, *headers_end;
	size_t		 dlen;
	int		 n = 0;

	if (multipart_boundary(content_type, delim, sizeof delim) == -1)
		return -1;
	dlen = strlen(delim);
	if ((p = memmem(body, len, delim, dlen)) == NULL)
		return -1;
	for (;;) {
		p += dlen;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return n;	/* the closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n' || n == max)
			return -1;
		p += 2;
		headers_end = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (headers_end == NULL || headers_end - p > 4096)
			return -1;
		next = memmem(headers_end + 4, (size_t)(end - headers_end - 4),
		    delim, dlen);
		if (next == NULL || next - (headers_end + 4) < 2 ||
		    next[-2] != '\r' || next[-1] != '\n')
			return -1;
		memset(&parts[n], 0, sizeof parts[n]);
		multipart_headers(p, (size_t)(headers_end - p), &parts[n]);
		parts[n].data = headers_end + 4;
		parts[n].len = (size_t)(next - 2 - parts[n].data);
		n++;
		p = next;
	}
}

const struct mpart *
multipart_find(const struct mpart *parts, int n, const char *name)
{
	int	i;

	for (i = 0; i < n; i++) {
		if (strcmp(parts[i].name, name) == 0)
			return &parts[i];
	}
	return NULL;
}

const struct mpart *
multipart_file(const struct mpart *parts, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		if (parts[i].filename[0] != '\0')
			return &parts[i];
	}
	return NULL;
}

/* ---------------------------------------------------------- streaming ---- */

#define MPSTREAM_HEADERS_MAX	4096
#define MPSTREAM_BUF		(2 * MPSTREAM_HEADERS_MAX + 2 * MULTIPART_BOUNDARY_MAX)

enum mpstate { MP_PREAMBLE, MP_DELIMITED, MP_HEADERS, MP_DATA, MP_DONE };

struct mpstream {
	mpstream_cb	*cb;
	void		*arg;
	char		 delim[MULTIPART_BOUNDARY_MAX + 16];	/* "\r\n--b" */
	size_t		 dlen;
	enum mpstate	 state;
	struct mpart	 part;
	char		 buf[MPSTREAM_BUF];
	size_t		 len;
};

struct mpstream *
mpstream_new(const char *content_type, mpstream_cb *cb, void *arg)
{
	struct mpstream	*s;
	char		 delim[MULTIPART_BOUNDARY_MAX + 8];

	if (multipart_boundary(content_type, delim, sizeof delim) == -1)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->cb = cb;
	s->arg = arg;
	snprintf(s->delim, sizeof s->delim, "\r\n%s", delim);
	s->dlen = strlen(s->delim);
	return s;
}

/* Takes n bytes off the front of the buffer. */
static void
mpstream_consume(struct mpstream *s, size_t n)
{
	memmove(s->buf, s->buf + n, s->len - n);
	s->len -= n;
}

/* Hands a piece of the current part to cb. */
static int
mpstream_emit(struct mpstream *s, size_t n, int last)
{
	int	rc;

	s->part.len += n;
	rc = n > 0 ? s->cb(s->arg, &s->part, s->buf, n, 0) : 0;
	if (rc == 0 && last)
		rc = s->cb(s->arg, &s->part, NULL, 0, 1);
	return rc;
}

/* Works through the buffer: 0 when it needs more bytes, -1 or cb's return
 * on failure. */
static int
mpstream_step(struct mpstream *s)
{
	const char	*p;
	size_t		 keep;
	int		 rc;

	for (;;) {
		switch (s->state) {
		case MP_PREAMBLE:
			/* the first delimiter has no CRLF before it */
			p = memmem(s->buf, s->len, s->delim + 2, s->dlen - 2);
			if (p == NULL) {
				keep = s->dlen - 3;
				if (s->len > keep)
					mpstream_consume(s, s->len - keep);
				return 0;
			}
			mpstream_consume(s, (size_t)(p - s->buf) + s->dlen - 2);
			s->state = MP_DELIMITED;
			break;
		case MP_DELIMITED:
			if (s->len < 2)
				return 0;
			if (s->buf[0] == '-' && s->buf[1] == '-')
				s->state = MP_DONE;
			else if (s->buf[0] == '\r' && s->buf[1] == '\n') {
				mpstream_consume(s, 2);
				s->state = MP_HEADERS;
			} else
				return -1;
			break;
		case MP_HEADERS:
			p = memmem(s->buf, s->len, "\r\n\r\n", 4);
			if (p == NULL || p - s->buf > MPSTREAM_HEADERS_MAX)
				return p == NULL && s->len <= MPSTREAM_HEADERS_MAX
				    + 3 ? 0 : -1;
			memset(&s->part, 0, sizeof s->part);
			multipart_headers(s->buf, (size_t)(p - s->buf), &s->part);
			mpstream_consume(s, (size_t)(p - s->buf) + 4);
			s->state = MP_DATA;
			break;
		case MP_DATA:
			p = memmem(s->buf, s->len, s->delim, s->dlen);
			if (p == NULL) {
				keep = s->dlen - 1;
				if (s->len <= keep)
					return 0;
				if ((rc = mpstream_emit(s, s->len - keep, 0)) != 0)
					return rc;
				mpstream_consume(s, s->len - keep);
				return 0;
			}
			if ((rc = mpstream_emit(s, (size_t)(p - s->buf), 1)) != 0)
				return rc;
			mpstream_consume(s, (size_t)(p - s->buf) + s->dlen);
			s->state = MP_DELIMITED;
			break;
		case MP_DONE:
			s->len = 0;	/* the epilogue is ignored */
			return 0;
		}
	}
}

int
mpstream_feed(struct mpstream *s, const char *data, size_t len)
{
	size_t	n;
	int	rc;

	while (len > 0) {
		n = sizeof s->buf - s->len;
		if (n > len)
			n = len;
		memcpy(s->buf + s->len, data, n);
		s->len += n;
		data += n;
		len -= n;
		if ((rc = mpstream_step(s)) != 0)
			return rc;
	}
	return 0;
}

int
mpstream_finish(struct mpstream *s)
{
	return s->state == MP_DONE ? 0 : -1;
}

void
mpstream_free(struct mpstream *s)
{
	free(s);
}
