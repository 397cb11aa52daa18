/*
 * API keys of a tenant, managed from a logged-in session: the secret is
 * shown once, at creation; only its SHA-256 is kept, found by its prefix.
 */
#include <stdio.h>

#include "api.h"
#include "handlers.h"
#include "jsonx.h"
#include "quota.h"
#include "token.h"
#include "util.h"
#include "validate.h"

static struct json_object *
apikey_json(PGresult *res, int i)
{
	struct json_object	*k = json_object_new_object();

	jsonx_add_str(k, "id", PQgetvalue(res, i, 0));
	jsonx_add_str(k, "name", PQgetvalue(res, i, 1));
	jsonx_add_str(k, "prefix", PQgetvalue(res, i, 2));
	api_add_time(k, "createdAt", PQgetvalue(res, i, 3));
	api_add_time(k, "lastUsedAt", api_value(res, i, 4));
	if (PQgetisnull(res, i, 5))	/* made by waqtorctl */
		json_object_object_add(k, "createdBy", NULL);
	else {
		struct json_object	*by = json_object_new_object();

		jsonx_add_str(by, "id", PQgetvalue(res, i, 5));
		jsonx_add_str(by, "name", PQgetvalue(res, i, 6));
		json_object_object_add(k, "createdBy", by);
	}
	return k;
}

/* The columns apikey_json() reads, for a query over api_keys k. */
#define APIKEY_COLUMNS "k.id, k.name, 'wq_' || k.prefix, k.created_at, " \
	"k.last_used_at, k.created_by, (SELECT u.name FROM users u WHERE " \
	"u.id = k.created_by)"

void
h_apikeys_list(struct req *r)
{
	struct json_object	*body, *items;
	PGresult		*res;
	int			 i;

	if ((res = api_query(r, "SELECT " APIKEY_COLUMNS " FROM api_keys k "
	    "WHERE k.revoked_at IS NULL ORDER BY k.created_at DESC, k.id", 0,
	    NULL)) == NULL)
		return;
	items = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(items, apikey_json(res, i));
	PQclear(res);
	body = json_object_new_object();
	json_object_object_add(body, "apiKeys", items);
	http_respond_json(r, 200, body);
}

void
h_apikeys_create(struct req *r)
{
	static const struct vfield fields[] = {
		{ "name", V_STRING, 1, 1, 100, NULL },
	};
	struct json_object	*in, *body, *details;
	char			 key[APIKEY_LEN + 1], prefix[APIKEY_PREFIX_HEX + 1];
	char			 hash[2 * TOKEN_HASH_LEN + 3];
	const char		*params[4];
	PGresult		*res;

	/* a key acts as an admin: only admins may make one (the route) */
	if (validate_body(r, fields, 1, &in) == -1)
		return;
	if (quota_check(r, QUOTA_API_KEYS, 1) == -1)
		goto out;
	apikey_generate(key, prefix);
	token_hash_bytea(key, hash, sizeof hash);
	params[0] = jsonx_get_str(in, "name");
	params[1] = prefix;
	params[2] = hash;
	params[3] = r->auth.user_id;
	if ((res = api_query(r, "INSERT INTO api_keys AS k (tenant_id, name, "
	    "prefix, key_hash, created_by) VALUES (current_setting("
	    "'waqtor.tenant_id')::uuid, $1, $2, $3, $4) RETURNING "
	    APIKEY_COLUMNS, 4, params)) == NULL)
		goto out;
	body = apikey_json(res, 0);
	jsonx_add_str(body, "key", key);
	details = json_object_new_object();
	jsonx_add_str(details, "keyId", PQgetvalue(res, 0, 0));
	jsonx_add_str(details, "name", params[0]);
	PQclear(res);
	api_audit(r, "apikey.created", details);
	http_respond_json(r, 201, body);
out:
	json_object_put(in);
}

void
h_apikeys_delete(struct req *r)
{
	const char		*id, *params[1];
	struct json_object	*details;
	PGresult		*res;

	if ((id = api_uuid_param(r, "id", "API key")) == NULL)
		return;
	params[0] = id;
	if ((res = api_query(r, "UPDATE api_keys SET revoked_at = now() "
	    "WHERE id = $1 AND revoked_at IS NULL RETURNING name", 1,
	    params)) == NULL)
		return;
	if (PQntuples(res) != 1) {
		PQclear(res);
		http_respond_error(r, 404, "not_found", "no such API key", NULL);
		return;
	}
	details = json_object_new_object();
	jsonx_add_str(details, "keyId", id);
	jsonx_add_str(details, "name", PQgetvalue(res, 0, 0));
	PQclear(res);
	api_audit(r, "apikey.revoked", details);
	api_revoke_sockets(r, "apiKeyId", id, NULL);
	http_respond_json(r, 204, NULL);
}
