/*
 * Members of a tenant: owners, admins and members. Admins invite by e-mail;
 * the invitation is a one-time link token (returned to the admin, who sends
 * it on), accepted with POST /api/v1/invitations/accept. The last owner
 * cannot be removed.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api.h"
#include "handlers.h"
#include "jsonx.h"
#include "quota.h"
#include "token.h"
#include "util.h"
#include "validate.h"
#include "worker.h"

#define INVITATION_DAYS	"7 days"

void
h_members_list(struct req *r)
{
	struct json_object	*body, *items, *pending;
	PGresult		*res;
	int			 i;

	if ((res = api_query(r, "SELECT " API_USER_COLUMNS " "
	    "FROM users u ORDER BY u.created_at, u.id", 0, NULL)) == NULL)
		return;
	body = json_object_new_object();
	items = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(items, api_user_json(res, i));
	PQclear(res);
	json_object_object_add(body, "members", items);
	if ((res = api_query(r, "SELECT id, email, role, expires_at "
	    "FROM invitations WHERE accepted_at IS NULL AND expires_at > now() "
	    "ORDER BY created_at", 0, NULL)) == NULL) {
		json_object_put(body);
		return;
	}
	pending = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		struct json_object *inv = json_object_new_object();

		jsonx_add_str(inv, "id", PQgetvalue(res, i, 0));
		jsonx_add_str(inv, "email", PQgetvalue(res, i, 1));
		jsonx_add_str(inv, "role", PQgetvalue(res, i, 2));
		api_add_time(inv, "expiresAt", PQgetvalue(res, i, 3));
		json_object_array_add(pending, inv);
	}
	PQclear(res);
	json_object_object_add(body, "invitations", pending);
	http_respond_json(r, 200, body);
}

void
h_members_invite(struct req *r)
{
	static const char *const roles[] = { "admin", "member", NULL };
	static const struct vfield fields[] = {
		{ "email", V_EMAIL, 1, 0, 0, NULL },
		{ "role", V_ENUM, 1, 0, 0, roles },
	};
	struct json_object	*in, *body, *details;
	char			 token[65], hash[2 * TOKEN_HASH_LEN + 3];
	char			 url[128];
	const char		*params[5];
	PGresult		*res;

	if (validate_body(r, fields, 2, &in) == -1)
		return;
	if (quota_check(r, QUOTA_MEMBERS, 1) == -1)
		goto out;
	util_random_hex(token, 32);
	token_hash_bytea(token, hash, sizeof hash);
	params[0] = jsonx_get_str(in, "email");
	params[1] = jsonx_get_str(in, "role");
	params[2] = hash;
	params[3] = r->auth.user_id[0] != '\0' ? r->auth.user_id : NULL;
	params[4] = INVITATION_DAYS;
	if ((res = api_query(r, "INSERT INTO invitations (tenant_id, email, role, "
	    "token_hash, invited_by, expires_at) VALUES (current_setting("
	    "'waqtor.tenant_id')::uuid, $1, $2, $3, $4, now() + $5::interval) "
	    "RETURNING id, expires_at", 5, params)) == NULL)
		goto out;
	body = json_object_new_object();
	jsonx_add_str(body, "id", PQgetvalue(res, 0, 0));
	jsonx_add_str(body, "email", params[0]);
	jsonx_add_str(body, "role", params[1]);
	api_add_time(body, "expiresAt", PQgetvalue(res, 0, 1));
	jsonx_add_str(body, "token", token);
	snprintf(url, sizeof url, "/accept-invite?token=%s", token);
	jsonx_add_str(body, "acceptUrl", url);
	PQclear(res);
	details = json_object_new_object();
	jsonx_add_str(details, "email", params[0]);
	jsonx_add_str(details, "role", params[1]);
	api_audit(r, "member.invited", details);
	http_respond_json(r, 201, body);
out:
	json_object_put(in);
}

void
h_members_delete(struct req *r)
{
	const char		*id, *params[1];
	struct json_object	*details, *keys, *body;
	PGresult		*res;
	int			 i;

	if ((id = api_uuid_param(r, "id", "member")) == NULL)
		return;
	params[0] = id;
	/* lock the owners so two removals cannot both pass the check */
	if ((res = api_query(r, "SELECT id, role, email FROM users "
	    "WHERE role = 'owner' OR id = $1 FOR UPDATE", 1, params)) == NULL)
		return;
	{
		int	owners = 0, found = -1;

		for (i = 0; i < PQntuples(res); i++) {
			owners += strcmp(PQgetvalue(res, i, 1), "owner") == 0;
			if (strcmp(PQgetvalue(res, i, 0), id) == 0)
				found = i;
		}
		if (found == -1) {
			PQclear(res);
			http_respond_error(r, 404, "not_found",
			    "no such member", NULL);
			return;
		}
		if (strcmp(PQgetvalue(res, found, 1), "owner") == 0 &&
		    (owners == 1 || strcmp(r->auth.role, "owner") != 0)) {
			PQclear(res);
			http_respond_error(r, 409, owners == 1 ? "last_owner" :
			    "forbidden", owners == 1 ?
			    "the last owner cannot be removed" :
			    "only an owner may remove an owner", NULL);
			return;
		}
		details = json_object_new_object();
		jsonx_add_str(details, "memberId", id);
		jsonx_add_str(details, "email", PQgetvalue(res, found, 2));
	}
	PQclear(res);
	/* a key acts for the tenant, but its maker is gone: it goes too */
	if ((res = api_query(r, "UPDATE api_keys SET revoked_at = now() WHERE "
	    "created_by = $1 AND revoked_at IS NULL RETURNING id, name", 1,
	    params)) == NULL) {
		json_object_put(details);
		return;
	}
	keys = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		struct json_object	*k = json_object_new_object();

		jsonx_add_str(k, "id", PQgetvalue(res, i, 0));
		jsonx_add_str(k, "name", PQgetvalue(res, i, 1));
		json_object_array_add(keys, k);
		api_revoke_sockets(r, "apiKeyId", PQgetvalue(res, i, 0), NULL);
	}
	PQclear(res);
	if ((res = api_query(r, "DELETE FROM users WHERE id = $1", 1,
	    params)) == NULL) {
		json_object_put(details);
		json_object_put(keys);
		return;
	}
	PQclear(res);
	json_object_object_add(details, "revokedApiKeys", json_object_get(keys));
	api_audit(r, "member.removed", details);
	api_revoke_sockets(r, "userId", id, NULL);
	body = json_object_new_object();
	jsonx_add_str(body, "memberId", id);
	json_object_object_add(body, "revokedApiKeys", keys);
	http_respond_json(r, 200, body);
}

void
h_invitation_accept(struct req *r)
{
	static const struct vfield fields[] = {
		{ "token", V_STRING, 1, 64, 64, NULL },
		{ "name", V_STRING, 1, 1, 200, NULL },
		{ "password", V_TEXT, 1, 8, 256, NULL },
	};
	struct json_object	*in, *details;
	char			 hash[2 * TOKEN_HASH_LEN + 3];
	char			 pw[crypto_pwhash_STRBYTES];
	char			 user[UTIL_UUID_LEN + 1];
	const char		*params[6];
	PGresult		*res = NULL, *ins;

	if (validate_body(r, fields, 3, &in) == -1)
		return;
	token_hash_bytea(jsonx_get_str(in, "token"), hash, sizeof hash);
	params[0] = hash;
	if ((res = api_query(r, "SELECT invitation_id, tenant_id, email, role "
	    "FROM auth_invitation($1)", 1, params)) == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		http_respond_error(r, 404, "not_found",
		    "no such invitation, or it has expired or been used", NULL);
		goto out;
	}
	if (api_set_tenant(r, PQgetvalue(res, 0, 1)) == -1)
		goto out;
	if (api_password_hash(jsonx_get_str(in, "password"), pw,
	    sizeof pw) == -1) {
		http_respond_error(r, 503, "service_unavailable",
		    "out of memory, retry shortly", NULL);
		goto out;
	}
	util_uuid(user);
	params[0] = user;
	params[1] = PQgetvalue(res, 0, 1);
	params[2] = PQgetvalue(res, 0, 2);
	params[3] = jsonx_get_str(in, "name");
	params[4] = pw;
	params[5] = PQgetvalue(res, 0, 3);
	if ((ins = api_query_conflict(r, "an account with this e-mail exists",
	    "INSERT INTO users (id, tenant_id, email, name, password_hash, role) "
	    "VALUES ($1, $2, $3, $4, $5, $6)", 6, params)) == NULL)
		goto out;
	PQclear(ins);
	params[0] = PQgetvalue(res, 0, 0);
	if ((ins = api_query(r, "UPDATE invitations SET accepted_at = now() "
	    "WHERE id = $1 AND accepted_at IS NULL", 1, params)) == NULL)
		goto out;
	if (strcmp(PQcmdTuples(ins), "1") != 0) {
		PQclear(ins);
		http_respond_error(r, 409, "conflict",
		    "the invitation was used meanwhile", NULL);
		goto out;
	}
	PQclear(ins);
	snprintf(r->auth.user_id, sizeof r->auth.user_id, "%s", user);
	if (api_session_start(r, PQgetvalue(res, 0, 1), user) == -1)
		goto out;
	details = json_object_new_object();
	jsonx_add_str(details, "email", PQgetvalue(res, 0, 2));
	api_audit(r, "member.joined", details);
	{
		const char	*up[] = { user };
		PGresult	*u = api_query(r, "SELECT " API_USER_COLUMNS
		    " FROM users u WHERE u.id = $1", 1, up);
		struct json_object *body;

		if (u == NULL)
			goto out;
		body = json_object_new_object();
		json_object_object_add(body, "user", api_user_json(u, 0));
		PQclear(u);
		http_respond_json(r, 201, body);
	}
out:
	sodium_memzero(pw, sizeof pw);
	PQclear(res);
	json_object_put(in);
}

/* A pending invitation withdrawn: its link no longer works. */
void
h_invitation_revoke(struct req *r)
{
	const char		*params[1];
	struct json_object	*details;
	PGresult		*res;

	if ((params[0] = api_uuid_param(r, "id", "invitation")) == NULL)
		return;
	if ((res = api_query(r, "DELETE FROM invitations WHERE id = $1 AND "
	    "accepted_at IS NULL RETURNING email, role", 1, params)) == NULL)
		return;
	if (PQntuples(res) != 1) {
		PQclear(res);
		http_respond_error(r, 404, "not_found",
		    "no such pending invitation", NULL);
		return;
	}
	details = json_object_new_object();
	jsonx_add_str(details, "invitationId", params[0]);
	jsonx_add_str(details, "email", PQgetvalue(res, 0, 0));
	jsonx_add_str(details, "role", PQgetvalue(res, 0, 1));
	PQclear(res);
	api_audit(r, "member.invitation_revoked", details);
	http_respond_json(r, 204, NULL);
}
