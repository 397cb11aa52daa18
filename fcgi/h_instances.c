/*
 * WhatsApp instances of a tenant: a name, a provider (the built-in sandbox
 * or Meta's Cloud API) and its config. Config secrets are write-only: they
 * are stored, never shown; an update that leaves one out keeps it.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "jsonx.h"
#include "quota.h"
#include "util.h"
#include "validate.h"

/* The config of each provider; secret fields are never echoed back. */
static const struct vfield sandbox_config[] = {
	{ "autoPairSeconds", V_INT, 0, 0, 3600, NULL },
	{ "deliveryLatencyMs", V_INT, 0, 0, 600000, NULL },
	{ "readLatencyMs", V_INT, 0, 0, 600000, NULL },
};
static const struct vfield cloud_config[] = {
	{ "phoneNumberId", V_DIGITS, 1, 1, 32, NULL },
	{ "accessToken", V_STRING, 1, 1, 1024, NULL },
	{ "appSecret", V_STRING, 1, 1, 256, NULL },
	{ "verifyToken", V_STRING, 1, 1, 256, NULL },
	{ "ratePerSecond", V_INT, 0, 1, 1000, NULL },
};
static const char *const cloud_secrets[] = { "accessToken", "appSecret",
    "verifyToken", NULL };

static const struct {
	const char		*name;
	const struct vfield	*config;
	size_t			 nconfig;
} providers[] = {
	{ "sandbox", sandbox_config, 3 },
	{ "cloud", cloud_config, 5 },
};

static int
is_secret(const char *provider, const char *field)
{
	size_t	i;

	if (strcmp(provider, "cloud") != 0)
		return 0;
	for (i = 0; cloud_secrets[i] != NULL; i++) {
		if (strcmp(cloud_secrets[i], field) == 0)
			return 1;
	}
	return 0;
}

#define INSTANCE_COLUMNS "id, name, provider, status, config, created_at, updated_at"

static struct json_object *
instance_json(PGresult *res, int i)
{
	struct json_object	*o = json_object_new_object(), *config = NULL;
	struct json_object	*shown, *set;
	const char		*provider = PQgetvalue(res, i, 2);
	char			 err[64];

	jsonx_add_str(o, "id", PQgetvalue(res, i, 0));
	jsonx_add_str(o, "name", PQgetvalue(res, i, 1));
	jsonx_add_str(o, "provider", provider);
	jsonx_add_bool(o, "sandbox", strcmp(provider, "sandbox") == 0);
	jsonx_add_str(o, "status", PQgetvalue(res, i, 3));
	shown = json_object_new_object();
	set = json_object_new_array();
	if (jsonx_parse(PQgetvalue(res, i, 4), (size_t)PQgetlength(res, i, 4),
	    JSONX_MAX_DEPTH, &config, err, sizeof err) == 0) {
		json_object_object_foreach(config, k, v) {
			if (is_secret(provider, k))
				json_object_array_add(set,
				    json_object_new_string(k));
			else
				json_object_object_add(shown, k,
				    json_object_get(v));
		}
	}
	json_object_put(config);
	json_object_object_add(o, "config", shown);
	json_object_object_add(o, "secretsSet", set);
	api_add_time(o, "createdAt", PQgetvalue(res, i, 5));
	api_add_time(o, "updatedAt", PQgetvalue(res, i, 6));
	return o;
}

/* Checks config for provider (on update, old supplies the kept secrets and
 * the required fields are those of the merged result). 0 or answered. */
static int
check_config(struct req *r, const char *provider, struct json_object *config)
{
	struct json_object	*details = json_object_new_object();
	size_t			 i;

	for (i = 0; i < sizeof providers / sizeof providers[0]; i++) {
		if (strcmp(providers[i].name, provider) == 0)
			break;
	}
	if (validate_object(config, providers[i].config, providers[i].nconfig,
	    "config.", details) == -1) {
		validate_fail(r, details);
		return -1;
	}
	json_object_put(details);
	return 0;
}

static void
respond_instance(struct req *r, int status, PGresult *res)
{
	if (PQntuples(res) != 1)
		http_respond_error(r, 404, "not_found", "no such instance", NULL);
	else
		http_respond_json(r, status, instance_json(res, 0));
	PQclear(res);
}

void
h_instances_list(struct req *r)
{
	struct json_object	*body, *items;
	PGresult		*res;
	int			 i;

	if ((res = api_query(r, "SELECT " INSTANCE_COLUMNS " FROM instances "
	    "ORDER BY created_at, id", 0, NULL)) == NULL)
		return;
	items = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(items, instance_json(res, i));
	PQclear(res);
	body = json_object_new_object();
	json_object_object_add(body, "instances", items);
	http_respond_json(r, 200, body);
}

void
h_instances_get(struct req *r)
{
	const char	*params[1];
	PGresult	*res;

	if ((params[0] = api_uuid_param(r, "id", "instance")) == NULL)
		return;
	if ((res = api_query(r, "SELECT " INSTANCE_COLUMNS " FROM instances "
	    "WHERE id = $1", 1, params)) != NULL)
		respond_instance(r, 200, res);
}

void
h_instances_create(struct req *r)
{
	static const char *const names[] = { "sandbox", "cloud", NULL };
	static const struct vfield fields[] = {
		{ "name", V_STRING, 1, 1, 100, NULL },
		{ "provider", V_ENUM, 1, 0, 0, names },
		{ "config", V_OBJECT, 0, 0, 0, NULL },
	};
	struct json_object	*in, *config, *details;
	const char		*params[3];
	PGresult		*res;

	if (validate_body(r, fields, 3, &in) == -1)
		return;
	if (!json_object_object_get_ex(in, "config", &config)) {
		config = json_object_new_object();
		json_object_object_add(in, "config", config);
	}
	if (check_config(r, jsonx_get_str(in, "provider"), config) == -1 ||
	    quota_check(r, QUOTA_INSTANCES, 1) == -1)
		goto out;
	params[0] = jsonx_get_str(in, "name");
	params[1] = jsonx_get_str(in, "provider");
	params[2] = jsonx_string(config);
	if ((res = api_query_conflict(r, "an instance with this name exists",
	    "INSERT INTO instances (tenant_id, name, provider, config) VALUES "
	    "(current_setting('waqtor.tenant_id')::uuid, $1, $2, $3) "
	    "RETURNING " INSTANCE_COLUMNS ", pg_notify('waqtor_instances', "
	    "id::text)", 3, params)) == NULL)
		goto out;
	details = json_object_new_object();
	jsonx_add_str(details, "instanceId", PQgetvalue(res, 0, 0));
	jsonx_add_str(details, "provider", params[1]);
	api_audit(r, "instance.created", details);
	respond_instance(r, 201, res);
out:
	json_object_put(in);
}

void
h_instances_update(struct req *r)
{
	static const struct vfield fields[] = {
		{ "name", V_STRING, 0, 1, 100, NULL },
		{ "config", V_OBJECT, 0, 0, 0, NULL },
	};
	struct json_object	*in, *config, *merged = NULL;
	const char		*params[3];
	char			 err[64], provider[16];
	PGresult		*res;

	if ((params[0] = api_uuid_param(r, "id", "instance")) == NULL)
		return;
	if (validate_body(r, fields, 2, &in) == -1)
		return;
	if ((res = api_query(r, "SELECT provider, config FROM instances "
	    "WHERE id = $1 FOR UPDATE", 1, params)) == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		PQclear(res);
		http_respond_error(r, 404, "not_found", "no such instance", NULL);
		goto out;
	}
	snprintf(provider, sizeof provider, "%s", PQgetvalue(res, 0, 0));
	if (jsonx_parse(PQgetvalue(res, 0, 1), (size_t)PQgetlength(res, 0, 1),
	    JSONX_MAX_DEPTH, &merged, err, sizeof err) == -1)
		merged = json_object_new_object();
	PQclear(res);
	if (json_object_object_get_ex(in, "config", &config)) {
		/* a new config replaces the old, but omitted secrets are kept */
		struct json_object *next = json_object_new_object();

		json_object_object_foreach(config, k, v)
			json_object_object_add(next, k, json_object_get(v));
		json_object_object_foreach(merged, k2, v2) {
			if (is_secret(provider, k2) &&
			    !json_object_object_get_ex(next, k2, NULL))
				json_object_object_add(next, k2,
				    json_object_get(v2));
		}
		json_object_put(merged);
		merged = next;
		if (check_config(r, provider, merged) == -1)
			goto out;
	}
	params[1] = jsonx_get_str(in, "name");
	params[2] = jsonx_string(merged);
	if ((res = api_query_conflict(r, "an instance with this name exists",
	    "UPDATE instances SET name = COALESCE($2, name), config = $3, "
	    "updated_at = now() WHERE id = $1 RETURNING " INSTANCE_COLUMNS
	    ", pg_notify('waqtor_instances', id::text)",
	    3, params)) == NULL)
		goto out;
	respond_instance(r, 200, res);
out:
	json_object_put(merged);
	json_object_put(in);
}

void
h_instances_delete(struct req *r)
{
	const char		*params[1];
	struct json_object	*details;
	PGresult		*res;

	if ((params[0] = api_uuid_param(r, "id", "instance")) == NULL)
		return;
	if ((res = api_query(r, "DELETE FROM instances WHERE id = $1 "
	    "RETURNING name, pg_notify('waqtor_instances', id::text)", 1,
	    params)) == NULL)
		return;
	if (PQntuples(res) != 1) {
		PQclear(res);
		http_respond_error(r, 404, "not_found", "no such instance", NULL);
		return;
	}
	details = json_object_new_object();
	jsonx_add_str(details, "instanceId", params[0]);
	jsonx_add_str(details, "name", PQgetvalue(res, 0, 0));
	PQclear(res);
	api_audit(r, "instance.deleted", details);
	http_respond_json(r, 204, NULL);
}
