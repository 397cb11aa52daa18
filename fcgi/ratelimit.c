#include "ratelimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "http.h"
#include "log.h"
#include "worker.h"

#define RATELIMIT_WINDOW	60

/* Requests per minute by plan (settings); anonymous callers get the first
 * row's, a lapsed plan the free one. */
static const struct {
	const char	*plan;
	enum config_id	 per_minute;
} ratelimit_plans[] = {
	{ "anonymous",	CFG_RATE_ANON },
	{ "free",	CFG_RATE_FREE },
	{ "pro",	CFG_RATE_PRO },
	{ "business",	CFG_RATE_BUSINESS },
};

static long
ratelimit_allowance(const struct req *r)
{
	size_t	i;

	if (r->auth.kind == AUTH_KIND_NONE)
		return config_int(ratelimit_plans[0].per_minute);
	for (i = 1; i < sizeof ratelimit_plans / sizeof ratelimit_plans[0]; i++) {
		if (strcmp(ratelimit_plans[i].plan, r->auth.plan) == 0 &&
		    r->auth.plan_active)
			return config_int(ratelimit_plans[i].per_minute);
	}
	return config_int(CFG_RATE_FREE);
}

/* INCR key and start its window on the first hit; the count, -1 on error. */
static long long
ratelimit_incr(struct req *r, const char *key, int window, long *ttl)
{
	struct rds	*rds = &r->worker->rds;
	redisReply	*reply;
	long long	 n;

	reply = rds_command(rds, "INCR %s", key);
	if (reply == NULL || reply->type != REDIS_REPLY_INTEGER) {
		freeReplyObject(reply);
		return -1;
	}
	n = reply->integer;
	freeReplyObject(reply);
	reply = rds_command(rds, n == 1 ? "EXPIRE %s %d" : "TTL %s", key,
	    window);
	*ttl = reply != NULL && reply->type == REDIS_REPLY_INTEGER &&
	    n != 1 ? (long)reply->integer : window;
	if (*ttl < 0)
		*ttl = window;
	freeReplyObject(reply);
	return n;
}

void
ratelimit_respond(struct req *r, long retry_after, const char *message)
{
	char	s[32];

	snprintf(s, sizeof s, "%ld", retry_after > 0 ? retry_after : 1);
	if (http_add_header(r, "Retry-After", s) == -1)
		log_warn("response headers full");
	http_respond_error(r, 429, "rate_limited", message, NULL);
}

int
ratelimit_check(struct req *r)
{
	char		 key[128], v[32];
	long		 limit = ratelimit_allowance(r), ttl;
	long long	 n;
	const char	*who;

	if (r->auth.kind == AUTH_KIND_APIKEY)
		who = r->auth.key_id;
	else if (r->auth.kind == AUTH_KIND_SESSION)
		who = r->auth.session_id;
	else
		who = http_client_ip(r);
	snprintf(key, sizeof key, "waqtor:rl:%c:%s:%ld",
	    "nsk"[r->auth.kind], who, (long)time(NULL) / RATELIMIT_WINDOW);
	n = ratelimit_incr(r, key, RATELIMIT_WINDOW, &ttl);
	if (n < 0) {
		log_warn("rate limit not applied: Redis unavailable");
		return 0;
	}
	snprintf(v, sizeof v, "%ld", limit);
	if (http_add_header(r, "RateLimit-Limit", v) == -1)
		return 0;
	snprintf(v, sizeof v, "%lld", n >= limit ? 0 : limit - n);
	if (http_add_header(r, "RateLimit-Remaining", v) == -1)
		return 0;
	snprintf(v, sizeof v, "%ld", ttl);
	if (http_add_header(r, "RateLimit-Reset", v) == -1)
		return 0;
	if (n > limit) {
		ratelimit_respond(r, ttl, "too many requests: slow down");
		return -1;
	}
	return 0;
}

static void
ratelimit_fail_key(char *key, size_t len, const char *scope, const char *id)
{
	snprintf(key, len, "waqtor:fail:%s:%s", scope, id);
}

long
ratelimit_locked(struct req *r, const char *scope, const char *id, int max)
{
	char		 key[320];
	redisReply	*reply;
	long		 wait = 0;

	ratelimit_fail_key(key, sizeof key, scope, id);
	reply = rds_command(&r->worker->rds, "GET %s", key);
	if (reply != NULL && reply->type == REDIS_REPLY_STRING &&
	    atol(reply->str) >= max) {
		freeReplyObject(reply);
		reply = rds_command(&r->worker->rds, "TTL %s", key);
		wait = reply != NULL && reply->type == REDIS_REPLY_INTEGER &&
		    reply->integer > 0 ? (long)reply->integer : 1;
	}
	freeReplyObject(reply);
	return wait;
}

void
ratelimit_failure(struct req *r, const char *scope, const char *id,
    int window_secs)
{
	char	key[320];
	long	ttl;

	ratelimit_fail_key(key, sizeof key, scope, id);
	if (ratelimit_incr(r, key, window_secs, &ttl) < 0)
		log_warn("failure not counted: Redis unavailable");
}

void
ratelimit_forget(struct req *r, const char *scope, const char *id)
{
	char	key[320];

	ratelimit_fail_key(key, sizeof key, scope, id);
	freeReplyObject(rds_command(&r->worker->rds, "DEL %s", key));
}
