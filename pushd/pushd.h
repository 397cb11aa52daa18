/*
 * The state waqtor-pushd's modules share, one instance per process (like
 * redis's `server`): settings read once at start-up, the loop, the session
 * table and the connections to Redis and PostgreSQL. main.c owns it.
 */
#ifndef WAQTOR_PUSHD_PUSHD_H
#define WAQTOR_PUSHD_PUSHD_H

#include <uv.h>

#include "strmap.h"
#include "token.h"

struct pgq;
struct redis_sub;
struct ws;

struct pushd_settings {
	long		 ping_interval_ms;
	long		 ping_timeout_ms;
	long		 max_payload;		/* Engine.IO maxPayload */
	long		 connect_timeout_ms;	/* EIO open to a namespace */
	long		 queue_max;		/* packets per session */
	long		 rate;			/* client packets per second */
	long		 recovery_ms;		/* 0: no state recovery */
	long		 max_connections;
	int		 echo;			/* engine.io test-suite mode */
};

struct pushd_server {
	uv_loop_t		*loop;
	struct pushd_settings	 set;
	struct strmap		 sessions;	/* sid -> struct session */
	struct pgq		*pg;
	struct redis_sub	*redis;
	struct ws		*ws;
	unsigned char		 secret[TOKEN_KEY_LEN];
	int			 have_secret;	/* realtime tokens accepted */
	int			 draining;
};

extern struct pushd_server srv;

#endif
