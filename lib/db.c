#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "util.h"
#include "xmalloc.h"

#define DB_BACKOFF_MIN_MS	100
#define DB_BACKOFF_MAX_MS	2000

const char *
db_options(enum db_role role)
{
	static char	opts[128];

	if (role == DB_AS_OWNER)
		return "-c TimeZone=UTC";
	snprintf(opts, sizeof opts, "-c TimeZone=UTC -c statement_timeout=%ld "
	    "-c lock_timeout=%ld", config_int(CFG_DB_STATEMENT_TIMEOUT_MS),
	    config_int(CFG_DB_LOCK_TIMEOUT_MS));
	return opts;
}

/*
 * Copies msg to out with every "quoted" part elided: PostgreSQL quotes the
 * values it complains about (invalid input syntax for type bigint: "x"),
 * and values are the callers' data, never for a log.
 */
static void
db_redact(const char *msg, char *out, size_t outlen)
{
	size_t	n = 0;
	int	quoted = 0;

	for (; *msg != '\0' && n + 4 < outlen; msg++) {
		if (*msg == '"') {
			if (!quoted)
				n += (size_t)snprintf(out + n, outlen - n, "\"...");
			quoted = !quoted;
		}
		if (!quoted)
			out[n++] = *msg;
	}
	out[n] = '\0';
}

void
db_log_error(const PGresult *res, const char *sql)
{
	const char	*state, *msg, *cons;
	char		 clean[256];
	int		 words;
	size_t		 len;

	if (res == NULL)
		return;
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	cons = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
	db_redact(msg != NULL ? msg : "(no message)", clean, sizeof clean);
	/* the statement's first words say which one it was */
	for (len = 0, words = 0; sql[len] != '\0' && words < 4; len++)
		if (sql[len] == ' ' && ++words == 4)
			break;
	log_error("postgres: %s (SQLSTATE %s%s%s) in \"%.*s ...\"", clean,
	    state != NULL ? state : "?", cons != NULL ? ", constraint " : "",
	    cons != NULL ? cons : "", (int)(len > 60 ? 60 : len), sql);
}

static void
db_connect(struct db *db)
{
	/* connect_timeout bounds the wait when the host does not answer */
	static const char *const keys[] = { "dbname", "connect_timeout",
	    "application_name", "options", NULL };
	const char	*vals[] = { db->url, "3", "waqtor", db_options(db->role),
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

int
db_is_busy(const PGresult *res)
{
	static const char *const busy[] = { "55P03", "57014", "40P01", "40001" };
	const char	*state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	size_t		 i;

	for (i = 0; state != NULL && i < sizeof busy / sizeof busy[0]; i++) {
		if (strcmp(state, busy[i]) == 0)
			return 1;
	}
	return 0;
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
		if (db->busy_until_ms != 0 && PQtransactionStatus(db->conn) ==
		    PQTRANS_IDLE) {
			if (util_now_ms() < db->busy_until_ms)
				return NULL;
			db->busy_until_ms = 0;
		}
		res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL,
		    NULL, 0);
		if (!db_broken(db)) {
			if (PQresultStatus(res) != PGRES_COMMAND_OK &&
			    PQresultStatus(res) != PGRES_TUPLES_OK) {
				db_log_error(res, sql);
				if (db->role == DB_AS_ENGINE && db_is_busy(res)) {
					log_warn("postgres: busy: the engine "
					    "waits %d ms", DB_BUSY_BACKOFF_MS);
					db->busy_until_ms = util_now_ms() +
					    DB_BUSY_BACKOFF_MS;
				}
			}
			return res;
		}
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
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		goto out;	/* db_query logged it */
	rc = 0;
out:
	PQclear(res);
	return rc;
}
