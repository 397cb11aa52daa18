#include "migrate.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/* pg_advisory_lock key: "WAQTOR" in ASCII, so it is recognisable in pg_locks */
#define MIGRATE_LOCK_KEY	"95857657156434"
#define MIGRATE_MAX_FILE	(4 * 1024 * 1024)

static int
migrate_name_ok(const char *name)
{
	size_t	digits = strspn(name, "0123456789");
	size_t	len = strlen(name);

	return digits >= 3 && name[digits] == '_' && len > digits + 5 &&
	    strcmp(name + len - 4, ".sql") == 0 &&
	    strspn(name + digits + 1, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
	    len - digits - 5;
}

static int
migrate_filter(const struct dirent *d)
{
	return migrate_name_ok(d->d_name);
}

static char *
migrate_read(const char *path)
{
	FILE	*fp = fopen(path, "r");
	char	*buf = NULL;
	long	 size;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == -1 || (size = ftell(fp)) < 0 ||
	    size > MIGRATE_MAX_FILE || fseek(fp, 0, SEEK_SET) == -1)
		goto out;
	buf = xmalloc((size_t)size + 1);
	if (fread(buf, 1, (size_t)size, fp) != (size_t)size) {
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[size] = '\0';
out:
	fclose(fp);
	return buf;
}

static int
migrate_simple(PGconn *conn, const char *sql, const char *what)
{
	PGresult	*res = PQexec(conn, sql);
	int		 ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		log_error("migrate: %s: %s", what, PQresultErrorMessage(res));
	PQclear(res);
	return ok ? 0 : -1;
}

static int
migrate_is_applied(struct db *db, const char *version, int *applied)
{
	const char	*params[] = { version };
	PGresult	*res = db_query(db,
	    "SELECT 1 FROM schema_migrations WHERE version = $1", 1, params, 0);
	int		 rc = -1;

	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK) {
		*applied = PQntuples(res) > 0;
		rc = 0;
	}
	PQclear(res);
	return rc;
}

static int
migrate_one(struct db *db, const char *dir, const char *name)
{
	char		 version[32], *path, *sql = NULL;
	const char	*params[2];
	size_t		 vlen = strspn(name, "0123456789");
	int		 rc = -1;

	snprintf(version, sizeof version, "%.*s", (int)vlen, name);
	path = xasprintf("%s/%s", dir, name);
	if ((sql = migrate_read(path)) == NULL) {
		log_error("migrate: cannot read %s", path);
		goto out;
	}
	if (migrate_simple(db->conn, "BEGIN", name) == -1)
		goto out;
	if (migrate_simple(db->conn, sql, name) == -1)
		goto rollback;
	params[0] = version;
	params[1] = name;
	if (db_exec(db, "INSERT INTO schema_migrations (version, name) "
	    "VALUES ($1, $2)", 2, params) == -1)
		goto rollback;
	if (migrate_simple(db->conn, "COMMIT", name) == -1)
		goto out;
	log_info("migrate: applied %s", name);
	rc = 0;
	goto out;
rollback:
	(void)migrate_simple(db->conn, "ROLLBACK", name);
out:
	free(sql);
	free(path);
	return rc;
}

int
migrate_run(struct db *db, const char *dir, int *applied)
{
	struct dirent	**names = NULL;
	int		  n = -1, i, done, rc = -1, locked = 0;

	*applied = 0;
	if (db_ensure(db) == -1) {
		log_error("migrate: PostgreSQL is not reachable");
		return -1;
	}
	if (migrate_simple(db->conn, "SET client_min_messages TO warning",
	    "set") == -1)
		goto out;
	if (migrate_simple(db->conn, "SELECT pg_advisory_lock("
	    MIGRATE_LOCK_KEY ")", "lock") == -1)
		goto out;
	locked = 1;
	if (migrate_simple(db->conn, "CREATE TABLE IF NOT EXISTS "
	    "schema_migrations (version text PRIMARY KEY, name text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())", "create") == -1)
		goto out;
	if ((n = scandir(dir, &names, migrate_filter, alphasort)) == -1) {
		log_error("migrate: cannot read directory %s", dir);
		goto out;
	}
	for (i = 0; i < n; i++) {
		char version[32];

		snprintf(version, sizeof version, "%.*s",
		    (int)strspn(names[i]->d_name, "0123456789"),
		    names[i]->d_name);
		if (migrate_is_applied(db, version, &done) == -1)
			goto out;
		if (done)
			continue;
		if (migrate_one(db, dir, names[i]->d_name) == -1)
			goto out;
		(*applied)++;
	}
	rc = 0;
out:
	if (locked && db->conn != NULL)
		(void)migrate_simple(db->conn, "SELECT pg_advisory_unlock("
		    MIGRATE_LOCK_KEY ")", "unlock");
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}
