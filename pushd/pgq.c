#include "pgq.h"

#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "xmalloc.h"

#define PGQ_BACKOFF_MIN_MS	100
#define PGQ_BACKOFF_MAX_MS	5000

enum pgq_state {
	PGQ_DOWN,		/* waiting for the retry timer */
	PGQ_CONNECTING,		/* PQconnectPoll under way */
	PGQ_SETROLE,		/* SET ROLE sent */
	PGQ_READY,
};

struct pgq_req {
	TAILQ_ENTRY(pgq_req)	 entry;
	struct pgq		*q;
	struct pgq_step		 steps[PGQ_MAX_STEPS];
	char			 params[PGQ_MAX_STEPS][PGQ_MAX_PARAMS]
				     [PGQ_PARAM_MAX];
	int			 n;
	int			 want;
	int			 cur;		/* step in flight */
	PGresult		*kept;		/* steps[want]'s result */
	pgq_cb			 cb;		/* NULL once cancelled */
	void			*arg;
};

/* The poll handle lives apart: a new connection may bring a new socket. */
struct pgq_poll {
	uv_poll_t		 h;
	struct pgq		*q;		/* NULL once let go */
};

struct pgq {
	uv_loop_t		*loop;
	char			*url;
	PGconn			*conn;
	struct pgq_poll		*poll;
	int			 events;
	uv_timer_t		 timer;
	enum pgq_state		 state;
	TAILQ_HEAD(, pgq_req)	 pending;
	struct pgq_req		*cur;
	unsigned		 npending;
	int			 backoff_ms;
	int			 failing;	/* the failure is logged */
};

static void	pgq_connect(struct pgq *);
static void	pgq_on_poll(uv_poll_t *, int, int);
static void	pgq_next(struct pgq *);
static void	pgq_on_timer(uv_timer_t *);

static void
pgq_on_poll_close(uv_handle_t *h)
{
	free(h->data);
}

static void
pgq_unwatch(struct pgq *q)
{
	if (q->poll == NULL)
		return;
	q->poll->q = NULL;
	uv_close((uv_handle_t *)&q->poll->h, pgq_on_poll_close);
	q->poll = NULL;
	q->events = 0;
}

static int
pgq_watch(struct pgq *q, int events)
{
	if (q->poll == NULL) {
		q->poll = xcalloc(1, sizeof *q->poll);
		q->poll->q = q;
		q->poll->h.data = q->poll;
		if (uv_poll_init(q->loop, &q->poll->h, PQsocket(q->conn)) != 0) {
			free(q->poll);
			q->poll = NULL;
			return -1;
		}
	}
	if (events != q->events) {
		q->events = events;
		uv_poll_start(&q->poll->h, events, pgq_on_poll);
	}
	return 0;
}

static void
pgq_req_free(struct pgq_req *r)
{
	PQclear(r->kept);
	free(r);
}

/* Completes r (already unlinked): the callback, then the memory. */
static void
pgq_finish(struct pgq_req *r, PGresult *res)
{
	if (r->cb != NULL)
		r->cb(res, r->arg);
	pgq_req_free(r);
}

static void
pgq_down(struct pgq *q, const char *why)
{
	struct pgq_req	*r;
	int		 delay;

	if (!q->failing)
		log_warn("pg: %s; retrying every %d..%d ms", why,
		    PGQ_BACKOFF_MIN_MS, PGQ_BACKOFF_MAX_MS);
	q->failing = 1;
	pgq_unwatch(q);
	if (q->conn != NULL)
		PQfinish(q->conn);
	q->conn = NULL;
	q->state = PGQ_DOWN;
	if ((r = q->cur) != NULL) {
		q->cur = NULL;
		pgq_finish(r, NULL);
	}
	while ((r = TAILQ_FIRST(&q->pending)) != NULL) {
		TAILQ_REMOVE(&q->pending, r, entry);
		q->npending--;
		pgq_finish(r, NULL);
	}
	delay = q->backoff_ms;
	q->backoff_ms = q->backoff_ms * 2 > PGQ_BACKOFF_MAX_MS ?
	    PGQ_BACKOFF_MAX_MS : q->backoff_ms * 2;
	uv_timer_start(&q->timer, pgq_on_timer, (uint64_t)delay, 0);
}

static int
pgq_flush(struct pgq *q)
{
	int	rc = PQflush(q->conn);

	if (rc == -1)
		return -1;
	return pgq_watch(q, UV_READABLE | (rc == 1 ? UV_WRITABLE : 0));
}

static void
pgq_send_step(struct pgq *q)
{
	struct pgq_req		*r = q->cur;
	const struct pgq_step	*s = &r->steps[r->cur];

	if (!PQsendQueryParams(q->conn, s->sql, s->nparams, NULL, s->params,
	    NULL, NULL, 0) || pgq_flush(q) == -1)
		pgq_down(q, PQerrorMessage(q->conn));
}

static void
pgq_next(struct pgq *q)
{
	if (q->state != PGQ_READY || q->cur != NULL ||
	    (q->cur = TAILQ_FIRST(&q->pending)) == NULL)
		return;
	TAILQ_REMOVE(&q->pending, q->cur, entry);
	q->npending--;
	pgq_send_step(q);
}

/* A statement of the current request (or SET ROLE) has fully answered. */
static void
pgq_step_done(struct pgq *q, int failed)
{
	struct pgq_req	*r = q->cur;
	PGresult	*res;

	if (q->state == PGQ_SETROLE) {
		if (failed) {
			pgq_down(q, "SET ROLE " DB_APP_ROLE " failed");
			return;
		}
		q->state = PGQ_READY;
		q->backoff_ms = PGQ_BACKOFF_MIN_MS;
		if (q->failing)
			log_info("pg: connected");
		q->failing = 0;
		pgq_next(q);
		return;
	}
	if (r == NULL)
		return;
	/* Later steps still run: a COMMIT after an error rolls back. */
	if (++r->cur < r->n) {
		pgq_send_step(q);
		return;
	}
	q->cur = NULL;
	res = r->kept;
	r->kept = NULL;
	pgq_finish(r, res);
	PQclear(res);
	pgq_next(q);
}

static void
pgq_read(struct pgq *q)
{
	PGresult	*res;
	int		 failed = 0, st;

	if (!PQconsumeInput(q->conn)) {
		pgq_down(q, PQerrorMessage(q->conn));
		return;
	}
	while (q->conn != NULL && !PQisBusy(q->conn)) {
		if ((res = PQgetResult(q->conn)) == NULL) {
			pgq_step_done(q, failed);
			return;
		}
		st = PQresultStatus(res);
		failed = st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK;
		if (q->state == PGQ_READY && q->cur != NULL &&
		    q->cur->cur == q->cur->want && q->cur->kept == NULL)
			q->cur->kept = res;
		else
			PQclear(res);
	}
}

static void
pgq_connect_poll(struct pgq *q)
{
	switch (PQconnectPoll(q->conn)) {
	case PGRES_POLLING_READING:
		if (pgq_watch(q, UV_READABLE) == -1)
			pgq_down(q, "cannot watch the socket");
		break;
	case PGRES_POLLING_WRITING:
		if (pgq_watch(q, UV_WRITABLE) == -1)
			pgq_down(q, "cannot watch the socket");
		break;
	case PGRES_POLLING_OK:
		q->state = PGQ_SETROLE;
		if (PQsetnonblocking(q->conn, 1) == -1 ||
		    !PQsendQuery(q->conn, "SET ROLE " DB_APP_ROLE) ||
		    pgq_flush(q) == -1)
			pgq_down(q, PQerrorMessage(q->conn));
		break;
	default:
		pgq_down(q, PQerrorMessage(q->conn));
		break;
	}
}

static void
pgq_on_poll(uv_poll_t *h, int status, int events)
{
	struct pgq_poll	*p = h->data;
	struct pgq	*q = p->q;

	if (q == NULL)
		return;
	if (status < 0)
		events = q->events;
	if (q->state == PGQ_CONNECTING) {
		pgq_connect_poll(q);
		return;
	}
	if ((events & UV_WRITABLE) && pgq_flush(q) == -1) {
		pgq_down(q, PQerrorMessage(q->conn));
		return;
	}
	if (events & UV_READABLE)
		pgq_read(q);
}

static void
pgq_connect(struct pgq *q)
{
	static const char *const keys[] = { "dbname", "application_name",
	    "options", NULL };
	const char	*vals[] = { q->url, "waqtor", db_options(DB_AS_APP), NULL };

	q->conn = PQconnectStartParams(keys, vals, 1);
	if (q->conn == NULL || PQstatus(q->conn) == CONNECTION_BAD) {
		pgq_down(q, q->conn != NULL ? PQerrorMessage(q->conn) :
		    "out of memory");
		return;
	}
	q->state = PGQ_CONNECTING;
	if (pgq_watch(q, UV_WRITABLE) == -1)
		pgq_down(q, "cannot watch the socket");
}

static void
pgq_on_timer(uv_timer_t *t)
{
	pgq_connect(t->data);
}

struct pgq *
pgq_new(uv_loop_t *loop, const char *url)
{
	struct pgq	*q = xcalloc(1, sizeof *q);

	q->loop = loop;
	q->url = xstrdup(url);
	q->backoff_ms = PGQ_BACKOFF_MIN_MS;
	TAILQ_INIT(&q->pending);
	uv_timer_init(loop, &q->timer);
	q->timer.data = q;
	pgq_connect(q);
	return q;
}

int
pgq_up(const struct pgq *q)
{
	return q != NULL && q->state == PGQ_READY;
}

struct pgq_req *
pgq_submit(struct pgq *q, const struct pgq_step *steps, int n, int want,
    pgq_cb cb, void *arg)
{
	struct pgq_req	*r;
	int		 i, j;

	if (q->state == PGQ_DOWN || q->npending >= PGQ_MAX_PENDING ||
	    n < 1 || n > PGQ_MAX_STEPS || want < 0 || want >= n)
		return NULL;
	r = xcalloc(1, sizeof *r);
	for (i = 0; i < n; i++) {
		r->steps[i].sql = steps[i].sql;
		r->steps[i].nparams = steps[i].nparams;
		for (j = 0; j < steps[i].nparams && j < PGQ_MAX_PARAMS; j++) {
			if (strlen(steps[i].params[j]) >= PGQ_PARAM_MAX) {
				free(r);
				return NULL;
			}
			strcpy(r->params[i][j], steps[i].params[j]);
			r->steps[i].params[j] = r->params[i][j];
		}
	}
	r->q = q;
	r->n = n;
	r->want = want;
	r->cb = cb;
	r->arg = arg;
	TAILQ_INSERT_TAIL(&q->pending, r, entry);
	q->npending++;
	pgq_next(q);
	return r;
}

void
pgq_cancel(struct pgq_req *r)
{
	struct pgq	*q = r->q;

	r->cb = NULL;
	if (q->cur == r)
		return;		/* freed when its answer is in */
	TAILQ_REMOVE(&q->pending, r, entry);
	q->npending--;
	pgq_req_free(r);
}

static void
pgq_on_timer_close(uv_handle_t *h)
{
	struct pgq	*q = h->data;

	free(q->url);
	free(q);
}

void
pgq_free(struct pgq *q)
{
	struct pgq_req	*r;

	if (q == NULL)
		return;
	while ((r = TAILQ_FIRST(&q->pending)) != NULL) {
		TAILQ_REMOVE(&q->pending, r, entry);
		pgq_req_free(r);
	}
	if (q->cur != NULL)
		pgq_req_free(q->cur);
	q->cur = NULL;
	pgq_unwatch(q);
	if (q->conn != NULL)
		PQfinish(q->conn);
	uv_timer_stop(&q->timer);
	uv_close((uv_handle_t *)&q->timer, pgq_on_timer_close);
}
