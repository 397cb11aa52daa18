#include "worker.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "api.h"
#include "auth.h"
#include "config.h"
#include "event.h"
#include "http.h"
#include "jsonx.h"
#include "log.h"
#include "metrics.h"
#include "ratelimit.h"
#include "router.h"
#include "util.h"
#include "xmalloc.h"

static volatile sig_atomic_t	worker_stop;
static int			worker_listen_fd = -1;

/*
 * SIGTERM arrives either while the worker waits in accept() or, since it is
 * blocked while a request is handled, right after the request. Closing the
 * listen socket (async-signal-safe) makes the pending or next accept() fail,
 * so no request is taken after the signal and none in hand is cut short.
 */
static void
worker_sigterm(int sig)
{
	(void)sig;
	worker_stop = 1;
	if (worker_listen_fd != -1) {
		close(worker_listen_fd);
		worker_listen_fd = -1;
	}
	FCGX_ShutdownPending();
}

static void
worker_signals(sigset_t *term)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = worker_sigterm;	/* no SA_RESTART: accept() returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);

	sigemptyset(term);
	sigaddset(term, SIGTERM);
	sigaddset(term, SIGINT);
}

/*
 * Reads the body (up to max bytes); 413 and -1 past it, 400 on a short
 * read. A streamed route's body is only measured: its handler reads it.
 */
static int
worker_read_body(struct req *r, size_t max, int stream)
{
	const char	*cl = http_param(r, "CONTENT_LENGTH");
	char		*end, scratch[4096];
	unsigned long long len;

	if (cl == NULL || *cl == '\0')
		return 0;
	errno = 0;
	len = strtoull(cl, &end, 10);
	if (errno != 0 || *end != '\0' || *cl == '-') {
		http_respond_error(r, 400, "bad_request",
		    "Content-Length is not a number", NULL);
		return -1;
	}
	if (len > max) {
		/* drain what nginx already sent, so it reads our answer */
		while (FCGX_GetStr(scratch, sizeof scratch, r->fcgi->in) > 0)
			;
		http_respond_error(r, 413, "payload_too_large",
		    "request body exceeds the limit for this endpoint", NULL);
		return -1;
	}
	if (stream) {
		r->body_left = (size_t)len;
		return 0;
	}
	r->body = xmalloc((size_t)len + 1);
	r->body_len = (size_t)FCGX_GetStr(r->body, (int)len, r->fcgi->in);
	r->body[r->body_len] = '\0';
	if (r->body_len != len) {
		http_respond_error(r, 400, "bad_request",
		    "request body shorter than Content-Length", NULL);
		return -1;
	}
	return 0;
}

static void
worker_request_init(struct req *r, struct worker *w, FCGX_Request *fr)
{
	const char	*uri, *id;
	size_t		 pathlen;

	memset(r, 0, sizeof *r);
	r->fcgi = fr;
	r->worker = w;
	r->method = http_param(r, "REQUEST_METHOD");
	if (r->method == NULL)
		r->method = "GET";
	uri = http_param(r, "REQUEST_URI");
	if (uri == NULL)
		uri = "/";
	pathlen = strcspn(uri, "?");
	if (pathlen >= sizeof r->path) {
		r->path_too_long = 1;
		pathlen = sizeof r->path - 1;
	}
	memcpy(r->path, uri, pathlen);
	r->path[pathlen] = '\0';
	r->query = uri[pathlen] == '?' ? uri + pathlen + 1 : "";

	id = http_param(r, "HTTP_X_REQUEST_ID");
	if (id != NULL && http_request_id_valid(id))
		snprintf(r->request_id, sizeof r->request_id, "%s", id);
	else
		util_uuid(r->request_id);
	log_set_request(r->request_id);
}

/* Answers 503 naming what a route needs and is down; 0 when all is up. */
static int
worker_check_deps(struct req *r)
{
	int	flags = r->match.route->flags;
	int	pg_down = (flags & ROUTE_DB) && db_ensure(&r->worker->db) == -1;
	int	redis_down = (flags & ROUTE_REDIS) &&
	    rds_ensure(&r->worker->rds) == -1;
	struct json_object *details;

	if (!pg_down && !redis_down)
		return 0;
	details = json_object_new_object();
	if (pg_down)
		jsonx_add_str(details, "postgres", "down");
	if (redis_down)
		jsonx_add_str(details, "redis", "down");
	if (http_add_header(r, "Retry-After", "1") == -1)
		log_warn("response headers full");
	http_respond_error(r, 503, "service_unavailable",
	    "a backing service is unavailable, retry shortly", details);
	return -1;
}

/* The committed revocations, to pushd (a socket may outlive a lost one
 * until its token or key is next checked: logged). */
static void
worker_publish_revocations(struct req *r)
{
	redisReply	*reply;
	int		 i;

	for (i = 0; i < r->nrevoke; i++) {
		reply = rds_command(&r->worker->rds, "PUBLISH %s %s",
		    EVENT_CONTROL, r->revoke[i]);
		if (reply == NULL || reply->type != REDIS_REPLY_INTEGER)
			log_warn("revocation not sent to pushd: Redis unavailable");
		freeReplyObject(reply);
	}
}

/* The tenant's events of the committed request (api_event), on the
 * channels the engine's go to. */
static void
worker_publish_events(struct req *r)
{
	struct json_object	*w;
	const char		*type;
	size_t			 i;

	for (i = 0; r->events != NULL && i < json_object_array_length(r->events);
	    i++) {
		w = json_object_array_get_idx(r->events, i);
		type = json_object_get_string(json_object_array_get_idx(w, 0));
		if (event_publish_envelope(&r->worker->rds, type,
		    r->auth.tenant_id, json_object_get_string(
		    json_object_array_get_idx(w, 1))) < 0)
			log_warn("event %s not published: Redis unavailable",
			    type);
	}
}

/* A bulk request's statements may run longer than the daemons' default. */
static int
worker_bulk_timeout(struct req *r)
{
	char		 ms[24];
	const char	*params[1] = { ms };
	PGresult	*res;

	snprintf(ms, sizeof ms, "%ld", config_int(CFG_BULK_STATEMENT_TIMEOUT_MS));
	if ((res = api_query(r, "SELECT set_config('statement_timeout', $1, "
	    "true)", 1, params)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/*
 * Authentication, limits and the handler run in one transaction, committed
 * only for a successful answer: whatever a rejected request wrote is undone
 * (a handler may keep a failure's audit row with keep_on_error).
 */
static void
worker_run_handler(struct req *r)
{
	const struct route	*route = r->match.route;
	int			 commit;

	if ((route->flags & ROUTE_DB) || route->auth != AUTH_NONE) {
		if (db_tx_begin(&r->worker->db, NULL) == -1) {
			http_respond_error(r, 503, "service_unavailable",
			    "the database is unavailable, retry shortly", NULL);
			return;
		}
		r->in_tx = 1;
	}
	if (auth_request(r) == -1) {
		(void)ratelimit_auth_failed(r);
		goto out;
	}
	if (auth_role_check(r) == -1)
		goto out;
	if (!(route->flags & ROUTE_UNLIMITED) && ratelimit_check(r) == -1)
		goto out;
	if ((route->flags & ROUTE_PREMIUM) && !r->auth.plan_active) {
		http_respond_error(r, 402, "subscription_required",
		    "this feature needs an active subscription: redeem an "
		    "access code", NULL);
		goto out;
	}
	if (r->auth.kind != AUTH_KIND_NONE &&
	    api_set_tenant(r, r->auth.tenant_id) == -1)
		goto out;
	if ((route->flags & ROUTE_BULK) && worker_bulk_timeout(r) == -1)
		goto out;
	route->handler(r);
	if (!r->responded)
		log_error("handler for %s %s sent no response", r->method,
		    route->pattern);
out:
	if (!r->in_tx)
		return;
	commit = (r->status < 400 && !r->dry_run) || r->keep_on_error;
	if (db_tx_end(&r->worker->db, commit) == -1 && commit) {
		log_error("commit failed after status %d", r->status);
		http_discard(r);
		http_respond_error(r, 503, "service_unavailable",
		    "the change could not be saved, retry shortly", NULL);
	}
	if (commit && r->status < 400)	/* its revocations take effect */
		worker_publish_revocations(r);
	if (commit && r->status < 400)
		worker_publish_events(r);
}

static void
worker_dispatch(struct req *r)
{
	char	allow[128];
	size_t	body_max;

	if (r->path_too_long) {	/* longer than any endpoint */
		http_respond_error(r, 404, "not_found", "no such endpoint",
		    NULL);
		return;
	}
	switch (route_find(route_table, route_table_len, r->method, r->path,
	    &r->match, allow, sizeof allow)) {
	case ROUTE_NOT_FOUND:
		http_respond_error(r, 404, "not_found",
		    "no such endpoint", NULL);
		return;
	case ROUTE_METHOD_NOT_ALLOWED:
		if (http_add_header(r, "Allow", allow) == -1)
			log_warn("response headers full");
		http_respond_error(r, 405, "method_not_allowed",
		    "method not allowed on this endpoint", NULL);
		return;
	case ROUTE_FOUND:
		break;
	}
	body_max = r->match.route->body_max != 0 ? r->match.route->body_max :
	    (size_t)config_int(CFG_MAX_BODY);
	if (worker_read_body(r, body_max, r->match.route->flags &
	    ROUTE_STREAM) == -1)
		return;
	if (worker_check_deps(r) == -1)
		return;
	worker_run_handler(r);
}

/* The request in the metrics: by route (its pattern: no ids, and no
 * method or path a client made up) and status, with its duration. */
static void
worker_count(const struct req *r, double seconds)
{
	const struct route	*rt = r->match.route;
	char			 labels[METRICS_LABELS_MAX];

	snprintf(labels, sizeof labels, "route=\"%s\",method=\"%s\"",
	    rt != NULL ? rt->pattern : "unmatched", rt != NULL ? rt->method :
	    "other");
	metrics_observe("waqtor_api_request_duration_seconds", labels, seconds);
	snprintf(labels + strlen(labels), sizeof labels - strlen(labels),
	    ",status=\"%d\"", r->status);
	metrics_add("waqtor_api_requests", labels, 1);
}

static void
worker_handle(struct worker *w, FCGX_Request *fr)
{
	struct req	 r;
	struct timespec	 t0, t1;
	double		 seconds;
	char		 scratch[8192];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	worker_request_init(&r, w, fr);
	worker_dispatch(&r);
	/* what a streamed handler left unread, so nginx reads our answer */
	while (r.body_left > 0 && http_read(&r, scratch, sizeof scratch) > 0)
		;
	http_flush(&r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	seconds = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	worker_count(&r, seconds);
	log_info("%s %s %d %lldms", r.method, r.path, r.status,
	    (long long)(seconds * 1000));
	free(r.body);
	json_object_put(r.events);
	log_set_request(NULL);
	log_set_tenant(NULL);
}

int
worker_run(int listen_fd)
{
	struct worker	 w;
	FCGX_Request	 fr;
	sigset_t	 term;
	int		 rc;

	memset(&w, 0, sizeof w);
	worker_listen_fd = listen_fd;
	worker_signals(&term);
	sigprocmask(SIG_BLOCK, &term, NULL);

	db_init(&w.db, config_str(CFG_DATABASE_URL), DB_AS_APP);
	if (rds_init(&w.rds, config_str(CFG_REDIS_URL)) == -1)
		return 2;
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, listen_fd, 0) != 0) {
		log_error("libfcgi failed to initialise");
		return 2;
	}
	log_info("worker ready");
	for (;;) {
		sigprocmask(SIG_UNBLOCK, &term, NULL);
		rc = worker_stop ? -1 : FCGX_Accept_r(&fr);
		sigprocmask(SIG_BLOCK, &term, NULL);
		if (rc < 0)
			break;
		worker_handle(&w, &fr);
		FCGX_Finish_r(&fr);
	}
	if (!worker_stop)
		log_error("accept failed: %s", strerror(errno));
	FCGX_Free(&fr, 1);
	db_close(&w.db);
	rds_close(&w.rds);
	log_info("worker exiting");
	return worker_stop ? 0 : 1;
}
