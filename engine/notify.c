/*
 * A second PostgreSQL connection that LISTENs for the API's wake-ups:
 * waqtor_outbox (a message was queued for an instance), waqtor_instances
 * (an instance's intent changed), waqtor_campaigns (a campaign changed
 * state), waqtor_smartbot (a tenant's rules changed), waqtor_inbound (a
 * provider event was stored) and waqtor_webhooks (deliveries were
 * queued). Its socket is watched by the loop; when the connection drops it
 * is re-established every second, and the engine's periodic ticks cover
 * whatever was announced meanwhile.
 */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "config.h"
#include "engine.h"
#include "log.h"
#include "xmalloc.h"

struct notify {
	struct engine	*e;
	PGconn		*conn;
	uv_poll_t	 poll;
	int		 polling;
	uv_timer_t	 retry;
	int		 closing;	/* handles still closing at stop */
	int		 stopped;
};

static void	notify_connect(struct notify *);
static void	notify_retry(uv_timer_t *);

static void
notify_handle(struct notify *n, PGnotify *pn)
{
	struct engine	*e = n->e;

	if (strcmp(pn->relname, "waqtor_outbox") == 0) {
		outbox_wake(e, pn->extra);
		engine_wake_dispatch(e);
	} else if (strcmp(pn->relname, "waqtor_instances") == 0)
		lease_reload(e, pn->extra);
	else if (strcmp(pn->relname, "waqtor_inbound") == 0)
		engine_wake_inbound(e);
	else if (strcmp(pn->relname, "waqtor_campaigns") == 0)
		campaign_wake(e);
	else if (strcmp(pn->relname, "waqtor_smartbot") == 0)
		smartbot_notified(e, pn->extra);
	else if (strcmp(pn->relname, "waqtor_webhooks") == 0)
		webhooks_wake(e);
}

/* Frees n once stopped and its last handle has closed (libuv runs close
 * callbacks in no order we may rely on). */
static void
notify_release(struct notify *n)
{
	if (n->stopped && --n->closing == 0)
		free(n);
}

static void
notify_poll_closed(uv_handle_t *h)
{
	struct notify	*n = h->data;

	n->polling = 0;
	if (n->conn != NULL) {
		PQfinish(n->conn);
		n->conn = NULL;
	}
	notify_release(n);
}

static void
notify_drop(struct notify *n)
{
	if (n->polling) {
		if (!uv_is_closing((uv_handle_t *)&n->poll)) {
			uv_poll_stop(&n->poll);
			uv_close((uv_handle_t *)&n->poll, notify_poll_closed);
		}
	} else if (n->conn != NULL) {
		PQfinish(n->conn);
		n->conn = NULL;
	}
}

static void
notify_readable(uv_poll_t *p, int status, int events)
{
	struct notify	*n = p->data;
	PGnotify	*pn;

	if (status < 0 || PQconsumeInput(n->conn) == 0) {
		log_warn("postgres LISTEN connection lost; reconnecting");
		notify_drop(n);
		uv_timer_start(&n->retry, notify_retry, 1000, 0);
		return;
	}
	while ((pn = PQnotifies(n->conn)) != NULL) {
		notify_handle(n, pn);
		PQfreemem(pn);
	}
}

static void
notify_retry(uv_timer_t *t)
{
	notify_connect(t->data);
}

static void
notify_connect(struct notify *n)
{
	static const char *const keys[] = { "dbname", "connect_timeout",
	    "options", NULL };
	const char	*vals[] = { config_str(CFG_DATABASE_URL), "3",
	    db_options(DB_AS_ENGINE), NULL };
	PGresult	*res;

	if (n->polling || n->conn != NULL)
		return;
	n->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(n->conn) != CONNECTION_OK)
		goto fail;
	res = PQexec(n->conn, "LISTEN waqtor_outbox; LISTEN waqtor_instances; "
	    "LISTEN waqtor_inbound; LISTEN waqtor_campaigns; "
	    "LISTEN waqtor_smartbot; LISTEN waqtor_webhooks");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	if (PQsetnonblocking(n->conn, 1) != 0 ||
	    uv_poll_init(n->e->loop, &n->poll, PQsocket(n->conn)) != 0)
		goto fail;
	n->poll.data = n;
	n->polling = 1;
	uv_poll_start(&n->poll, UV_READABLE, notify_readable);
	/* whatever was announced while we were away */
	engine_wake_inbound(n->e);
	smartbot_forget(n->e, NULL);
	return;
fail:
	if (n->conn != NULL)
		PQfinish(n->conn);
	n->conn = NULL;
	uv_timer_start(&n->retry, notify_retry, 1000, 0);
}

int
notify_start(struct engine *e)
{
	struct notify	*n = xcalloc(1, sizeof *n);

	n->e = e;
	uv_timer_init(e->loop, &n->retry);
	n->retry.data = n;
	e->notify = n;
	notify_connect(n);
	return 0;
}

static void
notify_retry_closed(uv_handle_t *h)
{
	notify_release(h->data);
}

void
notify_stop(struct engine *e)
{
	struct notify	*n = e->notify;

	if (n == NULL)
		return;
	n->stopped = 1;
	n->closing = 1 + n->polling;
	notify_drop(n);
	uv_timer_stop(&n->retry);
	uv_close((uv_handle_t *)&n->retry, notify_retry_closed);
	e->notify = NULL;
}
