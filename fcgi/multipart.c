#include "multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

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

int
multipart_first_file(const char *content_type, const char *body, size_t len,
    const char **data, size_t *datalen)
{
	char		 delim[MULTIPART_BOUNDARY_MAX + 8];
	const char	*p, *end = body + len, *next, *headers_end;
	size_t		 dlen;

	if (multipart_boundary(content_type, delim, sizeof delim) == -1)
		return -1;
	dlen = strlen(delim);
	p = memmem(body, len, delim, dlen);
	while (p != NULL) {
		p += dlen;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return -1;	/* closing delimiter: no file */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return -1;
		p += 2;
		headers_end = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (headers_end == NULL)
			return -1;
		next = memmem(headers_end + 4, (size_t)(end - headers_end - 4),
		    delim, dlen);
		if (next == NULL || next - (headers_end + 4) < 2)
			return -1;
		if (memmem(p, (size_t)(headers_end - p), "filename=", 9) != NULL) {
			*data = headers_end + 4;
			*datalen = (size_t)(next - 2 - *data);	/* CRLF before */
			return 0;
		}
		p = next;
	}
	return -1;
}
