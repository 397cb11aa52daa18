/*
 * Configuration: every setting is an environment variable described by one
 * line of WAQTOR_CONFIG_TABLE (name, type, default, bounds, flags, meaning).
 * Adding a setting is adding a line; `waqtorctl config` prints the table.
 *
 * config_load() reads the environment once at start-up; values are then read
 * with config_str()/config_int(), which never fail.
 */
#ifndef WAQTOR_CONFIG_H
#define WAQTOR_CONFIG_H

#include <stddef.h>
#include <stdio.h>

enum config_type { CONFIG_STR, CONFIG_INT, CONFIG_BOOL };

#define CONFIG_SECRET	0x1	/* never printed or logged in full */
#define CONFIG_URL	0x2	/* a URL whose credentials are redacted */

/*    id                name                     type  default                          min max       flags          meaning */
#define WAQTOR_CONFIG_TABLE(X)							\
X(STATE,           "WAQTOR_STATE",           STR,  "./var",                      0, 0,         0,          "state directory: data, logs, run/<process>.pid, sockets") \
X(PORT,            "WAQTOR_PORT",            INT,  "8080",                       1, 65535,     0,          "TCP port nginx listens on") \
X(HOST,            "WAQTOR_HOST",            STR,  "127.0.0.1",                  0, 0,         0,          "address nginx listens on (0.0.0.0 to expose the stack)") \
X(DATABASE_URL,    "WAQTOR_DATABASE_URL",    STR,  "postgresql:///waqtor",       0, 0,         CONFIG_URL, "PostgreSQL connection URL or conninfo (an existing server; else ./waqtor runs a private one)") \
X(REDIS_URL,       "WAQTOR_REDIS_URL",       STR,  "redis://127.0.0.1:6379",     0, 0,         CONFIG_URL, "Redis URL: redis://[:password@]host[:port][/db] or unix:///path/redis.sock") \
X(API_SOCKET,      "WAQTOR_API_SOCKET",      STR,  "./var/run/api.sock",         0, 0,         0,          "FastCGI listen address of waqtor-api: a unix socket path or host:port") \
X(API_WORKERS,     "WAQTOR_API_WORKERS",     INT,  "4",                          1, 256,       0,          "number of FastCGI worker processes") \
X(API_BACKLOG,     "WAQTOR_API_BACKLOG",     INT,  "1024",                       1, 65535,     0,          "listen backlog of the FastCGI socket") \
X(MAX_BODY,        "WAQTOR_MAX_BODY",        INT,  "1048576",                    1024, 67108864, 0,        "largest JSON request body in bytes (uploads have their own limits)") \
X(UPLOAD_MAX,      "WAQTOR_UPLOAD_MAX",      INT,  "16777216",                   1024, 104857600, 0,       "largest request body nginx accepts in bytes (media uploads)") \
X(PUSHD_SOCKET,    "WAQTOR_PUSHD_SOCKET",    STR,  "./var/run/pushd.sock",       0, 0,         0,          "listen address of waqtor-pushd: a unix socket path or host:port") \
X(HEARTBEAT_MS,    "WAQTOR_HEARTBEAT_MS",    INT,  "5000",                       100, 3600000, 0,          "interval of the engine's heartbeat event in milliseconds") \
X(SHUTDOWN_SECS,   "WAQTOR_SHUTDOWN_SECS",   INT,  "10",                         0, 600,       0,          "how long SIGTERM waits for in-flight work before exiting") \
X(SQL_DIR,         "WAQTOR_SQL_DIR",         STR,  "./sql",                      0, 0,         0,          "directory of numbered SQL migrations") \
X(SECRET_KEY,      "WAQTOR_SECRET_KEY",      STR,  "",                           0, 0,         CONFIG_SECRET, "64 hex digits: the server key that signs realtime tokens (./waqtor up makes one per stack)") \
X(LOG_LEVEL,       "WAQTOR_LOG_LEVEL",       STR,  "info",                       0, 0,         0,          "log level: debug, info, warn or error")

enum config_id {
#define X(id, name, type, def, min, max, flags, help) CFG_##id,
	WAQTOR_CONFIG_TABLE(X)
#undef X
	CFG__COUNT
};

struct config_option {
	const char	*name;
	enum config_type type;
	const char	*def;
	long		 min;
	long		 max;
	int		 flags;
	const char	*help;
};

extern const struct config_option config_table[CFG__COUNT];

/*
 * Reads every option from the environment. On a bad value writes a message
 * naming the variable to err and returns -1; values stay at their defaults.
 */
int config_load(char *err, size_t errlen) __attribute__((warn_unused_result));
const char *config_str(enum config_id id);
long config_int(enum config_id id);
/* Prints the table with current values, credentials redacted. */
void config_print(FILE *fp);
/* Copies url to out with any password replaced by "***". */
void url_redact(const char *url, char *out, size_t outlen);

#endif
