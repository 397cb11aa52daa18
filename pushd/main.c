/*
 * waqtor-pushd: one libuv loop carrying libwebsockets (the WebSocket side,
 * ws.c) and a hiredis async subscriber (redis_sub.c). This file owns the
 * loop, the signals and the order of shutdown:
 *
 *   SIGTERM/SIGINT  stop listening, send every WebSocket a 1001 close frame,
 *                   drop Redis; once no WebSocket is left, or when the
 *                   WAQTOR_SHUTDOWN_SECS budget is spent, destroy the lws
 *                   context, let the loop run dry and exit 0.
 *   second signal   _exit(1) at once.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "addr.h"
#include "config.h"
#include "log.h"
#include "rds.h"
#include "redis_sub.h"
#include "util.h"
#include "ws.h"

#define PUSHD_PATTERN		"waqtor:*"
#define PUSHD_TEARDOWN_MS	500	/* for lws to close its handles */

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
	struct ws		*ws;
	struct redis_sub	*redis;
	enum pushd_phase	 phase;
	int			 wedged;	/* the watchdog stopped the loop */
	uint64_t		 drain_ms;
	unsigned long long	 messages;
};

static void	pushd_on_stop_timer(uv_timer_t *);

/* Counting only, until the Socket.IO fan-out takes the messages. */
static void
pushd_on_message(const char *channel, size_t channel_len,
    const char *payload, size_t payload_len, void *arg)
{
	struct pushd	*pd = arg;

	pd->messages++;
	log_debug("redis: message on %.*s, %zu bytes",
	    (int)(channel_len > 128 ? 128 : channel_len), channel, payload_len);
	(void)payload;
}

static int
pushd_redis_up(void *arg)
{
	struct pushd	*pd = arg;

	return redis_sub_up(pd->redis);
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
		if ((left = ws_connections(pd->ws)) > 0)
			log_warn("shutdown: %u connections still open after "
			    "%llu ms, cutting them", left,
			    (unsigned long long)pd->drain_ms);
		pd->phase = PUSHD_CLOSING;
		ws_destroy(pd->ws);
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
	    "%llu ms)", signum, ws_connections(pd->ws),
	    (unsigned long long)pd->drain_ms);
	pd->phase = PUSHD_DRAINING;
	/* Still delivered, but no longer keeping the loop alive. */
	uv_unref((uv_handle_t *)&pd->sigterm);
	uv_unref((uv_handle_t *)&pd->sigint);
	redis_sub_free(pd->redis);
	pd->redis = NULL;
	uv_timer_start(&pd->stop_timer, pushd_on_stop_timer, pd->drain_ms, 0);
	ws_drain(pd->ws);
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
	/* Keep part of the budget for closing handles after the drain. */
	secs = config_int(CFG_SHUTDOWN_SECS);
	pd->drain_ms = (uint64_t)secs * 1000;
	pd->drain_ms = pd->drain_ms > PUSHD_TEARDOWN_MS ?
	    pd->drain_ms - PUSHD_TEARDOWN_MS : 0;
	return 0;
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
	hooks.redis_up = pushd_redis_up;
	hooks.drained = pushd_drained;
	hooks.arg = &pd;
	if ((pd.ws = ws_new(&pd.loop, &pd.listen, &hooks)) == NULL) {
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

	pd.redis = redis_sub_new(&pd.loop, &pd.redis_addr, PUSHD_PATTERN,
	    pushd_on_message, &pd);
	addr_format(&pd.listen, where, sizeof where);
	url_redact(config_str(CFG_REDIS_URL), redis, sizeof redis);
	log_info("listening on %s for %s, redis %s", where, WS_PATH, redis);

	uv_run(&pd.loop, UV_RUN_DEFAULT);
	if (pd.wedged) {
		/* Freeing what lws may still use would be worse than a leak. */
		uv_walk(&pd.loop, pushd_walk, NULL);
		return 1;
	}

	ws_free(pd.ws);
	uv_close((uv_handle_t *)&pd.stop_timer, NULL);
	uv_close((uv_handle_t *)&pd.sigterm, NULL);
	uv_close((uv_handle_t *)&pd.sigint, NULL);
	uv_run(&pd.loop, UV_RUN_NOWAIT);
	if (uv_loop_close(&pd.loop) != 0)
		uv_walk(&pd.loop, pushd_walk, NULL);
	explicit_bzero(pd.redis_addr.password, sizeof pd.redis_addr.password);
	log_info("stopped; %llu redis messages received", pd.messages);
	return 0;
}
