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
#include "provider_spec.h"
#include "quota.h"
#include "util.h"
#include "validate.h"

/* An unknown stored provider (none today) shows no config at all. */
static int
is_secret(const char *provider, const char *field)
{
	const struct provider_spec *p = provider_spec_find(provider);

	return p == NULL || provider_spec_is_secret(p, field);
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
	jsonx_add_bool(o, "sandbox", provider_is_simulated(provider));
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

/*
 * A config sent for provider made only of another provider's fields (a
 * cloud config for a sandbox instance) is 409 provider_mismatch: an
 * instance's provider cannot change. Fields both know (dailyRecipientCap)
 * say nothing either way. 0 or answered.
 */
static int
check_provider(struct req *r, const struct provider_spec *p,
    struct json_object *sent)
{
	const struct provider_spec *const	*o;
	struct json_object			*details;

	for (o = provider_specs; *o != NULL; o++) {
		int fits = *o != p, foreign = 0;

		json_object_object_foreach(sent, k, v) {
			(void)v;
			if (provider_spec_field(*o, k) == NULL)
				fits = 0;	/* not the other's config */
			else if (provider_spec_field(p, k) == NULL)
				foreign = 1;	/* the other's alone */
		}
		if (fits && foreign) {
			details = json_object_new_object();
			jsonx_add_str(details, "provider", p->name);
			http_respond_error(r, 409, "provider_mismatch",
			    "the config is for another provider: an instance's "
			    "provider cannot change", details);
			return -1;
		}
	}
	return 0;
}

/*
 * Checks config, as sent (sent) and as it would be stored (config: on
 * update, the kept secrets merged in, so the required fields are those of
 * the result), against the provider's spec. 0 or answered.
 */
static int
check_config(struct req *r, const char *provider, struct json_object *sent,
    struct json_object *config)
{
	static const enum vtype types[] = {
		[PF_INT] = V_INT, [PF_STRING] = V_STRING, [PF_DIGITS] = V_DIGITS,
	};
	const struct provider_spec	*p = provider_spec_find(provider);
	struct vfield			 fields[PROVIDER_FIELDS_MAX];
	struct json_object		*details;
	size_t				 i;

	if (check_provider(r, p, sent) == -1)
		return -1;
	for (i = 0; i < p->nconfig && i < PROVIDER_FIELDS_MAX; i++) {
		fields[i] = (struct vfield){ p->config[i].name,
		    types[p->config[i].type], p->config[i].required,
		    p->config[i].min, p->config[i].max, NULL };
	}
	details = json_object_new_object();
	if (validate_object(config, fields, i, "config.", details) == -1) {
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
	static const struct vfield fields[] = {
		{ "name", V_STRING, 1, 1, 100, NULL },
		{ "provider", V_ENUM, 1, 0, 0, provider_names },
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
	if (check_config(r, jsonx_get_str(in, "provider"), config, config) == -1 ||
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
		/* a JSON merge patch (RFC 7396): each field sent replaces the
		 * stored one, null removes it, the rest is kept */
		json_object_object_foreach(config, k, v) {
			if (v == NULL)
				json_object_object_del(merged, k);
			else
				json_object_object_add(merged, k,
				    json_object_get(v));
		}
		if (check_config(r, provider, config, merged) == -1)
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
