/*
 * A FastCGI worker process: accepts requests on the shared listen socket one
 * at a time and dispatches them through the route table. Each worker owns
 * one PostgreSQL and one Redis connection.
 */
#ifndef WAQTOR_WORKER_H
#define WAQTOR_WORKER_H

#include "db.h"
#include "rds.h"

struct worker {
	struct db	 db;
	struct rds	 rds;
};

/* Runs until SIGTERM (finishing the request in hand); returns the exit code. */
int worker_run(int listen_fd);

#endif
