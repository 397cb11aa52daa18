/*
 * The HTTP/WebSocket side of waqtor-pushd: one libwebsockets 4.1 context
 * riding the daemon's own libuv loop (a "foreign" loop to lws), listening on
 * one address (HTTP/1.1, no TLS: nginx sits in front).
 *
 *   GET /healthz        200 {"status":"ok","redis":"ok"|"down",
 *                       "connections":N}; 503 "draining" after ws_drain()
 *   GET /stats          the counters of stats.h as JSON
 *   GET /metrics        the same in Prometheus text format
 *   <path>?EIO=4&...    Engine.IO: long-polling GET/POST and the websocket
 *                       upgrade (session.c); 400 {"code","message"} for a
 *                       bad EIO, transport, sid or method
 *   anything else       404
 *
 * <path> is /socket.io/ (or /engine.io/ in the test-suite echo mode). A
 * websocket message or POST body over maxPayload closes the session (1009
 * or 413).
 *
 * Lifecycle: ws_new(), then optionally ws_drain(), then ws_destroy(), then
 * run the loop until it ends (lws closes its uv handles asynchronously),
 * then ws_free(). ws_new() and ws_free() must not be called from callbacks.
 */
#ifndef WAQTOR_PUSHD_WS_H
#define WAQTOR_PUSHD_WS_H

#include <uv.h>

#include "addr.h"

#define WS_PATH		"/socket.io/"
#define WS_PATH_ECHO	"/engine.io/"

struct ws_hooks {
	/* 1 when the Redis subscription is up, for /healthz. */
	int	(*redis_up)(void *arg);
	/* 1 when PostgreSQL is connected, for /stats. */
	int	(*pg_up)(void *arg);
	/*
	 * Once, after ws_drain(), when no WebSocket is left. May run inside
	 * lws or inside ws_drain() itself, so it must only schedule work.
	 */
	void	(*drained)(void *arg);
	void	 *arg;
};

struct ws;

/*
 * Creates the context and listens on listen (reclaiming a stale unix socket
 * file first). NULL, after logging why, when it cannot listen; lws undoes a
 * failed start on the loop, so call this before anything else uses it.
 */
struct ws *ws_new(uv_loop_t *loop, const struct addr *listen,
    const struct ws_hooks *hooks, const char *path, unsigned fd_limit)
    __attribute__((warn_unused_result));
/* Open WebSocket connections. */
unsigned ws_connections(const struct ws *ws);
/*
 * Stops listening (removing the unix socket file) and closes every
 * session: a WebSocket gets a close frame with status 1001 (going away). Connections that
 * do not answer are cut by lws after 5 s, or by ws_destroy().
 */
void ws_drain(struct ws *ws);
/* Closes every connection at once and starts freeing the lws context. */
void ws_destroy(struct ws *ws);
/* Finishes what ws_destroy() started, once the loop has run dry. */
void ws_free(struct ws *ws);

#endif
