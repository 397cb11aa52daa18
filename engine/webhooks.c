/*
 * Outbound webhooks (Standard Webhooks, lib/whsig.h) from the durable queue
 * that waqtor_emit() fills (sql/013_events.sql: one webhook_deliveries row
 * per event and matching endpoint, committed with the event).
 *
 * A claim takes due deliveries endpoint by endpoint, at most
 * WAQTOR_WEBHOOK_CONCURRENCY in flight per endpoint across the engines and
 * WAQTOR_WEBHOOK_IN_FLIGHT in this one, marking them sending until their
 * lease lapses (an engine killed mid-delivery: another sends them again,
 * so receivers deduplicate by webhook-id, the event id). A slow or dead
 * endpoint holds its own slots only, never messaging or other endpoints.
 *
 * Outcomes, written in batches with the attempt's log entry: 2xx
 * delivered; 408, 429, 5xx and no answer (network error, timeout, refused
 * address) retried after WAQTOR_WEBHOOK_RETRY_SCHEDULE with jitter, or the
 * answer's Retry-After when later, and failed after its last step; other
 * answers (redirects are not followed) failed at once; 410 Gone disables
 * the endpoint, and so do WAQTOR_WEBHOOK_DISABLE_AFTER_DAYS of nothing but
 * failures. Admins hear of both, and of given-up deliveries at most once an
 * hour per endpoint (notification.new).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "config.h"
#include "engine.h"
#include "event.h"
#include "jsonx.h"
#include "log.h"
#include "metrics.h"
#include "whsig.h"
#include "xmalloc.h"

#define WH_SCHEDULE_MAX	16
#define WH_TICK_MS	1000	/* retries that came due, lapsed leases */
#define WH_LEASE_EXTRA_S 15	/* a lease outlives the timeout by this */
#define WH_BODY_LOGGED	1024	/* bytes of an answer kept in the log */

struct wh {
	struct engine		*e;
	uv_timer_t		 timer;
	int			 in_flight;
	struct json_object	*results;	/* outcomes not yet written */
};

struct delivery {
	struct wh	*wh;
	char		 endpoint_id[UTIL_UUID_LEN + 1];
	char		 event_id[EVENT_ID_LEN + 1];
	char		 url[2049];
	int		 attempts;	/* with this one */
};

static void	wh_run(uv_timer_t *);

/* The answer's first WH_BODY_LOGGED bytes when they are text. */
static struct json_object *
wh_logged_body(const char *body, size_t len)
{
	size_t	n = len < WH_BODY_LOGGED ? len : WH_BODY_LOGGED;
	int	cut;

	if (len == 0)
		return json_object_new_string("");
	/* a character cut in two at the end: drop the part of it we have */
	for (cut = 0; cut < 4 && n > 0; cut++, n--) {
		if (memchr(body, '\0', n) == NULL && jsonx_utf8_valid(body, n))
			return json_object_new_string_len(body, (int)n);
		if (len <= WH_BODY_LOGGED)
			break;
	}
	return json_object_new_string("(not text)");
}

/* What an answer means: delivered, retry, failed or gone. */
static const char *
wh_outcome(const struct http_reply *r)
{
	if (r->status >= 200 && r->status < 300)
		return "delivered";
	if (r->status == 410)
		return "gone";
	if (r->status == 0 || r->status == 408 || r->status == 429 ||
	    r->status >= 500)
		return "retry";
	return "failed";
}

static void
wh_done(void *arg, const struct http_reply *r)
{
	struct delivery		*d = arg;
	struct wh		*wh = d->wh;
	struct json_object	*res = json_object_new_object(), *entry;
	long			 schedule[WH_SCHEDULE_MAX], wait = 0;
	const char		*outcome = wh_outcome(r);
	char			 why[CURL_ERROR_SIZE + 32];
	int			 n;

	wh->in_flight--;
	entry = json_object_new_object();
	if (r->status != 0)
		jsonx_add_int(entry, "code", r->status);
	else
		json_object_object_add(entry, "code", NULL);
	jsonx_add_int(entry, "latencyMs", r->latency_ms);
	json_object_object_add(entry, "body", wh_logged_body(r->body, r->len));
	if (r->error != NULL)
		snprintf(why, sizeof why, "%s", r->error);
	else if (strcmp(outcome, "delivered") != 0)
		snprintf(why, sizeof why, "HTTP %ld%s", r->status,
		    r->status >= 300 && r->status < 400 ?
		    " (redirects are not followed)" : "");
	if (r->error != NULL || strcmp(outcome, "delivered") != 0)
		jsonx_add_str(entry, "error", why);
	else
		json_object_object_add(entry, "error", NULL);

	if (wh->e->stopping && r->status == 0) {
		outcome = "release";	/* cut short by the engine's stop */
	} else if (strcmp(outcome, "retry") == 0) {
		n = config_seconds(CFG_WEBHOOK_RETRY_SCHEDULE, schedule,
		    WH_SCHEDULE_MAX);
		if (d->attempts > n)
			outcome = "failed";
		else {
			wait = schedule[d->attempts - 1];
			/* up to 10% either way, so failures spread out */
			if (wait >= 10)
				wait += (long)randombytes_uniform(
				    (uint32_t)(wait / 5 + 1)) - wait / 10;
			if (r->retry_after_s > wait)
				wait = r->retry_after_s < 86400 ?
				    r->retry_after_s : 86400;
		}
	}
	snprintf(why, sizeof why, "outcome=\"%s\"", outcome);
	metrics_add("waqtor_engine_webhook_deliveries", why, 1);
	jsonx_add_str(res, "endpoint_id", d->endpoint_id);
	jsonx_add_str(res, "event_id", d->event_id);
	jsonx_add_str(res, "outcome", outcome);
	jsonx_add_int(res, "wait", wait);
	json_object_object_add(res, "entry", entry);
	if (wh->results == NULL)
		wh->results = json_object_new_array();
	json_object_array_add(wh->results, res);
	free(d);
	/* the outcomes of this turn of the loop, written together */
	uv_timer_start(&wh->timer, wh_run, 0, WH_TICK_MS);
}

/* The admins' notification for a row of webhook_outcomes(): kind
 * (webhook.endpoint.disabled, webhook.delivery.failed), endpoint, tenant,
 * url, reason. */
static void
wh_notify(struct engine *e, PGresult *res, int row)
{
	struct json_object	*data = json_object_new_object();
	char			 text[2300];

	snprintf(text, sizeof text, "%s: %s", PQgetvalue(res, row, 3),
	    PQgetvalue(res, row, 4));
	jsonx_add_str(data, "message", text);
	jsonx_add_str(data, "webhookId", PQgetvalue(res, row, 1));
	jsonx_add_str(data, "link", "/webhooks");
	engine_notify(e, PQgetvalue(res, row, 0), PQgetvalue(res, row, 1),
	    PQgetvalue(res, row, 2), NULL, data);
	log_info("webhook %s: %s: %s", PQgetvalue(res, row, 1),
	    PQgetvalue(res, row, 0), PQgetvalue(res, row, 4));
}

/* Writes the outcomes so far (webhook_outcomes()) in the open transaction;
 * they are forgotten once it commits (wh_settled). */
static int
wh_write(struct wh *wh)
{
	struct engine	*e = wh->e;
	char		 days[16];
	const char	*params[3];
	PGresult	*res;
	int		 i;

	if (wh->results == NULL)
		return 0;
	snprintf(days, sizeof days, "%ld",
	    config_int(CFG_WEBHOOK_DISABLE_AFTER_DAYS));
	params[0] = jsonx_string(wh->results);
	params[1] = e->id;
	params[2] = days;
	res = db_query(&e->db, "SELECT * FROM webhook_outcomes($1, $2, $3)", 3,
	    params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return -1;
	}
	for (i = 0; i < PQntuples(res); i++)
		wh_notify(e, res, i);
	PQclear(res);
	return 0;
}

static void
wh_settled(struct wh *wh)
{
	json_object_put(wh->results);
	wh->results = NULL;
}

/* The headers of one delivery: the spec's, the type, the endpoint's own. */
static struct curl_slist *
wh_headers(const struct delivery *d, PGresult *res, int i, const char *body)
{
	struct curl_slist	*h = NULL;
	struct json_object	*custom = NULL;
	char			 sig[2][WHSIG_SIG_LEN + 1], line[1200], err[64];
	long long		 ts = (long long)time(NULL);
	const char		*prev = PQgetisnull(res, i, 6) ? NULL :
				    PQgetvalue(res, i, 6);

	if (whsig_sign(PQgetvalue(res, i, 5), d->event_id, ts, body,
	    strlen(body), sig[0]) == -1 || (prev != NULL && whsig_sign(prev,
	    d->event_id, ts, body, strlen(body), sig[1]) == -1))
		return NULL;
	h = curl_slist_append(h, "Content-Type: application/json");
	snprintf(line, sizeof line, "webhook-id: %s", d->event_id);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof line, "webhook-timestamp: %lld", ts);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof line, "webhook-signature: %s%s%s", sig[0],
	    prev != NULL ? " " : "", prev != NULL ? sig[1] : "");
	h = curl_slist_append(h, line);
	snprintf(line, sizeof line, "X-WaQtor-Event: %s", PQgetvalue(res, i, 2));
	h = curl_slist_append(h, line);
	/* (no Expect: 100-continue round trip) */
	h = curl_slist_append(h, "Expect:");
	if (jsonx_parse(PQgetvalue(res, i, 7), (size_t)PQgetlength(res, i, 7),
	    2, &custom, err, sizeof err) == 0 &&
	    json_object_is_type(custom, json_type_object)) {
		json_object_object_foreach(custom, name, value) {
			snprintf(line, sizeof line, "%s: %s", name,
			    json_object_get_string(value));
			h = curl_slist_append(h, line);
		}
	}
	json_object_put(custom);
	return h;
}

/* Claims what is due, as far as the engine's slots go, in the open
 * transaction: 0 and *out (NULL when there is no room), or -1. */
static int
wh_claim(struct wh *wh, PGresult **out)
{
	struct engine	*e = wh->e;
	char		 per[24], room[16], lease[24];
	const char	*params[4] = { e->id, per, room, lease };
	PGresult	*res;
	int		 n;

	*out = NULL;
	n = (int)config_int(CFG_WEBHOOK_IN_FLIGHT) - wh->in_flight;
	if (n <= 0 || e->stopping)
		return 0;
	snprintf(per, sizeof per, "%ld", config_int(CFG_WEBHOOK_CONCURRENCY));
	snprintf(room, sizeof room, "%d", n);
	snprintf(lease, sizeof lease, "%ld",
	    config_int(CFG_WEBHOOK_TIMEOUT_MS) / 1000 + WH_LEASE_EXTRA_S);
	/* (the claimed rows by ctid: a TID scan, whatever the statistics
	 * of a queue that grows by thousands a second say) */
	res = db_query(&e->db, "WITH c AS (SELECT d.ctid AS tid FROM "
	    "webhook_endpoints w CROSS JOIN LATERAL (SELECT d.ctid FROM "
	    "webhook_deliveries d "
	    "WHERE d.endpoint_id = w.id AND d.status IN ('pending', 'sending') "
	    "AND d.next_at <= now() ORDER BY d.next_at LIMIT GREATEST(0, "
	    "$2::int - (SELECT count(*) FROM webhook_deliveries x WHERE "
	    "x.endpoint_id = w.id AND x.status = 'sending' AND x.next_at > "
	    "now())) FOR UPDATE SKIP LOCKED) d WHERE w.enabled LIMIT $3::int) "
	    "UPDATE webhook_deliveries d SET status = 'sending', claimed_by = "
	    "$1, next_at = now() + make_interval(secs => $4::int), attempts = "
	    "d.attempts + 1, updated_at = now() FROM events e, "
	    "webhook_endpoints w WHERE d.ctid = ANY(ARRAY(SELECT tid FROM c)) "
	    "AND e.tenant_id = d.tenant_id AND e.id = "
	    "d.event_id AND e.ts = d.event_ts AND w.id = d.endpoint_id "
	    "RETURNING d.endpoint_id, d.event_id, d.event_type, "
	    "d.attempts, event_json(e)::text, w.secret, CASE WHEN "
	    "w.previous_until > now() THEN w.previous_secret END, "
	    "w.headers::text, w.url", 4, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return -1;
	}
	*out = res;
	return 0;
}

/* Sends what a committed claim took. */
static void
wh_send(struct wh *wh, PGresult *res)
{
	struct engine	*e = wh->e;
	int		 i;

	for (i = 0; i < PQntuples(res); i++) {
		struct delivery		*d = xcalloc(1, sizeof *d);
		struct http_request	 q;

		d->wh = wh;
		snprintf(d->endpoint_id, sizeof d->endpoint_id, "%s",
		    PQgetvalue(res, i, 0));
		snprintf(d->event_id, sizeof d->event_id, "%s",
		    PQgetvalue(res, i, 1));
		d->attempts = atoi(PQgetvalue(res, i, 3));
		snprintf(d->url, sizeof d->url, "%s", PQgetvalue(res, i, 8));
		q.url = d->url;
		q.body = PQgetvalue(res, i, 4);
		q.headers = wh_headers(d, res, i, q.body);
		q.timeout_ms = config_int(CFG_WEBHOOK_TIMEOUT_MS);
		q.public_only = 1;
		wh->in_flight++;
		if (q.headers == NULL) {	/* (a secret of another shape) */
			struct http_reply r = { 0, "", 0, "cannot sign: the "
			    "endpoint's secret is not valid", 0, 0 };

			wh_done(d, &r);
			continue;
		}
		http_request(e, &q, wh_done, d);
	}
	if (PQntuples(res) > 0)
		log_debug("webhooks: %d delivery(ies) started", PQntuples(res));
}

/* One turn: the outcomes so far written and what is due claimed, in one
 * transaction (one commit), then sent. */
static void
wh_run(uv_timer_t *t)
{
	struct wh	*wh = t->data;
	struct engine	*e = wh->e;
	PGresult	*res = NULL;

	if (db_ensure(&e->db) == -1 || engine_begin(e) == -1)
		return;
	if (wh_write(wh) == -1 || wh_claim(wh, &res) == -1) {
		engine_rollback(e);
		log_warn("webhooks: %zu outcome(s) not written yet, nothing "
		    "claimed", wh->results != NULL ?
		    json_object_array_length(wh->results) : 0);
		return;
	}
	if (engine_commit(e) == -1) {
		PQclear(res);
		return;
	}
	wh_settled(wh);
	if (res != NULL)
		wh_send(wh, res);
	PQclear(res);
}

void
webhooks_start(struct engine *e)
{
	struct wh	*wh = xcalloc(1, sizeof *wh);

	wh->e = e;
	uv_timer_init(e->loop, &wh->timer);
	wh->timer.data = wh;
	uv_timer_start(&wh->timer, wh_run, WH_TICK_MS, WH_TICK_MS);
	e->webhooks = wh;
}

void
webhooks_wake(struct engine *e)
{
	struct wh	*wh = e->webhooks;

	uv_timer_start(&wh->timer, wh_run, 0, WH_TICK_MS);
}

int
webhooks_in_flight(struct engine *e)
{
	struct wh	*wh = e->webhooks;

	return wh != NULL ? wh->in_flight : 0;
}

static void
wh_closed(uv_handle_t *h)
{
	free(h->data);
}

void
webhooks_stop(struct engine *e)
{
	struct wh	*wh = e->webhooks;

	if (wh == NULL)
		return;
	uv_timer_stop(&wh->timer);
	/* what finished or was cut short: written, so it goes on elsewhere */
	if (engine_begin(e) == -1 || wh_write(wh) == -1 ||
	    engine_commit(e) == -1) {
		engine_rollback(e);
		log_warn("webhooks: outcomes not written: their leases lapse "
		    "and they are sent again");
	}
	wh_settled(wh);
	uv_close((uv_handle_t *)&wh->timer, wh_closed);
	e->webhooks = NULL;
}
