/*
 * Provider events stored by the API (Cloud API webhooks, sandbox
 * injections) become messages and receipts here. A batch of events is one
 * transaction and each event runs in its own savepoint: the event is read
 * by its provider's parse_inbound (the one place that knows the wire
 * format) and its items are stored; it is then marked processed with the
 * rows it caused, so a crash replays it, and replays are harmless: inbound
 * messages are unique per (instance, provider id), and a receipt only moves
 * a message's status forward (status_rank). An event that fails is rolled
 * back to its savepoint alone: a malformed one is parked as dead at once,
 * one whose items could not be stored is retried with backoff and parked
 * after WAQTOR_INBOUND_MAX_ATTEMPTS. An event's own events (message.received,
 * message.sent, smartbot.reply) are written in its savepoint.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "engine.h"
#include "jsonx.h"
#include "log.h"
#include "metrics.h"

#define INBOUND_BATCH	200
/* A backlog is worked through in slices of the loop this long (a batch is
 * cut short and committed), so sends settle and claims stay fresh
 * meanwhile. */
#define INBOUND_SLICE_MS	100

/* The primary message of a failed result, for an event's last_error. */
static void
pg_error(PGresult *res, char *err, size_t errlen)
{
	const char	*msg = res != NULL ?
	    PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	snprintf(err, errlen, "database: %s", msg != NULL ? msg :
	    "connection lost");
}

/* Stores one inbound message once; queues message.received if new. */
static int
inbound_message(struct engine *e, const char *tenant,
    const char *instance, const struct inbound_item *it, char *err,
    size_t errlen)
{
	struct json_object	*data;
	char			 chat[48], ts[24];
	const char		*params[8], *text;
	PGresult		*res;
	int			 rc = -1, k = 0;

	snprintf(chat, sizeof chat, "%s@c.us", it->from);
	snprintf(ts, sizeof ts, "%lld", it->unix_ts);
	params[0] = tenant;
	params[1] = instance;
	params[2] = chat;
	params[3] = it->type;
	params[4] = jsonx_string(it->content);
	params[5] = it->provider_id;
	params[6] = it->name;
	params[7] = it->unix_ts > 0 ? ts : NULL;
	res = db_query(&e->db, "INSERT INTO messages (tenant_id, instance_id, "
	    "direction, chat_id, type, content, status, provider_id, "
	    "contact_name, created_at) VALUES ($1, $2, 'in', $3, $4, $5, "
	    "'received', $6, $7, COALESCE(to_timestamp($8::bigint), now())) "
	    "ON CONFLICT (instance_id, provider_id) WHERE provider_id IS NOT "
	    "NULL DO NOTHING RETURNING id", 8, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		pg_error(res, err, errlen);
		goto out;
	}
	if (PQntuples(res) == 1) {
		data = json_object_new_object();
		jsonx_add_str(data, "messageId", PQgetvalue(res, 0, 0));
		jsonx_add_str(data, "instanceId", instance);
		jsonx_add_str(data, "chatId", chat);
		jsonx_add_str(data, "from", it->from);
		jsonx_add_str(data, "contactName", it->name);
		jsonx_add_str(data, "type", it->type);
		json_object_object_add(data, "content",
		    json_object_get(it->content));
		jsonx_add_str(data, "providerId", it->provider_id);
		engine_emit(e, "message.received", tenant, instance, data);
		/* a new text may be a stop or start keyword, else SmartBot's */
		text = strcmp(it->type, "text") == 0 ?
		    jsonx_get_str(it->content, "text") : NULL;
		if (text != NULL && (k = optout_inbound(e, tenant, instance,
		    PQgetvalue(res, 0, 0), it->from, text, err, errlen)) == -1)
			goto out;
		if (text != NULL && k == 0) {
			data = smartbot_inbound(e, tenant, instance,
			    PQgetvalue(res, 0, 0), it->from, it->name, text, err,
			    errlen);
			if (data != NULL)
				engine_emit(e, "smartbot.reply", tenant, instance,
				    data);
			else if (*err != '\0')
				goto out;
		}
	}
	rc = 0;
out:
	PQclear(res);
	return rc;
}

/* Applies a receipt; 0 (also when it moves nothing), or -1 with err. */
static int
status_apply(struct engine *e, const char *tenant,
    const char *instance, const char *message_id, const char *provider_id,
    const char *status, struct json_object *error, char *err, size_t errlen)
{
	const char		*params[5];
	PGresult		*res;
	int			 rc = -1;

	if (strcmp(status, "sent") != 0 && strcmp(status, "delivered") != 0 &&
	    strcmp(status, "read") != 0 && strcmp(status, "failed") != 0)
		return 0;
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
	    "status_rank($4) > status_rank(status) RETURNING id, chat_id, "
	    "campaign_id", 5, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		pg_error(res, err, errlen);
		goto out;
	}
	if (PQntuples(res) == 1) {
		engine_emit(e, "message.sent", tenant, instance,
		    session_message_status(PQgetvalue(res, 0, 0), instance,
		    PQgetvalue(res, 0, 1), status, provider_id, error));
		if (!PQgetisnull(res, 0, 2))
			campaign_receipt(e, PQgetvalue(res, 0, 2));
	}
	rc = 0;
out:
	PQclear(res);
	return rc;
}

void
inbound_apply_status(struct engine *e, const char *instance_id,
    const char *message_id, const char *provider_id, const char *status,
    struct json_object *error)
{
	struct inst	*in = lease_find(e, instance_id);
	char		 err[160] = "";

	if (in == NULL)
		return;
	if (engine_begin(e) == -1 || status_apply(e, in->tenant_id,
	    instance_id, message_id, provider_id, status, error, err,
	    sizeof err) == -1 || engine_commit(e) == -1) {
		engine_rollback(e);
		log_error("receipt for %s not applied: %s", provider_id, err);
	}
}

/* The event being processed, as the sink sees it. */
struct event_ctx {
	struct engine	*e;
	const char	*tenant;
	const char	*instance;
};

static int
event_sink(void *arg, const struct inbound_item *it, char *err, size_t errlen)
{
	struct event_ctx	*c = arg;

	if (it->kind == INBOUND_MESSAGE)
		return inbound_message(c->e, c->tenant, c->instance, it,
		    err, errlen);
	return status_apply(c->e, c->tenant, c->instance, it->message_id,
	    it->provider_id, it->status, it->error, err, errlen);
}

#define EVENT_CONN_LOST	-3

/*
 * Runs one event (row i of the batch) in the batch's transaction: one of
 * INBOUND_OK, INBOUND_MALFORMED or INBOUND_SINK_FAILED (with err), or
 * EVENT_CONN_LOST (the batch is abandoned; no attempt counts).
 */
static int
event_run(struct engine *e, PGresult *res, int i, char *err,
    size_t errlen)
{
	const struct provider	*prov = provider_find(PQgetvalue(res, i, 3));
	struct event_ctx	 c = { e, PQgetvalue(res, i, 1),
				    PQgetvalue(res, i, 2) };
	struct json_object	*root = NULL;
	char			 perr[96];
	int			 rc;

	err[0] = '\0';
	if (prov == NULL) {
		snprintf(err, errlen, "no provider %s", PQgetvalue(res, i, 3));
		return INBOUND_MALFORMED;
	}
	if (jsonx_parse(PQgetvalue(res, i, 4), (size_t)PQgetlength(res, i, 4),
	    JSONX_MAX_DEPTH, &root, perr, sizeof perr) == -1) {
		snprintf(err, errlen, "malformed payload: %s", perr);
		return INBOUND_MALFORMED;
	}
	rc = prov->parse_inbound(root, event_sink, &c, err, errlen);
	json_object_put(root);
	if (rc == INBOUND_SINK_FAILED && PQstatus(e->db.conn) != CONNECTION_OK)
		return EVENT_CONN_LOST;
	return rc;
}

/* Records a failed event: retried after a backoff, or parked as dead. */
static int
event_failed(struct engine *e, const char *id, int attempts, int malformed,
    const char *err)
{
	char		 dead[2], delay[16];
	const char	*params[4] = { id, dead, err, delay };
	int		 is_dead = malformed ||
			    attempts + 1 >= config_int(CFG_INBOUND_MAX_ATTEMPTS);

	snprintf(dead, sizeof dead, "%d", is_dead);
	/* 1 s, 4 s, 16 s, 64 s, then 5 minutes */
	snprintf(delay, sizeof delay, "%d", attempts >= 4 ? 300 :
	    1 << (2 * attempts));
	metrics_add("waqtor_engine_inbound_events", is_dead ?
	    "result=\"dead\"" : "result=\"failed\"", 1);
	if (is_dead)
		log_warn("inbound event %s parked as dead after %d attempt(s): "
		    "%s", id, attempts + 1, err);
	else
		log_warn("inbound event %s failed (attempt %d), retried in %s s: "
		    "%s", id, attempts + 1, delay, err);
	return db_exec(&e->db, "UPDATE inbound_events SET attempts = attempts "
	    "+ 1, last_error = left($3, 1000), dead_at = CASE WHEN $2 = '1' "
	    "THEN now() END, retry_at = CASE WHEN $2 = '1' THEN NULL ELSE now() "
	    "+ make_interval(secs => $4::int) END WHERE id = $1", 4, params);
}

/* One batch, cut short at until (ms): 1 when there may be more, 0 when
 * done, -1 when abandoned. */
static int
inbound_batch(struct engine *e, long long until)
{
	PGresult	*res;
	int		 i, mark, rc, more;

	if (engine_begin(e) == -1)
		return -1;
	res = db_query(&e->db, "SELECT id, tenant_id, instance_id, source, "
	    "body, attempts FROM inbound_events WHERE processed_at IS NULL AND "
	    "dead_at IS NULL AND (retry_at IS NULL OR retry_at <= now()) ORDER "
	    "BY id LIMIT 200 FOR UPDATE SKIP LOCKED", 0, NULL, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
		goto abandon;
	more = PQntuples(res) == INBOUND_BATCH;
	for (i = 0; i < PQntuples(res); i++) {
		if (i > 0 && util_now_ms() >= until) {
			more = 1;	/* the rest stays for the next slice */
			break;
		}
		const char	*params[1] = { PQgetvalue(res, i, 0) };
		char		 err[512];

		mark = events_mark(e);
		if (db_exec(&e->db, "SAVEPOINT inbound_event", 0, NULL) == -1)
			goto abandon;
		if ((rc = event_run(e, res, i, err, sizeof err)) ==
		    EVENT_CONN_LOST)
			goto abandon;
		/* the event's own events, written in its savepoint */
		if (rc == INBOUND_OK && events_write(e) == -1) {
			snprintf(err, sizeof err, "its events were not written");
			rc = INBOUND_SINK_FAILED;
		}
		if (rc == INBOUND_OK) {
			metrics_add("waqtor_engine_inbound_events",
			    "result=\"processed\"", 1);
			if (db_exec(&e->db, "UPDATE inbound_events SET "
			    "processed_at = now(), last_error = NULL WHERE id = "
			    "$1", 1, params) == -1 ||
			    db_exec(&e->db, "RELEASE SAVEPOINT inbound_event", 0,
			    NULL) == -1)
				goto abandon;
			continue;
		}
		events_truncate(e, mark);
		if (db_exec(&e->db, "ROLLBACK TO SAVEPOINT inbound_event", 0,
		    NULL) == -1 || event_failed(e, params[0],
		    atoi(PQgetvalue(res, i, 5)), rc == INBOUND_MALFORMED,
		    err) == -1)
			goto abandon;
	}
	PQclear(res);
	return engine_commit(e) == -1 ? -1 : more;
abandon:
	PQclear(res);
	engine_rollback(e);
	return -1;
}

void
inbound_process(struct engine *e)
{
	long long	until = util_now_ms() + INBOUND_SLICE_MS;
	int		more = 0;

	while (!e->stopping && db_ensure(&e->db) == 0 &&
	    (more = inbound_batch(e, until) == 1) && util_now_ms() < until)
		;
	if (more)	/* the rest after a turn of the loop */
		engine_wake_inbound(e);
	if (!e->stopping && db_ensure(&e->db) == 0) {
		retention_sweep(e);
		subscription_sweep(e);
		reports_fold(e);
	}
}
