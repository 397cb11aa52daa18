/*
 * waqtor-engine: owns WhatsApp instances and dispatches their outbox (later
 * issues). For now: one libuv loop that keeps its PostgreSQL and Redis
 * connections alive and publishes an engine.heartbeat event on
 * waqtor:system:system every WAQTOR_HEARTBEAT_MS. SIGTERM stops it cleanly.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <uv.h>

#include "config.h"
#include "daemon.h"
#include "db.h"
#include "event.h"
#include "jsonx.h"
#include "log.h"
#include "rds.h"
#include "util.h"

struct engine {
	uv_loop_t	*loop;
	uv_timer_t	 heartbeat;
	uv_signal_t	 sigterm;
	uv_signal_t	 sigint;
	struct db	 db;
	struct rds	 rds;
	char		 id[UTIL_UUID_LEN + 1];
	long long	 started_ms;
	int		 pg_up;		/* last known, to log changes once */
	int		 redis_up;
};

static void
engine_track(const char *what, int *was, int now)
{
	if (*was != now)
		log_info("%s is %s", what, now ? "up" : "down");
	*was = now;
}

static void
engine_heartbeat(uv_timer_t *t)
{
	struct engine		*e = t->data;
	struct json_object	*data;
	int			 pg = db_ping(&e->db) == 0;

	data = json_object_new_object();
	jsonx_add_str(data, "engineId", e->id);
	jsonx_add_int(data, "uptimeMs", util_now_ms() - e->started_ms);
	jsonx_add_str(data, "postgres", pg ? "ok" : "down");
	engine_track("postgres", &e->pg_up, pg);
	engine_track("redis", &e->redis_up,
	    event_publish(&e->rds, "engine.heartbeat", NULL, NULL, data) >= 0);
}

static void
engine_stop(uv_signal_t *s, int signum)
{
	struct engine	*e = s->data;

	log_info("signal %d: stopping", signum);
	uv_timer_stop(&e->heartbeat);
	uv_close((uv_handle_t *)&e->heartbeat, NULL);
	uv_close((uv_handle_t *)&e->sigterm, NULL);
	uv_close((uv_handle_t *)&e->sigint, NULL);
}

int
main(void)
{
	struct engine	e;
	char		err[256];
	int		rc;

	if (daemon_config("engine", err, sizeof err) == -1) {
		log_error("bad configuration: %s", err);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&e, 0, sizeof e);
	e.loop = uv_default_loop();
	e.started_ms = util_now_ms();
	e.pg_up = e.redis_up = -1;
	util_uuid(e.id);

	db_init(&e.db, config_str(CFG_DATABASE_URL), DB_AS_APP);
	if (rds_init(&e.rds, config_str(CFG_REDIS_URL)) == -1)
		return 2;

	uv_timer_init(e.loop, &e.heartbeat);
	e.heartbeat.data = &e;
	uv_timer_start(&e.heartbeat, engine_heartbeat, 0,
	    (uint64_t)config_int(CFG_HEARTBEAT_MS));
	uv_signal_init(e.loop, &e.sigterm);
	uv_signal_init(e.loop, &e.sigint);
	e.sigterm.data = e.sigint.data = &e;
	uv_signal_start_oneshot(&e.sigterm, engine_stop, SIGTERM);
	uv_signal_start_oneshot(&e.sigint, engine_stop, SIGINT);

	log_info("engine %s started", e.id);
	rc = uv_run(e.loop, UV_RUN_DEFAULT);
	uv_loop_close(e.loop);
	db_close(&e.db);
	rds_close(&e.rds);
	log_info("stopped");
	return rc == 0 ? 0 : 1;
}
