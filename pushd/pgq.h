/*
 * Asynchronous PostgreSQL for waqtor-pushd: one libpq connection on the
 * libuv loop (PQconnectStart/PQconnectPoll, PQsendQueryParams, a uv_poll on
 * PQsocket) running a FIFO of requests one at a time. A request is a short
 * list of parameterised statements (e.g. BEGIN, set_config, SELECT, COMMIT)
 * of which one result goes to the callback.
 *
 * After connecting it runs SET ROLE waqtor_app, so row-level security holds.
 * A lost connection fails the request in flight and everything queued
 * (callback with NULL) and is retried with backoff (100 ms .. 5 s); while
 * it is down pgq_submit() fails at once. At most PGQ_MAX_PENDING requests
 * wait; more are refused.
 *
 * Ownership: the callback's PGresult belongs to pgq (valid during the call).
 * pgq_cancel() guarantees the callback will not run. pgq_free() fails the
 * pending requests without calling their callbacks.
 */
#ifndef WAQTOR_PUSHD_PGQ_H
#define WAQTOR_PUSHD_PGQ_H

#include <libpq-fe.h>
#include <uv.h>

#define PGQ_MAX_PENDING		4096
#define PGQ_MAX_STEPS		4
#define PGQ_MAX_PARAMS		2
#define PGQ_PARAM_MAX		160	/* longest parameter, with the NUL */

struct pgq_step {
	const char	*sql;		/* a string literal: not copied */
	int		 nparams;
	const char	*params[PGQ_MAX_PARAMS];	/* copied */
};

/* res is NULL when the database could not answer; else check its status. */
typedef void (*pgq_cb)(PGresult *res, void *arg);

struct pgq;
struct pgq_req;

struct pgq *pgq_new(uv_loop_t *loop, const char *url);
void pgq_free(struct pgq *q);
/* 1 while connected. */
int pgq_up(const struct pgq *q);
/*
 * Queues steps[0..n); the callback gets the result of steps[want]. NULL
 * (and no callback) when the database is down, the queue is full, or a
 * parameter is too long.
 */
struct pgq_req *pgq_submit(struct pgq *q, const struct pgq_step *steps,
    int n, int want, pgq_cb cb, void *arg) __attribute__((warn_unused_result));
void pgq_cancel(struct pgq_req *r);

#endif
