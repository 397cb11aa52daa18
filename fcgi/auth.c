#include "auth.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "config.h"
#include "http.h"
#include "log.h"
#include "router.h"
#include "token.h"
#include "worker.h"

static void
auth_fill(struct req *r, enum auth_kind kind, PGresult *res, int role_col,
    int plan_col)
{
	struct auth	*a = &r->auth;

	a->kind = kind;
	if (kind == AUTH_KIND_SESSION) {
		snprintf(a->session_id, sizeof a->session_id, "%s",
		    PQgetvalue(res, 0, 0));
		snprintf(a->user_id, sizeof a->user_id, "%s",
		    PQgetvalue(res, 0, 1));
		snprintf(a->tenant_id, sizeof a->tenant_id, "%s",
		    PQgetvalue(res, 0, 2));
		snprintf(a->role, sizeof a->role, "%s",
		    PQgetvalue(res, 0, role_col));
	} else {
		snprintf(a->key_id, sizeof a->key_id, "%s",
		    PQgetvalue(res, 0, 0));
		snprintf(a->tenant_id, sizeof a->tenant_id, "%s",
		    PQgetvalue(res, 0, 1));
		snprintf(a->role, sizeof a->role, "admin");
	}
	snprintf(a->plan, sizeof a->plan, "%s", PQgetvalue(res, 0, plan_col));
	a->plan_active = strcmp(PQgetvalue(res, 0, plan_col + 1), "t") == 0;
	log_set_tenant(a->tenant_id);
}

/* 1 found, 0 not, -1 answered (database down). */
static int
auth_lookup(struct req *r, enum auth_kind kind, const char *sql, int n,
    const char *const *params)
{
	PGresult	*res = api_query(r, sql, n, params);

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 0;
	}
	if (kind == AUTH_KIND_SESSION)
		auth_fill(r, kind, res, 3, 4);
	else
		auth_fill(r, kind, res, 0, 2);
	PQclear(res);
	return 1;
}

/*
 * The origin of an http(s) URL as browsers write it: scheme://host[:port],
 * lower-case, without the scheme's default port. 0, or -1 when url is not
 * an http(s) URL.
 */
static int
auth_origin(const char *url, char *out, size_t outlen)
{
	const char	*scheme = strncasecmp(url, "https://", 8) == 0 ? "https" :
			    strncasecmp(url, "http://", 7) == 0 ? "http" : NULL;
	const char	*host, *end;
	size_t		 n, i;

	if (scheme == NULL)
		return -1;
	host = url + strlen(scheme) + 3;
	end = host + strcspn(host, "/?#");
	n = (size_t)(end - host);
	/* the default port is the same origin */
	if (n > 3 && strcmp(scheme, "http") == 0 && strncmp(end - 3, ":80", 3) == 0)
		n -= 3;
	else if (n > 4 && strcmp(scheme, "https") == 0 &&
	    strncmp(end - 4, ":443", 4) == 0)
		n -= 4;
	if (n == 0 || strlen(scheme) + 3 + n + 1 > outlen)
		return -1;
	snprintf(out, outlen, "%s://", scheme);
	for (i = 0; i < n; i++)
		out[strlen(scheme) + 3 + i] = (char)tolower((unsigned char)host[i]);
	out[strlen(scheme) + 3 + n] = '\0';
	return 0;
}

/*
 * Cookie-authenticated writes must come from our own pages: browsers send
 * Origin on every cross-site and same-site POST/PATCH/DELETE, so it must be
 * the stack's public origin (WAQTOR_PUBLIC_URL): scheme, host and port.
 * SameSite=Strict already keeps the cookie off cross-site requests; this is
 * the second lock.
 */
static int
auth_csrf_ok(struct req *r)
{
	const char	*method = r->method;
	const char	*origin = http_param(r, "HTTP_ORIGIN");
	const char	*p;
	char		 got[300], want[300];

	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		return 1;
	/* an Origin is scheme://host[:port] and nothing more ("null" too) */
	if (origin == NULL || (p = strstr(origin, "://")) == NULL ||
	    p[3 + strcspn(p + 3, "/?#")] != '\0' ||
	    auth_origin(origin, got, sizeof got) == -1 ||
	    auth_origin(config_str(CFG_PUBLIC_URL), want, sizeof want) == -1)
		return 0;
	return strcmp(got, want) == 0;
}

int
auth_request(struct req *r)
{
	enum route_auth	 need = r->match.route->auth;
	const char	*key = http_param(r, "HTTP_X_API_KEY");
	char		 token[80], hash[2 * TOKEN_HASH_LEN + 3];
	char		 prefix[APIKEY_PREFIX_HEX + 1];
	const char	*params[2];
	int		 found;

	if (need == AUTH_NONE)
		return 0;
	if (key != NULL) {
		if (need == AUTH_SESSION) {
			http_respond_error(r, 403, "session_required",
			    "this needs a logged-in user, not an API key", NULL);
			return -1;
		}
		if (apikey_parse(key, prefix) == -1)
			goto unauthorized;
		token_hash_bytea(key, hash, sizeof hash);
		params[0] = prefix;
		params[1] = hash;
		found = auth_lookup(r, AUTH_KIND_APIKEY, "SELECT key_id, "
		    "tenant_id, plan, plan_active FROM auth_api_key($1, $2)",
		    2, params);
		if (found == -1)
			return -1;
		if (found == 0)
			goto unauthorized;
		return 0;
	}
	if (http_cookie(r, SESSION_COOKIE, token, sizeof token) == 0 &&
	    need != AUTH_APIKEY) {
		token_hash_bytea(token, hash, sizeof hash);
		params[0] = hash;
		found = auth_lookup(r, AUTH_KIND_SESSION, "SELECT session_id, "
		    "user_id, tenant_id, role, plan, plan_active "
		    "FROM auth_session($1)", 1, params);
		if (found == -1)
			return -1;
		if (found == 0) {
			if (api_session_clear_cookie(r) == -1)
				log_warn("response headers full");
			http_respond_error(r, 401, "session_expired",
			    "the session has expired: log in again", NULL);
			return -1;
		}
		if (!auth_csrf_ok(r)) {
			http_respond_error(r, 403, "csrf_failed",
			    "cross-site request refused: Origin must be this "
			    "site", NULL);
			return -1;
		}
		return 0;
	}
unauthorized:
	http_respond_error(r, 401, "unauthorized", key != NULL ?
	    "the API key is not valid or has been revoked" :
	    "log in, or send an API key in X-API-Key", NULL);
	return -1;
}

/* The roles of a tenant's users, least first: what each may do is the
 * route table's role column (docs/openapi.yaml, x-role). */
static const struct {
	const char	*name;
	enum route_role	 role;
} auth_roles[] = {
	{ "member",	ROLE_MEMBER },
	{ "admin",	ROLE_ADMIN },
	{ "owner",	ROLE_OWNER },
};

int
auth_role_check(struct req *r)
{
	enum route_role	 need = r->match.route->role, have = ROLE_ANY;
	char		 msg[64];
	size_t		 i;

	if (need == ROLE_ANY)
		return 0;
	for (i = 0; i < sizeof auth_roles / sizeof auth_roles[0]; i++) {
		if (strcmp(auth_roles[i].name, r->auth.role) == 0)
			have = auth_roles[i].role;
		if (auth_roles[i].role == need)
			snprintf(msg, sizeof msg, "this needs the %s role%s",
			    auth_roles[i].name, need < ROLE_OWNER ? " or above" : "");
	}
	if (have >= need)
		return 0;
	http_respond_error(r, 403, "forbidden", msg, NULL);
	return -1;
}
