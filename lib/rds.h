/*
 * One synchronous Redis connection (hiredis) that reconnects after a fault,
 * with the same fail-fast backoff as struct db. Commands time out after
 * 2 s; after a timeout every command fails fast for 1 s. URLs:
 *   redis://[:password@]host[:port][/db]   unix:///path/to/redis.sock
 */
#ifndef WAQTOR_RDS_H
#define WAQTOR_RDS_H

#include <hiredis/hiredis.h>

struct rds_addr {
	char	 host[256];	/* or the socket path when unix */
	int	 port;		/* 0 for a unix socket */
	char	 password[256];
	int	 db;
};

struct rds {
	redisContext	*ctx;
	struct rds_addr	 addr;
	long long	 next_try_ms;
	int		 backoff_ms;
};

/* Parses a Redis URL; -1 with a reason in err when it is not one. */
int rds_parse_url(const char *url, struct rds_addr *addr, char *err,
    size_t errlen) __attribute__((warn_unused_result));
/* -1 only for a malformed URL; a server that is down is not an error. */
int rds_init(struct rds *r, const char *url) __attribute__((warn_unused_result));
void rds_close(struct rds *r);
int rds_ensure(struct rds *r) __attribute__((warn_unused_result));
/*
 * Runs a command (hiredis format). Returns the reply (caller frees it with
 * freeReplyObject) or NULL when the connection failed; an error reply is
 * returned as such.
 */
redisReply *rds_command(struct rds *r, const char *fmt, ...);
/* Same with an argv vector, for binary-safe arguments. */
redisReply *rds_commandv(struct rds *r, int argc, const char **argv,
    const size_t *argvlen);
/* PING: 0 when Redis answers. */
int rds_ping(struct rds *r) __attribute__((warn_unused_result));

#endif
