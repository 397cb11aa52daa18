#include "ratelimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "http.h"
#include "log.h"
#include "worker.h"
#include "xmalloc.h"


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

/*
 * GCRA, the generic cell rate algorithm, over several keys in one Redis
 * round trip, on Redis's clock. Each key holds its theoretical arrival
 * time (TAT) in ms; with T the interval between requests at the sustained
 * rate and tau = (burst - 1) * T, a request is allowed when TAT - now <=
 * tau, and counted (TAT += T) only when every key allows it. Returns
 * {allowed, wait ms, requests left at once, ms until the burst is back}.
 */
static const char ratelimit_gcra[] =
    "local t = redis.call('TIME')\n"
    "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"
    "local wait, left, reset, tats = 0, nil, 0, {}\n"
    "for i, key in ipairs(KEYS) do\n"
    "  local T, tau = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])\n"
    "  local tat = math.max(tonumber(redis.call('GET', key)) or now, now)\n"
    "  wait = math.max(wait, tat - now - tau)\n"
    "  tats[i] = tat + T\n"
    "  local l = math.floor((tau - (tats[i] - now)) / T) + 1\n"
    "  if left == nil or l < left then left = l end\n"
    "  reset = math.max(reset, tats[i] - now)\n"
    "end\n"
    "if wait > 0 then return {0, math.ceil(wait), 0, math.ceil(reset)} end\n"
    "for i, key in ipairs(KEYS) do\n"
    "  redis.call('SET', key, tostring(tats[i]), 'PX', math.ceil(tats[i] - now) + 1000)\n"
    "end\n"
    "return {1, 0, math.max(left, 0), math.ceil(reset)}\n";

long
ratelimit_burst(long per_minute)
{
	long	b = per_minute / 6;	/* ten seconds' worth */

	/* but never so few that a page's first requests are refused */
	if (b < 30)
		b = per_minute < 30 ? per_minute : 30;
	return b;
}

/*
 * Runs the GCRA script (argv[1]) by its SHA1, so that it is not sent and
 * parsed on every request; loads it once per connection (NOSCRIPT).
 */
static redisReply *
ratelimit_eval(struct req *r, int argc, const char **argv)
{
	static char	 sha[48];
	redisReply	*reply = NULL;
	const char	*script = argv[1];

	if (sha[0] != '\0') {
		argv[0] = "EVALSHA";
		argv[1] = sha;
		reply = rds_commandv(&r->worker->rds, argc, argv, NULL);
		if (reply == NULL || reply->type != REDIS_REPLY_ERROR ||
		    strncmp(reply->str, "NOSCRIPT", 8) != 0)
			return reply;
		freeReplyObject(reply);
	}
	reply = rds_command(&r->worker->rds, "SCRIPT LOAD %s", script);
	if (reply != NULL && reply->type == REDIS_REPLY_STRING &&
	    reply->len < sizeof sha)
		snprintf(sha, sizeof sha, "%s", reply->str);
	freeReplyObject(reply);
	argv[0] = "EVAL";
	argv[1] = script;
	return rds_commandv(&r->worker->rds, argc, argv, NULL);
}

int
ratelimit_take(struct req *r, const struct ratelimit_key *keys, int n,
    struct ratelimit_result *out)
{
	const char	*argv[3 + 3 * RATELIMIT_MAX_KEYS];
	char		 nkeys[8], num[2 * RATELIMIT_MAX_KEYS][32];
	redisReply	*reply;
	int		 i, argc = 0, rc = -1;

	if (n < 1 || n > RATELIMIT_MAX_KEYS)
		fatal("ratelimit_take: %d keys", n);
	snprintf(nkeys, sizeof nkeys, "%d", n);
	argv[argc++] = "EVAL";
	argv[argc++] = ratelimit_gcra;
	argv[argc++] = nkeys;
	for (i = 0; i < n; i++)
		argv[argc++] = keys[i].key;
	for (i = 0; i < n; i++) {
		double	T = 60000.0 / (double)keys[i].per_minute;

		snprintf(num[2 * i], sizeof num[0], "%.4f", T);
		snprintf(num[2 * i + 1], sizeof num[0], "%.4f",
		    (double)(keys[i].burst - 1) * T);
		argv[argc++] = num[2 * i];
		argv[argc++] = num[2 * i + 1];
	}
	reply = ratelimit_eval(r, argc, argv);
	if (reply != NULL && reply->type == REDIS_REPLY_ARRAY &&
	    reply->elements == 4) {
		out->allowed = reply->element[0]->integer == 1;
		out->wait_ms = (long)reply->element[1]->integer;
		out->remaining = (long)reply->element[2]->integer;
		out->reset_ms = (long)reply->element[3]->integer;
		rc = 0;
	} else if (reply != NULL && reply->type == REDIS_REPLY_ERROR)
		log_error("rate limit script: %s", reply->str);
	freeReplyObject(reply);
	return rc;
}

int
ratelimit_take_one(struct req *r, const char *key, long per_minute,
    long burst, struct ratelimit_result *out)
{
	struct ratelimit_key	k = { key, per_minute, burst };

	return ratelimit_take(r, &k, 1, out);
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

/* The RateLimit-* headers of an allowed request (the tightest limit). */
static int
ratelimit_headers(struct req *r, long limit, const struct ratelimit_result *res)
{
	char	v[32];

	snprintf(v, sizeof v, "%ld", limit);
	if (http_add_header(r, "RateLimit-Limit", v) == -1)
		return -1;
	snprintf(v, sizeof v, "%ld", res->remaining);
	if (http_add_header(r, "RateLimit-Remaining", v) == -1)
		return -1;
	snprintf(v, sizeof v, "%ld", (res->reset_ms + 999) / 1000);
	return http_add_header(r, "RateLimit-Reset", v);
}

int
ratelimit_check(struct req *r)
{
	char			 cred[128], tenant[96];
	struct ratelimit_key	 keys[2];
	struct ratelimit_result	 res;
	long			 limit = ratelimit_allowance(r);
	int			 n = 0;

	/* the credential's own budget, and for a tenant's credentials the
	 * tenant's too: more keys never buy more than the plan */
	if (r->auth.kind == AUTH_KIND_APIKEY)
		snprintf(cred, sizeof cred, "waqtor:rl:k:%s", r->auth.key_id);
	else if (r->auth.kind == AUTH_KIND_SESSION)
		snprintf(cred, sizeof cred, "waqtor:rl:s:%s", r->auth.session_id);
	else
		snprintf(cred, sizeof cred, "waqtor:rl:a:%s", http_client_ip(r));
	keys[n++] = (struct ratelimit_key){ cred, limit, ratelimit_burst(limit) };
	if (r->auth.kind != AUTH_KIND_NONE) {
		snprintf(tenant, sizeof tenant, "waqtor:rl:t:%s", r->auth.tenant_id);
		keys[n++] = (struct ratelimit_key){ tenant, limit,
		    ratelimit_burst(limit) };
	}
	if (ratelimit_take(r, keys, n, &res) == -1) {
		log_warn("rate limit not applied: Redis unavailable");
		return 0;
	}
	if (ratelimit_headers(r, limit, &res) == -1)
		log_warn("response headers full");
	if (res.allowed)
		return 0;
	ratelimit_respond(r, (res.wait_ms + 999) / 1000,
	    "too many requests: slow down");
	return -1;
}

int
ratelimit_auth_failed(struct req *r)
{
	char			 key[96];
	long			 rate = config_int(CFG_RATE_ANON);
	struct ratelimit_result	 res;

	if (r->status != 401)	/* a credential of the wrong kind is no guess */
		return 0;
	snprintf(key, sizeof key, "waqtor:rl:a:%s", http_client_ip(r));
	if (ratelimit_take_one(r, key, rate, ratelimit_burst(rate), &res) == -1 ||
	    res.allowed)
		return 0;
	http_discard(r);
	ratelimit_respond(r, (res.wait_ms + 999) / 1000,
	    "too many failed authentications from this address: slow down");
	return -1;
}

static void
ratelimit_fail_key(char *key, size_t len, const char *scope, const char *id)
{
	snprintf(key, len, "waqtor:fail:%s:%s", scope, id);
}

long
ratelimit_try(struct req *r, const char *scope, const char *id, int max,
    int window_secs)
{
	static const char script[] =
	    "local n = redis.call('INCR', KEYS[1])\n"
	    "if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end\n"
	    "if n > tonumber(ARGV[2]) then\n"
	    "  return math.max(redis.call('TTL', KEYS[1]), 1)\n"
	    "end\n"
	    "return 0\n";
	char		 key[320], window[16], limit[16];
	const char	*argv[] = { "EVAL", script, "1", key, window, limit };
	redisReply	*reply;
	long		 wait = 0;

	ratelimit_fail_key(key, sizeof key, scope, id);
	snprintf(window, sizeof window, "%d", window_secs);
	snprintf(limit, sizeof limit, "%d", max);
	reply = rds_commandv(&r->worker->rds, 6, argv, NULL);
	if (reply != NULL && reply->type == REDIS_REPLY_INTEGER)
		wait = (long)reply->integer;
	else
		log_warn("tries of %s not counted: Redis unavailable", scope);
	freeReplyObject(reply);
	return wait;
}

void
ratelimit_untry(struct req *r, const char *scope, const char *id)
{
	char	key[320];

	ratelimit_fail_key(key, sizeof key, scope, id);
	freeReplyObject(rds_command(&r->worker->rds, "DECR %s", key));
}

void
ratelimit_forget(struct req *r, const char *scope, const char *id)
{
	char	key[320];

	ratelimit_fail_key(key, sizeof key, scope, id);
	freeReplyObject(rds_command(&r->worker->rds, "DEL %s", key));
}
