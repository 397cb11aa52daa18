/*
 * The route table: one line per endpoint (method, path pattern, handler,
 * auth, least role, flags, body limit). Patterns are literal segments and {name}
 * parameters, each matching one non-empty path segment:
 *   { "GET", "/api/v1/instances/{id}", h_instance_get, AUTH_EITHER,
 *     ROLE_MEMBER, ROUTE_DB, 0 }
 */
#ifndef WAQTOR_ROUTER_H
#define WAQTOR_ROUTER_H

#include <stddef.h>

struct req;

enum route_auth {
	AUTH_NONE,	/* public */
	AUTH_SESSION,	/* dashboard login only */
	AUTH_APIKEY,	/* X-API-Key only */
	AUTH_EITHER,	/* session or API key */
};

#define ROUTE_DB	0x1	/* needs PostgreSQL: 503 while it is down */
#define ROUTE_REDIS	0x2	/* needs Redis: 503 while it is down */
#define ROUTE_PREMIUM	0x4	/* 402 without an active subscription */
#define ROUTE_UNLIMITED	0x8	/* no per-caller rate limit (signed webhooks) */
#define ROUTE_STREAM	0x10	/* the body is left unread: the handler reads
				   it in pieces (http_read), up to body_max */
#define ROUTE_BULK	0x20	/* bulk work: its statements may run
				   WAQTOR_BULK_STATEMENT_TIMEOUT_MS */

/* The least role a route needs (fcgi/auth.c maps users' roles to these). */
enum route_role {
	ROLE_ANY,	/* no credentials needed */
	ROLE_MEMBER,	/* messages, chats, campaigns, SmartBot */
	ROLE_ADMIN,	/* also instances, API keys, webhooks, members */
	ROLE_OWNER,	/* also the subscription and the tenant itself */
};

typedef void route_handler(struct req *);

struct route {
	const char	*method;
	const char	*pattern;
	route_handler	*handler;
	enum route_auth	 auth;
	enum route_role	 role;
	int		 flags;
	size_t		 body_max;	/* 0: the configured default */
};

#define ROUTE_PARAMS_MAX	4
#define ROUTE_PARAM_LEN		128

struct route_match {
	const struct route	*route;
	int			 nparams;
	struct {
		const char	*name;	/* points into the pattern */
		size_t		 namelen;
		char		 value[ROUTE_PARAM_LEN];
	}			 params[ROUTE_PARAMS_MAX];
};

enum route_result {
	ROUTE_FOUND,
	ROUTE_NOT_FOUND,
	ROUTE_METHOD_NOT_ALLOWED,	/* path known: allow lists its methods */
};

extern const struct route	route_table[];
extern const size_t		route_table_len;

/*
 * Finds the route for method and path in table. On ROUTE_METHOD_NOT_ALLOWED
 * writes the allowed methods ("GET, POST") into allow.
 */
enum route_result route_find(const struct route *table, size_t n,
    const char *method, const char *path, struct route_match *m,
    char *allow, size_t allowlen);
/* The raw value of parameter name, or NULL. */
const char *route_param(const struct route_match *m, const char *name);

#endif
