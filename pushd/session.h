/*
 * Engine.IO v4 sessions over libwebsockets: the websocket and the HTTP
 * long-polling transports, the upgrade between them (2probe/3probe/5, a
 * pending poll answered with 6), the heartbeat (server ping every
 * ping_interval, pong expected within ping_timeout) and a bounded send
 * queue per session.
 *
 * The send queue holds shared frames (eio.h). It takes at most queue_max
 * packets and SESSION_QUEUE_BYTES bytes; beyond that a packet is dropped
 * (counted), and a session that stays over for SESSION_SLOW_MS is closed.
 * A packet with a coalescing key replaces a queued, unsent packet with the
 * same key instead of queueing behind it (latest wins).
 *
 * Every lws connection (HTTP or WebSocket) carries a struct conn (the lws
 * "per session data"); ws.c owns the lws callback and calls in here. A
 * session is freed from a uv close callback, never inside lws, so a
 * pointer to it stays valid for the rest of the current callback even after
 * session_close(); its `closed` flag says whether it is still usable.
 */
#ifndef WAQTOR_PUSHD_SESSION_H
#define WAQTOR_PUSHD_SESSION_H

#include <sys/queue.h>

#include <stddef.h>

#include <libwebsockets.h>
#include <uv.h>

#include "eio.h"
#include "sock.h"

#define SESSION_QUEUE_BYTES	(4 * 1024 * 1024)
#define SESSION_SLOW_MS		5000
#define SESSION_CKEY_MAX	72	/* coalescing key, with the NUL */

enum conn_role {
	CONN_HTTP,		/* a plain request, or between requests */
	CONN_WS,		/* the session's websocket */
	CONN_PROBE,		/* a websocket probing an upgrade */
	CONN_POLL_GET,		/* a parked long-poll GET */
	CONN_POLL_POST,		/* a long-poll POST, reading its body */
};

struct session;

/* Per lws connection. Zeroed by lws. */
struct conn {
	struct lws		*wsi;
	struct session		*s;		/* NULL once detached */
	enum conn_role		 role;
	LIST_ENTRY(conn)	 entry;		/* websockets, for the drain */
	int			 listed;
	int			 killed;
	LIST_ENTRY(conn)	 kill_entry;	/* waiting for conn_kill's timer */
	int			 kill_pending;
	struct eio_frame	*reply;		/* a GET's last answer */
	char			*buf;		/* POST body / ws message */
	size_t			 len;
	int			 too_big;
};

struct session_item {
	TAILQ_ENTRY(session_item) entry;
	struct eio_frame	*frame;
	char			 ckey[SESSION_CKEY_MAX];	/* "" for none */
};

enum session_transport { SESSION_POLLING, SESSION_WEBSOCKET };

struct session {
	char			 sid[EIO_SID_LEN + 1];
	enum session_transport	 transport;
	int			 closed;
	int			 upgrading;	/* the probe was answered */
	struct conn		*ws;
	struct conn		*probe;
	struct conn		*poll;		/* parked GET */
	struct conn		*post;		/* POST reading its body */
	struct eio_frame	*probe_reply;	/* 3probe, to send on probe */
	TAILQ_HEAD(, session_item) queue;
	unsigned		 qlen;
	size_t			 qbytes;
	long long		 over_since;	/* ms; 0 when under the caps */
	uv_timer_t		 timer;		/* heartbeat */
	int			 awaiting_pong;
	long long		 opened_ms;
	double			 tokens;	/* inbound rate limit */
	long long		 tokens_ms;
	struct sioc		 sio;
};

/* A new session (registered under its sid) for a new connection. */
struct session *session_new(enum session_transport t);
/*
 * Closes the session: the websocket gets a close frame, a parked GET the
 * frame final (EIO_NOOP when the client closed, EIO_CLOSE otherwise), the
 * Socket.IO sockets are disconnected. why is for the log. Idempotent.
 */
void session_close(struct session *s, enum eio_type final, const char *why);
/*
 * Queues a packet (takes a reference to f). ckey: coalescing key or NULL.
 * force: a control packet, queued even over the caps. -1 when the packet
 * was dropped or the session is closed.
 */
int session_send(struct session *s, struct eio_frame *f, const char *ckey,
    int force);
/* Hands a decoded client packet to the session (heartbeat, upgrade, ...). */
void session_on_packet(struct session *s, struct conn *c,
    const struct eio_packet *p);

/* From ws.c: transports attach and detach. */
void session_attach_ws(struct session *s, struct conn *c);
void session_detach(struct conn *c);
/* A long-poll GET: answered now or parked. -1 for a protocol violation. */
int session_poll(struct session *s, struct conn *c)
    __attribute__((warn_unused_result));
/* Writes what is queued to a websocket or a parked GET; -1 to hang up. */
int session_ws_writable(struct conn *c) __attribute__((warn_unused_result));
int session_poll_writable(struct conn *c) __attribute__((warn_unused_result));
/* Nesting depth of lws callbacks (ws.c), for conn_kill(). */
extern int ws_in_callback;
/* Closes a websocket from anywhere (close frame, then the socket). */
void conn_kill(struct conn *c, enum lws_close_status code, const char *why);
/* One whole HTTP response (status, type, body), ending the request. */
int conn_http_reply(struct lws *wsi, unsigned int status, const char *ctype,
    const char *body, size_t len) __attribute__((warn_unused_result));
/* The connection is closed: forget any kill still pending. */
void conn_gone(struct conn *c);
/* Releases the uv handle conn_kill() uses (before the loop's last run). */
void session_shutdown(void);
/* Closes every session (SIGTERM). */
void session_close_all(void);

#endif
