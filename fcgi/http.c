#include "http.h"

#include <stdio.h>
#include <string.h>

#include "jsonx.h"
#include "log.h"

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

void
http_respond_json(struct req *r, int status, struct json_object *body)
{
	const char	*text = body != NULL ? jsonx_string(body) : NULL;

	if (r->responded) {
		log_error("second response for one request (status %d)", status);
		json_object_put(body);
		return;
	}
	r->responded = 1;
	r->status = status;
	FCGX_FPrintF(r->fcgi->out,
	    "Status: %d %s\r\n"
	    "X-Request-Id: %s\r\n"
	    "Cache-Control: no-store\r\n"
	    "%s"
	    "%s"
	    "\r\n",
	    status, http_reason(status), r->request_id, r->headers,
	    text != NULL ? "Content-Type: application/json\r\n" : "");
	if (text != NULL) {
		FCGX_PutS(text, r->fcgi->out);
		FCGX_PutS("\n", r->fcgi->out);
	}
	json_object_put(body);
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
