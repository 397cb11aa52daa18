/* The configuration table: defaults, parsing, bounds, redaction. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "tap.h"

int
main(void)
{
	char	err[256], buf[256];
	size_t	i;

	unsetenv("WAQTOR_PORT");
	unsetenv("WAQTOR_API_WORKERS");
	ok(config_load(err, sizeof err) == 0, "loads with an empty environment");
	is_int(config_int(CFG_PORT), 8080, "default port");
	is_str(config_str(CFG_LOG_LEVEL), "info", "default log level");

	for (i = 0; i < CFG__COUNT; i++) {
		if (config_table[i].help == NULL || *config_table[i].help == '\0' ||
		    strncmp(config_table[i].name, "WAQTOR_", 7) != 0)
			break;
	}
	is_int(i, CFG__COUNT, "every option is WAQTOR_* and has a meaning");

	setenv("WAQTOR_PORT", "9090", 1);
	setenv("WAQTOR_API_WORKERS", "7", 1);
	ok(config_load(err, sizeof err) == 0, "loads overrides");
	is_int(config_int(CFG_PORT), 9090, "port from the environment");
	is_int(config_int(CFG_API_WORKERS), 7, "workers from the environment");

	setenv("WAQTOR_PORT", "80x", 1);
	ok(config_load(err, sizeof err) == -1, "rejects a non-integer");
	ok(strstr(err, "WAQTOR_PORT") != NULL, "the error names the variable");
	is_int(config_int(CFG_PORT), 8080, "a failed load leaves defaults");

	setenv("WAQTOR_PORT", "70000", 1);
	ok(config_load(err, sizeof err) == -1, "rejects an out-of-range value");
	ok(strstr(err, "1..65535") != NULL, "the error gives the bounds");
	setenv("WAQTOR_PORT", "", 1);
	ok(config_load(err, sizeof err) == 0, "an empty variable means default");
	is_int(config_int(CFG_PORT), 8080, "empty gives the default");

	url_redact("postgresql://app:s3cret@db:5432/waqtor", buf, sizeof buf);
	is_str(buf, "postgresql://app:***@db:5432/waqtor", "postgres URL redacted");
	url_redact("redis://:hunter2@cache:6379/1", buf, sizeof buf);
	is_str(buf, "redis://:***@cache:6379/1", "redis URL redacted");
	url_redact("host=/tmp dbname=x password=pw user=u", buf, sizeof buf);
	is_str(buf, "host=/tmp dbname=x password=*** user=u", "conninfo redacted");
	url_redact("unix:///var/run/redis.sock", buf, sizeof buf);
	is_str(buf, "unix:///var/run/redis.sock", "URL without secret unchanged");
	url_redact("redis://cache/2", buf, sizeof buf);
	is_str(buf, "redis://cache/2", "URL without credentials unchanged");

	unsetenv("WAQTOR_PORT");
	setenv("WAQTOR_WEBHOOK_ALLOW_CIDRS", "127.0.0.0/8,::1/128", 1);
	ok(config_load(err, sizeof err) == 0 && strcmp(config_str(
	    CFG_WEBHOOK_ALLOW_CIDRS), "127.0.0.0/8,::1/128") == 0,
	    "a CIDR list is taken");
	setenv("WAQTOR_WEBHOOK_ALLOW_CIDRS", "127.0.0.0/33", 1);
	ok(config_load(err, sizeof err) == -1 && strstr(err,
	    "WAQTOR_WEBHOOK_ALLOW_CIDRS") != NULL, "a bad one is refused, named");
	unsetenv("WAQTOR_WEBHOOK_ALLOW_CIDRS");

	/* CONFIG_SECONDS: the webhook retry schedule */
	{
		long		 v[16];
		const char	*bad[] = { "", "5,", ",5", "5,,6", "-1", "5 ,6",
		    "86401", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
		    "99999999999999999999", "5s" };
		size_t		 k;

		ok(config_load(err, sizeof err) == 0 && config_seconds(
		    CFG_WEBHOOK_RETRY_SCHEDULE, v, 16) == 7 && v[0] == 5 &&
		    v[6] == 36000, "the default retry schedule: 7 steps");
		setenv("WAQTOR_WEBHOOK_RETRY_SCHEDULE", "0,1,86400", 1);
		ok(config_load(err, sizeof err) == 0 && config_seconds(
		    CFG_WEBHOOK_RETRY_SCHEDULE, v, 16) == 3 && v[0] == 0 &&
		    v[2] == 86400, "a schedule of three");
		/* (bad[0], empty, means the default) */
		for (k = 1; k < sizeof bad / sizeof bad[0]; k++) {
			setenv("WAQTOR_WEBHOOK_RETRY_SCHEDULE", bad[k], 1);
			ok(config_load(err, sizeof err) == -1 && strstr(err,
			    "WAQTOR_WEBHOOK_RETRY_SCHEDULE") != NULL,
			    "a malformed schedule is refused, named");
		}
		unsetenv("WAQTOR_WEBHOOK_RETRY_SCHEDULE");
	}
	return tap_done();
}
