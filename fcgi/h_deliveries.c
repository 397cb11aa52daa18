/*
 * A webhook endpoint's deliveries (sql/013_events.sql; the engine sends
 * them, engine/webhooks.c): the log of attempts, newest event first; one
 * delivery sent again; a range sent again (replay); and a signed
 * webhook.test event. Admins only, like the endpoints. What is queued here
 * goes out at once (waqtor_webhooks wakes the engines).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "event.h"
#include "handlers.h"
#include "jsonx.h"
#include "util.h"
#include "validate.h"
#include "xmalloc.h"

#define DELIVERIES_PAGE_MAX	100

/* The endpoint of the path, when it is the tenant's; -1 answered. */
static int
endpoint_exists(struct req *r, const char **id)
{
	return api_path_row(r, "webhook", "SELECT 1 FROM webhook_endpoints "
	    "WHERE id = $1", id);
}

/* 0 when the endpoint takes deliveries; -1 answered (409 when disabled). */
static int
endpoint_enabled(struct req *r, const char *id)
{
	PGresult	*res;
	int		 enabled;

	if ((res = api_query(r, "SELECT enabled FROM webhook_endpoints WHERE "
	    "id = $1", 1, &id)) == NULL)
		return -1;
	enabled = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!enabled)
		http_respond_error(r, 409, "webhook_disabled", "the endpoint "
		    "is disabled: enable it first", NULL);
	return enabled ? 0 : -1;
}

static int
is_delivery_status(const char *s)
{
	static const char *const all[] = { "pending", "sending", "delivered",
	    "failed", NULL };

	return validate_one_of(s, all);
}

void
h_deliveries_list(struct req *r)
{
	char		 status[16], cursor[EVENT_ID_LEN + 1], limit[8];
	const char	*params[4];
	PGresult	*res;
	long		 n;

	if (endpoint_exists(r, &params[0]) == -1 ||
	    query_filter(r, "status", status, sizeof status,
	    is_delivery_status) == 1 ||
	    query_filter(r, "cursor", cursor, sizeof cursor,
	    event_id_valid) == 1 ||
	    (n = query_long(r, "limit", 50, DELIVERIES_PAGE_MAX)) == -1)
		return;
	params[1] = http_query(r, "status", status, sizeof status) == 0 ?
	    status : NULL;
	params[2] = http_query(r, "cursor", cursor, sizeof cursor) == 0 ?
	    cursor : NULL;
	snprintf(limit, sizeof limit, "%ld", n);
	params[3] = limit;
	if ((res = api_query(r, "WITH page AS (SELECT d.event_id, "
	    "webhook_delivery_json(d) AS j FROM webhook_deliveries d WHERE "
	    "d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2) AND "
	    "($3::text IS NULL OR d.event_id < $3) ORDER BY d.event_id DESC "
	    "LIMIT $4::int) SELECT json_build_object('deliveries', COALESCE(("
	    "SELECT json_agg(j ORDER BY event_id DESC) FROM page), '[]'), "
	    "'nextCursor', CASE WHEN (SELECT count(*) FROM page) = $4::int "
	    "THEN (SELECT min(event_id) FROM page) END)::text", 4,
	    params)) == NULL)
		return;
	api_respond_row(r, 200, res, "deliveries");
}

void
h_deliveries_redeliver(struct req *r)
{
	const char	*params[2];
	PGresult	*res;

	if (endpoint_exists(r, &params[0]) == -1)
		return;
	params[1] = route_param(&r->match, "eventId");
	if (params[1] == NULL || !event_id_valid(params[1])) {
		http_respond_error(r, 404, "not_found", "no such delivery", NULL);
		return;
	}
	/* a new round of attempts; one in flight is left to finish */
	if ((res = api_query(r, "WITH d AS (SELECT endpoint_id, event_id, "
	    "event_ts, status FROM webhook_deliveries WHERE endpoint_id = $1 "
	    "AND event_id = $2), u AS (UPDATE webhook_deliveries w SET status "
	    "= 'pending', attempts = 0, next_at = now(), updated_at = now() "
	    "FROM d WHERE w.endpoint_id = d.endpoint_id AND w.event_id = "
	    "d.event_id AND w.event_ts = d.event_ts AND d.status <> 'sending' "
	    "RETURNING webhook_delivery_json(w) AS j, pg_notify("
	    "'waqtor_webhooks', '')) SELECT (SELECT j FROM u)::text, (SELECT "
	    "status FROM d)", 2, params)) == NULL)
		return;
	if (PQgetisnull(res, 0, 1)) {
		PQclear(res);
		http_respond_error(r, 404, "not_found", "no such delivery", NULL);
		return;
	}
	if (PQgetisnull(res, 0, 0)) {
		PQclear(res);
		http_respond_error(r, 409, "delivery_in_flight", "the delivery "
		    "is being sent: ask again once it is done", NULL);
		return;
	}
	api_respond_row(r, 202, res, "delivery");
}

static const char *const replay_statuses[] = { "failed", "all", NULL };

static const struct vfield replay_fields[] = {
	{ "since", V_STRING, 1, 1, 40, NULL },
	{ "until", V_STRING, 0, 1, 40, NULL },
	{ "status", V_ENUM, 0, 0, 0, replay_statuses },
};

/*
 * Sends a range again: the failed deliveries of events from since (to
 * until), or with "all" every event of the range the endpoint's filter
 * takes, delivered before or never queued for it (it was created later,
 * or its filter changed).
 */
void
h_endpoints_replay(struct req *r)
{
	struct json_object	*in = NULL, *details;
	char			 since[40], until[40];
	const char		*params[4], *s, *bad;
	PGresult		*res;

	if (endpoint_exists(r, &params[0]) == -1 ||
	    validate_body(r, replay_fields, sizeof replay_fields /
	    sizeof replay_fields[0], &in) == -1)
		goto out;
	bad = util_rfc3339_utc(jsonx_get_str(in, "since"), since,
	    sizeof since) == -1 ? "since" : (s = jsonx_get_str(in, "until")) !=
	    NULL && util_rfc3339_utc(s, until, sizeof until) == -1 ? "until" :
	    NULL;
	if (bad != NULL) {
		validate_fail_field(r, bad, "must be an RFC 3339 time, e.g. "
		    "2026-12-24T09:00:00Z");
		goto out;
	}
	if (endpoint_enabled(r, params[0]) == -1)
		goto out;
	params[1] = since;
	params[2] = jsonx_get_str(in, "until") != NULL ? until : NULL;
	params[3] = (s = jsonx_get_str(in, "status")) != NULL ? s : "failed";
	if ((res = api_query(r, "WITH w AS (SELECT * FROM webhook_endpoints "
	    "WHERE id = $1), reset AS (UPDATE webhook_deliveries d SET status "
	    "= 'pending', attempts = 0, next_at = now(), updated_at = now() "
	    "WHERE d.endpoint_id = $1 AND d.event_ts >= $2::timestamptz AND "
	    "($3::timestamptz IS NULL OR d.event_ts < $3::timestamptz) AND "
	    "(d.status = 'failed' OR ($4 = 'all' AND d.status = 'delivered')) "
	    "RETURNING 1), added AS (INSERT INTO webhook_deliveries "
	    "(endpoint_id, event_id, event_ts, tenant_id, event_type) SELECT "
	    "w.id, e.id, e.ts, e.tenant_id, e.type FROM w JOIN events e ON "
	    "e.tenant_id = w.tenant_id AND e.ts >= $2::timestamptz AND "
	    "($3::timestamptz IS NULL OR e.ts < $3::timestamptz) AND "
	    "event_matches(w.events, e.type) AND e.type <> 'webhook.test' "
	    "WHERE $4 = 'all' AND NOT EXISTS (SELECT 1 FROM webhook_deliveries "
	    "x WHERE x.endpoint_id = w.id AND x.event_id = e.id AND x.event_ts "
	    "= e.ts) RETURNING 1) SELECT json_build_object('queued', (SELECT "
	    "count(*) FROM reset) + (SELECT count(*) FROM added))::text, "
	    "pg_notify('waqtor_webhooks', '')", 4, params)) == NULL)
		goto out;
	details = json_object_new_object();
	jsonx_add_str(details, "webhookId", params[0]);
	jsonx_add_str(details, "since", since);
	jsonx_add_str(details, "status", params[3]);
	api_audit(r, "webhook.replayed", details);
	api_respond_row(r, 202, res, "webhook");
out:
	json_object_put(in);
}

/* A signed webhook.test event to this endpoint only. */
void
h_endpoints_test(struct req *r)
{
	struct json_object	*data;
	const char		*id, *env;
	char			*body;

	if (endpoint_exists(r, &id) == -1 || endpoint_enabled(r, id) == -1)
		return;
	data = json_object_new_object();
	jsonx_add_str(data, "webhookId", id);
	jsonx_add_str(data, "message", "A test event from WaQtor: this "
	    "endpoint receives the tenant's events, signed.");
	if ((env = api_event(r, "webhook.test", id, data)) == NULL)
		return;
	body = xasprintf("{\"event\":%s}", env);
	http_respond_raw(r, 202, "application/json", body, strlen(body));
	free(body);
}
