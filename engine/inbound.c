/*
 * Provider events stored by the API (Cloud API webhooks, sandbox
 * injections) become messages and receipts here. Each batch is one
 * transaction: the events are marked processed with the rows they caused,
 * so a crash replays them, and replays are harmless: inbound messages are
 * unique per (instance, provider id), and a receipt only moves a message's
 * status forward (status_rank). Events are published after the commit.
 */
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "jsonx.h"
#include "log.h"

#define INBOUND_BATCH	200

/* Events to publish once the batch is committed. */
struct pending_event {
	char			 type[32];
	char			 tenant_id[UTIL_UUID_LEN + 1];
	char			 instance_id[UTIL_UUID_LEN + 1];
	struct json_object	*data;
};

struct batch {
	struct pending_event	 ev[INBOUND_BATCH * 4];
	int			 n;
};

static void
batch_add(struct batch *b, const char *type, const char *tenant,
    const char *instance, struct json_object *data)
{
	struct pending_event	*p;

	if (b->n == (int)(sizeof b->ev / sizeof b->ev[0])) {
		json_object_put(data);
		return;
	}
	p = &b->ev[b->n++];
	snprintf(p->type, sizeof p->type, "%s", type);
	snprintf(p->tenant_id, sizeof p->tenant_id, "%s", tenant);
	snprintf(p->instance_id, sizeof p->instance_id, "%s", instance);
	p->data = data;
}

static const char *
str_at(struct json_object *o, const char *key)
{
	return jsonx_get_str(o, key);
}

/* Stores one inbound message once; queues message.received if new. */
static void
inbound_message(struct engine *e, struct batch *b, const char *tenant,
    const char *instance, const char *provider_id, const char *from,
    const char *name, const char *type, struct json_object *content,
    const char *unix_ts)
{
	struct json_object	*data;
	char			 chat[48];
	const char		*params[8];
	PGresult		*res;

	snprintf(chat, sizeof chat, "%s@c.us", from);
	params[0] = tenant;
	params[1] = instance;
	params[2] = chat;
	params[3] = type;
	params[4] = jsonx_string(content);
	params[5] = provider_id;
	params[6] = name;
	params[7] = unix_ts;
	res = db_query(&e->db, "INSERT INTO messages (tenant_id, instance_id, "
	    "direction, chat_id, type, content, status, provider_id, "
	    "contact_name, created_at) VALUES ($1, $2, 'in', $3, $4, $5, "
	    "'received', $6, $7, COALESCE(to_timestamp($8::bigint), now())) "
	    "ON CONFLICT (instance_id, provider_id) WHERE provider_id IS NOT "
	    "NULL DO NOTHING RETURNING id", 8, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_error("inbound message %s not stored", provider_id);
		PQclear(res);
		return;
	}
	if (PQntuples(res) == 1) {
		data = json_object_new_object();
		jsonx_add_str(data, "messageId", PQgetvalue(res, 0, 0));
		jsonx_add_str(data, "instanceId", instance);
		jsonx_add_str(data, "chatId", chat);
		jsonx_add_str(data, "from", from);
		jsonx_add_str(data, "contactName", name);
		jsonx_add_str(data, "type", type);
		json_object_object_add(data, "content", json_object_get(content));
		jsonx_add_str(data, "providerId", provider_id);
		batch_add(b, "message.received", tenant, instance, data);
	}
	PQclear(res);
}

static void
status_apply(struct engine *e, struct batch *b, const char *tenant,
    const char *instance, const char *message_id, const char *provider_id,
    const char *status, struct json_object *error)
{
	const char		*params[5];
	PGresult		*res;

	if (strcmp(status, "sent") != 0 && strcmp(status, "delivered") != 0 &&
	    strcmp(status, "read") != 0 && strcmp(status, "failed") != 0)
		return;
	params[0] = instance;
	params[1] = message_id != NULL && util_is_uuid(message_id) ?
	    message_id : NULL;
	params[2] = provider_id;
	params[3] = status;
	params[4] = error != NULL ? jsonx_string(error) : NULL;
	res = db_query(&e->db, "UPDATE messages SET status = $4, provider_id = "
	    "COALESCE(provider_id, $3), error = CASE WHEN $4 = 'failed' THEN "
	    "$5::jsonb ELSE error END, sent_at = COALESCE(sent_at, now()), "
	    "delivered_at = CASE WHEN $4 IN ('delivered', 'read') THEN "
	    "COALESCE(delivered_at, now()) ELSE delivered_at END, read_at = "
	    "CASE WHEN $4 = 'read' THEN now() ELSE read_at END, claimed_by = "
	    "NULL, claim_until = NULL, updated_at = now() WHERE instance_id = $1 "
	    "AND direction = 'out' AND (id = $2::uuid OR provider_id = $3) AND "
	    "status_rank($4) > status_rank(status) RETURNING id, chat_id",
	    5, params, 0);
	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
	    PQntuples(res) == 1)
		batch_add(b, "message.sent", tenant, instance,
		    session_message_status(PQgetvalue(res, 0, 0), instance,
		    PQgetvalue(res, 0, 1), status, provider_id, error));
	else if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
		log_error("receipt for %s not applied", provider_id);
	PQclear(res);
}

static void
batch_publish(struct engine *e, struct batch *b)
{
	int	i;

	for (i = 0; i < b->n; i++)
		engine_publish(e, b->ev[i].type, b->ev[i].tenant_id,
		    b->ev[i].instance_id, b->ev[i].data);
	b->n = 0;
}

static void
batch_drop(struct batch *b)
{
	int	i;

	for (i = 0; i < b->n; i++)
		json_object_put(b->ev[i].data);
	b->n = 0;
}

void
inbound_apply_status(struct engine *e, const char *instance_id,
    const char *message_id, const char *provider_id, const char *status,
    struct json_object *error)
{
	struct inst	*in = lease_find(e, instance_id);
	static struct batch b;

	if (in == NULL)
		return;
	status_apply(e, &b, in->tenant_id, instance_id, message_id, provider_id,
	    status, error);
	batch_publish(e, &b);
}

/* The content object of a Cloud API message of type (text, image, ...). */
static struct json_object *
cloud_content(struct json_object *msg, const char *type)
{
	struct json_object	*content = json_object_new_object(), *v, *t;

	if (strcmp(type, "text") == 0 &&
	    json_object_object_get_ex(msg, "text", &v) &&
	    json_object_object_get_ex(v, "body", &t))
		json_object_object_add(content, "text", json_object_get(t));
	else if (json_object_object_get_ex(msg, type, &v) &&
	    json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, val) {
			if (strcmp(k, "id") == 0)
				json_object_object_add(content, "mediaId",
				    json_object_get(val));
			else
				json_object_object_add(content, k,
				    json_object_get(val));
		}
	}
	return content;
}

static void
inbound_cloud(struct engine *e, struct batch *b, const char *tenant,
    const char *instance, struct json_object *root)
{
	struct json_object	*entries, *changes, *value, *list, *contacts;
	size_t			 i, j, k;

	if (!json_object_object_get_ex(root, "entry", &entries) ||
	    !json_object_is_type(entries, json_type_array))
		return;
	for (i = 0; i < json_object_array_length(entries); i++) {
		struct json_object *entry = json_object_array_get_idx(entries, i);

		if (!json_object_object_get_ex(entry, "changes", &changes) ||
		    !json_object_is_type(changes, json_type_array))
			continue;
		for (j = 0; j < json_object_array_length(changes); j++) {
			const char *name = NULL;

			if (!json_object_object_get_ex(json_object_array_get_idx(
			    changes, j), "value", &value))
				continue;
			if (json_object_object_get_ex(value, "contacts",
			    &contacts) && json_object_array_length(contacts) > 0) {
				struct json_object *p;

				if (json_object_object_get_ex(
				    json_object_array_get_idx(contacts, 0),
				    "profile", &p))
					name = str_at(p, "name");
			}
			if (json_object_object_get_ex(value, "messages", &list) &&
			    json_object_is_type(list, json_type_array)) {
				for (k = 0; k < json_object_array_length(list); k++) {
					struct json_object *m =
					    json_object_array_get_idx(list, k);
					const char *type = str_at(m, "type");
					const char *id = str_at(m, "id");
					const char *from = str_at(m, "from");
					struct json_object *content;

					if (type == NULL || id == NULL ||
					    from == NULL || strspn(from,
					    "0123456789") != strlen(from))
						continue;
					content = cloud_content(m, type);
					inbound_message(e, b, tenant, instance,
					    id, from, name, type, content,
					    str_at(m, "timestamp"));
					json_object_put(content);
				}
			}
			if (json_object_object_get_ex(value, "statuses", &list) &&
			    json_object_is_type(list, json_type_array)) {
				for (k = 0; k < json_object_array_length(list); k++) {
					struct json_object *st =
					    json_object_array_get_idx(list, k);
					struct json_object *errs = NULL, *err = NULL;

					if (json_object_object_get_ex(st,
					    "errors", &errs) &&
					    json_object_is_type(errs,
					    json_type_array) &&
					    json_object_array_length(errs) > 0)
						err = json_object_array_get_idx(
						    errs, 0);
					if (str_at(st, "id") != NULL &&
					    str_at(st, "status") != NULL)
						status_apply(e, b, tenant,
						    instance, str_at(st,
						    "biz_opaque_callback_data"),
						    str_at(st, "id"),
						    str_at(st, "status"), err);
				}
			}
		}
	}
}

static void
inbound_sandbox(struct engine *e, struct batch *b, const char *tenant,
    const char *instance, struct json_object *root)
{
	struct json_object	*content = json_object_new_object();

	jsonx_add_str(content, "text", str_at(root, "text"));
	if (str_at(root, "id") != NULL && str_at(root, "from") != NULL)
		inbound_message(e, b, tenant, instance, str_at(root, "id"),
		    str_at(root, "from"), str_at(root, "name"), "text", content,
		    NULL);
	json_object_put(content);
}

void
inbound_process(struct engine *e)
{
	static struct batch	 b;
	PGresult		*res;
	int			 i, more = 1;

	while (more && !e->stopping && db_ensure(&e->db) == 0) {
		if (db_tx_begin(&e->db, NULL) == -1)
			return;
		res = db_query(&e->db, "SELECT id, tenant_id, instance_id, "
		    "source, body FROM inbound_events WHERE processed_at IS NULL "
		    "ORDER BY id LIMIT 200 FOR UPDATE SKIP LOCKED", 0, NULL, 0);
		if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
			PQclear(res);
			if (db_tx_end(&e->db, 0) == -1)
				log_warn("inbound: rollback failed");
			return;
		}
		more = PQntuples(res) == INBOUND_BATCH;
		for (i = 0; i < PQntuples(res); i++) {
			struct json_object	*root = NULL;
			char			 err[64];
			const char		*params[1];

			if (jsonx_parse(PQgetvalue(res, i, 4), (size_t)PQgetlength(
			    res, i, 4), JSONX_MAX_DEPTH, &root, err,
			    sizeof err) == 0) {
				if (strcmp(PQgetvalue(res, i, 3), "cloud") == 0)
					inbound_cloud(e, &b, PQgetvalue(res, i, 1),
					    PQgetvalue(res, i, 2), root);
				else
					inbound_sandbox(e, &b, PQgetvalue(res,
					    i, 1), PQgetvalue(res, i, 2), root);
			}
			json_object_put(root);
			params[0] = PQgetvalue(res, i, 0);
			if (db_exec(&e->db, "UPDATE inbound_events SET "
			    "processed_at = now() WHERE id = $1", 1, params) == -1)
				log_warn("inbound event %s not marked", params[0]);
		}
		PQclear(res);
		if (db_tx_end(&e->db, 1) == -1) {
			batch_drop(&b);
			return;
		}
		batch_publish(e, &b);
	}
}
