#include "ws.h"

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libwebsockets.h>

#include "log.h"
#include "pushd.h"
#include "session.h"
#include "stats.h"
#include "xmalloc.h"

#define WS_HEALTHZ	"/healthz"
#define WS_STATS	"/stats"
#define WS_METRICS	"/metrics"
#define WS_VHOST	"pushd"
#define WS_FAIL_SPINS	16	/* loop turns for lws to undo a failed start */
#define WS_ARG_MAX	64	/* longest query argument we look at */
#define WS_HEADER_MAX	(32 * 1024)	/* lws's header buffer per request */
#define WS_URI_MAX	(16 * 1024)	/* longer is 431, as Node answers */
#define WS_STATS_MAX	8192
#define WS_TOO_LARGE	"{\"code\":3,\"message\":\"Payload too large\"}"
#define WS_DISCARD_MAX	(16 * 1024 * 1024)	/* of an oversize message */

/* Engine.IO's error codes for a request it cannot take (HTTP 400). */
enum ws_eio_error {
	WS_EIO_TRANSPORT = 0,	/* Transport unknown */
	WS_EIO_SID = 1,		/* Session ID unknown */
	WS_EIO_METHOD = 2,	/* Bad handshake method */
	WS_EIO_BAD = 3,		/* Bad request */
	WS_EIO_VERSION = 5,	/* Unsupported protocol version */
};

static const char *const ws_eio_messages[] = {
	[WS_EIO_TRANSPORT] = "Transport unknown",
	[WS_EIO_SID] = "Session ID unknown",
	[WS_EIO_METHOD] = "Bad handshake method",
	[WS_EIO_BAD] = "Bad request",
	[4] = "Forbidden",
	[WS_EIO_VERSION] = "Unsupported protocol version",
};

struct ws {
	struct lws_context	*ctx;		/* NULLed by lws once freed */
	struct addr		 listen;
	struct ws_hooks		 hooks;
	const char		*path;		/* /socket.io/ or /engine.io/ */
	LIST_HEAD(, conn)	 conns;		/* websockets */
	unsigned		 nconns;
	int			 draining;
	int			 drained;	/* hooks.drained() was called */
	struct lws_protocols	 protocols[2];
};

/* The query of an Engine.IO request. */
struct ws_query {
	char	eio[WS_ARG_MAX];
	char	transport[WS_ARG_MAX];
	char	sid[WS_ARG_MAX];
	int	has_eio, has_transport, has_sid;
};

static int	ws_callback(struct lws *, enum lws_callback_reasons, void *,
		    void *, size_t);

int	ws_in_callback;

/* lws log lines end in '\n' and carry no timestamp when we emit them. */
static void
ws_lws_log(int level, const char *line)
{
	enum log_level	lvl = LOG_DEBUG;
	size_t		len = strlen(line);

	if (level == LLL_ERR)
		lvl = LOG_ERROR;
	else if (level == LLL_WARN)
		lvl = LOG_WARN;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	log_at(lvl, "lws: %.*s", (int)len, line);
}

static int
ws_json_reply(struct lws *wsi, unsigned int status, const char *body)
{
	return conn_http_reply(wsi, status, "application/json", body,
	    strlen(body));
}

/* 400 with engine.io's {"code","message"}; -1 to hang up after it. */
static int
ws_eio_error(struct lws *wsi, enum ws_eio_error code)
{
	char	body[96];

	snprintf(body, sizeof body, "{\"code\":%d,\"message\":\"%s\"}", code,
	    ws_eio_messages[code]);
	return ws_json_reply(wsi, HTTP_STATUS_BAD_REQUEST, body);
}

/* Argument name into out (truncated to WS_ARG_MAX - 1: an over-long sid is
 * an unknown one, never an absent one). */
static void
ws_arg(struct lws *wsi, const char *name, char *out, int *has)
{
	char		 buf[WS_HEADER_MAX];
	const char	*v;

	*has = 0;
	out[0] = '\0';
	if ((v = lws_get_urlarg_by_name(wsi, name, buf, sizeof buf)) == NULL)
		return;
	*has = 1;
	snprintf(out, WS_ARG_MAX, "%s", v);
}

static void
ws_query(struct lws *wsi, struct ws_query *q)
{
	ws_arg(wsi, "EIO=", q->eio, &q->has_eio);
	ws_arg(wsi, "transport=", q->transport, &q->has_transport);
	ws_arg(wsi, "sid=", q->sid, &q->has_sid);
}

/* Checks EIO and transport; -1 with the error code to answer. */
static int
ws_query_check(const struct ws_query *q, const char *transport,
    enum ws_eio_error *code)
{
	if (!q->has_eio || strcmp(q->eio, "4") != 0) {
		*code = WS_EIO_VERSION;
		return -1;
	}
	if (!q->has_transport || strcmp(q->transport, transport) != 0) {
		*code = WS_EIO_TRANSPORT;
		return -1;
	}
	return 0;
}

static int
ws_stats(struct ws *ws, struct lws *wsi, int prometheus)
{
	char	*body = xmalloc(WS_STATS_MAX);
	int	 redis = ws->hooks.redis_up(ws->hooks.arg);
	int	 pg = ws->hooks.pg_up(ws->hooks.arg);
	int	 rc;

	if ((prometheus ? stats_prometheus(body, WS_STATS_MAX, redis, pg) :
	    stats_json(body, WS_STATS_MAX, redis, pg)) == -1)
		fatal("stats: over %d bytes", WS_STATS_MAX);
	rc = conn_http_reply(wsi, HTTP_STATUS_OK, prometheus ?
	    "text/plain; version=0.0.4" : "application/json", body,
	    strlen(body));
	free(body);
	return rc;
}

/*
 * A new Engine.IO session with its open packet queued: upgrades names
 * "websocket" for a polling session (which may upgrade), none otherwise.
 */
static struct session *
ws_session_open(enum session_transport t, int upgrades)
{
	struct session		*s = session_new(t);
	struct eio_frame	*open;
	char			 json[256];

	if (eio_open_json(json, sizeof json, s->sid, upgrades,
	    srv.set.ping_interval_ms, srv.set.ping_timeout_ms,
	    srv.set.max_payload) == -1)
		fatal("eio: open packet too long");
	open = eio_frame_text(EIO_OPEN, json, strlen(json));
	(void)session_send(s, open, NULL, 1);
	eio_frame_unref(open);
	return s;
}

/* A long-polling request: a handshake, a poll (GET) or a push (POST). */
static int
ws_polling(struct lws *wsi, struct conn *c)
{
	struct ws_query		 q;
	enum ws_eio_error	 code;
	struct session		*s;
	int			 is_get, is_post;

	is_get = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0;
	is_post = lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0;
	ws_query(wsi, &q);
	if (ws_query_check(&q, "polling", &code) == -1)
		return ws_eio_error(wsi, code);
	if (!q.has_sid) {
		if (!is_get)
			return ws_eio_error(wsi, WS_EIO_METHOD);
		if (srv.draining)
			return ws_eio_error(wsi, WS_EIO_BAD);
		s = ws_session_open(SESSION_POLLING, 1);
		return session_poll(s, c) == -1 ? -1 : 0;
	}
	if ((s = strmap_get(&srv.sessions, q.sid)) == NULL)
		return ws_eio_error(wsi, WS_EIO_SID);
	if (s->transport != SESSION_POLLING)
		return ws_eio_error(wsi, WS_EIO_BAD);
	if (is_get) {
		if (session_poll(s, c) == -1)
			return ws_eio_error(wsi, WS_EIO_BAD);
		return 0;
	}
	if (!is_post)
		return ws_eio_error(wsi, WS_EIO_METHOD);
	if (s->post != NULL) {
		stats.protocol_errors++;
		session_close(s, EIO_CLOSE, "overlapping push requests");
		return ws_eio_error(wsi, WS_EIO_BAD);
	}
	s->post = c;
	c->s = s;
	c->role = CONN_POLL_POST;
	c->len = 0;
	c->too_big = 0;
	return 0;		/* the body follows */
}

/* 1 when the query string is over WS_URI_MAX: answered 431 (as Node). */
static int
ws_uri_too_long(struct lws *wsi, int *rc)
{
	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_URI_ARGS) <= WS_URI_MAX)
		return 0;
	*rc = ws_json_reply(wsi, 431,
	    "{\"error\":\"request header fields too large\"}\n");
	return 1;
}

static int
ws_http(struct ws *ws, struct lws *wsi, struct conn *c, const char *uri)
{
	int	rc;

	c->wsi = wsi;
	c->role = CONN_HTTP;
	if (ws_uri_too_long(wsi, &rc))
		return rc;
	if (strcmp(uri, ws->path) == 0)
		return ws_polling(wsi, c);
	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) == 0) {
		/* A request body may follow: answer, then hang up. */
		(void)ws_json_reply(wsi, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "{\"error\":\"method not allowed\"}\n");
		return -1;
	}
	if (strcmp(uri, WS_STATS) == 0)
		return ws_stats(ws, wsi, 0);
	if (strcmp(uri, WS_METRICS) == 0)
		return ws_stats(ws, wsi, 1);
	if (strcmp(uri, WS_HEALTHZ) == 0) {
		char	body[160];

		snprintf(body, sizeof body, "{\"status\":\"%s\",\"redis\":"
		    "\"%s\",\"connections\":%u}\n",
		    ws->draining ? "draining" : "ok",
		    ws->hooks.redis_up(ws->hooks.arg) ? "ok" : "down",
		    ws->nconns);
		return ws_json_reply(wsi, ws->draining ?
		    HTTP_STATUS_SERVICE_UNAVAILABLE : HTTP_STATUS_OK, body);
	}
	return ws_json_reply(wsi, HTTP_STATUS_NOT_FOUND,
	    "{\"error\":\"not found\"}\n");
}

/* A chunk of a POST body, kept up to maxPayload. */
static int
ws_body(struct conn *c, const char *in, size_t len)
{
	size_t	max = (size_t)srv.set.max_payload;

	if (c->role != CONN_POLL_POST || c->too_big)
		return 0;
	if (len > max - c->len) {
		c->too_big = 1;
		return 0;
	}
	if (c->buf == NULL)
		c->buf = xmalloc(max);
	memcpy(c->buf + c->len, in, len);
	c->len += len;
	return 0;
}

/* A whole POST body: its packets, then "ok". */
static int
ws_body_done(struct lws *wsi, struct conn *c)
{
	struct session		*s = c->s;
	struct eio_packet	 p;
	unsigned char		*scratch = NULL;
	size_t			 off = 0;
	int			 rc;

	if (c->role != CONN_POLL_POST)
		return -1;
	c->role = CONN_HTTP;
	c->s = NULL;
	if (s == NULL || s->closed)
		return ws_eio_error(wsi, WS_EIO_SID);
	s->post = NULL;
	if (c->too_big) {
		stats.protocol_errors++;
		session_close(s, EIO_CLOSE, "payload over maxPayload");
		return conn_http_reply(wsi, HTTP_STATUS_REQ_ENTITY_TOO_LARGE,
		    "application/json", WS_TOO_LARGE, sizeof WS_TOO_LARGE - 1);
	}
	scratch = xmalloc(c->len + 1);
	while (!s->closed && (rc = eio_payload_next(c->buf != NULL ? c->buf :
	    "", c->len, &off, scratch, c->len + 1, &p)) == 1)
		session_on_packet(s, NULL, &p);
	free(scratch);
	c->len = 0;
	free(c->buf);		/* not kept for the connection's next request */
	c->buf = NULL;
	if (!s->closed && rc == -1) {
		stats.protocol_errors++;
		session_close(s, EIO_CLOSE, "malformed payload");
		return ws_eio_error(wsi, WS_EIO_BAD);
	}
	return conn_http_reply(wsi, HTTP_STATUS_OK, "text/html", "ok", 2);
}

/*
 * An Upgrade request: 0 lets lws go on with the WebSocket handshake; 1 means
 * we answered it ourselves. lws hands us the URI without the query string.
 */
static int
ws_confirm_upgrade(struct ws *ws, struct lws *wsi, const char *upgrade)
{
	struct ws_query		q;
	enum ws_eio_error	code;
	char			uri[64];
	int			rc;

	if (ws_uri_too_long(wsi, &rc))
		return rc == -1 ? -1 : 1;
	if (strcasecmp(upgrade, "websocket") != 0)
		return ws_json_reply(wsi, HTTP_STATUS_BAD_REQUEST,
		    "{\"error\":\"unsupported upgrade\"}\n") == -1 ? -1 : 1;
	if (lws_hdr_total_length(wsi, WSI_TOKEN_KEY) <= 0)
		return ws_json_reply(wsi, HTTP_STATUS_BAD_REQUEST,
		    "{\"error\":\"missing Sec-WebSocket-Key\"}\n") == -1 ? -1 : 1;
	if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0 ||
	    strcmp(uri, ws->path) != 0)
		return ws_json_reply(wsi, HTTP_STATUS_NOT_FOUND,
		    "{\"error\":\"not found\"}\n") == -1 ? -1 : 1;
	if (ws->draining)
		return ws_json_reply(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE,
		    "{\"error\":\"shutting down\"}\n") == -1 ? -1 : 1;
	ws_query(wsi, &q);
	if (ws_query_check(&q, "websocket", &code) == -1)
		return ws_eio_error(wsi, code) == -1 ? -1 : 1;
	if (q.has_sid && strmap_get(&srv.sessions, q.sid) == NULL)
		return ws_eio_error(wsi, WS_EIO_SID) == -1 ? -1 : 1;
	return 0;
}

/* The handshake is done: a new session, or a probe of a polling one. */
static void
ws_established(struct ws *ws, struct lws *wsi, struct conn *c)
{
	struct ws_query		 q;
	struct session		*s;

	c->wsi = wsi;
	c->listed = 1;
	LIST_INSERT_HEAD(&ws->conns, c, entry);
	ws->nconns++;
	ws_query(wsi, &q);
	if (!q.has_sid) {
		s = ws_session_open(SESSION_WEBSOCKET, 0);
		session_attach_ws(s, c);
		return;
	}
	/* Like engine.io: a second upgrade of a session is hung up on. */
	s = strmap_get(&srv.sessions, q.sid);
	if (s == NULL || s->transport != SESSION_POLLING || s->probe != NULL) {
		conn_kill(c, LWS_CLOSE_STATUS_POLICY_VIOLATION,
		    "session not upgradable");
		return;
	}
	session_attach_ws(s, c);
}

/*
 * An oversize message ends the session at once, but its websocket reads on
 * (up to WS_DISCARD_MAX) to the end of the message before the 1009 close:
 * closing with unread input makes the kernel reset the connection, and
 * the peer would lose the close frame.
 */
static void
ws_too_big(struct conn *c, struct lws *wsi)
{
	static const char	 why[] = "message over maxPayload";
	struct session		*s = c->s;

	if (s != NULL) {
		log_info("eio: session %s: message over %ld bytes", s->sid,
		    srv.set.max_payload);
		stats.protocol_errors++;
		c->s = NULL;
		if (c->role == CONN_WS)
			s->ws = NULL;
		else
			s->probe = NULL;
		session_close(s, EIO_CLOSE, why);
	}
	if (c->len > WS_DISCARD_MAX || (lws_is_final_fragment(wsi) &&
	    lws_remaining_packet_payload(wsi) == 0)) {
		c->killed = 0;
		conn_kill(c, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, why);
	} else
		c->killed = 1;	/* nothing else goes out meanwhile */
}

static int
ws_receive(struct conn *c, struct lws *wsi, const char *in, size_t len)
{
	struct session		*s = c->s;
	struct eio_packet	 p;
	const char		*msg = in;
	size_t			 max = (size_t)srv.set.max_payload;
	size_t			 msglen = len;

	if (c->too_big) {
		c->len += len;
		ws_too_big(c, wsi);
		return 0;
	}
	if (s == NULL || c->killed)
		return 0;
	if (lws_is_first_fragment(wsi))
		c->len = 0;
	/* The frame header announced what is still to come: check it now. */
	if (c->len + len + lws_remaining_packet_payload(wsi) > max) {
		c->too_big = 1;
		c->len = len;
		ws_too_big(c, wsi);
		return 0;
	}
	if (!lws_is_first_fragment(wsi) || !lws_is_final_fragment(wsi) ||
	    lws_remaining_packet_payload(wsi) > 0) {
		if (c->buf == NULL)
			c->buf = xmalloc(max);
		memcpy(c->buf + c->len, in, len);
		c->len += len;
		if (!lws_is_final_fragment(wsi) ||
		    lws_remaining_packet_payload(wsi) > 0)
			return 0;
		msg = c->buf;
		msglen = c->len;
	}
	c->len = 0;
	if (eio_decode_frame(msg, msglen, lws_frame_is_binary(wsi), &p) == -1) {
		stats.protocol_errors++;
		session_close(s, EIO_CLOSE, "malformed packet");
		return 0;
	}
	session_on_packet(s, c, &p);
	return 0;
}

/* Tells the owner, once, that a drain has finished. */
static void
ws_check_drained(struct ws *ws)
{
	if (ws->draining && ws->nconns == 0 && !ws->drained) {
		ws->drained = 1;
		ws->hooks.drained(ws->hooks.arg);
	}
}

static void
ws_conn_gone(struct ws *ws, struct conn *c)
{
	conn_gone(c);
	session_detach(c);
	eio_frame_unref(c->reply);
	c->reply = NULL;
	free(c->buf);
	c->buf = NULL;
	if (!c->listed)
		return;
	c->listed = 0;
	LIST_REMOVE(c, entry);
	ws->nconns--;
	ws_check_drained(ws);
}

static int
ws_dispatch(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct ws	*ws = lws_context_user(lws_get_context(wsi));
	struct conn	*c = user;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return ws_http(ws, wsi, c, in);
	case LWS_CALLBACK_HTTP_BODY:
		return ws_body(c, in, len);
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		return ws_body_done(wsi, c);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return session_poll_writable(c);
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return ws_confirm_upgrade(ws, wsi, in);
	case LWS_CALLBACK_ESTABLISHED:
		ws_established(ws, wsi, c);
		break;
	case LWS_CALLBACK_RECEIVE:
		return ws_receive(c, wsi, in, len);
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return session_ws_writable(c);
	case LWS_CALLBACK_CLOSED:
	case LWS_CALLBACK_CLOSED_HTTP:
	/* With HTTP/1.1 keep-alive a protocol binding, and so c, lasts one
	 * transaction: lws frees c after this and zeroes a new one for the
	 * connection's next request. */
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (c != NULL)
			ws_conn_gone(ws, c);
		break;
	default:
		break;
	}
	return 0;
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	int	rc;

	ws_in_callback++;
	rc = ws_dispatch(wsi, reason, user, in, len);
	ws_in_callback--;
	return rc;
}

static int
ws_lws_levels(void)
{
	if (log_min_level <= LOG_DEBUG)
		return LLL_ERR | LLL_WARN | LLL_NOTICE | LLL_USER;
	if (log_min_level <= LOG_WARN)
		return LLL_ERR | LLL_WARN;
	return LLL_ERR;
}

/*
 * Engine.IO runs its own ping/pong and timeouts, so lws's connection
 * validity timer is off (a hangup time of 0 disables it): lws re-arms it on
 * every received frame with a sorted insert over all connections, which the
 * benchmark saw as a third of pushd's CPU while 10,000 clients connected.
 */
static const lws_retry_bo_t ws_no_validity = {
	.secs_since_valid_ping = 0,
	.secs_since_valid_hangup = 0,
};

struct ws *
ws_new(uv_loop_t *loop, const struct addr *listen,
    const struct ws_hooks *hooks, const char *path, unsigned fd_limit)
{
	struct lws_context_creation_info	 info;
	struct ws				*ws = xcalloc(1, sizeof *ws);
	void					*loops[1] = { loop };
	char					 err[256], where[160];
	int					 i;

	ws->listen = *listen;
	ws->hooks = *hooks;
	ws->path = path;
	LIST_INIT(&ws->conns);
	ws->protocols[0].name = "waqtor";
	ws->protocols[0].callback = ws_callback;
	ws->protocols[0].per_session_data_size = sizeof(struct conn);
	ws->protocols[0].rx_buffer_size = 65536;
	addr_format(listen, where, sizeof where);

	lws_set_log_level(ws_lws_levels(), ws_lws_log);
	if (addr_reclaim(&ws->listen, err, sizeof err) == -1) {
		log_error("cannot listen on %s: %s", where, err);
		goto fail;
	}

	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_VALIDATE_UTF8 |
	    LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
	info.foreign_loops = loops;	/* read during creation only */
	info.protocols = ws->protocols;
	info.user = ws;
	info.pcontext = &ws->ctx;
	info.vhost_name = WS_VHOST;
	info.uid = -1;
	info.gid = -1;
	/*
	 * lws stops accepting at this many descriptors. Only a limit equal to
	 * the process's keeps its direct fd -> connection table: a lower one
	 * makes every lookup a linear scan (lws-context-vhost.h), which the
	 * benchmark saw as half of pushd's CPU at 10,000 connections. So the
	 * limit is the process's unless WAQTOR_PUSHD_MAX_CONNECTIONS is lower.
	 */
	info.fd_limit_per_thread = fd_limit;
	/* room to read an over-long request and answer it (431), where lws
	 * would hang up on one over its buffer */
	info.max_http_header_data = WS_HEADER_MAX;
	info.retry_and_idle_policy = &ws_no_validity;
	info.timeout_secs = 30;
	if (ws->listen.is_unix) {
		info.options |= LWS_SERVER_OPTION_UNIX_SOCK;
		info.iface = ws->listen.host;
		info.port = 0;
	} else {
		info.iface = ws->listen.host[0] != '\0' ? ws->listen.host : NULL;
		info.port = ws->listen.port;
		/* else lws binds an IPv4 address on every interface */
		if (info.iface != NULL && !ws->listen.is_ipv6)
			info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	}
	/*
	 * With a foreign libuv loop lws 4.1 returns a half-destroyed context
	 * rather than NULL when the vhost (the listener) fails; the vhost is
	 * the tell. Let lws close its handles, then finish the destroy.
	 */
	ws->ctx = lws_create_context(&info);
	if (ws->ctx == NULL || lws_get_vhost_by_name(ws->ctx, WS_VHOST) ==
	    NULL) {
		log_error("cannot listen on %s", where);
		for (i = 0; i < WS_FAIL_SPINS && ws->ctx != NULL &&
		    uv_run(loop, UV_RUN_NOWAIT) != 0; i++)
			;
		goto fail;
	}
	addr_claim(&ws->listen);
	return ws;
fail:
	ws_free(ws);
	return NULL;
}

unsigned
ws_connections(const struct ws *ws)
{
	return ws->nconns;
}

void
ws_drain(struct ws *ws)
{
	if (ws->draining)
		return;
	ws->draining = 1;
	/*
	 * Closes the listening sockets; existing connections stay. (lws would
	 * SIGINT its own process at its next 30 s check once no connection
	 * is left; we destroy the context long before.)
	 */
	lws_context_deprecate(ws->ctx, NULL);
	addr_release(&ws->listen);
	/* Every session: websockets get a 1001 close frame, polls a "1". */
	session_close_all();
	ws_check_drained(ws);
}

void
ws_destroy(struct ws *ws)
{
	addr_release(&ws->listen);
	if (ws->ctx != NULL)
		lws_context_destroy(ws->ctx);
}

void
ws_free(struct ws *ws)
{
	/*
	 * With a foreign loop lws 4.1 stops after its uv handles are closed
	 * and leaves the final free to a second lws_context_destroy().
	 */
	if (ws->ctx != NULL)
		lws_context_destroy(ws->ctx);
	free(ws);
}
