/*
 * Rate limits in Redis, smooth (GCRA: a sustained rate per minute with
 * bursts of a sixth of it, one Redis round trip for all the limits of a
 * request): per API key or session and per tenant at the plan's rate
 * (RATELIMIT_PLANS), per client address for anonymous callers and failed
 * authentications. Answers carry RateLimit-Limit (per minute),
 * RateLimit-Remaining (requests allowed at once) and RateLimit-Reset
 * (seconds until the whole burst is back); over the limit, 429
 * rate_limited with Retry-After (seconds until one more is allowed). When
 * Redis is down the limits are not applied (logged): routes that must
 * never run unlimited (login, code redemption) are flagged ROUTE_REDIS and
 * answer 503 instead.
 *
 * Try counters (ratelimit_try) lock out repeated password guesses and
 * access codes: each try is counted before it is checked, and past max in
 * the window the caller waits until the window ends.
 */
#ifndef WAQTOR_RATELIMIT_H
#define WAQTOR_RATELIMIT_H

struct req;

/* One limit: key allows per_minute requests sustained, bursts of burst. */
struct ratelimit_key {
	const char	*key;
	long		 per_minute;
	long		 burst;
};

struct ratelimit_result {
	int	allowed;
	long	wait_ms;	/* refused: until a request is allowed again */
	long	remaining;	/* allowed: requests still allowed at once */
	long	reset_ms;	/* until the whole burst is available again */
};

#define RATELIMIT_MAX_KEYS	4

/*
 * Counts one request against every key at once (GCRA in one Redis round
 * trip): allowed only when all allow it. 0 with *out filled in, -1 when
 * Redis is unavailable.
 */
int ratelimit_take(struct req *r, const struct ratelimit_key *keys, int n,
    struct ratelimit_result *out) __attribute__((warn_unused_result));
/* The same for one limit. */
int ratelimit_take_one(struct req *r, const char *key, long per_minute,
    long burst, struct ratelimit_result *out)
    __attribute__((warn_unused_result));
/* The burst that goes with a per-minute rate: ten seconds' worth, at least
 * 30 (or the whole rate, when smaller). */
long ratelimit_burst(long per_minute);

/*
 * The request's budget, after authentication: per credential (API key,
 * session, or the address of an anonymous caller) and, for a tenant's
 * credentials, per tenant, both at the plan's rate (RATELIMIT_PLANS) in
 * bursts of ratelimit_burst(). 0 to go on (RateLimit-* headers added); -1
 * answered 429 with Retry-After. Redis down: not applied (logged).
 */
int ratelimit_check(struct req *r) __attribute__((warn_unused_result));
/* A failed authentication costs the caller's address from the anonymous
 * budget; -1 when it is spent (the 401 replaced by 429). */
int ratelimit_auth_failed(struct req *r);

/*
 * Counts one try of scope:id in a window of window_secs, atomically and
 * before the try is evaluated (one Redis script: parallel tries cannot
 * slip past max). The seconds to wait when this try is over max (do not
 * evaluate it), else 0; 0 too when Redis is down (logged).
 */
long ratelimit_try(struct req *r, const char *scope, const char *id, int max,
    int window_secs);
/* Takes back one try of scope:id (it succeeded). */
void ratelimit_untry(struct req *r, const char *scope, const char *id);

/* Forgets scope:id's tries (after a success). */
void ratelimit_forget(struct req *r, const char *scope, const char *id);
/* Answers 429 with Retry-After. */
void ratelimit_respond(struct req *r, long retry_after, const char *message);

#endif
