#include "db.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"
#include "xmalloc.h"

#define DB_BACKOFF_MIN_MS	100
#define DB_BACKOFF_MAX_MS	2000

static void
db_connect(struct db *db)
{
	/* connect_timeout bounds the wait when the host does not answer */
	static const char *const keys[] = { "dbname", "connect_timeout",
	    "application_name", "options", NULL };
	const char	*vals[] = { db->url, "3", "waqtor", "-c TimeZone=UTC",
	    NULL };

	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(db->conn) == CONNECTION_OK) {
		PGresult *res = db->role == DB_AS_APP ?
		    PQexec(db->conn, "SET ROLE " DB_APP_ROLE) : NULL;

		if (res == NULL || PQresultStatus(res) == PGRES_COMMAND_OK) {
			PQclear(res);
			db->backoff_ms = 0;
			return;
		}
		log_warn("postgres: SET ROLE " DB_APP_ROLE " failed (migrations "
		    "not applied?): %s", PQresultErrorMessage(res));
		PQclear(res);
	} else
		log_warn("postgres: connect failed: %s",
		    PQerrorMessage(db->conn));
	PQfinish(db->conn);
	db->conn = NULL;
	db->backoff_ms = db->backoff_ms == 0 ? DB_BACKOFF_MIN_MS :
	    db->backoff_ms * 2;
	if (db->backoff_ms > DB_BACKOFF_MAX_MS)
		db->backoff_ms = DB_BACKOFF_MAX_MS;
	db->next_try_ms = util_now_ms() + db->backoff_ms;
}

void
db_init(struct db *db, const char *url, enum db_role role)
{
	memset(db, 0, sizeof *db);
	db->url = xstrdup(url);
	db->role = role;
	db_connect(db);
}

void
db_close(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->url);
	memset(db, 0, sizeof *db);
}

int
db_ensure(struct db *db)
{
	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	if (db->conn == NULL && util_now_ms() < db->next_try_ms)
		return -1;
	db_connect(db);
	return db->conn != NULL ? 0 : -1;
}

static int
db_broken(struct db *db)
{
	return PQstatus(db->conn) != CONNECTION_OK;
}

PGresult *
db_query(struct db *db, const char *sql, int nparams,
    const char *const *params, int retry_safe)
{
	PGresult	*res;
	int		 attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		if (db_ensure(db) == -1)
			return NULL;
		res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL,
		    NULL, 0);
		if (!db_broken(db))
			return res;
		PQclear(res);
		log_warn("postgres: connection lost");
		PQfinish(db->conn);
		db->conn = NULL;
		db->next_try_ms = 0;
		if (!retry_safe)
			break;
	}
	return NULL;
}

int
db_ping(struct db *db)
{
	PGresult	*res = db_query(db, "SELECT 1", 0, NULL, 1);
	int		 ok = res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK;

	PQclear(res);
	return ok ? 0 : -1;
}

int
db_tx_begin(struct db *db, const char *tenant_id)
{
	const char	*params[] = { tenant_id };

	if (db_exec(db, "BEGIN", 0, NULL) == -1)
		return -1;
	if (tenant_id != NULL && db_exec(db,
	    "SELECT set_config('waqtor.tenant_id', $1, true)", 1, params) == -1) {
		if (db_tx_end(db, 0) == -1)
			log_warn("postgres: rollback failed");
		return -1;
	}
	return 0;
}

int
db_tx_end(struct db *db, int commit)
{
	PGresult	*res;
	int		 rc = -1;

	if (db->conn == NULL)
		return -1;
	res = db_query(db, commit ? "COMMIT" : "ROLLBACK", 0, NULL, 0);
	/* COMMIT of a transaction that failed on the way answers ROLLBACK */
	if (res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK &&
	    strcmp(PQcmdStatus(res), commit ? "COMMIT" : "ROLLBACK") == 0)
		rc = 0;
	else if (commit)
		log_error("postgres: the transaction was rolled back");
	PQclear(res);
	return rc;
}

int
db_exec(struct db *db, const char *sql, int nparams,
    const char *const *params)
{
	PGresult	*res = db_query(db, sql, nparams, params, 0);
	int		 rc = -1;

	if (res == NULL)
		goto out;
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_error("postgres: %s", PQresultErrorMessage(res));
		goto out;
	}
	rc = 0;
out:
	PQclear(res);
	return rc;
}
