/*
 * One HTTP request as a FastCGI worker sees it, and the response helpers.
 * Every response carries X-Request-Id and Cache-Control: no-store (unless
 * a success says otherwise: http_set_cache); error bodies are
 * {"error":{"code","message","details"?}}.
 */
#ifndef WAQTOR_HTTP_H
#define WAQTOR_HTTP_H

#include <stddef.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "router.h"

struct worker;

enum auth_kind { AUTH_KIND_NONE, AUTH_KIND_SESSION, AUTH_KIND_APIKEY };

/* Who makes the request, once authenticated (fcgi/auth.c). */
struct auth {
	enum auth_kind	 kind;
	char		 tenant_id[37];
	char		 user_id[37];	/* "" for an API key */
	char		 key_id[37];	/* "" for a session */
	char		 session_id[37];
	char		 role[8];	/* owner, admin, member; keys act as admin */
	char		 plan[16];
	int		 plan_active;
};

#define HTTP_REQUEST_ID_MAX	64
#define HTTP_HEADERS_MAX	2048

#define HTTP_REVOKE_MAX	32

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
	size_t			 body_left;	/* ROUTE_STREAM: not yet read */
	struct route_match	 match;
	struct auth		 auth;
	int			 in_tx;		/* a transaction is open */
	int			 keep_on_error;	/* commit even when failing:
						   the failure's audit row */
	int			 dry_run;	/* roll back even a success
						   (previews) */
	/* waqtor:control messages to publish once committed (api.h) */
	char			 revoke[HTTP_REVOKE_MAX][200];
	int			 nrevoke;
	/* events of the tenant to publish once committed (api_event) */
	struct json_object	*events;	/* [[type, envelope]] */

	/* The answer, kept until the transaction is settled (http_flush). */
	int			 responded;
	int			 status;
	char			*resp_body;
	size_t			 resp_len;
	const char		*resp_type;	/* static string or NULL */
	const char		*cache;		/* Cache-Control of a success:
						   static string, NULL no-store */
	char			 headers[HTTP_HEADERS_MAX];	/* extra */
	size_t			 headers_len;
};

/* The CGI parameter (e.g. "HTTP_ORIGIN"), or NULL. */
const char *http_param(struct req *r, const char *name);
/* Adds "Name: value" to the response; header text must not come from input
 * unless checked. -1 when the header buffer is full. */
int http_add_header(struct req *r, const char *name, const char *value)
    __attribute__((warn_unused_result));
/* The value of cookie name from the Cookie header into out; -1 if absent. */
int http_cookie(struct req *r, const char *name, char *out, size_t outlen)
    __attribute__((warn_unused_result));
/*
 * The percent-decoded value of query argument name into out: 0, -1 when
 * absent, -2 when malformed (bad escape, NUL, control byte) or too long.
 */
int http_query(struct req *r, const char *name, char *out, size_t outlen)
    __attribute__((warn_unused_result));
/* Percent-decodes src[0..len) into out; -1 on a bad escape, NUL or overflow. */
int http_unescape(const char *src, size_t len, char *out, size_t outlen)
    __attribute__((warn_unused_result));
/* 1 when the client reached us over TLS (nginx's HTTPS or REQUEST_SCHEME). */
int http_is_https(struct req *r);
/* The client's address (REMOTE_ADDR), never NULL. */
const char *http_client_ip(struct req *r);
/* A success (status < 300) carries Cache-Control: value (a static string)
 * instead of no-store; an error, or an answer discarded, never does. */
void http_set_cache(struct req *r, const char *value);
/* Sends status with a body of another type (images). */
void http_respond_raw(struct req *r, int status, const char *content_type,
    const void *data, size_t len);
/*
 * ROUTE_STREAM: reads up to len more bytes of the body into buf; the
 * number read, 0 at its end, -1 when the client sent less than its
 * Content-Length (answered 400). What the handler leaves is drained.
 */
long http_read(struct req *r, char *buf, size_t len)
    __attribute__((warn_unused_result));
/* Writes the answer out; a request without one gets a 500. */
void http_flush(struct req *r);
/* Drops an answer not yet flushed, to replace it. */
void http_discard(struct req *r);
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
