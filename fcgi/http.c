#include "http.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonx.h"
#include "log.h"
#include "xmalloc.h"

static const struct {
	int		 status;
	const char	*reason;
} http_reasons[] = {
	{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
	{ 204, "No Content" }, { 400, "Bad Request" },
	{ 401, "Unauthorized" }, { 402, "Payment Required" },
	{ 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 409, "Conflict" },
	{ 413, "Content Too Large" },
	{ 414, "URI Too Long" }, { 415, "Unsupported Media Type" },
	{ 422, "Unprocessable Content" }, { 429, "Too Many Requests" },
	{ 500, "Internal Server Error" }, { 503, "Service Unavailable" },
};

const char *
http_reason(int status)
{
	size_t	i;

	for (i = 0; i < sizeof http_reasons / sizeof http_reasons[0]; i++) {
		if (http_reasons[i].status == status)
			return http_reasons[i].reason;
	}
	return "Unknown";
}

int
http_request_id_valid(const char *s)
{
	size_t	n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._-");

	return n > 0 && n <= HTTP_REQUEST_ID_MAX && s[n] == '\0';
}

const char *
http_param(struct req *r, const char *name)
{
	return FCGX_GetParam(name, r->fcgi->envp);
}

int
http_add_header(struct req *r, const char *name, const char *value)
{
	int	n;

	n = snprintf(r->headers + r->headers_len,
	    sizeof r->headers - r->headers_len, "%s: %s\r\n", name, value);
	if (n < 0 || (size_t)n >= sizeof r->headers - r->headers_len) {
		r->headers[r->headers_len] = '\0';
		return -1;
	}
	r->headers_len += (size_t)n;
	return 0;
}

int
http_cookie(struct req *r, const char *name, char *out, size_t outlen)
{
	const char	*h = http_param(r, "HTTP_COOKIE");
	size_t		 nlen = strlen(name);

	while (h != NULL && *h != '\0') {
		size_t	len;

		h += strspn(h, " \t;");
		len = strcspn(h, ";");
		if (len > nlen && strncmp(h, name, nlen) == 0 && h[nlen] == '=') {
			size_t vlen = len - nlen - 1;

			if (vlen >= outlen)
				return -1;
			memcpy(out, h + nlen + 1, vlen);
			out[vlen] = '\0';
			return 0;
		}
		h += len;
	}
	return -1;
}

static int
hexval(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

int
http_unescape(const char *src, size_t len, char *out, size_t outlen)
{
	size_t	i, o = 0;

	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)src[i];

		if (c == '%') {
			if (i + 2 >= len || !isxdigit((unsigned char)src[i + 1]) ||
			    !isxdigit((unsigned char)src[i + 2]))
				return -1;
			c = (unsigned char)((hexval(src[i + 1]) << 4) |
			    hexval(src[i + 2]));
			i += 2;
		} else if (c == '+')
			c = ' ';
		if (c < 0x20 || c == 0x7f || o + 1 >= outlen)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

int
http_query(struct req *r, const char *name, char *out, size_t outlen)
{
	const char	*q = r->query;
	size_t		 nlen = strlen(name);

	while (q != NULL && *q != '\0') {
		size_t	len = strcspn(q, "&");

		if (len > nlen && strncmp(q, name, nlen) == 0 && q[nlen] == '=')
			return http_unescape(q + nlen + 1, len - nlen - 1, out,
			    outlen) == 0 ? 0 : -2;
		q += len + (q[len] == '&');
	}
	return -1;
}

int
http_is_https(struct req *r)
{
	const char	*https = http_param(r, "HTTPS");
	const char	*scheme = http_param(r, "REQUEST_SCHEME");

	return (https != NULL && strcmp(https, "on") == 0) ||
	    (scheme != NULL && strcmp(scheme, "https") == 0);
}

const char *
http_client_ip(struct req *r)
{
	const char	*ip = http_param(r, "REMOTE_ADDR");

	return ip != NULL ? ip : "unknown";
}

static void
http_set(struct req *r, int status, const char *content_type, const void *data,
    size_t len)
{
	if (r->responded) {
		log_error("second answer for one request (status %d)", status);
		return;
	}
	r->responded = 1;
	r->status = status;
	r->resp_type = content_type;
	r->resp_len = len;
	r->resp_body = xmalloc(len + 1);
	if (len > 0)
		memcpy(r->resp_body, data, len);
}

long
http_read(struct req *r, char *buf, size_t len)
{
	int	n;

	if (len > r->body_left)
		len = r->body_left;
	if (len == 0)
		return 0;
	if (len > INT_MAX)
		len = INT_MAX;
	if ((n = FCGX_GetStr(buf, (int)len, r->fcgi->in)) <= 0) {
		r->body_left = 0;
		if (!r->responded)
			http_respond_error(r, 400, "bad_request",
			    "request body shorter than Content-Length", NULL);
		return -1;
	}
	r->body_left -= (size_t)n;
	return n;
}

void
http_set_cache(struct req *r, const char *value)
{
	r->cache = value;
}

void
http_respond_raw(struct req *r, int status, const char *content_type,
    const void *data, size_t len)
{
	http_set(r, status, content_type, data, len);
}

void
http_respond_json(struct req *r, int status, struct json_object *body)
{
	char	*text;

	if (body == NULL) {
		http_set(r, status, NULL, "", 0);
		return;
	}
	text = xasprintf("%s\n", jsonx_string(body));
	http_set(r, status, "application/json", text, strlen(text));
	free(text);
	json_object_put(body);
}

void
http_discard(struct req *r)
{
	free(r->resp_body);
	r->resp_body = NULL;
	r->resp_len = 0;
	r->responded = 0;
	r->cache = NULL;
	r->headers_len = 0;
	r->headers[0] = '\0';
}

void
http_flush(struct req *r)
{
	if (!r->responded)
		http_respond_error(r, 500, "internal", "internal error", NULL);
	FCGX_FPrintF(r->fcgi->out,
	    "Status: %d %s\r\n"
	    "X-Request-Id: %s\r\n"
	    "Cache-Control: %s\r\n"
	    "%s",
	    r->status, http_reason(r->status), r->request_id,
	    r->cache != NULL && r->status < 300 ? r->cache : "no-store",
	    r->headers);
	if (r->resp_type != NULL)
		FCGX_FPrintF(r->fcgi->out, "Content-Type: %s\r\n",
		    r->resp_type);
	FCGX_PutS("\r\n", r->fcgi->out);
	if (r->resp_len > 0)
		FCGX_PutStr(r->resp_body, (int)r->resp_len, r->fcgi->out);
	free(r->resp_body);
	r->resp_body = NULL;
}

void
http_respond_error(struct req *r, int status, const char *code,
    const char *message, struct json_object *details)
{
	struct json_object	*body = json_object_new_object();
	struct json_object	*err = json_object_new_object();

	jsonx_add_str(err, "code", code);
	jsonx_add_str(err, "message", message);
	if (details != NULL)
		json_object_object_add(err, "details", details);
	json_object_object_add(body, "error", err);
	http_respond_json(r, status, body);
}
