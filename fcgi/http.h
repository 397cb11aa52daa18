/*
 * One HTTP request as a FastCGI worker sees it, and the response helpers.
 * Every response carries X-Request-Id and Cache-Control: no-store; error
 * bodies are {"error":{"code","message","details"?}}.
 */
#ifndef WAQTOR_HTTP_H
#define WAQTOR_HTTP_H

#include <stddef.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "router.h"

struct worker;

#define HTTP_REQUEST_ID_MAX	64
#define HTTP_HEADERS_MAX	2048

struct req {
	FCGX_Request		*fcgi;
	struct worker		*worker;
	const char		*method;
	char			 path[1024];	/* without the query string */
	int			 path_too_long;	/* answered 414 */
	const char		*query;
	char			 request_id[HTTP_REQUEST_ID_MAX + 1];
	char			*body;		/* NUL-terminated, body_len bytes */
	size_t			 body_len;
	struct route_match	 match;

	int			 responded;
	int			 status;	/* for the access log */
	char			 headers[HTTP_HEADERS_MAX];	/* extra */
	size_t			 headers_len;
};

/* The CGI parameter (e.g. "HTTP_ORIGIN"), or NULL. */
const char *http_param(struct req *r, const char *name);
/* Adds "Name: value" to the response; header text must not come from input
 * unless checked. -1 when the header buffer is full. */
int http_add_header(struct req *r, const char *name, const char *value)
    __attribute__((warn_unused_result));
/* Sends status and body (taken over; NULL for no body). */
void http_respond_json(struct req *r, int status, struct json_object *body);
/* Sends {"error":{"code","message","details"}}; details taken over, may be NULL. */
void http_respond_error(struct req *r, int status, const char *code,
    const char *message, struct json_object *details);
/* The reason phrase of a status code. */
const char *http_reason(int status);
/* 1 when s is an acceptable client-supplied request id ([A-Za-z0-9._-]{1,64}). */
int http_request_id_valid(const char *s);

#endif
