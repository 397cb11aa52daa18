/*
 * The engine's tenant events (ARCHITECTURE.md, Events). engine_emit()
 * queues an event; inside a transaction the queue is written by
 * events_write() (waqtor_emit(): the event log and one webhook delivery per
 * matching endpoint, committed with the change the event reports) and its
 * envelopes go to Redis once engine_commit() has committed. Outside a
 * transaction engine_emit() writes and publishes at once. Events with no
 * tenant (the heartbeat) are only published.
 */
#include "engine.h"
#include "event.h"
#include "jsonx.h"
#include "log.h"

static int
in_transaction(struct engine *e)
{
	return e->db.conn != NULL &&
	    PQtransactionStatus(e->db.conn) != PQTRANS_IDLE;
}

void
engine_emit(struct engine *e, const char *type, const char *tenant_id,
    const char *instance_id, struct json_object *data)
{
	struct json_object	*ev;

	if (tenant_id == NULL) {
		if (event_publish(&e->rds, type, NULL, instance_id, data) < 0)
			log_warn("event %s not published: Redis unavailable",
			    type);
		return;
	}
	ev = json_object_new_object();
	jsonx_add_str(ev, "type", type);
	jsonx_add_str(ev, "tenantId", tenant_id);
	jsonx_add_str(ev, "instanceId", instance_id);
	json_object_object_add(ev, "data",
	    data != NULL ? data : json_object_new_object());
	if (e->emit == NULL)
		e->emit = json_object_new_array();
	json_object_array_add(e->emit, ev);
	if (!in_transaction(e)) {
		if (events_write(e) == -1)
			log_error("event %s of tenant %s lost: not written",
			    type, tenant_id);
		events_publish(e);
	}
}

void
engine_notify(struct engine *e, const char *kind, const char *cause,
    const char *tenant_id, const char *instance_id, struct json_object *data)
{
	jsonx_add_str(data, "kind", kind);
	jsonx_add_str(data, "cause", cause);
	jsonx_add_str(data, "instanceId", instance_id);
	engine_emit(e, "notification.new", tenant_id, instance_id, data);
}

int
events_mark(struct engine *e)
{
	return e->emit != NULL ? (int)json_object_array_length(e->emit) : 0;
}

void
events_truncate(struct engine *e, int mark)
{
	int	n = events_mark(e);

	if (n > mark)
		json_object_array_del_idx(e->emit, (size_t)mark,
		    (size_t)(n - mark));
}

int
events_write(struct engine *e)
{
	const char	*params[1];
	PGresult	*res;
	int		 i, rc = -1;

	if (events_mark(e) == 0)
		return 0;
	params[0] = jsonx_string(e->emit);
	res = db_query(&e->db, "SELECT type, tenant_id, envelope FROM "
	    "waqtor_emit($1)", 1, params, 0);
	json_object_put(e->emit);
	e->emit = NULL;
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
		goto out;
	if (e->written == NULL)
		e->written = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		struct json_object	*w = json_object_new_array_ext(3);
		int			 k;

		for (k = 0; k < 3; k++)
			json_object_array_add(w, json_object_new_string(
			    PQgetvalue(res, i, k)));
		json_object_array_add(e->written, w);
	}
	rc = 0;
out:
	PQclear(res);
	return rc;
}

void
events_publish(struct engine *e)
{
	struct json_object	*w;
	const char		*type;
	size_t			 i;

	for (i = 0; e->written != NULL &&
	    i < json_object_array_length(e->written); i++) {
		w = json_object_array_get_idx(e->written, i);
		type = json_object_get_string(json_object_array_get_idx(w, 0));
		if (event_publish_envelope(&e->rds, type, json_object_get_string(
		    json_object_array_get_idx(w, 1)), json_object_get_string(
		    json_object_array_get_idx(w, 2))) < 0)
			log_warn("event %s not published: Redis unavailable",
			    type);
	}
	json_object_put(e->written);
	e->written = NULL;
}

void
events_drop(struct engine *e)
{
	json_object_put(e->emit);
	e->emit = NULL;
	json_object_put(e->written);
	e->written = NULL;
}

int
engine_begin(struct engine *e)
{
	return db_tx_begin(&e->db, NULL);
}

int
engine_commit(struct engine *e)
{
	if (!in_transaction(e)) {	/* engine_begin() failed */
		events_drop(e);
		return -1;
	}
	if (events_write(e) == -1) {
		engine_rollback(e);
		return -1;
	}
	if (db_tx_end(&e->db, 1) == -1) {
		events_drop(e);
		return -1;
	}
	events_publish(e);
	return 0;
}

void
engine_rollback(struct engine *e)
{
	events_drop(e);
	if (in_transaction(e) && db_tx_end(&e->db, 0) == -1)
		log_warn("rollback failed");
}
