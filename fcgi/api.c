#include "api.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "csv.h"
#include "jsonx.h"
#include "log.h"
#include "strbuf.h"
#include "token.h"
#include "util.h"
#include "validate.h"
#include "worker.h"

PGresult *
api_query_conflict(struct req *r, const char *conflict, const char *sql,
    int n, const char *const *params)
{
	PGresult	*res = db_query(&r->worker->db, sql, n, params, 0);
	const char	*state;

	if (res == NULL) {
		http_respond_error(r, 503, "service_unavailable",
		    "the database is unavailable, retry shortly", NULL);
		return NULL;
	}
	if (PQresultStatus(res) == PGRES_TUPLES_OK ||
	    PQresultStatus(res) == PGRES_COMMAND_OK)
		return res;
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (conflict != NULL && state != NULL && strcmp(state, "23505") == 0)
		http_respond_error(r, 409, "conflict", conflict, NULL);
	else if (db_is_busy(res)) {
		if (http_add_header(r, "Retry-After", "1") == -1)
			log_warn("response headers full");
		http_respond_error(r, 503, "service_unavailable",
		    "the database is busy, retry shortly", NULL);
	} else	/* db_query logged it, without the values */
		http_respond_error(r, 500, "internal", "internal error", NULL);
	PQclear(res);
	return NULL;
}

const char *
api_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

void
api_respond_row(struct req *r, int status, PGresult *res, const char *what)
{
	char	msg[64];

	if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0)) {
		snprintf(msg, sizeof msg, "no such %s", what);
		http_respond_error(r, 404, "not_found", msg, NULL);
	} else
		http_respond_raw(r, status, "application/json",
		    PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
}

int
api_path_row(struct req *r, const char *what, const char *sql,
    const char **id)
{
	PGresult	*res;
	int		 found;
	char		 msg[64];

	if ((*id = api_uuid_param(r, "id", what)) == NULL ||
	    (res = api_query(r, sql, 1, id)) == NULL)
		return -1;
	found = PQntuples(res) == 1;
	PQclear(res);
	if (!found) {
		snprintf(msg, sizeof msg, "no such %s", what);
		http_respond_error(r, 404, "not_found", msg, NULL);
	}
	return found ? 0 : -1;
}

void
api_get_row(struct req *r, const char *what, const char *sql)
{
	const char	*params[1];
	PGresult	*res;

	if ((params[0] = api_uuid_param(r, "id", what)) != NULL &&
	    (res = api_query(r, sql, 1, params)) != NULL)
		api_respond_row(r, 200, res, what);
}

int
api_delete(struct req *r, const char *what, const char *sql, int n,
    const char *const *params)
{
	PGresult	*res;
	int		 deleted;
	char		 msg[64];

	if ((res = api_query(r, sql, n, params)) == NULL)
		return -1;
	deleted = PQntuples(res) > 0;
	PQclear(res);
	if (deleted)
		http_respond_json(r, 204, NULL);
	else {
		snprintf(msg, sizeof msg, "no such %s", what);
		http_respond_error(r, 404, "not_found", msg, NULL);
	}
	return deleted;
}

void
api_respond_csv(struct req *r, const char *filename, const char *csv,
    size_t len)
{
	char	disposition[160];

	snprintf(disposition, sizeof disposition,
	    "attachment; filename=\"%s\"", filename);
	if (http_add_header(r, "Content-Disposition", disposition) == -1)
		http_respond_error(r, 500, "internal", "internal error", NULL);
	else
		http_respond_raw(r, 200, "text/csv; charset=utf-8", csv, len);
}

void
api_respond_result_csv(struct req *r, const char *filename, PGresult *res)
{
	struct strbuf	 out = STRBUF_INIT;
	int		 i, k, nf = PQnfields(res);

	for (k = 0; k < nf; k++) {
		if (k > 0)
			strbuf_addch(&out, ',');
		strbuf_addstr(&out, PQfname(res, k));
	}
	strbuf_addstr(&out, "\r\n");
	for (i = 0; i < PQntuples(res); i++) {
		for (k = 0; k < nf; k++) {
			if (k > 0)
				strbuf_addch(&out, ',');
			csv_write_field(&out, PQgetvalue(res, i, k),
			    (size_t)PQgetlength(res, i, k));
		}
		strbuf_addstr(&out, "\r\n");
	}
	PQclear(res);
	api_respond_csv(r, filename, out.data, out.len);
	strbuf_free(&out);
}

PGresult *
api_query(struct req *r, const char *sql, int n, const char *const *params)
{
	return api_query_conflict(r, NULL, sql, n, params);
}

int
api_set_tenant(struct req *r, const char *tenant_id)
{
	const char	*params[] = { tenant_id };
	PGresult	*res = api_query(r,
	    "SELECT set_config('waqtor.tenant_id', $1, true)", 1, params);

	if (res == NULL)
		return -1;
	PQclear(res);
	if (tenant_id != r->auth.tenant_id)
		snprintf(r->auth.tenant_id, sizeof r->auth.tenant_id, "%s",
		    tenant_id);
	log_set_tenant(tenant_id);
	return 0;
}

int
api_require_admin(struct req *r)
{
	if (strcmp(r->auth.role, "owner") == 0 ||
	    strcmp(r->auth.role, "admin") == 0)
		return 0;
	http_respond_error(r, 403, "forbidden",
	    "only an owner or an admin may do this", NULL);
	return -1;
}

int
api_require_user(struct req *r)
{
	if (r->auth.kind == AUTH_KIND_SESSION)
		return 0;
	http_respond_error(r, 403, "session_required",
	    "this needs a logged-in user, not an API key", NULL);
	return -1;
}

void
api_audit_as(struct req *r, const char *tenant_id, const char *user_id,
    const char *action, struct json_object *details)
{
	const char	*params[6];
	PGresult	*res;

	params[0] = tenant_id;
	params[1] = user_id != NULL && *user_id != '\0' ? user_id : NULL;
	params[2] = r->auth.key_id[0] != '\0' ? r->auth.key_id : NULL;
	params[3] = action;
	params[4] = http_client_ip(r);
	params[5] = details != NULL ? jsonx_string(details) : "{}";
	res = db_query(&r->worker->db,
	    "INSERT INTO audit_log (tenant_id, user_id, api_key_id, action, ip, "
	    "details) VALUES ($1, $2, $3, $4, $5, $6)", 6, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK)
		log_error("audit %s not recorded", action);
	PQclear(res);
	json_object_put(details);
}

void
api_audit(struct req *r, const char *action, struct json_object *details)
{
	api_audit_as(r, r->auth.tenant_id, r->auth.user_id, action, details);
}

static int
api_set_cookie(struct req *r, const char *value, long max_age)
{
	char	cookie[256];

	snprintf(cookie, sizeof cookie,
	    SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; "
	    "Max-Age=%ld%s", value, max_age, http_is_https(r) ? "; Secure" : "");
	return http_add_header(r, "Set-Cookie", cookie);
}

int
api_session_start(struct req *r, const char *tenant_id, const char *user_id)
{
	char		 token[65], hash[2 * TOKEN_HASH_LEN + 3], ttl[32];
	const char	*params[4];
	PGresult	*res;

	util_random_hex(token, 32);
	token_hash_bytea(token, hash, sizeof hash);
	snprintf(ttl, sizeof ttl, "%d seconds", SESSION_TTL_SECS);
	params[0] = tenant_id;
	params[1] = user_id;
	params[2] = hash;
	params[3] = ttl;
	res = api_query(r, "INSERT INTO sessions (tenant_id, user_id, "
	    "token_hash, expires_at) VALUES ($1, $2, $3, now() + $4::interval)",
	    4, params);
	if (res == NULL)
		return -1;
	PQclear(res);
	if (api_set_cookie(r, token, SESSION_TTL_SECS) == -1) {
		http_respond_error(r, 500, "internal", "internal error", NULL);
		return -1;
	}
	return 0;
}

int
api_session_clear_cookie(struct req *r)
{
	return api_set_cookie(r, "", 0);
}

struct json_object *
api_user_json(PGresult *res, int row)
{
	struct json_object	*u = json_object_new_object();
	const char		*email = PQgetvalue(res, row, 2);
	char			 url[160], lower[256], hex[65];
	unsigned char		 h[32];
	size_t			 i;

	jsonx_add_str(u, "id", PQgetvalue(res, row, 0));
	jsonx_add_str(u, "name", PQgetvalue(res, row, 1));
	jsonx_add_str(u, "email", email);
	jsonx_add_str(u, "role", PQgetvalue(res, row, 3));
	jsonx_add_str(u, "phone", api_value(res, row, 4));
	if (!PQgetisnull(res, row, 5))
		snprintf(url, sizeof url, "/api/v1/avatars/%s",
		    PQgetvalue(res, row, 0));
	else {
		/* Gravatar takes SHA-256 of the trimmed, lower-cased address */
		for (i = 0; email[i] != '\0' && i < sizeof lower - 1; i++)
			lower[i] = (char)(email[i] >= 'A' && email[i] <= 'Z' ?
			    email[i] + 32 : email[i]);
		lower[i] = '\0';
		crypto_hash_sha256(h, (const unsigned char *)lower, i);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		snprintf(url, sizeof url,
		    "https://www.gravatar.com/avatar/%s?d=identicon", hex);
	}
	jsonx_add_str(u, "avatarUrl", url);
	return u;
}

int
api_password_hash(const char *password, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES)
		return -1;
	return crypto_pwhash_str_alg(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

int
api_password_check(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void
api_password_dummy(const char *password)
{
	static char	dummy[crypto_pwhash_STRBYTES];

	if (dummy[0] == '\0' &&
	    api_password_hash("not a password of anyone", dummy,
	    sizeof dummy) == -1)
		return;
	(void)api_password_check(dummy, password);
}

void
api_add_time(struct json_object *obj, const char *key, const char *pg)
{
	char	out[UTIL_TS_LEN + 1];

	jsonx_add_str(obj, key, pg != NULL && util_pg_time(pg, out) == 0 ?
	    out : pg);
}

/* A filter argument: 0 given, -1 absent, 1 answered (malformed). */
int
query_filter(struct req *r, const char *name, char *out, size_t len,
    int (*check)(const char *))
{
	struct json_object	*details;
	int			 rc = http_query(r, name, out, len);

	if (rc == -1)
		return -1;
	if (rc == 0 && (check == NULL || check(out)))
		return 0;
	details = json_object_new_object();
	jsonx_add_str(details, name, "is not valid here");
	validate_fail(r, details);
	return 1;
}

int
api_is_search(const char *s)
{
	return jsonx_utf8_valid(s, strlen(s)) && validate_chars(s) <= 100 &&
	    validate_controls(s, 0);
}

void
api_search_digits(const char *search, char *out, size_t len)
{
	size_t	n = 0;

	/* only a search that looks like a number: "guest 12" is a name */
	if (search[strspn(search, "0123456789 +-().")] != '\0')
		search = "";
	for (; *search != '\0' && n + 1 < len; search++) {
		if (*search >= '0' && *search <= '9')
			out[n++] = *search;
	}
	out[n] = '\0';
}

long
query_long(struct req *r, const char *name, long def, long max)
{
	char	buf[24], *end;
	long	v;

	int	rc = http_query(r, name, buf, sizeof buf);

	if (rc == -1)
		return def;
	/* decimal digits only (no sign, no space), and no overflow */
	errno = 0;
	v = strtol(buf, &end, 10);
	if (rc == -2 || !isdigit((unsigned char)buf[0]) || *end != '\0' ||
	    errno == ERANGE || v < 1 || v > max) {
		struct json_object *details = json_object_new_object();
		char why[64];

		snprintf(why, sizeof why, "must be an integer from 1 to %ld", max);
		jsonx_add_str(details, name, why);
		http_respond_error(r, 400, "validation_failed",
		    "bad query parameter", details);
		return -1;
	}
	return v;
}

const char *
api_uuid_param(struct req *r, const char *name, const char *what)
{
	const char	*id = route_param(&r->match, name);
	char		 msg[64];

	if (id != NULL && util_is_uuid(id))
		return id;
	snprintf(msg, sizeof msg, "no such %s", what);
	http_respond_error(r, 404, "not_found", msg, NULL);
	return NULL;
}

const char *
api_event(struct req *r, const char *type, const char *endpoint_id,
    struct json_object *data)
{
	struct json_object	*ev = json_object_new_object(), *evs, *w;
	const char		*params[1];
	PGresult		*res;
	size_t			 first;
	int			 i;

	jsonx_add_str(ev, "type", type);
	jsonx_add_str(ev, "tenantId", r->auth.tenant_id);
	jsonx_add_str(ev, "endpointId", endpoint_id);
	json_object_object_add(ev, "data", data);
	evs = json_object_new_array();
	json_object_array_add(evs, ev);
	params[0] = jsonx_string(evs);
	res = api_query(r, "SELECT type, envelope FROM waqtor_emit($1)", 1,
	    params);
	json_object_put(evs);
	if (res == NULL)
		return NULL;
	if (r->events == NULL)
		r->events = json_object_new_array();
	first = json_object_array_length(r->events);
	for (i = 0; i < PQntuples(res); i++) {
		w = json_object_new_array_ext(2);
		json_object_array_add(w, json_object_new_string(
		    PQgetvalue(res, i, 0)));
		json_object_array_add(w, json_object_new_string(
		    PQgetvalue(res, i, 1)));
		json_object_array_add(r->events, w);
	}
	PQclear(res);
	if (i == 0)
		return "";	/* a notification no one is to hear */
	return json_object_get_string(json_object_array_get_idx(
	    json_object_array_get_idx(r->events, first), 1));
}

int
api_notify(struct req *r, const char *kind, const char *cause,
    struct json_object *data)
{
	jsonx_add_str(data, "kind", kind);
	jsonx_add_str(data, "cause", cause);
	return api_event(r, "notification.new", NULL, data) != NULL ? 0 : -1;
}

void
api_revoke_sockets(struct req *r, const char *field, const char *id,
    const char *except)
{
	if (r->nrevoke == HTTP_REVOKE_MAX) {
		log_error("too many revocations in one request: %s %s not sent",
		    field, id);
		return;
	}
	snprintf(r->revoke[r->nrevoke++], sizeof r->revoke[0],
	    "{\"type\":\"credential.revoked\",\"tenantId\":\"%s\",\"%s\":"
	    "\"%s\"%s%s%s}", r->auth.tenant_id, field, id,
	    except != NULL ? ",\"exceptSessionId\":\"" : "",
	    except != NULL ? except : "", except != NULL ? "\"" : "");
}
