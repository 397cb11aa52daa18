/*
 * waqtorctl: the operator's tool. Reads the same environment as the daemons.
 *   waqtorctl config                 print every setting and its meaning
 *   waqtorctl migrate                apply pending SQL migrations
 *   waqtorctl seed-demo [--email E]  create the demo tenant (password on stdin)
 *   waqtorctl version
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "config.h"
#include "daemon.h"
#include "db.h"
#include "log.h"
#include "migrate.h"

struct ctl_command {
	const char	*name;
	const char	*usage;
	int		(*run)(int argc, char **argv);
};

static int
ctl_config(int argc, char **argv)
{
	config_print(stdout);
	return 0;
}

static int
ctl_version(int argc, char **argv)
{
	printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
	return 0;
}

static int
ctl_migrate(int argc, char **argv)
{
	struct db	db;
	int		applied, rc;

	db_init(&db, config_str(CFG_DATABASE_URL), DB_AS_OWNER);
	rc = migrate_run(&db, config_str(CFG_SQL_DIR), &applied);
	db_close(&db);
	if (rc == -1)
		return 1;
	printf("migrations applied: %d\n", applied);
	return 0;
}

static const char *
ctl_option(int argc, char **argv, const char *name, const char *def)
{
	int	i;

	for (i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	}
	return def;
}

/* One transaction: tenant, owner, sandbox instance. Nothing if the e-mail
 * already has an account, so a second `./waqtor up` changes nothing. */
static const char ctl_seed_sql[] =
    "WITH t AS ("
    "  INSERT INTO tenants (name) SELECT $1"
    "  WHERE NOT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($2))"
    "  RETURNING id),"
    " u AS ("
    "  INSERT INTO users (tenant_id, email, name, password_hash, role)"
    "  SELECT id, $2, 'Demo Owner', $3, 'owner' FROM t RETURNING tenant_id),"
    " i AS ("
    "  INSERT INTO instances (tenant_id, name, provider, config)"
    "  SELECT tenant_id, 'Demo sandbox', 'sandbox', '{\"autoPairSeconds\":3}'"
    "  FROM u RETURNING tenant_id, id)"
    " SELECT tenant_id, id FROM i";

static int
ctl_seed_demo(int argc, char **argv)
{
	const char	*email = ctl_option(argc, argv, "--email",
	    "demo@waqtor.local");
	const char	*tenant = ctl_option(argc, argv, "--tenant", "Demo");
	char		 password[256], hash[crypto_pwhash_STRBYTES];
	const char	*params[3];
	struct db	 db;
	PGresult	*res = NULL;
	int		 rc = 1;

	if (fgets(password, sizeof password, stdin) == NULL) {
		fprintf(stderr, "seed-demo: give the password on stdin\n");
		return 1;
	}
	password[strcspn(password, "\r\n")] = '\0';
	if (strlen(password) < 8) {
		fprintf(stderr, "seed-demo: password must have 8 characters\n");
		return 1;
	}
	if (crypto_pwhash_str_alg(hash, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		fprintf(stderr, "seed-demo: out of memory hashing\n");
		return 1;
	}
	sodium_memzero(password, sizeof password);
	params[0] = tenant;
	params[1] = email;
	params[2] = hash;
	db_init(&db, config_str(CFG_DATABASE_URL), DB_AS_OWNER);
	res = db_query(&db, ctl_seed_sql, 3, params, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "seed-demo: %s\n", res != NULL ?
		    PQresultErrorMessage(res) : "PostgreSQL is not reachable");
		goto out;
	}
	if (PQntuples(res) == 0)
		printf("demo tenant exists: %s\n", email);
	else
		printf("demo tenant %s created: %s, instance %s\n",
		    PQgetvalue(res, 0, 0), email, PQgetvalue(res, 0, 1));
	rc = 0;
out:
	PQclear(res);
	db_close(&db);
	return rc;
}

static const struct ctl_command ctl_commands[] = {
	{ "config",	"print every setting, its value and meaning", ctl_config },
	{ "migrate",	"apply pending SQL migrations", ctl_migrate },
	{ "seed-demo",	"[--email E] [--tenant NAME]: create the demo tenant "
			"(password on stdin)", ctl_seed_demo },
	{ "version",	"print the version", ctl_version },
};

static int
ctl_usage(void)
{
	size_t	i;

	fprintf(stderr, "usage: waqtorctl COMMAND [ARGS]\n");
	for (i = 0; i < sizeof ctl_commands / sizeof ctl_commands[0]; i++)
		fprintf(stderr, "  %-10s %s\n", ctl_commands[i].name,
		    ctl_commands[i].usage);
	return 2;
}

int
main(int argc, char **argv)
{
	char	err[256];
	size_t	i;

	if (argc < 2)
		return ctl_usage();
	if (daemon_config("ctl", err, sizeof err) == -1) {
		fprintf(stderr, "waqtorctl: bad configuration: %s\n", err);
		return 2;
	}
	for (i = 0; i < sizeof ctl_commands / sizeof ctl_commands[0]; i++) {
		if (strcmp(argv[1], ctl_commands[i].name) == 0)
			return ctl_commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "waqtorctl: unknown command \"%s\"\n", argv[1]);
	return ctl_usage();
}
