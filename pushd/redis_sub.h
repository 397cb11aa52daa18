/*
 * The Redis subscriber of waqtor-pushd: one hiredis async connection on the
 * daemon's libuv loop that PSUBSCRIBEs a pattern and hands every message to
 * a callback.
 *
 * The connection sends AUTH and SELECT when the URL asks for them, then
 * PSUBSCRIBE; it counts as up once Redis confirms the subscription. The
 * whole handshake must finish within a few seconds. Whenever it fails or an
 * established connection is lost, a uv timer retries with exponential
 * backoff, 100 ms doubling up to 5 s, reset once subscribed. Messages
 * published while no connection is up are lost (pub/sub does not queue).
 *
 * Ownership: redis_sub_new() copies addr and pattern; the caller owns the
 * result and ends it with redis_sub_free(), which closes the connection at
 * once and releases the memory from a uv close callback, so the loop must
 * run again afterwards. Neither may be called from inside the message
 * callback.
 */
#ifndef WAQTOR_PUSHD_REDIS_SUB_H
#define WAQTOR_PUSHD_REDIS_SUB_H

#include <stddef.h>

#include <uv.h>

#include "rds.h"

/* Largest payload handed to the callback; larger messages are dropped. */
#define REDIS_SUB_MAX_PAYLOAD	(1024 * 1024)

/* channel and payload are not NUL-terminated and live for the call only. */
typedef void (*redis_sub_message_cb)(const char *channel, size_t channel_len,
    const char *payload, size_t payload_len, void *arg);

struct redis_sub;

/* Starts connecting at once; never fails (a Redis that is down is retried). */
struct redis_sub *redis_sub_new(uv_loop_t *loop, const struct rds_addr *addr,
    const char *pattern, redis_sub_message_cb cb, void *arg);
/* 1 while subscribed, 0 otherwise (also for NULL). */
int redis_sub_up(const struct redis_sub *rs);
void redis_sub_free(struct redis_sub *rs);

#endif
