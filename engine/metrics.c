/*
 * The engine's Prometheus metrics (lib/metrics.h), served on WAQTOR_METRICS
 * by a child process: sends by provider and outcome with the provider's
 * latency, campaign messages dispatched, webhook deliveries by outcome,
 * inbound events processed, failed and parked dead, leases held, sends in
 * flight and the loop's lag, counted here as they happen; and, read from
 * PostgreSQL at each scrape by the server itself, the outbox of this
 * engine's instances by state and the webhook queue.
 */
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "db.h"
#include "engine.h"
#include "log.h"
#include "metrics.h"

static const struct {
	const char		*name;
	enum metrics_type	 type;
	const char		*help;
} engine_families[] = {
	{ "waqtor_engine_sends", METRICS_COUNTER,
	    "messages handed to a provider, by provider and outcome" },
	{ "waqtor_engine_provider_request_duration_seconds", METRICS_HISTOGRAM,
	    "from a send to the provider's answer" },
	{ "waqtor_engine_campaign_messages", METRICS_COUNTER,
	    "campaign recipients turned into messages and sent" },
	{ "waqtor_engine_webhook_deliveries", METRICS_COUNTER,
	    "webhook delivery attempts, by outcome" },
	{ "waqtor_engine_inbound_events", METRICS_COUNTER,
	    "provider events worked, by result (processed, failed, dead)" },
	{ "waqtor_engine_leases", METRICS_GAUGE, "instances this engine holds" },
	{ "waqtor_engine_in_flight", METRICS_GAUGE,
	    "sends waiting for their provider's answer" },
	{ "waqtor_engine_loop_lag_seconds", METRICS_GAUGE,
	    "the longest the event loop was held since the last heartbeat" },
};

static char	engine_id[UTIL_UUID_LEN + 1];

/* At each scrape, in the server: what only PostgreSQL knows. */
static void
engine_gauges(struct strbuf *out, void *arg)
{
	static struct db	 db;
	static int		 ready;
	const char		*params[1] = { engine_id };
	PGresult		*res;
	int			 up;

	(void)arg;
	if (!ready) {
		db_init(&db, config_str(CFG_DATABASE_URL), DB_AS_ENGINE);
		ready = 1;
	}
	up = db_ensure(&db) == 0;
	metrics_render_gauge(out, "waqtor_engine_up_postgres",
	    "1 when PostgreSQL answers the metrics server", "", up);
	if (!up)
		return;
	res = db_query(&db, "SELECT count(*) FILTER (WHERE m.claim_until > "
	    "now()), count(*) FILTER (WHERE m.claim_until IS NULL OR "
	    "m.claim_until <= now()) FROM instances i JOIN messages m ON "
	    "m.instance_id = i.id AND m.status = 'pending' AND m.direction = "
	    "'out' WHERE i.owner_engine = $1", 1, params, 0);
	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK) {
		strbuf_addstr(out, "# HELP waqtor_engine_outbox_messages "
		    "outbound messages of this engine's instances not sent yet, "
		    "by state\n# TYPE waqtor_engine_outbox_messages gauge\n");
		strbuf_addf(out, "waqtor_engine_outbox_messages{state=\"claimed\"}"
		    " %s\nwaqtor_engine_outbox_messages{state=\"queued\"} %s\n",
		    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	res = db_query(&db, "SELECT count(*) FILTER (WHERE status = 'pending'), "
	    "count(*) FILTER (WHERE status = 'sending') FROM webhook_deliveries "
	    "WHERE status IN ('pending', 'sending')", 0, NULL, 0);
	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK) {
		strbuf_addstr(out, "# HELP waqtor_webhook_queue_deliveries "
		    "webhook deliveries not settled, all engines' (the same "
		    "queue from each), by state\n# TYPE "
		    "waqtor_webhook_queue_deliveries gauge\n");
		strbuf_addf(out, "waqtor_webhook_queue_deliveries{state="
		    "\"pending\"} %s\nwaqtor_webhook_queue_deliveries{state="
		    "\"sending\"} %s\n", PQgetvalue(res, 0, 0),
		    PQgetvalue(res, 0, 1));
	}
	PQclear(res);
}

int
engine_metrics_start(struct engine *e)
{
	size_t	i;

	if (*config_str(CFG_METRICS) == '\0')
		return 0;
	if (metrics_init() == -1)
		return -1;
	for (i = 0; i < sizeof engine_families / sizeof engine_families[0]; i++)
		metrics_family(engine_families[i].name, engine_families[i].type,
		    engine_families[i].help);
	snprintf(engine_id, sizeof engine_id, "%s", e->id);
	return metrics_serve(config_str(CFG_METRICS), engine_gauges, NULL) ==
	    -1 ? -1 : 0;
}

void
engine_metrics_send(struct outmsg *m, const struct outcome *o)
{
	static const char *const outcomes[] = {
		[OUT_SENT] = "sent", [OUT_RETRY] = "retry",
		[OUT_THROTTLED] = "throttled", [OUT_FAILED] = "failed",
		[OUT_AUTH_FAILURE] = "auth_failure",
	};
	const char	*provider = m->inst->prov->spec->name;
	char		 labels[METRICS_LABELS_MAX];

	snprintf(labels, sizeof labels, "provider=\"%s\",outcome=\"%s\"",
	    provider, outcomes[o->kind]);
	metrics_add("waqtor_engine_sends", labels, 1);
	snprintf(labels, sizeof labels, "provider=\"%s\"", provider);
	metrics_observe("waqtor_engine_provider_request_duration_seconds",
	    labels, (double)(uv_hrtime() - m->started_ns) / 1e9);
}
