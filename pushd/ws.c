#include "ws.h"

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libwebsockets.h>

#include "log.h"
#include "xmalloc.h"

#define WS_HEALTHZ	"/healthz"
#define WS_VHOST	"pushd"
#define WS_FAIL_SPINS	16	/* loop turns for lws to undo a failed start */

/* Per-connection state (lws "per session data"), zeroed by lws. */
struct ws_conn {
	LIST_ENTRY(ws_conn)	 entry;
	struct lws		*wsi;
	int			 is_ws;		/* on ws->conns */
	size_t			 rx_len;	/* bytes of the message so far */
};

struct ws {
	struct lws_context	*ctx;		/* NULLed by lws once freed */
	struct addr		 listen;
	struct ws_hooks		 hooks;
	LIST_HEAD(, ws_conn)	 conns;
	unsigned		 nconns;
	int			 draining;
	int			 drained;	/* hooks.drained() was called */
	struct lws_protocols	 protocols[2];
};

static int	ws_callback(struct lws *, enum lws_callback_reasons, void *,
		    void *, size_t);

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

/*
 * One complete HTTP/1.1 response in one write, as lws_return_http_status()
 * does for h1: a small JSON body after the headers.
 */
static int
ws_http_reply(struct lws *wsi, unsigned int status, const char *body)
{
	unsigned char	 buf[LWS_PRE + 1024];
	unsigned char	*start = buf + LWS_PRE, *p = start;
	unsigned char	*end = buf + sizeof buf;
	size_t		 len = strlen(body);
	char		 slen[24];
	int		 n;

	n = snprintf(slen, sizeof slen, "%zu", len);
	if (lws_add_http_header_status(wsi, status, &p, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE,
	    (const unsigned char *)"application/json", 16, &p, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
	    (const unsigned char *)"no-store", 8, &p, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH,
	    (const unsigned char *)slen, n, &p, end) ||
	    lws_finalize_http_header(wsi, &p, end))
		return -1;
	if (len > (size_t)(end - p))
		return -1;
	memcpy(p, body, len);
	p += len;
	n = (int)(p - start);
	return lws_write(wsi, start, (size_t)n, LWS_WRITE_HTTP) == n ? 0 : -1;
}

static int
ws_http(struct ws *ws, struct lws *wsi, const char *uri)
{
	char	body[160];

	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) == 0) {
		/* A request body may follow: answer, then hang up. */
		(void)ws_http_reply(wsi, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "{\"error\":\"method not allowed\"}\n");
		return -1;
	}
	if (strcmp(uri, WS_HEALTHZ) != 0) {
		if (ws_http_reply(wsi, HTTP_STATUS_NOT_FOUND,
		    "{\"error\":\"not found\"}\n") == -1)
			return -1;
	} else {
		snprintf(body, sizeof body, "{\"status\":\"%s\",\"redis\":"
		    "\"%s\",\"connections\":%u}\n",
		    ws->draining ? "draining" : "ok",
		    ws->hooks.redis_up(ws->hooks.arg) ? "ok" : "down",
		    ws->nconns);
		if (ws_http_reply(wsi, ws->draining ?
		    HTTP_STATUS_SERVICE_UNAVAILABLE : HTTP_STATUS_OK,
		    body) == -1)
			return -1;
	}
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/*
 * An Upgrade request: 0 lets lws go on with the WebSocket handshake; 1 means
 * we answered it ourselves. lws hands us the URI without the query string.
 */
static int
ws_confirm_upgrade(struct ws *ws, struct lws *wsi, const char *upgrade)
{
	char	uri[64];

	if (strcasecmp(upgrade, "websocket") != 0)
		return ws_http_reply(wsi, HTTP_STATUS_BAD_REQUEST,
		    "{\"error\":\"unsupported upgrade\"}\n") == -1 ? -1 : 1;
	if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0 ||
	    strcmp(uri, WS_PATH) != 0)
		return ws_http_reply(wsi, HTTP_STATUS_NOT_FOUND,
		    "{\"error\":\"not found\"}\n") == -1 ? -1 : 1;
	if (ws->draining)
		return ws_http_reply(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE,
		    "{\"error\":\"shutting down\"}\n") == -1 ? -1 : 1;
	return 0;
}

static int
ws_receive(struct ws_conn *c, struct lws *wsi, size_t len)
{
	static unsigned char	reason[] = "message too big";

	if (lws_is_first_fragment(wsi))
		c->rx_len = 0;
	c->rx_len += len;
	/* The frame header announced what is still to come: check it now. */
	if (c->rx_len + lws_remaining_packet_payload(wsi) > WS_MAX_MESSAGE) {
		log_info("ws: closing a connection: message over %d bytes",
		    WS_MAX_MESSAGE);
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
		    reason, sizeof reason - 1);
		return -1;
	}
	if (lws_is_final_fragment(wsi))
		c->rx_len = 0;
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
ws_conn_gone(struct ws *ws, struct ws_conn *c)
{
	if (!c->is_ws)
		return;
	c->is_ws = 0;
	LIST_REMOVE(c, entry);
	ws->nconns--;
	log_debug("ws: connection closed, %u open", ws->nconns);
	ws_check_drained(ws);
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct ws	*ws = lws_context_user(lws_get_context(wsi));
	struct ws_conn	*c = user;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return ws_http(ws, wsi, in);
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return ws_confirm_upgrade(ws, wsi, in);
	case LWS_CALLBACK_ESTABLISHED:
		c->wsi = wsi;
		c->is_ws = 1;
		LIST_INSERT_HEAD(&ws->conns, c, entry);
		ws->nconns++;
		log_debug("ws: connection opened, %u open", ws->nconns);
		break;
	case LWS_CALLBACK_RECEIVE:
		return ws_receive(c, wsi, len);
	case LWS_CALLBACK_CLOSED:
		ws_conn_gone(ws, c);
		break;
	default:
		break;
	}
	return 0;
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

struct ws *
ws_new(uv_loop_t *loop, const struct addr *listen,
    const struct ws_hooks *hooks)
{
	struct lws_context_creation_info	 info;
	struct ws				*ws = xcalloc(1, sizeof *ws);
	void					*loops[1] = { loop };
	char					 err[256], where[160];
	int					 i;

	ws->listen = *listen;
	ws->hooks = *hooks;
	LIST_INIT(&ws->conns);
	ws->protocols[0].name = "waqtor";
	ws->protocols[0].callback = ws_callback;
	ws->protocols[0].per_session_data_size = sizeof(struct ws_conn);
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

/*
 * Debian's lws 4.1.6 is a _DEBUG build, and with libuv a close requested by
 * returning -1 from a callback is run twice ("uv repeat test"): the second
 * run kills the socket before the close frame goes out. A single
 * lws_close_free_wsi(), which LWS_TO_KILL_SYNC is, sends the frame and then
 * waits up to 5 s for the peer's answer. Only safe outside lws callbacks.
 */
void
ws_drain(struct ws *ws)
{
	static unsigned char	 reason[] = "server shutting down";
	struct ws_conn		*c, *next;

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
	for (c = LIST_FIRST(&ws->conns); c != NULL; c = next) {
		next = LIST_NEXT(c, entry);	/* c may go away right here */
		lws_close_reason(c->wsi, LWS_CLOSE_STATUS_GOINGAWAY, reason,
		    sizeof reason - 1);
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK,
		    LWS_TO_KILL_SYNC);
	}
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
