/*
 * The session of an instance (the seed's getSessionState, logout,
 * restartSession) and the sandbox's controls. The API records the intent
 * and wakes the engine (NOTIFY waqtor_instances); the engine acts and
 * publishes session.* events.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "handlers.h"
#include "jsonx.h"
#include "provider_spec.h"
#include "util.h"
#include "validate.h"

void
h_instance_state(struct req *r)
{
	const char		*params[1];
	struct json_object	*body, *info = NULL;
	char			 err[32];
	PGresult		*res;

	if ((params[0] = api_uuid_param(r, "id", "instance")) == NULL)
		return;
	if ((res = api_query(r, "SELECT status, qr, client_info, provider "
	    "FROM instances WHERE id = $1", 1, params)) == NULL)
		return;
	if (PQntuples(res) != 1) {
		PQclear(res);
		http_respond_error(r, 404, "not_found", "no such instance", NULL);
		return;
	}
	body = json_object_new_object();
	jsonx_add_str(body, "status", PQgetvalue(res, 0, 0));
	if (strcmp(PQgetvalue(res, 0, 0), "qr") == 0 && !PQgetisnull(res, 0, 1))
		jsonx_add_str(body, "qr", PQgetvalue(res, 0, 1));
	if (!PQgetisnull(res, 0, 2) && jsonx_parse(PQgetvalue(res, 0, 2),
	    (size_t)PQgetlength(res, 0, 2), JSONX_MAX_DEPTH, &info, err,
	    sizeof err) == 0)
		json_object_object_add(body, "clientInfo", info);
	jsonx_add_bool(body, "sandbox",
	    provider_is_simulated(PQgetvalue(res, 0, 3)));
	PQclear(res);
	http_respond_json(r, 200, body);
}

/* Sets what the engine should do with the instance, and wakes it. */
static void
instance_command(struct req *r, const char *sql, const char *action)
{
	const char		*params[1];
	struct json_object	*body, *details;
	PGresult		*res;

	if ((params[0] = api_uuid_param(r, "id", "instance")) == NULL)
		return;
	if ((res = api_query(r, sql, 1, params)) == NULL)
		return;
	if (PQntuples(res) != 1) {
		PQclear(res);
		http_respond_error(r, 404, "not_found", "no such instance", NULL);
		return;
	}
	body = json_object_new_object();
	jsonx_add_str(body, "instanceId", params[0]);
	jsonx_add_str(body, "status", PQgetvalue(res, 0, 0));
	PQclear(res);
	details = json_object_new_object();
	jsonx_add_str(details, "instanceId", params[0]);
	api_audit(r, action, details);
	http_respond_json(r, 202, body);
}

void
h_instance_logout(struct req *r)
{
	instance_command(r, "UPDATE instances SET desired = 'logged_out', "
	    "paired_at = NULL, updated_at = now() WHERE id = $1 "
	    "RETURNING status, pg_notify('waqtor_instances', id::text)",
	    "instance.logout");
}

void
h_instance_restart(struct req *r)
{
	instance_command(r, "UPDATE instances SET desired = 'connected', "
	    "restart_seq = restart_seq + 1, updated_at = now() WHERE id = $1 "
	    "RETURNING status, pg_notify('waqtor_instances', id::text)",
	    "instance.restart");
}

/* 0 when the instance's provider is simulated (the sandbox); else
 * answers 404 or 409. */
static int
sandbox_only(struct req *r, const char *id)
{
	const char	*params[1] = { id };
	PGresult	*res;
	int		 rc = -1;

	if ((res = api_query(r, "SELECT provider FROM instances WHERE id = $1",
	    1, params)) == NULL)
		return -1;
	if (PQntuples(res) != 1)
		http_respond_error(r, 404, "not_found", "no such instance", NULL);
	else if (!provider_is_simulated(PQgetvalue(res, 0, 0)))
		http_respond_error(r, 409, "not_sandbox",
		    "this is not a sandbox instance", NULL);
	else
		rc = 0;
	PQclear(res);
	return rc;
}

void
h_sandbox_pair(struct req *r)
{
	const char	*id = api_uuid_param(r, "id", "instance");

	if (id == NULL || sandbox_only(r, id) == -1)
		return;
	instance_command(r, "UPDATE instances SET paired_at = now(), "
	    "desired = 'connected', updated_at = now() WHERE id = $1 "
	    "RETURNING status, pg_notify('waqtor_instances', id::text)",
	    "sandbox.paired");
}

/* The simulated phone removes this linked device: the session is lost
 * without a logout (its members are told) and shows a new pairing QR. */
void
h_sandbox_unlink(struct req *r)
{
	const char	*id = api_uuid_param(r, "id", "instance");

	if (id == NULL || sandbox_only(r, id) == -1)
		return;
	instance_command(r, "UPDATE instances SET paired_at = NULL, "
	    "updated_at = now() WHERE id = $1 RETURNING status, "
	    "pg_notify('waqtor_instances', id::text)", "sandbox.unlinked");
}

void
h_sandbox_inbound(struct req *r)
{
	static const struct vfield fields[] = {
		{ "from", V_STRING, 1, 7, 16, NULL },
		{ "text", V_TEXT, 1, 1, 4096, NULL },
		{ "name", V_STRING, 0, 1, 200, NULL },
	};
	struct json_object	*in, *event, *body, *details;
	const char		*id = api_uuid_param(r, "id", "instance"), *from, *params[2];
	char			 wamid[64], uuid[UTIL_UUID_LEN + 1];
	PGresult		*res;

	if (id == NULL || sandbox_only(r, id) == -1)
		return;
	if (validate_body(r, fields, 3, &in) == -1)
		return;
	from = jsonx_get_str(in, "from");
	if (*from == '+')
		from++;
	if (strspn(from, "0123456789") != strlen(from)) {
		details = json_object_new_object();
		jsonx_add_str(details, "from", "must be a phone number");
		validate_fail(r, details);
		goto out;
	}
	util_uuid(uuid);
	snprintf(wamid, sizeof wamid, "sandbox.in.%s", uuid);
	event = json_object_new_object();
	jsonx_add_str(event, "id", wamid);
	jsonx_add_str(event, "from", from);
	jsonx_add_str(event, "text", jsonx_get_str(in, "text"));
	jsonx_add_str(event, "name", jsonx_get_str(in, "name"));
	params[0] = id;
	params[1] = jsonx_string(event);
	res = api_query(r, "INSERT INTO inbound_events (tenant_id, instance_id, "
	    "source, body) VALUES (current_setting('waqtor.tenant_id')::uuid, $1,"
	    " 'sandbox', $2) RETURNING pg_notify('waqtor_inbound', $1::text)", 2,
	    params);
	json_object_put(event);
	if (res == NULL)
		goto out;
	PQclear(res);
	body = json_object_new_object();
	jsonx_add_str(body, "providerMessageId", wamid);
	jsonx_add_bool(body, "sandbox", 1);
	http_respond_json(r, 202, body);
out:
	json_object_put(in);
}
