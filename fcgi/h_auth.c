/*
 * Sign-up, login, logout and the caller's own profile (/me): the dashboard's
 * way in. Passwords are argon2id; sessions are server-side rows behind an
 * HttpOnly, SameSite=Strict cookie, a new one on every login.
 */
#include <time.h>
#include <string.h>

#include <sodium.h>

#include "api.h"
#include "handlers.h"
#include "image.h"
#include "jsonx.h"
#include "log.h"
#include "ratelimit.h"
#include "token.h"
#include "util.h"
#include "validate.h"
#include "worker.h"

#define LOGIN_MAX_FAILURES	5	/* per (e-mail, address), then locked */
#define LOGIN_MAX_IP_FAILURES	30	/* per client address */
#define LOGIN_ACCOUNT_RATE	10	/* tries a minute per account */
#define LOGIN_WINDOW_SECS	900
#define PASSWORD_MIN		8
#define PASSWORD_MAX		256
#define REALTIME_TOKEN_SECS	300

static void
lowercase(char *s)
{
	for (; *s != '\0'; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
	}
}

/* Answers {"user":{...}} (and tenant) for user id, with status. */
static void
respond_user(struct req *r, int status, const char *user_id, int with_tenant)
{
	const char		*params[] = { user_id };
	PGresult		*res;
	struct json_object	*body;

	res = api_query(r, "SELECT " API_USER_COLUMNS ", t.id, t.name, t.plan "
	    "FROM users u JOIN tenants t ON t.id = u.tenant_id "
	    "WHERE u.id = $1", 1, params);
	if (res == NULL)
		return;
	if (PQntuples(res) != 1) {
		PQclear(res);
		http_respond_error(r, 404, "not_found", "no such user", NULL);
		return;
	}
	body = json_object_new_object();
	json_object_object_add(body, "user", api_user_json(res, 0));
	if (with_tenant) {
		struct json_object *t = json_object_new_object();

		jsonx_add_str(t, "id", PQgetvalue(res, 0, 6));
		jsonx_add_str(t, "name", PQgetvalue(res, 0, 7));
		jsonx_add_str(t, "plan", PQgetvalue(res, 0, 8));
		json_object_object_add(body, "tenant", t);
	}
	PQclear(res);
	http_respond_json(r, status, body);
}

void
h_signup(struct req *r)
{
	static const struct vfield fields[] = {
		{ "tenantName", V_STRING, 1, 1, 200, NULL },
		{ "name", V_STRING, 1, 1, 200, NULL },
		{ "email", V_EMAIL, 1, 0, 0, NULL },
		{ "password", V_TEXT, 1, PASSWORD_MIN, PASSWORD_MAX, NULL },
	};
	struct json_object	*in, *details;
	char			 tenant[UTIL_UUID_LEN + 1], user[UTIL_UUID_LEN + 1];
	char			 hash[crypto_pwhash_STRBYTES];
	const char		*params[5];
	PGresult		*res;

	if (validate_body(r, fields, 4, &in) == -1)
		return;
	if (api_password_hash(jsonx_get_str(in, "password"), hash,
	    sizeof hash) == -1) {
		http_respond_error(r, 503, "service_unavailable",
		    "out of memory, retry shortly", NULL);
		goto out;
	}
	util_uuid(tenant);
	util_uuid(user);
	if (api_set_tenant(r, tenant) == -1)
		goto out;
	params[0] = tenant;
	params[1] = jsonx_get_str(in, "tenantName");
	if ((res = api_query(r, "INSERT INTO tenants (id, name) VALUES ($1, $2)",
	    2, params)) == NULL)
		goto out;
	PQclear(res);
	params[0] = user;
	params[1] = tenant;
	params[2] = jsonx_get_str(in, "email");
	params[3] = jsonx_get_str(in, "name");
	params[4] = hash;
	res = api_query_conflict(r, "an account with this e-mail exists",
	    "INSERT INTO users (id, tenant_id, email, name, password_hash, role) "
	    "VALUES ($1, $2, $3, $4, $5, 'owner')", 5, params);
	if (res == NULL)
		goto out;
	PQclear(res);
	snprintf(r->auth.user_id, sizeof r->auth.user_id, "%s", user);
	if (api_session_start(r, tenant, user) == -1)
		goto out;
	details = json_object_new_object();
	jsonx_add_str(details, "email", jsonx_get_str(in, "email"));
	api_audit(r, "signup", details);
	respond_user(r, 201, user, 1);
out:
	sodium_memzero(hash, sizeof hash);
	json_object_put(in);
}

/* The (account, address) pair a password try counts against. */
static void
login_pair(struct req *r, const char *email, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s|%s", email, http_client_ip(r));
}

/*
 * Counts a password try for the account email before it is checked, and
 * answers 429 when it must not be: past LOGIN_MAX_FAILURES tries from this
 * address for this account, or LOGIN_MAX_IP_FAILURES from this address
 * for any, within LOGIN_WINDOW_SECS (the lock is on the address: a
 * stranger's guesses never lock the owner out); and past
 * LOGIN_ACCOUNT_RATE tries a minute on the account from anywhere, a short
 * wait (a slowdown, never a lockout). The seconds to wait, or 0 to go on.
 */
static long
login_tries(struct req *r, const char *email)
{
	char			 pair[320], key[300];
	struct ratelimit_result	 res;
	long			 wait;

	snprintf(key, sizeof key, "waqtor:rl:login:%s", email);
	if (ratelimit_take_one(r, key, LOGIN_ACCOUNT_RATE, LOGIN_ACCOUNT_RATE,
	    &res) == 0 && !res.allowed) {
		wait = (res.wait_ms + 999) / 1000;
		ratelimit_respond(r, wait, "too many logins to this account: "
		    "wait a few seconds");
		return wait;
	}
	login_pair(r, email, pair, sizeof pair);
	if ((wait = ratelimit_try(r, "login", pair, LOGIN_MAX_FAILURES,
	    LOGIN_WINDOW_SECS)) > 0 ||
	    (wait = ratelimit_try(r, "login-ip", http_client_ip(r),
	    LOGIN_MAX_IP_FAILURES, LOGIN_WINDOW_SECS)) > 0) {
		ratelimit_respond(r, wait,
		    "too many failed logins: wait before trying again");
		return wait;
	}
	return 0;
}

/* A right password: its tries do not count against the address. */
static void
login_succeeded(struct req *r, const char *email)
{
	char	pair[320];

	login_pair(r, email, pair, sizeof pair);
	ratelimit_forget(r, "login", pair);
	ratelimit_untry(r, "login-ip", http_client_ip(r));
}

void
h_login(struct req *r)
{
	static const struct vfield fields[] = {
		{ "email", V_STRING, 1, 1, 254, NULL },
		{ "password", V_TEXT, 1, 1, PASSWORD_MAX, NULL },
	};
	struct json_object	*in;
	char			 email[256], tenant[UTIL_UUID_LEN + 1];
	char			 user[UTIL_UUID_LEN + 1];
	const char		*params[1];
	PGresult		*res = NULL;
	long			 wait;
	int			 ok;

	if (validate_body(r, fields, 2, &in) == -1)
		return;
	snprintf(email, sizeof email, "%s", jsonx_get_str(in, "email"));
	lowercase(email);
	if ((wait = login_tries(r, email)) > 0)
		goto out;
	params[0] = email;
	if ((res = api_query(r, "SELECT user_id, tenant_id, password_hash "
	    "FROM auth_user_by_email($1)", 1, params)) == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		api_password_dummy(jsonx_get_str(in, "password"));
		ok = 0;
	} else
		ok = api_password_check(PQgetvalue(res, 0, 2),
		    jsonx_get_str(in, "password"));
	if (!ok) {
		/* the tenant sees failed logins in its audit log */
		if (PQntuples(res) == 1 &&
		    api_set_tenant(r, PQgetvalue(res, 0, 1)) == 0) {
			api_audit_as(r, PQgetvalue(res, 0, 1),
			    PQgetvalue(res, 0, 0), "login.failed", NULL);
			r->keep_on_error = 1;
		}
		if (r->responded)
			goto out;
		http_respond_error(r, 401, "invalid_credentials",
		    "wrong e-mail or password", NULL);
		goto out;
	}
	snprintf(user, sizeof user, "%s", PQgetvalue(res, 0, 0));
	snprintf(tenant, sizeof tenant, "%s", PQgetvalue(res, 0, 1));
	login_succeeded(r, email);
	if (api_set_tenant(r, tenant) == -1)
		goto out;
	snprintf(r->auth.user_id, sizeof r->auth.user_id, "%s", user);
	if (api_session_start(r, tenant, user) == -1)
		goto out;
	api_audit(r, "login", NULL);
	respond_user(r, 200, user, 1);
out:
	PQclear(res);
	json_object_put(in);
}

void
h_logout(struct req *r)
{
	const char	*params[] = { r->auth.session_id };
	PGresult	*res = api_query(r, "DELETE FROM sessions WHERE id = $1",
	    1, params);

	if (res == NULL)
		return;
	PQclear(res);
	if (api_session_clear_cookie(r) == -1)
		log_warn("response headers full");
	api_audit(r, "logout", NULL);
	api_revoke_sockets(r, "sessionId", r->auth.session_id, NULL);
	http_respond_json(r, 204, NULL);
}

void
h_me(struct req *r)
{
	struct json_object	*body, *t, *k;
	const char		*params[2];
	PGresult		*res;

	if (r->auth.kind == AUTH_KIND_SESSION) {
		respond_user(r, 200, r->auth.user_id, 1);
		return;
	}
	params[0] = r->auth.key_id;
	if ((res = api_query(r, "SELECT t.id, t.name, t.plan, k.id, k.name "
	    "FROM api_keys k JOIN tenants t ON t.id = k.tenant_id "
	    "WHERE k.id = $1", 1, params)) == NULL)
		return;
	body = json_object_new_object();
	json_object_object_add(body, "user", NULL);
	t = json_object_new_object();
	jsonx_add_str(t, "id", PQgetvalue(res, 0, 0));
	jsonx_add_str(t, "name", PQgetvalue(res, 0, 1));
	jsonx_add_str(t, "plan", PQgetvalue(res, 0, 2));
	json_object_object_add(body, "tenant", t);
	k = json_object_new_object();
	jsonx_add_str(k, "id", PQgetvalue(res, 0, 3));
	jsonx_add_str(k, "name", PQgetvalue(res, 0, 4));
	json_object_object_add(body, "apiKey", k);
	PQclear(res);
	http_respond_json(r, 200, body);
}

static int
phone_valid(const char *s)
{
	size_t	digits;

	if (*s == '+')
		s++;
	digits = strspn(s, "0123456789");
	return s[digits] == '\0' && digits >= 6 && digits <= 15;
}

void
h_me_update(struct req *r)
{
	static const struct vfield fields[] = {
		{ "name", V_STRING, 0, 1, 200, NULL },
		{ "email", V_EMAIL, 0, 0, 0, NULL },
		{ "phone", V_STRING, 0, 6, 16, NULL },
	};
	struct json_object	*in, *details;
	const char		*params[4], *phone;
	PGresult		*res;

	if (validate_body(r, fields, 3, &in) == -1)
		return;
	phone = jsonx_get_str(in, "phone");
	if (phone != NULL && !phone_valid(phone)) {
		details = json_object_new_object();
		jsonx_add_str(details, "phone",
		    "must be a phone number in international form, e.g. +966501234567");
		validate_fail(r, details);
		goto out;
	}
	params[0] = r->auth.user_id;
	params[1] = jsonx_get_str(in, "name");
	params[2] = jsonx_get_str(in, "email");
	params[3] = phone;
	res = api_query_conflict(r, "an account with this e-mail exists",
	    "UPDATE users SET name = COALESCE($2, name), "
	    "email = COALESCE($3, email), phone = COALESCE($4, phone), "
	    "updated_at = now() WHERE id = $1", 4, params);
	if (res == NULL)
		goto out;
	PQclear(res);
	if (params[2] != NULL) {
		details = json_object_new_object();
		jsonx_add_str(details, "email", params[2]);
		api_audit(r, "email.changed", details);
	}
	respond_user(r, 200, r->auth.user_id, 0);
out:
	json_object_put(in);
}

void
h_me_password(struct req *r)
{
	static const struct vfield fields[] = {
		{ "currentPassword", V_TEXT, 1, 1, PASSWORD_MAX, NULL },
		{ "newPassword", V_TEXT, 1, PASSWORD_MIN, PASSWORD_MAX, NULL },
	};
	struct json_object	*in;
	char			 hash[crypto_pwhash_STRBYTES];
	const char		*params[3];
	PGresult		*res = NULL;

	if (validate_body(r, fields, 2, &in) == -1)
		return;
	params[0] = r->auth.user_id;
	if ((res = api_query(r, "SELECT password_hash, lower(email) FROM users "
	    "WHERE id = $1", 1, params)) == NULL)
		goto out;
	/* a guess at the current password counts like a login's */
	if (PQntuples(res) == 1 && login_tries(r, PQgetvalue(res, 0, 1)) > 0)
		goto out;
	if (PQntuples(res) != 1 || !api_password_check(PQgetvalue(res, 0, 0),
	    jsonx_get_str(in, "currentPassword"))) {
		api_audit(r, "password.change_failed", NULL);
		r->keep_on_error = 1;
		http_respond_error(r, 403, "invalid_credentials",
		    "the current password is wrong", NULL);
		goto out;
	}
	login_succeeded(r, PQgetvalue(res, 0, 1));
	PQclear(res);
	res = NULL;
	if (api_password_hash(jsonx_get_str(in, "newPassword"), hash,
	    sizeof hash) == -1) {
		http_respond_error(r, 503, "service_unavailable",
		    "out of memory, retry shortly", NULL);
		goto out;
	}
	params[1] = hash;
	params[2] = r->auth.session_id;
	/* the new password ends every other session of the user */
	if ((res = api_query(r, "WITH p AS (UPDATE users SET password_hash = $2, "
	    "updated_at = now() WHERE id = $1) DELETE FROM sessions "
	    "WHERE user_id = $1 AND id <> $3", 3, params)) == NULL)
		goto out;
	api_audit(r, "password.changed", NULL);
	/* the sockets of the ended sessions close; this session's stay */
	api_revoke_sockets(r, "userId", r->auth.user_id, r->auth.session_id);
	http_respond_json(r, 204, NULL);
out:
	sodium_memzero(hash, sizeof hash);
	PQclear(res);
	json_object_put(in);
}

void
h_me_avatar(struct req *r)
{
	struct image	 img;
	PGresult	*res;

	if (image_read(r, "an avatar", &img) == -1)
		return;
	res = api_query(r, "WITH a AS (INSERT INTO avatars (user_id, tenant_id, "
	    "content_type, data) VALUES ($1, current_setting('waqtor.tenant_id')"
	    "::uuid, $2, decode($3, 'base64')) ON CONFLICT (user_id) DO UPDATE "
	    "SET content_type = $2, data = decode($3, 'base64'), "
	    "updated_at = now()) UPDATE users SET avatar_updated_at = now() "
	    "WHERE id = $1", 3, (const char *[]){ r->auth.user_id, img.type,
	    img.b64 });
	image_free(&img);
	if (res == NULL)
		return;
	PQclear(res);
	respond_user(r, 200, r->auth.user_id, 0);
}

void
h_avatar_get(struct req *r)
{
	const char	*id;
	PGresult	*res;

	if ((id = api_uuid_param(r, "userId", "avatar")) == NULL)
		return;
	if ((res = api_query(r, "SELECT encode(data, 'base64') FROM avatars "
	    "WHERE user_id = $1", 1, &id)) == NULL)
		return;
	if (PQntuples(res) != 1)
		http_respond_error(r, 404, "not_found", "no such avatar", NULL);
	else
		image_respond(r, PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0), NULL);
	PQclear(res);
}

void
h_realtime_token(struct req *r)
{
	unsigned char		 key[TOKEN_KEY_LEN];
	char			 token[RTOKEN_MAX], ts[UTIL_TS_LEN + 1];
	struct json_object	*body;
	long long		 exp = (long long)time(NULL) + REALTIME_TOKEN_SECS;
	time_t			 t = (time_t)exp;
	struct tm		 tm;

	if (secret_key(key) == -1 || rtoken_sign(key, r->auth.tenant_id,
	    r->auth.user_id, r->auth.session_id, exp, token, sizeof token) == -1) {
		log_error("WAQTOR_SECRET_KEY is not set to 64 hex digits");
		http_respond_error(r, 503, "service_unavailable",
		    "realtime tokens are not configured on this server", NULL);
		return;
	}
	sodium_memzero(key, sizeof key);
	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	body = json_object_new_object();
	jsonx_add_str(body, "token", token);
	jsonx_add_str(body, "expiresAt", ts);
	http_respond_json(r, 201, body);
}
