#include "rds.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "log.h"
#include "util.h"

#define RDS_BACKOFF_MIN_MS	100
/* after a command timed out (a stalled server), Redis is left alone this
 * long: a caller's loop stalls once per second at most, not per command */
#define RDS_TIMEOUT_BACKOFF_MS	1000
#define RDS_BACKOFF_MAX_MS	2000

/* Decodes %XX escapes of src[0..len) into out; -1 on a bad escape or overflow. */
static int
rds_unescape(const char *src, size_t len, char *out, size_t outlen)
{
	size_t	i, o = 0;

	for (i = 0; i < len; i++) {
		char	c = src[i];

		if (c == '%') {
			unsigned int	v;

			if (i + 2 >= len ||
			    !isxdigit((unsigned char)src[i + 1]) ||
			    !isxdigit((unsigned char)src[i + 2]) ||
			    sscanf(src + i + 1, "%2x", &v) != 1 || v == 0)
				return -1;
			c = (char)v;
			i += 2;
		}
		if (o + 1 >= outlen)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

int
rds_parse_url(const char *url, struct rds_addr *a, char *err, size_t errlen)
{
	const char	*p, *at, *slash, *colon;
	size_t		 hostlen;
	char		*end;

	memset(a, 0, sizeof *a);
	if (strncmp(url, "unix://", 7) == 0) {
		p = url + 7;
		if (*p != '/' || strlen(p) >= sizeof a->host) {
			snprintf(err, errlen, "unix:// URL needs an absolute "
			    "socket path");
			return -1;
		}
		snprintf(a->host, sizeof a->host, "%s", p);
		return 0;
	}
	if (strncmp(url, "redis://", 8) != 0) {
		snprintf(err, errlen, "expected redis:// or unix:// URL");
		return -1;
	}
	p = url + 8;
	if ((at = strrchr(p, '@')) != NULL) {
		const char *pw = memchr(p, ':', (size_t)(at - p));

		pw = pw != NULL ? pw + 1 : p;
		if (rds_unescape(pw, (size_t)(at - pw), a->password,
		    sizeof a->password) == -1) {
			snprintf(err, errlen, "bad or too long password in "
			    "Redis URL");
			return -1;
		}
		p = at + 1;
	}
	slash = strchr(p, '/');
	hostlen = slash != NULL ? (size_t)(slash - p) : strlen(p);
	colon = memchr(p, ':', hostlen);
	a->port = 6379;
	if (colon != NULL) {
		long port = strtol(colon + 1, &end, 10);

		if (end != p + hostlen || port < 1 || port > 65535) {
			snprintf(err, errlen, "bad port in Redis URL");
			return -1;
		}
		a->port = (int)port;
		hostlen = (size_t)(colon - p);
	}
	if (hostlen == 0 || hostlen >= sizeof a->host) {
		snprintf(err, errlen, "bad host in Redis URL");
		return -1;
	}
	memcpy(a->host, p, hostlen);
	if (slash != NULL && slash[1] != '\0') {
		long db = strtol(slash + 1, &end, 10);

		if (*end != '\0' || db < 0 || db > 1000) {
			snprintf(err, errlen, "bad database number in Redis URL");
			return -1;
		}
		a->db = (int)db;
	}
	return 0;
}

static void
rds_drop(struct rds *r)
{
	if (r->ctx != NULL)
		redisFree(r->ctx);
	r->ctx = NULL;
	r->backoff_ms = r->backoff_ms == 0 ? RDS_BACKOFF_MIN_MS :
	    r->backoff_ms * 2;
	if (r->backoff_ms > RDS_BACKOFF_MAX_MS)
		r->backoff_ms = RDS_BACKOFF_MAX_MS;
	r->next_try_ms = util_now_ms() + r->backoff_ms;
}

static int
rds_handshake(struct rds *r)
{
	redisReply	*reply = NULL;
	int		 ok = 1;

	if (r->addr.password[0] != '\0') {
		reply = redisCommand(r->ctx, "AUTH %s", r->addr.password);
		ok = reply != NULL && reply->type != REDIS_REPLY_ERROR;
		freeReplyObject(reply);
	}
	if (ok && r->addr.db != 0) {
		reply = redisCommand(r->ctx, "SELECT %d", r->addr.db);
		ok = reply != NULL && reply->type != REDIS_REPLY_ERROR;
		freeReplyObject(reply);
	}
	return ok ? 0 : -1;
}

static void
rds_connect(struct rds *r)
{
	struct timeval	tv = { 2, 0 };

	if (r->ctx != NULL)
		redisFree(r->ctx);
	if (r->addr.port == 0)
		r->ctx = redisConnectUnixWithTimeout(r->addr.host, tv);
	else
		r->ctx = redisConnectWithTimeout(r->addr.host, r->addr.port, tv);
	if (r->ctx == NULL || r->ctx->err != 0) {
		log_warn("redis: connect failed: %s",
		    r->ctx != NULL ? r->ctx->errstr : "out of memory");
		rds_drop(r);
		return;
	}
	(void)redisSetTimeout(r->ctx, tv);
	if (rds_handshake(r) == -1) {
		log_warn("redis: AUTH/SELECT refused");
		rds_drop(r);
		return;
	}
	r->backoff_ms = 0;
}

int
rds_init(struct rds *r, const char *url)
{
	char	err[128];

	memset(r, 0, sizeof *r);
	if (rds_parse_url(url, &r->addr, err, sizeof err) == -1) {
		log_error("redis: %s", err);
		return -1;
	}
	rds_connect(r);
	return 0;
}

void
rds_close(struct rds *r)
{
	if (r->ctx != NULL)
		redisFree(r->ctx);
	r->ctx = NULL;
}

int
rds_ensure(struct rds *r)
{
	if (r->ctx != NULL && r->ctx->err == 0)
		return 0;
	if (r->ctx == NULL && util_now_ms() < r->next_try_ms)
		return -1;
	rds_connect(r);
	return r->ctx != NULL ? 0 : -1;
}

static redisReply *
rds_checked(struct rds *r, redisReply *reply)
{
	if (reply == NULL || r->ctx->err != 0) {
		/* hiredis 0.14 reports a read timeout as an I/O error, EAGAIN */
		int timed_out = r->ctx->err == REDIS_ERR_IO &&
		    (errno == EAGAIN || errno == EWOULDBLOCK);

		log_warn("redis: %s: %s", timed_out ? "timed out" :
		    "connection lost", r->ctx->errstr);
		freeReplyObject(reply);
		rds_drop(r);
		/* a broken connection is retried at once, a stalled server not */
		r->next_try_ms = timed_out ? util_now_ms() +
		    RDS_TIMEOUT_BACKOFF_MS : 0;
		return NULL;
	}
	return reply;
}

redisReply *
rds_command(struct rds *r, const char *fmt, ...)
{
	redisReply	*reply;
	va_list		 ap;

	if (rds_ensure(r) == -1)
		return NULL;
	va_start(ap, fmt);
	reply = redisvCommand(r->ctx, fmt, ap);
	va_end(ap);
	return rds_checked(r, reply);
}

redisReply *
rds_commandv(struct rds *r, int argc, const char **argv, const size_t *argvlen)
{
	if (rds_ensure(r) == -1)
		return NULL;
	return rds_checked(r, redisCommandArgv(r->ctx, argc, argv, argvlen));
}

int
rds_ping(struct rds *r)
{
	redisReply	*reply = rds_command(r, "PING");
	int		 ok;

	/* a connection that died since the last call is retried once */
	if (reply == NULL)
		reply = rds_command(r, "PING");
	ok = reply != NULL && reply->type == REDIS_REPLY_STATUS;

	freeReplyObject(reply);
	return ok ? 0 : -1;
}
