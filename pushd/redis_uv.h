/*
 * Runs a hiredis async context on a libuv loop. This replaces the adapter
 * shipped with hiredis 0.14 (hiredis/adapters/libuv.h), which drops poll
 * errors: libuv reports a refused non-blocking TCP connect as an error and
 * stops the handle, so hiredis never learned that the connect failed. Here
 * an error is handed to hiredis as readiness, the way hiredis 1.0 does, so
 * it reads the socket error itself.
 *
 * The watcher belongs to the context: hiredis releases it through its
 * cleanup hook when the context is freed (the memory goes in a uv close
 * callback, so the loop must run afterwards).
 */
#ifndef WAQTOR_PUSHD_REDIS_UV_H
#define WAQTOR_PUSHD_REDIS_UV_H

#include <hiredis/async.h>
#include <uv.h>

/* -1 when ac is already attached or its socket cannot be watched. */
int redis_uv_attach(redisAsyncContext *ac, uv_loop_t *loop)
    __attribute__((warn_unused_result));

#endif
