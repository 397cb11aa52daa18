/*
 * waqtor-pushd: one libuv loop carrying libwebsockets (Engine.IO and
 * Socket.IO, ws.c, session.c, sock.c), a hiredis async subscriber to
 * waqtor:* (redis_sub.c, feeding fanout.c) and an async libpq connection
 * (pgq.c, for API keys and instance statuses). This file owns the loop, the
 * settings, the signals and the order of shutdown:
 *
 *   SIGTERM/SIGINT  stop listening, close every session (websockets get a
 *                   1001 close frame, parked polls a close packet), drop
 *                   Redis; once no WebSocket is left, or when the
 *                   WAQTOR_SHUTDOWN_SECS budget is spent, destroy the lws
 *                   context, let the loop run dry and exit 0.
 *   second signal   _exit(1) at once.
 */
#include <sys/resource.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "addr.h"
#include "config.h"
#include "fanout.h"
#include "log.h"
#include "pgq.h"
#include "pushd.h"
#include "rds.h"
#include "recovery.h"
#include "redis_sub.h"
#include "session.h"
#include "stats.h"
#include "util.h"
#include "ws.h"

#define PUSHD_PATTERN		"waqtor:*"
#define PUSHD_TEARDOWN_MS	500	/* for lws to close its handles */
#define PUSHD_FD_RESERVE	64	/* descriptors kept for Redis, PG, libuv */

struct pushd_server	srv;

enum pushd_phase {
	PUSHD_RUNNING,
	PUSHD_DRAINING,		/* close frames sent, waiting for peers */
	PUSHD_CLOSING,		/* lws context destroyed, loop running dry */
};

struct pushd {
	uv_loop_t		 loop;
	uv_signal_t		 sigterm;
	uv_signal_t		 sigint;
	uv_timer_t		 stop_timer;	/* drain deadline, then watchdog */
	struct addr		 listen;
	struct rds_addr		 redis_addr;
	enum pushd_phase	 phase;
	int			 wedged;	/* the watchdog stopped the loop */
	uint64_t		 drain_ms;
	unsigned		 fd_limit;
};

static void	pushd_on_stop_timer(uv_timer_t *);

static int
pushd_redis_up(void *arg)
{
	(void)arg;
	return redis_sub_up(srv.redis);
}

static int
pushd_pg_up(void *arg)
{
	(void)arg;
	return pgq_up(srv.pg);
}

/* From inside lws: only move the deadline to now. */
static void
pushd_drained(void *arg)
{
	struct pushd	*pd = arg;

	if (pd->phase == PUSHD_DRAINING)
		uv_timer_start(&pd->stop_timer, pushd_on_stop_timer, 0, 0);
}

static void
pushd_on_stop_timer(uv_timer_t *t)
{
	struct pushd	*pd = t->data;
	unsigned	 left;

	switch (pd->phase) {
	case PUSHD_DRAINING:
		if ((left = ws_connections(srv.ws)) > 0)
			log_warn("shutdown: %u connections still open after "
			    "%llu ms, cutting them", left,
			    (unsigned long long)pd->drain_ms);
		pd->phase = PUSHD_CLOSING;
		ws_destroy(srv.ws);
		/* A watchdog only: the loop ends without it once lws is done. */
		uv_timer_start(t, pushd_on_stop_timer, PUSHD_TEARDOWN_MS, 0);
		uv_unref((uv_handle_t *)t);
		break;
	case PUSHD_CLOSING:
		log_error("shutdown: handles still open after %d ms, stopping "
		    "the loop", PUSHD_TEARDOWN_MS);
		pd->wedged = 1;
		uv_stop(&pd->loop);
		break;
	case PUSHD_RUNNING:
		break;
	}
}

static void
pushd_on_signal(uv_signal_t *h, int signum)
{
	struct pushd	*pd = h->data;

	if (pd->phase != PUSHD_RUNNING) {
		log_warn("signal %d during shutdown: exiting now", signum);
		_exit(1);
	}
	log_info("signal %d: shutting down, closing %u connections (up to "
	    "%llu ms)", signum, ws_connections(srv.ws),
	    (unsigned long long)pd->drain_ms);
	pd->phase = PUSHD_DRAINING;
	srv.draining = 1;
	/* Still delivered, but no longer keeping the loop alive. */
	uv_unref((uv_handle_t *)&pd->sigterm);
	uv_unref((uv_handle_t *)&pd->sigint);
	redis_sub_free(srv.redis);
	srv.redis = NULL;
	uv_timer_start(&pd->stop_timer, pushd_on_stop_timer, pd->drain_ms, 0);
	/* Sessions first: their sockets cancel their database requests. */
	ws_drain(srv.ws);
	pgq_free(srv.pg);
	srv.pg = NULL;
}

static int
pushd_configure(struct pushd *pd)
{
	enum log_level	level;
	char		err[256];
	long		secs;

	if (config_load(err, sizeof err) == -1) {
		log_error("bad configuration: %s", err);
		return -1;
	}
	if (log_level_parse(config_str(CFG_LOG_LEVEL), &level) == -1) {
		log_error("bad configuration: WAQTOR_LOG_LEVEL: expected debug, "
		    "info, warn or error");
		return -1;
	}
	log_init("pushd", level);
	if (addr_parse(config_str(CFG_PUSHD_SOCKET), &pd->listen, err,
	    sizeof err) == -1) {
		log_error("bad configuration: WAQTOR_PUSHD_SOCKET: %s", err);
		return -1;
	}
	if (rds_parse_url(config_str(CFG_REDIS_URL), &pd->redis_addr, err,
	    sizeof err) == -1) {
		log_error("bad configuration: WAQTOR_REDIS_URL: %s", err);
		return -1;
	}
	srv.set.ping_interval_ms = config_int(CFG_PUSHD_PING_INTERVAL_MS);
	srv.set.ping_timeout_ms = config_int(CFG_PUSHD_PING_TIMEOUT_MS);
	srv.set.max_payload = config_int(CFG_PUSHD_MAX_PAYLOAD);
	srv.set.connect_timeout_ms = config_int(CFG_PUSHD_CONNECT_TIMEOUT_MS);
	srv.set.queue_max = config_int(CFG_PUSHD_QUEUE_MAX);
	srv.set.rate = config_int(CFG_PUSHD_RATE);
	srv.set.recovery_ms = config_int(CFG_PUSHD_RECOVERY_MS);
	srv.set.max_connections = config_int(CFG_PUSHD_MAX_CONNECTIONS);
	srv.set.echo = (int)config_int(CFG_PUSHD_ECHO);
	srv.have_secret = secret_key(srv.secret) == 0;
	if (!srv.have_secret)
		log_warn("WAQTOR_SECRET_KEY is not set: realtime tokens are "
		    "refused, API keys only");
	/* Keep part of the budget for closing handles after the drain. */
	secs = config_int(CFG_SHUTDOWN_SECS);
	pd->drain_ms = (uint64_t)secs * 1000;
	pd->drain_ms = pd->drain_ms > PUSHD_TEARDOWN_MS ?
	    pd->drain_ms - PUSHD_TEARDOWN_MS : 0;
	return 0;
}

/*
 * Thousands of sockets need descriptors: raise the soft limit as far as
 * the hard one allows (up to what WAQTOR_PUSHD_MAX_CONNECTIONS needs); lws
 * pauses accepting at the limit rather than meet EMFILE.
 */
static void
pushd_raise_nofile(struct pushd *pd)
{
	struct rlimit	rl;
	rlim_t		want = (rlim_t)srv.set.max_connections +
			    PUSHD_FD_RESERVE;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		pd->fd_limit = (unsigned)srv.set.max_connections;
		return;
	}
	if (rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want ?
		    rl.rlim_max : want;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	/* 0: lws takes the process limit (see ws_start) */
	pd->fd_limit = rl.rlim_cur > want ? (unsigned)want : 0;
	log_info("up to %llu client descriptors (RLIMIT_NOFILE %llu)",
	    (unsigned long long)(pd->fd_limit != 0 ? pd->fd_limit :
	    rl.rlim_cur), (unsigned long long)rl.rlim_cur);
}

static void
pushd_walk(uv_handle_t *h, void *arg)
{
	(void)arg;
	log_error("shutdown: uv handle %s still open",
	    uv_handle_type_name(uv_handle_get_type(h)));
}

int
main(void)
{
	struct pushd		 pd;
	struct sigaction	 sa;
	struct ws_hooks		 hooks;
	char			 where[160], redis[512];
	int			 rc;

	memset(&pd, 0, sizeof pd);
	log_init("pushd", LOG_INFO);
	util_init();
	if (pushd_configure(&pd) == -1)
		return 1;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGPIPE, &sa, NULL);

	if ((rc = uv_loop_init(&pd.loop)) != 0) {
		log_error("uv_loop_init: %s", uv_strerror(rc));
		return 1;
	}
	srv.loop = &pd.loop;
	strmap_init(&srv.sessions);
	fanout_init();
	recovery_init(srv.set.echo ? 0 : srv.set.recovery_ms);
	pushd_raise_nofile(&pd);
	hooks.redis_up = pushd_redis_up;
	hooks.pg_up = pushd_pg_up;
	hooks.drained = pushd_drained;
	hooks.arg = &pd;
	if ((srv.ws = ws_new(&pd.loop, &pd.listen, &hooks, srv.set.echo ?
	    WS_PATH_ECHO : WS_PATH, pd.fd_limit)) == NULL) {
		if (uv_loop_close(&pd.loop) != 0)
			uv_walk(&pd.loop, pushd_walk, NULL);
		return 1;
	}

	uv_signal_init(&pd.loop, &pd.sigterm);
	uv_signal_init(&pd.loop, &pd.sigint);
	uv_timer_init(&pd.loop, &pd.stop_timer);
	pd.sigterm.data = pd.sigint.data = pd.stop_timer.data = &pd;
	uv_signal_start(&pd.sigterm, pushd_on_signal, SIGTERM);
	uv_signal_start(&pd.sigint, pushd_on_signal, SIGINT);

	srv.redis = redis_sub_new(&pd.loop, &pd.redis_addr, PUSHD_PATTERN,
	    fanout_message, NULL);
	if (!srv.set.echo)
		srv.pg = pgq_new(&pd.loop, config_str(CFG_DATABASE_URL));
	addr_format(&pd.listen, where, sizeof where);
	url_redact(config_str(CFG_REDIS_URL), redis, sizeof redis);
	log_info("listening on %s for %s, redis %s%s", where, srv.set.echo ?
	    WS_PATH_ECHO : WS_PATH, redis, srv.set.echo ?
	    " (Engine.IO echo mode)" : "");

	uv_run(&pd.loop, UV_RUN_DEFAULT);
	if (pd.wedged) {
		/* Freeing what lws may still use would be worse than a leak. */
		uv_walk(&pd.loop, pushd_walk, NULL);
		return 1;
	}

	ws_free(srv.ws);
	session_shutdown();
	uv_close((uv_handle_t *)&pd.stop_timer, NULL);
	uv_close((uv_handle_t *)&pd.sigterm, NULL);
	uv_close((uv_handle_t *)&pd.sigint, NULL);
	uv_run(&pd.loop, UV_RUN_NOWAIT);
	if (uv_loop_close(&pd.loop) != 0)
		uv_walk(&pd.loop, pushd_walk, NULL);
	explicit_bzero(pd.redis_addr.password, sizeof pd.redis_addr.password);
	explicit_bzero(srv.secret, sizeof srv.secret);
	recovery_free();
	fanout_free();
	strmap_clear(&srv.sessions);
	log_info("stopped; %llu redis messages received", stats.redis_messages);
	return 0;
}
