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
#include "token.h"

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

/* Runs sql on the owner connection; prints "col\tcol..." rows, 0 or 1. */
static int
ctl_run(const char *sql, int n, const char *const *params, int print)
{
	struct db	 db;
	PGresult	*res;
	int		 rc = 1, i, j;

	db_init(&db, config_str(CFG_DATABASE_URL), DB_AS_OWNER);
	res = db_query(&db, sql, n, params, 0);
	if (res == NULL || (PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_COMMAND_OK)) {
		fprintf(stderr, "waqtorctl: %s", res != NULL ?
		    PQresultErrorMessage(res) : "PostgreSQL is not reachable\n");
		goto out;
	}
	for (i = 0; print && i < PQntuples(res); i++) {
		for (j = 0; j < PQnfields(res); j++)
			printf("%s%s", j > 0 ? "\t" : "", PQgetvalue(res, i, j));
		printf("\n");
	}
	rc = 0;
out:
	PQclear(res);
	db_close(&db);
	return rc;
}

static int
ctl_need(const char *value, const char *what)
{
	if (value != NULL)
		return 0;
	fprintf(stderr, "waqtorctl: %s is required\n", what);
	return -1;
}

static int
ctl_read_password(char *out, size_t len, char *hash, size_t hashlen)
{
	if (fgets(out, (int)len, stdin) == NULL) {
		fprintf(stderr, "waqtorctl: give the password on stdin\n");
		return -1;
	}
	out[strcspn(out, "\r\n")] = '\0';
	if (strlen(out) < 8) {
		fprintf(stderr, "waqtorctl: a password has at least 8 characters\n");
		return -1;
	}
	if (hashlen < crypto_pwhash_STRBYTES ||
	    crypto_pwhash_str_alg(hash, out, strlen(out),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return -1;
	sodium_memzero(out, len);
	return 0;
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

	if (ctl_read_password(password, sizeof password, hash, sizeof hash) == -1)
		return 1;
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

static int
ctl_tenant(int argc, char **argv)
{
	const char	*params[1];

	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return ctl_run("SELECT t.id, t.name, t.plan, coalesce(to_char("
		    "t.plan_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '-'), "
		    "(SELECT count(*) FROM users u WHERE u.tenant_id = t.id), "
		    "(SELECT count(*) FROM instances i WHERE i.tenant_id = t.id) "
		    "FROM tenants t ORDER BY t.created_at", 0, NULL, 1);
	if (argc == 3 && strcmp(argv[1], "create") == 0 && argv[2][0] != '-' &&
	    argv[2][strspn(argv[2], " ")] != '\0') {
		params[0] = argv[2];
		return ctl_run("INSERT INTO tenants (name) VALUES ($1) "
		    "RETURNING id", 1, params, 1);
	}
	fprintf(stderr, "usage: waqtorctl tenant list | tenant create NAME\n");
	return 2;
}

/* Inbound events of every tenant: the dead ones by default, to look at
 * and, once their cause is fixed, to send back to the engine. */
static int
ctl_inbound(int argc, char **argv)
{
	const char	*params[1];

	if (argc >= 2 && strcmp(argv[1], "list") == 0) {
		params[0] = ctl_option(argc, argv, "--status", "dead");
		if (strcmp(params[0], "dead") != 0 &&
		    strcmp(params[0], "pending") != 0 &&
		    strcmp(params[0], "all") != 0)
			goto usage;
		return ctl_run("SELECT id, tenant_id, instance_id, source, "
		    "attempts, to_char(received_at AT TIME ZONE 'UTC', "
		    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), coalesce(last_error, '-') "
		    "FROM inbound_events WHERE $1 = 'all' OR ($1 = 'dead' AND "
		    "dead_at IS NOT NULL) OR ($1 = 'pending' AND processed_at IS "
		    "NULL AND dead_at IS NULL) ORDER BY id", 1, params, 1);
	}
	if (argc == 3 && strcmp(argv[1], "retry") == 0 &&
	    argv[2][strspn(argv[2], "0123456789")] == '\0' && argv[2][0] != '\0') {
		params[0] = argv[2];
		return ctl_run("UPDATE inbound_events SET dead_at = NULL, "
		    "attempts = 0, retry_at = NULL WHERE id = $1::bigint AND "
		    "dead_at IS NOT NULL RETURNING id, pg_notify('waqtor_inbound', "
		    "instance_id::text) IS NOT NULL", 1, params, 1);
	}
usage:
	fprintf(stderr, "usage: waqtorctl inbound list [--status dead|pending|"
	    "all] | inbound retry ID\n");
	return 2;
}

static int
ctl_user(int argc, char **argv)
{
	const char	*params[5];
	char		 pw[256], hash[crypto_pwhash_STRBYTES];

	if (argc < 2 || strcmp(argv[1], "create") != 0) {
		fprintf(stderr, "usage: waqtorctl user create --tenant ID --email E "
		    "--name N [--role owner|admin|member] (password on stdin)\n");
		return 2;
	}
	params[0] = ctl_option(argc, argv, "--tenant", NULL);
	params[1] = ctl_option(argc, argv, "--email", NULL);
	params[2] = ctl_option(argc, argv, "--name", NULL);
	params[4] = ctl_option(argc, argv, "--role", "member");
	if (ctl_need(params[0], "--tenant") == -1 ||
	    ctl_need(params[1], "--email") == -1 ||
	    ctl_need(params[2], "--name") == -1 ||
	    ctl_read_password(pw, sizeof pw, hash, sizeof hash) == -1)
		return 1;
	params[3] = hash;
	return ctl_run("INSERT INTO users (tenant_id, email, name, password_hash, "
	    "role) VALUES ($1, $2, $3, $4, $5) RETURNING id", 5, params, 1);
}

static int
ctl_apikey(int argc, char **argv)
{
	char		 key[APIKEY_LEN + 1], prefix[APIKEY_PREFIX_HEX + 1];
	char		 hash[2 * TOKEN_HASH_LEN + 3];
	const char	*params[4];
	int		 rc;

	if (argc < 2 || strcmp(argv[1], "create") != 0) {
		fprintf(stderr, "usage: waqtorctl apikey create --tenant ID "
		    "[--name N]\n");
		return 2;
	}
	params[0] = ctl_option(argc, argv, "--tenant", NULL);
	params[1] = ctl_option(argc, argv, "--name", "waqtorctl");
	if (ctl_need(params[0], "--tenant") == -1)
		return 1;
	apikey_generate(key, prefix);
	token_hash_bytea(key, hash, sizeof hash);
	params[2] = prefix;
	params[3] = hash;
	rc = ctl_run("INSERT INTO api_keys (tenant_id, name, prefix, key_hash) "
	    "VALUES ($1, $2, $3, $4)", 4, params, 0);
	if (rc == 0)
		printf("%s\n", key);
	return rc;
}

/* Codes are 16 characters without look-alikes, shown in groups of four. */
static int
ctl_accesscode(int argc, char **argv)
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	char		 code[17], shown[20], hash[2 * TOKEN_HASH_LEN + 3];
	const char	*params[5];
	char		 expires[32];
	int		 i, rc;

	if (argc < 2 || strcmp(argv[1], "create") != 0) {
		fprintf(stderr, "usage: waqtorctl accesscode create --plan "
		    "pro|business --days N [--uses N] [--expires-days N]\n");
		return 2;
	}
	params[0] = ctl_option(argc, argv, "--plan", NULL);
	params[1] = ctl_option(argc, argv, "--days", NULL);
	params[2] = ctl_option(argc, argv, "--uses", "1");
	snprintf(expires, sizeof expires, "%s",
	    ctl_option(argc, argv, "--expires-days", ""));
	if (ctl_need(params[0], "--plan") == -1 ||
	    ctl_need(params[1], "--days") == -1)
		return 1;
	for (i = 0; i < 16; i++)
		code[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	code[16] = '\0';
	snprintf(shown, sizeof shown, "%.4s-%.4s-%.4s-%.4s", code, code + 4,
	    code + 8, code + 12);
	token_hash_bytea(code, hash, sizeof hash);
	params[3] = hash;
	params[4] = *expires != '\0' ? expires : NULL;
	rc = ctl_run("INSERT INTO access_codes (plan, days, uses_left, code_hash, "
	    "expires_at) VALUES ($1, $2::int, $3::int, $4, now() + "
	    "make_interval(days => $5::int))", 5, params, 0);
	if (rc == 0)
		printf("%s\n", shown);
	return rc;
}

static const struct ctl_command ctl_commands[] = {
	{ "config",	"print every setting, its value and meaning", ctl_config },
	{ "migrate",	"apply pending SQL migrations", ctl_migrate },
	{ "seed-demo",	"[--email E] [--tenant NAME]: create the demo tenant "
			"(password on stdin)", ctl_seed_demo },
	{ "tenant",	"list | create NAME", ctl_tenant },
	{ "user",	"create --tenant ID --email E --name N [--role R] "
			"(password on stdin)", ctl_user },
	{ "apikey",	"create --tenant ID [--name N]: prints the key once",
			ctl_apikey },
	{ "accesscode",	"create --plan pro|business --days N [--uses N] "
			"[--expires-days N]: prints the code", ctl_accesscode },
	{ "inbound",	"list [--status dead|pending|all] | retry ID: provider "
	    "events parked as dead, with their errors", ctl_inbound },
	{ "version",	"print the version", ctl_version },
};

static int
ctl_usage(void)
{
	size_t	i;

	fprintf(stderr, "usage: waqtorctl COMMAND [ARGS]\n");
	for (i = 0; i < sizeof ctl_commands / sizeof ctl_commands[0]; i++)
		fprintf(stderr, "  %-11s %s\n", ctl_commands[i].name,
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
		int	j;

		if (strcmp(argv[1], ctl_commands[i].name) != 0)
			continue;
		/* --help anywhere is a question, never a value (a tenant
		 * named "--help") */
		for (j = 2; j < argc; j++) {
			if (strcmp(argv[j], "--help") == 0 ||
			    strcmp(argv[j], "-h") == 0) {
				printf("usage: waqtorctl %s %s\n",
				    ctl_commands[i].name, ctl_commands[i].usage);
				return 0;
			}
		}
		return ctl_commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "waqtorctl: unknown command \"%s\"\n", argv[1]);
	return ctl_usage();
}
