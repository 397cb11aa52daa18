#include "redis_sub.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>
#include <hiredis/async.h>

#include "log.h"
#include "redis_uv.h"
#include "xmalloc.h"

#define REDIS_SUB_BACKOFF_MIN_MS	100
#define REDIS_SUB_BACKOFF_MAX_MS	5000
#define REDIS_SUB_HANDSHAKE_MS		3000	/* connect to subscribed */

enum redis_sub_state {
	REDIS_SUB_WAITING,	/* no connection; the timer tries again */
	REDIS_SUB_CONNECTING,	/* handshake under way; the timer bounds it */
	REDIS_SUB_UP,		/* subscribed */
	REDIS_SUB_STOPPED,
};

enum redis_sub_step { REDIS_SUB_AUTH, REDIS_SUB_SELECT, REDIS_SUB_PSUBSCRIBE };

struct redis_sub {
	uv_timer_t		 timer;
	uv_loop_t		*loop;
	redisAsyncContext	*ac;		/* NULL when not connecting/up */
	struct rds_addr		 addr;
	char			 name[300];	/* address for log lines */
	char			*pattern;
	redis_sub_message_cb	 cb;
	void			*arg;
	enum redis_sub_state	 state;
	enum redis_sub_step	 step;		/* the handshake command in flight */
	const char		*why;		/* why we hung up, for the log */
	int			 backoff_ms;
	int			 failing;	/* a failure is already logged */
};

static void	redis_sub_on_timer(uv_timer_t *);
static void	redis_sub_on_handshake(redisAsyncContext *, void *, void *);
static void	redis_sub_on_pmessage(redisAsyncContext *, void *, void *);

static void
redis_sub_failed(struct redis_sub *rs, const char *reason)
{
	int	delay;

	if (rs->state == REDIS_SUB_UP) {
		log_warn("redis: disconnected from %s: %s; reconnecting",
		    rs->name, reason);
		rs->backoff_ms = REDIS_SUB_BACKOFF_MIN_MS;
	} else if (!rs->failing)
		log_warn("redis: cannot subscribe on %s: %s; retrying every "
		    "%d..%d ms", rs->name, reason, REDIS_SUB_BACKOFF_MIN_MS,
		    REDIS_SUB_BACKOFF_MAX_MS);
	else
		log_debug("redis: %s: %s; next try in %d ms", rs->name, reason,
		    rs->backoff_ms);
	rs->failing = 1;
	rs->state = REDIS_SUB_WAITING;

	delay = rs->backoff_ms;
	rs->backoff_ms *= 2;
	if (rs->backoff_ms > REDIS_SUB_BACKOFF_MAX_MS)
		rs->backoff_ms = REDIS_SUB_BACKOFF_MAX_MS;
	uv_timer_start(&rs->timer, redis_sub_on_timer, (uint64_t)delay, 0);
}

/* Queues the first handshake step at or after step that the URL needs. */
static void
redis_sub_send(struct redis_sub *rs, enum redis_sub_step step)
{
	redisAsyncContext	*ac = rs->ac;
	int			 rc;

	if (step == REDIS_SUB_AUTH && rs->addr.password[0] == '\0')
		step = REDIS_SUB_SELECT;
	if (step == REDIS_SUB_SELECT && rs->addr.db == 0)
		step = REDIS_SUB_PSUBSCRIBE;

	rs->step = step;
	switch (step) {
	case REDIS_SUB_AUTH:
		rc = redisAsyncCommand(ac, redis_sub_on_handshake, rs,
		    "AUTH %s", rs->addr.password);
		break;
	case REDIS_SUB_SELECT:
		rc = redisAsyncCommand(ac, redis_sub_on_handshake, rs,
		    "SELECT %d", rs->addr.db);
		break;
	default:
		rc = redisAsyncCommand(ac, redis_sub_on_pmessage, rs,
		    "PSUBSCRIBE %s", rs->pattern);
		break;
	}
	/* Only refused while hiredis is closing; its callbacks follow. */
	if (rc != REDIS_OK)
		log_debug("redis: command not queued: connection closing");
}

static void
redis_sub_on_connect(const redisAsyncContext *ac, int status)
{
	struct redis_sub	*rs = ac->data;

	if (rs == NULL || ac != rs->ac)
		return;
	if (status != REDIS_OK) {
		/* hiredis frees ac when this returns */
		rs->ac = NULL;
		redis_sub_failed(rs, ac->errstr);
		return;
	}
	log_debug("redis: connected to %s", rs->name);
}

static void
redis_sub_on_disconnect(const redisAsyncContext *ac, int status)
{
	struct redis_sub	*rs = ac->data;
	const char		*reason;

	/* ac != rs->ac when we freed it ourselves */
	if (rs == NULL || ac != rs->ac)
		return;
	rs->ac = NULL;
	if (ac->err != 0)
		reason = ac->errstr;
	else
		reason = rs->why != NULL ? rs->why : "connection closed";
	redis_sub_failed(rs, reason);
}

/* Replies to AUTH and SELECT: on to the next step, or hang up. */
static void
redis_sub_on_handshake(redisAsyncContext *ac, void *r, void *privdata)
{
	struct redis_sub	*rs = privdata;
	redisReply		*reply = r;

	if (reply == NULL || ac != rs->ac)
		return;
	if (reply->type == REDIS_REPLY_ERROR) {
		/* the reply text never contains the password */
		log_at(rs->failing ? LOG_DEBUG : LOG_ERROR,
		    "redis: %s refused by %s: %.200s",
		    rs->step == REDIS_SUB_AUTH ? "AUTH" : "SELECT", rs->name,
		    reply->str);
		rs->why = "handshake refused";
		redisAsyncDisconnect(ac);
		return;
	}
	redis_sub_send(rs, rs->step == REDIS_SUB_AUTH ? REDIS_SUB_SELECT :
	    REDIS_SUB_PSUBSCRIBE);
}

/* Every reply on the subscription: its confirmation, then the messages. */
static void
redis_sub_on_pmessage(redisAsyncContext *ac, void *r, void *privdata)
{
	struct redis_sub	*rs = privdata;
	redisReply		*reply = r, **e;

	if (reply == NULL || ac != rs->ac)
		return;
	if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3)
		return;
	e = reply->element;
	if (e[0]->type != REDIS_REPLY_STRING)
		return;

	if (strcmp(e[0]->str, "psubscribe") == 0) {
		uv_timer_stop(&rs->timer);
		rs->state = REDIS_SUB_UP;
		rs->backoff_ms = REDIS_SUB_BACKOFF_MIN_MS;
		rs->failing = 0;
		rs->why = NULL;
		log_info("redis: connected to %s, subscribed to %s", rs->name,
		    rs->pattern);
		return;
	}
	if (strcmp(e[0]->str, "pmessage") != 0 || reply->elements != 4 ||
	    e[2]->type != REDIS_REPLY_STRING ||
	    e[3]->type != REDIS_REPLY_STRING)
		return;
	if (e[3]->len > REDIS_SUB_MAX_PAYLOAD) {
		log_warn("redis: dropped a %zu-byte message on %.*s", e[3]->len,
		    (int)(e[2]->len > 128 ? 128 : e[2]->len), e[2]->str);
		return;
	}
	rs->cb(e[2]->str, e[2]->len, e[3]->str, e[3]->len, rs->arg);
}

static void
redis_sub_connect(struct redis_sub *rs)
{
	redisAsyncContext	*ac;
	char			 why[128];

	if (rs->addr.port == 0)
		ac = redisAsyncConnectUnix(rs->addr.host);
	else
		ac = redisAsyncConnect(rs->addr.host, rs->addr.port);
	if (ac == NULL) {
		redis_sub_failed(rs, "out of memory");
		return;
	}
	if (ac->err != 0) {
		snprintf(why, sizeof why, "%s", ac->errstr);
		redisAsyncFree(ac);
		redis_sub_failed(rs, why);
		return;
	}
	if (redis_uv_attach(ac, rs->loop) == -1) {
		redisAsyncFree(ac);
		redis_sub_failed(rs, "cannot watch the socket");
		return;
	}
	/* TCP keepalive (hiredis: 15 s) notices a host that vanished. */
	if (rs->addr.port != 0)
		(void)redisEnableKeepAlive(&ac->c);
	ac->data = rs;
	rs->ac = ac;
	rs->why = NULL;
	rs->state = REDIS_SUB_CONNECTING;
	/* Setting the callbacks arms the write watcher that notices connect. */
	(void)redisAsyncSetConnectCallback(ac, redis_sub_on_connect);
	(void)redisAsyncSetDisconnectCallback(ac, redis_sub_on_disconnect);
	redis_sub_send(rs, REDIS_SUB_AUTH);
	uv_timer_start(&rs->timer, redis_sub_on_timer, REDIS_SUB_HANDSHAKE_MS,
	    0);
}

static void
redis_sub_on_timer(uv_timer_t *t)
{
	struct redis_sub	*rs = t->data;
	redisAsyncContext	*ac;

	switch (rs->state) {
	case REDIS_SUB_WAITING:
		redis_sub_connect(rs);
		break;
	case REDIS_SUB_CONNECTING:
		ac = rs->ac;
		rs->ac = NULL;
		if (ac != NULL)
			redisAsyncFree(ac);
		redis_sub_failed(rs, "handshake timed out");
		break;
	case REDIS_SUB_UP:
	case REDIS_SUB_STOPPED:
		break;
	}
}

struct redis_sub *
redis_sub_new(uv_loop_t *loop, const struct rds_addr *addr,
    const char *pattern, redis_sub_message_cb cb, void *arg)
{
	struct redis_sub	*rs = xcalloc(1, sizeof *rs);

	rs->loop = loop;
	rs->addr = *addr;
	rs->pattern = xstrdup(pattern);
	rs->cb = cb;
	rs->arg = arg;
	rs->backoff_ms = REDIS_SUB_BACKOFF_MIN_MS;
	if (addr->port == 0)
		snprintf(rs->name, sizeof rs->name, "unix://%s", addr->host);
	else
		snprintf(rs->name, sizeof rs->name, "redis://%s:%d/%d",
		    addr->host, addr->port, addr->db);
	uv_timer_init(loop, &rs->timer);
	rs->timer.data = rs;
	redis_sub_connect(rs);
	return rs;
}

int
redis_sub_up(const struct redis_sub *rs)
{
	return rs != NULL && rs->state == REDIS_SUB_UP;
}

static void
redis_sub_on_close(uv_handle_t *h)
{
	struct redis_sub	*rs = h->data;

	free(rs->pattern);
	free(rs);
}

void
redis_sub_free(struct redis_sub *rs)
{
	redisAsyncContext	*ac = rs->ac;

	rs->state = REDIS_SUB_STOPPED;
	rs->ac = NULL;
	uv_timer_stop(&rs->timer);
	/* Runs pending callbacks with NULL replies; they see rs->ac != ac. */
	if (ac != NULL)
		redisAsyncFree(ac);
	explicit_bzero(rs->addr.password, sizeof rs->addr.password);
	uv_close((uv_handle_t *)&rs->timer, redis_sub_on_close);
}
