/*
 * One PostgreSQL connection that reconnects after a fault. Calls never block
 * for long when the server is down: a failed connect is retried at most once
 * per backoff interval (growing to 2 s), and in between db_ensure() fails fast.
 * Only parameterised SQL goes through db_query().
 */
#ifndef WAQTOR_DB_H
#define WAQTOR_DB_H

#include <libpq-fe.h>

/*
 * Daemons work as the role waqtor_app, which owns no table, so PostgreSQL's
 * row-level security applies to everything they do (sql/002). waqtorctl
 * works as the connecting (owner) role.
 */
enum db_role {
	DB_AS_OWNER,	/* waqtorctl: migrations, operator commands */
	DB_AS_APP,	/* waqtor-api and waqtor-pushd */
	DB_AS_ENGINE,	/* waqtor-engine: the owner, as it serves every
			   tenant, with the daemons' timeouts */
};
#define DB_APP_ROLE	"waqtor_app"

struct db {
	PGconn		*conn;
	char		*url;
	enum db_role	 role;
	long long	 next_try_ms;	/* monotonic ms of the next connect */
	int		 backoff_ms;
	long long	 busy_until_ms;	/* DB_AS_ENGINE: see db_query() */
};

/* How long the engine leaves PostgreSQL alone after a statement gave up
 * waiting (a lock or statement timeout): its loop stalls once, not once per
 * statement. */
#define DB_BUSY_BACKOFF_MS	1000

/* Remembers url and tries to connect; a server that is down is not an error. */
void db_init(struct db *db, const char *url, enum db_role role);
void db_close(struct db *db);
/* 0 when connected (reconnecting if needed and allowed), else -1. */
int db_ensure(struct db *db) __attribute__((warn_unused_result));
/*
 * Runs sql with text parameters. Returns the result (caller PQclear()s it)
 * when the server answered, even with an SQL error; NULL when the connection
 * is unusable. A statement that fails because the connection broke is retried
 * once on a fresh connection only when retry_safe is set (read-only SQL).
 * For DB_AS_ENGINE, after a statement that gave up waiting (db_is_busy()),
 * statements outside a transaction fail fast (NULL, as when the server is
 * down) for DB_BUSY_BACKOFF_MS; those of an open transaction still run, so
 * that it always ends.
 */
PGresult *db_query(struct db *db, const char *sql, int nparams,
    const char *const *params, int retry_safe);
/* 1 when res failed for contention, not for its SQL: a lock or statement
 * timeout, a deadlock or a serialization failure. Worth a retry. */
int db_is_busy(const PGresult *res);
/* SELECT 1: 0 when PostgreSQL answers. */
int db_ping(struct db *db) __attribute__((warn_unused_result));
/*
 * A transaction scoped to one tenant: BEGIN and set waqtor.tenant_id (RLS)
 * for its duration. db_tx_end() commits when commit is set, else rolls back.
 */
int db_tx_begin(struct db *db, const char *tenant_id)
    __attribute__((warn_unused_result));
int db_tx_end(struct db *db, int commit) __attribute__((warn_unused_result));
/*
 * The libpq "options" of a connection: UTC, and for the daemons (all but
 * DB_AS_OWNER) WAQTOR_DB_STATEMENT_TIMEOUT_MS and WAQTOR_DB_LOCK_TIMEOUT_MS,
 * so that no statement or lock wait stalls a daemon for long.
 */
const char *db_options(enum db_role role);
/*
 * Logs a failed result: SQLSTATE, PostgreSQL's message with every quoted
 * value elided, the constraint, and the statement's first words; never a
 * parameter. db_query() does it for every failed statement.
 */
void db_log_error(const PGresult *res, const char *sql);
/* Runs a statement expecting no rows; 0 on success, -1 (logged) otherwise. */
int db_exec(struct db *db, const char *sql, int nparams,
    const char *const *params) __attribute__((warn_unused_result));

#endif
