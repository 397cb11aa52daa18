#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pushd.h"
#include "stats.h"
#include "util.h"
#include "xmalloc.h"

_Static_assert(LWS_PRE <= EIO_FRAME_PRE, "frames need LWS_PRE headroom");

#define SESSION_HTTP_HEADROOM	512	/* status line and headers */

static void	session_on_timer(uv_timer_t *);

static LIST_HEAD(, conn)	conn_kills = LIST_HEAD_INITIALIZER(conn_kills);
static uv_timer_t		conn_kill_timer;
static int			conn_kill_timer_up;

/*
 * Not a -1 return from a callback: Debian's lws 4.1.6 runs such a close
 * twice with libuv and loses the close frame; LWS_TO_KILL_ASYNC from inside
 * a callback loses it too. LWS_TO_KILL_SYNC from outside lws closes once,
 * frame first, so kills asked for inside lws wait for a uv timer.
 */
static void
conn_kill_now(struct conn *c)
{
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
}

static void
conn_on_kill_timer(uv_timer_t *t)
{
	struct conn	*c;

	(void)t;
	while ((c = LIST_FIRST(&conn_kills)) != NULL) {
		LIST_REMOVE(c, kill_entry);
		c->kill_pending = 0;
		conn_kill_now(c);
	}
}

void
conn_kill(struct conn *c, enum lws_close_status code, const char *why)
{
	if (c->killed)
		return;
	c->killed = 1;
	lws_close_reason(c->wsi, code, (unsigned char *)(uintptr_t)why,
	    strlen(why));
	if (ws_in_callback == 0) {
		conn_kill_now(c);
		return;
	}
	if (!conn_kill_timer_up) {
		uv_timer_init(srv.loop, &conn_kill_timer);
		uv_unref((uv_handle_t *)&conn_kill_timer);
		conn_kill_timer_up = 1;
	}
	LIST_INSERT_HEAD(&conn_kills, c, kill_entry);
	c->kill_pending = 1;
	uv_timer_start(&conn_kill_timer, conn_on_kill_timer, 0, 0);
}

void
conn_gone(struct conn *c)
{
	if (c->kill_pending) {
		LIST_REMOVE(c, kill_entry);
		c->kill_pending = 0;
	}
}

void
session_shutdown(void)
{
	if (conn_kill_timer_up)
		uv_close((uv_handle_t *)&conn_kill_timer, NULL);
	conn_kill_timer_up = 0;
}

int
conn_http_reply(struct lws *wsi, unsigned int status, const char *ctype,
    const char *body, size_t len)
{
	unsigned char	*buf, *start, *p, *end;
	char		 slen[24], conn[32];
	int		 n, rc = -1, close_it;

	/*
	 * lws honours "Connection: close" but does not say so; a client pool
	 * (node's keep-alive agent) would then reuse a dead socket.
	 */
	close_it = lws_hdr_copy(wsi, conn, sizeof conn, WSI_TOKEN_CONNECTION) >
	    0 && strcasestr(conn, "close") != NULL;

	buf = xmalloc(LWS_PRE + SESSION_HTTP_HEADROOM + len);
	start = p = buf + LWS_PRE;
	end = start + SESSION_HTTP_HEADROOM;
	n = snprintf(slen, sizeof slen, "%zu", len);
	if (lws_add_http_header_status(wsi, status, &p, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE,
	    (const unsigned char *)ctype, (int)strlen(ctype), &p, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
	    (const unsigned char *)"no-store", 8, &p, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH,
	    (const unsigned char *)slen, n, &p, end) ||
	    (close_it && lws_add_http_header_by_token(wsi,
	    WSI_TOKEN_CONNECTION, (const unsigned char *)"close", 5, &p,
	    end)) ||
	    lws_finalize_http_header(wsi, &p, end))
		goto out;
	if (len > 0)
		memcpy(p, body, len);
	p += len;
	n = (int)(p - start);
	if (lws_write(wsi, start, (size_t)n, LWS_WRITE_HTTP_FINAL) != n)
		goto out;
	rc = lws_http_transaction_completed(wsi) ? -1 : 0;
out:
	free(buf);
	return rc;
}

struct session *
session_new(enum session_transport t)
{
	struct session	*s = xcalloc(1, sizeof *s);

	do
		eio_sid_new(s->sid);
	while (strmap_get(&srv.sessions, s->sid) != NULL);
	s->transport = t;
	TAILQ_INIT(&s->queue);
	s->opened_ms = s->tokens_ms = util_now_ms();
	s->tokens = 2.0 * (double)srv.set.rate;	/* a whole burst at first */
	uv_timer_init(srv.loop, &s->timer);
	s->timer.data = s;
	uv_timer_start(&s->timer, session_on_timer,
	    (uint64_t)srv.set.ping_interval_ms, 0);
	(void)strmap_put(&srv.sessions, s->sid, s);
	stats.sessions++;
	stats.sessions_opened++;
	if (t == SESSION_WEBSOCKET)
		stats.sessions_ws++;
	log_debug("eio: session %s opened (%s)", s->sid,
	    t == SESSION_WEBSOCKET ? "websocket" : "polling");
	return s;
}

static void
session_on_close(uv_handle_t *h)
{
	free(h->data);
}

static void
session_wake(struct session *s)
{
	if (s->transport == SESSION_WEBSOCKET && s->ws != NULL)
		lws_callback_on_writable(s->ws->wsi);
	else if (s->transport == SESSION_POLLING && s->poll != NULL)
		lws_callback_on_writable(s->poll->wsi);
}

/* Ends a parked GET with one packet, whatever becomes of the session. */
static void
session_answer_poll(struct session *s, enum eio_type type)
{
	struct conn	*c = s->poll;

	if (c == NULL)
		return;
	s->poll = NULL;
	c->s = NULL;
	eio_frame_unref(c->reply);
	c->reply = eio_frame_text(type, NULL, 0);
	lws_callback_on_writable(c->wsi);
}

void
session_close(struct session *s, enum eio_type final, const char *why)
{
	struct session_item	*it;

	if (s->closed)
		return;
	s->closed = 1;
	log_debug("eio: session %s closed: %s", s->sid, why);
	(void)strmap_del(&srv.sessions, s->sid);
	stats.sessions--;
	if (s->transport == SESSION_WEBSOCKET)
		stats.sessions_ws--;
	sock_session_closed(s, !srv.draining);
	while ((it = TAILQ_FIRST(&s->queue)) != NULL) {
		TAILQ_REMOVE(&s->queue, it, entry);
		eio_frame_unref(it->frame);
		free(it);
	}
	s->qlen = 0;
	s->qbytes = 0;
	eio_frame_unref(s->probe_reply);
	s->probe_reply = NULL;
	if (s->ws != NULL) {
		s->ws->s = NULL;
		conn_kill(s->ws, srv.draining ? LWS_CLOSE_STATUS_GOINGAWAY :
		    LWS_CLOSE_STATUS_NORMAL, why);
		s->ws = NULL;
	}
	if (s->probe != NULL) {
		s->probe->s = NULL;
		conn_kill(s->probe, LWS_CLOSE_STATUS_NORMAL, why);
		s->probe = NULL;
	}
	session_answer_poll(s, final);
	if (s->post != NULL) {
		s->post->s = NULL;
		s->post = NULL;
	}
	uv_timer_stop(&s->timer);
	uv_close((uv_handle_t *)&s->timer, session_on_close);
}

int
session_send(struct session *s, struct eio_frame *f, const char *ckey,
    int force)
{
	struct session_item	*it;
	long long		 now;

	if (s->closed)
		return -1;
	if (ckey != NULL && ckey[0] != '\0') {
		TAILQ_FOREACH(it, &s->queue, entry) {
			if (strcmp(it->ckey, ckey) != 0)
				continue;
			s->qbytes = s->qbytes - it->frame->len + f->len;
			eio_frame_unref(it->frame);
			it->frame = eio_frame_ref(f);
			stats.coalesced++;
			return 0;
		}
	}
	if (!force && (s->qlen >= (unsigned long)srv.set.queue_max ||
	    s->qbytes + f->len > SESSION_QUEUE_BYTES)) {
		stats.dropped++;
		now = util_now_ms();
		if (s->over_since == 0)
			s->over_since = now;
		else if (now - s->over_since >= SESSION_SLOW_MS) {
			stats.slow_disconnects++;
			log_info("eio: session %s over its send queue for %d ms",
			    s->sid, SESSION_SLOW_MS);
			session_close(s, EIO_CLOSE, "send queue full");
		}
		return -1;
	}
	it = xcalloc(1, sizeof *it);
	it->frame = eio_frame_ref(f);
	if (ckey != NULL)
		snprintf(it->ckey, sizeof it->ckey, "%s", ckey);
	TAILQ_INSERT_TAIL(&s->queue, it, entry);
	s->qlen++;
	s->qbytes += f->len;
	session_wake(s);
	return 0;
}

/* Takes the next frame off the queue (the caller unrefs it). */
static struct eio_frame *
session_pop(struct session *s)
{
	struct session_item	*it = TAILQ_FIRST(&s->queue);
	struct eio_frame	*f;

	if (it == NULL)
		return NULL;
	TAILQ_REMOVE(&s->queue, it, entry);
	f = it->frame;
	free(it);
	s->qlen--;
	s->qbytes -= f->len;
	if (s->qlen < (unsigned long)srv.set.queue_max &&
	    s->qbytes < SESSION_QUEUE_BYTES)
		s->over_since = 0;
	return f;
}

static int
session_write_frame(struct lws *wsi, struct eio_frame *f)
{
	int	n = lws_write(wsi, eio_frame_bytes(f), f->len, f->binary ?
	    LWS_WRITE_BINARY : LWS_WRITE_TEXT);

	return n < (int)f->len ? -1 : 0;
}

int
session_ws_writable(struct conn *c)
{
	struct session		*s = c->s;
	struct eio_frame	*f;
	int			 rc;

	if (s == NULL || c->killed)
		return 0;
	if (c->role == CONN_PROBE) {
		if ((f = s->probe_reply) == NULL)
			return 0;
		s->probe_reply = NULL;
		rc = session_write_frame(c->wsi, f);
		eio_frame_unref(f);
		return rc;
	}
	if (c != s->ws)
		return 0;
	while ((f = session_pop(s)) != NULL) {
		rc = session_write_frame(c->wsi, f);
		eio_frame_unref(f);
		if (rc == -1)
			return -1;
		if (lws_send_pipe_choked(c->wsi))
			break;
	}
	if (s->qlen > 0)
		lws_callback_on_writable(c->wsi);
	return 0;
}

int
session_poll(struct session *s, struct conn *c)
{
	if (s->poll != NULL) {
		/* The first GET gets the close packet, this one a 400. */
		stats.protocol_errors++;
		session_close(s, EIO_CLOSE, "overlapping poll requests");
		return -1;
	}
	s->poll = c;
	c->s = s;
	c->role = CONN_POLL_GET;
	if (s->upgrading || s->qlen > 0)
		lws_callback_on_writable(c->wsi);
	return 0;
}

int
session_poll_writable(struct conn *c)
{
	struct session		*s = c->s;
	struct eio_frame	*f, *reply = c->reply;
	char			*body;
	size_t			 len = 0, cap;
	int			 rc;

	if (reply != NULL) {
		c->reply = NULL;
		c->role = CONN_HTTP;
		cap = eio_payload_size(reply) + 1;
		body = xmalloc(cap);
		len = eio_payload_put(reply, body);
		eio_frame_unref(reply);
		goto send;
	}
	if (s == NULL || s->poll != c)
		return 0;
	if (s->upgrading) {
		session_answer_poll(s, EIO_NOOP);
		return 0;
	}
	if (s->qlen == 0)
		return 0;
	/* Up to maxPayload bytes, and at least one packet. */
	cap = (size_t)srv.set.max_payload;
	if (eio_payload_size(TAILQ_FIRST(&s->queue)->frame) + 1 > cap)
		cap = eio_payload_size(TAILQ_FIRST(&s->queue)->frame) + 1;
	body = xmalloc(cap + 1);
	while (!TAILQ_EMPTY(&s->queue)) {
		f = TAILQ_FIRST(&s->queue)->frame;
		if (len > 0 && len + 1 + eio_payload_size(f) > cap)
			break;
		f = session_pop(s);
		if (len > 0)
			body[len++] = EIO_SEPARATOR;
		len += eio_payload_put(f, body + len);
		eio_frame_unref(f);
	}
	s->poll = NULL;
	c->s = NULL;
	c->role = CONN_HTTP;
send:
	rc = conn_http_reply(c->wsi, HTTP_STATUS_OK,
	    "text/plain; charset=UTF-8", body, len);
	free(body);
	return rc;
}

void
session_attach_ws(struct session *s, struct conn *c)
{
	c->s = s;
	if (s->transport == SESSION_WEBSOCKET && s->ws == NULL) {
		c->role = CONN_WS;
		s->ws = c;
		session_wake(s);
	} else {
		c->role = CONN_PROBE;
		s->probe = c;
	}
}

void
session_detach(struct conn *c)
{
	struct session	*s = c->s;

	if (s == NULL)
		return;
	c->s = NULL;
	switch (c->role) {
	case CONN_WS:
		s->ws = NULL;
		session_close(s, EIO_CLOSE, "transport closed");
		break;
	case CONN_PROBE:
		s->probe = NULL;
		s->upgrading = 0;
		break;
	case CONN_POLL_GET:
		/* The client gave up on its poll: like engine.io, end it. */
		s->poll = NULL;
		session_close(s, EIO_CLOSE, "poll request closed early");
		break;
	case CONN_POLL_POST:
		s->post = NULL;
		break;
	default:
		break;
	}
	c->role = CONN_HTTP;
}

static void
session_upgrade(struct session *s, struct conn *c, const struct eio_packet *p)
{
	if (p->type == EIO_PING && p->len == 5 &&
	    memcmp(p->data, "probe", 5) == 0 && !s->upgrading) {
		s->upgrading = 1;
		eio_frame_unref(s->probe_reply);
		s->probe_reply = eio_frame_text(EIO_PONG, "probe", 5);
		lws_callback_on_writable(c->wsi);
		session_answer_poll(s, EIO_NOOP);
		return;
	}
	if (p->type == EIO_UPGRADE && s->upgrading) {
		s->upgrading = 0;
		s->probe = NULL;
		s->ws = c;
		c->role = CONN_WS;
		s->transport = SESSION_WEBSOCKET;
		stats.sessions_ws++;
		session_answer_poll(s, EIO_NOOP);
		log_debug("eio: session %s upgraded to websocket", s->sid);
		session_wake(s);
		return;
	}
	/* Anything else on a probe ends the probe, not the session. */
	s->probe = NULL;
	s->upgrading = 0;
	c->s = NULL;
	conn_kill(c, LWS_CLOSE_STATUS_PROTOCOL_ERR, "upgrade failed");
}

/* Token bucket: rate per second, bursts of twice that. 0 to refuse. */
static int
session_rate_ok(struct session *s)
{
	long long	now;
	double		cap = 2.0 * (double)srv.set.rate;

	if (srv.set.rate <= 0)
		return 1;
	now = util_now_ms();
	s->tokens += (double)(now - s->tokens_ms) * (double)srv.set.rate /
	    1000.0;
	if (s->tokens > cap)
		s->tokens = cap;
	s->tokens_ms = now;
	s->tokens -= 1.0;
	if (s->tokens >= 0)
		return 1;
	stats.rate_limited++;
	/* Still flooding after a whole burst refused: hang up. */
	if (s->tokens < -cap) {
		log_info("eio: session %s over the inbound rate limit", s->sid);
		session_close(s, EIO_CLOSE, "inbound rate limit");
	}
	return 0;
}

static void
session_echo(struct session *s, const struct eio_packet *p)
{
	struct eio_frame	*f;

	f = p->binary ? eio_frame_binary(p->data, p->len) :
	    eio_frame_text(EIO_MESSAGE, p->data, p->len);
	(void)session_send(s, f, NULL, 1);
	eio_frame_unref(f);
}

void
session_on_packet(struct session *s, struct conn *c,
    const struct eio_packet *p)
{
	if (s->closed)
		return;
	if (c != NULL && c->role == CONN_PROBE) {
		session_upgrade(s, c, p);
		return;
	}
	switch (p->type) {
	case EIO_PONG:
		if (!s->awaiting_pong)
			break;
		s->awaiting_pong = 0;
		uv_timer_start(&s->timer, session_on_timer,
		    (uint64_t)srv.set.ping_interval_ms, 0);
		break;
	case EIO_CLOSE:
		session_close(s, EIO_NOOP, "closed by the client");
		break;
	case EIO_MESSAGE:
		if (srv.set.echo)
			session_echo(s, p);
		else if (session_rate_ok(s))
			sock_on_message(s, p);
		break;
	case EIO_NOOP:
		break;
	default:
		stats.protocol_errors++;
		session_close(s, EIO_CLOSE, "unexpected packet type");
		break;
	}
}

static void
session_on_timer(uv_timer_t *t)
{
	struct session		*s = t->data;
	struct eio_frame	*ping;

	if (s->closed)
		return;
	if (s->awaiting_pong) {
		stats.ping_timeouts++;
		session_close(s, EIO_CLOSE, "ping timeout");
		return;
	}
	if (!srv.set.echo && !s->sio.connected_once &&
	    util_now_ms() - s->opened_ms >= srv.set.connect_timeout_ms) {
		session_close(s, EIO_CLOSE, "no namespace connected in time");
		return;
	}
	ping = eio_frame_text(EIO_PING, NULL, 0);
	(void)session_send(s, ping, NULL, 1);
	eio_frame_unref(ping);
	s->awaiting_pong = 1;
	uv_timer_start(&s->timer, session_on_timer,
	    (uint64_t)srv.set.ping_timeout_ms, 0);
}

static void
session_collect(const char *sid, void *value, void *arg)
{
	struct session	***pp = arg;

	(void)sid;
	*(*pp)++ = value;
}

void
session_close_all(void)
{
	struct session	**all, **p;
	size_t		  i, n = srv.sessions.count;

	if (n == 0)
		return;
	all = p = xreallocarray(NULL, n, sizeof *all);
	strmap_each(&srv.sessions, session_collect, &p);
	for (i = 0; i < n; i++)
		session_close(all[i], EIO_CLOSE, "server shutting down");
	free(all);
}
