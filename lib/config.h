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
#define CONFIG_CIDRS	0x4	/* a comma-separated CIDR list (netguard.h) */
#define CONFIG_SECONDS	0x8	/* a comma-separated list of seconds,
				   config_seconds() */

/*    id                name                     type  default                          min max       flags          meaning */
#define WAQTOR_CONFIG_TABLE(X)							\
X(STATE,           "WAQTOR_STATE",           STR,  "./var",                      0, 0,         0,          "state directory: data, logs, run/<process>.pid, sockets") \
X(PORT,            "WAQTOR_PORT",            INT,  "8080",                       1, 65535,     0,          "TCP port nginx listens on") \
X(HOST,            "WAQTOR_HOST",            STR,  "127.0.0.1",                  0, 0,         0,          "address nginx listens on (0.0.0.0 to expose the stack)") \
X(DATABASE_URL,    "WAQTOR_DATABASE_URL",    STR,  "postgresql:///waqtor",       0, 0,         CONFIG_URL, "PostgreSQL connection URL or conninfo (an existing server; else ./waqtor runs a private one)") \
X(REDIS_URL,       "WAQTOR_REDIS_URL",       STR,  "redis://127.0.0.1:6379",     0, 0,         CONFIG_URL, "Redis URL: redis://[:password@]host[:port][/db] or unix:///path/redis.sock") \
X(API_SOCKET,      "WAQTOR_API_SOCKET",      STR,  "./var/run/api.sock",         0, 0,         0,          "FastCGI listen address of waqtor-api: a unix socket path or host:port") \
X(ENGINES,         "WAQTOR_ENGINES",         INT,  "2",                          1, 99,        0,          "engine processes ./waqtor up starts: they share the instances (one per core is the most that helps)") \
X(API_WORKERS,     "WAQTOR_API_WORKERS",     INT,  "4",                          1, 256,       0,          "number of FastCGI worker processes") \
X(API_BACKLOG,     "WAQTOR_API_BACKLOG",     INT,  "1024",                       1, 65535,     0,          "listen backlog of the FastCGI socket") \
X(MAX_BODY,        "WAQTOR_MAX_BODY",        INT,  "1048576",                    1024, 67108864, 0,        "largest JSON request body in bytes (uploads have their own limits)") \
X(UPLOAD_MAX,      "WAQTOR_UPLOAD_MAX",      INT,  "16777216",                   1024, 104857600, 0,       "largest request body nginx accepts in bytes (media uploads)") \
X(METRICS,         "WAQTOR_METRICS",         STR,  "",                           0, 0,         0,          "where this daemon (the API, an engine) serves Prometheus metrics, GET /metrics: a unix socket path or host:port for operators only, never the public server; ./waqtor gives each daemon STATE/run/<daemon>.prom; empty: none (pushd serves its own on its socket)") \
X(PUSHD_SOCKET,    "WAQTOR_PUSHD_SOCKET",    STR,  "./var/run/pushd.sock",       0, 0,         0,          "listen address of waqtor-pushd: a unix socket path or host:port") \
X(PUSHD_PING_INTERVAL_MS, "WAQTOR_PUSHD_PING_INTERVAL_MS", INT, "15000",          100, 3600000, 0,          "waqtor-pushd: Engine.IO pingInterval in milliseconds") \
X(PUSHD_PING_TIMEOUT_MS, "WAQTOR_PUSHD_PING_TIMEOUT_MS", INT, "10000",            100, 3600000, 0,          "waqtor-pushd: Engine.IO pingTimeout in milliseconds (a missing pong closes the session)") \
X(PUSHD_MAX_PAYLOAD, "WAQTOR_PUSHD_MAX_PAYLOAD",     INT,  "1000000",                    1024, 67108864, 0,        "waqtor-pushd: Engine.IO maxPayload, the largest message or poll body in bytes") \
X(PUSHD_CONNECT_TIMEOUT_MS, "WAQTOR_PUSHD_CONNECT_TIMEOUT_MS", INT, "45000",       100, 3600000, 0,          "waqtor-pushd: a session that joins no namespace within this time is closed") \
X(PUSHD_QUEUE_MAX, "WAQTOR_PUSHD_QUEUE_MAX",         INT,  "1000",                       1, 1000000,   0,          "waqtor-pushd: send queue of a connection in packets; a connection that stays over it is closed") \
X(PUSHD_RATE,      "WAQTOR_PUSHD_RATE",              INT,  "50",                         0, 100000,    0,          "waqtor-pushd: packets per second a client may send (bursts of twice that; 0: no limit)") \
X(PUSHD_RECOVERY_MS, "WAQTOR_PUSHD_RECOVERY_MS",     INT,  "120000",                     0, 3600000,   0,          "waqtor-pushd: how long a dropped connection can recover its missed events (0: no recovery)") \
X(PUSHD_MAX_CONNECTIONS, "WAQTOR_PUSHD_MAX_CONNECTIONS", INT, "65536",            64, 1048576,  0,          "waqtor-pushd: connections (file descriptors) it accepts before pausing accept") \
X(PUSHD_ECHO,      "WAQTOR_PUSHD_ECHO",              BOOL, "false",                      0, 0,         0,          "waqtor-pushd: Engine.IO echo server at /engine.io/ for the engine.io-protocol test suite (never in production)") \
X(HEARTBEAT_MS,    "WAQTOR_HEARTBEAT_MS",    INT,  "5000",                       100, 3600000, 0,          "interval of the engine's heartbeat event in milliseconds") \
X(ENGINE_LEASE_MS,  "WAQTOR_ENGINE_LEASE_MS",  INT,  "10000",                      500, 600000,  0,          "how long an engine's claim on an instance lasts unless renewed (takeover time)") \
X(OUTBOX_CLAIM_SECS, "WAQTOR_OUTBOX_CLAIM_SECS", INT, "60",                       5, 3600,      0,          "how long a claimed outbox message waits before another try may resend it") \
X(SEND_MAX_ATTEMPTS, "WAQTOR_SEND_MAX_ATTEMPTS", INT, "8",                        1, 100,       0,          "attempts before a transiently failing message is marked failed") \
X(CAMPAIGN_PAIR_SECS, "WAQTOR_CAMPAIGN_PAIR_SECS", INT, "6",                      0, 86400,     0,          "campaigns: least seconds between two campaign messages to one number from one instance (Meta's pair rate limit, error 131056)") \
X(CAMPAIGN_FAILURE_WINDOW, "WAQTOR_CAMPAIGN_FAILURE_WINDOW", INT, "20",          2, 1000,      0,          "campaigns: the last sends whose failure rate may auto-pause a campaign") \
X(CAMPAIGN_FAILURE_PERCENT, "WAQTOR_CAMPAIGN_FAILURE_PERCENT", INT, "50",        1, 100,       0,          "campaigns: auto-pause when this share (percent) of the last WAQTOR_CAMPAIGN_FAILURE_WINDOW sends failed") \
X(DB_STATEMENT_TIMEOUT_MS, "WAQTOR_DB_STATEMENT_TIMEOUT_MS", INT, "10000",        100, 3600000, 0,          "daemons: longest a PostgreSQL statement may run before it is cancelled") \
X(BULK_STATEMENT_TIMEOUT_MS, "WAQTOR_BULK_STATEMENT_TIMEOUT_MS", INT, "600000", 1000, 3600000, 0,        "API: longest a statement of a bulk request (a CSV import, a campaign's creation) may run") \
X(DB_LOCK_TIMEOUT_MS, "WAQTOR_DB_LOCK_TIMEOUT_MS", INT, "3000",                    10, 3600000,  0,          "daemons: longest a PostgreSQL statement waits for a lock") \
X(WEBHOOK_ALLOW_CIDRS, "WAQTOR_WEBHOOK_ALLOW_CIDRS", STR, "",                       0, 0,         CONFIG_CIDRS, "comma-separated CIDRs outbound webhooks may reach although they are not public (loopback, private, link-local...); empty: only public addresses") \
X(WEBHOOK_ALLOW_HTTP, "WAQTOR_WEBHOOK_ALLOW_HTTP", BOOL, "false",                    0, 0,         0,          "outbound webhook endpoints may be http://, not only https://") \
X(WEBHOOK_RATE,    "WAQTOR_WEBHOOK_RATE",    INT,  "60000",                      1, 100000000, 0,          "provider webhook deliveries per minute per instance (bursts of a sixth of it): far above Meta's rate") \
X(WEBHOOK_TIMEOUT_MS, "WAQTOR_WEBHOOK_TIMEOUT_MS", INT, "15000",                    100, 60000,   0,          "how long a webhook delivery may take before it counts as failed and is retried") \
X(WEBHOOK_CONCURRENCY, "WAQTOR_WEBHOOK_CONCURRENCY", INT, "10",                      1, 100,       0,          "deliveries in flight to one webhook endpoint (all engines together): a slow one holds no more") \
X(WEBHOOK_IN_FLIGHT, "WAQTOR_WEBHOOK_IN_FLIGHT", INT, "256",                        1, 4096,      0,          "webhook deliveries in flight per engine, all endpoints together") \
X(WEBHOOK_RETRY_SCHEDULE, "WAQTOR_WEBHOOK_RETRY_SCHEDULE", STR, "5,300,1800,7200,18000,36000,36000", 0, 0, CONFIG_SECONDS, "seconds from a failed delivery attempt to the next (each with up to 10% jitter, or the receiver's Retry-After when later); after the last one it fails for good") \
X(WEBHOOK_DISABLE_AFTER_DAYS, "WAQTOR_WEBHOOK_DISABLE_AFTER_DAYS", INT, "5",          1, 365,       0,          "days of nothing but failures after which a webhook endpoint is disabled (its admins are notified)") \
X(INBOUND_RETENTION_HOURS, "WAQTOR_INBOUND_RETENTION_HOURS", INT, "72",            1, 87600,     0,          "how long processed and dead inbound events (raw webhook bodies) are kept") \
X(EVENT_RETENTION_DAYS, "WAQTOR_EVENT_RETENTION_DAYS", INT, "7",                   2, 3650,      0,          "days the event log (GET /api/v1/events, dropped a day at a time) and the webhook delivery log are kept") \
X(NOTIFICATION_RETENTION_DAYS, "WAQTOR_NOTIFICATION_RETENTION_DAYS", INT, "90", 1, 3650,   0,          "days a user's notifications are kept") \
X(RETENTION_SWEEP_MS, "WAQTOR_RETENTION_SWEEP_MS", INT, "60000",                 100, 86400000, 0,         "how often the engine deletes what is past its retention") \
X(INBOUND_MAX_ATTEMPTS, "WAQTOR_INBOUND_MAX_ATTEMPTS", INT, "5",                  1, 100,       0,          "tries of an inbound event that fails to be stored before it is parked as dead") \
X(HTTP_TIMEOUT_MS,  "WAQTOR_HTTP_TIMEOUT_MS",  INT,  "15000",                      1000, 120000, 0,          "total timeout of one request to a provider") \
X(TRUSTED_PROXIES, "WAQTOR_TRUSTED_PROXIES", STR,  "",                           0, 0,         0,          "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For names the client (empty: none; the peer is the client)") \
X(PUBLIC_URL,       "WAQTOR_PUBLIC_URL",       STR,  "http://127.0.0.1:8080",      0, 0,         0,          "the stack's public base URL: providers fetch uploaded media from it") \
X(CLOUD_API_BASE,   "WAQTOR_CLOUD_API_BASE",   STR,  "https://graph.facebook.com",  0, 0,         0,          "base URL of Meta's Graph API (operators only; tests point it at the fake)") \
X(CLOUD_API_VERSION, "WAQTOR_CLOUD_API_VERSION", STR, "v21.0",                    0, 0,         0,          "Graph API version used by the cloud provider") \
X(SHUTDOWN_SECS,   "WAQTOR_SHUTDOWN_SECS",   INT,  "10",                         0, 600,       0,          "how long SIGTERM waits for in-flight work before exiting") \
X(SQL_DIR,         "WAQTOR_SQL_DIR",         STR,  "./sql",                      0, 0,         0,          "directory of numbered SQL migrations") \
X(RATE_ANON,       "WAQTOR_RATE_ANON",       INT,  "60",                         1, 100000000, 0,          "requests per minute for callers without credentials, per address") \
X(RATE_FREE,       "WAQTOR_RATE_FREE",       INT,  "300",                        1, 100000000, 0,          "requests per minute per API key or session on the free plan") \
X(RATE_PRO,        "WAQTOR_RATE_PRO",        INT,  "3000",                       1, 100000000, 0,          "requests per minute per API key or session on the pro plan") \
X(RATE_BUSINESS,   "WAQTOR_RATE_BUSINESS",   INT,  "12000",                      1, 100000000, 0,          "requests per minute per API key or session on the business plan") \
X(QUOTA_INSTANCES, "WAQTOR_QUOTA_INSTANCES", STR,  "3,20,100",                   0, 0,         0,          "instances a tenant may have on the free, pro and business plans") \
X(QUOTA_API_KEYS,  "WAQTOR_QUOTA_API_KEYS",  STR,  "5,25,100",                   0, 0,         0,          "live API keys a tenant may have on the free, pro and business plans") \
X(QUOTA_MEMBERS,   "WAQTOR_QUOTA_MEMBERS",   STR,  "3,20,200",                   0, 0,         0,          "users and pending invitations a tenant may have on the free, pro and business plans") \
X(QUOTA_MEDIA_MB,  "WAQTOR_QUOTA_MEDIA_MB",  STR,  "100,2000,20000",             0, 0,         0,          "megabytes of uploaded media a tenant may keep on the free, pro and business plans") \
X(MEDIA_RETENTION_DAYS, "WAQTOR_MEDIA_RETENTION_DAYS", INT, "30",                  1, 36500,     0,          "days an uploaded media file is kept (and served to the provider)") \
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
/* A CONFIG_SECONDS setting into out (at most max): how many there are. */
int config_seconds(enum config_id id, long *out, int max);
/* Prints the table with current values, credentials redacted. */
void config_print(FILE *fp);
/* Copies url to out with any password replaced by "***". */
void url_redact(const char *url, char *out, size_t outlen);

#endif
