/*
 * waqtor-engine: the loop and its timers. lease_tick claims and renews
 * instances; the dispatch timer feeds the outbox at each instance's rate;
 * the inbound timer turns stored provider events into messages; the
 * campaign timer loads the running campaigns and publishes their progress
 * (the dispatch timer sends them, after the outbox); the
 * heartbeat publishes engine.heartbeat on waqtor:system:system. NOTIFYs from
 * the API run the matching timer at once. SIGTERM: stop claiming, let the
 * sends in flight settle (WAQTOR_SHUTDOWN_SECS at most), release the leases
 * and exit; a second SIGTERM exits at once.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "engine.h"
#include "jsonx.h"
#include "log.h"
#include "metrics.h"

#define DISPATCH_MS	20
#define INBOUND_MS	1000
#define WAKE_ALL_MS	1000	/* retries come due without a NOTIFY */
#define LAG_WARN_MS	1000	/* a stall this long is logged */
#define CAMPAIGN_MS	100	/* campaign loads, pauses, progress */

static void
engine_heartbeat(uv_timer_t *t)
{
	struct engine		*e = t->data;
	struct json_object	*data = json_object_new_object();
	struct inst		*in;
	int			 n = 0;

	for (in = e->insts; in != NULL; in = in->next)
		n++;
	jsonx_add_str(data, "engineId", e->id);
	jsonx_add_int(data, "uptimeMs", util_now_ms() - e->started_ms);
	jsonx_add_str(data, "postgres", db_ping(&e->db) == 0 ? "ok" : "down");
	jsonx_add_int(data, "instances", n);
	jsonx_add_int(data, "inFlight", e->in_flight);
	jsonx_add_int(data, "loopLagMaxMs", e->lag_max_ms);
	jsonx_add_int(data, "loopLagWorstMs", e->lag_worst_ms);
	metrics_set("waqtor_engine_leases", "", n);
	metrics_set("waqtor_engine_in_flight", "", e->in_flight);
	metrics_set_seconds("waqtor_engine_loop_lag_seconds", "",
	    (double)e->lag_max_ms / 1000);
	e->lag_max_ms = 0;
	engine_emit(e, "engine.heartbeat", NULL, NULL, data);
}

/*
 * How late the dispatch timer fires is how long the loop was held (a
 * synchronous PostgreSQL or Redis call, bounded by their timeouts): the
 * worst goes into each heartbeat, a long one into the log.
 */
static void
engine_lag(struct engine *e)
{
	uint64_t	now = uv_hrtime();
	long long	lag;

	if (e->lag_last_ns != 0) {
		lag = (long long)((now - e->lag_last_ns) / 1000000) - DISPATCH_MS;
		if (lag > e->lag_max_ms)
			e->lag_max_ms = lag;
		if (lag > e->lag_worst_ms)
			e->lag_worst_ms = lag;
		if (lag >= LAG_WARN_MS)
			log_warn("event loop held for %lld ms", lag);
	}
	e->lag_last_ns = now;
}

static void
engine_lease(uv_timer_t *t)
{
	struct engine	*e = t->data;
	struct inst	*in;

	lease_tick(e);
	for (in = e->insts; in != NULL; in = in->next)
		in->maybe_pending = 1;
}

static void
engine_dispatch(uv_timer_t *t)
{
	engine_lag(t->data);
	outbox_dispatch(t->data);
}

static void
engine_campaigns(uv_timer_t *t)
{
	campaign_tick(t->data);
}

static void
engine_inbound(uv_timer_t *t)
{
	inbound_process(t->data);
}

void
engine_wake_dispatch(struct engine *e)
{
	uv_timer_start(&e->dispatch_timer, engine_dispatch, 0, DISPATCH_MS);
}

/* (in 1 ms, not 0: libuv runs a timer re-armed for now from its own
 * callback again in the same pass, which would never let the loop turn) */
void
engine_wake_inbound(struct engine *e)
{
	uv_timer_start(&e->inbound_timer, engine_inbound, 1, INBOUND_MS);
}

static void
engine_close_all(struct engine *e)
{
	uv_close((uv_handle_t *)&e->lease_timer, NULL);
	uv_close((uv_handle_t *)&e->dispatch_timer, NULL);
	uv_close((uv_handle_t *)&e->inbound_timer, NULL);
	uv_close((uv_handle_t *)&e->heartbeat_timer, NULL);
	uv_close((uv_handle_t *)&e->campaign_timer, NULL);
	uv_close((uv_handle_t *)&e->sigterm, NULL);
	uv_close((uv_handle_t *)&e->sigint, NULL);
}

/* Waits for the sends in flight, then releases everything. */
static void
engine_drain(uv_timer_t *t)
{
	struct engine	*e = t->data;

	if (e->in_flight + webhooks_in_flight(e) > 0 &&
	    util_now_ms() < e->stop_deadline_ms)
		return;
	if (e->in_flight > 0)
		log_warn("stopping with %d send(s) in flight: their claims "
		    "lapse and they are retried", e->in_flight);
	uv_timer_stop(t);
	http_stop(e);
	webhooks_stop(e);
	outbox_flush(e);
	notify_stop(e);
	lease_release_all(e);
	engine_close_all(e);
}

static void
engine_signal(uv_signal_t *s, int signum)
{
	struct engine	*e = s->data;

	if (e->stopping) {
		log_warn("second signal: exiting now");
		_exit(1);
	}
	log_info("signal %d: stopping", signum);
	e->stopping = 1;
	e->stop_deadline_ms = util_now_ms() + config_int(CFG_SHUTDOWN_SECS) * 1000;
	uv_timer_stop(&e->dispatch_timer);
	uv_timer_stop(&e->inbound_timer);
	uv_timer_stop(&e->heartbeat_timer);
	uv_timer_stop(&e->campaign_timer);
	/* the lease timer becomes the drain timer */
	uv_timer_start(&e->lease_timer, engine_drain, 0, 50);
}

int
main(void)
{
	struct engine	e;
	char		err[256];
	uint64_t	lease_every;
	int		rc;

	if (daemon_config("engine", err, sizeof err) == -1) {
		log_error("bad configuration: %s", err);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&e, 0, sizeof e);
	e.started_ms = util_now_ms();
	util_uuid(e.id);
	if (engine_metrics_start(&e) == -1)	/* forks: before all else */
		return 1;
	e.loop = uv_default_loop();

	/* the engine works for every tenant: the owner role, not under RLS */
	db_init(&e.db, config_str(CFG_DATABASE_URL), DB_AS_ENGINE);
	if (rds_init(&e.rds, config_str(CFG_REDIS_URL)) == -1)
		return 2;
	uv_timer_init(e.loop, &e.lease_timer);
	uv_timer_init(e.loop, &e.dispatch_timer);
	uv_timer_init(e.loop, &e.inbound_timer);
	uv_timer_init(e.loop, &e.heartbeat_timer);
	uv_timer_init(e.loop, &e.campaign_timer);
	e.campaign_timer.data = &e;
	e.lease_timer.data = e.dispatch_timer.data = &e;
	e.inbound_timer.data = e.heartbeat_timer.data = &e;
	lease_every = (uint64_t)config_int(CFG_ENGINE_LEASE_MS) / 3;
	if (lease_every > WAKE_ALL_MS)
		lease_every = WAKE_ALL_MS;
	uv_timer_start(&e.lease_timer, engine_lease, 0, lease_every);
	uv_timer_start(&e.dispatch_timer, engine_dispatch, DISPATCH_MS,
	    DISPATCH_MS);
	uv_timer_start(&e.inbound_timer, engine_inbound, 0, INBOUND_MS);
	uv_timer_start(&e.heartbeat_timer, engine_heartbeat, 0,
	    (uint64_t)config_int(CFG_HEARTBEAT_MS));
	uv_timer_start(&e.campaign_timer, engine_campaigns, CAMPAIGN_MS,
	    CAMPAIGN_MS);
	uv_signal_init(e.loop, &e.sigterm);
	uv_signal_init(e.loop, &e.sigint);
	e.sigterm.data = e.sigint.data = &e;
	uv_signal_start(&e.sigterm, engine_signal, SIGTERM);
	uv_signal_start(&e.sigint, engine_signal, SIGINT);
	if (http_start(&e) == -1 || notify_start(&e) == -1) {
		log_error("cannot start HTTP or LISTEN");
		return 1;
	}
	webhooks_start(&e);
	if (lease_register(&e) == -1)
		log_warn("not registered yet: PostgreSQL unavailable");

	log_info("engine %s started", e.id);
	rc = uv_run(e.loop, UV_RUN_DEFAULT);
	uv_loop_close(e.loop);
	campaign_free_all(&e);
	smartbot_forget(&e, NULL);
	db_close(&e.db);
	rds_close(&e.rds);
	log_info("stopped");
	return rc == 0 ? 0 : 1;
}
