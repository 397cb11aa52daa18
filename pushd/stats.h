/*
 * The counters of waqtor-pushd (the seed's WebSocketMonitor), one line of
 * STATS_TABLE each, rendered as JSON (GET /stats) and as Prometheus text
 * (GET /metrics) on pushd's own socket. Gauges per namespace are kept by
 * sock.c in stats.sockets[]. Single-threaded: plain integers.
 */
#ifndef WAQTOR_PUSHD_STATS_H
#define WAQTOR_PUSHD_STATS_H

#include <stddef.h>

#include "nsp.h"

/*    id                  kind       help */
#define STATS_TABLE(X)							\
X(sessions,           gauge,     "open Engine.IO sessions")			\
X(sessions_ws,        gauge,     "sessions on the websocket transport")	\
X(sessions_opened,    counter,   "Engine.IO sessions opened")		\
X(redis_messages,     counter,   "messages received from Redis")		\
X(events_in,          counter,   "tenant events routed from Redis")	\
X(events_rejected,    counter,   "Redis messages that were not a valid tenant event") \
X(events_out,         counter,   "events queued to sockets")		\
X(packets_in,         counter,   "Socket.IO packets received from clients") \
X(coalesced,          counter,   "campaign progress events replaced by a newer one") \
X(dropped,            counter,   "events dropped because a send queue was full") \
X(slow_disconnects,   counter,   "sessions closed for staying over their send queue") \
X(rate_limited,       counter,   "client packets refused by the inbound rate limit") \
X(auth_failures,      counter,   "namespace connections refused for a bad token") \
X(protocol_errors,    counter,   "sessions closed for a protocol violation") \
X(ping_timeouts,      counter,   "sessions closed for a missing pong")	\
X(recovered,          counter,   "connections whose state was recovered") \
X(recovery_misses,    counter,   "recovery attempts that started a new session") \
X(revoked,            counter,   "sockets closed because their API key or session was revoked")

struct stats {
#define X(id, kind, help) unsigned long long id;
	STATS_TABLE(X)
#undef X
	unsigned long long	sockets[NSP__COUNT];	/* gauge per namespace */
};

extern struct stats stats;

/* Renders into out; -1 when it does not fit. redis_up/pg_up are 0 or 1. */
int stats_json(char *out, size_t outlen, int redis_up, int pg_up)
    __attribute__((warn_unused_result));
int stats_prometheus(char *out, size_t outlen, int redis_up, int pg_up)
    __attribute__((warn_unused_result));

#endif
